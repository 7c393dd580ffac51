import type { Config } from '../platform/config.js';
import type { Database } from '../platform/db/index.js';
import { startJobs, type Jobs } from '../platform/jobs.js';
import { loadSecrets, type Secrets } from '../platform/secrets.js';
import { buildApp, type App } from '../app.js';
import { startEmailRuntime, type EmailRuntime } from '../modules/channels/email/index.js';
import { startSocialRuntime, type SocialRuntime } from '../modules/channels/social/index.js';
import { startSlaRuntime, type SlaRuntime } from '../modules/sla/index.js';
import { startKeyAccountsRuntime } from '../modules/customers/index.js';
import { startAttachmentScanRuntime, type AttachmentScanRuntime } from '../modules/tickets/runtime.js';
import { startRealtime, type Realtime } from '../platform/realtime.js';
import { startScheduledReports } from '../modules/reports/scheduled/runtime.js';

export interface CareDesk {
  app: App;
  jobs: Jobs;
  secrets: Secrets;
  email: EmailRuntime;
  social: SocialRuntime;
  sla: SlaRuntime;
  attachmentScan: AttachmentScanRuntime;
  realtime: Realtime;
  /** Stops taking work, then lets running work finish; the database stays open (its owner closes it). */
  close(): Promise<void>;
}

/**
 * Everything a CareDesk process runs on an open database, by role: the HTTP app (always built,
 * listened on by `web`), background jobs (`worker`) and the SMTP receiver (`smtp`).
 */
export async function startCareDesk(config: Config, database: Database, log: (msg: string, err?: unknown) => void): Promise<CareDesk> {
  const secrets = await loadSecrets(database.db, config.secretKey);
  const jobs = await startJobs(database, log);
  const realtime = await startRealtime(database, log);
  const app = await buildApp(config, database, { jobs, secrets, realtime });
  const email = await startEmailRuntime({ database, config, jobs, secrets, log });
  const social = await startSocialRuntime({ database, config, jobs, secrets, log });
  const sla = await startSlaRuntime({ database, config, jobs, secrets, log });
  await startKeyAccountsRuntime({ database, config, jobs });
  const attachmentScan = await startAttachmentScanRuntime({ database, config, log });
  const scheduledReports = await startScheduledReports({ database, config, jobs, log });
  return {
    app,
    jobs,
    secrets,
    email,
    social,
    sla,
    attachmentScan,
    realtime,
    async close() {
      await attachmentScan.close();
      await scheduledReports.close();
      await sla.close();
      await social.close();
      await email.close();
      await app.close();
      await realtime.close();
      await jobs.stop();
    },
  };
}
