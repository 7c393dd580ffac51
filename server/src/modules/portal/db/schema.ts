import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from '../../../platform/db/columns.js';
import { contacts } from '../../customers/db/schema.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * A contact's portal sign-in: an argon2 password (optional: a sign-in link works without one) and
 * when they proved they own their email address. One row per contact; the address is the contact's
 * email identity, so merging or editing identities needs nothing here.
 */
export const portalAccounts = pgTable('portal_accounts', {
  contactId: uuid('contact_id')
    .primaryKey()
    .references(() => contacts.id, { onDelete: 'cascade' }),
  passwordHash: text('password_hash'),
  emailVerifiedAt: ts('email_verified_at'),
  lastSignInAt: ts('last_sign_in_at'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/**
 * Emailed single-use tokens (`verify` an address, `signin` without a password). Only a SHA-256 of
 * the token is kept; `password_hash` is the password chosen at registration, set when it is verified.
 */
export const portalTokens = pgTable(
  'portal_tokens',
  {
    id: id(),
    tokenHash: text('token_hash').notNull().unique(),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    purpose: text('purpose').notNull(),
    email: text('email').notNull(),
    passwordHash: text('password_hash'),
    expiresAt: ts('expires_at').notNull(),
    usedAt: ts('used_at'),
    createdAt: createdAt(),
  },
  (t) => [index('portal_tokens_contact_idx').on(t.contactId, t.createdAt)],
);

/** Customer sessions, apart from agents' (their own cookie, their own table, never an agent's rights). */
export const portalSessions = pgTable(
  'portal_sessions',
  {
    id: id(),
    tokenHash: text('token_hash').notNull().unique(),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [index('portal_sessions_contact_idx').on(t.contactId)],
);
