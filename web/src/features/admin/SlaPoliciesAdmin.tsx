import { useState } from 'react';
import { ActionIcon, Badge, Button, Card, Group, MultiSelect, NumberInput, Select, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { CalendarT, SlaPolicyT } from '@caredesk/contracts';
import { CHANNELS, TICKET_PRIORITIES } from '@caredesk/contracts/constants';
import { get, post } from '../../shared/api/client';
import { FormModal } from '../../shared/ui/FormModal';
import { ErrorState, FormErrorAlert, fieldErrorsOf } from '../../shared/ui/errors';
import { useLabels } from '../../shared/ui/labels';
import { changed, useAdminForm } from './useSave';
import { useLadders } from './SlaLaddersAdmin';

const KEY = ['sla', 'policies'];
const TARGET_KINDS = ['first_response', 'next_response', 'resolution'] as const;
const UNITS = ['business_minutes', 'calendar_minutes', 'business_days'] as const;
type Target = SlaPolicyT['targets'][number];
type Preview = { items: { kind: string; priority: string | null; amount: number; unit: string; dueAt: string | null; calendar: string }[] };

export function usePolicies() {
  return useQuery({ queryKey: KEY, queryFn: () => get<{ items: SlaPolicyT[] }>('/sla-policies').then((r) => r.items) });
}
export function useCalendars() {
  return useQuery({ queryKey: ['sla', 'calendars'], queryFn: () => get<{ items: CalendarT[] }>('/calendars').then((r) => r.items) });
}

/** SLA policies in the order they are tried, their editor, and when a policy's targets would fall due. */
export function SlaPoliciesAdmin() {
  const { t } = useTranslation();
  const l = useLabels();
  const policies = usePolicies();
  const calendars = useCalendars();
  const [editing, setEditing] = useState<SlaPolicyT | 'new' | null>(null);
  const calName = (id: string | null) => (id ? (calendars.data?.find((c) => c.id === id)?.name ?? '—') : t('sla.admin.calendarDefault'));
  const targetText = (x: Target) => `${t(`sla.target.${x.kind}`)}${x.priority ? ` (${l.priority(x.priority)})` : ''}: ${x.amount} ${t(`sla.unit.${x.unit}`)}`;

  if (policies.error) return <ErrorState error={policies.error} />;
  const sorted = [...(policies.data ?? [])].sort((a, b) => a.position - b.position);
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {t('sla.admin.policiesHelp')}
      </Text>
      <Group justify="flex-end">
        <Button onClick={() => setEditing('new')}>{t('sla.admin.newPolicy')}</Button>
      </Group>
      <Table.ScrollContainer minWidth={800}>
        <Table highlightOnHover data-testid="sla-policies-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('sla.admin.position')}</Table.Th>
              <Table.Th>{t('sla.admin.name')}</Table.Th>
              <Table.Th>{t('sla.admin.targets')}</Table.Th>
              <Table.Th>{t('sla.admin.calendarField')}</Table.Th>
              <Table.Th>{t('sla.admin.active')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sorted.map((p) => (
              <Table.Tr key={p.id} className="cd-row-link" onClick={() => setEditing(p)} data-testid="sla-policy-row">
                <Table.Td>{p.position}</Table.Td>
                <Table.Td>{p.name}</Table.Td>
                <Table.Td>
                  <Stack gap={0}>
                    {p.targets.map((x, i) => (
                      <Text key={i} size="xs">
                        {targetText(x)}
                      </Text>
                    ))}
                  </Stack>
                </Table.Td>
                <Table.Td>{calName(p.calendarId)}</Table.Td>
                <Table.Td>{p.active ? <Badge color="teal">{t('sla.admin.active')}</Badge> : <Badge color="gray">{t('sla.admin.inactive')}</Badge>}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <PolicyPreview policies={sorted} />
      {editing && <PolicyDialog policy={editing === 'new' ? null : editing} calendars={calendars.data ?? []} onClose={() => setEditing(null)} />}
    </Stack>
  );
}

/** Local date-time input value (YYYY-MM-DDTHH:mm) for now, so the preview starts from something sensible. */
function localNow(): string {
  const d = new Date();
  d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
  return d.toISOString().slice(0, 16);
}

function PolicyPreview({ policies }: { policies: SlaPolicyT[] }) {
  const { t } = useTranslation();
  const l = useLabels();
  const [policyId, setPolicyId] = useState<string | null>(null);
  const [start, setStart] = useState(localNow());
  const [priority, setPriority] = useState<string | null>(null);
  const run = useMutation({
    mutationFn: () => {
      const at = new Date(start);
      // An unparsable date goes to the server as-is so its field error names `start`.
      const iso = Number.isNaN(at.getTime()) ? start : at.toISOString();
      return post<Preview>(`/sla-policies/${policyId}/preview`, { start: iso, ...(priority ? { priority } : {}) });
    },
  });
  const errors = fieldErrorsOf(run.error);
  return (
    <Card withBorder data-testid="sla-preview">
      <Stack>
        <Title order={4}>{t('sla.admin.preview')}</Title>
        <Text size="sm" c="dimmed">
          {t('sla.admin.previewHelp')}
        </Text>
        <Group align="flex-end">
          <Select
            label={t('sla.admin.policy')}
            data={policies.map((p) => ({ value: p.id, label: p.name }))}
            value={policyId}
            onChange={setPolicyId}
            searchable
            data-testid="sla-preview-policy"
          />
          <TextInput label={t('sla.admin.start')} type="datetime-local" value={start} onChange={(e) => setStart(e.currentTarget.value)} error={errors.start} data-testid="sla-preview-start" />
          <Select
            label={t('ticket.priority')}
            data={TICKET_PRIORITIES.map((p) => ({ value: p, label: l.priority(p) }))}
            value={priority}
            onChange={setPriority}
            clearable
            placeholder={t('sla.admin.anyPriority')}
            error={errors.priority}
          />
          <Button onClick={() => run.mutate()} disabled={!policyId || !start} loading={run.isPending} data-testid="sla-preview-run">
            {t('sla.admin.runPreview')}
          </Button>
        </Group>
        <FormErrorAlert error={run.error} shown={['start', 'priority']} />
        {run.data && (
          <Table data-testid="sla-preview-result">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('sla.admin.targets')}</Table.Th>
                <Table.Th>{t('sla.admin.amount')}</Table.Th>
                <Table.Th>{t('sla.admin.dueAt')}</Table.Th>
                <Table.Th>{t('sla.admin.calendarField')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {run.data.items.map((x, i) => (
                <Table.Tr key={i} data-testid="sla-preview-row">
                  <Table.Td>
                    {t(`sla.target.${x.kind}`, { defaultValue: x.kind })}
                    {x.priority ? ` (${l.priority(x.priority)})` : ''}
                  </Table.Td>
                  <Table.Td>
                    {x.amount} {t(`sla.unit.${x.unit}`)}
                  </Table.Td>
                  <Table.Td>{x.dueAt ? l.dateTime(x.dueAt) : '—'}</Table.Td>
                  <Table.Td>{x.calendar}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Card>
  );
}

interface PolicyForm {
  name: string;
  position: number;
  active: boolean;
  calendarId: string | null;
  ladderId: string | null;
  conditions: SlaPolicyT['conditions'];
  targets: Target[];
}

function PolicyDialog({ policy, calendars, onClose }: { policy: SlaPolicyT | null; calendars: CalendarT[]; onClose: () => void }) {
  const { t } = useTranslation();
  const l = useLabels();
  const initial: PolicyForm = policy
    ? { name: policy.name, position: policy.position, active: policy.active, calendarId: policy.calendarId, ladderId: policy.ladderId, conditions: policy.conditions, targets: policy.targets }
    : { name: '', position: 0, active: true, calendarId: null, ladderId: null, conditions: {}, targets: [{ kind: 'first_response', priority: null, amount: 60, unit: 'business_minutes' }] };
  const { form, set, save, errors } = useAdminForm<PolicyForm, SlaPolicyT>(initial, '/sla-policies', KEY, onClose);
  type Conditions = SlaPolicyT['conditions'];
  // An emptied list is dropped rather than sent as [], so "no condition" reads the same either way.
  const setCond = (patch: Partial<Conditions>) => {
    const next: Record<string, unknown> = { ...form.conditions, ...patch };
    for (const [k, v] of Object.entries(next)) if (v === undefined || (Array.isArray(v) && !v.length)) delete next[k];
    set('conditions', next as Conditions);
  };
  const setTarget = (i: number, patch: Partial<Target>) => set('targets', form.targets.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  // Errors on one target come back as `targets.N` or `targets.N.amount`; either belongs beside row N.
  const targetError = (i: number) => Object.entries(errors).find(([k]) => k === `targets.${i}` || k.startsWith(`targets.${i}.`))?.[1];
  const ladders = useLadders();
  const shown = ['name', 'position', 'calendarId', 'ladderId', 'targets', ...form.targets.flatMap((_, i) => [`targets.${i}`, `targets.${i}.amount`, `targets.${i}.unit`, `targets.${i}.kind`, `targets.${i}.priority`])];
  const submit = () => {
    const body = { ...form } as unknown as Record<string, unknown>;
    if (policy) save.mutate({ id: policy.id, body: { version: policy.version, ...changed(initial as unknown as Record<string, unknown>, body) } });
    else save.mutate({ body });
  };
  return (
    <FormModal title={policy ? t('sla.admin.editPolicy') : t('sla.admin.newPolicy')} onClose={onClose} onSubmit={submit} save={save} shown={shown}>
      <TextInput label={t('sla.admin.name')} value={form.name} onChange={(e) => set('name', e.currentTarget.value)} error={errors.name} required data-testid="sla-policy-name" />
      <Group grow>
        <NumberInput label={t('sla.admin.position')} description={t('sla.admin.positionHint')} value={form.position} onChange={(v) => set('position', Number(v) || 0)} min={0} error={errors.position} />
        <Select
          label={t('sla.admin.calendarField')}
          data={calendars.map((c) => ({ value: c.id, label: c.name }))}
          value={form.calendarId}
          onChange={(v) => set('calendarId', v)}
          clearable
          placeholder={t('sla.admin.calendarDefault')}
          error={errors.calendarId}
        />
      </Group>
      <Select
        label={t('sla.groups.ladder')}
        data={(ladders.data ?? []).map((x) => ({ value: x.id, label: x.name }))}
        value={form.ladderId}
        onChange={(v) => set('ladderId', v)}
        clearable
        placeholder={t('sla.groups.noLadder')}
        error={errors.ladderId}
        data-testid="sla-policy-ladder"
      />
      <Switch label={t('sla.admin.active')} checked={form.active} onChange={(e) => set('active', e.currentTarget.checked)} />
      <Title order={5}>{t('sla.admin.conditions')}</Title>
      <Text size="xs" c="dimmed">
        {t('sla.admin.conditionsHint')}
      </Text>
      <Group grow>
        <MultiSelect
          label={t('filters.priority')}
          data={TICKET_PRIORITIES.map((p) => ({ value: p, label: l.priority(p) }))}
          value={form.conditions.priorities ?? []}
          onChange={(v) => setCond({ priorities: v as Conditions['priorities'] })}
          error={errors['conditions.priorities']}
        />
        <MultiSelect
          label={t('sla.admin.channels')}
          data={CHANNELS.map((c) => ({ value: c, label: l.channel(c) }))}
          value={form.conditions.channels ?? []}
          onChange={(v) => setCond({ channels: v as Conditions['channels'] })}
          error={errors['conditions.channels']}
        />
        <Select
          label={t('sla.admin.keyAccount')}
          data={[
            { value: 'yes', label: t('sla.admin.yes') },
            { value: 'no', label: t('sla.admin.no') },
          ]}
          value={form.conditions.keyAccount === undefined ? null : form.conditions.keyAccount ? 'yes' : 'no'}
          onChange={(v) => setCond({ keyAccount: v === null ? undefined : v === 'yes' })}
          clearable
          placeholder={t('sla.admin.anyValue')}
        />
      </Group>
      <Title order={5}>{t('sla.admin.targets')}</Title>
      {errors.targets && (
        <Text c="red" size="sm">
          {errors.targets}
        </Text>
      )}
      {form.targets.map((x, i) => (
        <Stack key={i} gap={2} data-testid="sla-target-row">
          <Group align="flex-end" wrap="nowrap">
            <Select label={t('sla.admin.kind')} data={TARGET_KINDS.map((k) => ({ value: k, label: t(`sla.target.${k}`) }))} value={x.kind} onChange={(v) => v && setTarget(i, { kind: v as Target['kind'] })} allowDeselect={false} />
            <Select
              label={t('ticket.priority')}
              data={TICKET_PRIORITIES.map((p) => ({ value: p, label: l.priority(p) }))}
              value={x.priority}
              onChange={(v) => setTarget(i, { priority: v as Target['priority'] })}
              clearable
              placeholder={t('sla.admin.anyPriority')}
            />
            <NumberInput label={t('sla.admin.amount')} value={x.amount} onChange={(v) => setTarget(i, { amount: Number(v) })} min={0} w={110} />
            <Select label={t('sla.admin.unit')} data={UNITS.map((u) => ({ value: u, label: t(`sla.unit.${u}`) }))} value={x.unit} onChange={(v) => v && setTarget(i, { unit: v as Target['unit'] })} allowDeselect={false} />
            <ActionIcon variant="subtle" color="red" aria-label={t('sla.admin.removeTarget')} onClick={() => set('targets', form.targets.filter((_, j) => j !== i))} mb={4}>
              ×
            </ActionIcon>
          </Group>
          {targetError(i) && (
            <Text c="red" size="xs">
              {targetError(i)}
            </Text>
          )}
        </Stack>
      ))}
      <Group>
        <Button variant="default" onClick={() => set('targets', [...form.targets, { kind: 'resolution', priority: null, amount: 1, unit: 'business_days' }])}>
          {t('sla.admin.addTarget')}
        </Button>
      </Group>
    </FormModal>
  );
}
