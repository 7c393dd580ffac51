import { createHash } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../../platform/db/index.js';
import { auditInsert, recordAudit } from '../../../platform/audit.js';
import { newId } from '../../../platform/db/columns.js';
import { emitInTx, type AfterCommit, type EventServices } from '../../../platform/events.js';
import { runTogetherReturning } from '../../../platform/db/together.js';
import { attachments, ticketMessages, tickets } from '../db/schema.js';
import { statusAfterCustomerMessage, type TicketStatus } from '../domain/rules.js';
import { bodyDocument, subjectDocument, appendToSearchBody } from './search-index.js';
import { safeFilename } from './attachments.js';
import { pickAssignee, routeNewTicket } from '../../routing/index.js';

/** A file that came with a customer's message (email, chat), stored with the message. */
export interface IncomingFile {
  filename: string;
  contentType: string;
  content: Uint8Array;
  contentId?: string | null;
}

export interface CustomerMessageInput {
  channel: string;
  contactId: string;
  bodyHtml: string;
  bodyText: string;
  files: IncomingFile[];
  at: Date;
}

/** The rows for a message's files, and the INSERT for them, unexecuted (null without files). */
function filesInsert(tx: DbOrTx, ticketId: string, messageId: string, files: IncomingFile[]) {
  if (!files.length) return { insert: null, stored: [] };
  const rows = files.map((f) => {
    const data = Buffer.from(f.content.buffer, f.content.byteOffset, f.content.byteLength);
    return {
      id: newId(),
      ticketId,
      messageId,
      filename: safeFilename(f.filename),
      contentType: f.contentType || 'application/octet-stream',
      size: data.length,
      sha256: createHash('sha256').update(data).digest('hex'),
      data,
    };
  });
  return { insert: tx.insert(attachments).values(rows), stored: rows.map((r, i) => ({ id: r.id, contentId: files[i]!.contentId ?? null })) };
}

async function storeFiles(tx: DbOrTx, ticketId: string, messageId: string, files: IncomingFile[]) {
  const { insert, stored } = filesInsert(tx, ticketId, messageId, files);
  if (insert) await insert;
  return stored;
}

/** What a ticket about to be opened through a channel will be, for its first service-level deadline. */
export interface OpeningTicket {
  at: Date;
  channel: string;
  accountId: string | null;
  status: string;
  priority: string;
  categoryId: string | null;
  groupId: string;
  firstMessage: 'customer' | 'note';
}
type OpeningSlaDue = (tx: DbOrTx, ticket: OpeningTicket) => Promise<string | null>;
let openingSlaDue: OpeningSlaDue | null = null;

/**
 * The service-levels module tells a ticket's first deadline before the row is written, so the
 * row is written once: setting it just after, as recomputing does for a ticket that changes,
 * wrote every new ticket twice (a second row version in each of its twenty indexes). The
 * recompute that follows still checks it and corrects it if it differs.
 */
export function setOpeningSlaDue(fn: OpeningSlaDue) {
  openingSlaDue = fn;
}

/** The first deadline of a ticket about to be written, when the service-levels module is loaded. */
export const openingSlaDueOf = (db: DbOrTx, ticket: OpeningTicket) => (openingSlaDue ? openingSlaDue(db, ticket) : Promise.resolve(null));

/**
 * Opens a ticket for a message a customer sent through a channel (no agent involved): no category
 * yet, the channel's default group, the message as the first entry. Runs inside the caller's
 * transaction so the channel's own records commit with it.
 */
export async function openTicketFromChannel(
  tx: DbOrTx,
  input: CustomerMessageInput & {
    subject: string;
    accountId: string | null;
    groupId: string | null;
    followUpOfId?: string | null;
    tags?: string[];
    /** A call an agent logged about a call they made is their note, not the customer's message. */
    author?: { kind: 'customer' | 'note'; userId: string | null };
    categoryId?: string | null;
    reasonCodeId?: string | null;
  },
) {
  const ticketId = newId();
  const messageId = newId();
  const subject = input.subject.trim().slice(0, 500) || '(no subject)';
  // The channel's group is a default: routing rules (a key account's mail, say) may place it better.
  const route = await routeNewTicket(tx, {
    accountId: input.accountId,
    contactId: input.contactId,
    categoryId: input.categoryId ?? null,
    channel: input.channel,
    text: `${subject}\n${input.bodyText.slice(0, 20_000)}`,
    groupId: input.groupId,
  });
  // The default group is looked up only when neither the channel nor a rule gave one (rare).
  const groupId =
    route.groupId ??
    input.groupId ??
    (await tx.execute<{ id: string }>(sql`select g.id from groups g where g.kind = 'customer-service' order by g.name limit 1`)).rows[0]?.id ??
    null;
  const assigneeId = groupId ? await pickAssignee(tx, groupId, route.language, route.assignmentModes) : null;
  const slaDueAt = groupId
    ? await openingSlaDueOf(tx, {
        at: input.at,
        channel: input.channel,
        accountId: input.accountId,
        status: assigneeId ? 'open' : 'new',
        priority: route.priority ?? (tickets.priority.default as string),
        categoryId: input.categoryId ?? null,
        groupId,
        firstMessage: input.author?.kind === 'note' ? 'note' : 'customer',
      })
    : null;
  const ticketInsert = tx
    .insert(tickets)
    .values({
      id: ticketId,
      subject,
      description: input.bodyText.slice(0, 100_000),
      status: assigneeId ? 'open' : 'new',
      requesterId: input.contactId,
      accountId: input.accountId,
      groupId,
      assigneeId,
      ...(route.priority ? { priority: route.priority } : {}),
      channel: input.channel,
      tags: [...new Set([...(input.tags ?? []), ...route.tags])],
      followUpOfId: input.followUpOfId ?? null,
      categoryId: input.categoryId ?? null,
      reasonCodeId: input.reasonCodeId ?? null,
      createdById: input.author?.userId ?? null,
      searchSubject: subjectDocument(subject),
      searchBody: bodyDocument(input.bodyText),
      ...(slaDueAt ? { slaDueAt } : {}),
      createdAt: input.at,
      updatedAt: input.at,
    })
    .returning({ number: sql<string>`${tickets.number}::text`.as('ticket_number') });
  const messageInsert = tx.insert(ticketMessages).values({
    id: messageId,
    ticketId,
    kind: input.author?.kind ?? 'customer',
    channel: input.channel,
    authorContactId: input.author?.kind === 'note' ? null : input.contactId,
    authorUserId: input.author?.kind === 'note' ? input.author.userId : null,
    bodyHtml: input.bodyHtml,
    bodyText: input.bodyText,
    createdAt: input.at,
  });
  const { insert: fileRows, stored: files } = filesInsert(tx, ticketId, messageId, input.files);
  const insertAudit = auditInsert(tx, {
    actor: null,
    action: 'ticket.created',
    targetType: 'ticket',
    targetId: ticketId,
    ticketId,
    at: input.at,
    changes: [
      { field: 'status', before: null, after: assigneeId ? 'open' : 'new' },
      { field: 'groupId', before: null, after: groupId },
      ...(assigneeId ? [{ field: 'assigneeId', before: null, after: assigneeId }] : []),
      ...(route.ruleIds.length ? [{ field: 'routingRuleIds', before: null, after: route.ruleIds }] : []),
      { field: 'channel', before: null, after: input.channel },
      ...(input.followUpOfId ? [{ field: 'followUpOfId', before: null, after: input.followUpOfId }] : []),
    ],
  });
  // One statement for the ticket, its first message, its files and its audit entry: each was a
  // round trip of its own on every ticket a channel opens.
  const [row] = await runTogetherReturning<{ ticket_number: string }>(tx, ticketInsert, [messageInsert, fileRows, insertAudit]);
  const after = await emitInTx(tx, 'ticket.changed', { ticketId, at: input.at }, {});
  return { ticketId, number: Number(row!.ticket_number), messageId, files, after };
}

/**
 * Adds a customer's message to an existing ticket; a solved or pending ticket comes back to the
 * agents. The caller has already refused closed tickets (they get a follow-up instead).
 */
export async function addCustomerMessage(tx: DbOrTx, ticketId: string, input: CustomerMessageInput, services: EventServices) {
  const [ticket] = await tx.select({ status: tickets.status }).from(tickets).where(eq(tickets.id, ticketId)).for('update');
  if (!ticket) throw new Error(`ticket ${ticketId} vanished`);
  const from = ticket.status as TicketStatus;
  const to = statusAfterCustomerMessage(from);
  const messageId = newId();
  await tx.insert(ticketMessages).values({
    id: messageId,
    ticketId,
    kind: 'customer',
    channel: input.channel,
    authorContactId: input.contactId,
    bodyHtml: input.bodyHtml,
    bodyText: input.bodyText,
    createdAt: input.at,
  });
  const files = await storeFiles(tx, ticketId, messageId, input.files);
  await appendToSearchBody(tx, ticketId, input.bodyText);
  await tx
    .update(tickets)
    .set({
      updatedAt: input.at,
      ...(to !== from ? { status: to, version: sql`${tickets.version} + 1`, solvedAt: null } : {}),
    })
    .where(eq(tickets.id, ticketId));
  await recordAudit(tx, [
    { actor: null, action: 'message.customer_added', targetType: 'message', targetId: messageId, ticketId, at: input.at },
    ...(to !== from
      ? [{ actor: null, action: 'ticket.updated', targetType: 'ticket', targetId: ticketId, ticketId, changes: [{ field: 'status', before: from, after: to }], at: input.at }]
      : []),
  ]);
  const after: AfterCommit[] = await emitInTx(
    tx,
    'ticket.message_added',
    { ticketId, messageId, kind: 'customer', channel: input.channel, authorUserId: null, at: input.at },
    services,
  );
  if (to !== from) after.push(...(await emitInTx(tx, 'ticket.status_changed', { ticketId, from, to, at: input.at, actorUserId: null }, services)));
  return { messageId, files, statusBefore: from, statusAfter: to, after };
}

/** Rewrites a message's HTML once its inline images have addresses. */
export async function setMessageHtml(tx: DbOrTx, messageId: string, bodyHtml: string) {
  await tx.update(ticketMessages).set({ bodyHtml }).where(eq(ticketMessages.id, messageId));
}

/**
 * An agent's internal record made through a channel (a call they placed): a note marked with
 * that channel, so the timeline shows how the contact happened without emailing the customer.
 */
export async function addChannelNote(
  tx: DbOrTx,
  ticketId: string,
  input: { channel: string; authorUserId: string; bodyHtml: string; bodyText: string; at: Date },
  services: EventServices,
) {
  const messageId = newId();
  await tx.insert(ticketMessages).values({
    id: messageId,
    ticketId,
    kind: 'note',
    channel: input.channel,
    authorUserId: input.authorUserId,
    bodyHtml: input.bodyHtml,
    bodyText: input.bodyText,
    createdAt: input.at,
  });
  await appendToSearchBody(tx, ticketId, input.bodyText);
  await tx.update(tickets).set({ updatedAt: input.at }).where(eq(tickets.id, ticketId));
  const after: AfterCommit[] = await emitInTx(
    tx,
    'ticket.message_added',
    { ticketId, messageId, kind: 'note', channel: input.channel, authorUserId: input.authorUserId, at: input.at },
    services,
  );
  return { messageId, after };
}
