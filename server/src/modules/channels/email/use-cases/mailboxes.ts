import { and, asc, eq, getTableColumns, sql } from 'drizzle-orm';
import type { Static } from 'typebox';
import type { CreateMailboxBody, UpdateMailboxBody } from '@caredesk/contracts';
import type { AuthedCtx, Ctx } from '../../../../platform/context.js';
import { AppError, isUniqueViolation, notFound, validation, versionConflict, type FieldError } from '../../../../platform/errors.js';
import { changedFields, recordAudit } from '../../../../platform/audit.js';
import type { DbOrTx } from '../../../../platform/db/index.js';
import { groups } from '../../../people/db/schema.js';
import { requireAdmin } from '../../../people/use-cases/users.js';
import { emailMessages, inboundEmails, mailboxes } from '../db/schema.js';
import { releaseWaitingForRelay } from './outbound.js';

type MailboxRow = typeof mailboxes.$inferSelect;

const stats = {
  groupName: groups.name,
  received: sql<number>`(select count(*)::int from ${inboundEmails} i where i.mailbox_id = ${mailboxes.id})`,
  pending: sql<number>`(select count(*)::int from ${inboundEmails} i where i.mailbox_id = ${mailboxes.id} and i.status = 'received')`,
  oldestPending: sql<string | null>`(select min(i.received_at)::text from ${inboundEmails} i where i.mailbox_id = ${mailboxes.id} and i.status = 'received')`,
  quarantined: sql<number>`(select count(*)::int from ${inboundEmails} i where i.mailbox_id = ${mailboxes.id} and i.status = 'quarantined')`,
  outboxWaiting: sql<number>`(select count(*)::int from ${emailMessages} e where e.mailbox_id = ${mailboxes.id} and e.direction = 'out' and e.status in ('queued', 'no_relay'))`,
  outboxFailed: sql<number>`(select count(*)::int from ${emailMessages} e where e.mailbox_id = ${mailboxes.id} and e.direction = 'out' and e.status in ('failed', 'bounced'))`,
};

function present(row: MailboxRow & { groupName: string | null; received: number; pending: number; oldestPending: string | null; quarantined: number; outboxWaiting: number; outboxFailed: number }, now: Date) {
  const { imapPasswordEnc, relayPasswordEnc, imapUidValidity: _v, imapLastUid: _u, groupName, oldestPending, ...rest } = row;
  return {
    ...rest,
    group: row.groupId ? { id: row.groupId, name: groupName ?? '' } : null,
    imapEnabled: Boolean(row.imapHost && row.imapUser && imapPasswordEnc),
    hasImapPassword: Boolean(imapPasswordEnc),
    hasRelay: Boolean(row.relayHost),
    hasRelayPassword: Boolean(relayPasswordEnc),
    lagSeconds: oldestPending ? Math.max(0, Math.round((now.getTime() - new Date(oldestPending).getTime()) / 1000)) : 0,
  };
}

const selectMailboxes = (db: DbOrTx) =>
  db.select({ ...getTableColumns(mailboxes), ...stats }).from(mailboxes).leftJoin(groups, eq(groups.id, mailboxes.groupId));

export async function listMailboxes(ctx: AuthedCtx) {
  requireAdmin(ctx.actor);
  const rows = await selectMailboxes(ctx.db).orderBy(asc(mailboxes.address));
  return rows.map((r) => present(r as never, ctx.now()));
}

export async function getMailbox(ctx: AuthedCtx, id: string) {
  requireAdmin(ctx.actor);
  const [row] = await selectMailboxes(ctx.db).where(eq(mailboxes.id, id));
  if (!row) throw notFound();
  return present(row as never, ctx.now());
}

/**
 * Every mailbox, read at most once per MAILBOX_CACHE_MS per process and database: mail arrives for
 * a handful of addresses at up to hundreds of messages a second, and each message asked for them
 * several times. Writes in this module forget the list at once; other processes see a change
 * within the interval. A recipient not in the list is looked up afresh before it is refused, so
 * mail to a mailbox just created on another process is never bounced.
 */
const MAILBOX_CACHE_MS = 2000;
let generation = 0;
const cached = new WeakMap<object, { at: number; generation: number; rows: Promise<MailboxRow[]> }>();

export function forgetMailboxes() {
  generation++;
}

export function allMailboxes(db: DbOrTx, fresh = false): Promise<MailboxRow[]> {
  const hit = cached.get(db);
  if (!fresh && hit && hit.generation === generation && Date.now() - hit.at < MAILBOX_CACHE_MS) return hit.rows;
  const entry = { at: Date.now(), generation, rows: (async () => db.select().from(mailboxes))() };
  cached.set(db, entry);
  entry.rows.catch(() => cached.get(db) === entry && cached.delete(db));
  return entry.rows;
}

/** The mailbox an address belongs to, with `local+anything@domain` reaching `local@domain`. */
export async function mailboxForAddress(db: DbOrTx, address: string) {
  const a = address.trim().toLowerCase();
  const plain = a.replace(/^([^+@]+)\+[^@]*@/, '$1@');
  const find = (rows: MailboxRow[]) => rows.find((m) => m.active && m.address === a) ?? rows.find((m) => m.active && m.address === plain) ?? null;
  return find(await allMailboxes(db)) ?? find(await allMailboxes(db, true));
}

type Input = Partial<Static<typeof CreateMailboxBody>>;

function seal(ctx: Ctx, value: string | null | undefined) {
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (!ctx.secrets) throw new AppError('internal', 500, 'secrets unavailable');
  return ctx.secrets.encrypt(value);
}

/** The columns a create or update writes; checks that IMAP and relay settings are complete. */
async function columnsFrom(ctx: AuthedCtx, input: Input, before?: MailboxRow) {
  const errors: FieldError[] = [];
  if (input.groupId) {
    const [g] = await ctx.db.select({ id: groups.id }).from(groups).where(eq(groups.id, input.groupId));
    if (!g) errors.push({ field: 'groupId', code: 'not_found' });
  }
  const { imapPassword, relayPassword, ...plain } = input;
  const cols: Partial<MailboxRow> = { ...plain };
  if (plain.address) cols.address = plain.address.trim().toLowerCase();
  const imapPasswordEnc = seal(ctx, imapPassword);
  if (imapPasswordEnc !== undefined) cols.imapPasswordEnc = imapPasswordEnc;
  const relayPasswordEnc = seal(ctx, relayPassword);
  if (relayPasswordEnc !== undefined) cols.relayPasswordEnc = relayPasswordEnc;

  const merged = { ...before, ...cols };
  if (merged.imapHost && !merged.imapUser) errors.push({ field: 'imapUser', code: 'required' });
  if (merged.imapHost && !merged.imapPasswordEnc) errors.push({ field: 'imapPassword', code: 'required' });
  if (merged.relayUser && !merged.relayHost) errors.push({ field: 'relayHost', code: 'required' });
  if (errors.length) throw validation(errors);
  // A new IMAP server or folder is a new sequence of UIDs: start it afresh.
  if (before && ((cols.imapHost !== undefined && cols.imapHost !== before.imapHost) || (cols.imapFolder && cols.imapFolder !== before.imapFolder) || (cols.imapUser !== undefined && cols.imapUser !== before.imapUser))) {
    cols.imapUidValidity = null;
    cols.imapLastUid = 0;
  }
  return cols;
}

const addressTaken = () =>
  new AppError('address_taken', 409, 'Address taken', { errors: [{ field: 'address', code: 'address_taken' }] });

const auditable = (cols: Partial<MailboxRow>) => {
  const { imapPasswordEnc, relayPasswordEnc, ...rest } = cols;
  return {
    ...rest,
    ...(imapPasswordEnc !== undefined ? { imapPassword: imapPasswordEnc ? 'set' : null } : {}),
    ...(relayPasswordEnc !== undefined ? { relayPassword: relayPasswordEnc ? 'set' : null } : {}),
  };
};

export async function createMailbox(ctx: AuthedCtx, input: Static<typeof CreateMailboxBody>) {
  requireAdmin(ctx.actor);
  const cols = await columnsFrom(ctx, input);
  let id: string;
  try {
    id = await ctx.db.transaction(async (tx) => {
      const [row] = await tx.insert(mailboxes).values(cols as typeof mailboxes.$inferInsert).returning({ id: mailboxes.id });
      await recordAudit(tx, {
        actor: ctx.actor,
        action: 'mailbox.created',
        targetType: 'mailbox',
        targetId: row!.id,
        changes: changedFields({}, auditable(cols), ['imapPassword', 'relayPassword']),
      });
      return row!.id;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw addressTaken();
    throw err;
  }
  forgetMailboxes();
  return getMailbox(ctx, id);
}

export async function updateMailbox(ctx: AuthedCtx, id: string, patch: Static<typeof UpdateMailboxBody>, ifMatch?: number) {
  requireAdmin(ctx.actor);
  const [before] = await ctx.db.select().from(mailboxes).where(eq(mailboxes.id, id));
  if (!before) throw notFound();
  const { version: bodyVersion, ...fields } = patch;
  const version = bodyVersion ?? ifMatch;
  if (version !== undefined && version !== before.version) throw versionConflict();
  const cols = await columnsFrom(ctx, fields, before);
  const changes = changedFields(auditable(before) as Record<string, unknown>, auditable(cols), ['imapPassword', 'relayPassword']);
  if (!changes.length) return getMailbox(ctx, id);
  try {
    await ctx.db.transaction(async (tx) => {
      const updated = await tx
        .update(mailboxes)
        .set({ ...cols, version: sql`${mailboxes.version} + 1`, updatedAt: ctx.now() })
        .where(and(eq(mailboxes.id, id), eq(mailboxes.version, before.version)))
        .returning({ id: mailboxes.id });
      if (!updated.length) throw versionConflict();
      await recordAudit(tx, { actor: ctx.actor, action: 'mailbox.updated', targetType: 'mailbox', targetId: id, changes });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw addressTaken();
    throw err;
  }
  forgetMailboxes();
  // Replies written while the mailbox had no relay leave as soon as it has one.
  if (!before.relayHost && cols.relayHost) await releaseWaitingForRelay(ctx, id);
  return getMailbox(ctx, id);
}

/** The relay and IMAP secrets in the clear, for the worker that connects; never for the API. */
export function openCredentials(ctx: Pick<Ctx, 'secrets'>, row: Pick<MailboxRow, 'imapPasswordEnc' | 'relayPasswordEnc'>) {
  const open = (v: string | null) => (v && ctx.secrets ? ctx.secrets.decrypt(v) : null);
  return { imapPassword: open(row.imapPasswordEnc), relayPassword: open(row.relayPasswordEnc) };
}
