import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, demoIds, type Client, type TestApp } from '../../test/harness.js';
import { openTicketFromChannel } from '../tickets/index.js';

let t: TestApp;
let admin: Client;
let sara: Client;
let ids: Awaited<ReturnType<typeof demoIds>>;
beforeAll(async () => {
  t = await startTestApp();
  admin = t.as(await t.login('admin@demo.caredesk.test'));
  sara = t.as(await t.login('sara@demo.caredesk.test'));
  ids = await demoIds(admin);
});
afterAll(() => t?.close());


async function putAs(email: string, url: string, body: unknown) {
  const token = await t.login(email);
  return t.app.inject({ method: 'PUT', url, headers: { authorization: `Bearer ${token}` }, payload: body as object });
}

async function newTicket(contactEmail: string, extra: Record<string, unknown> = {}) {
  const res = await sara.post('/api/v1/tickets', {
    subject: 'Where is my parcel?',
    categoryId: ids.category('general-inquiry'),
    requesterId: ids.contactByEmail(contactEmail),
    description: 'Please check.',
    ...extra,
  });
  expect(res.statusCode).toBe(201);
  return res.json();
}

describe('shipped routing rules (seed 001)', () => {
  it("sends a key account's ticket to the Key Accounts group of the account's country", async () => {
    const ticket = await newTicket('khalid@alfanar-trading.example');
    expect(ticket.group.id).toBe(ids.group('Key Accounts SA'));
    expect(ticket.tags).toContain('key-account');
  });

  it("sends a key account's ticket to the country's Trace group where the country has no Key Accounts group", async () => {
    const ticket = await newTicket('priya@gulfpharma.example');
    expect(ticket.group.id).toBe(ids.group('Trace AE'));
  });

  it('sends everyone else to Customer Service', async () => {
    const ticket = await newTicket('abdullah@desert-retail.example');
    expect(ticket.group.id).toBe(ids.group('Customer Service'));
    expect(ticket.tags).not.toContain('key-account');
  });

  it("keeps the group an agent chose", async () => {
    const ticket = await newTicket('khalid@alfanar-trading.example', { groupId: ids.group('Operations') });
    expect(ticket.group.id).toBe(ids.group('Operations'));
  });

  it("moves a key account's message off the channel's default group", async () => {
    const r = await t.database.db.transaction((tx) =>
      openTicketFromChannel(tx, {
        channel: 'email',
        contactId: ids.contactByEmail('khalid@alfanar-trading.example'),
        accountId: null,
        groupId: ids.group('Customer Service'),
        subject: 'Cartons missing',
        bodyHtml: '',
        bodyText: 'Two cartons are missing.',
        files: [],
        at: new Date(),
      }),
    );
    // No account given by the channel: the contact's language is known but not the account, so it stays.
    const kept = (await sara.get(`/api/v1/tickets/${r.number}`)).json();
    expect(kept.group.id).toBe(ids.group('Customer Service'));
    const account = (await admin.get('/api/v1/accounts?q=Al%20Fanar')).json().items[0];
    const r2 = await t.database.db.transaction((tx) =>
      openTicketFromChannel(tx, {
        channel: 'email',
        contactId: ids.contactByEmail('khalid@alfanar-trading.example'),
        accountId: account.id,
        groupId: ids.group('Customer Service'),
        subject: 'Cartons missing again',
        bodyHtml: '',
        bodyText: 'Two more cartons are missing.',
        files: [],
        at: new Date(),
      }),
    );
    const moved = (await sara.get(`/api/v1/tickets/${r2.number}`)).json();
    expect(moved.group.id).toBe(ids.group('Key Accounts SA'));
  });
});

describe('admin-edited rules', () => {
  it('adds a keyword rule that raises priority and tags, and refuses a group that does not exist', async () => {
    const bad = await admin.post('/api/v1/routing-rules', { name: 'x', conditions: {}, actions: { group: { id: '01900000-0000-7000-8000-000000000000' } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('actions.group.id');
    const rule = await admin.post('/api/v1/routing-rules', { name: 'Damage is urgent', position: 1, conditions: { keywords: ['DAMAGED'], channels: ['web', 'email'] }, actions: { priority: 'urgent', tags: ['damage'] } });
    expect(rule.statusCode).toBe(201);
    const ticket = await newTicket('abdullah@desert-retail.example', { description: 'The box arrived damaged.' });
    expect(ticket.priority).toBe('urgent');
    expect(ticket.tags).toContain('damage');
    expect(ticket.group.id).toBe(ids.group('Customer Service'));
    const off = await admin.patch(`/api/v1/routing-rules/${rule.json().id}`, { version: 1, active: false });
    expect(off.json().active).toBe(false);
    expect((await newTicket('abdullah@desert-retail.example', { description: 'damaged again' })).priority).toBe('normal');
    expect((await sara.post('/api/v1/routing-rules', { name: 'y', conditions: {}, actions: {} })).statusCode).toBe(403);
  });

  it('previews where a ticket would go', async () => {
    const res = await admin.post('/api/v1/routing/preview', { channel: 'email', contactId: ids.contactByEmail('priya@gulfpharma.example'), accountId: (await admin.get('/api/v1/accounts?q=Gulf')).json().items[0].id });
    expect(res.json().groupId).toBe(ids.group('Trace AE'));
  });
});

describe('assignment within a group', () => {
  const csMembers = () => ['layla', 'sara', 'hassan'].map((k) => ids.user(k)).sort();

  it('round-robin gives each member a ticket in turn and skips agents who are away', async () => {
    expect((await putAs('layla@demo.caredesk.test', `/api/v1/groups/${ids.group('Customer Service')}/assignment`, { mode: 'round-robin' })).statusCode).toBe(200);
    const got: string[] = [];
    for (let i = 0; i < 3; i++) got.push((await newTicket('abdullah@desert-retail.example')).assignee.id);
    expect([...got].sort()).toEqual(csMembers());
    expect(new Set(got).size).toBe(3);

    expect((await putAs('hassan@demo.caredesk.test', `/api/v1/users/${ids.user('hassan')}/availability`, { away: true })).statusCode).toBe(200);
    const next: string[] = [];
    for (let i = 0; i < 4; i++) next.push((await newTicket('abdullah@desert-retail.example')).assignee.id);
    expect(next).not.toContain(ids.user('hassan'));
    expect(new Set(next).size).toBe(2);
    expect((await putAs('omar@demo.caredesk.test', `/api/v1/users/${ids.user('hassan')}/availability`, { away: false })).statusCode).toBe(403);
  });

  it("prefers agents who speak the contact's language when asked to", async () => {
    await putAs('hassan@demo.caredesk.test', `/api/v1/users/${ids.user('hassan')}/availability`, { away: false });
    await putAs('layla@demo.caredesk.test', `/api/v1/groups/${ids.group('Customer Service')}/assignment`, { mode: 'round-robin', preferLanguage: true });
    // Abdullah writes in Arabic; Hassan is the Arabic speaker of Customer Service.
    for (let i = 0; i < 2; i++) expect((await newTicket('abdullah@desert-retail.example')).assignee.id).toBe(ids.user('hassan'));
  });

  it('least-loaded gives the ticket to the member with the fewest open tickets', async () => {
    await putAs('layla@demo.caredesk.test', `/api/v1/groups/${ids.group('Customer Service')}/assignment`, { mode: 'least-loaded', preferLanguage: false });
    const load = async () => {
      const out: Record<string, number> = {};
      for (const k of ['layla', 'sara', 'hassan']) {
        const list = (await admin.get(`/api/v1/tickets?assigneeId=${ids.user(k)}&limit=100`)).json();
        out[ids.user(k)] = (list.items as { status: string }[]).filter((x) => ['new', 'open', 'pending', 'on-hold'].includes(x.status)).length;
      }
      return out;
    };
    const before = await load();
    const min = Math.min(...Object.values(before));
    const ticket = await newTicket('abdullah@desert-retail.example');
    expect(before[ticket.assignee.id]).toBe(min);
  });

  it('manual mode leaves new tickets unassigned', async () => {
    await putAs('layla@demo.caredesk.test', `/api/v1/groups/${ids.group('Customer Service')}/assignment`, { mode: 'manual' });
    const ticket = await newTicket('abdullah@desert-retail.example');
    expect(ticket.assignee).toBeNull();
    expect(ticket.status).toBe('new');
  });
});
