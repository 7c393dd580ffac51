/**
 * The schedule: exactly one report per (kind, period) with two CareDesk processes on one
 * PostgreSQL, and catching up after downtime with an injected clock. Emails are queued once per
 * recipient and, with no relay configured, wait in the outbox with the PDF composed at send time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openDatabase, type Database } from '../../../platform/db/index.js';
import { startCareDesk, type CareDesk } from '../../../main/runtime.js';
import { startTestApp, type Client, type TestApp } from '../../../test/harness.js';
import { produceDue, reportMailComposer } from './archive.js';
import { latestDue, nextPeriod, parsePeriod } from './periods.js';

const pg = !!process.env.DATABASE_URL;
let t: TestApp;
let second: { database: Database; caredesk: CareDesk } | null = null;
let manager: Client;

async function rows(db: Database['db'], kind: string) {
  const r = await db.execute<{ period: string; n: string }>(sql`select period, count(*) as n from report_archive where kind = ${kind} group by 1 order by 1`);
  return r.rows.map((x) => [x.period, Number(x.n)] as const);
}

async function waitFor<T>(f: () => Promise<T | null | undefined | false>, ms = 60_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  t = await startTestApp({ CAREDESK_TIME_ZONE: 'Asia/Riyadh' });
  manager = t.as(await t.login('manager@demo.caredesk.test'));
  if (pg) {
    // A second process on the same database and schema: its own pool, jobs and worker.
    const database = await openDatabase(t.config);
    const caredesk = await startCareDesk(t.config, database, () => {});
    second = { database, caredesk };
  }
}, 120_000);

afterAll(async () => {
  if (second) {
    await second.caredesk.close();
    await second.database.close();
  }
  await t?.close();
});

describe('the schedule', () => {
  it('on start, a new installation produces the latest due period of each report, once', async () => {
    const now = new Date();
    const weekly = latestDue('weekly_care', now, 'Asia/Riyadh').id;
    const monthly = latestDue('monthly_key_accounts', now, 'Asia/Riyadh').id;
    await waitFor(async () => (await rows(t.database.db, 'weekly_care')).length && (await rows(t.database.db, 'monthly_key_accounts')).length);
    // Give the second process's catch-up job time to run too.
    await new Promise((r) => setTimeout(r, 3000));
    expect(await rows(t.database.db, 'weekly_care')).toEqual([[weekly, 1]]);
    expect(await rows(t.database.db, 'monthly_key_accounts')).toEqual([[monthly, 1]]);
  }, 90_000);

  it.skipIf(!pg)('two processes catching up at once produce each missed period exactly once, and queue each email once', async () => {
    await manager.put('/api/v1/reports/recipients/weekly_care', { recipients: [{ email: 'csm@example.com', language: 'en' }, { email: 'nsm@example.com', language: 'ar' }] });
    const [[last]] = [await rows(t.database.db, 'weekly_care')];
    const lastP = parsePeriod('weekly_care', last![0], 'Asia/Riyadh')!;
    // Five weeks of downtime later.
    let p = lastP;
    for (let i = 0; i < 5; i++) p = nextPeriod(p);
    const later = new Date(p.end.getTime() + 7 * 3_600_000);
    const deps = (db: Database['db']) => ({ db, config: t.config, now: () => later });
    const [a, b] = await Promise.all([produceDue(deps(t.database.db), 'weekly_care'), produceDue(deps(second!.database.db), 'weekly_care')]);
    const produced = [...a, ...b].sort();
    expect(produced).toHaveLength(5);
    expect(new Set(produced).size).toBe(5);
    const all = await rows(t.database.db, 'weekly_care');
    expect(all).toHaveLength(6);
    expect(all.every(([, n]) => n === 1)).toBe(true);
    const mails = await t.database.db.execute<{ period: string; to: string; status: string; n: string }>(sql`
      select a.period, m.to_addresses[1] as to, m.status, count(*) as n from report_deliveries d
      join report_archive a on a.id = d.archive_id join email_messages m on m.id = d.email_message_id
      where m.ticket_id is null and m.purpose = 'report' group by 1, 2, 3 order by 1, 2`);
    expect(mails.rows).toHaveLength(10);
    expect(mails.rows.every((m) => Number(m.n) === 1 && m.status === 'no_relay')).toBe(true);
  }, 120_000);

  it('catches up missed months after downtime with an injected clock, and then has nothing to do', async () => {
    const [[last]] = [await rows(t.database.db, 'monthly_key_accounts')];
    let p = parsePeriod('monthly_key_accounts', last![0], 'Asia/Riyadh')!;
    const expected: string[] = [];
    for (let i = 0; i < 3; i++) {
      p = nextPeriod(p);
      expected.push(p.id);
    }
    // Down until the 1st after those three months, 05:59 Riyadh: the third is not due yet.
    const before = new Date(p.end.getTime() + 5 * 3_600_000 + 59 * 60_000);
    const deps = (now: Date) => ({ db: t.database.db, config: t.config, now: () => now });
    expect(await produceDue(deps(before), 'monthly_key_accounts')).toEqual(expected.slice(0, 2));
    const after = new Date(p.end.getTime() + 6 * 3_600_000);
    expect(await produceDue(deps(after), 'monthly_key_accounts')).toEqual(expected.slice(2));
    expect(await produceDue(deps(after), 'monthly_key_accounts')).toEqual([]);
  }, 120_000);

  it('composes a queued report email in the recipient language with the PDF and CSV attached', async () => {
    await manager.put('/api/v1/reports/recipients/monthly_key_accounts', { recipients: [{ email: 'sa@example.com', language: 'ar' }] });
    const gen = await manager.post('/api/v1/reports/archive', { kind: 'monthly_key_accounts', period: '2024-01' });
    expect(gen.statusCode).toBe(201);
    expect(gen.json().report.deliveries).toBe(1);
    const [m] = (
      await t.database.db.execute<{ id: string; status: string; subject: string }>(sql`
        select m.id::text, m.status, m.subject from report_deliveries d join email_messages m on m.id = d.email_message_id
        where d.archive_id = ${gen.json().report.id}`)
    ).rows;
    expect(m!.status).toBe('no_relay');
    expect(m!.subject).toContain('تقرير كبار العملاء الشهري');
    const mail = await reportMailComposer(t.config)(t.database.db, m!.id);
    expect(mail!.html).toContain('dir="rtl"');
    expect(mail!.attachments.map((a) => a.contentType)).toEqual(['application/pdf', 'text/csv; charset=utf-8']);
    expect(mail!.attachments[0]!.data.subarray(0, 5).toString()).toBe('%PDF-');
  }, 60_000);
});
