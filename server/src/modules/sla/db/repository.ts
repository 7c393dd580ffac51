/** The SLA module's reads: its configuration and the ticket histories clocks are computed from. */
import { asc, eq, sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../../../platform/db/index.js';
import { appSettings } from '../../../platform/db/settings.schema.js';
import type { FieldChange } from '../../../platform/db/audit.schema.js';
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

/**
 * Inside one transaction the stamp is read once: a batch of inbound mail opens and recomputes
 * several tickets in one transaction, and every configuration change commits in its own
 * transaction (then recomputes open tickets in the background), so none can appear halfway.
 */
const stampInTransaction = new WeakMap<DbOrTx, Promise<string>>();

function stampOf(db: DbOrTx): Promise<string> {
  if (!(db instanceof PgTransaction)) return readStamp(db);
  let stamp = stampInTransaction.get(db);
  if (!stamp) stampInTransaction.set(db, (stamp = readStamp(db)));
  return stamp;
}

async function readStamp(db: DbOrTx): Promise<string> {
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

/** A clock as stored, times in epoch milliseconds. */
export interface StoredClock {
  target: string;
  cycle: number;
  policyId: string | null;
  groupId: string | null;
  calendarId: string | null;
  startAt: number;
  dueAt: number | null;
  atRiskAt: number | null;
  stoppedAt: number | null;
  paused: boolean;
  budgetMs: number;
  steps: { key: string; at: string }[];
  nextActionAt: number | null;
}

/** What a recompute starts from: the history, and what earlier recomputes and sweeps left. */
export interface SlaState {
  history: TicketHistory;
  /** tickets.sla_due_at in epoch milliseconds (Infinity: none). */
  slaDueMs: number;
  /** `target|cycle|stepKey` of the ladder steps that already ran. */
  fired: ReadonlySet<string>;
  /** `target|cycle|kind` of the met and breached facts already recorded. */
  facts: ReadonlySet<string>;
  clocks: StoredClock[];
}

type HistoryRow = {
  id: string;
  created_at: string;
  channel: string;
  status: string;
  priority: string;
  category_id: string | null;
  group_id: string | null;
  tier: string | null;
  key_account: boolean | null;
  audits: [string, FieldChange[]][] | null;
  messages: [string, string][] | null;
  sla_due_ms?: string;
  fired?: [string, number, string][] | null;
  facts?: [string, number, string][] | null;
  clocks?: [string, number, string | null, string | null, string | null, number, number | null, number | null, number | null, boolean, number, { key: string; at: string }[], number | null][] | null;
};

/**
 * One query for a batch of tickets, each ticket's history (and SLA state) aggregated beside it:
 * one round trip instead of six, and every lookup is a per-ticket index probe, which the planner
 * would otherwise trade for a scan of the whole message table once a batch is large.
 * Times travel as PostgreSQL's text and are read as the ORM reads timestamp columns, so a history
 * gives the same instants as before. Stored clock times travel as epoch milliseconds, the precision
 * the recompute writes them in; date_part's float costs a fraction of extract's numeric on every row.
 */
async function historyRows(db: DbOrTx, ticketIds: string[], withState: boolean): Promise<HistoryRow[]> {
  const ms = (col: string) => sql.raw(`round(date_part('epoch', d.${col}) * 1000)`);
  const state = withState
    ? sql`,
      round(date_part('epoch', t.sla_due_at) * 1000)::text as sla_due_ms,
      (select json_agg(json_build_array(x.target, x.cycle, x.step_key)) from sla_escalations x where x.ticket_id = t.id) as fired,
      (select json_agg(json_build_array(f.target, f.cycle, f.kind)) from sla_facts f where f.ticket_id = t.id) as facts,
      (select json_agg(json_build_array(d.target, d.cycle, d.policy_id, d.group_id, d.calendar_id, ${ms('start_at')}, ${ms('due_at')}, ${ms('at_risk_at')},
                                        ${ms('stopped_at')}, d.paused, d.budget_ms, d.steps, ${ms('next_action_at')}))
         from sla_deadlines d where d.ticket_id = t.id) as clocks`
    : sql``;
  // One ticket (every change made through the app) is its own statement: prepared, its generic plan
  // is an index probe, where the array form's generic plan lost to planning afresh on every call.
  const res = await db.execute<HistoryRow>(sql`
    select t.id, t.created_at::text as created_at, t.channel, t.status, t.priority, t.category_id, t.group_id, a.tier, a.key_account,
      (select json_agg(json_build_array(e.created_at::text, e.changes) order by e.created_at, e.id)
         from audit_events e where e.ticket_id = t.id and e.action = 'ticket.updated') as audits,
      (select json_agg(json_build_array(m.created_at::text, m.kind) order by m.created_at)
         from ticket_messages m where m.ticket_id = t.id and m.kind in ('customer', 'reply')) as messages${state}
    from tickets t left join accounts a on a.id = t.account_id
    where ${ticketIds.length === 1 ? sql`t.id = ${ticketIds[0]}::uuid` : sql`t.id = any(${uuidArray(ticketIds)}::uuid[])`}`);
  return res.rows;
}

function historyOf(r: HistoryRow): TicketHistory {
  const initial: Record<Field, string | null> = { status: r.status, priority: r.priority, categoryId: r.category_id, groupId: r.group_id };
  const changes: TicketHistory['changes'] = [];
  const audit = r.audits ?? [];
  for (let i = audit.length - 1; i >= 0; i--) {
    const [at, list] = audit[i]!;
    const ms = new Date(at).getTime();
    for (const c of list) {
      if (!FIELDS.includes(c.field as Field)) continue;
      initial[c.field as Field] = (c.before as string | null) ?? null;
      changes.push({ at: ms, field: c.field as Field, value: (c.after as string | null) ?? null });
    }
  }
  return {
    ticketId: r.id,
    createdAt: new Date(r.created_at).getTime(),
    channel: r.channel,
    accountTier: r.tier ?? null,
    // This month's ranking (customers module) decides who is a key account.
    keyAccount: r.key_account ?? false,
    initial,
    changes: changes.reverse(),
    messages: (r.messages ?? []).map(([at, kind]) => ({ at: new Date(at).getTime(), kind: kind as 'customer' | 'reply' })),
  };
}

/** Histories of several tickets; the initial values are the current ones with every change undone. */
export async function loadHistories(db: DbOrTx, ticketIds: string[]): Promise<TicketHistory[]> {
  if (!ticketIds.length) return [];
  return (await historyRows(db, ticketIds, false)).map(historyOf);
}

const NONE: ReadonlySet<string> = new Set();

/** Histories with the clocks, fired steps, facts and queue key stored for them, in one query. */
export async function loadSlaStates(db: DbOrTx, ticketIds: string[]): Promise<SlaState[]> {
  if (!ticketIds.length) return [];
  return (await historyRows(db, ticketIds, true)).map((r) => ({
    history: historyOf(r),
    slaDueMs: Number(r.sla_due_ms),
    fired: r.fired ? new Set(r.fired.map(([target, cycle, key]) => `${target}|${cycle}|${key}`)) : NONE,
    facts: r.facts ? new Set(r.facts.map(([target, cycle, kind]) => `${target}|${cycle}|${kind}`)) : NONE,
    clocks: (r.clocks ?? []).map(([target, cycle, policyId, groupId, calendarId, startAt, dueAt, atRiskAt, stoppedAt, paused, budgetMs, steps, nextActionAt]) => ({
      target, cycle, policyId, groupId, calendarId, startAt, dueAt, atRiskAt, stoppedAt, paused, budgetMs, steps, nextActionAt,
    })),
  }));
}
