import { index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from '../../../platform/db/columns.js';
import { users } from '../../people/db/schema.js';
import { emailMessages } from '../../channels/email/db/schema.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * The archive of the scheduled reports (weekly Customer Care Report, monthly Key Account Report).
 * One row per (kind, period): the unique key is what makes a report exist exactly once however
 * many processes run the schedule. `data` is language-independent (ids, numbers, names in both
 * languages); the page, the CSV and the PDF render it in the reader's language.
 */
export const reportArchive = pgTable(
  'report_archive',
  {
    id: id(),
    kind: text('kind').notNull(),
    /** `2026-11-01` (the Sunday a weekly report's week starts) or `2026-11` (a month). */
    period: text('period').notNull(),
    periodStart: ts('period_start').notNull(),
    periodEnd: ts('period_end').notNull(),
    timeZone: text('time_zone').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    /** `schedule` or `manual`. */
    trigger: text('trigger').notNull(),
    generatedById: uuid('generated_by_id').references(() => users.id, { onDelete: 'set null' }),
    generatedAt: ts('generated_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('report_archive_kind_period_key').on(t.kind, t.period), index('report_archive_generated_idx').on(t.kind, t.periodStart)],
);

/** Who receives each kind of report by email, and in which language. */
export const reportRecipients = pgTable(
  'report_recipients',
  {
    id: id(),
    kind: text('kind').notNull(),
    email: text('email').notNull(),
    language: text('language').notNull().default('en'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('report_recipients_kind_email_key').on(t.kind, t.email)],
);

/** One email of one archived report to one recipient, through the email outbox. */
export const reportDeliveries = pgTable(
  'report_deliveries',
  {
    id: id(),
    archiveId: uuid('archive_id')
      .notNull()
      .references(() => reportArchive.id, { onDelete: 'cascade' }),
    emailMessageId: uuid('email_message_id').references(() => emailMessages.id, { onDelete: 'set null' }),
    email: text('email').notNull(),
    language: text('language').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('report_deliveries_archive_email_key').on(t.archiveId, t.email), index('report_deliveries_message_idx').on(t.emailMessageId)],
);
