import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { demoIds, startTestApp, type Client, type TestApp } from '../../test/harness.js';
import { openDatabase } from '../../platform/db/index.js';
import { startCareDesk } from '../../main/runtime.js';
import { startSmtpSink, type Captured } from '../../test/smtp-sink.js';
import { openTicketFromChannel } from '../tickets/index.js';

let t: TestApp;
let admin: Client;
let hassan: Client;
let hassanToken: string;
let manager: Client;
let ids: Awaited<ReturnType<typeof demoIds>>;
let ladderId: string;

const MIN = 60_000;

beforeAll(async () => {
  t = await startTestApp();
  admin = t.as(await t.login('admin@demo.caredesk.test'));
  hassanToken = await t.login('hassan@demo.caredesk.test');
  hassan = t.as(hassanToken);
  manager = t.as(await t.login('manager@demo.caredesk.test'));
  ids = await demoIds(admin);
  // Calendar time, so the test does not depend on the weekday it runs on.
  const ladder = await admin.post('/api/v1/sla-ladders', {
    name: 'Test ladder',
    steps: [
      { key: 'half', target: 'resolution', at: { kind: 'percent', value: 50 }, actions: [{ type: 'notify', recipients: ['assignee'] }] },
      { key: 'late', target: 'resolution', at: { kind: 'after', minutes: 0 }, actions: [{ type: 'notify', recipients: ['managers'] }, { type: 'raise_priority' }] },
    ],
  });
  expect(ladder.statusCode).toBe(201);
  ladderId = ladder.json().id;
  const policy = await admin.post('/api/v1/sla-policies', {
    name: 'Supplies within the hour',
    position: 0,
    conditions: { categoryIds: [ids.category('supplies')] },
    targets: [{ kind: 'resolution', priority: null, amount: 60, unit: 'calendar_minutes' }],
    ladderId,
  });
  expect(policy.statusCode).toBe(201);
});
afterAll(async () => t?.close());

async function suppliesTicket(subject = 'Need labels') {
  const res = await hassan.post('/api/v1/tickets', {
    subject,
    categoryId: ids.category('supplies'),
    requester: { email: 'someone@example.com', name: 'Some One' },
    groupId: ids.group('Customer Service'),
    assigneeId: ids.user('hassan'),
  });
  expect(res.statusCode).toBe(201);
  const ticket = res.json() as { id: string; number: number; createdAt: string };
  const start = Math.floor(Date.parse(ticket.createdAt) / MIN) * MIN;
  return { ...ticket, start };
}

const escalations = async (ticketId: string) =>
  (await t.database.db.execute<{ step_key: string }>(sql`select step_key from sla_escalations where ticket_id = ${ticketId} order by step_key`)).rows.map((r) => r.step_key);

describe('service levels over HTTP', () => {
  it('seeds the demo calendars and policies, and gives demo tickets explained deadlines', async () => {
    const cals = (await admin.get('/api/v1/calendars')).json().items as { name: string; timeZone: string; isDefault: boolean; holidays: { name: string }[] }[];
    expect(cals.map((c) => c.timeZone).sort()).toEqual(['Asia/Dubai', 'Asia/Riyadh']);
    expect(cals.find((c) => c.timeZone === 'Asia/Riyadh')!.holidays.some((h) => h.name === 'Eid al-Fitr')).toBe(true);
    const policies = (await admin.get('/api/v1/sla-policies')).json().items as { name: string }[];
    expect(policies.map((p) => p.name)).toContain('Key Accounts: acted on within 72 hours');

    const list = (await admin.get(`/api/v1/tickets?queue=all&groupId=${ids.group('Key Accounts SA')}`)).json().items as { number: number }[];
    const sla = (await admin.get(`/api/v1/tickets/${list[0]!.number}/sla`)).json();
    const resolution = sla.clocks.find((c: { target: string }) => c.target === 'resolution');
    expect(resolution.explanation.policy.name).toBe('Key Accounts: acted on within 72 hours');
    expect(resolution.explanation.calendar.name).toBe('Saudi Arabia (Sun-Thu)');
    expect(resolution.explanation.target).toEqual({ amount: 72 * 60, unit: 'business_minutes' });
    expect(resolution.explanation.businessMinutesUsed + resolution.explanation.businessMinutesLeft).toBe(72 * 60);
    expect(['on_track', 'at_risk', 'breached']).toContain(resolution.state);
    expect(resolution.dueAt).toMatch(/Z$/);
  });

  it('refuses an invalid calendar and names the field', async () => {
    const res = await admin.post('/api/v1/calendars', { name: 'Bad', timeZone: 'Mars/Olympus', hours: { mon: [['09:00', '17:00'], ['16:00', '18:00']] } });
    expect(res.statusCode).toBe(400);
    const fields = (res.json().errors as { field: string }[]).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['timeZone', 'hours.mon']));
    const badTime = await admin.post('/api/v1/calendars', { name: 'Bad2', timeZone: 'UTC', hours: { mon: [['9am', '17:00']] } });
    expect(badTime.statusCode).toBe(400);
    expect(badTime.json().errors[0].field).toMatch(/^hours\.mon/);
  });

  it('refuses a policy that points at a calendar that does not exist', async () => {
    const res = await admin.post('/api/v1/sla-policies', {
      name: 'Dangling', targets: [{ kind: 'resolution', priority: null, amount: 10, unit: 'business_minutes' }], calendarId: '01890000-0000-7000-8000-000000000000',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([expect.objectContaining({ field: 'calendarId', code: 'not_found' })]);
  });

  it('refuses ladder steps and pause settings that cannot work, naming the field and the reason', async () => {
    const bad = await admin.post('/api/v1/sla-ladders', {
      name: 'Broken ladder',
      steps: [
        { key: 'a', target: 'resolution', at: { kind: 'percent', value: 50 }, actions: [{ type: 'move' }] },
        { key: 'a', target: 'resolution', at: { kind: 'before', minutes: 30 }, actions: [{ type: 'move', groupId: '00000000-0000-7000-8000-000000000000' }] },
      ],
    });
    expect(bad.statusCode).toBe(400);
    const fields = (bad.json().errors as { field: string; params?: { reason?: string } }[]).map((e) => e.field).sort();
    expect(fields).toEqual(['steps.0.actions.0.groupId', 'steps.1.actions.0.groupId', 'steps.1.key']);
    const noPercent = await admin.post('/api/v1/sla-ladders', { name: 'Zero', steps: [{ target: 'resolution', at: { kind: 'percent', value: 0 }, actions: [{ type: 'raise_priority' }] }] });
    expect(noPercent.statusCode).toBe(400);
    expect(noPercent.json().errors[0].field).toMatch(/^steps\.0\.at/);

    const settings = await admin.put('/api/v1/sla-settings', { pauseStatuses: ['pending', 'solved'] });
    expect(settings.statusCode).toBe(400);
    expect(settings.json().errors).toEqual([expect.objectContaining({ field: 'pauseStatuses.1' })]);
    expect((await admin.put('/api/v1/sla-settings', { pauseStatuses: ['pending', 'wrong'] })).statusCode).toBe(400);
    expect((await admin.get('/api/v1/sla-settings')).json()).toEqual({ pauseStatuses: ['pending'] });
  });

  it('lets only admins change service levels', async () => {
    const res = await hassan.post('/api/v1/sla-ladders', { name: 'Mine', steps: [] });
    expect(res.statusCode).toBe(403);
  });

  it('imports holidays from an iCalendar file', async () => {
    const cal = (await admin.post('/api/v1/calendars', { name: 'Import test', timeZone: 'Asia/Riyadh', hours: { sun: [['08:00', '17:00']] } })).json();
    const ics = [
      'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN',
      'BEGIN:VEVENT', 'UID:eid@test', 'DTSTAMP:20260101T000000Z', 'DTSTART;VALUE=DATE:20270309', 'DTEND;VALUE=DATE:20270311', 'SUMMARY:Eid al-Fitr', 'END:VEVENT',
      'END:VCALENDAR',
    ].join('\r\n');
    const res = await admin.post(`/api/v1/calendars/${cal.id}/holidays/import`, { ics });
    expect(res.statusCode).toBe(200);
    expect(res.json().holidays).toEqual([{ date: '2027-03-09', name: 'Eid al-Fitr' }, { date: '2027-03-10', name: 'Eid al-Fitr' }]);
    const bad = await admin.post(`/api/v1/calendars/${cal.id}/holidays/import`, { ics: 'not a calendar' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('ics');
  });

  it('previews when each target of a policy falls due', async () => {
    const policies = (await admin.get('/api/v1/sla-policies')).json().items as { id: string; name: string }[];
    const ka = policies.find((p) => p.name.startsWith('Key Accounts'))!;
    // Thursday 2026-12-03 16:00 Riyadh: one hour that day, the rest from Sunday.
    const res = await admin.post(`/api/v1/sla-policies/${ka.id}/preview`, { start: '2026-12-03T13:00:00Z' });
    expect(res.statusCode).toBe(200);
    const fr = res.json().items.find((i: { kind: string }) => i.kind === 'first_response');
    // 24 business hours: 1 on Thursday, 9 Sunday, 9 Monday, 5 Tuesday -> Tuesday 13:00 Riyadh.
    expect(fr.dueAt).toBe('2026-12-08T10:00:00.000Z');
  });

  it('fires each ladder step once, records the breach, and puts the soonest deadline first in the queue', async () => {
    const ticket = await suppliesTicket();
    let sla = (await hassan.get(`/api/v1/tickets/${ticket.id}/sla`)).json();
    expect(sla.clocks).toEqual([expect.objectContaining({ target: 'resolution', state: 'on_track', dueAt: new Date(ticket.start + 60 * MIN).toISOString() })]);

    // A sweep skips a ticket whose clocks another transaction holds (the background recompute after
    // the policy change above); the next sweep takes it. Sweep until it has been seen, as the job would.
    let fired: string[] = [];
    for (let i = 0; i < 50 && !fired.length; i++) {
      await t.caredesk.sla.sweep(new Date(ticket.start + 31 * MIN));
      fired = await escalations(ticket.id);
      if (!fired.length) await new Promise((r) => setTimeout(r, 100));
    }
    expect(fired).toEqual(['half']);
    const notes = (await hassan.get('/api/v1/notifications')).json().items as { ticketId: string; stepKey: string }[];
    expect(notes.filter((n) => n.ticketId === ticket.id)).toEqual([expect.objectContaining({ stepKey: 'half' })]);

    await t.caredesk.sla.sweep(new Date(ticket.start + 31 * MIN));
    await t.caredesk.sla.sweep(new Date(ticket.start + 90 * MIN));
    await t.caredesk.sla.sweep(new Date(ticket.start + 95 * MIN));
    expect(await escalations(ticket.id)).toEqual(['half', 'late']);
    const mgr = (await manager.get('/api/v1/notifications')).json().items as { ticketId: string }[];
    expect(mgr.filter((n) => n.ticketId === ticket.id)).toHaveLength(1);
    const fresh = (await hassan.get(`/api/v1/tickets/${ticket.id}`)).json();
    expect(fresh.priority).toBe('high');
    const facts = (await t.database.db.execute<{ kind: string; business_ms: string; calendar_ms: string }>(sql`select kind, business_ms, calendar_ms from sla_facts where ticket_id = ${ticket.id}`)).rows;
    expect(facts).toEqual([{ kind: 'sla.breached', business_ms: expect.anything(), calendar_ms: expect.anything() }]);
    expect(Number(facts[0]!.calendar_ms)).toBe(60 * MIN);

    const queue = (await hassan.get('/api/v1/sla/queue')).json().items as { ticketId: string; state: string; dueAt: string }[];
    const dues = queue.map((q) => q.dueAt);
    expect(dues).toEqual([...dues].sort());
    // The queue reads the real clock, an hour before this deadline: still on track.
    expect(queue.find((q) => q.ticketId === ticket.id)).toMatchObject({ target: 'resolution', state: 'on_track' });
  });

  it('sorts ticket lists by the nearest running deadline on the server, paging by cursor', async () => {
    const paused = await suppliesTicket('Sort: paused');
    const cur = (await hassan.get(`/api/v1/tickets/${paused.id}`)).json();
    expect((await hassan.patch(`/api/v1/tickets/${paused.id}`, { version: cur.version, status: 'pending' })).statusCode).toBe(200);
    await suppliesTicket('Sort: running');
    // The stored nearest deadline is the minimum of the running clocks, 'infinity' without one.
    const stale = await t.database.db.execute<{ id: string }>(sql`
      select t.id from tickets t left join lateral (
        select min(due_at) as due from sla_deadlines d where d.ticket_id = t.id and d.stopped_at is null and d.due_at is not null) d on true
      where t.sla_due_at is distinct from coalesce(d.due, 'infinity'::timestamptz)`);
    expect(stale.rows).toEqual([]);

    for (const [who, queue] of [[hassan, 'groups'], [hassan, 'mine'], [manager, 'all']] as const) {
      const whole = (await who.get(`/api/v1/tickets?queue=${queue}&sort=sla_due&limit=100`)).json().items as { id: string }[];
      const paged: string[] = [];
      let cursor: string | null = null;
      for (let i = 0; i < 100; i++) {
        const res = await who.get(`/api/v1/tickets?queue=${queue}&sort=sla_due&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.statusCode, res.body).toBe(200);
        paged.push(...(res.json().items as { id: string }[]).map((x) => x.id));
        cursor = res.json().nextCursor;
        if (!cursor) break;
      }
      expect(paged).toEqual(whole.map((x) => x.id));
      expect(new Set(paged).size).toBe(paged.length);
      const dues = await t.database.db.execute<{ id: string; due: string }>(
        sql`select id, extract(epoch from sla_due_at)::float8::text as due from tickets where id in (${sql.join(paged.map((id) => sql`${id}`), sql`, `)})`,
      );
      const dueOf = new Map(dues.rows.map((r) => [r.id, Number(r.due)]));
      const order = paged.map((id) => dueOf.get(id)!);
      expect(order).toEqual([...order].sort((x, y) => x - y));
      if (queue === 'mine') {
        // The paused ticket has no running deadline and goes after every ticket that has one.
        expect(paged.indexOf(paused.id)).toBeGreaterThan(paged.findIndex((id) => Number.isFinite(dueOf.get(id))));
        expect(dueOf.get(paused.id)).toBe(Infinity);
      }
    }
    const desc = (await hassan.get('/api/v1/tickets?queue=groups&sort=sla_due&order=desc&limit=5')).json().items as unknown[];
    expect(desc.length).toBeGreaterThan(0);
  });

  it('emails each notified person once per step, in their own language, through the outbox, and pushes it to their open workspace', async () => {
    const sink = await startSmtpSink();
    // Hassan's workspace is open: the step reaches it over the realtime socket as it commits.
    const ws = await t.app.injectWS('/api/v1/realtime', { headers: { authorization: `Bearer ${hassanToken}` } });
    const pushed: { topic: string; event: { type: string; ticketId: string; stepKey: string } }[] = [];
    ws.on('message', (d) => {
      const f = JSON.parse(String(d));
      if (f.type === 'event' && f.event?.type === 'sla.notification') pushed.push(f);
    });
    try {
      const boxes = (await admin.get('/api/v1/mailboxes')).json().items as { id: string; version: number }[];
      for (const b of boxes) {
        const res = await admin.patch(`/api/v1/mailboxes/${b.id}`, { version: b.version, relayHost: '127.0.0.1', relayPort: sink.port, relayTls: false });
        expect(res.statusCode, res.body).toBe(200);
      }
      const ticket = await suppliesTicket('Escalate me by email');
      const ofTicket = (m: Captured) => m.parsed.headers.get('x-caredesk-ticket') === String(ticket.number);
      for (let i = 0; i < 50 && !(await escalations(ticket.id)).length; i++) {
        await t.caredesk.sla.sweep(new Date(ticket.start + 31 * MIN));
        await new Promise((r) => setTimeout(r, 100));
      }
      await t.caredesk.sla.sweep(new Date(ticket.start + 95 * MIN));
      await t.caredesk.sla.sweep(new Date(ticket.start + 95 * MIN));
      expect(await escalations(ticket.id)).toEqual(['half', 'late']);
      // Hassan (the assignee, Arabic) at half-way; the manager (English) at the breach.
      const mails = await sink.waitFor(2, ofTicket);
      const toHassan = mails.find((m) => m.envelope.to.includes('hassan@demo.caredesk.test'))!;
      expect(toHassan.parsed.subject).toBe(`[#${ticket.number}] تصعيد مستوى الخدمة: الحل`);
      expect(toHassan.parsed.text).toContain('"half"');
      expect(toHassan.parsed.html).toContain('dir="rtl"');
      expect(toHassan.parsed.headers.get('auto-submitted')).toBe('auto-generated');
      expect(toHassan.parsed.headers.get('x-caredesk-ticket')).toBe(String(ticket.number));
      const toManager = mails.find((m) => m.envelope.to.includes('manager@demo.caredesk.test'))!;
      expect(toManager.parsed.subject).toBe(`[#${ticket.number}] Service level escalation: resolution`);
      expect(toManager.parsed.text).toContain(`Ticket #${ticket.number} "Escalate me by email" reached the escalation step "late"`);
      expect(toManager.parsed.text).toContain(`/tickets/${ticket.number}`);
      // More sweeps send nothing more; each notification names the one email that carries it.
      await t.caredesk.sla.sweep(new Date(ticket.start + 200 * MIN));
      await new Promise((r) => setTimeout(r, 500));
      expect(sink.messages.filter(ofTicket)).toHaveLength(2);
      const rows = (await t.database.db.execute<{ status: string; purpose: string }>(
        sql`select e.status, e.purpose from sla_notifications n join email_messages e on e.id = n.email_id where n.ticket_id = ${ticket.id}`,
      )).rows;
      expect(rows).toEqual([{ status: 'sent', purpose: 'sla_escalation' }, { status: 'sent', purpose: 'sla_escalation' }]);
      // A notice to staff is no part of the customer's thread.
      const customerMails = (await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from email_messages where ticket_id = ${ticket.id} and purpose <> 'sla_escalation'`)).rows;
      expect(customerMails[0]!.n).toBeLessThanOrEqual(1);
      const mine = pushed.filter((p) => p.event.ticketId === ticket.id);
      expect(mine.map((p) => p.event.stepKey)).toEqual(['half']);
      expect(mine[0]!.topic).toMatch(/^user:/);
    } finally {
      ws.terminate();
      await sink.close();
    }
  });

  it('lists, counts and marks read the notifications of the signed-in user only', async () => {
    const mine = (await hassan.get('/api/v1/notifications?unread=true')).json().items as { id: string }[];
    expect(mine.length).toBeGreaterThan(0);
    expect((await manager.post(`/api/v1/notifications/${mine[0]!.id}/read`)).statusCode).toBe(404);
    expect((await hassan.post(`/api/v1/notifications/${mine[0]!.id}/read`)).statusCode).toBe(204);
    expect(((await hassan.get('/api/v1/notifications?unread=true')).json().items as unknown[]).length).toBe(mine.length - 1);
    const all = await hassan.post('/api/v1/notifications/read-all');
    expect(all.json()).toEqual({ marked: mine.length - 1 });
    expect((await hassan.get('/api/v1/notifications?unread=true')).json().items).toEqual([]);
  });

  it('moves the SLA clock only with CAREDESK_TEST_CLOCK on, and only for admins', async () => {
    expect((await admin.put('/api/v1/test/sla-clock', { offsetMinutes: 60 })).statusCode).toBe(404);
    // The flag as CAREDESK_TEST_CLOCK=true sets it (a second app would cost a minute to start).
    t.config.testClock = true;
    try {
      expect((await hassan.put('/api/v1/test/sla-clock', { offsetMinutes: 60 })).statusCode).toBe(403);
      const bad = await admin.put('/api/v1/test/sla-clock', { offsetMinutes: -5 });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors[0].field).toBe('offsetMinutes');
      const res = await admin.put('/api/v1/test/sla-clock', { offsetMinutes: 600 });
      expect(res.statusCode, res.body).toBe(200);
      const q = (await hassan.get('/api/v1/sla/queue')).json();
      expect(Date.parse(q.now) - Date.now()).toBeGreaterThan(599 * MIN);
      expect((await admin.put('/api/v1/test/sla-clock', { offsetMinutes: 0 })).statusCode).toBe(200);
    } finally {
      t.config.testClock = false;
    }
    // Off again: the stored offset is never read.
    const q = (await hassan.get('/api/v1/sla/queue')).json();
    expect(Math.abs(Date.parse(q.now) - Date.now())).toBeLessThan(MIN);
  });

  it('records a met target with its durations when the ticket is solved in time', async () => {
    const ticket = await suppliesTicket('Solve me');
    const current = (await hassan.get(`/api/v1/tickets/${ticket.id}`)).json();
    const res = await hassan.patch(`/api/v1/tickets/${ticket.id}`, {
      version: current.version, status: 'solved', reasonCodeId: ids.reason('supplies-request'),
      resolution: { rootCause: 'Out of labels', solution: 'Sent labels', actionTaken: 'Shipped' },
    });
    expect(res.statusCode).toBe(200);
    const sla = (await hassan.get(`/api/v1/tickets/${ticket.id}/sla`)).json();
    expect(sla.clocks[0]).toMatchObject({ target: 'resolution', state: 'met' });
    const facts = (await t.database.db.execute<{ kind: string }>(sql`select kind from sla_facts where ticket_id = ${ticket.id}`)).rows;
    expect(facts.map((f) => f.kind)).toEqual(['sla.met']);
  });

  it("reports an account's targets met and breached for the customer 360 view", async () => {
    const account = await admin.post('/api/v1/accounts', { name: 'Compliance Trading' });
    expect(account.statusCode, account.body).toBe(201);
    const accountId = account.json().id as string;
    const before = (await hassan.get(`/api/v1/accounts/${accountId}/sla-compliance`)).json();
    expect(before.targets).toEqual([]);

    const contact = await admin.post('/api/v1/contacts', { name: 'Buyer', accountId, identities: [{ kind: 'email', value: 'buyer@compliance.example' }] });
    expect(contact.statusCode, contact.body).toBe(201);
    const created = await hassan.post('/api/v1/tickets', {
      subject: 'Labels for the account',
      categoryId: ids.category('supplies'),
      requester: { email: 'buyer@compliance.example', name: 'Buyer' },
      groupId: ids.group('Customer Service'),
      assigneeId: ids.user('hassan'),
    });
    expect(created.statusCode, created.body).toBe(201);
    const ticket = created.json();
    const solved = await hassan.patch(`/api/v1/tickets/${ticket.id}`, {
      version: ticket.version, status: 'solved', reasonCodeId: ids.reason('supplies-request'),
      resolution: { rootCause: 'Out of labels', solution: 'Sent labels', actionTaken: 'Shipped' },
    });
    expect(solved.statusCode, solved.body).toBe(200);

    const after = (await hassan.get(`/api/v1/accounts/${accountId}/sla-compliance?days=30`)).json();
    expect(after.targets).toEqual([{ target: 'resolution', met: 1, breached: 0, compliance: 1 }]);
    expect((await hassan.get('/api/v1/accounts/00000000-0000-7000-8000-000000000000/sla-compliance')).statusCode).toBe(404);
    expect((await hassan.get(`/api/v1/accounts/${accountId}/sla-compliance?days=0`)).statusCode).toBe(400);
  });

  it('pauses the clock while pending on the customer', async () => {
    const ticket = await suppliesTicket('Waiting on you');
    const current = (await hassan.get(`/api/v1/tickets/${ticket.id}`)).json();
    await hassan.patch(`/api/v1/tickets/${ticket.id}`, { version: current.version, status: 'pending' });
    const sla = (await hassan.get(`/api/v1/tickets/${ticket.id}/sla`)).json();
    expect(sla.clocks[0]).toMatchObject({ state: 'paused', dueAt: null });
    await hassan.post(`/api/v1/tickets/${ticket.id}/messages`, { kind: 'customer', bodyText: 'Here is what you asked for' });
    const resumed = (await hassan.get(`/api/v1/tickets/${ticket.id}/sla`)).json();
    expect(resumed.clocks[0].state).toBe('on_track');
    expect(resumed.clocks[0].explanation.pauses).toHaveLength(1);
  });

  it('runs a due step once after the server was stopped across the deadline', async () => {
    const ticket = await suppliesTicket('Across a restart');
    await t.restart();
    const later = new Date(ticket.start + 120 * MIN);
    await t.caredesk.sla.sweep(later);
    await t.caredesk.sla.sweep(later);
    expect(await escalations(ticket.id)).toEqual(['half', 'late']);
    hassan = t.as(await t.login('hassan@demo.caredesk.test'));
    const notes = (await hassan.get('/api/v1/notifications')).json().items as { ticketId: string }[];
    expect(notes.filter((n) => n.ticketId === ticket.id)).toHaveLength(1);
  });

  it('runs every step once when two processes sweep the same database', async () => {
    const tickets = await Promise.all([suppliesTicket('Twice A'), suppliesTicket('Twice B'), suppliesTicket('Twice C')]);
    const later = new Date(Math.max(...tickets.map((x) => x.start)) + 120 * MIN);
    // On PostgreSQL a second process; on PGlite (one process owns it) two sweeps of the same one.
    const second = process.env.DATABASE_URL ? await openDatabase(t.config) : null;
    const other = second ? await startCareDesk(t.config, second, () => {}) : null;
    try {
      const runs = await Promise.all([t.caredesk.sla.sweep(later), (other ?? t.caredesk).sla.sweep(later), t.caredesk.sla.sweep(later)]);
      expect(runs.reduce((n, r) => n + r.stepsFired, 0)).toBeGreaterThanOrEqual(6);
      for (const x of tickets) expect(await escalations(x.id)).toEqual(['half', 'late']);
      const counts = (await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from sla_notifications where ticket_id in (${sql.join(tickets.map((x) => sql`${x.id}`), sql`, `)})`)).rows;
      // One assignee note for the half-way step and one manager note for the breach, per ticket.
      expect(counts[0]!.n).toBe(6);
    } finally {
      await other?.close();
      await second?.close();
    }
  });
});

describe('a ticket an agent opens', () => {
  it('is written once, with its first deadline already set', async () => {
    const db = t.database.db;
    // Counts writes to ticket rows after their insert, for as long as this test runs.
    await db.execute(sql`create table test_agent_rewrites (id uuid)`);
    await db.execute(sql.raw(`create function test_count_agent_rewrite() returns trigger language plpgsql as $$
      begin insert into test_agent_rewrites values (new.id); return new; end $$`));
    await db.execute(sql`create trigger test_count_agent_rewrite before update on tickets for each row execute function test_count_agent_rewrite()`);
    try {
      const created = await hassan.post('/api/v1/tickets', {
        subject: 'Invoice copy needed',
        categoryId: ids.category('general-inquiry'),
        requesterId: ids.contactByEmail('khalid@alfanar-trading.example'),
        description: 'The customer asks for a copy of last month invoice.',
      });
      expect(created.statusCode).toBe(201);
      const id = created.json().id as string;
      const rewrites = await db.execute<{ n: number }>(sql`select count(*)::int as n from test_agent_rewrites where id = ${id}`);
      expect(rewrites.rows[0]!.n).toBe(0);
      const due = await db.execute<{ due: string; clock: string | null }>(sql`
        select t.sla_due_at::text as due, (select min(d.due_at) from sla_deadlines d where d.ticket_id = t.id and d.stopped_at is null)::text as clock
        from tickets t where t.id = ${id}`);
      expect(due.rows[0]!.clock).not.toBeNull();
      expect(due.rows[0]!.due).toBe(due.rows[0]!.clock);
    } finally {
      await db.execute(sql`drop trigger test_count_agent_rewrite on tickets`);
      await db.execute(sql`drop function test_count_agent_rewrite()`);
      await db.execute(sql`drop table test_agent_rewrites`);
    }
  });
});

describe('a ticket opened through a channel', () => {
  it('is written once, with its first deadline already set, for a key account too', async () => {
    const account = (await admin.get('/api/v1/accounts?q=Al%20Fanar')).json().items[0] as { id: string };
    for (const accountId of [null, account.id]) {
      const seen = await t.database.db
        .transaction(async (tx) => {
          // Counts writes to ticket rows after their insert; all of it is rolled back below.
          await tx.execute(sql`create table test_ticket_rewrites (id uuid)`);
          await tx.execute(sql.raw(`create function test_count_ticket_rewrite() returns trigger language plpgsql as $$
            begin insert into test_ticket_rewrites values (new.id); return new; end $$`));
          await tx.execute(sql`create trigger test_count_ticket_rewrite before update on tickets for each row execute function test_count_ticket_rewrite()`);
          const opened = await openTicketFromChannel(tx, {
            channel: 'email',
            contactId: ids.contactByEmail('khalid@alfanar-trading.example'),
            accountId,
            groupId: ids.group('Customer Service'),
            subject: 'Pallet damaged on arrival',
            bodyHtml: '',
            bodyText: 'The pallet arrived broken.',
            files: [],
            at: new Date(),
          });
          const rewrites = await tx.execute<{ n: number }>(sql`select count(*)::int as n from test_ticket_rewrites where id = ${opened.ticketId}`);
          const due = await tx.execute<{ due: string; clock: string | null }>(sql`
            select t.sla_due_at::text as due, (select min(d.due_at) from sla_deadlines d where d.ticket_id = t.id and d.stopped_at is null)::text as clock
            from tickets t where t.id = ${opened.ticketId}`);
          throw Object.assign(new Error('roll back'), { seen: { rewrites: rewrites.rows[0]!.n, ...due.rows[0]! } });
        })
        .catch((e: { seen?: { rewrites: number; due: string; clock: string | null } }) => {
          if (!e.seen) throw e;
          return e.seen;
        });
      // Setting the deadline after the insert, as a changed ticket's recompute does, would write
      // the new row twice (a second version in each of its indexes).
      expect(seen.rewrites).toBe(0);
      expect(seen.clock).not.toBeNull();
      expect(seen.due).toBe(seen.clock);
    }
  });
});
