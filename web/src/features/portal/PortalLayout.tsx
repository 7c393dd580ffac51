import { useEffect } from 'react';
import { Anchor, Box, Button, Center, Container, Group, Loader, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { LanguageSwitch } from '../../shared/ui/LanguageSwitch';
import { setLanguage, storeLanguage, type AppLanguage } from '../../shared/i18n';
import { portalApi } from './api';
import { PORTAL_ME_KEY, usePortalMe } from './session';

/** The customer's language follows them: kept on their contact once signed in, and in this browser. */
export function usePortalLanguage() {
  const me = usePortalMe();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (lng: AppLanguage) => {
      storeLanguage(lng);
      await setLanguage(lng);
      if (me.data) await portalApi('/me', { method: 'PATCH', body: { language: lng } });
    },
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['portal'] }),
  });
}

function Header() {
  const { t } = useTranslation();
  const me = usePortalMe();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const language = usePortalLanguage();
  const signOut = useMutation({
    mutationFn: () => portalApi('/auth/logout', { method: 'POST', body: {} }),
    onSettled: () => {
      qc.setQueryData(PORTAL_ME_KEY, null);
      qc.removeQueries({ queryKey: ['portal', 'tickets'] });
      navigate('/');
    },
  });
  return (
    <Box component="header" py="xs" px="sm" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)', background: 'var(--mantine-color-body)' }}>
      <Container size="sm" px={0}>
        <Group justify="space-between" wrap="nowrap" gap="xs">
          <Anchor component={Link} to="/" underline="never" fw={700} c="indigo" data-testid="portal-home">
            {t('portal.brand')}
          </Anchor>
          <Group gap={4} wrap="nowrap">
            <LanguageSwitch onChange={(lng) => language.mutate(lng)} loading={language.isPending} />
            {me.data && (
              <Button variant="subtle" size="compact-sm" onClick={() => signOut.mutate()} data-testid="portal-sign-out">
                {t('portal.signOut')}
              </Button>
            )}
          </Group>
        </Group>
      </Container>
    </Box>
  );
}

/**
 * The live chat widget, the same one script a website adds, on every portal page: a customer
 * can ask while they look at their tickets. A signed-in customer's name and email are filled in.
 * Added once per page load; the widget keeps its own state (and language switch) from then on.
 */
function PortalChat() {
  const me = usePortalMe();
  const { i18n } = useTranslation();
  useEffect(() => {
    if (me.isPending) return;
    let script = document.querySelector<HTMLScriptElement>('script[data-caredesk-portal]');
    const fresh = !script;
    if (!script) {
      script = document.createElement('script');
      script.src = '/widget.js';
      script.async = true;
      script.setAttribute('data-caredesk-portal', '');
      script.setAttribute('data-caredesk-lang', i18n.language === 'ar' ? 'ar' : 'en');
    }
    // The widget reads who the visitor is each time it shows its form, so signing in (or out)
    // after the script loaded still fills (or clears) the form.
    for (const [attr, value] of [
      ['data-caredesk-name', me.data?.name],
      ['data-caredesk-email', me.data?.email],
    ] as const) {
      if (value) script.setAttribute(attr, value);
      else script.removeAttribute(attr);
    }
    if (fresh) document.body.appendChild(script);
  }, [me.isPending, me.data, i18n.language]);
  return null;
}

export function PortalLayout() {
  return (
    <Box mih="100dvh" bg="gray.0">
      <Header />
      <PortalChat />
      <Container size="sm" px="sm" py="md">
        <Outlet />
      </Container>
    </Box>
  );
}

/** Pages for signed-in customers; others go to the sign-in page and come back. */
export function RequireCustomer() {
  const me = usePortalMe();
  const location = useLocation();
  const { t } = useTranslation();
  if (me.isPending)
    return (
      <Center py="xl">
        <Loader aria-label={t('portal.loading')} />
      </Center>
    );
  if (!me.data) return <Navigate to={`/sign-in?next=${encodeURIComponent(location.pathname)}`} replace />;
  return <Outlet />;
}

export function Muted({ children }: { children: React.ReactNode }) {
  return (
    <Text size="sm" c="dimmed">
      {children}
    </Text>
  );
}
