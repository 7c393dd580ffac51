import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type Client, type TestApp } from '../../test/harness.js';

let t: TestApp;
let admin: Client;
let agent: Client;
beforeAll(async () => {
  t = await startTestApp();
  admin = t.as(await t.login('admin@demo.caredesk.test'));
  agent = t.as(await t.login('sara@demo.caredesk.test'));
});
afterAll(() => t?.close());

describe('categories and reason codes', () => {
  it('ships the categories of the Key Accounts policy, shipment ones marked', async () => {
    const items = (await agent.get('/api/v1/categories')).json().items as { key: string; shipmentRelated: boolean }[];
    const shipment = items.filter((c) => c.shipmentRelated).map((c) => c.key).sort();
    expect(shipment).toEqual(['address-change', 'booking', 'claim', 'service-failure-complaint', 'special-advance-notice', 'trace']);
    expect(items.find((c) => c.key === 'general-inquiry')?.shipmentRelated).toBe(false);
  });

  it('lets an admin add and edit a category, and an inactive one cannot be used for new tickets', async () => {
    const made = await admin.post('/api/v1/categories', { key: 'returns', nameEn: 'Returns', nameAr: 'المرتجعات', shipmentRelated: true });
    expect(made.statusCode, made.body).toBe(201);
    const dup = await admin.post('/api/v1/categories', { key: 'returns', nameEn: 'x', nameAr: 'x', shipmentRelated: false });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().errors[0].field).toBe('key');
    const off = await admin.patch(`/api/v1/categories/${made.json().id}`, { active: false });
    expect(off.json().active).toBe(false);
    expect((await agent.get('/api/v1/categories')).json().items.map((c: { key: string }) => c.key)).not.toContain('returns');
    expect((await admin.get('/api/v1/categories?includeInactive=true')).json().items.map((c: { key: string }) => c.key)).toContain('returns');
    const ticket = await agent.post('/api/v1/tickets', {
      subject: 'x',
      categoryId: made.json().id,
      requester: { email: 'khalid@alfanar-trading.example' },
    });
    expect(ticket.statusCode).toBe(400);
    expect(ticket.json().errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`)).toContain('categoryId:inactive');
  });

  it('keeps the lists to admins', async () => {
    expect((await agent.post('/api/v1/reason-codes', { code: 'x', nameEn: 'x', nameAr: 'x' })).statusCode).toBe(403);
    const rc = await admin.post('/api/v1/reason-codes', { code: 'customs-hold', nameEn: 'Customs hold', nameAr: 'احتجاز جمركي' });
    expect(rc.statusCode).toBe(201);
    const renamed = await admin.patch(`/api/v1/reason-codes/${rc.json().id}`, { nameEn: 'Held at customs' });
    expect(renamed.json().nameEn).toBe('Held at customs');
    expect((await admin.patch(`/api/v1/reason-codes/${rc.json().id}`, { code: 'other' })).statusCode).toBe(400);
  });
});
