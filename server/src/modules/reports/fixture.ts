/**
 * Test helpers: use cases driven with a chosen clock, so facts carry times a person can check by
 * hand against the demo's Saudi calendar (Sun-Thu 08:00-17:00 Asia/Riyadh = 05:00-14:00 UTC).
 */
import { eq, sql } from 'drizzle-orm';
import type { Actor, AuthedCtx, UserRole } from '../../platform/context.js';
import type { TestApp } from '../../test/harness.js';
import { users, groupMemberships } from '../people/db/schema.js';

export async function ctxFor(t: TestApp, email: string, clock: { now: Date }): Promise<AuthedCtx> {
  const [u] = await t.database.db.select().from(users).where(eq(users.email, email));
  if (!u) throw new Error(`no user ${email}`);
  const gm = await t.database.db.select({ g: groupMemberships.groupId }).from(groupMemberships).where(eq(groupMemberships.userId, u.id));
  const actor: Actor = { type: 'user', id: u.id, name: u.name, email: u.email, language: u.language as 'en' | 'ar', roles: u.roles as UserRole[], groupIds: gm.map((g) => g.g) };
  return { db: t.database.db, config: t.config, actor, lang: 'en', now: () => new Date(clock.now) };
}

export async function factsOf(t: TestApp, ticketId: string) {
  const res = await t.database.db.execute<{ kind: string; occurred_at: Date; business_ms: string | null; calendar_ms: string | null; extras: Record<string, unknown>; agent_id: string | null; key_account: boolean; target: string | null }>(
    sql`select kind, occurred_at, business_ms, calendar_ms, extras, agent_id, key_account, target from report_facts where ticket_id = ${ticketId} order by occurred_at, kind`,
  );
  return res.rows.map((r) => ({ ...r, business_ms: r.business_ms === null ? null : Number(r.business_ms), calendar_ms: r.calendar_ms === null ? null : Number(r.calendar_ms) }));
}
