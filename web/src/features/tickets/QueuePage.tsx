import { useEffect, useState } from 'react';
import { Button, Collapse, Group, MultiSelect, Select, SimpleGrid, Stack, TextInput, Title } from '@mantine/core';
import { useDocumentTitle, useMediaQuery } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { Navigate, useParams, useSearchParams } from 'react-router';
import type { Query } from '../../shared/api/client';
import { PRIORITIES, STATUSES, type QueueName } from '../../shared/api/types';
import { useLabels } from '../../shared/ui/labels';
import { canSeeAll, useCurrentUser } from '../auth/session';
import { useGroups, useUsers } from '../people/queries';
import { useCategories } from './reference';
import { TicketList } from './TicketList';

const QUEUES: QueueName[] = ['mine', 'groups', 'unassigned', 'all'];
const FILTER_KEYS = [
  'status',
  'groupId',
  'assigneeId',
  'categoryId',
  'priority',
  'tag',
  'createdFrom',
  'createdTo',
  'sort',
  'order',
] as const;

/** `YYYY-MM-DD` from a date input as the start (or end) of that UTC day. */
function dayBound(day: string | null, end: boolean): string | undefined {
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  return `${day}T${end ? '23:59:59.999' : '00:00:00.000'}Z`;
}

export default function QueuePage() {
  const { t } = useTranslation();
  const l = useLabels();
  const me = useCurrentUser();
  const { queue } = useParams();
  const [params, setParams] = useSearchParams();
  const wide = useMediaQuery('(min-width: 48em)', true);
  const [filtersOpen, setFiltersOpen] = useState(false);
  useEffect(() => setFiltersOpen(!!wide), [wide]);

  useDocumentTitle(queue ? `${t(`queue.${queue}`)} · CareDesk` : 'CareDesk');
  const groups = useGroups();
  const users = useUsers();
  const categories = useCategories(true);

  if (!queue || !QUEUES.includes(queue as QueueName)) return <Navigate to="/queues/mine" replace />;
  if (queue === 'all' && !canSeeAll(me)) return <Navigate to="/queues/groups" replace />;

  const set = (key: (typeof FILTER_KEYS)[number], value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const p = (key: (typeof FILTER_KEYS)[number]) => params.get(key);

  const query: Query = {
    queue,
    status: p('status') ?? undefined,
    groupId: p('groupId') ?? undefined,
    assigneeId: p('assigneeId') ?? undefined,
    categoryId: p('categoryId') ?? undefined,
    priority: p('priority') ?? undefined,
    tag: p('tag') ?? undefined,
    createdFrom: dayBound(p('createdFrom'), false),
    createdTo: dayBound(p('createdTo'), true),
    // `sla_due` is sorted by the server (nearest running deadline first), so paging stays exact.
    sort: p('sort') ?? undefined,
    order: p('order') ?? undefined,
    limit: 25,
  };
  const anyFilter = FILTER_KEYS.some((k) => params.has(k));

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t(`queue.${queue}`)}</Title>
        <Group gap="xs">
          {anyFilter && (
            <Button variant="subtle" onClick={() => setParams(new URLSearchParams(), { replace: true })}>
              {t('filters.clear')}
            </Button>
          )}
          <Button variant="default" onClick={() => setFiltersOpen((o) => !o)} aria-expanded={filtersOpen}>
            {t('filters.toggle')}
          </Button>
        </Group>
      </Group>
      <Collapse expanded={filtersOpen}>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3, lg: 5 }} spacing="sm" verticalSpacing="xs">
          <MultiSelect
            label={t('filters.status')}
            data={STATUSES.map((s) => ({ value: s, label: l.status(s) }))}
            value={p('status')?.split(',').filter(Boolean) ?? []}
            onChange={(v) => set('status', v.join(','))}
            clearable
          />
          <Select
            label={t('filters.group')}
            data={(groups.data ?? []).map((g) => ({ value: g.id, label: g.name }))}
            value={p('groupId')}
            onChange={(v) => set('groupId', v)}
            clearable
            searchable
          />
          <Select
            label={t('filters.assignee')}
            data={(users.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
            value={p('assigneeId')}
            onChange={(v) => set('assigneeId', v)}
            clearable
            searchable
          />
          <Select
            label={t('filters.category')}
            data={(categories.data ?? []).map((c) => ({ value: c.id, label: l.name(c) }))}
            value={p('categoryId')}
            onChange={(v) => set('categoryId', v)}
            clearable
            searchable
          />
          <Select
            label={t('filters.priority')}
            data={PRIORITIES.map((x) => ({ value: x, label: l.priority(x) }))}
            value={p('priority')}
            onChange={(v) => set('priority', v)}
            clearable
          />
          <TextInput
            label={t('filters.tag')}
            defaultValue={p('tag') ?? ''}
            onBlur={(e) => set('tag', e.currentTarget.value.trim() || null)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') set('tag', e.currentTarget.value.trim() || null);
            }}
          />
          <TextInput
            label={t('filters.createdFrom')}
            type="date"
            value={p('createdFrom') ?? ''}
            onChange={(e) => set('createdFrom', e.currentTarget.value || null)}
          />
          <TextInput
            label={t('filters.createdTo')}
            type="date"
            value={p('createdTo') ?? ''}
            onChange={(e) => set('createdTo', e.currentTarget.value || null)}
          />
          <Select
            label={t('filters.sort')}
            data={[
              { value: 'updated', label: t('filters.sortUpdated') },
              { value: 'created', label: t('filters.sortCreated') },
              { value: 'priority', label: t('filters.sortPriority') },
              { value: 'sla_due', label: t('sla.sortDue') },
            ]}
            value={p('sort') ?? 'updated'}
            onChange={(v) => set('sort', v === 'updated' ? null : v)}
            allowDeselect={false}
          />
          <Select
            label={t('filters.order')}
            data={[
              { value: 'desc', label: t('filters.desc') },
              { value: 'asc', label: t('filters.asc') },
            ]}
            value={p('order') ?? (p('sort') === 'sla_due' ? 'asc' : 'desc')}
            onChange={(v) => set('order', v === (p('sort') === 'sla_due' ? 'asc' : 'desc') ? null : v)}
            allowDeselect={false}
          />
        </SimpleGrid>
      </Collapse>
      <TicketList query={query} />
    </Stack>
  );
}
