/**
 * IMAP polling against a real Dovecot and a real database (PGlite, or PostgreSQL with
 * DATABASE_URL): nothing is lost through outages, UIDVALIDITY changes and storage failures, and
 * nothing is ever deleted from the server.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { startTestApp, type TestApp } from '../../../test/harness.js';
import { findDovecot, startDovecot, type Dovecot } from '../../../test/dovecot.js';
import { openDatabase, type Database, type Db } from '../../../platform/db/index.js';
import type { Jobs } from '../../../platform/jobs.js';
import { loadSecrets, type Secrets } from '../../../platform/secrets.js';
import { inboundEmails, mailboxes } from './db/schema.js';
import { INGEST_QUEUE } from './use-cases/intake.js';
import { pollMailbox } from './imap-poller.js';

const haveDovecot = findDovecot() !== null;
if (!haveDovecot) console.warn('imap-poller.test.ts: SKIPPED, dovecot is not installed (apt-get install -y dovecot-imapd)');

/** Records what the poller enqueued instead of running a job queue. */
function recordingJobs() {
  const sent: { queue: string; data: unknown }[] = [];
  const jobs: Jobs = {
    define: async () => {},
    send: async (queue, data) => void sent.push({ queue, data }),
    sendMany: async (queue, jobs) => void sent.push(...jobs.map((j) => ({ queue, data: j.data }))),
    work: async () => {},
    workBatch: async () => {},
    stop: async () => {},
  };
  return { jobs, sent };
}

/** A database handle whose inserts into inbound_emails fail from the `failFrom`-th one on. */
function failingStore(db: Db, failFrom = 1): Db {
  let inserts = 0;
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'insert') {
        return (table: unknown) => {
          if (table === inboundEmails && ++inserts >= failFrom) throw new Error('could not extend file: No space left on device (simulated)');
          return target.insert(table as typeof inboundEmails);
        };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

const mail = (tag: string, n: number) =>
  [
    `From: Customer ${n} <customer${n}@example.test>`,
    'To: support@example.test',
    `Subject: Order question ${n}`,
    `Message-ID: <${tag}-${n}@example.test>`,
    'Date: Tue, 01 Dec 2026 10:00:00 +0000',
    'Content-Type: text/plain; charset=utf-8',
    '',
    `Hello, this is message ${n} of ${tag}.`,
    '',
  ].join('\r\n');

describe.skipIf(!haveDovecot)('IMAP polling', () => {
  let t: TestApp;
  let db: Db;
  let secrets: Secrets;
  let server: Dovecot;
  let tag: string;
  const logs: string[] = [];

  beforeAll(async () => {
    // No worker role: nothing but these tests may poll the mailboxes they create.
    t = await startTestApp({ CAREDESK_ROLES: 'web' });
    db = t.database.db;
    secrets = await loadSecrets(db, 'imap-poller-test-key');
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(async () => {
    server = await startDovecot();
    tag = randomBytes(4).toString('hex');
  });
  afterEach(async () => {
    await server?.close();
  });

  const deps = (over: { db?: Db; jobs?: Jobs } = {}) => ({
    db: over.db ?? db,
    secrets,
    jobs: over.jobs,
    now: () => new Date(),
    log: (msg: string) => void logs.push(msg),
  });

  async function createMailbox(password = server.password) {
    const [row] = await db
      .insert(mailboxes)
      .values({
        address: `imap-${tag}@example.test`,
        name: `IMAP ${tag}`,
        smtpReceive: false,
        imapHost: server.host,
        imapPort: server.port,
        imapTls: false,
        imapUser: server.user,
        imapPasswordEnc: secrets.encrypt(password),
        imapFolder: server.folder,
      })
      .returning();
    return row!;
  }

  const mailboxRow = async (id: string) => (await db.select().from(mailboxes).where(eq(mailboxes.id, id)))[0]!;
  const stored = (id: string) =>
    db
      .select({ id: inboundEmails.id, source: inboundEmails.source, imapUid: inboundEmails.imapUid, raw: inboundEmails.raw })
      .from(inboundEmails)
      .where(eq(inboundEmails.mailboxId, id))
      .orderBy(asc(inboundEmails.receivedAt), asc(inboundEmails.imapUid));
  const messageIds = (rows: { raw: Buffer }[]) => rows.map((r) => /^Message-ID: <([^>]+)>/m.exec(r.raw.toString())?.[1]).sort();
  const expectedIds = (from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, i) => `${tag}-${from + i}@example.test`).sort();

  async function deliver(from: number, to: number) {
    for (let n = from; n <= to; n++) await server.deliver(mail(tag, n));
  }

  it('stores each new message once, marks it \\Seen, advances the high-water mark and enqueues ingestion', async () => {
    const box = await createMailbox();
    await deliver(1, 3);
    const { jobs, sent } = recordingJobs();

    const first = await pollMailbox(deps({ jobs }), box.id);

    expect(first).toEqual({ fetched: 3, stored: 3, uidValidityReset: false });
    const onServer = await server.messages();
    const rows = await stored(box.id);
    expect(rows.map((r) => [r.source, r.imapUid])).toEqual(onServer.map((m) => ['imap', m.uid]));
    expect(rows.map((r) => r.raw.toString())).toEqual([1, 2, 3].map((n) => mail(tag, n)));
    expect(onServer.every((m) => m.seen)).toBe(true);
    const after = await mailboxRow(box.id);
    expect(after.imapLastUid).toBe(onServer[2]!.uid);
    expect(after.imapUidValidity).toBe(await server.uidValidity());
    expect(after.imapLastPollAt).toBeInstanceOf(Date);
    expect(after.imapLastError).toBeNull();
    expect(sent).toEqual(rows.map((r) => ({ queue: INGEST_QUEUE, data: { id: r.id } })));
  });

  it('fetches nothing on a second poll, then only what arrived since', async () => {
    const box = await createMailbox();
    await deliver(1, 2);
    await pollMailbox(deps(), box.id);

    // The server answers `UID n:*` with the last message even when its UID is below n.
    expect(await pollMailbox(deps(), box.id)).toEqual({ fetched: 0, stored: 0, uidValidityReset: false });

    await deliver(3, 4);
    expect(await pollMailbox(deps(), box.id)).toEqual({ fetched: 2, stored: 2, uidValidityReset: false });
    const rows = await stored(box.id);
    expect(messageIds(rows)).toEqual(expectedIds(1, 4));
    expect((await server.messages()).length).toBe(4);
  });

  it('imports mail a person already read in the folder', async () => {
    const box = await createMailbox();
    await server.deliver(mail(tag, 1), ['\\Seen']);
    await deliver(2, 2);

    expect(await pollMailbox(deps(), box.id)).toMatchObject({ fetched: 2, stored: 2 });
    expect(messageIds(await stored(box.id))).toEqual(expectedIds(1, 2));
  });

  it('fails with a readable error while the server is down and fetches everything that arrived meanwhile once it is back, deleting nothing', async () => {
    const box = await createMailbox();
    await deliver(1, 2);
    await pollMailbox(deps(), box.id);
    const markBefore = (await mailboxRow(box.id)).imapLastUid;

    await server.stop();
    await deliver(3, 40);
    await expect(pollMailbox(deps(), box.id)).rejects.toThrow(/IMAP connect failed: connection refused by 127\.0\.0\.1:\d+/);
    const during = await mailboxRow(box.id);
    expect(during.imapLastError).toMatch(/^IMAP connect failed: connection refused by 127\.0\.0\.1:\d+$/);
    expect(during.imapLastUid).toBe(markBefore);
    await expect(pollMailbox(deps(), box.id)).rejects.toThrow(/connection refused/);

    await server.start();
    const result = await pollMailbox(deps(), box.id);

    expect(result).toEqual({ fetched: 38, stored: 38, uidValidityReset: false });
    expect(messageIds(await stored(box.id))).toEqual(expectedIds(1, 40));
    const onServer = await server.messages();
    expect(onServer.length).toBe(40);
    expect(onServer.every((m) => m.seen)).toBe(true);
    const after = await mailboxRow(box.id);
    expect(after.imapLastError).toBeNull();
    expect(after.imapLastUid).toBe(onServer[39]!.uid);
  });

  it('reads the folder again from the start when UIDVALIDITY changes, losing nothing', async () => {
    const box = await createMailbox();
    await deliver(1, 3);
    await pollMailbox(deps(), box.id);
    const validityBefore = (await mailboxRow(box.id)).imapUidValidity;

    await server.resetUidValidity();
    await deliver(4, 4);
    const validityAfter = await server.uidValidity();
    expect(validityAfter).not.toBe(validityBefore);

    const result = await pollMailbox(deps(), box.id);

    // Re-reading stores the first three again; ingestion drops them by Message-ID.
    expect(result).toEqual({ fetched: 4, stored: 4, uidValidityReset: true });
    const ids = messageIds(await stored(box.id));
    expect(new Set(ids)).toEqual(new Set(expectedIds(1, 4)));
    expect(ids.length).toBe(7);
    const row = await mailboxRow(box.id);
    const onServer = await server.messages();
    expect(row.imapUidValidity).toBe(validityAfter);
    expect(row.imapLastUid).toBe(onServer[3]!.uid);
    expect(onServer.length).toBe(4);
    expect(await pollMailbox(deps(), box.id)).toEqual({ fetched: 0, stored: 0, uidValidityReset: false });
  });

  it('leaves messages unseen and the high-water mark in place when storing fails, and stores them on the next poll', async () => {
    const box = await createMailbox();
    await deliver(1, 3);
    const { jobs, sent } = recordingJobs();

    await expect(pollMailbox(deps({ db: failingStore(db), jobs }), box.id)).rejects.toThrow(/IMAP store messages failed: .*No space left on device/);

    expect(await stored(box.id)).toEqual([]);
    expect((await server.messages()).map((m) => m.seen)).toEqual([false, false, false]);
    const failed = await mailboxRow(box.id);
    expect(failed.imapLastUid).toBe(0);
    expect(failed.imapLastError).toMatch(/^IMAP store messages failed: .*No space left on device/);
    expect(sent).toEqual([]);

    expect(await pollMailbox(deps(), box.id)).toEqual({ fetched: 3, stored: 3, uidValidityReset: false });
    expect(messageIds(await stored(box.id))).toEqual(expectedIds(1, 3));
    expect((await server.messages()).map((m) => m.seen)).toEqual([true, true, true]);
    expect((await mailboxRow(box.id)).imapLastError).toBeNull();
  });

  it('keeps the batches stored before a storage failure and resumes right after them', async () => {
    const box = await createMailbox();
    await deliver(1, 60);

    // The first batch of 50 is stored; the second fails.
    await expect(pollMailbox(deps({ db: failingStore(db, 2) }), box.id)).rejects.toThrow(/store messages failed/);

    let onServer = await server.messages();
    expect(onServer.filter((m) => m.seen).map((m) => m.uid)).toEqual(onServer.slice(0, 50).map((m) => m.uid));
    expect((await mailboxRow(box.id)).imapLastUid).toBe(onServer[49]!.uid);
    expect(messageIds(await stored(box.id))).toEqual(expectedIds(1, 50));

    expect(await pollMailbox(deps(), box.id)).toEqual({ fetched: 10, stored: 10, uidValidityReset: false });
    expect(messageIds(await stored(box.id))).toEqual(expectedIds(1, 60));
    onServer = await server.messages();
    expect(onServer.length).toBe(60);
    expect(onServer.every((m) => m.seen)).toBe(true);
  });

  it('records a refused login as a readable error', async () => {
    const box = await createMailbox('wrong-password');
    await deliver(1, 1);

    await expect(pollMailbox(deps(), box.id)).rejects.toThrow(/IMAP connect failed: the server refused the login for agent/);
    const row = await mailboxRow(box.id);
    expect(row.imapLastError).toMatch(/^IMAP connect failed: the server refused the login for agent/);
    expect(row.imapLastUid).toBe(0);
  });

  it('stores each message once when two pollers race for the same mailbox', async () => {
    const box = await createMailbox();
    await deliver(1, 20);
    // On PostgreSQL the second poller is a separate connection pool, as another worker process
    // would be; PGlite belongs to one process, so there the race is within it.
    let second: Database | null = null;
    if (t.database.driver === 'pg') second = await openDatabase(t.config);
    try {
      const results = await Promise.all([pollMailbox(deps(), box.id), pollMailbox(deps({ db: second?.db ?? db }), box.id)]);
      expect(results.reduce((n, r) => n + r.stored, 0)).toBe(20);
    } finally {
      await second?.close();
    }
    const ids = messageIds(await stored(box.id));
    expect(ids).toEqual(expectedIds(1, 20));
  });
});
