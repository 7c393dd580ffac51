import { describe, expect, it } from 'vitest';
import { dueAt, latestDue, parsePeriod, periodContaining, periodsToProduce } from './periods.js';

const TZ = 'Asia/Riyadh';

describe('report periods in the company time zone', () => {
  it('weeks run Sunday to Saturday, Riyadh midnight to midnight', () => {
    const p = periodContaining('weekly_care', new Date('2026-11-04T12:00:00Z'), TZ);
    expect(p.id).toBe('2026-11-01');
    expect(p.start.toISOString()).toBe('2026-10-31T21:00:00.000Z');
    expect(p.end.toISOString()).toBe('2026-11-07T21:00:00.000Z');
    expect(p.prevStart.toISOString()).toBe('2026-10-24T21:00:00.000Z');
    expect(dueAt(p).toISOString()).toBe('2026-11-08T03:00:00.000Z');
    // Saturday 23:30 Riyadh is still that week.
    expect(periodContaining('weekly_care', new Date('2026-11-07T20:30:00Z'), TZ).id).toBe('2026-11-01');
  });

  it('a week is due Sunday 06:00 and a month on the 1st at 06:00, not before', () => {
    expect(latestDue('weekly_care', new Date('2026-11-08T02:59:00Z'), TZ).id).toBe('2026-10-25');
    expect(latestDue('weekly_care', new Date('2026-11-08T03:00:00Z'), TZ).id).toBe('2026-11-01');
    expect(latestDue('monthly_key_accounts', new Date('2026-12-01T02:59:00Z'), TZ).id).toBe('2026-10');
    expect(latestDue('monthly_key_accounts', new Date('2026-12-01T03:00:00Z'), TZ).id).toBe('2026-11');
    const jan = parsePeriod('monthly_key_accounts', '2027-01', TZ)!;
    expect(jan.prevStart.toISOString()).toBe('2026-11-30T21:00:00.000Z');
  });

  it('after downtime produces every missed period, oldest first; a new installation only the latest', () => {
    const now = new Date('2026-12-02T09:00:00Z');
    expect(periodsToProduce('weekly_care', now, TZ, null).map((p) => p.id)).toEqual(['2026-11-22']);
    expect(periodsToProduce('weekly_care', now, TZ, '2026-11-01').map((p) => p.id)).toEqual(['2026-11-08', '2026-11-15', '2026-11-22']);
    expect(periodsToProduce('weekly_care', now, TZ, '2026-11-22')).toEqual([]);
    expect(periodsToProduce('monthly_key_accounts', now, TZ, '2026-08').map((p) => p.id)).toEqual(['2026-09', '2026-10', '2026-11']);
  });

  it('rejects period ids that are not of the kind', () => {
    expect(parsePeriod('weekly_care', '2026-11-02', TZ)).toBeNull(); // a Monday
    expect(parsePeriod('weekly_care', '2026-11', TZ)).toBeNull();
    expect(parsePeriod('monthly_key_accounts', '2026-13', TZ)).toBeNull();
  });
});
