import { createHash } from 'node:crypto';
import type pg from 'pg';

/**
 * Statements the application runs again and again are prepared once per connection.
 *
 * Drizzle sends every query unnamed, so PostgreSQL parses and plans it on every call; with the
 * wide, heavily indexed ticket table that planning cost as much as running the statements (4.7 ms
 * of 12 ms of database time per email taken in). A named statement is parsed once per connection,
 * and after five runs PostgreSQL keeps a generic plan when it is no worse than the custom ones.
 *
 * Only text seen `HOT_AFTER` times is named, and at most `MAX_NAMED` texts per process, so
 * one-off statements (dynamic IN lists of every length, ad-hoc reports) never pile up in the
 * server's memory; the rest run unnamed as before.
 */
const HOT_AFTER = 3;
const MAX_NAMED = 1000;
const MAX_COUNTED = 20_000;

export class StatementNames {
  private readonly seen = new Map<string, number>();
  private readonly named = new Map<string, string>();

  constructor(
    private readonly hotAfter = HOT_AFTER,
    private readonly maxNamed = MAX_NAMED,
  ) {}

  /** The statement's name once it is hot, else undefined (run it unnamed). */
  nameFor(text: string): string | undefined {
    const name = this.named.get(text);
    if (name) return name;
    if (this.named.size >= this.maxNamed) return undefined;
    const n = (this.seen.get(text) ?? 0) + 1;
    if (n < this.hotAfter) {
      if (this.seen.size < MAX_COUNTED) this.seen.set(text, n);
      return undefined;
    }
    this.seen.delete(text);
    const fresh = `cd_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    this.named.set(text, fresh);
    return fresh;
  }

  get size() {
    return this.named.size;
  }
}

/** A pg Client class whose hot parameterised statements run as named (prepared) statements. */
export function preparingClient(Base: typeof pg.Client, names: StatementNames): typeof pg.Client {
  class PreparingClient extends Base {}
  const query = Base.prototype.query as (...args: unknown[]) => unknown;
  PreparingClient.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    // pg-boss passes (text, values); drizzle passes a config object.
    if (typeof args[0] === 'string' && Array.isArray(args[1])) args = [{ text: args[0] }, ...args.slice(1)];
    const config = args[0] as { text?: unknown; name?: string; values?: unknown[] } | null;
    if (config && typeof config === 'object' && !config.name && typeof config.text === 'string') {
      const params = Array.isArray(args[1]) ? args[1] : config.values;
      // A statement without parameters costs little to plan and may be one of many literals.
      const name = params?.length ? names.nameFor(config.text) : undefined;
      if (name) args[0] = { ...config, name };
    }
    return query.apply(this, args);
  } as typeof Base.prototype.query;
  return PreparingClient;
}
