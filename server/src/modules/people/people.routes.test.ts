import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type Client, type TestApp } from '../../test/harness.js';

let t: TestApp;
let admin: Client;
let agent: Client;
beforeAll(async () => {
  t = await startTestApp();
  admin = t.as(await t.login('admin@demo.caredesk.test'));
  agent = t.as(await t.login('omar@demo.caredesk.test'));
});
afterAll(() => t?.close());

describe('users and groups', () => {
  it('lets an admin create a group and a user in it who can then sign in', async () => {
    const g = await admin.post('/api/v1/groups', { name: 'Key Accounts AE', kind: 'key-accounts', countryCode: 'AE' });
    expect(g.statusCode, g.body).toBe(201);
    const u = await admin.post('/api/v1/users', {
      name: 'New Officer', email: 'officer@demo.caredesk.test', password: 'a-long-password', language: 'ar', roles: ['agent'], groupIds: [g.json().id],
    });
    expect(u.statusCode, u.body).toBe(201);
    expect(u.json().groupIds).toEqual([g.json().id]);
    const token = await t.login('officer@demo.caredesk.test', 'a-long-password');
    const me = (await t.as(token).get('/api/v1/me')).json();
    expect(me.language).toBe('ar');
    const group = (await admin.get(`/api/v1/groups/${g.json().id}`)).json();
    expect(group.memberIds).toEqual([u.json().id]);
  });

  it('keeps admin screens to admins (403 for an agent) and stores nothing', async () => {
    const res = await agent.post('/api/v1/groups', { name: 'Rogue', kind: 'other' });
    expect(res.statusCode).toBe(403);
    expect((await agent.post('/api/v1/users', { name: 'x', email: 'x@x.io', password: 'long-enough-1', roles: ['admin'] })).statusCode).toBe(403);
    expect((await admin.get('/api/v1/groups')).json().items.map((g: { name: string }) => g.name)).not.toContain('Rogue');
  });

  it('refuses a duplicate email and a bad role with field errors', async () => {
    const dup = await admin.post('/api/v1/users', { name: 'S', email: 'sara@demo.caredesk.test', password: 'a-long-password', roles: ['agent'] });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().errors[0].field).toBe('email');
    const role = await admin.post('/api/v1/users', { name: 'S', email: 's2@demo.caredesk.test', password: 'a-long-password', roles: ['root'] });
    expect(role.statusCode).toBe(400);
    expect(role.json().errors[0].field).toMatch(/^roles/);
  });

  it('does not let a user raise their own role through /me', async () => {
    const res = await agent.patch('/api/v1/me', { roles: ['admin'] });
    expect(res.statusCode).toBe(400);
    expect((await agent.get('/api/v1/me')).json().roles).toEqual(['agent']);
  });

  it('records user changes as audit events without the password', async () => {
    const u = (await admin.get('/api/v1/users')).json().items.find((x: { email: string }) => x.email === 'omar@demo.caredesk.test');
    const res = await admin.patch(`/api/v1/users/${u.id}`, { password: 'another-long-one', language: 'ar' });
    expect(res.statusCode).toBe(200);
    const { auditEvents } = await import('../../platform/db/audit.schema.js');
    const { eq } = await import('drizzle-orm');
    const rows = await t.database.db.select().from(auditEvents).where(eq(auditEvents.targetId, u.id));
    const changes = rows.flatMap((r) => r.changes);
    expect(changes).toContainEqual({ field: 'language', before: 'en', after: 'ar' });
    expect(JSON.stringify(changes)).not.toContain('another-long-one');
  });
});
