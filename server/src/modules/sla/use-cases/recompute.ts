import { and, inArray, notInArray, sql } from 'drizzle-orm';
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
  const [histories, fired, facts] = await Promise.all([
    loadHistories(tx, ticketIds),
    tx.select({ ticketId: slaEscalations.ticketId, target: slaEscalations.target, cycle: slaEscalations.cycle, stepKey: slaEscalations.stepKey }).from(slaEscalations).where(inArray(slaEscalations.ticketId, ticketIds)),
    tx.select({ ticketId: slaFacts.ticketId, target: slaFacts.target, cycle: slaFacts.cycle, kind: slaFacts.kind }).from(slaFacts).where(inArray(slaFacts.ticketId, ticketIds)),
  ]);
  const firedKeys = new Set(fired.map((f) => `${f.ticketId}|${f.target}|${f.cycle}|${f.stepKey}`));
  const factKeys = new Set(facts.map((f) => `${f.ticketId}|${f.target}|${f.cycle}|${f.kind}`));
  const rows: (typeof slaDeadlines.$inferInsert)[] = [];
  const newFacts: (typeof slaFacts.$inferInsert)[] = [];
  const after: AfterCommit[] = [];

  for (const h of histories) {
    const all = computeClocks(config, h);
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
  }
  // Targets that no longer apply (the new policy has none) lose their stored clock.
  const keys = rows.map((r) => `${r.ticketId}|${r.target}`);
  await tx
    .delete(slaDeadlines)
    .where(and(inArray(slaDeadlines.ticketId, ticketIds), keys.length ? notInArray(sql<string>`${slaDeadlines.ticketId}::text || '|' || ${slaDeadlines.target}`, keys) : undefined));
  for (let i = 0; i < rows.length; i += 2000) {
    await tx
      .insert(slaDeadlines)
      .values(rows.slice(i, i + 2000))
      .onConflictDoUpdate({
        target: [slaDeadlines.ticketId, slaDeadlines.target],
        set: {
          cycle: sql`excluded.cycle`,
          policyId: sql`excluded.policy_id`,
          groupId: sql`excluded.group_id`,
          calendarId: sql`excluded.calendar_id`,
          startAt: sql`excluded.start_at`,
          dueAt: sql`excluded.due_at`,
          atRiskAt: sql`excluded.at_risk_at`,
          stoppedAt: sql`excluded.stopped_at`,
          paused: sql`excluded.paused`,
          budgetMs: sql`excluded.budget_ms`,
          steps: sql`excluded.steps`,
          nextActionAt: sql`excluded.next_action_at`,
          computedAt: sql`excluded.computed_at`,
        },
      });
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
