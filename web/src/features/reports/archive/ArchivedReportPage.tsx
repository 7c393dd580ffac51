import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Group, Loader, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { BarChart } from '@mantine/charts';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { MonthlyReportData, ReportFigure, WeeklyReportData } from '@caredesk/contracts';
import { errorMessage, notifyError } from '../../../shared/ui/errors';
import { formatDateTime } from '../../../shared/ui/labels';
import { isApiError } from '../../../shared/api/client';
import { change, fmtNumber, periodText } from './format';
import { archiveCsvUrl, downloadPdf, useArchivedReport } from './queries';

/** One archived report with its charts, downloadable as PDF (in the reader's language) and CSV. */
export default function ArchivedReportPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const q = useArchivedReport(id);
  const [busy, setBusy] = useState(false);
  const [pdfError, setPdfError] = useState<string | null>(null);
  if (q.isPending) return <Loader />;
  if (q.isError) return <Alert color="red">{errorMessage(q.error, t)}</Alert>;
  const r = q.data;
  const lng = i18n.language === 'ar' ? 'ar' : 'en';
  const base = `${r.kind === 'weekly_care' ? 'customer-care-report' : 'key-account-report'}-${r.period}${lng === 'ar' ? '-ar' : ''}`;
  const pdf = async () => {
    setBusy(true);
    setPdfError(null);
    try {
      await downloadPdf(r.id, lng, `${base}.pdf`);
    } catch (e) {
      if (isApiError(e) && e.code === 'reports.pdf_unavailable') setPdfError(t('reportsArchive.pdfUnavailable'));
      else notifyError(e, t);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack data-testid="archived-report" data-kind={r.kind}>
      <Group justify="space-between">
        <div>
          <Title order={2}>{t(`reportsArchive.kind.${r.kind}`)}</Title>
          <Text c="dimmed" size="sm">
            {t('reportsArchive.periodIs', { period: periodText(r.data, lng) })} · {t('reportsArchive.previousIs', { period: periodText({ ...r.data, from: r.data.previousFrom, to: r.data.previousTo }, lng) })} ·{' '}
            {t('reportsArchive.generatedOn', { at: formatDateTime(r.generatedAt, lng) })}
          </Text>
        </div>
        <Group>
          <Anchor component={Link} to="/reports/archive">
            {t('reportsArchive.title')}
          </Anchor>
          <Button variant="light" component="a" href={archiveCsvUrl(r.id, lng)} download={`${base}.csv`} data-testid="download-csv">
            {t('reportsArchive.downloadCsv')}
          </Button>
          <Button onClick={pdf} loading={busy} data-testid="download-pdf">
            {t('reportsArchive.downloadPdf')}
          </Button>
        </Group>
      </Group>
      {pdfError && <Alert color="orange">{pdfError}</Alert>}
      {r.data.kind === 'weekly_care' ? <Weekly d={r.data} /> : <Monthly d={r.data} />}
    </Stack>
  );
}

function Delta({ f, digits = 0 }: { f: ReportFigure; digits?: number }) {
  const { i18n } = useTranslation();
  const c = change(f);
  if (c === null) return null;
  return (
    <Text span size="xs" c={c > 0 ? 'red' : c < 0 ? 'teal' : 'dimmed'}>
      <bdi>
        {c > 0 ? '▲ +' : c < 0 ? '▼ ' : '● '}
        {fmtNumber(c, i18n.language, digits)}
      </bdi>
    </Text>
  );
}

function Card({ label, f, digits = 0, unit = '' }: { label: string; f: ReportFigure; digits?: number; unit?: string }) {
  const { t, i18n } = useTranslation();
  return (
    <Paper withBorder p="sm" radius="md">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="xl">
        <bdi>
          {fmtNumber(f.value, i18n.language, digits)}
          {f.value === null ? '' : unit}
        </bdi>
      </Text>
      <Text size="xs" c="dimmed">
        {t('reports.previousPeriod')}: <bdi>{fmtNumber(f.previous, i18n.language, digits)}</bdi> <Delta f={f} digits={digits} />
      </Text>
    </Paper>
  );
}

/** recharts does not mirror for right-to-left; categories are reversed and the axis moved, as on the report pages. */
function Bars({ data, series, testId, max }: { data: Record<string, unknown>[]; series: { name: string; label: string; color: string }[]; testId: string; max?: number }) {
  const { i18n } = useTranslation();
  const rtl = i18n.dir() === 'rtl';
  return (
    <div dir="ltr" data-testid={testId}>
      <BarChart
        h={260}
        data={rtl ? [...data].reverse() : data}
        dataKey="label"
        withLegend
        series={series}
        yAxisProps={{ orientation: rtl ? 'right' : 'left', ...(max ? { domain: [0, max] } : {}) }}
      />
    </div>
  );
}

function Weekly({ d }: { d: WeeklyReportData }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const day = (iso: string) => new Intl.DateTimeFormat(lng === 'ar' ? 'ar-SA-u-ca-gregory' : 'en-GB', { weekday: 'short', day: 'numeric', timeZone: 'UTC' }).format(new Date(`${iso}T12:00:00Z`));
  return (
    <Stack>
      <SimpleGrid cols={{ base: 2, md: 3, lg: 6 }}>
        <Card label={t('reportsArchive.m.contacts')} f={d.totals.contacts} />
        <Card label={t('reportsArchive.m.issues')} f={d.totals.issues} />
        <Card label={t('reportsArchive.m.complaints')} f={d.totals.complaints} />
        {d.claimsTracked ? (
          <Card label={t('reportsArchive.m.claims')} f={d.totals.claims} />
        ) : (
          <Paper withBorder p="sm" radius="md">
            <Text size="xs" c="dimmed">
              {t('reportsArchive.m.claims')}
            </Text>
            <Text size="sm">{t('reportsArchive.noClaimsModule')}</Text>
          </Paper>
        )}
        <Card label={t('reportsArchive.m.escalations')} f={d.totals.escalations} />
        <Card label={t('reportsArchive.m.sla')} f={d.totals.slaCompliance} digits={1} unit="%" />
      </SimpleGrid>
      {d.claimsTracked && d.totals.claims.value === 0 && <Text size="sm" c="dimmed">{t('reportsArchive.noClaims')}</Text>}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Paper withBorder p="md" radius="md">
          <Text fw={600} mb="xs">
            {t('reportsArchive.chart.daily')}
          </Text>
          <Bars testId="chart-daily" data={d.daily.map((x) => ({ label: day(x.day), value: x.value }))} series={[{ name: 'value', label: t('reportsArchive.m.tickets'), color: 'blue.6' }]} />
        </Paper>
        <Paper withBorder p="md" radius="md">
          <Text fw={600} mb="xs">
            {t('reportsArchive.chart.issuesPerAccount')}
          </Text>
          <Bars
            testId="chart-accounts"
            data={d.accounts.map((a) => ({ label: a.name, value: a.issues.value, previous: a.issues.previous }))}
            series={[
              { name: 'value', label: t('reports.thisPeriod'), color: 'blue.6' },
              { name: 'previous', label: t('reports.previousPeriod'), color: 'gray.4' },
            ]}
          />
        </Paper>
      </SimpleGrid>
      <Paper withBorder p="md" radius="md">
        {!d.accounts.length ? (
          <Text c="dimmed">{t('reportsArchive.noAccounts')}</Text>
        ) : (
          <Table data-testid="weekly-accounts">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('reportsArchive.m.rank')}</Table.Th>
                <Table.Th>{t('reportsArchive.m.account')}</Table.Th>
                <Table.Th>{t('reportsArchive.m.contacts')}</Table.Th>
                <Table.Th>{t('reportsArchive.m.issues')}</Table.Th>
                <Table.Th>{t('reportsArchive.m.complaints')}</Table.Th>
                <Table.Th>{t('reportsArchive.m.claims')}</Table.Th>
                <Table.Th>{t('reportsArchive.m.escalations')}</Table.Th>
                <Table.Th>{t('reportsArchive.m.sla')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {d.accounts.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td>{fmtNumber(a.rank, lng)}</Table.Td>
                  <Table.Td>{a.name}</Table.Td>
                  {[a.contacts, a.issues, a.complaints].map((f, i) => (
                    <Table.Td key={i}>
                      {fmtNumber(f.value, lng)} <Delta f={f} />
                    </Table.Td>
                  ))}
                  <Table.Td>{d.claimsTracked ? <>{fmtNumber(a.claims.value, lng)} <Delta f={a.claims} /></> : '—'}</Table.Td>
                  <Table.Td>
                    {fmtNumber(a.escalations.value, lng)} <Delta f={a.escalations} />
                  </Table.Td>
                  <Table.Td>{a.slaCompliance.value === null ? '—' : `${fmtNumber(a.slaCompliance.value, lng, 1)}%`}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
      <Paper withBorder p="md" radius="md">
        <Text fw={600} mb="xs">
          {t('reportsArchive.notesTitle')}
        </Text>
        {d.accounts.every((a) => !a.notes.length) && <Text c="dimmed">{t('reportsArchive.noNotes')}</Text>}
        <Stack gap="sm">
          {d.accounts
            .filter((a) => a.notes.length)
            .map((a) => (
              <div key={a.id}>
                <Text fw={600}>{a.name}</Text>
                {a.notes.map((n) => (
                  <Stack gap={2} key={n.week}>
                    {n.trends && <Text size="sm" dir="auto"><b>{t('reportsArchive.trends')}:</b> {n.trends}</Text>}
                    {n.problems && <Text size="sm" dir="auto"><b>{t('reportsArchive.problems')}:</b> {n.problems}</Text>}
                    {n.opportunities && <Text size="sm" dir="auto"><b>{t('reportsArchive.opportunities')}:</b> {n.opportunities}</Text>}
                  </Stack>
                ))}
              </div>
            ))}
        </Stack>
      </Paper>
    </Stack>
  );
}

function Monthly({ d }: { d: MonthlyReportData }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const name = (c: { en: string; ar: string }) => (lng === 'ar' ? c.ar : c.en);
  const catTotals = d.categories
    .map((c) => ({ label: name(c), value: d.accounts.reduce((s, a) => s + (a.byCategory.find((x) => x.id === c.id)?.value ?? 0), 0) }))
    .sort((a, b) => b.value - a.value);
  return (
    <Stack>
      <SimpleGrid cols={{ base: 2, md: 3, lg: 5 }}>
        <Card label={t('reportsArchive.m.tickets')} f={d.totals.tickets} />
        <Card label={t('reportsArchive.m.sla')} f={d.totals.slaCompliance} digits={1} unit="%" />
        <Card label={t('reportsArchive.m.escalations')} f={d.totals.escalations} />
        <Card label={t('reportsArchive.m.resolution')} f={d.totals.resolutionHours} digits={1} />
        <Paper withBorder p="sm" radius="md">
          <Text size="xs" c="dimmed">
            {t('reportsArchive.m.proactive')}
          </Text>
          <Text fw={700} size="xl">
            <bdi>
              {fmtNumber(d.totals.proactiveDone.value, lng)} / {fmtNumber(d.totals.proactivePlanned.value, lng)}
            </bdi>
          </Text>
          <Text size="xs" c="dimmed">
            {t('reports.previousPeriod')}:{' '}
            <bdi>
              {fmtNumber(d.totals.proactiveDone.previous, lng)} / {fmtNumber(d.totals.proactivePlanned.previous, lng)}
            </bdi>
          </Text>
        </Paper>
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Paper withBorder p="md" radius="md">
          <Text fw={600} mb="xs">
            {t('reportsArchive.chart.ticketsPerAccount')}
          </Text>
          <Bars
            testId="chart-tickets"
            data={d.accounts.map((a) => ({ label: a.name, value: a.tickets.value, previous: a.tickets.previous }))}
            series={[
              { name: 'value', label: t('reports.thisPeriod'), color: 'blue.6' },
              { name: 'previous', label: t('reports.previousPeriod'), color: 'gray.4' },
            ]}
          />
        </Paper>
        <Paper withBorder p="md" radius="md">
          <Text fw={600} mb="xs">
            {t('reportsArchive.chart.slaPerAccount')}
          </Text>
          <Bars
            testId="chart-sla"
            max={100}
            data={d.accounts.map((a) => ({ label: a.name, value: a.slaCompliance.value, previous: a.slaCompliance.previous }))}
            series={[
              { name: 'value', label: t('reports.thisPeriod'), color: 'teal.6' },
              { name: 'previous', label: t('reports.previousPeriod'), color: 'gray.4' },
            ]}
          />
        </Paper>
      </SimpleGrid>
      {catTotals.length > 0 && (
        <Paper withBorder p="md" radius="md">
          <Text fw={600} mb="xs">
            {t('reportsArchive.chart.categories')}
          </Text>
          <Bars testId="chart-categories" data={catTotals} series={[{ name: 'value', label: t('reportsArchive.m.tickets'), color: 'orange.6' }]} />
        </Paper>
      )}
      <Paper withBorder p="md" radius="md">
        {!d.accounts.length ? (
          <Text c="dimmed">{t('reportsArchive.noAccounts')}</Text>
        ) : (
          <Table data-testid="monthly-accounts">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('reportsArchive.m.rank')}</Table.Th>
                <Table.Th>{t('reportsArchive.m.rankChange')}</Table.Th>
                <Table.Th>{t('reportsArchive.m.account')}</Table.Th>
                <Table.Th>{t('reportsArchive.m.officer')}</Table.Th>
                <Table.Th>{t('reportsArchive.m.tickets')}</Table.Th>
                <Table.Th>{t('reportsArchive.m.byCategory')}</Table.Th>
                <Table.Th>{t('reportsArchive.m.sla')}</Table.Th>
                <Table.Th>{t('reportsArchive.m.escalations')}</Table.Th>
                <Table.Th>{t('reportsArchive.m.resolution')}</Table.Th>
                <Table.Th>{t('reportsArchive.m.proactive')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {d.accounts.map((a) => {
                const moved = a.rank !== null && a.previousRank !== null ? a.previousRank - a.rank : null;
                return (
                  <Table.Tr key={a.id}>
                    <Table.Td>{fmtNumber(a.rank, lng)}</Table.Td>
                    <Table.Td>
                      {a.rank !== null && a.previousRank === null ? (
                        <Badge variant="light">{t('reportsArchive.newKeyAccount')}</Badge>
                      ) : moved === null ? (
                        '—'
                      ) : (
                        <Text span size="sm" c={moved > 0 ? 'teal' : moved < 0 ? 'red' : 'dimmed'}>
                          <bdi>
                            {moved > 0 ? '▲ +' : moved < 0 ? '▼ ' : '● '}
                            {fmtNumber(moved, lng)}
                          </bdi>
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{a.name}</Table.Td>
                    <Table.Td>{a.officer ?? '—'}</Table.Td>
                    <Table.Td>
                      {fmtNumber(a.tickets.value, lng)} <Delta f={a.tickets} />
                    </Table.Td>
                    <Table.Td>
                      {a.byCategory.map((c) => (
                        <div key={c.id}>
                          {name(c)}: {fmtNumber(c.value, lng)}
                        </div>
                      ))}
                    </Table.Td>
                    <Table.Td>{a.slaCompliance.value === null ? '—' : `${fmtNumber(a.slaCompliance.value, lng, 1)}%`}</Table.Td>
                    <Table.Td>
                      {fmtNumber(a.escalations.value, lng)} <Delta f={a.escalations} />
                    </Table.Td>
                    <Table.Td>{fmtNumber(a.resolutionHours.value, lng, 1)}</Table.Td>
                    <Table.Td>
                      <bdi>
                        {fmtNumber(a.proactive.done, lng)} / {fmtNumber(a.proactive.planned, lng)}
                      </bdi>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
    </Stack>
  );
}
