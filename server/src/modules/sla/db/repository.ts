/** The SLA module's reads: its configuration and the ticket histories clocks are computed from. */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../../platform/db/index.js';
import { appSettings } from '../../../platform/db/settings.schema.js';
import { auditEvents, type FieldChange } from '../../../platform/db/audit.schema.js';
import { ticketMessages, tickets } from '../../tickets/db/schema.js';
import { accounts } from '../../customers/db/schema.js';
import { BusinessCalendar } from '../domain/calendar.js';
import type { Field, SlaConfig, TicketHistory } from '../domain/clocks.js';
import { slaCalendars, slaGroupSettings, slaLadders, slaPolicies } from './schema.js';

export const PAUSE_SETTING = 'sla.pause_statuses';
export const DEFAULT_PAUSE_STATUSES = ['pending'];
const AT_RISK_SHARE = 0.75;

/**
 * Configuration is read on every recompute, but rebuilt only when something in it changed: one
 * cheap query compares a stamp, so several processes never disagree for longer than a commit.
 */
let cached: { stamp: string; config: SlaConfig } | null = null;

async function stampOf(db: DbOrTx): Promise<string> {
  // Ids are unique across databases, so tests with several databases in one process never mix them up.
  const res = await db.execute<{ s: string }>(sql`select concat_ws('|', current_schema(),
    (select max(updated_at)::text || count(*) || min(id::text) from sla_calendars),
    (select max(updated_at)::text || count(*) || min(id::text) from sla_policies),
    (select max(updated_at)::text || count(*) from sla_ladders),
    (select max(updated_at)::text || count(*) from sla_group_settings),
    (select updated_at::text || value::text from app_settings where key = ${PAUSE_SETTING})) as s`);
  return res.rows[0]?.s ?? '';
}

export async function loadSlaConfig(db: DbOrTx): Promise<SlaConfig> {
  const stamp = await stampOf(db);
  if (cached && cached.stamp === stamp) return cached.config;
  // One after another: inside a transaction they share one connection (pg deprecates overlapping queries on it).
  const cals = await db.select().from(slaCalendars);
  const pols = await db.select().from(slaPolicies).where(eq(slaPolicies.active, true)).orderBy(asc(slaPolicies.position), asc(slaPolicies.name));
  const ladders = await db.select().from(slaLadders);
  const groups = await db.select().from(slaGroupSettings);
  const pause = await db.select().from(appSettings).where(eq(appSettings.key, PAUSE_SETTING));
  const config: SlaConfig = {
    policies: pols.map((p) => ({ id: p.id, name: p.name, conditions: p.conditions, targets: p.targets, calendarId: p.calendarId, ladderId: p.ladderId })),
    calendars: new Map(cals.map((c) => [c.id, { name: c.name, calendar: new BusinessCalendar({ timeZone: c.timeZone, hours: c.hours, holidays: c.holidays }) }])),
    defaultCalendarId: cals.find((c) => c.isDefault)?.id ?? null,
    groups: new Map(groups.map((g) => [g.groupId, { calendarId: g.calendarId, internal: g.internalTarget ?? null, ladderId: g.ladderId }])),
    ladders: new Map(ladders.map((l) => [l.id, l.steps.map((s, i) => ({ ...s, key: s.key ?? `step-${i + 1}` }))])),
    pauseStatuses: (pause[0]?.value as string[] | undefined) ?? DEFAULT_PAUSE_STATUSES,
    atRiskShare: AT_RISK_SHARE,
  };
  cached = { stamp, config };
  return config;
}

/** A list as one array literal parameter (ids and keys contain no quotes, commas or braces). */
export const uuidArray = (ids: string[]) => `{${ids.join(',')}}`;
export const textArray = (keys: string[]) => `{${keys.map((k) => `"${k.replace(/["\\]/g, '')}"`).join(',')}}`;

const FIELDS: Field[] = ['status', 'priority', 'categoryId', 'groupId'];

/** Histories of several tickets in three queries; the initial values are the current ones with every change undone. */
export async function loadHistories(db: DbOrTx, ticketIds: string[]): Promise<TicketHistory[]> {
  if (!ticketIds.length) return [];
  // One after another: inside a transaction they share one connection (pg deprecates overlapping queries on it).
  const rows = await db
    .select({
      id: tickets.id,
      createdAt: tickets.createdAt,
      channel: tickets.channel,
      status: tickets.status,
      priority: tickets.priority,
      categoryId: tickets.categoryId,
      groupId: tickets.groupId,
      tier: accounts.tier,
      keyAccount: accounts.keyAccount,
    })
    .from(tickets)
    .leftJoin(accounts, eq(accounts.id, tickets.accountId))
    .where(sql`${tickets.id} = any(${uuidArray(ticketIds)}::uuid[])`);
  const audits = await db
    .select({ ticketId: auditEvents.ticketId, changes: auditEvents.changes, at: auditEvents.createdAt })
    .from(auditEvents)
    .where(and(sql`${auditEvents.ticketId} = any(${uuidArray(ticketIds)}::uuid[])`, eq(auditEvents.action, 'ticket.updated')))
    .orderBy(asc(auditEvents.createdAt), asc(auditEvents.id));
  const messages = await db
    .select({ ticketId: ticketMessages.ticketId, kind: ticketMessages.kind, at: ticketMessages.createdAt })
    .from(ticketMessages)
    .where(and(sql`${ticketMessages.ticketId} = any(${uuidArray(ticketIds)}::uuid[])`, inArray(ticketMessages.kind, ['customer', 'reply'])))
    .orderBy(asc(ticketMessages.createdAt));
  const changesOf = new Map<string, { at: number; list: FieldChange[] }[]>();
  for (const a of audits) {
    const list = changesOf.get(a.ticketId!) ?? [];
    list.push({ at: a.at.getTime(), list: a.changes });
    changesOf.set(a.ticketId!, list);
  }
  const messagesOf = new Map<string, TicketHistory['messages']>();
  for (const m of messages) {
    const list = messagesOf.get(m.ticketId) ?? [];
    list.push({ at: m.at.getTime(), kind: m.kind as 'customer' | 'reply' });
    messagesOf.set(m.ticketId, list);
  }
  return rows.map((r) => {
    const initial: Record<Field, string | null> = { status: r.status, priority: r.priority, categoryId: r.categoryId, groupId: r.groupId };
    const changes: TicketHistory['changes'] = [];
    const audit = changesOf.get(r.id) ?? [];
    for (let i = audit.length - 1; i >= 0; i--) {
      const a = audit[i]!;
      for (const c of a.list) {
        if (!FIELDS.includes(c.field as Field)) continue;
        initial[c.field as Field] = (c.before as string | null) ?? null;
        changes.push({ at: a.at, field: c.field as Field, value: (c.after as string | null) ?? null });
      }
    }
    return {
      ticketId: r.id,
      createdAt: r.createdAt.getTime(),
      channel: r.channel,
      accountTier: r.tier ?? null,
      // This month's ranking (customers module) decides who is a key account.
      keyAccount: r.keyAccount ?? false,
      initial,
      changes: changes.reverse(),
      messages: messagesOf.get(r.id) ?? [],
    };
  });
}
