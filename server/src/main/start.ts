/** `npm start`: every role in one process, on PGlite unless DATABASE_URL is set. */
import { loadConfig, ConfigError } from '../platform/config.js';
import { openDatabase } from '../platform/db/index.js';
import { startCareDesk } from './runtime.js';
import { bootstrap } from '../modules/demo/bootstrap.js';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const t0 = Date.now();
  const database = await openDatabase(config);
  const where = database.driver === 'pg' ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${config.dataDir}`;
  const result = await database.exclusive(() => bootstrap(database.db, config, (m) => console.log(m)));
  const log = (msg: string, err?: unknown) => (err ? console.error(msg, err) : console.log(msg));
  const caredesk = await startCareDesk(config, database, log);
  const app = caredesk.app;

  if (config.roles.includes('web')) {
    await app.listen({ port: config.port, host: config.host });
  } else {
    await app.ready();
  }

  const lines = [
    '',
    `CareDesk is running on ${where} (ready in ${((Date.now() - t0) / 1000).toFixed(1)} s)`,
    config.roles.includes('web') ? `  Open ${config.publicUrl}` : `  Roles: ${config.roles.join(', ')}`,
    `  API docs: ${config.publicUrl}/api/docs`,
    ...(caredesk.email.smtpPort ? [`  Receiving email by SMTP on port ${caredesk.email.smtpPort}`] : []),
  ];
  if (caredesk.secrets.generated) {
    lines.push('  No CAREDESK_SECRET_KEY set: a generated key (kept in the database) protects stored mail passwords.');
  }
  if (result.signIns.length) {
    lines.push('  Demo sign-ins (password for all: ' + result.signIns[0]!.password + '):');
    for (const s of result.signIns) lines.push(`    ${s.email.padEnd(30)} ${s.role}`);
  }
  console.log(lines.join('\n') + '\n');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping CareDesk…`);
    await caredesk.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  console.error('CareDesk could not start:', err);
  process.exit(1);
});
