import { eq } from 'drizzle-orm';
import { onEvent } from '../../../platform/events.js';
import { tickets } from '../../tickets/index.js';
import { enqueueSend, queueReply } from './use-cases/outbound.js';

/** An agent's public reply on a messaging conversation goes back to the platform, queued with the reply. */
onEvent('ticket.message_added', async (tx, event, services) => {
  if (event.kind !== 'reply') return;
  const [ticket] = await tx.select({ channel: tickets.channel }).from(tickets).where(eq(tickets.id, event.ticketId));
  if (ticket?.channel !== 'social') return;
  const id = await queueReply(tx, event.ticketId, event.messageId, event.at);
  if (!id) return;
  return () => enqueueSend(services.jobs, [id]);
});
