import { and, asc, eq, or, sql } from 'drizzle-orm';
import { containsPattern } from '../../../platform/db/like.js';
import { alias } from 'drizzle-orm/pg-core';
import type { Static } from 'typebox';
import type { CreateAccountBody, UpdateAccountBody } from '@caredesk/contracts';
import type { AuthedCtx } from '../../../platform/context.js';
import { AppError, forbidden, isUniqueViolation, notFound, validation, versionConflict } from '../../../platform/errors.js';
import { changedFields, recordAudit } from '../../../platform/audit.js';
import { accounts } from '../db/schema.js';
import { users } from '../../people/db/schema.js';
import { decodeCursor, encodeCursor } from '../../../platform/cursor.js';

const officer = alias(users, 'officer');
const columns = {
  id: accounts.id,
  name: accounts.name,
  countryCode: accounts.countryCode,
  tier: accounts.tier,
  externalId: accounts.externalId,
  officerId: accounts.officerId,
  keyAccount: accounts.keyAccount,
  officerName: officer.name,
  version: accounts.version,
  createdAt: accounts.createdAt,
  updatedAt: accounts.updatedAt,
};
type Row = { [K in keyof typeof columns]: unknown } & { officerId: string | null; officerName: string | null; name: string; id: string };
const present = ({ officerName, ...row }: Row) => ({
  ...row,
  officer: row.officerId ? { id: row.officerId, name: officerName ?? '' } : null,
});

const canEditAccounts = (ctx: AuthedCtx) => ctx.actor.roles.some((r) => r === 'admin' || r === 'manager' || r === 'supervisor');

export async function listAccounts(ctx: AuthedCtx, q: { q?: string; limit?: number; cursor?: string }) {
  const limit = q.limit ?? 50;
  const conds = [];
  if (q.q) conds.push(or(sql`lower(${accounts.name}) like ${containsPattern(q.q)}`, eq(accounts.externalId, q.q)));
  const after = q.cursor ? decodeCursor(q.cursor) : null;
  if (after) conds.push(sql`(${accounts.name}, ${accounts.id}) > (${String(after[0])}, ${String(after[1])}::uuid)`);
  const rows = (await ctx.db
    .select(columns)
    .from(accounts)
    .leftJoin(officer, eq(officer.id, accounts.officerId))
    .where(and(...conds))
    .orderBy(asc(accounts.name), asc(accounts.id))
    .limit(limit + 1)) as Row[];
  const items = rows.slice(0, limit).map(present);
  const last = rows.length > limit ? items[items.length - 1] : undefined;
  return { items, nextCursor: last ? encodeCursor([last.name, last.id]) : null };
}

export async function getAccount(ctx: Pick<AuthedCtx, 'db'>, id: string) {
  const [row] = (await ctx.db.select(columns).from(accounts).leftJoin(officer, eq(officer.id, accounts.officerId)).where(eq(accounts.id, id))) as Row[];
  if (!row) throw notFound();
  return present(row);
}

async function checkOfficer(ctx: AuthedCtx, officerId: string | null | undefined) {
  if (!officerId) return;
  const [u] = await ctx.db.select({ id: users.id }).from(users).where(and(eq(users.id, officerId), eq(users.active, true)));
  if (!u) throw validation([{ field: 'officerId', code: 'not_found' }]);
}

const externalTaken = () =>
  new AppError('validation_failed', 409, 'External id taken', { errors: [{ field: 'externalId', code: 'invalid', params: { reason: 'already used by another account' } }] });

export async function createAccount(ctx: AuthedCtx, input: Static<typeof CreateAccountBody>) {
  if (!canEditAccounts(ctx)) throw forbidden();
  await checkOfficer(ctx, input.officerId);
  try {
    const id = await ctx.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(accounts)
        .values({
          name: input.name.trim(),
          countryCode: input.countryCode ?? null,
          tier: input.tier ?? 'standard',
          externalId: input.externalId ?? null,
          officerId: input.officerId ?? null,
        })
        .returning({ id: accounts.id });
      await recordAudit(tx, { actor: ctx.actor, action: 'account.created', targetType: 'account', targetId: row!.id, changes: [{ field: 'name', before: null, after: input.name }] });
      return row!.id;
    });
    return getAccount(ctx, id);
  } catch (err) {
    if (isUniqueViolation(err)) throw externalTaken();
    throw err;
  }
}

export async function updateAccount(ctx: AuthedCtx, id: string, patch: Static<typeof UpdateAccountBody>, ifMatch?: number) {
  if (!canEditAccounts(ctx)) throw forbidden();
  const before = await getAccount(ctx, id);
  const { version: bodyVersion, ...fields } = patch;
  const version = bodyVersion ?? ifMatch;
  if (version !== undefined && version !== before.version) throw versionConflict();
  await checkOfficer(ctx, fields.officerId);
  const changes = changedFields(before as unknown as Record<string, unknown>, fields);
  if (!changes.length) return before;
  try {
    await ctx.db.transaction(async (tx) => {
      const updated = await tx
        .update(accounts)
        .set({ ...fields, version: sql`${accounts.version} + 1`, updatedAt: ctx.now() })
        .where(and(eq(accounts.id, id), eq(accounts.version, before.version as number)))
        .returning({ id: accounts.id });
      if (!updated.length) throw versionConflict();
      await recordAudit(tx, { actor: ctx.actor, action: 'account.updated', targetType: 'account', targetId: id, changes });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw externalTaken();
    throw err;
  }
  return getAccount(ctx, id);
}

