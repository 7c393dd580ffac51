import { bigserial, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.js';

/** Realtime events too large for a NOTIFY payload; kept minutes, read by id (platform/realtime.ts). */
export const realtimePayloads = pgTable('realtime_payloads', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  topic: text('topic').notNull(),
  payload: jsonb('payload').notNull(),
  createdAt: createdAt(),
});
