import { onEvent } from '../../platform/events.js';
import { setOpeningSlaDue } from '../tickets/index.js';
import { dueForOpeningTicket, recomputeTickets } from './use-cases/recompute.js';

setOpeningSlaDue(dueForOpeningTicket);

// Deadlines are recomputed in the transaction that changed the ticket, so they never lag its history.
onEvent('ticket.changed', (tx, event, services) => recomputeAfter(tx, event.ticketId, event.at, services));
onEvent('ticket.message_added', (tx, event, services) => recomputeAfter(tx, event.ticketId, event.at, services));

async function recomputeAfter(...args: [Parameters<typeof recomputeTickets>[0], string, Date, Parameters<typeof recomputeTickets>[3]]) {
  const [tx, ticketId, at, services] = args;
  const after = await recomputeTickets(tx, [ticketId], at, services);
  if (!after.length) return;
  return async () => {
    for (const a of after) await a();
  };
}
