import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, desc, eq, sql } from 'drizzle-orm';
import { COMPLETE_SHIPMENT, demoIds, startTestApp, type Client, type TestApp } from '../../test/harness.js';
import { emailMessages } from '../channels/email/db/schema.js';
import { portalTokens } from './db/schema.js';
import { sha256 } from './sessions.js';

let t: TestApp;
let admin: Client;
let sara: Client;
let saraToken: string;
let adminToken: string;
let ids: Awaited<ReturnType<typeof demoIds>>;

beforeAll(async () => {
  t = await startTestApp();
  adminToken = await t.login('admin@demo.caredesk.test');
  admin = t.as(adminToken);
  saraToken = await t.login('sara@demo.caredesk.test');
  sara = t.as(saraToken);
  ids = await demoIds(admin);
});
afterAll(() => t?.close());

/** The newest portal email to `to` in the outbox (no relay in tests: it stays there), and the token its link carries. */
async function mailTo(to: string, purpose: 'portal_verify' | 'portal_signin') {
  const [row] = await t.database.db
    .select()
    .from(emailMessages)
    .where(and(eq(emailMessages.purpose, purpose), sql`${to} = any(${emailMessages.toAddresses})`))
    .orderBy(desc(emailMessages.createdAt))
    .limit(1);
  if (!row) return null;
  const link = t.caredesk.secrets.decrypt(row.contentEnc!);
  return { row, link, token: new URL(link).hash.replace('#token=', '') };
}

interface Portal {
  cookie: string;
  get(url: string): ReturnType<Client['get']>;
  post(url: string, body?: unknown): ReturnType<Client['post']>;
  patch(url: string, body?: unknown): ReturnType<Client['post']>;
  raw(opts: { url: string; payload: string | Buffer; headers: Record<string, string> }): ReturnType<Client['post']>;
}
const portalAs = (cookie: string): Portal => {
  const cookies = { cd_portal: cookie };
  return {
    cookie,
    get: (url) => t.app.inject({ method: 'GET', url, cookies }),
    post: (url, body) => t.app.inject({ method: 'POST', url, cookies, payload: body as object }),
    patch: (url, body) => t.app.inject({ method: 'PATCH', url, cookies, payload: body as object }),
    raw: ({ url, payload, headers }) => t.app.inject({ method: 'POST', url, cookies, payload, headers }),
  };
};
const anon = {
  post: (url: string, body: unknown) => t.app.inject({ method: 'POST', url, payload: body as object }),
};

function sessionCookie(res: Awaited<ReturnType<Client['post']>>) {
  const c = res.cookies.find((x) => x.name === 'cd_portal');
  if (!c) throw new Error(`no portal cookie: ${res.statusCode} ${res.body}`);
  return c;
}

async function signInByLink(email: string) {
  expect((await anon.post('/api/v1/portal/auth/link', { email })).statusCode).toBe(202);
  const mail = await mailTo(email, 'portal_signin');
  const res = await anon.post('/api/v1/portal/auth/consume', { token: mail!.token });
  expect(res.statusCode).toBe(200);
  return portalAs(sessionCookie(res).value);
}

function multipart(filename: string, content: string, type = 'text/plain') {
  const boundary = '----cdportal' + Math.random().toString(16).slice(2);
  const payload = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n${content}\r\n--${boundary}--\r\n`;
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe('portal sign-in', () => {
  const email = 'nadia.portal@example.com';

  it('registers, refuses the password until the address is verified, then signs in with it', async () => {
    const reg = await anon.post('/api/v1/portal/auth/register', { email, password: 'correct horse battery', name: 'Nadia Haddad', language: 'ar' });
    expect(reg.statusCode).toBe(202);
    const unverified = await anon.post('/api/v1/portal/auth/login', { email, password: 'correct horse battery' });
    expect(unverified.statusCode).toBe(403);
    expect(unverified.json().code).toBe('portal.email_unverified');

    const mail = await mailTo(email, 'portal_verify');
    expect(mail!.row.status).toBe('no_relay');
    expect(mail!.row.ticketId).toBeNull();
    expect(mail!.link).toMatch(/\/portal\/link#token=cdv_/);
    // Only a hash of the token is stored.
    const [stored] = await t.database.db.select().from(portalTokens).where(eq(portalTokens.tokenHash, sha256(mail!.token)));
    expect(stored!.purpose).toBe('verify');
    expect(JSON.stringify(stored)).not.toContain(mail!.token);

    const verified = await anon.post('/api/v1/portal/auth/consume', { token: mail!.token });
    expect(verified.statusCode).toBe(200);
    const cookie = sessionCookie(verified);
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Strict');
    expect(verified.json().me).toMatchObject({ email, name: 'Nadia Haddad', language: 'ar', hasPassword: true, accountAdmin: false });

    const login = await anon.post('/api/v1/portal/auth/login', { email, password: 'correct horse battery' });
    expect(login.statusCode).toBe(200);
    const me = await portalAs(sessionCookie(login).value).get('/api/v1/portal/me');
    expect(me.json().email).toBe(email);
  });

  it('refuses a wrong password and an unknown address alike', async () => {
    const wrong = await anon.post('/api/v1/portal/auth/login', { email, password: 'not the password' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().code).toBe('invalid_credentials');
    const unknown = await anon.post('/api/v1/portal/auth/login', { email: 'nobody@example.com', password: 'not the password' });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().code).toBe('invalid_credentials');
  });

  it('signs in an existing contact by emailed link, once', async () => {
    const res = await anon.post('/api/v1/portal/auth/link', { email: 'Khalid@Alfanar-Trading.example' });
    expect(res.statusCode).toBe(202);
    const mail = await mailTo('khalid@alfanar-trading.example', 'portal_signin');
    expect(mail!.link).toContain('#token=cdl_');
    const first = await anon.post('/api/v1/portal/auth/consume', { token: mail!.token });
    expect(first.statusCode).toBe(200);
    expect(first.json().me.name).toBe('Khalid Al-Fanar');
    const again = await anon.post('/api/v1/portal/auth/consume', { token: mail!.token });
    expect(again.statusCode).toBe(400);
    expect(again.json().code).toBe('portal.link_invalid');
  });

  it("lists a sign-in link waiting for a relay in the admin's outbox, without its link", async () => {
    await anon.post('/api/v1/portal/auth/link', { email: 'khalid@alfanar-trading.example' });
    const mail = await mailTo('khalid@alfanar-trading.example', 'portal_signin');
    const res = await admin.get('/api/v1/email/outbound?status=no_relay&limit=100');
    expect(res.statusCode).toBe(200);
    const item = res.json().items.find((i: { id: string }) => i.id === mail!.row.id);
    expect(item).toMatchObject({ purpose: 'portal_signin', status: 'no_relay', ticket: null, to: ['khalid@alfanar-trading.example'] });
    expect(res.body).not.toContain(mail!.token);
  });

  it('refuses an expired link', async () => {
    await anon.post('/api/v1/portal/auth/link', { email: 'priya@gulfpharma.example' });
    const mail = await mailTo('priya@gulfpharma.example', 'portal_signin');
    await t.database.db.update(portalTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(portalTokens.tokenHash, sha256(mail!.token)));
    const res = await anon.post('/api/v1/portal/auth/consume', { token: mail!.token });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('portal.link_invalid');
  });

  it('answers a link request for an unknown address the same way and sends nothing', async () => {
    const res = await anon.post('/api/v1/portal/auth/link', { email: 'stranger@example.org' });
    expect(res.statusCode).toBe(202);
    expect(await mailTo('stranger@example.org', 'portal_signin')).toBeNull();
  });

  it('stops mailing links to one address after a few in a short time', async () => {
    const address = 'john.miller@example.com';
    for (let i = 0; i < 7; i++) expect((await anon.post('/api/v1/portal/auth/link', { email: address })).statusCode).toBe(202);
    const [{ n }] = (await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from email_messages where purpose = 'portal_signin' and ${address} = any(to_addresses)`)).rows as [{ n: number }];
    expect(n).toBe(5);
  });

  it('keeps portal and agent sessions apart', async () => {
    expect((await sara.get('/api/v1/portal/me')).statusCode).toBe(401);
    const khalid = await signInByLink('khalid@alfanar-trading.example');
    // The portal cookie opens nothing in the agent API.
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/tickets', cookies: { cd_portal: khalid.cookie } });
    expect(res.statusCode).toBe(401);
  });

  it('rejects a malformed email with the field and reason', async () => {
    const res = await anon.post('/api/v1/portal/auth/link', { email: 'not-an-email' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('email');
  });
});

describe('portal tickets', () => {
  let khalid: Portal;
  let colleague: Portal;
  let colleagueId: string;

  beforeAll(async () => {
    khalid = await signInByLink('khalid@alfanar-trading.example');
    const khalidContact = ids.contactByEmail('khalid@alfanar-trading.example');
    const account = (await admin.get(`/api/v1/contacts/${khalidContact}`)).json().accountId as string;
    const created = await sara.post('/api/v1/contacts', { name: 'Mona Al-Fanar', accountId: account, identities: [{ kind: 'email', value: 'mona@alfanar-trading.example' }] });
    expect(created.statusCode).toBe(201);
    colleagueId = created.json().id;
    colleague = await signInByLink('mona@alfanar-trading.example');
  });

  it('offers the active categories with their form rule', async () => {
    const res = await khalid.get('/api/v1/portal/categories');
    expect(res.statusCode).toBe(200);
    const trace = res.json().items.find((c: { key: string }) => c.key === 'trace');
    expect(trace).toMatchObject({ shipmentRelated: true, nameAr: 'تتبع شحنة' });
  });

  it('requires the same fields as the agent form, reporting each with its reason', async () => {
    const res = await khalid.post('/api/v1/portal/tickets', {
      subject: 'Where is my parcel?',
      description: 'It has not arrived.',
      categoryId: ids.category('trace'),
      shipment: { shipperName: 'Al Fanar Trading', shipperPhone: '+966112345678', consigneeName: 'Jeddah Store' },
    });
    expect(res.statusCode).toBe(400);
    const errors = res.json().errors as { field: string; code: string; message: string }[];
    expect(errors.map((e) => [e.field, e.code])).toEqual([
      ['shipment.trackingNumber', 'required'],
      ['shipment.consigneePhone', 'required_either'],
    ]);
    expect(errors[0]!.message).toBe('Tracking number is required.');

    const noCategory = await khalid.post('/api/v1/portal/tickets', { subject: 'x', description: 'y' });
    expect(noCategory.statusCode).toBe(400);
    expect(noCategory.json().errors).toContainEqual(expect.objectContaining({ field: 'categoryId', code: 'required' }));
  });

  let number: number;
  it('opens a ticket on the portal channel that agents see with its promised response time', async () => {
    const res = await khalid.post('/api/v1/portal/tickets', {
      subject: 'Parcel SA900800700 not delivered',
      description: 'The consignee is still waiting.',
      categoryId: ids.category('trace'),
      shipment: COMPLETE_SHIPMENT,
    });
    expect(res.statusCode).toBe(201);
    const tk = res.json();
    number = tk.number;
    expect(tk).toMatchObject({ channel: 'portal', status: expect.any(String), shipment: { trackingNumber: 'SA900800700' } });
    expect(tk.messages).toHaveLength(1);
    expect(tk.messages[0]).toMatchObject({ kind: 'customer', channel: 'portal', author: { type: 'contact', name: 'Khalid Al-Fanar' } });
    expect(Date.parse(tk.promise.firstResponseDueAt)).toBeGreaterThan(Date.parse(tk.createdAt));

    const agentView = (await admin.get(`/api/v1/tickets/${number}`)).json();
    expect(agentView).toMatchObject({ channel: 'portal', category: { key: 'trace' }, requester: { name: 'Khalid Al-Fanar' }, shipment: { trackingNumber: 'SA900800700' } });
    const timeline = (await admin.get(`/api/v1/tickets/${number}/timeline`)).json().items;
    expect(timeline.find((i: { type: string }) => i.type === 'message').message.channel).toBe('portal');
  });

  it('shows agent replies and never internal notes or their files', async () => {
    const upload = multipart('internal.txt', 'internal only');
    const noteFile = (await t.app.inject({ method: 'POST', url: '/api/v1/attachments', headers: { ...upload.headers, authorization: `Bearer ${adminToken}` }, payload: upload.payload })).json();
    expect((await admin.post(`/api/v1/tickets/${number}/messages`, { kind: 'note', bodyText: 'Internal: hub manager says pallet was mislabelled', attachmentIds: [noteFile.id] })).statusCode).toBe(201);
    expect((await admin.post(`/api/v1/tickets/${number}/messages`, { kind: 'reply', bodyText: 'We found your parcel; it goes out today.' })).statusCode).toBe(201);
    const tk = (await khalid.get(`/api/v1/portal/tickets/${number}`)).json();
    const bodies = tk.messages.map((m: { bodyText: string }) => m.bodyText);
    expect(bodies).toContain('We found your parcel; it goes out today.');
    expect(JSON.stringify(tk)).not.toContain('mislabelled');
    expect(tk.messages.find((m: { kind: string }) => m.kind === 'reply').author).toEqual({ type: 'agent', name: expect.any(String) });
    expect(tk.promise.respondedAt).not.toBeNull();
    expect((await khalid.get(`/api/v1/portal/attachments/${noteFile.id}`)).statusCode).toBe(404);
  });

  it('takes a reply with an attachment that the agent can open', async () => {
    const upload = multipart('receipt.txt', 'receipt 42');
    const up = await khalid.raw({ url: '/api/v1/portal/attachments', ...upload });
    expect(up.statusCode).toBe(201);
    const file = up.json();
    const res = await khalid.post(`/api/v1/portal/tickets/${number}/messages`, { bodyText: 'Here is the receipt.', attachmentIds: [file.id] });
    expect(res.statusCode).toBe(201);
    const mine = res.json().messages.at(-1);
    expect(mine).toMatchObject({ kind: 'customer', channel: 'portal', bodyText: 'Here is the receipt.', attachments: [{ filename: 'receipt.txt', size: 10 }] });
    const download = await khalid.get(mine.attachments[0].url);
    expect(download.statusCode).toBe(200);
    expect(download.body).toBe('receipt 42');

    const agentMessages = (await admin.get(`/api/v1/tickets/${number}/messages`)).json().items;
    const fromPortal = agentMessages.at(-1);
    expect(fromPortal).toMatchObject({ kind: 'customer', channel: 'portal', author: { type: 'contact' } });
    const agentDownload = await admin.get(fromPortal.attachments[0].url);
    expect(agentDownload.body).toBe('receipt 42');

    // Someone else's upload cannot be attached, nor one already used.
    const reuse = await khalid.post(`/api/v1/portal/tickets/${number}/messages`, { bodyText: 'again', attachmentIds: [file.id] });
    expect(reuse.statusCode).toBe(400);
    expect(reuse.json().errors[0]).toMatchObject({ field: 'attachmentIds', code: 'not_found' });
  });

  it('refuses an upload over the size cap with 413', async () => {
    const big = multipart('big.bin', 'x'.repeat(t.config.attachmentMaxBytes + 10), 'application/octet-stream');
    const res = await khalid.raw({ url: '/api/v1/portal/attachments', ...big });
    expect(res.statusCode).toBe(413);
  });

  it('shows a normal contact only their own tickets, and an account admin all of the account', async () => {
    const own = await colleague.post('/api/v1/portal/tickets', { subject: 'Need more labels', description: 'Please send 200 labels.', categoryId: ids.category('supplies') });
    expect(own.statusCode).toBe(201);
    const monaNumber = own.json().number;

    // Khalid is not an account admin: Mona's ticket is not his to see.
    const khalidList = (await khalid.get('/api/v1/portal/tickets')).json().items.map((x: { number: number }) => x.number);
    expect(khalidList).toContain(number);
    expect(khalidList).not.toContain(monaNumber);
    expect((await khalid.get(`/api/v1/portal/tickets/${monaNumber}`)).statusCode).toBe(404);
    expect((await colleague.get(`/api/v1/portal/tickets/${number}`)).statusCode).toBe(404);

    // An agent flags Mona as her account's administrator on the contact page.
    const contact = (await sara.get(`/api/v1/contacts/${colleagueId}`)).json();
    expect(contact.accountAdmin).toBe(false);
    const flagged = await sara.patch(`/api/v1/contacts/${colleagueId}`, { accountAdmin: true, version: contact.version });
    expect(flagged.statusCode).toBe(200);
    expect(flagged.json().accountAdmin).toBe(true);

    const monaList = (await colleague.get('/api/v1/portal/tickets')).json().items;
    const numbers = monaList.map((x: { number: number }) => x.number);
    expect(numbers).toContain(number);
    expect(numbers).toContain(monaNumber);
    expect(monaList.find((x: { number: number }) => x.number === number).requester.name).toBe('Khalid Al-Fanar');
    expect((await colleague.get(`/api/v1/portal/tickets/${number}`)).statusCode).toBe(200);
    const mineOnly = (await colleague.get('/api/v1/portal/tickets?scope=mine')).json().items.map((x: { number: number }) => x.number);
    expect(mineOnly).toEqual([monaNumber]);
    // Still nothing of other accounts.
    const priyaTicket = (await admin.get('/api/v1/tickets?limit=100')).json().items.find((x: { requester: { name: string } | null }) => x.requester?.name === 'Priya Nair');
    expect((await colleague.get(`/api/v1/portal/tickets/${priyaTicket.number}`)).statusCode).toBe(404);
  });

  it('needs a portal session for every ticket route', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/portal/tickets' });
    expect(res.statusCode).toBe(401);
  });
});
