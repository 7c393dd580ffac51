/**
 * A private ClamAV daemon for a test: its own signature database (the EICAR test signature, the
 * same rule ClamAV's official database carries, so no download is needed), config, log and Unix
 * socket in a temp folder. `stop()` and `start()` play an outage; the socket path stays the same.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** The industry's standard anti-malware test file: harmless, and detected by every scanner. */
export const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';

const CANDIDATES = ['/usr/sbin/clamd', '/usr/local/sbin/clamd', '/usr/bin/clamd'];

/** The clamd binary, or null when ClamAV is not installed (tests then skip with a message). */
export function findClamd(): string | null {
  for (const c of CANDIDATES) if (existsSync(c)) return c;
  const which = spawnSync('which', ['clamd'], { encoding: 'utf8' });
  return which.status === 0 ? which.stdout.trim() || null : null;
}

export interface Clamd {
  /** What CAREDESK_CLAMD is set to. */
  socket: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops the daemon and removes its folder. */
  close(): Promise<void>;
}

/** Prepares the folder and the socket path now (so the app's config can name it), starts nothing. */
export function prepareClamd(): Clamd {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'caredesk-clamd-'));
  const socket = path.join(dir, 'clamd.sock');
  let child: ChildProcess | null = null;
  let exitReason: string | null = null;

  const answersPing = () =>
    new Promise<boolean>((resolve) => {
      const s = net.connect(socket);
      s.setTimeout(1000);
      s.once('connect', () => s.write('zPING\0'));
      s.once('data', (d) => {
        s.destroy();
        resolve(d.toString().startsWith('PONG'));
      });
      s.once('error', () => resolve(false));
      s.once('timeout', () => {
        s.destroy();
        resolve(false);
      });
    });

  return {
    socket,
    async start() {
      const binary = findClamd();
      if (!binary) throw new Error('clamd is not installed (apt-get install -y clamav-daemon)');
      await fs.mkdir(path.join(dir, 'db'), { recursive: true });
      const md5 = createHash('md5').update(EICAR).digest('hex');
      await fs.writeFile(path.join(dir, 'db', 'eicar.hdb'), `${md5}:${EICAR.length}:Win.Test.EICAR_HDB-1\n`);
      await fs.writeFile(
        path.join(dir, 'clamd.conf'),
        [`DatabaseDirectory ${dir}/db`, `LocalSocket ${socket}`, 'Foreground yes', `LogFile ${dir}/clamd.log`, `PidFile ${dir}/clamd.pid`, `TemporaryDirectory ${dir}`, ''].join('\n'),
      );
      exitReason = null;
      child = spawn(binary, ['-c', path.join(dir, 'clamd.conf')], { stdio: 'ignore' });
      child.once('exit', (code) => (exitReason = `clamd exited with ${code}; see ${dir}/clamd.log`));
      const deadline = Date.now() + 30_000;
      while (!(await answersPing())) {
        if (exitReason) throw new Error(exitReason);
        if (Date.now() > deadline) throw new Error(`clamd did not answer on ${socket}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      const c = child;
      child = null;
      if (!c || c.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        c.once('exit', () => resolve());
        c.kill('SIGTERM');
      });
      await fs.rm(socket, { force: true });
    },
    async close() {
      await this.stop();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
