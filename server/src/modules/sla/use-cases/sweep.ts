import { and, asc, eq, lte, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../../platform/db/index.js';
import { emitInTx, runAfterCommit, type AfterCommit, type EventServices } from '../../../platform/events.js';
import { tickets } from '../../tickets/db/schema.js';
import { applySystemChange } from '../../tickets/index.js';
import { raisePriority, type LadderStep, type SlaConfig } from '../domain/clocks.js';
import { loadSlaConfig } from '../db/repository.js';
import { slaDeadlines, slaEscalations, slaFacts } from '../db/schema.js';
import { notifyUsers } from './notify.js';
import { recomputeTickets } from './recompute.js';

export interface SweepResult {
  clocks: number;
  stepsFired: number;
  breaches: number;
}

function ladderStep(config: SlaConfig, row: { policyId: string | null; groupId: string | null; target: string }, key: string): LadderStep | undefined {
  const ladderId =
    row.target === 'internal'
      ? (row.groupId ? config.groups.get(row.groupId)?.ladderId : null)
      : config.policies.find((p) => p.id === row.policyId)?.ladderId;
  return ladderId ? config.ladders.get(ladderId)?.find((s) => s.key === key) : undefined;
}

async function recipients(tx: DbOrTx, ticket: { assigneeId: string | null; groupId: string | null }, who: string[]): Promise<string[]> {
  const ids = new Set<string>();
  if (who.includes('assignee') && ticket.assigneeId) ids.add(ticket.assigneeId);
  if (who.includes('supervisors') && ticket.groupId) {
    const res = await tx.execute<{ id: string }>(
      sql`select u.id from users u join group_memberships m on m.user_id = u.id where m.group_id = ${ticket.groupId} and u.active and 'supervisor' = any(u.roles)`,
    );
    res.rows.forEach((r) => ids.add(r.id));
  }
  if (who.includes('managers')) {
    const res = await tx.execute<{ id: string }>(sql`select u.id from users u where u.active and 'manager' = any(u.roles)`);
    res.rows.forEach((r) => ids.add(r.id));
  }
  return [...ids];
}

async function runStep(tx: DbOrTx, step: LadderStep, row: { ticketId: string; target: string; dueAt: Date | null }, now: Date, services: EventServices): Promise<AfterCommit[]> {
  const after: AfterCommit[] = [];
  for (const action of step.actions) {
    const [t] = await tx.select({ assigneeId: tickets.assigneeId, groupId: tickets.groupId, priority: tickets.priority }).from(tickets).where(eq(tickets.id, row.ticketId));
    if (!t) return after;
    if (action.type === 'notify') {
      const userIds = await recipients(tx, t, action.recipients);
      after.push(...(await notifyUsers(tx, { ticketId: row.ticketId, target: row.target, stepKey: step.key, dueAt: row.dueAt, now, userIds }, services)));
    } else if (action.type === 'raise_priority') {
      after.push(...(await applySystemChange(tx, row.ticketId, { priority: raisePriority(t.priority) }, now, `sla.escalation:${step.key}`, services)).after);
    } else if (action.type === 'move') {
      const patch: { groupId?: string | null; assigneeId?: string | null } = {};
      if (action.groupId !== undefined) patch.groupId = action.groupId;
      if (action.assigneeId !== undefined) patch.assigneeId = action.assigneeId;
      after.push(...(await applySystemChange(tx, row.ticketId, patch, now, `sla.escalation:${step.key}`, services)).after);
    }
  }
  return after;
}

/**
 * Runs every escalation step and records every breach that is due at `now`, catching up on all
 * that fell due while no worker ran. Safe to run in several processes at once: a clock is taken
 * with SKIP LOCKED, and the unique key on fired steps lets a step's actions commit only once.
 */
export async function sweepSla(db: Db, now: Date, services: EventServices = {}, batch = 200): Promise<SweepResult> {
  const result: SweepResult = { clocks: 0, stepsFired: 0, breaches: 0 };
  for (let round = 0; round < 1000; round++) {
    const due = await db
      .select({ ticketId: slaDeadlines.ticketId, target: slaDeadlines.target })
      .from(slaDeadlines)
      .where(lte(slaDeadlines.nextActionAt, now))
      .orderBy(asc(slaDeadlines.nextActionAt))
      .limit(batch);
    if (!due.length) break;
    let progressed = 0;
    for (const key of due) {
      const after = await db.transaction(async (tx) => {
        const [row] = await tx
          .select()
          .from(slaDeadlines)
          .where(and(eq(slaDeadlines.ticketId, key.ticketId), eq(slaDeadlines.target, key.target), lte(slaDeadlines.nextActionAt, now)))
          .for('update', { skipLocked: true });
        if (!row) return [];
        progressed++;
        result.clocks++;
        const config = await loadSlaConfig(tx);
        const after: AfterCommit[] = [];
        for (const s of row.steps) {
          if (Date.parse(s.at) > now.getTime()) continue;
          const step = ladderStep(config, row, s.key);
          const inserted = await tx
            .insert(slaEscalations)
            .values({ ticketId: row.ticketId, target: row.target, cycle: row.cycle, stepKey: s.key, dueAt: new Date(s.at), firedAt: now, actions: step?.actions ?? [] })
            .onConflictDoNothing()
            .returning({ id: slaEscalations.id });
          if (!inserted.length || !step) continue;
          result.stepsFired++;
          after.push(...(await emitInTx(tx, 'sla.escalated', { ticketId: row.ticketId, target: row.target, cycle: row.cycle, stepKey: s.key, at: new Date(s.at) }, services)));
          after.push(...(await runStep(tx, step, row, now, services)));
        }
        if (row.dueAt && row.dueAt <= now && !row.stoppedAt) {
          const budget = row.budgetMs;
          const fact = await tx
            .insert(slaFacts)
            .values({ kind: 'sla.breached', ticketId: row.ticketId, target: row.target, cycle: row.cycle, policyId: row.policyId, groupId: row.groupId, startAt: row.startAt, dueAt: row.dueAt, at: row.dueAt, businessMs: budget, calendarMs: row.dueAt.getTime() - row.startAt.getTime() })
            .onConflictDoNothing()
            .returning();
          if (fact.length) {
            result.breaches++;
            after.push(...(await emitInTx(tx, 'sla.breached', { ticketId: row.ticketId, target: row.target, cycle: row.cycle, dueAt: row.dueAt, businessMs: budget, calendarMs: fact[0]!.calendarMs }, services)));
          }
        }
        after.push(...(await recomputeTickets(tx, [row.ticketId], now, services, config)));
        return after;
      });
      await runAfterCommit(after, () => {});
    }
    if (due.length < batch || progressed === 0) break;
  }
  return result;
}
