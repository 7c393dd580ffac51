import { Anchor, Center, Loader, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ErrorState } from '../../shared/ui/errors';
import { useLabels } from '../../shared/ui/labels';
import { canSeeAll, useCurrentUser } from '../auth/session';
import { TicketList } from '../tickets/TicketList';
import { useAccount, useContactPages } from './queries';
import { TierBadge } from './TierBadge';
import { AccountKeyPanel } from '../keyaccounts/AccountKeyPanel';
import { AccountSlaCompliance } from '../sla/AccountSlaCompliance';

function AccountContacts({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const pages = useContactPages({ accountId });
  const items = pages.data?.pages.flatMap((p) => p.items) ?? [];
  if (pages.isPending) return <Loader size="sm" />;
  if (pages.error) return <ErrorState error={pages.error} />;
  if (!items.length) return <Text c="dimmed">{t('contacts.empty')}</Text>;
  return (
    <Table.ScrollContainer minWidth={500}>
      <Table data-testid="account-contacts">
        <Table.Tbody>
          {items.map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>
                <Anchor component={Link} to={`/contacts/${c.id}`}>
                  {c.name}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <span className="cd-ltr">{c.identities.map((i) => i.value).join(', ')}</span>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export default function AccountPage() {
  const { t } = useTranslation();
  const l = useLabels();
  const me = useCurrentUser();
  const { id = '' } = useParams();
  const account = useAccount(id);

  if (account.isPending)
    return (
      <Center py="xl">
        <Loader />
      </Center>
    );
  if (account.error) return <ErrorState error={account.error} />;
  const a = account.data;

  return (
    <Stack>
      <Title order={2}>{a.name}</Title>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Paper withBorder p="md" radius="md">
          <Stack gap={6}>
            <Text size="sm">
              <Text span c="dimmed">
                {t('accounts.tier')}:{' '}
              </Text>
              <TierBadge tier={a.tier} />
            </Text>
            <Text size="sm">
              <Text span c="dimmed">
                {t('accounts.country')}:{' '}
              </Text>
              {a.countryCode ?? '—'}
            </Text>
            <Text size="sm">
              <Text span c="dimmed">
                {t('accounts.externalId')}:{' '}
              </Text>
              {a.externalId ?? '—'}
            </Text>
            <Text size="sm">
              <Text span c="dimmed">
                {t('accounts.officer')}:{' '}
              </Text>
              {a.officer?.name ?? '—'}
            </Text>
            <Text size="sm">
              <Text span c="dimmed">
                {t('ticket.created')}:{' '}
              </Text>
              {l.dateTime(a.createdAt)}
            </Text>
          </Stack>
        </Paper>
        <Paper withBorder p="md" radius="md">
          <Text fw={600} mb="xs">
            {t('nav.contacts')}
          </Text>
          <AccountContacts accountId={a.id} />
        </Paper>
      </SimpleGrid>
      <AccountKeyPanel accountId={a.id} />
      <AccountSlaCompliance accountId={a.id} />
      <Title order={3}>{t('accounts.tickets')}</Title>
      <TicketList query={{ queue: canSeeAll(me) ? 'all' : 'groups', accountId: a.id, limit: 25 }} />
    </Stack>
  );
}
