/**
 * Live chat through real WebSockets, with the customer and the agent on two CareDesk app
 * instances sharing one database: on PostgreSQL (DATABASE_URL) two database connections, so every
 * event crosses LISTEN/NOTIFY between them; on PGlite two apps on the one embedded database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { sql } from 'drizzle-orm';
import { openDatabase, type Database } from '../../../platform/db/index.js';
import { startCareDesk, type CareDesk } from '../../../main/runtime.js';
import { demoIds, startTestApp, type Client, type TestApp } from '../../../test/harness.js';

let t: TestApp;
let second: Database | null = null;
let other: CareDesk;
let baseA: string; // the customer's process
let baseB: string; // the agents' process
let tokens: Record<string, string>;
let admin: Client;
let ids: Awaited<ReturnType<typeof demoIds>>;

type Frame = { type: string } & Record<string, any>;

class Peer {
  frames: Frame[] = [];
  private waiters: { pred: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  constructor(public ws: WebSocket) {
    ws.on('message', (data) => {
      const f = JSON.parse(String(data)) as Frame;
      this.frames.push(f);
      for (const w of [...this.waiters]) {
        if (w.pred(f)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(f);
        }
      }
    });
  }
  static async open(url: string, headers: Record<string, string> = {}) {
    const ws = new WebSocket(url, { headers });
    const peer = new Peer(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return peer;
  }
  send(v: unknown) {
    this.ws.send(JSON.stringify(v));
  }
  /** The first frame (already received or still to come) that matches. */
  next(pred: (f: Frame) => boolean, what = 'frame', ms = 8000): Promise<Frame> {
    const seen = this.frames.find(pred);
    if (seen) {
      this.frames.splice(this.frames.indexOf(seen), 1);
      return Promise.resolve(seen);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.frames.slice(-8))}`)), ms);
      this.waiters.push({
        pred,
        resolve: (f) => {
          clearTimeout(timer);
          this.frames.splice(this.frames.indexOf(f), 1);
          resolve(f);
        },
      });
    });
  }
  async close() {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}

const wsUrl = (base: string, path: string) => base.replace('http', 'ws') + path;

async function agent(base: string, who: string, capacity = 3) {
  const p = await Peer.open(wsUrl(base, '/api/v1/realtime'), { authorization: `Bearer ${tokens[who]}` });
  p.send({ type: 'chat.presence', status: 'online', capacity });
  await p.next((f) => f.type === 'chat.presence', 'presence');
  return p;
}

async function visitor(base: string, token: string, lastSeq = 0) {
  const p = await Peer.open(wsUrl(base, '/api/v1/chat/widget/ws'), { origin: 'http://shop.example' });
  p.send({ type: 'hello', token, lastSeq });
  await p.next((f) => f.type === 'ready', 'ready');
  return p;
}

async function http(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(base + path, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}
const as = (who: string) => ({ authorization: `Bearer ${tokens[who]}` });

async function startChat(form: Record<string, unknown>) {
  const res = await http(baseA, 'POST', '/api/v1/chat/widget/sessions', form, { origin: 'http://shop.example' });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { sessionId: string; token: string; ticketNumber: number };
}

async function timelineMessages(ticketNumber: number) {
  const tl = (await admin.get(`/api/v1/tickets/${ticketNumber}/timeline`)).json();
  return (tl.items as { type: string; message?: { bodyText: string; channel: string; kind: string } }[]).filter((i) => i.type === 'message').map((i) => i.message!);
}

beforeAll(async () => {
  t = await startTestApp({ CAREDESK_CHAT_ORIGINS: 'http://shop.example' });
  second = process.env.DATABASE_URL ? await openDatabase(t.config) : null;
  other = await startCareDesk(t.config, second ?? t.database, () => {});
  baseA = await t.app.listen({ port: 0, host: '127.0.0.1' });
  baseB = await other.app.listen({ port: 0, host: '127.0.0.1' });
  tokens = {};
  for (const who of ['sara', 'hassan', 'omar', 'admin']) tokens[who] = await t.login(`${who}@demo.caredesk.test`);
  admin = t.as(tokens.admin!);
  ids = await demoIds(admin);
}, 120_000);

afterAll(async () => {
  await other?.close();
  await second?.close();
  await t?.close();
});

describe('live chat', () => {
  it('turns the offline form into a chat ticket when no agent is available', async () => {
    const avail = await http(baseA, 'GET', '/api/v1/chat/widget/availability', undefined, { origin: 'http://shop.example' });
    expect(avail.body).toEqual({ online: false });
    expect(avail.headers.get('access-control-allow-origin')).toBe('http://shop.example');
    const refused = await http(baseA, 'POST', '/api/v1/chat/widget/sessions', { name: 'Khalid', email: 'khalid@alfanar-trading.example', topic: 'Hello?' }, { origin: 'http://shop.example' });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('chat_offline');
    const foreign = await http(baseA, 'POST', '/api/v1/chat/widget/offline', { name: 'X', email: 'x@evil.example', message: 'hi' }, { origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    const bad = await http(baseA, 'POST', '/api/v1/chat/widget/offline', { name: 'Khalid', message: 'no way to answer me' }, { origin: 'http://shop.example' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('email');

    const left = await http(baseA, 'POST', '/api/v1/chat/widget/offline', { name: 'Khalid', email: 'khalid@alfanar-trading.example', message: 'Please call me about shipment SA900800700' }, { origin: 'http://shop.example' });
    expect(left.status).toBe(201);
    const ticket = (await admin.get(`/api/v1/tickets/${left.body.ticketNumber}`)).json();
    expect(ticket.channel).toBe('chat');
    expect(ticket.requester.id).toBe(ids.contactByEmail('khalid@alfanar-trading.example'));
    expect((await timelineMessages(left.body.ticketNumber)).map((m) => [m.kind, m.channel, m.bodyText])).toEqual([['customer', 'chat', 'Please call me about shipment SA900800700']]);
  });

  it('keeps an agent with consoles on two processes available until the last one closes', async () => {
    const availability = async () => (await http(baseA, 'GET', '/api/v1/chat/widget/availability')).body.online as boolean;
    const onA = await agent(baseA, 'hassan');
    const onB = await agent(baseB, 'hassan');
    await onA.close();
    // The close is handled after the socket goes; give it every chance to (wrongly) take him offline.
    for (let i = 0; i < 10; i++) {
      await new Promise((r) => setTimeout(r, 50));
      expect(await availability()).toBe(true);
    }
    await onB.close();
    for (let i = 0; i < 50 && (await availability()); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await availability()).toBe(false);
  });

  it('carries a chat between a customer on one process and an agent on another, into the ticket', async () => {
    const sara = await agent(baseB, 'sara');
    expect((await http(baseA, 'GET', '/api/v1/chat/widget/availability')).body).toEqual({ online: true });
    const chat = await startChat({ name: 'Mona Visitor', phone: '+966 55 000 1111', topic: 'Where is my parcel?', language: 'ar' });
    const offer = await sara.next((f) => f.type === 'event' && f.event.type === 'chat.offered', 'offer');
    expect(offer.event.sessionId).toBe(chat.sessionId);

    const accepted = await http(baseB, 'POST', `/api/v1/chat/sessions/${chat.sessionId}/accept`, undefined, as('sara'));
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body.agent.name).toBeTruthy();
    sara.send({ type: 'subscribe', topic: `chat:${chat.sessionId}` });
    await sara.next((f) => f.type === 'subscribed', 'subscribed');
    // Omar is not in the chat's group: he may not follow it.
    const omar = await Peer.open(wsUrl(baseB, '/api/v1/realtime'), as('omar'));
    omar.send({ type: 'subscribe', topic: `chat:${chat.sessionId}` });
    expect((await omar.next((f) => f.type === 'error', 'forbidden')).code).toBe('forbidden');
    await omar.close();

    const mona = await visitor(baseA, chat.token);
    const first = await mona.next((f) => f.type === 'message' && f.message.author === 'customer', 'replayed topic');
    expect(first.message.text).toBe('Where is my parcel?');
    expect((await mona.next((f) => f.type === 'message' && f.message.code === 'agent_joined', 'joined')).message.author).toBe('system');

    mona.send({ type: 'typing' });
    expect((await sara.next((f) => f.type === 'event' && f.event.type === 'typing', 'typing')).event.author).toBe('customer');

    mona.send({ type: 'message', clientId: 'c-1', text: 'Tracking SA900800700' });
    const ack = await mona.next((f) => f.type === 'ack' && f.clientId === 'c-1', 'ack');
    const heard = await sara.next((f) => f.type === 'event' && f.event.type === 'message' && f.event.message.clientId === 'c-1', 'customer message on the other process');
    expect(heard.event.message.seq).toBe(ack.seq);
    expect(heard.event.message.name).toBe('Mona Visitor');

    // Larger than a NOTIFY payload: it travels by reference and arrives whole.
    const long = 'شحنتي متأخرة جداً '.repeat(220).trim().slice(0, 3990);
    mona.send({ type: 'message', clientId: 'c-long', text: long });
    await mona.next((f) => f.type === 'ack' && f.clientId === 'c-long', 'ack long');
    expect((await sara.next((f) => f.type === 'event' && f.event.message?.clientId === 'c-long', 'long message')).event.message.text).toBe(long);

    // A file: uploaded over HTTP, sent with a message, readable by the agent.
    const form = new FormData();
    form.append('file', new Blob([Buffer.from('%PDF-1.4 label')], { type: 'application/pdf' }), 'label.pdf');
    const up = await fetch(`${baseA}/api/v1/chat/widget/files`, { method: 'POST', body: form, headers: { 'x-caredesk-chat-token': chat.token, origin: 'http://shop.example' } });
    expect(up.status).toBe(201);
    const file = (await up.json()) as { id: string };
    mona.send({ type: 'message', clientId: 'c-file', text: 'The label', fileIds: [file.id] });
    const withFile = await sara.next((f) => f.type === 'event' && f.event.message?.clientId === 'c-file', 'file message');
    expect(withFile.event.message.files).toEqual([{ id: file.id, filename: 'label.pdf', contentType: 'application/pdf', size: 14 }]);
    const dl = await fetch(`${baseB}/api/v1/attachments/${file.id}/download`, { headers: as('sara') });
    expect(Buffer.from(await dl.arrayBuffer()).toString()).toBe('%PDF-1.4 label');

    // The agent answers from the console (process B) and from the ticket page (process A).
    sara.send({ type: 'chat.typing', sessionId: chat.sessionId });
    expect((await mona.next((f) => f.type === 'typing', 'agent typing')).name).toBeTruthy();
    const sent = await http(baseB, 'POST', `/api/v1/chat/sessions/${chat.sessionId}/messages`, { clientId: 'a-1', text: 'It leaves Riyadh today.' }, as('sara'));
    expect(sent.status).toBe(201);
    expect((await mona.next((f) => f.type === 'message' && f.message.clientId === 'a-1', 'console reply')).message).toMatchObject({ author: 'agent', text: 'It leaves Riyadh today.' });
    const fromTicket = await http(baseA, 'POST', `/api/v1/tickets/${chat.ticketNumber}/messages`, { kind: 'reply', bodyText: 'Anything else?' }, as('sara'));
    expect(fromTicket.status).toBe(201);
    expect((await mona.next((f) => f.type === 'message' && f.message.text === 'Anything else?', 'ticket page reply')).message.author).toBe('agent');
    // A note is internal: it never reaches the customer.
    await http(baseA, 'POST', `/api/v1/tickets/${chat.ticketNumber}/messages`, { kind: 'note', bodyText: 'internal only' }, as('sara'));

    await http(baseB, 'POST', `/api/v1/chat/sessions/${chat.sessionId}/end`, undefined, as('sara'));
    expect((await mona.next((f) => f.type === 'status', 'ended')).status).toBe('ended');
    expect(mona.frames.some((f) => f.type === 'message' && f.message.text === 'internal only')).toBe(false);

    const ticket = (await admin.get(`/api/v1/tickets/${chat.ticketNumber}`)).json();
    expect(ticket.channel).toBe('chat');
    expect(ticket.assignee.id).toBe(ids.user('sara'));
    expect((await timelineMessages(chat.ticketNumber)).map((m) => [m.kind, m.channel, m.bodyText])).toEqual([
      ['customer', 'chat', 'Where is my parcel?'],
      ['customer', 'chat', 'Tracking SA900800700'],
      ['customer', 'chat', long],
      ['customer', 'chat', 'The label'],
      ['reply', 'chat', 'It leaves Riyadh today.'],
      ['reply', 'chat', 'Anything else?'],
      ['note', 'web', 'internal only'],
    ]);
    await mona.close();
    await sara.close();
  });

  it('loses and duplicates nothing across a reconnect, even when the acknowledgement is lost', async () => {
    const sara = await agent(baseB, 'sara');
    const chat = await startChat({ name: 'Reconnecting Rami', email: 'rami@example.net', topic: 'Refund' });
    await http(baseB, 'POST', `/api/v1/chat/sessions/${chat.sessionId}/accept`, undefined, as('sara'));
    let rami = await visitor(baseA, chat.token);
    await rami.next((f) => f.type === 'message' && f.message.code === 'agent_joined', 'joined');
    rami.send({ type: 'message', clientId: 'r-1', text: 'one' });
    const ack1 = await rami.next((f) => f.type === 'ack' && f.clientId === 'r-1', 'ack one');
    const lastSeen = Math.max(...rami.frames.filter((f) => f.type === 'message').map((f) => f.message.seq as number), ack1.seq);

    // The socket drops right after sending "two": its ack never arrives.
    rami.send({ type: 'message', clientId: 'r-2', text: 'two' });
    rami.ws.terminate();
    // Meanwhile the agent writes twice, to a customer who is not connected.
    for (const [i, text] of ['first while away', 'second while away'].entries()) {
      expect((await http(baseB, 'POST', `/api/v1/chat/sessions/${chat.sessionId}/messages`, { clientId: `ra-${i}`, text }, as('sara'))).status).toBe(201);
    }
    // The console retries a reply it never saw answered: still one message.
    expect((await http(baseB, 'POST', `/api/v1/chat/sessions/${chat.sessionId}/messages`, { clientId: 'ra-1', text: 'second while away' }, as('sara'))).body.duplicate).toBe(true);

    // Reconnect (to the other process this time), replay after the last seen id, resend "two".
    rami = await visitor(baseB, chat.token, lastSeen);
    rami.send({ type: 'message', clientId: 'r-2', text: 'two' });
    rami.send({ type: 'message', clientId: 'r-3', text: 'three' });
    await rami.next((f) => f.type === 'ack' && f.clientId === 'r-2', 'ack two');
    await rami.next((f) => f.type === 'ack' && f.clientId === 'r-3', 'ack three');
    await rami.next((f) => f.type === 'message' && f.message.clientId === 'r-3', 'three echoed').then((f) => rami.frames.push(f));
    const replayed = rami.frames.filter((f) => f.type === 'message').map((f) => f.message);
    // Every message after the last seen one exactly once, in order.
    // ("two" may have reached the server before the socket died or only with the resend.)
    expect(replayed.map((m) => m.text).sort()).toEqual(['first while away', 'second while away', 'three', 'two']);
    expect(replayed.at(-1)!.text).toBe('three');
    expect(replayed.findIndex((m) => m.text === 'first while away')).toBeLessThan(replayed.findIndex((m) => m.text === 'second while away'));
    const seqs = replayed.map((m) => m.seq as number);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(seqs[0]).toBeGreaterThan(lastSeen);

    // The ticket holds each message once. (Its timeline orders by creation time, which can differ
    // by milliseconds from the chat's commit order when customer and agent write at once.)
    const texts = (await timelineMessages(chat.ticketNumber)).map((m) => m.bodyText);
    expect([...texts].sort()).toEqual(['Refund', 'one', 'two', 'first while away', 'second while away', 'three'].sort());
    const all = (await http(baseA, 'GET', '/api/v1/chat/widget/messages', undefined, { 'x-caredesk-chat-token': chat.token })).body.items as { text: string; author: string }[];
    expect(all.filter((m) => m.author !== 'system').map((m) => m.text)).toEqual(['Refund', 'one', ...replayed.map((m) => m.text)]);
    await http(baseB, 'POST', `/api/v1/chat/sessions/${chat.sessionId}/end`, undefined, as('sara'));
    await rami.close();
    await sara.close();
  });

  it.skipIf(!process.env.DATABASE_URL)('keeps delivering after a process loses its LISTEN connection, telling staff sockets to resync', async () => {
    const sara = await agent(baseB, 'sara');
    const chat = await startChat({ name: 'Listener Lina', email: 'lina@example.net', topic: 'Hello' });
    await http(baseB, 'POST', `/api/v1/chat/sessions/${chat.sessionId}/accept`, undefined, as('sara'));
    const lina = await visitor(baseA, chat.token);
    await lina.next((f) => f.type === 'message' && f.message.code === 'agent_joined', 'joined');
    // Kill every LISTEN session of this schema (both processes'); PostgreSQL drops them.
    const schema = (await t.database.db.execute<{ s: string }>(sql`select current_schema() as s`)).rows[0]!.s;
    const killed = await t.database.db.execute<{ ok: boolean }>(
      sql`select pg_terminate_backend(pid) as ok from pg_stat_activity where query = ${`LISTEN "caredesk_rt_${schema}"`}`,
    );
    expect(killed.rows.length).toBe(2);
    // Staff sockets are told to re-read; the widget socket replays by itself from its last seq.
    await sara.next((f) => f.type === 'resync', 'staff resync after the LISTEN reconnect', 10_000);
    expect((await http(baseB, 'POST', `/api/v1/chat/sessions/${chat.sessionId}/messages`, { clientId: 'l-1', text: 'Still here' }, as('sara'))).status).toBe(201);
    expect((await lina.next((f) => f.type === 'message' && f.message.clientId === 'l-1', 'message after reconnect')).message.text).toBe('Still here');
    await http(baseB, 'POST', `/api/v1/chat/sessions/${chat.sessionId}/end`, undefined, as('sara'));
    await lina.close();
    await sara.close();
  });

  it('routes chats to available agents of the group within their capacity', async () => {
    // Start from no open chats, whatever earlier tests left.
    await t.database.db.execute(sql`update chat_sessions set status = 'ended', offered_to_id = null where status <> 'ended'`);
    const sara = await agent(baseB, 'sara', 1);
    const hassan = await agent(baseA, 'hassan', 1);
    const omar = await agent(baseB, 'omar', 5); // Trace SA: not the chat's group
    const chats: Awaited<ReturnType<typeof startChat>>[] = [];
    for (const n of [1, 2, 3]) chats.push(await startChat({ name: `Queue ${n}`, email: `queue${n}@example.net`, topic: `Question ${n}` }));
    const offers = async () =>
      Object.fromEntries(
        (await t.database.db.execute<{ id: string; offered_to_id: string | null }>(sql`select id, offered_to_id from chat_sessions where status = 'queued'`)).rows.map((r) => [r.id, r.offered_to_id]),
      );
    let now = await offers();
    expect(new Set([now[chats[0]!.sessionId], now[chats[1]!.sessionId]])).toEqual(new Set([ids.user('sara'), ids.user('hassan')]));
    expect(now[chats[2]!.sessionId]).toBeNull(); // both agents are full; Omar is of another group
    await omar.close();

    const saraChat = chats.find((c) => now[c.sessionId] === ids.user('sara'))!;
    const hassanChat = chats.find((c) => now[c.sessionId] === ids.user('hassan'))!;
    expect((await http(baseB, 'POST', `/api/v1/chat/sessions/${saraChat.sessionId}/accept`, undefined, as('sara'))).status).toBe(200);
    // At capacity: Sara cannot take the third chat too.
    const over = await http(baseB, 'POST', `/api/v1/chat/sessions/${chats[2]!.sessionId}/accept`, undefined, as('sara'));
    expect(over.status).toBe(409);
    expect(over.body.code).toBe('chat_at_capacity');
    // Someone else's chat already taken.
    expect((await http(baseA, 'POST', `/api/v1/chat/sessions/${saraChat.sessionId}/accept`, undefined, as('hassan'))).body.code).toBe('chat_taken');

    // Sara finishes hers: the waiting chat is offered to her.
    await http(baseB, 'POST', `/api/v1/chat/sessions/${saraChat.sessionId}/end`, undefined, as('sara'));
    await sara.next((f) => f.type === 'event' && f.event.type === 'chat.offered' && f.event.sessionId === chats[2]!.sessionId, 'offer of the waiting chat');
    now = await offers();
    expect(now[chats[2]!.sessionId]).toBe(ids.user('sara'));

    // Hassan goes offline: his offer moves on (nobody free: Sara holds an offer at capacity 1).
    await hassan.close();
    for (let i = 0; i < 50 && (await offers())[hassanChat.sessionId] !== null; i++) await new Promise((r) => setTimeout(r, 100));
    now = await offers();
    expect(now[hassanChat.sessionId]).toBeNull();

    // Transfer: Sara takes the third chat and hands it to Hassan's... group of Trace SA instead.
    expect((await http(baseB, 'POST', `/api/v1/chat/sessions/${chats[2]!.sessionId}/accept`, undefined, as('sara'))).status).toBe(200);
    const moved = await http(baseB, 'POST', `/api/v1/chat/sessions/${chats[2]!.sessionId}/transfer`, { groupId: ids.group('Trace SA') }, as('sara'));
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body).toMatchObject({ status: 'queued', agent: null, group: { name: 'Trace SA' } });
    const ticket = (await admin.get(`/api/v1/tickets/${chats[2]!.ticketNumber}`)).json();
    expect(ticket.group.name).toBe('Trace SA');
    const bad = await http(baseB, 'POST', `/api/v1/chat/sessions/${hassanChat.sessionId}/transfer`, {}, as('sara'));
    expect(bad.status).toBe(400);
    for (const c of chats) await http(baseB, 'POST', `/api/v1/chat/sessions/${c.sessionId}/end`, undefined, as('admin'));
    await sara.close();
  });
  it('offers a chat to another agent when the first lets the offer lapse, and back when nobody else can take it', async () => {
    await t.database.db.execute(sql`update chat_sessions set status = 'ended', offered_to_id = null where status <> 'ended'`);
    const sara = await agent(baseB, 'sara', 1);
    const hassan = await agent(baseA, 'hassan', 1);
    const chat = await startChat({ name: 'Slow Answer', email: 'slow.answer@example.net', topic: 'Anyone there?' });
    const offeredTo = async () =>
      (await t.database.db.execute<{ offered_to_id: string | null }>(sql`select offered_to_id from chat_sessions where id = ${chat.sessionId}`)).rows[0]!.offered_to_id;
    const first = await offeredTo();
    expect([ids.user('sara'), ids.user('hassan')]).toContain(first);
    const [firstPeer, otherPeer, other] = first === ids.user('sara') ? [sara, hassan, 'hassan'] : [hassan, sara, 'sara'];

    // OFFER_SECONDS pass without an answer; whatever asks for routing next moves the offer on.
    await t.database.db.execute(sql`update chat_sessions set offered_at = now() - interval '10 minutes' where id = ${chat.sessionId}`);
    expect((await http(baseA, 'PUT', '/api/v1/chat/presence', { status: 'online' }, as(other))).status).toBe(200);
    expect(await offeredTo()).toBe(ids.user(other));
    await firstPeer.next((f) => f.type === 'event' && f.event.type === 'chat.withdrawn' && f.event.sessionId === chat.sessionId, 'withdrawn from the first');
    await otherPeer.next((f) => f.type === 'event' && f.event.type === 'chat.offered' && f.event.sessionId === chat.sessionId, 'offered to the other');

    // The second lets it lapse too while the first is busy: it stays with the second, the only one free.
    const busy = await startChat({ name: 'Busy Maker', email: 'busy.maker@example.net', topic: 'Fill the first agent' });
    expect((await http(baseA, 'POST', `/api/v1/chat/sessions/${busy.sessionId}/accept`, undefined, as(first === ids.user('sara') ? 'sara' : 'hassan'))).status).toBe(200);
    await t.database.db.execute(sql`update chat_sessions set offered_at = now() - interval '10 minutes' where id = ${chat.sessionId}`);
    expect((await http(baseA, 'PUT', '/api/v1/chat/presence', { status: 'online' }, as(other))).status).toBe(200);
    expect(await offeredTo()).toBe(ids.user(other));
    for (const c of [chat, busy]) await http(baseB, 'POST', `/api/v1/chat/sessions/${c.sessionId}/end`, undefined, as('admin'));
    await sara.close();
    await hassan.close();
  });

  it("adds the visitor's phone to a contact the chat creates, never to one it finds", async () => {
    const sara = await agent(baseB, 'sara');
    const fresh = await startChat({ name: 'Two Ways', email: 'two.ways@example.net', phone: '+966 55 123 4567', topic: 'Call or write' });
    const requester = (await admin.get(`/api/v1/tickets/${fresh.ticketNumber}`)).json().requester.id as string;
    const contact = (await admin.get(`/api/v1/contacts/${requester}`)).json();
    expect(contact.identities.map((i: { kind: string; value: string }) => [i.kind, i.value]).sort()).toEqual([
      ['email', 'two.ways@example.net'],
      ['phone', '+966551234567'],
    ]);
    // Someone else's email with a new phone: the chat joins that contact, which gains no phone.
    const found = await startChat({ name: 'Claimer', email: 'two.ways@example.net', phone: '+966 55 765 4321', topic: 'Me again' });
    expect((await admin.get(`/api/v1/tickets/${found.ticketNumber}`)).json().requester.id).toBe(requester);
    expect((await admin.get(`/api/v1/contacts/${requester}`)).json().identities).toHaveLength(2);
    // A known phone with a new email finds the phone's contact.
    const byPhone = await startChat({ name: 'Phone First', email: 'new.address@example.net', phone: '+966551234567', topic: 'Same person' });
    expect((await admin.get(`/api/v1/tickets/${byPhone.ticketNumber}`)).json().requester.id).toBe(requester);
    for (const c of [fresh, found, byPhone]) await http(baseB, 'POST', `/api/v1/chat/sessions/${c.sessionId}/end`, undefined, as('admin'));
    await sara.close();
  });
});
