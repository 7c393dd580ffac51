import { Anchor, Button, Card, Center, Group, Loader, Stack, Table, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { get, type Query } from '../../shared/api/client';
import type { Page, TicketSummary } from '../../shared/api/types';
import { PriorityBadge, StatusBadge } from '../../shared/ui/badges';
import { ErrorState } from '../../shared/ui/errors';
import { useLabels } from '../../shared/ui/labels';
import { SlaQueueBadge, useSlaByTicket } from '../sla/SlaQueueBadge';

export function useTicketPages(query: Query, enabled = true) {
  return useInfiniteQuery({
    queryKey: ['tickets', 'list', query],
    queryFn: ({ pageParam, signal }) =>
      get<Page<TicketSummary>>('/tickets', { ...query, cursor: pageParam ?? undefined }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
    // Sorted by deadline, the order changes as escalations move deadlines: keep it fresh.
    refetchInterval: query.sort === 'sla_due' ? 30_000 : false,
  });
}

/** Tickets matching `query`, as a table on wide screens and cards on a phone. */
export function TicketList({ query, enabled = true }: { query: Query; enabled?: boolean }) {
  const { t } = useTranslation();
  const sla = useSlaByTicket();
  const l = useLabels();
  const navigate = useNavigate();
  const phone = useMediaQuery('(max-width: 48em)');
  const pages = useTicketPages(query, enabled);

  if (pages.isPending && enabled)
    return (
      <Center py="xl">
        <Loader />
      </Center>
    );
  if (pages.error) return <ErrorState error={pages.error} />;
  const items = pages.data?.pages.flatMap((p) => p.items) ?? [];
  const open = (tk: TicketSummary) => navigate(`/tickets/${tk.number}`);

  const more = pages.hasNextPage ? (
    <Center mt="md">
      <Button variant="default" onClick={() => void pages.fetchNextPage()} loading={pages.isFetchingNextPage}>
        {t('tickets.loadMore')}
      </Button>
    </Center>
  ) : null;

  if (!items.length)
    return (
      <Text c="dimmed" py="lg" ta="center" data-testid="ticket-list-empty">
        {t('tickets.empty')}
      </Text>
    );

  if (phone) {
    return (
      <Stack gap="xs" data-testid="ticket-list">
        {items.map((tk) => (
          <Card
            key={tk.id}
            withBorder
            padding="sm"
            className="cd-row-link"
            onClick={() => open(tk)}
            data-testid="ticket-row"
          >
            <Group justify="space-between" wrap="nowrap" gap="xs">
              <Text size="sm" c="dimmed">
                #{tk.number}
              </Text>
              <Group gap={4} wrap="nowrap">
                <StatusBadge status={tk.status} />
                <PriorityBadge priority={tk.priority} />
              </Group>
            </Group>
            <SlaQueueBadge item={sla.get(tk.id)} now={sla.now} />
            <Anchor component={Link} to={`/tickets/${tk.number}`} fw={600} dir="auto" onClick={(e) => e.stopPropagation()}>
              {tk.subject}
            </Anchor>
            <Text size="xs" c="dimmed">
              {[tk.requester?.name, tk.group?.name, tk.assignee?.name].filter(Boolean).join(' · ')}
            </Text>
            <Text size="xs" c="dimmed">
              {l.dateTime(tk.updatedAt)}
            </Text>
          </Card>
        ))}
        {more}
      </Stack>
    );
  }

  return (
    <>
      <Table.ScrollContainer minWidth={900}>
        <Table highlightOnHover verticalSpacing="xs" data-testid="ticket-list">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('ticket.number')}</Table.Th>
              <Table.Th>{t('ticket.subject')}</Table.Th>
              <Table.Th>{t('ticket.requester')}</Table.Th>
              <Table.Th>{t('ticket.status')}</Table.Th>
              <Table.Th>{t('ticket.priority')}</Table.Th>
              <Table.Th>{t('sla.queueColumn')}</Table.Th>
              <Table.Th>{t('ticket.group')}</Table.Th>
              <Table.Th>{t('ticket.assignee')}</Table.Th>
              <Table.Th>{t('ticket.updated')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((tk) => (
              <Table.Tr key={tk.id} className="cd-row-link" onClick={() => open(tk)} data-testid="ticket-row">
                <Table.Td>#{tk.number}</Table.Td>
                <Table.Td>
                  <Anchor component={Link} to={`/tickets/${tk.number}`} dir="auto" onClick={(e) => e.stopPropagation()}>
                    {tk.subject}
                  </Anchor>
                </Table.Td>
                <Table.Td><bdi>{tk.requester?.name ?? '—'}</bdi></Table.Td>
                <Table.Td>
                  <StatusBadge status={tk.status} />
                </Table.Td>
                <Table.Td>
                  <PriorityBadge priority={tk.priority} />
                </Table.Td>
                <Table.Td>
                  <SlaQueueBadge item={sla.get(tk.id)} now={sla.now} />
                </Table.Td>
                <Table.Td><bdi>{tk.group?.name ?? '—'}</bdi></Table.Td>
                <Table.Td><bdi>{tk.assignee?.name ?? '—'}</bdi></Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{l.dateTime(tk.updatedAt)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {more}
    </>
  );
}
