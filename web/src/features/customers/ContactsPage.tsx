import { useState } from 'react';
import { Anchor, Button, Center, Loader, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ErrorState } from '../../shared/ui/errors';
import { useContactPages } from './queries';

export default function ContactsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q.trim(), 300);
  const pages = useContactPages({ q: debounced || undefined });
  const items = pages.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Stack>
      <Title order={2}>{t('nav.contacts')}</Title>
      <TextInput
        label={t('contacts.search')}
        placeholder={t('contacts.searchPlaceholder')}
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
        <Text c="dimmed">{t('contacts.empty')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={600}>
          <Table highlightOnHover data-testid="contacts-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('contacts.name')}</Table.Th>
                <Table.Th>{t('contacts.identities')}</Table.Th>
                <Table.Th>{t('ticket.account')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((c) => (
                <Table.Tr key={c.id} className="cd-row-link" onClick={() => navigate(`/contacts/${c.id}`)}>
                  <Table.Td>
                    <Anchor component={Link} to={`/contacts/${c.id}`} onClick={(e) => e.stopPropagation()}>
                      {c.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <span className="cd-ltr">{c.identities.map((i) => i.value).join(', ')}</span>
                  </Table.Td>
                  <Table.Td>{c.account?.name ?? '—'}</Table.Td>
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
