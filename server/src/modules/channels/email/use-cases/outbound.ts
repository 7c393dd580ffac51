import { randomBytes } from 'node:crypto';
import { and, asc, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import type { Ctx } from '../../../../platform/context.js';
import type { DbOrTx } from '../../../../platform/db/index.js';
import type { Jobs } from '../../../../platform/jobs.js';
import type { Secrets } from '../../../../platform/secrets.js';
import { escapeHtml } from '../../../../platform/html.js';
import { t, type Lang } from '../../../../platform/i18n.js';
import { recordAudit } from '../../../../platform/audit.js';
import { notFound, unprocessable } from '../../../../platform/errors.js';
import { attachments, ticketMessages, tickets } from '../../../tickets/db/schema.js';
import { contactIdentities, contacts } from '../../../customers/db/schema.js';
import { users } from '../../../people/db/schema.js';
import { emailMessages, emailThreads, mailboxes } from '../db/schema.js';

export const SEND_QUEUE = 'email.send';
/** Tries before a message is marked failed for an admin to look at (spread over about an hour). */
export const MAX_SEND_ATTEMPTS = 6;

type Mailbox = typeof mailboxes.$inferSelect;

const domainOf = (address: string) => address.split('@')[1] ?? 'caredesk.invalid';

/**
 * Our Message-IDs carry a signed reply token: `cd.<ticket number>.<random>.<mac>@<mailbox domain>`.
 * A reply quoting it in In-Reply-To/References threads to that ticket; a forged one fails the MAC.
 */
export function replyTokenMessageId(secrets: Secrets, ticketNumber: number, mailboxAddress: string) {
  const nonce = randomBytes(6).toString('hex');
  const mac = secrets.sign('message-id', `${ticketNumber}.${nonce}`);
  return `cd.${ticketNumber}.${nonce}.${mac}@${domainOf(mailboxAddress)}`;
}

/** The ticket number a Message-ID of ours names, if its signature holds. */
export function ticketNumberFromToken(secrets: Secrets, messageId: string): number | null {
  const m = /^cd\.(\d{1,15})\.([0-9a-f]{12})\.([a-z0-9]{16})@/.exec(messageId.toLowerCase());
  if (!m) return null;
  return secrets.verify('message-id', `${m[1]}.${m[2]}`, m[3]!) ? Number(m[1]) : null;
}

/** The mailbox that speaks for a ticket: its email thread's, or else the first active one. */
async function mailboxForTicket(db: DbOrTx, ticketId: string): Promise<Mailbox | null> {
  const [thread] = await db.select({ mailbox: mailboxes }).from(emailThreads).innerJoin(mailboxes, eq(mailboxes.id, emailThreads.mailboxId)).where(eq(emailThreads.ticketId, ticketId));
  if (thread) return thread.mailbox;
  // A conversation that began elsewhere (portal, phone) is answered from the mailbox of the
  // ticket's group, else one that can send now; oldest and then id make the choice stable.
  const [first] = await db
    .select({ mailbox: mailboxes })
    .from(mailboxes)
    .where(eq(mailboxes.active, true))
    .orderBy(
      sql`${mailboxes.groupId} is not distinct from (select t.group_id from tickets t where t.id = ${ticketId}) desc`,
      sql`${mailboxes.relayHost} is not null desc`,
      asc(mailboxes.createdAt),
      asc(mailboxes.id),
    )
    .limit(1);
  return first?.mailbox ?? null;
}

/** Where a reply goes: the address the customer last wrote from, else their first email identity. */
async function customerAddress(db: DbOrTx, ticketId: string, requesterId: string | null) {
  const [lastIn] = await db
    .select({ from: emailMessages.fromAddress })
    .from(emailMessages)
    .where(and(eq(emailMessages.ticketId, ticketId), eq(emailMessages.direction, 'in'), eq(emailMessages.senderUnverified, false)))
    .orderBy(desc(emailMessages.createdAt))
    .limit(1);
  if (lastIn) return lastIn.from;
  if (!requesterId) return null;
  const [identity] = await db
    .select({ value: contactIdentities.value })
    .from(contactIdentities)
    .where(and(eq(contactIdentities.contactId, requesterId), eq(contactIdentities.kind, 'email')))
    .orderBy(asc(contactIdentities.createdAt))
    .limit(1);
  return identity?.value ?? null;
}

/** Message-IDs of the conversation so far, oldest first, for In-Reply-To and References. */
async function threadIds(db: DbOrTx, ticketId: string) {
  const rows = await db
    .select({ messageId: emailMessages.messageId, direction: emailMessages.direction })
    .from(emailMessages)
    // Notices to staff are no part of the customer's conversation.
    .where(and(eq(emailMessages.ticketId, ticketId), inArray(emailMessages.purpose, ['reply', 'ack', 'customer'])))
    .orderBy(asc(emailMessages.createdAt))
    .limit(200);
  const ids = rows.map((r) => r.messageId).filter((id) => !id.startsWith('raw-sha256.'));
  const lastIn = [...rows].reverse().find((r) => r.direction === 'in' && !r.messageId.startsWith('raw-sha256.'));
  return { inReplyTo: lastIn?.messageId ?? ids[ids.length - 1] ?? null, references: ids.slice(-20) };
}

export interface QueueInput {
  ticketId: string;
  ticketMessageId: string | null;
  purpose: 'reply' | 'ack';
  secrets: Secrets;
}

/**
 * Puts an outgoing email in the outbox, inside the caller's transaction. Without a customer
 * address or a mailbox there is nothing to send (the reply stays on the ticket, visible).
 */
export async function queueOutbound(tx: DbOrTx, input: QueueInput): Promise<string | null> {
  const [ticket] = await tx
    .select({ id: tickets.id, number: tickets.number, subject: tickets.subject, requesterId: tickets.requesterId })
    .from(tickets)
    .where(eq(tickets.id, input.ticketId));
  if (!ticket) return null;
  const mailbox = await mailboxForTicket(tx, ticket.id);
  if (!mailbox) return null;
  const to = await customerAddress(tx, ticket.id, ticket.requesterId);
  if (!to) return null;
  const [thread] = await tx.select({ participants: emailThreads.participants }).from(emailThreads).where(eq(emailThreads.ticketId, ticket.id));
  const ownAddresses = new Set((await tx.select({ a: mailboxes.address }).from(mailboxes)).map((r) => r.a));
  const cc = input.purpose === 'reply' ? (thread?.participants ?? []).filter((a) => a !== to && !ownAddresses.has(a)) : [];
  const { inReplyTo, references } = await threadIds(tx, ticket.id);
  const [row] = await tx
    .insert(emailMessages)
    .values({
      ticketId: ticket.id,
      ticketMessageId: input.ticketMessageId,
      mailboxId: mailbox.id,
      direction: 'out',
      purpose: input.purpose,
      messageId: replyTokenMessageId(input.secrets, ticket.number, mailbox.address),
      inReplyTo,
      references,
      fromAddress: mailbox.address,
      fromName: mailbox.name,
      toAddresses: [to],
      ccAddresses: cc,
      subject: ticket.subject,
      status: mailbox.relayHost ? 'queued' : 'no_relay',
    })
    .returning({ id: emailMessages.id });
  if (!thread) await tx.insert(emailThreads).values({ ticketId: ticket.id, mailboxId: mailbox.id }).onConflictDoNothing();
  return row!.id;
}

export type PortalMailPurpose = 'portal_verify' | 'portal_signin';

export async function enqueueSend(jobs: Jobs | undefined, ids: string[]) {
  if (!jobs) return;
  await jobs.sendMany(SEND_QUEUE, ids.map((id) => ({ data: { id }, options: { singletonKey: id } })));
}

/** A relay was just configured: what waited for one leaves now. */
export async function releaseWaitingForRelay(ctx: Ctx, mailboxId: string) {
  const rows = await ctx.db
    .update(emailMessages)
    .set({ status: 'queued', updatedAt: ctx.now() })
    .where(and(eq(emailMessages.mailboxId, mailboxId), eq(emailMessages.direction, 'out'), eq(emailMessages.status, 'no_relay')))
    .returning({ id: emailMessages.id });
  await enqueueSend(ctx.jobs, rows.map((r) => r.id));
}

/** An admin sends a failed or bounced message again. */
export async function retryOutbound(ctx: Ctx, id: string) {
  const [row] = await ctx.db.select({ status: emailMessages.status, direction: emailMessages.direction, ticketId: emailMessages.ticketId }).from(emailMessages).where(eq(emailMessages.id, id));
  if (!row || row.direction !== 'out') throw notFound();
  if (!['failed', 'bounced'].includes(row.status)) throw unprocessable('email.not_retryable');
  await ctx.db.transaction(async (tx) => {
    await tx.update(emailMessages).set({ status: 'queued', attempts: 0, lastError: null, updatedAt: ctx.now() }).where(eq(emailMessages.id, id));
    await recordAudit(tx, { actor: ctx.actor, action: 'email.retry', targetType: 'email', targetId: id, ticketId: row.ticketId });
  });
  await enqueueSend(ctx.jobs, [id]);
}

interface Rendered {
  subject: string;
  html: string;
  text: string;
}

/** Link lifetimes, shown in the portal emails; the portal module enforces them. */
export const PORTAL_LINK_MINUTES = 20;
export const PORTAL_VERIFY_HOURS = 48;

function renderPortal(lang: Lang, purpose: PortalMailPurpose, v: { brand: string; name: string; link: string }): Rendered {
  const dir = lang === 'ar' ? 'rtl' : 'ltr';
  const vars = { ...v, minutes: PORTAL_LINK_MINUTES, hours: PORTAL_VERIFY_HOURS };
  const body = t(lang, `mail.${purpose}.body`, vars)!;
  const ignore = t(lang, 'mail.portal.ignore', vars)!;
  return {
    subject: t(lang, `mail.${purpose}.subject`, vars)!,
    text: `${body}\n\n${v.link}\n\n${ignore}\n`,
    html: `<div dir="${dir}"><p>${escapeHtml(body)}</p><p><a href="${escapeHtml(v.link)}">${escapeHtml(v.link)}</a></p><p style="color:#666;font-size:12px">${escapeHtml(ignore)}</p></div>`,
  };
}

function render(lang: Lang, purpose: 'reply' | 'ack', v: { number: number; subject: string; brand: string; name: string; bodyHtml: string; bodyText: string }): Rendered {
  const dir = lang === 'ar' ? 'rtl' : 'ltr';
  const footer = t(lang, 'mail.footer', v)!;
  if (purpose === 'ack') {
    const lines = [t(lang, 'mail.ack.greeting', v)!, t(lang, 'mail.ack.body', v)!, t(lang, 'mail.ack.signoff', v)!];
    return {
      subject: t(lang, 'mail.ack.subject', v)!,
      text: `${lines.join('\n\n')}\n\n-- \n${footer}\n`,
      html: `<div dir="${dir}">${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('')}<hr><p style="color:#666;font-size:12px">${escapeHtml(footer)}</p></div>`,
    };
  }
  const tagged = v.subject.includes(`[#${v.number}]`);
  return {
    subject: tagged ? (/^re:/i.test(v.subject) ? v.subject : `Re: ${v.subject}`) : t(lang, 'mail.reply.subject', v)!,
    text: `${v.bodyText}\n\n-- \n${footer}\n`,
    html: `<div dir="${dir}">${v.bodyHtml}<hr><p style="color:#666;font-size:12px">${escapeHtml(footer)}</p></div>`,
  };
}

/** What a mail that is not a customer reply says; the module that queued it composes it when it leaves. */
export interface ComposedMail extends Rendered {
  attachments: { filename: string; contentType: string; data: Buffer }[];
  /** More headers, such as X-CareDesk-Ticket on a staff notice about one. */
  headers?: Record<string, string>;
}
export type MailComposer = (db: DbOrTx, emailMessageId: string, deps: { secrets: Secrets; mailbox: Mailbox; contactId: string | null }) => Promise<ComposedMail | null>;
const composers = new Map<string, MailComposer>();

/**
 * How mail of one purpose is written (a scheduled report, an SLA notice to staff, a portal link):
 * the composer builds subject, body and attachments from its module's own records when the mail
 * is sent, so a retry after an outage says what is true then. One outbox, one send path.
 */
export function registerMailComposer(purpose: string, composer: MailComposer) {
  composers.set(purpose, composer);
}

/** A short notice of a few paragraphs, right-to-left in Arabic. */
export function noticeMail(lang: Lang, subject: string, lines: string[], headers?: Record<string, string>): ComposedMail {
  const dir = lang === 'ar' ? 'rtl' : 'ltr';
  return {
    subject,
    text: `${lines.join('\n\n')}\n`,
    html: `<div dir="${dir}" lang="${lang}">${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('')}</div>`,
    attachments: [],
    ...(headers ? { headers } : {}),
  };
}

/**
 * Puts a mail composed by a module in the outbox, inside the caller's transaction. About a ticket
 * it leaves from the mailbox that speaks for the ticket, carrying no reply token and opening no
 * thread, so an answer to it never lands on the ticket as the customer's words; otherwise from
 * the oldest active mailbox. `sealed` is content only the composer may read (a sign-in link),
 * encrypted by the caller. Null when there is no mailbox to send from; without a relay it waits
 * in the outbox (`no_relay`).
 */
export async function queueModuleMail(
  tx: DbOrTx,
  input: { purpose: string; to: string; subject?: string; ticketId?: string; contactId?: string; sealed?: string },
): Promise<string | null> {
  let subject = input.subject ?? input.purpose;
  let mailbox: Mailbox | null;
  if (input.ticketId) {
    const [ticket] = await tx.select({ subject: tickets.subject }).from(tickets).where(eq(tickets.id, input.ticketId));
    if (!ticket) return null;
    subject = input.subject ?? ticket.subject;
    mailbox = await mailboxForTicket(tx, input.ticketId);
  } else {
    // Ids are time-ordered, so one seeded batch has an order too.
    [mailbox = null] = await tx.select().from(mailboxes).where(eq(mailboxes.active, true)).orderBy(asc(mailboxes.createdAt), asc(mailboxes.id)).limit(1);
  }
  if (!mailbox) return null;
  const [row] = await tx
    .insert(emailMessages)
    .values({
      ticketId: input.ticketId ?? null,
      contactId: input.contactId ?? null,
      mailboxId: mailbox.id,
      direction: 'out',
      purpose: input.purpose,
      messageId: `cd.${input.purpose.replace(/[^a-z0-9-]/gi, '-')}.${randomBytes(12).toString('hex')}@${domainOf(mailbox.address)}`,
      fromAddress: mailbox.address,
      fromName: mailbox.name,
      toAddresses: [input.to],
      subject,
      contentEnc: input.sealed ?? null,
      status: mailbox.relayHost ? 'queued' : 'no_relay',
    })
    .returning({ id: emailMessages.id });
  return row!.id;
}

// Portal mail is written here, beside the customer mail it looks like.
for (const purpose of ['portal_verify', 'portal_signin'] as const) {
  registerMailComposer(purpose, async (db, emailMessageId, { secrets, mailbox, contactId }) => {
    const [email] = await db.select({ sealed: emailMessages.contentEnc }).from(emailMessages).where(eq(emailMessages.id, emailMessageId));
    const [contact] = contactId ? await db.select({ name: contacts.name, language: contacts.language }).from(contacts).where(eq(contacts.id, contactId)) : [];
    const lang: Lang = (contact?.language ?? mailbox.language) === 'ar' ? 'ar' : 'en';
    const link = email?.sealed ? secrets.decrypt(email.sealed) : '';
    if (!link) return null;
    return { ...renderPortal(lang, purpose, { brand: mailbox.name, name: contact?.name ?? '', link }), attachments: [] };
  });
}

/** Builds and sends one outbox message through its mailbox's relay. Idempotent: sent stays sent. */
export async function sendOutbound(deps: { db: DbOrTx; secrets: Secrets; now: () => Date }, id: string) {
  const [row] = await deps.db
    .select({ email: emailMessages, mailbox: mailboxes, ticket: { number: tickets.number, subject: tickets.subject, requesterId: tickets.requesterId } })
    .from(emailMessages)
    .innerJoin(mailboxes, eq(mailboxes.id, emailMessages.mailboxId))
    .leftJoin(tickets, eq(tickets.id, emailMessages.ticketId))
    .where(eq(emailMessages.id, id));
  if (!row || row.email.direction !== 'out' || !['queued', 'sending'].includes(row.email.status)) return;
  const { email, mailbox } = row;
  if (!mailbox.relayHost) {
    await deps.db.update(emailMessages).set({ status: 'no_relay', updatedAt: deps.now() }).where(eq(emailMessages.id, id));
    return;
  }
  // Anything but a customer reply or acknowledgement is composed by the module that queued it.
  if (composers.has(email.purpose) || !row.ticket) return sendComposed(deps, email, mailbox);
  const ticket = row.ticket;
  const [contact] = ticket.requesterId
    ? await deps.db.select({ name: contacts.name, language: contacts.language }).from(contacts).where(eq(contacts.id, ticket.requesterId))
    : [];
  // The customer's own language; a contact created from mail got the mailbox's or the mail's.
  const lang: Lang = ((contact?.language ?? mailbox.language) === 'ar' ? 'ar' : 'en');
  let body = { bodyHtml: '', bodyText: '' };
  let agentName: string | null = null;
  let files: { filename: string; contentType: string; data: Buffer }[] = [];
  if (email.ticketMessageId) {
    const [m] = await deps.db
      .select({ bodyHtml: ticketMessages.bodyHtml, bodyText: ticketMessages.bodyText, agent: users.name })
      .from(ticketMessages)
      .leftJoin(users, eq(users.id, ticketMessages.authorUserId))
      .where(eq(ticketMessages.id, email.ticketMessageId));
    if (m) {
      body = { bodyHtml: m.bodyHtml, bodyText: m.bodyText };
      agentName = m.agent;
    }
    files = await deps.db
      .select({ filename: attachments.filename, contentType: attachments.contentType, data: attachments.data })
      .from(attachments)
      .where(eq(attachments.messageId, email.ticketMessageId));
  }
  const rendered = render(lang, email.purpose as 'reply' | 'ack', {
        number: ticket.number,
        subject: ticket.subject,
        brand: mailbox.name,
        name: contact?.name ?? '',
    ...body,
  });
  await deliver(deps, id, mailbox, {
    // Address objects, never strings we built: nodemailer encodes names, so a name cannot add headers.
    from: { name: agentName && email.purpose === 'reply' ? `${agentName} (${mailbox.name})` : mailbox.name, address: mailbox.address },
    replyTo: { name: mailbox.name, address: mailbox.address },
    to: email.toAddresses,
    cc: email.ccAddresses,
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    messageId: `<${email.messageId}>`,
    ...(email.inReplyTo ? { inReplyTo: `<${email.inReplyTo}>` } : {}),
    ...(email.references.length ? { references: email.references.map((r) => `<${r}>`) } : {}),
    headers: {
      // RFC 3834: machines must not answer our acknowledgements; Exchange honours the second.
      ...(email.purpose === 'ack' ? { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' } : {}),
      'X-CareDesk-Ticket': String(ticket.number),
    },
    attachments: files.map((f) => ({ filename: f.filename, content: f.data, contentType: f.contentType })),
  });
}

/** Sends one built message through the mailbox's relay and records the outcome on the outbox row. */
async function deliver(deps: { db: DbOrTx; secrets: Secrets; now: () => Date }, id: string, mailbox: Mailbox, mail: SendMailOptions) {
  const transport = transportFor(deps, mailbox);
  try {
    await deps.db.update(emailMessages).set({ status: 'sending', attempts: sql`${emailMessages.attempts} + 1`, updatedAt: deps.now() }).where(eq(emailMessages.id, id));
    await transport.sendMail(mail);
    await deps.db.update(emailMessages).set({ status: 'sent', sentAt: deps.now(), lastError: null, updatedAt: deps.now() }).where(eq(emailMessages.id, id));
  } catch (err) {
    const [after] = await deps.db
      .update(emailMessages)
      .set({ lastError: String((err as Error).message ?? err).slice(0, 1000), updatedAt: deps.now() })
      .where(eq(emailMessages.id, id))
      .returning({ attempts: emailMessages.attempts });
    const permanent = /^5\d\d/.test(String((err as { responseCode?: number }).responseCode ?? ''));
    if (permanent || (after?.attempts ?? 0) >= MAX_SEND_ATTEMPTS) {
      await deps.db.update(emailMessages).set({ status: 'failed' }).where(eq(emailMessages.id, id));
      return;
    }
    await deps.db.update(emailMessages).set({ status: 'queued' }).where(eq(emailMessages.id, id));
    throw err; // the job queue retries with backoff
  } finally {
    transport.close();
  }
}

function transportFor(deps: { secrets: Secrets }, mailbox: Mailbox) {
  const password = mailbox.relayPasswordEnc ? deps.secrets.decrypt(mailbox.relayPasswordEnc) : null;
  return nodemailer.createTransport({
    host: mailbox.relayHost!,
    port: mailbox.relayPort ?? (mailbox.relayTls ? 465 : 587),
    secure: mailbox.relayTls,
    ...(mailbox.relayUser ? { auth: { user: mailbox.relayUser, pass: password ?? '' } } : {}),
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  });
}

/** A module's mail: its composer writes it; failures retry like replies do. */
async function sendComposed(deps: { db: DbOrTx; secrets: Secrets; now: () => Date }, email: typeof emailMessages.$inferSelect, mailbox: Mailbox) {
  const composer = composers.get(email.purpose);
  const composed = composer ? await composer(deps.db, email.id, { secrets: deps.secrets, mailbox, contactId: email.contactId }) : null;
  if (!composed) {
    await deps.db.update(emailMessages).set({ status: 'failed', lastError: `nothing composes "${email.purpose}" mail`, updatedAt: deps.now() }).where(eq(emailMessages.id, email.id));
    return;
  }
  await deliver(deps, email.id, mailbox, {
    from: { name: mailbox.name, address: mailbox.address },
    to: email.toAddresses,
    subject: composed.subject,
    text: composed.text,
    html: composed.html,
    messageId: `<${email.messageId}>`,
    // RFC 3834: automatic mail; auto-responders must not answer it.
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All', ...composed.headers },
    attachments: composed.attachments.map((f) => ({ filename: f.filename, content: f.data, contentType: f.contentType })),
  });
}

/** Outbox rows a lost job left behind (a crash between commit and enqueue). */
export async function strandedOutbound(db: DbOrTx, olderThan: Date) {
  const rows = await db
    .select({ id: emailMessages.id })
    .from(emailMessages)
    .where(and(eq(emailMessages.direction, 'out'), inArray(emailMessages.status, ['queued', 'sending']), sql`${emailMessages.updatedAt} < ${olderThan}`))
    .limit(500);
  return rows.map((r) => r.id);
}

/** A bounce names the message it returns: mark that outgoing message, on its ticket. */
export async function markBounced(tx: DbOrTx, messageIds: string[], reason: string, at: Date) {
  const ids = messageIds.filter(Boolean);
  if (!ids.length) return null;
  const [row] = await tx
    .update(emailMessages)
    .set({ status: 'bounced', lastError: reason.slice(0, 1000), updatedAt: at })
    .where(and(inArray(emailMessages.messageId, ids), eq(emailMessages.direction, 'out'), isNotNull(emailMessages.id)))
    .returning({ id: emailMessages.id, ticketId: emailMessages.ticketId, to: emailMessages.toAddresses });
  if (!row) return null;
  await recordAudit(tx, { actor: null, action: 'email.bounced', targetType: 'email', targetId: row.id, ticketId: row.ticketId, at, changes: [{ field: 'delivery', before: 'sent', after: reason.slice(0, 300) }] });
  return row;
}
