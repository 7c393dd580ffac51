import { useState } from 'react';
import { ActionIcon, Button, Card, Checkbox, Group, NumberInput, Select, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { SlaLadderT } from '@caredesk/contracts';
import { get } from '../../shared/api/client';
import { FormModal } from '../../shared/ui/FormModal';
import { ErrorState } from '../../shared/ui/errors';
import { useGroups, useUsers } from '../people/queries';
import { changed, useAdminForm } from './useSave';

export const LADDERS_KEY = ['sla', 'ladders'];
const STEP_TARGETS = ['any', 'first_response', 'next_response', 'resolution', 'internal'] as const;
const AT_KINDS = ['percent', 'before', 'after'] as const;
const RECIPIENTS = ['assignee', 'supervisors', 'managers'] as const;

type ApiStep = SlaLadderT['steps'][number];
type ApiAction = ApiStep['actions'][number];

/** One step as the form edits it: the actions as checkboxes and pickers rather than a list. */
interface StepForm {
  key: string;
  target: ApiStep['target'];
  atKind: (typeof AT_KINDS)[number];
  atValue: number;
  notify: string[];
  raise: boolean;
  moveGroupId: string | null;
  moveAssigneeId: string | null;
}

export function useLadders() {
  return useQuery({ queryKey: LADDERS_KEY, queryFn: () => get<{ items: SlaLadderT[] }>('/sla-ladders').then((r) => r.items) });
}

function toForm(s: ApiStep, i: number): StepForm {
  const notify = s.actions.find((a): a is Extract<ApiAction, { type: 'notify' }> => a.type === 'notify');
  const move = s.actions.find((a): a is Extract<ApiAction, { type: 'move' }> => a.type === 'move');
  return {
    key: s.key ?? `step-${i + 1}`,
    target: s.target,
    atKind: s.at.kind,
    atValue: s.at.kind === 'percent' ? s.at.value : s.at.minutes,
    notify: notify ? [...notify.recipients] : [],
    raise: s.actions.some((a) => a.type === 'raise_priority'),
    moveGroupId: move?.groupId ?? null,
    moveAssigneeId: move?.assigneeId ?? null,
  };
}

function toApi(s: StepForm): ApiStep {
  const actions: ApiAction[] = [];
  if (s.notify.length) actions.push({ type: 'notify', recipients: s.notify as ('assignee' | 'supervisors' | 'managers')[] });
  if (s.raise) actions.push({ type: 'raise_priority' });
  if (s.moveGroupId || s.moveAssigneeId) actions.push({ type: 'move', ...(s.moveGroupId ? { groupId: s.moveGroupId } : {}), ...(s.moveAssigneeId ? { assigneeId: s.moveAssigneeId } : {}) });
  const at = s.atKind === 'percent' ? { kind: 'percent' as const, value: s.atValue } : { kind: s.atKind, minutes: s.atValue };
  return { key: s.key.trim() || undefined, target: s.target, at, actions } as ApiStep;
}

/** Escalation ladders: the steps a policy (or a department's internal target) runs as a deadline nears and passes. */
export function SlaLaddersAdmin() {
  const { t } = useTranslation();
  const ladders = useLadders();
  const [editing, setEditing] = useState<SlaLadderT | 'new' | null>(null);
  const stepText = useStepText();
  if (ladders.error) return <ErrorState error={ladders.error} />;
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {t('sla.ladder.help')}
      </Text>
      <Group justify="flex-end">
        <Button onClick={() => setEditing('new')} data-testid="sla-ladder-new">
          {t('sla.ladder.new')}
        </Button>
      </Group>
      <Table.ScrollContainer minWidth={700}>
        <Table highlightOnHover data-testid="sla-ladders-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('sla.admin.name')}</Table.Th>
              <Table.Th>{t('sla.ladder.steps')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(ladders.data ?? []).map((l) => (
              <Table.Tr key={l.id} className="cd-row-link" onClick={() => setEditing(l)} data-testid="sla-ladder-row">
                <Table.Td>{l.name}</Table.Td>
                <Table.Td>
                  <Stack gap={0}>
                    {l.steps.map((s, i) => (
                      <Text key={i} size="xs">
                        {stepText(toForm(s, i))}
                      </Text>
                    ))}
                  </Stack>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {editing && <LadderDialog ladder={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Stack>
  );
}

function useStepText() {
  const { t } = useTranslation();
  return (s: StepForm) => {
    const when = t(`sla.ladder.atText.${s.atKind}`, { n: s.atValue });
    const what = [
      ...(s.notify.length ? [t('sla.ladder.notifyText', { who: s.notify.map((r) => t(`sla.ladder.recipient.${r}`)).join(', ') })] : []),
      ...(s.raise ? [t('sla.ladder.raise')] : []),
      ...(s.moveGroupId || s.moveAssigneeId ? [t('sla.ladder.moveText')] : []),
    ].join(', ');
    return `${s.key} · ${t(`sla.ladder.target.${s.target}`)} · ${when}: ${what}`;
  };
}

function LadderDialog({ ladder, onClose }: { ladder: SlaLadderT | null; onClose: () => void }) {
  const { t } = useTranslation();
  const groups = useGroups();
  const users = useUsers();
  const initial = { name: ladder?.name ?? '', steps: (ladder?.steps ?? []).map(toForm) };
  const { form, set, save, errors } = useAdminForm<typeof initial, SlaLadderT>(initial, '/sla-ladders', LADDERS_KEY, onClose);
  const setStep = (i: number, patch: Partial<StepForm>) => set('steps', form.steps.map((s, j) => (j === i ? { ...s, ...patch } : s)));
  const newStep = (): StepForm => ({ key: `step-${form.steps.length + 1}`, target: 'any', atKind: 'percent', atValue: 75, notify: ['assignee'], raise: false, moveGroupId: null, moveAssigneeId: null });
  // Errors of one step come back as `steps.N…`; each is shown inside its step's card.
  const stepErrors = (i: number) => Object.entries(errors).filter(([k]) => k === `steps.${i}` || k.startsWith(`steps.${i}.`)).map(([, m]) => m);
  const shown = ['name', 'steps', ...Object.keys(errors).filter((k) => k.startsWith('steps.'))];
  const submit = () => {
    const body = { name: form.name, steps: form.steps.map(toApi) };
    if (ladder) save.mutate({ id: ladder.id, body: { version: ladder.version, ...changed({ name: ladder.name, steps: ladder.steps }, body) } });
    else save.mutate({ body });
  };
  return (
    <FormModal title={ladder ? t('sla.ladder.edit') : t('sla.ladder.new')} onClose={onClose} onSubmit={submit} save={save} shown={shown}>
      <TextInput label={t('sla.admin.name')} value={form.name} onChange={(e) => set('name', e.currentTarget.value)} error={errors.name} required data-testid="sla-ladder-name" />
      {errors.steps && (
        <Text c="red" size="sm">
          {errors.steps}
        </Text>
      )}
      {form.steps.map((s, i) => (
        <Card key={i} withBorder padding="xs" data-testid="sla-ladder-step">
          <Stack gap="xs">
            <Group align="flex-end" wrap="wrap" gap="xs">
              <TextInput label={t('sla.ladder.key')} value={s.key} onChange={(e) => setStep(i, { key: e.currentTarget.value })} w={120} />
              <Select
                label={t('sla.ladder.targetLabel')}
                data={STEP_TARGETS.map((k) => ({ value: k, label: t(`sla.ladder.target.${k}`) }))}
                value={s.target}
                onChange={(v) => v && setStep(i, { target: v as StepForm['target'] })}
                allowDeselect={false}
                w={170}
              />
              <Select
                label={t('sla.ladder.when')}
                data={AT_KINDS.map((k) => ({ value: k, label: t(`sla.ladder.at.${k}`) }))}
                value={s.atKind}
                onChange={(v) => v && setStep(i, { atKind: v as StepForm['atKind'] })}
                allowDeselect={false}
                w={210}
                data-testid="sla-ladder-at-kind"
              />
              <NumberInput
                label={s.atKind === 'percent' ? t('sla.ladder.percent') : t('sla.ladder.minutes')}
                value={s.atValue}
                onChange={(v) => setStep(i, { atValue: Number(v) })}
                w={110}
                data-testid="sla-ladder-at-value"
              />
              <ActionIcon variant="subtle" color="red" aria-label={t('sla.ladder.remove')} onClick={() => set('steps', form.steps.filter((_, j) => j !== i))} mb={4}>
                ×
              </ActionIcon>
            </Group>
            <Checkbox.Group label={t('sla.ladder.notify')} value={s.notify} onChange={(v) => setStep(i, { notify: v })}>
              <Group gap="md" mt={4}>
                {RECIPIENTS.map((r) => (
                  <Checkbox key={r} value={r} label={t(`sla.ladder.recipient.${r}`)} />
                ))}
              </Group>
            </Checkbox.Group>
            <Switch label={t('sla.ladder.raise')} checked={s.raise} onChange={(e) => setStep(i, { raise: e.currentTarget.checked })} />
            <Group grow>
              <Select
                label={t('sla.ladder.moveGroup')}
                data={(groups.data ?? []).map((g) => ({ value: g.id, label: g.name }))}
                value={s.moveGroupId}
                onChange={(v) => setStep(i, { moveGroupId: v })}
                clearable
                searchable
              />
              <Select
                label={t('sla.ladder.moveAgent')}
                data={(users.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
                value={s.moveAssigneeId}
                onChange={(v) => setStep(i, { moveAssigneeId: v })}
                clearable
                searchable
              />
            </Group>
            {stepErrors(i).map((m, k) => (
              <Text key={k} c="red" size="xs" data-testid="sla-ladder-step-error">
                {m}
              </Text>
            ))}
          </Stack>
        </Card>
      ))}
      <Group>
        <Button variant="default" onClick={() => set('steps', [...form.steps, newStep()])} data-testid="sla-ladder-add-step">
          {t('sla.ladder.add')}
        </Button>
      </Group>
    </FormModal>
  );
}
