/**
 * Reports bench: the live dashboard query (and the KPI, chart and drill-down queries) over
 * 1,000,000 tickets and their facts (about 4 million rows in report_facts).
 *
 * Runs in-process on a fresh database: PGlite in a temporary folder, or a fresh schema in
 * DATABASE_URL. `node --import tsx bench/reports.ts [--tickets N]`; `npm run bench` runs it after
 * the key accounts bench. Data is seeded set-based (generate_series, INSERT … SELECT), in chunks.
 * Target: dashboard query p95 <= 100 ms on PostgreSQL.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../server/src/platform/config.js';
import { openDatabase } from '../server/src/platform/db/index.js';
import type { AuthedCtx } from '../server/src/platform/context.js';
import { bootstrap } from '../server/src/modules/demo/bootstrap.js';
import { drillDown, kpiSummary, metricSeries } from '../server/src/modules/reports/use-cases/kpis.js';
import { liveDashboard } from '../server/src/modules/reports/use-cases/live.js';
import { dropBenchSchema } from './server.js';

export interface Timing {
  runs: number;
  p50: number;
  p95: number;
  max: number;
}
export interface ReportsBenchResult {
  driver: 'pglite' | 'pg';
  tickets: number;
  facts: number;
  openTickets: number;
  seedSeconds: number;
  dashboard: Timing;
  kpis30d: Timing;
  series: Timing;
  drill: Timing;
}

async function time(runs: number, warmup: number, fn: () => Promise<unknown>): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const q = (p: number) => ms[Math.min(ms.length - 1, Math.ceil(p * ms.length) - 1)]!;
  return { runs, p50: q(0.5), p95: q(0.95), max: ms[ms.length - 1]! };
}

export async function runReportsBench(opts: { tickets: number; log: (m: string) => void }): Promise<ReportsBenchResult> {
  const { log } = opts;
  const databaseUrl = process.env.DATABASE_URL || null;
  // BENCH_REPORTS_SCHEMA=<schema> measures again on a schema an earlier run seeded (and keeps it).
  const reuse = databaseUrl ? (process.env.BENCH_REPORTS_SCHEMA ?? null) : null;
  // BENCH_REPORTS_KEEP=1 keeps a freshly seeded schema (its name is logged) for BENCH_REPORTS_SCHEMA
  // and EXPLAIN: seeding a million tickets takes minutes, a query plan takes milliseconds.
  const keep = process.env.BENCH_REPORTS_KEEP === '1';
  const tmp = databaseUrl ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'caredesk-reports-bench-'));
  const schema = databaseUrl ? (reuse ?? `bench_rep_${crypto.randomBytes(4).toString('hex')}`) : null;
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    CAREDESK_DEMO: 'true',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl, CAREDESK_DB_SCHEMA: schema! } : { CAREDESK_DATA_DIR: path.join(tmp!, 'data') }),
  });
  const database = await openDatabase(config);
  try {
    const db = database.db;
    const n = opts.tickets;
    const s0 = performance.now();
    if (!reuse) {
      await database.exclusive(() => bootstrap(database.db, config, () => {}));
      log(`reports: seeding ${n.toLocaleString('en')} tickets with their facts on ${database.driver}…`);
      // 200 agents and 2,000 accounts, so per-agent load and per-account facts look like a real desk.
      await db.execute(sql`
        insert into users (id, email, name, roles) select gen_random_uuid(), 'bench-agent-' || i || '@bench.test', 'Bench agent ' || i, array['agent']
        from generate_series(1, 200) i`);
      await db.execute(sql`
        insert into accounts (id, name, country_code, key_account) select gen_random_uuid(), 'Bench account ' || i, case when i % 3 = 0 then 'AE' else 'SA' end, i <= 100
        from generate_series(1, 2000) i`);
      const chunk = 200_000;
      for (let start = 1; start <= n; start += chunk) {
        const end = Math.min(n, start + chunk - 1);
        // One ticket in 20 is still open; creation times spread evenly over the last 365 days
        // (ticket 1 is the newest), so today and the last 30 days have their share.
        await db.execute(sql`
          with g as (select array_agg(id order by name) a from groups),
               u as (select array_agg(id order by email) a from users where email like 'bench-agent-%'),
               ac as (select array_agg(id order by name) a from accounts where name like 'Bench account %'),
               c as (select array_agg(id order by key) a from categories),
               r as (select array_agg(id order by code) a from reason_codes)
          insert into tickets (id, subject, status, priority, group_id, assignee_id, account_id, channel, category_id, reason_code_id, created_at, updated_at, solved_at)
          select gen_random_uuid(), 'Bench ticket ' || i,
            case when i % 20 = 0 then (array['new', 'open', 'pending', 'on-hold'])[1 + (i / 20) % 4] else 'solved' end,
            (array['low', 'normal', 'normal', 'high', 'urgent'])[1 + i % 5],
            g.a[1 + i % array_length(g.a, 1)], u.a[1 + i % 200], ac.a[1 + i % 2000],
            (array['email', 'phone', 'web', 'chat', 'social'])[1 + i % 5],
            c.a[1 + i % array_length(c.a, 1)], r.a[1 + i % array_length(r.a, 1)],
            now() - (i::float8 / ${n}) * interval '365 days', now() - (i::float8 / ${n}) * interval '365 days',
            case when i % 20 = 0 then null else now() - (i::float8 / ${n}) * interval '365 days' + ((1 + i % 72) * interval '1 hour') end
          from generate_series(${start}::int, ${end}::int) i, g, u, ac, c, r`);
    }
    const [{ first }] = (await db.execute<{ first: number }>(sql`select min(number)::int as first from tickets where subject like 'Bench ticket %'`)).rows as [{ first: number }];
    // Facts per ticket, in chunks by ticket number: created, first response (19 in 20), solved,
    // a reopen for 1 in 33 solved, and a first-response SLA fact (1 in 10 missed).
    const dims = sql`t.number, t.group_id, t.assignee_id, t.account_id, coalesce(a.key_account, false), t.channel, t.category_id, t.reason_code_id, t.priority, a.country_code`;
    const cols = sql`(id, key, kind, occurred_at, ticket_id, ticket_number, group_id, agent_id, account_id, key_account, channel, category_id, reason_code_id, priority, country, target, business_ms, calendar_ms, extras)`;
    for (let lo = first; lo < first + n; lo += chunk) {
      const hi = lo + chunk;
      const from = sql`from tickets t left join accounts a on a.id = t.account_id where t.number >= ${lo} and t.number < ${hi}`;
      await db.execute(sql`insert into report_facts ${cols}
        select gen_random_uuid(), 'ticket.created:' || t.id, 'ticket.created', t.created_at, t.id, ${dims}, null, null, null, '{}'::jsonb ${from}`);
      await db.execute(sql`insert into report_facts ${cols}
        select gen_random_uuid(), 'first_response:' || t.id, 'first_response', t.created_at + (t.number % 600) * interval '1 minute', t.id, ${dims}, null,
          (t.number % 600) * 60000 * 0.4, (t.number % 600) * 60000, '{}'::jsonb ${from} and t.number % 20 <> 7`);
      await db.execute(sql`insert into report_facts ${cols}
        select gen_random_uuid(), 'solved:' || t.id || ':' || extract(epoch from t.solved_at)::bigint, 'solved', t.solved_at, t.id, ${dims}, null,
          extract(epoch from (t.solved_at - t.created_at)) * 1000 * 0.35, extract(epoch from (t.solved_at - t.created_at)) * 1000,
          jsonb_build_object('replies', 1 + t.number % 3, 'reopensBefore', 0) ${from} and t.solved_at is not null`);
      await db.execute(sql`insert into report_facts ${cols}
        select gen_random_uuid(), 'reopened:' || t.id, 'reopened', t.solved_at + interval '2 hours', t.id, ${dims}, null, null, null, '{}'::jsonb ${from} and t.solved_at is not null and t.number % 33 = 0`);
      await db.execute(sql`insert into report_facts ${cols}
        select gen_random_uuid(), case when t.number % 10 = 0 then 'sla.breached:' else 'sla.met:' end || t.id || ':first_response:1',
          case when t.number % 10 = 0 then 'sla.breached' else 'sla.met' end, t.created_at + interval '3 hours', t.id, ${dims}, 'first_response',
          10800000, 10800000, '{"cycle": 1}'::jsonb ${from}`);
    }
    // Running clocks for the open tickets: a quarter past their at-risk moment, some breached.
    await db.execute(sql`
      insert into sla_deadlines (ticket_id, target, cycle, group_id, start_at, due_at, at_risk_at, budget_ms, computed_at)
      select t.id, 'resolution', 1, t.group_id, t.created_at, now() + ((t.number % 48) - 6) * interval '1 hour', now() + ((t.number % 48) - 12) * interval '1 hour', 259200000, now()
      from tickets t where t.status in ('new', 'open', 'pending', 'on-hold') and t.subject like 'Bench ticket %'`);
    // What autovacuum does on a live system: statistics, and the visibility map index-only scans need.
    for (const table of ['tickets', 'report_facts', 'sla_deadlines', 'users', 'accounts']) await db.execute(sql.raw(`vacuum analyze ${table}`));
    }
    const seedSeconds = (performance.now() - s0) / 1000;
    const facts = Number((await db.execute<{ n: number }>(sql`select count(*)::int as n from report_facts`)).rows[0]!.n);
    const openTickets = Number((await db.execute<{ n: number }>(sql`select count(*)::int as n from tickets where status in ('new', 'open', 'pending', 'on-hold')`)).rows[0]!.n);
    if (schema && !reuse && keep) log(`  keeping schema ${schema} (BENCH_REPORTS_SCHEMA=${schema} measures on it again)`);
    log(`  ${reuse ? `reused ${reuse}: ` : 'seeded '}${n.toLocaleString('en')} tickets (${openTickets.toLocaleString('en')} open) and ${facts.toLocaleString('en')} facts in ${seedSeconds.toFixed(1)} s`);

    const [manager] = (await db.execute<{ id: string; name: string; email: string }>(sql`select id, name, email from users where email = 'manager@demo.caredesk.test'`)).rows;
    const ctx: AuthedCtx = {
      db,
      config,
      actor: { type: 'user', id: manager!.id, name: manager!.name, email: manager!.email, language: 'en', roles: ['manager'], groupIds: [] },
      lang: 'en',
      now: () => new Date(),
    };
    const [ka] = (await db.execute<{ id: string }>(sql`select id from groups where name = 'Key Accounts SA'`)).rows;
    const dashboard = await time(40, 5, () => liveDashboard(ctx));
    log(`  dashboard (live): p50 ${dashboard.p50.toFixed(1)} ms, p95 ${dashboard.p95.toFixed(1)} ms`);
    const kpis30d = await time(10, 2, () => kpiSummary(ctx, {}));
    log(`  all KPIs, 30 days vs previous: p50 ${kpis30d.p50.toFixed(1)} ms, p95 ${kpis30d.p95.toFixed(1)} ms`);
    const series = await time(20, 3, () => metricSeries(ctx, 'resolution_time', { groupId: ka!.id, by: 'group' }));
    const drill = await time(20, 3, () => drillDown(ctx, 'resolution_time', { groupId: ka!.id, by: 'group', key: ka!.id, limit: 100 }));
    log(`  resolution time for Key Accounts: series p95 ${series.p95.toFixed(1)} ms, drill-down p95 ${drill.p95.toFixed(1)} ms`);
    return { driver: database.driver, tickets: n, facts, openTickets, seedSeconds, dashboard, kpis30d, series, drill };
  } finally {
    await database.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    if (schema && databaseUrl && !reuse && !keep) await dropBenchSchema(databaseUrl, schema);
  }
}

export function printReportsResult(r: ReportsBenchResult) {
  const target = r.driver === 'pg' ? (r.dashboard.p95 <= 100 ? 'met' : 'NOT met') : 'target is for PostgreSQL';
  const f = (t: Timing) => `p50 ${t.p50.toFixed(1)} ms, p95 ${t.p95.toFixed(1)} ms, max ${t.max.toFixed(1)} ms (${t.runs} runs)`;
  console.log(`\nReports — ${r.driver}, ${r.tickets.toLocaleString('en')} tickets (${r.openTickets.toLocaleString('en')} open), ${r.facts.toLocaleString('en')} facts; seeded in ${r.seedSeconds.toFixed(1)} s`);
  console.log(`  live dashboard query: ${f(r.dashboard)}; target p95 <= 100 ms on PostgreSQL: ${target}`);
  console.log(`  all 15 KPIs, last 30 days and the 30 before: ${f(r.kpis30d)}`);
  console.log(`  resolution time by group, Key Accounts: ${f(r.series)}`);
  console.log(`  drill-down, first 100 tickets: ${f(r.drill)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf('--tickets');
  const tickets = i > 0 ? Number(process.argv[i + 1]) : 1_000_000;
  const t0 = performance.now();
  runReportsBench({ tickets, log: (m) => console.log(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${m}`) }).then(
    (r) => {
      printReportsResult(r);
      console.log(JSON.stringify({ bench: 'reports', ...r }));
      process.exit(0);
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
