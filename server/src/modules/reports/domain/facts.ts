/** The kinds of fact reports read, and how each one's idempotency key is built. Pure. */
export const FACT_KINDS = [
  'ticket.created',
  'first_response',
  'reply',
  'solved',
  'reopened',
  'escalated',
  'sla.met',
  'sla.breached',
  'call.logged',
  'chat.handled',
] as const;
export type FactKind = (typeof FACT_KINDS)[number];

/** Channels whose conversations count as chats: the first agent reply on such a ticket is a handled chat. */
export const CHAT_CHANNELS = new Set(['chat', 'widget', 'whatsapp', 'telegram', 'messenger', 'social']);

/**
 * A fact's unique key: the kind plus what identifies this occurrence, so that the same event
 * handled twice (a retried transaction, two processes reacting to one change) stores one row.
 * Once-per-ticket facts (created, first response, chat handled) key on the ticket alone.
 */
export function factKey(kind: FactKind, parts: (string | number)[]): string {
  return [kind, ...parts].join(':');
}

/** Whether a status change is a solve, a reopen, or neither. */
export function statusFact(from: string, to: string): 'solved' | 'reopened' | null {
  const done = (s: string) => s === 'solved' || s === 'closed';
  if (to === 'solved' && from !== 'solved') return 'solved';
  if (done(from) && !done(to)) return 'reopened';
  return null;
}
