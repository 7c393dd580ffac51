import { boolean, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from '../../../platform/db/columns.js';
import { groups, users } from '../../people/db/schema.js';
import type { RuleActions, RuleConditions } from '../domain/rules.js';

/** Ordered rules; the first rule that matches and can place the ticket decides its group. */
export const routingRules = pgTable('routing_rules', {
  id: id(),
  position: integer('position').notNull(),
  name: text('name').notNull(),
  active: boolean('active').notNull().default(true),
  conditions: jsonb('conditions').$type<RuleConditions>().notNull().default({}),
  actions: jsonb('actions').$type<RuleActions>().notNull().default({}),
  version: integer('version').notNull().default(1),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** How a group hands its new tickets to agents. */
export const groupAssignment = pgTable('group_assignment', {
  groupId: uuid('group_id').primaryKey().references(() => groups.id, { onDelete: 'cascade' }),
  mode: text('mode').notNull().default('manual'),
  preferLanguage: boolean('prefer_language').notNull().default(false),
  lastAssignedId: uuid('last_assigned_id').references(() => users.id, { onDelete: 'set null' }),
  updatedAt: updatedAt(),
});

/** Agents who are away get no new tickets. */
export const agentAvailability = pgTable('agent_availability', {
  userId: uuid('user_id').primaryKey().references(() => users.id, { onDelete: 'cascade' }),
  away: boolean('away').notNull().default(false),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});
