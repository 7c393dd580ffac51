import { bigint, boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { bytea, createdAt, id, updatedAt } from '../../../../platform/db/columns.js';
import { groups } from '../../../people/db/schema.js';
import { ticketMessages, tickets } from '../../../tickets/db/schema.js';
import { contacts } from '../../../customers/db/schema.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** An address customers write to, how its mail arrives, and how replies leave. */
export const mailboxes = pgTable(
  'mailboxes',
  {
    id: id(),
    address: text('address').notNull(),
    name: text('name').notNull(),
    groupId: uuid('group_id').references(() => groups.id, { onDelete: 'set null' }),
    language: text('language').notNull().default('en'),
    active: boolean('active').notNull().default(true),
    /** Mail for this address is accepted by CareDesk's own SMTP receiver. */
    smtpReceive: boolean('smtp_receive').notNull().default(true),
    imapHost: text('imap_host'),
    imapPort: integer('imap_port'),
    imapTls: boolean('imap_tls').notNull().default(true),
    imapUser: text('imap_user'),
    /** Encrypted with the server key (platform/secrets.ts); never returned by the API. */
    imapPasswordEnc: text('imap_password_enc'),
    imapFolder: text('imap_folder').notNull().default('INBOX'),
    imapUidValidity: bigint('imap_uid_validity', { mode: 'number' }),
    imapLastUid: bigint('imap_last_uid', { mode: 'number' }).notNull().default(0),
    imapLastPollAt: ts('imap_last_poll_at'),
    imapLastError: text('imap_last_error'),
    relayHost: text('relay_host'),
    relayPort: integer('relay_port'),
    relayTls: boolean('relay_tls').notNull().default(false),
    relayUser: text('relay_user'),
    relayPasswordEnc: text('relay_password_enc'),
    ackEnabled: boolean('ack_enabled').notNull().default(true),
    lastReceivedAt: ts('last_received_at'),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('mailboxes_address_key').on(t.address)],
);

/**
 * Every message as it arrived, byte for byte, stored before the sender is told it was accepted.
 * It is the intake queue's durable half: a row leaves `received` only when a ticket holds it, it is
 * recognised as a duplicate or machine mail, or it is quarantined with a reason.
 */
export const inboundEmails = pgTable(
  'inbound_emails',
  {
    id: id(),
    mailboxId: uuid('mailbox_id').notNull().references(() => mailboxes.id, { onDelete: 'cascade' }),
    source: text('source').notNull(),
    raw: bytea('raw').notNull(),
    rawSha256: text('raw_sha256').notNull(),
    size: integer('size').notNull(),
    envelopeFrom: text('envelope_from'),
    envelopeTo: text('envelope_to').array().notNull().default([]),
    remoteAddress: text('remote_address'),
    imapUid: bigint('imap_uid', { mode: 'number' }),
    status: text('status').notNull().default('received'),
    reason: text('reason'),
    attempts: integer('attempts').notNull().default(0),
    classification: text('classification'),
    fromAddress: text('from_address'),
    subject: text('subject'),
    ticketId: uuid('ticket_id').references(() => tickets.id, { onDelete: 'set null' }),
    receivedAt: ts('received_at').notNull().defaultNow(),
    processedAt: ts('processed_at'),
  },
  (t) => [
    index('inbound_emails_pending_idx').on(t.receivedAt).where(sql`status = 'received'`),
    index('inbound_emails_status_idx').on(t.status, t.receivedAt),
    index('inbound_emails_mailbox_idx').on(t.mailboxId, t.receivedAt),
  ],
);

/**
 * The email side of a ticket message, in either direction: its headers for threading, and for
 * outgoing mail its delivery state (the outbox).
 */
export const emailMessages = pgTable(
  'email_messages',
  {
    id: id(),
    /** Null for mail about no ticket (a portal sign-in link, a scheduled report), which may name its contact instead. */
    ticketId: uuid('ticket_id').references(() => tickets.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id').references(() => contacts.id, { onDelete: 'set null' }),
    /** What a mail without a ticket message says (a sign-in link), encrypted: it is a credential until used. */
    contentEnc: text('content_enc'),
    ticketMessageId: uuid('ticket_message_id').references(() => ticketMessages.id, { onDelete: 'cascade' }),
    mailboxId: uuid('mailbox_id').notNull().references(() => mailboxes.id, { onDelete: 'cascade' }),
    inboundId: uuid('inbound_id').references(() => inboundEmails.id, { onDelete: 'set null' }),
    direction: text('direction').notNull(),
    /** `reply`, `ack` (new-ticket acknowledgement) or `customer` (incoming). */
    purpose: text('purpose').notNull(),
    messageId: text('message_id').notNull(),
    inReplyTo: text('in_reply_to'),
    references: text('references').array().notNull().default([]),
    rawSha256: text('raw_sha256'),
    fromAddress: text('from_address').notNull(),
    fromName: text('from_name'),
    toAddresses: text('to_addresses').array().notNull().default([]),
    ccAddresses: text('cc_addresses').array().notNull().default([]),
    subject: text('subject').notNull().default(''),
    authResults: jsonb('auth_results'),
    senderUnverified: boolean('sender_unverified').notNull().default(false),
    classification: text('classification'),
    quotedHtml: text('quoted_html'),
    quotedText: text('quoted_text'),
    status: text('status').notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    sentAt: ts('sent_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // One message per mailbox and Message-ID: delivered twice, stored once.
    uniqueIndex('email_messages_mailbox_message_id_key').on(t.mailboxId, t.messageId),
    index('email_messages_message_id_idx').on(t.messageId),
    index('email_messages_ticket_idx').on(t.ticketId, t.createdAt),
    index('email_messages_ticket_message_idx').on(t.ticketMessageId),
    index('email_messages_outbox_idx').on(t.status, t.createdAt).where(sql`direction = 'out' and status <> 'sent'`),
    index('email_messages_ack_idx').on(t.purpose, t.createdAt),
  ],
);

/** Which mailbox speaks for a ticket, and who is on its conversation (To/Cc kept from the mail). */
export const emailThreads = pgTable('email_threads', {
  ticketId: uuid('ticket_id')
    .primaryKey()
    .references(() => tickets.id, { onDelete: 'cascade' }),
  mailboxId: uuid('mailbox_id').notNull().references(() => mailboxes.id, { onDelete: 'cascade' }),
  participants: text('participants').array().notNull().default([]),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});
