import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, sql } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db, DbOrTx } from '../../platform/db/index.js';
import type { Config } from '../../platform/config.js';
import type { Lang } from '../../platform/i18n.js';
import { AppError } from '../../platform/errors.js';
import { contactIdentities, contacts } from '../customers/db/schema.js';
import { portalSessions } from './db/schema.js';

/** The portal's own cookie: an agent session never opens the portal and a customer's never the agent app. */
export const PORTAL_COOKIE = 'cd_portal';
export const PORTAL_COOKIE_PATH = '/api/v1/portal';

export const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');
export const newToken = (prefix: string) => `${prefix}${randomBytes(32).toString('base64url')}`;

/** A signed-in customer: a contact, and whether they may see all of their account's tickets. */
export interface PortalCustomer {
  contactId: string;
  name: string;
  email: string;
  language: Lang;
  accountId: string | null;
  accountAdmin: boolean;
}

export async function createPortalSession(db: DbOrTx, contactId: string, ttlHours: number, now: Date) {
  const token = newToken('cdp_');
  await db.insert(portalSessions).values({ tokenHash: sha256(token), contactId, expiresAt: new Date(now.getTime() + ttlHours * 3600_000) });
  return token;
}

export async function endPortalSession(db: Db, token: string) {
  await db.delete(portalSessions).where(eq(portalSessions.tokenHash, sha256(token)));
}

/**
 * One query from token to customer. Not cached: a flag an agent clears (account admin) or a
 * sign-out must hold at once in every process, and customers make few requests.
 */
export async function customerForToken(db: Db, token: string, now: Date): Promise<PortalCustomer | null> {
  const [row] = await db
    .select({
      contactId: contacts.id,
      name: contacts.name,
      language: contacts.language,
      accountId: contacts.accountId,
      accountAdmin: contacts.accountAdmin,
      email: sql<string | null>`(select ci.value from ${contactIdentities} ci where ci.contact_id = ${contacts.id} and ci.kind = 'email' order by ci.created_at limit 1)`,
    })
    .from(portalSessions)
    .innerJoin(contacts, eq(contacts.id, portalSessions.contactId))
    .where(and(eq(portalSessions.tokenHash, sha256(token)), gt(portalSessions.expiresAt, now)))
    .limit(1);
  if (!row) return null;
  return { ...row, email: row.email ?? '', language: row.language === 'ar' ? 'ar' : 'en' };
}

export function setPortalCookie(reply: FastifyReply, config: Config, token: string) {
  reply.setCookie(PORTAL_COOKIE, token, {
    path: PORTAL_COOKIE_PATH,
    httpOnly: true,
    sameSite: 'strict',
    secure: config.cookieSecure,
    maxAge: config.sessionTtlHours * 3600,
  });
}

export function clearPortalCookie(reply: FastifyReply) {
  reply.clearCookie(PORTAL_COOKIE, { path: PORTAL_COOKIE_PATH });
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Cookie-authenticated writes from another site are refused, as in the agent API. */
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

/** The portal token of a request: its cookie, or `Authorization: Bearer cdp_…` for scripts and tests. */
export function portalTokenOf(req: FastifyRequest): { token: string; via: 'cookie' | 'bearer' } | null {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer cdp_')) return { token: header.slice(7).trim(), via: 'bearer' };
  const cookie = req.cookies[PORTAL_COOKIE];
  return cookie ? { token: cookie, via: 'cookie' } : null;
}

/** The signed-in customer, or 401. */
export async function customerOf(req: FastifyRequest): Promise<PortalCustomer> {
  const found = portalTokenOf(req);
  const customer = found ? await customerForToken(req.server.deps.database.db, found.token, new Date()) : null;
  if (!found || !customer) throw new AppError('unauthorized', 401, 'Sign in first');
  if (found.via === 'cookie' && UNSAFE.has(req.method) && isCrossSite(req)) throw new AppError('cross_origin', 403, 'Cross-site request refused');
  return customer;
}
