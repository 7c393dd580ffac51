import { eq } from 'drizzle-orm';
import { onEvent } from '../../../platform/events.js';
import { tickets } from '../../tickets/db/schema.js';
import { enqueueSend, queueOutbound } from './use-cases/outbound.js';

// Conversations that live in another channel are answered there (chat, social messaging).
const ANSWERED_ELSEWHERE = new Set(['chat', 'social']);

/** An agent's public reply goes to the customer by email, queued in the same transaction as the reply. */
onEvent('ticket.message_added', async (tx, event, services) => {
  if (event.kind !== 'reply' || !services.secrets) return;
  const [ticket] = await tx.select({ channel: tickets.channel }).from(tickets).where(eq(tickets.id, event.ticketId));
  if (!ticket || ANSWERED_ELSEWHERE.has(ticket.channel)) return;
  const id = await queueOutbound(tx, { ticketId: event.ticketId, ticketMessageId: event.messageId, purpose: 'reply', secrets: services.secrets });
  if (!id) return;
  return () => enqueueSend(services.jobs, [id]);
});
