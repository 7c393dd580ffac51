import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import { containsPattern } from '../../../platform/db/like.js';
import type { Static } from 'typebox';
import type { CreateContactBody, IdentityInput, LookupContactBody, UpdateContactBody } from '@caredesk/contracts';
import type { AuthedCtx, Ctx } from '../../../platform/context.js';
import { AppError, isUniqueViolation, notFound, validation, versionConflict, type FieldError } from '../../../platform/errors.js';
import { changedFields, recordAudit } from '../../../platform/audit.js';
import type { DbOrTx } from '../../../platform/db/index.js';
import { accounts, contactIdentities, contacts } from '../db/schema.js';
import { decodeCursor, encodeCursor } from '../../../platform/cursor.js';
import { normaliseIdentity, type IdentityValue } from '../domain/identity.js';
import { normaliseForSearch } from '../../search/domain/normalise.js';
import { newId } from '../../../platform/db/columns.js';

type ContactRow = typeof contacts.$inferSelect & { accountName: string | null };

async function hydrate(db: DbOrTx, rows: ContactRow[]) {
  const ids = rows.map((r) => r.id);
  const identities = ids.length
    ? await db
        .select({ id: contactIdentities.id, contactId: contactIdentities.contactId, kind: contactIdentities.kind, platform: contactIdentities.platform, value: contactIdentities.value })
        .from(contactIdentities)
        .where(inArray(contactIdentities.contactId, ids))
        .orderBy(asc(contactIdentities.createdAt))
    : [];
  return rows.map(({ accountName, ...c }) => ({
    ...c,
    account: c.accountId ? { id: c.accountId, name: accountName ?? '' } : null,
    identities: identities.filter((i) => i.contactId === c.id).map(({ contactId: _, ...i }) => i),
  }));
}

const contactFields = {
  id: contacts.id,
  name: contacts.name,
  language: contacts.language,
  preferredChannel: contacts.preferredChannel,
  accountId: contacts.accountId,
  accountAdmin: contacts.accountAdmin,
  version: contacts.version,
  createdAt: contacts.createdAt,
  updatedAt: contacts.updatedAt,
};

const select = (db: DbOrTx) =>
  db
    .select({ ...contactFields, accountName: accounts.name })
    .from(contacts)
    .leftJoin(accounts, eq(accounts.id, contacts.accountId));

export async function getContact(ctx: Pick<Ctx, 'db'>, id: string) {
  const rows = await select(ctx.db).where(eq(contacts.id, id));
  if (!rows[0]) throw notFound();
  return (await hydrate(ctx.db, rows))[0]!;
}

export async function listContacts(ctx: AuthedCtx, q: { q?: string; accountId?: string; limit?: number; cursor?: string }) {
  const limit = q.limit ?? 50;
  const conds = [];
  if (q.accountId) conds.push(eq(contacts.accountId, q.accountId));
  if (q.q) {
    const term = q.q.trim();
    conds.push(
      or(
        sql`lower(${contacts.name}) like ${containsPattern(term)}`,
        sql`${contacts.id} in (select ${contactIdentities.contactId} from ${contactIdentities} where ${contactIdentities.value} ilike ${containsPattern(term)})`,
      ),
    );
  }
  const after = q.cursor ? decodeCursor(q.cursor) : null;
  if (after) conds.push(sql`(${contacts.name}, ${contacts.id}) > (${String(after[0])}, ${String(after[1])}::uuid)`);
  const rows = await select(ctx.db).where(and(...conds)).orderBy(asc(contacts.name), asc(contacts.id)).limit(limit + 1);
  const items = await hydrate(ctx.db, rows.slice(0, limit));
  const last = rows.length > limit ? items[items.length - 1] : undefined;
  return { items, nextCursor: last ? encodeCursor([last.name, last.id]) : null };
}

/** Contacts whose identities or names match a search, for the search box. */
export async function searchContacts(ctx: AuthedCtx, term: string, limit: number) {
  const t = term.trim();
  if (!t) return [];
  const folded = normaliseForSearch(t);
  // A UNION lets each side use its trigram index; an OR of the two made PostgreSQL scan every contact.
  const rows = await select(ctx.db)
    .where(
      sql`${contacts.id} in (select ${contacts.id} from ${contacts} where lower(${contacts.name}) like ${containsPattern(t)} union select ${contactIdentities.contactId} from ${contactIdentities} where ${contactIdentities.value} ilike ${containsPattern(folded.replace(/[\s()-]/g, ''))})`,
    )
    .orderBy(asc(contacts.name))
    .limit(limit);
  return hydrate(ctx.db, rows);
}

async function accountOf(db: DbOrTx, accountId: string | null | undefined) {
  if (!accountId) return null;
  const [a] = await db.select({ countryCode: accounts.countryCode, name: accounts.name }).from(accounts).where(eq(accounts.id, accountId));
  if (!a) throw validation([{ field: 'accountId', code: 'not_found' }]);
  return a;
}

async function accountCountry(db: DbOrTx, accountId: string | null | undefined) {
  return (await accountOf(db, accountId))?.countryCode ?? null;
}

function normaliseAll(inputs: Static<typeof IdentityInput>[], country: string | null) {
  const errors: FieldError[] = [];
  const out: IdentityValue[] = [];
  inputs.forEach((input, i) => {
    const r = normaliseIdentity(input, country, `identities.${i}.value`);
    if (r.ok) out.push(r.identity);
    else errors.push(r.error.field === 'platform' ? { ...r.error, field: `identities.${i}.platform` } : r.error);
  });
  if (errors.length) throw validation(errors);
  return out;
}

const identityTaken = (kind: string, field = 'identities') =>
  new AppError('identity_taken', 409, 'Identity taken', { params: { kind }, errors: [{ field, code: 'identity_taken', params: { kind } }] });

async function insertIdentities(tx: DbOrTx, contactId: string, identities: IdentityValue[]) {
  if (!identities.length) return [];
  try {
    return await tx
      .insert(contactIdentities)
      .values(identities.map((i) => ({ ...i, contactId })))
      .returning({ id: contactIdentities.id, kind: contactIdentities.kind, platform: contactIdentities.platform, value: contactIdentities.value });
  } catch (err) {
    if (isUniqueViolation(err)) throw identityTaken(identities[0]!.kind);
    throw err;
  }
}

export async function createContact(ctx: Ctx, input: Static<typeof CreateContactBody>): Promise<Awaited<ReturnType<typeof getContact>>> {
  const account = await accountOf(ctx.db, input.accountId);
  const identities = normaliseAll(input.identities, account?.countryCode ?? null);
  // Built from what was written rather than read back: every channel creates contacts on its
  // intake path, where two more reads per new customer are two more round trips per message.
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(contacts)
      .values({ name: input.name.trim(), language: input.language ?? 'en', preferredChannel: input.preferredChannel ?? null, accountId: input.accountId ?? null })
      .returning(contactFields);
    const stored = await insertIdentities(tx, row!.id, identities);
    await recordAudit(tx, {
      actor: ctx.actor,
      action: 'contact.created',
      targetType: 'contact',
      targetId: row!.id,
      changes: [{ field: 'name', before: null, after: input.name }, ...identities.map((i) => ({ field: `identity.${i.kind}`, before: null, after: i.value }))],
    });
    return { ...row!, account: row!.accountId && account ? { id: row!.accountId, name: account.name } : null, identities: stored };
  });
}

export async function updateContact(ctx: AuthedCtx, id: string, patch: Static<typeof UpdateContactBody>, ifMatch?: number) {
  const before = await getContact(ctx, id);
  const { version: bodyVersion, ...fields } = patch;
  const version = bodyVersion ?? ifMatch;
  if (version !== undefined && version !== before.version) throw versionConflict();
  if (fields.accountId) await accountCountry(ctx.db, fields.accountId);
  const changes = changedFields(before as unknown as Record<string, unknown>, fields);
  if (!changes.length) return before;
  await ctx.db.transaction(async (tx) => {
    const updated = await tx
      .update(contacts)
      .set({ ...fields, version: sql`${contacts.version} + 1`, updatedAt: ctx.now() })
      .where(and(eq(contacts.id, id), eq(contacts.version, before.version)))
      .returning({ id: contacts.id });
    if (!updated.length) throw versionConflict();
    await recordAudit(tx, { actor: ctx.actor, action: 'contact.updated', targetType: 'contact', targetId: id, changes });
  });
  return getContact(ctx, id);
}

export async function addIdentity(ctx: AuthedCtx, contactId: string, input: Static<typeof IdentityInput>) {
  const contact = await getContact(ctx, contactId);
  const [identity] = normaliseAll([input], await accountCountry(ctx.db, contact.accountId)).map((i) => i);
  await ctx.db.transaction(async (tx) => {
    await insertIdentities(tx, contactId, [identity!]);
    await recordAudit(tx, { actor: ctx.actor, action: 'contact.identity_added', targetType: 'contact', targetId: contactId, changes: [{ field: `identity.${identity!.kind}`, before: null, after: identity!.value }] });
  });
  return getContact(ctx, contactId);
}

export async function removeIdentity(ctx: AuthedCtx, contactId: string, identityId: string) {
  const contact = await getContact(ctx, contactId);
  const identity = contact.identities.find((i) => i.id === identityId);
  if (!identity) throw notFound();
  await ctx.db.transaction(async (tx) => {
    await tx.delete(contactIdentities).where(eq(contactIdentities.id, identityId));
    await recordAudit(tx, { actor: ctx.actor, action: 'contact.identity_removed', targetType: 'contact', targetId: contactId, changes: [{ field: `identity.${identity.kind}`, before: identity.value, after: null }] });
  });
  return getContact(ctx, contactId);
}

export async function findContactByIdentity(db: DbOrTx, identity: IdentityValue) {
  const [row] = await db
    .select({ contactId: contactIdentities.contactId })
    .from(contactIdentities)
    .where(and(eq(contactIdentities.kind, identity.kind), eq(contactIdentities.platform, identity.platform), eq(contactIdentities.value, identity.value)));
  return row?.contactId ?? null;
}

/**
 * Finds the contact behind an email, phone or handle, or creates one. Every channel calls this,
 * so one person keeps one history. A race between two creators ends with both getting the same contact.
 */
export async function findOrCreateContact(
  ctx: Ctx,
  input: Static<typeof LookupContactBody>,
  field = 'value',
  /** For a contact this creates: their language, and more of their identities (any that another contact holds are left out). */
  fresh: { language?: 'en' | 'ar'; identities?: IdentityValue[] } = {},
): Promise<{ contact: Awaited<ReturnType<typeof getContact>>; created: boolean } | null> {
  const r = normaliseIdentity(input, null, field);
  if (!r.ok) throw validation([r.error]);
  const existing = await findContactByIdentity(ctx.db, r.identity);
  if (existing) return { contact: await getContact(ctx, existing), created: false };
  if (!input.create) return null;
  const name = input.name?.trim() || (r.identity.kind === 'email' ? r.identity.value.split('@')[0]! : r.identity.value);
  try {
    const more: IdentityValue[] = [];
    for (const i of fresh.identities ?? []) if (!(await findContactByIdentity(ctx.db, i))) more.push(i);
    const identities = [r.identity, ...more].map((i) => ({ kind: i.kind, value: i.value, platform: i.platform }));
    const contact = await createContact(ctx, { name, ...(fresh.language ? { language: fresh.language } : {}), identities });
    return { contact, created: true };
  } catch (err) {
    if (err instanceof AppError && err.code === 'identity_taken') {
      const winner = await findContactByIdentity(ctx.db, r.identity);
      if (winner) return { contact: await getContact(ctx, winner), created: false };
    }
    throw err;
  }
}

/**
 * findOrCreateContact for many people at once (a batch of mail taken in): one read finds everyone
 * already known, and the new ones are written with one statement per table. A person named twice
 * is one contact, made from their first mention. If another writer takes one of the identities
 * meanwhile this throws identity_taken and the caller's transaction is lost: the caller then
 * takes each one alone with findOrCreateContact, which settles such races.
 */
export async function findOrCreateContacts(
  ctx: Ctx,
  wanted: { input: Static<typeof LookupContactBody>; field?: string; language?: 'en' | 'ar' }[],
): Promise<({ contact: Awaited<ReturnType<typeof getContact>>; created: boolean } | null)[]> {
  const identities = wanted.map((w) => {
    const r = normaliseIdentity(w.input, null, w.field ?? 'value');
    if (!r.ok) throw validation([r.error]);
    return r.identity;
  });
  const key = (i: { kind: string; platform: string; value: string }) => `${i.kind}\u0000${i.platform}\u0000${i.value}`;
  // By (kind, platform) first: the unique index leads with them, and value alone would scan the table.
  const sorts = new Map<string, { kind: string; platform: string; values: Set<string> }>();
  for (const i of identities) {
    const s = sorts.get(`${i.kind}\u0000${i.platform}`) ?? { kind: i.kind, platform: i.platform, values: new Set<string>() };
    sorts.set(`${i.kind}\u0000${i.platform}`, s.values.add(i.value) && s);
  }
  const known = sorts.size
    ? await ctx.db
        .select({ contactId: contactIdentities.contactId, kind: contactIdentities.kind, platform: contactIdentities.platform, value: contactIdentities.value })
        .from(contactIdentities)
        .where(or(...[...sorts.values()].map((s) => and(eq(contactIdentities.kind, s.kind), eq(contactIdentities.platform, s.platform), inArray(contactIdentities.value, [...s.values])))))
    : [];
  const owner = new Map(known.map((k) => [key(k), k.contactId]));
  const fresh = new Map<string, { id: string; identity: IdentityValue; name: string; language: 'en' | 'ar' }>();
  identities.forEach((identity, i) => {
    const k = key(identity);
    const { input, language } = wanted[i]!;
    if (owner.has(k) || fresh.has(k) || !input.create) return;
    const name = input.name?.trim() || (identity.kind === 'email' ? identity.value.split('@')[0]! : identity.value);
    fresh.set(k, { id: newId(), identity, name, language: language ?? 'en' });
  });
  if (fresh.size) {
    const made = [...fresh.values()];
    await ctx.db.insert(contacts).values(made.map((m) => ({ id: m.id, name: m.name, language: m.language })));
    try {
      await ctx.db.insert(contactIdentities).values(made.map((m) => ({ ...m.identity, contactId: m.id })));
    } catch (err) {
      if (isUniqueViolation(err)) throw identityTaken(made[0]!.identity.kind);
      throw err;
    }
    await recordAudit(
      ctx.db,
      made.map((m) => ({
        actor: ctx.actor,
        action: 'contact.created',
        targetType: 'contact',
        targetId: m.id,
        changes: [{ field: 'name', before: null, after: m.name }, { field: `identity.${m.identity.kind}`, before: null, after: m.identity.value }],
      })),
    );
    for (const [k, m] of fresh) owner.set(k, m.id);
  }
  const ids = [...new Set(identities.map((i) => owner.get(key(i))).filter((id): id is string => !!id))];
  const rows = ids.length ? await hydrate(ctx.db, await select(ctx.db).where(inArray(contacts.id, ids))) : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const createdIds = new Set([...fresh.values()].map((m) => m.id));
  return identities.map((i) => {
    const contact = byId.get(owner.get(key(i)) ?? '');
    return contact ? { contact, created: createdIds.has(contact.id) } : null;
  });
}

/**
 * Two contacts that turn out to be one person become one: everything that points at `otherId`
 * is re-pointed at `keepId`, then the other contact is deleted. The tables of other modules are
 * updated by name rather than through their drizzle schemas so customers does not import them;
 * all of it runs in one transaction so a half-merged person can never be seen.
 */
export async function mergeContacts(ctx: AuthedCtx, keepId: string, otherId: string) {
  if (keepId === otherId) throw validation([{ field: 'otherId', code: 'invalid', params: { reason: 'a contact cannot be merged into itself' } }]);
  const keep = await getContact(ctx, keepId);
  const other = await getContact(ctx, otherId).catch((e: unknown) => {
    if (e instanceof AppError && e.status === 404) throw validation([{ field: 'otherId', code: 'invalid', params: { reason: 'no such contact' } }]);
    throw e;
  });
  await ctx.db.transaction(async (tx) => {
    const moved = {
      identities: (await tx.update(contactIdentities).set({ contactId: keepId }).where(eq(contactIdentities.contactId, otherId)).returning({ id: contactIdentities.id })).length,
      // Tickets carry a version; bumping it makes an agent with the ticket open reload before overwriting the new requester.
      tickets: (await tx.execute(sql`update tickets set requester_id = ${keepId}, version = version + 1 where requester_id = ${otherId} returning 1`)).rows.length,
      messages: (await tx.execute(sql`update ticket_messages set author_contact_id = ${keepId} where author_contact_id = ${otherId} returning 1`)).rows.length,
      calls: (await tx.execute(sql`update calls set contact_id = ${keepId} where contact_id = ${otherId} returning 1`)).rows.length,
      telephonyCalls: (await tx.execute(sql`update telephony_calls set contact_id = ${keepId} where contact_id = ${otherId} returning 1`)).rows.length,
    };
    // The kept contact has no account yet: the other's account is the only company we know for this person.
    const adopt = !keep.accountId && other.accountId ? { accountId: other.accountId } : {};
    await tx.update(contacts).set({ ...adopt, version: sql`${contacts.version} + 1`, updatedAt: ctx.now() }).where(eq(contacts.id, keepId));
    await tx.delete(contacts).where(eq(contacts.id, otherId));
    await recordAudit(tx, {
      actor: ctx.actor,
      action: 'contact.merged',
      targetType: 'contact',
      targetId: keepId,
      changes: [
        { field: 'mergedContact', before: { id: other.id, name: other.name, accountId: other.accountId }, after: null },
        { field: 'moved', before: null, after: moved },
      ],
    });
  });
  return getContact(ctx, keepId);
}
