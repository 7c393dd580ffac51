import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type Client, type TestApp } from '../../../test/harness.js';
import { socialInbound } from './db/schema.js';

/** A stand-in for api.telegram.org (and a generic platform): records requests, can fail on demand. */
function fakePlatform() {
  const received: { url: string; headers: http.IncomingHttpHeaders; body: Record<string, unknown> }[] = [];
  let failNext = 0;
  let failStatus = 502;
  let nextId = 500;
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      if (failNext > 0) {
        failNext--;
        res.writeHead(failStatus, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error_code: failStatus, description: failStatus === 403 ? 'Forbidden: bot was blocked by the user' : 'Bad Gateway' }));
        return;
      }
      received.push({ url: req.url ?? '', headers: req.headers, body: JSON.parse(data || '{}') });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, result: { message_id: nextId++, date: 1, chat: { id: 1 } } }));
    });
  });
  return {
    received,
    failOnce: (n = 1, status = 502) => {
      failNext = n;
      failStatus = status;
    },
    start: () => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

let t: TestApp;
let admin: Client;
let sara: Client;
const platform = fakePlatform();
let baseUrl: string;
let telegram: { id: string; webhookUrl: string };
const TG_SECRET = 'tg-secret-token-0123456789';
const BOT_TOKEN = '123456:ABC-test-token';

/** A Telegram Update in the Bot API's documented shape (https://core.telegram.org/bots/api#update). */
const update = (updateId: number, from: { id: number; first_name: string; username?: string; language_code?: string }, text: string, messageId = updateId) => ({
  update_id: updateId,
  message: {
    message_id: messageId,
    from: { is_bot: false, ...from },
    chat: { id: from.id, first_name: from.first_name, type: 'private' },
    date: 1764630000,
    text,
  },
});
const postTelegram = (body: object, token = TG_SECRET) =>
  t.app.inject({ method: 'POST', url: `/api/v1/hooks/social/${telegram.id}`, headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': token }, payload: JSON.stringify(body) });

async function ticketOfEvent(connectorId: string, eventKey: string) {
  return until('the event to be processed', async () => {
    const [row] = await t.database.db.select().from(socialInbound).where(and(eq(socialInbound.connectorId, connectorId), eq(socialInbound.eventKey, eventKey)));
    return row && row.status !== 'received' ? row : null;
  });
}
const timelineMessages = async (ticketId: string) =>
  (await sara.get(`/api/v1/tickets/${ticketId}/timeline`)).json().items.filter((i: { type: string }) => i.type === 'message').map((i: { message: unknown }) => i.message) as {
    id: string;
    kind: string;
    channel: string;
    bodyText: string;
    social?: { id: string; status: string; attempts: number; lastError: string | null; direction: string };
  }[];

beforeAll(async () => {
  baseUrl = await platform.start();
  // The fake platform listens on loopback, which outbound requests may reach only when allowed.
  t = await startTestApp({ CAREDESK_OUTBOUND_ALLOW: '127.0.0.1' });
  admin = t.as(await t.login('admin@demo.caredesk.test'));
  sara = t.as(await t.login('sara@demo.caredesk.test'));
  const res = await admin.post('/api/v1/connectors', { kind: 'telegram', name: 'Telegram bot', webhookSecret: TG_SECRET, outboundToken: BOT_TOKEN, outboundUrl: baseUrl });
  expect(res.statusCode).toBe(201);
  telegram = res.json();
});
afterAll(async () => {
  await t?.close();
  await platform.close();
});

describe('Telegram webhook', () => {
  it('refuses a wrong or missing secret token, saying why, and stores nothing', async () => {
    const wrong = await postTelegram(update(1, { id: 42, first_name: 'X' }, 'hi'), 'not-the-token-0000000000');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().detail).toContain('secret token does not match');
    const none = await t.app.inject({ method: 'POST', url: `/api/v1/hooks/social/${telegram.id}`, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(update(1, { id: 42, first_name: 'X' }, 'hi')) });
    expect(none.statusCode).toBe(401);
    expect(none.json().detail).toContain('X-Telegram-Bot-Api-Secret-Token');
    expect(await t.database.db.select().from(socialInbound).where(eq(socialInbound.eventKey, 'update:1'))).toHaveLength(0);
    const listing = (await admin.get('/api/v1/connectors')).json().items[0];
    expect(JSON.stringify(listing)).not.toContain(TG_SECRET);
    expect(JSON.stringify(listing)).not.toContain(BOT_TOKEN);
  });

  it('turns an unknown handle into a contact with a Telegram identity and a social ticket', async () => {
    const res = await postTelegram(update(1001, { id: 777001, first_name: 'Noura', username: 'noura_k', language_code: 'ar' }, 'وين شحنتي؟ رقم التتبع SA123'));
    expect(res.statusCode).toBe(200);
    const ev = await ticketOfEvent(telegram.id, 'update:1001');
    expect(ev.status).toBe('processed');
    const found = await sara.post('/api/v1/contacts/lookup', { kind: 'social', platform: 'telegram', value: '777001' });
    expect(found.statusCode).toBe(200);
    expect(found.json()).toMatchObject({ name: 'Noura', language: 'ar', preferredChannel: 'social' });
    const ticket = (await sara.get(`/api/v1/tickets/${ev.ticketId}`)).json();
    expect(ticket.channel).toBe('social');
    expect(ticket.requester.id).toBe(found.json().id);
    const [msg] = await timelineMessages(ev.ticketId!);
    expect(msg).toMatchObject({ kind: 'customer', channel: 'social', bodyText: 'وين شحنتي؟ رقم التتبع SA123' });
    expect(msg!.social).toMatchObject({ direction: 'in', status: 'received' });
  });

  it('gives one message for the same event delivered five times, at once', async () => {
    const body = update(1002, { id: 777002, first_name: 'Fahad' }, 'Hello, is anyone there?');
    const results = await Promise.all(Array.from({ length: 5 }, () => postTelegram(body)));
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200]);
    const ev = await ticketOfEvent(telegram.id, 'update:1002');
    expect(ev.deliveries).toBe(5);
    // A later redelivery is still the same event.
    await postTelegram(body);
    await new Promise((r) => setTimeout(r, 500));
    expect(await timelineMessages(ev.ticketId!)).toHaveLength(1);
    const rows = await t.database.db.select().from(socialInbound).where(eq(socialInbound.eventKey, 'update:1002'));
    expect(rows).toHaveLength(1);
  });

  it('keeps one conversation per chat: the next message joins the open ticket', async () => {
    await postTelegram(update(1003, { id: 777003, first_name: 'Huda' }, 'First'));
    const first = await ticketOfEvent(telegram.id, 'update:1003');
    await postTelegram(update(1004, { id: 777003, first_name: 'Huda' }, 'Second'));
    const second = await ticketOfEvent(telegram.id, 'update:1004');
    expect(second.ticketId).toBe(first.ticketId);
    expect((await timelineMessages(first.ticketId!)).map((m) => m.bodyText)).toEqual(['First', 'Second']);
  });

  it('opens one conversation for a burst of messages from a new chat (album parts arriving together)', async () => {
    const from = { id: 777040, first_name: 'Reem' };
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => postTelegram(update(1040 + i, from, `part ${i + 1}`))));
    expect(results.every((r) => r.statusCode === 200)).toBe(true);
    const events = await Promise.all(Array.from({ length: 10 }, (_, i) => ticketOfEvent(telegram.id, `update:${1040 + i}`)));
    expect(events.map((e) => e.status)).toEqual(Array(10).fill('processed'));
    expect(new Set(events.map((e) => e.ticketId)).size).toBe(1);
    expect(await timelineMessages(events[0]!.ticketId!)).toHaveLength(10);
    const contacts = (await sara.get('/api/v1/contacts?q=Reem&limit=100')).json().items.filter((c: { identities: { value: string }[] }) => c.identities.some((i) => i.value === '777040'));
    expect(contacts).toHaveLength(1);
  });

  it('sets aside updates that are not new messages, with the reason', async () => {
    await postTelegram({ update_id: 1005, edited_message: { message_id: 9, chat: { id: 1, type: 'private' }, date: 1, text: 'edit' } });
    const ev = await ticketOfEvent(telegram.id, 'update:1005');
    expect(ev.status).toBe('ignored');
    expect(ev.reason).toContain('edited_message');
  });

  it('delivers an agent reply through sendMessage to the chat, and shows it sent', async () => {
    await postTelegram(update(1010, { id: 777010, first_name: 'Salem' }, 'Need help'));
    const ev = await ticketOfEvent(telegram.id, 'update:1010');
    const res = await sara.post(`/api/v1/tickets/${ev.ticketId}/messages`, { kind: 'reply', bodyText: 'We are on it, Salem.' });
    expect(res.statusCode).toBe(201);
    const req = await until('the reply at the fake Telegram', async () => platform.received.find((r) => r.body.text === 'We are on it, Salem.'));
    expect(req.url).toBe(`/bot${BOT_TOKEN}/sendMessage`);
    expect(req.body.chat_id).toBe(777010);
    const reply = await until('the reply to show as sent', async () => (await timelineMessages(ev.ticketId!)).find((m) => m.kind === 'reply' && m.social?.status === 'sent'));
    expect(reply.social).toMatchObject({ direction: 'out', attempts: 1, lastError: null });
  });

  it('retries a reply after the platform fails once', async () => {
    await postTelegram(update(1020, { id: 777020, first_name: 'Maha' }, 'Hello'));
    const ev = await ticketOfEvent(telegram.id, 'update:1020');
    platform.failOnce();
    await sara.post(`/api/v1/tickets/${ev.ticketId}/messages`, { kind: 'reply', bodyText: 'Second try works.' });
    const reply = await until('the retried reply to be sent', async () => (await timelineMessages(ev.ticketId!)).find((m) => m.kind === 'reply' && m.social?.status === 'sent'), 45_000);
    expect(reply.social!.attempts).toBe(2);
    expect(platform.received.filter((r) => r.body.text === 'Second try works.')).toHaveLength(1);
  });
});

describe('reply delivery status', () => {
  it('marks a reply the platform refuses for good as not delivered, with the reason, and sends it again on request', async () => {
    await postTelegram(update(1030, { id: 777030, first_name: 'Omar' }, 'Hi'));
    const ev = await ticketOfEvent(telegram.id, 'update:1030');
    platform.failOnce(1, 403);
    await sara.post(`/api/v1/tickets/${ev.ticketId}/messages`, { kind: 'reply', bodyText: 'Blocked reply' });
    const failed = await until('the reply to fail', async () => (await timelineMessages(ev.ticketId!)).find((m) => m.kind === 'reply' && m.social?.status === 'failed'));
    expect(failed.social).toMatchObject({ attempts: 1 });
    expect(failed.social!.lastError).toContain('bot was blocked');
    expect(failed.social!.lastError).not.toContain(BOT_TOKEN);
    expect((await admin.get('/api/v1/connectors')).json().items.find((c: { id: string }) => c.id === telegram.id).failedReplies).toBe(1);
    const again = await sara.post(`/api/v1/social/messages/${failed.social!.id}/resend`);
    expect(again.statusCode).toBe(202);
    await until('the resent reply to be sent', async () => (await timelineMessages(ev.ticketId!)).find((m) => m.kind === 'reply' && m.social?.status === 'sent'));
  });
});

describe('outbound URL guard', () => {
  it('refuses a connector URL on a private or metadata address unless the operator allowed it', async () => {
    for (const url of ['http://169.254.169.254/latest/meta-data', 'http://10.0.0.5/hook', 'http://[::1]:8080/hook']) {
      const res = await admin.post('/api/v1/connectors', { kind: 'generic', name: 'inside', platform: 'whatsapp', webhookSecret: 'w'.repeat(32), outboundUrl: url });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().errors).toEqual([expect.objectContaining({ field: 'outboundUrl', code: 'invalid' })]);
      expect(JSON.stringify(res.json())).toContain('CAREDESK_OUTBOUND_ALLOW');
    }
  });
});

describe('generic signed webhook', () => {
  let generic: { id: string };
  const secret = 'generic-hmac-secret-0123456789';
  const sign = (raw: string) => `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
  const post = (body: object, signature?: string) => {
    const raw = JSON.stringify(body);
    return t.app.inject({ method: 'POST', url: `/api/v1/hooks/social/${generic.id}`, headers: { 'content-type': 'application/json', 'x-caredesk-signature': signature ?? sign(raw) }, payload: raw });
  };

  beforeAll(async () => {
    const res = await admin.post('/api/v1/connectors', { kind: 'generic', name: 'WhatsApp gateway', platform: 'whatsapp', webhookSecret: secret, outboundUrl: `${baseUrl}/outbound`, outboundToken: 'gw-token' });
    expect(res.statusCode).toBe(201);
    generic = res.json();
  });

  it('refuses a body whose HMAC does not match', async () => {
    const body = { id: 'evt-1', from: { handle: '+966533334444' }, text: 'hi' };
    const res = await post(body, sign(JSON.stringify({ ...body, text: 'tampered' })));
    expect(res.statusCode).toBe(401);
    expect(res.json().detail).toContain('signature does not match');
  });

  it('names the missing event id', async () => {
    const res = await post({ from: { handle: 'x' }, text: 'hi' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('id');
  });

  it('joins a known handle to its contact and sends replies to the outbound URL, signed', async () => {
    // Abdullah's WhatsApp number is in the demo data.
    expect((await post({ id: 'evt-2', from: { handle: '+966533334444', name: 'Abdullah' }, text: 'Pickup tomorrow?' })).statusCode).toBe(200);
    const ev = await ticketOfEvent(generic.id, 'evt-2');
    const ticket = (await sara.get(`/api/v1/tickets/${ev.ticketId}`)).json();
    const known = (await sara.post('/api/v1/contacts/lookup', { kind: 'email', value: 'abdullah@desert-retail.example' })).json();
    expect(ticket.requester.id).toBe(known.id);
    await sara.post(`/api/v1/tickets/${ev.ticketId}/messages`, { kind: 'reply', bodyText: 'Yes, 10:00.' });
    const req = await until('the generic reply', async () => platform.received.find((r) => r.url === '/outbound' && r.body.text === 'Yes, 10:00.'));
    expect(req.body).toMatchObject({ conversation: '+966533334444', to: { handle: '+966533334444' } });
    expect(req.headers.authorization).toBe('Bearer gw-token');
    expect(req.headers['x-caredesk-signature']).toBe(sign(JSON.stringify(req.body)));
  });
});
