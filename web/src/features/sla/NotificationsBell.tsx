import { ActionIcon, Badge, Button, Group, Indicator, Popover, ScrollArea, Stack, Text, UnstyledButton } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useEffect, useState } from 'react';
import { staffSocket, useStaffSocket, useTopic } from '../../shared/realtime';
import { useCurrentUser } from '../auth/session';
import type { KeyAccountNotificationT, SlaNotificationT } from '@caredesk/contracts';
import { get, post } from '../../shared/api/client';
import { notifyError } from '../../shared/ui/errors';
import { formatDateTime, formatMonth } from '../../shared/ui/labels';

export const NOTIFICATIONS_KEY = ['sla', 'notifications'] as const;
const KEY_ACCOUNT_NOTIFICATIONS_KEY = ['key-accounts', 'notifications'] as const;
/**
 * The server pushes `sla.notification` on the user's own topic and the list is re-read at once;
 * the poll only covers a socket that is down.
 */
const POLL_MS = 20_000;
const POLL_CONNECTED_MS = 5 * 60_000;

function BellIcon() {
  return (
    <svg width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
      <path d="M13.73 21a2 2 0 0 1-3.46 0" />
    </svg>
  );
}

/** One line of the bell: an escalation on a ticket, or an account entering or leaving the key accounts. */
type Item = { kind: 'sla'; at: string; n: SlaNotificationT } | { kind: 'key_account'; at: string; n: KeyAccountNotificationT };

/**
 * The signed-in user's notifications: SLA escalations and key-account changes, unread count on
 * the bell, the latest first in one list.
 */
export function NotificationsBell() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [opened, setOpened] = useState(false);
  const me = useCurrentUser();
  const up = useStaffSocket();
  const refresh = () => Promise.all([qc.invalidateQueries({ queryKey: NOTIFICATIONS_KEY }), qc.invalidateQueries({ queryKey: KEY_ACCOUNT_NOTIFICATIONS_KEY })]);
  useTopic(`user:${me.id}`, (e) => {
    if (e.type === 'sla.notification') void qc.invalidateQueries({ queryKey: NOTIFICATIONS_KEY });
    if (e.type === 'key_accounts.notification') void qc.invalidateQueries({ queryKey: KEY_ACCOUNT_NOTIFICATIONS_KEY });
  });
  // Events sent while the socket was down are not replayed: re-read after a reconnect or resync.
  useEffect(() => staffSocket.onFrame((f) => (f.type === 'open' || f.type === 'resync') && void refresh()), [qc]);
  const sla = useQuery({
    queryKey: NOTIFICATIONS_KEY,
    queryFn: () => get<{ items: SlaNotificationT[] }>('/notifications'),
    refetchInterval: up ? POLL_CONNECTED_MS : POLL_MS,
  });
  const keyAccounts = useQuery({
    queryKey: KEY_ACCOUNT_NOTIFICATIONS_KEY,
    queryFn: () => get<{ items: KeyAccountNotificationT[] }>('/key-accounts/notifications'),
    refetchInterval: up ? POLL_CONNECTED_MS : POLL_MS,
  });
  const items: Item[] = [
    ...(sla.data?.items ?? []).map((n) => ({ kind: 'sla' as const, at: n.createdAt, n })),
    ...(keyAccounts.data?.items ?? []).map((n) => ({ kind: 'key_account' as const, at: n.createdAt, n })),
  ].sort((a, b) => b.at.localeCompare(a.at));
  const unread = items.filter((i) => !i.n.readAt).length;
  const markRead = useMutation({
    mutationFn: (i: Item) => post(i.kind === 'sla' ? `/notifications/${i.n.id}/read` : `/key-accounts/notifications/${i.n.id}/read`),
    onSuccess: refresh,
    onError: (e) => notifyError(e, t),
  });
  const markAll = useMutation({
    mutationFn: () => Promise.all([post('/notifications/read-all'), post('/key-accounts/notifications/read-all')]),
    onSuccess: refresh,
    onError: (e) => notifyError(e, t),
  });

  const open = (i: Item) => {
    if (!i.n.readAt) markRead.mutate(i);
    setOpened(false);
    navigate(i.kind === 'sla' ? `/tickets/${i.n.ticketNumber}` : `/accounts/${i.n.accountId}`);
  };

  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" width={340} withinPortal shadow="md">
      <Popover.Target>
        <Indicator label={unread} size={16} disabled={!unread} color="red" offset={4} data-testid="notifications-count" data-count={unread}>
          <ActionIcon
            variant="subtle"
            size="lg"
            onClick={() => setOpened((o) => !o)}
            aria-label={t('notifications.bell', { count: unread })}
            data-testid="notifications-bell"
          >
            <BellIcon />
          </ActionIcon>
        </Indicator>
      </Popover.Target>
      <Popover.Dropdown p="xs" data-testid="notifications-panel">
        <Group justify="space-between" mb="xs">
          <Text fw={600}>{t('notifications.title')}</Text>
          {unread > 0 && (
            <Button size="compact-xs" variant="subtle" onClick={() => markAll.mutate()} loading={markAll.isPending}>
              {t('notifications.markAll')}
            </Button>
          )}
        </Group>
        {!items.length && (
          <Text c="dimmed" size="sm">
            {t('notifications.empty')}
          </Text>
        )}
        <ScrollArea.Autosize mah={360}>
          <Stack gap={4}>
            {items.map((i) => (
              <UnstyledButton
                key={`${i.kind}:${i.n.id}`}
                onClick={() => open(i)}
                p={6}
                style={{ borderRadius: 4, background: i.n.readAt ? undefined : 'var(--mantine-color-orange-light)' }}
                data-testid="notification-item"
                data-kind={i.kind}
                data-unread={i.n.readAt ? undefined : 'true'}
              >
                <Group justify="space-between" wrap="nowrap" gap="xs">
                  <Text size="sm" fw={i.n.readAt ? 400 : 600} lineClamp={i.kind === 'sla' ? 1 : 2}>
                    {i.kind === 'sla'
                      ? `#${i.n.ticketNumber} ${i.n.subject}`
                      : t(i.n.change === 'entered' ? 'keyAccounts.noteEntered' : 'keyAccounts.noteLeft', { name: i.n.accountName, month: formatMonth(i.n.month, i18n.language) })}
                  </Text>
                  {!i.n.readAt && (
                    // Never squeezed by a long line beside it ("New" was cut to "جـ…" in Arabic).
                    <Badge size="xs" color="orange" style={{ flexShrink: 0 }}>
                      {t('notifications.new')}
                    </Badge>
                  )}
                </Group>
                <Text size="xs" c="dimmed">
                  {i.kind === 'sla'
                    ? `${t('notifications.line', { target: t(`sla.target.${i.n.target}`), step: i.n.stepKey })}${i.n.dueAt ? ` · ${t('sla.dueAt', { at: formatDateTime(i.n.dueAt, i18n.language) })}` : ''}`
                    : `${t('notifications.keyAccounts')} · ${formatDateTime(i.n.createdAt, i18n.language)}`}
                </Text>
              </UnstyledButton>
            ))}
          </Stack>
        </ScrollArea.Autosize>
      </Popover.Dropdown>
    </Popover>
  );
}
