import { onEvent, onEvents, type AfterCommit } from '../../platform/events.js';
import { setOpeningSlaDue } from '../tickets/index.js';
import { dueForOpeningTicket, recomputeTickets } from './use-cases/recompute.js';

setOpeningSlaDue(dueForOpeningTicket);

// Deadlines are recomputed in the transaction that changed the ticket, so they never lag its history.
onEvents('ticket.changed', async (tx, events, services) => {
  // Tickets changed at the same moment (a batch of mail taken in) are recomputed together.
  const byAt = new Map<number, Set<string>>();
  for (const e of events) byAt.set(e.at.getTime(), (byAt.get(e.at.getTime()) ?? new Set()).add(e.ticketId));
  const after: AfterCommit[] = [];
  for (const [at, ids] of byAt) after.push(...(await recomputeTickets(tx, [...ids], new Date(at), services)));
  if (!after.length) return;
  return async () => {
    for (const a of after) await a();
  };
});
onEvent('ticket.message_added', (tx, event, services) => recomputeAfter(tx, event.ticketId, event.at, services));

async function recomputeAfter(...args: [Parameters<typeof recomputeTickets>[0], string, Date, Parameters<typeof recomputeTickets>[3]]) {
  const [tx, ticketId, at, services] = args;
  const after = await recomputeTickets(tx, [ticketId], at, services);
  if (!after.length) return;
  return async () => {
    for (const a of after) await a();
  };
}
