import { useState, type FormEvent } from 'react';
import { Alert, Button, Center, Group, Paper, PasswordInput, Stack, TextInput, Title, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { api, isApiError } from '../../shared/api/client';
import type { Me } from '../../shared/api/types';
import { setLanguage, storeLanguage, type AppLanguage } from '../../shared/i18n';
import { LanguageSwitch } from '../../shared/ui/LanguageSwitch';
import { errorMessage } from '../../shared/ui/errors';
import { ME_KEY, useMe } from './session';

export default function SignInPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const { data: me } = useMe();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  // A language picked here, just before signing in, becomes the user's language.
  const [picked, setPicked] = useState<AppLanguage | null>(null);

  const next = params.get('next');
  // Only a path of this app: never //host or /\host, which browsers read as another site.
  const target = next && /^\/(?![\/\\])/.test(next) && !next.includes('\\') ? next : '/queues/mine';

  const login = useMutation({
    mutationFn: () =>
      api<{ token: string; user: Me }>('/auth/login', {
        method: 'POST',
        body: { email: email.trim(), password },
        quiet401: true,
      }),
    onSuccess: async ({ user }) => {
      let signedIn = user;
      if (picked && picked !== user.language) {
        try {
          signedIn = await api<Me>('/me', { method: 'PATCH', body: { language: picked } });
        } catch {
          // keep the stored language; the header switch can change it later
        }
      }
      qc.setQueryData(ME_KEY, signedIn);
      await setLanguage(signedIn.language);
      navigate(target, { replace: true });
    },
  });

  if (me && !login.isPending && !login.isSuccess) return <Navigate to={target} replace />;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate();
  };

  const changeLanguage = (lng: AppLanguage) => {
    storeLanguage(lng);
    setPicked(lng);
    void setLanguage(lng);
  };

  let error: string | null = null;
  if (login.error) {
    const e = login.error;
    if (isApiError(e) && (e.status === 401 || e.code === 'invalid_credentials')) error = t('signIn.badCredentials');
    else if (isApiError(e) && e.status === 429) error = t('signIn.tooMany');
    else error = errorMessage(e, t);
  }

  return (
    <Center mih="100vh" p="md" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={400} radius="md">
        <form onSubmit={submit} noValidate>
          <Stack>
            <Group justify="space-between" align="center">
              <Title order={2} c="indigo.7">
                CareDesk
              </Title>
              <LanguageSwitch onChange={changeLanguage} />
            </Group>
            <Text c="dimmed" size="sm">
              {t('signIn.subtitle')}
            </Text>
            {error && (
              <Alert color="red" role="alert" data-testid="sign-in-error">
                {error}
              </Alert>
            )}
            <TextInput
              label={t('signIn.email')}
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              classNames={{ input: 'cd-ltr' }}
            />
            <PasswordInput
              visibilityToggleButtonProps={{ 'aria-label': t('common.togglePassword') }}
              label={t('signIn.password')}
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
            />
            <Button type="submit" loading={login.isPending} fullWidth>
              {t('signIn.submit')}
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
