// Browser tests: `npm run test:e2e` (builds the web app first), or
// `node --import tsx e2e/run.ts` with web/dist already built.
// Starts CareDesk on a free port with a fresh demo workspace, drives Debian's
// Chromium through playwright-core, and writes screenshots to test-results/e2e/.
// E2E_BASE_URL=http://... runs against a server you started yourself.
import { after } from 'node:test';
import { serverOutput, teardown } from './harness.ts';

after(async () => {
  if (process.exitCode && process.env.E2E_SERVER_LOG !== '0') {
    const out = serverOutput();
    if (out) process.stderr.write(`\n--- server output (tail) ---\n${out.slice(-3000)}\n`);
  }
  await teardown();
});

await import('./ticket-flow.e2e.ts');
await import('./arabic.e2e.ts');
await import('./phone.e2e.ts');
await import('./conflict.e2e.ts');
await import('./email.e2e.ts');
await import('./call.e2e.ts');
await import('./sla.e2e.ts');
await import('./keyaccounts.e2e.ts');
await import('./portal.e2e.ts');
await import('./chat.e2e.ts');
await import('./reports.e2e.ts');
await import('./reports-archive.e2e.ts');
