import { Anchor, Badge, Group, Loader, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { LineChart } from '@mantine/charts';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { AccountOverviewT } from '@caredesk/contracts';
import { ErrorState } from '../../shared/ui/errors';
import { StatusBadge } from '../../shared/ui/badges';
import { useLabels } from '../../shared/ui/labels';
import { useAccountOverview } from './queries';
import { AccountCare } from './AccountCare';

type TicketRow = AccountOverviewT['openTickets'][number];

function Tickets({ items, testId }: { items: TicketRow[]; testId: string }) {
  const { t } = useTranslation();
  const l = useLabels();
  if (!items.length) return <Text c="dimmed">{t('keyAccounts.noTickets')}</Text>;
  return (
    <Table.ScrollContainer minWidth={500}>
      <Table data-testid={testId}>
        <Table.Tbody>
          {items.map((x) => (
            <Table.Tr key={x.id}>
              <Table.Td>
                <Anchor component={Link} to={`/tickets/${x.number}`}>
                  #{x.number}
                </Anchor>
              </Table.Td>
              <Table.Td>{x.subject}</Table.Td>
              <Table.Td>
                <Badge variant="outline" size="sm">
                  {l.channel(x.channel)}
                </Badge>
              </Table.Td>
              <Table.Td>
                <StatusBadge status={x.status as never} />
              </Table.Td>
              <Table.Td>{x.groupName ?? '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The customer 360 parts of the account page: key-account status, rank history, revenue, tickets. */
export function AccountKeyPanel({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const o = useAccountOverview(accountId);
  if (o.isPending) return <Loader size="sm" />;
  if (o.error) return <ErrorState error={o.error} />;
  const d = o.data;
  const chart = d.revenue.filter((r) => r.converted !== null).map((r) => ({ month: r.month, revenue: r.converted }));
  return (
    <Stack>
      <Group>
        <Badge color={d.keyAccount ? 'grape' : 'gray'} size="lg" data-testid="key-account-status">
          {d.keyAccount ? t('keyAccounts.isKeyAccount') : t('keyAccounts.notKeyAccount')}
        </Badge>
        {d.rankHistory[0] && <Text size="sm">{t('keyAccounts.rankIn', { rank: d.rankHistory[0].rank, month: d.rankHistory[0].month })}</Text>}
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Paper withBorder p="md" radius="md">
          <Text fw={600} mb="xs">
            {t('keyAccounts.revenueChart', { currency: d.baseCurrency })}
          </Text>
          {chart.length ? (
            // Time runs left to right in both languages, as on Finance's own charts.
            <div dir="ltr" data-testid="revenue-chart">
              <LineChart h={220} data={chart} dataKey="month" series={[{ name: 'revenue', label: t('keyAccounts.revenue'), color: 'grape.6' }]} curveType="monotone" withDots />
            </div>
          ) : (
            <Text c="dimmed">{t('keyAccounts.noRevenue')}</Text>
          )}
        </Paper>
        <Paper withBorder p="md" radius="md">
          <Text fw={600} mb="xs">
            {t('keyAccounts.rankHistory')}
          </Text>
          {d.rankHistory.length ? (
            <Table data-testid="rank-history">
              <Table.Tbody>
                {d.rankHistory.slice(0, 12).map((h) => (
                  <Table.Tr key={h.month}>
                    <Table.Td className="cd-ltr">{h.month}</Table.Td>
                    <Table.Td>#{h.rank}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          ) : (
            <Text c="dimmed">{t('keyAccounts.neverRanked')}</Text>
          )}
        </Paper>
      </SimpleGrid>
      <AccountCare accountId={accountId} />
      <Title order={3}>{t('keyAccounts.openTicketsTitle')}</Title>
      <Tickets items={d.openTickets} testId="account-open-tickets" />
      <Title order={3}>{t('keyAccounts.recentTickets')}</Title>
      <Tickets items={d.recentTickets} testId="account-recent-tickets" />
    </Stack>
  );
}
