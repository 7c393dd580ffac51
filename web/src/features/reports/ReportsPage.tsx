import { useMemo } from 'react';
import { BarChart, LineChart } from '@mantine/charts';
import { Alert, Anchor, Badge, Button, Group, Loader, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { REPORT_DIMENSIONS, REPORT_METRICS, type ReportDimension, type ReportMetric, type SeriesPointT } from '@caredesk/contracts';
import { useGroups, useUsers } from '../people/queries';
import { useCategories } from '../tickets/reference';
import { useLabels } from '../../shared/ui/labels';
import { errorMessage, fieldErrorsOf } from '../../shared/ui/errors';
import { CHANNELS } from '@caredesk/contracts/constants';
import { KpiCard } from './KpiCard';
import { AccountFilter } from './AccountFilter';
import { csvUrl, FILTER_KEYS, useDrill, useKpis, useSeries, type ReportFilters } from './queries';
import { formatValue } from './format';

const TIME_DIMS: ReportDimension[] = ['day', 'week', 'month'];
const SNAPSHOT_DIMS: ReportDimension[] = ['group', 'agent', 'account', 'channel', 'category', 'reason', 'priority', 'country'];
const dimsFor = (m: ReportMetric): readonly ReportDimension[] =>
  m === 'backlog' || m === 'backlog_age' ? SNAPSHOT_DIMS : m === 'proactive_contacts' ? ['account', 'agent'] : REPORT_DIMENSIONS;

/**
 * One report: KPI cards against the previous period, a chart of the chosen metric by a dimension,
 * the buckets as a table, and the tickets behind whichever bar or row was picked. Filters live in
 * the address, so a report can be bookmarked and shared.
 */
export default function ReportsPage() {
  const { t, i18n } = useTranslation();
  const labels = useLabels();
  const navigate = useNavigate();
  const params = useParams();
  const metric = (REPORT_METRICS as readonly string[]).includes(params.metric ?? '') ? (params.metric as ReportMetric) : 'resolution_time';
  const [search, setSearch] = useSearchParams();
  const filters = useMemo(() => {
    const f: ReportFilters = {};
    for (const k of FILTER_KEYS) {
      const v = search.get(k);
      if (v) f[k] = v;
    }
    return f;
  }, [search]);
  const byParam = search.get('by') as ReportDimension | null;
  const by = byParam && dimsFor(metric).includes(byParam) ? byParam : undefined;
  const drillKey = search.get('key');

  const kpis = useKpis(filters);
  const series = useSeries(metric, filters, by);
  const drill = useDrill(metric, filters, series.data?.by ?? by, drillKey);
  const groups = useGroups();
  const users = useUsers();
  const categories = useCategories(true);

  const set = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(search);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    // A new filter or breakdown changes what the bars are: forget the one picked.
    if (!('key' in changes)) next.delete('key');
    setSearch(next, { replace: true });
  };

  const rtl = i18n.dir() === 'rtl';
  const unit = series.data?.unit ?? 'count';
  const fmt = (v: number | null | undefined) => formatValue(v ?? null, unit, t, i18n.language);
  const shown = series.data?.by ?? by ?? 'group';
  const isTime = TIME_DIMS.includes(shown);
  const bucketLabel = (p: SeriesPointT) => {
    if (p.key === 'none') return t('reports.none');
    if (shown === 'channel') return labels.channel(p.key);
    if (shown === 'priority') return labels.priority(p.key);
    if (shown === 'target') return t(`sla.target.${p.key}`, { defaultValue: p.key });
    return p.label;
  };
  const rows = (series.data?.items ?? []).map((p) => ({
    key: p.key,
    label: bucketLabel(p),
    // Charts show hours, not milliseconds.
    value: p.value === null ? null : unit === 'ms' ? Math.round((p.value / 3_600_000) * 10) / 10 : p.value,
    previous: p.previous === null ? null : unit === 'ms' ? Math.round((p.previous / 3_600_000) * 10) / 10 : p.previous,
    raw: p,
  }));
  // recharts does not mirror a bar chart for right-to-left pages: in Arabic the categories are
  // laid out from the right by reversing them, and the value axis moves to the right-hand side.
  // Time series keep time running left to right in both languages (as the revenue chart does).
  const chartRows = rtl && !isTime ? [...rows].reverse() : rows;
  const compareLabel = t('reports.previousPeriod');
  const errors = fieldErrorsOf(kpis.error ?? series.error);

  const pick = (key: string | undefined) => key && set({ key });

  return (
    <Stack data-testid="reports-page">
      <Group justify="space-between">
        <Title order={2}>{t('reports.title')}</Title>
        <Anchor component={Link} to="/reports">
          {t('reports.dashboard.title')}
        </Anchor>
      </Group>

      <Paper withBorder p="sm" radius="md">
        <Group align="end" gap="sm" data-testid="report-filters">
          <Select
            label={t('reports.filter.metric')}
            data={REPORT_METRICS.map((m) => ({ value: m, label: t(`reports.metric.${m}`) }))}
            value={metric}
            onChange={(m) => m && navigate({ pathname: `/reports/${m}`, search: search.toString() })}
            allowDeselect={false}
            w={230}
          />
          <TextInput type="date" label={t('reports.filter.from')} value={filters.from ?? ''} onChange={(e) => set({ from: e.currentTarget.value })} error={errors.from} w={160} />
          <TextInput type="date" label={t('reports.filter.to')} value={filters.to ?? ''} onChange={(e) => set({ to: e.currentTarget.value })} error={errors.to} w={160} />
          <Select
            label={t('reports.filter.group')}
            placeholder={t('reports.filter.all')}
            data={(groups.data ?? []).map((g) => ({ value: g.id, label: g.name }))}
            value={filters.groupId ?? null}
            onChange={(v) => set({ groupId: v })}
            clearable
            searchable
            w={200}
          />
          <Select
            label={t('reports.filter.agent')}
            placeholder={t('reports.filter.all')}
            data={(users.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
            value={filters.agentId ?? null}
            onChange={(v) => set({ agentId: v })}
            clearable
            searchable
            w={200}
          />
          <Select
            label={t('reports.filter.channel')}
            placeholder={t('reports.filter.all')}
            data={CHANNELS.map((c) => ({ value: c, label: labels.channel(c) }))}
            value={filters.channel ?? null}
            onChange={(v) => set({ channel: v })}
            clearable
            w={150}
          />
          <Select
            label={t('reports.filter.category')}
            placeholder={t('reports.filter.all')}
            data={(categories.data ?? []).map((c) => ({ value: c.id, label: labels.name(c) }))}
            value={filters.categoryId ?? null}
            onChange={(v) => set({ categoryId: v })}
            clearable
            searchable
            w={200}
          />
          <AccountFilter value={filters.accountId ?? null} onChange={(v) => set({ accountId: v })} />
          <Select
            label={t('reports.filter.by')}
            data={dimsFor(metric).map((d) => ({ value: d, label: t(`reports.dim.${d}`) }))}
            value={shown}
            onChange={(v) => set({ by: v })}
            allowDeselect={false}
            w={150}
          />
        </Group>
      </Paper>

      {(kpis.isError || series.isError) && <Alert color="red">{errorMessage(kpis.error ?? series.error, t)}</Alert>}

      {kpis.data && (
        <SimpleGrid cols={{ base: 2, sm: 4, lg: 6 }} data-testid="report-kpis">
          {kpis.data.kpis.map((k) => (
            <KpiCard key={k.metric} kpi={k} to={`/reports/${k.metric}?${search.toString()}`} compareLabel={compareLabel} />
          ))}
        </SimpleGrid>
      )}

      <Paper withBorder p="md" radius="md">
        <Group justify="space-between" mb="xs">
          <Text fw={600}>
            {t('reports.chartTitle', { metric: t(`reports.metric.${metric}`), by: t(`reports.dim.${shown}`) })}
            {unit === 'ms' && ` (${t('reports.businessHours')})`}
          </Text>
          <Anchor href={csvUrl(metric, filters, { by: shown })} download data-testid="export-series">
            {t('reports.exportCsv')}
          </Anchor>
        </Group>
        {series.isPending ? (
          <Loader />
        ) : !rows.length ? (
          <Text c="dimmed">{t('reports.empty')}</Text>
        ) : isTime ? (
          <div dir="ltr" data-testid="report-chart">
            <LineChart
              h={260}
              data={chartRows}
              dataKey="label"
              series={[{ name: 'value', label: t('reports.thisPeriod'), color: 'indigo.6' }]}
              connectNulls={false}
              withDots
              lineProps={{ activeDot: { onClick: (_e: unknown, p: unknown) => pick((p as { payload?: { key?: string } })?.payload?.key) } } as never}
            />
          </div>
        ) : (
          // The chart's own direction stays LTR; mirroring for Arabic is done by the data order above.
          <div dir="ltr" data-testid="report-chart" style={{ cursor: 'pointer' }}>
            <BarChart
              h={280}
              data={chartRows}
              dataKey="label"
              withLegend
              yAxisProps={{ orientation: rtl ? 'right' : 'left' }}
              series={[
                { name: 'value', label: t('reports.thisPeriod'), color: 'indigo.6' },
                ...(rows.some((r) => r.previous !== null) ? [{ name: 'previous', label: compareLabel, color: 'gray.4' }] : []),
              ]}
              // A zero (a resolution before opening hours is 0 business hours) still gets a clickable sliver.
              barProps={{ minPointSize: 4, onClick: (d: unknown) => pick((d as { payload?: { key?: string } }).payload?.key), style: { cursor: 'pointer' } } as never}
              // A click anywhere in a category's column picks it, so short (or zero) bars are reachable too.
              barChartProps={{
                onClick: (state: unknown) => {
                  const st = state as { activeTooltipIndex?: number | string | null; activeLabel?: string | number } | null;
                  const byIndex = st?.activeTooltipIndex !== undefined && st?.activeTooltipIndex !== null ? chartRows[Number(st.activeTooltipIndex)] : undefined;
                  pick((byIndex ?? chartRows.find((r) => r.label === st?.activeLabel))?.key);
                },
              } as never}
            />
          </div>
        )}
        {!!rows.length && (
          <Table mt="sm" data-testid="report-buckets">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t(`reports.dim.${shown}`)}</Table.Th>
                <Table.Th>{t('reports.thisPeriod')}</Table.Th>
                <Table.Th>{compareLabel}</Table.Th>
                <Table.Th>{t('reports.count')}</Table.Th>
                {metric === 'contacts_by_reason' && <Table.Th>{t('reports.cumulative')}</Table.Th>}
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.key} bg={r.key === drillKey ? 'var(--mantine-color-indigo-light)' : undefined}>
                  <Table.Td>{r.label}</Table.Td>
                  <Table.Td>{fmt(r.raw.value)}</Table.Td>
                  <Table.Td>{fmt(r.raw.previous)}</Table.Td>
                  <Table.Td>{r.raw.count}</Table.Td>
                  {metric === 'contacts_by_reason' && <Table.Td>{formatValue(r.raw.cumulativePercent ?? null, 'percent', t, i18n.language)}</Table.Td>}
                  <Table.Td>
                    {metric !== 'proactive_contacts' && r.raw.count > 0 && (
                      <Button size="compact-xs" variant="light" onClick={() => pick(r.key)} aria-label={t('reports.showTicketsFor', { bucket: r.label })}>
                        {t('reports.showTickets')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>

      {drillKey !== null && (
        <Paper withBorder p="md" radius="md" data-testid="drill-tickets">
          <Group justify="space-between" mb="xs">
            <Text fw={600}>
              {t('reports.ticketsBehind', { bucket: rows.find((r) => r.key === drillKey)?.label ?? drillKey })}
            </Text>
            <Group gap="xs">
              <Anchor href={csvUrl(metric, filters, { by: shown, key: drillKey, rows: 'tickets' })} download>
                {t('reports.exportCsv')}
              </Anchor>
              <Button size="compact-xs" variant="subtle" onClick={() => set({ key: null })}>
                {t('reports.closeDrill')}
              </Button>
            </Group>
          </Group>
          {drill.isPending ? (
            <Loader />
          ) : drill.isError ? (
            <Alert color="red">{errorMessage(drill.error, t)}</Alert>
          ) : (
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('reports.ticket')}</Table.Th>
                  <Table.Th>{t('reports.fact')}</Table.Th>
                  <Table.Th>{t('reports.when')}</Table.Th>
                  <Table.Th>{t('reports.filter.group')}</Table.Th>
                  <Table.Th>{t('reports.filter.agent')}</Table.Th>
                  <Table.Th>{t('reports.businessHours')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {drill.data!.items.map((d) => (
                  <Table.Tr key={d.ticketId} data-testid="drill-ticket">
                    <Table.Td>
                      <Anchor component={Link} to={`/tickets/${d.number}`}>
                        #{d.number} {d.subject}
                      </Anchor>{' '}
                      <Badge size="xs" variant="light">
                        {labels.status(d.status)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{t(`reports.factKind.${d.kind}`, { defaultValue: d.kind })}</Table.Td>
                    <Table.Td>{labels.dateTime(d.occurredAt)}</Table.Td>
                    <Table.Td>{d.groupName ?? ''}</Table.Td>
                    <Table.Td>{d.agentName ?? ''}</Table.Td>
                    <Table.Td>{d.businessMs === null ? '' : formatValue(d.businessMs, 'ms', t, i18n.language)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          {drill.data?.nextCursor && (
            <Text size="sm" c="dimmed" mt="xs">
              {t('reports.moreInCsv')}
            </Text>
          )}
        </Paper>
      )}
    </Stack>
  );
}
