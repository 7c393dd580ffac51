import { bigint, boolean, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from '../../../platform/db/columns.js';
import { users } from '../../people/db/schema.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * One row per thing that happened, written in the transaction that made it happen, with the
 * dimensions as they were at that moment (a ticket's group then, the account's key-account status
 * then). Reports read only this table: history is never recomputed from live rows, so a ticket that
 * later moves group still counts where it was when it was solved.
 *
 * `key` makes a fact idempotent: the same event handled twice (a retry, two processes) writes
 * one row. It is built from the kind and what identifies the occurrence (see domain/facts.ts).
 */
export const reportFacts = pgTable(
  'report_facts',
  {
    id: id(),
    key: text('key').notNull(),
    kind: text('kind').notNull(),
    occurredAt: ts('occurred_at').notNull(),
    ticketId: uuid('ticket_id'),
    ticketNumber: bigint('ticket_number', { mode: 'number' }),
    groupId: uuid('group_id'),
    agentId: uuid('agent_id'),
    accountId: uuid('account_id'),
    keyAccount: boolean('key_account').notNull().default(false),
    channel: text('channel'),
    categoryId: uuid('category_id'),
    reasonCodeId: uuid('reason_code_id'),
    priority: text('priority'),
    country: text('country'),
    /** The SLA target of sla.met / sla.breached facts (first_response, resolution, ...). */
    target: text('target'),
    businessMs: bigint('business_ms', { mode: 'number' }),
    calendarMs: bigint('calendar_ms', { mode: 'number' }),
    extras: jsonb('extras').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('report_facts_key_key').on(t.key),
    // Every report is "facts of these kinds in this period", optionally narrowed by one dimension.
    index('report_facts_kind_at_idx').on(t.kind, t.occurredAt),
    index('report_facts_group_kind_at_idx').on(t.groupId, t.kind, t.occurredAt),
    index('report_facts_agent_kind_at_idx').on(t.agentId, t.kind, t.occurredAt),
    index('report_facts_account_kind_at_idx').on(t.accountId, t.kind, t.occurredAt),
    index('report_facts_channel_kind_at_idx').on(t.channel, t.kind, t.occurredAt),
    index('report_facts_category_kind_at_idx').on(t.categoryId, t.kind, t.occurredAt),
    index('report_facts_ticket_idx').on(t.ticketId, t.kind),
  ],
);

/** When each agent was last seen making an authenticated request: "online" on the live dashboard. */
export const agentPresence = pgTable('agent_presence', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  seenAt: ts('seen_at').notNull(),
});
