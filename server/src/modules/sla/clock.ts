/**
 * The time the SLA module observes: the sweep, the queue states and the ticket clocks.
 *
 * Browser tests must see a ticket become at risk and an escalation fire without waiting hours.
 * With CAREDESK_TEST_CLOCK=true (never in production) an admin may move this clock forward through
 * `PUT /api/v1/test/sla-clock`; the offset is stored in the database, so every server process on
 * it observes the same time. Without the flag the offset is never read and this is the real clock.
 * Ticket changes keep the real time: only what the SLA module sees and does is shifted.
 */
import { eq } from 'drizzle-orm';
import type { Config } from '../../platform/config.js';
import type { DbOrTx } from '../../platform/db/index.js';
import { appSettings } from '../../platform/db/settings.schema.js';
import { forbidden, notFound } from '../../platform/errors.js';
import { isAdmin, type AuthedCtx } from '../../platform/context.js';

export const TEST_CLOCK_SETTING = 'sla.test_clock_offset_ms';

export async function clockOffsetMs(db: DbOrTx, config: Pick<Config, 'testClock'>): Promise<number> {
  if (!config.testClock) return 0;
  const [row] = await db.select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, TEST_CLOCK_SETTING));
  return typeof row?.value === 'number' ? row.value : 0;
}

export async function slaNow(db: DbOrTx, config: Pick<Config, 'testClock'>): Promise<Date> {
  return new Date(Date.now() + (await clockOffsetMs(db, config)));
}

/** Test aid: sets how far the SLA clock runs ahead of the real one. 404 unless CAREDESK_TEST_CLOCK is on. */
export async function setTestClock(ctx: AuthedCtx, offsetMinutes: number) {
  if (!ctx.config.testClock) throw notFound();
  if (!isAdmin(ctx.actor)) throw forbidden();
  const value = Math.round(offsetMinutes * 60_000);
  await ctx.db
    .insert(appSettings)
    .values({ key: TEST_CLOCK_SETTING, value, updatedAt: new Date() })
    .onConflictDoUpdate({ target: appSettings.key, set: { value, updatedAt: new Date() } });
  return { offsetMinutes, now: new Date(Date.now() + value).toISOString() };
}
