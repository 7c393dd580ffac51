import { and, asc, desc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { AuthedCtx } from '../../../platform/context.js';
import type { SLA_TARGETS } from '@caredesk/contracts';
import { notFound } from '../../../platform/errors.js';
import { getTicket, tickets, visibleTo } from '../../tickets/index.js';
import { BusinessCalendar } from '../domain/calendar.js';
import { calendarFor, computeClocks, explain, liveClocks, stateOf, type TargetSpec } from '../domain/clocks.js';
import { loadHistories, loadSlaConfig } from '../db/repository.js';
import { slaDeadlines, slaNotifications } from '../db/schema.js';
import { getPolicy } from './admin.js';
import { slaNow } from '../clock.js';

const iso = (ms: number | null) => (ms === null || ms === Infinity ? null : new Date(ms).toISOString());
const minutes = (ms: number) => Math.round(ms / 6000) / 10;

/** Each live clock of a ticket as of now, with what it is made of. Computed from history, like the stored deadlines. */
export async function ticketSla(ctx: AuthedCtx, idOrNumber: string) {
  const t = await getTicket(ctx, idOrNumber);
  const now = (await slaNow(ctx.db, ctx.config)).getTime();
  const config = await loadSlaConfig(ctx.db);
  const [history] = await loadHistories(ctx.db, [t.id]);
  if (!history) throw notFound();
  const clocks = liveClocks(computeClocks(config, history)).map((c) => {
    const e = explain(config, c, now);
    return {
      target: c.target,
      cycle: c.cycle,
      state: e.state,
      dueAt: iso(c.dueAt),
      breachedAt: iso(e.breachedAt),
      stoppedAt: iso(c.stoppedAt),
      pausedMinutes: minutes(e.pausedMs),
      explanation: {
        policy: c.policyId ? { id: c.policyId, name: c.policyName ?? '' } : null,
        group: c.groupId,
        calendar: { id: c.calendarId, name: c.calendarName },
        target: c.target_,
        startAt: iso(c.startAt)!,
        pauses: c.pauses.map((p) => ({ from: iso(p[0])!, to: iso(p[1]) })),
        businessMinutesUsed: minutes(e.usedMs),
        businessMinutesLeft: minutes(e.leftMs),
      },
    };
  });
  return { ticketId: t.id, now: new Date(now).toISOString(), clocks };
}

const ALWAYS = BusinessCalendar.alwaysOpen();

/** When each target of a policy would fall due for a ticket opened at `start`. */
export async function previewPolicy(ctx: AuthedCtx, id: string, input: { start: string; priority?: string }) {
  const policy = await getPolicy(ctx, id);
  const config = await loadSlaConfig(ctx.db);
  const { name, calendar } = calendarFor(config, policy.calendarId);
  const start = Math.floor(Date.parse(input.start) / 60_000) * 60_000;
  const targets = (policy.targets as TargetSpec[]).filter(
    (t) => !input.priority || t.priority === input.priority || (t.priority === null && !policy.targets.some((o) => o.kind === t.kind && o.priority === input.priority)),
  );
  return {
    items: targets.map((t) => {
      const cal = t.unit === 'calendar_minutes' ? ALWAYS : calendar;
      const due = t.unit === 'business_days' ? cal.addBusinessDays(start, t.amount) : cal.add(start, t.amount * 60_000);
      return { kind: t.kind, priority: t.priority, amount: t.amount, unit: t.unit, dueAt: iso(due), calendar: t.unit === 'calendar_minutes' ? '24/7' : name };
    }),
  };
}

/** Open tickets by their next deadline, soonest (or most overdue) first, each with its clock's state. */
export async function slaQueue(ctx: AuthedCtx, q: { groupId?: string; limit?: number }) {
  const limit = q.limit ?? 50;
  const now = await slaNow(ctx.db, ctx.config);
  const rows = await ctx.db
    .select({
      ticketId: slaDeadlines.ticketId,
      target: slaDeadlines.target,
      dueAt: slaDeadlines.dueAt,
      atRiskAt: slaDeadlines.atRiskAt,
      paused: slaDeadlines.paused,
      number: tickets.number,
      subject: tickets.subject,
      status: tickets.status,
      priority: tickets.priority,
      groupId: tickets.groupId,
      assigneeId: tickets.assigneeId,
    })
    .from(slaDeadlines)
    .innerJoin(tickets, eq(tickets.id, slaDeadlines.ticketId))
    .where(
      and(
        isNull(slaDeadlines.stoppedAt),
        isNotNull(slaDeadlines.dueAt),
        inArray(tickets.status, ['new', 'open', 'pending', 'on-hold']),
        q.groupId ? eq(tickets.groupId, q.groupId) : undefined,
        visibleTo(ctx.actor),
      ),
    )
    .orderBy(asc(slaDeadlines.dueAt), asc(slaDeadlines.ticketId))
    .limit(limit * 4);
  const seen = new Set<string>();
  const items = [];
  for (const r of rows) {
    if (seen.has(r.ticketId)) continue;
    seen.add(r.ticketId);
    const state = stateOf({ dueAt: r.dueAt!.getTime(), atRiskAt: r.atRiskAt?.getTime() ?? null, stoppedAt: null, pausedNow: r.paused }, now.getTime());
    items.push({ ticketId: r.ticketId, number: r.number, subject: r.subject, status: r.status, priority: r.priority, groupId: r.groupId, assigneeId: r.assigneeId, target: r.target, dueAt: r.dueAt!.toISOString(), state });
    if (items.length >= limit) break;
  }
  // The time the states were judged at, so a client counts down from the server's clock.
  return { items, now: now.toISOString() };
}

export async function myNotifications(ctx: AuthedCtx, unreadOnly = false) {
  const rows = await ctx.db
    .select({
      id: slaNotifications.id,
      ticketId: slaNotifications.ticketId,
      ticketNumber: tickets.number,
      subject: tickets.subject,
      target: slaNotifications.target,
      stepKey: slaNotifications.stepKey,
      dueAt: slaNotifications.dueAt,
      readAt: slaNotifications.readAt,
      createdAt: slaNotifications.createdAt,
    })
    .from(slaNotifications)
    .innerJoin(tickets, eq(tickets.id, slaNotifications.ticketId))
    .where(and(eq(slaNotifications.userId, ctx.actor.id), unreadOnly ? isNull(slaNotifications.readAt) : undefined))
    .orderBy(desc(slaNotifications.createdAt))
    .limit(100);
  return rows;
}

export async function markAllNotificationsRead(ctx: AuthedCtx) {
  const rows = await ctx.db
    .update(slaNotifications)
    .set({ readAt: ctx.now() })
    .where(and(eq(slaNotifications.userId, ctx.actor.id), isNull(slaNotifications.readAt)))
    .returning({ id: slaNotifications.id });
  return rows.length;
}

export async function markNotificationRead(ctx: AuthedCtx, id: string) {
  const [row] = await ctx.db
    .update(slaNotifications)
    .set({ readAt: sql`coalesce(${slaNotifications.readAt}, ${ctx.now()})` })
    .where(and(eq(slaNotifications.id, id), eq(slaNotifications.userId, ctx.actor.id)))
    .returning({ id: slaNotifications.id });
  if (!row) throw notFound();
}

/**
 * How often an account's targets were met over the last `days` days, for the customer 360 view.
 * Reads the facts only (a cycle counts once; breached wins if both were recorded), never live clocks.
 */
export async function accountSlaCompliance(ctx: AuthedCtx, accountId: string, days = 90) {
  const since = new Date(ctx.now().getTime() - days * 86_400_000);
  const rows = await ctx.db.execute<{ target: string; met: number; breached: number }>(sql`
    select target, count(*) filter (where not breached)::int as met, count(*) filter (where breached)::int as breached
    from (
      select f.target, f.ticket_id, f.cycle, bool_or(f.kind = 'sla.breached') as breached
      from sla_facts f join tickets t on t.id = f.ticket_id
      where t.account_id = ${accountId} and f.at >= ${since.toISOString()}::timestamptz
      group by f.target, f.ticket_id, f.cycle
    ) cycles
    group by target order by target`);
  return {
    accountId,
    since: since.toISOString(),
    targets: rows.rows.map((r) => ({
      target: r.target as (typeof SLA_TARGETS)[number],
      met: Number(r.met),
      breached: Number(r.breached),
      compliance: Number(r.met) + Number(r.breached) ? Number(r.met) / (Number(r.met) + Number(r.breached)) : null,
    })),
  };
}
