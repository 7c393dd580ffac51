import { and, desc, eq, gte, inArray, or, sql } from 'drizzle-orm';
import type { Config } from '../../../../platform/config.js';
import type { Db, DbOrTx } from '../../../../platform/db/index.js';
import type { Jobs } from '../../../../platform/jobs.js';
import type { Secrets } from '../../../../platform/secrets.js';
import { recordAudit } from '../../../../platform/audit.js';
import { AppError } from '../../../../platform/errors.js';
import { inEventBatch, runAfterCommit, type AfterCommit } from '../../../../platform/events.js';
import { textToHtml } from '../../../../platform/html.js';
import { tickets } from '../../../tickets/db/schema.js';
import { addCustomerMessage, openTicketFromChannel, setMessageHtml, type IncomingFile } from '../../../tickets/index.js';
import { contactIdentities } from '../../../customers/db/schema.js';
import { findOrCreateContact, findOrCreateContacts, normaliseIdentity } from '../../../customers/index.js';
import { isAgentAddress } from '../../../people/index.js';
import { emailMessages, emailThreads, inboundEmails, mailboxes } from '../db/schema.js';
import { parseMail, MailParseError, type ParsedMail } from '../domain/parse.js';
import { classifyMail, type MailClass } from '../domain/classify.js';
import { parseAuthenticationResults } from '../domain/auth-results.js';
import { enqueueSend, markBounced, queueOutbound, ticketNumberFromToken } from './outbound.js';
import { touchMailboxes } from './intake.js';
import { allMailboxes } from './mailboxes.js';

export interface IngestDeps {
  db: Db;
  config: Config;
  secrets: Secrets;
  jobs?: Jobs;
  now: () => Date;
  log: (msg: string, err?: unknown) => void;
}

/** Processing failures (not parse failures) are retried this many times, then quarantined. */
const MAX_INGEST_ATTEMPTS = 5;

class Duplicate extends Error {}

type Mailbox = typeof mailboxes.$inferSelect;

const ARABIC = /[\u0600-\u06ff]/g;
/** A new contact's language: the mail's script when it is mostly Arabic, else the mailbox's. */
function languageOf(whole: string, fallback: string): 'en' | 'ar' {
  // The start of a message tells its script as well as all of it, and costs nothing on a long one.
  const text = whole.slice(0, 2000);
  const letters = text.replace(/[\s\d\p{P}]/gu, '').length;
  const arabic = (text.match(ARABIC) ?? []).length;
  if (letters > 20) return arabic / letters > 0.5 ? 'ar' : 'en';
  return fallback === 'ar' ? 'ar' : 'en';
}

/**
 * A stored message leaves 'received' once. Two jobs can hold the same message (the sweep re-queues
 * one that waited long in a backlog while its first job was running): the second must not
 * overwrite the first's outcome with 'duplicate' of itself.
 */
async function finish(db: DbOrTx, id: string, values: Partial<typeof inboundEmails.$inferInsert>, at: Date) {
  await db.update(inboundEmails).set({ processedAt: at, ...values }).where(and(eq(inboundEmails.id, id), eq(inboundEmails.status, 'received')));
}

/** Addresses that have taken part in a ticket by email, and its requester's email identities. */
async function participantsOf(db: DbOrTx, ticketId: string, requesterId: string | null) {
  const [thread] = await db.select({ p: emailThreads.participants }).from(emailThreads).where(eq(emailThreads.ticketId, ticketId));
  const own = requesterId
    ? await db.select({ v: contactIdentities.value }).from(contactIdentities).where(and(eq(contactIdentities.contactId, requesterId), eq(contactIdentities.kind, 'email')))
    : [];
  const senders = await db.select({ f: emailMessages.fromAddress }).from(emailMessages).where(and(eq(emailMessages.ticketId, ticketId), eq(emailMessages.direction, 'in'), eq(emailMessages.senderUnverified, false)));
  return new Set([...(thread?.p ?? []), ...own.map((r) => r.v), ...senders.map((r) => r.f)]);
}

interface ThreadMatch {
  ticketId: string;
  status: string;
  requesterId: string | null;
  via: 'token' | 'message-id' | 'subject';
}

/**
 * Which ticket a message continues, in order of trust: a signed token of ours in In-Reply-To or
 * References; a stored Message-ID they name, if the sender is on that ticket; a `[#10001]` subject
 * tag, if the sender is on that ticket. Anything else is a new ticket, so forged headers from an
 * outsider never land on someone else's conversation.
 */
async function findThread(db: DbOrTx, secrets: Secrets, mail: ParsedMail, sender: string): Promise<ThreadMatch | null> {
  const referenced = [...mail.inReplyTo, ...[...mail.references].reverse()];
  const byNumber = async (n: number) => {
    const [t] = await db.select({ id: tickets.id, status: tickets.status, requesterId: tickets.requesterId }).from(tickets).where(eq(tickets.number, n));
    return t ?? null;
  };
  for (const id of referenced) {
    const n = ticketNumberFromToken(secrets, id);
    if (n === null) continue;
    const t = await byNumber(n);
    if (t) return { ticketId: t.id, status: t.status, requesterId: t.requesterId, via: 'token' };
  }
  if (referenced.length) {
    const known = await db
      .select({ ticketId: tickets.id, status: tickets.status, requesterId: tickets.requesterId })
      .from(emailMessages)
      .innerJoin(tickets, eq(tickets.id, emailMessages.ticketId))
      .where(inArray(emailMessages.messageId, referenced.slice(0, 100)))
      .orderBy(desc(emailMessages.createdAt))
      .limit(5);
    for (const k of known) {
      if (!k.ticketId) continue;
      if ((await participantsOf(db, k.ticketId, k.requesterId)).has(sender)) return { ticketId: k.ticketId, status: k.status, requesterId: k.requesterId, via: 'message-id' };
    }
  }
  const tag = /\[#(\d{1,15})\]/.exec(mail.subject);
  if (tag) {
    const t = await byNumber(Number(tag[1]));
    if (t && (await participantsOf(db, t.id, t.requesterId)).has(sender)) return { ticketId: t.id, status: t.status, requesterId: t.requesterId, via: 'subject' };
  }
  return null;
}

/** Inline images get our addresses; the rest of the HTML was sanitised by the parser. */
function linkInlineImages(html: string, files: { id: string; contentId: string | null }[]) {
  let out = html;
  for (const f of files) {
    if (!f.contentId) continue;
    const cid = f.contentId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out.replace(new RegExp(`cid:${cid}`, 'gi'), `/api/v1/attachments/${f.id}/inline`);
  }
  return out;
}

/** May this sender get another automatic acknowledgement this hour? (mail loops, RELIABILITY 27) */
async function ackAllowed(db: DbOrTx, config: Config, address: string, now: Date) {
  if (config.emailAckPerHour === 0) return false;
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(emailMessages)
    .where(and(eq(emailMessages.purpose, 'ack'), gte(emailMessages.createdAt, new Date(now.getTime() - 3600_000)), sql`${address} = any(${emailMessages.toAddresses})`));
  return (row?.n ?? 0) < config.emailAckPerHour;
}

type InboundRow = { inbound: typeof inboundEmails.$inferSelect; mailbox: Mailbox };

async function readInbound(db: DbOrTx, ids: string[]): Promise<InboundRow[]> {
  return db
    .select({ inbound: inboundEmails, mailbox: mailboxes })
    .from(inboundEmails)
    .innerJoin(mailboxes, eq(mailboxes.id, inboundEmails.mailboxId))
    .where(ids.length === 1 ? eq(inboundEmails.id, ids[0]!) : inArray(inboundEmails.id, ids));
}

/**
 * Parses a stored message. Unparseable mail is quarantined here (null); a parser that timed out gets
 * one more try before the message is called hostile.
 */
async function parseStored(deps: IngestDeps, row: InboundRow, now: Date): Promise<ParsedMail | null> {
  const { inbound } = row;
  try {
    return await parseMail(inbound.raw, { maxBytes: deps.config.emailMaxBytes });
  } catch (err) {
    if (err instanceof MailParseError) {
      // A time limit can be hit by an ordinary message on a machine that is briefly overloaded:
      // give it one more try before calling it hostile.
      if (err.reason === 'timeout' && inbound.attempts < 1) {
        await deps.db.update(inboundEmails).set({ attempts: sql`${inboundEmails.attempts} + 1`, reason: err.message }).where(eq(inboundEmails.id, inbound.id));
        throw err;
      }
      await finish(deps.db, inbound.id, { status: 'quarantined', reason: `${err.reason}: ${err.message}`.slice(0, 1000) }, now);
      return null;
    }
    throw err;
  }
}

/**
 * Everything up to the ticket transaction: parse, deduplicate, classify, match a thread. A message
 * that needs no ticket write (a duplicate, a bounce, a loop, unparseable mail) is finished here;
 * the others come back as a plan for `applyPlan`.
 */
async function prepare(deps: IngestDeps, row: InboundRow, now: Date): Promise<IntakePlan | null> {
  const mail = await parseStored(deps, row, now);
  return mail && planParsed(deps, row.inbound, row.mailbox, mail, now);
}

type KnownMessage = { ticketId: string | null; direction: string; mailboxId: string; messageId: string };

/**
 * Stored email records with these Message-IDs, in this mailbox or sent by us from any: a message
 * delivered before (SMTP twice, or SMTP and IMAP), or our own outgoing mail coming back (a Bcc, a
 * copy to another mailbox of ours). One read answers both, for a whole batch.
 */
async function knownMessages(db: DbOrTx, wanted: { messageId: string; mailboxId: string }[]): Promise<KnownMessage[]> {
  if (!wanted.length) return [];
  const messageIds = [...new Set(wanted.map((w) => w.messageId))];
  const mailboxIds = [...new Set(wanted.map((w) => w.mailboxId))];
  return db
    .select({ ticketId: emailMessages.ticketId, direction: emailMessages.direction, mailboxId: emailMessages.mailboxId, messageId: emailMessages.messageId })
    .from(emailMessages)
    .where(and(messageIds.length === 1 ? eq(emailMessages.messageId, messageIds[0]!) : inArray(emailMessages.messageId, messageIds), or(mailboxIds.length === 1 ? eq(emailMessages.mailboxId, mailboxIds[0]!) : inArray(emailMessages.mailboxId, mailboxIds), eq(emailMessages.direction, 'out'))))
    .limit(5 * messageIds.length);
}

const messageIdOf = (mail: ParsedMail, inbound: InboundRow['inbound']) => mail.messageId ?? `raw-sha256.${inbound.rawSha256}`;

/** Counts a failed attempt; quarantines the message once retrying cannot help. Returns whether to retry. */
async function failed(deps: IngestDeps, id: string, err: unknown, now: Date): Promise<boolean> {
  const [r] = await deps.db
    .update(inboundEmails)
    .set({ attempts: sql`${inboundEmails.attempts} + 1`, reason: String((err as Error).message ?? err).slice(0, 1000) })
    .where(eq(inboundEmails.id, id))
    .returning({ attempts: inboundEmails.attempts });
  // A refusal by our own rules (AppError 4xx) will be the same next time: quarantine it at once.
  const permanent = err instanceof AppError && err.status < 500;
  if (permanent || (r?.attempts ?? 0) >= MAX_INGEST_ATTEMPTS) {
    await finish(deps.db, id, { status: 'quarantined', reason: `processing_failed: ${String((err as Error).message ?? err)}`.slice(0, 1000) }, now);
    return false;
  }
  return true;
}

/**
 * Turns one stored message into a ticket message. Idempotent: a message already handled is left
 * alone, so a retried job or a second worker changes nothing.
 */
export async function processInbound(deps: IngestDeps, id: string): Promise<void> {
  const [row] = await readInbound(deps.db, [id]);
  if (!row || row.inbound.status !== 'received') return;
  const now = deps.now();
  let plan: IntakePlan | null;
  try {
    plan = await prepare(deps, row, now);
  } catch (err) {
    if (err instanceof MailParseError) throw err;
    if (await failed(deps, id, err, now)) throw err;
    return;
  }
  if (plan) await commitAlone(deps, plan);
}

/** A planned message in its own transaction, its failure counted (and thrown when worth retrying). */
async function commitAlone(deps: IngestDeps, plan: IntakePlan): Promise<void> {
  try {
    const after = await commitPlan(deps, plan);
    await runAfterCommit(after, (err) => deps.log('after-commit work failed (the sweep will redo it)', err));
  } catch (err) {
    if (await failed(deps, plan.inbound.id, err, plan.now)) throw err;
  }
}

/**
 * Several stored messages at once: each is prepared as alone, then all their tickets are written
 * in one transaction, which spares each message its own begin, commit and read of the stored row
 * (round trips to the database are most of what intake costs). If that transaction fails for any
 * of them (a duplicate that raced in, a deadlock between two new contacts), each message is taken
 * in again on its own, with the usual retries. Returns, for each id, null or the error to retry on.
 */
export async function processInboundBatch(deps: IngestDeps, ids: string[]): Promise<(unknown | null)[]> {
  const alone = async (id: string) => processInbound(deps, id).then(() => null, (err: unknown) => err ?? new Error('failed'));
  if (ids.length <= 1) return Promise.all(ids.map(alone));
  const rows = new Map((await readInbound(deps.db, ids)).map((r) => [r.inbound.id, r]));
  const now = deps.now();
  const results = new Map<string, unknown | null>();
  const plans: IntakePlan[] = [];
  const parsed: { row: InboundRow; mail: ParsedMail }[] = [];
  await Promise.all(
    ids.map(async (id) => {
      const row = rows.get(id);
      if (!row || row.inbound.status !== 'received') return results.set(id, null);
      try {
        const mail = await parseStored(deps, row, now);
        if (mail) parsed.push({ row, mail });
        else results.set(id, null);
      } catch {
        // Taken again alone below, where its failure is counted.
      }
    }),
  );
  let known: KnownMessage[] | undefined;
  try {
    known = await knownMessages(deps.db, parsed.map(({ row, mail }) => ({ messageId: messageIdOf(mail, row.inbound), mailboxId: row.mailbox.id })));
  } catch {
    // Each message reads its own below.
  }
  await Promise.all(
    parsed.map(async ({ row, mail }) => {
      try {
        const plan = await planParsed(deps, row.inbound, row.mailbox, mail, now, known);
        if (plan) plans.push(plan);
        else results.set(row.inbound.id, null);
      } catch {
        // Taken again alone below, where its failure is counted.
      }
    }),
  );
  if (plans.length === 1) {
    const plan = plans[0]!;
    results.set(plan.inbound.id, await commitAlone(deps, plan).then(() => null, (err: unknown) => err ?? new Error('failed')));
  } else if (plans.length > 1) {
    try {
      const after = await deps.db.transaction(async (tx) => {
        await commitLater(tx);
        return inEventBatch(tx, () => applyPlans(tx, deps, plans));
      });
      for (const plan of plans) results.set(plan.inbound.id, null);
      await runAfterCommit(after, (err) => deps.log('after-commit work failed (the sweep will redo it)', err));
    } catch {
      // Rolled back as a whole: every plan is tried alone below.
    }
  }
  return Promise.all(ids.map((id) => (results.has(id) ? results.get(id)! : alone(id))));
}

/**
 * The raw message is already durable and the ticket transaction is idempotent: if a crash loses
 * its commit, the message is still 'received' and the sweep processes it again. So intake does not
 * wait for the WAL flush (the 250 did, when the raw message was stored).
 */
const commitLater = (tx: DbOrTx) => tx.execute(sql`set local synchronous_commit = off`);

async function planParsed(deps: IngestDeps, inbound: typeof inboundEmails.$inferSelect, mailbox: Mailbox, mail: ParsedMail, now: Date, prefetched?: KnownMessage[]): Promise<IntakePlan | null> {
  const { db, secrets } = deps;
  const id = inbound.id;
  // The From header names the customer; when it is no usable address, the envelope sender may still be.
  let sender = '';
  for (const candidate of [mail.from?.address, inbound.envelopeFrom]) {
    const r = candidate ? normaliseIdentity({ kind: 'email', value: candidate }) : null;
    if (r?.ok) {
      sender = r.identity.value;
      break;
    }
  }
  const messageId = messageIdOf(mail, inbound);
  const summary = { fromAddress: sender || null, subject: mail.subject.slice(0, 500) };

  const known = (prefetched ?? (await knownMessages(db, [{ messageId, mailboxId: mailbox.id }]))).filter((k) => k.messageId === messageId && (k.mailboxId === mailbox.id || k.direction === 'out'));
  const seen = known.find((k) => k.mailboxId === mailbox.id);
  if (seen) {
    await finish(db, id, { status: 'duplicate', ticketId: seen.ticketId, ...summary, reason: seen.direction === 'out' ? 'our own outgoing message' : null }, now);
    return null;
  }
  const ours = known.find((k) => k.direction === 'out');
  if (ours) {
    await finish(db, id, { status: 'ignored', ticketId: ours.ticketId, reason: 'our own outgoing message', ...summary }, now);
    return null;
  }

  const everyMailbox = await allMailboxes(db);
  const ownDomains = [...new Set(everyMailbox.map((m) => m.address.split('@')[1]!))];
  const klass: MailClass = classifyMail(mail, ownDomains);

  if (klass.kind === 'bounce' || klass.kind === 'feedback') {
    const referenced = [klass.bounce?.originalMessageId ?? '', ...mail.inReplyTo, ...mail.references].filter(Boolean);
    const marked = await db.transaction((tx) => markBounced(tx, referenced, klass.bounce?.status ? `${klass.bounce.status} ${klass.reason}` : klass.reason, now));
    await finish(db, id, { status: marked ? 'processed' : 'ignored', classification: klass.kind, ticketId: marked?.ticketId ?? null, reason: marked ? null : `${klass.kind} about a message that is not ours: ${klass.reason}`, ...summary }, now);
    return null;
  }
  if (klass.kind === 'loop') {
    await finish(db, id, { status: 'ignored', classification: klass.kind, reason: klass.reason, ...summary }, now);
    return null;
  }
  if (!sender) {
    await finish(db, id, { status: 'quarantined', reason: 'no_sender: neither the From header nor the envelope holds a valid address', ...summary }, now);
    return null;
  }

  const auth = parseAuthenticationResults(mail.headers['authentication-results'] ?? []);
  // Mail claiming to come from one of our agents arrived from outside: it is never an agent's reply,
  // and it is flagged like any sender that fails authentication.
  const senderUnverified = auth.failing || (await isAgentAddress(db, sender));

  // An unverified sender never joins an existing conversation: that is how threads are hijacked.
  const match = senderUnverified ? null : await findThread(db, secrets, mail, sender);

  if (klass.kind === 'auto_reply' && match) {
    await db.transaction(async (tx) => {
      await recordAudit(tx, { actor: null, action: 'email.auto_reply_received', targetType: 'email', targetId: id, ticketId: match.ticketId, at: now, changes: [{ field: 'from', before: null, after: sender }] });
      await finish(tx, id, { status: 'processed', classification: klass.kind, ticketId: match.ticketId, ...summary }, now);
    });
    return null;
  }

  const split = mail.split;
  const visibleText = split.visibleText.trim() || mail.text.trim();
  const bodyHtml = mail.html ? (split.visibleHtml ?? mail.html) : textToHtml(visibleText);
  const files: IncomingFile[] = mail.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content, contentId: a.contentId }));
  const tooBig = files.filter((f) => f.content.byteLength > deps.config.attachmentMaxBytes);
  const kept = files.filter((f) => f.content.byteLength <= deps.config.attachmentMaxBytes);
  const note = tooBig.length
    ? `\n\n[${tooBig.map((f) => `${f.filename} (${Math.round(f.content.byteLength / 1048576)} MB)`).join(', ')}: larger than the ${Math.round(deps.config.attachmentMaxBytes / 1048576)} MB attachment limit, kept only in the original message]`
    : '';
  const participants = [...mail.to, ...mail.cc].map((a) => a.address.toLowerCase()).filter((a) => a && a !== sender);
  const ownAddresses = new Set(everyMailbox.map((m) => m.address));
  const others = participants.filter((a) => !ownAddresses.has(a) && !ownAddresses.has(a.replace(/^([^+@]+)\+[^@]*@/, '$1@')));

  return { inbound, mailbox, mail, now, sender, messageId, summary, klass, auth, senderUnverified, match, split, visibleText, bodyHtml, kept, note, others };
}

type Requester = { id: string; accountId: string | null };

type IntakePlan = {
  inbound: typeof inboundEmails.$inferSelect;
  mailbox: Mailbox;
  mail: ParsedMail;
  now: Date;
  sender: string;
  messageId: string;
  summary: { fromAddress: string | null; subject: string };
  klass: MailClass;
  auth: ReturnType<typeof parseAuthenticationResults>;
  senderUnverified: boolean;
  match: ThreadMatch | null;
  split: ParsedMail['split'];
  visibleText: string;
  bodyHtml: string;
  kept: IncomingFile[];
  note: string;
  others: string[];
};

/** Writes a planned message's contact and its ticket or reply, in the caller's transaction. */
async function applyPlan(tx: DbOrTx, deps: IngestDeps, plan: IntakePlan, contact: Requester): Promise<{ tail: Tail; after: AfterCommit[] }> {
  const { inbound, mailbox, mail, now, sender, messageId, summary, klass, auth, senderUnverified, match, split, visibleText, bodyHtml, kept, note, others } = plan;
  const { secrets } = deps;
  const id = inbound.id;
  let ticketId: string;
  let messageRowId: string;
  let stored: { id: string; contentId: string | null }[];
  let isNew = false;
  let after: AfterCommit[] = [];
  const base = { channel: 'email', contactId: contact.id, bodyHtml, bodyText: visibleText + note, files: kept, at: now };
  if (match && match.status !== 'closed') {
    const r = await addCustomerMessage(tx, match.ticketId, base, { jobs: deps.jobs, secrets });
    ticketId = match.ticketId;
    messageRowId = r.messageId;
    stored = r.files;
    after = r.after;
  } else {
    const tags = [
      ...(senderUnverified ? ['unverified-sender'] : []),
      ...(klass.kind === 'auto_reply' ? ['auto-reply'] : []),
      ...(klass.kind === 'bulk' ? ['bulk'] : []),
    ];
    const r = await openTicketFromChannel(tx, {
      ...base,
      subject: mail.subject,
      accountId: contact.accountId,
      groupId: mailbox.groupId,
      followUpOfId: match?.ticketId ?? null,
      tags,
    });
    ticketId = r.ticketId;
    messageRowId = r.messageId;
    stored = r.files;
    isNew = true;
  }
  const linked = linkInlineImages(bodyHtml, stored);
  if (linked !== bodyHtml) await setMessageHtml(tx, messageRowId, linked);
  const row: typeof emailMessages.$inferInsert = {
    ticketId,
    ticketMessageId: messageRowId,
    mailboxId: mailbox.id,
    inboundId: id,
    direction: 'in',
    purpose: 'customer',
    messageId,
    inReplyTo: mail.inReplyTo[0] ?? null,
    references: mail.references.slice(-50),
    rawSha256: inbound.rawSha256,
    fromAddress: sender,
    fromName: mail.from?.name || null,
    toAddresses: mail.to.map((a) => a.address.toLowerCase()),
    ccAddresses: mail.cc.map((a) => a.address.toLowerCase()),
    subject: mail.subject.slice(0, 1000),
    authResults: { spf: auth.spf, dkim: auth.dkim, dmarc: auth.dmarc },
    senderUnverified,
    classification: klass.kind,
    quotedHtml: split.quotedHtml ? linkInlineImages(split.quotedHtml, stored) : null,
    quotedText: split.quotedText || null,
    status: 'received',
  };
  const mayAck = isNew && mailbox.ackEnabled && klass.kind === 'human' && klass.mayAutoRespond && !senderUnverified;
  return { tail: { plan, ticketId, row, mayAck }, after };
}

/** What is left to write for a message once its ticket exists: written for a whole batch at once. */
interface Tail {
  plan: IntakePlan;
  ticketId: string;
  row: typeof emailMessages.$inferInsert;
  mayAck: boolean;
}

/**
 * The email records of every message of a transaction, one statement per table rather than one
 * per message: each statement cost more in building, sending and planning than its row did in
 * PostgreSQL. A message stored meanwhile by another worker makes the whole write fail (Duplicate).
 */
async function writeTails(tx: DbOrTx, deps: IngestDeps, tails: Tail[]): Promise<AfterCommit[]> {
  const inserted = await tx.insert(emailMessages).values(tails.map((t) => t.row)).onConflictDoNothing().returning({ id: emailMessages.id });
  if (inserted.length < tails.length) throw new Duplicate();
  // One row per ticket: two messages of the batch on the same ticket would have the upsert touch its row twice.
  const threads = new Map<string, { ticketId: string; mailboxId: string; participants: string[] }>();
  for (const t of tails) {
    const thread = threads.get(t.ticketId) ?? { ticketId: t.ticketId, mailboxId: t.plan.mailbox.id, participants: [] };
    thread.participants.push(...t.plan.others);
    threads.set(t.ticketId, thread);
  }
  const now = tails[0]!.plan.now;
  await tx.execute(sql`
    insert into ${emailThreads} (ticket_id, mailbox_id, participants, updated_at)
    select t.ticket_id, t.mailbox_id, array(select distinct p from unnest(t.participants) p), ${now}::timestamptz
    from jsonb_to_recordset(${JSON.stringify([...threads.values()].map((t) => ({ ticket_id: t.ticketId, mailbox_id: t.mailboxId, participants: t.participants })))}::jsonb)
      as t(ticket_id uuid, mailbox_id uuid, participants text[])
    on conflict (ticket_id) do update set
      participants = (select coalesce(array_agg(distinct p), '{}') from unnest(${emailThreads.participants} || excluded.participants) p),
      updated_at = excluded.updated_at`);
  const finished = tails.map((t) => ({ id: t.plan.inbound.id, ticket_id: t.ticketId, classification: t.plan.klass.kind, from_address: t.plan.summary.fromAddress, subject: t.plan.summary.subject }));
  // As finish(): only a message still 'received' leaves it. The ids also as an array: the planner
  // knows nothing of the JSON's rows and may scan the whole table to join them.
  await tx.execute(sql`
    update ${inboundEmails} set status = 'processed', reason = null, processed_at = ${now}::timestamptz,
      ticket_id = f.ticket_id, classification = f.classification, from_address = f.from_address, subject = f.subject
    from jsonb_to_recordset(${JSON.stringify(finished)}::jsonb) as f(id uuid, ticket_id uuid, classification text, from_address text, subject text)
    where ${inboundEmails.id} = any(${`{${finished.map((f) => f.id).join(',')}}`}::uuid[]) and ${inboundEmails.id} = f.id and ${inboundEmails.status} = 'received'`);
  const outgoing: string[] = [];
  // In order, after the threads exist: an acknowledgement is addressed from its thread, and each one
  // counts towards the sender's hourly limit for the next.
  for (const t of tails) {
    if (!t.mayAck || !(await ackAllowed(tx, deps.config, t.plan.sender, now))) continue;
    const ack = await queueOutbound(tx, { ticketId: t.ticketId, ticketMessageId: null, purpose: 'ack', secrets: deps.secrets });
    if (ack) outgoing.push(ack);
  }
  const mailboxIds = [...new Set(tails.map((t) => t.plan.mailbox.id))];
  // After the commit, in a statement of its own: inside the transaction, the mailbox's row lock
  // made every other batch of the same mailbox wait for this one's commit (a quarter of
  // PostgreSQL's sessions stood in lock waits under load).
  return [async () => enqueueSend(deps.jobs, outgoing), () => touchMailboxes(deps.db, mailboxIds, now)];
}

/** Every planned message of a transaction: their tickets one by one, then their email records together. */
async function applyPlans(tx: DbOrTx, deps: IngestDeps, plans: IntakePlan[]): Promise<AfterCommit[]> {
  const ctx = { db: tx, config: deps.config, actor: null, lang: 'en' as const, now: () => plans[0]!.now };
  const wanted = plans.map((p) => ({
    input: { kind: 'email' as const, value: p.sender, name: p.mail.from?.name || undefined, create: true },
    field: 'from',
    language: languageOf(`${p.mail.subject} ${p.mail.text}`, p.mailbox.language),
  }));
  // Alone, the savepoint of findOrCreateContact settles a race with another writer of the same
  // new contact; a batch that loses such a race is retried one message at a time.
  const people =
    plans.length === 1
      ? [await findOrCreateContact(ctx, wanted[0]!.input, 'from', { language: wanted[0]!.language })]
      : await findOrCreateContacts(ctx, wanted);
  const after: AfterCommit[] = [];
  const tails: Tail[] = [];
  for (const [i, plan] of plans.entries()) {
    const r = await applyPlan(tx, deps, plan, people[i]!.contact);
    after.push(...r.after);
    tails.push(r.tail);
  }
  return [...after, ...(await writeTails(tx, deps, tails))];
}

/** One planned message in its own transaction; a duplicate that raced in is recorded as one. */
async function commitPlan(deps: IngestDeps, plan: IntakePlan): Promise<AfterCommit[]> {
  try {
    return await deps.db.transaction(async (tx) => {
      await commitLater(tx);
      return inEventBatch(tx, () => applyPlans(tx, deps, [plan]));
    });
  } catch (err) {
    if (err instanceof Duplicate) {
      // Another worker stored the same message first; its transaction won.
      const [winner] = await deps.db
        .select({ ticketId: emailMessages.ticketId })
        .from(emailMessages)
        .where(and(eq(emailMessages.mailboxId, plan.mailbox.id), eq(emailMessages.messageId, plan.messageId)));
      await finish(deps.db, plan.inbound.id, { status: 'duplicate', ticketId: winner?.ticketId ?? null, ...plan.summary }, plan.now);
      return [];
    }
    throw err;
  }
}

/** An admin sends a quarantined message through intake again (after an upgrade fixed the parser, say). */
export async function requeueInbound(db: DbOrTx, id: string) {
  const rows = await db
    .update(inboundEmails)
    .set({ status: 'received', attempts: 0, reason: null, processedAt: null })
    .where(and(eq(inboundEmails.id, id), inArray(inboundEmails.status, ['quarantined', 'ignored'])))
    .returning({ id: inboundEmails.id });
  return rows.length > 0;
}
