/**
 * A real CareDesk for a test file: the whole app on a fresh database (PGlite in a temp folder, or a
 * private schema on PostgreSQL when DATABASE_URL is set), seeded with the demo workspace, driven
 * through HTTP with `inject`.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { loadConfig, type Config } from '../platform/config.js';
import { openDatabase, type Database } from '../platform/db/index.js';
import type { App } from '../app.js';
import { startCareDesk, type CareDesk } from '../main/runtime.js';
import { bootstrap } from '../modules/demo/bootstrap.js';

export const DEMO_PASSWORD = 'caredesk-demo';

export interface TestApp {
  app: App;
  /** The running process: its jobs, secrets and email runtime (SMTP port, sweep). */
  caredesk: CareDesk;
  config: Config;
  database: Database;
  login(email: string, password?: string): Promise<string>;
  as(token: string): Client;
  /** Closes the app and database but keeps the data, to prove it survives a restart. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface Client {
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  delete(url: string): Promise<LightMyRequestResponse>;
  put(url: string, body?: unknown): Promise<LightMyRequestResponse>;
}

export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const pgUrl = process.env.DATABASE_URL;
  const dataDir = pgUrl ? '' : await fs.mkdtemp(path.join(os.tmpdir(), 'caredesk-test-'));
  const schema = pgUrl ? `t_${randomBytes(6).toString('hex')}` : '';
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    CAREDESK_DEMO: 'true',
    CAREDESK_LOGIN_RATE_LIMIT: '1000',
    CAREDESK_SMTP_PORT: '0',
    CAREDESK_SMTP_HOST: '127.0.0.1',
    CAREDESK_SECRET_KEY: 'test-secret-key-that-is-long-enough-0123456789',
    ...(pgUrl ? { DATABASE_URL: pgUrl, CAREDESK_DB_SCHEMA: schema } : { CAREDESK_DATA_DIR: dataDir }),
    ...env,
  });
  let database = await openDatabase(config);
  await database.exclusive(() => bootstrap(database.db, config, () => {}));
  const quiet = process.env.CAREDESK_TEST_DEBUG ? (msg: string, err?: unknown) => console.error(msg, err) : () => {};
  let caredesk = await startCareDesk(config, database, quiet);
  let app = caredesk.app;
  await app.ready();

  const t: TestApp = {
    get app() {
      return app;
    },
    get caredesk() {
      return caredesk;
    },
    config,
    get database() {
      return database;
    },
    async login(email, password = DEMO_PASSWORD) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
      if (res.statusCode !== 200) throw new Error(`login ${email}: ${res.statusCode} ${res.body}`);
      return res.json().token as string;
    },
    as(token) {
      const headers = { authorization: `Bearer ${token}` };
      return {
        get: (url) => app.inject({ method: 'GET', url, headers }),
        post: (url, body) => app.inject({ method: 'POST', url, headers, payload: body as object }),
        patch: (url, body, extra = {}) => app.inject({ method: 'PATCH', url, headers: { ...headers, ...extra }, payload: body as object }),
        delete: (url) => app.inject({ method: 'DELETE', url, headers }),
        put: (url, body) => app.inject({ method: 'PUT', url, headers, payload: body as object }),
      };
    },
    async restart() {
      await caredesk.close();
      await database.close();
      database = await openDatabase(config);
      await database.exclusive(() => bootstrap(database.db, config, () => {}));
      caredesk = await startCareDesk(config, database, quiet);
      app = caredesk.app;
      await app.ready();
    },
    async close() {
      await caredesk.close();
      if (pgUrl) {
        const { default: pg } = await import('pg');
        const c = new pg.Client({ connectionString: pgUrl });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await c.query(`DROP SCHEMA IF EXISTS ${schema}_jobs CASCADE`);
        await c.end();
      }
      await database.close();
      if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
  return t;
}

/** Ids of the demo workspace's named things, looked up through the API. */
export async function demoIds(c: Client) {
  const [cats, groups, users, reasons, contacts] = await Promise.all([
    c.get('/api/v1/categories').then((r) => r.json().items as { id: string; key: string }[]),
    c.get('/api/v1/groups').then((r) => r.json().items as { id: string; name: string }[]),
    c.get('/api/v1/users').then((r) => r.json().items as { id: string; email: string }[]),
    c.get('/api/v1/reason-codes').then((r) => r.json().items as { id: string; code: string }[]),
    c.get('/api/v1/contacts?limit=100').then((r) => r.json().items as { id: string; name: string; identities: { value: string }[] }[]),
  ]);
  const pick = <T>(list: T[], pred: (x: T) => boolean, what: string) => {
    const found = list.find(pred);
    if (!found) throw new Error(`demo has no ${what}`);
    return found;
  };
  return {
    category: (key: string) => pick(cats, (x) => x.key === key, `category ${key}`).id,
    group: (name: string) => pick(groups, (x) => x.name === name, `group ${name}`).id,
    user: (key: string) => pick(users, (x) => x.email === `${key}@demo.caredesk.test`, `user ${key}`).id,
    reason: (code: string) => pick(reasons, (x) => x.code === code, `reason ${code}`).id,
    contactByEmail: (email: string) => pick(contacts, (x) => x.identities.some((i) => i.value === email), `contact ${email}`).id,
  };
}

export const COMPLETE_SHIPMENT = {
  trackingNumber: 'SA900800700',
  shipperName: 'Al Fanar Trading',
  shipperPhone: '+966112345678',
  consigneeName: 'Jeddah Store',
  consigneePhone: '+966501112222',
};
