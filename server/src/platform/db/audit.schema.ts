import { index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns.js';

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** Append-only record of every mutation: who, when, what, before and after. */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: id(),
    actorType: text('actor_type'),
    actorId: uuid('actor_id'),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: uuid('target_id').notNull(),
    ticketId: uuid('ticket_id'),
    changes: jsonb('changes').$type<FieldChange[]>().notNull().default([]),
    createdAt: createdAt(),
  },
  (t) => [
    index('audit_events_ticket_idx').on(t.ticketId, t.createdAt),
    index('audit_events_target_idx').on(t.targetType, t.targetId, t.createdAt),
  ],
);
