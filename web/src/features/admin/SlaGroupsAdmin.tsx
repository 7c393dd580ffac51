import { useState } from 'react';
import { Button, Card, Group, MultiSelect, NumberInput, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { SlaGroupSettingT } from '@caredesk/contracts';
import { get, api } from '../../shared/api/client';
import { ErrorState, FormErrorAlert, fieldErrorsOf, notifySuccess } from '../../shared/ui/errors';
import { useLabels } from '../../shared/ui/labels';
import { useGroups } from '../people/queries';
import { useCalendars } from './SlaPoliciesAdmin';
import { useLadders } from './SlaLaddersAdmin';

type Setting = SlaGroupSettingT;
const SETTINGS_KEY = ['sla', 'group-settings'];
const PAUSE_KEY = ['sla', 'settings'];
const UNITS = ['business_minutes', 'calendar_minutes', 'business_days'] as const;
/** Solved and closed stop the clocks; only these can pause them. */
const OPEN_STATUSES = ['new', 'open', 'pending', 'on-hold'] as const;

/** Per group: the calendar its clocks count in, a department's internal target and ladder; and which statuses pause clocks. */
export function SlaGroupsAdmin() {
  const { t } = useTranslation();
  const groups = useGroups();
  const settings = useQuery({ queryKey: SETTINGS_KEY, queryFn: () => get<{ items: Setting[] }>('/sla-group-settings').then((r) => r.items) });
  if (groups.error || settings.error) return <ErrorState error={groups.error ?? settings.error} />;
  const byGroup = new Map((settings.data ?? []).map((s) => [s.groupId, s]));
  return (
    <Stack>
      <PauseStatuses />
      <Title order={4}>{t('sla.groups.title')}</Title>
      <Text size="sm" c="dimmed">
        {t('sla.groups.help')}
      </Text>
      <Table.ScrollContainer minWidth={900}>
        <Table data-testid="sla-groups-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('ticket.group')}</Table.Th>
              <Table.Th>{t('sla.admin.calendarField')}</Table.Th>
              <Table.Th>{t('sla.groups.internal')}</Table.Th>
              <Table.Th>{t('sla.groups.ladder')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {settings.data &&
              (groups.data ?? []).map((g) => <GroupRow key={g.id} groupId={g.id} name={g.name} setting={byGroup.get(g.id)} />)}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

function GroupRow({ groupId, name, setting }: { groupId: string; name: string; setting: Setting | undefined }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const calendars = useCalendars();
  const ladders = useLadders();
  const [calendarId, setCalendarId] = useState<string | null>(setting?.calendarId ?? null);
  const [amount, setAmount] = useState<number | string>(setting?.internalTarget?.amount ?? '');
  const [unit, setUnit] = useState<string>(setting?.internalTarget?.unit ?? 'business_minutes');
  const [ladderId, setLadderId] = useState<string | null>(setting?.ladderId ?? null);
  const save = useMutation({
    mutationFn: () =>
      api(`/sla-group-settings/${groupId}`, {
        method: 'PUT',
        // An empty amount means no internal target; anything else goes as typed so the server can refuse it by name.
        body: { calendarId, ladderId, internalTarget: amount === '' ? null : { amount: Number(amount), unit } },
      }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: SETTINGS_KEY });
      notifySuccess(t('common.saved'));
    },
  });
  const errors = fieldErrorsOf(save.error);
  const amountError = errors['internalTarget.amount'] ?? errors.internalTarget;
  return (
    <>
      <Table.Tr data-testid="sla-group-row">
        <Table.Td>{name}</Table.Td>
        <Table.Td>
          <Select
            aria-label={t('sla.admin.calendarField')}
            data={(calendars.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
            value={calendarId}
            onChange={setCalendarId}
            clearable
            placeholder={t('sla.groups.defaultCalendar')}
            error={errors.calendarId}
          />
        </Table.Td>
        <Table.Td>
          <Group gap="xs" wrap="nowrap">
            <NumberInput aria-label={t('sla.admin.amount')} value={amount} onChange={setAmount} w={90} placeholder={t('sla.groups.none')} error={amountError} data-testid="sla-group-amount" />
            <Select aria-label={t('sla.admin.unit')} data={UNITS.map((u) => ({ value: u, label: t(`sla.unit.${u}`) }))} value={unit} onChange={(v) => v && setUnit(v)} allowDeselect={false} w={200} />
          </Group>
        </Table.Td>
        <Table.Td>
          <Select
            aria-label={t('sla.groups.ladder')}
            data={(ladders.data ?? []).map((l) => ({ value: l.id, label: l.name }))}
            value={ladderId}
            onChange={setLadderId}
            clearable
            placeholder={t('sla.groups.noLadder')}
            error={errors.ladderId}
          />
        </Table.Td>
        <Table.Td>
          <Button size="xs" onClick={() => save.mutate()} loading={save.isPending} data-testid="sla-group-save">
            {t('common.save')}
          </Button>
        </Table.Td>
      </Table.Tr>
      {save.error != null && (
        <Table.Tr>
          <Table.Td colSpan={5}>
            <FormErrorAlert error={save.error} shown={['calendarId', 'ladderId', 'internalTarget', 'internalTarget.amount']} />
          </Table.Td>
        </Table.Tr>
      )}
    </>
  );
}

function PauseStatuses() {
  const { t } = useTranslation();
  const l = useLabels();
  const qc = useQueryClient();
  const current = useQuery({ queryKey: PAUSE_KEY, queryFn: () => get<{ pauseStatuses: string[] }>('/sla-settings') });
  const [value, setValue] = useState<string[] | null>(null);
  const shownValue = value ?? current.data?.pauseStatuses ?? [];
  const save = useMutation({
    mutationFn: () => api('/sla-settings', { method: 'PUT', body: { pauseStatuses: shownValue } }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: PAUSE_KEY });
      notifySuccess(t('common.saved'));
    },
  });
  const errors = fieldErrorsOf(save.error);
  const error = Object.entries(errors).find(([k]) => k === 'pauseStatuses' || k.startsWith('pauseStatuses.'))?.[1];
  return (
    <Card withBorder data-testid="sla-pause-settings">
      <Stack gap="xs">
        <Title order={4}>{t('sla.pause.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('sla.pause.help')}
        </Text>
        <Group align="flex-end">
          <MultiSelect
            label={t('sla.pause.statuses')}
            data={OPEN_STATUSES.map((s) => ({ value: s, label: l.status(s) }))}
            value={shownValue}
            onChange={setValue}
            error={error}
            w={360}
            data-testid="sla-pause-statuses"
          />
          <Button onClick={() => save.mutate()} loading={save.isPending} data-testid="sla-pause-save">
            {t('common.save')}
          </Button>
        </Group>
        <FormErrorAlert error={save.error} shown={Object.keys(errors)} />
      </Stack>
    </Card>
  );
}
