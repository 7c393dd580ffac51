import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Static } from 'typebox';
import type { LogCallBody } from '@caredesk/contracts';
import type { AuthedCtx } from '../../../../platform/context.js';
import type { DbOrTx } from '../../../../platform/db/index.js';
import { unprocessable, validation, type FieldError } from '../../../../platform/errors.js';
import { recordAudit } from '../../../../platform/audit.js';
import { emitInTx, runAfterCommit, type AfterCommit } from '../../../../platform/events.js';
import { textToHtml } from '../../../../platform/html.js';
import { decodeCursor, encodeCursor } from '../../../../platform/cursor.js';
import { findContactByIdentity, findOrCreateContact, getContact, normaliseIdentity } from '../../../customers/index.js';
import { contactIdentities, contacts } from '../../../customers/db/schema.js';
import { users } from '../../../people/db/schema.js';
import { addChannelNote, addCustomerMessage, categories, getTicket, openTicketFromChannel, reasonCodes, tickets } from '../../../tickets/index.js';
import { calls, type ChecklistAnswer } from '../db/schema.js';
import { scriptForCategory } from './scripts.js';
import { reason } from '../../../../platform/i18n.js';

// Nobody answered, so there was no one to go through the script with.
const NOBODY_THERE = new Set(['no_answer', 'voicemail']);

/** The body shown on the timeline: the agent's notes, or what happened when there are none. */
function callText(input: Static<typeof LogCallBody>) {
  return input.notes.trim() || `(${input.outcome.replace(/_/g, ' ')})`;
}

/**
 * Records a call an agent took or made, on a ticket: the given one, or a new one opened for the
 * caller. The contact comes from the agent, else from the number's phone identity, else is created
 * with that number, so the next call from it finds them.
 */
export async function logCall(ctx: AuthedCtx, input: Static<typeof LogCallBody>) {
  const errors: FieldError[] = [];
  const phone = normaliseIdentity({ kind: 'phone', value: input.number }, null, 'number');
  if (!phone.ok) errors.push(phone.error);

  let ticket: Awaited<ReturnType<typeof getTicket>> | null = null;
  if (input.ticketId) {
    try {
      ticket = await getTicket(ctx, input.ticketId);
    } catch {
      errors.push({ field: 'ticketId', code: 'not_found' });
    }
  }
  if (input.categoryId) {
    const [c] = await ctx.db.select({ active: categories.active }).from(categories).where(eq(categories.id, input.categoryId));
    if (!c) errors.push({ field: 'categoryId', code: 'not_found' });
    else if (!c.active) errors.push({ field: 'categoryId', code: 'inactive' });
  }
  if (input.reasonCodeId) {
    const [r] = await ctx.db.select({ active: reasonCodes.active }).from(reasonCodes).where(eq(reasonCodes.id, input.reasonCodeId));
    if (!r) errors.push({ field: 'reasonCodeId', code: 'not_found' });
    else if (!r.active) errors.push({ field: 'reasonCodeId', code: 'inactive' });
  }
  let contactId = input.contactId ?? null;
  if (contactId) {
    const [c] = await ctx.db.select({ id: contacts.id }).from(contacts).where(eq(contacts.id, contactId));
    if (!c) errors.push({ field: 'contactId', code: 'not_found' });
  }

  // The script is the category's: the one chosen now, or the ticket's own.
  const categoryId = input.categoryId ?? ticket?.category?.id ?? null;
  const script = categoryId && !errors.some((e) => e.field === 'categoryId') ? await scriptForCategory(ctx.db, categoryId) : null;
  const given = new Map((input.checklist ?? []).map((a) => [a.key, a.checked]));
  const checklist: ChecklistAnswer[] = [];
  if (script) {
    const known = new Set(script.checklist.map((i) => i.key));
    (input.checklist ?? []).forEach((a, i) => {
      if (!known.has(a.key)) errors.push({ field: `checklist.${i}.key`, code: 'invalid', params: { reason: reason('"{{key}}" is not on this category\'s call script', { key: a.key }) } });
    });
    for (const item of script.checklist) {
      const checked = given.get(item.key) ?? false;
      if (item.required && !checked && !NOBODY_THERE.has(input.outcome)) {
        errors.push({ field: `checklist.${item.key}`, code: 'invalid', params: { reason: reason('the script requires "{{label}}"', { label: item.label }) } });
      }
      checklist.push({ key: item.key, label: item.label, checked });
    }
  } else if (input.checklist?.length) {
    errors.push({ field: 'checklist', code: 'invalid', params: { reason: 'there is no call script for this category' } });
  }
  if (errors.length) throw validation(errors);
  if (ticket?.status === 'closed') throw unprocessable('ticket.closed');
  const number = phone.ok ? phone.identity.value : input.number;

  if (!contactId) contactId = ticket?.requester?.id ?? null;
  if (!contactId) {
    const found = await findOrCreateContact(ctx, { kind: 'phone', value: number, name: input.contactName, create: true }, 'number');
    contactId = found!.contact.id;
  } else if (phone.ok && !(await findContactByIdentity(ctx.db, phone.identity))) {
    // A number nobody has yet becomes this contact's, so the next call from it finds them.
    await ctx.db.insert(contactIdentities).values({ contactId, kind: 'phone', platform: '', value: number }).onConflictDoNothing();
  }
  const contact = await getContact(ctx, contactId);

  const now = ctx.now();
  const bodyText = callText(input);
  const body = { channel: 'phone', bodyHtml: textToHtml(bodyText), bodyText, at: now };
  const services = { jobs: ctx.jobs, secrets: ctx.secrets };
  const { callId, after } = await ctx.db.transaction(async (tx) => {
    let ticketId: string;
    let messageId: string;
    let after: AfterCommit[] = [];
    if (ticket) {
      ticketId = ticket.id;
      // The customer called: that is their message, and it brings a solved ticket back.
      const r =
        input.direction === 'inbound'
          ? await addCustomerMessage(tx, ticket.id, { ...body, contactId: contact.id, files: [] }, services)
          : await addChannelNote(tx, ticket.id, { ...body, authorUserId: ctx.actor.id }, services);
      messageId = r.messageId;
      after = r.after;
    } else {
      const subject = input.subject?.trim() || `${input.direction === 'inbound' ? 'Call from' : 'Call to'} ${contact.name}`;
      const r = await openTicketFromChannel(tx, {
        ...body,
        contactId: contact.id,
        files: [],
        subject,
        accountId: contact.accountId,
        groupId: null,
        categoryId: input.categoryId ?? null,
        reasonCodeId: input.reasonCodeId ?? null,
        author: { kind: input.direction === 'inbound' ? 'customer' : 'note', userId: ctx.actor.id },
      });
      ticketId = r.ticketId;
      messageId = r.messageId;
    }
    const [row] = await tx
      .insert(calls)
      .values({
        direction: input.direction,
        number,
        contactId: contact.id,
        ticketId,
        ticketMessageId: messageId,
        agentId: ctx.actor.id,
        categoryId,
        reasonCodeId: input.reasonCodeId ?? null,
        durationSeconds: input.durationSeconds,
        outcome: input.outcome,
        notes: input.notes,
        checklist,
        telephonyCallId: input.telephonyCallId ?? null,
        createdAt: now,
      })
      .returning({ id: calls.id });
    await recordAudit(tx, { actor: ctx.actor, action: 'call.logged', targetType: 'call', targetId: row!.id, ticketId, at: now });
    after.push(
      ...(await emitInTx(
        tx,
        'call.logged',
        {
          callId: row!.id, ticketId, agentId: ctx.actor.id, direction: input.direction, outcome: input.outcome,
          durationSeconds: input.durationSeconds, categoryId, reasonCodeId: input.reasonCodeId ?? null, at: now,
        },
        services,
      )),
    );
    return { callId: row!.id, after };
  });
  await runAfterCommit(after, () => {});
  const [call] = await loadCalls(ctx.db, eq(calls.id, callId), 1);
  return call!;
}

async function loadCalls(db: DbOrTx, where: ReturnType<typeof eq> | undefined, limit: number) {
  const rows = await db
    .select({
      call: calls,
      contactName: contacts.name,
      agentName: users.name,
      ticketNumber: tickets.number,
      // Microseconds, for the list cursor (a Date keeps only milliseconds).
      cursorAt: sql<string>`${calls.createdAt}::text`,
    })
    .from(calls)
    .leftJoin(contacts, eq(contacts.id, calls.contactId))
    .leftJoin(users, eq(users.id, calls.agentId))
    .leftJoin(tickets, eq(tickets.id, calls.ticketId))
    .where(where)
    .orderBy(desc(calls.createdAt), desc(calls.id))
    .limit(limit);
  return rows.map(({ call: c, contactName, agentName, ticketNumber, cursorAt }) => ({
    cursorAt,
    id: c.id,
    direction: c.direction as 'inbound' | 'outbound',
    number: c.number,
    contact: c.contactId ? { id: c.contactId, name: contactName ?? '' } : null,
    ticket: c.ticketId && ticketNumber !== null ? { id: c.ticketId, number: ticketNumber } : null,
    agent: c.agentId ? { id: c.agentId, name: agentName ?? '' } : null,
    categoryId: c.categoryId,
    reasonCodeId: c.reasonCodeId,
    durationSeconds: c.durationSeconds,
    outcome: c.outcome as never,
    notes: c.notes,
    checklist: c.checklist,
    createdAt: c.createdAt,
  }));
}

/** A contact's or ticket's calls, newest first. Tickets the agent may not see keep their calls hidden. */
export async function listCalls(ctx: AuthedCtx, q: { contactId?: string; ticketId?: string; limit?: number; cursor?: string }) {
  const limit = q.limit ?? 50;
  const conds = [];
  if (q.contactId) conds.push(eq(calls.contactId, q.contactId));
  if (q.ticketId) {
    const t = await getTicket(ctx, q.ticketId);
    conds.push(eq(calls.ticketId, t.id));
  }
  if (q.cursor) {
    const [at, id] = decodeCursor(q.cursor);
    if (typeof at === 'string' && typeof id === 'string') {
      conds.push(sql`(${calls.createdAt}, ${calls.id}) < (${at}::timestamptz, ${id}::uuid)`);
    }
  }
  const items = await loadCalls(ctx.db, conds.length ? (and(...conds) as never) : undefined, limit + 1);
  const more = items.length > limit;
  const page = items.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map(({ cursorAt: _c, ...call }) => call), nextCursor: more && last ? encodeCursor([last.cursorAt, last.id]) : null };
}

/** Call details for timeline messages that record a call. */
export async function callsOfMessages(db: DbOrTx, messageIds: string[]) {
  const rows = await db
    .select({ call: calls, agentName: users.name })
    .from(calls)
    .leftJoin(users, eq(users.id, calls.agentId))
    .where(inArray(calls.ticketMessageId, messageIds));
  const out = new Map<string, Record<string, unknown>>();
  for (const { call: c, agentName } of rows) {
    out.set(c.ticketMessageId!, {
      call: {
        callId: c.id,
        direction: c.direction,
        number: c.number,
        durationSeconds: c.durationSeconds,
        outcome: c.outcome,
        reasonCodeId: c.reasonCodeId,
        loggedBy: c.agentId ? { id: c.agentId, name: agentName ?? '' } : null,
        checklist: c.checklist,
      },
    });
  }
  return out;
}

