import type { Agent } from 'undici';
import { and, asc, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../../../platform/db/index.js';
import type { Jobs } from '../../../../platform/jobs.js';
import type { Secrets } from '../../../../platform/secrets.js';
import { ticketMessages, tickets } from '../../../tickets/index.js';
import { channelConnectors, socialMessages } from '../db/schema.js';
import { DeliveryError, deliver } from '../adapters.js';

export const SEND_QUEUE = 'social.send';
export const MAX_SEND_ATTEMPTS = 8;

/**
 * Queues an agent's reply to the conversation's platform, in the reply's own transaction, to
 * where the customer last wrote from. Returns the outbox row's id, or null when the ticket has
 * no platform conversation.
 */
export async function queueReply(tx: DbOrTx, ticketId: string, ticketMessageId: string, now: Date) {
  const [last] = await tx
    .select({ connectorId: socialMessages.connectorId, conversation: socialMessages.conversation, handle: socialMessages.handle })
    .from(socialMessages)
    .where(and(eq(socialMessages.ticketId, ticketId), eq(socialMessages.direction, 'in')))
    .orderBy(desc(socialMessages.createdAt))
    .limit(1);
  if (!last) return null;
  const [row] = await tx
    .insert(socialMessages)
    .values({ ticketId, ticketMessageId, connectorId: last.connectorId, direction: 'out', conversation: last.conversation, handle: last.handle, status: 'queued', createdAt: now, updatedAt: now })
    .returning({ id: socialMessages.id });
  return row!.id;
}

export async function enqueueSend(jobs: Jobs | undefined, ids: string[]) {
  if (!jobs) return;
  await jobs.sendMany(SEND_QUEUE, ids.map((id) => ({ data: { id }, options: { singletonKey: id } })));
}

export async function strandedReplies(db: DbOrTx, olderThan: Date) {
  const rows = await db
    .select({ id: socialMessages.id })
    .from(socialMessages)
    .where(and(eq(socialMessages.status, 'queued'), eq(socialMessages.direction, 'out'), lt(socialMessages.updatedAt, olderThan)))
    .orderBy(asc(socialMessages.createdAt))
    .limit(500);
  return rows.map((r) => r.id);
}

/**
 * One delivery attempt. A failure that may pass (timeout, 5xx, 429) is thrown so the job queue
 * tries again with backoff; after the last attempt, or at once when retrying cannot help, the
 * reply is marked failed with the reason, for the agent to see and resend.
 */
export async function sendReply(deps: { db: Db; secrets: Secrets; http: Agent }, id: string) {
  const { db, secrets, http } = deps;
  const [row] = await db
    .select({ msg: socialMessages, connector: channelConnectors, text: ticketMessages.bodyText, ticketNumber: tickets.number })
    .from(socialMessages)
    .innerJoin(channelConnectors, eq(channelConnectors.id, socialMessages.connectorId))
    .innerJoin(tickets, eq(tickets.id, socialMessages.ticketId))
    .leftJoin(ticketMessages, eq(ticketMessages.id, socialMessages.ticketMessageId))
    .where(eq(socialMessages.id, id));
  if (!row || row.msg.direction !== 'out' || row.msg.status !== 'queued') return;
  const { msg, connector } = row;
  const [counted] = await db
    .update(socialMessages)
    .set({ attempts: sql`${socialMessages.attempts} + 1`, updatedAt: new Date() })
    .where(eq(socialMessages.id, id))
    .returning({ attempts: socialMessages.attempts });
  try {
    const externalId = await deliver(
      connector,
      { id: msg.id, conversation: msg.conversation, handle: msg.handle, text: row.text ?? '', ticketNumber: row.ticketNumber },
      { webhookSecret: secrets.decrypt(connector.webhookSecretEnc), token: connector.outboundTokenEnc ? secrets.decrypt(connector.outboundTokenEnc) : null },
      http,
    );
    await db
      .update(socialMessages)
      .set({ status: 'sent', sentAt: new Date(), lastError: null, externalId: externalId ?? msg.id, updatedAt: new Date() })
      .where(eq(socialMessages.id, id));
  } catch (err) {
    const message = String((err as Error).message ?? err).slice(0, 1000);
    const retryable = !(err instanceof DeliveryError) || err.retryable;
    const last = !retryable || counted!.attempts >= MAX_SEND_ATTEMPTS;
    await db
      .update(socialMessages)
      .set({ lastError: message, updatedAt: new Date(), ...(last ? { status: 'failed' } : {}) })
      .where(eq(socialMessages.id, id));
    if (!last) throw err;
  }
}

/** An agent sends a failed reply again. */
export async function resendReplies(db: DbOrTx, ids: string[]) {
  if (!ids.length) return [];
  const rows = await db
    .update(socialMessages)
    .set({ status: 'queued', attempts: 0, updatedAt: new Date() })
    .where(and(inArray(socialMessages.id, ids), eq(socialMessages.direction, 'out'), eq(socialMessages.status, 'failed')))
    .returning({ id: socialMessages.id });
  return rows.map((r) => r.id);
}

/** Platform details for timeline messages that came or went through a connector. */
export async function socialOfMessages(db: DbOrTx, messageIds: string[]) {
  const rows = await db
    .select({ m: socialMessages, name: channelConnectors.name, platform: channelConnectors.platform })
    .from(socialMessages)
    .innerJoin(channelConnectors, eq(channelConnectors.id, socialMessages.connectorId))
    .where(inArray(socialMessages.ticketMessageId, messageIds));
  const out = new Map<string, Record<string, unknown>>();
  for (const { m, name, platform } of rows) {
    out.set(m.ticketMessageId!, {
      social: {
        id: m.id,
        direction: m.direction,
        platform,
        connector: { id: m.connectorId, name },
        handle: m.handle,
        status: m.status,
        attempts: m.attempts,
        lastError: m.lastError,
        sentAt: m.sentAt,
      },
    });
  }
  return out;
}
