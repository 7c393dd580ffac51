import type { DbOrTx } from './db/index.js';
import type { Jobs } from './jobs.js';
import type { Secrets } from './secrets.js';

/**
 * Domain events handled inside the transaction that caused them, so a listener's writes (an
 * outgoing email queued for a reply, say) commit or roll back with the change itself: no reply
 * is lost to a crash between the commit and a listener. A listener may return work to run after
 * the commit (waking a job); that part may be lost, so it must only speed up what a sweep would
 * do anyway. Listeners register once per process, at import time of the module that owns them.
 */
export interface DomainEvents {
  'ticket.message_added': {
    ticketId: string;
    messageId: string;
    kind: 'reply' | 'note' | 'customer';
    channel: string;
    authorUserId: string | null;
    at: Date;
  };
  /** A ticket was created or its fields or status changed (service levels recompute from history). */
  'ticket.changed': { ticketId: string; at: Date };
  /** Service-level facts for reports, with business and calendar durations in milliseconds. */
  'sla.breached': { ticketId: string; target: string; cycle: number; dueAt: Date; businessMs: number; calendarMs: number };
  'sla.met': { ticketId: string; target: string; cycle: number; at: Date; businessMs: number; calendarMs: number };
  /** A ticket's status moved (solved, reopened, ...); `actorUserId` is null for the system or the customer. */
  'ticket.status_changed': { ticketId: string; from: string; to: string; at: Date; actorUserId: string | null };
  /** An escalation ladder step fired for a ticket's service-level clock (once per step). */
  'sla.escalated': { ticketId: string; target: string; cycle: number; stepKey: string; at: Date };
  /** An agent logged a call on a ticket (phone channel). */
  'call.logged': {
    callId: string;
    ticketId: string;
    agentId: string;
    direction: string;
    outcome: string;
    durationSeconds: number;
    categoryId: string | null;
    reasonCodeId: string | null;
    at: Date;
  };
}

export type AfterCommit = () => Promise<void>;
/** What the emitting request can lend a listener; absent outside a running server (seeding). */
export interface EventServices {
  jobs?: Jobs;
  secrets?: Secrets;
}
type Listener<K extends keyof DomainEvents> = (tx: DbOrTx, event: DomainEvents[K], services: EventServices) => Promise<AfterCommit | void>;

type BatchListener<K extends keyof DomainEvents> = (tx: DbOrTx, events: DomainEvents[K][], services: EventServices) => Promise<AfterCommit | void>;

const listeners = new Map<keyof DomainEvents, Listener<never>[]>();
const batchListeners = new Map<keyof DomainEvents, BatchListener<never>[]>();

export function onEvent<K extends keyof DomainEvents>(name: K, listener: Listener<K>) {
  const list = listeners.get(name) ?? [];
  list.push(listener as Listener<never>);
  listeners.set(name, list);
}

/**
 * A listener that can handle many events at once. Alone, an event reaches it at once, as a list of
 * one; inside `inEventBatch` its events wait for the end of the batch and arrive together, so
 * work done per statement (reading a ticket's history, writing a fact) is done once for them all.
 */
export function onEvents<K extends keyof DomainEvents>(name: K, listener: BatchListener<K>) {
  const list = batchListeners.get(name) ?? [];
  list.push(listener as BatchListener<never>);
  batchListeners.set(name, list);
}

/** Events of a transaction held for its batch listeners, by transaction. */
const held = new WeakMap<object, { name: keyof DomainEvents; event: unknown; services: EventServices }[]>();

/**
 * Runs `work` in `tx` with the batch listeners' events held, then hands them over together. Only
 * for work whose later steps do not read what those listeners write (taking in a batch of mail:
 * each message's ticket is independent of the next).
 */
export async function inEventBatch(tx: DbOrTx, work: () => Promise<AfterCommit[]>): Promise<AfterCommit[]> {
  if (held.has(tx)) return work();
  const events: { name: keyof DomainEvents; event: unknown; services: EventServices }[] = [];
  held.set(tx, events);
  let after: AfterCommit[];
  try {
    after = await work();
  } finally {
    held.delete(tx);
  }
  const names = [...new Set(events.map((e) => e.name))];
  for (const name of names) {
    const mine = events.filter((e) => e.name === name);
    for (const l of batchListeners.get(name) ?? []) {
      const next = await (l as BatchListener<keyof DomainEvents>)(tx, mine.map((e) => e.event) as never, mine[0]!.services);
      if (next) after.push(next);
    }
  }
  return after;
}

/** Runs the listeners inside `tx`; returns what they asked to run after the commit. */
export async function emitInTx<K extends keyof DomainEvents>(
  tx: DbOrTx,
  name: K,
  event: DomainEvents[K],
  services: EventServices,
): Promise<AfterCommit[]> {
  const after: AfterCommit[] = [];
  for (const l of (listeners.get(name) ?? []) as unknown as Listener<K>[]) {
    const next = await l(tx, event, services);
    if (next) after.push(next);
  }
  const batched = (batchListeners.get(name) ?? []) as unknown as BatchListener<K>[];
  if (!batched.length) return after;
  const holding = held.get(tx);
  if (holding) {
    holding.push({ name, event, services });
    return after;
  }
  for (const l of batched) {
    const next = await l(tx, [event], services);
    if (next) after.push(next);
  }
  return after;
}

export async function runAfterCommit(work: AfterCommit[], onError: (err: unknown) => void) {
  for (const w of work) {
    try {
      await w();
    } catch (err) {
      onError(err);
    }
  }
}
