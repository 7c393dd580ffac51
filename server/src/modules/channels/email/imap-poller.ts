import { and, eq, lt, sql } from 'drizzle-orm';
import { ImapFlow, type FetchMessageObject } from 'imapflow';
import type { Db } from '../../../platform/db/index.js';
import type { Jobs } from '../../../platform/jobs.js';
import type { Secrets } from '../../../platform/secrets.js';
import { mailboxes } from './db/schema.js';
import { enqueueIngest, storeInbound, type RawDelivery } from './use-cases/intake.js';
import { openCredentials } from './use-cases/mailboxes.js';

export interface PollDeps {
  db: Db;
  secrets: Secrets;
  jobs?: Jobs;
  now: () => Date;
  log: (msg: string, err?: unknown) => void;
}

export interface PollResult {
  /** Messages downloaded from the server in this poll. */
  fetched: number;
  /** Messages stored in `inbound_emails` (and so marked \Seen) in this poll. */
  stored: number;
  /** The server's UIDVALIDITY differed from the one recorded, so the folder was read from the start. */
  uidValidityReset: boolean;
}

/** Messages per store-and-mark-seen step: a failure costs at most one batch of re-reading. */
const BATCH_MESSAGES = 50;
/** A batch also stops at this many bytes, so a run of large mails does not sit in memory at once. */
const BATCH_BYTES = 25 * 1024 * 1024;
/** First key of the two-key advisory lock, so our keys cannot collide with single-key locks. */
const LOCK_NAMESPACE = 7_267_331;
const MAX_ERROR_LENGTH = 500;

/** Mailboxes being polled through each database handle; the database lock covers other processes. */
const running = new WeakMap<Db, Set<string>>();

const nothing = (): PollResult => ({ fetched: 0, stored: 0, uidValidityReset: false });

/**
 * Fetches the mail that arrived in a mailbox's IMAP folder since the last poll and stores it.
 *
 * Progress is a UIDVALIDITY + UID high-water mark, never "the last N" or "the unseen ones": mail
 * a person has already read in the folder is still imported, and after an outage everything is
 * caught up. Each batch is stored before it is marked \Seen and before the mark moves, so a
 * failure anywhere leaves the rest for the next poll. Nothing is ever deleted or expunged.
 * Re-reading is always safe (duplicates are removed by Message-ID at ingest); skipping is not.
 */
export async function pollMailbox(deps: PollDeps, mailboxId: string): Promise<PollResult> {
  let mine = running.get(deps.db);
  if (!mine) running.set(deps.db, (mine = new Set()));
  if (mine.has(mailboxId)) {
    deps.log(`imap poll of mailbox ${mailboxId} skipped: already running in this process`);
    return nothing();
  }
  mine.add(mailboxId);
  try {
    return await exclusively(deps.db, mailboxId, () => pollLocked(deps, mailboxId), () => {
      deps.log(`imap poll of mailbox ${mailboxId} skipped: another process is polling it`);
      return nothing();
    });
  } finally {
    mine.delete(mailboxId);
  }
}

/**
 * On PostgreSQL, one poll per mailbox across processes: a transaction on its own pooled
 * connection holds an advisory lock for the whole poll (released on commit, rollback or a dropped
 * connection, so a crashed worker cannot leave it held), while the poll's own writes commit
 * independently on other connections. PGlite has a single connection that a transaction would
 * block, and it belongs to one process anyway, so the in-process guard is the whole story there.
 */
async function exclusively<T>(db: Db, mailboxId: string, fn: () => Promise<T>, busy: () => T): Promise<T> {
  if (!isPooled(db)) return fn();
  return db.transaction(async (tx) => {
    const res = await tx.execute<{ locked: boolean }>(sql`select pg_try_advisory_xact_lock(${LOCK_NAMESPACE}, hashtext(${mailboxId})) as locked`);
    if (!res.rows[0]?.locked) return busy();
    return fn();
  });
}

function isPooled(db: Db) {
  const client = (db as unknown as { $client?: unknown }).$client as { totalCount?: unknown; connect?: unknown } | undefined;
  return !!client && typeof client.connect === 'function' && typeof client.totalCount === 'number';
}

type MailboxRow = typeof mailboxes.$inferSelect;

async function pollLocked(deps: PollDeps, mailboxId: string): Promise<PollResult> {
  const { db, log } = deps;
  const [row] = await db.select().from(mailboxes).where(eq(mailboxes.id, mailboxId));
  if (!row) {
    // Deleted since the job was queued: retrying cannot help.
    log(`imap poll: mailbox ${mailboxId} no longer exists`);
    return nothing();
  }
  if (!row.active || !row.imapHost || !row.imapUser || !row.imapPasswordEnc) return nothing();

  const result = nothing();
  const step = { name: 'connect' };
  let client: ImapFlow | null = null;
  try {
    const password = decryptPassword(deps.secrets, row);
    client = new ImapFlow({
      host: row.imapHost,
      port: row.imapPort ?? (row.imapTls ? 993 : 143),
      secure: row.imapTls,
      auth: { user: row.imapUser, pass: password },
      logger: false,
      // A dead or silent server must fail the poll (and be retried), never hang the worker.
      connectionTimeout: 30_000,
      greetingTimeout: 15_000,
      socketTimeout: 120_000,
      disableAutoIdle: true,
    });
    // Socket errors can also arrive as events; an unhandled 'error' event would end the process.
    client.on('error', (err: unknown) => log(`imap connection error (${row.address})`, err));
    await client.connect();

    step.name = `open folder "${row.imapFolder}"`;
    const folder = await client.mailboxOpen(row.imapFolder);
    const uidValidity = Number(folder.uidValidity);

    let last = row.imapLastUid;
    if (row.imapUidValidity !== uidValidity) {
      // New UIDs (or a first poll): the old high-water mark means nothing in this numbering.
      step.name = 'record UIDVALIDITY';
      result.uidValidityReset = row.imapUidValidity !== null;
      const claimed = await db
        .update(mailboxes)
        .set({ imapUidValidity: uidValidity, imapLastUid: 0 })
        .where(
          and(
            eq(mailboxes.id, row.id),
            sql`${mailboxes.imapUidValidity} is not distinct from ${row.imapUidValidity}`,
            eq(mailboxes.imapLastUid, row.imapLastUid),
          ),
        )
        .returning({ id: mailboxes.id });
      if (!claimed.length) throw new Error('the mailbox settings changed during the poll; it will be retried');
      last = 0;
      if (result.uidValidityReset) log(`imap: UIDVALIDITY of ${row.address} ${row.imapFolder} changed; reading the folder from the start`);
    }

    step.name = 'list new messages';
    // `n:*` always includes the highest UID even when it is below n, so filter.
    const found = folder.exists ? await client.search({ uid: `${last + 1}:*` }, { uid: true }) : [];
    // An empty answer would pass for "no new mail" and hide the failure.
    if (!found) throw new Error('the server refused to list the messages in the folder');
    const uids = found.filter((u) => u > last).sort((a, b) => a - b);

    for (let i = 0; i < uids.length; i += BATCH_MESSAGES) {
      step.name = 'fetch';
      for (const batch of await splitBySize(client, uids.slice(i, i + BATCH_MESSAGES))) {
        step.name = 'fetch';
        const fetchedMessages = await client.fetchAll(batch.join(','), { uid: true, source: true }, { uid: true });
        const deliveries = toDeliveries(row.id, batch, fetchedMessages);
        result.fetched += deliveries.length;

        step.name = 'store messages';
        const ids = await storeInbound(db, deliveries);
        result.stored += ids.length;

        // Only now that they are in the database may the server show them as handled.
        step.name = 'mark messages seen';
        if (deliveries.length && !(await client.messageFlagsAdd(deliveries.map((d) => d.imapUid).join(','), ['\\Seen'], { uid: true }))) {
          // Cosmetic for the people reading the mailbox: the mark below, not \Seen, decides what is fetched.
          log(`imap: ${row.address} did not accept \\Seen on stored messages`);
        }

        step.name = 'record progress';
        const high = batch[batch.length - 1]!;
        const moved = await db
          .update(mailboxes)
          .set({ imapLastUid: high })
          .where(and(eq(mailboxes.id, row.id), eq(mailboxes.imapUidValidity, uidValidity), lt(mailboxes.imapLastUid, high)))
          .returning({ id: mailboxes.id });
        if (!moved.length) throw new Error('the mailbox settings changed during the poll; it will be retried');

        // Already durable: a lost wake-up only delays these until the worker's sweep finds them.
        await enqueueIngest(deps.jobs, ids).catch((err) => log('imap: enqueue failed; the sweep will pick the messages up', err));
      }
    }

    step.name = 'record poll';
    await db.update(mailboxes).set({ imapLastPollAt: deps.now(), imapLastError: null }).where(eq(mailboxes.id, row.id));
    return result;
  } catch (err) {
    const message = describeFailure(step.name, err, row);
    log(`imap poll of ${row.address} failed: ${message}`, err);
    await db
      .update(mailboxes)
      .set({ imapLastError: message })
      .where(eq(mailboxes.id, row.id))
      .catch((e) => log('imap: could not record the poll error', e));
    throw new Error(message, { cause: err });
  } finally {
    if (client) await closeQuietly(client);
  }
}

function decryptPassword(secrets: Secrets, row: MailboxRow) {
  let password: string | null;
  try {
    password = openCredentials({ secrets }, row).imapPassword;
  } catch (err) {
    throw new Error('the stored IMAP password cannot be decrypted (was CAREDESK_SECRET_KEY changed?); enter it again', { cause: err });
  }
  if (!password) throw new Error('no IMAP password is set');
  return password;
}

/** Groups ascending UIDs into batches of at most BATCH_BYTES (a single larger message goes alone). */
async function splitBySize(client: ImapFlow, uids: number[]): Promise<number[][]> {
  const sizes = new Map<number, number>();
  for (const m of await client.fetchAll(uids.join(','), { uid: true, size: true }, { uid: true })) sizes.set(m.uid, m.size ?? 0);
  const batches: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  for (const uid of uids) {
    const size = sizes.get(uid) ?? 0;
    if (current.length && bytes + size > BATCH_BYTES) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(uid);
    bytes += size;
  }
  if (current.length) batches.push(current);
  return batches;
}

function toDeliveries(mailboxId: string, batch: number[], messages: FetchMessageObject[]) {
  const byUid = new Map(messages.map((m) => [m.uid, m]));
  const deliveries: (RawDelivery & { imapUid: number })[] = [];
  for (const uid of batch) {
    const m = byUid.get(uid);
    // Expunged by someone else since the search: there is nothing left to fetch.
    if (!m) continue;
    // Storing the batch without it would move the mark past it and lose it; fail visibly instead.
    if (!m.source) throw new Error(`the server sent no content for message UID ${uid}`);
    deliveries.push({ mailboxId, source: 'imap', raw: m.source, imapUid: uid });
  }
  return deliveries;
}

/** A message an administrator can act on, e.g. "IMAP connect failed: connection refused by mail.example.com:993". */
function describeFailure(step: string, err: unknown, row: MailboxRow): string {
  const e = (err ?? {}) as { message?: string; code?: string; responseText?: string; authenticationFailed?: boolean };
  const where = `${row.imapHost}:${row.imapPort ?? (row.imapTls ? 993 : 143)}`;
  let detail: string;
  if (e.authenticationFailed) detail = `the server refused the login for ${row.imapUser}${e.responseText ? ` (${e.responseText})` : ''}`;
  else if (e.code === 'ECONNREFUSED') detail = `connection refused by ${where}`;
  else if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') detail = `host ${row.imapHost} not found`;
  else if (e.code === 'CONNECT_TIMEOUT' || e.code === 'GREETING_TIMEOUT' || e.code === 'ETIMEOUT' || e.code === 'ETIMEDOUT') detail = `no answer from ${where} (timed out)`;
  else if (e.code === 'ECONNRESET' || e.code === 'EConnectionClosed' || e.code === 'NoConnection') detail = `the connection to ${where} was lost`;
  else if (e.responseText) detail = e.responseText;
  else detail = e.message || String(err);
  return `IMAP ${step} failed: ${detail}`.slice(0, MAX_ERROR_LENGTH);
}

async function closeQuietly(client: ImapFlow) {
  if (!client.usable) {
    client.close();
    return;
  }
  try {
    await client.logout();
  } catch {
    client.close();
  }
}
