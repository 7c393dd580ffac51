import { eq, sql } from 'drizzle-orm';
import { accounts } from '../../customers/db/schema.js';
import type { OpeningTicket } from '../../tickets/index.js';
import { textArray, uuidArray } from '../db/repository.js';
import type { DbOrTx } from '../../../platform/db/index.js';
import { emitInTx, type AfterCommit, type EventServices } from '../../../platform/events.js';
import { calendarFor, computeClocks, liveClocks, type Clock, type SlaConfig } from '../domain/clocks.js';
import { BusinessCalendar } from '../domain/calendar.js';
import { loadSlaConfig, loadSlaStates, type StoredClock } from '../db/repository.js';
import { slaDeadlines, slaFacts } from '../db/schema.js';

const ALWAYS = BusinessCalendar.alwaysOpen();
const calOf = (config: SlaConfig, c: Clock) => (c.target_.unit === 'calendar_minutes' ? ALWAYS : calendarFor(config, c.calendarId).calendar);
const d = (ms: number | null) => (ms === null ? null : new Date(ms));

/** Business and calendar time from a clock's start to `end`, pauses excluded from the business figure. */
export function durations(config: SlaConfig, c: Clock, end: number) {
  const pauses = c.pauses.map((p) => [p[0], Math.min(p[1], end)] as [number, number]).filter((p) => p[1] > p[0]);
  return { businessMs: calOf(config, c).elapsed(c.startAt, end, pauses), calendarMs: end - c.startAt };
}

/** Whether a stored clock already holds what was computed (the columns the upsert compares). */
function sameClock(was: StoredClock, now: Omit<StoredClock, 'target'>): boolean {
  return (
    was.cycle === now.cycle &&
    was.policyId === now.policyId &&
    was.groupId === now.groupId &&
    was.calendarId === now.calendarId &&
    was.startAt === now.startAt &&
    was.dueAt === now.dueAt &&
    was.atRiskAt === now.atRiskAt &&
    was.stoppedAt === now.stoppedAt &&
    was.paused === now.paused &&
    was.budgetMs === now.budgetMs &&
    was.nextActionAt === now.nextActionAt &&
    was.steps.length === now.steps.length &&
    was.steps.every((s, i) => s.key === now.steps[i]!.key && s.at === now.steps[i]!.at)
  );
}

/**
 * The first deadline of a ticket not yet written ('infinity': none), from the same rules the
 * recompute applies to its history; the recompute after the insert corrects it if it differs.
 */
export async function dueForOpeningTicket(tx: DbOrTx, t: OpeningTicket): Promise<string> {
  const config = await loadSlaConfig(tx);
  let account: { tier: string | null; keyAccount: boolean } | undefined;
  if (t.accountId) [account] = await tx.select({ tier: accounts.tier, keyAccount: accounts.keyAccount }).from(accounts).where(eq(accounts.id, t.accountId));
  const at = t.at.getTime();
  const clocks = computeClocks(config, {
    ticketId: '',
    createdAt: at,
    channel: t.channel,
    accountTier: account?.tier ?? null,
    keyAccount: account?.keyAccount ?? false,
    initial: { status: t.status, priority: t.priority, categoryId: t.categoryId, groupId: t.groupId },
    changes: [],
    messages: t.firstMessage === 'customer' ? [{ at, kind: 'customer' }] : [],
  });
  let soonest = Infinity;
  for (const c of liveClocks(clocks)) if (c.stoppedAt === null && c.dueAt !== null && c.dueAt < soonest) soonest = c.dueAt;
  return soonest === Infinity ? 'infinity' : new Date(soonest).toISOString();
}

/**
 * Recomputes the stored clocks of the given tickets from their histories, inside the caller's
 * transaction: the live clock of each target is upserted, clocks that no longer apply are removed,
 * and every clock that stopped gets its `sla.met` (or late `sla.breached`) fact, once.
 */
export async function recomputeTickets(tx: DbOrTx, ticketIds: string[], now: Date, services: EventServices = {}, given?: SlaConfig): Promise<AfterCommit[]> {
  if (!ticketIds.length) return [];
  const config = given ?? (await loadSlaConfig(tx));
  const states = await loadSlaStates(tx, ticketIds);
  /** Clocks that are new or moved; clocks that did not move are not sent at all. */
  const rows: (typeof slaDeadlines.$inferInsert)[] = [];
  const stale: { ticketId: string; target: string }[] = [];
  const newFacts: (typeof slaFacts.$inferInsert)[] = [];
  const after: AfterCommit[] = [];
  /** Tickets whose nearest running deadline moved, for queues sorted by it ('infinity': none). */
  const nextDue: { id: string; due: string }[] = [];

  for (const { history: h, fired, facts, clocks: stored, slaDueMs } of states) {
    const all = computeClocks(config, h);
    let soonest = Infinity;
    for (const c of all) {
      if (c.stoppedAt === null) continue;
      const late = c.dueAt !== null && c.stoppedAt > c.dueAt;
      const kind = late ? 'sla.breached' : 'sla.met';
      if (facts.size && facts.has(`${c.target}|${c.cycle}|${kind}`)) continue;
      const at = late ? c.dueAt! : c.stoppedAt;
      newFacts.push({ kind, ticketId: h.ticketId, target: c.target, cycle: c.cycle, policyId: c.policyId, groupId: c.groupId, startAt: new Date(c.startAt), dueAt: d(c.dueAt), at: new Date(at), ...durations(config, c, at) });
    }
    const live = liveClocks(all);
    for (const c of live) {
      // Most tickets have no fired step and no fact yet: no keys are made for them.
      const steps: { key: string; at: string }[] = [];
      let nextActionAt = c.stoppedAt === null && c.dueAt !== null && !(facts.size && facts.has(`${c.target}|${c.cycle}|sla.breached`)) ? c.dueAt : Infinity;
      if (c.stoppedAt === null) {
        for (const s of c.steps) {
          if (fired.size && fired.has(`${c.target}|${c.cycle}|${s.key}`)) continue;
          steps.push({ key: s.key, at: new Date(s.at).toISOString() });
          nextActionAt = Math.min(nextActionAt, s.at);
        }
      }
      if (c.stoppedAt === null && c.dueAt !== null && c.dueAt < soonest) soonest = c.dueAt;
      const row = {
        ticketId: h.ticketId,
        target: c.target,
        cycle: c.cycle,
        policyId: c.policyId,
        groupId: c.groupId,
        calendarId: c.calendarId,
        startAt: c.startAt,
        dueAt: c.dueAt,
        atRiskAt: c.atRiskAt,
        stoppedAt: c.stoppedAt,
        paused: c.pausedNow,
        budgetMs: c.budgetMs,
        steps,
        nextActionAt: nextActionAt === Infinity ? null : nextActionAt,
      };
      let was: StoredClock | undefined;
      for (const x of stored) if (x.target === c.target) was = x;
      if (was && sameClock(was, row)) continue;
      rows.push({ ...row, startAt: new Date(row.startAt), dueAt: d(row.dueAt), atRiskAt: d(row.atRiskAt), stoppedAt: d(row.stoppedAt), nextActionAt: d(row.nextActionAt), computedAt: now });
    }
    // Targets that no longer apply (the new policy has none) lose their stored clock.
    for (const x of stored) {
      let kept = false;
      for (const c of live) kept ||= c.target === x.target;
      if (!kept) stale.push({ ticketId: h.ticketId, target: x.target });
    }
    if (soonest !== slaDueMs) nextDue.push({ id: h.ticketId, due: soonest === Infinity ? 'infinity' : new Date(soonest).toISOString() });
  }
  // Each write is one statement with its rows travelling as one JSON document (thousands of bound
  // parameters cost more to send and plan than the work), and only what changed travels: after a
  // configuration change most clocks do not move, and a ticket row rewritten for nothing would
  // rewrite its search vector and a score of indexes.
  if (stale.length) {
    await tx.execute(sql`
      delete from sla_deadlines d using unnest(${uuidArray(stale.map((r) => r.ticketId))}::uuid[], ${textArray(stale.map((r) => r.target))}::text[]) as k(ticket_id, target)
      where k.ticket_id = d.ticket_id and k.target = d.target`);
  }
  for (let i = 0; i < rows.length; i += 5000) {
    // Steps travel as text: json_to_recordset makes a jsonb column several times slower than the rest of the row.
    const json = JSON.stringify(
      rows.slice(i, i + 5000).map((r) => ({
        ticket_id: r.ticketId, target: r.target, cycle: r.cycle, policy_id: r.policyId, group_id: r.groupId, calendar_id: r.calendarId,
        start_at: r.startAt, due_at: r.dueAt, at_risk_at: r.atRiskAt, stopped_at: r.stoppedAt, paused: r.paused, budget_ms: r.budgetMs,
        steps: JSON.stringify(r.steps), next_action_at: r.nextActionAt, computed_at: r.computedAt,
      })),
    );
    await tx.execute(sql`
      insert into sla_deadlines (ticket_id, target, cycle, policy_id, group_id, calendar_id, start_at, due_at, at_risk_at, stopped_at, paused, budget_ms, steps, next_action_at, computed_at)
      select ticket_id, target, cycle, policy_id, group_id, calendar_id, start_at, due_at, at_risk_at, stopped_at, paused, budget_ms, steps::jsonb, next_action_at, computed_at
      from json_to_recordset(${json}::json) as x(ticket_id uuid, target text, cycle int, policy_id uuid, group_id uuid, calendar_id uuid, start_at timestamptz,
        due_at timestamptz, at_risk_at timestamptz, stopped_at timestamptz, paused boolean, budget_ms bigint, steps text, next_action_at timestamptz, computed_at timestamptz)
      on conflict (ticket_id, target) do update set cycle = excluded.cycle, policy_id = excluded.policy_id, group_id = excluded.group_id,
        calendar_id = excluded.calendar_id, start_at = excluded.start_at, due_at = excluded.due_at, at_risk_at = excluded.at_risk_at,
        stopped_at = excluded.stopped_at, paused = excluded.paused, budget_ms = excluded.budget_ms, steps = excluded.steps,
        next_action_at = excluded.next_action_at, computed_at = excluded.computed_at
      -- A clock the recompute did not move is left alone: no dead tuple, no index churn. After a
      -- configuration change most clocks do not move; computed_at is when a clock last changed.
      where (sla_deadlines.cycle, sla_deadlines.policy_id, sla_deadlines.group_id, sla_deadlines.calendar_id, sla_deadlines.start_at,
             sla_deadlines.due_at, sla_deadlines.at_risk_at, sla_deadlines.stopped_at, sla_deadlines.paused, sla_deadlines.budget_ms,
             sla_deadlines.steps, sla_deadlines.next_action_at)
        is distinct from (excluded.cycle, excluded.policy_id, excluded.group_id, excluded.calendar_id, excluded.start_at,
             excluded.due_at, excluded.at_risk_at, excluded.stopped_at, excluded.paused, excluded.budget_ms, excluded.steps, excluded.next_action_at)`);
  }
  for (let i = 0; i < nextDue.length; i += 5000) {
    await tx.execute(sql`
      update tickets t set sla_due_at = x.due
      from json_to_recordset(${JSON.stringify(nextDue.slice(i, i + 5000))}::json) as x(id uuid, due timestamptz)
      where t.id = x.id and t.sla_due_at is distinct from x.due`);
  }
  if (newFacts.length) {
    const inserted = await tx.insert(slaFacts).values(newFacts).onConflictDoNothing().returning();
    for (const f of inserted) {
      if (f.kind === 'sla.met') {
        after.push(...(await emitInTx(tx, 'sla.met', { ticketId: f.ticketId, target: f.target, cycle: f.cycle, at: f.at, businessMs: f.businessMs, calendarMs: f.calendarMs }, services)));
      } else {
        after.push(...(await emitInTx(tx, 'sla.breached', { ticketId: f.ticketId, target: f.target, cycle: f.cycle, dueAt: f.at, businessMs: f.businessMs, calendarMs: f.calendarMs }, services)));
      }
    }
  }
  return after;
}
