import { useState } from 'react';
import { ActionIcon, Button, Group, NumberInput, Paper, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { SalesMeetingNoteT, SuppliesRequestT } from '@caredesk/contracts';
import { api, patch, post } from '../../shared/api/client';
import { FormErrorAlert, fieldErrorsOf, notifyError, notifySuccess } from '../../shared/ui/errors';

/** The order the server accepts; it refuses backward moves, so only the next step is offered. */
const SUPPLY_FLOW = ['requested', 'approved', 'dispatched', 'delivered'] as const;

export function nextSupplyStatus(status: string): (typeof SUPPLY_FLOW)[number] | null {
  const i = SUPPLY_FLOW.indexOf(status as (typeof SUPPLY_FLOW)[number]);
  return i >= 0 && i < SUPPLY_FLOW.length - 1 ? SUPPLY_FLOW[i + 1]! : null;
}

function useInvalidateAccount(accountId: string) {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: ['account', accountId] });
    void qc.invalidateQueries({ queryKey: ['contact-tasks'] });
  };
}

export function ContactPlanForm({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const refresh = useInvalidateAccount(accountId);
  const [kind, setKind] = useState<'call' | 'visit'>('call');
  const [everyDays, setEveryDays] = useState<number | string>(7);
  const [firstDueOn, setFirstDueOn] = useState('');
  const save = useMutation({
    mutationFn: () =>
      post<unknown>(`/accounts/${accountId}/contact-plans`, {
        kind,
        everyDays: typeof everyDays === 'number' ? everyDays : Number(everyDays),
        ...(firstDueOn ? { firstDueOn } : {}),
      }),
    onSuccess: () => {
      notifySuccess(t('care.form.planSaved'));
      refresh();
    },
  });
  const fe = fieldErrorsOf(save.error);
  return (
    <Paper withBorder p="md" radius="md" data-testid="contact-plan-form">
      <Title order={5} mb="xs">
        {t('care.form.newPlan')}
      </Title>
      <Stack gap="xs">
        <Select
          label={t('care.form.kind')}
          data={[
            { value: 'call', label: t('care.kind.call') },
            { value: 'visit', label: t('care.kind.visit') },
          ]}
          value={kind}
          onChange={(v) => v && setKind(v as 'call' | 'visit')}
          allowDeselect={false}
          error={fe.kind}
        />
        <NumberInput label={t('care.form.everyDays')} min={1} max={366} value={everyDays} onChange={setEveryDays} error={fe.everyDays} />
        <TextInput type="date" label={t('care.form.firstDueOn')} value={firstDueOn} onChange={(e) => setFirstDueOn(e.currentTarget.value)} error={fe.firstDueOn} className="cd-ltr" />
        <FormErrorAlert error={save.error} shown={['kind', 'everyDays', 'firstDueOn']} />
        <Group>
          <Button size="xs" onClick={() => save.mutate()} loading={save.isPending}>
            {t('care.form.createPlan')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

interface ItemRow {
  item: string;
  quantity: number | string;
}

export function SuppliesForm({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const refresh = useInvalidateAccount(accountId);
  const [rows, setRows] = useState<ItemRow[]>([{ item: '', quantity: 1 }]);
  const [dueOn, setDueOn] = useState('');
  const save = useMutation({
    mutationFn: () =>
      post<SuppliesRequestT>(`/accounts/${accountId}/supplies`, {
        items: rows.map((r) => ({ item: r.item.trim(), quantity: typeof r.quantity === 'number' ? r.quantity : Number(r.quantity) })),
        ...(dueOn ? { dueOn } : {}),
      }),
    onSuccess: () => {
      notifySuccess(t('care.form.suppliesSaved'));
      setRows([{ item: '', quantity: 1 }]);
      setDueOn('');
      refresh();
    },
  });
  const fe = fieldErrorsOf(save.error);
  const shown = ['items', 'dueOn', ...rows.flatMap((_, i) => [`items.${i}.item`, `items.${i}.quantity`])];
  const setRow = (i: number, r: Partial<ItemRow>) => setRows((all) => all.map((x, j) => (j === i ? { ...x, ...r } : x)));
  return (
    <Paper withBorder p="md" radius="md" data-testid="supplies-form">
      <Title order={5} mb="xs">
        {t('care.form.newSupplies')}
      </Title>
      <Stack gap="xs">
        {rows.map((r, i) => (
          <Group key={i} align="flex-start" gap="xs" wrap="nowrap" data-testid="supplies-item-row">
            <TextInput
              style={{ flex: 1 }}
              label={t('care.form.item')}
              value={r.item}
              onChange={(e) => setRow(i, { item: e.currentTarget.value })}
              error={fe[`items.${i}.item`]}
            />
            <NumberInput
              w={110}
              label={t('care.form.quantity')}
              min={1}
              value={r.quantity}
              onChange={(v) => setRow(i, { quantity: v })}
              error={fe[`items.${i}.quantity`]}
            />
            {rows.length > 1 && (
              <ActionIcon mt={26} variant="subtle" color="red" aria-label={t('care.form.removeItem')} onClick={() => setRows((all) => all.filter((_, j) => j !== i))}>
                ×
              </ActionIcon>
            )}
          </Group>
        ))}
        {fe.items && (
          <Text size="sm" c="red" role="alert">
            {fe.items}
          </Text>
        )}
        <Group>
          <Button size="xs" variant="subtle" onClick={() => setRows((all) => [...all, { item: '', quantity: 1 }])} disabled={rows.length >= 50}>
            {t('care.form.addItem')}
          </Button>
        </Group>
        <TextInput type="date" label={t('care.form.dueOn')} value={dueOn} onChange={(e) => setDueOn(e.currentTarget.value)} error={fe.dueOn} className="cd-ltr" />
        <FormErrorAlert error={save.error} shown={shown} />
        <Group>
          <Button size="xs" onClick={() => save.mutate()} loading={save.isPending}>
            {t('care.form.requestSupplies')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

/** One step forward for a supplies request, e.g. requested → approved. */
export function AdvanceSupplies({ request }: { request: SuppliesRequestT }) {
  const { t } = useTranslation();
  const refresh = useInvalidateAccount(request.accountId);
  const next = nextSupplyStatus(request.status);
  const advance = useMutation({
    mutationFn: () => patch<SuppliesRequestT>(`/supplies/${request.id}`, { version: request.version, status: next }),
    onSuccess: refresh,
    // A stale version (someone else moved it) is reported and the list refetched to show the truth.
    onError: (e) => {
      notifyError(e, t);
      refresh();
    },
  });
  if (!next) return null;
  return (
    <Button size="compact-xs" variant="light" onClick={() => advance.mutate()} loading={advance.isPending}>
      {t('care.form.markAs', { status: t(`care.supplyStatus.${next}`) })}
    </Button>
  );
}

export function SalesNoteForm({ accountId, notes }: { accountId: string; notes: SalesMeetingNoteT[] }) {
  const { t } = useTranslation();
  const refresh = useInvalidateAccount(accountId);
  const [week, setWeek] = useState('');
  const [trends, setTrends] = useState('');
  const [problems, setProblems] = useState('');
  const [opportunities, setOpportunities] = useState('');
  const save = useMutation({
    mutationFn: () => api<SalesMeetingNoteT>(`/accounts/${accountId}/sales-notes`, { method: 'PUT', body: { week, trends, problems, opportunities } }),
    onSuccess: () => {
      notifySuccess(t('care.form.noteSaved'));
      refresh();
    },
  });
  // The server keeps one note per week, so picking a week already written loads it for editing.
  const edit = (n: SalesMeetingNoteT) => {
    setWeek(n.week);
    setTrends(n.trends);
    setProblems(n.problems);
    setOpportunities(n.opportunities);
  };
  const fe = fieldErrorsOf(save.error);
  return (
    <Paper withBorder p="md" radius="md" data-testid="sales-note-form">
      <Title order={5} mb="xs">
        {t('care.form.salesNote')}
      </Title>
      <Stack gap="xs">
        {notes.length > 0 && (
          <Select
            label={t('care.form.editWeek')}
            placeholder={t('care.form.newWeek')}
            data={notes.map((n) => ({ value: n.id, label: t('care.week', { week: n.week }) }))}
            onChange={(id) => {
              const n = notes.find((x) => x.id === id);
              if (n) edit(n);
            }}
            clearable
          />
        )}
        <TextInput type="date" label={t('care.form.weekOf')} value={week} onChange={(e) => setWeek(e.currentTarget.value)} error={fe.week} className="cd-ltr" />
        <Textarea label={t('care.trends')} value={trends} onChange={(e) => setTrends(e.currentTarget.value)} autosize minRows={2} error={fe.trends} />
        <Textarea label={t('care.problems')} value={problems} onChange={(e) => setProblems(e.currentTarget.value)} autosize minRows={2} error={fe.problems} />
        <Textarea label={t('care.opportunities')} value={opportunities} onChange={(e) => setOpportunities(e.currentTarget.value)} autosize minRows={2} error={fe.opportunities} />
        <FormErrorAlert error={save.error} shown={['week', 'trends', 'problems', 'opportunities']} />
        <Group>
          <Button size="xs" onClick={() => save.mutate()} loading={save.isPending}>
            {t('care.form.saveNote')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
