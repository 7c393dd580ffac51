import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import * as schema from './schema.js';
import type { Config } from '../config.js';

// drizzle's driver-agnostic type makes db.execute() return unknown; this gives it rows.
type WithRows<R> = { rows: R[] };
export interface RowsHKT extends PgQueryResultHKT {
  type: WithRows<this['row']>;
}
export type Schema = typeof schema;
export type Db = PgDatabase<RowsHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export interface Database {
  db: Db;
  driver: 'pglite' | 'pg';
  /** Runs a query outside drizzle; used for health checks and LISTEN-free raw statements. */
  ping(): Promise<void>;
  /**
   * Runs `fn` while holding a database-wide lock, so that several processes starting together
   * migrate and seed one at a time.
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** The driver underneath, for libraries that bring their own SQL (the job queue). */
  native:
    | { kind: 'pglite'; client: import('@electric-sql/pglite').PGlite }
    | { kind: 'pg'; pool: import('pg').Pool; Client: typeof import('pg').Client; connectionString: string; schema: string | null };
}

const STARTUP_LOCK = 7_267_330_001; // any constant shared by every CareDesk process

export const migrationsFolder = fileURLToPath(new URL('../../../migrations', import.meta.url));

export async function openDatabase(config: Pick<Config, 'databaseUrl' | 'databaseSchema' | 'dataDir'>): Promise<Database> {
  const migrationsSchema = config.databaseSchema ?? 'drizzle';
  if (config.databaseUrl) {
    const { default: pg } = await import('pg');
    const { drizzle } = await import('drizzle-orm/node-postgres');
    const { migrate } = await import('drizzle-orm/node-postgres/migrator');
    const options = config.databaseSchema ? `-c search_path=${config.databaseSchema},public` : undefined;
    if (config.databaseSchema) {
      const admin = new pg.Client({ connectionString: config.databaseUrl });
      await admin.connect();
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${config.databaseSchema}`);
      await admin.end();
    }
    const { StatementNames, preparingClient } = await import('./prepared.js');
    const Client = preparingClient(pg.Client, new StatementNames());
    const pool = new pg.Pool({ connectionString: config.databaseUrl, options, max: 10, Client });
    const db = drizzle(pool, { schema }) as unknown as Db;
    const exclusive = async <T>(fn: () => Promise<T>): Promise<T> => {
      const lock = new pg.Client({ connectionString: config.databaseUrl! });
      await lock.connect();
      try {
        await lock.query('select pg_advisory_lock($1)', [STARTUP_LOCK]);
        return await fn();
      } finally {
        await lock.end(); // ending the session releases the lock
      }
    };
    await exclusive(() => migrate(db as never, { migrationsFolder, migrationsSchema }));
    return {
      db,
      driver: 'pg',
      ping: async () => void (await pool.query('select 1')),
      exclusive,
      close: () => pool.end(),
      native: { kind: 'pg', pool, Client, connectionString: config.databaseUrl, schema: config.databaseSchema },
    };
  }

  const { PGlite } = await import('@electric-sql/pglite');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  let dataDir = config.dataDir;
  if (!dataDir.startsWith('memory://')) {
    // PGlite needs the parent folder to exist already.
    await fs.mkdir(path.dirname(dataDir), { recursive: true });
    dataDir = path.resolve(dataDir);
  }
  const client = await PGlite.create(dataDir, { extensions: { pg_trgm } });
  const db = drizzle(client, { schema }) as unknown as Db;
  await migrate(db as never, { migrationsFolder, migrationsSchema });
  return {
    db,
    driver: 'pglite',
    ping: async () => void (await client.query('select 1')),
    // PGlite belongs to this one process; there is nobody to wait for.
    exclusive: (fn) => fn(),
    close: () => client.close(),
    native: { kind: 'pglite', client },
  };
}
