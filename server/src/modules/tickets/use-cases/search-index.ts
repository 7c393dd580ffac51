import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../../platform/db/index.js';
import { tickets } from '../db/schema.js';
import { normaliseForSearch } from '../../search/domain/normalise.js';

// A tsvector holds at most 1 MB; long threads keep their first part searchable.
const MAX_BODY = 200_000;

export function subjectDocument(subject: string, trackingNumber?: string | null) {
  return normaliseForSearch([subject, trackingNumber ?? ''].join(' '));
}

export const bodyDocument = (text: string) => normaliseForSearch(text).slice(0, MAX_BODY);

/** Adds a message's text to the ticket's search document. */
export async function appendToSearchBody(db: DbOrTx, ticketId: string, text: string) {
  const addition = normaliseForSearch(text).slice(0, MAX_BODY);
  if (!addition.trim()) return;
  await db
    .update(tickets)
    .set({ searchBody: sql`left(${tickets.searchBody} || ' ' || ${addition}, ${MAX_BODY})` })
    .where(eq(tickets.id, ticketId));
}
