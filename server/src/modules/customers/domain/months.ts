import { DateTime } from 'luxon';

/** The month (YYYY-MM-01) that `at` falls in, on the company's calendar. */
export function monthIn(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).startOf('month').toISODate()!;
}

export function addMonths(month: string, n: number): string {
  return DateTime.fromISO(month, { zone: 'utc' }).plus({ months: n }).toISODate()!;
}
