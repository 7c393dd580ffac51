import { ActionIcon, Badge, Button, Group, Indicator, Popover, ScrollArea, Stack, Text, UnstyledButton } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useEffect, useState } from 'react';
import { staffSocket, useStaffSocket, useTopic } from '../../shared/realtime';
import { useCurrentUser } from '../auth/session';
import type { SlaNotificationT } from '@caredesk/contracts';
import { get, post } from '../../shared/api/client';
import { notifyError } from '../../shared/ui/errors';
import { formatDateTime } from '../../shared/ui/labels';

export const NOTIFICATIONS_KEY = ['sla', 'notifications'] as const;
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

/** Escalation notifications of the signed-in user: unread count on the bell, the latest in a list. */
export function NotificationsBell() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [opened, setOpened] = useState(false);
  const me = useCurrentUser();
  const up = useStaffSocket();
  useTopic(`user:${me.id}`, (e) => e.type === 'sla.notification' && void qc.invalidateQueries({ queryKey: NOTIFICATIONS_KEY }));
  // Events sent while the socket was down are not replayed: re-read after a reconnect or resync.
  useEffect(() => staffSocket.onFrame((f) => (f.type === 'open' || f.type === 'resync') && void qc.invalidateQueries({ queryKey: NOTIFICATIONS_KEY })), [qc]);
  const list = useQuery({
    queryKey: NOTIFICATIONS_KEY,
    queryFn: () => get<{ items: SlaNotificationT[] }>('/notifications'),
    refetchInterval: up ? POLL_CONNECTED_MS : POLL_MS,
  });
  const items = list.data?.items ?? [];
  const unread = items.filter((n) => !n.readAt).length;
  const refresh = () => qc.invalidateQueries({ queryKey: NOTIFICATIONS_KEY });
  const markRead = useMutation({ mutationFn: (id: string) => post(`/notifications/${id}/read`), onSuccess: refresh, onError: (e) => notifyError(e, t) });
  const markAll = useMutation({ mutationFn: () => post('/notifications/read-all'), onSuccess: refresh, onError: (e) => notifyError(e, t) });

  const open = (n: SlaNotificationT) => {
    if (!n.readAt) markRead.mutate(n.id);
    setOpened(false);
    navigate(`/tickets/${n.ticketNumber}`);
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
            {items.map((n) => (
              <UnstyledButton
                key={n.id}
                onClick={() => open(n)}
                p={6}
                style={{ borderRadius: 4, background: n.readAt ? undefined : 'var(--mantine-color-orange-light)' }}
                data-testid="notification-item"
                data-unread={n.readAt ? undefined : 'true'}
              >
                <Group justify="space-between" wrap="nowrap" gap="xs">
                  <Text size="sm" fw={n.readAt ? 400 : 600} lineClamp={1}>
                    #{n.ticketNumber} {n.subject}
                  </Text>
                  {!n.readAt && (
                    <Badge size="xs" color="orange">
                      {t('notifications.new')}
                    </Badge>
                  )}
                </Group>
                <Text size="xs" c="dimmed">
                  {t('notifications.line', { target: t(`sla.target.${n.target}`), step: n.stepKey })}
                  {n.dueAt ? ` · ${t('sla.dueAt', { at: formatDateTime(n.dueAt, i18n.language) })}` : ''}
                </Text>
              </UnstyledButton>
            ))}
          </Stack>
        </ScrollArea.Autosize>
      </Popover.Dropdown>
    </Popover>
  );
}
