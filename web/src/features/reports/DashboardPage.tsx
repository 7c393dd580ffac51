import { Alert, Anchor, Badge, Group, Loader, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useLabels } from '../../shared/ui/labels';
import { errorMessage } from '../../shared/ui/errors';
import { KpiCard } from './KpiCard';
import { useLiveDashboard } from './queries';

/** The live dashboard: queues, clocks about to breach, who is working and how loaded, today's KPIs. */
export default function DashboardPage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const live = useLiveDashboard();
  if (live.isPending) return <Loader />;
  if (live.isError) return <Alert color="red">{errorMessage(live.error, t)}</Alert>;
  const d = live.data;
  return (
    <Stack data-testid="reports-dashboard">
      <Group justify="space-between">
        <Title order={2}>{t('reports.dashboard.title')}</Title>
        <Group gap="xs">
          <Text size="sm" c="dimmed" data-testid="live-updated">
            {t('reports.dashboard.updated', { time: labels.dateTime(d.at), seconds: d.refreshSeconds })}
          </Text>
          <Anchor component={Link} to="/reports/resolution_time" data-testid="open-reports">
            {t('reports.dashboard.openReports')}
          </Anchor>
          <Anchor component={Link} to="/reports/archive" data-testid="open-report-archive">
            {t('reportsArchive.open')}
          </Anchor>
        </Group>
      </Group>

      <Text fw={600}>{t('reports.dashboard.today')}</Text>
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 7 }}>
        {d.today.map((k) => (
          <KpiCard key={k.metric} kpi={k} to={`/reports/${k.metric}`} compareLabel={t('reports.yesterday')} />
        ))}
      </SimpleGrid>

      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Paper withBorder p="md" radius="md">
          <Text fw={600} mb="xs">
            {t('reports.dashboard.queues')}
          </Text>
          <Table data-testid="live-queues">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('reports.filter.group')}</Table.Th>
                <Table.Th>{labels.status('new')}</Table.Th>
                <Table.Th>{labels.status('open')}</Table.Th>
                <Table.Th>{labels.status('pending')}</Table.Th>
                <Table.Th>{labels.status('on-hold')}</Table.Th>
                <Table.Th>{t('reports.dashboard.total')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {d.queues.map((q) => (
                <Table.Tr key={q.groupId}>
                  <Table.Td>{q.name}</Table.Td>
                  <Table.Td>{q.new}</Table.Td>
                  <Table.Td>{q.open}</Table.Td>
                  <Table.Td>{q.pending}</Table.Td>
                  <Table.Td>{q.onHold}</Table.Td>
                  <Table.Td fw={700}>{q.total}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>

        <Paper withBorder p="md" radius="md">
          <Group justify="space-between" mb="xs">
            <Text fw={600}>{t('reports.dashboard.atRisk')}</Text>
            <Group gap={4}>
              <Badge color="orange">{t('reports.dashboard.atRiskCount', { count: d.atRiskCount })}</Badge>
              <Badge color="red">{t('reports.dashboard.breachedCount', { count: d.breachedCount })}</Badge>
            </Group>
          </Group>
          {!d.atRisk.length && <Text c="dimmed">{t('reports.dashboard.noneAtRisk')}</Text>}
          <Stack gap={4} data-testid="live-at-risk">
            {d.atRisk.map((r) => (
              <Group key={`${r.ticketId}-${r.target}`} justify="space-between" wrap="nowrap">
                <Anchor component={Link} to={`/tickets/${r.number}`} truncate>
                  #{r.number} {r.subject}
                </Anchor>
                <Group gap={4} wrap="nowrap">
                  <Text size="xs" c="dimmed">
                    {t(`sla.target.${r.target}`, { defaultValue: r.target })} · {labels.relative(r.dueAt)}
                  </Text>
                  <Badge size="sm" color={r.state === 'breached' ? 'red' : 'orange'}>
                    {t(`reports.dashboard.state.${r.state}`)}
                  </Badge>
                </Group>
              </Group>
            ))}
          </Stack>
        </Paper>
      </SimpleGrid>

      <Paper withBorder p="md" radius="md">
        <Text fw={600} mb="xs">
          {t('reports.dashboard.agents')}
        </Text>
        <Table data-testid="live-agents">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('reports.filter.agent')}</Table.Th>
              <Table.Th>{t('reports.dashboard.presence')}</Table.Th>
              <Table.Th>{t('reports.dashboard.load')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {d.agents.map((a) => (
              <Table.Tr key={a.id}>
                <Table.Td>{a.name}</Table.Td>
                <Table.Td>
                  <Badge size="sm" color={a.online ? 'teal' : a.away ? 'yellow' : 'gray'}>
                    {t(a.online ? 'reports.dashboard.online' : a.away ? 'reports.dashboard.away' : 'reports.dashboard.offline')}
                  </Badge>
                </Table.Td>
                <Table.Td>{a.load}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
    </Stack>
  );
}
