import { and, asc, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Config } from '../../../../platform/config.js';
import type { Db, DbOrTx } from '../../../../platform/db/index.js';
import type { Jobs } from '../../../../platform/jobs.js';
import type { Secrets } from '../../../../platform/secrets.js';
import { runAfterCommit, type AfterCommit } from '../../../../platform/events.js';
import { textToHtml } from '../../../../platform/html.js';
import { findOrCreateContact } from '../../../customers/index.js';
import { contacts } from '../../../customers/db/schema.js';
import { addCustomerMessage, openTicketFromChannel, tickets } from '../../../tickets/index.js';
import { channelConnectors, socialInbound, socialMessages } from '../db/schema.js';
import { parseEvent } from '../adapters.js';

export const INGEST_QUEUE = 'social.ingest';
export const MAX_INGEST_ATTEMPTS = 8;

/**
 * Stores a webhook delivery as it arrived, before the platform is answered. A redelivery of the
 * same event is the same row (only its delivery count moves); it is queued again only while it
 * still waits, so five deliveries are still one message.
 */
export async function storeEvent(db: DbOrTx, connectorId: string, eventKey: string, raw: string) {
  const [row] = await db
    .insert(socialInbound)
    .values({ connectorId, eventKey, raw })
    .onConflictDoUpdate({ target: [socialInbound.connectorId, socialInbound.eventKey], set: { deliveries: sql`${socialInbound.deliveries} + 1` } })
    .returning({ id: socialInbound.id, status: socialInbound.status });
  return row!;
}

export async function enqueueIngest(jobs: Jobs | undefined, ids: string[]) {
  if (!jobs) return;
  await jobs.sendMany(INGEST_QUEUE, ids.map((id) => ({ data: { id }, options: { singletonKey: id } })));
}

export async function strandedEvents(db: DbOrTx, olderThan: Date) {
  const rows = await db
    .select({ id: socialInbound.id })
    .from(socialInbound)
    .where(and(eq(socialInbound.status, 'received'), lt(socialInbound.receivedAt, olderThan)))
    .orderBy(asc(socialInbound.receivedAt))
    .limit(500);
  return rows.map((r) => r.id);
}

class Duplicate extends Error {}

const finish = (db: DbOrTx, id: string, set: { status: string; reason?: string | null; ticketId?: string | null }, now: Date) =>
  db.update(socialInbound).set({ ...set, processedAt: now }).where(eq(socialInbound.id, id));

/**
 * Turns a stored event into a customer message: the sender's handle finds (or creates) the contact,
 * and the conversation's open ticket takes the message (a closed one gets a follow-up). Messages of
 * one conversation are serialised, so concurrent deliveries cannot open two tickets.
 */
export async function processEvent(deps: { db: Db; config: Config; jobs?: Jobs; secrets?: Secrets; log: (m: string, e?: unknown) => void }, id: string) {
  const { db } = deps;
  const now = new Date();
  const [row] = await db
    .select({ ev: socialInbound, connector: channelConnectors })
    .from(socialInbound)
    .innerJoin(channelConnectors, eq(channelConnectors.id, socialInbound.connectorId))
    .where(eq(socialInbound.id, id));
  if (!row || row.ev.status !== 'received') return;
  const { ev, connector } = row;
  await db.update(socialInbound).set({ attempts: sql`${socialInbound.attempts} + 1` }).where(eq(socialInbound.id, id));
  try {
    const parsed = parseEvent(connector.kind, ev.raw);
    if (parsed.kind === 'ignored') {
      await finish(db, id, { status: 'ignored', reason: parsed.reason }, now);
      return;
    }
    const m = parsed.message;
    const found = await findOrCreateContact(
      { db, config: deps.config, actor: null, lang: 'en', now: () => now },
      { kind: 'social', platform: connector.platform, value: m.handle, name: m.name ?? undefined, create: true },
      'from',
    );
    const contact = found!.contact;
    if (found!.created) {
      await db.update(contacts).set({ preferredChannel: 'social', ...(m.language ? { language: m.language } : {}) }).where(eq(contacts.id, contact.id));
    }
    const after = await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`social:${connector.id}:${m.conversation}`}))`);
      const [last] = await tx
        .select({ ticketId: socialMessages.ticketId, status: tickets.status })
        .from(socialMessages)
        .innerJoin(tickets, eq(tickets.id, socialMessages.ticketId))
        .where(and(eq(socialMessages.connectorId, connector.id), eq(socialMessages.conversation, m.conversation)))
        .orderBy(desc(socialMessages.createdAt))
        .limit(1);
      const base = { channel: 'social', contactId: contact.id, bodyHtml: textToHtml(m.text), bodyText: m.text, files: [], at: now };
      let ticketId: string;
      let messageId: string;
      let after: AfterCommit[] = [];
      if (last && last.status !== 'closed') {
        const r = await addCustomerMessage(tx, last.ticketId, base, { jobs: deps.jobs, secrets: deps.secrets });
        ticketId = last.ticketId;
        messageId = r.messageId;
        after = r.after;
      } else {
        const firstLine = m.text.split('\n')[0]!.trim();
        const r = await openTicketFromChannel(tx, {
          ...base,
          subject: firstLine.length > 80 ? `${firstLine.slice(0, 77)}…` : firstLine || `${connector.name}: ${contact.name}`,
          accountId: contact.accountId,
          groupId: connector.groupId,
          followUpOfId: last?.ticketId ?? null,
          tags: [connector.platform],
        });
        ticketId = r.ticketId;
        messageId = r.messageId;
      }
      const inserted = await tx
        .insert(socialMessages)
        .values({ ticketId, ticketMessageId: messageId, connectorId: connector.id, direction: 'in', conversation: m.conversation, handle: m.handle, externalId: m.externalId, status: 'received', createdAt: now, updatedAt: now })
        .onConflictDoNothing()
        .returning({ id: socialMessages.id });
      if (!inserted.length) throw new Duplicate();
      await finish(tx, id, { status: 'processed', ticketId, reason: null }, now);
      await tx.update(channelConnectors).set({ lastReceivedAt: now }).where(eq(channelConnectors.id, connector.id));
      return after;
    });
    await runAfterCommit(after, (err) => deps.log('after-commit work failed', err));
  } catch (err) {
    if (err instanceof Duplicate) {
      // The same message came in another event (the platform resent it under a new id).
      await finish(db, id, { status: 'duplicate', reason: 'message already stored' }, now);
      return;
    }
    const [cur] = await db.select({ attempts: socialInbound.attempts }).from(socialInbound).where(eq(socialInbound.id, id));
    if ((cur?.attempts ?? 0) >= MAX_INGEST_ATTEMPTS) {
      // Kept with its reason for an admin to retry; never deleted.
      await finish(db, id, { status: 'failed', reason: `processing_failed: ${String((err as Error).message ?? err)}`.slice(0, 1000) }, now);
      deps.log('social event failed for good', err);
      return;
    }
    throw err;
  }
}

export async function requeueEvents(db: DbOrTx, ids: string[]) {
  if (!ids.length) return [];
  const rows = await db
    .update(socialInbound)
    .set({ status: 'received', attempts: 0, reason: null, processedAt: null })
    .where(and(inArray(socialInbound.id, ids), inArray(socialInbound.status, ['failed', 'ignored'])))
    .returning({ id: socialInbound.id });
  return rows.map((r) => r.id);
}
