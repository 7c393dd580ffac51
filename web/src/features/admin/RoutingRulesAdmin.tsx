import { useState } from 'react';
import { ActionIcon, Badge, Button, Checkbox, Group, Loader, MultiSelect, Paper, Select, Stack, Table, TagsInput, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { CHANNELS, TICKET_PRIORITIES, type RoutingRuleT } from '@caredesk/contracts';
import { del, get, patch, post } from '../../shared/api/client';
import { ErrorState, FormErrorAlert, fieldErrorsOf, notifyError } from '../../shared/ui/errors';
import { useGroups } from '../people/queries';

const KEY = ['routing-rules'];

interface Draft {
  id?: string;
  version?: number;
  name: string;
  active: boolean;
  keyAccount: boolean;
  countries: string[];
  channels: string[];
  keywords: string[];
  groupId: string | null;
  priority: string | null;
  tags: string[];
}

const empty: Draft = { name: '', active: true, keyAccount: false, countries: [], channels: [], keywords: [], groupId: null, priority: null, tags: [] };

function draftOf(r: RoutingRuleT): Draft {
  const g = r.actions.group;
  return {
    id: r.id,
    version: r.version,
    name: r.name,
    active: r.active,
    keyAccount: r.conditions.keyAccount ?? false,
    countries: r.conditions.countries ?? [],
    channels: r.conditions.channels ?? [],
    keywords: r.conditions.keywords ?? [],
    groupId: g && 'id' in g ? g.id : null,
    priority: r.actions.priority ?? null,
    tags: r.actions.tags ?? [],
  };
}

/**
 * Fields the form does not edit (categories, languages, hasGroup, group by kind) are carried over
 * from the stored rule, so saving from this screen never silently drops them.
 */
function bodyOf(d: Draft, before?: RoutingRuleT) {
  const conditions = { ...(before?.conditions ?? {}) } as Record<string, unknown>;
  const set = (k: string, v: unknown[] | boolean) => {
    if ((Array.isArray(v) && v.length) || v === true) conditions[k] = v;
    else delete conditions[k];
  };
  set('keyAccount', d.keyAccount);
  set('countries', d.countries.map((c) => c.toUpperCase()));
  set('channels', d.channels);
  set('keywords', d.keywords);
  const actions = { ...(before?.actions ?? {}) } as Record<string, unknown>;
  if (d.groupId) actions.group = { id: d.groupId };
  else if (before?.actions.group && 'id' in before.actions.group) delete actions.group;
  if (d.priority) actions.priority = d.priority;
  else delete actions.priority;
  if (d.tags.length) actions.tags = d.tags;
  else delete actions.tags;
  return { name: d.name, active: d.active, conditions, actions };
}

function RuleForm({ initial, rule, onDone }: { initial: Draft; rule?: RoutingRuleT; onDone: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const groups = useGroups();
  const [d, setD] = useState<Draft>(initial);
  const up = (p: Partial<Draft>) => setD((x) => ({ ...x, ...p }));
  const save = useMutation({
    mutationFn: () => (d.id ? patch(`/routing-rules/${d.id}`, { version: d.version, ...bodyOf(d, rule) }) : post('/routing-rules', bodyOf(d))),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: KEY });
      onDone();
    },
  });
  const fe = fieldErrorsOf(save.error);
  const shown = ['name', 'conditions.countries', 'conditions.channels', 'conditions.keywords', 'actions.group', 'actions.priority', 'actions.tags'];
  const firstOf = (prefix: string) => Object.entries(fe).find(([k]) => k === prefix || k.startsWith(`${prefix}.`))?.[1];
  return (
    <Paper withBorder p="md" radius="md" data-testid="routing-rule-form">
      <Stack gap="xs">
        <TextInput label={t('routingAdmin.name')} value={d.name} onChange={(e) => up({ name: e.currentTarget.value })} error={fe.name} required />
        <Checkbox label={t('routingAdmin.active')} checked={d.active} onChange={(e) => up({ active: e.currentTarget.checked })} />
        <Text fw={600} size="sm">
          {t('routingAdmin.conditions')}
        </Text>
        <Checkbox label={t('routingAdmin.keyAccount')} checked={d.keyAccount} onChange={(e) => up({ keyAccount: e.currentTarget.checked })} />
        <TagsInput label={t('routingAdmin.countries')} value={d.countries} onChange={(v) => up({ countries: v })} error={firstOf('conditions.countries')} />
        <MultiSelect
          label={t('routingAdmin.channels')}
          data={CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`, { defaultValue: c }) }))}
          value={d.channels}
          onChange={(v) => up({ channels: v })}
          error={firstOf('conditions.channels')}
        />
        <TagsInput label={t('routingAdmin.keywords')} value={d.keywords} onChange={(v) => up({ keywords: v })} error={firstOf('conditions.keywords')} />
        <Text fw={600} size="sm">
          {t('routingAdmin.actions')}
        </Text>
        <Select
          label={t('routingAdmin.group')}
          data={(groups.data ?? []).map((g) => ({ value: g.id, label: g.name }))}
          value={d.groupId}
          onChange={(v) => up({ groupId: v })}
          clearable
          error={firstOf('actions.group')}
        />
        <Select
          label={t('routingAdmin.priority')}
          data={TICKET_PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`, { defaultValue: p }) }))}
          value={d.priority}
          onChange={(v) => up({ priority: v })}
          clearable
          error={firstOf('actions.priority')}
        />
        <TagsInput label={t('routingAdmin.tags')} value={d.tags} onChange={(v) => up({ tags: v })} error={firstOf('actions.tags')} />
        <FormErrorAlert error={save.error} shown={Object.keys(fe).filter((k) => shown.some((s) => k === s || k.startsWith(`${s}.`)))} />
        <Group>
          <Button onClick={() => save.mutate()} loading={save.isPending}>
            {t('routingAdmin.save')}
          </Button>
          <Button variant="subtle" onClick={onDone}>
            {t('routingAdmin.cancel')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

export function RoutingRulesAdmin() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const rules = useQuery({ queryKey: KEY, queryFn: () => get<{ items: RoutingRuleT[] }>('/routing-rules') });
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const refresh = () => void qc.invalidateQueries({ queryKey: KEY });
  // Both patches carry the rule's version so a concurrent edit is refused, not overwritten.
  const move = useMutation({
    mutationFn: async ({ a, b, up }: { a: RoutingRuleT; b: RoutingRuleT; up: boolean }) => {
      // Rules on the same position are ordered by id, so a swap would change nothing: step past the neighbour instead.
      if (a.position === b.position) {
        await patch(`/routing-rules/${a.id}`, { version: a.version, position: Math.max(0, b.position + (up ? -1 : 1)) });
        return;
      }
      await patch(`/routing-rules/${a.id}`, { version: a.version, position: b.position });
      await patch(`/routing-rules/${b.id}`, { version: b.version, position: a.position });
    },
    onSettled: refresh,
    onError: (e) => notifyError(e, t),
  });
  const remove = useMutation({
    mutationFn: (r: RoutingRuleT) => del(`/routing-rules/${r.id}`),
    onSettled: refresh,
    onError: (e) => notifyError(e, t),
  });
  if (rules.isPending) return <Loader size="sm" />;
  if (rules.error) return <ErrorState error={rules.error} />;
  const items = rules.data.items;
  return (
    <Stack>
      <Group>
        <Button onClick={() => setEditing('new')} disabled={editing === 'new'}>
          {t('routingAdmin.new')}
        </Button>
      </Group>
      {editing === 'new' && <RuleForm initial={empty} onDone={() => setEditing(null)} />}
      {items.length === 0 ? (
        <Text c="dimmed">{t('routingAdmin.none')}</Text>
      ) : (
        <Table data-testid="routing-rules">
          <Table.Tbody>
            {items.map((r, i) => (
              <Table.Tr key={r.id} data-testid="routing-rule">
                <Table.Td className="cd-ltr">{r.position}</Table.Td>
                <Table.Td>
                  {editing === r.id ? (
                    <RuleForm initial={draftOf(r)} rule={r} onDone={() => setEditing(null)} />
                  ) : (
                    <Group gap="xs">
                      <Text fw={600}>{r.name}</Text>
                      {!r.active && <Badge color="gray">{t('routingAdmin.inactive')}</Badge>}
                    </Group>
                  )}
                </Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <ActionIcon variant="subtle" aria-label={t('routingAdmin.moveUp')} disabled={i === 0 || move.isPending} onClick={() => move.mutate({ a: r, b: items[i - 1]!, up: true })}>
                      ↑
                    </ActionIcon>
                    <ActionIcon variant="subtle" aria-label={t('routingAdmin.moveDown')} disabled={i === items.length - 1 || move.isPending} onClick={() => move.mutate({ a: r, b: items[i + 1]!, up: false })}>
                      ↓
                    </ActionIcon>
                    <Button size="compact-xs" variant="light" onClick={() => setEditing(r.id)}>
                      {t('routingAdmin.edit')}
                    </Button>
                    <Button size="compact-xs" variant="light" color="red" onClick={() => window.confirm(t('routingAdmin.confirmDelete', { name: r.name })) && remove.mutate(r)}>
                      {t('routingAdmin.delete')}
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
