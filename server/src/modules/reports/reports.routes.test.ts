/**
 * KPIs on a fixture whose answers were worked out by hand. The demo's Saudi calendar is open
 * Sun-Thu 08:00-17:00 Asia/Riyadh, i.e. 05:00-14:00 UTC; the period is 1-7 November 2026
 * (Riyadh days: 2026-10-31T21:00Z to 2026-11-07T21:00Z), the previous one 25-31 October.
 *
 *  T0 (Key Accounts, previous period): created Sun 25 Oct 06:00Z, replied 10:00Z      FRT 4 h
 *  T1 (Key Accounts, Al Fanar = key account): created Sun 1 Nov 06:00Z, replied 08:00Z  FRT 2 h business / 2 h calendar
 *     solved Mon 2 Nov 06:00Z: Sun 06-14 (8 h) + Mon 05-06 (1 h)                      resolution 9 h business / 24 h calendar
 *  T2 (Key Accounts): created Thu 5 Nov 13:00Z (an hour before closing), replied Sat 7 Nov 10:00Z
 *     (weekend)                                                                        FRT 1 h business / 45 h calendar
 *     solved Sat 11:00Z                                                                resolution 1 h / 46 h
 *     customer writes Sat 12:00Z (reopened), reply 12:30Z, solved again 13:00Z         resolution 1 h / 48 h
 *  T3 (Customer Service): created Mon 2 Nov 05:00Z, never answered                     open, age at period end 136 h
 *  T0 is never solved either: open at period end, aged 13 days 15 h = 327 h
 *
 *  first response time  = (2 + 1) / 2 = 1.5 h; previous period 4 h; change -2.5 h
 *  resolution time      = (9 + 1 + 1) / 3 solves = 3.667 h
 *  reopen rate          = 1 reopened ticket (T2) / 2 solved tickets (T1, T2) = 50 %
 *  first-contact resol. = first solves T1 (one reply, never reopened) and T2 (reopened) = 1 / 2 = 50 %
 *  backlog at period end = 2 (T0, T3), average age (327 + 136) / 2 = 231.5 h; Key Accounts alone: 1 (T0)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { demoIds, startTestApp, type Client, type TestApp } from '../../test/harness.js';
import { addMessage, createTicket, getTicket, updateTicket } from '../tickets/index.js';
import { ctxFor } from './fixture.js';

let t: TestApp;
let manager: Client;
let agent: Client;
let ids: Awaited<ReturnType<typeof demoIds>>;
const H = 3_600_000;
const tickets: Record<string, { id: string; number: number }> = {};
const PERIOD = 'from=2026-11-01&to=2026-11-07';

beforeAll(async () => {
  // Web role only: the fixture is dated in the past, and a background SLA sweep working through
  // its overdue clocks at the same moment would race the test's own changes.
  t = await startTestApp({ CAREDESK_ROLES: 'web' });
  const admin = t.as(await t.login('admin@demo.caredesk.test'));
  manager = t.as(await t.login('manager@demo.caredesk.test'));
  agent = t.as(await t.login('hassan@demo.caredesk.test'));
  ids = await demoIds(admin);
  await t.database.db.execute(sql`update accounts set key_account = (name = 'Al Fanar Trading')`);

  const clock = { now: new Date() };
  const at = (iso: string) => (clock.now = new Date(iso));
  const sara = await ctxFor(t, 'sara@demo.caredesk.test', clock);
  const open = async (name: string, when: string, input: { group: string; subject?: string; requesterId?: string }) => {
    at(when);
    const tk = await createTicket(sara, {
      subject: input.subject ?? `Fixture ${name}`,
      categoryId: ids.category('supplies'),
      ...(input.requesterId ? { requesterId: input.requesterId } : { requester: { email: `${name.toLowerCase()}@example.com`, name } }),
      groupId: ids.group(input.group),
      ...(input.group === 'Key Accounts SA' ? { assigneeId: ids.user('sara') } : {}),
    });
    tickets[name] = { id: tk.id, number: tk.number };
    return tk.id;
  };
  const reply = async (id: string, when: string, kind: 'reply' | 'customer' = 'reply') => {
    at(when);
    await addMessage(sara, id, { kind, bodyText: `${kind} at ${when}` });
  };
  const solve = async (id: string, when: string) => {
    at(when);
    const cur = await getTicket(sara, id);
    await updateTicket(sara, id, {
      version: cur.version,
      status: 'solved',
      reasonCodeId: ids.reason('delivery-delay'),
      resolution: { rootCause: 'late', solution: 'sent', actionTaken: 'shipped' },
    });
  };

  const t0 = await open('T0', '2026-10-25T06:00:00Z', { group: 'Key Accounts SA' });
  await reply(t0, '2026-10-25T10:00:00Z');
  const t1 = await open('T1', '2026-11-01T06:00:00Z', { group: 'Key Accounts SA', requesterId: ids.contactByEmail('khalid@alfanar-trading.example') });
  await reply(t1, '2026-11-01T08:00:00Z');
  await solve(t1, '2026-11-02T06:00:00Z');
  await open('T3', '2026-11-02T05:00:00Z', { group: 'Customer Service', subject: '=2+3 labels' });
  const t2 = await open('T2', '2026-11-05T13:00:00Z', { group: 'Key Accounts SA' });
  await reply(t2, '2026-11-07T10:00:00Z');
  await solve(t2, '2026-11-07T11:00:00Z');
  await reply(t2, '2026-11-07T12:00:00Z', 'customer');
  await reply(t2, '2026-11-07T12:30:00Z');
  await solve(t2, '2026-11-07T13:00:00Z');
});
afterAll(async () => t?.close());

const kpi = (body: { kpis: { metric: string }[] }, metric: string) => body.kpis.find((k) => k.metric === metric) as unknown as { value: number | null; count: number; previous: number | null; change: number | null };

describe('KPIs on a hand-computed fixture', () => {
  it('computes the summary with business time, a reopened ticket and the previous period', async () => {
    const res = await manager.get(`/api/v1/reports/kpis?${PERIOD}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.timeZone).toBe('Asia/Riyadh');
    expect(body.period).toEqual({ from: '2026-10-31T21:00:00.000Z', to: '2026-11-07T21:00:00.000Z' });
    expect(body.previousPeriod).toEqual({ from: '2026-10-24T21:00:00.000Z', to: '2026-10-31T21:00:00.000Z' });
    expect(kpi(body, 'tickets_created')).toMatchObject({ value: 3, previous: 1 });
    expect(kpi(body, 'first_response_time')).toMatchObject({ value: 1.5 * H, count: 2, previous: 4 * H, change: -2.5 * H });
    expect(kpi(body, 'resolution_time')).toMatchObject({ value: Math.round((11 * H) / 3), count: 3 });
    expect(kpi(body, 'reopen_rate')).toMatchObject({ value: 50, count: 2 });
    expect(kpi(body, 'first_contact_resolution')).toMatchObject({ value: 50, count: 2 });
    expect(kpi(body, 'backlog')).toMatchObject({ value: 2, previous: 1 });
    expect(kpi(body, 'backlog_age')).toMatchObject({ value: 231.5 * H });
    expect(kpi(body, 'key_account_tickets')).toMatchObject({ value: 1 });
  });

  it('stores business and calendar time on the facts themselves', async () => {
    const rows = await t.database.db.execute<{ number: string; kind: string; business_ms: string; calendar_ms: string }>(
      sql`select ticket_number as number, kind, business_ms, calendar_ms from report_facts where kind in ('first_response', 'solved') and ticket_number in (${tickets.T1!.number}, ${tickets.T2!.number}) order by occurred_at`,
    );
    expect(rows.rows.map((r) => [Number(r.number), r.kind, Number(r.business_ms) / H, Number(r.calendar_ms) / H])).toEqual([
      [tickets.T1!.number, 'first_response', 2, 2],
      [tickets.T1!.number, 'solved', 9, 24],
      [tickets.T2!.number, 'first_response', 1, 45],
      [tickets.T2!.number, 'solved', 1, 46],
      [tickets.T2!.number, 'solved', 1, 48],
    ]);
  });

  it('filters by group and breaks resolution time down by group, with SLA compliance per target', async () => {
    const ka = ids.group('Key Accounts SA');
    const sum = (await manager.get(`/api/v1/reports/kpis?${PERIOD}&groupId=${ka}`)).json();
    expect(kpi(sum, 'tickets_created')).toMatchObject({ value: 2 });
    expect(kpi(sum, 'backlog')).toMatchObject({ value: 1 });
    const series = await manager.get(`/api/v1/reports/metrics/resolution_time?${PERIOD}&by=group`);
    expect(series.statusCode).toBe(200);
    expect(series.json().items).toEqual([{ key: ka, label: 'Key Accounts SA', value: Math.round((11 * H) / 3), count: 3, previous: null }]);
    const sla = (await manager.get(`/api/v1/reports/metrics/sla_compliance?${PERIOD}&groupId=${ka}&by=target`)).json();
    expect(sla.items.find((i: { key: string }) => i.key === 'first_response')).toMatchObject({ value: 100, count: 2 });
    const reasons = (await manager.get(`/api/v1/reports/metrics/contacts_by_reason?${PERIOD}`)).json();
    expect(reasons.items).toEqual([{ key: ids.reason('delivery-delay'), label: 'Delivery delay', value: 2, count: 2, previous: null, cumulativePercent: 100 }]);
    const days = (await manager.get(`/api/v1/reports/metrics/tickets_created?${PERIOD}&by=day`)).json();
    expect(days.items.map((i: { key: string; value: number | null }) => [i.key, i.value])).toEqual([
      ['2026-11-01', 1], ['2026-11-02', 1], ['2026-11-03', null], ['2026-11-04', null], ['2026-11-05', 1], ['2026-11-06', null], ['2026-11-07', null],
    ]);
  });

  it('drills from a bar to the tickets behind it, page by page', async () => {
    const ka = ids.group('Key Accounts SA');
    const first = await manager.get(`/api/v1/reports/metrics/resolution_time/tickets?${PERIOD}&by=group&key=${ka}&limit=1`);
    expect(first.statusCode).toBe(200);
    expect(first.json().items.map((i: { number: number }) => i.number)).toEqual([tickets.T2!.number]);
    const second = (await manager.get(`/api/v1/reports/metrics/resolution_time/tickets?${PERIOD}&by=group&key=${ka}&limit=1&cursor=${first.json().nextCursor}`)).json();
    expect(second.items).toMatchObject([{ number: tickets.T1!.number, kind: 'solved', businessMs: 9 * H, calendarMs: 24 * H, groupName: 'Key Accounts SA' }]);
    expect(second.nextCursor).toBeNull();
    const backlog = (await manager.get(`/api/v1/reports/metrics/backlog/tickets?${PERIOD}`)).json();
    expect(backlog.items.map((i: { number: number }) => i.number)).toEqual([tickets.T3!.number, tickets.T0!.number]);
  });

  it('exports CSV with formula-looking cells neutralised', async () => {
    const res = await manager.get(`/api/v1/reports/metrics/backlog/export.csv?${PERIOD}&rows=tickets`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.body.replace('\uFEFF', '').trim().split('\r\n');
    expect(lines[0]).toBe('number,subject,status,fact,occurred_at,group,agent,business_hours,calendar_hours');
    expect(lines[1]).toBe(`${tickets.T3!.number},'=2+3 labels,new,ticket.created,2026-11-02T05:00:00.000Z,Customer Service,,,`);
    const series = await manager.get(`/api/v1/reports/metrics/first_response_time/export.csv?${PERIOD}&by=group`);
    expect(series.body).toContain(`${ids.group('Key Accounts SA')},Key Accounts SA,1.5,2,4`);
  });

  it('refuses agents, and explains bad filters by field', async () => {
    expect((await agent.get(`/api/v1/reports/kpis?${PERIOD}`)).statusCode).toBe(403);
    const bad = await manager.get('/api/v1/reports/kpis?from=2026-11-07&to=2026-11-01');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ field: 'to' });
    const dim = await manager.get(`/api/v1/reports/metrics/backlog?${PERIOD}&by=day`);
    expect(dim.statusCode).toBe(400);
    expect(dim.json().errors[0]).toMatchObject({ field: 'by' });
    expect((await manager.get(`/api/v1/reports/metrics/nope?${PERIOD}`)).statusCode).toBe(400);
  });

  it('shows the live dashboard: queues, agents and their load, today', async () => {
    const res = await manager.get('/api/v1/reports/live');
    expect(res.statusCode).toBe(200);
    const live = res.json();
    expect(live.refreshSeconds).toBe(15);
    const cs = live.queues.find((q: { name: string }) => q.name === 'Customer Service');
    expect(cs.new).toBeGreaterThanOrEqual(1);
    const hassan = live.agents.find((a: { id: string }) => a.id === ids.user('hassan'));
    // Hassan made a request above, so he is online.
    expect(hassan).toMatchObject({ online: true, away: false });
    expect(live.today.map((k: { metric: string }) => k.metric)).toContain('first_response_time');
  });

  it('lists the running clocks past their at-risk moment, and counts them as the list does', async () => {
    const live = (await manager.get('/api/v1/reports/live')).json();
    type Risk = { ticketId: string; target: string; dueAt: string; state: 'at_risk' | 'breached' };
    const items = live.atRisk as Risk[];
    // T0 (answered, never solved) and T3 (never answered) are still open, their clocks long overdue.
    expect(items.filter((r) => r.ticketId === tickets.T0!.id).map((r) => [r.target, r.state])).toEqual([['resolution', 'breached']]);
    expect(items.filter((r) => r.ticketId === tickets.T3!.id).map((r) => [r.target, r.state])).toContainEqual(['first_response', 'breached']);
    // Solved tickets' clocks have stopped: neither the list nor the counts show them.
    expect(items.some((r) => r.ticketId === tickets.T1!.id || r.ticketId === tickets.T2!.id)).toBe(false);
    expect(items.map((r) => r.dueAt)).toEqual([...items.map((r) => r.dueAt)].sort());
    // The counts are read from the clocks alone, the list through their tickets: they agree.
    expect(items.length).toBeLessThan(20);
    expect(live.breachedCount).toBe(items.filter((r) => r.state === 'breached').length);
    expect(live.atRiskCount).toBe(items.filter((r) => r.state === 'at_risk').length);
  });
});
