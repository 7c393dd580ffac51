import { Badge, Loader, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ErrorState } from '../../shared/ui/errors';
import { ContactTaskList } from './ContactTasks';
import { AdvanceSupplies, ContactPlanForm, SalesNoteForm, SuppliesForm } from './CareForms';
import { useAccountCare } from './queries';

/** Calls and visits, supplies and the weekly sales notes of one account. */
export function AccountCare({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const care = useAccountCare(accountId);
  if (care.isPending) return <Loader size="sm" />;
  if (care.error) return <ErrorState error={care.error} />;
  const { tasks, supplies, notes } = care.data;
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }}>
      <Paper withBorder p="md" radius="md">
        <Title order={4} mb="xs">
          {t('care.callsAndVisits')}
        </Title>
        <ContactTaskList tasks={tasks.slice(0, 10)} />
        <Stack mt="md">
          <ContactPlanForm accountId={accountId} />
        </Stack>
      </Paper>
      <Stack>
        <Paper withBorder p="md" radius="md">
          <Title order={4} mb="xs">
            {t('care.supplies')}
          </Title>
          {supplies.length ? (
            <Table data-testid="supplies">
              <Table.Tbody>
                {supplies.map((s) => (
                  <Table.Tr key={s.id} data-testid="supplies-request">
                    <Table.Td>{s.items.map((i) => `${i.item} × ${i.quantity}`).join('، ')}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={s.overdue ? 'red' : s.status === 'delivered' ? 'green' : 'blue'}>
                        {s.overdue ? t('care.overdue') : t(`care.supplyStatus.${s.status}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td className="cd-ltr">{s.deliveredOn ?? s.dueOn}</Table.Td>
                    <Table.Td>
                      <AdvanceSupplies request={s} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          ) : (
            <Text c="dimmed">{t('care.noSupplies')}</Text>
          )}
          <Stack mt="md">
            <SuppliesForm accountId={accountId} />
          </Stack>
        </Paper>
        <Paper withBorder p="md" radius="md">
          <Title order={4} mb="xs">
            {t('care.salesNotes')}
          </Title>
          {notes.length ? (
            <Stack gap="xs">
              {notes.slice(0, 4).map((n) => (
                <Stack key={n.id} gap={0}>
                  <Text size="sm" fw={600}>
                    {t('care.week', { week: n.week })}
                  </Text>
                  {n.trends && <Text size="sm">{t('care.trends')}: {n.trends}</Text>}
                  {n.problems && <Text size="sm">{t('care.problems')}: {n.problems}</Text>}
                  {n.opportunities && <Text size="sm">{t('care.opportunities')}: {n.opportunities}</Text>}
                </Stack>
              ))}
            </Stack>
          ) : (
            <Text c="dimmed">{t('care.noNotes')}</Text>
          )}
          <Stack mt="md">
            <SalesNoteForm accountId={accountId} notes={notes} />
          </Stack>
        </Paper>
      </Stack>
    </SimpleGrid>
  );
}
