import { useState } from 'react';
import { Button, Card, Center, Group, Loader, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { StatusBadge } from '../../shared/ui/badges';
import { ErrorState } from '../../shared/ui/errors';
import { useLabels } from '../../shared/ui/labels';
import type { TicketStatus } from '../../shared/api/types';
import { portalGet, type PortalTicketSummary } from './api';
import { PromiseLine } from './Promise';
import { usePortalMe } from './session';

export default function PortalTicketsPage() {
  const { t } = useTranslation();
  const l = useLabels();
  const me = usePortalMe().data!;
  const [scope, setScope] = useState<'mine' | 'account'>('mine');
  const effective = me.accountAdmin ? scope : 'mine';
  const list = useInfiniteQuery({
    queryKey: ['portal', 'tickets', effective],
    queryFn: ({ pageParam }) =>
      portalGet<{ items: PortalTicketSummary[]; nextCursor: string | null }>(`/tickets?scope=${effective}${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: 30_000,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="nowrap">
        <Title order={2}>{t('portal.tickets.title')}</Title>
        <Button component={Link} to="/new" data-testid="portal-new-ticket">
          {t('portal.tickets.new')}
        </Button>
      </Group>
      <Text size="sm" c="dimmed">
        {t('portal.tickets.hello', { name: me.name })}
      </Text>
      {me.accountAdmin && (
        <SegmentedControl
          value={scope}
          onChange={(v) => setScope(v as 'mine' | 'account')}
          data={[
            { value: 'mine', label: t('portal.tickets.mine') },
            { value: 'account', label: t('portal.tickets.account', { account: me.account?.name ?? '' }) },
          ]}
          data-testid="portal-scope"
        />
      )}
      {list.isPending && (
        <Center py="xl">
          <Loader aria-label={t('portal.loading')} />
        </Center>
      )}
      {list.error && <ErrorState error={list.error} />}
      {list.data && items.length === 0 && (
        <Card withBorder radius="md" p="lg">
          <Text c="dimmed" ta="center">
            {t('portal.tickets.empty')}
          </Text>
        </Card>
      )}
      {items.map((tk) => (
        <Card key={tk.id} withBorder radius="md" p="md" component={Link} to={`/tickets/${tk.number}`} data-testid="portal-ticket-card" style={{ textDecoration: 'none', color: 'inherit' }}>
          <Stack gap={4}>
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <Text fw={600} lineClamp={2}>
                {tk.subject}
              </Text>
              <StatusBadge status={tk.status as TicketStatus} />
            </Group>
            <Text size="xs" c="dimmed">
              #{tk.number} · {tk.category ? l.name(tk.category) : t('portal.tickets.noCategory')} · {l.relative(tk.updatedAt)}
              {effective === 'account' && tk.requester ? ` · ${tk.requester.name}` : ''}
            </Text>
            <PromiseLine ticket={tk} />
          </Stack>
        </Card>
      ))}
      {list.hasNextPage && (
        <Button variant="default" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
          {t('portal.tickets.more')}
        </Button>
      )}
    </Stack>
  );
}
