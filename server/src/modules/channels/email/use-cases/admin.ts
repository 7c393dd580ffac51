import { and, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { AuthedCtx } from '../../../../platform/context.js';
import type { DbOrTx } from '../../../../platform/db/index.js';
import { notFound, unprocessable } from '../../../../platform/errors.js';
import { recordAudit } from '../../../../platform/audit.js';
import { decodeCursor, encodeCursor } from '../../../../platform/cursor.js';
import { requireAdmin } from '../../../people/use-cases/users.js';
import { tickets } from '../../../tickets/db/schema.js';
import { openTicketFromChannel } from '../../../tickets/index.js';
import { findOrCreateContact } from '../../../customers/index.js';
import { emailMessages, inboundEmails, mailboxes } from '../db/schema.js';
import { enqueueIngest } from './intake.js';
import { requeueInbound } from './ingest.js';

// The cursor carries the timestamp as PostgreSQL's text (microseconds): a JavaScript Date keeps only
// milliseconds, and rows stored in the same millisecond as a page's last row would vanish.
const pageOf = <T extends { id: string; at: string }>(rows: T[], limit: number) => {
  const items = rows.slice(0, limit);
  const last = rows.length > limit ? items[items.length - 1] : undefined;
  return { items, nextCursor: last ? encodeCursor([last.at, last.id]) : null };
};

const before = (cursor: string | undefined, at: SQL | unknown, id: unknown) => {
  const c = cursor ? decodeCursor(cursor) : null;
  return c ? sql`(${at}, ${id}) < (${String(c[0])}::timestamptz, ${String(c[1])}::uuid)` : undefined;
};

/** Stored incoming messages, newest first; the quarantine is `status=quarantined`. */
export async function listInbound(ctx: AuthedCtx, q: { status?: string; mailboxId?: string; limit?: number; cursor?: string }) {
  requireAdmin(ctx.actor);
  const limit = q.limit ?? 50;
  const rows = await ctx.db
    .select({
      id: inboundEmails.id,
      mailboxId: inboundEmails.mailboxId,
      mailboxName: mailboxes.name,
      source: inboundEmails.source,
      status: inboundEmails.status,
      reason: inboundEmails.reason,
      attempts: inboundEmails.attempts,
      classification: inboundEmails.classification,
      fromAddress: inboundEmails.fromAddress,
      envelopeFrom: inboundEmails.envelopeFrom,
      subject: inboundEmails.subject,
      size: inboundEmails.size,
      ticketId: inboundEmails.ticketId,
      ticketNumber: tickets.number,
      receivedAt: inboundEmails.receivedAt,
      processedAt: inboundEmails.processedAt,
      at: sql<string>`${inboundEmails.receivedAt}::text`,
    })
    .from(inboundEmails)
    .innerJoin(mailboxes, eq(mailboxes.id, inboundEmails.mailboxId))
    .leftJoin(tickets, eq(tickets.id, inboundEmails.ticketId))
    .where(
      and(
        q.status ? inArray(inboundEmails.status, q.status.split(',')) : undefined,
        q.mailboxId ? eq(inboundEmails.mailboxId, q.mailboxId) : undefined,
        before(q.cursor, inboundEmails.receivedAt, inboundEmails.id),
      ),
    )
    .orderBy(desc(inboundEmails.receivedAt), desc(inboundEmails.id))
    .limit(limit + 1);
  const page = pageOf(rows, limit);
  return {
    nextCursor: page.nextCursor,
    items: page.items.map(({ mailboxId, mailboxName, ticketId, ticketNumber, at: _at, ...r }) => ({
      ...r,
      mailbox: { id: mailboxId, name: mailboxName },
      ticket: ticketId && ticketNumber ? { id: ticketId, number: ticketNumber } : null,
    })),
  };
}

export async function readInboundRaw(ctx: AuthedCtx, id: string) {
  requireAdmin(ctx.actor);
  const [row] = await ctx.db.select({ raw: inboundEmails.raw }).from(inboundEmails).where(eq(inboundEmails.id, id));
  if (!row) throw notFound();
  await recordAudit(ctx.db, { actor: ctx.actor, action: 'email.raw_viewed', targetType: 'email', targetId: id });
  return row.raw;
}

/** Runs a quarantined or ignored message through intake again. */
export async function retryInbound(ctx: AuthedCtx, id: string) {
  requireAdmin(ctx.actor);
  const [row] = await ctx.db.select({ status: inboundEmails.status }).from(inboundEmails).where(eq(inboundEmails.id, id));
  if (!row) throw notFound();
  if (!(await requeueInbound(ctx.db, id))) throw unprocessable('email.not_retryable');
  await recordAudit(ctx.db, { actor: ctx.actor, action: 'email.requeued', targetType: 'email', targetId: id, changes: [{ field: 'status', before: row.status, after: 'received' }] });
  await enqueueIngest(ctx.jobs, [id]);
}

/**
 * A message that cannot be read automatically still reaches an agent: a ticket from its envelope
 * sender with the original attached as a file to open.
 */
export async function ticketFromInbound(ctx: AuthedCtx, id: string) {
  requireAdmin(ctx.actor);
  const [row] = await ctx.db
    .select({ inbound: inboundEmails, mailbox: mailboxes })
    .from(inboundEmails)
    .innerJoin(mailboxes, eq(mailboxes.id, inboundEmails.mailboxId))
    .where(eq(inboundEmails.id, id));
  if (!row) throw notFound();
  if (!['quarantined', 'ignored'].includes(row.inbound.status)) throw unprocessable('email.not_retryable');
  const sender = row.inbound.fromAddress ?? row.inbound.envelopeFrom;
  if (!sender) throw unprocessable('email.no_sender');
  const found = await findOrCreateContact(ctx, { kind: 'email', value: sender, create: true }, 'from');
  const now = ctx.now();
  const ticketId = await ctx.db.transaction(async (tx) => {
    const text = `This email could not be read automatically (${row.inbound.reason ?? row.inbound.status}). The original message is attached.`;
    const r = await openTicketFromChannel(tx, {
      channel: 'email',
      contactId: found!.contact.id,
      subject: row.inbound.subject || `Email from ${sender}`,
      bodyText: text,
      bodyHtml: `<p>${text}</p>`,
      files: [{ filename: 'original-message.eml', contentType: 'message/rfc822', content: row.inbound.raw }],
      accountId: found!.contact.accountId,
      groupId: row.mailbox.groupId,
      at: now,
    });
    await tx.update(inboundEmails).set({ status: 'processed', ticketId: r.ticketId, processedAt: now }).where(eq(inboundEmails.id, id));
    await recordAudit(tx, { actor: ctx.actor, action: 'email.ticket_from_quarantine', targetType: 'email', targetId: id, ticketId: r.ticketId, at: now });
    return r.ticketId;
  });
  const [t] = await ctx.db.select({ id: tickets.id, number: tickets.number }).from(tickets).where(eq(tickets.id, ticketId));
  return t!;
}

/**
 * Outgoing mail that has not left: waiting for a relay, retrying, failed or bounced. Mail of no
 * ticket (portal sign-in links, scheduled reports) is listed too: it fails the same way.
 */
export async function listOutbound(ctx: AuthedCtx, q: { status?: string; limit?: number; cursor?: string }) {
  requireAdmin(ctx.actor);
  const limit = q.limit ?? 50;
  const rows = await ctx.db
    .select({
      id: emailMessages.id,
      mailboxId: emailMessages.mailboxId,
      mailboxName: mailboxes.name,
      ticketId: emailMessages.ticketId,
      ticketNumber: tickets.number,
      ticketSubject: tickets.subject,
      purpose: emailMessages.purpose,
      to: emailMessages.toAddresses,
      subject: emailMessages.subject,
      status: emailMessages.status,
      attempts: emailMessages.attempts,
      lastError: emailMessages.lastError,
      createdAt: emailMessages.createdAt,
      sentAt: emailMessages.sentAt,
      at: sql<string>`${emailMessages.createdAt}::text`,
    })
    .from(emailMessages)
    .innerJoin(mailboxes, eq(mailboxes.id, emailMessages.mailboxId))
    .leftJoin(tickets, eq(tickets.id, emailMessages.ticketId))
    .where(
      and(
        eq(emailMessages.direction, 'out'),
        q.status ? inArray(emailMessages.status, q.status.split(',')) : or(eq(emailMessages.status, 'failed'), eq(emailMessages.status, 'bounced'), eq(emailMessages.status, 'no_relay'), eq(emailMessages.status, 'queued')),
        before(q.cursor, emailMessages.createdAt, emailMessages.id),
      ),
    )
    .orderBy(desc(emailMessages.createdAt), desc(emailMessages.id))
    .limit(limit + 1);
  const page = pageOf(rows, limit);
  return {
    nextCursor: page.nextCursor,
    items: page.items.map(({ mailboxId, mailboxName, ticketId, ticketNumber, ticketSubject, at: _at, ...r }) => ({
      ...r,
      mailbox: { id: mailboxId, name: mailboxName },
      ticket: ticketId && ticketNumber !== null ? { id: ticketId, number: ticketNumber, subject: ticketSubject ?? '' } : null,
    })),
  };
}

/** The email side of ticket messages, for the timeline. */
export async function emailOfMessages(db: DbOrTx, messageIds: string[]) {
  const rows = await db.select().from(emailMessages).where(inArray(emailMessages.ticketMessageId, messageIds));
  const out = new Map<string, Record<string, unknown>>();
  for (const r of rows) {
    const auth = r.authResults as { spf: string | null; dkim: string | null; dmarc: string | null } | null;
    out.set(r.ticketMessageId!, {
      email: {
        direction: r.direction,
        from: r.fromAddress,
        fromName: r.fromName,
        to: r.toAddresses,
        cc: r.ccAddresses,
        subject: r.subject,
        messageId: r.messageId,
        status: r.status,
        lastError: r.lastError,
        sentAt: r.sentAt,
        senderUnverified: r.senderUnverified,
        authResults: auth ? { spf: auth.spf ?? null, dkim: auth.dkim ?? null, dmarc: auth.dmarc ?? null } : null,
        quotedHtml: r.quotedHtml,
        quotedText: r.quotedText,
        inboundId: r.inboundId,
      },
    });
  }
  return out;
}

