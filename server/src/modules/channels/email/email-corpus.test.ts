/**
 * The whole shared mail corpus through the real pipeline: each message is sent over SMTP to
 * CareDesk's receiver, stored, parsed in the worker and turned into tickets. The parse-level
 * comparison with other parsers' expected results lives in domain/corpus.test.ts; here we check
 * that nothing is lost on the way: every message ends on a ticket, as a recognised duplicate or
 * auto-reply, or in quarantine with a reason, and the Zammad messages keep their sender.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { eventually } from '../../../test/smtp-sink.js';
import { corpusDir } from './domain/corpus-path.js';
import { SUPPORT, useEmailTest } from './email-test-kit.js';

const root = corpusDir('mail');
const d = root ? describe : describe.skip;
const ENVELOPE_FROM = 'corpus-sender@example.com';

d('the mail corpus through SMTP', () => {
  const kit = useEmailTest();

  it('ends every message on a ticket, as a duplicate or auto-reply, or in quarantine with a reason', async () => {
    const rows = readFileSync(path.join(root!, 'MANIFEST.tsv'), 'utf8').split('\n').slice(1).map((l) => l.split('\t'));
    const files = rows.filter((r) => r[1] === 'email').map((r) => r[0]!.replace(/^mail\//, '')).filter((f) => existsSync(path.join(root!, f)));
    expect(files.length).toBeGreaterThan(100);

    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: kit.t.caredesk.email.smtpPort!, secure: false, ignoreTLS: true, pool: true, maxConnections: 4 });
    const refused: string[] = [];
    await Promise.all(
      files.map((f) =>
        transport.sendMail({ envelope: { from: ENVELOPE_FROM, to: [SUPPORT] }, raw: readFileSync(path.join(root!, f)) }).catch((err: Error) => refused.push(`${f}: ${err.message}`)),
      ),
    );
    transport.close();
    // Nothing in the corpus is over the size cap; a refusal here would be a lost message.
    expect(refused).toEqual([]);

    const statuses = await eventually(
      async () => {
        const r = await kit.t.database.db.execute<{ status: string; n: number }>(sql`select status, count(*)::int as n from inbound_emails group by status`);
        const by = Object.fromEntries(r.rows.map((x) => [x.status, Number(x.n)]));
        return by.received ? null : by;
      },
      'every corpus message handled',
      240_000,
    );
    const total = Object.values(statuses).reduce((a, b) => a + b, 0);
    expect(total).toBe(files.length);
    console.log(`[corpus via SMTP] ${files.length} messages: ${JSON.stringify(statuses)}`);

    const unexplained = await kit.t.database.db.execute<{ id: string; status: string }>(sql`
      select id, status from inbound_emails
      where (status in ('processed', 'duplicate') and ticket_id is null and classification is null)
         or (status in ('quarantined', 'ignored') and coalesce(reason, '') = '')`);
    expect(unexplained.rows).toEqual([]);

    // Zammad recorded each message's sender: the ticket's requester (or, for a reply into an
    // existing thread, the message's author) must be that address.
    const mismatched: string[] = [];
    for (const sub of ['zammad/test-data-mail', 'zammad/test-data-mail-2025']) {
      for (const f of files.filter((x) => x.startsWith(`${sub}/`) && x.endsWith('.box'))) {
        const ymlPath = path.join(root!, f.replace(/\.box$/, '.yml'));
        if (!existsSync(ymlPath)) continue;
        const expected = String((parseYaml(readFileSync(ymlPath, 'utf8'), { logLevel: 'error' }) as { from_email?: string }).from_email ?? '').toLowerCase();
        if (!expected.includes('@')) continue;
        const raw = readFileSync(path.join(root!, f));
        const r = await kit.t.database.db.execute<{ status: string; from_address: string | null }>(
          sql`select status, from_address from inbound_emails where raw = ${raw} limit 1`,
        );
        const row = r.rows[0];
        if (row && row.status === 'processed' && row.from_address !== expected) mismatched.push(`${f}: ${row.from_address} != ${expected}`);
      }
    }
    expect(mismatched).toEqual([]);
  }, 300_000);
});
