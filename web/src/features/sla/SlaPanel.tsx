import { Badge, Card, Group, Spoiler, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { TicketSlaT } from '@caredesk/contracts';
import { get } from '../../shared/api/client';
import { formatDateTime } from '../../shared/ui/labels';

const STATE_COLOR: Record<string, string> = { on_track: 'green', at_risk: 'orange', breached: 'red', met: 'teal', paused: 'gray' };

/** Each service-level clock of a ticket, counting down in business time, with why it is due when it is. */
export function SlaPanel({ ticketId }: { ticketId: string }) {
  const { t, i18n } = useTranslation();
  const sla = useQuery({
    queryKey: ['ticket', ticketId, 'sla'],
    queryFn: () => get<TicketSlaT>(`/tickets/${ticketId}/sla`),
    // Business minutes left change only while the calendar is open; the server recounts them.
    refetchInterval: 30_000,
  });
  const lng = i18n.language;
  const span = (minutes: number) => {
    const m = Math.max(0, Math.round(minutes));
    return m >= 60 ? t('sla.hoursMinutes', { h: Math.floor(m / 60), m: m % 60 }) : t('sla.minutes', { m });
  };
  if (!sla.data) return null;
  return (
    <Card withBorder padding="sm" data-testid="sla-panel">
      <Stack gap="xs">
        <Title order={4}>{t('sla.title')}</Title>
        {!sla.data.clocks.length && <Text c="dimmed">{t('sla.none')}</Text>}
        {sla.data.clocks.map((c) => {
          const e = c.explanation;
          return (
            <Stack key={`${c.target}-${c.cycle}`} gap={2} data-testid={`sla-clock-${c.target}`}>
              <Group justify="space-between" wrap="nowrap">
                <Text fw={600}>{t(`sla.target.${c.target}`)}</Text>
                <Badge color={STATE_COLOR[c.state]} data-testid="sla-state">
                  {t(`sla.state.${c.state}`)}
                </Badge>
              </Group>
              <Text size="sm" data-testid="sla-countdown">
                {c.state === 'breached' && c.breachedAt
                  ? t('sla.over', { at: formatDateTime(c.breachedAt, lng) })
                  : c.state === 'met' && c.stoppedAt
                    ? t('sla.metAt', { at: formatDateTime(c.stoppedAt, lng) })
                    : t('sla.left', { time: span(e.businessMinutesLeft) })}
              </Text>
              <Text size="xs" c="dimmed">
                {c.dueAt ? t('sla.dueAt', { at: formatDateTime(c.dueAt, lng) }) : t('sla.pausedNoDue')}
              </Text>
              <Spoiler maxHeight={0} showLabel={t('sla.explain')} hideLabel={t('sla.explain')}>
                <Stack gap={0}>
                  <Text size="xs">{e.policy ? t('sla.policy', { name: e.policy.name }) : t('sla.noPolicy')}</Text>
                  <Text size="xs">{t('sla.calendar', { name: e.calendar.name })}</Text>
                  <Text size="xs">{t('sla.targetAmount', { amount: e.target.amount, unit: t(`sla.unit.${e.target.unit}`) })}</Text>
                  <Text size="xs">{t('sla.start', { at: formatDateTime(e.startAt, lng) })}</Text>
                  <Text size="xs">{t('sla.used', { used: span(e.businessMinutesUsed), left: span(e.businessMinutesLeft) })}</Text>
                  {c.pausedMinutes > 0 && <Text size="xs">{t('sla.pausedFor', { time: span(c.pausedMinutes) })}</Text>}
                </Stack>
              </Spoiler>
            </Stack>
          );
        })}
      </Stack>
    </Card>
  );
}
