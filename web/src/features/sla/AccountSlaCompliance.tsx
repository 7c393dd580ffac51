import { intlLocale } from '../../shared/ui/labels';
import { Badge, Group, Paper, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { AccountSlaComplianceT } from '@caredesk/contracts';
import { get } from '../../shared/api/client';

const DAYS = 90;

/** The customer 360's service-level line: how often this account's targets were met lately. */
export function AccountSlaCompliance({ accountId }: { accountId: string }) {
  const { t, i18n } = useTranslation();
  const q = useQuery({
    queryKey: ['account', accountId, 'sla-compliance', DAYS],
    queryFn: () => get<AccountSlaComplianceT>(`/accounts/${accountId}/sla-compliance?days=${DAYS}`),
  });
  if (!q.data) return null;
  const percent = new Intl.NumberFormat(intlLocale(i18n.language), { style: 'percent', maximumFractionDigits: 0 });
  return (
    <Paper withBorder p="md" radius="md" data-testid="account-sla-compliance">
      <Text fw={600} mb="xs">
        {t('sla.compliance.title', { days: DAYS })}
      </Text>
      {!q.data.targets.length && <Text c="dimmed">{t('sla.compliance.none')}</Text>}
      <Stack gap={4}>
        {q.data.targets.map((r) => (
          <Group key={r.target} justify="space-between" wrap="nowrap">
            <Text>{t(`sla.target.${r.target}`)}</Text>
            <Group gap="xs" wrap="nowrap">
              <Text size="sm" c="dimmed">
                {t('sla.compliance.counts', { met: r.met, breached: r.breached })}
              </Text>
              {r.compliance !== null && (
                <Badge color={r.compliance >= 0.9 ? 'teal' : r.compliance >= 0.75 ? 'orange' : 'red'}>{percent.format(r.compliance)}</Badge>
              )}
            </Group>
          </Group>
        ))}
      </Stack>
    </Paper>
  );
}
