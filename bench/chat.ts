/**
 * Live chat benchmark: many concurrent chat WebSocket clients on one server process.
 *
 * Starts the real server on a fresh database, brings one agent console online (so chats may
 * start), opens `sessions` chats through the widget API and connects `clients` widget sockets
 * spread over them (a visitor with several tabs open), plus one agent socket following every chat.
 * Then visitors send `messages` messages at `rate` per second; every message must reach every
 * other socket of its chat and the agent. Prints the fan-out latency (a visitor's send until
 * each other subscriber has it, which includes storing it: nothing is pushed before it is
 * committed), the acknowledgement latency, the server's RSS, and checks nothing was lost or
 * doubled.
 *
 * `node --import tsx bench/chat.ts [--clients 1000] [--sessions 200] [--messages 600] [--rate 30]`;
 * `npm run bench` runs it after the other benches.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { dropBenchSchema, processCpuMs, processMemoryMb, startServer } from './server.js';

export interface ChatBenchResult {
  driver: 'pg' | 'pglite';
  clients: number;
  sessions: number;
  messages: number;
  ratePerSecond: number;
  deliveries: number;
  fanoutP50Ms: number;
  fanoutP95Ms: number;
  fanoutP99Ms: number;
  ackP95Ms: number;
  /** From the sender's acknowledgement (after commit) to each other subscriber: NOTIFY, LISTEN and the push. */
  afterCommitP95Ms: number;
  lost: number;
  duplicates: number;
  connectSeconds: number;
  rssIdleMb: number;
  rssConnectedMb: number;
  rssPeakMb: number;
  serverCpuMsPerMessage: number;
}

const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

async function api(origin: string, method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(origin + url, { method, headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

function open(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers, perMessageDeflate: false });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

export async function runChatBench(opts: { clients: number; sessions: number; messages: number; rate: number; log?: (s: string) => void }): Promise<ChatBenchResult> {
  const log = opts.log ?? ((s: string) => console.log(s));
  const pgUrl = process.env.DATABASE_URL;
  const dataDir = pgUrl ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'caredesk-bench-chat-'));
  const schema = `bench_chat_${crypto.randomBytes(4).toString('hex')}`;
  const env: Record<string, string> = {
    LOG_LEVEL: 'warn',
    CAREDESK_DEMO: 'true',
    CAREDESK_LOGIN_RATE_LIMIT: '100000',
    CAREDESK_SMTP_PORT: '0',
    CAREDESK_SMTP_HOST: '127.0.0.1',
    CAREDESK_CHAT_ORIGINS: '*',
    CAREDESK_CHAT_RATE_LIMIT: '1000000',
    CAREDESK_SECRET_KEY: crypto.randomBytes(24).toString('hex'),
    ...(pgUrl ? { DATABASE_URL: pgUrl, CAREDESK_DB_SCHEMA: schema } : { CAREDESK_DATA_DIR: path.join(dataDir!, 'data') }),
  };
  log(`chat bench: starting the server (${pgUrl ? 'PostgreSQL' : 'PGlite'})…`);
  const server = await startServer(env);
  const sockets: WebSocket[] = [];
  try {
    const ws = server.origin.replace('http', 'ws');
    const { token } = await api(server.origin, 'POST', '/api/v1/auth/login', { email: 'sara@demo.caredesk.test', password: 'caredesk-demo' });
    const agent = await open(`${ws}/api/v1/realtime`, { authorization: `Bearer ${token}` });
    sockets.push(agent);
    agent.send(JSON.stringify({ type: 'chat.presence', status: 'online', capacity: 20 }));
    await new Promise((r) => agent.once('message', r));
    const rssIdle = processMemoryMb(server.pid)?.rss ?? NaN;

    // Chats, created a few at a time (each opens a contact and a ticket).
    log(`chat bench: opening ${opts.sessions} chats…`);
    const chats: { sessionId: string; token: string }[] = [];
    let n = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (;;) {
          const i = n++;
          if (i >= opts.sessions) break;
          chats[i] = await api(server.origin, 'POST', '/api/v1/chat/widget/sessions', { name: `Bench Visitor ${i}`, email: `visitor${i}@bench.example`, topic: `Bench chat ${i}` });
        }
      }),
    );

    // Receivers: per message id, who has it.
    const sentAt = new Map<string, number>();
    const expected = new Map<string, number>();
    const got = new Map<string, Set<number>>();
    const fanout: number[] = [];
    const afterCommit: number[] = [];
    const ackedAt = new Map<string, number>();
    const pendingAfterAck = new Map<string, number[]>();
    const acks: number[] = [];
    let duplicates = 0;
    const receive = (who: number, clientId: string | null) => {
      if (!clientId || !sentAt.has(clientId)) return;
      const set = got.get(clientId) ?? new Set<number>();
      if (set.has(who)) {
        duplicates++;
        return;
      }
      set.add(who);
      got.set(clientId, set);
      const now = performance.now();
      fanout.push(now - sentAt.get(clientId)!);
      // Measured from the sender's acknowledgement (sent after the commit): the fan-out alone.
      const acked = ackedAt.get(clientId);
      if (acked !== undefined) afterCommit.push(Math.max(0, now - acked));
      else pendingAfterAck.set(clientId, [...(pendingAfterAck.get(clientId) ?? []), now]);
    };
    agent.on('message', (data) => {
      const f = JSON.parse(String(data));
      if (f.type === 'event' && f.event.type === 'message') receive(-1, f.event.message.clientId);
    });
    for (const c of chats) {
      agent.send(JSON.stringify({ type: 'subscribe', topic: `chat:${c.sessionId}` }));
    }

    log(`chat bench: connecting ${opts.clients} widget sockets…`);
    const t0 = performance.now();
    const members: number[][] = chats.map(() => []);
    let connected = 0;
    await Promise.all(
      Array.from({ length: 25 }, async () => {
        for (;;) {
          const i = connected++;
          if (i >= opts.clients) break;
          const chat = i % chats.length;
          const s = await open(`${ws}/api/v1/chat/widget/ws`);
          const ready = new Promise((r) => s.once('message', r));
          s.send(JSON.stringify({ type: 'hello', token: chats[chat]!.token, lastSeq: 0 }));
          await ready;
          s.on('message', (data) => {
            const f = JSON.parse(String(data));
            if (f.type === 'message') receive(i, f.message.clientId);
            else if (f.type === 'ack' && sentAt.has(f.clientId) && !f.duplicate) {
              const now = performance.now();
              acks.push(now - sentAt.get(f.clientId)!);
              ackedAt.set(f.clientId, now);
              for (const early of pendingAfterAck.get(f.clientId) ?? []) afterCommit.push(Math.max(0, early - now));
              pendingAfterAck.delete(f.clientId);
            }
          });
          sockets[i + 1] = s;
          members[chat]!.push(i);
        }
      }),
    );
    const connectSeconds = (performance.now() - t0) / 1000;
    const rssConnected = processMemoryMb(server.pid)?.rss ?? NaN;
    log(`chat bench: ${opts.clients} sockets connected in ${connectSeconds.toFixed(1)} s; RSS ${rssConnected.toFixed(0)} MB`);

    let rssPeak = rssConnected;
    const sampler = setInterval(() => {
      const m = processMemoryMb(server.pid);
      if (m) rssPeak = Math.max(rssPeak, m.rss);
    }, 200);
    log(`chat bench: sending ${opts.messages} messages at ${opts.rate}/s…`);
    const cpu0 = processCpuMs(server.pid) ?? 0;
    const interval = 1000 / opts.rate;
    const start = performance.now();
    for (let m = 0; m < opts.messages; m++) {
      const wait = start + m * interval - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const chat = m % chats.length;
      const senders = members[chat]!;
      const from = senders[Math.floor(m / chats.length) % senders.length]!;
      const clientId = `b-${m}`;
      // Every socket of the chat (the sender too: its other tabs show it) and the agent.
      expected.set(clientId, senders.length + 1);
      sentAt.set(clientId, performance.now());
      sockets[from + 1]!.send(JSON.stringify({ type: 'message', clientId, text: `Bench message ${m} شحنة` }));
    }
    const deadline = Date.now() + 60_000;
    const complete = () => [...expected].every(([id, k]) => (got.get(id)?.size ?? 0) >= k);
    while (!complete() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    clearInterval(sampler);
    const cpuMs = (processCpuMs(server.pid) ?? 0) - cpu0;
    const totalExpected = [...expected.values()].reduce((a, b) => a + b, 0);
    const delivered = [...got.values()].reduce((a, s) => a + s.size, 0);
    return {
      driver: pgUrl ? 'pg' : 'pglite',
      clients: opts.clients,
      sessions: opts.sessions,
      messages: opts.messages,
      ratePerSecond: opts.rate,
      deliveries: delivered,
      fanoutP50Ms: pct(fanout, 50),
      fanoutP95Ms: pct(fanout, 95),
      fanoutP99Ms: pct(fanout, 99),
      ackP95Ms: pct(acks, 95),
      afterCommitP95Ms: pct(afterCommit, 95),
      lost: totalExpected - delivered,
      duplicates,
      connectSeconds,
      rssIdleMb: rssIdle,
      rssConnectedMb: rssConnected,
      rssPeakMb: rssPeak,
      serverCpuMsPerMessage: cpuMs / opts.messages,
    };
  } finally {
    for (const s of sockets) s?.terminate();
    await server.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    if (pgUrl) await dropBenchSchema(pgUrl, schema);
  }
}

export function printChatResult(r: ChatBenchResult) {
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');
  console.log(`\nLive chat — ${r.driver}, ${r.clients.toLocaleString('en')} widget sockets over ${r.sessions} chats + 1 agent socket, one server process`);
  console.log(`  ${r.messages} messages at ${r.ratePerSecond}/s → ${r.deliveries.toLocaleString('en')} deliveries; lost ${r.lost}, duplicated ${r.duplicates}`);
  console.log(`  fan-out (send → every subscriber has it, stored first): p50 ${f(r.fanoutP50Ms)} ms, p95 ${f(r.fanoutP95Ms)} ms, p99 ${f(r.fanoutP99Ms)} ms; target p95 <= 100 ms: ${r.fanoutP95Ms <= 100 ? 'met' : 'NOT met'}`);
  console.log(`  fan-out after the commit (sender's ack → each other subscriber) p95 ${f(r.afterCommitP95Ms)} ms`);
  console.log(`  acknowledgement (stored) p95 ${f(r.ackP95Ms)} ms; server CPU ${f(r.serverCpuMsPerMessage)} ms per message`);
  console.log(`  RSS: ${f(r.rssIdleMb)} MB idle, ${f(r.rssConnectedMb)} MB with every socket connected (${f(r.connectSeconds)} s to connect), ${f(r.rssPeakMb)} MB peak`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const t0 = performance.now();
  console.log(`1-min load average at start: ${os.loadavg()[0]!.toFixed(2)} on ${os.cpus().length} CPUs`);
  runChatBench({
    clients: arg('--clients', 1000),
    sessions: arg('--sessions', 200),
    messages: arg('--messages', 600),
    rate: arg('--rate', 30),
    log: (m) => console.log(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${m}`),
  }).then(
    (r) => {
      printChatResult(r);
      console.log(JSON.stringify({ bench: 'chat', ...r }));
      process.exit(0);
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
