import { and, asc, eq, ilike, inArray, or, sql } from 'drizzle-orm';
import type { Static } from 'typebox';
import type { CreateUserBody, UpdateUserBody } from '@caredesk/contracts';
import { forgetCachedSessions } from '../../auth/sessions.js';
import { isAdmin, type AuthedCtx, type Actor } from '../../../platform/context.js';
import { AppError, forbidden, isUniqueViolation, notFound, validation } from '../../../platform/errors.js';
import { changedFields, recordAudit } from '../../../platform/audit.js';
import type { DbOrTx } from '../../../platform/db/index.js';
import { groupMemberships, groups, users } from '../db/schema.js';
import { forgetAgentAddresses } from './agent-addresses.js';
import { hashPassword } from '../../auth/passwords.js';

const userColumns = {
  id: users.id,
  name: users.name,
  email: users.email,
  language: users.language,
  roles: users.roles,
  active: users.active,
  createdAt: users.createdAt,
  groupIds: sql<string[]>`coalesce((select array_agg(${groupMemberships.groupId} order by ${groupMemberships.groupId}) from ${groupMemberships} where ${groupMemberships.userId} = ${users.id}), '{}')`,
};

export function requireAdmin(actor: Actor) {
  if (!isAdmin(actor)) throw forbidden();
}

export async function listUsers(ctx: AuthedCtx, query: { q?: string; includeInactive?: boolean }) {
  const conds = [];
  if (!query.includeInactive) conds.push(eq(users.active, true));
  if (query.q) conds.push(or(ilike(users.name, `%${query.q}%`), ilike(users.email, `%${query.q}%`)));
  return ctx.db.select(userColumns).from(users).where(and(...conds)).orderBy(asc(users.name)).limit(1000);
}

export async function getUser(ctx: AuthedCtx, id: string) {
  const [row] = await ctx.db.select(userColumns).from(users).where(eq(users.id, id));
  if (!row) throw notFound();
  return row;
}

async function checkGroups(db: DbOrTx, groupIds: string[]) {
  if (!groupIds.length) return;
  const found = await db.select({ id: groups.id }).from(groups).where(inArray(groups.id, groupIds));
  if (found.length !== groupIds.length) throw validation([{ field: 'groupIds', code: 'not_found' }]);
}

async function setMemberships(db: DbOrTx, userId: string, groupIds: string[]) {
  await db.delete(groupMemberships).where(eq(groupMemberships.userId, userId));
  if (groupIds.length) await db.insert(groupMemberships).values(groupIds.map((groupId) => ({ groupId, userId })));
}

export async function createUser(ctx: AuthedCtx, input: Static<typeof CreateUserBody>) {
  requireAdmin(ctx.actor);
  const email = input.email.trim().toLowerCase();
  const passwordHash = await hashPassword(input.password);
  try {
    const id = await ctx.db.transaction(async (tx) => {
      await checkGroups(tx, input.groupIds ?? []);
      const [row] = await tx
        .insert(users)
        .values({ email, name: input.name.trim(), passwordHash, language: input.language ?? 'en', roles: input.roles })
        .returning({ id: users.id });
      await setMemberships(tx, row!.id, input.groupIds ?? []);
      await recordAudit(tx, {
        actor: ctx.actor,
        action: 'user.created',
        targetType: 'user',
        targetId: row!.id,
        changes: [
          { field: 'email', before: null, after: email },
          { field: 'roles', before: null, after: input.roles },
        ],
      });
      return row!.id;
    });
    forgetAgentAddresses();
    return getUser(ctx, id);
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('email_taken', 409, 'Email taken', { errors: [{ field: 'email', code: 'email_taken' }] });
    throw err;
  }
}

export async function updateUser(ctx: AuthedCtx, id: string, patch: Static<typeof UpdateUserBody>) {
  requireAdmin(ctx.actor);
  const before = await getUser(ctx, id);
  if (id === ctx.actor.id && (patch.active === false || (patch.roles && !patch.roles.includes('admin')))) {
    // An admin locking themselves out leaves nobody to undo it.
    throw validation([{ field: patch.active === false ? 'active' : 'roles', code: 'invalid', params: { reason: 'you cannot remove your own admin access' } }]);
  }
  const { password, groupIds, ...fields } = patch;
  if (fields.email) fields.email = fields.email.trim().toLowerCase();
  const changes = changedFields(before as unknown as Record<string, unknown>, { ...fields, groupIds });
  if (password) changes.push({ field: 'password', before: '[redacted]', after: '[redacted]' });
  try {
    await ctx.db.transaction(async (tx) => {
      if (groupIds) {
        await checkGroups(tx, groupIds);
        await setMemberships(tx, id, groupIds);
      }
      const set: Partial<typeof users.$inferInsert> = { ...fields, updatedAt: ctx.now() };
      if (password) set.passwordHash = await hashPassword(password);
      await tx.update(users).set(set).where(eq(users.id, id));
      if (changes.length) await recordAudit(tx, { actor: ctx.actor, action: 'user.updated', targetType: 'user', targetId: id, changes });
    });
    forgetCachedSessions(); // roles, groups and language travel with the session
    forgetAgentAddresses();
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('email_taken', 409, 'Email taken', { errors: [{ field: 'email', code: 'email_taken' }] });
    throw err;
  }
  return getUser(ctx, id);
}
