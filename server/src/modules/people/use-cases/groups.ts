import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Static } from 'typebox';
import type { CreateGroupBody, UpdateGroupBody } from '@caredesk/contracts';
import { forgetCachedSessions } from '../../auth/sessions.js';
import type { AuthedCtx } from '../../../platform/context.js';
import { AppError, isUniqueViolation, notFound, validation } from '../../../platform/errors.js';
import { changedFields, recordAudit } from '../../../platform/audit.js';
import type { DbOrTx } from '../../../platform/db/index.js';
import { groupMemberships, groups, users } from '../db/schema.js';
import { requireAdmin } from './users.js';

const groupColumns = {
  id: groups.id,
  name: groups.name,
  countryCode: groups.countryCode,
  kind: groups.kind,
  memberIds: sql<string[]>`coalesce((select array_agg(${groupMemberships.userId} order by ${groupMemberships.userId}) from ${groupMemberships} where ${groupMemberships.groupId} = ${groups.id}), '{}')`,
};

export async function listGroups(ctx: AuthedCtx) {
  return ctx.db.select(groupColumns).from(groups).orderBy(asc(groups.name));
}

export async function getGroup(ctx: Pick<AuthedCtx, 'db'>, id: string) {
  const [row] = await ctx.db.select(groupColumns).from(groups).where(eq(groups.id, id));
  if (!row) throw notFound();
  return row;
}

export async function groupsByIds(db: DbOrTx, ids: string[]) {
  if (!ids.length) return [];
  return db.select({ id: groups.id, name: groups.name, kind: groups.kind, countryCode: groups.countryCode }).from(groups).where(inArray(groups.id, ids));
}

export async function userIsMember(db: DbOrTx, userId: string, groupId: string) {
  const rows = await db
    .select({ userId: groupMemberships.userId })
    .from(groupMemberships)
    .where(and(eq(groupMemberships.userId, userId), eq(groupMemberships.groupId, groupId)))
    .limit(1);
  return rows.length > 0;
}

async function setMembers(db: DbOrTx, groupId: string, memberIds: string[]) {
  if (memberIds.length) {
    const found = await db.select({ id: users.id }).from(users).where(inArray(users.id, memberIds));
    if (found.length !== memberIds.length) throw validation([{ field: 'memberIds', code: 'not_found' }]);
  }
  await db.delete(groupMemberships).where(eq(groupMemberships.groupId, groupId));
  if (memberIds.length) await db.insert(groupMemberships).values(memberIds.map((userId) => ({ groupId, userId })));
}

const nameTaken = () => new AppError('name_taken', 409, 'Name taken', { errors: [{ field: 'name', code: 'name_taken' }] });

export async function createGroup(ctx: AuthedCtx, input: Static<typeof CreateGroupBody>) {
  requireAdmin(ctx.actor);
  try {
    const id = await ctx.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(groups)
        .values({ name: input.name.trim(), countryCode: input.countryCode ?? null, kind: input.kind })
        .returning({ id: groups.id });
      await setMembers(tx, row!.id, input.memberIds ?? []);
      await recordAudit(tx, {
        actor: ctx.actor,
        action: 'group.created',
        targetType: 'group',
        targetId: row!.id,
        changes: [{ field: 'name', before: null, after: input.name }],
      });
      return row!.id;
    });
    return getGroup(ctx, id);
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken();
    throw err;
  }
}

export async function updateGroup(ctx: AuthedCtx, id: string, patch: Static<typeof UpdateGroupBody>) {
  requireAdmin(ctx.actor);
  const before = await getGroup(ctx, id);
  const { memberIds, ...fields } = patch;
  const changes = changedFields(before as unknown as Record<string, unknown>, { ...fields, memberIds });
  try {
    await ctx.db.transaction(async (tx) => {
      if (memberIds) await setMembers(tx, id, memberIds);
      if (Object.keys(fields).length) await tx.update(groups).set({ ...fields, updatedAt: ctx.now() }).where(eq(groups.id, id));
      if (changes.length) await recordAudit(tx, { actor: ctx.actor, action: 'group.updated', targetType: 'group', targetId: id, changes });
    });
    forgetCachedSessions(); // roles, groups and language travel with the session
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken();
    throw err;
  }
  return getGroup(ctx, id);
}
