import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BusinessCalendar, type CalendarSpec } from './calendar.js';
import { computeClocks, explain, liveClocks, stateOf, type Clock, type PolicySpec, type SlaConfig, type TicketHistory } from './clocks.js';

// The engine takes `now` as an argument; freezing the process clock proves nothing reads it.
beforeAll(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
});
afterAll(() => vi.useRealTimers());

const SAUDI: CalendarSpec = {
  timeZone: 'Asia/Riyadh',
  hours: { sun: [['08:00', '17:00']], mon: [['08:00', '17:00']], tue: [['08:00', '17:00']], wed: [['08:00', '17:00']], thu: [['08:00', '17:00']] },
  holidays: [{ date: '2027-03-10', name: 'Eid al-Fitr' }],
};
const LONDON: CalendarSpec = {
  timeZone: 'Europe/London',
  hours: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']] },
  holidays: [],
};
const NIGHT: CalendarSpec = { timeZone: 'UTC', hours: { mon: [['22:00', '02:00']] }, holidays: [{ date: '2027-01-12', name: 'closed' }] };

const ms = (iso: string) => Date.parse(iso);
const iso = (n: number | null | undefined) => (n == null ? null : new Date(n).toISOString());
const H = 60 * 60_000;

describe('business calendar arithmetic', () => {
  const riyadh = new BusinessCalendar(SAUDI);
  const london = new BusinessCalendar(LONDON);
  const night = new BusinessCalendar(NIGHT);

  it('counts Riyadh hours across the Friday-Saturday weekend (no DST)', () => {
    // Thu 16:00 Riyadh = 13:00Z: one hour on Thursday, one on Sunday.
    expect(iso(riyadh.add(ms('2026-12-03T13:00:00Z'), 2 * H))).toBe('2026-12-06T06:00:00.000Z');
  });
  it('puts a deadline that runs out at closing time at the next opening', () => {
    expect(iso(riyadh.add(ms('2026-12-03T12:00:00Z'), 2 * H))).toBe('2026-12-06T05:00:00.000Z');
  });
  it('skips a named holiday', () => {
    // Tue 2027-03-09 16:00 Riyadh; Wednesday is Eid.
    expect(iso(riyadh.add(ms('2027-03-09T13:00:00Z'), 2 * H))).toBe('2027-03-11T06:00:00.000Z');
  });
  it('follows London into summer time', () => {
    // Fri 16:00 GMT, clocks go forward on Sunday: Monday opens at 09:00 BST = 08:00Z.
    expect(iso(london.add(ms('2027-03-26T16:00:00Z'), 2 * H))).toBe('2027-03-29T09:00:00.000Z');
  });
  it('follows London back to winter time', () => {
    // Fri 16:00 BST = 15:00Z; Monday opens at 09:00 GMT = 09:00Z.
    expect(iso(london.add(ms('2027-10-29T15:00:00Z'), 2 * H))).toBe('2027-11-01T10:00:00.000Z');
  });
  it('counts an interval that crosses midnight', () => {
    expect(iso(night.add(ms('2027-01-04T21:00:00Z'), 3 * H))).toBe('2027-01-05T01:00:00.000Z');
    // Used up at 02:00 on Tuesday: the next opening is the next Monday night.
    expect(iso(night.add(ms('2027-01-04T21:00:00Z'), 4 * H))).toBe('2027-01-11T22:00:00.000Z');
  });
  it('closes the after-midnight part of a night shift on a holiday', () => {
    // 2027-01-12 (Tuesday) is a holiday: Monday night ends at midnight.
    expect(night.elapsed(ms('2027-01-11T00:00:00Z'), ms('2027-01-13T00:00:00Z'))).toBe(2 * H);
  });
});

// ---- ticket clocks

const CS = 'group-cs';
const KA = 'group-ka';
const OPS = 'group-ops';
const ladder = [
  { key: 'half', target: 'any' as const, at: { kind: 'percent' as const, value: 50 }, actions: [{ type: 'notify' as const, recipients: ['assignee' as const] }] },
  { key: 'before', target: 'resolution' as const, at: { kind: 'before' as const, minutes: 30 }, actions: [{ type: 'raise_priority' as const }] },
  { key: 'after', target: 'resolution' as const, at: { kind: 'after' as const, minutes: 60 }, actions: [{ type: 'notify' as const, recipients: ['managers' as const] }] },
];
const policies: PolicySpec[] = [
  {
    id: 'p-ka', name: 'Key Accounts', conditions: { groupIds: [KA] }, calendarId: 'sa', ladderId: null,
    targets: [{ kind: 'resolution', priority: null, amount: 72 * 60, unit: 'business_minutes' }],
  },
  {
    id: 'p-all', name: 'Everyone', conditions: {}, calendarId: null, ladderId: 'l1',
    targets: [
      { kind: 'first_response', priority: null, amount: 4 * 60, unit: 'business_minutes' },
      { kind: 'next_response', priority: null, amount: 60, unit: 'business_minutes' },
      { kind: 'resolution', priority: null, amount: 8 * 60, unit: 'business_minutes' },
      { kind: 'resolution', priority: 'urgent', amount: 2 * 60, unit: 'business_minutes' },
    ],
  },
];
const config: SlaConfig = {
  policies,
  calendars: new Map([['sa', { name: 'Saudi Arabia', calendar: new BusinessCalendar(SAUDI) }]]),
  defaultCalendarId: 'sa',
  groups: new Map([[OPS, { calendarId: 'sa', internal: { amount: 60, unit: 'business_minutes' }, ladderId: null }]]),
  ladders: new Map([['l1', ladder]]),
  pauseStatuses: ['pending'],
  atRiskShare: 0.75,
};
// Sunday 2026-12-06 08:00 Riyadh.
const T0 = ms('2026-12-06T05:00:00Z');
const at = (hours: number) => T0 + hours * H;
const history = (over: Partial<TicketHistory> = {}): TicketHistory => ({
  ticketId: 't1', createdAt: T0, channel: 'email', accountTier: 'standard', keyAccount: false,
  initial: { status: 'new', priority: 'normal', categoryId: null, groupId: CS },
  changes: [], messages: [{ at: T0, kind: 'customer' }], ...over,
});
const clock = (clocks: Clock[], target: string, cycle?: number) => {
  const found = clocks.filter((c) => c.target === target && (cycle === undefined || c.cycle === cycle)).at(-1);
  if (!found) throw new Error(`no ${target} clock`);
  return found;
};

describe('ticket clocks', () => {
  it('runs first response and resolution from creation in the policy calendar', () => {
    const c = computeClocks(config, history());
    expect(iso(clock(c, 'first_response').dueAt)).toBe(iso(at(4)));
    expect(iso(clock(c, 'resolution').dueAt)).toBe(iso(at(8)));
  });

  it('pauses while pending on the customer and resumes on their reply', () => {
    const paused = history({ changes: [{ at: at(1), field: 'status', value: 'pending' }], messages: [{ at: T0, kind: 'customer' }, { at: at(1), kind: 'reply' }] });
    const during = clock(computeClocks(config, paused), 'resolution');
    expect(during.dueAt).toBeNull();
    expect(during.pausedNow).toBe(true);
    expect(stateOf(during, at(2))).toBe('paused');
    expect(explain(config, during, at(3))).toMatchObject({ usedMs: 1 * H, leftMs: 7 * H, pausedMs: 2 * H });

    const resumed = history({
      changes: [{ at: at(1), field: 'status', value: 'pending' }, { at: at(3), field: 'status', value: 'open' }],
      messages: [{ at: T0, kind: 'customer' }, { at: at(1), kind: 'reply' }, { at: at(3), kind: 'customer' }],
    });
    const r = clock(computeClocks(config, resumed), 'resolution');
    expect(iso(r.dueAt)).toBe('2026-12-07T06:00:00.000Z'); // 7 h on Sunday around the 2 h pause, the 8th on Monday 08-09
    expect(r.pauses).toEqual([[at(1), at(3)]]);
  });

  it('re-evaluates the target when the priority changes mid-way, keeping the start', () => {
    const h = history({ changes: [{ at: at(1), field: 'priority', value: 'urgent' }] });
    expect(iso(clock(computeClocks(config, h), 'resolution').dueAt)).toBe(iso(at(2)));
  });

  it('moves to another policy when the group changes', () => {
    const h = history({ changes: [{ at: at(1), field: 'groupId', value: KA }] });
    const r = clock(computeClocks(config, h), 'resolution');
    expect(r.policyId).toBe('p-ka');
    expect(r.startAt).toBe(T0);
    // 72 business hours at 9 a day: used up at Tuesday's closing a week on, so due at Wednesday's opening.
    expect(iso(r.dueAt)).toBe('2026-12-16T05:00:00.000Z');
  });

  it('runs an internal clock from the hand-over to the hand-back, while the customer clock keeps running', () => {
    const h = history({ changes: [{ at: at(1), field: 'groupId', value: OPS }, { at: at(1.5), field: 'groupId', value: CS }] });
    const c = computeClocks(config, h);
    const internal = clock(c, 'internal', 1);
    expect(internal.groupId).toBe(OPS);
    expect(internal.startAt).toBe(at(1));
    expect(internal.stoppedAt).toBe(at(1.5));
    expect(stateOf(internal, at(5))).toBe('met');
    expect(iso(clock(c, 'resolution').dueAt)).toBe(iso(at(8)));

    const again = history({ changes: [{ at: at(1), field: 'groupId', value: OPS }, { at: at(1.5), field: 'groupId', value: CS }, { at: at(2), field: 'groupId', value: OPS }] });
    const second = liveClocks(computeClocks(config, again)).find((x) => x.target === 'internal')!;
    expect(second.cycle).toBe(2);
    expect(iso(second.dueAt)).toBe(iso(at(3)));
    expect(stateOf(second, at(3))).toBe('breached');
  });

  it('starts a next-response cycle for each customer message waiting for an answer', () => {
    const h = history({ messages: [{ at: T0, kind: 'customer' }, { at: at(1), kind: 'reply' }, { at: at(2), kind: 'customer' }, { at: at(2.5), kind: 'customer' }, { at: at(2.75), kind: 'reply' }, { at: at(4), kind: 'customer' }] });
    const c = computeClocks(config, h).filter((x) => x.target === 'next_response');
    expect(c.map((x) => [x.cycle, x.startAt, x.stoppedAt])).toEqual([[1, at(2), at(2.75)], [2, at(4), null]]);
    expect(clock(computeClocks(config, h), 'first_response').stoppedAt).toBe(at(1));
  });

  it('places ladder steps at a share of the target and around the deadline', () => {
    const r = clock(computeClocks(config, history()), 'resolution');
    expect(r.steps.map((s) => [s.key, iso(s.at)])).toEqual([
      ['half', iso(at(4))],
      ['before', iso(at(7.5))],
      // An hour after a 16:00 deadline runs out at 17:00 closing: Monday's opening.
      ['after', '2026-12-07T05:00:00.000Z'],
    ]);
  });

  it('gives the same deadlines for the same history, whatever order the changes arrive in', () => {
    const changes = [{ at: at(1), field: 'priority' as const, value: 'high' }, { at: at(2), field: 'status' as const, value: 'pending' }, { at: at(3), field: 'status' as const, value: 'open' }];
    const a = computeClocks(config, history({ changes }));
    const b = computeClocks(config, history({ changes: [...changes].reverse() }));
    expect(a).toEqual(b);
  });

  it('counts calendar-time targets around the clock', () => {
    const cfg: SlaConfig = { ...config, policies: [{ ...policies[1]!, targets: [{ kind: 'resolution', priority: null, amount: 24 * 60, unit: 'calendar_minutes' }] }] };
    expect(iso(clock(computeClocks(cfg, history()), 'resolution').dueAt)).toBe(iso(at(24)));
  });

  it('counts business days for a complaint outcome', () => {
    const cfg: SlaConfig = { ...config, policies: [{ ...policies[1]!, targets: [{ kind: 'resolution', priority: null, amount: 5, unit: 'business_days' }] }] };
    // Sunday 08:00 + 5 business days = next Sunday 08:00 (Fri/Sat closed).
    expect(iso(clock(computeClocks(cfg, history()), 'resolution').dueAt)).toBe('2026-12-13T05:00:00.000Z');
  });

  it('marks a clock met when the ticket is solved in time and breached when late', () => {
    const solved = history({ changes: [{ at: at(2), field: 'status', value: 'solved' }] });
    const r = clock(computeClocks(config, solved), 'resolution');
    expect(stateOf(r, at(100))).toBe('met');
    const late = history({ changes: [{ at: at(30), field: 'status', value: 'solved' }] });
    expect(stateOf(clock(computeClocks(config, late), 'resolution'), at(100))).toBe('breached');
  });
});
