import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ CAREDESK_LOGIN_RATE_LIMIT: '5' });
});
afterAll(() => t?.close());

describe('signing in', () => {
  it('returns a token and sets an HttpOnly session cookie that authenticates /me', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'SARA@demo.caredesk.test', password: 'caredesk-demo' } });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'cd_session')!;
    expect(cookie.httpOnly).toBe(true);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', cookies: { cd_session: cookie.value } });
    expect(me.json().email).toBe('sara@demo.caredesk.test');
    expect(me.json().groupIds).toHaveLength(2);
    expect(me.json()).not.toHaveProperty('passwordHash');
  });

  it('refuses a wrong password with the same answer as an unknown email', async () => {
    const wrong = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'sara@demo.caredesk.test', password: 'nope' } });
    const unknown = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'nobody@demo.caredesk.test', password: 'nope' } });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().detail).toBe(unknown.json().detail);
  });

  it('rate-limits sign-in attempts with 429', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 8; i++) {
      const r = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'x@y.z', password: 'bad' } });
      codes.push(r.statusCode);
    }
    expect(codes).toContain(429);
  });

  it('answers 401 without a session and ends the session on logout', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/tickets' })).statusCode).toBe(401);
  });

  it('refuses a cookie-authenticated write from another site (CSRF)', async () => {
    const db = t.database.db;
    const { createSession } = await import('./sessions.js');
    const { users } = await import('../people/db/schema.js');
    const { eq } = await import('drizzle-orm');
    const [u] = await db.select({ id: users.id }).from(users).where(eq(users.email, 'sara@demo.caredesk.test'));
    const token = await createSession(db, u!.id, 1, new Date());
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      cookies: { cd_session: token },
      headers: { origin: 'https://evil.example' },
      payload: { language: 'ar' },
    });
    expect(res.statusCode).toBe(403);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', cookies: { cd_session: token } });
    expect(me.json().language).toBe('en');
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { authorization: `Bearer ${token}` } });
    expect(out.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(401);
  });
});
