/**
 * Weekly Customer Care Report bench: producing one week's report over the facts of 1,000,000
 * tickets (a year of them, ~1.4 million facts: created, SLA met/breached, escalations, calls)
 * across 5,000 accounts of which 20 are key accounts.
 *
 * Runs in-process on a fresh database: PGlite in a temporary folder, or a fresh schema in
 * DATABASE_URL. `node --import tsx bench/reports-weekly.ts [--tickets N]`; `npm run bench` runs it
 * after the key-accounts bench. Target: <= 3 s on PostgreSQL.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../server/src/platform/config.js';
import { openDatabase } from '../server/src/platform/db/index.js';
import { bootstrap } from '../server/src/modules/demo/bootstrap.js';
import { buildWeekly, systemCtx } from '../server/src/modules/reports/scheduled/build.js';
import { periodContaining, nextPeriod } from '../server/src/modules/reports/scheduled/periods.js';

export interface ReportsWeeklyBenchResult {
  driver: 'pglite' | 'pg';
  tickets: number;
  facts: number;
  seedSeconds: number;
  weeklySeconds: number;
  weeklyAgainSeconds: number;
  keyAccounts: number;
}

export async function runReportsWeeklyBench(opts: { tickets: number; log: (m: string) => void }): Promise<ReportsWeeklyBenchResult> {
  const { log } = opts;
  const databaseUrl = process.env.DATABASE_URL || null;
  const tmp = databaseUrl ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'caredesk-rw-bench-'));
  // BENCH_REPORTS_WEEKLY_SCHEMA keeps a seeded schema between runs (seeded once, never dropped).
  const kept = process.env.BENCH_REPORTS_WEEKLY_SCHEMA || null;
  const schema = databaseUrl ? (kept ?? `bench_rw_${crypto.randomBytes(4).toString('hex')}`) : null;
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    CAREDESK_DEMO: 'true',
    CAREDESK_TIME_ZONE: 'Asia/Riyadh',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl, CAREDESK_DB_SCHEMA: schema! } : { CAREDESK_DATA_DIR: path.join(tmp!, 'data') }),
  });
  const database = await openDatabase(config);
  try {
    await database.exclusive(() => bootstrap(database.db, config, () => {}));
    const db = database.db;
    const start = new Date('2025-01-05T00:00:00+03:00'); // a Sunday
    const days = 364;
    log(`reports: seeding facts of ${opts.tickets.toLocaleString('en')} tickets over ${days} days on ${database.driver}…`);
    const s0 = performance.now();
    const seeded = Number((await db.execute<{ n: string }>(sql`select count(*) as n from accounts where name like 'Bench account %'`)).rows[0]!.n) > 0;
    if (!seeded) {
    await db.execute(sql`update accounts set key_account = false`);
    await db.execute(sql`insert into accounts (id, name, key_account, created_at, updated_at)
      select gen_random_uuid(), 'Bench account ' || g, g <= 20, now(), now() from generate_series(1, 5000) g`);
    await db.execute(sql`create temporary table bench_accounts as select row_number() over (order by name) as n, id, key_account from accounts where name like 'Bench account %'`);
    const cats = (await db.execute<{ id: string }>(sql`select id::text from categories order by position`)).rows.map((r) => r.id);
    const catArray = sql.raw(`array[${cats.map((c) => `'${c}'::uuid`).join(',')}]`);
    const chunk = 200_000;
    for (let from = 1; from <= opts.tickets; from += chunk) {
      const to = Math.min(opts.tickets, from + chunk - 1);
      // A fifth of the tickets are key accounts' (accounts 1-20); the rest spread over 4,980 accounts.
      await db.execute(sql`
        with t as (
          select g, gen_random_uuid() as ticket_id,
            ${start}::timestamptz + (random() * ${days} * interval '1 day') as at,
            case when g % 5 = 0 then 1 + (g / 5) % 20 else 21 + g % 4980 end as acc,
            (${catArray})[1 + g % ${cats.length}] as category
          from generate_series(${from}::int, ${to}::int) g
        ), x as (
          select t.*, a.id as account_id, a.key_account from t join bench_accounts a on a.n = t.acc
        )
        insert into report_facts (id, key, kind, occurred_at, ticket_id, account_id, key_account, category_id, channel, target, extras, created_at)
        select gen_random_uuid(), 'ticket.created:' || ticket_id, 'ticket.created', at, ticket_id, account_id, key_account, category, 'email', null, '{}'::jsonb, now() from x
        union all
        select gen_random_uuid(), 'sla:' || ticket_id, case when g % 7 = 0 then 'sla.breached' else 'sla.met' end, at + interval '5 hours', ticket_id, account_id, key_account, category, 'email', 'resolution', '{}'::jsonb, now()
          from x where g % 3 = 0
        union all
        select gen_random_uuid(), 'escalated:' || ticket_id, 'escalated', at + interval '6 hours', ticket_id, account_id, key_account, category, 'email', 'resolution', '{}'::jsonb, now()
          from x where g % 20 = 0
        union all
        select gen_random_uuid(), 'call.logged:' || ticket_id, 'call.logged', at + interval '1 hour', ticket_id, account_id, key_account, category, 'phone', null, '{}'::jsonb, now()
          from x where g % 10 = 0`);
      log(`  ${to.toLocaleString('en')} tickets`);
    }
    await db.execute(sql`analyze report_facts`);
    }
    const facts = Number((await db.execute<{ n: string }>(sql`select count(*) as n from report_facts`)).rows[0]!.n);
    const seedSeconds = (performance.now() - s0) / 1000;
    // A week in the middle of the year.
    let p = periodContaining('weekly_care', new Date('2025-06-10T12:00:00Z'), config.timeZone);
    const ctx = systemCtx(db, config, new Date());
    log('reports: producing the weekly Customer Care Report…');
    const w0 = performance.now();
    const data = await buildWeekly(ctx, p);
    const weeklySeconds = (performance.now() - w0) / 1000;
    p = nextPeriod(p);
    const w1 = performance.now();
    await buildWeekly(ctx, p);
    const weeklyAgainSeconds = (performance.now() - w1) / 1000;
    return { driver: database.driver, tickets: opts.tickets, facts, seedSeconds, weeklySeconds, weeklyAgainSeconds, keyAccounts: data.accounts.length };
  } finally {
    await database.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    if (schema && !kept) {
      const { default: pg } = await import('pg');
      const c = new pg.Client({ connectionString: databaseUrl! });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.query(`DROP SCHEMA IF EXISTS ${schema}_jobs CASCADE`);
      await c.end();
    }
  }
}

export function printReportsWeeklyResult(r: ReportsWeeklyBenchResult) {
  const target = r.driver === 'pg' ? (r.weeklySeconds <= 3 ? 'met' : 'NOT met') : 'target is for PostgreSQL';
  console.log(`\nWeekly Customer Care Report — ${r.driver}, ${r.tickets.toLocaleString('en')} tickets (${r.facts.toLocaleString('en')} facts), ${r.keyAccounts} key accounts; seeded in ${r.seedSeconds.toFixed(1)} s`);
  console.log(`  weekly report: ${r.weeklySeconds.toFixed(2)} s (another week ${r.weeklyAgainSeconds.toFixed(2)} s); target <= 3 s on PostgreSQL: ${target}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf('--tickets');
  const tickets = i > 0 ? Number(process.argv[i + 1]) : 1_000_000;
  const t0 = performance.now();
  runReportsWeeklyBench({ tickets, log: (m) => console.log(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${m}`) }).then(
    (r) => {
      printReportsWeeklyResult(r);
      console.log(JSON.stringify({ bench: 'reports-weekly', ...r }));
      process.exit(0);
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
