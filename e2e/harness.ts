// Shared set-up for the browser tests: one CareDesk server on a fresh data
// directory with the demo workspace, and one headless Chromium.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SHOTS = join(ROOT, 'test-results', 'e2e');
export const DEMO_PASSWORD = 'caredesk-demo';
export const USERS = {
  admin: 'admin@demo.caredesk.test',
  manager: 'manager@demo.caredesk.test',
  sara: 'sara@demo.caredesk.test',
  omar: 'omar@demo.caredesk.test',
} as const;

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

interface Env {
  baseUrl: string;
  browser: Browser;
  /** Port of CareDesk's SMTP receiver on 127.0.0.1 (E2E_SMTP_PORT with E2E_BASE_URL). */
  smtpPort: number;
}

let server: ChildProcess | null = null;
let dataDir: string | null = null;
let browser: Browser | null = null;
let envPromise: Promise<Env> | null = null;
let serverLog = '';

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => res(port));
    });
  });
}

async function waitReady(baseUrl: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server?.exitCode !== null && server?.exitCode !== undefined)
      throw new Error(`server exited with ${server.exitCode}\n${serverLog.slice(-4000)}`);
    try {
      const r = await fetch(`${baseUrl}/ready`);
      if (r.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server not ready after ${timeoutMs} ms\n${serverLog.slice(-4000)}`);
}

async function start(): Promise<Env> {
  if (!existsSync(join(ROOT, 'web', 'dist', 'index.html')))
    throw new Error('web/dist is missing: run `npm run build -w web` first (npm run test:e2e does)');
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get update && apt-get install -y chromium`);
  await mkdir(SHOTS, { recursive: true });

  let baseUrl = process.env.E2E_BASE_URL;
  let smtpPort = Number(process.env.E2E_SMTP_PORT ?? 0);
  if (!baseUrl) {
    const port = await freePort();
    smtpPort = await freePort();
    dataDir = await mkdtemp(join(tmpdir(), 'caredesk-e2e-'));
    baseUrl = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, ['--import', 'tsx', 'server/src/main/start.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        CAREDESK_DATA_DIR: join(dataDir, 'data'),
        CAREDESK_DEMO: 'true',
        CAREDESK_SMTP_PORT: String(smtpPort),
        CAREDESK_SMTP_HOST: '127.0.0.1',
        CAREDESK_SECRET_KEY: 'e2e-secret-key-0123456789-abcdefghijklmnop',
        // Lets sla.e2e.ts move the SLA clock forward (PUT /api/v1/test/sla-clock); never set in production.
        CAREDESK_TEST_CLOCK: 'true',
        // Every browser test signs in from 127.0.0.1, often several people within a minute; the
        // per-address limit itself is tested in auth.routes.test.ts.
        CAREDESK_LOGIN_RATE_LIMIT: '1000',
        NODE_ENV: 'test',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: false,
    });
    const keep = (b: Buffer) => {
      serverLog = (serverLog + b.toString()).slice(-200_000);
      if (process.env.E2E_SERVER_LOG) process.stderr.write(b);
    };
    server.stdout?.on('data', keep);
    server.stderr?.on('data', keep);
    await waitReady(baseUrl, 120_000);
  }

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return { baseUrl, browser, smtpPort };
}

/** The running server and browser, started on first use. */
export function env(): Promise<Env> {
  envPromise ??= start();
  return envPromise;
}

export async function teardown(): Promise<void> {
  await browser?.close().catch(() => {});
  browser = null;
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server!.once('exit', r));
    server.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (server.exitCode === null) server.kill('SIGKILL');
  }
  server = null;
  if (dataDir) await rm(dataDir, { recursive: true, force: true }).catch(() => {});
  dataDir = null;
}

process.on('exit', () => {
  if (server && server.exitCode === null) server.kill('SIGKILL');
});

export function serverOutput(): string {
  return serverLog;
}

export interface Session {
  context: BrowserContext;
  page: Page;
  errors: string[];
}

/** A fresh browser context (own cookies and storage) with one page. */
export async function newSession(viewport = { width: 1280, height: 900 }): Promise<Session> {
  const { baseUrl, browser } = await env();
  const context = await browser.newContext({ baseURL: baseUrl, viewport, locale: 'en-GB' });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return { context, page, errors };
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('networkidle').catch(() => {});
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** Signs in through the form and waits for the queue page. */
export async function signIn(page: Page, email: string, opts: { submitLabel?: RegExp } = {}): Promise<void> {
  if (!page.url().includes('/sign-in')) await page.goto('/sign-in');
  await page.getByLabel(/^(Email|البريد الإلكتروني)/).fill(email);
  await page.getByLabel(/^(Password|كلمة المرور)/).first().fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: opts.submitLabel ?? /^(Sign in|تسجيل الدخول)$/ }).click();
  await page.waitForURL(/\/queues\//);
}

/** Picks `option` in the Mantine Select labelled `label`. */
export async function choose(page: Page, label: string | RegExp, option: string | RegExp): Promise<void> {
  await page.getByRole('combobox', { name: label, exact: typeof label === 'string' }).click();
  await page.getByRole('option', { name: option }).first().click();
}

/** A signed-in API client (Bearer token) for set-up and checks. */
export async function apiAs(email: string) {
  const { baseUrl } = await env();
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  assert.equal(res.status, 200, `login ${email}`);
  const { token } = (await res.json()) as { token: string };
  return async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> => {
    const r = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await r.text();
    return { status: r.status, json: (text ? JSON.parse(text) : null) as T };
  };
}
