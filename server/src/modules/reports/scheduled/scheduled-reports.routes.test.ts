/**
 * The weekly Customer Care Report and the monthly Key Account Report on a fixture whose figures
 * were worked out by hand, their CSV, and their PDF in English and Arabic checked as page images.
 *
 * Company time zone Asia/Riyadh (UTC+3). Key accounts: Al Fanar Trading (A), شركة الرياض
 * للإلكترونيات (B); Gulf Pharma (G) is not one. Week of Sunday 2 March 2025 (2025-03-01T21:00Z to
 * 2025-03-08T21:00Z), previous week from 23 February; month March 2025, previous February.
 *
 *   T4  A  claim      Mon 24 Feb 07:00Z   previous week, February
 *   T1  A  complaint  Mon  3 Mar 07:00Z   SLA resolution met (5 Mar)
 *   T2  A  supplies   Tue  4 Mar 07:00Z   SLA first response breached (4 Mar 10:00Z), escalated 11:00Z
 *   T5  G  supplies   Mon  3 Mar 08:00Z   not a key account: in no per-account row
 *   T3  B  claim      Wed  5 Mar 07:00Z   SLA resolution met (6 Mar)
 *   T6  A  supplies   Thu 20 Mar 07:00Z   March, not the week
 *
 * Weekly: A issues 2 (prev 1), complaints 1 (0), claims 0 (1), escalations 1 (0), SLA 1 of 2 = 50 %;
 *         B issues 1 (0), claims 1 (0), SLA 100 %; totals issues 3 (1), complaints 1 (0), claims 1 (1),
 *         SLA 2 met of 3 = 66.67 %; key-account tickets per day Mon 1, Tue 1, Wed 1, others 0;
 *         A's sales note of the week of Monday 3 March is in, the one of 10 March is not.
 * Monthly: ranking March A 1, B 2; February G 1, A 2 → A up one place, B new.
 *         A tickets 3 (Feb 1): complaint 1, supplies 2; B 1 (0): claim 1; SLA A 50 %, B 100 %, all 66.67 %;
 *         escalations 1 (0); proactive contacts A: March 1 done of 2 planned, February 1 of 1.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { MonthlyReportData, WeeklyReportData } from '@caredesk/contracts';
import { demoIds, startTestApp, type Client, type TestApp } from '../../../test/harness.js';
import { createTicket } from '../../tickets/index.js';
import { recordFact } from '../index.js';
import { ctxFor } from '../fixture.js';

let t: TestApp;
let manager: Client;
let agent: Client;
let ids: Awaited<ReturnType<typeof demoIds>>;
const tk: Record<string, string> = {};
let weeklyId = '';
let monthlyId = '';
const accountId: Record<string, string> = {};

beforeAll(async () => {
  // Web role only: no SLA worker adds breaches to the 2025 fixture while the test runs.
  t = await startTestApp({ CAREDESK_ROLES: 'web', CAREDESK_TIME_ZONE: 'Asia/Riyadh' });
  const admin = t.as(await t.login('admin@demo.caredesk.test'));
  manager = t.as(await t.login('manager@demo.caredesk.test'));
  agent = t.as(await t.login('hassan@demo.caredesk.test'));
  ids = await demoIds(admin);
  const db = t.database.db;
  const acc = await db.execute<{ id: string; name: string }>(sql`select id::text, name from accounts`);
  for (const a of acc.rows) {
    if (a.name === 'Al Fanar Trading') accountId.A = a.id;
    if (a.name === 'شركة الرياض للإلكترونيات') accountId.B = a.id;
    if (a.name === 'Gulf Pharma Distribution') accountId.G = a.id;
  }
  await db.execute(sql`update accounts set key_account = (id in (${accountId.A}::uuid, ${accountId.B}::uuid))`);
  await db.execute(sql`insert into key_account_memberships (month, account_id, rank, revenue) values
    ('2025-03-01', ${accountId.A}, 1, 500000), ('2025-03-01', ${accountId.B}, 2, 400000),
    ('2025-02-01', ${accountId.G}, 1, 600000), ('2025-02-01', ${accountId.A}, 2, 450000)`);
  const contactOf = async (account: string) =>
    (await db.execute<{ id: string }>(sql`select id::text from contacts where account_id = ${account} order by created_at limit 1`)).rows[0]!.id;
  const clock = { now: new Date() };
  const sara = await ctxFor(t, 'sara@demo.caredesk.test', clock);
  const open = async (name: string, account: string, category: string, when: string) => {
    clock.now = new Date(when);
    const shipment = { trackingNumber: `SA${name}`, shipperName: 'Shipper', shipperPhone: '+966500000001', consigneeName: 'Consignee', consigneePhone: '+966500000002' };
    const r = await createTicket(sara, { subject: `Fixture ${name}`, categoryId: ids.category(category), requesterId: await contactOf(account), groupId: ids.group('Key Accounts SA'), shipment });
    tk[name] = r.id;
  };
  await open('T4', accountId.A!, 'claim', '2025-02-24T07:00:00Z');
  await open('T1', accountId.A!, 'service-failure-complaint', '2025-03-03T07:00:00Z');
  await open('T2', accountId.A!, 'supplies', '2025-03-04T07:00:00Z');
  await open('T5', accountId.G!, 'supplies', '2025-03-03T08:00:00Z');
  await open('T3', accountId.B!, 'claim', '2025-03-05T07:00:00Z');
  await open('T6', accountId.A!, 'supplies', '2025-03-20T07:00:00Z');
  const fact = (kind: 'sla.met' | 'sla.breached' | 'escalated', ticket: string, target: string, at: string) =>
    recordFact(db, { kind, keyParts: [tk[ticket]!, target, at], ticketId: tk[ticket], target, occurredAt: new Date(at) });
  await fact('sla.met', 'T1', 'resolution', '2025-03-05T09:00:00Z');
  await fact('sla.breached', 'T2', 'first_response', '2025-03-04T10:00:00Z');
  await fact('escalated', 'T2', 'first_response', '2025-03-04T11:00:00Z');
  await fact('sla.met', 'T3', 'resolution', '2025-03-06T09:00:00Z');
  await db.execute(sql`insert into sales_meeting_notes (id, account_id, week, trends, problems, opportunities) values
    (gen_random_uuid(), ${accountId.A}, '2025-03-03', 'Volumes up before Ramadan', '=Late line-hauls to Jeddah', 'Cold-chain for the pharmacy line'),
    (gen_random_uuid(), ${accountId.A}, '2025-03-10', 'Next week', 'Not this report', 'Not this report')`);
  await db.execute(sql`insert into contact_tasks (id, account_id, kind, due_on, status) values
    (gen_random_uuid(), ${accountId.A}, 'call', '2025-03-10', 'done'), (gen_random_uuid(), ${accountId.A}, 'visit', '2025-03-17', 'open'),
    (gen_random_uuid(), ${accountId.A}, 'call', '2025-02-10', 'done')`);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('producing on demand', () => {
  it('lets only managers and admins produce, and answers a bad period with its field', async () => {
    expect((await agent.post('/api/v1/reports/archive', { kind: 'weekly_care', period: '2025-03-02' })).statusCode).toBe(403);
    const notSunday = await manager.post('/api/v1/reports/archive', { kind: 'weekly_care', period: '2025-03-03' });
    expect(notSunday.statusCode).toBe(400);
    expect(notSunday.json().errors[0].field).toBe('period');
    const future = await manager.post('/api/v1/reports/archive', { kind: 'monthly_key_accounts', period: '2099-01' });
    expect(future.statusCode).toBe(400);
  });

  it('produces the weekly report once: asking again returns the archived one', async () => {
    const first = await manager.post('/api/v1/reports/archive', { kind: 'weekly_care', period: '2025-03-02' });
    expect(first.statusCode).toBe(201);
    weeklyId = first.json().report.id;
    const again = await manager.post('/api/v1/reports/archive', { kind: 'weekly_care', period: '2025-03-02' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ created: false, report: { id: weeklyId } });
    const m = await manager.post('/api/v1/reports/archive', { kind: 'monthly_key_accounts', period: '2025-03' });
    expect(m.statusCode).toBe(201);
    monthlyId = m.json().report.id;
  });
});

describe('weekly Customer Care Report content', () => {
  it('has the hand-computed figures per key account and in total', async () => {
    const r = await manager.get(`/api/v1/reports/archive/${weeklyId}`);
    expect(r.statusCode).toBe(200);
    const d = r.json().data as WeeklyReportData;
    expect(d.from).toBe('2025-03-01T21:00:00.000Z');
    expect(d.to).toBe('2025-03-08T21:00:00.000Z');
    expect(d.previousFrom).toBe('2025-02-22T21:00:00.000Z');
    expect(d.accounts.map((a) => a.id).sort()).toEqual([accountId.A, accountId.B].sort());
    const A = d.accounts.find((a) => a.id === accountId.A)!;
    const B = d.accounts.find((a) => a.id === accountId.B)!;
    expect(A.issues).toEqual({ value: 2, previous: 1 });
    expect(A.contacts).toEqual({ value: 2, previous: 1 });
    expect(A.complaints).toEqual({ value: 1, previous: 0 });
    expect(A.claims).toEqual({ value: 0, previous: 1 });
    expect(A.escalations).toEqual({ value: 1, previous: 0 });
    expect(A.slaCompliance.value).toBe(50);
    expect(B.issues).toEqual({ value: 1, previous: 0 });
    expect(B.claims).toEqual({ value: 1, previous: 0 });
    expect(B.slaCompliance.value).toBe(100);
    expect(d.totals.issues).toEqual({ value: 3, previous: 1 });
    expect(d.totals.complaints).toEqual({ value: 1, previous: 0 });
    expect(d.totals.claims).toEqual({ value: 1, previous: 1 });
    expect(d.totals.escalations).toEqual({ value: 1, previous: 0 });
    expect(d.totals.slaCompliance).toEqual({ value: 66.67, previous: null });
    expect(d.claimsTracked).toBe(true);
    expect(d.daily.map((x) => [x.day, x.value])).toEqual([
      ['2025-03-02', 0],
      ['2025-03-03', 1],
      ['2025-03-04', 1],
      ['2025-03-05', 1],
      ['2025-03-06', 0],
      ['2025-03-07', 0],
      ['2025-03-08', 0],
    ]);
    expect(A.notes).toEqual([{ week: '2025-03-03', trends: 'Volumes up before Ramadan', problems: '=Late line-hauls to Jeddah', opportunities: 'Cold-chain for the pharmacy line' }]);
    expect(B.notes).toEqual([]);
  });

  it('exports CSV with formula-looking cells neutralised', async () => {
    const r = await manager.get(`/api/v1/reports/archive/${weeklyId}/export.csv`);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('text/csv');
    expect(r.body).toContain('weekly_care,2025-03-02,,ALL,issues,,3,1,2');
    expect(r.body).toContain("'=Late line-hauls to Jeddah"); // the note's leading = made harmless
    expect(r.body).not.toMatch(/,=Late/);
  });
});

describe('monthly Key Account Report content', () => {
  it('has each key account with categories, SLA, escalations, proactive contacts and revenue rank change', async () => {
    const d = (await manager.get(`/api/v1/reports/archive/${monthlyId}`)).json().data as MonthlyReportData;
    expect(d.previousFrom).toBe('2025-01-31T21:00:00.000Z');
    expect(d.accounts.map((a) => [a.id, a.rank, a.previousRank])).toEqual([
      [accountId.A, 1, 2],
      [accountId.B, 2, null],
    ]);
    const [A, B] = d.accounts as [MonthlyReportData['accounts'][0], MonthlyReportData['accounts'][0]];
    expect(A.tickets).toEqual({ value: 3, previous: 1 });
    expect(A.byCategory.map((c) => [c.en, c.value])).toEqual([
      ['Supplies', 2],
      ['Service-failure complaint', 1],
    ]);
    expect(A.byCategory[0]!.ar).toBe('مستلزمات');
    expect(A.slaCompliance.value).toBe(50);
    expect(A.escalations).toEqual({ value: 1, previous: 0 });
    expect(A.proactive).toEqual({ done: 1, planned: 2, previousDone: 1, previousPlanned: 1 });
    expect(B.tickets).toEqual({ value: 1, previous: 0 });
    expect(B.byCategory.map((c) => [c.en, c.value])).toEqual([['Claim', 1]]);
    expect(B.slaCompliance.value).toBe(100);
    expect(d.totals.tickets).toEqual({ value: 4, previous: 1 });
    expect(d.totals.slaCompliance.value).toBe(66.67);
    expect(d.totals.proactiveDone).toEqual({ value: 1, previous: 1 });
    expect(d.totals.proactivePlanned).toEqual({ value: 2, previous: 1 });
  });
});

describe('PDF', () => {
  const cases = [
    ['weekly', 'en', 'Weekly Customer Care Report'],
    ['weekly', 'ar', 'تقرير خدمة العملاء الأسبوعي'],
    ['monthly', 'en', 'Monthly Key Account Report'],
    ['monthly', 'ar', 'تقرير كبار العملاء الشهري'],
  ] as const;
  for (const [which, lang, title] of cases) {
    it(`renders the ${which} report in ${lang} with its charts: pages, text and a non-blank image`, async () => {
      const id = which === 'weekly' ? weeklyId : monthlyId;
      const r = await manager.get(`/api/v1/reports/archive/${id}/report.pdf?lang=${lang}`);
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toBe('application/pdf');
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'caredesk-pdf-'));
      const file = path.join(dir, `${which}-${lang}.pdf`);
      await fs.writeFile(file, r.rawPayload);
      const info = execFileSync('pdfinfo', [file]).toString();
      const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
      expect(pages).toBeGreaterThanOrEqual(1);
      expect(pages).toBeLessThanOrEqual(4);
      const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
      // Arabic comes back as shaped letters in logical order; pdftotext splits the lam-alef ligature
      // (لا) in visual order, so both sides are compared without lam and alef.
      const plain = (x: string) => x.replace(/[\u202a-\u202e\u200e\u200f]/g, '').replace(/[لاأإآ]/g, '').replace(/\s+/g, ' ');
      expect(plain(text)).toContain(plain(title));
      expect(text).toContain('Al Fanar Trading');
      execFileSync('pdftoppm', ['-png', '-r', '60', file, path.join(dir, 'page')]);
      const pngs = (await fs.readdir(dir)).filter((f) => f.endsWith('.png')).sort();
      expect(pngs.length).toBe(pages);
      // Non-blank: a page of text and charts has many distinct colours; a blank one has one.
      const colours = execFileSync('python3', ['-c', PNG_COLOURS, path.join(dir, pngs[0]!)]).toString().trim();
      expect(Number(colours)).toBeGreaterThan(20);
      if (process.env.CAREDESK_KEEP_PDF) await fs.cp(dir, path.join(process.env.CAREDESK_KEEP_PDF, `${which}-${lang}`), { recursive: true });
      await fs.rm(dir, { recursive: true, force: true });
    }, 60_000);
  }

  it('answers 503 with a reason when Chromium is missing, and the rest still works', async () => {
    const saved = t.config.chromiumPath;
    (t.config as { chromiumPath: string }).chromiumPath = '/nonexistent/chromium';
    try {
      const r = await manager.get(`/api/v1/reports/archive/${weeklyId}/report.pdf`);
      expect(r.statusCode).toBe(503);
      expect(r.json().code).toBe('reports.pdf_unavailable');
      expect((await manager.get(`/api/v1/reports/archive/${weeklyId}/export.csv`)).statusCode).toBe(200);
    } finally {
      (t.config as { chromiumPath: string }).chromiumPath = saved;
    }
  });
});

describe('recipients', () => {
  it('keeps a list per report kind; only managers and admins change it; duplicates are a 400 on their row', async () => {
    expect((await agent.get('/api/v1/reports/recipients')).statusCode).toBe(403);
    const put = await manager.put('/api/v1/reports/recipients/weekly_care', { recipients: [{ email: 'csm@example.com', language: 'en' }, { email: 'ops@example.com', language: 'ar' }] });
    expect(put.statusCode).toBe(200);
    expect(put.json().weekly_care).toHaveLength(2);
    const dup = await manager.put('/api/v1/reports/recipients/monthly_key_accounts', { recipients: [{ email: 'a@example.com', language: 'en' }, { email: 'A@example.com', language: 'en' }] });
    expect(dup.statusCode).toBe(400);
    expect(dup.json().errors[0].field).toBe('recipients.1.email');
    const bad = await manager.put('/api/v1/reports/recipients/weekly_care', { recipients: [{ email: 'not an address', language: 'en' }] });
    expect(bad.statusCode).toBe(400);
  });
});

/** Counts distinct colours of a PNG with the standard library only (zlib + the PNG filters). */
const PNG_COLOURS = `
import sys, zlib, struct
data = open(sys.argv[1], 'rb').read()
pos, idat, w, h, ct = 8, b'', 0, 0, 0
while pos < len(data):
    n = struct.unpack('>I', data[pos:pos+4])[0]; typ = data[pos+4:pos+8]; body = data[pos+8:pos+8+n]
    if typ == b'IHDR': w, h, bd, ct = struct.unpack('>IIBB', body[:10])
    if typ == b'IDAT': idat += body
    pos += 12 + n
bpp = {2: 3, 6: 4, 0: 1, 4: 2}[ct]
raw = zlib.decompress(idat); stride = w * bpp; prev = bytearray(stride); colours = set(); i = 0
for y in range(h):
    f = raw[i]; line = bytearray(raw[i+1:i+1+stride]); i += 1 + stride
    for x in range(stride):
        a = line[x-bpp] if x >= bpp else 0; b = prev[x]; c = prev[x-bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p-a), abs(p-b), abs(p-c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    prev = line
    for x in range(0, stride, bpp): colours.add(bytes(line[x:x+bpp]))
print(len(colours))
`;
