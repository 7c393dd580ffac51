/** Every case of the shared SLA corpus (Zammad and biz specs), read in place. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusDir } from '../../channels/email/domain/corpus-path.js';
import { BusinessCalendar, type CalendarSpec } from './calendar.js';

interface CorpusCalendar {
  tz: string;
  hours: CalendarSpec['hours'];
  holidays: string[];
  breaks?: CalendarSpec['breaks'];
  shifts?: CalendarSpec['shifts'];
}
interface Case {
  id: string;
  kind: string;
  calendar: CorpusCalendar;
  start?: string;
  end?: string;
  at?: string;
  minutes?: number;
  days?: number;
  pauses?: [string, string][];
  expected?: string | boolean;
  expected_minutes?: number;
  expected_periods?: [string, string][];
}

const dir = corpusDir('sla');
const cases: Case[] = dir ? JSON.parse(readFileSync(path.join(dir, 'cases.json'), 'utf8')).cases : [];

const calendarOf = (c: CorpusCalendar) =>
  new BusinessCalendar({
    timeZone: c.tz,
    hours: c.hours,
    holidays: c.holidays.map((date) => ({ date, name: date })),
    breaks: c.breaks,
    shifts: c.shifts,
  });
const ms = (iso: string) => Date.parse(iso);
const iso = (n: number | null) => (n === null ? null : new Date(n).toISOString().replace('.000Z', 'Z'));

describe.skipIf(!dir)('the shared SLA corpus', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThan(30));

  for (const c of cases) {
    it(`${c.id} (${c.kind})`, () => {
      const cal = calendarOf(c.calendar);
      const pauses = (c.pauses ?? []).map(([a, b]) => [ms(a), ms(b)] as [number, number]);
      switch (c.kind) {
        case 'add':
          expect(iso(cal.add(ms(c.start!), c.minutes! * 60_000, pauses))).toBe(c.expected);
          break;
        case 'subtract':
          expect(iso(cal.subtract(ms(c.start!), c.minutes! * 60_000))).toBe(c.expected);
          break;
        case 'elapsed':
          expect(cal.elapsed(ms(c.start!), ms(c.end!), pauses) / 60_000).toBe(c.expected_minutes);
          break;
        case 'add_business_days':
          expect(iso(cal.addBusinessDays(ms(c.start!), c.days!))).toBe(c.expected);
          break;
        case 'subtract_business_days':
          expect(iso(cal.subtractBusinessDays(ms(c.start!), c.days!))).toBe(c.expected);
          break;
        case 'in_hours':
          expect(cal.isOpen(ms(c.at!))).toBe(c.expected);
          break;
        case 'open_periods': {
          const got = cal.openPeriods(ms(c.start!), c.expected_periods!.length).map(([a, b]) => [iso(a), iso(b)]);
          expect(got).toEqual(c.expected_periods);
          break;
        }
        default:
          throw new Error(`unknown case kind ${c.kind}`);
      }
    });
  }
});
