import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../../platform/db/index.js';
import { users } from '../db/schema.js';

/**
 * Every user's address, read at most once per AGENT_CACHE_MS per process and database: each email
 * taken in asks whether its sender is one of ours (mail from an agent's address that came from
 * outside is a forgery to flag), at up to hundreds of messages a second. User writes in this
 * module forget the set at once; other processes see a change within the interval.
 */
const AGENT_CACHE_MS = 2000;
let generation = 0;
const cached = new WeakMap<object, { at: number; generation: number; addresses: Promise<Set<string>> }>();

export function forgetAgentAddresses() {
  generation++;
}

export async function isAgentAddress(db: DbOrTx, address: string): Promise<boolean> {
  let hit = cached.get(db);
  if (!hit || hit.generation !== generation || Date.now() - hit.at >= AGENT_CACHE_MS) {
    const entry = {
      at: Date.now(),
      generation,
      addresses: db
        .select({ email: sql<string>`lower(${users.email})` })
        .from(users)
        .then((rows) => new Set(rows.map((r) => r.email))),
    };
    cached.set(db, entry);
    entry.addresses.catch(() => cached.get(db) === entry && cached.delete(db));
    hit = entry;
  }
  return (await hit.addresses).has(address.toLowerCase());
}
