import { useState } from 'react';
import { Anchor, Button, Center, Loader, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ErrorState } from '../../shared/ui/errors';
import { useLabels } from '../../shared/ui/labels';
import { TierBadge } from './TierBadge';
import { useAccountPages } from './queries';

export default function AccountsPage() {
  const { t } = useTranslation();
  const l = useLabels();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q.trim(), 300);
  const pages = useAccountPages({ q: debounced || undefined });
  const items = pages.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Stack>
      <Title order={2}>{t('nav.accounts')}</Title>
      <TextInput
        label={t('accounts.search')}
        placeholder={t('accounts.searchPlaceholder')}
        value={q}
        onChange={(e) => setQ(e.currentTarget.value)}
        maw={420}
        type="search"
      />
      {pages.isPending ? (
        <Center py="xl">
          <Loader />
        </Center>
      ) : pages.error ? (
        <ErrorState error={pages.error} />
      ) : items.length === 0 ? (
        <Text c="dimmed">{t('accounts.empty')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={600}>
          <Table highlightOnHover data-testid="accounts-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('accounts.name')}</Table.Th>
                <Table.Th>{t('accounts.tier')}</Table.Th>
                <Table.Th>{t('accounts.country')}</Table.Th>
                <Table.Th>{t('accounts.officer')}</Table.Th>
                <Table.Th>{t('ticket.updated')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((a) => (
                <Table.Tr key={a.id} className="cd-row-link" onClick={() => navigate(`/accounts/${a.id}`)}>
                  <Table.Td>
                    <Anchor component={Link} to={`/accounts/${a.id}`} onClick={(e) => e.stopPropagation()}>
                      {a.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <TierBadge tier={a.tier} />
                  </Table.Td>
                  <Table.Td>{a.countryCode ?? '—'}</Table.Td>
                  <Table.Td>{a.officer?.name ?? '—'}</Table.Td>
                  <Table.Td>{l.dateTime(a.updatedAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {pages.hasNextPage && (
        <Center>
          <Button variant="default" onClick={() => void pages.fetchNextPage()} loading={pages.isFetchingNextPage}>
            {t('tickets.loadMore')}
          </Button>
        </Center>
      )}
    </Stack>
  );
}
