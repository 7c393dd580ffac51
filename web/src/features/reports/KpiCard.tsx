import { Paper, Text, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { KpiT } from '@caredesk/contracts';
import { formatChange, formatValue, HIGHER_IS_BETTER } from './format';

/** One KPI with its value, the previous period's, and the change coloured by whether it is good news. */
export function KpiCard({ kpi, to, compareLabel }: { kpi: KpiT; to?: string; compareLabel: string }) {
  const { t, i18n } = useTranslation();
  const good = HIGHER_IS_BETTER[kpi.metric];
  const color = kpi.change === null || kpi.change === 0 || good === undefined ? 'dimmed' : (kpi.change > 0) === good ? 'teal' : 'red';
  const body = (
    <Paper withBorder p="sm" radius="md" data-testid={`kpi-${kpi.metric}`} h="100%">
      <Text size="xs" c="dimmed" fw={600}>
        {t(`reports.metric.${kpi.metric}`)}
      </Text>
      <Text size="xl" fw={700} data-testid="kpi-value">
        {formatValue(kpi.value, kpi.unit, t, i18n.language)}
      </Text>
      <Text size="xs" c={color}>
        {formatChange(kpi.change, kpi.unit, t, i18n.language)}{' '}
        <Text span c="dimmed" size="xs">
          {t('reports.compare', { period: compareLabel, value: formatValue(kpi.previous, kpi.unit, t, i18n.language) })}
        </Text>
      </Text>
    </Paper>
  );
  return to ? (
    <UnstyledButton component={Link} to={to} aria-label={t(`reports.metric.${kpi.metric}`)}>
      {body}
    </UnstyledButton>
  ) : (
    body
  );
}
