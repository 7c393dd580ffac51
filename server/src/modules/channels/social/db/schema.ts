import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { createdAt, id, updatedAt } from '../../../../platform/db/columns.js';
import { groups } from '../../../people/db/schema.js';
import { ticketMessages, tickets } from '../../../tickets/db/schema.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * A platform that talks to CareDesk through webhooks: a messaging platform (Telegram, or any
 * platform behind the generic signed format) or a telephone system. Secrets are sealed with the
 * server key (platform/secrets.ts) and never returned by the API.
 */
export const channelConnectors = pgTable('channel_connectors', {
  id: id(),
  /** `telegram`, `generic` (signed CareDesk format) or `telephony`. */
  kind: text('kind').notNull(),
  name: text('name').notNull(),
  /** The identity platform handles from this connector are stored under (`telegram`, `whatsapp`, …). */
  platform: text('platform').notNull(),
  groupId: uuid('group_id').references(() => groups.id, { onDelete: 'set null' }),
  active: boolean('active').notNull().default(true),
  /** Checks inbound webhooks: the HMAC key, or Telegram's secret_token. */
  webhookSecretEnc: text('webhook_secret_enc').notNull(),
  /** Generic: where replies are POSTed. Telegram: the Bot API base URL. */
  outboundUrl: text('outbound_url'),
  /** Telegram bot token, or a bearer token for the generic outbound URL. */
  outboundTokenEnc: text('outbound_token_enc'),
  lastReceivedAt: ts('last_received_at'),
  version: integer('version').notNull().default(1),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/**
 * Every webhook event as it arrived, stored before the platform is answered, keyed by the
 * platform's own event id so a redelivery is the same row. It leaves `received` only when a
 * ticket holds its message or it is recognised as something to ignore, with a reason.
 */
export const socialInbound = pgTable(
  'social_inbound',
  {
    id: id(),
    connectorId: uuid('connector_id').notNull().references(() => channelConnectors.id, { onDelete: 'cascade' }),
    eventKey: text('event_key').notNull(),
    raw: text('raw').notNull(),
    status: text('status').notNull().default('received'),
    reason: text('reason'),
    attempts: integer('attempts').notNull().default(0),
    deliveries: integer('deliveries').notNull().default(1),
    ticketId: uuid('ticket_id').references(() => tickets.id, { onDelete: 'set null' }),
    receivedAt: ts('received_at').notNull().defaultNow(),
    processedAt: ts('processed_at'),
  },
  (t) => [
    uniqueIndex('social_inbound_event_key').on(t.connectorId, t.eventKey),
    index('social_inbound_pending_idx').on(t.receivedAt).where(sql`status = 'received'`),
  ],
);

/** The platform side of a ticket message in either direction; for replies, the delivery state. */
export const socialMessages = pgTable(
  'social_messages',
  {
    id: id(),
    ticketId: uuid('ticket_id').notNull().references(() => tickets.id, { onDelete: 'cascade' }),
    ticketMessageId: uuid('ticket_message_id').references(() => ticketMessages.id, { onDelete: 'cascade' }),
    connectorId: uuid('connector_id').notNull().references(() => channelConnectors.id, { onDelete: 'cascade' }),
    direction: text('direction').notNull(),
    /** Where a reply goes: the Telegram chat id, or the generic platform's conversation handle. */
    conversation: text('conversation').notNull(),
    handle: text('handle').notNull(),
    externalId: text('external_id'),
    /** In: `received`. Out: `queued`, `sent` or `failed`. */
    status: text('status').notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    sentAt: ts('sent_at'),
    meta: jsonb('meta'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('social_messages_external_key').on(t.connectorId, t.direction, t.externalId),
    index('social_messages_conversation_idx').on(t.connectorId, t.conversation, t.createdAt),
    index('social_messages_ticket_idx').on(t.ticketId),
    index('social_messages_pending_idx').on(t.createdAt).where(sql`status = 'queued'`),
  ],
);
