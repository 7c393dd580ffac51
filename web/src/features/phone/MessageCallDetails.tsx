import { Badge, Button, Group, List, Text, ThemeIcon } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../shared/api/client';
import { notifyError, notifySuccess } from '../../shared/ui/errors';
import { useTranslation } from 'react-i18next';
import type { MessageCall, MessageSocial } from '../../shared/api/types';
import { clock } from './CallsList';

/** What a timeline message records about a call: direction, number, length, outcome, checklist. */
export function MessageCallDetails({ call }: { call: MessageCall }) {
  const { t } = useTranslation();
  return (
    <Group gap="xs" mb={6} data-testid="message-call">
      <Badge size="sm" variant="light" color={call.direction === 'inbound' ? 'teal' : 'indigo'}>
        {t(`phone.${call.direction}`)}
      </Badge>
      <Text size="xs" className="cd-ltr" span>
        <bdi>{call.number}</bdi>
      </Text>
      <Text size="xs" c="dimmed" span>
        <bdi>{clock(call.durationSeconds)}</bdi>
      </Text>
      <Badge size="sm" variant="outline">
        {t(`phone.outcomes.${call.outcome}`)}
      </Badge>
      {call.loggedBy && (
        <Text size="xs" c="dimmed">
          {t('phone.by', { name: call.loggedBy.name })}
        </Text>
      )}
      {call.checklist.length > 0 && (
        <List size="xs" spacing={0} w="100%" data-testid="message-call-checklist">
          {call.checklist.map((c) => (
            <List.Item
              key={c.key}
              icon={
                <ThemeIcon size={14} radius="xl" color={c.checked ? 'teal' : 'gray'} variant={c.checked ? 'filled' : 'light'}>
                  <span style={{ fontSize: 9 }}>{c.checked ? '✓' : '–'}</span>
                </ThemeIcon>
              }
            >
              {c.label}
            </List.Item>
          ))}
        </List>
      )}
    </Group>
  );
}

const SOCIAL_COLOR: Record<string, string> = { received: 'gray', queued: 'yellow', sent: 'teal', failed: 'red' };

/** Which platform a message came or went through and, for replies, whether it arrived. */
export function MessageSocialBadge({ social }: { social: MessageSocial }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const resend = useMutation({
    mutationFn: () => api<{ queued: boolean }>(`/social/messages/${social.id}/resend`, { method: 'POST' }),
    onSuccess: () => {
      notifySuccess(t('social.resent'));
      void qc.invalidateQueries({ queryKey: ['ticket'] });
    },
    onError: (e) => notifyError(e, t),
  });
  return (
    <Group gap={4} data-testid="message-social" data-status={social.status}>
      <Text size="xs" c="dimmed">
        {t('social.via', { name: social.connector.name })}
      </Text>
      {social.direction === 'out' && (
        <Badge size="xs" color={SOCIAL_COLOR[social.status] ?? 'gray'} variant="light" title={social.lastError ?? undefined}>
          {t(`social.status.${social.status}`, { defaultValue: social.status })}
        </Badge>
      )}
      {social.direction === 'out' && social.status === 'failed' && (
        <Button size="compact-xs" variant="subtle" loading={resend.isPending} onClick={() => resend.mutate()}>
          {t('social.resend')}
        </Button>
      )}
    </Group>
  );
}
