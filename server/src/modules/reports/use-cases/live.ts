import { sql } from 'drizzle-orm';
import type { LiveDashboardT } from '@caredesk/contracts';
import type { AuthedCtx } from '../../../platform/context.js';
import type { Db } from '../../../platform/db/index.js';
import { DateTime } from 'luxon';
import { companyTimeZone } from '../../sla/index.js';
import { assertCanReadReports, kpiSummary, resolveRange } from './kpis.js';

/** How often the web dashboard refreshes until the realtime layer pushes changes instead. */
export const LIVE_REFRESH_SECONDS = 15;
/** An agent who made a request this recently counts as online. */
const ONLINE_MS = 5 * 60_000;
const TODAY_METRICS = ['tickets_created', 'first_response_time', 'resolution_time', 'sla_compliance', 'escalations', 'reopen_rate', 'first_contact_resolution'] as const;

/**
 * The live dashboard: what is true right now (queue sizes, clocks at risk, who is online and how
 * loaded) from the live tables, and today's KPIs from facts. Queue sizes and clocks are the current
 * state, not history, so they are read where that state lives.
 */
export async function liveDashboard(ctx: AuthedCtx): Promise<LiveDashboardT> {
  assertCanReadReports(ctx);
  const now = ctx.now();
  const db = ctx.db;
  // Open tickets are counted per (group, status) before the join, from tickets_open_idx alone
  // (small: its entries repeat a few hundred keys); the groups' names are joined to the counts.
  const queuesQ = db.execute<{ group_id: string; name: string; new: number; open: number; pending: number; on_hold: number; total: number }>(sql`
    select g.id as group_id, g.name,
      coalesce(sum(c.n) filter (where c.status = 'new'), 0)::int as new,
      coalesce(sum(c.n) filter (where c.status = 'open'), 0)::int as open,
      coalesce(sum(c.n) filter (where c.status = 'pending'), 0)::int as pending,
      coalesce(sum(c.n) filter (where c.status = 'on-hold'), 0)::int as on_hold,
      coalesce(sum(c.n), 0)::int as total
    from groups g left join (
      select t.group_id, t.status, count(*) as n from tickets t where t.status in ('new', 'open', 'pending', 'on-hold') group by 1, 2
    ) c on c.group_id = g.id
    group by g.id, g.name order by total desc, g.name`);
  // Running clocks past their at-risk moment, the soonest due first (sla_deadlines_due_idx, or
  // sla_deadlines_at_risk_idx when few clocks are at risk).
  const riskQ = db.execute<{ ticket_id: string; number: string; subject: string; target: string; due_at: Date | string; group_name: string | null; assignee_name: string | null }>(sql`
    select d.ticket_id, t.number, t.subject, d.target, d.due_at, g.name as group_name, u.name as assignee_name
    from sla_deadlines d join tickets t on t.id = d.ticket_id
    left join groups g on g.id = t.group_id left join users u on u.id = t.assignee_id
    where d.stopped_at is null and not d.paused and d.due_at is not null and coalesce(d.at_risk_at, d.due_at) <= ${now}
      and t.status in ('new', 'open', 'pending', 'on-hold')
    order by d.due_at limit 20`);
  // Counted from the clocks alone, by an index-only scan of sla_deadlines_at_risk_idx: a clock runs
  // only while its ticket is open, since clocks are recomputed (and stop at solved or closed) in the
  // transaction that changes the ticket (sla/listeners.ts). Checking the ticket's status again took
  // a hash join over every open ticket: a third of the dashboard's time at a million tickets.
  const countsQ = db.execute<{ at_risk: number; breached: number }>(sql`
    select count(*) filter (where d.due_at > ${now})::int as at_risk, count(*) filter (where d.due_at <= ${now})::int as breached
    from sla_deadlines d
    where d.stopped_at is null and not d.paused and d.due_at is not null and coalesce(d.at_risk_at, d.due_at) <= ${now}`);
  // Each agent's load is one range of tickets_open_idx.
  const agentsQ = db.execute<{ id: string; name: string; seen_at: Date | string | null; away: boolean | null; load: number }>(sql`
    select u.id, u.name, p.seen_at, a.away,
      (select count(*) from tickets t where t.assignee_id = u.id and t.status in ('new', 'open', 'pending', 'on-hold'))::int as load
    from users u left join agent_presence p on p.user_id = u.id left join agent_availability a on a.user_id = u.id
    where u.active and (u.roles && array['agent', 'supervisor']::text[])
    order by u.name`);
  // Today in the company's time zone, against yesterday.
  const todayQ = (async () => {
    const zone = await companyTimeZone(db);
    const day = DateTime.fromJSDate(now, { zone }).toISODate()!;
    return kpiSummary(ctx, {}, TODAY_METRICS, await resolveRange(db, { from: day, to: day }, now, zone));
  })();
  // Independent reads, run side by side on PostgreSQL's pool (PGlite queues them).
  const [queues, risk, countsRes, agents, todayOnly] = await Promise.all([queuesQ, riskQ, countsQ, agentsQ, todayQ]);
  const counts = countsRes.rows[0];
  return {
    at: now.toISOString(),
    refreshSeconds: LIVE_REFRESH_SECONDS,
    queues: queues.rows.map((q) => ({ groupId: q.group_id, name: q.name, new: q.new, open: q.open, pending: q.pending, onHold: q.on_hold, total: q.total })),
    atRisk: risk.rows.map((r) => ({
      ticketId: r.ticket_id,
      number: Number(r.number),
      subject: r.subject,
      target: r.target,
      dueAt: new Date(r.due_at).toISOString(),
      state: new Date(r.due_at) <= now ? ('breached' as const) : ('at_risk' as const),
      groupName: r.group_name,
      assigneeName: r.assignee_name,
    })),
    atRiskCount: counts?.at_risk ?? 0,
    breachedCount: counts?.breached ?? 0,
    agents: agents.rows.map((a) => {
      const seen = a.seen_at ? new Date(a.seen_at) : null;
      return { id: a.id, name: a.name, online: !!seen && now.getTime() - seen.getTime() < ONLINE_MS && !a.away, away: !!a.away, lastSeenAt: seen?.toISOString() ?? null, load: a.load };
    }),
    today: todayOnly.kpis,
  };
}

const lastWrite = new Map<string, number>();
/**
 * Marks the user as seen; at most one write a minute per user and process, so it costs nothing
 * on busy request paths. Several processes each write, which is harmless (last one wins).
 */
export async function touchPresence(db: Db, userId: string, now: Date) {
  const last = lastWrite.get(userId) ?? 0;
  if (now.getTime() - last < 60_000) return;
  lastWrite.set(userId, now.getTime());
  if (lastWrite.size > 10_000) lastWrite.clear();
  await db.execute(sql`insert into agent_presence (user_id, seen_at) values (${userId}, ${now}) on conflict (user_id) do update set seen_at = greatest(agent_presence.seen_at, excluded.seen_at)`);
}
