import { and, count, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Ctx } from '../../../platform/context.js';
import { AppError, validation } from '../../../platform/errors.js';
import { recordAudit } from '../../../platform/audit.js';
import type { Lang } from '../../../platform/i18n.js';
import { hashPassword, timingDummyHash, verifyPassword } from '../../auth/passwords.js';
import { contacts } from '../../customers/db/schema.js';
import { findContactByIdentity, findOrCreateContact, normaliseIdentity } from '../../customers/index.js';
import { enqueueSend, PORTAL_LINK_MINUTES, PORTAL_VERIFY_HOURS, queueModuleMail } from '../../channels/email/index.js';
import { portalAccounts, portalTokens } from '../db/schema.js';
import { createPortalSession, newToken, sha256 } from '../sessions.js';

/** Emailed links asked for one contact within this window, beyond which no more mail is sent. */
export const LINKS_PER_WINDOW = 5;
const LINK_WINDOW_MS = 15 * 60_000;

type Purpose = 'verify' | 'signin';

function emailOf(raw: string) {
  const r = normaliseIdentity({ kind: 'email', value: raw }, null, 'email');
  if (!r.ok) throw validation([r.error]);
  return r.identity;
}

/**
 * Makes a single-use token, keeps only its hash, and queues the email that carries it, in one
 * transaction. Past LINKS_PER_WINDOW links in the window nothing is sent (the caller's answer is
 * the same, so the limit reveals nothing about the address).
 */
async function sendLink(ctx: Ctx, contactId: string, email: string, purpose: Purpose, passwordHash: string | null = null) {
  const now = ctx.now();
  const [recent] = await ctx.db
    .select({ n: count() })
    .from(portalTokens)
    .where(and(eq(portalTokens.contactId, contactId), gt(portalTokens.createdAt, new Date(now.getTime() - LINK_WINDOW_MS))));
  if ((recent?.n ?? 0) >= LINKS_PER_WINDOW) return false;
  const token = newToken(purpose === 'verify' ? 'cdv_' : 'cdl_');
  const ttlMs = purpose === 'verify' ? PORTAL_VERIFY_HOURS * 3600_000 : PORTAL_LINK_MINUTES * 60_000;
  // In a fragment, not a query: the token never reaches a server log or a Referer header.
  const link = `${ctx.config.publicUrl}/portal/link#token=${token}`;
  const outboxId = await ctx.db.transaction(async (tx) => {
    await tx.insert(portalTokens).values({ tokenHash: sha256(token), contactId, purpose, email, passwordHash, expiresAt: new Date(now.getTime() + ttlMs), createdAt: now });
    if (!ctx.secrets) throw new Error('portal mail needs the server secrets');
    // The link is a credential until used: only the outbox row (encrypted) and the email carry it.
    return queueModuleMail(tx, { contactId, to: email, purpose: purpose === 'verify' ? 'portal_verify' : 'portal_signin', sealed: ctx.secrets.encrypt(link) });
  });
  if (outboxId) await enqueueSend(ctx.jobs, [outboxId]);
  return true;
}

/**
 * A customer signs up with their email and a password. The contact is found by that email (or
 * created); the password takes effect only when the emailed verification link is opened, so
 * nobody can set a password on an address they cannot read. Already verified: a sign-in link
 * is sent instead, and nothing is changed.
 */
export async function register(ctx: Ctx, input: { email: string; password: string; name?: string; language?: Lang }) {
  const identity = emailOf(input.email);
  const found = await findOrCreateContact(ctx, { kind: 'email', value: identity.value, name: input.name, create: true }, 'email');
  const contact = found!.contact;
  if (found!.created && input.language && input.language !== 'en') {
    await ctx.db.update(contacts).set({ language: input.language }).where(eq(contacts.id, contact.id));
  }
  const [account] = await ctx.db.select().from(portalAccounts).where(eq(portalAccounts.contactId, contact.id));
  if (account?.emailVerifiedAt && account.passwordHash) {
    await sendLink(ctx, contact.id, identity.value, 'signin');
  } else {
    await sendLink(ctx, contact.id, identity.value, 'verify', await hashPassword(input.password));
  }
  return { accepted: true };
}

/** A sign-in link by email. An unknown address gets the same answer and no mail. */
export async function requestLink(ctx: Ctx, rawEmail: string) {
  const identity = emailOf(rawEmail);
  const contactId = await findContactByIdentity(ctx.db, identity);
  if (contactId) await sendLink(ctx, contactId, identity.value, 'signin');
  return { accepted: true };
}

/**
 * Opens an emailed link: the token is spent by one UPDATE (so two tabs or two processes cannot
 * both use it), the address counts as verified, a verify link sets the chosen password, and the
 * customer is signed in.
 */
export async function consumeToken(ctx: Ctx, token: string) {
  const now = ctx.now();
  const [used] = await ctx.db
    .update(portalTokens)
    .set({ usedAt: now })
    .where(and(eq(portalTokens.tokenHash, sha256(token)), isNull(portalTokens.usedAt), gt(portalTokens.expiresAt, now)))
    .returning({ contactId: portalTokens.contactId, purpose: portalTokens.purpose, passwordHash: portalTokens.passwordHash });
  if (!used) throw new AppError('portal.link_invalid', 400);
  const session = await ctx.db.transaction(async (tx) => {
    const setPassword = used.purpose === 'verify' && used.passwordHash ? { passwordHash: used.passwordHash } : {};
    await tx
      .insert(portalAccounts)
      .values({ contactId: used.contactId, emailVerifiedAt: now, lastSignInAt: now, ...setPassword })
      .onConflictDoUpdate({
        target: portalAccounts.contactId,
        set: { emailVerifiedAt: sql`coalesce(${portalAccounts.emailVerifiedAt}, ${now.toISOString()}::timestamptz)`, lastSignInAt: now, updatedAt: now, ...setPassword },
      });
    await recordAudit(tx, { actor: null, action: used.purpose === 'verify' ? 'portal.email_verified' : 'portal.signed_in_by_link', targetType: 'contact', targetId: used.contactId, at: now });
    return createPortalSession(tx, used.contactId, ctx.config.sessionTtlHours, now);
  });
  return { token: session, contactId: used.contactId };
}

// Failed password sign-ins per address in this process; the per-IP limit is @fastify/rate-limit's.
const failures = new Map<string, { count: number; since: number }>();
const FAILURE_WINDOW_MS = 15 * 60_000;
const MAX_FAILURES = 20;

/** Password sign-in. A right password on an unverified address is refused with its own reason. */
export async function passwordSignIn(ctx: Ctx, rawEmail: string, password: string) {
  const email = rawEmail.trim().toLowerCase();
  const now = Date.now();
  const f = failures.get(email);
  if (f && now - f.since < FAILURE_WINDOW_MS && f.count >= MAX_FAILURES) throw new AppError('rate_limited', 429);
  const r = normaliseIdentity({ kind: 'email', value: email }, null, 'email');
  const contactId = r.ok ? await findContactByIdentity(ctx.db, r.identity) : null;
  const [account] = contactId ? await ctx.db.select().from(portalAccounts).where(eq(portalAccounts.contactId, contactId)) : [];
  // Not verified yet: the password chosen at sign-up waits on its verification link.
  const [pending] =
    contactId && !account?.emailVerifiedAt
      ? await ctx.db
          .select({ passwordHash: portalTokens.passwordHash })
          .from(portalTokens)
          .where(and(eq(portalTokens.contactId, contactId), eq(portalTokens.purpose, 'verify'), isNull(portalTokens.usedAt), gt(portalTokens.expiresAt, ctx.now())))
          .orderBy(desc(portalTokens.createdAt))
          .limit(1)
      : [];
  const hash = account?.passwordHash ?? pending?.passwordHash ?? null;
  const ok = hash ? await verifyPassword(hash, password) : await verifyPassword(await timingDummyHash(), `${password}x`);
  if (!contactId || !hash || !ok) {
    const entry = f && now - f.since < FAILURE_WINDOW_MS ? f : { count: 0, since: now };
    entry.count += 1;
    failures.set(email, entry);
    throw new AppError('invalid_credentials', 401);
  }
  failures.delete(email);
  if (!account?.emailVerifiedAt) throw new AppError('portal.email_unverified', 403);
  const at = ctx.now();
  await ctx.db.update(portalAccounts).set({ lastSignInAt: at }).where(eq(portalAccounts.contactId, contactId));
  return { token: await createPortalSession(ctx.db, contactId, ctx.config.sessionTtlHours, at), contactId };
}

export async function hasPassword(ctx: Pick<Ctx, 'db'>, contactId: string) {
  const [a] = await ctx.db.select({ p: portalAccounts.passwordHash }).from(portalAccounts).where(eq(portalAccounts.contactId, contactId));
  return Boolean(a?.p);
}

export async function setPassword(ctx: Ctx, contactId: string, password: string) {
  const passwordHash = await hashPassword(password);
  await ctx.db.update(portalAccounts).set({ passwordHash, updatedAt: ctx.now() }).where(eq(portalAccounts.contactId, contactId));
}
