import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ CAREDESK_DEMO: 'false', CAREDESK_ADMIN_EMAIL: 'Boss@Example.com', CAREDESK_ADMIN_PASSWORD: 'a-strong-password' });
});
afterAll(() => t?.close());

describe('first start without the demo', () => {
  it('creates the admin from the environment and nothing of the demo', async () => {
    const admin = t.as(await t.login('boss@example.com', 'a-strong-password'));
    const me = (await admin.get('/api/v1/me')).json();
    expect(me.roles).toEqual(['admin']);
    expect((await admin.get('/api/v1/users')).json().items).toHaveLength(1);
    expect((await admin.get('/api/v1/groups')).json().items).toEqual([]);
    expect((await admin.get('/api/v1/tickets?queue=all')).json().items).toEqual([]);
    await expect(t.login('admin@demo.caredesk.test')).rejects.toThrow(/401/);
  });

  it('still ships the policy categories and contact reasons', async () => {
    const admin = t.as(await t.login('boss@example.com', 'a-strong-password'));
    expect((await admin.get('/api/v1/categories')).json().items.length).toBe(8);
    expect((await admin.get('/api/v1/reason-codes')).json().items.length).toBeGreaterThan(5);
  });
});
