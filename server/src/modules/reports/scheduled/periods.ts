/**
 * The periods of the scheduled reports, in the company's time zone. Pure.
 *
 * - Weekly Customer Care Report: the Saudi working week, Sunday 00:00 to the next Sunday 00:00
 *   (Sun-Sat). Period id: the Sunday, `2026-11-01`. Due Sunday 06:00 after the week ends.
 * - Monthly Key Account Report: the calendar month. Period id `2026-11`. Due on the 1st at 06:00.
 *
 * 06:00 leaves time for the night's work (the key-account ranking runs at 00:00 on the 1st) and
 * puts the report in the inbox before the working day starts.
 */
import { DateTime } from 'luxon';

export const REPORT_KINDS = ['weekly_care', 'monthly_key_accounts'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** Hour of day (company time) at which a finished period's report is produced. */
export const DUE_HOUR = 6;
/** The cron expressions the schedule uses, in the company's time zone (see DUE_HOUR). */
export const CRON: Record<ReportKind, string> = { weekly_care: '0 6 * * 0', monthly_key_accounts: '0 6 1 * *' };
/** A catch-up after downtime produces at most this many missed periods of a kind. */
export const MAX_CATCH_UP: Record<ReportKind, number> = { weekly_care: 12, monthly_key_accounts: 6 };

export interface Period {
  kind: ReportKind;
  id: string;
  start: Date;
  end: Date;
  /** The same-length period before it: the previous week, the previous calendar month. */
  prevStart: Date;
  prevEnd: Date;
  timeZone: string;
}

function startOfWeek(dt: DateTime): DateTime {
  // luxon's weekday: 1 = Monday ... 7 = Sunday.
  const d = dt.startOf('day');
  return d.minus({ days: d.weekday % 7 });
}

/** The period that contains `at`. */
export function periodContaining(kind: ReportKind, at: Date, timeZone: string): Period {
  const dt = DateTime.fromJSDate(at, { zone: timeZone });
  const start = kind === 'weekly_care' ? startOfWeek(dt) : dt.startOf('month');
  return build(kind, start);
}

function build(kind: ReportKind, start: DateTime): Period {
  const step = kind === 'weekly_care' ? { weeks: 1 } : { months: 1 };
  const end = start.plus(step);
  const prev = start.minus(step);
  return {
    kind,
    id: kind === 'weekly_care' ? start.toISODate()! : start.toFormat('yyyy-MM'),
    start: start.toJSDate(),
    end: end.toJSDate(),
    prevStart: prev.toJSDate(),
    prevEnd: start.toJSDate(),
    timeZone: start.zoneName!,
  };
}

/** A period from its id; null when the id is not one of this kind's. */
export function parsePeriod(kind: ReportKind, id: string, timeZone: string): Period | null {
  if (kind === 'weekly_care') {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(id)) return null;
    const d = DateTime.fromISO(id, { zone: timeZone });
    if (!d.isValid || d.weekday !== 7) return null;
    return build(kind, d);
  }
  if (!/^\d{4}-\d{2}$/.test(id)) return null;
  const d = DateTime.fromISO(`${id}-01`, { zone: timeZone });
  return d.isValid ? build(kind, d) : null;
}

export function nextPeriod(p: Period): Period {
  return build(p.kind, DateTime.fromJSDate(p.end, { zone: p.timeZone }));
}

/** When a period's report is due: DUE_HOUR on the day after it ends. */
export function dueAt(p: Period): Date {
  return DateTime.fromJSDate(p.end, { zone: p.timeZone }).set({ hour: DUE_HOUR }).toJSDate();
}

/** The latest period whose report is due at `now`. */
export function latestDue(kind: ReportKind, now: Date, timeZone: string): Period {
  const current = periodContaining(kind, now, timeZone);
  let p = build(kind, DateTime.fromJSDate(current.prevStart, { zone: timeZone }));
  if (dueAt(p) > now) p = build(kind, DateTime.fromJSDate(p.prevStart, { zone: timeZone }));
  return p;
}

/**
 * The periods to produce at `now`, oldest first: every period after the last archived one up to
 * the latest due (what a downtime missed), at most MAX_CATCH_UP; with nothing archived yet, only
 * the latest due one (a new installation does not backfill its history).
 */
export function periodsToProduce(kind: ReportKind, now: Date, timeZone: string, lastArchived: string | null): Period[] {
  const latest = latestDue(kind, now, timeZone);
  const last = lastArchived ? parsePeriod(kind, lastArchived, timeZone) : null;
  if (!last) return [latest];
  const out: Period[] = [];
  for (let p = nextPeriod(last); p.start <= latest.start; p = nextPeriod(p)) out.push(p);
  return out.slice(-MAX_CATCH_UP[kind]);
}
