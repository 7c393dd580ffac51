/** Runs the CareDesk server as a child process, the way an operator would, and watches it. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export interface ServerHandle {
  child: ChildProcess;
  pid: number;
  port: number;
  origin: string;
  /** The last lines the server wrote, for error reports. */
  tail(): string;
  /** Lines at warn level or above seen so far (pino JSON level >= 40, or stderr text). */
  warnings(): string[];
  stop(): Promise<void>;
}

export async function startServer(env: Record<string, string>, opts: { readyTimeoutMs?: number } = {}): Promise<ServerHandle> {
  const port = await freePort();
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' };
  if (!env.DATABASE_URL) {
    delete childEnv.DATABASE_URL;
    delete childEnv.CAREDESK_DB_SCHEMA;
  }
  // Spawning node itself (not npx/npm) makes child.pid the server process whose RSS we read.
  // BENCH_CPU_PROF=<dir> writes a V8 CPU profile of the server (open it in Chrome's DevTools).
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  // BENCH_NODE_FLAGS="--flag …" tries V8/Node options on the server alone (some are refused in NODE_OPTIONS).
  const flags = (process.env.BENCH_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
  const child = spawn(process.execPath, [...profile, ...flags, '--import', 'tsx', 'server/src/main/start.ts'], {
    cwd: repoRoot,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const warns: string[] = [];
  const collect = (stream: 'out' | 'err') => (buf: Buffer) => {
    for (const line of buf.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      lines.push(line);
      if (lines.length > 200) lines.shift();
      let level = 0;
      try {
        level = (JSON.parse(line) as { level?: number }).level ?? 0;
      } catch {
        level = stream === 'err' ? 50 : 0;
      }
      if (level >= 40 && warns.length < 1000) warns.push(line);
    }
  };
  child.stdout!.on('data', collect('out'));
  child.stderr!.on('data', collect('err'));
  type Exit = { code: number | null; signal: string | null };
  let exited = null as Exit | null;
  const exitPromise = new Promise<void>((resolve) =>
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    }),
  );

  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 180_000);
  for (;;) {
    const gone = exited as Exit | null;
    if (gone) {
      throw new Error(`the server exited before it was ready (code ${gone.code}, signal ${gone.signal}):\n${lines.slice(-40).join('\n')}`);
    }
    try {
      const res = await fetch(`${origin}/ready`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server was not ready within ${(opts.readyTimeoutMs ?? 180_000) / 1000} s:\n${lines.slice(-40).join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  return {
    child,
    pid: child.pid!,
    port,
    origin,
    tail: () => lines.slice(-40).join('\n'),
    warnings: () => warns.slice(),
    stop: async () => {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        if (!exited) child.kill('SIGKILL');
      }, 20_000);
      await exitPromise;
      clearTimeout(timer);
    },
  };
}

/** Resident and peak memory of a process from /proc (Linux), in MB. */
export function processMemoryMb(pid: number): { rss: number; peak: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/** CPU time (user + system) a process has used so far, in milliseconds; null without /proc. */
export function processCpuMs(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(rest[11]);
    const stime = Number(rest[12]);
    return ((utime + stime) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

/**
 * CPU used so far by every local PostgreSQL process, by pid (Linux /proc; empty elsewhere). Two
 * readings bracket a measurement: backends that live through it are counted exactly.
 */
export function postgresCpuMs(): Map<number, number> {
  const out = new Map<number, number>();
  let pids: string[] = [];
  try {
    pids = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return out;
  }
  for (const p of pids) {
    try {
      const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) !== 'postgres') continue;
      const ms = processCpuMs(Number(p));
      if (ms !== null) out.set(Number(p), ms);
    } catch {
      // the process ended between listing and reading
    }
  }
  return out;
}

export function cpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}

/** Busy and total CPU time of the whole machine so far (Linux /proc/stat), for a utilisation figure. */
export function machineCpuMs(): { busy: number; total: number } | null {
  try {
    const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = (f[3] ?? 0) + (f[4] ?? 0);
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: ((total - idle) * 1000) / 100, total: (total * 1000) / 100 };
  } catch {
    return null;
  }
}

/** Drops a bench's PostgreSQL schema and its job schema; a failure is reported, not thrown. */
export async function dropBenchSchema(databaseUrl: string, schema: string): Promise<void> {
  const { default: pg } = await import('pg');
  const c = new pg.Client({ connectionString: databaseUrl });
  try {
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.query(`DROP SCHEMA IF EXISTS ${schema}_jobs CASCADE`);
  } catch (err) {
    console.error(`could not drop schema ${schema}: ${String(err)}`);
  } finally {
    await c.end().catch(() => undefined);
  }
}
