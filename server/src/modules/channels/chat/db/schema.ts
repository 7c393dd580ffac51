import { bigserial, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { createdAt, id } from '../../../../platform/db/columns.js';
import { groups, users } from '../../../people/db/schema.js';
import { contacts } from '../../../customers/db/schema.js';
import { ticketMessages, tickets } from '../../../tickets/db/schema.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * A person's chat presence: `online` while their console is connected and they have not set
 * themselves away. `heartbeatAt` is refreshed by whichever process holds one of their console sockets,
 * so an agent whose process died stops receiving chats within a minute.
 */
export const chatAgents = pgTable('chat_agents', {
  userId: uuid('user_id').primaryKey().references(() => users.id, { onDelete: 'cascade' }),
  status: text('status').notNull().default('online'),
  capacity: integer('capacity').notNull().default(3),
  heartbeatAt: ts('heartbeat_at'),
  /** Consoles connected across every process, so closing one of two keeps the person online. */
  consoles: integer('consoles').notNull().default(0),
});

/**
 * One live chat: the widget visitor (behind a bearer token kept hashed), the ticket that holds
 * the transcript, and where routing has it: `queued` (waiting, maybe offered to someone),
 * `active` (an agent has it) or `ended`.
 */
export const chatSessions = pgTable(
  'chat_sessions',
  {
    id: id(),
    tokenHash: text('token_hash').notNull(),
    contactId: uuid('contact_id').notNull().references(() => contacts.id, { onDelete: 'cascade' }),
    ticketId: uuid('ticket_id').notNull().references(() => tickets.id, { onDelete: 'cascade' }),
    groupId: uuid('group_id').references(() => groups.id, { onDelete: 'set null' }),
    topic: text('topic').notNull(),
    language: text('language').notNull().default('en'),
    origin: text('origin'),
    status: text('status').notNull().default('queued'),
    agentId: uuid('agent_id').references(() => users.id, { onDelete: 'set null' }),
    offeredToId: uuid('offered_to_id').references(() => users.id, { onDelete: 'set null' }),
    offeredAt: ts('offered_at'),
    /** Agents who let an offer of this chat lapse: others are asked first. */
    passedOver: uuid('passed_over').array().notNull().default(sql`'{}'::uuid[]`),
    createdAt: createdAt(),
    acceptedAt: ts('accepted_at'),
    endedAt: ts('ended_at'),
  },
  (t) => [
    uniqueIndex('chat_sessions_token_key').on(t.tokenHash),
    index('chat_sessions_queue_idx').on(t.groupId, t.createdAt).where(sql`status = 'queued'`),
    index('chat_sessions_agent_idx').on(t.agentId).where(sql`status = 'active'`),
    index('chat_sessions_ticket_idx').on(t.ticketId),
  ],
);

/**
 * The chat's order over the ticket's messages: `seq` is what a reconnecting client replays
 * after, `clientId` makes a resent message the same message. Rows of one chat are written while
 * its ticket row is locked, so they commit in `seq` order.
 */
export const chatMessages = pgTable(
  'chat_messages',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    sessionId: uuid('session_id').notNull().references(() => chatSessions.id, { onDelete: 'cascade' }),
    ticketMessageId: uuid('ticket_message_id').references(() => ticketMessages.id, { onDelete: 'cascade' }),
    /** `customer`, `agent` or `system` (accepted, transferred, ended). */
    author: text('author').notNull(),
    clientId: text('client_id'),
    systemText: text('system_text'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('chat_messages_client_key').on(t.sessionId, t.clientId), index('chat_messages_session_idx').on(t.sessionId, t.seq)],
);
