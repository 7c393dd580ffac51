import type { ChatFileT, ChatMessageT } from '@caredesk/contracts';
import { createHash, randomBytes } from 'node:crypto';
import { AsyncLocalStorage } from 'node:async_hooks';
import { and, asc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import type { Config } from '../../../../platform/config.js';
import type { Db, DbOrTx } from '../../../../platform/db/index.js';
import type { AuthedCtx } from '../../../../platform/context.js';
import { seesEverything } from '../../../../platform/context.js';
import { AppError, conflict, notFound, validation } from '../../../../platform/errors.js';
import { runAfterCommit, type AfterCommit, type EventServices } from '../../../../platform/events.js';
import { textToHtml } from '../../../../platform/html.js';
import { publish } from '../../../../platform/realtime.js';
import { findContactByIdentity, findOrCreateContact, getContact, normaliseIdentity } from '../../../customers/index.js';
import { contacts } from '../../../customers/db/schema.js';
import { groupMemberships, groups, users } from '../../../people/db/schema.js';
import { addCustomerMessage, addMessage, applySystemChange, openTicketFromChannel, ticketMessages, tickets } from '../../../tickets/index.js';
import { attachments } from '../../../tickets/db/schema.js';
import { insertUpload, refuseInfected, type UploadedFile } from '../../../tickets/use-cases/attachments.js';
import { chatAgents, chatMessages, chatSessions } from '../db/schema.js';
import { reason } from '../../../../platform/i18n.js';

export const MAX_TEXT = 4000;
/** An agent counts as available while a process has heard from their console this recently. */
const HEARTBEAT_SECONDS = 60;
/** How long an offered chat waits for its agent to accept before it is offered to someone else. */
export const OFFER_SECONDS = 45;
const ROUTING_LOCK = 7_267_330_601;

export type ChatSession = typeof chatSessions.$inferSelect;
export interface ChatDeps {
  db: Db;
  config: Config;
  services: EventServices;
}

export type ChatFile = ChatFileT;
export type ChatMessage = ChatMessageT;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
export const chatTopic = (sessionId: string) => `chat:${sessionId}`;

// The console's clientId travels to the reply listener through the tickets module's addMessage.
const agentClientId = new AsyncLocalStorage<{ sessionId: string; clientId: string | null }>();

const routingLock = (tx: DbOrTx) => tx.execute(sql`select pg_advisory_xact_lock(${ROUTING_LOCK})`);

async function inTx<T>(db: Db, fn: (tx: DbOrTx, after: AfterCommit[]) => Promise<T>): Promise<T> {
  const after: AfterCommit[] = [];
  const result = await db.transaction((tx) => fn(tx, after));
  await runAfterCommit(after, () => {});
  return result;
}

// ---------------------------------------------------------------- reading

/** Messages of a chat after `afterSeq`, in order, as subscribers receive them. */
export async function loadChatMessages(db: DbOrTx, sessionId: string, afterSeq = 0, onlySeqs?: number[]): Promise<ChatMessage[]> {
  const rows = await db
    .select({
      seq: chatMessages.seq,
      clientId: chatMessages.clientId,
      author: chatMessages.author,
      systemText: chatMessages.systemText,
      createdAt: chatMessages.createdAt,
      messageId: chatMessages.ticketMessageId,
      text: ticketMessages.bodyText,
      userName: users.name,
      contactName: contacts.name,
    })
    .from(chatMessages)
    .leftJoin(ticketMessages, eq(ticketMessages.id, chatMessages.ticketMessageId))
    .leftJoin(users, eq(users.id, ticketMessages.authorUserId))
    .leftJoin(contacts, eq(contacts.id, ticketMessages.authorContactId))
    .where(and(eq(chatMessages.sessionId, sessionId), gt(chatMessages.seq, afterSeq), onlySeqs ? inArray(chatMessages.seq, onlySeqs) : undefined))
    .orderBy(asc(chatMessages.seq))
    .limit(500);
  const ids = rows.map((r) => r.messageId).filter((x): x is string => !!x);
  const files = ids.length
    ? await db
        .select({ id: attachments.id, messageId: attachments.messageId, filename: attachments.filename, contentType: attachments.contentType, size: attachments.size })
        .from(attachments)
        .where(inArray(attachments.messageId, ids))
    : [];
  return rows.map((r) => {
    const system = r.author === 'system' ? (JSON.parse(r.systemText ?? '{}') as { code?: string; name?: string }) : null;
    return {
      seq: r.seq,
      clientId: r.clientId,
      author: r.author as ChatMessage['author'],
      name: system ? (system.name ?? null) : (r.userName ?? r.contactName ?? null),
      text: r.text ?? '',
      code: system?.code ?? null,
      files: files.filter((f) => f.messageId === r.messageId).map(({ messageId: _m, ...f }) => f),
      at: r.createdAt.toISOString(),
    };
  });
}

export async function sessionByToken(db: DbOrTx, token: string) {
  const [s] = await db.select().from(chatSessions).where(eq(chatSessions.tokenHash, hashToken(token)));
  return s ?? null;
}

export async function getSession(db: DbOrTx, id: string) {
  const [s] = await db.select().from(chatSessions).where(eq(chatSessions.id, id));
  if (!s) throw notFound();
  return s;
}

/** Staff see a chat when they could see its ticket's group, are on it, or are offered it. */
export function canSeeChat(ctx: Pick<AuthedCtx, 'actor'>, s: ChatSession) {
  const a = ctx.actor;
  return seesEverything(a) || s.agentId === a.id || s.offeredToId === a.id || (!!s.groupId && a.groupIds.includes(s.groupId));
}

export async function sessionView(db: DbOrTx, s: ChatSession) {
  const [row] = await db
    .select({ number: tickets.number, subject: tickets.subject, contactName: contacts.name, groupName: groups.name })
    .from(tickets)
    .leftJoin(contacts, eq(contacts.id, s.contactId))
    .leftJoin(groups, eq(groups.id, tickets.groupId))
    .where(eq(tickets.id, s.ticketId));
  const agent = s.agentId ? (await db.select({ name: users.name }).from(users).where(eq(users.id, s.agentId)))[0] : undefined;
  return {
    id: s.id,
    status: s.status,
    topic: s.topic,
    language: s.language,
    contact: { id: s.contactId, name: row?.contactName ?? '' },
    ticket: { id: s.ticketId, number: row?.number ?? 0, subject: row?.subject ?? '' },
    group: s.groupId ? { id: s.groupId, name: row?.groupName ?? '' } : null,
    agent: s.agentId ? { id: s.agentId, name: agent?.name ?? '' } : null,
    offeredToId: s.offeredToId,
    createdAt: s.createdAt.toISOString(),
    acceptedAt: s.acceptedAt?.toISOString() ?? null,
    endedAt: s.endedAt?.toISOString() ?? null,
  };
}

// ---------------------------------------------------------------- presence and routing

const availableAgents = (groupId: string) => sql`
  select a.user_id as id, a.capacity,
    (select count(*)::int from chat_sessions c
      where (c.agent_id = a.user_id and c.status = 'active') or (c.offered_to_id = a.user_id and c.status = 'queued')) as load
  from chat_agents a
  join group_memberships gm on gm.user_id = a.user_id and gm.group_id = ${groupId}
  join users u on u.id = a.user_id and u.active
  where a.status = 'online' and a.heartbeat_at > now() - make_interval(secs => ${HEARTBEAT_SECONDS})`;

/** Whether any agent of the group (or of any group, without one) could take a chat now. */
export async function anyoneOnline(db: DbOrTx, groupId: string | null) {
  const r = await db.execute<{ n: number }>(sql`
    select count(*)::int as n from chat_agents a
    join users u on u.id = a.user_id and u.active
    where a.status = 'online' and a.heartbeat_at > now() - make_interval(secs => ${HEARTBEAT_SECONDS})
      ${groupId ? sql`and exists (select 1 from group_memberships gm where gm.user_id = a.user_id and gm.group_id = ${groupId})` : sql``}`);
  return (r.rows[0]?.n ?? 0) > 0;
}

/**
 * Offers waiting chats, oldest first, to the least-loaded available agent of their group who is
 * under capacity (active chats plus open offers). An offer stays while its agent is available, for
 * OFFER_SECONDS; it moves on when they go away, their console disconnects or they let it lapse,
 * and an agent who let it lapse is asked again only when nobody else can take it. Serialised by
 * one advisory lock, so two processes cannot overfill an agent. Returns whether any offer changed.
 */
export async function routeQueue(tx: DbOrTx, opts: { quiet?: boolean } = {}) {
  await routingLock(tx);
  const waiting = await tx.execute<{ id: string; group_id: string | null; offered_to_id: string | null; lapsed: boolean; passed_over: string[] }>(sql`
    select s.id, s.group_id, s.offered_to_id, to_json(s.passed_over) as passed_over,
      coalesce(s.offered_at < now() - make_interval(secs => ${OFFER_SECONDS}), false) as lapsed
    from chat_sessions s
    where s.status = 'queued' and s.group_id is not null and (s.offered_to_id is null
      or s.offered_at < now() - make_interval(secs => ${OFFER_SECONDS})
      or not exists (
        select 1 from chat_agents a where a.user_id = s.offered_to_id and a.status = 'online'
          and a.heartbeat_at > now() - make_interval(secs => ${HEARTBEAT_SECONDS})))
    order by s.created_at limit 200`);
  const loads = new Map<string, { id: string; capacity: number; load: number }[]>();
  let changed = false;
  for (const s of waiting.rows) {
    if (!loads.has(s.group_id!)) {
      const r = await tx.execute<{ id: string; capacity: number; load: number }>(availableAgents(s.group_id!));
      loads.set(s.group_id!, r.rows.map((x) => ({ id: x.id, capacity: Number(x.capacity), load: Number(x.load) })));
    }
    const passedOver = new Set(s.passed_over);
    if (s.lapsed && s.offered_to_id) passedOver.add(s.offered_to_id);
    // Agents are shared between groups: one load figure per agent across the lists. The agent
    // holding a lapsed offer counts it in their load; it is theirs to keep if nobody else is free.
    const free = (a: { id: string; capacity: number; load: number }) => a.load - (a.id === s.offered_to_id ? 1 : 0) < a.capacity;
    const ratio = (a: { id: string; capacity: number; load: number }) => a.load / a.capacity;
    const candidates = loads
      .get(s.group_id!)!
      .filter(free)
      .sort((a, b) => Number(passedOver.has(a.id)) - Number(passedOver.has(b.id)) || ratio(a) - ratio(b) || a.load - b.load);
    const chosen = candidates[0];
    if (s.lapsed && chosen && chosen.id === s.offered_to_id) {
      // Nobody else: the same agent keeps it, without a withdrawal and a new offer.
      await tx.update(chatSessions).set({ offeredAt: new Date() }).where(eq(chatSessions.id, s.id));
      continue;
    }
    changed = true;
    if (s.offered_to_id) {
      for (const list of loads.values()) for (const a of list) if (a.id === s.offered_to_id) a.load--;
      await tx.update(chatSessions).set({ offeredToId: null, offeredAt: null, passedOver: [...passedOver] }).where(eq(chatSessions.id, s.id));
      await publish(tx, `user:${s.offered_to_id}`, { type: 'chat.withdrawn', sessionId: s.id });
    }
    if (!chosen) continue;
    for (const list of loads.values()) for (const a of list) if (a.id === chosen.id) a.load++;
    await tx.update(chatSessions).set({ offeredToId: chosen.id, offeredAt: new Date() }).where(eq(chatSessions.id, s.id));
    await publish(tx, `user:${chosen.id}`, { type: 'chat.offered', sessionId: s.id });
  }
  if (changed || !opts.quiet) await publish(tx, 'agents', { type: 'chat.queue' });
  return changed;
}

/** Moves offers that lapsed since anything else asked for routing. Run every few seconds. */
export async function routeLapsedOffers(db: Db) {
  return inTx(db, (tx) => routeQueue(tx, { quiet: true }));
}

export async function getPresence(db: DbOrTx, userId: string) {
  const [row] = await db.select().from(chatAgents).where(eq(chatAgents.userId, userId));
  return { status: row?.status ?? 'away', capacity: row?.capacity ?? 3 };
}

/**
 * `console: 'opened'` counts one more connected console (on any process) and marks the person
 * seen; `'closed'` counts one less and, at none, takes them offline at once rather than when the
 * heartbeat lapses. The count starts again from one when the heartbeat had lapsed, so consoles of
 * a process that died without closing them cannot keep it from reaching zero.
 */
export async function setPresence(db: Db, userId: string, patch: { status?: 'online' | 'away'; capacity?: number; heartbeat?: true; console?: 'opened' | 'closed' }) {
  await inTx(db, async (tx) => {
    const fresh = sql`${chatAgents.heartbeatAt} > now() - make_interval(secs => ${HEARTBEAT_SECONDS})`;
    const consoles =
      patch.console === 'opened'
        ? sql`case when ${fresh} then ${chatAgents.consoles} + 1 else 1 end`
        : patch.console === 'closed'
          ? sql`greatest(${chatAgents.consoles} - 1, 0)`
          : undefined;
    const heartbeatAt =
      patch.console === 'closed' ? sql`case when ${chatAgents.consoles} <= 1 then null else ${chatAgents.heartbeatAt} end` : patch.heartbeat || patch.console === 'opened' ? new Date() : undefined;
    await tx
      .insert(chatAgents)
      .values({ userId, status: patch.status ?? 'online', capacity: patch.capacity ?? 3, heartbeatAt: patch.console === 'opened' || patch.heartbeat ? new Date() : null, consoles: patch.console === 'opened' ? 1 : 0 })
      .onConflictDoUpdate({
        target: chatAgents.userId,
        set: {
          ...(patch.status ? { status: patch.status } : {}),
          ...(patch.capacity ? { capacity: patch.capacity } : {}),
          ...(consoles ? { consoles } : {}),
          ...(heartbeatAt !== undefined ? { heartbeatAt } : {}),
        },
      });
    await routeQueue(tx);
  });
  return getPresence(db, userId);
}

/** A console keeps its person available; cheap enough to run every 20 s per connected console. */
export async function heartbeat(db: Db, userIds: string[]) {
  if (!userIds.length) return;
  await db.update(chatAgents).set({ heartbeatAt: new Date() }).where(inArray(chatAgents.userId, userIds));
}

// ---------------------------------------------------------------- visitor side

async function systemMessage(tx: DbOrTx, sessionId: string, code: string, name: string | null) {
  const [row] = await tx
    .insert(chatMessages)
    .values({ sessionId, author: 'system', systemText: JSON.stringify({ code, name }) })
    .returning({ seq: chatMessages.seq });
  const [message] = await loadChatMessages(tx, sessionId, 0, [row!.seq]);
  await publish(tx, chatTopic(sessionId), { type: 'message', message });
}

async function publishStatus(tx: DbOrTx, sessionId: string) {
  const s = await getSession(tx, sessionId);
  const agent = s.agentId ? (await tx.select({ name: users.name }).from(users).where(eq(users.id, s.agentId)))[0] : undefined;
  await publish(tx, chatTopic(sessionId), { type: 'status', status: s.status, agentName: agent?.name ?? null });
}

/**
 * The visitor's contact: the one their email names, else the one their phone names, else a new
 * one with both. An existing contact gains nothing from the form: a visitor is not verified.
 */
async function contactFor(deps: ChatDeps, input: { name: string; email?: string; phone?: string; language: string }) {
  const ctx = { db: deps.db, config: deps.config, actor: null, lang: (input.language === 'ar' ? 'ar' : 'en') as 'en' | 'ar', now: () => new Date() };
  const given = [
    input.email?.trim() ? { kind: 'email' as const, value: input.email.trim() } : null,
    input.phone?.trim() ? { kind: 'phone' as const, value: input.phone.trim() } : null,
  ].filter((i) => i !== null);
  if (!given.length) throw validation([{ field: 'email', code: 'required_either', params: { other: 'phone' } }]);
  // The first one given must be valid (its error is the form's); a second one that is not is ignored.
  const [first, ...rest] = given;
  const valid = rest.map((i) => normaliseIdentity(i)).flatMap((r) => (r.ok ? [r.identity] : []));
  const known = await findOrCreateContact(ctx, { ...first!, create: false }, first!.kind);
  if (known) return known.contact;
  for (const identity of valid) {
    const existing = await findContactByIdentity(deps.db, identity);
    if (existing) return getContact(ctx, existing);
  }
  const found = await findOrCreateContact(ctx, { ...first!, name: input.name.trim(), create: true }, first!.kind, { identities: valid });
  return found!.contact;
}

async function defaultChatGroup(db: DbOrTx, groupId: string | undefined) {
  if (groupId) {
    const [g] = await db.select({ id: groups.id }).from(groups).where(eq(groups.id, groupId));
    if (!g) throw validation([{ field: 'groupId', code: 'not_found' }]);
    return g.id;
  }
  const [g] = await db.select({ id: groups.id }).from(groups).where(eq(groups.kind, 'customer-service')).orderBy(asc(groups.name)).limit(1);
  return g?.id ?? null;
}

export interface StartChatInput {
  name: string;
  email?: string;
  phone?: string;
  topic: string;
  groupId?: string;
  language: string;
  origin: string | null;
}

/**
 * The pre-chat form: finds or creates the contact by email or phone, opens the chat ticket with
 * the topic as the customer's first message, and queues the chat. With nobody available the
 * chat is refused (`chat_offline`) so the widget shows the offline form instead.
 */
export async function startChat(deps: ChatDeps, input: StartChatInput) {
  const groupId = await defaultChatGroup(deps.db, input.groupId);
  if (!(await anyoneOnline(deps.db, groupId))) throw new AppError('chat_offline', 409, 'No agent is available');
  const contact = await contactFor(deps, input);
  const token = `cdc_${randomBytes(32).toString('base64url')}`;
  const topic = input.topic.trim();
  const now = new Date();
  const result = await inTx(deps.db, async (tx, after) => {
    const opened = await openTicketFromChannel(tx, {
      channel: 'chat',
      contactId: contact.id,
      accountId: contact.accountId,
      groupId,
      subject: topic.split('\n')[0]!.slice(0, 120),
      bodyHtml: textToHtml(topic),
      bodyText: topic,
      files: [],
      at: now,
      tags: ['chat'],
    });
    after.push(...opened.after);
    const [t] = await tx.select({ groupId: tickets.groupId }).from(tickets).where(eq(tickets.id, opened.ticketId));
    const [session] = await tx
      .insert(chatSessions)
      .values({ tokenHash: hashToken(token), contactId: contact.id, ticketId: opened.ticketId, groupId: t!.groupId, topic, language: input.language, origin: input.origin, createdAt: now })
      .returning();
    await tx.insert(chatMessages).values({ sessionId: session!.id, ticketMessageId: opened.messageId, author: 'customer', clientId: 'prechat', createdAt: now });
    await routeQueue(tx);
    return { session: session!, ticketNumber: opened.number };
  });
  return { sessionId: result.session.id, token, ticketNumber: result.ticketNumber, status: result.session.status };
}

/** The offline form: the message becomes a chat-channel ticket for the group to answer later. */
export async function leaveOfflineMessage(deps: ChatDeps, input: { name: string; email?: string; phone?: string; message: string; groupId?: string; language: string }) {
  const groupId = await defaultChatGroup(deps.db, input.groupId);
  const contact = await contactFor(deps, input);
  const text = input.message.trim();
  return inTx(deps.db, async (tx, after) => {
    const opened = await openTicketFromChannel(tx, {
      channel: 'chat',
      contactId: contact.id,
      accountId: contact.accountId,
      groupId,
      subject: text.split('\n')[0]!.slice(0, 120),
      bodyHtml: textToHtml(text),
      bodyText: text,
      files: [],
      at: new Date(),
      tags: ['chat', 'chat-offline'],
    });
    after.push(...opened.after);
    return { ticketNumber: opened.number };
  });
}

/**
 * A customer's message, stored before it is acknowledged. A `clientId` seen before for this
 * chat returns the stored message instead of adding another (a resend after a lost ack).
 */
export async function customerMessage(
  deps: ChatDeps,
  session: ChatSession,
  input: { clientId: string; text: string; fileIds?: string[] },
  authorName?: string,
) {
  const text = input.text.trim();
  if (!input.clientId || input.clientId.length > 100) throw validation([{ field: 'clientId', code: 'invalid', params: { reason: '1 to 100 characters' } }]);
  if (text.length > MAX_TEXT) throw validation([{ field: 'text', code: 'invalid', params: { reason: reason('at most {{n}} characters', { n: MAX_TEXT }) } }]);
  if (!text && !input.fileIds?.length) throw validation([{ field: 'text', code: 'required' }]);
  try {
    return await inTx(deps.db, async (tx, after) => {
      // The ticket row lock orders this chat's writers, so seq order is commit order.
      const locked = await tx.execute<{ ticket_status: string; chat_status: string; prior: number | null }>(sql`
        select t.status as ticket_status, s.status as chat_status,
          (select m.seq from chat_messages m where m.session_id = s.id and m.client_id = ${input.clientId}) as prior
        from tickets t join chat_sessions s on s.ticket_id = t.id
        where t.id = ${session.ticketId} and s.id = ${session.id}
        for update of t`);
      const row = locked.rows[0];
      if (row?.prior) return { seq: Number(row.prior), duplicate: true };
      if (!row || row.chat_status === 'ended' || row.ticket_status === 'closed') throw conflict('chat_ended');
      const at = new Date();
      const added = await addCustomerMessage(tx, session.ticketId, { channel: 'chat', contactId: session.contactId, bodyHtml: textToHtml(text), bodyText: text, files: [], at }, deps.services);
      after.push(...added.after);
      let files: ChatFile[] = [];
      if (input.fileIds?.length) {
        files = await tx
          .update(attachments)
          .set({ messageId: added.messageId })
          .where(and(inArray(attachments.id, input.fileIds), eq(attachments.ticketId, session.ticketId), isNull(attachments.messageId)))
          .returning({ id: attachments.id, filename: attachments.filename, contentType: attachments.contentType, size: attachments.size });
        if (files.length !== input.fileIds.length) throw validation([{ field: 'fileIds', code: 'not_found' }]);
      }
      const [inserted] = await tx
        .insert(chatMessages)
        .values({ sessionId: session.id, ticketMessageId: added.messageId, author: 'customer', clientId: input.clientId, createdAt: at })
        .returning({ seq: chatMessages.seq });
      const name = authorName ?? (await tx.select({ name: contacts.name }).from(contacts).where(eq(contacts.id, session.contactId)))[0]?.name ?? null;
      const message: ChatMessage = { seq: inserted!.seq, clientId: input.clientId, author: 'customer', name, text, code: null, files, at: at.toISOString() };
      await publish(tx, chatTopic(session.id), { type: 'message', message });
      return { seq: inserted!.seq, duplicate: false };
    });
  } catch (err) {
    // Two sockets resending the same message at once: the loser finds the winner's row.
    const seq = await findByClientId(deps.db, session.id, input.clientId);
    if (seq) return { seq, duplicate: true };
    throw err;
  }
}

async function findByClientId(db: DbOrTx, sessionId: string, clientId: string) {
  const [row] = await db.select({ seq: chatMessages.seq }).from(chatMessages).where(and(eq(chatMessages.sessionId, sessionId), eq(chatMessages.clientId, clientId)));
  return row?.seq ?? null;
}

/** A file the visitor attaches, stored with the chat's ticket until a message claims it. */
export async function storeVisitorFile(db: DbOrTx, session: ChatSession, file: UploadedFile) {
  return insertUpload(db, { ticketId: session.ticketId }, file);
}

export async function visitorFile(db: DbOrTx, session: ChatSession, id: string) {
  const [row] = await db
    .select({ filename: attachments.filename, contentType: attachments.contentType, data: attachments.data, scanStatus: attachments.scanStatus, scanSignature: attachments.scanSignature })
    .from(attachments)
    .where(and(eq(attachments.id, id), eq(attachments.ticketId, session.ticketId)));
  if (!row) throw notFound();
  refuseInfected(row);
  return row;
}

export async function endChat(db: Db, sessionId: string, by: { name: string | null }) {
  await inTx(db, async (tx) => {
    await routingLock(tx);
    const [s] = await tx.update(chatSessions).set({ status: 'ended', endedAt: new Date(), offeredToId: null }).where(and(eq(chatSessions.id, sessionId), sql`status <> 'ended'`)).returning();
    if (!s) return;
    await systemMessage(tx, sessionId, 'ended', by.name);
    await publishStatus(tx, sessionId);
    await routeQueue(tx);
  });
}

// ---------------------------------------------------------------- agent side

async function staffSession(ctx: AuthedCtx, id: string) {
  const s = await getSession(ctx.db, id);
  if (!canSeeChat(ctx, s)) throw notFound();
  return s;
}

export async function listChats(ctx: AuthedCtx) {
  const a = ctx.actor;
  const rows = await ctx.db
    .select()
    .from(chatSessions)
    .where(
      and(
        sql`(${chatSessions.status} = 'queued' or (${chatSessions.status} = 'active' and ${chatSessions.agentId} = ${a.id}))`,
        seesEverything(a)
          ? undefined
          : sql`(${chatSessions.agentId} = ${a.id} or ${chatSessions.offeredToId} = ${a.id} or ${chatSessions.groupId} in (select ${groupMemberships.groupId} from ${groupMemberships} where ${groupMemberships.userId} = ${a.id}))`,
      ),
    )
    .orderBy(asc(chatSessions.createdAt))
    .limit(200);
  return Promise.all(rows.map((s) => sessionView(ctx.db, s)));
}

export async function viewChat(ctx: AuthedCtx, id: string) {
  return sessionView(ctx.db, await staffSession(ctx, id));
}

export async function chatTranscript(ctx: AuthedCtx, id: string, after: number) {
  await staffSession(ctx, id);
  return loadChatMessages(ctx.db, id, after);
}

/** An agent takes a waiting chat, within their capacity; the chat's ticket becomes theirs. */
export async function acceptChat(ctx: AuthedCtx, id: string) {
  const s = await staffSession(ctx, id);
  await inTx(ctx.db, async (tx, after) => {
    await routingLock(tx);
    const [cur] = await tx.select().from(chatSessions).where(eq(chatSessions.id, id)).for('update');
    if (cur!.status !== 'queued') throw conflict(cur!.agentId === ctx.actor.id ? 'chat_already_yours' : 'chat_taken');
    const presence = await getPresence(tx, ctx.actor.id);
    const r = await tx.execute<{ n: number }>(sql`select count(*)::int as n from chat_sessions where agent_id = ${ctx.actor.id} and status = 'active'`);
    if (Number(r.rows[0]!.n) >= presence.capacity) throw conflict('chat_at_capacity', { capacity: presence.capacity });
    await tx.update(chatSessions).set({ status: 'active', agentId: ctx.actor.id, offeredToId: null, offeredAt: null, acceptedAt: new Date() }).where(eq(chatSessions.id, id));
    const changed = await applySystemChange(tx, s.ticketId, { assigneeId: ctx.actor.id }, new Date(), 'chat accepted', { jobs: ctx.jobs, secrets: ctx.secrets });
    after.push(...changed.after);
    await systemMessage(tx, id, 'agent_joined', ctx.actor.name);
    await publishStatus(tx, id);
    await routeQueue(tx);
  });
  return viewChat(ctx, id);
}

/** Hands a chat to another group (back to its queue) or offers it to one agent. */
export async function transferChat(ctx: AuthedCtx, id: string, to: { groupId?: string; userId?: string }) {
  const s = await staffSession(ctx, id);
  if (!to.groupId === !to.userId) throw validation([{ field: 'groupId', code: 'required_either', params: { other: 'userId' } }]);
  if (s.status === 'ended') throw conflict('chat_ended');
  await inTx(ctx.db, async (tx, after) => {
    await routingLock(tx);
    if (to.groupId) {
      const [g] = await tx.select({ id: groups.id, name: groups.name }).from(groups).where(eq(groups.id, to.groupId));
      if (!g) throw validation([{ field: 'groupId', code: 'not_found' }]);
      await tx.update(chatSessions).set({ status: 'queued', groupId: g.id, agentId: null, offeredToId: null, offeredAt: null }).where(eq(chatSessions.id, id));
      const changed = await applySystemChange(tx, s.ticketId, { groupId: g.id, assigneeId: null }, new Date(), 'chat transferred', { jobs: ctx.jobs, secrets: ctx.secrets });
      after.push(...changed.after);
      await systemMessage(tx, id, 'transferred', g.name);
    } else {
      const [u] = await tx.select({ id: users.id, name: users.name }).from(users).where(and(eq(users.id, to.userId!), eq(users.active, true)));
      if (!u) throw validation([{ field: 'userId', code: 'not_found' }]);
      await tx.update(chatSessions).set({ status: 'queued', agentId: null, offeredToId: u.id, offeredAt: new Date() }).where(eq(chatSessions.id, id));
      await publish(tx, `user:${u.id}`, { type: 'chat.offered', sessionId: id });
      await systemMessage(tx, id, 'transferred', u.name);
    }
    await publishStatus(tx, id);
    await routeQueue(tx);
  });
  // The agent who handed it over may no longer see it; they still get the outcome.
  return sessionView(ctx.db, await getSession(ctx.db, id));
}

/** An agent's message: an ordinary public reply on the chat ticket, which the listener puts in the chat. */
export async function agentMessage(ctx: AuthedCtx, id: string, input: { clientId: string; text: string; attachmentIds?: string[] }) {
  const s = await staffSession(ctx, id);
  if (s.status === 'ended') throw conflict('chat_ended');
  if (input.text.length > MAX_TEXT) throw validation([{ field: 'text', code: 'invalid', params: { reason: reason('at most {{n}} characters', { n: MAX_TEXT }) } }]);
  const existing = await findByClientId(ctx.db, id, input.clientId);
  if (existing) return { seq: existing, duplicate: true };
  try {
    await agentClientId.run({ sessionId: id, clientId: input.clientId }, () =>
      addMessage(ctx, s.ticketId, { kind: 'reply', bodyText: input.text, attachmentIds: input.attachmentIds }),
    );
  } catch (err) {
    const seq = await findByClientId(ctx.db, id, input.clientId);
    if (seq) return { seq, duplicate: true };
    throw err;
  }
  return { seq: (await findByClientId(ctx.db, id, input.clientId))!, duplicate: false };
}

export async function endChatAsAgent(ctx: AuthedCtx, id: string) {
  await staffSession(ctx, id);
  await endChat(ctx.db, id, { name: ctx.actor.name });
  return viewChat(ctx, id);
}

/**
 * Any public reply on a chat ticket (the console, or the ticket page) goes into the open chat,
 * in the reply's own transaction: the customer sees it once it is stored, and only then.
 */
export async function replyToChat(tx: DbOrTx, ticketId: string, messageId: string) {
  const [s] = await tx
    .select({ id: chatSessions.id })
    .from(chatSessions)
    .where(and(eq(chatSessions.ticketId, ticketId), sql`status <> 'ended'`))
    .orderBy(sql`${chatSessions.createdAt} desc`)
    .limit(1);
  if (!s) return;
  const pending = agentClientId.getStore();
  const clientId = pending?.sessionId === s.id ? pending.clientId : null;
  await tx.update(ticketMessages).set({ channel: 'chat' }).where(eq(ticketMessages.id, messageId));
  const [row] = await tx.insert(chatMessages).values({ sessionId: s.id, ticketMessageId: messageId, author: 'agent', clientId }).returning({ seq: chatMessages.seq });
  const [message] = await loadChatMessages(tx, s.id, 0, [row!.seq]);
  await publish(tx, chatTopic(s.id), { type: 'message', message });
}

export async function publishTyping(db: DbOrTx, sessionId: string, author: 'customer' | 'agent', name: string | null) {
  await publish(db, chatTopic(sessionId), { type: 'typing', author, name });
}
