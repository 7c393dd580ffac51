import { and, eq, isNotNull } from 'drizzle-orm';
import type { Config } from '../../../platform/config.js';
import type { Database } from '../../../platform/db/index.js';
import type { Jobs } from '../../../platform/jobs.js';
import type { Secrets } from '../../../platform/secrets.js';
import { mailboxes } from './db/schema.js';
import { INGEST_QUEUE, enqueueIngest, strandedInbound } from './use-cases/intake.js';
import { processInboundBatch } from './use-cases/ingest.js';
import { MAX_SEND_ATTEMPTS, SEND_QUEUE, enqueueSend, sendOutbound, strandedOutbound } from './use-cases/outbound.js';
import { pollMailbox } from './imap-poller.js';
import { startSmtpReceiver, type SmtpReceiver } from './smtp-receiver.js';

export const IMAP_QUEUE = 'email.imap-poll';

export interface EmailRuntime {
  smtpPort: number | null;
  /** Re-enqueues work stored before `olderThan` that is still waiting (default: one sweep interval ago). */
  sweep(olderThan?: Date): Promise<void>;
  close(): Promise<void>;
}

export async function startEmailRuntime(deps: {
  database: Database;
  config: Config;
  jobs: Jobs;
  secrets: Secrets;
  log: (msg: string, err?: unknown) => void;
}): Promise<EmailRuntime> {
  const { database, config, jobs, secrets, log } = deps;
  const db = database.db;
  const now = () => new Date();
  await jobs.define(INGEST_QUEUE, { retryLimit: 8, retryDelaySeconds: 5, expireSeconds: 120 });
  await jobs.define(SEND_QUEUE, { retryLimit: MAX_SEND_ATTEMPTS, retryDelaySeconds: 30, expireSeconds: 300 });
  await jobs.define(IMAP_QUEUE, { retryLimit: 2, retryDelaySeconds: 10, expireSeconds: 600 });

  const stops: (() => Promise<void>)[] = [];
  let smtp: SmtpReceiver | null = null;

  const sweep = async (olderThan?: Date) => {
    // Work whose job was lost (a crash between storing and enqueueing) is found by its state.
    const before = olderThan ?? new Date(Date.now() - config.sweepSeconds * 1000);
    await enqueueIngest(jobs, await strandedInbound(db, before));
    await enqueueSend(jobs, await strandedOutbound(db, before));
  };
  const pollAll = async () => {
    const rows = await db
      .select({ id: mailboxes.id })
      .from(mailboxes)
      .where(and(eq(mailboxes.active, true), isNotNull(mailboxes.imapHost), isNotNull(mailboxes.imapPasswordEnc)));
    for (const r of rows) await jobs.send(IMAP_QUEUE, { id: r.id }, { singletonKey: r.id });
  };

  if (config.roles.includes('worker')) {
    // Messages that arrive together are written together (see processInboundBatch).
    await jobs.workBatch<{ id: string }>(INGEST_QUEUE, { concurrency: Number(process.env.ZZ_C ?? 4), batchSize: Number(process.env.ZZ_B ?? 8) }, (batch) =>
      processInboundBatch({ db, config, secrets, jobs, now, log }, batch.map((b) => b.id)),
    );
    await jobs.work<{ id: string }>(SEND_QUEUE, { concurrency: 2 }, ({ id }) => sendOutbound({ db, secrets, now }, id));
    await jobs.work<{ id: string }>(IMAP_QUEUE, { concurrency: 1 }, async ({ id }) => {
      await pollMailbox({ db, secrets, jobs, now, log }, id);
    });
    const timers = [
      setInterval(() => void sweep().catch((err) => log('email sweep failed', err)), config.sweepSeconds * 1000),
      setInterval(() => void pollAll().catch((err) => log('imap scheduling failed', err)), config.imapPollSeconds * 1000),
    ];
    timers.forEach((t) => t.unref());
    stops.push(async () => timers.forEach((t) => clearInterval(t)));
    // Whatever was stored before this worker started has no live job to wait for.
    void sweep(new Date()).catch((err) => log('email sweep failed', err));
    void pollAll().catch((err) => log('imap scheduling failed', err));
  }
  if (config.roles.includes('smtp')) {
    smtp = await startSmtpReceiver({ db, jobs, host: config.smtpHost, port: config.smtpPort, maxBytes: config.emailMaxBytes, log });
    stops.push(() => smtp!.close());
  }
  return {
    smtpPort: smtp?.port ?? null,
    sweep,
    async close() {
      for (const s of stops.reverse()) await s();
    },
  };
}
