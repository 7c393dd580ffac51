import { boolean, date, index, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { createdAt, id, updatedAt } from '../../../platform/db/columns.js';
import { users } from '../../people/db/schema.js';

export const accounts = pgTable(
  'accounts',
  {
    id: id(),
    name: text('name').notNull(),
    countryCode: text('country_code'),
    tier: text('tier').notNull().default('standard'),
    externalId: text('external_id'),
    officerId: uuid('officer_id').references(() => users.id, { onDelete: 'set null' }),
    /** Member of the latest monthly ranking; kept here so routing reads it without a join. */
    keyAccount: boolean('key_account').notNull().default(false),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('accounts_external_id_key').on(t.externalId),
    index('accounts_name_trgm_idx').using('gin', sql`lower(${t.name}) gin_trgm_ops`),
  ],
);

export const contacts = pgTable(
  'contacts',
  {
    id: id(),
    name: text('name').notNull(),
    language: text('language').notNull().default('en'),
    preferredChannel: text('preferred_channel'),
    accountId: uuid('account_id').references(() => accounts.id, { onDelete: 'set null' }),
    /** In the customer portal this contact sees every ticket of their account, not only their own. */
    accountAdmin: boolean('account_admin').notNull().default(false),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('contacts_account_idx').on(t.accountId),
    index('contacts_name_trgm_idx').using('gin', sql`lower(${t.name}) gin_trgm_ops`),
  ],
);

/** Every way to reach a contact; (kind, platform, value) is unique so one identity means one person. */
export const contactIdentities = pgTable(
  'contact_identities',
  {
    id: id(),
    contactId: uuid('contact_id').notNull().references(() => contacts.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    platform: text('platform').notNull().default(''),
    value: text('value').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('contact_identities_value_key').on(t.kind, t.platform, t.value),
    index('contact_identities_contact_idx').on(t.contactId),
    index('contact_identities_value_trgm_idx').using('gin', sql`${t.value} gin_trgm_ops`),
  ],
);

/** Finance's revenue for one account and month, in the currency Finance reported it in. */
export const revenueEntries = pgTable(
  'revenue_entries',
  {
    accountId: uuid('account_id').notNull().references(() => accounts.id, { onDelete: 'cascade' }),
    /** First day of the month. */
    month: date('month', { mode: 'string' }).notNull(),
    amount: numeric('amount', { precision: 18, scale: 2 }).notNull(),
    currency: text('currency').notNull(),
    importId: uuid('import_id'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.month] }), index('revenue_entries_month_idx').on(t.month)],
);

export const revenueImports = pgTable('revenue_imports', {
  id: id(),
  filename: text('filename').notNull(),
  months: text('months').array().notNull().default([]),
  imported: integer('imported').notNull(),
  rejected: integer('rejected').notNull(),
  createdAccounts: integer('created_accounts').notNull().default(0),
  rejections: jsonb('rejections').notNull().default([]),
  createdById: uuid('created_by_id').references(() => users.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
});

/** How many units of the base currency one unit of `currency` is worth; entered by an admin. */
export const currencyRates = pgTable('currency_rates', {
  currency: text('currency').primaryKey(),
  rate: numeric('rate', { precision: 18, scale: 8 }).notNull(),
  updatedAt: updatedAt(),
});

/** One row per ranked month: running the ranking again replaces that month's result. */
export const keyAccountRankings = pgTable('key_account_rankings', {
  month: date('month', { mode: 'string' }).primaryKey(),
  revenueMonth: date('revenue_month', { mode: 'string' }).notNull(),
  topN: integer('top_n').notNull(),
  baseCurrency: text('base_currency').notNull(),
  rankedAt: timestamp('ranked_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

export const keyAccountMemberships = pgTable(
  'key_account_memberships',
  {
    month: date('month', { mode: 'string' }).notNull(),
    accountId: uuid('account_id').notNull().references(() => accounts.id, { onDelete: 'cascade' }),
    rank: integer('rank').notNull(),
    revenue: numeric('revenue', { precision: 20, scale: 2 }).notNull(),
    officerId: uuid('officer_id').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [primaryKey({ columns: [t.month, t.accountId] }), index('key_account_memberships_account_idx').on(t.accountId)],
);

export const keyAccountNotifications = pgTable(
  'key_account_notifications',
  {
    id: id(),
    userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    month: date('month', { mode: 'string' }).notNull(),
    accountId: uuid('account_id').notNull().references(() => accounts.id, { onDelete: 'cascade' }),
    change: text('change').notNull(),
    readAt: timestamp('read_at', { withTimezone: true, mode: 'date' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('key_account_notifications_key').on(t.userId, t.month, t.accountId), index('key_account_notifications_month_idx').on(t.month)],
);

/** A key account's proactive contact cadence (seed 000: scheduled calls and visits). */
export const contactPlans = pgTable(
  'contact_plans',
  {
    id: id(),
    accountId: uuid('account_id').notNull().references(() => accounts.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    everyDays: integer('every_days').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('contact_plans_account_idx').on(t.accountId)],
);

/** One call or visit due; done with an outcome, which schedules the plan's next one. */
export const contactTasks = pgTable(
  'contact_tasks',
  {
    id: id(),
    accountId: uuid('account_id').notNull().references(() => accounts.id, { onDelete: 'cascade' }),
    planId: uuid('plan_id').references(() => contactPlans.id, { onDelete: 'set null' }),
    officerId: uuid('officer_id').references(() => users.id, { onDelete: 'set null' }),
    kind: text('kind').notNull(),
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    status: text('status').notNull().default('open'),
    outcome: text('outcome'),
    followUpTicketNumber: integer('follow_up_ticket_number'),
    doneAt: timestamp('done_at', { withTimezone: true, mode: 'date' }),
    doneById: uuid('done_by_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [index('contact_tasks_officer_due_idx').on(t.officerId, t.status, t.dueOn), index('contact_tasks_account_idx').on(t.accountId)],
);

/** Supplies (bags, labels…) a key account asked for, tracked until delivered. */
export const suppliesRequests = pgTable(
  'supplies_requests',
  {
    id: id(),
    accountId: uuid('account_id').notNull().references(() => accounts.id, { onDelete: 'cascade' }),
    items: jsonb('items').$type<{ item: string; quantity: number }[]>().notNull(),
    status: text('status').notNull().default('requested'),
    requestedOn: date('requested_on', { mode: 'string' }).notNull(),
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    deliveredOn: date('delivered_on', { mode: 'string' }),
    createdById: uuid('created_by_id').references(() => users.id, { onDelete: 'set null' }),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('supplies_requests_account_idx').on(t.accountId)],
);

/** The weekly contact with Sales, per account (seed 000), kept for the weekly report. */
export const salesMeetingNotes = pgTable(
  'sales_meeting_notes',
  {
    id: id(),
    accountId: uuid('account_id').notNull().references(() => accounts.id, { onDelete: 'cascade' }),
    /** Monday of the week. */
    week: date('week', { mode: 'string' }).notNull(),
    trends: text('trends').notNull().default(''),
    problems: text('problems').notNull().default(''),
    opportunities: text('opportunities').notNull().default(''),
    authorId: uuid('author_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('sales_meeting_notes_week_key').on(t.accountId, t.week)],
);
