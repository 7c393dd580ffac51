import { and, asc, desc, eq, gte, inArray, isNull, lt, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { TicketListQueryT } from '@caredesk/contracts';
import { seesEverything, type AuthedCtx } from '../../../platform/context.js';
import { forbidden } from '../../../platform/errors.js';
import { decodeCursor, encodeCursor } from '../../../platform/cursor.js';
import { tickets } from '../db/schema.js';
import { presentSummary, selectSummaries, visibleTo } from '../db/queries.js';
import { OPEN_STATUSES } from '../domain/rules.js';

function queueCondition(ctx: AuthedCtx, queue: TicketListQueryT['queue']): SQL | undefined {
  const { actor } = ctx;
  const myGroups = actor.groupIds.length ? inArray(tickets.groupId, actor.groupIds) : sql`false`;
  switch (queue) {
    case 'mine':
      return eq(tickets.assigneeId, actor.id);
    case 'groups':
      return myGroups;
    case 'unassigned':
      return and(isNull(tickets.assigneeId), seesEverything(actor) ? undefined : myGroups);
    case 'all':
      if (!seesEverything(actor)) throw forbidden();
      return undefined;
    default:
      return undefined;
  }
}

const SORT_COLUMNS = {
  created: [tickets.createdAt],
  updated: [tickets.updatedAt],
  priority: [tickets.priorityRank, tickets.updatedAt],
  // The nearest running SLA deadline ('infinity' without one), kept on the ticket by the SLA module.
  sla_due: [tickets.slaDueAt],
} as const;
const ALL_STATUSES = ['new', 'open', 'pending', 'on-hold', 'solved', 'closed'];

/**
 * Which slices of the (group, status, sort) indexes a queue page can be read from, or null when the
 * page is better served by a plain query (a personal queue, an account's or contact's tickets).
 * PostgreSQL cannot walk one index in order for `group_id IN (…)` or `status IN (…)`, so a page for
 * an agent in two groups would sort every open ticket of both; reading each (group, status) slice
 * in index order, LIMIT n, and merging them keeps a page at a few index probes at any volume.
 */
function slices(ctx: AuthedCtx, q: TicketListQueryT): { groupIds: string[] | null; statuses: string[] } | null {
  if (q.accountId || q.contactId || q.assigneeId || q.queue === 'mine' || !q.queue) return null;
  const statuses = q.status ? q.status.split(',') : ALL_STATUSES;
  const everything = seesEverything(ctx.actor);
  // Partitions that already imply the actor may see the rows (their groups), or a manager's view.
  let groupIds: string[] | null = everything ? null : ctx.actor.groupIds;
  if (q.groupId) groupIds = groupIds === null || groupIds.includes(q.groupId) ? [q.groupId] : [];
  return { groupIds, statuses };
}

/**
 * A queue page: keyset pagination on (sort columns, id), so page 1000 costs what page 1 does.
 * Sort columns come only from the fixed list above, never from the request text.
 */
export async function listTickets(ctx: AuthedCtx, q: TicketListQueryT) {
  if (q.queue === 'all' && !seesEverything(ctx.actor)) throw forbidden();
  const limit = q.limit ?? 25;
  const sort = q.sort ?? 'updated';
  // Deadlines read soonest (most overdue) first; the other sorts newest first.
  const dir = q.order ?? (sort === 'sla_due' ? 'asc' : 'desc');
  const cols = SORT_COLUMNS[sort];
  const keyCols = [...cols, tickets.id];
  const orderBy = (c: AnyColumn) => (dir === 'desc' ? desc(c) : asc(c));

  const filters: (SQL | undefined)[] = [];
  if (q.categoryId) filters.push(eq(tickets.categoryId, q.categoryId));
  if (q.priority) filters.push(eq(tickets.priority, q.priority));
  if (q.tag) filters.push(sql`${tickets.tags} @> ARRAY[${q.tag}]::text[]`);
  if (q.createdFrom) filters.push(gte(tickets.createdAt, new Date(q.createdFrom)));
  if (q.createdTo) filters.push(lt(tickets.createdAt, new Date(q.createdTo)));
  if (q.cursor) {
    const values = decodeCursor(q.cursor);
    const cmp = dir === 'desc' ? sql.raw('<') : sql.raw('>');
    const params = keyCols.map((c, i) => {
      const v = values[i];
      if (c === tickets.id) return sql`${String(v)}::uuid`;
      if (c === tickets.priorityRank) return sql`${Number(v)}::smallint`;
      // 'infinity' is a valid timestamptz literal, so tickets without a deadline page like the rest.
      return sql`${String(v)}::timestamptz`;
    });
    filters.push(sql`(${sql.join(keyCols, sql`, `)}) ${cmp} (${sql.join(params, sql`, `)})`);
  }
  const keyColumns = {
    id: tickets.id,
    priorityRank: tickets.priorityRank,
    updatedAt: tickets.updatedAt,
    createdAt: tickets.createdAt,
    updatedText: sql<string>`${tickets.updatedAt}::text`.as('updated_text'),
    createdText: sql<string>`${tickets.createdAt}::text`.as('created_text'),
    slaDueAt: tickets.slaDueAt,
    slaDueText: sql<string>`${tickets.slaDueAt}::text`.as('sla_due_text'),
  };
  type Key = { id: string; priority_rank: number | null; updated_text: string; created_text: string; sla_due_text: string };

  let keys: Key[];
  const split = slices(ctx, q);
  if (split) {
    const unassigned = q.queue === 'unassigned' ? isNull(tickets.assigneeId) : undefined;
    const groupChoices: (string | null)[] = split.groupIds ?? [null];
    const parts = groupChoices.flatMap((g) =>
      split.statuses.map(
        (st) =>
          sql`(${ctx.db
            .select(keyColumns)
            .from(tickets)
            .where(and(g ? eq(tickets.groupId, g) : undefined, eq(tickets.status, st), unassigned, ...filters))
            .orderBy(...keyCols.map(orderBy))
            .limit(limit + 1)})`,
      ),
    );
    if (!parts.length) return { items: [], nextCursor: null };
    const outer = (
      sort === 'priority' ? ['priority_rank', 'updated_at', 'id'] : sort === 'created' ? ['created_at', 'id'] : sort === 'sla_due' ? ['sla_due_at', 'id'] : ['updated_at', 'id']
    )
      .map((c) => sql.raw(`u.${c} ${dir === 'desc' ? 'DESC NULLS LAST' : 'ASC NULLS FIRST'}`));
    const res = await ctx.db.execute<Key>(
      sql`select u.id, u.priority_rank, u.updated_text, u.created_text, u.sla_due_text from (${sql.join(parts, sql` union all `)}) u order by ${sql.join(outer, sql`, `)} limit ${limit + 1}`,
    );
    keys = res.rows;
  } else {
    const conds: (SQL | undefined)[] = [visibleTo(ctx.actor), queueCondition(ctx, q.queue), ...filters];
    if (q.status) conds.push(inArray(tickets.status, q.status.split(',')));
    if (q.groupId) conds.push(eq(tickets.groupId, q.groupId));
    if (q.assigneeId) conds.push(eq(tickets.assigneeId, q.assigneeId));
    if (q.accountId) conds.push(eq(tickets.accountId, q.accountId));
    if (q.contactId) conds.push(eq(tickets.requesterId, q.contactId));
    const rows = await ctx.db
      .select(keyColumns)
      .from(tickets)
      .where(and(...conds))
      .orderBy(...keyCols.map(orderBy))
      .limit(limit + 1);
    keys = rows.map((r) => ({ id: r.id, priority_rank: r.priorityRank, updated_text: r.updatedText, created_text: r.createdText, sla_due_text: r.slaDueText }));
  }
  const pageKeys = keys.slice(0, limit);
  const rows = pageKeys.length ? await selectSummaries(ctx.db).where(inArray(tickets.id, pageKeys.map((k) => k.id))) : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const items = pageKeys.map((k) => byId.get(k.id)).filter((r) => r !== undefined).map(presentSummary);
  let nextCursor: string | null = null;
  if (keys.length > limit) {
    // Timestamps travel in the cursor at full microsecond precision, or rows would repeat or vanish.
    const last = pageKeys[pageKeys.length - 1]!;
    const values =
      sort === 'created' ? [last.created_text] : sort === 'updated' ? [last.updated_text] : sort === 'sla_due' ? [last.sla_due_text] : [last.priority_rank, last.updated_text];
    nextCursor = encodeCursor([...values, last.id]);
  }
  return { items, nextCursor };
}

/** Open work per queue, for the navigation badges. */
export async function queueCounts(ctx: AuthedCtx) {
  const open = inArray(tickets.status, OPEN_STATUSES);
  const count = async (cond: SQL | undefined) => {
    const [r] = await ctx.db.select({ n: sql<number>`count(*)::int` }).from(tickets).where(and(open, visibleTo(ctx.actor), cond));
    return r?.n ?? 0;
  };
  const everything = seesEverything(ctx.actor);
  const mine = await count(queueCondition(ctx, 'mine'));
  const groups = await count(queueCondition(ctx, 'groups'));
  const unassigned = await count(queueCondition(ctx, 'unassigned'));
  const all = everything ? await count(undefined) : null;
  return { mine, groups, unassigned, all };
}

