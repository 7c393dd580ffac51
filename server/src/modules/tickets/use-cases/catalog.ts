import { asc, eq } from 'drizzle-orm';
import type { Static } from 'typebox';
import type { CreateCategoryBody, CreateReasonCodeBody, UpdateCategoryBody, UpdateReasonCodeBody } from '@caredesk/contracts';
import { isAdmin, type AuthedCtx } from '../../../platform/context.js';
import { AppError, forbidden, isUniqueViolation, notFound } from '../../../platform/errors.js';
import { changedFields, recordAudit } from '../../../platform/audit.js';
import { categories, reasonCodes } from '../db/schema.js';

/**
 * Categories and contact reason codes are the same kind of thing: an admin-edited list with a
 * unique key, names in both languages and an active flag. One implementation serves both.
 */
function adminList<
  T extends typeof categories | typeof reasonCodes,
  Create extends Record<string, unknown>,
  Update extends Record<string, unknown>,
>(spec: {
  table: T;
  columns: Record<string, T[keyof T]>;
  keyField: string;
  targetType: string;
  order: Parameters<typeof asc>[0][];
}) {
  type Row = Record<string, unknown> & { id: string; active: boolean };
  const { table, columns, keyField, targetType } = spec;
  const t = table as typeof categories; // both tables share id, active and updated_at
  const keyTaken = () => new AppError('key_taken', 409, 'Key taken', { errors: [{ field: keyField, code: 'key_taken' }] });

  const get = async (ctx: Pick<AuthedCtx, 'db'>, id: string) => {
    const [row] = await ctx.db.select(columns as never).from(t).where(eq(t.id, id));
    return (row as Row | undefined) ?? null;
  };
  return {
    list: async (ctx: AuthedCtx, includeInactive = false) => {
      const q = ctx.db.select(columns as never).from(t);
      return (await (includeInactive ? q : q.where(eq(t.active, true))).orderBy(...spec.order.map((c) => asc(c)))) as Row[];
    },
    get,
    create: async (ctx: AuthedCtx, input: Create) => {
      if (!isAdmin(ctx.actor)) throw forbidden();
      try {
        return await ctx.db.transaction(async (tx) => {
          const [row] = (await tx.insert(t).values({ ...input, active: input.active ?? true } as never).returning(columns as never)) as Row[];
          await recordAudit(tx, {
            actor: ctx.actor,
            action: `${targetType}.created`,
            targetType,
            targetId: row!.id,
            changes: [{ field: keyField, before: null, after: input[keyField] }],
          });
          return row!;
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw keyTaken();
        throw err;
      }
    },
    update: async (ctx: AuthedCtx, id: string, patch: Update) => {
      if (!isAdmin(ctx.actor)) throw forbidden();
      const before = await get(ctx, id);
      if (!before) throw notFound();
      const changes = changedFields(before, patch);
      if (!changes.length) return before;
      return ctx.db.transaction(async (tx) => {
        const [row] = (await tx.update(t).set({ ...patch, updatedAt: ctx.now() } as never).where(eq(t.id, id)).returning(columns as never)) as Row[];
        await recordAudit(tx, { actor: ctx.actor, action: `${targetType}.updated`, targetType, targetId: id, changes });
        return row!;
      });
    },
  };
}

const categoryList = adminList<typeof categories, Static<typeof CreateCategoryBody>, Static<typeof UpdateCategoryBody>>({
  table: categories,
  columns: {
    id: categories.id,
    key: categories.key,
    nameEn: categories.nameEn,
    nameAr: categories.nameAr,
    shipmentRelated: categories.shipmentRelated,
    active: categories.active,
  } as never,
  keyField: 'key',
  targetType: 'category',
  order: [categories.position, categories.nameEn],
});

const reasonCodeList = adminList<typeof reasonCodes, Static<typeof CreateReasonCodeBody>, Static<typeof UpdateReasonCodeBody>>({
  table: reasonCodes,
  columns: { id: reasonCodes.id, code: reasonCodes.code, nameEn: reasonCodes.nameEn, nameAr: reasonCodes.nameAr, active: reasonCodes.active } as never,
  keyField: 'code',
  targetType: 'reason_code',
  order: [reasonCodes.nameEn],
});

export interface CategoryRow {
  id: string;
  key: string;
  nameEn: string;
  nameAr: string;
  shipmentRelated: boolean;
  active: boolean;
}
export interface ReasonCodeRow {
  id: string;
  code: string;
  nameEn: string;
  nameAr: string;
  active: boolean;
}

export const listCategories = categoryList.list;
export const getCategory = categoryList.get as (ctx: Pick<AuthedCtx, 'db'>, id: string) => Promise<CategoryRow | null>;
export const createCategory = categoryList.create;
export const updateCategory = categoryList.update;
export const listReasonCodes = reasonCodeList.list;
export const getReasonCode = reasonCodeList.get as (ctx: Pick<AuthedCtx, 'db'>, id: string) => Promise<ReasonCodeRow | null>;
export const createReasonCode = reasonCodeList.create;
export const updateReasonCode = reasonCodeList.update;
