/**
 * `npm run cli -w server -- <command>`: operator commands on the configured database.
 *   import-revenue <file.csv> [--create-unknown] [--as <admin email>]
 *   rank-key-accounts [--month YYYY-MM] [--top N]
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { and, asc, eq, sql } from 'drizzle-orm';
import cliProgress from 'cli-progress';
import { loadConfig, ConfigError } from '../platform/config.js';
import { openDatabase, type Database } from '../platform/db/index.js';
import type { Actor, AuthedCtx, UserRole } from '../platform/context.js';
import type { Lang } from '../platform/i18n.js';
import { users } from '../modules/people/db/schema.js';
import { importRevenue, monthIn, rankKeyAccounts } from '../modules/customers/index.js';
import { AppError } from '../platform/errors.js';
import { bootstrap } from '../modules/demo/bootstrap.js';

const USAGE = `Usage:
  npm run cli -w server -- import-revenue <file.csv> [--create-unknown] [--as <admin or manager email>]
  npm run cli -w server -- rank-key-accounts [--month YYYY-MM] [--top N]`;

async function actorFor(database: Database, email: string | undefined): Promise<Actor> {
  const [u] = await database.db
    .select({ id: users.id, name: users.name, email: users.email, language: users.language, roles: users.roles })
    .from(users)
    .where(and(eq(users.active, true), email ? eq(users.email, email.toLowerCase()) : sql`'admin' = any(${users.roles})`))
    .orderBy(asc(users.createdAt))
    .limit(1);
  if (!u) throw new Error(email ? `No active user ${email}` : 'No active admin: pass --as <email>');
  return { type: 'user', id: u.id, name: u.name, email: u.email, language: u.language as Lang, roles: u.roles as UserRole[], groupIds: [] };
}

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { 'create-unknown': { type: 'boolean' }, as: { type: 'string' }, month: { type: 'string' }, top: { type: 'string' } },
  });
  const [command, file] = positionals;
  if (!command || (command === 'import-revenue' && !file)) {
    console.error(USAGE);
    process.exit(2);
  }
  const config = loadConfig();
  const database = await openDatabase(config);
  try {
    // A fresh database gets what `npm start` would give it, so the commands work on a new install.
    await database.exclusive(() => bootstrap(database.db, config, () => {}));
    const ctx = (actor: Actor | null) => ({ db: database.db, config, actor, lang: 'en' as Lang, now: () => new Date() });
    if (command === 'import-revenue') {
      const data = await fs.readFile(file!);
      const bar = new cliProgress.SingleBar({ format: 'Importing {bar} {percentage}% | {value}/{total} rows', hideCursor: true }, cliProgress.Presets.shades_classic);
      let started = false;
      const report = await importRevenue(ctx(await actorFor(database, values.as)) as AuthedCtx, data, {
        filename: path.basename(file!),
        createUnknown: Boolean(values['create-unknown']),
        onProgress: (done, total) => {
          if (!started) {
            bar.start(total, 0);
            started = true;
          }
          bar.update(done);
        },
      });
      if (started) bar.stop();
      console.log(`Months: ${report.months.join(', ') || '-'}`);
      console.log(`Imported ${report.imported} of ${report.rows} rows; rejected ${report.rejected}; new accounts ${report.createdAccounts}.`);
      for (const r of report.rejections.slice(0, 200)) console.log(`  row ${r.row}: ${r.reason}`);
      if (report.rejections.length > 200) console.log(`  … and ${report.rejections.length - 200} more`);
      process.exitCode = report.rejected ? 1 : 0;
    } else if (command === 'rank-key-accounts') {
      if (values.month && !/^\d{4}-(0[1-9]|1[0-2])$/.test(values.month)) throw new Error('--month must be YYYY-MM');
      const month = values.month ? `${values.month}-01` : monthIn(new Date(), config.timeZone);
      const topN = values.top ? Number(values.top) : undefined;
      if (topN !== undefined && !(Number.isInteger(topN) && topN > 0)) throw new Error('--top must be a positive whole number');
      const r = await rankKeyAccounts(ctx(null), month, { topN });
      console.log(`Key accounts for ${r.month} (revenue of ${r.revenueMonth}, top ${r.topN}, in ${r.baseCurrency}): ${r.members.length}; entered ${r.entered.length}, left ${r.left.length}.`);
    } else {
      console.error(USAGE);
      process.exitCode = 2;
    }
  } finally {
    await database.close();
  }
}

main().catch((err) => {
  if (err instanceof ConfigError) console.error(err.message);
  else if (err instanceof AppError) console.error(`${err.code}: ${JSON.stringify(err.details)}`);
  else console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
