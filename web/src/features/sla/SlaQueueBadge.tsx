import { Badge, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { SlaQueueItemT } from '@caredesk/contracts';
import { get } from '../../shared/api/client';
import { formatDateTime } from '../../shared/ui/labels';

export const STATE_COLOR: Record<string, string> = { on_track: 'green', at_risk: 'orange', breached: 'red', met: 'teal', paused: 'gray' };

/**
 * Each visible open ticket's next deadline, by ticket id. One request for the whole list rather
 * than one per row; 200 is the API's ceiling, so a ticket beyond it simply shows no badge.
 */
export function useSlaByTicket() {
  const q = useQuery({
    queryKey: ['sla', 'queue'],
    queryFn: () => get<{ items: SlaQueueItemT[] }>('/sla/queue', { limit: 200 }),
    // Deadlines cross into at-risk and breached without any ticket changing.
    refetchInterval: 60_000,
  });
  const map = new Map<string, SlaQueueItemT>();
  for (const it of q.data?.items ?? []) map.set(it.ticketId, it);
  return map;
}

export function SlaQueueBadge({ item }: { item: SlaQueueItemT | undefined }) {
  const { t, i18n } = useTranslation();
  if (!item) return <Text c="dimmed">—</Text>;
  return (
    <Stack gap={0} data-testid="sla-queue-cell">
      <Badge color={STATE_COLOR[item.state]} data-testid="sla-queue-badge" style={{ whiteSpace: 'nowrap' }}>
        {t(`sla.state.${item.state}`)}
      </Badge>
      <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
        {t(`sla.target.${item.target}`)} · {formatDateTime(item.dueAt, i18n.language)}
      </Text>
    </Stack>
  );
}
