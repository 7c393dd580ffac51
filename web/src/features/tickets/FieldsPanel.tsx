import { useEffect, useMemo, useState } from 'react';
import { Alert, Anchor, Button, Divider, Group, Paper, Select, Stack, TagsInput, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isApiError, patch } from '../../shared/api/client';
import {
  PRIORITIES,
  type Priority,
  type Ticket,
  type TicketStatus,
} from '../../shared/api/types';
import { FormErrorAlert, fieldErrorsOf, notifySuccess, type FieldErrors } from '../../shared/ui/errors';
import { useLabels } from '../../shared/ui/labels';
import { useCurrentUser } from '../auth/session';
import { useGroups, useUsers } from '../people/queries';
import { COUNTS_KEY } from '../../shared/ui/AppLayout';
import { useCategories } from './reference';
import { ShipmentFields, shipmentForm, shipmentPayload, type ShipmentForm, SHIPMENT_ERROR_FIELDS } from './ShipmentFields';
import { SolveDialog, type SolveInput } from './SolveDialog';

interface FormState {
  status: TicketStatus;
  priority: Priority;
  categoryId: string | null;
  groupId: string | null;
  assigneeId: string | null;
  tags: string[];
  shipment: ShipmentForm;
}

function fromTicket(t: Ticket): FormState {
  return {
    status: t.status,
    priority: t.priority,
    categoryId: t.category?.id ?? null,
    groupId: t.group?.id ?? null,
    assigneeId: t.assignee?.id ?? null,
    tags: t.tags ?? [],
    shipment: shipmentForm(t.shipment),
  };
}

const OPEN_STATUSES: TicketStatus[] = ['new', 'open', 'pending', 'on-hold', 'solved'];

function allowedStatuses(current: TicketStatus): TicketStatus[] {
  if (current === 'closed') return ['closed'];
  if (current === 'solved') return ['solved', 'open', 'closed'];
  return OPEN_STATUSES;
}

const SHOWN = [
  'status',
  'priority',
  'categoryId',
  'groupId',
  'assigneeId',
  'tags',
  ...SHIPMENT_ERROR_FIELDS,
];

export function FieldsPanel({ ticket, onReload }: { ticket: Ticket; onReload: () => void }) {
  const { t } = useTranslation();
  const l = useLabels();
  const qc = useQueryClient();
  const me = useCurrentUser();
  const users = useUsers();
  const groups = useGroups();
  const categories = useCategories(true);
  const [form, setForm] = useState<FormState>(() => fromTicket(ticket));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [solveOpen, setSolveOpen] = useState(false);
  const [conflict, setConflict] = useState(false);

  // A newer version from the server replaces the form.
  useEffect(() => {
    setForm(fromTicket(ticket));
    setErrors({});
    setConflict(false);
  }, [ticket.id, ticket.version]); // eslint-disable-line react-hooks/exhaustive-deps

  const initial = useMemo(() => fromTicket(ticket), [ticket]);
  const category = categories.data?.find((c) => c.id === form.categoryId);
  const shipmentRelated = !!category?.shipmentRelated;
  const closed = ticket.status === 'closed';

  const buildPatch = (extra: Record<string, unknown> = {}) => {
    const body: Record<string, unknown> = { version: ticket.version };
    if (form.priority !== initial.priority) body.priority = form.priority;
    if (form.categoryId !== initial.categoryId && form.categoryId) body.categoryId = form.categoryId;
    if (form.groupId !== initial.groupId && form.groupId) body.groupId = form.groupId;
    if (form.assigneeId !== initial.assigneeId) body.assigneeId = form.assigneeId;
    if (JSON.stringify(form.tags) !== JSON.stringify(initial.tags)) body.tags = form.tags;
    if (JSON.stringify(form.shipment) !== JSON.stringify(initial.shipment) || (shipmentRelated && body.categoryId))
      body.shipment = shipmentPayload(form.shipment);
    if (form.status !== initial.status && form.status !== 'solved') body.status = form.status;
    return { ...body, ...extra };
  };

  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) => patch<Ticket>(`/tickets/${ticket.id}`, body),
    onSuccess: (updated) => {
      qc.setQueryData(['ticket', String(updated.number)], updated);
      void qc.invalidateQueries({ queryKey: ['ticket', updated.id, 'timeline'] });
      void qc.invalidateQueries({ queryKey: ['tickets'] });
      void qc.invalidateQueries({ queryKey: COUNTS_KEY });
      setSolveOpen(false);
      setErrors({});
      notifySuccess(t('ticket.saved'));
    },
    onError: (e) => {
      if (isApiError(e) && e.code === 'version_conflict') {
        setConflict(true);
        setSolveOpen(false);
      }
      setErrors(fieldErrorsOf(e));
    },
  });

  const dirty = JSON.stringify(form) !== JSON.stringify(initial);

  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setErrors((e) => {
      const { [key as string]: _drop, ...rest } = e;
      return rest;
    });
  };

  const onStatus = (v: string | null) => {
    if (!v) return;
    set('status', v as TicketStatus);
    if (v === 'solved' && ticket.status !== 'solved') {
      save.reset();
      setSolveOpen(true);
    }
  };

  const solve = (input: SolveInput) => {
    const extra: Record<string, unknown> = { status: 'solved', resolution: input.resolution };
    if (input.reasonCodeId) extra.reasonCodeId = input.reasonCodeId;
    save.mutate(buildPatch(extra));
  };

  const groupMembers = form.groupId ? groups.data?.find((g) => g.id === form.groupId)?.memberIds : undefined;
  const assigneeOptions = (users.data ?? [])
    .filter((u) => u.active && (!groupMembers || groupMembers.includes(u.id) || u.id === form.assigneeId))
    .map((u) => ({ value: u.id, label: u.name }));
  if (form.assigneeId && !assigneeOptions.some((o) => o.value === form.assigneeId) && ticket.assignee)
    assigneeOptions.push({ value: ticket.assignee.id, label: ticket.assignee.name });

  const groupOptions = (groups.data ?? []).map((g) => ({
    value: g.id,
    label: g.name,
    disabled: ticket.handedOffFromKeyAccounts && g.kind === 'key-accounts' && g.id !== initial.groupId,
  }));
  if (ticket.group && !groupOptions.some((o) => o.value === ticket.group!.id))
    groupOptions.push({ value: ticket.group.id, label: ticket.group.name, disabled: false });

  const categoryOptions = (categories.data ?? [])
    .filter((c) => c.active || c.id === form.categoryId)
    .map((c) => ({ value: c.id, label: l.name(c) }));
  if (ticket.category && !categoryOptions.some((o) => o.value === ticket.category!.id))
    categoryOptions.push({ value: ticket.category.id, label: l.name(ticket.category) });

  return (
    <Paper withBorder p="md" radius="md" data-testid="fields-panel">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (form.status === 'solved' && ticket.status !== 'solved') setSolveOpen(true);
          else save.mutate(buildPatch());
        }}
        noValidate
      >
        <Stack gap="sm">
          {conflict && (
            <Alert color="orange" role="alert" title={t('ticket.conflictTitle')} data-testid="version-conflict">
              <Stack gap="xs" align="flex-start">
                <Text size="sm">{t('errors.versionConflict')}</Text>
                <Button
                  size="xs"
                  onClick={() => {
                    setConflict(false);
                    onReload();
                  }}
                >
                  {t('common.reload')}
                </Button>
              </Stack>
            </Alert>
          )}
          {!conflict && !solveOpen && <FormErrorAlert error={save.error} shown={SHOWN} />}
          <Select
            label={t('ticket.status')}
            data={allowedStatuses(ticket.status).map((s) => ({ value: s, label: l.status(s) }))}
            value={form.status}
            onChange={onStatus}
            allowDeselect={false}
            disabled={closed}
            error={errors['status']}
          />
          <Select
            label={t('ticket.priority')}
            data={PRIORITIES.map((p) => ({ value: p, label: l.priority(p) }))}
            value={form.priority}
            onChange={(v) => v && set('priority', v as Priority)}
            allowDeselect={false}
            disabled={closed}
            error={errors['priority']}
          />
          <Select
            label={t('ticket.category')}
            data={categoryOptions}
            value={form.categoryId}
            onChange={(v) => set('categoryId', v)}
            searchable
            disabled={closed}
            error={errors['categoryId']}
          />
          <Select
            label={t('ticket.group')}
            data={groupOptions}
            value={form.groupId}
            onChange={(v) => {
              set('groupId', v);
              const members = groups.data?.find((g) => g.id === v)?.memberIds;
              if (members && form.assigneeId && !members.includes(form.assigneeId)) set('assigneeId', null);
            }}
            searchable
            disabled={closed}
            error={errors['groupId']}
            description={ticket.handedOffFromKeyAccounts ? t('ticket.handedOffHint') : undefined}
          />
          <Select
            label={t('ticket.assignee')}
            placeholder={t('ticket.unassigned')}
            data={assigneeOptions}
            value={form.assigneeId}
            onChange={(v) => set('assigneeId', v)}
            searchable
            clearable
            disabled={closed}
            error={errors['assigneeId']}
          />
          {!closed && form.assigneeId !== me.id && (
            <Anchor component="button" type="button" size="xs" onClick={() => set('assigneeId', me.id)} ta="start">
              {t('ticket.assignToMe')}
            </Anchor>
          )}
          <TagsInput
            label={t('ticket.tags')}
            value={form.tags}
            onChange={(v) => set('tags', v)}
            clearable
            disabled={closed}
            error={errors['tags']}
          />
          {shipmentRelated && (
            <ShipmentFields
              value={form.shipment}
              onChange={(f, v) => {
                setForm((s) => ({ ...s, shipment: { ...s.shipment, [f]: v } }));
                setErrors((e) => {
                  const { [`shipment.${f}`]: _drop, ...rest } = e;
                  return rest;
                });
              }}
              errors={errors}
              narrow
              disabled={closed}
            />
          )}
          {!closed && (
            <Group justify="flex-end" gap="xs">
              {dirty && (
                <Button variant="default" onClick={() => setForm(initial)}>
                  {t('common.discard')}
                </Button>
              )}
              <Button type="submit" disabled={!dirty} loading={save.isPending && !solveOpen}>
                {t('common.save')}
              </Button>
            </Group>
          )}
        </Stack>
      </form>

      <Divider my="md" />
      <Stack gap={6}>
        <Text size="sm">
          <Text span c="dimmed">
            {t('ticket.requester')}:{' '}
          </Text>
          {ticket.requester ? (
            <Anchor component={Link} to={`/contacts/${ticket.requester.id}`} data-testid="requester-link">
              {ticket.requester.name}
            </Anchor>
          ) : (
            '—'
          )}
        </Text>
        <Text size="sm">
          <Text span c="dimmed">
            {t('ticket.account')}:{' '}
          </Text>
          {ticket.account ? (
            <Anchor component={Link} to={`/accounts/${ticket.account.id}`} data-testid="account-link">
              {ticket.account.name}
            </Anchor>
          ) : (
            '—'
          )}
        </Text>
        <Text size="sm">
          <Text span c="dimmed">
            {t('ticket.channel')}:{' '}
          </Text>
          {l.channel(ticket.channel)}
        </Text>
        {ticket.createdBy && (
          <Text size="sm">
            <Text span c="dimmed">
              {t('ticket.createdBy')}:{' '}
            </Text>
            {ticket.createdBy.name}
            {ticket.onBehalf && ` (${t('ticket.onBehalfShort')})`}
          </Text>
        )}
        <Text size="sm">
          <Text span c="dimmed">
            {t('ticket.created')}:{' '}
          </Text>
          {l.dateTime(ticket.createdAt)}
        </Text>
        {ticket.resolution && (
          <Paper bg="teal.0" p="xs" radius="sm" data-testid="resolution">
            <Text size="sm" fw={600}>
              {t('ticket.resolution')}
            </Text>
            {ticket.reasonCode && (
              <Text size="sm">
                <Text span c="dimmed">
                  {t('solve.reasonCode')}:{' '}
                </Text>
                {l.name(ticket.reasonCode)}
              </Text>
            )}
            <Text size="sm">
              <Text span c="dimmed">
                {t('resolution.rootCause')}:{' '}
              </Text>
              {ticket.resolution.rootCause}
            </Text>
            <Text size="sm">
              <Text span c="dimmed">
                {t('resolution.solution')}:{' '}
              </Text>
              {ticket.resolution.solution}
            </Text>
            <Text size="sm">
              <Text span c="dimmed">
                {t('resolution.actionTaken')}:{' '}
              </Text>
              {ticket.resolution.actionTaken}
            </Text>
          </Paper>
        )}
      </Stack>

      <SolveDialog
        opened={solveOpen}
        onClose={() => {
          setSolveOpen(false);
          set('status', initial.status);
          save.reset();
        }}
        onSubmit={solve}
        pending={save.isPending}
        error={save.error}
        initial={{ reasonCodeId: ticket.reasonCodeId, resolution: ticket.resolution ?? undefined }}
      />
    </Paper>
  );
}
