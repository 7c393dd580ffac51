import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/index.js';
import { sessions } from './db/schema.js';
import { groupMemberships, users } from '../people/db/schema.js';
import type { Actor, UserRole } from '../../platform/context.js';
import type { Lang } from '../../platform/i18n.js';

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

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
  await db.delete(sessions).where(eq(sessions.tokenHash, sha256(token)));
}

/** One query from token to actor, with the user's groups, because it runs on every request. */
export async function actorForToken(db: Db, token: string, now: Date): Promise<Actor | null> {
  const rows = await db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      language: users.language,
      roles: users.roles,
      groupIds: sql<string[]>`coalesce((select array_agg(${groupMemberships.groupId}) from ${groupMemberships} where ${groupMemberships.userId} = ${users.id}), '{}')`,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, sha256(token)), gt(sessions.expiresAt, now), eq(users.active, true)))
    .limit(1);
  const row = rows[0];
  if (!row) return null;
  return {
    type: 'user',
    id: row.id,
    name: row.name,
    email: row.email,
    language: row.language as Lang,
    roles: row.roles as UserRole[],
    groupIds: row.groupIds ?? [],
  };
}
