/**
 * Business-time arithmetic on a calendar: weekly hours in an IANA zone (several intervals a day,
 * crossing midnight allowed), whole-day holidays, dated breaks and dated shifts. Pure: no I/O, no
 * clock. Instants are epoch milliseconds. Local wall-clock times become instants through luxon, so
 * DST is the zone database's business, never ours.
 */
import { DateTime, IANAZone } from 'luxon';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export type Interval = [string, string];

export interface CalendarSpec {
  timeZone: string;
  hours: Partial<Record<Weekday, Interval[]>>;
  holidays: { date: string; name: string }[];
  /** Dated closures in local time (a staff meeting, an early close). */
  breaks?: Record<string, Interval[]>;
  /** Dated hours that replace the weekly hours of that date (Ramadan hours, say). */
  shifts?: Record<string, Interval[]>;
}

export type Period = [number, number];

const DAY_MS = 86_400_000;
/** How far a search for open time goes before it gives up: a calendar with no hours never opens. */
const MAX_DAYS = 3 * 366;

const ymd = (day: number) => {
  const d = new Date(day * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
};
const dayKey = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const dayOf = (key: string) => Math.floor(Date.parse(`${key}T00:00:00Z`) / DAY_MS);

export const isValidTimeZone = (tz: string) => IANAZone.isValidZone(tz);
export const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

/** Errors in a calendar's shape, as [field, reason] pairs, so the API can name the field. */
export function calendarProblems(spec: CalendarSpec): [string, string][] {
  const out: [string, string][] = [];
  if (!isValidTimeZone(spec.timeZone)) out.push(['timeZone', 'not an IANA time zone']);
  let any = false;
  for (const [day, list] of Object.entries(spec.hours)) {
    if (!(WEEKDAYS as readonly string[]).includes(day)) {
      out.push([`hours.${day}`, 'not a weekday']);
      continue;
    }
    (list ?? []).forEach(([s, e], i) => {
      if (!TIME_RE.test(s) || !TIME_RE.test(e)) out.push([`hours.${day}.${i}`, 'times are HH:MM']);
      else if (s === '24:00') out.push([`hours.${day}.${i}`, 'an interval cannot start at 24:00']);
      else if (s === e) out.push([`hours.${day}.${i}`, 'an interval needs a length']);
      else any = true;
    });
    const sorted = [...(list ?? [])].filter(([s, e]) => TIME_RE.test(s) && TIME_RE.test(e)).sort((a, b) => a[0].localeCompare(b[0]));
    for (let i = 1; i < sorted.length; i++) {
      const prev = sorted[i - 1]!;
      if (prev[1] > prev[0] && sorted[i]![0] < prev[1]) out.push([`hours.${day}`, 'intervals overlap']);
      else if (prev[1] < prev[0] && prev[1] !== '24:00') out.push([`hours.${day}`, 'only the last interval of a day may cross midnight']);
    }
  }
  if (!any) out.push(['hours', 'at least one working interval is needed']);
  spec.holidays.forEach((h, i) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(h.date) || Number.isNaN(Date.parse(`${h.date}T00:00:00Z`))) out.push([`holidays.${i}.date`, 'dates are YYYY-MM-DD']);
  });
  return out;
}

function subtractRanges(periods: Period[], closed: Period[]): Period[] {
  if (!closed.length) return periods;
  let out = periods;
  for (const [cs, ce] of closed) {
    const next: Period[] = [];
    for (const [s, e] of out) {
      if (ce <= s || cs >= e) next.push([s, e]);
      else {
        if (cs > s) next.push([s, cs]);
        if (ce < e) next.push([ce, e]);
      }
    }
    out = next;
  }
  return out;
}

/** A calendar ready for arithmetic: each local date's open periods are computed once and kept. */
export class BusinessCalendar {
  private readonly cache = new Map<number, Period[]>();
  private readonly holidays: Set<string>;

  constructor(
    readonly spec: CalendarSpec,
    /** Open around the clock in UTC: calendar-time targets use the same arithmetic. */
    private readonly always = false,
  ) {
    this.holidays = new Set(spec.holidays.map((h) => h.date));
  }

  static alwaysOpen() {
    return new BusinessCalendar({ timeZone: 'UTC', hours: {}, holidays: [] }, true);
  }

  private local(day: number, hhmm: string): number {
    if (hhmm === '24:00') return this.local(day + 1, '00:00');
    const { year, month, day: d } = ymd(day);
    const [hour, minute] = hhmm.split(':').map(Number) as [number, number];
    return DateTime.fromObject({ year, month, day: d, hour, minute }, { zone: this.spec.timeZone }).toMillis();
  }

  private readonly dayCache = new Map<number, number>();

  /** The local date (as a day number) an instant falls on. */
  dayAt(ms: number): number {
    if (this.always) return Math.floor(ms / DAY_MS);
    // Zone offsets and their changes fall on quarter hours: one lookup per quarter hour is exact.
    const bucket = Math.floor(ms / 900_000);
    const hit = this.dayCache.get(bucket);
    if (hit !== undefined) return hit;
    const dt = DateTime.fromMillis(bucket * 900_000, { zone: this.spec.timeZone });
    const day = Math.floor(Date.UTC(dt.year, dt.month - 1, dt.day) / DAY_MS);
    if (this.dayCache.size > 200_000) this.dayCache.clear();
    this.dayCache.set(bucket, day);
    return day;
  }

  /** Open periods that start on local date `day`, holidays and breaks removed (they may end the next day). */
  dayPeriods(day: number): Period[] {
    const hit = this.cache.get(day);
    if (hit) return hit;
    let periods: Period[];
    if (this.always) {
      periods = [[day * DAY_MS, (day + 1) * DAY_MS]];
    } else {
      const key = dayKey(day);
      const intervals = this.spec.shifts?.[key] ?? this.spec.hours[WEEKDAYS[new Date(day * DAY_MS).getUTCDay()]!] ?? [];
      periods = [];
      for (const [s, e] of intervals) {
        const start = this.local(day, s);
        const end = e !== '24:00' && e <= s ? this.local(day + 1, e) : this.local(day, e);
        // A local time that does not exist (the hour skipped at a DST change) can leave nothing.
        if (end > start) periods.push([start, end]);
      }
      periods.sort((a, b) => a[0] - b[0]);
      const closed: Period[] = [];
      for (const d of [day, day + 1]) {
        const k = dayKey(d);
        if (this.holidays.has(k)) closed.push([this.local(d, '00:00'), this.local(d + 1, '00:00')]);
        for (const [s, e] of this.spec.breaks?.[k] ?? []) closed.push([this.local(d, s), e <= s && e !== '24:00' ? this.local(d + 1, e) : this.local(d, e)]);
      }
      periods = subtractRanges(periods, closed);
    }
    this.cache.set(day, periods);
    return periods;
  }

  /** Open periods at or after `from`, clipped to it, adjacent ones merged, minus `pauses` (sorted). */
  *forward(from: number, pauses: Period[] = []): Generator<Period> {
    let pending: Period | null = null;
    const first = this.dayAt(from) - 1;
    for (let day = first; day < first + MAX_DAYS; day++) {
      const list = this.dayPeriods(day);
      for (let i = 0; i < list.length; i++) {
        const s0 = list[i]![0];
        const e = list[i]![1];
        if (e <= from) continue;
        const s = Math.max(s0, from);
        if (pending && s <= pending[1]) {
          pending[1] = Math.max(pending[1], e);
          continue;
        }
        // Most walks have no pauses: the period goes out as it is, without a copy to subtract from.
        if (pending) {
          if (pauses.length) yield* subtractRanges([pending], pauses);
          else yield pending;
        }
        pending = [s, e];
      }
    }
    if (pending) {
      if (pauses.length) yield* subtractRanges([pending], pauses);
      else yield pending;
    }
  }

  /** Open periods at or before `from`, newest first, clipped to it. */
  *backward(from: number): Generator<Period> {
    let pending: Period | null = null;
    const last = this.dayAt(from) + 1;
    for (let day = last; day > last - MAX_DAYS; day--) {
      const list = this.dayPeriods(day);
      for (let i = list.length - 1; i >= 0; i--) {
        const [s, e0] = list[i]!;
        if (s >= from) continue;
        const e = Math.min(e0, from);
        if (pending && e >= pending[0]) {
          pending[0] = Math.min(pending[0], s);
          continue;
        }
        if (pending) yield pending;
        pending = [s, e];
      }
    }
    if (pending) yield pending;
  }

  /**
   * The instant `ms` of open time after `start`. Open time that runs out exactly at a closing
   * leaves the due time at the next opening (nobody can act at the closing instant).
   */
  add(start: number, ms: number, pauses: Period[] = []): number | null {
    let left = ms;
    for (const [s, e] of this.forward(start, pauses)) {
      if (left === 0) return s;
      if (left < e - s) return s + left;
      left -= e - s;
    }
    return null;
  }

  /** `add` for several amounts from one start in a single walk (a clock's due time, warnings and steps). */
  addAll(start: number, amounts: number[], pauses: Period[] = []): (number | null)[] {
    // The amounts' indexes by amount, equal amounts in their given order (an insertion sort: a
    // handful of amounts per clock, and no closures made for every clock of every ticket).
    const order: number[] = [];
    const out: (number | null)[] = [];
    for (let i = 0; i < amounts.length; i++) {
      let at = order.length;
      while (at > 0 && amounts[order[at - 1]!]! > amounts[i]!) at--;
      order.splice(at, 0, i);
      out.push(null);
    }
    let k = 0;
    let used = 0;
    for (const [s, e] of this.forward(start, pauses)) {
      while (k < order.length) {
        const left = amounts[order[k]!]! - used;
        if (left === 0) out[order[k]!] = s;
        else if (left < e - s) out[order[k]!] = s + left;
        else break;
        k++;
      }
      if (k >= order.length) break;
      used += e - s;
    }
    return out;
  }

  subtract(start: number, ms: number): number | null {
    let left = ms;
    for (const [s, e] of this.backward(start)) {
      if (left === 0) return e;
      if (left < e - s) return e - left;
      left -= e - s;
    }
    return null;
  }

  /** Open time between two instants, pauses excluded. */
  elapsed(start: number, end: number, pauses: Period[] = []): number {
    if (end <= start) return 0;
    let total = 0;
    for (const [s, e] of this.forward(start, pauses)) {
      if (s >= end) break;
      total += Math.min(e, end) - s;
    }
    return total;
  }

  isOpen(at: number): boolean {
    const next = this.forward(at).next();
    return !next.done && next.value[0] === at;
  }

  openPeriods(start: number, count: number): Period[] {
    const out: Period[] = [];
    for (const p of this.forward(start)) {
      out.push(p);
      if (out.length >= count) break;
    }
    return out;
  }

  private isBusinessDay(day: number) {
    return this.dayPeriods(day).length > 0;
  }

  /** N business days later at the same local time of day, then the first open moment from there. */
  addBusinessDays(start: number, days: number): number | null {
    return this.moveDays(start, days, 1);
  }

  subtractBusinessDays(start: number, days: number): number | null {
    return this.moveDays(start, days, -1);
  }

  private moveDays(start: number, days: number, dir: 1 | -1): number | null {
    const local = DateTime.fromMillis(start, { zone: this.spec.timeZone });
    let day = this.dayAt(start);
    let moved = 0;
    for (let guard = 0; moved < days && guard < MAX_DAYS; guard++) {
      day += dir;
      if (this.isBusinessDay(day)) moved++;
    }
    const { year, month, day: d } = ymd(day);
    const target = DateTime.fromObject(
      { year, month, day: d, hour: local.hour, minute: local.minute, second: local.second, millisecond: local.millisecond },
      { zone: this.spec.timeZone },
    ).toMillis();
    return dir === 1 ? this.add(target, 0) : this.subtract(target, 0);
  }
}

export { dayKey, dayOf };
