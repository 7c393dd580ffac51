import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../../platform/db/index.js';
import { recordAudit } from '../../../platform/audit.js';
import type { FieldChange } from '../../../platform/db/audit.schema.js';
import { emitInTx, type AfterCommit, type EventServices } from '../../../platform/events.js';
import { tickets } from '../db/schema.js';

/**
 * A change the system makes to a ticket on its own (an escalation step raising the priority or
 * moving it), inside the caller's transaction, audited with no actor and the reason given.
 * Returns false when there was nothing to change or the ticket is closed.
 */
export async function applySystemChange(
  tx: DbOrTx,
  ticketId: string,
  patch: { priority?: string; groupId?: string | null; assigneeId?: string | null },
  at: Date,
  reason: string,
  services: EventServices,
): Promise<{ changed: boolean; after: AfterCommit[] }> {
  const [t] = await tx
    .select({ status: tickets.status, priority: tickets.priority, groupId: tickets.groupId, assigneeId: tickets.assigneeId })
    .from(tickets)
    .where(eq(tickets.id, ticketId))
    .for('update');
  if (!t || t.status === 'closed') return { changed: false, after: [] };
  const set: Partial<typeof tickets.$inferInsert> = {};
  const changes: FieldChange[] = [];
  for (const field of ['priority', 'groupId', 'assigneeId'] as const) {
    const value = patch[field];
    if (value === undefined || value === t[field]) continue;
    (set as Record<string, unknown>)[field] = value;
    changes.push({ field, before: t[field] ?? null, after: value });
  }
  if (!changes.length) return { changed: false, after: [] };
  await tx.update(tickets).set({ ...set, version: sql`${tickets.version} + 1`, updatedAt: at }).where(eq(tickets.id, ticketId));
  await recordAudit(tx, {
    actor: null,
    action: 'ticket.updated',
    targetType: 'ticket',
    targetId: ticketId,
    ticketId,
    changes: [...changes, { field: 'reason', before: null, after: reason }],
    at,
  });
  return { changed: true, after: await emitInTx(tx, 'ticket.changed', { ticketId, at }, services) };
}
