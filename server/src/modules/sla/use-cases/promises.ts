import { and, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../../platform/db/index.js';
import { slaDeadlines } from '../db/schema.js';

export interface Promise_ {
  firstResponseDueAt: Date | null;
  respondedAt: Date | null;
  resolutionDueAt: Date | null;
}

/**
 * What we promised a customer, from the stored deadlines (kept current in every ticket change's
 * transaction): when the first answer is due and came, and when the ticket is due to be solved.
 */
export async function promisedTimes(db: DbOrTx, ticketIds: string[]): Promise<Map<string, Promise_>> {
  const out = new Map<string, Promise_>();
  if (!ticketIds.length) return out;
  const rows = await db
    .select({ ticketId: slaDeadlines.ticketId, target: slaDeadlines.target, dueAt: slaDeadlines.dueAt, stoppedAt: slaDeadlines.stoppedAt })
    .from(slaDeadlines)
    .where(and(inArray(slaDeadlines.ticketId, ticketIds), inArray(slaDeadlines.target, ['first_response', 'resolution'])));
  for (const id of ticketIds) out.set(id, { firstResponseDueAt: null, respondedAt: null, resolutionDueAt: null });
  for (const r of rows) {
    const p = out.get(r.ticketId)!;
    if (r.target === 'first_response') {
      p.firstResponseDueAt = r.dueAt;
      p.respondedAt = r.stoppedAt;
    } else {
      p.resolutionDueAt = r.dueAt;
    }
  }
  return out;
}
