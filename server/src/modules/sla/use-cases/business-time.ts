import type { DbOrTx } from '../../../platform/db/index.js';
import { loadSlaConfig } from '../db/repository.js';
import { calendarFor } from '../domain/clocks.js';

/**
 * Open time between two instants on a group's business calendar (the installation's default
 * calendar when the group has none; around the clock when there is no calendar at all), for
 * reports that measure durations the way service levels do.
 */
export async function businessElapsed(db: DbOrTx, groupId: string | null, start: Date, end: Date): Promise<number> {
  const config = await loadSlaConfig(db);
  const calendarId = groupId ? (config.groups.get(groupId)?.calendarId ?? null) : null;
  return calendarFor(config, calendarId).calendar.elapsed(start.getTime(), end.getTime());
}

/** The company's time zone: the default calendar's (UTC when there is none). Reports bucket days in it. */
export async function companyTimeZone(db: DbOrTx): Promise<string> {
  const config = await loadSlaConfig(db);
  return calendarFor(config, null).calendar.spec.timeZone;
}
