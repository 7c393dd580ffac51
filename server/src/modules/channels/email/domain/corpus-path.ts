import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Test-only: where the shared, read-only real-world corpora live: `CAREDESK_CORPORA`, else
 * `<repo>/../shared/corpora`. Tests read them in place and skip, saying so, when they are absent.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../..');
export const CORPORA = path.resolve(process.env.CAREDESK_CORPORA || path.resolve(repoRoot, '../shared/corpora'));

export function corpusDir(sub: string): string | null {
  const dir = path.join(CORPORA, sub);
  if (existsSync(dir)) return dir;
  console.warn(`[corpus] ${dir} not found: skipping the tests that need it`);
  return null;
}
