// Every table, for drizzle's typed client and for drizzle-kit; modules own their own files.
export * from './audit.schema.js';
export * from './settings.schema.js';
export * from './realtime.schema.js';
export * from '../../modules/people/db/schema.js';
export * from '../../modules/auth/db/schema.js';
export * from '../../modules/customers/db/schema.js';
export * from '../../modules/tickets/db/schema.js';
export * from '../../modules/channels/email/db/schema.js';
export * from '../../modules/channels/social/db/schema.js';
export * from '../../modules/channels/phone/db/schema.js';
export * from '../../modules/sla/db/schema.js';
export * from '../../modules/routing/db/schema.js';
export * from '../../modules/portal/db/schema.js';
export * from '../../modules/channels/chat/db/schema.js';
export * from '../../modules/reports/db/schema.js';
export * from '../../modules/reports/scheduled/schema.js';
