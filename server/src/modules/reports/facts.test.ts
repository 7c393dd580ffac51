import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { demoIds, startTestApp, type TestApp } from '../../test/harness.js';
import { emitInTx } from '../../platform/events.js';
import { addMessage, createTicket, getTicket, updateTicket } from '../tickets/index.js';
import { ctxFor, factsOf } from './fixture.js';

let t: TestApp;
let ids: Awaited<ReturnType<typeof demoIds>>;
const H = 3_600_000;

beforeAll(async () => {
  // Web role only: the fixture is dated in the past, and a background SLA sweep working through
  // its overdue clocks at the same moment would race the test's own changes.
  t = await startTestApp({ CAREDESK_ROLES: 'web' });
  ids = await demoIds(t.as(await t.login('admin@demo.caredesk.test')));
});
afterAll(async () => t?.close());

describe('report facts', () => {
  it('records creation, first response, replies, solve and reopen with business and calendar time', async () => {
    // Sunday 2026-11-01 09:00 Riyadh (06:00 UTC), inside the Saudi working day (05:00-14:00 UTC).
    const clock = { now: new Date('2026-11-01T06:00:00Z') };
    const sara = await ctxFor(t, 'sara@demo.caredesk.test', clock);
    const ticket = await createTicket(sara, {
      subject: 'Labels please',
      categoryId: ids.category('supplies'),
      requester: { email: 'facts@example.com', name: 'Facts' },
      groupId: ids.group('Customer Service'),
      assigneeId: ids.user('sara'),
    });
    clock.now = new Date('2026-11-01T08:00:00Z');
    await addMessage(sara, ticket.id, { kind: 'reply', bodyText: 'On their way' });
    clock.now = new Date('2026-11-01T09:00:00Z');
    await addMessage(sara, ticket.id, { kind: 'reply', bodyText: 'Shipped' });
    // Monday 06:00 UTC: Sunday 06:00-14:00 (8 h) and Monday 05:00-06:00 (1 h) were open.
    clock.now = new Date('2026-11-02T06:00:00Z');
    const current = await getTicket(sara, ticket.id);
    await updateTicket(sara, ticket.id, {
      version: current.version,
      status: 'solved',
      reasonCodeId: ids.reason('pickup-request'),
      resolution: { rootCause: 'ran out', solution: 'sent labels', actionTaken: 'shipped' },
    });
    const facts = await factsOf(t, ticket.id);
    const by = (k: string) => facts.filter((f) => f.kind === k);
    expect(by('ticket.created')).toHaveLength(1);
    // Dimensions as the ticket had them when it was created (no account, and Customer Service serves every country).
    const created = await t.database.db.execute<Record<string, unknown>>(
      sql`select ticket_number, group_id, agent_id, category_id, priority, channel, key_account, country, occurred_at from report_facts where ticket_id = ${ticket.id} and kind = 'ticket.created'`,
    );
    expect({ ...created.rows[0], ticket_number: Number(created.rows[0]!.ticket_number), occurred_at: new Date(created.rows[0]!.occurred_at as string).toISOString() }).toEqual({
      ticket_number: Number(ticket.number),
      group_id: ids.group('Customer Service'),
      agent_id: ids.user('sara'),
      category_id: ids.category('supplies'),
      priority: ticket.priority,
      channel: ticket.channel,
      key_account: false,
      country: null,
      occurred_at: '2026-11-01T06:00:00.000Z',
    });
    expect(by('first_response')[0]).toMatchObject({ business_ms: 2 * H, calendar_ms: 2 * H, agent_id: ids.user('sara') });
    expect(by('reply')).toHaveLength(2);
    expect(by('solved')[0]).toMatchObject({ business_ms: 9 * H, calendar_ms: 24 * H, extras: { replies: 2, reopensBefore: 0, from: 'open' } });

    // The same event handled twice writes one fact.
    await t.database.db.transaction(async (tx) => {
      await emitInTx(tx, 'ticket.status_changed', { ticketId: ticket.id, from: 'open', to: 'solved', at: clock.now, actorUserId: ids.user('sara') }, {});
    });
    expect((await factsOf(t, ticket.id)).filter((f) => f.kind === 'solved')).toHaveLength(1);

    // The customer writes again: a reopen.
    clock.now = new Date('2026-11-02T07:00:00Z');
    await addMessage(sara, ticket.id, { kind: 'customer', bodyText: 'Wrong size' });
    const after = await factsOf(t, ticket.id);
    expect(after.filter((f) => f.kind === 'reopened')).toHaveLength(1);
    const n = await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from report_facts where ticket_id = ${ticket.id} and kind = 'first_response'`);
    expect(n.rows[0]!.n).toBe(1);
  });
});
