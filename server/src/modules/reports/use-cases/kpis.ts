import { sql, type SQL } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { KpiT, ReportDimension, ReportFiltersT, ReportMetric, SeriesPointT } from '@caredesk/contracts';
import { REPORT_METRICS } from '@caredesk/contracts';
import type { AuthedCtx } from '../../../platform/context.js';
import type { Db, DbOrTx } from '../../../platform/db/index.js';
import { AppError, forbidden, validation } from '../../../platform/errors.js';
import { decodeCursor, encodeCursor } from '../../../platform/cursor.js';
import { companyTimeZone } from '../../sla/index.js';
import { change, cumulativeShares, METRICS, TIME_DIMS } from '../domain/metrics.js';
import { reason } from '../../../platform/i18n.js';

export interface Range {
  from: Date;
  to: Date;
  prevFrom: Date;
  prevTo: Date;
  timeZone: string;
}

const MAX_RANGE_DAYS = 800;

/** Reports show every group's work: managers, supervisors and admins read them. */
export function assertCanReadReports(ctx: AuthedCtx) {
  if (!ctx.actor.roles.some((r) => r === 'admin' || r === 'manager' || r === 'supervisor')) throw forbidden('reports.not_allowed');
}

/**
 * The period asked for and the one before it, of equal length. Days are whole days in the
 * company's time zone and `to` includes its day; without dates, the last 30 days up to today.
 */
export async function resolveRange(db: DbOrTx, q: Pick<ReportFiltersT, 'from' | 'to'>, now: Date, knownZone?: string): Promise<Range> {
  const timeZone = knownZone ?? (await companyTimeZone(db));
  const isDay = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s);
  const parse = (s: string, field: string, end: boolean) => {
    const dt = isDay(s) ? DateTime.fromISO(s, { zone: timeZone }) : DateTime.fromISO(s);
    if (!dt.isValid) throw validation([{ field, code: 'invalid', params: { reason: 'not a date' } }]);
    return (isDay(s) && end ? dt.plus({ days: 1 }) : dt).toJSDate();
  };
  const today = DateTime.fromJSDate(now, { zone: timeZone }).startOf('day');
  const to = q.to ? parse(q.to, 'to', true) : today.plus({ days: 1 }).toJSDate();
  const from = q.from ? parse(q.from, 'from', false) : DateTime.fromJSDate(to, { zone: timeZone }).minus({ days: 30 }).toJSDate();
  if (from >= to) throw validation([{ field: 'to', code: 'invalid', params: { reason: 'must be after from' } }]);
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * 86_400_000) throw validation([{ field: 'from', code: 'invalid', params: { reason: reason('at most {{n}} days', { n: MAX_RANGE_DAYS }) } }]);
  const len = to.getTime() - from.getTime();
  return { from, to, prevFrom: new Date(from.getTime() - len), prevTo: from, timeZone };
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const round = (v: number | null, unit: string) => (v === null ? null : unit === 'ms' ? Math.round(v) : Math.round(v * 100) / 100);

/** The filters as conditions on facts aliased `f`. */
function filterConds(q: ReportFiltersT): SQL[] {
  const c: SQL[] = [];
  if (q.groupId) c.push(sql`f.group_id = ${q.groupId}`);
  if (q.agentId) c.push(sql`f.agent_id = ${q.agentId}`);
  if (q.accountId) c.push(sql`f.account_id = ${q.accountId}`);
  if (q.channel) c.push(sql`f.channel = ${q.channel}`);
  if (q.categoryId) c.push(sql`f.category_id = ${q.categoryId}`);
  if (q.keyAccount !== undefined) c.push(sql`f.key_account = ${q.keyAccount}`);
  return c;
}

/** A dimension's bucket key as SQL over facts `f`. */
function dimExpr(by: ReportDimension, tz: string): SQL {
  const local = sql`(f.occurred_at at time zone ${tz})`;
  switch (by) {
    case 'day':
      return sql`to_char(${local}, 'YYYY-MM-DD')`;
    case 'week':
      return sql`to_char(date_trunc('week', ${local}), 'YYYY-MM-DD')`;
    case 'month':
      return sql`to_char(date_trunc('month', ${local}), 'YYYY-MM')`;
    case 'group':
      return sql`coalesce(f.group_id::text, 'none')`;
    case 'agent':
      return sql`coalesce(f.agent_id::text, 'none')`;
    case 'account':
      return sql`coalesce(f.account_id::text, 'none')`;
    case 'category':
      return sql`coalesce(f.category_id::text, 'none')`;
    case 'reason':
      return sql`coalesce(f.reason_code_id::text, 'none')`;
    case 'channel':
      return sql`coalesce(f.channel, 'none')`;
    case 'priority':
      return sql`coalesce(f.priority, 'none')`;
    case 'country':
      return sql`coalesce(f.country, 'none')`;
    case 'target':
      return sql`coalesce(f.target, 'none')`;
  }
}

/** The bucket `key` of `by` as a condition (drill-down into one bar). */
function bucketCond(by: ReportDimension, key: string, tz: string): SQL {
  return sql`${dimExpr(by, tz)} = ${key}`;
}

/**
 * Value and count of a fact-based metric as aggregates over facts `f`, restricted to rows where
 * `c` holds (its kinds and its own condition).
 * First-contact resolution needs `ro`, the tickets reopened since the period began (see REOPENED).
 */
function aggregates(metric: ReportMetric, c: SQL): { value: SQL; count: SQL } {
  switch (metric) {
    case 'first_response_time':
    case 'resolution_time':
      return { value: sql`avg(f.business_ms) filter (where ${c})`, count: sql`count(*) filter (where ${c})` };
    case 'sla_compliance':
      return { value: sql`100.0 * count(*) filter (where ${c} and f.kind = 'sla.met') / nullif(count(*) filter (where ${c}), 0)`, count: sql`count(*) filter (where ${c})` };
    case 'escalations':
      return { value: sql`count(distinct f.ticket_id) filter (where ${c})`, count: sql`count(*) filter (where ${c})` };
    case 'reopen_rate':
      return {
        value: sql`100.0 * count(distinct f.ticket_id) filter (where ${c} and f.kind = 'reopened') / nullif(count(distinct f.ticket_id) filter (where ${c} and f.kind = 'solved'), 0)`,
        count: sql`count(distinct f.ticket_id) filter (where ${c} and f.kind = 'solved')`,
      };
    case 'first_contact_resolution':
      return {
        value: sql`100.0 * count(*) filter (where ${c} and coalesce((f.extras->>'replies')::int, 0) <= 1 and ro.ticket_id is null) / nullif(count(*) filter (where ${c}), 0)`,
        count: sql`count(*) filter (where ${c})`,
      };
    case 'contacts_by_reason':
      return { value: sql`count(distinct f.ticket_id) filter (where ${c})`, count: sql`count(distinct f.ticket_id) filter (where ${c})` };
    default:
      return { value: sql`count(*) filter (where ${c})`, count: sql`count(*) filter (where ${c})` };
  }
}

/** Conditions of a metric beyond its kinds. */
function metricWhere(metric: ReportMetric): SQL | null {
  // Only a ticket's first solve: a solve after a reopen is by definition not a first-contact resolution.
  if (metric === 'first_contact_resolution') return sql`coalesce((f.extras->>'reopensBefore')::int, 0) = 0`;
  if (metric === 'key_account_tickets') return sql`f.key_account`;
  return null;
}

function metricCond(metric: ReportMetric): SQL {
  const where = metricWhere(metric);
  return where ? sql`(${kindsCond(metric)} and ${where})` : kindsCond(metric);
}

/**
 * Tickets reopened at or after `since`: a solve in the period that was later reopened is not a
 * first-contact resolution. A reopen always follows its solve, so none before `since` matters.
 */
const REOPENED = (since: Date) => sql`left join (select distinct ticket_id from report_facts where kind = 'reopened' and occurred_at >= ${since}) ro on ro.ticket_id = f.ticket_id`;

interface Computed {
  key: string;
  value: number | null;
  count: number;
}

function kindsCond(metric: ReportMetric): SQL {
  const kinds = METRICS[metric].kinds;
  return kinds.length === 1 ? sql`f.kind = ${kinds[0]}` : sql`f.kind in (${sql.join(kinds.map((k) => sql`${k}`), sql`, `)})`;
}

const FACT_METRICS = (REPORT_METRICS as readonly ReportMetric[]).filter((m) => METRICS[m].kinds.length > 0);

/** A fact-based metric over [from, to), grouped by `by` (or one total when `by` is null). */
async function factMetric(db: DbOrTx, metric: ReportMetric, q: ReportFiltersT, from: Date, to: Date, by: ReportDimension | null, tz: string): Promise<Computed[]> {
  const agg = aggregates(metric, sql`true`);
  const conds = [metricCond(metric), sql`f.occurred_at >= ${from}`, sql`f.occurred_at < ${to}`, ...filterConds(q)];
  const key = by ? dimExpr(by, tz) : sql`'all'`;
  const res = await db.execute<{ key: string; value: string | number | null; count: string | number }>(
    sql`select ${key} as key, ${agg.value} as value, ${agg.count} as count from report_facts f
        ${metric === 'first_contact_resolution' ? REOPENED(from) : sql``}
        where ${sql.join(conds, sql` and `)} group by 1 order by 1`,
  );
  return res.rows.map((r) => ({ key: r.key, value: num(r.value), count: Number(r.count) }));
}

/** Several fact-based metrics over [from, to) in one scan of the facts (an index range on occurred_at per kind). */
async function factMetricsOver(db: DbOrTx, metrics: ReportMetric[], q: ReportFiltersT, from: Date, to: Date): Promise<Computed[]> {
  const kinds = [...new Set(metrics.flatMap((m) => METRICS[m].kinds))];
  const cols: SQL[] = metrics.flatMap((m, i) => {
    const agg = aggregates(m, metricCond(m));
    return [sql`${agg.value} as ${sql.raw(`v${i}`)}`, sql`${agg.count} as ${sql.raw(`n${i}`)}`];
  });
  const conds = [sql`f.kind in (${sql.join(kinds.map((k) => sql`${k}`), sql`, `)})`, sql`f.occurred_at >= ${from}`, sql`f.occurred_at < ${to}`, ...filterConds(q)];
  const res = await db.execute<Record<string, string | number | null>>(
    sql`select ${sql.join(cols, sql`, `)} from report_facts f
        ${metrics.includes('first_contact_resolution') ? REOPENED(from) : sql``}
        where ${sql.join(conds, sql` and `)}`,
  );
  const row = res.rows[0] ?? {};
  return metrics.map((_, i) => ({ key: 'all', value: num(row[`v${i}`]), count: Number(row[`n${i}`] ?? 0) }));
}

/**
 * Several fact-based metrics for a period and the one before it, what the KPI cards and the live
 * dashboard need: one scan per period, the two side by side on PostgreSQL's pool (PGlite queues
 * them), so the dashboard waits for the longer of the two rather than for both. No row is read
 * twice: the periods do not overlap.
 */
async function factMetricsBoth(db: Db, metrics: ReportMetric[], q: ReportFiltersT, range: Range): Promise<Map<ReportMetric, [Computed, Computed]>> {
  const out = new Map<ReportMetric, [Computed, Computed]>();
  if (!metrics.length) return out;
  const [cur, prev] = await Promise.all([factMetricsOver(db, metrics, q, range.from, range.to), factMetricsOver(db, metrics, q, range.prevFrom, range.prevTo)]);
  metrics.forEach((m, i) => out.set(m, [cur[i]!, prev[i]!]));
  return out;
}

/**
 * Tickets open at `at` as the facts tell it: created before `at`, and whose last solve/reopen
 * before `at` (if any) was a reopen. Dimensions are those the ticket was created with. Used for
 * the per-bucket breakdown and the drill-down; the totals use the faster event arithmetic below.
 */
function backlogSource(q: ReportFiltersT, at: Date): SQL {
  return sql`(select f.*, ${at}::timestamptz as as_of from report_facts f
      where f.kind = 'ticket.created' and f.occurred_at < ${at} ${filterConds(q).length ? sql`and ${sql.join(filterConds(q), sql` and `)}` : sql``}
        and coalesce((select s.kind from report_facts s where s.ticket_id = f.ticket_id and s.kind in ('solved', 'reopened') and s.occurred_at < ${at}
          order by s.occurred_at desc limit 1), 'reopened') = 'reopened')`;
}

async function backlogMetric(db: DbOrTx, metric: 'backlog' | 'backlog_age', q: ReportFiltersT, at: Date, by: ReportDimension | null, tz: string): Promise<Computed[]> {
  // Event arithmetic is exact for the whole desk; with a filter, a ticket that moved group between
  // its creation and its solve would count in two places, so each ticket is followed instead.
  if (!by && !filterConds(q).length) return [await backlogTotal(db, metric, at)];
  const key = by ? dimExpr(by, tz) : sql`'all'`;
  const value = metric === 'backlog' ? sql`count(*)` : sql`avg(extract(epoch from (f.as_of - f.occurred_at)) * 1000)`;
  const res = await db.execute<{ key: string; value: string | number | null; count: string | number }>(
    sql`select ${key} as key, ${value} as value, count(*) as count from ${backlogSource(q, at)} f group by 1 order by 1`,
  );
  return res.rows.map((r) => ({ key: r.key, value: num(r.value), count: Number(r.count) }));
}

/**
 * The backlog at `at` by counting events: solves and reopens alternate after a creation (a ticket
 * is only reopened from solved, closed only from solved), so open = created - solved + reopened,
 * and the sum of open tickets' creation times follows the same way (a solve or reopen fact
 * carries calendar_ms, the time since its ticket's creation). Exact, and one index range scan.
 */
async function backlogTotal(db: DbOrTx, metric: 'backlog' | 'backlog_age', at: Date): Promise<Computed> {
  const [r] = await backlogTotals(db, [at]);
  return metric === 'backlog' ? { key: 'all', value: r!.open, count: r!.open } : { key: 'all', value: r!.age, count: r!.open };
}

/** Backlog size and average age at several instants in one scan (the KPI cards need two). */
async function backlogTotals(db: DbOrTx, ats: Date[]): Promise<{ open: number; age: number | null }[]> {
  const last = new Date(Math.max(...ats.map((a) => a.getTime())));
  const created = sql`(extract(epoch from f.occurred_at) * 1000 - coalesce(f.calendar_ms, 0))`;
  const cols = ats.map(
    (at, i) => sql`count(*) filter (where f.occurred_at < ${at} and f.kind <> 'solved') - count(*) filter (where f.occurred_at < ${at} and f.kind = 'solved') as ${sql.raw(`o${i}`)},
      sum(case when f.kind = 'solved' then -${created} else ${created} end) filter (where f.occurred_at < ${at}) as ${sql.raw(`s${i}`)}`,
  );
  const res = await db.execute<Record<string, string | number | null>>(sql`
    select ${sql.join(cols, sql`, `)} from report_facts f where f.kind in ('ticket.created', 'solved', 'reopened') and f.occurred_at < ${last}`);
  const row = res.rows[0] ?? {};
  return ats.map((at, i) => {
    const open = Number(row[`o${i}`] ?? 0);
    const sum = num(row[`s${i}`]);
    return { open, age: open > 0 && sum !== null ? at.getTime() - sum / open : null };
  });
}

/** Proactive calls and visits (customers' contact tasks) due in the period: done ÷ planned. */
async function proactiveMetric(db: DbOrTx, q: ReportFiltersT, range: { from: Date; to: Date }, by: ReportDimension | null, tz: string): Promise<Computed[]> {
  const day = (d: Date) => DateTime.fromJSDate(d, { zone: tz }).toISODate()!;
  const key = by === 'agent' ? sql`coalesce(t.officer_id::text, 'none')` : by === 'account' ? sql`t.account_id::text` : sql`'all'`;
  const conds = [sql`t.due_on >= ${day(range.from)}::date`, sql`t.due_on < ${day(range.to)}::date`];
  if (q.accountId) conds.push(sql`t.account_id = ${q.accountId}`);
  if (q.agentId) conds.push(sql`t.officer_id = ${q.agentId}`);
  const res = await db.execute<{ key: string; value: string | number | null; count: string | number }>(
    sql`select ${key} as key, 100.0 * count(*) filter (where t.status = 'done') / nullif(count(*), 0) as value, count(*) as count
        from contact_tasks t where ${sql.join(conds, sql` and `)} group by 1 order by 1`,
  );
  return res.rows.map((r) => ({ key: r.key, value: num(r.value), count: Number(r.count) }));
}

async function compute(db: DbOrTx, metric: ReportMetric, q: ReportFiltersT, from: Date, to: Date, by: ReportDimension | null, tz: string, now: Date) {
  if (metric === 'backlog' || metric === 'backlog_age') return backlogMetric(db, metric, q, to < now ? to : now, by, tz);
  if (metric === 'proactive_contacts') return proactiveMetric(db, q, { from, to }, by, tz);
  return factMetric(db, metric, q, from, to, by, tz);
}

/** Every KPI for the period and the one before, each with its change. */
export async function kpiSummary(ctx: AuthedCtx, q: ReportFiltersT, metrics: readonly ReportMetric[] = REPORT_METRICS, given?: Range) {
  assertCanReadReports(ctx);
  const now = ctx.now();
  const range = given ?? (await resolveRange(ctx.db, q, now));
  const at = (d: Date) => (d < now ? d : now);
  // The backlog's scan is independent of the facts' and as long: both run at once on PostgreSQL's pool.
  const [facts, backlog] = await Promise.all([
    factMetricsBoth(ctx.db, metrics.filter((m) => FACT_METRICS.includes(m)), q, range),
    (metrics.includes('backlog') || metrics.includes('backlog_age')) && !filterConds(q).length ? backlogTotals(ctx.db, [at(range.to), at(range.prevTo)]) : null,
  ]);
  if (backlog) {
    const [cur, prev] = backlog;
    facts.set('backlog', [{ key: 'all', value: cur!.open, count: cur!.open }, { key: 'all', value: prev!.open, count: prev!.open }]);
    facts.set('backlog_age', [{ key: 'all', value: cur!.age, count: cur!.open }, { key: 'all', value: prev!.age, count: prev!.open }]);
  }
  const kpis: KpiT[] = [];
  for (const metric of metrics) {
    const unit = METRICS[metric].unit;
    const pair = facts.get(metric);
    const [cur, prev] = pair ?? [
      (await compute(ctx.db, metric, q, range.from, range.to, null, range.timeZone, now))[0],
      (await compute(ctx.db, metric, q, range.prevFrom, range.prevTo, null, range.timeZone, now))[0],
    ];
    const value = round(cur?.value ?? (unit === 'count' ? 0 : null), unit);
    const previous = round(prev?.value ?? (unit === 'count' ? 0 : null), unit);
    kpis.push({ metric, unit, value, count: cur?.count ?? 0, previous, previousCount: prev?.count ?? 0, change: change(value, previous) });
  }
  return { period: { from: range.from.toISOString(), to: range.to.toISOString() }, previousPeriod: { from: range.prevFrom.toISOString(), to: range.prevTo.toISOString() }, timeZone: range.timeZone, kpis };
}

function checkDim(metric: ReportMetric, by: ReportDimension) {
  const allowed = METRICS[metric].dims;
  if (allowed && !allowed.includes(by)) throw validation([{ field: 'by', code: 'invalid', params: { reason: `${metric} can be broken down by ${allowed.join(', ')}` } }]);
}

/** One metric broken down by a dimension, each bucket with its label and its value in the previous period. */
export async function metricSeries(ctx: AuthedCtx, metric: ReportMetric, q: ReportFiltersT & { by?: ReportDimension }) {
  assertCanReadReports(ctx);
  const spec = METRICS[metric];
  const by = q.by ?? spec.defaultBy;
  checkDim(metric, by);
  const now = ctx.now();
  const range = await resolveRange(ctx.db, q, now);
  const cur = await compute(ctx.db, metric, q, range.from, range.to, by, range.timeZone, now);
  // Time buckets of two periods never share a key; the comparison is by category only.
  const prev = TIME_DIMS.has(by) ? [] : await compute(ctx.db, metric, q, range.prevFrom, range.prevTo, by, range.timeZone, now);
  const prevOf = new Map(prev.map((p) => [p.key, p.value]));
  let rows = cur;
  if (TIME_DIMS.has(by)) rows = fillDays(rows, by, range);
  else rows = [...rows].sort((a, b) => (b.value ?? -1) - (a.value ?? -1) || a.key.localeCompare(b.key));
  const labels = await labelsFor(ctx.db, by, rows.map((r) => r.key), ctx.lang);
  const items: SeriesPointT[] = rows.map((r) => ({
    key: r.key,
    label: labels.get(r.key) ?? r.key,
    value: round(r.value, spec.unit),
    count: r.count,
    previous: round(prevOf.get(r.key) ?? null, spec.unit),
  }));
  if (metric === 'contacts_by_reason') {
    const shares = cumulativeShares(items.map((i) => i.value ?? 0));
    items.forEach((i, n) => (i.cumulativePercent = shares[n]));
  }
  return {
    metric,
    by,
    unit: spec.unit,
    period: { from: range.from.toISOString(), to: range.to.toISOString() },
    previousPeriod: { from: range.prevFrom.toISOString(), to: range.prevTo.toISOString() },
    items,
  };
}

/** Days with no facts still appear (as zero or empty), so a line chart does not skip them. */
function fillDays(rows: Computed[], by: ReportDimension, range: Range): Computed[] {
  if (by !== 'day') return rows;
  const have = new Map(rows.map((r) => [r.key, r]));
  const out: Computed[] = [];
  let d = DateTime.fromJSDate(range.from, { zone: range.timeZone }).startOf('day');
  const end = DateTime.fromJSDate(range.to, { zone: range.timeZone });
  for (let i = 0; d < end && i < 1000; i++, d = d.plus({ days: 1 })) {
    const key = d.toISODate()!;
    out.push(have.get(key) ?? { key, value: null, count: 0 });
  }
  return out;
}

/** Names for ids (groups, agents, accounts, categories, reason codes) in the reader's language. */
async function labelsFor(db: DbOrTx, by: ReportDimension, keys: string[], lang: string): Promise<Map<string, string>> {
  const ids = keys.filter((k) => /^[0-9a-f-]{36}$/.test(k));
  const out = new Map<string, string>();
  if (!ids.length) return out;
  const list = sql.join(ids.map((i) => sql`${i}::uuid`), sql`, `);
  const ar = lang === 'ar';
  const query =
    by === 'group' ? sql`select id::text, name from groups where id in (${list})`
    : by === 'agent' ? sql`select id::text, name from users where id in (${list})`
    : by === 'account' ? sql`select id::text, name from accounts where id in (${list})`
    : by === 'category' ? sql`select id::text, ${ar ? sql`name_ar` : sql`name_en`} as name from categories where id in (${list})`
    : by === 'reason' ? sql`select id::text, ${ar ? sql`name_ar` : sql`name_en`} as name from reason_codes where id in (${list})`
    : null;
  if (!query) return out;
  const res = await db.execute<{ id: string; name: string }>(query);
  for (const r of res.rows) out.set(r.id, r.name);
  return out;
}

export interface DrillQuery extends ReportFiltersT {
  by?: ReportDimension;
  key?: string;
  limit?: number;
  cursor?: string;
}

/**
 * The tickets behind a number: every ticket with a fact the metric counted in the period (and in
 * the bucket, when one is given), newest first, each once, with the fact that put it there.
 */
export async function drillDown(ctx: AuthedCtx, metric: ReportMetric, q: DrillQuery) {
  assertCanReadReports(ctx);
  if (metric === 'proactive_contacts') throw new AppError('reports.no_drilldown', 422, 'Proactive contacts are tasks, not tickets: open them in the key account');
  if (q.key && !q.by) throw validation([{ field: 'by', code: 'required', params: { reason: 'a bucket key needs the dimension it belongs to' } }]);
  if (q.by) checkDim(metric, q.by);
  const now = ctx.now();
  const range = await resolveRange(ctx.db, q, now);
  const tz = range.timeZone;
  const limit = q.limit ?? 100;
  const bucket = q.by && q.key ? [bucketCond(q.by, q.key, tz)] : [];

  let source: SQL;
  if (metric === 'backlog' || metric === 'backlog_age') {
    const at = range.to < now ? range.to : now;
    source = sql`select f.ticket_id, f.kind, f.occurred_at, f.business_ms, f.calendar_ms, f.group_id, f.agent_id
      from ${backlogSource(q, at)} f ${bucket.length ? sql`where ${bucket[0]}` : sql``}`;
  } else {
    const conds = [metricCond(metric), sql`f.occurred_at >= ${range.from}`, sql`f.occurred_at < ${range.to}`, ...filterConds(q), ...bucket];
    source = sql`select distinct on (f.ticket_id) f.ticket_id, f.kind, f.occurred_at, f.business_ms, f.calendar_ms, f.group_id, f.agent_id
      from report_facts f where ${sql.join(conds, sql` and `)} and f.ticket_id is not null order by f.ticket_id, f.occurred_at desc`;
  }
  let after = sql``;
  if (q.cursor) {
    const [at, id] = decodeCursor(q.cursor) as [string, string];
    if (typeof at !== 'string' || typeof id !== 'string' || Number.isNaN(Date.parse(at))) throw validation([{ field: 'cursor', code: 'invalid' }]);
    after = sql`where (x.occurred_at, x.ticket_id) < (${new Date(at)}::timestamptz, ${id}::uuid)`;
  }
  const res = await ctx.db.execute<{
    ticket_id: string; kind: string; occurred_at: Date | string; business_ms: string | null; calendar_ms: string | null;
    number: string; subject: string; status: string; group_name: string | null; agent_name: string | null;
  }>(sql`select x.ticket_id, x.kind, x.occurred_at, x.business_ms, x.calendar_ms, t.number, t.subject, t.status, g.name as group_name, u.name as agent_name
      from (${source}) x
      join tickets t on t.id = x.ticket_id
      left join groups g on g.id = x.group_id
      left join users u on u.id = x.agent_id
      ${after}
      order by x.occurred_at desc, x.ticket_id desc
      limit ${limit + 1}`);
  const rows = res.rows.slice(0, limit);
  const items = rows.map((r) => ({
    ticketId: r.ticket_id,
    number: Number(r.number),
    subject: r.subject,
    status: r.status,
    kind: r.kind,
    occurredAt: new Date(r.occurred_at).toISOString(),
    groupName: r.group_name,
    agentName: r.agent_name,
    businessMs: num(r.business_ms),
    calendarMs: num(r.calendar_ms),
  }));
  const last = items[items.length - 1];
  return { items, nextCursor: res.rows.length > limit && last ? encodeCursor([last.occurredAt, last.ticketId]) : null };
}
