/**
 * What the two scheduled reports contain, computed with the reports module's own KPI functions
 * (metricSeries over the facts table) so the archive and the report pages agree by construction.
 * The result is language-independent: ids, numbers, and names in both languages where they have two.
 */
import { sql } from 'drizzle-orm';
import type { KpiT, MonthlyAccount, MonthlyReportData, NamedInTwo, ReportFigure, ReportMetric, WeeklyAccount, WeeklyReportData } from '@caredesk/contracts';
import type { Actor, AuthedCtx } from '../../../platform/context.js';
import type { Config } from '../../../platform/config.js';
import type { Db } from '../../../platform/db/index.js';
import { kpiSummary, metricSeries, type Range } from '../use-cases/kpis.js';
import type { Period } from './periods.js';

export type Figure = ReportFigure;
export type Named = NamedInTwo;
export type WeeklyData = WeeklyReportData;
export type MonthlyData = MonthlyReportData;
export type { WeeklyAccount, MonthlyAccount };
export type ReportData = WeeklyData | MonthlyData;

/** The reports module's functions check that a person may read reports; the schedule acts as the system. */
const SYSTEM: Actor = { type: 'user', id: '00000000-0000-0000-0000-000000000000', name: 'CareDesk', email: 'system@caredesk.invalid', language: 'en', roles: ['admin'], groupIds: [] };

export function systemCtx(db: Db, config: Config, now: Date): AuthedCtx {
  return { db, config, actor: SYSTEM, lang: 'en', now: () => now };
}

type Filters = { accountId?: string; categoryId?: string; keyAccount?: boolean };
interface Point {
  key: string;
  value: number | null;
  count: number;
  previous: number | null;
}

async function series(ctx: AuthedCtx, metric: ReportMetric, from: Date, to: Date, by: 'account' | 'category' | 'day', f: Filters = {}): Promise<Map<string, Point>> {
  const s = await metricSeries(ctx, metric, { from: from.toISOString(), to: to.toISOString(), by, ...f });
  return new Map(s.items.map((i) => [i.key, { key: i.key, value: i.value, count: i.count, previous: i.previous }]));
}

const fig = (value: number | null | undefined, previous: number | null | undefined): Figure => ({ value: value ?? null, previous: previous ?? null });
const count = (m: Map<string, Point>, key: string) => m.get(key)?.value ?? 0;
const sum = (values: (number | null)[]) => values.reduce<number>((a, b) => a + (b ?? 0), 0);
const hours = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : Math.round((ms / 3_600_000) * 100) / 100);

async function categoryIdByKey(db: Db, key: string): Promise<string | null> {
  const r = await db.execute<{ id: string }>(sql`select id::text from categories where key = ${key}`);
  return r.rows[0]?.id ?? null;
}

/** Percentage over all accounts of a compliance metric: met ÷ all, from the per-account rates and counts. */
function pooledPercent(points: (Point | undefined)[], pick: 'value'): number | null {
  let met = 0;
  let all = 0;
  points.forEach((p) => {
    const rate = p?.[pick];
    const n = p?.count ?? 0;
    if (rate === null || rate === undefined || !n) return;
    met += (rate * n) / 100;
    all += n;
  });
  return all ? Math.round((met / all) * 10000) / 100 : null;
}

/** The weekly Customer Care Report: the top customers' week against the week before (seed 000). */
export async function buildWeekly(ctx: AuthedCtx, p: Period): Promise<WeeklyData> {
  const db = ctx.db;
  const accounts = await db.execute<{ id: string; name: string; officer: string | null; rank: number | null }>(sql`
    select a.id::text, a.name, u.name as officer,
      (select m.rank from key_account_memberships m where m.account_id = a.id order by m.month desc limit 1) as rank
    from accounts a left join users u on u.id = a.officer_id
    where a.key_account order by rank nulls last, a.name`);
  const complaintId = await categoryIdByKey(db, 'service-failure-complaint');
  const claimId = await categoryIdByKey(db, 'claim');
  // Per key account, the reports module's KPI summary: each figure for the week and the week
  // before (equal length, so exactly the previous Sun-Sat week), read through the account index.
  const q = { from: p.start.toISOString(), to: p.end.toISOString() };
  const range: Range = { from: p.start, to: p.end, prevFrom: p.prevStart, prevTo: p.prevEnd, timeZone: p.timeZone };
  const figures = new Map<string, { base: KpiT[]; complaints: KpiT | null; claims: KpiT | null }>();
  const one = async (id: string) => {
    const base = (await kpiSummary(ctx, { ...q, accountId: id }, ['tickets_created', 'calls_logged', 'escalations', 'sla_compliance'], range)).kpis;
    const complaints = complaintId ? (await kpiSummary(ctx, { ...q, accountId: id, categoryId: complaintId }, ['tickets_created'], range)).kpis[0]! : null;
    const claims = claimId ? (await kpiSummary(ctx, { ...q, accountId: id, categoryId: claimId }, ['tickets_created'], range)).kpis[0]! : null;
    figures.set(id, { base, complaints, claims });
  };
  for (let i = 0; i < accounts.rows.length; i += 4) await Promise.all(accounts.rows.slice(i, i + 4).map((a) => one(a.id)));
  const daily = await series(ctx, 'tickets_created', p.start, p.end, 'day', { keyAccount: true });
  const notes = await db.execute<{ account_id: string; week: string; trends: string; problems: string; opportunities: string }>(sql`
    select account_id::text, week::text, trends, problems, opportunities from sales_meeting_notes
    where week >= ${p.start.toISOString().slice(0, 10)}::date - 1 and week < ${p.end.toISOString().slice(0, 10)}::date + 1
      and account_id in (select id from accounts where key_account)
    order by week`);
  // A note's week is the Monday of its week; it belongs to the report whose Sun-Sat week holds that Monday.
  const sunday = p.id;
  const inWeek = (week: string) => {
    const d = Date.parse(`${week}T00:00:00Z`) - Date.parse(`${sunday}T00:00:00Z`);
    return d >= 0 && d < 7 * 86_400_000;
  };
  const k = (id: string, metric: ReportMetric) => figures.get(id)!.base.find((x) => x.metric === metric)!;
  const asFig = (x: KpiT | null): Figure => (x ? fig(x.value, x.previous) : fig(0, 0));
  const rows: WeeklyAccount[] = accounts.rows.map((a) => ({
    id: a.id,
    name: a.name,
    rank: a.rank === null ? null : Number(a.rank),
    officer: a.officer,
    contacts: fig((k(a.id, 'tickets_created').value ?? 0) + (k(a.id, 'calls_logged').value ?? 0), (k(a.id, 'tickets_created').previous ?? 0) + (k(a.id, 'calls_logged').previous ?? 0)),
    issues: asFig(k(a.id, 'tickets_created')),
    complaints: asFig(figures.get(a.id)!.complaints),
    claims: asFig(figures.get(a.id)!.claims),
    escalations: asFig(k(a.id, 'escalations')),
    slaCompliance: asFig(k(a.id, 'sla_compliance')),
    notes: notes.rows
      .filter((n) => n.account_id === a.id && inWeek(n.week))
      .map((n) => ({ week: n.week, trends: n.trends, problems: n.problems, opportunities: n.opportunities })),
  }));
  const slaOf = (pick: 'value' | 'previous') =>
    pooledPercent(
      rows.map((r) => {
        const x = k(r.id, 'sla_compliance');
        return { key: r.id, value: x[pick], count: pick === 'value' ? x.count : x.previousCount, previous: null };
      }),
      'value',
    );
  const total = (pick: (a: WeeklyAccount) => Figure): Figure => ({ value: sum(rows.map((r) => pick(r).value)), previous: sum(rows.map((r) => pick(r).previous)) });
  return {
    kind: 'weekly_care',
    period: p.id,
    from: p.start.toISOString(),
    to: p.end.toISOString(),
    previousFrom: p.prevStart.toISOString(),
    previousTo: p.prevEnd.toISOString(),
    timeZone: p.timeZone,
    claimsTracked: claimId !== null,
    totals: {
      contacts: total((r) => r.contacts),
      issues: total((r) => r.issues),
      complaints: total((r) => r.complaints),
      claims: total((r) => r.claims),
      escalations: total((r) => r.escalations),
      slaCompliance: { value: slaOf('value'), previous: slaOf('previous') },
    },
    daily: [...daily.values()].map((d) => ({ day: d.key, value: d.value ?? 0 })),
    accounts: rows,
  };
}

/** The monthly Key Account Report: each key account's month against the month before (seed 001). */
export async function buildMonthly(ctx: AuthedCtx, p: Period): Promise<MonthlyData> {
  const db = ctx.db;
  const month = `${p.id}-01`;
  const prevMonth = monthBefore(p.id);
  // The key accounts of the month are that month's ranking; without one, the accounts marked key now.
  const ranked = await db.execute<{ id: string; name: string; officer: string | null; rank: number | null; previous_rank: number | null }>(sql`
    select a.id::text, a.name, u.name as officer, m.rank,
      (select pm.rank from key_account_memberships pm where pm.account_id = a.id and pm.month = ${`${prevMonth}-01`}::date) as previous_rank
    from key_account_memberships m join accounts a on a.id = m.account_id left join users u on u.id = a.officer_id
    where m.month = ${month}::date order by m.rank`);
  const list = ranked.rows.length
    ? ranked.rows
    : (
        await db.execute<{ id: string; name: string; officer: string | null; rank: number | null; previous_rank: number | null }>(sql`
          select a.id::text, a.name, u.name as officer, null::int as rank, null::int as previous_rank
          from accounts a left join users u on u.id = a.officer_id where a.key_account order by a.name`)
      ).rows;
  const metrics = ['tickets_created', 'sla_compliance', 'escalations', 'resolution_time', 'proactive_contacts'] as const;
  const [cur, prev] = await Promise.all(
    [
      [p.start, p.end],
      [p.prevStart, p.prevEnd],
    ].map(async ([from, to]) => {
      const out = {} as Record<(typeof metrics)[number], Map<string, Point>>;
      for (const m of metrics) out[m] = await series(ctx, m, from!, to!, 'account');
      return out;
    }),
  );
  const catIds = new Set<string>();
  const accounts: MonthlyAccount[] = [];
  for (const a of list) {
    const byCat = await series(ctx, 'tickets_created', p.start, p.end, 'category', { accountId: a.id });
    for (const k of byCat.keys()) catIds.add(k);
    const pr = (m: Map<string, Point>) => {
      const x = m.get(a.id);
      return { done: x?.value === null || !x ? 0 : Math.round((x.value * x.count) / 100), planned: x?.count ?? 0 };
    };
    const pc = pr(cur!.proactive_contacts);
    const pp = pr(prev!.proactive_contacts);
    accounts.push({
      id: a.id,
      name: a.name,
      officer: a.officer,
      rank: a.rank === null ? null : Number(a.rank),
      previousRank: a.previous_rank === null ? null : Number(a.previous_rank),
      tickets: fig(count(cur!.tickets_created, a.id), count(prev!.tickets_created, a.id)),
      byCategory: [...byCat.values()].map((c) => ({ id: c.key, en: c.key, ar: c.key, value: c.value ?? 0 })),
      slaCompliance: fig(cur!.sla_compliance.get(a.id)?.value, prev!.sla_compliance.get(a.id)?.value),
      escalations: fig(count(cur!.escalations, a.id), count(prev!.escalations, a.id)),
      resolutionHours: fig(hours(cur!.resolution_time.get(a.id)?.value), hours(prev!.resolution_time.get(a.id)?.value)),
      proactive: { done: pc.done, planned: pc.planned, previousDone: pp.done, previousPlanned: pp.planned },
    });
  }
  const categories = await categoryNames(db, [...catIds]);
  const names = new Map(categories.map((c) => [c.id, c]));
  for (const a of accounts) {
    a.byCategory = a.byCategory.map((c) => ({ ...c, en: names.get(c.id)?.en ?? c.id, ar: names.get(c.id)?.ar ?? c.id })).sort((x, y) => y.value - x.value || x.en.localeCompare(y.en));
  }
  const ids = accounts.map((a) => a.id);
  const tot = (pick: (a: MonthlyAccount) => Figure): Figure => ({ value: sum(accounts.map((a) => pick(a).value)), previous: sum(accounts.map((a) => pick(a).previous)) });
  return {
    kind: 'monthly_key_accounts',
    period: p.id,
    from: p.start.toISOString(),
    to: p.end.toISOString(),
    previousFrom: p.prevStart.toISOString(),
    previousTo: p.prevEnd.toISOString(),
    timeZone: p.timeZone,
    totals: {
      tickets: tot((a) => a.tickets),
      slaCompliance: {
        value: pooledPercent(ids.map((id) => cur!.sla_compliance.get(id)), 'value'),
        previous: pooledPercent(ids.map((id) => prev!.sla_compliance.get(id)), 'value'),
      },
      escalations: tot((a) => a.escalations),
      resolutionHours: {
        value: hours(weighted(ids.map((id) => cur!.resolution_time.get(id)))),
        previous: hours(weighted(ids.map((id) => prev!.resolution_time.get(id)))),
      },
      proactiveDone: { value: sum(accounts.map((a) => a.proactive.done)), previous: sum(accounts.map((a) => a.proactive.previousDone)) },
      proactivePlanned: { value: sum(accounts.map((a) => a.proactive.planned)), previous: sum(accounts.map((a) => a.proactive.previousPlanned)) },
    },
    categories,
    accounts,
  };
}

/** Mean over accounts weighted by each account's count (the mean over all their solves). */
function weighted(points: (Point | undefined)[]): number | null {
  let total = 0;
  let n = 0;
  for (const p of points) {
    if (!p || p.value === null || !p.count) continue;
    total += p.value * p.count;
    n += p.count;
  }
  return n ? total / n : null;
}

function monthBefore(id: string): string {
  const [y, m] = id.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

async function categoryNames(db: Db, ids: string[]): Promise<Named[]> {
  const real = ids.filter((i) => /^[0-9a-f-]{36}$/.test(i));
  const out: Named[] = [];
  if (real.length) {
    const r = await db.execute<{ id: string; name_en: string; name_ar: string }>(
      sql`select id::text, name_en, name_ar from categories where id in (${sql.join(real.map((i) => sql`${i}::uuid`), sql`, `)}) order by position, name_en`,
    );
    out.push(...r.rows.map((c) => ({ id: c.id, en: c.name_en, ar: c.name_ar })));
  }
  if (ids.includes('none')) out.push({ id: 'none', en: 'No category', ar: 'بلا فئة' });
  return out;
}

export function buildReport(ctx: AuthedCtx, p: Period): Promise<ReportData> {
  return p.kind === 'weekly_care' ? buildWeekly(ctx, p) : buildMonthly(ctx, p);
}
