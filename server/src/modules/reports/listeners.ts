import { and, count, eq, inArray } from 'drizzle-orm';
import { onEvent, onEvents } from '../../platform/events.js';
import type { DbOrTx } from '../../platform/db/index.js';
import { businessElapsed } from '../sla/index.js';
import { reportFacts } from './db/schema.js';
import { CHAT_CHANNELS, statusFact } from './domain/facts.js';
import { recordCreatedFacts, recordFact, ticketSnapshot, type TicketSnapshot } from './use-cases/record-fact.js';

// Facts are written in the transaction of the change they describe (see platform/events.ts): a
// report never misses a solve that committed, and never counts one that rolled back.

/** Business time on the ticket's group calendar and calendar time, from the ticket's creation to `at`. */
async function sinceCreated(tx: DbOrTx, snap: TicketSnapshot, at: Date) {
  return {
    businessMs: await businessElapsed(tx, snap.groupId, snap.createdAt, at),
    calendarMs: Math.max(0, at.getTime() - snap.createdAt.getTime()),
  };
}

async function countFacts(tx: DbOrTx, ticketId: string, kinds: string[]) {
  const [row] = await tx
    .select({ n: count() })
    .from(reportFacts)
    .where(and(eq(reportFacts.ticketId, ticketId), inArray(reportFacts.kind, kinds)));
  return Number(row?.n ?? 0);
}

// Every creation path (agent form, email, phone, social) announces the new ticket with
// ticket.changed; the once-per-ticket key makes later changes a no-op.
onEvents('ticket.changed', (tx, events) => recordCreatedFacts(tx, [...new Set(events.map((e) => e.ticketId))]));

onEvent('ticket.message_added', async (tx, e) => {
  if (e.kind !== 'reply') return;
  const snap = await ticketSnapshot(tx, e.ticketId);
  if (!snap) return;
  const times = await sinceCreated(tx, snap, e.at);
  const agentId = e.authorUserId;
  await recordFact(tx, { kind: 'reply', keyParts: [e.messageId], ticketId: snap.id, agentId, occurredAt: e.at, ...times }, snap);
  await recordFact(tx, { kind: 'first_response', keyParts: [snap.id], ticketId: snap.id, agentId, occurredAt: e.at, ...times }, snap);
  if (snap.channel && CHAT_CHANNELS.has(snap.channel)) {
    await recordFact(tx, { kind: 'chat.handled', keyParts: [snap.id], ticketId: snap.id, agentId, occurredAt: e.at, ...times }, snap);
  }
});

onEvent('ticket.status_changed', async (tx, e) => {
  const kind = statusFact(e.from, e.to);
  if (!kind) return;
  const snap = await ticketSnapshot(tx, e.ticketId);
  if (!snap) return;
  if (kind === 'solved') {
    // What first-contact resolution and the reopen rate need, fixed at the moment of the solve.
    const replies = await countFacts(tx, snap.id, ['reply']);
    const reopens = await countFacts(tx, snap.id, ['reopened']);
    await recordFact(
      tx,
      {
        kind,
        keyParts: [snap.id, e.at.getTime()],
        ticketId: snap.id,
        agentId: e.actorUserId ?? snap.agentId,
        occurredAt: e.at,
        ...(await sinceCreated(tx, snap, e.at)),
        extras: { replies, reopensBefore: reopens, from: e.from },
      },
      snap,
    );
  } else {
    // calendar_ms (time since creation) lets the backlog's age be summed from facts alone.
    await recordFact(
      tx,
      { kind, keyParts: [snap.id, e.at.getTime()], ticketId: snap.id, agentId: snap.agentId, occurredAt: e.at, calendarMs: Math.max(0, e.at.getTime() - snap.createdAt.getTime()), extras: { from: e.from, to: e.to, by: e.actorUserId } },
      snap,
    );
  }
});

onEvent('sla.met', async (tx, e) => {
  await recordFact(tx, { kind: 'sla.met', keyParts: [e.ticketId, e.target, e.cycle], ticketId: e.ticketId, target: e.target, occurredAt: e.at, businessMs: e.businessMs, calendarMs: e.calendarMs, extras: { cycle: e.cycle } });
});

onEvent('sla.breached', async (tx, e) => {
  await recordFact(tx, { kind: 'sla.breached', keyParts: [e.ticketId, e.target, e.cycle], ticketId: e.ticketId, target: e.target, occurredAt: e.dueAt, businessMs: e.businessMs, calendarMs: e.calendarMs, extras: { cycle: e.cycle } });
});

onEvent('sla.escalated', async (tx, e) => {
  await recordFact(tx, { kind: 'escalated', keyParts: [e.ticketId, e.target, e.cycle, e.stepKey], ticketId: e.ticketId, target: e.target, occurredAt: e.at, extras: { cycle: e.cycle, step: e.stepKey } });
});

onEvent('call.logged', async (tx, e) => {
  await recordFact(tx, {
    kind: 'call.logged',
    keyParts: [e.callId],
    ticketId: e.ticketId,
    agentId: e.agentId,
    occurredAt: e.at,
    calendarMs: e.durationSeconds * 1000,
    extras: { callId: e.callId, direction: e.direction, outcome: e.outcome, durationSeconds: e.durationSeconds },
    dimensions: { ...(e.categoryId ? { categoryId: e.categoryId } : {}), ...(e.reasonCodeId ? { reasonCodeId: e.reasonCodeId } : {}), channel: 'phone' },
  });
});
