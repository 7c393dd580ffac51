import { useState } from 'react';
import { Anchor, Badge, CloseButton, Group, Paper, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { StatusBadge } from '../../shared/ui/badges';
import type { TicketStatus } from '../../shared/api/types';
import { useScreenPops } from './queries';

/** The caller the phone system is ringing through to this agent, with their open tickets. */
export function ScreenPops() {
  const { t } = useTranslation();
  const pops = useScreenPops(true);
  const [dismissed, setDismissed] = useState<string[]>([]);
  const shown = (pops.data ?? []).filter((p) => !dismissed.includes(p.callId)).slice(0, 2);
  if (!shown.length) return null;
  return (
    // Logical inset: the corner at the end of the reading direction, in English and Arabic alike.
    <div style={{ position: 'fixed', bottom: 16, insetInlineEnd: 16, zIndex: 300 }}>
      <Stack gap="xs" maw={360}>
        {shown.map((p) => (
          <Paper key={p.callId} withBorder shadow="md" p="sm" radius="md" data-testid="screen-pop">
            <Group justify="space-between" wrap="nowrap">
              <Group gap="xs">
                <Text fw={600}>{t('phone.screenPop')}</Text>
                <Badge size="sm" color={p.state === 'ringing' ? 'orange' : 'teal'}>
                  {t(`phone.screenPopState.${p.state}`)}
                </Badge>
              </Group>
              <CloseButton aria-label={t('phone.dismiss')} onClick={() => setDismissed((d) => [...d, p.callId])} />
            </Group>
            <Text size="sm" className="cd-ltr">
              <bdi>{p.number}</bdi>
            </Text>
            {p.contact ? (
              <Anchor component={Link} to={`/contacts/${p.contact.id}`} size="sm">
                {p.contact.name}
              </Anchor>
            ) : (
              <Text size="sm" c="dimmed">
                {t('phone.unknownCaller')}
              </Text>
            )}
            {p.contact && (
              <Stack gap={2} mt={4}>
                <Text size="xs" c="dimmed">
                  {p.openTickets.length ? t('phone.openTickets') : t('phone.noOpenTickets')}
                </Text>
                {p.openTickets.map((tk) => (
                  <Group key={tk.id} gap={6} wrap="nowrap">
                    <StatusBadge status={tk.status as TicketStatus} />
                    <Anchor component={Link} to={`/tickets/${tk.number}`} size="sm" lineClamp={1}>
                      #{tk.number} {tk.subject}
                    </Anchor>
                  </Group>
                ))}
              </Stack>
            )}
          </Paper>
        ))}
      </Stack>
    </div>
  );
}
