import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPLETE_SHIPMENT, demoIds, startTestApp, type Client, type TestApp } from '../../test/harness.js';

let t: TestApp;
let sara: Client; // agent in Key Accounts SA and Customer Service
let omar: Client; // agent in Trace SA only
let manager: Client;
let ids: Awaited<ReturnType<typeof demoIds>>;

beforeAll(async () => {
  t = await startTestApp();
  sara = t.as(await t.login('sara@demo.caredesk.test'));
  omar = t.as(await t.login('omar@demo.caredesk.test'));
  manager = t.as(await t.login('manager@demo.caredesk.test'));
  ids = await demoIds(manager);
});
afterAll(() => t?.close());

const complaint = (extra: Record<string, unknown> = {}) => ({
  subject: 'Shipment delayed at hub',
  description: 'Customer reports the parcel is stuck.',
  categoryId: ids.category('service-failure-complaint'),
  requester: { email: 'khalid@alfanar-trading.example' },
  groupId: ids.group('Key Accounts SA'),
  onBehalf: true,
  shipment: COMPLETE_SHIPMENT,
  ...extra,
});

async function newTicket(c: Client = sara, extra: Record<string, unknown> = {}) {
  const res = await c.post('/api/v1/tickets', complaint(extra));
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

describe('creating a ticket', () => {
  it('names every missing shipment field of a shipment-related category', async () => {
    const res = await sara.post('/api/v1/tickets', complaint({ shipment: {} }));
    expect(res.statusCode).toBe(400);
    const fields = res.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual([
      'shipment.trackingNumber',
      'shipment.shipperName',
      'shipment.shipperPhone',
      'shipment.consigneeName',
      'shipment.consigneePhone',
    ]);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('names only the consignee contact when just that is missing, in the agent language', async () => {
    const { consigneePhone: _, ...rest } = COMPLETE_SHIPMENT;
    const res = await sara.post('/api/v1/tickets', complaint({ shipment: rest }));
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([
      { field: 'shipment.consigneePhone', code: 'required_either', message: 'Consignee phone or email is required.' },
    ]);
    const ar = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tickets',
      headers: { authorization: (await t.login('hassan@demo.caredesk.test')).replace(/^/, 'Bearer ') },
      payload: complaint({ shipment: rest }),
    });
    expect(ar.json().errors[0].message).toBe('هاتف المستلم أو بريده مطلوب.');
  });

  it('accepts a complete shipment, records who opened it on the customer behalf, and links the account', async () => {
    const ticket = await newTicket();
    expect(ticket.number).toBeGreaterThanOrEqual(10001);
    expect(ticket.onBehalf).toBe(true);
    expect(ticket.createdBy.id).toBe(ids.user('sara'));
    expect(ticket.requester.name).toBe('Khalid Al-Fanar');
    expect(ticket.account.name).toBe('Al Fanar Trading');
    expect(ticket.shipment.trackingNumber).toBe('SA900800700');
    const events = (await sara.get(`/api/v1/tickets/${ticket.id}/events`)).json().items;
    expect(events[0].action).toBe('ticket.created_on_behalf');
  });

  it('refuses unknown JSON fields with 400 naming them, and stores nothing', async () => {
    const before = (await manager.get('/api/v1/tickets/counts')).json().all;
    const res = await sara.post('/api/v1/tickets', complaint({ createdById: ids.user('manager'), status: 'closed' }));
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['createdById', 'status']);
    expect((await manager.get('/api/v1/tickets/counts')).json().all).toBe(before);
  });

  it('creates the requester as a contact when the email is new', async () => {
    const ticket = await newTicket(sara, { requester: { email: 'New.Person@Example.com', name: 'New Person' } });
    expect(ticket.requester.name).toBe('New Person');
    const found = await sara.post('/api/v1/contacts/lookup', { kind: 'email', value: 'new.person@example.com' });
    expect(found.statusCode).toBe(200);
    expect(found.json().id).toBe(ticket.requester.id);
  });
});

describe('solving and closing', () => {
  it('rejects solving without a reason code and resolution, naming each missing part', async () => {
    const ticket = await newTicket();
    const res = await sara.patch(`/api/v1/tickets/${ticket.id}`, { version: ticket.version, status: 'solved' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual([
      'reasonCodeId',
      'resolution.rootCause',
      'resolution.solution',
      'resolution.actionTaken',
    ]);
    const again = await sara.patch(`/api/v1/tickets/${ticket.id}`, {
      version: ticket.version,
      status: 'solved',
      reasonCodeId: ids.reason('delivery-delay'),
      resolution: { rootCause: 'Missed line-haul', solution: '', actionTaken: 'Rebooked' },
    });
    expect(again.json().errors.map((e: { field: string }) => e.field)).toEqual(['resolution.solution']);
  });

  it('forbids a non-member of the ticket group from solving (403) and lets a member solve', async () => {
    const ticket = await newTicket(sara, { groupId: ids.group('Trace SA') });
    const layla = t.as(await t.login('layla@demo.caredesk.test'));
    // Sara opened it so she can see it, but she is not in Trace SA.
    const solve = {
      version: ticket.version,
      status: 'solved',
      reasonCodeId: ids.reason('delivery-delay'),
      resolution: { rootCause: 'Hub backlog', solution: 'Delivered next day', actionTaken: 'Escalated to hub' },
    };
    const denied = await sara.patch(`/api/v1/tickets/${ticket.id}`, solve);
    expect(denied.statusCode).toBe(403);
    expect(denied.json().code).toBe('ticket.not_group_member');
    expect((await layla.get(`/api/v1/tickets/${ticket.id}`)).statusCode).toBe(404);
    const ok = await omar.patch(`/api/v1/tickets/${ticket.id}`, solve);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().status).toBe('solved');
    expect(ok.json().reasonCode.code).toBe('delivery-delay');
    expect(ok.json().resolution.actionTaken).toBe('Escalated to hub');
  });

  it('reopens a solved ticket when the customer replies, and keeps closed final', async () => {
    let ticket = await newTicket();
    const solved = await sara.patch(`/api/v1/tickets/${ticket.id}`, {
      version: ticket.version,
      status: 'solved',
      reasonCodeId: ids.reason('delivery-delay'),
      resolution: { rootCause: 'a', solution: 'b', actionTaken: 'c' },
    });
    expect(solved.json().status).toBe('solved');
    const reply = await sara.post(`/api/v1/tickets/${ticket.id}/messages`, { kind: 'customer', bodyText: 'It is still not here!' });
    expect(reply.statusCode).toBe(201);
    ticket = (await sara.get(`/api/v1/tickets/${ticket.id}`)).json();
    expect(ticket.status).toBe('open');

    ticket = (await sara.patch(`/api/v1/tickets/${ticket.id}`, { version: ticket.version, status: 'solved' })).json();
    expect(ticket.status).toBe('solved');
    ticket = (await sara.patch(`/api/v1/tickets/${ticket.id}`, { version: ticket.version, status: 'closed' })).json();
    expect(ticket.status).toBe('closed');
    const reopen = await sara.patch(`/api/v1/tickets/${ticket.id}`, { version: ticket.version, status: 'open' });
    expect(reopen.statusCode).toBe(422);
    expect(reopen.json().code).toBe('ticket.closed');
    const late = await sara.post(`/api/v1/tickets/${ticket.id}/messages`, { kind: 'reply', bodyText: 'hello' });
    expect(late.statusCode).toBe(422);
  });

  it('does not close a ticket that was never solved', async () => {
    const ticket = await newTicket();
    const res = await sara.patch(`/api/v1/tickets/${ticket.id}`, { version: ticket.version, status: 'closed' });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('ticket.invalid_transition');
  });
});

describe('concurrency and access', () => {
  it('answers 409 to an update made against a stale version, by body or If-Match', async () => {
    const ticket = await newTicket();
    const first = await sara.patch(`/api/v1/tickets/${ticket.id}`, { version: ticket.version, priority: 'high' });
    expect(first.statusCode).toBe(200);
    expect(first.json().version).toBe(ticket.version + 1);
    const stale = await sara.patch(`/api/v1/tickets/${ticket.id}`, { version: ticket.version, priority: 'low' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('version_conflict');
    const staleHeader = await sara.patch(`/api/v1/tickets/${ticket.id}`, { priority: 'low' }, { 'if-match': `"${ticket.version}"` });
    expect(staleHeader.statusCode).toBe(409);
    expect((await sara.get(`/api/v1/tickets/${ticket.id}`)).json().priority).toBe('high');
  });

  it("hides another group's ticket from an agent with 404, everywhere", async () => {
    const ticket = await newTicket(sara, { subject: 'Secret zanzibar complaint' });
    expect((await omar.get(`/api/v1/tickets/${ticket.id}`)).statusCode).toBe(404);
    expect((await omar.get(`/api/v1/tickets/${ticket.number}`)).statusCode).toBe(404);
    expect((await omar.get(`/api/v1/tickets/${ticket.id}/timeline`)).statusCode).toBe(404);
    expect((await omar.patch(`/api/v1/tickets/${ticket.id}`, { version: 1, priority: 'low' })).statusCode).toBe(404);
    expect((await omar.post(`/api/v1/tickets/${ticket.id}/messages`, { kind: 'note', bodyText: 'x' })).statusCode).toBe(404);
    const search = (await omar.get('/api/v1/search?q=zanzibar')).json();
    expect(search.tickets).toEqual([]);
    const all = await omar.get('/api/v1/tickets?queue=all');
    expect(all.statusCode).toBe(403);
    expect((await manager.get(`/api/v1/tickets/${ticket.id}`)).statusCode).toBe(200);
  });

  it('refuses to hand a ticket back to Key Accounts once Key Accounts handed it to another group', async () => {
    const ticket = await newTicket();
    const moved = await sara.patch(`/api/v1/tickets/${ticket.id}`, { version: ticket.version, groupId: ids.group('Operations') });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().handedOffFromKeyAccounts).toBe(true);
    const back = await manager.patch(`/api/v1/tickets/${ticket.id}`, { version: moved.json().version, groupId: ids.group('Key Accounts SA') });
    expect(back.statusCode).toBe(422);
    expect(back.json().code).toBe('ticket.key_accounts_handback');
    expect(back.json().detail).toContain('Key Accounts policy');
    // Moving on to yet another department is still fine.
    const onward = await manager.patch(`/api/v1/tickets/${ticket.id}`, { version: moved.json().version, groupId: ids.group('Claims') });
    expect(onward.statusCode).toBe(200);
  });
});

describe('messages and timeline', () => {
  it('sanitises HTML, keeps a plain-text version, and shows replies, notes and changes together', async () => {
    const ticket = await newTicket();
    const reply = await sara.post(`/api/v1/tickets/${ticket.id}/messages`, {
      kind: 'reply',
      bodyHtml: '<p onclick="x()">Hello <b>Khalid</b><script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:alert(1)">link</a></p>',
    });
    expect(reply.statusCode).toBe(201);
    const m = reply.json();
    expect(m.bodyHtml).not.toMatch(/script|onerror|onclick|javascript:/i);
    expect(m.bodyHtml).toContain('<b>Khalid</b>');
    expect(m.bodyText).toContain('Hello Khalid');
    await sara.post(`/api/v1/tickets/${ticket.id}/messages`, { kind: 'note', bodyText: 'Internal: called ops' });
    const items = (await sara.get(`/api/v1/tickets/${ticket.id}/timeline`)).json().items;
    const kinds = items.map((i: { type: string; message?: { kind: string }; event?: { action: string } }) =>
      i.type === 'message' ? i.message!.kind : i.event!.action,
    );
    expect(kinds).toEqual(['ticket.created_on_behalf', 'note', 'reply', 'ticket.updated', 'note']);
    const statusEvent = items.find((i: { event?: { action: string } }) => i.event?.action === 'ticket.updated');
    expect(statusEvent.event.changes).toEqual([{ field: 'status', before: 'new', after: 'open' }]);
    expect(statusEvent.event.actor.name).toBe('Sara Al-Otaibi');
  });

  it('stores attachments and serves them only as inert downloads to those who see the ticket', async () => {
    const boundary = '----cdtest';
    const payload =
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="\u200b.htaccess.svg"\r\nContent-Type: image/svg+xml\r\n\r\n` +
      `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>\r\n--${boundary}--\r\n`;
    const token = await t.login('sara@demo.caredesk.test');
    const up = await t.app.inject({
      method: 'POST',
      url: '/api/v1/attachments',
      headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });
    expect(up.statusCode, up.body).toBe(201);
    expect(up.json().filename).toBe('htaccess.svg');
    const ticket = await newTicket();
    const msg = await sara.post(`/api/v1/tickets/${ticket.id}/messages`, { kind: 'note', bodyText: 'photo', attachmentIds: [up.json().id] });
    expect(msg.json().attachments[0].id).toBe(up.json().id);
    const dl = await sara.get(up.json().url);
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-disposition']).toMatch(/^attachment;/);
    expect(dl.headers['x-content-type-options']).toBe('nosniff');
    expect(dl.headers['content-type']).toBe('application/octet-stream');
    expect(dl.body).toContain('<svg');
    expect((await omar.get(up.json().url)).statusCode).toBe(404);
    // An attachment already used cannot be claimed again by another message.
    const reuse = await sara.post(`/api/v1/tickets/${ticket.id}/messages`, { kind: 'note', bodyText: 'again', attachmentIds: [up.json().id] });
    expect(reuse.statusCode).toBe(400);
  });
});

describe('queues', () => {
  it('pages through a queue with a cursor without repeating or skipping tickets, and counts it', async () => {
    for (let i = 0; i < 5; i++) await newTicket(sara, { subject: `Paging ${i}`, tags: ['paging'] });
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const q: string = `/api/v1/tickets?queue=groups&tag=paging&sort=created&order=desc&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await sara.get(q);
      expect(res.statusCode, res.body).toBe(200);
      seen.push(...res.json().items.map((x: { number: number }) => x.number));
      cursor = res.json().nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect([...seen].sort((a, b) => b - a)).toEqual(seen);
    const counts = (await sara.get('/api/v1/tickets/counts')).json();
    expect(counts.groups).toBeGreaterThanOrEqual(5);
    expect(counts.all).toBeNull();
  });

  it('filters by status and priority and sorts by priority', async () => {
    const res = await manager.get('/api/v1/tickets?queue=all&sort=priority&order=desc&limit=100');
    const ranks = { urgent: 4, high: 3, normal: 2, low: 1 } as Record<string, number>;
    const prios = res.json().items.map((x: { priority: string }) => ranks[x.priority]);
    expect([...prios].sort((a, b) => b - a)).toEqual(prios);
    const open = await manager.get('/api/v1/tickets?queue=all&status=open,pending&priority=urgent');
    for (const x of open.json().items) {
      expect(['open', 'pending']).toContain(x.status);
      expect(x.priority).toBe('urgent');
    }
  });

  it('keeps each queue to its own tickets: unassigned, a chosen group, and nothing from groups not mine', async () => {
    const ops = await newTicket(sara, { groupId: ids.group('Operations'), subject: 'Ops slice' });
    const unassigned = (await manager.get('/api/v1/tickets?queue=unassigned&limit=100')).json().items;
    expect(unassigned.every((x: { assignee: unknown }) => x.assignee === null)).toBe(true);
    const opsOnly = (await manager.get(`/api/v1/tickets?queue=all&groupId=${ids.group('Operations')}&limit=100`)).json().items;
    expect(opsOnly.map((x: { id: string }) => x.id)).toContain(ops.id);
    expect(opsOnly.every((x: { group: { name: string } }) => x.group.name === 'Operations')).toBe(true);
    // Sara opened it, so she can open it, but it is not in her groups' queue.
    const notMine = (await sara.get(`/api/v1/tickets?queue=groups&groupId=${ids.group('Operations')}`)).json().items;
    expect(notMine).toEqual([]);
    const mine = (await sara.get('/api/v1/tickets?queue=groups&limit=100')).json().items;
    expect(mine.map((x: { id: string }) => x.id)).not.toContain(ops.id);
  });

  it('refuses a sort column that is not in the list', async () => {
    const res = await manager.get('/api/v1/tickets?sort=created_at;DROP TABLE tickets');
    expect(res.statusCode).toBe(400);
  });
});
