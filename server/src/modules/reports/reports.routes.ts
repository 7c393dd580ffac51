import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiTypeProvider } from '../../platform/type-provider.js';
import {
  DrillTicket,
  KpiSummary,
  LiveDashboard,
  ReportCsvQuery,
  ReportDrillQuery,
  ReportFilters,
  ReportMetricParams,
  ReportSeries,
  ReportSeriesQuery,
  page,
} from '@caredesk/contracts';
import { authed } from '../auth/index.js';
import { drillDown, kpiSummary, metricSeries } from './use-cases/kpis.js';
import { liveDashboard, touchPresence } from './use-cases/live.js';
import { toCsv } from './domain/csv.js';

export async function reportsRoutes(app: FastifyInstance) {
  const api = app.withTypeProvider<ApiTypeProvider>();
  const tags = ['reports'];

  api.get('/reports/kpis', { schema: { tags, querystring: ReportFilters, response: { 200: KpiSummary } } }, async (req) => kpiSummary(authed(req), req.query));
  api.get('/reports/live', { schema: { tags, response: { 200: LiveDashboard } } }, async (req) => liveDashboard(authed(req)));
  api.get('/reports/metrics/:metric', { schema: { tags, params: ReportMetricParams, querystring: ReportSeriesQuery, response: { 200: ReportSeries } } }, async (req) =>
    metricSeries(authed(req), req.params.metric, req.query),
  );
  api.get('/reports/metrics/:metric/tickets', { schema: { tags, params: ReportMetricParams, querystring: ReportDrillQuery, response: { 200: page(DrillTicket) } } }, async (req) =>
    drillDown(authed(req), req.params.metric, req.query),
  );
  api.get('/reports/metrics/:metric/export.csv', { schema: { tags, params: ReportMetricParams, querystring: ReportCsvQuery } }, async (req, reply) => {
    const ctx = authed(req);
    const { rows = 'series', ...q } = req.query;
    const metric = req.params.metric;
    let csv: string;
    if (rows === 'tickets') {
      const all = [];
      let cursor: string | undefined;
      // At most 50,000 tickets in one file.
      for (let i = 0; i < 100; i++) {
        const p = await drillDown(ctx, metric, { ...q, limit: 500, cursor });
        all.push(...p.items);
        if (!p.nextCursor) break;
        cursor = p.nextCursor;
      }
      csv = toCsv(
        ['number', 'subject', 'status', 'fact', 'occurred_at', 'group', 'agent', 'business_hours', 'calendar_hours'],
        all.map((t) => [t.number, t.subject, t.status, t.kind, t.occurredAt, t.groupName, t.agentName, hours(t.businessMs), hours(t.calendarMs)]),
      );
    } else {
      const s = await metricSeries(ctx, metric, q);
      const conv = (v: number | null) => (s.unit === 'ms' ? hours(v) : v);
      csv = toCsv(
        [s.by, 'label', s.unit === 'ms' ? `${metric}_business_hours` : metric, 'count', 'previous_period'],
        s.items.map((i) => [i.key, i.label, conv(i.value), i.count, conv(i.previous)]),
      );
    }
    return reply
      .header('Content-Type', 'text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="${metric}-${rows}.csv"`)
      .header('Cache-Control', 'private, no-store')
      .send(csv);
  });
}

const hours = (ms: number | null) => (ms === null ? null : Math.round((ms / 3_600_000) * 100) / 100);

/** onResponse hook for the API scope: records that a signed-in user is active (the dashboard's "online"). */
export async function presenceHook(req: FastifyRequest) {
  const actor = req.actor;
  if (!actor) return;
  try {
    await touchPresence(req.server.deps.database.db, actor.id, new Date());
  } catch (err) {
    req.log.warn({ err }, 'presence not recorded');
  }
}
