import { useState } from 'react';
import { ActionIcon, Alert, Anchor, Badge, Button, Group, Loader, Paper, SegmentedControl, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ReportRecipientT, ScheduledReportKind } from '@caredesk/contracts';
import { SCHEDULED_REPORT_KINDS } from '@caredesk/contracts';
import { canSeeAll, useMe } from '../../auth/session';
import { errorMessage, fieldErrorsOf, notifySuccess } from '../../../shared/ui/errors';
import { formatDateTime } from '../../../shared/ui/labels';
import { periodText } from './format';
import { useArchive, useGenerate, useRecipients, useSaveRecipients } from './queries';

/** The archive of the weekly Customer Care and monthly Key Account reports; managers produce one now and set recipients. */
export default function ArchivePage() {
  const { t, i18n } = useTranslation();
  const { data: me } = useMe();
  const manage = canSeeAll(me);
  const [kind, setKind] = useState<'all' | ScheduledReportKind>('all');
  const archive = useArchive(kind === 'all' ? null : kind);

  return (
    <Stack data-testid="reports-archive">
      <Group justify="space-between">
        <Title order={2}>{t('reportsArchive.title')}</Title>
        <Anchor component={Link} to="/reports">
          {t('reports.dashboard.title')}
        </Anchor>
      </Group>
      <Text c="dimmed" size="sm">
        {t('reportsArchive.schedule')}
      </Text>
      <SegmentedControl
        value={kind}
        onChange={(v) => setKind(v as typeof kind)}
        data={[{ value: 'all', label: t('reportsArchive.all') }, ...SCHEDULED_REPORT_KINDS.map((k) => ({ value: k, label: t(`reportsArchive.kind.${k}`) }))]}
        w="fit-content"
      />
      {manage && <GeneratePanel />}
      <Paper withBorder p="md" radius="md">
        {archive.isPending ? (
          <Loader />
        ) : archive.isError ? (
          <Alert color="red">{errorMessage(archive.error, t)}</Alert>
        ) : !archive.data.items.length ? (
          <Text c="dimmed">{t('reportsArchive.empty')}</Text>
        ) : (
          <Table data-testid="archive-table" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('reportsArchive.report')}</Table.Th>
                <Table.Th>{t('reportsArchive.period')}</Table.Th>
                <Table.Th>{t('reportsArchive.generatedAt')}</Table.Th>
                <Table.Th>{t('reportsArchive.trigger')}</Table.Th>
                <Table.Th>{t('reportsArchive.emails')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {archive.data.items.map((r) => (
                <Table.Tr key={r.id} data-testid={`archive-row-${r.kind}-${r.period}`}>
                  <Table.Td>
                    <Anchor component={Link} to={`/reports/archive/${r.id}`} data-testid="open-archived">
                      {t(`reportsArchive.kind.${r.kind}`)}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{periodText({ kind: r.kind, timeZone: r.timeZone, from: r.periodStart, to: r.periodEnd }, i18n.language)}</Table.Td>
                  <Table.Td>{formatDateTime(r.generatedAt, i18n.language)}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={r.trigger === 'schedule' ? 'blue' : 'gray'}>
                      {t(`reportsArchive.triggerKind.${r.trigger === 'schedule' ? 'schedule' : 'manual'}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{r.deliveries}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
      {manage && <RecipientsPanel />}
    </Stack>
  );
}

function GeneratePanel() {
  const { t } = useTranslation();
  const [kind, setKind] = useState<ScheduledReportKind>('weekly_care');
  const [period, setPeriod] = useState('');
  const gen = useGenerate();
  const errors = fieldErrorsOf(gen.error);
  return (
    <Paper withBorder p="md" radius="md">
      <Text fw={600} mb="xs">
        {t('reportsArchive.produceTitle')}
      </Text>
      <Group align="flex-end">
        <Select
          label={t('reportsArchive.report')}
          value={kind}
          onChange={(v) => v && setKind(v as ScheduledReportKind)}
          data={SCHEDULED_REPORT_KINDS.map((k) => ({ value: k, label: t(`reportsArchive.kind.${k}`) }))}
          allowDeselect={false}
          data-testid="produce-kind"
        />
        <TextInput
          label={t('reportsArchive.period')}
          description={t(kind === 'weekly_care' ? 'reportsArchive.periodWeekHint' : 'reportsArchive.periodMonthHint')}
          placeholder={kind === 'weekly_care' ? '2026-11-01' : '2026-11'}
          value={period}
          onChange={(e) => setPeriod(e.currentTarget.value)}
          error={errors.period}
          dir="ltr"
          data-testid="produce-period"
        />
        <Button
          loading={gen.isPending}
          onClick={() =>
            gen.mutate(
              { kind, ...(period.trim() ? { period: period.trim() } : {}) },
              { onSuccess: (r) => notifySuccess(t(r.created ? 'reportsArchive.produced' : 'reportsArchive.alreadyArchived')) },
            )
          }
          data-testid="produce-now"
        >
          {t('reportsArchive.produce')}
        </Button>
      </Group>
      {gen.isError && !errors.period && (
        <Alert color="red" mt="sm">
          {errorMessage(gen.error, t)}
        </Alert>
      )}
    </Paper>
  );
}

function RecipientsPanel() {
  const { t } = useTranslation();
  const q = useRecipients(true);
  if (q.isPending) return <Loader />;
  if (q.isError) return <Alert color="red">{errorMessage(q.error, t)}</Alert>;
  return (
    <Paper withBorder p="md" radius="md" data-testid="report-recipients">
      <Text fw={600}>{t('reportsArchive.recipients')}</Text>
      <Text size="sm" c="dimmed" mb="sm">
        {t('reportsArchive.recipientsHint')}
      </Text>
      <Stack>
        {SCHEDULED_REPORT_KINDS.map((k) => (
          <RecipientList key={`${k}:${JSON.stringify(q.data[k])}`} kind={k} initial={q.data[k]} />
        ))}
      </Stack>
    </Paper>
  );
}

function RecipientList({ kind, initial }: { kind: ScheduledReportKind; initial: ReportRecipientT[] }) {
  const { t } = useTranslation();
  const [rows, setRows] = useState<ReportRecipientT[]>(initial);
  const save = useSaveRecipients();
  const errors = fieldErrorsOf(save.error);
  const update = (i: number, patch: Partial<ReportRecipientT>) => setRows(rows.map((r, n) => (n === i ? { ...r, ...patch } : r)));
  return (
    <Stack gap="xs" data-testid={`recipients-${kind}`}>
      <Text size="sm" fw={500}>
        {t(`reportsArchive.kind.${kind}`)}
      </Text>
      {!rows.length && (
        <Text size="sm" c="dimmed">
          {t('reportsArchive.noRecipients')}
        </Text>
      )}
      {rows.map((r, i) => (
        <Group key={i} align="flex-start">
          <TextInput
            aria-label={t('reportsArchive.email')}
            placeholder="name@example.com"
            value={r.email}
            onChange={(e) => update(i, { email: e.currentTarget.value })}
            error={errors[`recipients.${i}.email`] ?? errors[`recipients/${i}/email`]}
            dir="ltr"
            w={280}
          />
          <Select
            aria-label={t('reportsArchive.language')}
            value={r.language}
            onChange={(v) => v && update(i, { language: v as 'en' | 'ar' })}
            data={[
              { value: 'en', label: 'English' },
              { value: 'ar', label: 'العربية' },
            ]}
            allowDeselect={false}
            w={130}
          />
          <ActionIcon variant="subtle" color="red" aria-label={t('reportsArchive.remove')} onClick={() => setRows(rows.filter((_, n) => n !== i))} mt={4}>
            ×
          </ActionIcon>
        </Group>
      ))}
      <Group>
        <Button variant="light" size="xs" onClick={() => setRows([...rows, { email: '', language: 'en' }])}>
          {t('reportsArchive.addRecipient')}
        </Button>
        <Button size="xs" loading={save.isPending} onClick={() => save.mutate({ kind, recipients: rows }, { onSuccess: () => notifySuccess(t('reportsArchive.saved')) })}>
          {t('common.save')}
        </Button>
      </Group>
      {save.isError && !Object.keys(errors).length && <Alert color="red">{errorMessage(save.error, t)}</Alert>}
      {save.isError && Object.keys(errors).length > 0 && <Text size="sm" c="red">{t('reportsArchive.fixRows')}</Text>}
    </Stack>
  );
}
