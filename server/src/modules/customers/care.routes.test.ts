import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type Client, type TestApp } from '../../test/harness.js';

let t: TestApp;
let sara: Client;
let layla: Client;
let omar: Client;
let alfanar: string;
beforeAll(async () => {
  t = await startTestApp();
  sara = t.as(await t.login('sara@demo.caredesk.test'));
  layla = t.as(await t.login('layla@demo.caredesk.test'));
  omar = t.as(await t.login('omar@demo.caredesk.test'));
  alfanar = (await sara.get('/api/v1/accounts?q=Al%20Fanar')).json().items[0].id;
});
afterAll(() => t?.close());

describe('proactive contact plan', () => {
  it("shows the officer today's call, logs its outcome and schedules the next one a cadence later", async () => {
    const mine = (await sara.get('/api/v1/contact-tasks?scope=mine&status=open')).json().items;
    const call = mine.find((x: { accountId: string; kind: string }) => x.accountId === alfanar && x.kind === 'call');
    expect(call).toMatchObject({ dueToday: true, overdue: false, accountName: 'Al Fanar Trading' });

    const done = await sara.post(`/api/v1/contact-tasks/${call.id}/complete`, { outcome: 'Spoke with Khalid: happy with the Jeddah recovery.' });
    expect(done.statusCode).toBe(200);
    expect(done.json().status).toBe('done');
    const again = await sara.post(`/api/v1/contact-tasks/${call.id}/complete`, { outcome: 'twice' });
    expect(again.statusCode).toBe(409);

    const next = (await sara.get(`/api/v1/accounts/${alfanar}/contact-tasks`)).json().items.filter((x: { status: string }) => x.status === 'open');
    const days = (Date.parse(next[0].dueOn) - Date.parse(call.dueOn)) / 86_400_000;
    expect(days).toBe(7);
  });

  it('lets supervisors see overdue tasks, and not agents', async () => {
    const overdue = (await layla.get('/api/v1/contact-tasks?scope=overdue')).json().items;
    expect(overdue.some((x: { kind: string; overdue: boolean }) => x.kind === 'visit' && x.overdue)).toBe(true);
    expect((await omar.get('/api/v1/contact-tasks?scope=overdue')).statusCode).toBe(403);
  });

  it('only the officer or a supervisor plans calls for an account, with bad input named', async () => {
    expect((await omar.post(`/api/v1/accounts/${alfanar}/contact-plans`, { kind: 'call', everyDays: 7 })).statusCode).toBe(403);
    const bad = await sara.post(`/api/v1/accounts/${alfanar}/contact-plans`, { kind: 'call', everyDays: 0 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('everyDays');
  });
});

describe('supplies and sales meeting notes', () => {
  it('flags an undelivered request past its date, and clears it when delivered', async () => {
    const list = (await sara.get(`/api/v1/accounts/${alfanar}/supplies`)).json().items;
    expect(list[0]).toMatchObject({ status: 'requested', overdue: true });
    const skip = await sara.patch(`/api/v1/supplies/${list[0].id}`, { version: list[0].version, status: 'delivered' });
    expect(skip.json()).toMatchObject({ status: 'delivered', overdue: false });
    expect(skip.json().deliveredOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const back = await sara.patch(`/api/v1/supplies/${list[0].id}`, { version: skip.json().version, status: 'dispatched' });
    expect(back.statusCode).toBe(400);
    expect(back.json().errors[0].field).toBe('status');
  });

  it('keeps one note per account and week', async () => {
    const a = await t.app.inject({ method: 'PUT', url: `/api/v1/accounts/${alfanar}/sales-notes`, headers: { authorization: `Bearer ${await t.login('sara@demo.caredesk.test')}` }, payload: { week: '2026-03-04', trends: 'up' } });
    expect(a.json().week).toBe('2026-03-02');
    const b = await t.app.inject({ method: 'PUT', url: `/api/v1/accounts/${alfanar}/sales-notes`, headers: { authorization: `Bearer ${await t.login('sara@demo.caredesk.test')}` }, payload: { week: '2026-03-06', trends: 'flat' } });
    expect(b.json().id).toBe(a.json().id);
    const notes = (await sara.get(`/api/v1/accounts/${alfanar}/sales-notes`)).json().items;
    expect(notes.filter((n: { week: string }) => n.week === '2026-03-02')).toHaveLength(1);
  });
});
