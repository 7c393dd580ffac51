import { useState, type FormEvent } from 'react';
import { Alert, Button, Paper, PasswordInput, SegmentedControl, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { isApiError } from '../../shared/api/client';
import { errorMessage, fieldErrorsOf } from '../../shared/ui/errors';
import i18n from '../../shared/i18n';
import { portalPost, type PortalMe } from './api';
import { PORTAL_ME_KEY } from './session';

type Mode = 'password' | 'link' | 'register';

export default function PortalSignInPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [mode, setMode] = useState<Mode>('password');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [sent, setSent] = useState<Mode | null>(null);

  const submit = useMutation({
    mutationFn: async (): Promise<PortalMe | null> => {
      const lang = i18n.language === 'ar' ? 'ar' : 'en';
      if (mode === 'password') return (await portalPost<{ me: PortalMe }>('/auth/login', { email: email.trim(), password })).me;
      if (mode === 'link') await portalPost('/auth/link', { email: email.trim(), language: lang });
      else await portalPost('/auth/register', { email: email.trim(), password, language: lang, ...(name.trim() ? { name: name.trim() } : {}) });
      return null;
    },
    onSuccess: (me) => {
      if (me) {
        qc.setQueryData(PORTAL_ME_KEY, me);
        const next = params.get('next');
        navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
      } else setSent(mode);
    },
  });
  const errors = fieldErrorsOf(submit.error);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setSent(null);
    submit.mutate();
  };
  const unverified = isApiError(submit.error) && submit.error.code === 'portal.email_unverified';

  return (
    <Stack gap="md" maw={420} mx="auto" mt="md">
      <Title order={2}>{t('portal.signIn.title')}</Title>
      <Text c="dimmed" size="sm">
        {t('portal.signIn.intro')}
      </Text>
      <SegmentedControl
        fullWidth
        value={mode}
        onChange={(v) => {
          setMode(v as Mode);
          setSent(null);
          submit.reset();
        }}
        data={[
          { value: 'password', label: t('portal.signIn.password') },
          { value: 'link', label: t('portal.signIn.link') },
          { value: 'register', label: t('portal.signIn.register') },
        ]}
        data-testid="portal-mode"
      />
      <Paper withBorder p="md" radius="md" component="form" onSubmit={onSubmit} noValidate>
        <Stack gap="sm">
          {mode === 'register' && <TextInput label={t('portal.signIn.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} autoComplete="name" error={errors.name} />}
          <TextInput
            label={t('portal.signIn.email')}
            type="email"
            required
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            autoComplete="email"
            classNames={{ input: 'cd-ltr' }}
            error={errors.email}
            data-testid="portal-email"
          />
          {mode !== 'link' && (
            <PasswordInput
              label={t('portal.signIn.passwordLabel')}
              description={mode === 'register' ? t('portal.signIn.passwordRule') : undefined}
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              autoComplete={mode === 'register' ? 'new-password' : 'current-password'}
              error={errors.password}
              data-testid="portal-password"
            />
          )}
          {submit.error && !Object.keys(errors).length ? (
            <Alert color="red" role="alert" data-testid="portal-error">
              {errorMessage(submit.error, t)}
              {unverified && (
                <Button variant="light" size="compact-sm" mt="xs" onClick={() => setMode('link')}>
                  {t('portal.signIn.sendNewLink')}
                </Button>
              )}
            </Alert>
          ) : null}
          {sent && (
            <Alert color="teal" role="status" data-testid="portal-sent">
              {sent === 'register' ? t('portal.signIn.verifySent', { email }) : t('portal.signIn.linkSent', { email })}
            </Alert>
          )}
          <Button type="submit" loading={submit.isPending} data-testid="portal-submit">
            {mode === 'password' ? t('portal.signIn.submitPassword') : mode === 'link' ? t('portal.signIn.submitLink') : t('portal.signIn.submitRegister')}
          </Button>
        </Stack>
      </Paper>
    </Stack>
  );
}
