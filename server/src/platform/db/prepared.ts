import { createHash } from 'node:crypto';
import type pg from 'pg';

/**
 * Short statements the application runs again and again are prepared once per connection.
 *
 * Drizzle sends every query unnamed, so PostgreSQL parses and plans it on every call; with the
 * wide, heavily indexed ticket table that planning cost as much as running the statements (4.7 ms
 * of 12 ms of database time per email taken in). A named statement is parsed once per connection,
 * and after five runs PostgreSQL keeps a generic plan when it estimates it no worse than the
 * custom ones.
 *
 * That estimate can be wrong, so only quick statements are named (planning is a large share of a
 * 1 ms statement and none of a 50 ms one), and a named statement still runs unnamed one time in
 * `BASELINE_EVERY`: when its named runs are far slower than those, measured under the same
 * load, it goes back to being planned on every call. (Comparing with runs from before it was
 * named misjudged a dozen statements: the server was idle then and saturated later.) Only text
 * seen `hotAfter` times is named, and at most `maxNamed` texts per process, so one-off statements
 * (IN lists of every length, ad-hoc reports) never pile up in the server's memory.
 */
const HOT_AFTER = 3;
const MAX_NAMED = 1000;
const MAX_TRACKED = 20_000;
/** Statements slower than this on average are planned on every call. */
const QUICK_MS = 25;
/** Runs of a named statement, and unnamed runs since, before the two are compared. */
const JUDGE_AFTER = 12;
const JUDGE_BASELINE = 3;
/** A named statement runs unnamed one time in this many, to keep a baseline to compare with. */
const BASELINE_EVERY = 10;

interface Stats {
  runs: number;
  /** Average duration (moving) while unnamed, and once named. */
  unnamedMs: number;
  namedMs: number;
  namedRuns: number;
  /** Unnamed runs since the statement was named. */
  baselineRuns: number;
  calls: number;
  name: string | null;
  /** Named once and found slower: planned on every call from then on. */
  demoted: boolean;
}

const ewma = (avg: number, sample: number, n: number) => (n <= 1 ? sample : avg + (sample - avg) / Math.min(n, 20));

export class StatementNames {
  private readonly stats = new Map<string, Stats>();
  private named = 0;

  constructor(
    private readonly hotAfter = HOT_AFTER,
    private readonly maxNamed = MAX_NAMED,
    private readonly quickMs = QUICK_MS,
  ) {}

  /** The name to run the statement under, or undefined to run it unnamed. */
  nameFor(text: string): string | undefined {
    const s = this.stats.get(text);
    if (!s) return undefined;
    if (s.name) return s.demoted || ++s.calls % BASELINE_EVERY === 0 ? undefined : s.name;
    if (s.runs < this.hotAfter || s.unnamedMs > this.quickMs || this.named >= this.maxNamed) return undefined;
    s.name = `cd_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    this.named++;
    return s.name;
  }

  /** How long a run took, under the name `nameFor` gave it (or none). */
  record(text: string, named: boolean, ms: number): void {
    let s = this.stats.get(text);
    if (!s) {
      if (this.stats.size >= MAX_TRACKED) return;
      s = { runs: 0, unnamedMs: 0, namedMs: 0, namedRuns: 0, baselineRuns: 0, calls: 0, name: null, demoted: false };
      this.stats.set(text, s);
    }
    if (!named) {
      s.runs++;
      if (s.name) s.baselineRuns++;
      // Once named, the baseline has a tenth of the samples: each one counts for more, so it
      // follows the load as fast as the named average does.
      s.unnamedMs = !s.name ? ewma(s.unnamedMs, ms, s.runs) : s.baselineRuns === 1 ? ms : (s.unnamedMs + ms) / 2;
      return;
    }
    s.namedRuns++;
    s.namedMs = ewma(s.namedMs, ms, s.namedRuns);
    if (s.namedRuns >= JUDGE_AFTER && s.baselineRuns >= JUDGE_BASELINE && s.namedMs > 3 * s.unnamedMs + 5) s.demoted = true;
  }

  get size() {
    return this.named;
  }
}

/** A pg Client class whose quick, hot, parameterised statements run as named (prepared) statements. */
export function preparingClient(Base: typeof pg.Client, names: StatementNames): typeof pg.Client {
  class PreparingClient extends Base {}
  const query = Base.prototype.query as (...args: unknown[]) => unknown;
  PreparingClient.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    // pg-boss passes (text, values); drizzle passes a config object.
    if (typeof args[0] === 'string' && Array.isArray(args[1])) args = [{ text: args[0] }, ...args.slice(1)];
    const config = args[0] as { text?: unknown; name?: string; values?: unknown[] } | null;
    if (!config || typeof config !== 'object' || config.name || typeof config.text !== 'string' || 'submit' in config) return query.apply(this, args);
    const params = Array.isArray(args[1]) ? args[1] : config.values;
    // A statement without parameters costs little to plan and may be one of many literals.
    if (!params?.length) return query.apply(this, args);
    const text = config.text;
    const name = names.nameFor(text);
    if (name) args[0] = { ...config, name };
    const started = performance.now();
    const done = () => names.record(text, Boolean(name), performance.now() - started);
    // pg's Pool passes a callback (pg-boss, and drizzle outside a transaction); a client returns a promise.
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      args[args.length - 1] = (err: unknown, res: unknown) => {
        done();
        (last as (e: unknown, r: unknown) => void)(err, res);
      };
      return query.apply(this, args);
    }
    const result = query.apply(this, args) as Promise<unknown>;
    result.then(done, done);
    return result;
  } as typeof Base.prototype.query;
  return PreparingClient;
}
