import type { Config } from '../../platform/config.js';
import type { Database } from '../../platform/db/index.js';
import { clamdScanner, scanPendingAttachments, type MalwareScanner } from './use-cases/malware-scan.js';

export interface AttachmentScanRuntime {
  /** Scans what is pending now; resolves with how many files were scanned (0 with no scanner). */
  scanNow(): Promise<number>;
  close(): Promise<void>;
}

const SCAN_INTERVAL_MS = 5_000;

/**
 * On `worker` processes with a ClamAV daemon configured, every attachment stored by any channel
 * (email, portal, chat, agents) is scanned shortly after it arrives. The scan never holds up
 * intake: a file is stored first and flagged when the verdict comes; while clamd is down files
 * stay pending and are scanned when it is back.
 */
export async function startAttachmentScanRuntime(deps: {
  database: Database;
  config: Config;
  log: (msg: string, err?: unknown) => void;
  scanner?: MalwareScanner | null;
}): Promise<AttachmentScanRuntime> {
  const { database, config, log } = deps;
  const scanner = deps.scanner !== undefined ? deps.scanner : await clamdScanner(config.clamd);
  let running: Promise<number> | null = null;
  const scanNow = (): Promise<number> => {
    if (!scanner) return Promise.resolve(0);
    // One round at a time per process; a caller arriving mid-round waits for it.
    running ??= (async () => {
      let total = 0;
      try {
        for (;;) {
          const round = await scanPendingAttachments(database.db, scanner);
          total += round.scanned;
          if (!round.more) break;
        }
      } finally {
        running = null;
      }
      return total;
    })();
    return running;
  };
  let timer: NodeJS.Timeout | null = null;
  if (scanner && config.roles.includes('worker')) {
    timer = setInterval(() => void scanNow().catch((err) => log('attachment scan failed (files stay pending)', err)), SCAN_INTERVAL_MS);
    timer.unref();
  }
  return {
    scanNow,
    async close() {
      if (timer) clearInterval(timer);
      await running?.catch(() => 0);
    },
  };
}
