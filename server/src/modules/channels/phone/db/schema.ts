import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from '../../../../platform/db/columns.js';
import { users } from '../../../people/db/schema.js';
import { contacts } from '../../../customers/db/schema.js';
import { categories, reasonCodes, ticketMessages, tickets } from '../../../tickets/db/schema.js';
import { channelConnectors } from '../../social/db/schema.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export interface ScriptItem {
  key: string;
  label: string;
  required: boolean;
}
export interface ChecklistAnswer {
  key: string;
  label: string;
  checked: boolean;
}

/** What an agent follows on a call about a category: steps to say, and items to confirm. */
export const callScripts = pgTable(
  'call_scripts',
  {
    id: id(),
    categoryId: uuid('category_id').notNull().references(() => categories.id, { onDelete: 'cascade' }),
    steps: jsonb('steps').$type<string[]>().notNull().default([]),
    checklist: jsonb('checklist').$type<ScriptItem[]>().notNull().default([]),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('call_scripts_category_key').on(t.categoryId)],
);

/** A call an agent logged, with what the script asked and how it went. */
export const calls = pgTable(
  'calls',
  {
    id: id(),
    direction: text('direction').notNull(),
    number: text('number').notNull(),
    contactId: uuid('contact_id').references(() => contacts.id, { onDelete: 'set null' }),
    ticketId: uuid('ticket_id').references(() => tickets.id, { onDelete: 'set null' }),
    ticketMessageId: uuid('ticket_message_id').references(() => ticketMessages.id, { onDelete: 'set null' }),
    agentId: uuid('agent_id').references(() => users.id, { onDelete: 'set null' }),
    categoryId: uuid('category_id').references(() => categories.id),
    reasonCodeId: uuid('reason_code_id').references(() => reasonCodes.id),
    durationSeconds: integer('duration_seconds').notNull(),
    outcome: text('outcome').notNull(),
    notes: text('notes').notNull().default(''),
    /** The script as it was answered: labels are copied so later edits do not rewrite history. */
    checklist: jsonb('checklist').$type<ChecklistAnswer[]>().notNull().default([]),
    telephonyCallId: text('telephony_call_id'),
    createdAt: createdAt(),
  },
  (t) => [
    index('calls_contact_idx').on(t.contactId, t.createdAt),
    index('calls_ticket_idx').on(t.ticketId),
    index('calls_message_idx').on(t.ticketMessageId),
  ],
);

/**
 * A call as the telephone system reports it (ringing, answered, ended), one row per call id so
 * repeated webhooks change nothing; what the agent's screen pops.
 */
export const telephonyCalls = pgTable(
  'telephony_calls',
  {
    id: id(),
    connectorId: uuid('connector_id').notNull().references(() => channelConnectors.id, { onDelete: 'cascade' }),
    externalId: text('external_id').notNull(),
    state: text('state').notNull(),
    direction: text('direction').notNull().default('inbound'),
    number: text('number').notNull(),
    contactId: uuid('contact_id').references(() => contacts.id, { onDelete: 'set null' }),
    agentId: uuid('agent_id').references(() => users.id, { onDelete: 'set null' }),
    ringingAt: ts('ringing_at'),
    answeredAt: ts('answered_at'),
    endedAt: ts('ended_at'),
    durationSeconds: integer('duration_seconds'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('telephony_calls_external_key').on(t.connectorId, t.externalId), index('telephony_calls_recent_idx').on(t.updatedAt)],
);
