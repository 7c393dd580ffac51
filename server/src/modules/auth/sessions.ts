import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, sql } from 'drizzle-orm';
import { LRUCache } from 'lru-cache';
import type { Db } from '../../platform/db/index.js';
import { sessions } from './db/schema.js';
import { groupMemberships, users } from '../people/db/schema.js';
import type { Actor, UserRole } from '../../platform/context.js';
import type { Lang } from '../../platform/i18n.js';

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Every request resolves its token; a few seconds of memory saves the database that query on
 * almost all of them. A sign-out ends the session at once in this process and within SESSION_CACHE_MS
 * in others; a role or group change likewise.
 */
export const SESSION_CACHE_MS = 5_000;
const actorCache = new LRUCache<string, { actor: Actor; expiresAt: number }>({ max: 10_000, ttl: SESSION_CACHE_MS });

export async function createSession(db: Db, userId: string, ttlHours: number, now: Date) {
  const token = `cd_${randomBytes(32).toString('base64url')}`;
  await db.insert(sessions).values({
    tokenHash: sha256(token),
    userId,
    expiresAt: new Date(now.getTime() + ttlHours * 3600_000),
  });
  return token;
}

export async function endSession(db: Db, token: string) {
  const hash = sha256(token);
  actorCache.delete(hash);
  await db.delete(sessions).where(eq(sessions.tokenHash, hash));
}

/** Forget cached sessions, e.g. after a user's roles or groups change in this process. */
export const forgetCachedSessions = () => actorCache.clear();

/** One query from token to actor, with the user's groups, because it runs on every request. */
export async function actorForToken(db: Db, token: string, now: Date): Promise<Actor | null> {
  const hash = sha256(token);
  const cached = actorCache.get(hash);
  if (cached && cached.expiresAt > now.getTime()) return cached.actor;
  const rows = await db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      language: users.language,
      roles: users.roles,
      groupIds: sql<string[]>`coalesce((select array_agg(${groupMemberships.groupId}) from ${groupMemberships} where ${groupMemberships.userId} = ${users.id}), '{}')`,
      expiresAt: sessions.expiresAt,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, hash), gt(sessions.expiresAt, now), eq(users.active, true)))
    .limit(1);
  const row = rows[0];
  if (!row) return null;
  const actor: Actor = {
    type: 'user',
    id: row.id,
    name: row.name,
    email: row.email,
    language: row.language as Lang,
    roles: row.roles as UserRole[],
    groupIds: row.groupIds ?? [],
  };
  actorCache.set(hash, { actor, expiresAt: row.expiresAt.getTime() });
  return actor;
}
