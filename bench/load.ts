/** A small closed-loop load generator on undici's keep-alive Pool. */
import { Pool } from 'undici';

export interface Req {
  method?: 'GET' | 'POST';
  path: string;
  body?: unknown;
  token: string;
  /** Status that counts as success (200 unless told). */
  expect?: number;
  /** Label for a per-kind breakdown (e.g. search term kind). */
  kind?: string;
}

export interface Sample {
  ms: number;
  ok: boolean;
  status: number;
  kind?: string;
}

export interface LoadResult {
  samples: Sample[];
  wallMs: number;
  ok: number;
  errors: number;
  statuses: Record<string, number>;
  firstError?: string;
  /** CPU the server spent during the measured part, when a probe was given. */
  cpuMs: number | null;
}

export function makePool(origin: string, connections: number) {
  return new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 60_000, keepAliveMaxTimeout: 600_000 });
}

export async function send(pool: Pool, r: Req): Promise<{ status: number; text: string; ms: number }> {
  const headers: Record<string, string> = { authorization: `Bearer ${r.token}`, accept: 'application/json' };
  let body: string | undefined;
  if (r.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(r.body);
  }
  const t0 = performance.now();
  const res = await pool.request({ path: r.path, method: r.method ?? 'GET', headers, body });
  const text = await res.body.text();
  return { status: res.statusCode, text, ms: performance.now() - t0 };
}

export async function sendJson<T = any>(pool: Pool, r: Req): Promise<T> {
  const res = await send(pool, r);
  const expect = r.expect ?? 200;
  if (res.status !== expect) throw new Error(`${r.method ?? 'GET'} ${r.path} answered ${res.status} (expected ${expect}): ${res.text.slice(0, 500)}`);
  return JSON.parse(res.text) as T;
}

/**
 * Runs `make(k)` requests with `concurrency` workers until `count` are done or `durationMs` has passed
 * (whichever comes first), after `warmup` unrecorded ones.
 */
export async function runLoad(
  pool: Pool,
  opts: { concurrency: number; count: number; durationMs?: number; warmup?: number },
  make: (k: number) => Req,
  cpuProbe?: () => number | null,
): Promise<LoadResult> {
  let next = 0;
  const worker = async (until: number, limit: number, out: Sample[] | null, res: LoadResult | null) => {
    while (next < limit && performance.now() < until) {
      const k = next++;
      const r = make(k);
      const expect = r.expect ?? 200;
      let status = 0;
      let ms = 0;
      let text = '';
      try {
        const a = await send(pool, r);
        status = a.status;
        ms = a.ms;
        text = a.text;
      } catch (err) {
        text = String(err);
      }
      const ok = status === expect;
      if (out && res) {
        out.push({ ms, ok, status, kind: r.kind });
        res.statuses[String(status)] = (res.statuses[String(status)] ?? 0) + 1;
        if (ok) res.ok++;
        else {
          res.errors++;
          res.firstError ??= `${r.method ?? 'GET'} ${r.path} -> ${status}: ${text.slice(0, 300)}`;
        }
      }
    }
  };
  const warm = opts.warmup ?? 0;
  if (warm > 0) {
    await Promise.all(Array.from({ length: opts.concurrency }, () => worker(Infinity, warm, null, null)));
  }
  const result: LoadResult = { samples: [], wallMs: 0, ok: 0, errors: 0, statuses: {}, cpuMs: null };
  const cpu0 = cpuProbe?.() ?? null;
  const start = performance.now();
  const until = opts.durationMs ? start + opts.durationMs : Infinity;
  const limit = next + opts.count;
  await Promise.all(Array.from({ length: opts.concurrency }, () => worker(until, limit, result.samples, result)));
  result.wallMs = performance.now() - start;
  const cpu1 = cpuProbe?.() ?? null;
  if (cpu0 !== null && cpu1 !== null) result.cpuMs = cpu1 - cpu0;
  return result;
}

export function percentile(sorted: number[], p: number) {
  if (!sorted.length) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}

export function latencyStats(samples: Sample[]) {
  const ms = samples.filter((s) => s.ok).map((s) => s.ms).sort((a, b) => a - b);
  return { n: ms.length, p50: percentile(ms, 50), p95: percentile(ms, 95), p99: percentile(ms, 99), max: ms[ms.length - 1] ?? NaN };
}
