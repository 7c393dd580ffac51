import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgSequence,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { bytea, createdAt, id, tsvector, updatedAt } from '../../../platform/db/columns.js';
import { groups, users } from '../../people/db/schema.js';
import { accounts, contacts } from '../../customers/db/schema.js';

export const categories = pgTable(
  'categories',
  {
    id: id(),
    key: text('key').notNull(),
    nameEn: text('name_en').notNull(),
    nameAr: text('name_ar').notNull(),
    shipmentRelated: boolean('shipment_related').notNull().default(false),
    active: boolean('active').notNull().default(true),
    position: integer('position').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('categories_key_key').on(t.key)],
);

export const reasonCodes = pgTable(
  'reason_codes',
  {
    id: id(),
    code: text('code').notNull(),
    nameEn: text('name_en').notNull(),
    nameAr: text('name_ar').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('reason_codes_code_key').on(t.code)],
);

export const ticketNumberSeq = pgSequence('ticket_number_seq', { startWith: 10001 });

export interface ShipmentDetails {
  trackingNumber?: string;
  shipperName?: string;
  shipperPhone?: string;
  shipperEmail?: string;
  consigneeName?: string;
  consigneePhone?: string;
  consigneeEmail?: string;
}
export interface Resolution {
  rootCause: string;
  solution: string;
  actionTaken: string;
}

export const tickets = pgTable(
  'tickets',
  {
    id: id(),
    number: bigint('number', { mode: 'number' })
      .notNull()
      .default(sql`nextval('ticket_number_seq')`),
    subject: text('subject').notNull(),
    description: text('description').notNull().default(''),
    categoryId: uuid('category_id').references(() => categories.id),
    priority: text('priority').notNull().default('normal'),
    // Sorting by priority needs an order the text values do not have.
    priorityRank: smallint('priority_rank').generatedAlwaysAs(
      sql`CASE priority WHEN 'urgent' THEN 4 WHEN 'high' THEN 3 WHEN 'normal' THEN 2 ELSE 1 END`,
    ),
    status: text('status').notNull().default('new'),
    requesterId: uuid('requester_id').references(() => contacts.id, { onDelete: 'set null' }),
    accountId: uuid('account_id').references(() => accounts.id, { onDelete: 'set null' }),
    groupId: uuid('group_id').references(() => groups.id),
    assigneeId: uuid('assignee_id').references(() => users.id, { onDelete: 'set null' }),
    tags: text('tags').array().notNull().default([]),
    channel: text('channel').notNull().default('web'),
    createdById: uuid('created_by_id').references(() => users.id, { onDelete: 'set null' }),
    onBehalf: boolean('on_behalf').notNull().default(false),
    trackingNumber: text('tracking_number'),
    shipment: jsonb('shipment').$type<ShipmentDetails>(),
    reasonCodeId: uuid('reason_code_id').references(() => reasonCodes.id),
    resolution: jsonb('resolution').$type<Resolution>(),
    handedOffFromKeyAccounts: boolean('handed_off_from_key_accounts').notNull().default(false),
    /** The closed ticket a customer wrote to again; their new message opened this one. */
    followUpOfId: uuid('follow_up_of_id'),
    /**
     * The nearest due time of the ticket's running service-level clocks, kept by the SLA module
     * whenever it recomputes them; 'infinity' when none runs, so keyset paging needs no NULL case.
     * Read as text: 'infinity' is no JavaScript date.
     */
    slaDueAt: timestamp('sla_due_at', { withTimezone: true, mode: 'string' }).notNull().default(sql`'infinity'`),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    solvedAt: timestamp('solved_at', { withTimezone: true, mode: 'date' }),
    closedAt: timestamp('closed_at', { withTimezone: true, mode: 'date' }),
    // Arabic is normalised in the application before it lands here (see domain/arabic.ts).
    searchSubject: text('search_subject').notNull().default(''),
    searchBody: text('search_body').notNull().default(''),
    searchVector: tsvector('search_vector').generatedAlwaysAs(
      sql`setweight(to_tsvector('english'::regconfig, search_subject), 'A') || setweight(to_tsvector('arabic'::regconfig, search_subject), 'A') || setweight(to_tsvector('english'::regconfig, search_body), 'C') || setweight(to_tsvector('arabic'::regconfig, search_body), 'C')`,
    ),
  },
  (t) => [
    uniqueIndex('tickets_number_key').on(t.number),
    // Plain ascending indexes: a backward scan gives exactly ORDER BY … DESC, id DESC. Queue pages
    // read one (group, status) or (status) slice at a time (see list-tickets.ts).
    index('tickets_group_status_updated_idx').on(t.groupId, t.status, t.updatedAt, t.id),
    index('tickets_group_status_priority_idx').on(t.groupId, t.status, t.priorityRank, t.updatedAt, t.id),
    index('tickets_group_status_created_idx').on(t.groupId, t.status, t.createdAt, t.id),
    index('tickets_status_updated_idx').on(t.status, t.updatedAt, t.id),
    index('tickets_status_priority_idx').on(t.status, t.priorityRank, t.updatedAt, t.id),
    index('tickets_status_created_idx').on(t.status, t.createdAt, t.id),
    index('tickets_group_status_sla_due_idx').on(t.groupId, t.status, t.slaDueAt, t.id),
    index('tickets_status_sla_due_idx').on(t.status, t.slaDueAt, t.id),
    index('tickets_assignee_status_sla_due_idx').on(t.assigneeId, t.status, t.slaDueAt, t.id),
    index('tickets_assignee_status_updated_idx').on(t.assigneeId, t.status, t.updatedAt, t.id),
    // Open tickets only, for counts per agent and per (group, status) on the live dashboard: a few
    // hundred distinct keys, so btree deduplication keeps it to a few pages per thousand tickets.
    index('tickets_open_idx')
      .on(t.assigneeId, t.groupId, t.status)
      .where(sql`status in ('new', 'open', 'pending', 'on-hold')`),
    index('tickets_created_by_idx').on(t.createdById, t.updatedAt),
    // Search walks the most recently updated tickets first (search/index.ts).
    index('tickets_updated_idx').on(t.updatedAt),
    index('tickets_account_idx').on(t.accountId, t.updatedAt),
    index('tickets_requester_idx').on(t.requesterId, t.updatedAt),
    index('tickets_tags_idx').using('gin', t.tags),
    index('tickets_search_idx').using('gin', t.searchVector),
    index('tickets_tracking_trgm_idx').using('gin', sql`${t.trackingNumber} gin_trgm_ops`),
  ],
);

export const ticketMessages = pgTable(
  'ticket_messages',
  {
    id: id(),
    ticketId: uuid('ticket_id').notNull().references(() => tickets.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    channel: text('channel').notNull().default('web'),
    authorUserId: uuid('author_user_id').references(() => users.id, { onDelete: 'set null' }),
    authorContactId: uuid('author_contact_id').references(() => contacts.id, { onDelete: 'set null' }),
    bodyHtml: text('body_html').notNull().default(''),
    bodyText: text('body_text').notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [index('ticket_messages_ticket_idx').on(t.ticketId, t.createdAt)],
);

/** Files live in the database so every web process serves them without shared disk. */
export const attachments = pgTable(
  'attachments',
  {
    id: id(),
    ticketId: uuid('ticket_id').references(() => tickets.id, { onDelete: 'cascade' }),
    messageId: uuid('message_id').references(() => ticketMessages.id, { onDelete: 'cascade' }),
    uploadedById: uuid('uploaded_by_id').references(() => users.id, { onDelete: 'set null' }),
    /** A customer's upload from the portal, before it is attached to their message. */
    uploadedByContactId: uuid('uploaded_by_contact_id').references(() => contacts.id, { onDelete: 'set null' }),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    data: bytea('data').notNull(),
    /** pending until a malware scanner has looked at it; then clean, or infected with the signature. */
    scanStatus: text('scan_status').notNull().default('pending'),
    scanSignature: text('scan_signature'),
    scannedAt: timestamp('scanned_at', { withTimezone: true, mode: 'date' }),
    createdAt: createdAt(),
  },
  (t) => [
    index('attachments_message_idx').on(t.messageId),
    index('attachments_ticket_idx').on(t.ticketId),
    index('attachments_scan_pending_idx').on(t.createdAt).where(sql`scan_status = 'pending'`),
  ],
);
