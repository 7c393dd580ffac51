import { eq } from 'drizzle-orm';
import type { AuthedCtx } from '../../platform/context.js';
import { categories } from '../tickets/db/schema.js';
import type { CalendarSpec } from './domain/calendar.js';
import type { LadderStep } from './domain/clocks.js';
import { slaCalendars, slaGroupSettings, slaLadders, slaPolicies } from './db/schema.js';

const day = [['08:00', '17:00']] as CalendarSpec['hours']['sun'];
const uaeDay = [['09:00', '18:00']] as CalendarSpec['hours']['mon'];

/** Public holidays as announced (Islamic dates follow the moon sighting; admins correct them or import an .ics). */
export const SAUDI_HOLIDAYS = [
  { date: '2026-02-22', name: 'Founding Day' },
  ...['2026-03-19', '2026-03-20', '2026-03-21', '2026-03-22', '2026-03-23'].map((date) => ({ date, name: 'Eid al-Fitr' })),
  ...['2026-05-26', '2026-05-27', '2026-05-28', '2026-05-29'].map((date) => ({ date, name: 'Eid al-Adha' })),
  { date: '2026-09-23', name: 'National Day' },
  { date: '2027-02-22', name: 'Founding Day' },
  ...['2027-03-09', '2027-03-10', '2027-03-11', '2027-03-12'].map((date) => ({ date, name: 'Eid al-Fitr' })),
  ...['2027-05-15', '2027-05-16', '2027-05-17', '2027-05-18'].map((date) => ({ date, name: 'Eid al-Adha' })),
  { date: '2027-09-23', name: 'National Day' },
];
const UAE_HOLIDAYS = [
  ...['2026-03-20', '2026-03-21', '2026-03-22'].map((date) => ({ date, name: 'Eid al-Fitr' })),
  ...['2026-05-26', '2026-05-27', '2026-05-28', '2026-05-29'].map((date) => ({ date, name: 'Eid al-Adha' })),
  { date: '2026-12-02', name: 'National Day' },
  { date: '2026-12-03', name: 'National Day' },
];

export const STANDARD_LADDER: LadderStep[] = [
  { key: 'warn-assignee', target: 'any', at: { kind: 'percent', value: 75 }, actions: [{ type: 'notify', recipients: ['assignee'] }] },
  { key: 'breach-supervisors', target: 'any', at: { kind: 'after', minutes: 0 }, actions: [{ type: 'notify', recipients: ['assignee', 'supervisors'] }] },
  { key: 'late-managers', target: 'any', at: { kind: 'after', minutes: 240 }, actions: [{ type: 'notify', recipients: ['managers'] }, { type: 'raise_priority' }] },
];

/**
 * The demo's service levels: Saudi and UAE calendars and the policies of seeds 001, 002 and 004
 * (first response in 24 h for everyone, resolution in 72 h in Key Accounts, complaint outcome
 * within 5 business days), with department groups keeping internal targets of their own.
 */
export async function seedSla(ctx: AuthedCtx, groupIds: Map<string, string>) {
  const now = ctx.now();
  const [saudi] = await ctx.db
    .insert(slaCalendars)
    .values({
      name: 'Saudi Arabia (Sun-Thu)',
      timeZone: 'Asia/Riyadh',
      hours: { sun: day, mon: day, tue: day, wed: day, thu: day },
      holidays: SAUDI_HOLIDAYS,
      isDefault: true,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  const [uae] = await ctx.db
    .insert(slaCalendars)
    .values({ name: 'UAE (Mon-Fri)', timeZone: 'Asia/Dubai', hours: { mon: uaeDay, tue: uaeDay, wed: uaeDay, thu: uaeDay, fri: uaeDay }, holidays: UAE_HOLIDAYS, createdAt: now, updatedAt: now })
    .returning();
  const [ladder] = await ctx.db.insert(slaLadders).values({ name: 'Standard escalation', steps: STANDARD_LADDER, createdAt: now, updatedAt: now }).returning();
  const [complaint] = await ctx.db.select({ id: categories.id }).from(categories).where(eq(categories.key, 'service-failure-complaint'));
  const ka = groupIds.get('Key Accounts SA');
  const h = (hours: number) => ({ amount: hours * 60, unit: 'business_minutes' as const });
  await ctx.db.insert(slaPolicies).values([
    {
      name: 'Key Accounts: acted on within 72 hours',
      position: 10,
      conditions: ka ? { groupIds: [ka] } : {},
      targets: [{ kind: 'first_response', priority: null, ...h(24) }, { kind: 'next_response', priority: null, ...h(24) }, { kind: 'resolution', priority: null, ...h(72) }],
      calendarId: saudi!.id,
      ladderId: ladder!.id,
      createdAt: now,
      updatedAt: now,
    },
    {
      name: 'Complaints: outcome within 5 business days',
      position: 20,
      conditions: complaint ? { categoryIds: [complaint.id] } : {},
      targets: [{ kind: 'first_response', priority: null, ...h(24) }, { kind: 'resolution', priority: null, amount: 5, unit: 'business_days' }],
      calendarId: null,
      ladderId: ladder!.id,
      createdAt: now,
      updatedAt: now,
    },
    {
      name: 'Everyone: first response within 24 hours',
      position: 100,
      conditions: {},
      targets: [{ kind: 'first_response', priority: null, ...h(24) }, { kind: 'first_response', priority: 'urgent', ...h(4) }, { kind: 'next_response', priority: null, ...h(24) }],
      calendarId: null,
      ladderId: ladder!.id,
      createdAt: now,
      updatedAt: now,
    },
  ]);
  // Departments answer each other within a working day (seed 004); the UAE trace team in its own week.
  const internal = { amount: 8 * 60, unit: 'business_minutes' as const };
  const settings = [
    { name: 'Operations', calendarId: saudi!.id },
    { name: 'Claims', calendarId: saudi!.id },
    { name: 'Retail Sales', calendarId: saudi!.id },
    { name: 'Trace SA', calendarId: saudi!.id },
    { name: 'Trace AE', calendarId: uae!.id },
  ]
    .filter((s) => groupIds.has(s.name))
    .map((s) => ({ groupId: groupIds.get(s.name)!, calendarId: s.calendarId, internalTarget: internal, ladderId: ladder!.id, updatedAt: now }));
  if (settings.length) await ctx.db.insert(slaGroupSettings).values(settings);
}
