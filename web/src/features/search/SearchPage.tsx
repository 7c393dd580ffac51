import { Anchor, Center, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { get } from '../../shared/api/client';
import type { SearchResult } from '../../shared/api/types';
import { StatusBadge } from '../../shared/ui/badges';
import { ErrorState } from '../../shared/ui/errors';

export default function SearchPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const q = (params.get('q') ?? '').trim();
  const result = useQuery({
    queryKey: ['search', q],
    queryFn: ({ signal }) => get<SearchResult>('/search', { q, limit: 25 }, signal),
    enabled: q.length > 0,
  });

  return (
    <Stack>
      <Title order={2}>{q ? t('search.titleFor', { q }) : t('search.title')}</Title>
      {!q && <Text c="dimmed">{t('search.hint')}</Text>}
      {q && result.isPending && (
        <Center py="xl">
          <Loader />
        </Center>
      )}
      {result.error && <ErrorState error={result.error} />}
      {result.data && (
        <>
          <Title order={4}>{t('search.tickets', { count: result.data.tickets.length })}</Title>
          <Stack gap="xs" data-testid="search-tickets">
            {result.data.tickets.length === 0 && <Text c="dimmed">{t('search.noTickets')}</Text>}
            {result.data.tickets.map((tk) => (
              <Paper key={tk.id} withBorder p="sm" radius="md">
                <Group gap="xs" wrap="nowrap" justify="space-between">
                  <Anchor component={Link} to={`/tickets/${tk.number}`} fw={600}>
                    #{tk.number} {tk.subject}
                  </Anchor>
                  <StatusBadge status={tk.status} />
                </Group>
                {tk.snippet && (
                  // The server escapes the text and only adds <mark> around hits.
                  <Text size="sm" c="dimmed" className="cd-snippet" dangerouslySetInnerHTML={{ __html: tk.snippet }} />
                )}
              </Paper>
            ))}
          </Stack>
          <Title order={4}>{t('search.contacts', { count: result.data.contacts.length })}</Title>
          <Stack gap="xs" data-testid="search-contacts">
            {result.data.contacts.length === 0 && <Text c="dimmed">{t('search.noContacts')}</Text>}
            {result.data.contacts.map((c) => (
              <Paper key={c.id} withBorder p="sm" radius="md">
                <Anchor component={Link} to={`/contacts/${c.id}`} fw={600}>
                  {c.name}
                </Anchor>
                <Text size="sm" c="dimmed" className="cd-ltr" ta="start">
                  {c.identities.map((i) => i.value).join(' · ')}
                </Text>
                {c.account && <Text size="sm">{c.account.name}</Text>}
              </Paper>
            ))}
          </Stack>
        </>
      )}
    </Stack>
  );
}
