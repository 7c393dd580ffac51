import { asc, eq } from 'drizzle-orm';
import type { Static } from 'typebox';
import type { CreateCategoryBody, CreateReasonCodeBody, UpdateCategoryBody, UpdateReasonCodeBody } from '@caredesk/contracts';
import { isAdmin, type AuthedCtx } from '../../../platform/context.js';
import { AppError, forbidden, isUniqueViolation, notFound } from '../../../platform/errors.js';
import { changedFields, recordAudit } from '../../../platform/audit.js';
import { categories, reasonCodes } from '../db/schema.js';

const catColumns = {
  id: categories.id,
  key: categories.key,
  nameEn: categories.nameEn,
  nameAr: categories.nameAr,
  shipmentRelated: categories.shipmentRelated,
  active: categories.active,
};
const rcColumns = { id: reasonCodes.id, code: reasonCodes.code, nameEn: reasonCodes.nameEn, nameAr: reasonCodes.nameAr, active: reasonCodes.active };
const keyTaken = (field: string) => new AppError('key_taken', 409, 'Key taken', { errors: [{ field, code: 'key_taken' }] });

export async function listCategories(ctx: AuthedCtx, includeInactive = false) {
  const q = ctx.db.select(catColumns).from(categories);
  return (includeInactive ? q : q.where(eq(categories.active, true))).orderBy(asc(categories.position), asc(categories.nameEn));
}

export async function getCategory(ctx: Pick<AuthedCtx, 'db'>, id: string) {
  const [row] = await ctx.db.select(catColumns).from(categories).where(eq(categories.id, id));
  return row ?? null;
}

export async function createCategory(ctx: AuthedCtx, input: Static<typeof CreateCategoryBody>) {
  if (!isAdmin(ctx.actor)) throw forbidden();
  try {
    return await ctx.db.transaction(async (tx) => {
      const [row] = await tx.insert(categories).values({ ...input, active: input.active ?? true }).returning(catColumns);
      await recordAudit(tx, { actor: ctx.actor, action: 'category.created', targetType: 'category', targetId: row!.id, changes: [{ field: 'key', before: null, after: input.key }] });
      return row!;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw keyTaken('key');
    throw err;
  }
}

export async function updateCategory(ctx: AuthedCtx, id: string, patch: Static<typeof UpdateCategoryBody>) {
  if (!isAdmin(ctx.actor)) throw forbidden();
  const before = await getCategory(ctx, id);
  if (!before) throw notFound();
  const changes = changedFields(before, patch);
  if (!changes.length) return before;
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.update(categories).set({ ...patch, updatedAt: ctx.now() }).where(eq(categories.id, id)).returning(catColumns);
    await recordAudit(tx, { actor: ctx.actor, action: 'category.updated', targetType: 'category', targetId: id, changes });
    return row!;
  });
}

export async function listReasonCodes(ctx: AuthedCtx, includeInactive = false) {
  const q = ctx.db.select(rcColumns).from(reasonCodes);
  return (includeInactive ? q : q.where(eq(reasonCodes.active, true))).orderBy(asc(reasonCodes.nameEn));
}

export async function getReasonCode(ctx: Pick<AuthedCtx, 'db'>, id: string) {
  const [row] = await ctx.db.select(rcColumns).from(reasonCodes).where(eq(reasonCodes.id, id));
  return row ?? null;
}

export async function createReasonCode(ctx: AuthedCtx, input: Static<typeof CreateReasonCodeBody>) {
  if (!isAdmin(ctx.actor)) throw forbidden();
  try {
    return await ctx.db.transaction(async (tx) => {
      const [row] = await tx.insert(reasonCodes).values({ ...input, active: input.active ?? true }).returning(rcColumns);
      await recordAudit(tx, { actor: ctx.actor, action: 'reason_code.created', targetType: 'reason_code', targetId: row!.id, changes: [{ field: 'code', before: null, after: input.code }] });
      return row!;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw keyTaken('code');
    throw err;
  }
}

export async function updateReasonCode(ctx: AuthedCtx, id: string, patch: Static<typeof UpdateReasonCodeBody>) {
  if (!isAdmin(ctx.actor)) throw forbidden();
  const before = await getReasonCode(ctx, id);
  if (!before) throw notFound();
  const changes = changedFields(before, patch);
  if (!changes.length) return before;
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.update(reasonCodes).set({ ...patch, updatedAt: ctx.now() }).where(eq(reasonCodes.id, id)).returning(rcColumns);
    await recordAudit(tx, { actor: ctx.actor, action: 'reason_code.updated', targetType: 'reason_code', targetId: id, changes });
    return row!;
  });
}
