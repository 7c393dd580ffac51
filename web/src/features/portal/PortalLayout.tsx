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

export function PortalLayout() {
  return (
    <Box mih="100dvh" bg="gray.0">
      <Header />
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
