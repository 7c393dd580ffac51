import type { Config } from '../../../platform/config.js';
import type { Database } from '../../../platform/db/index.js';
import type { Jobs } from '../../../platform/jobs.js';
import { registerMailComposer } from '../../channels/email/index.js';
import { MAIL_PURPOSE, produceDue, reportMailComposer } from './archive.js';
import { CRON, REPORT_KINDS, type ReportKind } from './periods.js';
import { closePdfBrowser } from './pdf.js';

export const queueOf = (kind: ReportKind) => `reports.scheduled.${kind}`;

/**
 * The schedule: one pg-boss cron per report kind in the company's time zone (CRON in periods.ts),
 * so one job fires per due time however many workers run. The job produces every period that is
 * due and not archived, which is also how downtime is caught up: each worker enqueues one
 * (singleton) job per kind when it starts. The unique (kind, period) key keeps it to one report
 * even when two jobs race.
 */
export async function startScheduledReports(deps: { database: Database; config: Config; jobs: Jobs; log: (msg: string, err?: unknown) => void; now?: () => Date }) {
  const { database, config, jobs, log } = deps;
  const now = deps.now ?? (() => new Date());
  registerMailComposer(MAIL_PURPOSE, reportMailComposer(config));
  for (const kind of REPORT_KINDS) await jobs.define(queueOf(kind), { retryLimit: 5, retryDelaySeconds: 60, expireSeconds: 900 });
  if (!config.roles.includes('worker')) return { close: closePdfBrowser };
  for (const kind of REPORT_KINDS) {
    await jobs.schedule?.(queueOf(kind), CRON[kind], { tz: config.timeZone });
    await jobs.work<object>(queueOf(kind), { concurrency: 1 }, async () => {
      const produced = await produceDue({ db: database.db, config, jobs, now }, kind);
      if (produced.length) log(`scheduled report ${kind}: produced ${produced.join(', ')}`);
    });
    // Catch up whatever came due while no worker ran.
    await jobs.send(queueOf(kind), {}, { singletonKey: `catch-up:${kind}` }).catch((err) => log('scheduled report catch-up not queued', err));
  }
  return { close: closePdfBrowser };
}
