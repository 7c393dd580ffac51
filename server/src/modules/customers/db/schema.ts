import { index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
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
