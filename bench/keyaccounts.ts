/**
 * Key accounts bench: the monthly ranking over 100,000 accounts with 24 months of revenue, and
 * routing decisions per second (the pure rule walk, and the full decision with its database reads).
 *
 * Runs in-process on a fresh database: PGlite in a temporary folder, or a fresh schema in
 * DATABASE_URL. `node --import tsx bench/keyaccounts.ts [--accounts N]`; `npm run bench` runs it
 * last. Target: ranking <= 2 s on PostgreSQL.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../server/src/platform/config.js';
import { openDatabase } from '../server/src/platform/db/index.js';
import { bootstrap } from '../server/src/modules/demo/bootstrap.js';
import { rankKeyAccounts } from '../server/src/modules/customers/index.js';
import { decide, routeNewTicket } from '../server/src/modules/routing/index.js';
import { activeRules } from '../server/src/modules/routing/use-cases/route-ticket.js';
import { dropBenchSchema } from './server.js';

export interface KeyAccountsBenchResult {
  driver: 'pglite' | 'pg';
  accounts: number;
  months: number;
  revenueRows: number;
  seedSeconds: number;
  rankingSeconds: number;
  rankingAgainSeconds: number;
  pureDecisionsPerSecond: number;
  dbDecisionsPerSecond: number;
}

export async function runKeyAccountsBench(opts: { accounts: number; log: (m: string) => void }): Promise<KeyAccountsBenchResult> {
  const { log } = opts;
  const databaseUrl = process.env.DATABASE_URL || null;
  const tmp = databaseUrl ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'caredesk-ka-bench-'));
  const schema = databaseUrl ? `bench_ka_${crypto.randomBytes(4).toString('hex')}` : null;
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    CAREDESK_DEMO: 'true',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl, CAREDESK_DB_SCHEMA: schema! } : { CAREDESK_DATA_DIR: path.join(tmp!, 'data') }),
  });
  const database = await openDatabase(config);
  try {
    await database.exclusive(() => bootstrap(database.db, config, () => {}));
    const db = database.db;
    const months = 24;
    log(`key accounts: seeding ${opts.accounts.toLocaleString('en')} accounts x ${months} months of revenue on ${database.driver}…`);
    const s0 = performance.now();
    await db.execute(sql`
      insert into accounts (id, name, country_code, external_id)
      select gen_random_uuid(), 'Bench account ' || i, case when i % 3 = 0 then 'AE' else 'SA' end, 'BENCH-' || i
      from generate_series(1, ${opts.accounts}) i`);
    // Month by month keeps each statement's memory small (PGlite runs in this process).
    for (let m = 0; m < months; m++) {
      await db.execute(sql`
        insert into revenue_entries (account_id, month, amount, currency)
        select a.id, (date '2024-01-01' + make_interval(months => ${m}))::date,
          round((random() * 1000000)::numeric, 2), case when a.country_code = 'AE' then 'AED' else 'SAR' end
        from accounts a where a.external_id like 'BENCH-%'`);
    }
    await db.execute(sql`insert into currency_rates (currency, rate) values ('AED', 1.02) on conflict (currency) do update set rate = excluded.rate`);
    await db.execute(sql`analyze`);
    const seedSeconds = (performance.now() - s0) / 1000;
    const revenueRows = Number((await db.execute<{ n: number }>(sql`select count(*)::int as n from revenue_entries`)).rows[0]!.n);
    log(`  seeded ${revenueRows.toLocaleString('en')} revenue rows in ${seedSeconds.toFixed(1)} s`);

    const ctx = { db, config, actor: null, lang: 'en' as const, now: () => new Date() };
    const r0 = performance.now();
    const result = await rankKeyAccounts(ctx, '2026-01-01');
    const rankingSeconds = (performance.now() - r0) / 1000;
    const r1 = performance.now();
    await rankKeyAccounts(ctx, '2026-01-01');
    const rankingAgainSeconds = (performance.now() - r1) / 1000;
    log(`  ranking (top ${result.topN} of ${opts.accounts.toLocaleString('en')}): ${rankingSeconds.toFixed(2)} s; again (replacing): ${rankingAgainSeconds.toFixed(2)} s`);

    // Routing: the pure rule walk over varied facts, then the full decision with its reads.
    const rules = await activeRules(db);
    const groups = (await db.execute<{ id: string; kind: string; country_code: string | null; name: string }>(sql`select id, kind, country_code, name from groups`)).rows.map((g) => ({
      id: g.id,
      kind: g.kind,
      countryCode: g.country_code,
      name: g.name,
    }));
    const countries = ['SA', 'AE', 'QA', null];
    let n = 0;
    const p0 = performance.now();
    while (performance.now() - p0 < 1000) {
      for (let i = 0; i < 1000; i++, n++) {
        decide(rules, { keyAccount: n % 5 === 0, countryCode: countries[n % 4]!, categoryId: null, channel: n % 2 ? 'email' : 'web', language: n % 3 ? 'en' : 'ar', text: 'Parcel delayed, please call', groupId: null }, groups);
      }
    }
    const pureDecisionsPerSecond = n / ((performance.now() - p0) / 1000);
    const sample = (await db.execute<{ id: string }>(sql`select id from accounts order by key_account desc, id limit 200`)).rows.map((r) => r.id);
    let m = 0;
    const d0 = performance.now();
    while (performance.now() - d0 < 2000) {
      await routeNewTicket(db, { accountId: sample[m % sample.length]!, contactId: null, categoryId: null, channel: 'email', text: 'Parcel delayed', groupId: null });
      m++;
    }
    const dbDecisionsPerSecond = m / ((performance.now() - d0) / 1000);
    log(`  routing: ${Math.round(pureDecisionsPerSecond).toLocaleString('en')} decisions/s (rules only), ${Math.round(dbDecisionsPerSecond).toLocaleString('en')}/s with database reads (one at a time)`);
    return { driver: database.driver, accounts: opts.accounts, months, revenueRows, seedSeconds, rankingSeconds, rankingAgainSeconds, pureDecisionsPerSecond, dbDecisionsPerSecond };
  } finally {
    await database.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    if (schema && databaseUrl) await dropBenchSchema(databaseUrl, schema);
  }
}

export function printKeyAccountsResult(r: KeyAccountsBenchResult) {
  const target = r.driver === 'pg' ? (r.rankingSeconds <= 2 ? 'met' : 'NOT met') : 'target is for PostgreSQL';
  console.log(`\nKey accounts — ${r.driver}, ${r.accounts.toLocaleString('en')} accounts x ${r.months} months (${r.revenueRows.toLocaleString('en')} revenue rows)`);
  console.log(`  monthly ranking: ${r.rankingSeconds.toFixed(2)} s (re-run ${r.rankingAgainSeconds.toFixed(2)} s); target <= 2 s on PostgreSQL: ${target}`);
  console.log(`  routing decisions: ${Math.round(r.pureDecisionsPerSecond).toLocaleString('en')}/s rules only; ${Math.round(r.dbDecisionsPerSecond).toLocaleString('en')}/s with database reads`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf('--accounts');
  const accounts = i > 0 ? Number(process.argv[i + 1]) : 100_000;
  const t0 = performance.now();
  runKeyAccountsBench({ accounts, log: (m) => console.log(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${m}`) }).then(
    (r) => {
      printKeyAccountsResult(r);
      console.log(JSON.stringify({ bench: 'keyaccounts', ...r }));
      process.exit(0);
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
