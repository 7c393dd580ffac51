import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { startTestApp, type Client, type TestApp } from '../../test/harness.js';
import { auditEvents } from '../../platform/db/audit.schema.js';

let t: TestApp;
let sara: Client;
beforeAll(async () => {
  t = await startTestApp();
  sara = t.as(await t.login('sara@demo.caredesk.test'));
});
afterAll(() => t?.close());

describe('POST /contacts/:id/merge', () => {
  it('joins two contacts that are one person: identities and tickets move, the other is gone, the merge is audited', async () => {
    const keep = (await sara.post('/api/v1/contacts', { name: 'Nadia Saleh', identities: [{ kind: 'email', value: 'nadia@merge.example' }] })).json();
    const other = (await sara.post('/api/v1/contacts', { name: 'N. Saleh', identities: [{ kind: 'phone', value: '+966 55 777 1212' }] })).json();
    const cats = (await sara.get('/api/v1/categories')).json().items as { id: string; key: string }[];
    const ticket = await sara.post('/api/v1/tickets', { subject: 'Merged history', categoryId: cats.find((c) => c.key === 'general-inquiry')!.id, requesterId: other.id, description: 'From the phone contact.' });
    expect(ticket.statusCode).toBe(201);

    const res = await sara.post(`/api/v1/contacts/${keep.id}/merge`, { otherId: other.id });
    expect(res.statusCode).toBe(200);
    expect(res.json().identities.map((i: { value: string }) => i.value).sort()).toEqual(['+966557771212', 'nadia@merge.example']);
    expect((await sara.get(`/api/v1/contacts/${other.id}`)).statusCode).toBe(404);
    expect((await sara.get(`/api/v1/tickets/${ticket.json().id}`)).json().requester.id).toBe(keep.id);
    const byPhone = await sara.post('/api/v1/contacts/lookup', { kind: 'phone', value: '+966 55 777 1212' });
    expect(byPhone.json().id).toBe(keep.id);

    const audit = await t.database.db.select().from(auditEvents).where(eq(auditEvents.targetId, keep.id));
    expect(audit.map((a) => a.action)).toContain('contact.merged');
  });

  it('refuses merging a contact into itself or with a missing contact, naming otherId', async () => {
    const c = (await sara.post('/api/v1/contacts', { name: 'Solo', identities: [{ kind: 'email', value: 'solo@merge.example' }] })).json();
    const self = await sara.post(`/api/v1/contacts/${c.id}/merge`, { otherId: c.id });
    expect(self.statusCode).toBe(400);
    expect(self.json().errors[0].field).toBe('otherId');
    const missing = await sara.post(`/api/v1/contacts/${c.id}/merge`, { otherId: '01900000-0000-7000-8000-000000000000' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors[0].field).toBe('otherId');
    expect((await sara.post(`/api/v1/contacts/01900000-0000-7000-8000-000000000000/merge`, { otherId: c.id })).statusCode).toBe(404);
  });
});
