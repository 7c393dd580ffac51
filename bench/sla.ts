/**
 * Service-level benchmark, in process on a fresh database (PGlite in a temp folder, or a fresh
 * schema in DATABASE_URL), seeded with the demo workspace:
 *  1. recompute the deadlines of N open tickets after a calendar change (target <= 10 s for 100k
 *     on PostgreSQL);
 *  2. one sweep for due escalation steps with M open clocks stored (target <= 1 s for 1M): the
 *     clocks are bulk-inserted rows, a few hundred of them due, so the figure is the index-driven
 *     lookup plus the due work.
 *
 * `node --import tsx bench/sla.ts [--tickets N] [--clocks M]`; `npm run bench` runs it last.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../server/src/platform/config.js';
import { openDatabase, type Database } from '../server/src/platform/db/index.js';
import { bootstrap } from '../server/src/modules/demo/bootstrap.js';
import { recomputeOpenTickets } from '../server/src/modules/sla/index.js';
import { sweepSla } from '../server/src/modules/sla/use-cases/sweep.js';

export interface SlaBenchResult {
  driver: string;
  tickets: number;
  recomputeSeconds: number;
  ticketsPerSecond: number;
  /** The first computation of every ticket's deadlines (all rows new), before the change. */
  initialSeconds: number;
  /** Clocks whose stored deadline the calendar change moved. */
  clocksMoved: number;
  clocks: number;
  due: number;
  sweepSeconds: number;
  stepsFired: number;
  idleSweepMs: number;
}

const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

async function bulkTickets(database: Database, n: number, log: (m: string) => void) {
  const db = database.db;
  const t0 = process.hrtime.bigint();
  for (let done = 0; done < n; done += 20_000) {
    const size = Math.min(20_000, n - done);
    // Open tickets spread over the last 30 days in the demo's groups, one customer message each,
    // every tenth with a priority change and a pending spell in its history.
    await db.execute(sql`
      with g as (select id from groups order by name),
      made as (
        insert into tickets (id, subject, status, priority, group_id, channel, created_at, updated_at)
        select gen_random_uuid(), 'Bench ticket ' || i, case when i % 10 = 0 then 'open' else 'new' end,
               (array['low','normal','high','urgent'])[1 + i % 4],
               (select id from g offset (i % (select count(*) from g)) limit 1),
               'email', now() - (i % 43200) * interval '1 minute', now()
        from generate_series(${done + 1}::int, ${done + size}::int) as i
        returning id, created_at, (regexp_replace(subject, '\\D', '', 'g'))::int as i
      ),
      msg as (insert into ticket_messages (id, ticket_id, kind, channel, created_at) select gen_random_uuid(), id, 'customer', 'email', created_at from made)
      insert into audit_events (id, action, target_type, target_id, ticket_id, changes, created_at)
      select gen_random_uuid(), 'ticket.updated', 'ticket', id, id,
             jsonb_build_array(jsonb_build_object('field', 'status', 'before', 'new', 'after', 'pending')), created_at + interval '30 minutes'
      from made where i % 10 = 0
      union all
      select gen_random_uuid(), 'ticket.updated', 'ticket', id, id,
             jsonb_build_array(jsonb_build_object('field', 'status', 'before', 'pending', 'after', 'open')), created_at + interval '90 minutes'
      from made where i % 10 = 0`);
    log(`  seeded ${(done + size).toLocaleString('en')} tickets`);
  }
  return seconds(t0);
}

async function bulkClocks(database: Database, m: number, due: number, at: Date) {
  const db = database.db;
  // Real tickets for the due clocks (their steps run); the rest point at ids that exist only here,
  // so the foreign key is switched off for this session while they are written.
  const real = (await db.execute<{ id: string }>(sql`select id from tickets where status in ('new','open') order by id limit ${due}`)).rows.map((r) => r.id);
  await db.execute(sql`delete from sla_deadlines`);
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    for (let done = 0; done < m; done += 250_000) {
      const size = Math.min(250_000, m - done);
      await tx.execute(sql`
        insert into sla_deadlines (ticket_id, target, cycle, start_at, due_at, at_risk_at, budget_ms, steps, next_action_at, computed_at)
        select gen_random_uuid(), 'resolution', 1, ${at}::timestamptz - interval '1 hour', ${at}::timestamptz + (i % 100000 + 60) * interval '1 minute',
               ${at}::timestamptz + (i % 100000 + 30) * interval '1 minute', 3600000, '[]'::jsonb,
               ${at}::timestamptz + (i % 100000 + 30) * interval '1 minute', ${at}
        from generate_series(${done + 1}::int, ${done + size}::int) as i`);
    }
  });
  const steps = JSON.stringify([{ key: 'warn-assignee', at: new Date(at.getTime() - 60_000).toISOString() }]);
  for (const id of real) {
    await db.execute(sql`
      insert into sla_deadlines (ticket_id, target, cycle, policy_id, start_at, due_at, at_risk_at, budget_ms, steps, next_action_at, computed_at)
      values (${id}, 'first_response', 1, (select id from sla_policies where name like 'Everyone%'), ${new Date(at.getTime() - 3_600_000)}, ${new Date(at.getTime() + 3_600_000)}, ${at}, 7200000, ${steps}::jsonb, ${new Date(at.getTime() - 60_000)}, ${at})
      on conflict (ticket_id, target) do update set policy_id = excluded.policy_id, steps = excluded.steps, next_action_at = excluded.next_action_at, due_at = excluded.due_at`);
  }
  await db.execute(sql`analyze sla_deadlines`);
  return real.length;
}

export async function runSlaBench(o: { tickets: number; clocks: number; due?: number; log: (m: string) => void }): Promise<SlaBenchResult> {
  const { log } = o;
  const databaseUrl = process.env.DATABASE_URL || null;
  const dataDir = databaseUrl ? '' : fs.mkdtempSync(path.join(os.tmpdir(), 'caredesk-sla-bench-'));
  const schema = databaseUrl ? `bench_sla_${crypto.randomBytes(4).toString('hex')}` : '';
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    CAREDESK_DEMO: 'true',
    CAREDESK_SECRET_KEY: 'bench-secret-key-that-is-long-enough-0123456789',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl, CAREDESK_DB_SCHEMA: schema } : { CAREDESK_DATA_DIR: path.join(dataDir, 'db') }),
  });
  const database = await openDatabase(config);
  try {
    await bootstrap(database.db, config, () => {});
    log(`SLA bench on ${database.driver}: ${o.tickets.toLocaleString('en')} open tickets, ${o.clocks.toLocaleString('en')} stored clocks`);
    const seedSeconds = await bulkTickets(database, o.tickets, log);
    log(`  tickets seeded in ${seedSeconds.toFixed(1)} s`);
    await database.db.execute(sql`analyze`);

    // The steady state a calendar change meets: every open ticket's deadlines already stored
    // (computed when the ticket last changed). The first computation writes every row.
    const lanes = database.driver === 'pg' ? 3 : 1;
    const tw = process.hrtime.bigint();
    await recomputeOpenTickets(database.db, new Date(), lanes);
    const initialSeconds = seconds(tw);
    log(`  first computation (every clock a new row) in ${initialSeconds.toFixed(2)} s`);
    await database.db.execute(sql`analyze`);

    // A calendar change that moves deadlines: the default calendar closes an hour earlier on
    // Thursdays, and Eid moves by a day. Every open ticket's deadlines are recomputed.
    await database.db.execute(sql`update sla_calendars set hours = jsonb_set(hours, '{thu}', '[["08:00","16:00"]]'::jsonb),
      holidays = holidays || '[{"date":"2027-03-13","name":"Eid al-Fitr"}]'::jsonb, updated_at = now() where is_default`);
    const changeAt = new Date();
    const t0 = process.hrtime.bigint();
    const recomputed = await recomputeOpenTickets(database.db, changeAt, lanes);
    const recomputeSeconds = seconds(t0);
    const moved = Number((await database.db.execute<{ n: number }>(sql`select count(*)::int as n from sla_deadlines where computed_at = ${changeAt}`)).rows[0]!.n);
    log(`  recomputed ${recomputed.toLocaleString('en')} tickets in ${recomputeSeconds.toFixed(2)} s (${moved.toLocaleString('en')} clocks moved)`);

    const at = new Date();
    const due = await bulkClocks(database, o.clocks, o.due ?? 50, at);
    log(`  ${o.clocks.toLocaleString('en')} clocks stored, ${due} due`);
    // Catch-up: the due tickets are weeks old, so running their steps makes older steps of their
    // real policy due too; sweep until nothing is left.
    const t1 = process.hrtime.bigint();
    const swept = { stepsFired: 0 };
    for (let i = 0; i < 20; i++) {
      const r = await sweepSla(database.db, at);
      swept.stepsFired += r.stepsFired;
      if (!r.clocks) break;
    }
    const sweepSeconds = seconds(t1);
    // With nothing due, a sweep is the index lookup alone.
    const t2 = process.hrtime.bigint();
    await sweepSla(database.db, at);
    const idleSweep = seconds(t2);
    log(`  catch-up sweeps: ${swept.stepsFired} steps in ${sweepSeconds.toFixed(3)} s; an idle sweep over ${o.clocks.toLocaleString('en')} clocks ${(idleSweep * 1000).toFixed(1)} ms`);
    return {
      driver: database.driver,
      tickets: recomputed,
      recomputeSeconds,
      ticketsPerSecond: Math.round(recomputed / recomputeSeconds),
      initialSeconds,
      clocksMoved: moved,
      clocks: o.clocks,
      due,
      sweepSeconds,
      stepsFired: swept.stepsFired,
      idleSweepMs: idleSweep * 1000,
    };
  } finally {
    if (databaseUrl) await database.db.execute(sql.raw(`drop schema if exists ${schema} cascade`));
    await database.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export function printSlaResult(r: SlaBenchResult) {
  console.log(`\nService levels (${r.driver})`);
  console.log(`  recompute deadlines after a calendar change: ${r.tickets.toLocaleString('en')} open tickets in ${r.recomputeSeconds.toFixed(2)} s (${r.ticketsPerSecond.toLocaleString('en')}/s; ${r.clocksMoved.toLocaleString('en')} clocks moved; target <= 10 s for 100k on PostgreSQL)`);
  console.log(`  first computation of the same tickets' deadlines (every clock a new row): ${r.initialSeconds.toFixed(2)} s`);
  console.log(`  finding due steps among ${r.clocks.toLocaleString('en')} open clocks (a sweep with nothing due): ${r.idleSweepMs.toFixed(1)} ms (target <= 1 s for 1M)`);
  console.log(`  a sweep running ${r.stepsFired} due steps (catch-up on ${r.due} overdue tickets: notifications, priority raises): ${r.sweepSeconds.toFixed(2)} s`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  runSlaBench({ tickets: arg('--tickets', 100_000), clocks: arg('--clocks', 1_000_000), log: (m) => console.log(m) })
    .then((r) => {
      printSlaResult(r);
      console.log(JSON.stringify({ sla: r }));
    })
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
