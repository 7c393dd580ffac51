import { and, asc, desc, eq, lt, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { AuthedCtx } from '../../../platform/context.js';
import { conflict, forbidden, notFound, validation, versionConflict } from '../../../platform/errors.js';
import { recordAudit } from '../../../platform/audit.js';
import { accounts, contactPlans, contactTasks, salesMeetingNotes, suppliesRequests } from '../db/schema.js';
import { users } from '../../people/db/schema.js';
import { reason } from '../../../platform/i18n.js';

const supervises = (ctx: AuthedCtx) => ctx.actor.roles.some((r) => r === 'admin' || r === 'manager' || r === 'supervisor');
/** Today on the company's calendar: due dates are days there, not UTC instants. */
export const today = (ctx: Pick<AuthedCtx, 'now' | 'config'>) => DateTime.fromJSDate(ctx.now(), { zone: ctx.config.timeZone }).toISODate()!;
const plusDays = (day: string, n: number) => DateTime.fromISO(day, { zone: 'utc' }).plus({ days: n }).toISODate()!;

async function accountFor(ctx: AuthedCtx, accountId: string) {
  const [a] = await ctx.db.select({ id: accounts.id, officerId: accounts.officerId }).from(accounts).where(eq(accounts.id, accountId));
  if (!a) throw notFound();
  return a;
}
/** The account's officer and supervisors plan and log; other agents only read. */
async function requireCarer(ctx: AuthedCtx, accountId: string) {
  const a = await accountFor(ctx, accountId);
  if (a.officerId !== ctx.actor.id && !supervises(ctx)) throw forbidden();
  return a;
}

// ---- proactive contact plan

export async function createPlan(ctx: AuthedCtx, accountId: string, input: { kind: 'call' | 'visit'; everyDays: number; firstDueOn?: string }) {
  const a = await requireCarer(ctx, accountId);
  const first = input.firstDueOn ?? today(ctx);
  if (!DateTime.fromISO(first).isValid) throw validation([{ field: 'firstDueOn', code: 'invalid', params: { reason: 'not a date' } }]);
  return ctx.db.transaction(async (tx) => {
    const [plan] = await tx.insert(contactPlans).values({ accountId, kind: input.kind, everyDays: input.everyDays }).returning();
    await tx.insert(contactTasks).values({ accountId, planId: plan!.id, officerId: a.officerId, kind: input.kind, dueOn: first });
    await recordAudit(tx, { actor: ctx.actor, action: 'contact_plan.created', targetType: 'account', targetId: accountId, changes: [{ field: 'plan', before: null, after: `${input.kind} every ${input.everyDays} days` }] });
    return { id: plan!.id, accountId, kind: plan!.kind, everyDays: plan!.everyDays, active: plan!.active };
  });
}

export async function listPlans(ctx: AuthedCtx, accountId: string) {
  await accountFor(ctx, accountId);
  const rows = await ctx.db.select().from(contactPlans).where(eq(contactPlans.accountId, accountId)).orderBy(asc(contactPlans.createdAt));
  return rows.map((p) => ({ id: p.id, accountId: p.accountId, kind: p.kind, everyDays: p.everyDays, active: p.active }));
}

const taskColumns = {
  id: contactTasks.id,
  accountId: contactTasks.accountId,
  accountName: accounts.name,
  kind: contactTasks.kind,
  dueOn: contactTasks.dueOn,
  status: contactTasks.status,
  outcome: contactTasks.outcome,
  followUpTicketNumber: contactTasks.followUpTicketNumber,
  officerId: contactTasks.officerId,
  officerName: users.name,
  doneAt: contactTasks.doneAt,
};

/**
 * Tasks: an officer's own (`mine`), an account's, or every overdue one (supervisors). Each task
 * says whether it is overdue on the company's calendar.
 */
export async function listTasks(ctx: AuthedCtx, q: { scope: 'mine' | 'overdue' | 'account'; accountId?: string; status?: 'open' | 'done' }) {
  const day = today(ctx);
  const conds = [];
  if (q.scope === 'mine') conds.push(eq(contactTasks.officerId, ctx.actor.id));
  if (q.scope === 'overdue') {
    if (!supervises(ctx)) throw forbidden();
    conds.push(eq(contactTasks.status, 'open'), lt(contactTasks.dueOn, day));
  }
  if (q.scope === 'account') {
    if (!q.accountId) throw validation([{ field: 'accountId', code: 'required' }]);
    conds.push(eq(contactTasks.accountId, q.accountId));
  }
  if (q.status) conds.push(eq(contactTasks.status, q.status));
  const rows = await ctx.db
    .select(taskColumns)
    .from(contactTasks)
    .innerJoin(accounts, eq(accounts.id, contactTasks.accountId))
    .leftJoin(users, eq(users.id, contactTasks.officerId))
    .where(and(...conds))
    .orderBy(q.status === 'done' ? desc(contactTasks.dueOn) : asc(contactTasks.dueOn), asc(accounts.name))
    .limit(200);
  return rows.map(({ officerName, ...r }) => ({
    ...r,
    officer: r.officerId ? { id: r.officerId, name: officerName ?? '' } : null,
    overdue: r.status === 'open' && r.dueOn < day,
    dueToday: r.status === 'open' && r.dueOn === day,
  }));
}

/** Logs a call or visit; the plan's next task is due a cadence after this one was due. */
export async function completeTask(ctx: AuthedCtx, taskId: string, input: { outcome: string; followUpTicketNumber?: number }) {
  const [task] = await ctx.db.select().from(contactTasks).where(eq(contactTasks.id, taskId));
  if (!task) throw notFound();
  await requireCarer(ctx, task.accountId);
  if (task.status !== 'open') throw conflict('contact_task.already_done');
  if (input.followUpTicketNumber !== undefined) {
    const found = await ctx.db.execute(sql`select 1 from tickets where number = ${input.followUpTicketNumber} and account_id = ${task.accountId}`);
    if (!found.rows.length) throw validation([{ field: 'followUpTicketNumber', code: 'not_found' }]);
  }
  await ctx.db.transaction(async (tx) => {
    const done = await tx
      .update(contactTasks)
      .set({ status: 'done', outcome: input.outcome.trim(), followUpTicketNumber: input.followUpTicketNumber ?? null, doneAt: ctx.now(), doneById: ctx.actor.id })
      .where(and(eq(contactTasks.id, taskId), eq(contactTasks.status, 'open')))
      .returning({ id: contactTasks.id });
    if (!done.length) throw conflict('contact_task.already_done');
    if (task.planId) {
      const [plan] = await tx.select().from(contactPlans).where(eq(contactPlans.id, task.planId));
      if (plan?.active) {
        const [acc] = await tx.select({ officerId: accounts.officerId }).from(accounts).where(eq(accounts.id, task.accountId));
        await tx.insert(contactTasks).values({ accountId: task.accountId, planId: plan.id, officerId: acc?.officerId ?? null, kind: plan.kind, dueOn: plusDays(task.dueOn, plan.everyDays) });
      }
    }
    await recordAudit(tx, { actor: ctx.actor, action: 'contact_task.completed', targetType: 'account', targetId: task.accountId, changes: [{ field: 'outcome', before: null, after: input.outcome }] });
  });
  const [row] = (await listTasks(ctx, { scope: 'account', accountId: task.accountId })).filter((t) => t.id === taskId);
  return row!;
}

// ---- supplies

const suppliesOut = (r: typeof suppliesRequests.$inferSelect, day: string) => ({
  id: r.id,
  accountId: r.accountId,
  items: r.items,
  status: r.status,
  requestedOn: r.requestedOn,
  dueOn: r.dueOn,
  deliveredOn: r.deliveredOn,
  version: r.version,
  overdue: r.status !== 'delivered' && r.status !== 'cancelled' && r.dueOn < day,
});

export async function createSupplies(ctx: AuthedCtx, accountId: string, input: { items: { item: string; quantity: number }[]; dueOn?: string }) {
  await requireCarer(ctx, accountId);
  const day = today(ctx);
  const [row] = await ctx.db.transaction(async (tx) => {
    const rows = await tx
      .insert(suppliesRequests)
      .values({ accountId, items: input.items.map((i) => ({ item: i.item.trim(), quantity: i.quantity })), requestedOn: day, dueOn: input.dueOn ?? plusDays(day, 3), createdById: ctx.actor.id })
      .returning();
    await recordAudit(tx, { actor: ctx.actor, action: 'supplies.requested', targetType: 'account', targetId: accountId, changes: [{ field: 'items', before: null, after: input.items }] });
    return rows;
  });
  return suppliesOut(row!, day);
}

export async function listSupplies(ctx: AuthedCtx, accountId: string) {
  await accountFor(ctx, accountId);
  const rows = await ctx.db.select().from(suppliesRequests).where(eq(suppliesRequests.accountId, accountId)).orderBy(desc(suppliesRequests.requestedOn), desc(suppliesRequests.id)).limit(100);
  const day = today(ctx);
  return rows.map((r) => suppliesOut(r, day));
}

const SUPPLY_FLOW: Record<string, string[]> = { requested: ['approved', 'dispatched', 'delivered', 'cancelled'], approved: ['dispatched', 'delivered', 'cancelled'], dispatched: ['delivered'], delivered: [], cancelled: [] };

export async function updateSupplies(ctx: AuthedCtx, id: string, input: { version: number; status: string; deliveredOn?: string }) {
  const [r] = await ctx.db.select().from(suppliesRequests).where(eq(suppliesRequests.id, id));
  if (!r) throw notFound();
  await requireCarer(ctx, r.accountId);
  if (input.version !== r.version) throw versionConflict();
  if (!SUPPLY_FLOW[r.status]!.includes(input.status)) {
    throw validation([{ field: 'status', code: 'invalid', params: { reason: reason('cannot go from {{from}} to {{to}}', { from: r.status, to: input.status }) } }]);
  }
  const day = today(ctx);
  const [row] = await ctx.db.transaction(async (tx) => {
    const rows = await tx
      .update(suppliesRequests)
      .set({ status: input.status, deliveredOn: input.status === 'delivered' ? (input.deliveredOn ?? day) : null, version: sql`${suppliesRequests.version} + 1`, updatedAt: ctx.now() })
      .where(and(eq(suppliesRequests.id, id), eq(suppliesRequests.version, r.version)))
      .returning();
    if (!rows.length) throw versionConflict();
    await recordAudit(tx, { actor: ctx.actor, action: 'supplies.updated', targetType: 'account', targetId: r.accountId, changes: [{ field: 'status', before: r.status, after: input.status }] });
    return rows;
  });
  return suppliesOut(row!, day);
}

// ---- weekly sales meeting notes

export async function saveMeetingNote(ctx: AuthedCtx, accountId: string, input: { week: string; trends?: string; problems?: string; opportunities?: string }) {
  await requireCarer(ctx, accountId);
  const d = DateTime.fromISO(input.week, { zone: 'utc' });
  if (!d.isValid) throw validation([{ field: 'week', code: 'invalid', params: { reason: 'not a date' } }]);
  const week = d.startOf('week').toISODate()!;
  const values = { trends: input.trends ?? '', problems: input.problems ?? '', opportunities: input.opportunities ?? '' };
  // One note per account and week: saving again updates it.
  await ctx.db
    .insert(salesMeetingNotes)
    .values({ accountId, week, ...values, authorId: ctx.actor.id })
    .onConflictDoUpdate({ target: [salesMeetingNotes.accountId, salesMeetingNotes.week], set: { ...values, authorId: ctx.actor.id } });
  await recordAudit(ctx.db, { actor: ctx.actor, action: 'sales_note.saved', targetType: 'account', targetId: accountId, changes: [{ field: 'week', before: null, after: week }] });
  return (await listMeetingNotes(ctx, accountId)).find((n) => n.week === week)!;
}

export async function listMeetingNotes(ctx: AuthedCtx, accountId: string) {
  await accountFor(ctx, accountId);
  const rows = await ctx.db
    .select({ id: salesMeetingNotes.id, week: salesMeetingNotes.week, trends: salesMeetingNotes.trends, problems: salesMeetingNotes.problems, opportunities: salesMeetingNotes.opportunities, authorName: users.name })
    .from(salesMeetingNotes)
    .leftJoin(users, eq(users.id, salesMeetingNotes.authorId))
    .where(eq(salesMeetingNotes.accountId, accountId))
    .orderBy(desc(salesMeetingNotes.week))
    .limit(52);
  return rows.map((r) => ({ ...r, authorName: r.authorName ?? null }));
}
