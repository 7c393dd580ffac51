import { asc, desc, eq, inArray } from 'drizzle-orm';
import type { AuthedCtx } from '../../../platform/context.js';
import type { DbOrTx } from '../../../platform/db/index.js';
import { forbidden, validation } from '../../../platform/errors.js';
import { recordAudit } from '../../../platform/audit.js';
import { newId } from '../../../platform/db/columns.js';
import { accounts, currencyRates, revenueEntries, revenueImports } from '../db/schema.js';
import { CsvShapeError, parseRevenueCsv, type Rejection, type RevenueRow } from '../domain/revenue-csv.js';
import { reason } from '../../../platform/i18n.js';

export const canManageRevenue = (ctx: AuthedCtx) => ctx.actor.roles.some((r) => r === 'admin' || r === 'manager');

export interface ImportOptions {
  filename: string;
  /** Unknown accounts are created (named by the row's name, else its external id) instead of rejected. */
  createUnknown: boolean;
  onProgress?: (done: number, total: number) => void;
}

export interface ImportReport {
  id: string;
  filename: string;
  months: string[];
  rows: number;
  imported: number;
  rejected: number;
  createdAccounts: number;
  rejections: Rejection[];
}

const BATCH = 1000;

/**
 * Imports Finance's monthly revenue. Every month present in the file is replaced as a whole, so
 * importing the same file again leaves the same rows; bad rows are reported, never half-kept.
 */
export async function importRevenue(ctx: AuthedCtx, data: Buffer | string, opts: ImportOptions): Promise<ImportReport> {
  if (!canManageRevenue(ctx)) throw forbidden();
  let parsed;
  try {
    parsed = parseRevenueCsv(data);
  } catch (err) {
    if (err instanceof CsvShapeError) throw validation([{ field: 'file', code: 'invalid', params: { reason: err.reason } }]);
    throw err;
  }
  const total = parsed.rows.length + parsed.rejections.length;
  const rejections = [...parsed.rejections];

  const known = await ctx.db.select({ id: accounts.id, externalId: accounts.externalId, name: accounts.name }).from(accounts);
  const byExternal = new Map<string, string>();
  const byName = new Map<string, string | null>(); // null: several accounts share the name
  for (const a of known) {
    if (a.externalId) byExternal.set(a.externalId, a.id);
    const key = a.name.toLocaleLowerCase('en');
    byName.set(key, byName.has(key) ? null : a.id);
  }

  const toCreate: { id: string; name: string; externalId: string | null }[] = [];
  const entries: { accountId: string; month: string; amount: string; currency: string; row: number }[] = [];
  const seen = new Map<string, number>();
  for (const r of parsed.rows) {
    const accountId = resolveAccount(r, byExternal, byName, opts.createUnknown, toCreate, rejections);
    if (!accountId) continue;
    const key = `${accountId}|${r.month}`;
    const first = seen.get(key);
    if (first !== undefined) {
      rejections.push({
        row: r.row,
        code: 'duplicate_month',
        params: { month: r.month.slice(0, 7), first },
        reason: `this account already has revenue for ${r.month.slice(0, 7)} in row ${first}`,
      });
      continue;
    }
    seen.set(key, r.row);
    entries.push({ accountId, month: r.month, amount: r.amount, currency: r.currency, row: r.row });
  }
  rejections.sort((a, b) => a.row - b.row);
  const months = [...new Set(entries.map((e) => e.month))].sort();
  const importId = newId();
  opts.onProgress?.(rejections.length, total);

  await ctx.db.transaction(async (tx) => {
    for (let i = 0; i < toCreate.length; i += BATCH) {
      await tx.insert(accounts).values(toCreate.slice(i, i + BATCH).map((a) => ({ id: a.id, name: a.name, externalId: a.externalId })));
    }
    if (months.length) await tx.delete(revenueEntries).where(inArray(revenueEntries.month, months));
    for (let i = 0; i < entries.length; i += BATCH) {
      await tx.insert(revenueEntries).values(
        entries.slice(i, i + BATCH).map((e) => ({ accountId: e.accountId, month: e.month, amount: e.amount, currency: e.currency, importId })),
      );
      opts.onProgress?.(rejections.length + Math.min(i + BATCH, entries.length), total);
    }
    await tx.insert(revenueImports).values({
      id: importId,
      filename: opts.filename,
      months: months.map((m) => m.slice(0, 7)),
      imported: entries.length,
      rejected: rejections.length,
      createdAccounts: toCreate.length,
      rejections,
      createdById: ctx.actor.id,
      createdAt: ctx.now(),
    });
    await recordAudit(tx, {
      actor: ctx.actor,
      action: 'revenue.imported',
      targetType: 'revenue_import',
      targetId: importId,
      changes: [{ field: 'months', before: null, after: months.map((m) => m.slice(0, 7)) }],
    });
  });
  opts.onProgress?.(total, total);
  return {
    id: importId,
    filename: opts.filename,
    months: months.map((m) => m.slice(0, 7)),
    rows: total,
    imported: entries.length,
    rejected: rejections.length,
    createdAccounts: toCreate.length,
    rejections,
  };
}

function resolveAccount(
  r: RevenueRow,
  byExternal: Map<string, string>,
  byName: Map<string, string | null>,
  createUnknown: boolean,
  toCreate: { id: string; name: string; externalId: string | null }[],
  rejections: Rejection[],
): string | null {
  if (r.externalId) {
    const id = byExternal.get(r.externalId);
    if (id) return id;
  } else {
    const id = byName.get(r.name!.toLocaleLowerCase('en'));
    if (id) return id;
    if (id === null) {
      rejections.push({ row: r.row, code: 'ambiguous_name', params: { name: r.name! }, reason: `several accounts are named "${r.name}"; give the external id` });
      return null;
    }
  }
  if (!createUnknown) {
    rejections.push({
      row: r.row,
      code: 'unknown_account',
      params: r.externalId ? { externalId: r.externalId } : { name: r.name! },
      reason: `unknown account ${r.externalId ? `with external id "${r.externalId}"` : `"${r.name}"`}`,
    });
    return null;
  }
  const id = newId();
  toCreate.push({ id, name: r.name ?? r.externalId!, externalId: r.externalId });
  if (r.externalId) byExternal.set(r.externalId, id);
  else byName.set(r.name!.toLocaleLowerCase('en'), id);
  return id;
}

export async function listRevenueImports(ctx: AuthedCtx) {
  if (!canManageRevenue(ctx)) throw forbidden();
  const rows = await ctx.db.select().from(revenueImports).orderBy(desc(revenueImports.createdAt)).limit(50);
  return rows.map((r) => ({
    id: r.id,
    filename: r.filename,
    months: r.months,
    imported: r.imported,
    rejected: r.rejected,
    createdAccounts: r.createdAccounts,
    createdAt: r.createdAt,
  }));
}

/** Revenue per month for one account, each row with its amount converted to the base currency. */
export async function accountRevenue(db: DbOrTx, accountId: string, baseCurrency: string) {
  const rows = await db
    .select({
      month: revenueEntries.month,
      amount: revenueEntries.amount,
      currency: revenueEntries.currency,
      rate: currencyRates.rate,
    })
    .from(revenueEntries)
    .leftJoin(currencyRates, eq(currencyRates.currency, revenueEntries.currency))
    .where(eq(revenueEntries.accountId, accountId))
    .orderBy(asc(revenueEntries.month));
  return rows.map((r) => ({
    month: r.month.slice(0, 7),
    amount: Number(r.amount),
    currency: r.currency,
    converted: r.currency === baseCurrency ? Number(r.amount) : r.rate ? Math.round(Number(r.amount) * Number(r.rate) * 100) / 100 : null,
  }));
}

export async function listRates(ctx: AuthedCtx) {
  const rows = await ctx.db.select().from(currencyRates).orderBy(asc(currencyRates.currency));
  return { baseCurrency: ctx.config.baseCurrency, items: rows.map((r) => ({ currency: r.currency, rate: Number(r.rate), updatedAt: r.updatedAt })) };
}

export async function setRates(ctx: AuthedCtx, items: { currency: string; rate: number }[]) {
  if (!canManageRevenue(ctx)) throw forbidden();
  const errors = items.flatMap((it, i) =>
    it.currency.toUpperCase() === ctx.config.baseCurrency
      ? [{ field: `items.${i}.currency`, code: 'invalid', params: { reason: reason('{{currency}} is the base currency (rate 1)', { currency: ctx.config.baseCurrency }) } }]
      : [],
  );
  if (errors.length) throw validation(errors);
  await ctx.db.transaction(async (tx) => {
    for (const it of items) {
      const currency = it.currency.toUpperCase();
      await tx
        .insert(currencyRates)
        .values({ currency, rate: String(it.rate), updatedAt: ctx.now() })
        .onConflictDoUpdate({ target: currencyRates.currency, set: { rate: String(it.rate), updatedAt: ctx.now() } });
    }
    await recordAudit(tx, {
      actor: ctx.actor,
      action: 'currency_rates.updated',
      targetType: 'currency_rates',
      targetId: ctx.actor.id,
      changes: items.map((it) => ({ field: it.currency.toUpperCase(), before: null, after: it.rate })),
    });
  });
  return listRates(ctx);
}

