import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoIds, startTestApp, type Client, type TestApp } from '../../../test/harness.js';

let t: TestApp;
let sara: Client;
let saraToken: string;
let admin: Client;
let ids: Awaited<ReturnType<typeof demoIds>>;
const KHALID_PHONE = '+966501234567';

beforeAll(async () => {
  t = await startTestApp();
  saraToken = await t.login('sara@demo.caredesk.test');
  sara = t.as(saraToken);
  admin = t.as(await t.login('admin@demo.caredesk.test'));
  ids = await demoIds(admin);
});
afterAll(() => t?.close());

const script = { steps: ['Greet the caller by name', 'Confirm the tracking number'], checklist: [{ key: 'identity', label: 'Caller identity verified', required: true }, { key: 'offer', label: 'Offered a pickup slot' }] };

describe('logging calls', () => {
  it('keeps a category script that admins edit and agents read', async () => {
    const cat = ids.category('general-inquiry');
    expect((await sara.put(`/api/v1/call-scripts/${cat}`, script)).statusCode).toBe(403);
    const saved = await admin.put(`/api/v1/call-scripts/${cat}`, script);
    expect(saved.statusCode).toBe(200);
    const read = await sara.get(`/api/v1/call-scripts/${cat}`);
    expect(read.json().checklist).toEqual([
      { key: 'identity', label: 'Caller identity verified', required: true },
      { key: 'offer', label: 'Offered a pickup slot', required: false },
    ]);
  });

  it('finds the contact by number, opens a phone ticket and records the checklist answers', async () => {
    const res = await sara.post('/api/v1/calls', {
      direction: 'inbound',
      number: '050 123 4567',
      categoryId: ids.category('general-inquiry'),
      reasonCodeId: ids.reason((await admin.get('/api/v1/reason-codes')).json().items[0].code),
      durationSeconds: 185,
      outcome: 'resolved',
      notes: 'Asked about opening hours in Jeddah.',
      checklist: [{ key: 'identity', checked: true }],
    });
    expect(res.statusCode).toBe(201);
    const call = res.json();
    expect(call.number).toBe(KHALID_PHONE);
    expect(call.contact.id).toBe(ids.contactByEmail('khalid@alfanar-trading.example'));
    expect(call.checklist).toEqual([
      { key: 'identity', label: 'Caller identity verified', checked: true },
      { key: 'offer', label: 'Offered a pickup slot', checked: false },
    ]);
    const tl = (await sara.get(`/api/v1/tickets/${call.ticket.number}/timeline`)).json();
    const msg = tl.items.find((i: { type: string }) => i.type === 'message').message;
    expect(msg.channel).toBe('phone');
    expect(msg.kind).toBe('customer');
    expect(msg.call).toMatchObject({ direction: 'inbound', durationSeconds: 185, outcome: 'resolved' });
    const ticket = (await sara.get(`/api/v1/tickets/${call.ticket.number}`)).json();
    expect(ticket.channel).toBe('phone');
    expect(ticket.category.key).toBe('general-inquiry');
    const history = (await sara.get(`/api/v1/calls?contactId=${call.contact.id}`)).json();
    expect(history.items.map((c: { id: string }) => c.id)).toContain(call.id);
  });

  it('adds an outbound call to an existing ticket as a phone note, without emailing anyone', async () => {
    const first = (await sara.post('/api/v1/calls', { direction: 'inbound', number: '+966 55 000 2222', contactName: 'New Caller', durationSeconds: 30, outcome: 'callback_requested', notes: 'Wants a call back.' })).json();
    expect(first.contact.name).toBe('New Caller');
    const res = await sara.post('/api/v1/calls', { direction: 'outbound', number: '+966550002222', ticketId: String(first.ticket.number), durationSeconds: 60, outcome: 'resolved', notes: 'Called back; sorted.' });
    expect(res.statusCode).toBe(201);
    expect(res.json().ticket.id).toBe(first.ticket.id);
    expect(res.json().contact.id).toBe(first.contact.id);
    const tl = (await sara.get(`/api/v1/tickets/${first.ticket.number}/timeline`)).json();
    const msgs = tl.items.filter((i: { type: string }) => i.type === 'message').map((i: { message: { kind: string; channel: string } }) => i.message);
    expect(msgs.map((m: { kind: string; channel: string }) => `${m.kind}/${m.channel}`)).toEqual(['customer/phone', 'note/phone']);
  });

  it('names each bad field: number, duration, checklist item required by the script, unknown ticket', async () => {
    const bad = await sara.post('/api/v1/calls', { direction: 'inbound', number: '123', durationSeconds: 10, outcome: 'resolved', notes: '', ticketId: '99999999' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['number', 'ticketId']);

    const negative = await sara.post('/api/v1/calls', { direction: 'sideways', number: KHALID_PHONE, durationSeconds: -1, outcome: 'resolved', notes: '' });
    expect(negative.statusCode).toBe(400);
    expect(negative.json().errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['direction', 'durationSeconds']));

    const skipped = await sara.post('/api/v1/calls', { direction: 'inbound', number: KHALID_PHONE, categoryId: ids.category('general-inquiry'), durationSeconds: 10, outcome: 'resolved', notes: 'x', checklist: [{ key: 'offer', checked: true }] });
    expect(skipped.statusCode).toBe(400);
    const err = skipped.json().errors[0];
    expect(err.field).toBe('checklist.identity');
    expect(err.message).toContain('Caller identity verified');

    const missing = await sara.post('/api/v1/calls', { direction: 'inbound', number: KHALID_PHONE, durationSeconds: 10, notes: '' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors[0].field).toBe('outcome');
  });
});

describe('telephony webhook', () => {
  let connector: { id: string; webhookUrl: string };
  const secret = 'telephony-shared-secret-0123456789';
  const send = (body: object, sig?: string) => {
    const raw = JSON.stringify(body);
    return t.app.inject({
      method: 'POST',
      url: `/api/v1/hooks/telephony/${connector.id}`,
      headers: { 'content-type': 'application/json', 'x-caredesk-signature': sig ?? `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}` },
      payload: raw,
    });
  };

  beforeAll(async () => {
    const res = await admin.post('/api/v1/connectors', { kind: 'telephony', name: 'PBX', webhookSecret: secret });
    expect(res.statusCode).toBe(201);
    connector = res.json();
    expect(connector.webhookUrl).toMatch(new RegExp(`/api/v1/hooks/telephony/${connector.id}$`));
  });

  it('refuses a bad signature with the reason', async () => {
    const res = await send({ callId: 'c-0', event: 'ringing', from: KHALID_PHONE }, `sha256=${'0'.repeat(64)}`);
    expect(res.statusCode).toBe(401);
    expect(res.json().detail).toContain('signature does not match');
    const none = await t.app.inject({ method: 'POST', url: `/api/v1/hooks/telephony/${connector.id}`, headers: { 'content-type': 'application/json' }, payload: '{}' });
    expect(none.statusCode).toBe(401);
    expect(none.json().detail).toContain('X-CareDesk-Signature');
  });

  it('pops the known caller with their open tickets on the agent screen, once per call id', async () => {
    const khalid = ids.contactByEmail('khalid@alfanar-trading.example');
    for (let i = 0; i < 3; i++) expect((await send({ callId: 'pbx-1', event: 'ringing', from: '0501234567', agentEmail: 'sara@demo.caredesk.test' })).statusCode).toBe(200);
    const pops = (await sara.get('/api/v1/phone/screen-pops')).json().items.filter((p: { callId: string }) => p.callId === 'pbx-1');
    expect(pops).toHaveLength(1);
    expect(pops[0].contact.id).toBe(khalid);
    expect(pops[0].number).toBe(KHALID_PHONE);
    expect(pops[0].openTickets.length).toBeGreaterThan(0);
    expect(pops[0].state).toBe('ringing');

    await send({ callId: 'pbx-1', event: 'ended', from: '0501234567', durationSeconds: 42 });
    // A late `answered` does not bring an ended call back.
    await send({ callId: 'pbx-1', event: 'answered', from: '0501234567' });
    expect((await sara.get('/api/v1/phone/screen-pops/pbx-1')).json().state).toBe('ended');
    expect((await sara.get('/api/v1/phone/screen-pops')).json().items.some((p: { callId: string }) => p.callId === 'pbx-1')).toBe(false);
  });

  it("pushes the call to the named agent's screen over the realtime socket the moment it rings", async () => {
    const ws = await t.app.injectWS('/api/v1/realtime', { headers: { authorization: `Bearer ${saraToken}` } });
    try {
      const frames: { type: string; topic?: string; event?: { type: string; callId: string; state: string } }[] = [];
      ws.on('message', (d) => frames.push(JSON.parse(String(d))));
      const pushed = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no phone.call frame; got ${JSON.stringify(frames)}`)), 10_000);
        ws.on('message', () => {
          if (frames.some((f) => f.event?.type === 'phone.call' && f.event.callId === 'pbx-push')) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      expect((await send({ callId: 'pbx-push', event: 'ringing', from: '0501234567', agentEmail: 'sara@demo.caredesk.test' })).statusCode).toBe(200);
      await pushed;
      const frame = frames.find((f) => f.event?.callId === 'pbx-push')!;
      expect(frame.topic).toMatch(/^user:/);
      expect(frame.event!.state).toBe('ringing');
    } finally {
      ws.terminate();
    }
  });

  it('names the bad field of a signed but malformed event', async () => {
    const res = await send({ callId: 'pbx-2', event: 'ringing', from: 'not a number' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('from');
    const res2 = await send({ callId: 'pbx-2', event: 'exploded', from: KHALID_PHONE });
    expect(res2.statusCode).toBe(400);
    expect(res2.json().errors[0].field).toBe('event');
  });
});
