import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { Static } from 'typebox';
import ical from 'node-ical';
import { DateTime } from 'luxon';
import type {
  CreateCalendarBody,
  CreateSlaLadderBody,
  CreateSlaPolicyBody,
  UpdateCalendarBody,
  UpdateSlaGroupSettingBody,
  UpdateSlaLadderBody,
  UpdateSlaPolicyBody,
} from '@caredesk/contracts';
import { isAdmin, type AuthedCtx } from '../../../platform/context.js';
import { conflict, forbidden, notFound, validation, versionConflict, isUniqueViolation, type FieldError } from '../../../platform/errors.js';
import { recordAudit, changedFields } from '../../../platform/audit.js';
import { appSettings } from '../../../platform/db/settings.schema.js';
import { groups, users } from '../../people/db/schema.js';
import { calendarProblems, type CalendarSpec } from '../domain/calendar.js';
import type { LadderStep } from '../domain/clocks.js';
import { DEFAULT_PAUSE_STATUSES, PAUSE_SETTING } from '../db/repository.js';
import { slaCalendars, slaGroupSettings, slaLadders, slaPolicies } from '../db/schema.js';

export const RECOMPUTE_QUEUE = 'sla.recompute-open';

const adminOnly = (ctx: AuthedCtx) => {
  if (!isAdmin(ctx.actor)) throw forbidden();
};

/** Every open ticket's deadlines depend on the configuration: recompute them in the background. */
async function afterConfigChange(ctx: AuthedCtx) {
  await ctx.jobs?.send(RECOMPUTE_QUEUE, {}, { singletonKey: 'all' });
}

const nameTaken = (err: unknown) => {
  if (isUniqueViolation(err)) return conflict('name_taken');
  return err;
};

// ---- calendars

type CalendarRow = typeof slaCalendars.$inferSelect;
const presentCalendar = (c: CalendarRow) => ({ id: c.id, name: c.name, timeZone: c.timeZone, hours: c.hours, holidays: c.holidays, isDefault: c.isDefault, version: c.version });

function checkCalendar(spec: CalendarSpec) {
  const errors: FieldError[] = calendarProblems(spec).map(([field, reason]) => ({ field, code: 'invalid', params: { reason } }));
  if (errors.length) throw validation(errors);
}

export async function listCalendars(ctx: AuthedCtx) {
  return (await ctx.db.select().from(slaCalendars).orderBy(asc(slaCalendars.name))).map(presentCalendar);
}

export async function getCalendar(ctx: AuthedCtx, id: string) {
  const [c] = await ctx.db.select().from(slaCalendars).where(eq(slaCalendars.id, id));
  if (!c) throw notFound();
  return presentCalendar(c);
}

export async function createCalendar(ctx: AuthedCtx, input: Static<typeof CreateCalendarBody>) {
  adminOnly(ctx);
  const holidays = dedupeHolidays(input.holidays ?? []);
  checkCalendar({ timeZone: input.timeZone, hours: input.hours as CalendarSpec['hours'], holidays });
  try {
    const row = await ctx.db.transaction(async (tx) => {
      if (input.isDefault) await tx.update(slaCalendars).set({ isDefault: false, updatedAt: ctx.now() }).where(eq(slaCalendars.isDefault, true));
      const [row] = await tx
        .insert(slaCalendars)
        .values({ name: input.name.trim(), timeZone: input.timeZone, hours: input.hours as CalendarSpec['hours'], holidays, isDefault: input.isDefault ?? false, createdAt: ctx.now(), updatedAt: ctx.now() })
        .returning();
      await recordAudit(tx, { actor: ctx.actor, action: 'sla.calendar_created', targetType: 'sla_calendar', targetId: row!.id, changes: [{ field: 'name', before: null, after: row!.name }] });
      return row!;
    });
    await afterConfigChange(ctx);
    return presentCalendar(row);
  } catch (err) {
    throw nameTaken(err);
  }
}

export async function updateCalendar(ctx: AuthedCtx, id: string, patch: Static<typeof UpdateCalendarBody>, ifMatch?: number) {
  adminOnly(ctx);
  const [c] = await ctx.db.select().from(slaCalendars).where(eq(slaCalendars.id, id));
  if (!c) throw notFound();
  const version = patch.version ?? ifMatch;
  if (version !== undefined && version !== c.version) throw versionConflict();
  const next = {
    name: patch.name?.trim() ?? c.name,
    timeZone: patch.timeZone ?? c.timeZone,
    hours: (patch.hours as CalendarSpec['hours'] | undefined) ?? c.hours,
    holidays: patch.holidays ? dedupeHolidays(patch.holidays) : c.holidays,
    isDefault: patch.isDefault ?? c.isDefault,
  };
  checkCalendar({ timeZone: next.timeZone, hours: next.hours as CalendarSpec['hours'], holidays: next.holidays });
  try {
    const row = await ctx.db.transaction(async (tx) => {
      if (next.isDefault && !c.isDefault) await tx.update(slaCalendars).set({ isDefault: false, updatedAt: ctx.now() }).where(and(eq(slaCalendars.isDefault, true), ne(slaCalendars.id, id)));
      const [row] = await tx
        .update(slaCalendars)
        .set({ ...next, version: sql`${slaCalendars.version} + 1`, updatedAt: ctx.now() })
        .where(and(eq(slaCalendars.id, id), eq(slaCalendars.version, c.version)))
        .returning();
      if (!row) throw versionConflict();
      await recordAudit(tx, { actor: ctx.actor, action: 'sla.calendar_updated', targetType: 'sla_calendar', targetId: id, changes: changedFields(c as never, next as never) });
      return row;
    });
    await afterConfigChange(ctx);
    return presentCalendar(row);
  } catch (err) {
    throw nameTaken(err);
  }
}

function dedupeHolidays(list: { date: string; name: string }[]) {
  const byDate = new Map<string, { date: string; name: string }>();
  for (const h of list) byDate.set(h.date, { date: h.date, name: h.name.trim() || h.date });
  return [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date));
}

/** Holidays from an iCalendar file: every day an event covers, in the calendar's own zone. */
export function holidaysFromIcs(ics: string, timeZone: string): { date: string; name: string }[] {
  let parsed: Record<string, unknown>;
  try {
    parsed = ical.sync.parseICS(ics) as Record<string, unknown>;
  } catch (err) {
    throw validation([{ field: 'ics', code: 'invalid', params: { reason: (err as Error).message } }]);
  }
  const out: { date: string; name: string }[] = [];
  for (const v of Object.values(parsed)) {
    const e = v as { type?: string; start?: Date & { dateOnly?: boolean }; end?: Date & { dateOnly?: boolean }; summary?: unknown; datetype?: string };
    if (e.type !== 'VEVENT' || !e.start) continue;
    const name = (typeof e.summary === 'string' ? e.summary : ((e.summary as { val?: string } | undefined)?.val ?? '')).trim() || 'Holiday';
    const dateOnly = e.datetype === 'date' || e.start.dateOnly;
    // All-day dates are wall-clock dates as written; timed events fall on the calendar's local date.
    const dayOf = (d: Date) =>
      dateOnly ? DateTime.fromObject({ year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate() }, { zone: 'UTC' }) : DateTime.fromJSDate(d, { zone: timeZone }).startOf('day').setZone('UTC', { keepLocalTime: true });
    const first = dayOf(e.start);
    let last = e.end ? dayOf(e.end) : first;
    // DTEND of an all-day event is exclusive.
    if (dateOnly && e.end) last = last.minus({ days: 1 });
    if (last < first) last = first;
    for (let d = first, n = 0; d <= last && n < 366; d = d.plus({ days: 1 }), n++) out.push({ date: d.toISODate()!, name });
  }
  if (!out.length) throw validation([{ field: 'ics', code: 'invalid', params: { reason: 'no events found' } }]);
  return out;
}

export async function importHolidays(ctx: AuthedCtx, id: string, ics: string, replace = false) {
  adminOnly(ctx);
  const c = await getCalendar(ctx, id);
  const imported = holidaysFromIcs(ics, c.timeZone);
  return updateCalendar(ctx, id, { version: c.version, holidays: replace ? imported : [...c.holidays, ...imported] });
}

// ---- ladders

type LadderRow = typeof slaLadders.$inferSelect;
const presentLadder = (l: LadderRow) => ({ id: l.id, name: l.name, steps: l.steps, version: l.version });

async function normaliseSteps(ctx: AuthedCtx, steps: Static<typeof CreateSlaLadderBody>['steps']): Promise<LadderStep[]> {
  const out = steps.map((s, i) => ({ ...s, key: s.key ?? `step-${i + 1}` })) as LadderStep[];
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  out.forEach((s, i) => {
    if (seen.has(s.key)) errors.push({ field: `steps.${i}.key`, code: 'invalid', params: { reason: 'step keys must be unique in a ladder' } });
    seen.add(s.key);
  });
  // A move must name where to, and that group or agent must exist (an agent must be active).
  for (const [i, s] of out.entries()) {
    for (const [j, a] of s.actions.entries()) {
      if (a.type !== 'move') continue;
      const field = `steps.${i}.actions.${j}`;
      if (!a.groupId && !a.assigneeId) errors.push({ field: `${field}.groupId`, code: 'invalid', params: { reason: 'a move needs a group or an agent' } });
      if (a.groupId && !(await ctx.db.select({ id: groups.id }).from(groups).where(eq(groups.id, a.groupId))).length) {
        errors.push({ field: `${field}.groupId`, code: 'not_found' });
      }
      if (a.assigneeId && !(await ctx.db.select({ id: users.id }).from(users).where(and(eq(users.id, a.assigneeId), eq(users.active, true)))).length) {
        errors.push({ field: `${field}.assigneeId`, code: 'not_found' });
      }
    }
  }
  if (errors.length) throw validation(errors);
  return out;
}

export async function listLadders(ctx: AuthedCtx) {
  return (await ctx.db.select().from(slaLadders).orderBy(asc(slaLadders.name))).map(presentLadder);
}

export async function createLadder(ctx: AuthedCtx, input: Static<typeof CreateSlaLadderBody>) {
  adminOnly(ctx);
  const steps = await normaliseSteps(ctx, input.steps);
  try {
    const [row] = await ctx.db.insert(slaLadders).values({ name: input.name.trim(), steps, createdAt: ctx.now(), updatedAt: ctx.now() }).returning();
    await recordAudit(ctx.db, { actor: ctx.actor, action: 'sla.ladder_created', targetType: 'sla_ladder', targetId: row!.id });
    await afterConfigChange(ctx);
    return presentLadder(row!);
  } catch (err) {
    throw nameTaken(err);
  }
}

export async function updateLadder(ctx: AuthedCtx, id: string, patch: Static<typeof UpdateSlaLadderBody>, ifMatch?: number) {
  adminOnly(ctx);
  const [l] = await ctx.db.select().from(slaLadders).where(eq(slaLadders.id, id));
  if (!l) throw notFound();
  const version = patch.version ?? ifMatch;
  if (version !== undefined && version !== l.version) throw versionConflict();
  const set = { ...(patch.name ? { name: patch.name.trim() } : {}), ...(patch.steps ? { steps: await normaliseSteps(ctx, patch.steps) } : {}) };
  try {
    const [row] = await ctx.db
      .update(slaLadders)
      .set({ ...set, version: sql`${slaLadders.version} + 1`, updatedAt: ctx.now() })
      .where(and(eq(slaLadders.id, id), eq(slaLadders.version, l.version)))
      .returning();
    if (!row) throw versionConflict();
    await recordAudit(ctx.db, { actor: ctx.actor, action: 'sla.ladder_updated', targetType: 'sla_ladder', targetId: id, changes: changedFields(l as never, set as never) });
    await afterConfigChange(ctx);
    return presentLadder(row);
  } catch (err) {
    throw nameTaken(err);
  }
}

// ---- policies

type PolicyRow = typeof slaPolicies.$inferSelect;
const presentPolicy = (p: PolicyRow) => ({
  id: p.id,
  name: p.name,
  position: p.position,
  active: p.active,
  conditions: p.conditions,
  targets: p.targets,
  calendarId: p.calendarId,
  ladderId: p.ladderId,
  version: p.version,
});

async function checkPolicyRefs(ctx: AuthedCtx, p: { calendarId?: string | null; ladderId?: string | null; targets?: { kind: string; priority: string | null }[] }) {
  const errors: FieldError[] = [];
  if (p.calendarId && !(await ctx.db.select({ id: slaCalendars.id }).from(slaCalendars).where(eq(slaCalendars.id, p.calendarId))).length) {
    errors.push({ field: 'calendarId', code: 'not_found' });
  }
  if (p.ladderId && !(await ctx.db.select({ id: slaLadders.id }).from(slaLadders).where(eq(slaLadders.id, p.ladderId))).length) {
    errors.push({ field: 'ladderId', code: 'not_found' });
  }
  const seen = new Set<string>();
  (p.targets ?? []).forEach((t, i) => {
    const key = `${t.kind}|${t.priority}`;
    if (seen.has(key)) errors.push({ field: `targets.${i}`, code: 'invalid', params: { reason: 'one target per kind and priority' } });
    seen.add(key);
  });
  if (errors.length) throw validation(errors);
}

export async function listPolicies(ctx: AuthedCtx) {
  return (await ctx.db.select().from(slaPolicies).orderBy(asc(slaPolicies.position), asc(slaPolicies.name))).map(presentPolicy);
}

export async function getPolicy(ctx: AuthedCtx, id: string) {
  const [p] = await ctx.db.select().from(slaPolicies).where(eq(slaPolicies.id, id));
  if (!p) throw notFound();
  return presentPolicy(p);
}

export async function createPolicy(ctx: AuthedCtx, input: Static<typeof CreateSlaPolicyBody>) {
  adminOnly(ctx);
  await checkPolicyRefs(ctx, input);
  try {
    const [row] = await ctx.db
      .insert(slaPolicies)
      .values({
        name: input.name.trim(),
        position: input.position ?? 0,
        active: input.active ?? true,
        conditions: input.conditions ?? {},
        targets: input.targets,
        calendarId: input.calendarId ?? null,
        ladderId: input.ladderId ?? null,
        createdAt: ctx.now(),
        updatedAt: ctx.now(),
      })
      .returning();
    await recordAudit(ctx.db, { actor: ctx.actor, action: 'sla.policy_created', targetType: 'sla_policy', targetId: row!.id });
    await afterConfigChange(ctx);
    return presentPolicy(row!);
  } catch (err) {
    throw nameTaken(err);
  }
}

export async function updatePolicy(ctx: AuthedCtx, id: string, patch: Static<typeof UpdateSlaPolicyBody>, ifMatch?: number) {
  adminOnly(ctx);
  const [p] = await ctx.db.select().from(slaPolicies).where(eq(slaPolicies.id, id));
  if (!p) throw notFound();
  const version = patch.version ?? ifMatch;
  if (version !== undefined && version !== p.version) throw versionConflict();
  await checkPolicyRefs(ctx, patch);
  const { version: _v, ...fields } = patch;
  const set = { ...fields, ...(fields.name ? { name: fields.name.trim() } : {}) } as Partial<PolicyRow>;
  try {
    const [row] = await ctx.db
      .update(slaPolicies)
      .set({ ...set, version: sql`${slaPolicies.version} + 1`, updatedAt: ctx.now() })
      .where(and(eq(slaPolicies.id, id), eq(slaPolicies.version, p.version)))
      .returning();
    if (!row) throw versionConflict();
    await recordAudit(ctx.db, { actor: ctx.actor, action: 'sla.policy_updated', targetType: 'sla_policy', targetId: id, changes: changedFields(p as never, set as never) });
    await afterConfigChange(ctx);
    return presentPolicy(row);
  } catch (err) {
    throw nameTaken(err);
  }
}

export async function deletePolicy(ctx: AuthedCtx, id: string) {
  adminOnly(ctx);
  const [row] = await ctx.db.delete(slaPolicies).where(eq(slaPolicies.id, id)).returning({ id: slaPolicies.id });
  if (!row) throw notFound();
  await recordAudit(ctx.db, { actor: ctx.actor, action: 'sla.policy_deleted', targetType: 'sla_policy', targetId: id });
  await afterConfigChange(ctx);
}

// ---- group settings and pausing statuses

export async function listGroupSettings(ctx: AuthedCtx) {
  const rows = await ctx.db.select().from(slaGroupSettings);
  return rows.map((r) => ({ groupId: r.groupId, calendarId: r.calendarId, internalTarget: r.internalTarget ?? null, ladderId: r.ladderId }));
}

export async function setGroupSetting(ctx: AuthedCtx, groupId: string, patch: Static<typeof UpdateSlaGroupSettingBody>) {
  adminOnly(ctx);
  if (!(await ctx.db.select({ id: groups.id }).from(groups).where(eq(groups.id, groupId))).length) throw notFound();
  await checkPolicyRefs(ctx, { calendarId: patch.calendarId, ladderId: patch.ladderId });
  const [existing] = await ctx.db.select().from(slaGroupSettings).where(eq(slaGroupSettings.groupId, groupId));
  const next = {
    calendarId: patch.calendarId !== undefined ? patch.calendarId : (existing?.calendarId ?? null),
    internalTarget: patch.internalTarget !== undefined ? patch.internalTarget : (existing?.internalTarget ?? null),
    ladderId: patch.ladderId !== undefined ? patch.ladderId : (existing?.ladderId ?? null),
  };
  await ctx.db
    .insert(slaGroupSettings)
    .values({ groupId, ...next, updatedAt: ctx.now() })
    .onConflictDoUpdate({ target: slaGroupSettings.groupId, set: { ...next, updatedAt: ctx.now() } });
  await recordAudit(ctx.db, { actor: ctx.actor, action: 'sla.group_setting_updated', targetType: 'group', targetId: groupId, changes: changedFields((existing ?? {}) as never, next as never) });
  await afterConfigChange(ctx);
  return { groupId, ...next };
}

export async function getSlaSettings(ctx: AuthedCtx) {
  const [row] = await ctx.db.select().from(appSettings).where(eq(appSettings.key, PAUSE_SETTING));
  return { pauseStatuses: (row?.value as string[] | undefined) ?? DEFAULT_PAUSE_STATUSES };
}

/** Statuses in which clocks already stop: pausing there would mean nothing. */
const STOPPING_STATUSES = ['solved', 'closed'];

export async function setSlaSettings(ctx: AuthedCtx, input: { pauseStatuses: string[] }) {
  adminOnly(ctx);
  const errors: FieldError[] = input.pauseStatuses
    .map((st, i) => [st, i] as const)
    .filter(([st]) => STOPPING_STATUSES.includes(st))
    .map(([st, i]) => ({ field: `pauseStatuses.${i}`, code: 'invalid', params: { reason: `clocks stop when a ticket is ${st}; only open statuses can pause them` } }));
  if (errors.length) throw validation(errors);
  const before = await getSlaSettings(ctx);
  await ctx.db
    .insert(appSettings)
    .values({ key: PAUSE_SETTING, value: input.pauseStatuses, updatedAt: ctx.now() })
    .onConflictDoUpdate({ target: appSettings.key, set: { value: input.pauseStatuses, updatedAt: ctx.now() } });
  await recordAudit(ctx.db, { actor: ctx.actor, action: 'sla.settings_updated', targetType: 'sla_settings', targetId: ctx.actor.id, changes: changedFields(before as never, input as never) });
  await afterConfigChange(ctx);
  return input;
}
