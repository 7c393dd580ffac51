/**
 * CareDesk benchmark: `npm run bench [-- --tickets N | --quick]`.
 *
 * Starts the real server as a child process on a fresh database (PGlite in a temporary folder, or a
 * fresh schema in DATABASE_URL), bulk-seeds N tickets, then measures ticket creation throughput and
 * read/queue/search latencies over HTTP, and the server's memory. See bench/README.md.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Pool } from 'undici';
import { startServer, processMemoryMb, processCpuMs, type ServerHandle } from './server.js';
import { runEmailBench, printEmailResult } from './email.js';
import { runSlaBench, printSlaResult } from './sla.js';
import { runKeyAccountsBench, printKeyAccountsResult } from './keyaccounts.js';
import { runChatBench, printChatResult } from './chat.js';
import { runReportsBench, printReportsResult } from './reports.js';
import { runReportsWeeklyBench, printReportsWeeklyResult } from './reports-weekly.js';
import { makePool, runLoad, latencyStats, sendJson, type LoadResult, type Req } from './load.js';
import {
  analyse,
  loadReference,
  prepareVocabulary,
  sample,
  seedContacts,
  seedTicketBatch,
  SEARCH_TERMS_AR,
  SEARCH_TERMS_EN,
  type Query,
  type Reference,
  type Samples,
} from './seed.js';

// ---------- options ----------

interface Options {
  tickets: number;
  quick: boolean;
  createSeconds: number;
  readCount: number;
  keep: boolean;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { tickets: 100_000, quick: false, createSeconds: 10, readCount: 1000, keep: false };
  let ticketsGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const val = () => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined) usage(`${a} needs a value`);
      return v!;
    };
    if (a === '--quick') o.quick = true;
    else if (a === '--keep') o.keep = true;
    else if (a.startsWith('--tickets')) {
      o.tickets = Number(val());
      ticketsGiven = true;
    } else if (a.startsWith('--create-seconds')) o.createSeconds = Number(val());
    else if (a.startsWith('--requests')) o.readCount = Number(val());
    else if (a === '--help' || a === '-h') usage();
    else usage(`unknown option ${a}`);
  }
  if (o.quick) {
    if (!ticketsGiven) o.tickets = 5000;
    o.createSeconds = Math.min(o.createSeconds, 3);
    o.readCount = Math.min(o.readCount, 300);
  }
  if (!Number.isInteger(o.tickets) || o.tickets < 100 || o.tickets > 1_000_000) usage('--tickets must be a whole number from 100 to 1000000');
  if (!(o.createSeconds > 0 && o.createSeconds <= 120)) usage('--create-seconds must be from 1 to 120');
  if (!Number.isInteger(o.readCount) || o.readCount < 10 || o.readCount > 100_000) usage('--requests must be from 10 to 100000');
  return o;
}

function usage(problem?: string): never {
  if (problem) console.error(`bench: ${problem}\n`);
  console.error(`usage: npm run bench -- [--tickets N] [--quick] [--create-seconds S] [--requests R] [--keep]
  --tickets N         tickets to seed (100..1000000, default 100000)
  --quick             smoke run: 5000 tickets, 3 s creation phases, 300 requests per read measure
  --create-seconds S  length of each ticket-creation phase (default 10)
  --requests R        measured requests per read/queue/search measure (default 1000)
  --keep              keep the PGlite data folder / PostgreSQL schema (prints where)
DATABASE_URL=postgres://... runs against PostgreSQL in a fresh schema instead of PGlite.`);
  process.exit(problem ? 2 : 0);
}

// ---------- output ----------

const t0 = performance.now();
const log = (msg: string) => console.log(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${msg}`);
const fmt = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '-');

// ---------- the run ----------

const opts = parseArgs(process.argv.slice(2));
const databaseUrl = process.env.DATABASE_URL || null;
const driver = databaseUrl ? 'postgresql' : 'pglite';

let server: ServerHandle | null = null;
let tmpDir: string | null = null;
let schema: string | null = null;
let cleaningUp = false;

async function cleanup() {
  if (cleaningUp) return;
  cleaningUp = true;
  if (server) {
    log('stopping the server (SIGTERM)…');
    await server.stop().catch(() => undefined);
    server = null;
  }
  if (schema && databaseUrl && !opts.keep) {
    const { default: pg } = await import('pg');
    const c = new pg.Client({ connectionString: databaseUrl });
    try {
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      log(`dropped schema ${schema}`);
    } catch (err) {
      console.error(`could not drop schema ${schema}: ${String(err)}`);
    } finally {
      await c.end().catch(() => undefined);
    }
  } else if (schema && opts.keep) log(`kept schema ${schema}`);
  if (tmpDir && !opts.keep) fs.rmSync(tmpDir, { recursive: true, force: true });
  else if (tmpDir) log(`kept ${tmpDir}`);
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    console.error(`\n${sig}: cleaning up…`);
    void cleanup().finally(() => process.exit(130));
  });
}

interface Seeded {
  ref: Reference;
  samples: Samples;
  seedSeconds: number;
  contacts: number;
}

async function seed(q: Query): Promise<Seeded> {
  const started = performance.now();
  const ref = await loadReference(q);
  const vocab = await prepareVocabulary(q, ref);
  const contactsWanted = Math.max(200, Math.round(opts.tickets / 10));
  log(`seeding ${contactsWanted.toLocaleString('en')} contacts…`);
  const requesters = await seedContacts(q, ref, contactsWanted);
  const batch = opts.tickets >= 200_000 ? 20_000 : 10_000;
  const v = { ...vocab, requesters };
  let done = 0;
  let lastLog = 0;
  while (done < opts.tickets) {
    const lo = done + 1;
    const hi = Math.min(opts.tickets, done + batch);
    await seedTicketBatch(q, lo, hi, v);
    done = hi;
    const now = performance.now();
    if (now - lastLog > 5000 || done === opts.tickets) {
      lastLog = now;
      const rate = done / ((now - started) / 1000);
      log(`  seeded ${done.toLocaleString('en')} / ${opts.tickets.toLocaleString('en')} tickets (${fmt(rate, 0)}/s)`);
    }
  }
  log('VACUUM ANALYZE…');
  await analyse(q);
  const samples = await sample(q, ref);
  const seedSeconds = (performance.now() - started) / 1000;
  log(`seeded ${opts.tickets.toLocaleString('en')} tickets, ${requesters.toLocaleString('en')} contacts in ${fmt(seedSeconds)} s`);
  return { ref, samples, seedSeconds, contacts: requesters };
}

async function prepare(): Promise<Seeded> {
  const baseEnv: Record<string, string> = {
    LOG_LEVEL: 'warn',
    CAREDESK_DEMO: 'true',
    CAREDESK_LOGIN_RATE_LIMIT: '100000',
  };
  if (databaseUrl) {
    schema = `bench_${crypto.randomBytes(5).toString('hex')}`;
    const env = { ...baseEnv, DATABASE_URL: databaseUrl, CAREDESK_DB_SCHEMA: schema };
    log(`starting the server on PostgreSQL, schema ${schema}…`);
    server = await startServer(env);
    log(`server ready on ${server.origin} (pid ${server.pid}); seeding with pg while it runs`);
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: databaseUrl, options: `-c search_path=${schema},public` });
    await client.connect();
    try {
      const q: Query = async (text, params) => (await client.query(text, params as unknown[])).rows;
      return await seed(q);
    } finally {
      await client.end();
    }
  }

  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'caredesk-bench-'));
  const dataDir = path.join(tmpDir, 'data');
  const env = { ...baseEnv, CAREDESK_DATA_DIR: dataDir };
  log(`first start on PGlite in ${dataDir} (migrations and demo workspace)…`);
  server = await startServer(env);
  await server.stop();
  server = null;
  log('server stopped; opening the data folder with PGlite to bulk-seed');
  const { PGlite } = await import('@electric-sql/pglite');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const db = await PGlite.create(dataDir, { extensions: { pg_trgm } });
  let seeded: Seeded;
  try {
    const q: Query = async (text, params) => (await db.query<Record<string, any>>(text, params as any[])).rows;
    seeded = await seed(q);
  } finally {
    await db.close();
  }
  log('starting the server again on the seeded data…');
  const t = performance.now();
  server = await startServer(env);
  log(`server ready on ${server.origin} (pid ${server.pid}) in ${fmt((performance.now() - t) / 1000)} s`);
  return seeded;
}

interface Row {
  measure: string;
  result: string;
  target: string;
  met: boolean | null;
}

async function measure(seeded: Seeded) {
  const srv = server!;
  const pool: Pool = makePool(srv.origin, 8);
  const rows: Row[] = [];
  const json: Record<string, unknown> = {};
  try {
    const login = async (email: string) =>
      (await sendJson<{ token: string }>(pool, { method: 'POST', path: '/api/v1/auth/login', token: '', body: { email, password: 'caredesk-demo' } })).token;
    const manager = await login('manager@demo.caredesk.test');
    const sara = await login('sara@demo.caredesk.test');
    log('signed in as manager and sara');
    const cpuProbe = () => processCpuMs(srv.pid);
    const cpuPer = (r: LoadResult) => (r.cpuMs === null || !r.samples.length ? NaN : r.cpuMs / r.samples.length);

    const cats = await sendJson<{ items: { id: string; key: string; shipmentRelated: boolean; active: boolean }[] }>(pool, { path: '/api/v1/categories', token: manager });
    const category = cats.items.find((c) => c.key === 'general-inquiry') ?? cats.items.find((c) => !c.shipmentRelated && c.active);
    const groups = await sendJson<{ items: { id: string; name: string }[] }>(pool, { path: '/api/v1/groups', token: manager });
    const cs = groups.items.find((g) => g.name === 'Customer Service');
    const contacts = await sendJson<{ items: { id: string }[] }>(pool, { path: '/api/v1/contacts?limit=20', token: manager });
    if (!category || !cs || !contacts.items.length) throw new Error('could not find the general-inquiry category, the Customer Service group or a contact through the API');

    // --- creation throughput ---
    const subjects = ['Parcel delayed in Riyadh', 'تأخر الشحنة في جدة', 'Invoice copy needed', 'طلب استلام من فرع الدمام', 'Courier did not call'];
    let created = 0;
    const newTicket = (): Req => {
      const k = created++;
      return {
        method: 'POST',
        path: '/api/v1/tickets',
        token: sara,
        expect: 201,
        body: {
          subject: `${subjects[k % subjects.length]} #${k}`,
          description: `Bench ticket ${k}. The customer asks for an update on the delivery and a call before the driver arrives.`,
          categoryId: category.id,
          requesterId: contacts.items[k % contacts.items.length]!.id,
          groupId: cs.id,
        },
      };
    };
    const creation = async (concurrency: number, maxCount: number) => {
      log(`creating tickets at concurrency ${concurrency} for ${opts.createSeconds} s (at most ${maxCount})…`);
      const r = await runLoad(pool, { concurrency, count: maxCount, durationMs: opts.createSeconds * 1000, warmup: concurrency * 3 }, newTicket, cpuProbe);
      const perSec = r.ok / (r.wallMs / 1000);
      const cpuPerReq = cpuPer(r);
      const lat = latencyStats(r.samples);
      log(`  ${r.ok} created, ${r.errors} errors, ${fmt(perSec)}/s, p50 ${fmt(lat.p50)} ms, p95 ${fmt(lat.p95)} ms, server CPU ${fmt(cpuPerReq)} ms/request`);
      if (r.firstError) log(`  first error: ${r.firstError}`);
      return { perSec, ok: r.ok, errors: r.errors, statuses: r.statuses, p50: lat.p50, p95: lat.p95, p99: lat.p99, serverCpuMsPerRequest: cpuPerReq, firstError: r.firstError };
    };
    const c1 = await creation(1, opts.quick ? 300 : 3000);
    rows.push({ measure: 'Create ticket, concurrency 1', result: `${fmt(c1.perSec)} /s (${c1.ok} ok, ${c1.errors} err; p50 ${fmt(c1.p50)} ms, p95 ${fmt(c1.p95)} ms; node CPU ${fmt(c1.serverCpuMsPerRequest)} ms/req)`, target: '-', met: null });
    const c8 = await creation(8, opts.quick ? 3000 : 20000);
    rows.push({
      measure: 'Create ticket, concurrency 8',
      result: `${fmt(c8.perSec)} /s (${c8.ok} ok, ${c8.errors} err; p50 ${fmt(c8.p50)} ms, p95 ${fmt(c8.p95)} ms; node CPU ${fmt(c8.serverCpuMsPerRequest)} ms/req)`,
      target: '>= 800 /s',
      met: c8.perSec >= 800 && c8.errors === 0,
    });
    json.create = { c1, c8 };

    // --- reads ---
    const large = opts.tickets > 100_000;
    const latency = async (key: string, label: string, targetMs: number | null, targetNote: string, make: (k: number) => Req) => {
      log(`${label}: ${opts.readCount} requests at concurrency 4…`);
      const r: LoadResult = await runLoad(pool, { concurrency: 4, count: opts.readCount, warmup: Math.min(100, Math.ceil(opts.readCount / 10)) }, make, cpuProbe);
      const s = latencyStats(r.samples);
      const cpuPerReq = cpuPer(r);
      log(`  p50 ${fmt(s.p50)} ms, p95 ${fmt(s.p95)} ms, p99 ${fmt(s.p99)} ms, ${r.errors} errors, ${fmt(r.samples.length / (r.wallMs / 1000))} req/s, server CPU ${fmt(cpuPerReq)} ms/request`);
      if (r.firstError) log(`  first error: ${r.firstError}`);
      rows.push({
        measure: label,
        result: `p50 ${fmt(s.p50)} / p95 ${fmt(s.p95)} / p99 ${fmt(s.p99)} ms${r.errors ? ` (${r.errors} err)` : ''}; node CPU ${fmt(cpuPerReq)} ms/req`,
        target: targetMs === null ? '-' : `p95 <= ${targetMs} ms${targetNote}`,
        met: targetMs === null ? null : s.p95 <= targetMs && r.errors === 0,
      });
      json[key] = { p50: s.p50, p95: s.p95, p99: s.p99, max: s.max, n: s.n, reqPerSec: r.samples.length / (r.wallMs / 1000), serverCpuMsPerRequest: cpuPerReq, errors: r.errors, statuses: r.statuses, firstError: r.firstError };
      return r;
    };
    const { saraNumbers, allNumbers, tracking } = seeded.samples;
    await latency('getTicketSara', 'GET /tickets/:number (sara)', 10, '', (k) => ({ path: `/api/v1/tickets/${saraNumbers[k % saraNumbers.length]}`, token: sara }));
    await latency('getTicketManager', 'GET /tickets/:number (manager)', 10, '', (k) => ({ path: `/api/v1/tickets/${allNumbers[k % allNumbers.length]}`, token: manager }));

    const queuePath = '/api/v1/tickets?queue=groups&status=open&sort=priority&limit=25';
    const queueTarget = large ? 50 : 25;
    const queueNote = large ? ' (1M)' : ' (100k)';
    await latency('queuePage1', 'Queue page 1 (sara, groups, open, priority)', queueTarget, queueNote, () => ({ path: queuePath, token: sara }));
    const first = await sendJson<{ items: unknown[]; nextCursor: string | null }>(pool, { path: queuePath, token: sara });
    if (first.nextCursor) {
      const page2 = `${queuePath}&cursor=${encodeURIComponent(first.nextCursor)}`;
      await latency('queuePage2', 'Queue page 2 (same, by cursor)', queueTarget, queueNote, () => ({ path: page2, token: sara }));
    } else {
      log(`queue page 1 had ${first.items.length} items and no next page; skipping page 2`);
    }

    // Search: a third English words, a third Arabic words, a third partial tracking numbers.
    const partials = tracking.slice(0, 24).map((tn, i) => (i % 3 === 0 ? tn.slice(2, 8) : i % 3 === 1 ? tn.slice(4, 11) : tn.slice(0, 8).toLowerCase()));
    const terms: { q: string; kind: string }[] = [];
    const n = Math.max(SEARCH_TERMS_EN.length, SEARCH_TERMS_AR.length, partials.length);
    for (let i = 0; i < n; i++) {
      terms.push({ q: SEARCH_TERMS_EN[i % SEARCH_TERMS_EN.length]!, kind: 'english' });
      terms.push({ q: SEARCH_TERMS_AR[i % SEARCH_TERMS_AR.length]!, kind: 'arabic' });
      if (partials.length) terms.push({ q: partials[i % partials.length]!, kind: 'tracking' });
    }
    // Sanity: every term finds something, or the figure would flatter the server.
    const empty: string[] = [];
    for (const t of new Map(terms.map((t) => [t.q, t])).values()) {
      const r = await sendJson<{ tickets: unknown[] }>(pool, { path: `/api/v1/search?q=${encodeURIComponent(t.q)}`, token: sara });
      if (!r.tickets.length) empty.push(t.q);
    }
    if (empty.length) log(`  note: no ticket hits for ${empty.length} search terms: ${empty.join(', ')}`);
    const searchTarget = large ? 150 : 50;
    const sr = await latency('search', 'Search (sara; en / ar / tracking mix)', searchTarget, large ? ' (1M)' : ' (100k)', (k) => {
      const t = terms[k % terms.length]!;
      return { path: `/api/v1/search?q=${encodeURIComponent(t.q)}`, token: sara, kind: t.kind };
    });
    const byKind: Record<string, unknown> = {};
    for (const kind of ['english', 'arabic', 'tracking']) {
      const s = latencyStats(sr.samples.filter((x) => x.kind === kind));
      if (!s.n) continue;
      byKind[kind] = { p50: s.p50, p95: s.p95, p99: s.p99, n: s.n };
      rows.push({ measure: `  search: ${kind} terms only`, result: `p50 ${fmt(s.p50)} / p95 ${fmt(s.p95)} / p99 ${fmt(s.p99)} ms`, target: '-', met: null });
    }
    (json.search as Record<string, unknown>).byKind = byKind;
    (json.search as Record<string, unknown>).emptyTerms = empty;

    // --- memory, after the load ---
    const mem = processMemoryMb(srv.pid);
    rows.push({
      measure: 'Server RSS after the load',
      result: mem ? `${fmt(mem.rss, 0)} MB (peak ${fmt(mem.peak, 0)} MB)` : 'unavailable (no /proc)',
      target: '<= 400 MB',
      met: mem ? mem.rss <= 400 : null,
    });
    json.rssMb = mem?.rss ?? null;
    json.rssPeakMb = mem?.peak ?? null;
  } finally {
    await pool.close();
  }
  return { rows, json };
}

function printTable(title: string, rows: Row[]) {
  const w1 = Math.max(...rows.map((r) => r.measure.length), 7);
  const w2 = Math.max(...rows.map((r) => r.result.length), 6);
  const w3 = Math.max(...rows.map((r) => r.target.length), 6);
  const line = `+${'-'.repeat(w1 + 2)}+${'-'.repeat(w2 + 2)}+${'-'.repeat(w3 + 2)}+------+`;
  console.log(`\n${title}`);
  console.log(line);
  console.log(`| ${'Measure'.padEnd(w1)} | ${'Result'.padEnd(w2)} | ${'Target'.padEnd(w3)} | Met  |`);
  console.log(line);
  for (const r of rows) {
    const met = r.met === null ? '' : r.met ? 'yes' : 'NO';
    console.log(`| ${r.measure.padEnd(w1)} | ${r.result.padEnd(w2)} | ${r.target.padEnd(w3)} | ${met.padEnd(4)} |`);
  }
  console.log(line);
}

async function main() {
  log(`CareDesk bench: ${opts.tickets.toLocaleString('en')} tickets on ${driver}${opts.quick ? ' (quick)' : ''}; ${os.cpus().length} CPUs, node ${process.version}`);
  const loadBefore = os.loadavg()[0]!;
  const seeded = await prepare();
  const loadAtMeasure = os.loadavg()[0]!;
  const { rows, json } = await measure(seeded);
  const loadAfter = os.loadavg()[0]!;
  const warnings = server?.warnings() ?? [];
  await cleanup();
  // Email intake runs on its own fresh server, after the ticket bench has released the machine.
  const email = await runEmailBench({ messages: opts.quick ? 300 : 2000, concurrency: 4, log });
  // Service levels run in process on their own fresh database, last.
  const sla = await runSlaBench({ tickets: opts.quick ? 5_000 : 100_000, clocks: opts.quick ? 100_000 : 1_000_000, log });
  const keyAccounts = await runKeyAccountsBench({ accounts: opts.quick ? 10_000 : 100_000, log });
  const chat = await runChatBench({ clients: 1000, sessions: opts.quick ? 100 : 200, messages: opts.quick ? 150 : 300, rate: 10, log });
  const reports = await runReportsBench({ tickets: opts.quick ? 50_000 : 1_000_000, log });
  const reportsWeekly = await runReportsWeeklyBench({ tickets: opts.quick ? 50_000 : 1_000_000, log });

  rows.unshift({ measure: `Seed ${opts.tickets.toLocaleString('en')} tickets + ${seeded.contacts.toLocaleString('en')} contacts (SQL)`, result: `${fmt(seeded.seedSeconds)} s`, target: '-', met: null });
  printTable(`CareDesk bench — ${driver}, ${opts.tickets.toLocaleString('en')} tickets, ${os.cpus().length} CPUs (targets are for PostgreSQL on 2 cores)`, rows);
  const judged = rows.filter((r) => r.met !== null);
  console.log(`${judged.filter((r) => r.met).length} of ${judged.length} targets met.`);
  const loads = `1-min load average: ${fmt(loadBefore, 2)} at start, ${fmt(loadAtMeasure, 2)} before the HTTP measures, ${fmt(loadAfter, 2)} after`;
  console.log(loads + (Math.max(loadAtMeasure, loadAfter) > os.cpus().length ? ' (other work competed for the CPUs; figures are pessimistic)' : ''));
  printEmailResult(email);
  printSlaResult(sla);
  printKeyAccountsResult(keyAccounts);
  printChatResult(chat);
  printReportsResult(reports);
  printReportsWeeklyResult(reportsWeekly);
  if (warnings.length) {
    console.log(`\nThe server logged ${warnings.length} warning/error lines; the first few:`);
    for (const w of warnings.slice(0, 5)) console.log(`  ${w.slice(0, 400)}`);
  }
  const result = {
    bench: 'caredesk',
    driver,
    tickets: opts.tickets,
    contacts: seeded.contacts,
    quick: opts.quick,
    cpus: os.cpus().length,
    node: process.version,
    seedSeconds: seeded.seedSeconds,
    ...json,
    email,
    sla,
    keyAccounts,
    chat,
    reports,
    reportsWeekly,
    serverWarnings: warnings.length,
    loadAvg: { start: loadBefore, beforeMeasures: loadAtMeasure, after: loadAfter },
    targets: Object.fromEntries(judged.map((r) => [r.measure.trim(), r.met])),
    totalSeconds: (performance.now() - t0) / 1000,
  };
  console.log(JSON.stringify(result));
}

main().then(
  () => process.exit(0),
  async (err) => {
    console.error(`\nbench failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    if (server) console.error(`\nlast server output:\n${server.tail()}`);
    await cleanup();
    process.exit(1);
  },
);
