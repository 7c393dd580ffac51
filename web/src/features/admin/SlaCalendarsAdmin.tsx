import { useState } from 'react';
import { Badge, Button, Checkbox, FileButton, Group, Stack, Switch, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { CalendarT } from '@caredesk/contracts';
import { post } from '../../shared/api/client';
import { FormModal } from '../../shared/ui/FormModal';
import { ErrorState, FormErrorAlert, fieldErrorsOf, notifySuccess } from '../../shared/ui/errors';
import { useCalendars } from './SlaPoliciesAdmin';
import { changed, useAdminForm } from './useSave';

const KEY = ['sla', 'calendars'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
type Day = (typeof DAYS)[number];
type Hours = CalendarT['hours'];

/** "08:00-12:00, 13:00-17:00" for a day's intervals; the text form is what admins type. */
const hoursText = (h: Hours, d: Day) => (h[d] ?? []).map(([a, b]) => `${a}-${b}`).join(', ');
/**
 * Splits only on the separators and leaves the times untouched, so a malformed time reaches the
 * server and comes back as a field error under that day instead of being silently dropped.
 */
const parseHours = (text: string): string[][] =>
  text
    .split(/[,;]/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => s.split(/\s*[-–]\s*/));
const holidaysText = (hs: CalendarT['holidays']) => hs.map((h) => `${h.date} ${h.name}`).join('\n');
const parseHolidays = (text: string) =>
  text
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const m = /^(\S+)\s+(.*)$/.exec(s);
      return m ? { date: m[1], name: m[2] } : { date: s, name: s };
    });

export function SlaCalendarsAdmin() {
  const { t } = useTranslation();
  const calendars = useCalendars();
  const [editing, setEditing] = useState<CalendarT | 'new' | null>(null);
  if (calendars.error) return <ErrorState error={calendars.error} />;
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {t('sla.admin.calendarsHelp')}
      </Text>
      <Group justify="flex-end">
        <Button onClick={() => setEditing('new')}>{t('sla.admin.newCalendar')}</Button>
      </Group>
      <Table.ScrollContainer minWidth={700}>
        <Table highlightOnHover data-testid="sla-calendars-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('sla.admin.name')}</Table.Th>
              <Table.Th>{t('sla.admin.timeZone')}</Table.Th>
              <Table.Th>{t('sla.admin.weeklyHours')}</Table.Th>
              <Table.Th>{t('sla.admin.holidays')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(calendars.data ?? []).map((c) => (
              <Table.Tr key={c.id} className="cd-row-link" onClick={() => setEditing(c)} data-testid="sla-calendar-row">
                <Table.Td>
                  <Group gap="xs">
                    {c.name}
                    {c.isDefault && <Badge variant="light">{t('sla.admin.default')}</Badge>}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <bdi>{c.timeZone}</bdi>
                </Table.Td>
                <Table.Td>
                  <Text size="xs">
                    {DAYS.filter((d) => c.hours[d]?.length)
                      .map((d) => `${t(`sla.admin.day.${d}`)} ${hoursText(c.hours, d)}`)
                      .join(' · ')}
                  </Text>
                </Table.Td>
                <Table.Td>{c.holidays.length}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {editing && <CalendarDialog calendar={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Stack>
  );
}

interface CalendarForm {
  name: string;
  timeZone: string;
  isDefault: boolean;
  hours: Record<Day, string>;
  holidays: string;
}

function CalendarDialog({ calendar, onClose }: { calendar: CalendarT | null; onClose: () => void }) {
  const { t } = useTranslation();
  const hours = calendar?.hours ?? { sun: [['08:00', '17:00']], mon: [['08:00', '17:00']], tue: [['08:00', '17:00']], wed: [['08:00', '17:00']], thu: [['08:00', '17:00']] };
  const initial: CalendarForm = {
    name: calendar?.name ?? '',
    timeZone: calendar?.timeZone ?? 'Asia/Riyadh',
    isDefault: calendar?.isDefault ?? false,
    hours: Object.fromEntries(DAYS.map((d) => [d, hoursText(hours, d)])) as Record<Day, string>,
    holidays: holidaysText(calendar?.holidays ?? []),
  };
  const { form, set, save, errors } = useAdminForm<CalendarForm, CalendarT>(initial, '/calendars', KEY, onClose);
  const toBody = (f: CalendarForm) => ({
    name: f.name,
    timeZone: f.timeZone,
    isDefault: f.isDefault,
    hours: Object.fromEntries(DAYS.map((d) => [d, parseHours(f.hours[d])])),
    holidays: parseHolidays(f.holidays),
  });
  // Holiday errors name a line (`holidays.3.date`); one message under the box is enough to find it.
  const holidayError = Object.entries(errors).find(([k]) => k === 'holidays' || k.startsWith('holidays.'));
  const dayError = (d: Day) => Object.entries(errors).find(([k]) => k === `hours.${d}` || k.startsWith(`hours.${d}.`))?.[1];
  const shown = Object.keys(errors).filter((k) => ['name', 'timeZone', 'isDefault'].includes(k) || k.startsWith('hours.') || k.startsWith('holidays'));
  const submit = () => {
    const body = toBody(form);
    if (calendar) save.mutate({ id: calendar.id, body: { version: calendar.version, ...changed(toBody(initial), body) } });
    else save.mutate({ body });
  };
  return (
    <FormModal title={calendar ? t('sla.admin.editCalendar') : t('sla.admin.newCalendar')} onClose={onClose} onSubmit={submit} save={save} shown={shown}>
      <TextInput label={t('sla.admin.name')} value={form.name} onChange={(e) => set('name', e.currentTarget.value)} error={errors.name} required />
      <TextInput
        label={t('sla.admin.timeZone')}
        description={t('sla.admin.timeZoneHint')}
        value={form.timeZone}
        onChange={(e) => set('timeZone', e.currentTarget.value)}
        error={errors.timeZone}
        dir="ltr"
        data-testid="sla-calendar-zone"
      />
      <Switch label={t('sla.admin.default')} checked={form.isDefault} onChange={(e) => set('isDefault', e.currentTarget.checked)} />
      <Title order={5}>{t('sla.admin.weeklyHours')}</Title>
      <Text size="xs" c="dimmed">
        {t('sla.admin.hoursHint')}
      </Text>
      {DAYS.map((d) => (
        <TextInput
          key={d}
          label={t(`sla.admin.day.${d}`)}
          value={form.hours[d]}
          onChange={(e) => set('hours', { ...form.hours, [d]: e.currentTarget.value })}
          placeholder={t('sla.admin.closed')}
          error={dayError(d)}
          dir="ltr"
        />
      ))}
      <Textarea
        label={t('sla.admin.holidays')}
        description={t('sla.admin.holidaysHint')}
        value={form.holidays}
        onChange={(e) => set('holidays', e.currentTarget.value)}
        autosize
        minRows={2}
        maxRows={10}
        error={holidayError ? `${holidayError[0]}: ${holidayError[1]}` : undefined}
        dir="ltr"
      />
      {calendar && <IcsImport calendar={calendar} onDone={onClose} />}
    </FormModal>
  );
}

/** Holidays from an iCalendar file, added on the server so every event day is expanded the same way. */
function IcsImport({ calendar, onDone }: { calendar: CalendarT; onDone: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [replace, setReplace] = useState(false);
  const run = useMutation({
    mutationFn: async (file: File) => post<CalendarT>(`/calendars/${calendar.id}/holidays/import`, { ics: await file.text(), replace }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: KEY });
      notifySuccess(t('sla.admin.imported'));
      onDone();
    },
  });
  const errors = fieldErrorsOf(run.error);
  return (
    <Stack gap="xs">
      <Title order={5}>{t('sla.admin.importIcs')}</Title>
      <Group>
        <FileButton onChange={(f) => f && run.mutate(f)} accept=".ics,text/calendar">
          {(props) => (
            <Button variant="default" loading={run.isPending} {...props}>
              {t('sla.admin.chooseIcs')}
            </Button>
          )}
        </FileButton>
        <Checkbox label={t('sla.admin.replaceHolidays')} checked={replace} onChange={(e) => setReplace(e.currentTarget.checked)} />
      </Group>
      {errors.ics && (
        <Text c="red" size="sm" role="alert">
          {errors.ics}
        </Text>
      )}
      <FormErrorAlert error={run.error} shown={['ics']} />
    </Stack>
  );
}
