import { and, asc, gt, inArray } from 'drizzle-orm';
import type { Database, Db } from '../../platform/db/index.js';
import type { Config } from '../../platform/config.js';
import type { Jobs } from '../../platform/jobs.js';
import type { Secrets } from '../../platform/secrets.js';
import { tickets } from '../tickets/index.js';
import { loadSlaConfig } from './db/repository.js';
import { recomputeTickets } from './use-cases/recompute.js';
import { sweepSla, type SweepResult } from './use-cases/sweep.js';
import { RECOMPUTE_QUEUE } from './use-cases/admin.js';
import { configureSlaMail } from './use-cases/notify.js';
import { slaNow } from './clock.js';

export const SWEEP_QUEUE = 'sla.sweep';
/** Steps run with minute precision: the sweep is asked for several times a minute. */
const SWEEP_EVERY_MS = 15_000;

export interface SlaRuntime {
  /** Runs due escalation steps and records breaches as of `now` (tests pass a later time). */
  sweep(now?: Date): Promise<SweepResult>;
  /** Recomputes every open ticket's deadlines (after a configuration change). */
  recomputeOpen(now?: Date): Promise<number>;
  close(): Promise<void>;
}

/**
 * Every open ticket, in batches, each batch in one transaction with the configuration read once;
 * on PostgreSQL several batches run at once (PGlite has one connection, so one).
 */
export async function recomputeOpenTickets(db: Db, now: Date, concurrency = 1, batch = 1000): Promise<number> {
  const ids: string[] = [];
  let last: string | null = null;
  for (;;) {
    const page: { id: string }[] = await db
      .select({ id: tickets.id })
      .from(tickets)
      .where(and(inArray(tickets.status, ['new', 'open', 'pending', 'on-hold']), last ? gt(tickets.id, last) : undefined))
      .orderBy(asc(tickets.id))
      .limit(50_000);
    ids.push(...page.map((r) => r.id));
    if (page.length < 50_000) break;
    last = page[page.length - 1]!.id;
  }
  let next = 0;
  const lane = async () => {
    while (next < ids.length) {
      const slice = ids.slice(next, next + batch);
      next += batch;
      await db.transaction(async (tx) => {
        const config = await loadSlaConfig(tx);
        await recomputeTickets(tx, slice, now, {}, config);
      });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, lane));
  return ids.length;
}

export async function startSlaRuntime(deps: { database: Database; config: Config; jobs: Jobs; secrets: Secrets; log: (msg: string, err?: unknown) => void }): Promise<SlaRuntime> {
  const { database, config, jobs, secrets, log } = deps;
  const db = database.db;
  const services = { jobs, secrets };
  const parallel = database.driver === 'pg' ? 3 : 1;
  configureSlaMail({ timeZone: config.timeZone, publicUrl: config.publicUrl });
  await jobs.define(SWEEP_QUEUE, { retryLimit: 2, retryDelaySeconds: 5, expireSeconds: 300 });
  await jobs.define(RECOMPUTE_QUEUE, { retryLimit: 3, retryDelaySeconds: 10, expireSeconds: 3600 });
  const stops: (() => Promise<void>)[] = [];
  if (config.roles.includes('worker')) {
    await jobs.work(SWEEP_QUEUE, { concurrency: 1 }, async () => void (await sweepSla(db, await slaNow(db, config), services)));
    await jobs.work(RECOMPUTE_QUEUE, { concurrency: 1 }, async () => void (await recomputeOpenTickets(db, new Date(), parallel)));
    // Every worker asks; the singleton key keeps one sweep queued, whichever process runs it.
    const ask = () => void jobs.send(SWEEP_QUEUE, {}, { singletonKey: 'sweep' }).catch((err) => log('sla sweep scheduling failed', err));
    const timer = setInterval(ask, SWEEP_EVERY_MS);
    timer.unref();
    stops.push(async () => clearInterval(timer));
    // Steps that fell due while no worker ran are caught up at once.
    ask();
  }
  return {
    sweep: (now = new Date()) => sweepSla(db, now, services),
    recomputeOpen: (now = new Date()) => recomputeOpenTickets(db, now, parallel),
    async close() {
      for (const s of stops.reverse()) await s();
    },
  };
}
