import { formatMonth, intlLocale } from '../../shared/ui/labels';
import { Anchor, Badge, Center, Group, Loader, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorState } from '../../shared/ui/errors';
import { useContactTasks, useKeyAccountNotifications, useKeyAccounts, useMyKeyAccounts } from './queries';
import { ContactTaskList } from './ContactTasks';
import { hasRole, useCurrentUser } from '../auth/session';

/** The officer's own key accounts first, then the whole month's ranking and what changed. */
export default function KeyAccountsPage() {
  const { t, i18n } = useTranslation();
  const mine = useMyKeyAccounts();
  const ranking = useKeyAccounts();
  const notes = useKeyAccountNotifications();
  const me = useCurrentUser();
  const supervisor = hasRole(me, 'supervisor') || hasRole(me, 'manager') || hasRole(me, 'admin');
  const tasks = useContactTasks('mine');
  const overdue = useContactTasks('overdue', supervisor);
  const money = (n: number) => new Intl.NumberFormat(intlLocale(i18n.language), { maximumFractionDigits: 0 }).format(n);

  if (mine.isPending || ranking.isPending)
    return (
      <Center py="xl">
        <Loader />
      </Center>
    );
  if (mine.error) return <ErrorState error={mine.error} />;
  if (ranking.error) return <ErrorState error={ranking.error} />;

  return (
    <Stack>
      <Title order={2}>{t('keyAccounts.mine')}</Title>
      {mine.data.items.length ? (
        <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} data-testid="my-key-accounts">
          {mine.data.items.map((a) => (
            <Paper key={a.id} withBorder p="md" radius="md">
              <Group justify="space-between">
                <Anchor component={Link} to={`/accounts/${a.id}`} fw={600}>
                  {a.name}
                </Anchor>
                {a.rank !== null && <Badge variant="light">{t('keyAccounts.rank', { rank: a.rank })}</Badge>}
              </Group>
              <Text size="sm" c="dimmed">
                {a.countryCode ?? '—'} · {t('keyAccounts.openTickets', { count: a.openTickets })}
              </Text>
            </Paper>
          ))}
        </SimpleGrid>
      ) : (
        <Text c="dimmed">{t('keyAccounts.noneMine')}</Text>
      )}

      <Title order={3}>{t('care.myTasks')}</Title>
      {tasks.data && <ContactTaskList tasks={tasks.data.items} />}
      {supervisor && overdue.data && (
        <>
          <Title order={3}>{t('care.overdueAll')}</Title>
          <ContactTaskList tasks={overdue.data.items} showOfficer />
        </>
      )}

      <Title order={3}>{ranking.data.month ? t('keyAccounts.rankingOf', { month: formatMonth(ranking.data.month, i18n.language) }) : t('keyAccounts.noRanking')}</Title>
      {ranking.data.items.length > 0 && (
        <Table.ScrollContainer minWidth={600}>
          <Table striped data-testid="key-account-ranking">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>#</Table.Th>
                <Table.Th>{t('accounts.name')}</Table.Th>
                <Table.Th>{t('accounts.country')}</Table.Th>
                <Table.Th>{t('keyAccounts.revenue')}</Table.Th>
                <Table.Th>{t('accounts.officer')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {ranking.data.items.map((r) => (
                <Table.Tr key={r.accountId}>
                  <Table.Td>{r.rank}</Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/accounts/${r.accountId}`}>
                      {r.name}
                    </Anchor>{' '}
                    {r.entered && (
                      <Badge size="xs" color="green">
                        {t('keyAccounts.entered')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{r.countryCode ?? '—'}</Table.Td>
                  <Table.Td>{money(r.revenue)}</Table.Td>
                  <Table.Td>{r.officer?.name ?? '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {(ranking.data.left?.length ?? 0) > 0 && (
        <Text size="sm">
          {t('keyAccounts.left')}: {ranking.data.left!.map((l) => l.name).join('، ')}
        </Text>
      )}
      {notes.data && notes.data.items.length > 0 && (
        <>
          <Title order={3}>{t('keyAccounts.notifications')}</Title>
          <Stack gap={4}>
            {notes.data.items.slice(0, 20).map((n) => (
              <Text key={n.id} size="sm">
                {t(n.change === 'entered' ? 'keyAccounts.noteEntered' : 'keyAccounts.noteLeft', { name: n.accountName, month: formatMonth(n.month, i18n.language) })}
              </Text>
            ))}
          </Stack>
        </>
      )}
    </Stack>
  );
}
