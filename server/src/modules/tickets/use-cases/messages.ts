import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Static } from 'typebox';
import type { NewMessageBody } from '@caredesk/contracts';
import type { AuthedCtx } from '../../../platform/context.js';
import { unprocessable, validation } from '../../../platform/errors.js';
import { recordAudit } from '../../../platform/audit.js';
import { newId } from '../../../platform/db/columns.js';
import type { DbOrTx } from '../../../platform/db/index.js';
import { auditEvents } from '../../../platform/db/audit.schema.js';
import { htmlToText, sanitiseHtml, textToHtml } from '../../../platform/html.js';
import { ticketMessages, tickets } from '../db/schema.js';
import { users } from '../../people/db/schema.js';
import { contacts } from '../../customers/db/schema.js';
import { attachmentsOfMessages, attachmentUrl } from '../db/queries.js';
import { statusAfterAgentReply, statusAfterCustomerMessage, type TicketStatus } from '../domain/rules.js';
import { appendToSearchBody } from './search-index.js';
import { claimUploads } from './attachments.js';
import { getTicket } from './get-ticket.js';
import { emitInTx, runAfterCommit } from '../../../platform/events.js';

export type MessageKind = 'reply' | 'note' | 'customer';

/** Both forms of a body: sanitised HTML to show, plain text to search and quote. */
export function messageBody(input: { bodyHtml?: string; bodyText?: string }) {
  if (input.bodyHtml && input.bodyHtml.trim()) {
    const html = sanitiseHtml(input.bodyHtml);
    return { bodyHtml: html, bodyText: input.bodyText?.trim() || htmlToText(html) };
  }
  const text = (input.bodyText ?? '').trim();
  return { bodyHtml: textToHtml(text), bodyText: text };
}

export interface NewMessage {
  ticketId: string;
  kind: MessageKind;
  channel: string;
  authorUserId?: string | null;
  authorContactId?: string | null;
  bodyHtml: string;
  bodyText: string;
  at?: Date;
}

/** The INSERT for a message with a known id, unexecuted, so ticket creation can batch it. */
export function messageInsert(db: DbOrTx, id: string, m: NewMessage) {
  return db.insert(ticketMessages).values({
    id,
    ticketId: m.ticketId,
    kind: m.kind,
    channel: m.channel,
    authorUserId: m.authorUserId ?? null,
    authorContactId: m.authorContactId ?? null,
    bodyHtml: m.bodyHtml,
    bodyText: m.bodyText,
    ...(m.at ? { createdAt: m.at } : {}),
  });
}

export async function insertMessage(db: DbOrTx, m: NewMessage) {
  const id = newId();
  await messageInsert(db, id, m);
  await appendToSearchBody(db, m.ticketId, m.bodyText);
  return id;
}

/**
 * An agent's public reply or internal note, or a customer message an agent enters for the
 * requester (received by letter, say). A customer message reopens a solved ticket.
 */
export async function addMessage(
  ctx: AuthedCtx,
  ticketIdOrNumber: string,
  input: Omit<Static<typeof NewMessageBody>, 'kind'> & { kind: MessageKind },
) {
  const ticket = await getTicket(ctx, ticketIdOrNumber);
  if (ticket.status === 'closed') throw unprocessable('ticket.closed');
  const body = messageBody(input);
  if (!body.bodyText && !input.attachmentIds?.length) throw validation([{ field: 'body', code: 'required' }]);

  const from = ticket.status as TicketStatus;
  const to =
    input.kind === 'customer' ? statusAfterCustomerMessage(from) : input.kind === 'reply' ? statusAfterAgentReply(from) : from;
  const now = ctx.now();

  const { messageId, after } = await ctx.db.transaction(async (tx) => {
    const id = await insertMessage(tx, {
      ticketId: ticket.id,
      kind: input.kind,
      channel: input.kind === 'customer' ? ticket.channel : 'web',
      authorUserId: input.kind === 'customer' ? null : ctx.actor.id,
      authorContactId: input.kind === 'customer' ? ticket.requester?.id : null,
      ...body,
      at: now,
    });
    await claimUploads(ctx, tx, input.attachmentIds, ticket.id, id);
    await tx
      .update(tickets)
      .set({
        updatedAt: now,
        ...(to !== from ? { status: to, version: sql`${tickets.version} + 1`, solvedAt: to === 'solved' ? now : null } : {}),
      })
      .where(eq(tickets.id, ticket.id));
    await recordAudit(tx, [
      { actor: ctx.actor, action: `message.${input.kind}_added`, targetType: 'message', targetId: id, ticketId: ticket.id, at: now },
      ...(to !== from
        ? [{ actor: ctx.actor, action: 'ticket.updated', targetType: 'ticket', targetId: ticket.id, ticketId: ticket.id, changes: [{ field: 'status', before: from, after: to }], at: now }]
        : []),
    ]);
    const after = await emitInTx(
      tx,
      'ticket.message_added',
      { ticketId: ticket.id, messageId: id, kind: input.kind, channel: input.kind === 'customer' ? ticket.channel : 'web', authorUserId: ctx.actor.id, at: now },
      { jobs: ctx.jobs, secrets: ctx.secrets },
    );
    if (to !== from) {
      after.push(...(await emitInTx(tx, 'ticket.status_changed', { ticketId: ticket.id, from, to, at: now, actorUserId: ctx.actor.id }, { jobs: ctx.jobs, secrets: ctx.secrets })));
    }
    return { messageId: id, after };
  });
  await runAfterCommit(after, () => {});
  const [message] = await loadMessages(ctx.db, ticket.id, [messageId]);
  return message!;
}

/**
 * Channels add what they know about a message (an email's headers and delivery state) without
 * the tickets module reading their tables. Registered once per process, at import time.
 */
type MessageDecorator = (db: DbOrTx, messageIds: string[]) => Promise<Map<string, Record<string, unknown>>>;
const decorators: MessageDecorator[] = [];
export function decorateMessages(decorator: MessageDecorator) {
  decorators.push(decorator);
}

export async function loadMessages(db: DbOrTx, ticketId: string, onlyIds?: string[]) {
  const rows = await db
    .select({
      id: ticketMessages.id,
      ticketId: ticketMessages.ticketId,
      kind: ticketMessages.kind,
      channel: ticketMessages.channel,
      authorUserId: ticketMessages.authorUserId,
      authorUserName: users.name,
      authorContactId: ticketMessages.authorContactId,
      authorContactName: contacts.name,
      bodyHtml: ticketMessages.bodyHtml,
      bodyText: ticketMessages.bodyText,
      createdAt: ticketMessages.createdAt,
    })
    .from(ticketMessages)
    .leftJoin(users, eq(users.id, ticketMessages.authorUserId))
    .leftJoin(contacts, eq(contacts.id, ticketMessages.authorContactId))
    .where(onlyIds ? inArray(ticketMessages.id, onlyIds) : eq(ticketMessages.ticketId, ticketId))
    .orderBy(asc(ticketMessages.createdAt), asc(ticketMessages.id));
  const ids = rows.map((r) => r.id);
  const [files, ...extras] = await Promise.all([attachmentsOfMessages(db, ids), ...decorators.map((d) => (ids.length ? d(db, ids) : new Map()))]);
  return rows.map((r) => ({
    ...Object.assign({}, ...extras.map((e) => e.get(r.id) ?? {})),
    id: r.id,
    ticketId: r.ticketId,
    kind: r.kind as MessageKind,
    channel: r.channel,
    author: r.authorUserId
      ? { type: 'user' as const, id: r.authorUserId, name: r.authorUserName ?? '' }
      : r.authorContactId
        ? { type: 'contact' as const, id: r.authorContactId, name: r.authorContactName ?? '' }
        : null,
    bodyHtml: r.bodyHtml,
    bodyText: r.bodyText,
    createdAt: r.createdAt,
    attachments: files
      .filter((f) => f.messageId === r.id)
      .map((f) => ({
        id: f.id,
        filename: f.filename,
        contentType: f.contentType,
        size: f.size,
        url: attachmentUrl(f.id),
        scan: { status: f.scanStatus as 'pending' | 'clean' | 'infected', signature: f.scanSignature },
      })),
  }));
}

export async function loadEvents(db: DbOrTx, ticketId: string) {
  const rows = await db
    .select({
      id: auditEvents.id,
      action: auditEvents.action,
      actorType: auditEvents.actorType,
      actorId: auditEvents.actorId,
      actorName: users.name,
      changes: auditEvents.changes,
      createdAt: auditEvents.createdAt,
    })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorId))
    .where(eq(auditEvents.ticketId, ticketId))
    .orderBy(asc(auditEvents.createdAt), asc(auditEvents.id));
  return rows.map((r) => ({
    id: r.id,
    action: r.action,
    actor: r.actorId ? { type: r.actorType ?? 'user', id: r.actorId, name: r.actorName ?? '' } : null,
    changes: r.changes,
    createdAt: r.createdAt,
  }));
}

/** Messages and changes in one list, oldest first: the ticket's whole story. */
export async function timeline(ctx: AuthedCtx, ticketIdOrNumber: string) {
  const ticket = await getTicket(ctx, ticketIdOrNumber);
  const [messages, events] = await Promise.all([loadMessages(ctx.db, ticket.id), loadEvents(ctx.db, ticket.id)]);
  const items = [
    ...messages.map((m) => ({ type: 'message' as const, at: m.createdAt, message: m })),
    // A message's own "added" event would only repeat it.
    ...events.filter((e) => !e.action.startsWith('message.')).map((e) => ({ type: 'event' as const, at: e.createdAt, event: e })),
  ];
  // At the same instant: the ticket's creation, then the message, then the changes it caused.
  const order = (i: (typeof items)[number]) => (i.type === 'message' ? 1 : i.event.action.startsWith('ticket.created') ? 0 : 2);
  items.sort((a, b) => a.at.getTime() - b.at.getTime() || order(a) - order(b));
  return items;
}
