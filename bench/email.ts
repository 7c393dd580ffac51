/**
 * Email intake benchmark: messages per second from SMTP into tickets.
 *
 * Starts the real server (all roles) on a fresh database, creates a mailbox, then delivers N
 * messages over real SMTP on loopback from `concurrency` parallel connections (about 20 KB on
 * average, a third with an attachment), and waits until every one is on a ticket. Prints the SMTP
 * acceptance rate, the end-to-end rate (stored → parsed → ticket), the accept latency and the
 * server's memory, and checks nothing was lost or doubled.
 *
 * `node --import tsx bench/email.ts [--messages N] [--concurrency C]`; `npm run bench` runs it
 * after the ticket bench.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { cpuBetween, dropBenchSchema, freePort, machineCpuMs, postgresCpuMs, processCpuMs, processMemoryMb, startServer } from './server.js';

export interface EmailBenchResult {
  messages: number;
  /** Delivered and taken in before the measured messages, not counted in the rates. */
  warmup: number;
  concurrency: number;
  avgKb: number;
  acceptPerSecond: number;
  ticketsPerSecond: number;
  acceptP95Ms: number;
  /** CareDesk's own CPU (all threads, not PostgreSQL's) per message: what bounds throughput on a busy machine. */
  serverCpuMsPerMessage: number;
  /** Every local PostgreSQL process's CPU per message (null when not on PostgreSQL or not Linux). */
  postgresCpuMsPerMessage: number | null;
  /** Share of the machine's CPU busy while the messages went in (everything: server, database, this client). */
  machineBusy: number | null;
  rssPeakMb: number;
  rssEndMb: number;
  processed: number;
  duplicates: number;
  lost: number;
}

const WORDS = 'shipment parcel delivery tracking waybill consignee shipper customs invoice warehouse damaged delayed pickup address courier route hub Riyadh Jeddah Dubai please update urgent refund claim'.split(' ');
const ARABIC = 'الشحنة الطرد التوصيل التتبع المستلم الشاحن الجمارك الفاتورة المستودع متأخرة تالفة العنوان'.split(' ');

function paragraph(rand: () => number, words: number) {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push((rand() < 0.25 ? ARABIC : WORDS)[Math.floor(rand() * (rand() < 0.25 ? ARABIC.length : WORDS.length))] ?? 'parcel');
  return out.join(' ') + '.';
}

function makeMessage(i: number, rand: () => number): SendMailOptions {
  // The issue's mix, about 20 KB on average on the wire: a text and an HTML part of ~3 KB of mixed
  // English and Arabic (the Arabic triples in quoted-printable), and every third message a ~18 KB
  // file (about 24 KB once base64-encoded). 24 paragraphs here had made the average 42 KB.
  const paragraphs = Array.from({ length: 5 }, () => paragraph(rand, 70 + Math.floor(rand() * 30)));
  const withFile = i % 3 === 0;
  return {
    from: { name: `Bench Customer ${i}`, address: `customer${i}@bench.example` },
    to: 'bench@care.example',
    subject: `Shipment SA${900000000 + i} ${WORDS[i % WORDS.length]}`,
    text: paragraphs.join('\n\n'),
    html: `<div>${paragraphs.map((p) => `<p>${p}</p>`).join('')}</div>`.slice(0, 4000),
    messageId: `<bench-${i}-${crypto.randomUUID()}@bench.example>`,
    attachments: withFile ? [{ filename: `waybill-${i}.pdf`, content: crypto.randomBytes(18_000), contentType: 'application/pdf' }] : [],
  };
}

async function api(origin: string, token: string | null, method: string, url: string, body?: unknown) {
  const res = await fetch(origin + url, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

export async function runEmailBench(opts: { messages: number; concurrency: number; warmup?: number; workers?: number; log?: (s: string) => void }): Promise<EmailBenchResult> {
  const log = opts.log ?? ((s: string) => console.log(s));
  const smtpPort = await freePort();
  const pgUrl = process.env.DATABASE_URL;
  const schema = `bench_email_${crypto.randomBytes(4).toString('hex')}`;
  const dataDir = pgUrl ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'caredesk-bench-email-'));
  const env: Record<string, string> = {
    LOG_LEVEL: 'warn',
    CAREDESK_DEMO: 'true',
    CAREDESK_LOGIN_RATE_LIMIT: '100000',
    CAREDESK_SMTP_PORT: String(smtpPort),
    CAREDESK_SMTP_HOST: '127.0.0.1',
    CAREDESK_SECRET_KEY: crypto.randomBytes(24).toString('hex'),
    ...(pgUrl ? { DATABASE_URL: pgUrl, CAREDESK_DB_SCHEMA: schema } : { CAREDESK_DATA_DIR: path.join(dataDir!, 'data') }),
  };
  log(`email bench: starting the server (${pgUrl ? 'PostgreSQL' : 'PGlite'})…`);
  const server = await startServer(env);
  // More processes taking mail from the same queue (web and worker roles, no SMTP): the main
  // thread every message passes through is one core at most.
  const extra: Awaited<ReturnType<typeof startServer>>[] = [];
  try {
    if (!pgUrl && (opts.workers ?? 1) > 1) throw new Error('--workers needs PostgreSQL (DATABASE_URL): PGlite belongs to one process');
    for (let i = 1; i < (opts.workers ?? 1); i++) extra.push(await startServer({ ...env, CAREDESK_ROLES: 'web,worker', CAREDESK_DEMO: 'false' }));
    const { token } = await api(server.origin, null, 'POST', '/api/v1/auth/login', { email: 'admin@demo.caredesk.test', password: 'caredesk-demo' });
    // Acknowledgements are off: this measures intake, not the outbox.
    const mailbox = await api(server.origin, token, 'POST', '/api/v1/mailboxes', { address: 'bench@care.example', name: 'Bench', ackEnabled: false });

    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    // Composed before the clock starts: MIME encoding is the sender's work, done on its own
    // machine in real life; here it would take CPU from the server being measured.
    const composer = nodemailer.createTransport({ streamTransport: true, buffer: true });
    const mails: SendMailOptions[] = [];
    // A server runs for days: the first messages after a start pay for V8 compiling the intake
    // path (seconds of CPU on its helper threads), so they are delivered and taken in unmeasured.
    const warmup = opts.warmup ?? Math.min(500, Math.ceil(opts.messages / 4));
    for (let i = 0; i < warmup + opts.messages; i++) {
      const m = makeMessage(i, rand);
      const { message } = (await composer.sendMail(m)) as unknown as { message: Buffer };
      mails.push({ envelope: { from: (m.from as { address: string }).address, to: [m.to as string] }, raw: message });
    }
    const sizes: number[] = [];
    const latencies: number[] = [];
    let rssPeak = 0;
    const sampler = setInterval(() => {
      const m = processMemoryMb(server.pid);
      if (m) rssPeak = Math.max(rssPeak, m.rss);
    }, 200);

    const deliver = async (batch: SendMailOptions[], measured: boolean) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: opts.concurrency }, async () => {
          const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true, pool: true, maxConnections: 1, maxMessages: Infinity });
          try {
            for (;;) {
              const i = next++;
              if (i >= batch.length) break;
              const started = performance.now();
              await transport.sendMail(batch[i]!);
              if (!measured) continue;
              latencies.push(performance.now() - started);
              sizes.push((batch[i]!.raw as Buffer).length);
            }
          } finally {
            transport.close();
          }
        }),
      );
    };
    const takenIn = async (total: number) => {
      let status = await api(server.origin, token, 'GET', `/api/v1/mailboxes/${mailbox.id}`);
      const deadline = Date.now() + 10 * 60_000;
      while ((status.received < total || status.pending > 0) && Date.now() < deadline) {
        // Not much oftener: the mailbox's counts are a query over every message it received,
        // and polling them ten times a second took CPU from the intake being measured.
        await new Promise((r) => setTimeout(r, 250));
        status = await api(server.origin, token, 'GET', `/api/v1/mailboxes/${mailbox.id}`);
      }
    };
    if (warmup) {
      log(`email bench: warming up with ${warmup} messages…`);
      await deliver(mails.slice(0, warmup), false);
      await takenIn(warmup);
    }

    log(`email bench: delivering ${opts.messages} messages over ${opts.concurrency} SMTP connections…`);
    const t0 = performance.now();
    const serverCpu = () => [server, ...extra].reduce((sum, s) => sum + (processCpuMs(s.pid) ?? 0), 0);
    const cpu0 = serverCpu();
    const pg0 = postgresCpuMs();
    const machine0 = machineCpuMs();
    await deliver(mails.slice(warmup), true);
    const accepted = performance.now();
    await takenIn(warmup + opts.messages);
    const done = performance.now();
    const cpuMs = serverCpu() - cpu0;
    const pgMs = pgUrl && pg0.size ? cpuBetween(pg0, postgresCpuMs()) : null;
    const machine1 = machineCpuMs();
    const machineBusy = machine0 && machine1 && machine1.total > machine0.total ? (machine1.busy - machine0.busy) / (machine1.total - machine0.total) : null;
    clearInterval(sampler);

    const counts: Record<string, number> = {};
    let cursor: string | null = null;
    do {
      const page: { items: { status: string }[]; nextCursor: string | null } = await api(server.origin, token, 'GET', `/api/v1/email/inbound?mailboxId=${mailbox.id}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      for (const it of page.items) counts[it.status] = (counts[it.status] ?? 0) + 1;
      cursor = page.nextCursor;
    } while (cursor);
    latencies.sort((a, b) => a - b);
    const end = processMemoryMb(server.pid);
    // The warm-up's messages are in the counts too; every one of them has to be on a ticket as well.
    const processed = (counts.processed ?? 0) - warmup;
    if (processed + (counts.duplicate ?? 0) < opts.messages) {
      const quarantined = await api(server.origin, token, 'GET', `/api/v1/email/inbound?mailboxId=${mailbox.id}&status=quarantined&limit=10`);
      log(`email bench: not on a ticket: ${JSON.stringify(counts)}; ${JSON.stringify(quarantined.items?.map((i: { reason: string }) => i.reason))}`);
    }
    return {
      messages: opts.messages,
      warmup,
      concurrency: opts.concurrency,
      avgKb: sizes.length ? sizes.reduce((a, b) => a + b, 0) / sizes.length / 1024 : 0,
      acceptPerSecond: opts.messages / ((accepted - t0) / 1000),
      ticketsPerSecond: processed / ((done - t0) / 1000),
      acceptP95Ms: latencies[Math.floor(latencies.length * 0.95)] ?? 0,
      serverCpuMsPerMessage: cpuMs / opts.messages,
      postgresCpuMsPerMessage: pgMs === null ? null : pgMs / opts.messages,
      machineBusy,
      rssPeakMb: Math.max(rssPeak, end?.peak ?? 0),
      rssEndMb: end?.rss ?? 0,
      processed,
      duplicates: counts.duplicate ?? 0,
      lost: opts.messages - processed - (counts.duplicate ?? 0),
    };
  } finally {
    for (const s of extra) await s.stop();
    await server.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    if (pgUrl) await dropBenchSchema(pgUrl, schema);
  }
}

export function printEmailResult(r: EmailBenchResult) {
  const rows: [string, string, string][] = [
    ['SMTP → ticket, end to end', `${r.ticketsPerSecond.toFixed(1)} msg/s`, '>= 150 msg/s (PostgreSQL)'],
    ['SMTP accepted (stored, 250 sent)', `${r.acceptPerSecond.toFixed(1)} msg/s`, ''],
    ['SMTP accept latency p95', `${r.acceptP95Ms.toFixed(1)} ms`, ''],
    ['average message size', `${r.avgKb.toFixed(1)} KB`, '~20 KB'],
    ['server RSS peak / at end', `${r.rssPeakMb.toFixed(0)} / ${r.rssEndMb.toFixed(0)} MB`, ''],
    ['server CPU per message', `${r.serverCpuMsPerMessage.toFixed(1)} ms`, ''],
    ...(r.postgresCpuMsPerMessage === null ? [] : [['PostgreSQL CPU per message', `${r.postgresCpuMsPerMessage.toFixed(1)} ms`, ''] as [string, string, string]]),
    ...(r.machineBusy === null ? [] : [['machine CPU busy (all processes)', `${Math.round(r.machineBusy * 100)} % of ${os.cpus().length} cores`, ''] as [string, string, string]]),
    // What the machine could do at this cost per message if every core did nothing else.
    ...(r.postgresCpuMsPerMessage === null
      ? []
      : [['ceiling at this CPU cost', `${((os.cpus().length * 1000) / (r.serverCpuMsPerMessage + r.postgresCpuMsPerMessage)).toFixed(0)} msg/s`, ''] as [string, string, string]]),
    ['processed / duplicates / lost', `${r.processed} / ${r.duplicates} / ${r.lost}`, `${r.messages} / 0 / 0`],
  ];
  console.log(`\nEmail intake — ${r.messages} messages after ${r.warmup} to warm up, concurrency ${r.concurrency}`);
  for (const [what, value, target] of rows) console.log(`  ${what.padEnd(34)} ${value.padEnd(18)} ${target}`);
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname);
if (isMain) {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  runEmailBench({ messages: arg('--messages', 2000), concurrency: arg('--concurrency', 4), warmup: arg('--warmup', 500), workers: arg('--workers', 1) })
    .then((r) => {
      printEmailResult(r);
      console.log(JSON.stringify({ email: r }));
    })
    .catch((err) => {
      console.error('email bench failed:', err);
      process.exit(1);
    });
}
