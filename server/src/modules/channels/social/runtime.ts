import type { Config } from '../../../platform/config.js';
import type { Database } from '../../../platform/db/index.js';
import type { Jobs } from '../../../platform/jobs.js';
import type { Secrets } from '../../../platform/secrets.js';
import { guardedAgent } from '../../../platform/outbound-http.js';
import { INGEST_QUEUE, MAX_INGEST_ATTEMPTS, enqueueIngest, processEvent, strandedEvents } from './use-cases/intake.js';
import { MAX_SEND_ATTEMPTS, SEND_QUEUE, enqueueSend, sendReply, strandedReplies } from './use-cases/outbound.js';

export interface SocialRuntime {
  /** Re-enqueues stored events and replies still waiting from before `olderThan`. */
  sweep(olderThan?: Date): Promise<void>;
  close(): Promise<void>;
}

export async function startSocialRuntime(deps: { database: Database; config: Config; jobs: Jobs; secrets: Secrets; log: (msg: string, err?: unknown) => void }): Promise<SocialRuntime> {
  const { database, config, jobs, secrets, log } = deps;
  const db = database.db;
  // Jobs count their own attempts in the row; pg-boss's limit is only a backstop above that.
  await jobs.define(INGEST_QUEUE, { retryLimit: MAX_INGEST_ATTEMPTS, retryDelaySeconds: 2, expireSeconds: 120 });
  // Backoff from 1 s doubles each time: eight attempts span about four minutes.
  await jobs.define(SEND_QUEUE, { retryLimit: MAX_SEND_ATTEMPTS, retryDelaySeconds: 1, expireSeconds: 60 });
  const sweep = async (olderThan?: Date) => {
    const before = olderThan ?? new Date(Date.now() - config.sweepSeconds * 1000);
    await enqueueIngest(jobs, await strandedEvents(db, before));
    await enqueueSend(jobs, await strandedReplies(db, before));
  };
  let timer: NodeJS.Timeout | null = null;
  const http = guardedAgent({ allow: config.outboundAllow });
  if (config.roles.includes('worker')) {
    await jobs.work<{ id: string }>(INGEST_QUEUE, { concurrency: 4 }, ({ id }) => processEvent({ db, config, jobs, secrets, log }, id));
    await jobs.work<{ id: string }>(SEND_QUEUE, { concurrency: 2 }, ({ id }) => sendReply({ db, secrets, http }, id));
    timer = setInterval(() => void sweep().catch((err) => log('social sweep failed', err)), config.sweepSeconds * 1000);
    timer.unref();
    void sweep(new Date()).catch((err) => log('social sweep failed', err));
  }
  return {
    sweep,
    async close() {
      if (timer) clearInterval(timer);
      await http.close();
    },
  };
}
