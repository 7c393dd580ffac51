import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { startTestApp, demoIds, type Client, type TestApp } from '../../test/harness.js';

let t: TestApp;
let manager: Client;
let managerToken: string;
beforeAll(async () => {
  t = await startTestApp();
  managerToken = await t.login('manager@demo.caredesk.test');
  manager = t.as(managerToken);
});
afterAll(() => t?.close());

function upload(token: string, csv: string, fields: Record<string, string> = {}, filename = 'revenue.csv', language = 'en') {
  const b = '----cdrevenue';
  let body = '';
  for (const [k, v] of Object.entries(fields)) body += `--${b}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`;
  body += `--${b}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${b}--\r\n`;
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/revenue/imports',
    headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${b}`, 'accept-language': language },
    payload: body,
  });
}

async function revenueSnapshot(month: string) {
  const r = await t.database.db.execute<{ n: number; total: string; digest: string }>(sql`
    select count(*)::int as n, coalesce(sum(amount), 0)::text as total,
      md5(coalesce(string_agg(account_id::text || amount::text || currency, ',' order by account_id), '')) as digest
    from revenue_entries where month = ${month}`);
  return r.rows[0]!;
}

describe('revenue import', () => {
  it('imports a 10,000-row file, reports its 5 bad rows by row number, and changes nothing when imported again', async () => {
    const lines = ['external_id,name,month,revenue,currency'];
    for (let i = 0; i < 10_000; i++) lines.push(`BULK-${i},Bulk Customer ${i},2031-01,${1000 + i}.25,SAR`);
    lines[101] = 'BULK-100,Bulk Customer 100,2031-13,5,SAR'; // row 102
    lines[2001] = 'BULK-2000,Bulk Customer 2000,2031-01,lots,SAR'; // row 2002
    lines[5001] = 'BULK-5000,Bulk Customer 5000,2031-01,10,RIYAL'; // row 5002
    lines[7001] = ',,2031-01,10,SAR'; // row 7002
    lines[9001] = 'BULK-0,Bulk Customer 0,2031-01,10,SAR'; // row 9002: BULK-0 already has January
    const csv = lines.join('\n');

    const first = await upload(managerToken, csv, { createUnknown: 'true' });
    expect(first.statusCode).toBe(201);
    const report = first.json();
    expect(report).toMatchObject({ rows: 10_000, imported: 9_995, rejected: 5, createdAccounts: 9_995, months: ['2031-01'] });
    expect(report.rejections.map((r: { row: number }) => r.row)).toEqual([102, 2002, 5002, 7002, 9002]);
    expect(report.rejections[0].reason).toMatch(/month/);
    expect(report.rejections[4].reason).toMatch(/row 2/);
    // Codes and values for the interface to word the reason in its own language.
    expect(report.rejections.map((r: { code: string; params: object }) => [r.code, r.params])).toEqual([
      ['bad_month', { value: '2031-13' }],
      ['bad_amount', { value: 'lots' }],
      ['bad_currency', { value: 'RIYAL' }],
      ['no_account', {}],
      ['duplicate_month', { month: '2031-01', first: 2 }],
    ]);
    const before = await revenueSnapshot('2031-01-01');
    expect(before.n).toBe(9_995);

    const again = (await upload(managerToken, csv, { createUnknown: 'false' })).json();
    expect(again).toMatchObject({ imported: 9_995, rejected: 5, createdAccounts: 0 });
    expect(await revenueSnapshot('2031-01-01')).toEqual(before);
  }, 120_000);

  it('rejects unknown accounts unless asked to create them', async () => {
    const csv = 'external_id,month,revenue,currency\nNOPE-1,2031-02,100,SAR\n';
    const res = (await upload(managerToken, csv)).json();
    expect(res).toMatchObject({ imported: 0, rejected: 1 });
    expect(res.rejections[0]).toEqual({ row: 2, code: 'unknown_account', params: { externalId: 'NOPE-1' }, reason: 'unknown account with external id "NOPE-1"' });
  });

  it('refuses a file without the needed columns naming the field, and agents may not import', async () => {
    const bad = await upload(managerToken, 'name,amount\nX,1\n');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('file');
    expect(bad.json().errors[0].message).toMatch(/month/);
    // In Arabic, and for a file that is not CSV at all, where the parser's own words are English.
    await t.as(managerToken).patch('/api/v1/me', { language: 'ar' });
    const arabic = await upload(managerToken, 'name,amount\nX,1\n', {}, 'revenue.csv', 'ar');
    expect(arabic.json().errors[0].message).toContain('عمود ناقص');
    const broken = await upload(managerToken, 'name,month,revenue,currency\n"X,2031-01,1,SAR\n', {}, 'revenue.csv', 'ar');
    expect(broken.statusCode).toBe(400);
    expect(broken.json().errors[0].message).toMatch(/الملف ليس بصيغة CSV: .*السطر \d/);
    await t.as(managerToken).patch('/api/v1/me', { language: 'en' });
    const omar = await t.login('omar@demo.caredesk.test');
    expect((await upload(omar, 'name,month,revenue,currency\nX,2031-01,1,SAR\n')).statusCode).toBe(403);
  });
});

describe('monthly ranking', () => {
  const acc: Record<string, string> = {};
  beforeAll(async () => {
    for (const [key, name, officer] of [
      ['a', 'Rank Alpha', 'sara'],
      ['b', 'Rank Bravo', null],
      ['c', 'Rank Charlie', null],
      ['d', 'Rank Delta', null],
    ] as const) {
      const ids = await demoIds(manager);
      const res = await manager.post('/api/v1/accounts', { name, externalId: `RANK-${key}`, countryCode: 'SA', ...(officer ? { officerId: ids.user(officer) } : {}) });
      acc[key] = res.json().id;
    }
    // December 2039: Alpha and Bravo tie on 1000 SAR; Charlie's 300 EUR is 1125 SAR; Delta trails.
    const csv = [
      'external_id,month,revenue,currency',
      'RANK-a,2039-12,1000,SAR',
      'RANK-b,2039-12,1000,SAR',
      'RANK-c,2039-12,300,EUR',
      'RANK-d,2039-12,10,SAR',
      'RANK-a,2040-01,50,SAR',
      'RANK-b,2040-01,900,SAR',
      'RANK-c,2040-01,2000,SAR',
      'RANK-d,2040-01,800,SAR',
    ].join('\n');
    expect((await upload(managerToken, csv)).json().rejected).toBe(0);
  });

  it('refuses to rank while a currency has no rate, naming it', async () => {
    const res = await manager.post('/api/v1/key-accounts/rankings', { month: '2040-01', topN: 2 });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('key_accounts.missing_rates');
    expect(res.json().detail).toMatch(/EUR/);
  });

  it('converts with the admin rates and breaks ties by name; the officer is kept or given in turn', async () => {
    const put = await t.app.inject({ method: 'PUT', url: '/api/v1/currency-rates', headers: { authorization: `Bearer ${managerToken}` }, payload: { items: [{ currency: 'eur', rate: 3.75 }] } });
    expect(put.statusCode).toBe(200);
    const res = await manager.post('/api/v1/key-accounts/rankings', { month: '2040-01', topN: 2 });
    expect(res.statusCode).toBe(200);
    const r = res.json();
    expect(r.revenueMonth).toBe('2039-12');
    expect(r.members.map((m: { accountId: string }) => m.accountId)).toEqual([acc.c, acc.a]);
    expect(r.members[0].revenue).toBe(1125);
    const ids = await demoIds(manager);
    expect(r.members[1].officerId).toBe(ids.user('sara'));
    // Charlie had no officer: it gets one of the Key Accounts group's members.
    expect([ids.user('sara'), ids.user('layla')]).toContain(r.members[0].officerId);
    const account = (await manager.get(`/api/v1/accounts/${acc.c}`)).json();
    expect(account.keyAccount).toBe(true);
    expect(account.officerId).toBe(r.members[0].officerId);
  });

  it('running the same month twice gives one result', async () => {
    const first = (await manager.post('/api/v1/key-accounts/rankings', { month: '2040-01', topN: 2 })).json();
    const second = (await manager.post('/api/v1/key-accounts/rankings', { month: '2040-01', topN: 2 })).json();
    expect(second.members).toEqual(first.members);
    const n = await t.database.db.execute<{ m: number; notes: number }>(sql`
      select (select count(*)::int from key_account_memberships where month = '2040-01-01') as m,
             (select count(*)::int from key_account_notifications where month = '2040-01-01') as notes`);
    expect(n.rows[0]!.m).toBe(2);
    const again = (await manager.get('/api/v1/key-accounts/notifications')).json().items.filter((x: { month: string }) => x.month === '2040-01');
    expect(again).toHaveLength(2);
    expect(n.rows[0]!.notes).toBeGreaterThanOrEqual(2);
  });

  it('an account that falls out of the top N leaves, the others enter, and managers and officers are told', async () => {
    // The manager's workspace is open: the change reaches its bell over the realtime socket.
    const ws = await t.app.injectWS('/api/v1/realtime', { headers: { authorization: `Bearer ${managerToken}` } });
    const pushed: { topic: string; event: { type: string; month: string } }[] = [];
    ws.on('message', (d) => {
      const f = JSON.parse(String(d));
      if (f.type === 'event' && f.event?.type === 'key_accounts.notification') pushed.push(f);
    });
    const r = (await manager.post('/api/v1/key-accounts/rankings', { month: '2040-02', topN: 2 })).json();
    for (let i = 0; i < 50 && !pushed.length; i++) await new Promise((done) => setTimeout(done, 100));
    ws.terminate();
    expect(pushed.map((p) => p.event.month)).toEqual(['2040-02']);
    expect(pushed[0]!.topic).toMatch(/^user:/);
    expect(r.members.map((m: { accountId: string }) => m.accountId)).toEqual([acc.c, acc.b]);
    expect(r.left).toEqual([acc.a]);
    expect(r.entered).toEqual([acc.b]);
    expect((await manager.get(`/api/v1/accounts/${acc.a}`)).json().keyAccount).toBe(false);

    const notes = (await manager.get('/api/v1/key-accounts/notifications')).json().items.filter((x: { month: string }) => x.month === '2040-02');
    expect(notes.map((n: { accountName: string; change: string }) => `${n.accountName}:${n.change}`).sort()).toEqual(['Rank Alpha:left', 'Rank Bravo:entered']);
    const sara = t.as(await t.login('sara@demo.caredesk.test'));
    const saras = (await sara.get('/api/v1/key-accounts/notifications')).json().items;
    expect(saras.some((n: { accountName: string; change: string; month: string }) => n.accountName === 'Rank Alpha' && n.change === 'left' && n.month === '2040-02')).toBe(true);
  });

  it("marks a person's own key-account notifications read, one or all, and no one else's", async () => {
    const sara = t.as(await t.login('sara@demo.caredesk.test'));
    const unread = async (c: Client) => ((await c.get('/api/v1/key-accounts/notifications')).json().items as { id: string; readAt: string | null }[]).filter((n) => !n.readAt);
    const mine = await unread(manager);
    expect(mine.length).toBeGreaterThan(1);
    expect((await sara.post(`/api/v1/key-accounts/notifications/${mine[0]!.id}/read`)).statusCode).toBe(404);
    expect((await manager.post(`/api/v1/key-accounts/notifications/${mine[0]!.id}/read`)).statusCode).toBe(204);
    expect((await manager.post(`/api/v1/key-accounts/notifications/${mine[0]!.id}/read`)).statusCode).toBe(204);
    expect(await unread(manager)).toHaveLength(mine.length - 1);
    const saraBefore = (await unread(sara)).length;
    expect((await manager.post('/api/v1/key-accounts/notifications/read-all')).json()).toEqual({ marked: mine.length - 1 });
    expect(await unread(manager)).toEqual([]);
    expect(await unread(sara)).toHaveLength(saraBefore);
  });

  it('keeps the membership of every month', async () => {
    const jan = (await manager.get('/api/v1/key-accounts?month=2040-01')).json();
    const feb = (await manager.get('/api/v1/key-accounts?month=2040-02')).json();
    expect(jan.items.map((i: { name: string }) => i.name)).toEqual(['Rank Charlie', 'Rank Alpha']);
    expect(feb.items.map((i: { name: string; entered: boolean }) => [i.name, i.entered])).toEqual([
      ['Rank Charlie', false],
      ['Rank Bravo', true],
    ]);
    expect(feb.left.map((i: { name: string }) => i.name)).toEqual(['Rank Alpha']);
    const overview = (await manager.get(`/api/v1/accounts/${acc.c}/overview`)).json();
    expect(overview.rankHistory.map((h: { month: string; rank: number }) => `${h.month}#${h.rank}`)).toEqual(['2040-02#1', '2040-01#1']);
    expect(overview.revenue.find((x: { month: string }) => x.month === '2039-12').converted).toBe(1125);
  });

  it('on a tie, last month\'s key account stays ahead of a newcomer with the same revenue', async () => {
    const csv = 'external_id,month,revenue,currency\nRANK-a,2040-02,700,SAR\nRANK-b,2040-02,700,SAR\nRANK-c,2040-02,5000,SAR\n';
    expect((await upload(managerToken, csv)).json().imported).toBe(3);
    const r = (await manager.post('/api/v1/key-accounts/rankings', { month: '2040-03', topN: 2 })).json();
    // Alpha sorts before Bravo by name, but Bravo was a key account in February and keeps its place.
    expect(r.members.map((m: { accountId: string }) => m.accountId)).toEqual([acc.c, acc.b]);
  });
});
