import { PgBoss, fromPglite } from 'pg-boss';
import type { Database } from './db/index.js';

export interface QueueSpec {
  /** Attempts after the first; spaced with exponential backoff from `retryDelaySeconds`. */
  retryLimit: number;
  retryDelaySeconds: number;
  /** A job still running after this long is given up and retried. */
  expireSeconds?: number;
}

export interface JobOptions {
  /** At most one queued job per key: enqueueing the same work twice is harmless. */
  singletonKey?: string;
  startAfterSeconds?: number;
}

export type JobHandler<T> = (data: T) => Promise<void>;

/**
 * Background work that runs once across every CareDesk process, kept in PostgreSQL by pg-boss
 * (on PGlite too, through its adapter). Every process can enqueue; only `worker` processes run
 * handlers. Handlers must be idempotent: pg-boss retries after a crash.
 */
export interface Jobs {
  define(queue: string, spec: QueueSpec): Promise<void>;
  send<T extends object>(queue: string, data: T, options?: JobOptions): Promise<void>;
  /** Several jobs of one queue in one statement. */
  sendMany<T extends object>(queue: string, jobs: { data: T; options?: JobOptions }[]): Promise<void>;
  work<T extends object>(queue: string, options: { concurrency: number }, handler: JobHandler<T>): Promise<void>;
  /**
   * Like `work`, but the handler takes the jobs of a fetch together (up to `batchSize`) and answers,
   * for each, null when it is done or the error it failed with (that job alone is retried).
   */
  workBatch<T extends object>(queue: string, options: { concurrency: number; batchSize: number }, handler: (batch: T[]) => Promise<(unknown | null)[]>): Promise<void>;
  stop(): Promise<void>;
  /** A cron schedule (one per queue) that enqueues an empty job; `tz` is an IANA zone. */
  schedule?(queue: string, cron: string, options: { tz: string }): Promise<void>;
}

/**
 * A worker that fetched one job sleeps a polling interval before the next fetch, which capped
 * email intake at one message per second per worker. NOTIFY wakes workers on each new job, and a
 * full batch makes the worker fetch again at once, so a backlog (the startup sweep) drains back to
 * back. Jobs that become due later (retry backoff) are found by the one-second poll.
 */
const WAKE = { useListenNotify: true };
const BATCH = 4;

export async function startJobs(database: Database, log: (msg: string, err?: unknown) => void): Promise<Jobs> {
  const native = database.native;
  const boss =
    native.kind === 'pglite'
      ? new PgBoss({ db: fromPglite(native.client) as never, backend: 'pglite', schema: 'jobs', superviseIntervalSeconds: 60, ...WAKE } as never)
      : new PgBoss({
          connectionString: native.connectionString,
          // Its statements are the same few thousands of times over: prepared once per connection.
          Client: native.Client,
          // Each test isolates itself in a schema; its jobs go beside it.
          schema: native.schema ? `${native.schema}_jobs` : 'jobs',
          max: 4,
          ...WAKE,
        } as never);
  boss.on('error', (err: unknown) => log('job queue error', err));
  await database.exclusive(() => boss.start());
  const defined = new Set<string>();
  let stopped = false;
  type Pending = { data: object; options?: JobOptions };
  const toInsert = (j: Pending) => ({
    data: j.data,
    ...(j.options?.singletonKey ? { singletonKey: j.options.singletonKey } : {}),
    ...(j.options?.startAfterSeconds ? { startAfter: j.options.startAfterSeconds } : {}),
  });
  /**
   * Jobs sent while an insert into their queue is running wait for it and then go in together:
   * at a hundred messages a second, one insert per message was a statement and a WAL flush each.
   * A quiet queue's job goes in at once.
   */
  const sending = new Map<string, { jobs: Pending[]; waiters: { resolve: () => void; reject: (err: unknown) => void }[] }>();
  const running = new Set<string>();
  const drain = (queue: string) => {
    const next = sending.get(queue);
    if (!next) return void running.delete(queue);
    sending.delete(queue);
    running.add(queue);
    boss
      .insert(queue, next.jobs.map(toInsert))
      .then(
        () => next.waiters.forEach((w) => w.resolve()),
        (err: unknown) => next.waiters.forEach((w) => w.reject(err)),
      )
      .finally(() => drain(queue));
  };
  const sendMany: Jobs['sendMany'] = (queue, jobs) =>
    new Promise<void>((resolve, reject) => {
      if (!jobs.length) return resolve();
      const next = sending.get(queue) ?? { jobs: [], waiters: [] };
      next.jobs.push(...jobs);
      next.waiters.push({ resolve, reject });
      sending.set(queue, next);
      if (!running.has(queue)) drain(queue);
    });

  const workBatch: Jobs['workBatch'] = async (queue, options, handler) => {
    await boss.work(
      queue,
      {
        batchSize: options.batchSize,
        localConcurrency: options.concurrency,
        pollingIntervalSeconds: 1,
        notifyPollingIntervalSeconds: 1,
        burstWhenBatchFull: true,
        // Each job of a batch settles on its own, so a failure retries that job alone.
        perJobResults: true,
      } as never,
      (async (jobs: { id: string; data: object }[]) => {
        let errors: (unknown | null)[];
        try {
          errors = await handler(jobs.map((j) => j.data as never));
        } catch (err) {
          errors = jobs.map(() => err);
        }
        return jobs.map((job, i) =>
          errors[i] ? { id: job.id, status: 'failed', output: { message: String((errors[i] as Error)?.message ?? errors[i]) } } : { id: job.id, status: 'completed' },
        );
      }) as never,
    );
  };

  return {
    async define(queue, spec) {
      if (defined.has(queue)) return;
      await boss.createQueue(queue, {
        retryLimit: spec.retryLimit,
        retryDelay: spec.retryDelaySeconds,
        retryBackoff: true,
        expireInSeconds: spec.expireSeconds ?? 300,
        // Workers wake on NOTIFY instead of waiting for the next poll.
        notify: true,
      } as never);
      defined.add(queue);
    },
    send: (queue, data, options) => sendMany(queue, [{ data, options }]),
    sendMany,
    async work(queue, options, handler) {
      await workBatch(queue, { concurrency: options.concurrency, batchSize: BATCH }, async (batch) => {
        const errors: (unknown | null)[] = [];
        for (const data of batch) errors.push(await handler(data as never).then(() => null, (err: unknown) => err ?? new Error('failed')));
        return errors;
      });
    },
    workBatch,
    async schedule(queue, cron, options) {
      await boss.schedule(queue, cron, {}, { tz: options.tz } as never);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await boss.stop({ graceful: true, wait: true, timeout: 5000 } as never);
    },
  };
}
