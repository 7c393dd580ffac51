import { Anchor, Badge, Group, Paper, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Call } from '../../shared/api/types';
import { ErrorState } from '../../shared/ui/errors';
import { useLabels } from '../../shared/ui/labels';
import { useReasonCodes } from '../tickets/reference';
import { useCalls } from './queries';

/** m:ss, in Latin digits and left to right in both languages, like a phone shows it. */
export const clock = (s: number) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;

export function CallLine({ call }: { call: Call }) {
  const { t } = useTranslation();
  const l = useLabels();
  const reasons = useReasonCodes(true);
  const reason = call.reasonCodeId ? reasons.data?.find((r) => r.id === call.reasonCodeId) : undefined;
  const done = call.checklist.filter((c) => c.checked).length;
  return (
    <Paper withBorder p="sm" radius="md" data-testid="call-row" data-direction={call.direction}>
      <Group justify="space-between" gap="xs" wrap="wrap">
        <Group gap="xs">
          <Badge variant="light" color={call.direction === 'inbound' ? 'teal' : 'indigo'}>
            {t(`phone.${call.direction}`)}
          </Badge>
          <Text size="sm" className="cd-ltr" span>
            <bdi>{call.number}</bdi>
          </Text>
          <Text size="sm" c="dimmed" span>
            <bdi>{clock(call.durationSeconds)}</bdi>
          </Text>
          <Badge variant="outline">{t(`phone.outcomes.${call.outcome}`)}</Badge>
          {reason && <Badge variant="dot">{l.name(reason)}</Badge>}
          {call.checklist.length > 0 && (
            <Text size="xs" c="dimmed">
              {t('phone.checked', { done, total: call.checklist.length })}
            </Text>
          )}
        </Group>
        <Group gap="xs">
          {call.ticket && (
            <Anchor component={Link} to={`/tickets/${call.ticket.number}`} size="sm">
              #{call.ticket.number}
            </Anchor>
          )}
          <Text size="xs" c="dimmed">
            {call.agent ? `${t('phone.by', { name: call.agent.name })} · ` : ''}
            <bdi>{l.dateTime(call.createdAt)}</bdi>
          </Text>
        </Group>
      </Group>
      {call.notes && (
        <Text size="sm" mt={6} style={{ whiteSpace: 'pre-wrap' }}>
          {call.notes}
        </Text>
      )}
    </Paper>
  );
}

export function CallsList({ contactId }: { contactId: string }) {
  const { t } = useTranslation();
  const calls = useCalls({ contactId });
  if (calls.error) return <ErrorState error={calls.error} />;
  return (
    <Stack gap="xs" data-testid="calls-list">
      {calls.data?.length === 0 && (
        <Text c="dimmed" size="sm">
          {t('phone.noCalls')}
        </Text>
      )}
      {(calls.data ?? []).map((c) => (
        <CallLine key={c.id} call={c} />
      ))}
    </Stack>
  );
}
