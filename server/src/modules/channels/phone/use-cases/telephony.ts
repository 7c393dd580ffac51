import { and, desc, eq, gt, inArray, isNull, notInArray, or } from 'drizzle-orm';
import type { Static } from 'typebox';
import type { TelephonyEventBody } from '@caredesk/contracts';
import type { AuthedCtx } from '../../../../platform/context.js';
import type { Db, DbOrTx } from '../../../../platform/db/index.js';
import { notFound, validation } from '../../../../platform/errors.js';
import { findContactByIdentity, normaliseIdentity } from '../../../customers/index.js';
import { contacts } from '../../../customers/db/schema.js';
import { users } from '../../../people/db/schema.js';
import { tickets } from '../../../tickets/index.js';
import { visibleTo } from '../../../tickets/db/queries.js';
import { channelConnectors } from '../../social/db/schema.js';
import { telephonyCalls } from '../db/schema.js';
import { publish } from '../../../../platform/realtime.js';

const ORDER = { ringing: 1, answered: 2, ended: 3 } as const;
type State = keyof typeof ORDER;
/** How long a ringing or answered call stays on an agent's screen without an `ended` event. */
const POP_WINDOW_MS = 15 * 60 * 1000;

/**
 * Applies one event from the telephone system. Events are keyed by call id and only move a call
 * forward (ringing → answered → ended), so a redelivered or late event changes nothing.
 */
export async function applyTelephonyEvent(db: Db, connectorId: string, e: Static<typeof TelephonyEventBody>, now: Date) {
  const phone = normaliseIdentity({ kind: 'phone', value: e.from }, null, 'from');
  if (!phone.ok) throw validation([phone.error]);
  const number = phone.identity.value;
  const at = e.at ? new Date(e.at) : now;
  const contactId = await findContactByIdentity(db, phone.identity);
  const [agent] = e.agentEmail ? await db.select({ id: users.id }).from(users).where(eq(users.email, e.agentEmail.trim().toLowerCase())) : [];
  return db.transaction(async (tx) => {
    await tx
      .insert(telephonyCalls)
      .values({ connectorId, externalId: e.callId, state: e.event, direction: e.direction ?? 'inbound', number, contactId, agentId: agent?.id ?? null, createdAt: now, updatedAt: now })
      .onConflictDoNothing();
    const [row] = await tx
      .select()
      .from(telephonyCalls)
      .where(and(eq(telephonyCalls.connectorId, connectorId), eq(telephonyCalls.externalId, e.callId)))
      .for('update');
    const current = row!.state as State;
    const forward = ORDER[e.event] >= ORDER[current];
    await tx
      .update(telephonyCalls)
      .set({
        ...(forward ? { state: e.event } : {}),
        ...(e.event === 'ringing' && !row!.ringingAt ? { ringingAt: at } : {}),
        ...(e.event === 'answered' && !row!.answeredAt ? { answeredAt: at } : {}),
        ...(e.event === 'ended' && !row!.endedAt ? { endedAt: at, durationSeconds: e.durationSeconds ?? null } : {}),
        ...(agent && !row!.agentId ? { agentId: agent.id } : {}),
        ...(contactId && !row!.contactId ? { contactId } : {}),
        updatedAt: now,
      })
      .where(eq(telephonyCalls.id, row!.id));
    await tx.update(channelConnectors).set({ lastReceivedAt: now }).where(eq(channelConnectors.id, connectorId));
    // The agent's screen pops at once: to the agent the phone system named, else to every agent.
    const agentId = row!.agentId ?? agent?.id ?? null;
    await publish(tx, agentId ? `user:${agentId}` : 'agents', { type: 'phone.call', callId: e.callId, state: forward ? e.event : current });
    return { id: row!.id };
  });
}

async function presentPops(ctx: AuthedCtx, rows: (typeof telephonyCalls.$inferSelect & { contactName: string | null })[]) {
  const contactIds = [...new Set(rows.map((r) => r.contactId).filter((x): x is string => Boolean(x)))];
  const open = contactIds.length
    ? await ctx.db
        .select({ id: tickets.id, number: tickets.number, subject: tickets.subject, status: tickets.status, requesterId: tickets.requesterId })
        .from(tickets)
        .where(and(inArray(tickets.requesterId, contactIds), notInArray(tickets.status, ['solved', 'closed']), visibleTo(ctx.actor)))
        .orderBy(desc(tickets.updatedAt))
        .limit(200)
    : [];
  return rows.map((r) => ({
    callId: r.externalId,
    state: r.state as State,
    direction: r.direction as 'inbound' | 'outbound',
    number: r.number,
    contact: r.contactId ? { id: r.contactId, name: r.contactName ?? '' } : null,
    openTickets: open.filter((t) => t.requesterId === r.contactId).slice(0, 10).map(({ requesterId: _, ...t }) => t),
    agentId: r.agentId,
    updatedAt: r.updatedAt,
  }));
}

const selectPops = (db: DbOrTx) =>
  db.select({ row: telephonyCalls, contactName: contacts.name }).from(telephonyCalls).leftJoin(contacts, eq(contacts.id, telephonyCalls.contactId));

/** Calls ringing or in progress for this agent (or for anyone, when the phone system did not say). */
export async function screenPops(ctx: AuthedCtx) {
  const since = new Date(ctx.now().getTime() - POP_WINDOW_MS);
  const rows = await selectPops(ctx.db)
    .where(
      and(
        inArray(telephonyCalls.state, ['ringing', 'answered']),
        gt(telephonyCalls.updatedAt, since),
        or(isNull(telephonyCalls.agentId), eq(telephonyCalls.agentId, ctx.actor.id)),
      ),
    )
    .orderBy(desc(telephonyCalls.updatedAt))
    .limit(20);
  return presentPops(ctx, rows.map((r) => ({ ...r.row, contactName: r.contactName })));
}

export async function screenPopFor(ctx: AuthedCtx, externalId: string) {
  const rows = await selectPops(ctx.db).where(eq(telephonyCalls.externalId, externalId)).orderBy(desc(telephonyCalls.updatedAt)).limit(1);
  if (!rows[0]) throw notFound();
  return (await presentPops(ctx, [{ ...rows[0].row, contactName: rows[0].contactName }]))[0]!;
}

