import { bigint, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { createdAt, id, updatedAt } from '../../../platform/db/columns.js';
import { groups, users } from '../../people/db/schema.js';
import { tickets } from '../../tickets/db/schema.js';
import type { Interval } from '../domain/calendar.js';
import type { Duration, LadderStep, PolicyConditions, TargetSpec } from '../domain/clocks.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const slaCalendars = pgTable(
  'sla_calendars',
  {
    id: id(),
    name: text('name').notNull(),
    timeZone: text('time_zone').notNull(),
    hours: jsonb('hours').$type<Partial<Record<string, Interval[]>>>().notNull(),
    holidays: jsonb('holidays').$type<{ date: string; name: string }[]>().notNull().default([]),
    isDefault: boolean('is_default').notNull().default(false),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('sla_calendars_name_key').on(t.name), uniqueIndex('sla_calendars_default_key').on(t.isDefault).where(sql`is_default`)],
);

export const slaLadders = pgTable(
  'sla_ladders',
  {
    id: id(),
    name: text('name').notNull(),
    steps: jsonb('steps').$type<LadderStep[]>().notNull().default([]),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('sla_ladders_name_key').on(t.name)],
);

export const slaPolicies = pgTable(
  'sla_policies',
  {
    id: id(),
    name: text('name').notNull(),
    position: integer('position').notNull().default(0),
    active: boolean('active').notNull().default(true),
    conditions: jsonb('conditions').$type<PolicyConditions>().notNull().default({}),
    targets: jsonb('targets').$type<TargetSpec[]>().notNull().default([]),
    calendarId: uuid('calendar_id').references(() => slaCalendars.id),
    ladderId: uuid('ladder_id').references(() => slaLadders.id),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('sla_policies_name_key').on(t.name)],
);

/** A group's calendar and, for departments, its internal target; owned here so people stays unaware of SLAs. */
export const slaGroupSettings = pgTable('sla_group_settings', {
  groupId: uuid('group_id')
    .primaryKey()
    .references(() => groups.id, { onDelete: 'cascade' }),
  calendarId: uuid('calendar_id').references(() => slaCalendars.id),
  internalTarget: jsonb('internal_target').$type<Duration | null>(),
  ladderId: uuid('ladder_id').references(() => slaLadders.id),
  updatedAt: updatedAt(),
});

/** The live clock of each ticket and target, recomputed from the ticket's history on every change. */
export const slaDeadlines = pgTable(
  'sla_deadlines',
  {
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    target: text('target').notNull(),
    cycle: integer('cycle').notNull(),
    policyId: uuid('policy_id'),
    groupId: uuid('group_id'),
    calendarId: uuid('calendar_id'),
    startAt: ts('start_at').notNull(),
    dueAt: ts('due_at'),
    atRiskAt: ts('at_risk_at'),
    stoppedAt: ts('stopped_at'),
    paused: boolean('paused').notNull().default(false),
    budgetMs: bigint('budget_ms', { mode: 'number' }).notNull(),
    /** Unfired ladder steps, for the sweep. */
    steps: jsonb('steps').$type<{ key: string; at: string }[]>().notNull().default([]),
    /** When the sweep must look at this clock next (a step or the breach); null: nothing left. */
    nextActionAt: ts('next_action_at'),
    computedAt: ts('computed_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.ticketId, t.target] }),
    index('sla_deadlines_next_action_idx').on(t.nextActionAt).where(sql`next_action_at is not null`),
    // Queues sorted by the next deadline read running clocks in due order.
    index('sla_deadlines_due_idx').on(t.dueAt, t.ticketId).where(sql`stopped_at is null`),
    // Running clocks past their at-risk moment (the live dashboard's counts): the range on the first
    // column is the predicate; due_at and at_risk_at are there so the count never reads the table.
    index('sla_deadlines_at_risk_idx')
      .on(sql`coalesce(${t.atRiskAt}, ${t.dueAt})`, t.dueAt, t.atRiskAt)
      .where(sql`stopped_at is null and not paused and due_at is not null`),
  ],
);

/** One row per fired ladder step; the unique key is what makes a step run once across processes. */
export const slaEscalations = pgTable(
  'sla_escalations',
  {
    id: id(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    target: text('target').notNull(),
    cycle: integer('cycle').notNull(),
    stepKey: text('step_key').notNull(),
    dueAt: ts('due_at').notNull(),
    firedAt: ts('fired_at').notNull(),
    actions: jsonb('actions').notNull().default([]),
  },
  (t) => [uniqueIndex('sla_escalations_once_key').on(t.ticketId, t.target, t.cycle, t.stepKey)],
);

export const slaNotifications = pgTable(
  'sla_notifications',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    target: text('target').notNull(),
    stepKey: text('step_key').notNull(),
    dueAt: ts('due_at'),
    readAt: ts('read_at'),
    /** The email that carries this notification (outbound outbox row), if one could be queued. */
    emailId: uuid('email_id'),
    createdAt: createdAt(),
  },
  (t) => [index('sla_notifications_user_idx').on(t.userId, t.createdAt), index('sla_notifications_email_idx').on(t.emailId).where(sql`email_id is not null`)],
);

/** Facts for reports: `sla.met` and `sla.breached`, once per ticket, target and cycle. */
export const slaFacts = pgTable(
  'sla_facts',
  {
    id: id(),
    kind: text('kind').notNull(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    target: text('target').notNull(),
    cycle: integer('cycle').notNull(),
    policyId: uuid('policy_id'),
    groupId: uuid('group_id'),
    startAt: ts('start_at').notNull(),
    dueAt: ts('due_at'),
    at: ts('at').notNull(),
    businessMs: bigint('business_ms', { mode: 'number' }).notNull(),
    calendarMs: bigint('calendar_ms', { mode: 'number' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('sla_facts_once_key').on(t.ticketId, t.target, t.cycle, t.kind), index('sla_facts_at_idx').on(t.at)],
);
