import { and, asc, desc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { AuthedCtx, Ctx } from '../../../platform/context.js';
import { forbidden, notFound, unprocessable } from '../../../platform/errors.js';
import { recordAudit } from '../../../platform/audit.js';
import { appSettings } from '../../../platform/db/settings.schema.js';
import { accounts, keyAccountMemberships, keyAccountNotifications, keyAccountRankings } from '../db/schema.js';
import { groupMemberships, groups, users } from '../../people/db/schema.js';
import { addMonths } from '../domain/months.js';
import { publish } from '../../../platform/realtime.js';

/** Postgres advisory lock key: one ranking at a time across every process. */
const RANKING_LOCK = 7_267_330_005;
const OFFICER_CURSOR = 'key_accounts.officer_round_robin';

export interface RankingResult {
  month: string;
  revenueMonth: string;
  topN: number;
  baseCurrency: string;
  entered: string[];
  left: string[];
  members: { accountId: string; rank: number; revenue: number; officerId: string | null }[];
}

/**
 * Makes the key accounts of `month` (YYYY-MM-01) from the revenue of the month before it, the last
 * complete month Finance reported. Revenue is converted to the base currency with the admin's
 * rates. Order: converted revenue, highest first; on a tie, last month's key account first (a tie
 * never costs an account its officer), then account name (case-insensitive), then account id.
 * Running it again for the same month replaces that month's result, so retries are harmless.
 */
export async function rankKeyAccounts(ctx: Ctx, month: string, opts: { topN?: number } = {}): Promise<RankingResult> {
  const topN = opts.topN ?? ctx.config.keyAccountsTopN;
  const base = ctx.config.baseCurrency;
  const revenueMonth = addMonths(month, -1);
  const previousMonth = revenueMonth;

  return ctx.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${RANKING_LOCK})`);
    const missing = await tx.execute<{ currency: string }>(sql`
      select distinct r.currency from revenue_entries r
      where r.month = ${revenueMonth} and r.currency <> ${base}
        and not exists (select 1 from currency_rates c where c.currency = r.currency)
      order by 1`);
    if (missing.rows.length) {
      throw unprocessable('key_accounts.missing_rates', { currencies: missing.rows.map((r) => r.currency).join(', ') });
    }
    const ranked = await tx.execute<{ account_id: string; revenue: string; officer_id: string | null }>(sql`
      with rev as (
        select r.account_id, sum(r.amount * case when r.currency = ${base} then 1 else c.rate end) as revenue
        from revenue_entries r left join currency_rates c on c.currency = r.currency
        where r.month = ${revenueMonth}
        group by r.account_id
      )
      select rev.account_id, round(rev.revenue, 2)::text as revenue, a.officer_id
      from rev join accounts a on a.id = rev.account_id
      left join key_account_memberships p on p.month = ${previousMonth} and p.account_id = rev.account_id
      where rev.revenue > 0
      order by rev.revenue desc, (p.account_id is not null) desc, lower(a.name), a.id
      limit ${topN}`);

    const before = new Set(
      (await tx.select({ id: keyAccountMemberships.accountId }).from(keyAccountMemberships).where(eq(keyAccountMemberships.month, previousMonth))).map((r) => r.id),
    );
    const members = ranked.rows.map((r, i) => ({ accountId: r.account_id, rank: i + 1, revenue: Number(r.revenue), officerId: r.officer_id }));
    const after = new Set(members.map((m) => m.accountId));
    const entered = members.filter((m) => !before.has(m.accountId)).map((m) => m.accountId);
    const left = [...before].filter((id) => !after.has(id)).sort();

    if (ctx.config.keyAccountOfficerRule === 'round-robin') {
      const needOfficer = members.filter((m) => !m.officerId);
      if (needOfficer.length) await assignOfficers(tx, needOfficer);
    }

    await tx.delete(keyAccountMemberships).where(eq(keyAccountMemberships.month, month));
    if (members.length) {
      await tx.insert(keyAccountMemberships).values(members.map((m) => ({ month, accountId: m.accountId, rank: m.rank, revenue: String(m.revenue), officerId: m.officerId })));
    }
    await tx
      .insert(keyAccountRankings)
      .values({ month, revenueMonth, topN, baseCurrency: base, rankedAt: ctx.now() })
      .onConflictDoUpdate({ target: keyAccountRankings.month, set: { revenueMonth, topN, baseCurrency: base, rankedAt: ctx.now() } });

    // Only the newest ranked month says who is a key account today.
    const [latest] = await tx.select({ month: keyAccountRankings.month }).from(keyAccountRankings).orderBy(desc(keyAccountRankings.month)).limit(1);
    if (latest?.month === month) {
      await tx.update(accounts).set({ keyAccount: false }).where(and(eq(accounts.keyAccount, true), after.size ? notInArray(accounts.id, [...after]) : undefined));
      if (after.size) await tx.update(accounts).set({ keyAccount: true }).where(and(inArray(accounts.id, [...after]), eq(accounts.keyAccount, false)));
    }

    await tx.delete(keyAccountNotifications).where(eq(keyAccountNotifications.month, month));
    const changes = [...entered.map((id) => ({ id, change: 'entered' })), ...left.map((id) => ({ id, change: 'left' }))];
    if (changes.length) {
      const managers = await tx.select({ id: users.id }).from(users).where(and(eq(users.active, true), sql`'manager' = any(${users.roles})`));
      const officerOf = new Map<string, string | null>();
      for (const m of members) officerOf.set(m.accountId, m.officerId);
      const leftOfficers = left.length ? await tx.select({ id: accounts.id, officerId: accounts.officerId }).from(accounts).where(inArray(accounts.id, left)) : [];
      for (const l of leftOfficers) officerOf.set(l.id, l.officerId);
      const rows = new Map<string, { userId: string; month: string; accountId: string; change: string }>();
      for (const c of changes) {
        const to = [...managers.map((m) => m.id), officerOf.get(c.id)].filter((x): x is string => Boolean(x));
        for (const userId of to) rows.set(`${userId}|${c.id}`, { userId, month, accountId: c.id, change: c.change });
      }
      const list = [...rows.values()];
      for (let i = 0; i < list.length; i += 1000) await tx.insert(keyAccountNotifications).values(list.slice(i, i + 1000));
      // Each person's bell re-reads its list; published in the transaction, so only if it commits.
      for (const userId of new Set(list.map((r) => r.userId))) await publish(tx, `user:${userId}`, { type: 'key_accounts.notification', month: month.slice(0, 7) });
    }
    await recordAudit(tx, {
      actor: ctx.actor,
      action: 'key_accounts.ranked',
      targetType: 'key_account_ranking',
      targetId: members[0]?.accountId ?? '00000000-0000-0000-0000-000000000000',
      changes: [
        { field: 'month', before: null, after: month.slice(0, 7) },
        { field: 'entered', before: null, after: entered.length },
        { field: 'left', before: null, after: left.length },
      ],
    });
    return { month: month.slice(0, 7), revenueMonth: revenueMonth.slice(0, 7), topN, baseCurrency: base, entered, left, members };
  });
}

type Tx = Parameters<Parameters<Ctx['db']['transaction']>[0]>[0];

/**
 * Key account officers are the active members of the Key Accounts groups. New key accounts take
 * them in turn, continuing after the one who was given an account last.
 */
async function assignOfficers(tx: Tx, needing: { accountId: string; officerId: string | null }[]) {
  const officers = (
    await tx
      .selectDistinct({ id: users.id })
      .from(users)
      .innerJoin(groupMemberships, eq(groupMemberships.userId, users.id))
      .innerJoin(groups, eq(groups.id, groupMemberships.groupId))
      .where(and(eq(groups.kind, 'key-accounts'), eq(users.active, true)))
      .orderBy(asc(users.id))
  ).map((r) => r.id);
  if (!officers.length) return;
  const [cursor] = await tx.select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, OFFICER_CURSOR));
  const last = (cursor?.value as { last?: string } | undefined)?.last ?? null;
  let i = last ? officers.findIndex((id) => id > last) : 0;
  if (i < 0) i = 0;
  for (const m of needing) {
    const officerId = officers[i % officers.length]!;
    i++;
    m.officerId = officerId;
    await tx.update(accounts).set({ officerId }).where(eq(accounts.id, m.accountId));
    await tx
      .insert(appSettings)
      .values({ key: OFFICER_CURSOR, value: { last: officerId } })
      .onConflictDoUpdate({ target: appSettings.key, set: { value: { last: officerId } } });
  }
}

export function requireRanker(ctx: AuthedCtx) {
  if (!ctx.actor.roles.some((r) => r === 'admin' || r === 'manager')) throw forbidden();
}

export async function rankingHistory(ctx: AuthedCtx, q: { month?: string }) {
  const months = await ctx.db.select().from(keyAccountRankings).orderBy(desc(keyAccountRankings.month)).limit(q.month ? 100 : 24);
  const month = q.month ?? months[0]?.month;
  if (!month) return { month: null, months: [], items: [] };
  const prev = addMonths(month, -1);
  const items = await ctx.db.execute<{ account_id: string; name: string; country_code: string | null; rank: number; revenue: string; officer_id: string | null; officer_name: string | null; prev_rank: number | null }>(sql`
    select m.account_id, a.name, a.country_code, m.rank, m.revenue::text as revenue, m.officer_id, u.name as officer_name, p.rank as prev_rank
    from key_account_memberships m join accounts a on a.id = m.account_id
    left join users u on u.id = m.officer_id
    left join key_account_memberships p on p.month = ${prev} and p.account_id = m.account_id
    where m.month = ${month} order by m.rank`);
  const left = await ctx.db.execute<{ account_id: string; name: string }>(sql`
    select p.account_id, a.name from key_account_memberships p join accounts a on a.id = p.account_id
    where p.month = ${prev} and not exists (select 1 from key_account_memberships m where m.month = ${month} and m.account_id = p.account_id)
    order by p.rank`);
  return {
    month: month.slice(0, 7),
    months: months.map((m) => ({ month: m.month.slice(0, 7), revenueMonth: m.revenueMonth.slice(0, 7), topN: m.topN, rankedAt: m.rankedAt })),
    items: items.rows.map((r) => ({
      accountId: r.account_id,
      name: r.name,
      countryCode: r.country_code,
      rank: r.rank,
      revenue: Number(r.revenue),
      officer: r.officer_id ? { id: r.officer_id, name: r.officer_name ?? '' } : null,
      entered: r.prev_rank === null,
    })),
    left: left.rows.map((r) => ({ accountId: r.account_id, name: r.name })),
  };
}

/** A user's notifications of accounts entering or leaving the key accounts. */
export async function myKeyAccountNotifications(ctx: AuthedCtx) {
  const rows = await ctx.db
    .select({ id: keyAccountNotifications.id, month: keyAccountNotifications.month, accountId: keyAccountNotifications.accountId, accountName: accounts.name, change: keyAccountNotifications.change, readAt: keyAccountNotifications.readAt, createdAt: keyAccountNotifications.createdAt })
    .from(keyAccountNotifications)
    .innerJoin(accounts, eq(accounts.id, keyAccountNotifications.accountId))
    .where(eq(keyAccountNotifications.userId, ctx.actor.id))
    .orderBy(desc(keyAccountNotifications.month), asc(accounts.name))
    .limit(200);
  return rows.map((r) => ({ ...r, month: r.month.slice(0, 7) }));
}

/** Marks one of the user's key-account notifications read (404 when it is not theirs), or all of them. */
export async function markKeyAccountNotificationsRead(ctx: AuthedCtx, id?: string) {
  const rows = await ctx.db
    .update(keyAccountNotifications)
    .set({ readAt: ctx.now() })
    .where(and(eq(keyAccountNotifications.userId, ctx.actor.id), sql`${keyAccountNotifications.readAt} is null`, id ? eq(keyAccountNotifications.id, id) : undefined))
    .returning({ id: keyAccountNotifications.id });
  if (id && !rows.length) {
    const [mine] = await ctx.db.select({ id: keyAccountNotifications.id }).from(keyAccountNotifications).where(and(eq(keyAccountNotifications.id, id), eq(keyAccountNotifications.userId, ctx.actor.id)));
    if (!mine) throw notFound();
  }
  return rows.length;
}

/** Rank history of one account, newest first. */
export async function accountRankHistory(db: Ctx['db'], accountId: string) {
  const rows = await db
    .select({ month: keyAccountMemberships.month, rank: keyAccountMemberships.rank, revenue: keyAccountMemberships.revenue })
    .from(keyAccountMemberships)
    .where(eq(keyAccountMemberships.accountId, accountId))
    .orderBy(desc(keyAccountMemberships.month))
    .limit(36);
  return rows.map((r) => ({ month: r.month.slice(0, 7), rank: r.rank, revenue: Number(r.revenue) }));
}
