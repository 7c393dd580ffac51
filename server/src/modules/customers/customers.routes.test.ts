import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { startTestApp, type Client, type TestApp } from '../../test/harness.js';
import { findOrCreateContacts } from './index.js';

let t: TestApp;
let sara: Client;
beforeAll(async () => {
  t = await startTestApp();
  sara = t.as(await t.login('sara@demo.caredesk.test'));
});
afterAll(() => t?.close());

describe('accounts and contacts', () => {
  it('finds the same contact by email in any case and by phone written locally', async () => {
    const byEmail = await sara.post('/api/v1/contacts/lookup', { kind: 'email', value: 'KHALID@alfanar-trading.example' });
    expect(byEmail.statusCode).toBe(200);
    const byPhone = await sara.post('/api/v1/contacts/lookup', { kind: 'phone', value: '050 123 4567' });
    expect(byPhone.json().id).toBe(byEmail.json().id);
    expect(byEmail.json().account.name).toBe('Al Fanar Trading');
  });

  it('creates a contact on lookup when asked, and 404s when not', async () => {
    expect((await sara.post('/api/v1/contacts/lookup', { kind: 'phone', value: '+966 55 000 1111' })).statusCode).toBe(404);
    const made = await sara.post('/api/v1/contacts/lookup', { kind: 'phone', value: '+966 55 000 1111', name: 'Caller', create: true });
    expect(made.statusCode).toBe(201);
    expect(made.json().identities[0].value).toBe('+966550001111');
  });

  it('finds or creates many contacts at once: the known one found, a new person named twice made once, with their language and an audit entry', async () => {
    const ctx = { db: t.database.db, config: t.config, actor: null, lang: 'en' as const, now: () => new Date() };
    const found = await findOrCreateContacts(ctx, [
      { input: { kind: 'email', value: 'KHALID@alfanar-trading.example', create: true } },
      { input: { kind: 'email', value: 'many.new@customer.example', name: 'Noura', create: true }, language: 'ar' },
      { input: { kind: 'email', value: 'Many.New@customer.example', name: 'Someone else', create: true } },
      { input: { kind: 'email', value: 'not.asked@customer.example' } },
    ]);
    expect(found[0]).toMatchObject({ created: false, contact: { account: { name: 'Al Fanar Trading' } } });
    expect(found[1]).toMatchObject({ created: true, contact: { name: 'Noura', language: 'ar', identities: [{ kind: 'email', value: 'many.new@customer.example' }] } });
    expect(found[2]!.contact.id).toBe(found[1]!.contact.id);
    expect(found[3]).toBeNull();
    const viaApi = await sara.post('/api/v1/contacts/lookup', { kind: 'email', value: 'many.new@customer.example' });
    expect(viaApi.json().id).toBe(found[1]!.contact.id);
    const audit = await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from audit_events where action = 'contact.created' and target_id = ${found[1]!.contact.id}`);
    expect(audit.rows[0]!.n).toBe(1);
    await expect(findOrCreateContacts(ctx, [{ input: { kind: 'email', value: 'not an address', create: true }, field: 'from' }])).rejects.toMatchObject({ status: 400 });
  });

  it('keeps each identity to one contact (409 naming it)', async () => {
    const res = await sara.post('/api/v1/contacts', { name: 'Impostor', identities: [{ kind: 'email', value: 'khalid@alfanar-trading.example' }] });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('identity_taken');
    const list = (await sara.get('/api/v1/contacts?q=Impostor')).json();
    expect(list.items).toHaveLength(0);
  });

  it('refuses an invalid phone number naming the field', async () => {
    const res = await sara.post('/api/v1/contacts', { name: 'X', identities: [{ kind: 'phone', value: '12' }] });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('identities.0.value');
  });

  it('updates an account with optimistic concurrency', async () => {
    const manager = t.as(await t.login('manager@demo.caredesk.test'));
    const acc = (await manager.post('/api/v1/accounts', { name: 'Najd Logistics', countryCode: 'SA', tier: 'silver', externalId: 'FIN-9' })).json();
    const ok = await manager.patch(`/api/v1/accounts/${acc.id}`, { version: acc.version, tier: 'gold' });
    expect(ok.json().tier).toBe('gold');
    const stale = await manager.patch(`/api/v1/accounts/${acc.id}`, { version: acc.version, tier: 'platinum' });
    expect(stale.statusCode).toBe(409);
    const omar = t.as(await t.login('omar@demo.caredesk.test'));
    expect((await omar.post('/api/v1/accounts', { name: 'Nope' })).statusCode).toBe(403);
  });
});
