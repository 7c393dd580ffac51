import { useEffect, useState, type FormEvent } from 'react';
import {
  AppShell,
  Badge,
  Burger,
  Button,
  Divider,
  Group,
  Menu,
  NavLink,
  ScrollArea,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate, useSearchParams } from 'react-router';
import { ScreenPops } from '../../features/phone/ScreenPops';
import { NotificationsBell } from '../../features/sla/NotificationsBell';
import { get, patch, post } from '../api/client';
import type { Me, QueueCounts, QueueName } from '../api/types';
import { ME_KEY, canSeeAll, hasRole, useCurrentUser } from '../../features/auth/session';
import { setLanguage, storeLanguage, type AppLanguage } from '../i18n';
import { LanguageSwitch } from './LanguageSwitch';
import { notifyError } from './errors';

export const COUNTS_KEY = ['tickets', 'counts'] as const;

function SearchBox({ onDone }: { onDone?: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const location = useLocation();
  const [q, setQ] = useState('');
  useEffect(() => {
    if (location.pathname === '/search') setQ(params.get('q') ?? '');
  }, [location.pathname, params]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const v = q.trim();
    if (!v) return;
    navigate(`/search?q=${encodeURIComponent(v)}`);
    onDone?.();
  };
  return (
    <form onSubmit={submit} role="search" style={{ flex: 1, maxWidth: 420 }}>
      <TextInput
        aria-label={t('header.search')}
        placeholder={t('header.searchPlaceholder')}
        value={q}
        onChange={(e) => setQ(e.currentTarget.value)}
        type="search"
        name="q"
      />
    </form>
  );
}

function QueueLink({
  queue,
  count,
  active,
  onClick,
}: {
  queue: QueueName;
  count: number | null | undefined;
  active: boolean;
  onClick: () => void;
}) {
  const { t } = useTranslation();
  return (
    <NavLink
      component={Link}
      to={`/queues/${queue}`}
      label={t(`queue.${queue}`)}
      active={active}
      onClick={onClick}
      rightSection={
        <Badge size="sm" variant={active ? 'filled' : 'light'} data-testid={`queue-count-${queue}`}>
          {count ?? '–'}
        </Badge>
      }
    />
  );
}

export function AppLayout() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const [opened, { toggle, close }] = useDisclosure(false);

  const counts = useQuery({
    queryKey: COUNTS_KEY,
    queryFn: () => get<QueueCounts>('/tickets/counts'),
    refetchInterval: 60_000,
  });

  const language = useMutation({
    mutationFn: (lng: AppLanguage) => patch<Me>('/me', { language: lng }),
    onSuccess: async (user) => {
      qc.setQueryData(ME_KEY, user);
      storeLanguage(user.language);
      await setLanguage(user.language);
    },
    onError: (e) => notifyError(e, t),
  });

  const signOut = useMutation({
    mutationFn: () => post<void>('/auth/logout'),
    onSettled: () => {
      qc.clear();
      qc.setQueryData(ME_KEY, null);
      navigate('/sign-in', { replace: true });
    },
  });

  const path = location.pathname;
  const queues: QueueName[] = canSeeAll(me) ? ['mine', 'groups', 'unassigned', 'all'] : ['mine', 'groups', 'unassigned'];

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 250, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" gap="sm" wrap="nowrap">
          <Burger
            opened={opened}
            onClick={toggle}
            hiddenFrom="sm"
            size="sm"
            aria-label={t('header.menu')}
            data-testid="burger"
          />
          <UnstyledButton component={Link} to="/queues/mine" aria-label="CareDesk">
            <Title order={3} c="indigo.7" style={{ whiteSpace: 'nowrap' }}>
              CareDesk
            </Title>
          </UnstyledButton>
          <Group visibleFrom="sm" style={{ flex: 1 }} justify="center">
            <SearchBox />
          </Group>
          <Group gap="xs" ms="auto" wrap="nowrap">
            <NotificationsBell />
            <LanguageSwitch onChange={(lng) => language.mutate(lng)} loading={language.isPending} />
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <Button variant="light" size="compact-sm" data-testid="user-menu" visibleFrom="xs">
                  {me.name}
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>{me.email}</Menu.Label>
                <Menu.Item onClick={() => signOut.mutate()}>{t('header.signOut')}</Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar
        p="sm"
        aria-label={t('nav.label')}
        className="cd-navbar"
        data-collapsed={opened ? undefined : true}
      >
        <AppShell.Section hiddenFrom="sm" mb="sm">
          <SearchBox onDone={close} />
        </AppShell.Section>
        <AppShell.Section>
          <Button component={Link} to="/tickets/new" fullWidth onClick={close} mb="sm">
            {t('nav.newTicket')}
          </Button>
        </AppShell.Section>
        <AppShell.Section grow component={ScrollArea}>
          <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" mb={4}>
            {t('nav.queues')}
          </Text>
          {queues.map((q) => (
            <QueueLink
              key={q}
              queue={q}
              count={counts.data?.[q]}
              active={path === `/queues/${q}`}
              onClick={close}
            />
          ))}
          <NavLink component={Link} to="/chat" label={t('nav.chat')} active={path === '/chat'} onClick={close} />
          <Divider my="sm" />
          <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" mb={4}>
            {t('nav.customers')}
          </Text>
          <NavLink
            component={Link}
            to="/contacts"
            label={t('nav.contacts')}
            active={path.startsWith('/contacts')}
            onClick={close}
          />
          <NavLink
            component={Link}
            to="/accounts"
            label={t('nav.accounts')}
            active={path.startsWith('/accounts')}
            onClick={close}
          />
          <NavLink
            component={Link}
            to="/key-accounts"
            label={t('nav.keyAccounts')}
            active={path === '/key-accounts'}
            onClick={close}
          />
          {(hasRole(me, 'admin') || hasRole(me, 'manager')) && (
            <NavLink
              component={Link}
              to="/key-accounts/revenue"
              label={t('nav.revenue')}
              active={path.startsWith('/key-accounts/revenue')}
              onClick={close}
            />
          )}
          {(hasRole(me, 'admin') || hasRole(me, 'manager') || hasRole(me, 'supervisor')) && (
            <>
              <Divider my="sm" />
              <NavLink
                component={Link}
                to="/reports"
                label={t('nav.reports')}
                active={path.startsWith('/reports')}
                onClick={close}
              />
            </>
          )}
          {hasRole(me, 'admin') && (
            <>
              <Divider my="sm" />
              <NavLink
                component={Link}
                to="/admin/users"
                label={t('nav.admin')}
                active={path.startsWith('/admin')}
                onClick={close}
              />
            </>
          )}
        </AppShell.Section>
        <AppShell.Section hiddenFrom="xs">
          <Divider my="sm" />
          <Text size="sm" px="sm">
            {me.name}
          </Text>
          <NavLink component="button" label={t('header.signOut')} onClick={() => signOut.mutate()} />
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main>
        <Outlet />
        <ScreenPops />
      </AppShell.Main>
    </AppShell>
  );
}
