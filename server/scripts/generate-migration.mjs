// `npm run db:generate -- --name=what_changed`: drizzle-kit's migration, then the schema
// qualifier removed (see unqualify-migrations.mjs).
import { execFileSync } from 'node:child_process';

execFileSync('npx', ['drizzle-kit', 'generate', ...process.argv.slice(2)], { stdio: 'inherit' });
execFileSync(process.execPath, [new URL('./unqualify-migrations.mjs', import.meta.url).pathname], { stdio: 'inherit' });
