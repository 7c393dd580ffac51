import { asc, eq, sql } from 'drizzle-orm';
import type { Static } from 'typebox';
import type { PutCallScriptBody } from '@caredesk/contracts';
import type { AuthedCtx } from '../../../../platform/context.js';
import type { DbOrTx } from '../../../../platform/db/index.js';
import { notFound, validation, type FieldError } from '../../../../platform/errors.js';
import { recordAudit } from '../../../../platform/audit.js';
import { requireAdmin } from '../../../people/use-cases/users.js';
import { categories } from '../../../tickets/index.js';
import { callScripts } from '../db/schema.js';

type Row = typeof callScripts.$inferSelect;
const present = (r: Row) => ({ id: r.id, categoryId: r.categoryId, steps: r.steps, checklist: r.checklist, version: r.version, updatedAt: r.updatedAt });

export async function listCallScripts(ctx: AuthedCtx) {
  const rows = await ctx.db.select().from(callScripts).orderBy(asc(callScripts.createdAt));
  return rows.map(present);
}

export async function scriptForCategory(db: DbOrTx, categoryId: string) {
  const [row] = await db.select().from(callScripts).where(eq(callScripts.categoryId, categoryId));
  return row ? present(row) : null;
}

export async function getCallScript(ctx: AuthedCtx, categoryId: string) {
  const found = await scriptForCategory(ctx.db, categoryId);
  if (!found) throw notFound();
  return found;
}

/** Admins write a category's script whole: a call is checked against the version it saw. */
export async function putCallScript(ctx: AuthedCtx, categoryId: string, input: Static<typeof PutCallScriptBody>) {
  requireAdmin(ctx.actor);
  const [cat] = await ctx.db.select({ id: categories.id }).from(categories).where(eq(categories.id, categoryId));
  if (!cat) throw notFound();
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  input.checklist.forEach((item, i) => {
    if (seen.has(item.key)) errors.push({ field: `checklist.${i}.key`, code: 'invalid', params: { reason: 'used twice in this checklist' } });
    seen.add(item.key);
  });
  if (errors.length) throw validation(errors);
  const checklist = input.checklist.map((c) => ({ key: c.key, label: c.label.trim(), required: c.required ?? false }));
  const steps = input.steps.map((s) => s.trim()).filter(Boolean);
  const now = ctx.now();
  const [row] = await ctx.db
    .insert(callScripts)
    .values({ categoryId, steps, checklist, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({ target: callScripts.categoryId, set: { steps, checklist, updatedAt: now, version: sql`${callScripts.version} + 1` } })
    .returning();
  await recordAudit(ctx.db, { actor: ctx.actor, action: 'call_script.saved', targetType: 'category', targetId: categoryId, at: now });
  return present(row!);
}
