import { createHash } from 'node:crypto';
import { and, asc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../../../platform/db/index.js';
import type { Jobs } from '../../../../platform/jobs.js';
import { inboundEmails, mailboxes } from '../db/schema.js';

export const INGEST_QUEUE = 'email.ingest';

export interface RawDelivery {
  mailboxId: string;
  source: 'smtp' | 'imap' | 'api';
  raw: Buffer;
  envelopeFrom?: string | null;
  envelopeTo?: string[];
  remoteAddress?: string | null;
  imapUid?: number | null;
}

/**
 * Stores a message exactly as it arrived. Nothing else happens before this returns, so the only
 * way a message is acknowledged to its sender (SMTP 250, IMAP \Seen) is after it is in the
 * database; if this throws, the sender keeps the message and tries again.
 */
export async function storeInbound(db: DbOrTx, deliveries: RawDelivery[]): Promise<string[]> {
  if (!deliveries.length) return [];
  const rows = await db
    .insert(inboundEmails)
    .values(
      deliveries.map((d) => ({
        mailboxId: d.mailboxId,
        source: d.source,
        raw: d.raw,
        rawSha256: createHash('sha256').update(d.raw).digest('hex'),
        size: d.raw.length,
        envelopeFrom: d.envelopeFrom ?? null,
        envelopeTo: d.envelopeTo ?? [],
        remoteAddress: d.remoteAddress ?? null,
        imapUid: d.imapUid ?? null,
      })),
    )
    .returning({ id: inboundEmails.id });
  return rows.map((r) => r.id);
}

export async function enqueueIngest(jobs: Jobs | undefined, ids: string[]) {
  if (!jobs) return;
  await jobs.sendMany(INGEST_QUEUE, ids.map((id) => ({ data: { id }, options: { singletonKey: id } })));
}

/** Stored messages still waiting for a ticket after `olderThan`: their job was lost, or is late. */
export async function strandedInbound(db: DbOrTx, olderThan: Date) {
  const rows = await db
    .select({ id: inboundEmails.id })
    .from(inboundEmails)
    .where(and(eq(inboundEmails.status, 'received'), lt(inboundEmails.receivedAt, olderThan)))
    .orderBy(asc(inboundEmails.receivedAt))
    .limit(500);
  return rows.map((r) => r.id);
}

const TOUCH_EVERY_MS = 1000;
/** When this process last moved each mailbox's time, so the next second's messages skip the statement. */
const lastTouched = new Map<string, number>();

/**
 * Moves a mailbox's last-received time forward. At most once a second per mailbox: every intake
 * transaction writing the same row would queue them all behind its lock until each commits.
 */
export async function touchMailboxes(db: DbOrTx, mailboxIds: string[], at: Date) {
  const ids = mailboxIds.filter((id) => Math.abs(at.getTime() - (lastTouched.get(id) ?? 0)) >= TOUCH_EVERY_MS);
  if (!ids.length) return;
  for (const id of ids) lastTouched.set(id, at.getTime());
  await db
    .update(mailboxes)
    .set({ lastReceivedAt: sql`greatest(${mailboxes.lastReceivedAt}, ${at})` })
    .where(and(inArray(mailboxes.id, ids), sql`(${mailboxes.lastReceivedAt} is null or ${mailboxes.lastReceivedAt} < ${new Date(at.getTime() - 1000)})`));
}
