import type { Config } from '../../platform/config.js';
import type { Database } from '../../platform/db/index.js';
import type { Jobs } from '../../platform/jobs.js';
import { rankKeyAccounts } from './use-cases/ranking.js';
import { monthIn } from './domain/months.js';

export const RANKING_QUEUE = 'key-accounts.rank';

/**
 * The monthly ranking: a pg-boss cron at midnight on the 1st in the company's time zone, so it
 * runs once whatever the number of workers. The job works out the month when it runs, and the
 * ranking replaces a month's result, so a retried or duplicated job changes nothing.
 */
export async function startKeyAccountsRuntime(deps: { database: Database; config: Config; jobs: Jobs }) {
  const { database, config, jobs } = deps;
  await jobs.define(RANKING_QUEUE, { retryLimit: 5, retryDelaySeconds: 60, expireSeconds: 900 });
  if (!config.roles.includes('worker')) return;
  await jobs.schedule?.(RANKING_QUEUE, '0 0 1 * *', { tz: config.timeZone });
  await jobs.work<{ month?: string }>(RANKING_QUEUE, { concurrency: 1 }, async (data) => {
    const month = data.month ?? monthIn(new Date(), config.timeZone);
    await rankKeyAccounts({ db: database.db, config, actor: null, lang: 'en', now: () => new Date() }, month);
  });
}
