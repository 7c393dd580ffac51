import { sql } from 'drizzle-orm';
import { textArray, uuidArray } from '../db/repository.js';
import type { DbOrTx } from '../../../platform/db/index.js';
import { emitInTx, type AfterCommit, type EventServices } from '../../../platform/events.js';
import { calendarFor, computeClocks, liveClocks, type Clock, type SlaConfig } from '../domain/clocks.js';
import { BusinessCalendar } from '../domain/calendar.js';
import { loadHistories, loadSlaConfig } from '../db/repository.js';
import { slaDeadlines, slaEscalations, slaFacts } from '../db/schema.js';

const ALWAYS = BusinessCalendar.alwaysOpen();
const calOf = (config: SlaConfig, c: Clock) => (c.target_.unit === 'calendar_minutes' ? ALWAYS : calendarFor(config, c.calendarId).calendar);
const d = (ms: number | null) => (ms === null ? null : new Date(ms));

/** Business and calendar time from a clock's start to `end`, pauses excluded from the business figure. */
export function durations(config: SlaConfig, c: Clock, end: number) {
  const pauses = c.pauses.map((p) => [p[0], Math.min(p[1], end)] as [number, number]).filter((p) => p[1] > p[0]);
  return { businessMs: calOf(config, c).elapsed(c.startAt, end, pauses), calendarMs: end - c.startAt };
}

/**
 * Recomputes the stored clocks of the given tickets from their histories, inside the caller's
 * transaction: the live clock of each target is upserted, clocks that no longer apply are removed,
 * and every clock that stopped gets its `sla.met` (or late `sla.breached`) fact, once.
 */
export async function recomputeTickets(tx: DbOrTx, ticketIds: string[], now: Date, services: EventServices = {}, given?: SlaConfig): Promise<AfterCommit[]> {
  if (!ticketIds.length) return [];
  const config = given ?? (await loadSlaConfig(tx));
  // One after another: inside a transaction they share one connection (pg deprecates overlapping queries on it).
  const histories = await loadHistories(tx, ticketIds);
  const fired = await tx.select({ ticketId: slaEscalations.ticketId, target: slaEscalations.target, cycle: slaEscalations.cycle, stepKey: slaEscalations.stepKey }).from(slaEscalations).where(sql`${slaEscalations.ticketId} = any(${uuidArray(ticketIds)}::uuid[])`);
  const facts = await tx.select({ ticketId: slaFacts.ticketId, target: slaFacts.target, cycle: slaFacts.cycle, kind: slaFacts.kind }).from(slaFacts).where(sql`${slaFacts.ticketId} = any(${uuidArray(ticketIds)}::uuid[])`);
  const firedKeys = new Set(fired.map((f) => `${f.ticketId}|${f.target}|${f.cycle}|${f.stepKey}`));
  const factKeys = new Set(facts.map((f) => `${f.ticketId}|${f.target}|${f.cycle}|${f.kind}`));
  const rows: (typeof slaDeadlines.$inferInsert)[] = [];
  const newFacts: (typeof slaFacts.$inferInsert)[] = [];
  const after: AfterCommit[] = [];
  /** Each ticket's nearest running deadline, for queues sorted by it ('infinity': none). */
  const nextDue: { id: string; due: string }[] = [];

  for (const h of histories) {
    const all = computeClocks(config, h);
    let soonest = Infinity;
    for (const c of all) {
      if (c.stoppedAt === null) continue;
      const late = c.dueAt !== null && c.stoppedAt > c.dueAt;
      const kind = late ? 'sla.breached' : 'sla.met';
      if (factKeys.has(`${h.ticketId}|${c.target}|${c.cycle}|${kind}`)) continue;
      const at = late ? c.dueAt! : c.stoppedAt;
      newFacts.push({ kind, ticketId: h.ticketId, target: c.target, cycle: c.cycle, policyId: c.policyId, groupId: c.groupId, startAt: new Date(c.startAt), dueAt: d(c.dueAt), at: new Date(at), ...durations(config, c, at) });
    }
    for (const c of liveClocks(all)) {
      const steps = c.stoppedAt === null ? c.steps.filter((s) => !firedKeys.has(`${h.ticketId}|${c.target}|${c.cycle}|${s.key}`)) : [];
      const breachPending = c.stoppedAt === null && c.dueAt !== null && !factKeys.has(`${h.ticketId}|${c.target}|${c.cycle}|sla.breached`);
      const times = [...steps.map((s) => s.at), ...(breachPending ? [c.dueAt!] : [])];
      if (c.stoppedAt === null && c.dueAt !== null && c.dueAt < soonest) soonest = c.dueAt;
      rows.push({
        ticketId: h.ticketId,
        target: c.target,
        cycle: c.cycle,
        policyId: c.policyId,
        groupId: c.groupId,
        calendarId: c.calendarId,
        startAt: new Date(c.startAt),
        dueAt: d(c.dueAt),
        atRiskAt: d(c.atRiskAt),
        stoppedAt: d(c.stoppedAt),
        paused: c.pausedNow,
        budgetMs: c.budgetMs,
        steps: steps.map((s) => ({ key: s.key, at: new Date(s.at).toISOString() })),
        nextActionAt: times.length ? new Date(Math.min(...times)) : null,
        computedAt: now,
      });
    }
    nextDue.push({ id: h.ticketId, due: soonest === Infinity ? 'infinity' : new Date(soonest).toISOString() });
  }
  // Targets that no longer apply (the new policy has none) lose their stored clock.
  // One statement each, the rows travelling as one JSON document: thousands of bound parameters
  // cost more to send and plan than the work itself.
  // The kept (ticket, target) pairs join as a set: an array membership test per row was quadratic in the batch.
  await tx.execute(sql`
    delete from sla_deadlines d where d.ticket_id = any(${uuidArray(ticketIds)}::uuid[])
      and not exists (select 1 from unnest(${uuidArray(rows.map((r) => r.ticketId))}::uuid[], ${textArray(rows.map((r) => r.target))}::text[]) as k(ticket_id, target)
                      where k.ticket_id = d.ticket_id and k.target = d.target)`);
  for (let i = 0; i < rows.length; i += 5000) {
    const json = JSON.stringify(
      rows.slice(i, i + 5000).map((r) => ({
        ticket_id: r.ticketId, target: r.target, cycle: r.cycle, policy_id: r.policyId, group_id: r.groupId, calendar_id: r.calendarId,
        start_at: r.startAt, due_at: r.dueAt, at_risk_at: r.atRiskAt, stopped_at: r.stoppedAt, paused: r.paused, budget_ms: r.budgetMs,
        steps: r.steps, next_action_at: r.nextActionAt, computed_at: r.computedAt,
      })),
    );
    await tx.execute(sql`
      insert into sla_deadlines (ticket_id, target, cycle, policy_id, group_id, calendar_id, start_at, due_at, at_risk_at, stopped_at, paused, budget_ms, steps, next_action_at, computed_at)
      select ticket_id, target, cycle, policy_id, group_id, calendar_id, start_at, due_at, at_risk_at, stopped_at, paused, budget_ms, steps, next_action_at, computed_at
      from json_to_recordset(${json}::json) as x(ticket_id uuid, target text, cycle int, policy_id uuid, group_id uuid, calendar_id uuid, start_at timestamptz,
        due_at timestamptz, at_risk_at timestamptz, stopped_at timestamptz, paused boolean, budget_ms bigint, steps jsonb, next_action_at timestamptz, computed_at timestamptz)
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
  // Only tickets whose nearest deadline moved are written: a recompute mostly changes nothing.
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
