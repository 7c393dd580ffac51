import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiTypeProvider } from '../../platform/type-provider.js';
import { eq } from 'drizzle-orm';
import { LoginBody, LoginResult, Me, UpdateMeBody } from '@caredesk/contracts';
import { AppError } from '../../platform/errors.js';
import type { AuthedCtx, Ctx } from '../../platform/context.js';
import { requestLang } from '../../platform/http.js';
import { actorForToken, createSession, endSession } from './sessions.js';
import { timingDummyHash, verifyPassword } from './passwords.js';
import { users } from '../people/db/schema.js';
import { getMe, updateMe } from '../people/index.js';

export const SESSION_COOKIE = 'cd_session';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function tokenFrom(req: FastifyRequest): { token: string; via: 'cookie' | 'bearer' } | null {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return { token: header.slice(7).trim(), via: 'bearer' };
  const cookie = req.cookies[SESSION_COOKIE];
  return cookie ? { token: cookie, via: 'cookie' } : null;
}

/** A browser sends Origin on cross-site writes; cookie-authenticated writes from another site are refused (CSRF). */
function isCrossSite(req: FastifyRequest): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site') return true;
  const origin = req.headers.origin;
  if (!origin || origin === 'null') return origin === 'null';
  try {
    return new URL(origin).host !== req.headers.host;
  } catch {
    return true;
  }
}

export function ctxOf(req: FastifyRequest): Ctx {
  const { database, config, jobs, secrets } = req.server.deps;
  return { db: database.db, config, actor: req.actor, lang: requestLang(req), now: () => new Date(), jobs, secrets };
}

/** The request's context, or 401 when nobody is signed in. */
export function authed(req: FastifyRequest): AuthedCtx {
  const ctx = ctxOf(req);
  if (!ctx.actor) throw new AppError('unauthorized', 401, 'Sign in first');
  return ctx as AuthedCtx;
}

// Failed sign-ins per email in this process; the per-IP limit is @fastify/rate-limit's.
const failures = new Map<string, { count: number; since: number }>();
const FAILURE_WINDOW_MS = 15 * 60_000;
const MAX_FAILURES = 20;

async function plugin(app: FastifyInstance) {
  const api = app.withTypeProvider<ApiTypeProvider>();
  app.decorateRequest('actor', null);
  app.decorateRequest('authVia', null);

  app.addHook('onRequest', async (req) => {
    const found = tokenFrom(req);
    if (!found) return;
    const actor = await actorForToken(app.deps.database.db, found.token, new Date());
    if (!actor) return;
    if (found.via === 'cookie' && UNSAFE.has(req.method) && isCrossSite(req)) {
      throw new AppError('cross_origin', 403, 'Cross-site request refused');
    }
    req.actor = actor;
    req.authVia = found.via;
  });

  api.post(
    '/api/v1/auth/login',
    {
      schema: { tags: ['auth'], body: LoginBody, response: { 200: LoginResult } },
      config: { rateLimit: { max: app.deps.config.loginRateLimitPerMinute, timeWindow: 60_000 } },
    },
    async (req, reply) => {
      const email = req.body.email.trim().toLowerCase();
      const now = Date.now();
      const f = failures.get(email);
      if (f && now - f.since < FAILURE_WINDOW_MS && f.count >= MAX_FAILURES) {
        throw new AppError('rate_limited', 429);
      }
      const { db } = app.deps.database;
      const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1);
      const ok = user?.active
        ? await verifyPassword(user.passwordHash, req.body.password)
        : await verifyPassword(await timingDummyHash(), `${req.body.password}x`);
      if (!user || !ok) {
        const entry = f && now - f.since < FAILURE_WINDOW_MS ? f : { count: 0, since: now };
        entry.count += 1;
        failures.set(email, entry);
        throw new AppError('invalid_credentials', 401);
      }
      failures.delete(email);
      const token = await createSession(db, user.id, app.deps.config.sessionTtlHours, new Date());
      reply.setCookie(SESSION_COOKIE, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: app.deps.config.cookieSecure,
        maxAge: app.deps.config.sessionTtlHours * 3600,
      });
      const actor = await actorForToken(db, token, new Date());
      req.actor = actor;
      return { token, user: await getMe(authed(req)) };
    },
  );

  api.post('/api/v1/auth/logout', { schema: { tags: ['auth'] } }, async (req, reply) => {
    const found = tokenFrom(req);
    if (found) await endSession(app.deps.database.db, found.token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send();
  });

  api.get('/api/v1/me', { schema: { tags: ['auth'], response: { 200: Me } } }, async (req) => getMe(authed(req)));
  api.patch('/api/v1/me', { schema: { tags: ['auth'], body: UpdateMeBody, response: { 200: Me } } }, async (req) =>
    updateMe(authed(req), req.body),
  );
}

export const authPlugin = fp(plugin, { name: 'caredesk-auth' });
export { hashPassword } from './passwords.js';
