import { sql } from 'drizzle-orm';
import type { AuthedCtx } from '../../../platform/context.js';
import { getAccount } from './accounts.js';
import { accountRankHistory } from './ranking.js';
import { accountRevenue } from './revenue.js';

type TicketRow = { id: string; number: number; subject: string; status: string; channel: string; priority: string; group_name: string | null; updated_at: Date | string };
const ticket = (r: TicketRow) => ({
  id: r.id,
  number: Number(r.number),
  subject: r.subject,
  status: r.status,
  channel: r.channel,
  priority: r.priority,
  groupName: r.group_name,
  updatedAt: new Date(r.updated_at).toISOString(),
});

/** The customer 360: everything about an account on one page, across every channel. */
export async function accountOverview(ctx: AuthedCtx, id: string) {
  const account = await getAccount(ctx, id);
  const [rankHistory, revenue, contacts, open, recent] = await Promise.all([
    accountRankHistory(ctx.db, id),
    accountRevenue(ctx.db, id, ctx.config.baseCurrency),
    ctx.db.execute<{ id: string; name: string; language: string }>(sql`select id, name, language from contacts where account_id = ${id} order by name limit 200`),
    ctx.db.execute<TicketRow>(sql`
      select t.id, t.number, t.subject, t.status, t.channel, t.priority, g.name as group_name, t.updated_at
      from tickets t left join groups g on g.id = t.group_id
      where t.account_id = ${id} and t.status in ('new', 'open', 'pending', 'on-hold')
      order by t.updated_at desc limit 100`),
    ctx.db.execute<TicketRow>(sql`
      select t.id, t.number, t.subject, t.status, t.channel, t.priority, g.name as group_name, t.updated_at
      from tickets t left join groups g on g.id = t.group_id
      where t.account_id = ${id} and t.status in ('solved', 'closed')
      order by t.updated_at desc limit 20`),
  ]);
  return {
    keyAccount: account.keyAccount as boolean,
    rankHistory,
    revenue,
    baseCurrency: ctx.config.baseCurrency,
    contacts: contacts.rows,
    openTickets: open.rows.map(ticket),
    recentTickets: recent.rows.map(ticket),
  };
}

/** The key accounts an officer looks after today. */
export async function myKeyAccounts(ctx: AuthedCtx) {
  const rows = await ctx.db.execute<{ id: string; name: string; country_code: string | null; rank: number | null; open_tickets: number }>(sql`
    select a.id, a.name, a.country_code,
      (select m.rank from key_account_memberships m where m.account_id = a.id order by m.month desc limit 1) as rank,
      (select count(*)::int from tickets t where t.account_id = a.id and t.status in ('new', 'open', 'pending', 'on-hold')) as open_tickets
    from accounts a where a.officer_id = ${ctx.actor.id} and a.key_account
    order by rank nulls last, a.name`);
  return rows.rows.map((r) => ({ id: r.id, name: r.name, countryCode: r.country_code, rank: r.rank, openTickets: Number(r.open_tickets) }));
}
