import { useEffect, useState } from 'react';
import { Badge, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { SlaQueueItemT, SlaQueueT } from '@caredesk/contracts';
import { get } from '../../shared/api/client';
import { formatDateTime } from '../../shared/ui/labels';

export const STATE_COLOR: Record<string, string> = { on_track: 'green', at_risk: 'orange', breached: 'red', met: 'teal', paused: 'gray' };

export interface SlaByTicket {
  get(ticketId: string): SlaQueueItemT | undefined;
  /** The server's SLA clock now, in milliseconds (it may run ahead of this browser's, e.g. in tests). */
  now(): number;
}

/**
 * Each visible open ticket's next deadline, by ticket id. One request for the whole list rather
 * than one per row; 200 is the API's ceiling, so a ticket beyond it simply shows no badge.
 */
export function useSlaByTicket(): SlaByTicket {
  const q = useQuery({
    queryKey: ['sla', 'queue'],
    queryFn: async () => {
      const res = await get<SlaQueueT>('/sla/queue', { limit: 200 });
      return { ...res, skew: Date.parse(res.now) - Date.now() };
    },
    // Deadlines cross into at-risk and breached without any ticket changing.
    refetchInterval: 30_000,
  });
  const map = new Map<string, SlaQueueItemT>();
  for (const it of q.data?.items ?? []) map.set(it.ticketId, it);
  const skew = q.data?.skew ?? 0;
  return { get: (id) => map.get(id), now: () => Date.now() + skew };
}

/** Re-renders every `ms` so countdowns move between fetches. */
function useTick(ms: number) {
  const [, setN] = useState(0);
  useEffect(() => {
    const id = setInterval(() => setN((n) => n + 1), ms);
    return () => clearInterval(id);
  }, [ms]);
}

export function SlaQueueBadge({ item, now }: { item: SlaQueueItemT | undefined; now: () => number }) {
  const { t, i18n } = useTranslation();
  useTick(30_000);
  if (!item) return <Text c="dimmed">—</Text>;
  const left = Math.round((Date.parse(item.dueAt) - now()) / 60_000);
  const span = (m: number) => (m >= 60 ? t('sla.hoursMinutes', { h: Math.floor(m / 60), m: m % 60 }) : t('sla.minutes', { m }));
  return (
    <Stack gap={0} data-testid="sla-queue-cell">
      <Badge color={STATE_COLOR[item.state]} data-testid="sla-queue-badge" style={{ whiteSpace: 'nowrap' }}>
        {t(`sla.state.${item.state}`)}
      </Badge>
      {item.state !== 'paused' && (
        <Text size="xs" fw={600} c={left < 0 ? 'red' : undefined} style={{ whiteSpace: 'nowrap' }} data-testid="sla-queue-countdown">
          {left < 0 ? t('sla.overdueBy', { time: span(-left) }) : t('sla.dueIn', { time: span(left) })}
        </Text>
      )}
      <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
        {t(`sla.target.${item.target}`)} · {formatDateTime(item.dueAt, i18n.language)}
      </Text>
    </Stack>
  );
}
