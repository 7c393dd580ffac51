import { and, asc, desc, eq, gte, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
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
} as const;

/**
 * A queue page: keyset pagination on (sort columns, id), so page 1000 costs what page 1 does.
 * Sort columns come only from the fixed list above, never from the request text.
 */
export async function listTickets(ctx: AuthedCtx, q: TicketListQueryT) {
  const limit = q.limit ?? 25;
  const sort = q.sort ?? 'updated';
  const dir = q.order ?? 'desc';
  const cols = SORT_COLUMNS[sort];

  const conds: (SQL | undefined)[] = [visibleTo(ctx.actor), queueCondition(ctx, q.queue)];
  if (q.status) conds.push(inArray(tickets.status, q.status.split(',')));
  if (q.groupId) conds.push(eq(tickets.groupId, q.groupId));
  if (q.assigneeId) conds.push(eq(tickets.assigneeId, q.assigneeId));
  if (q.categoryId) conds.push(eq(tickets.categoryId, q.categoryId));
  if (q.priority) conds.push(eq(tickets.priority, q.priority));
  if (q.accountId) conds.push(eq(tickets.accountId, q.accountId));
  if (q.contactId) conds.push(eq(tickets.requesterId, q.contactId));
  if (q.tag) conds.push(sql`${tickets.tags} @> ARRAY[${q.tag}]::text[]`);
  if (q.createdFrom) conds.push(gte(tickets.createdAt, new Date(q.createdFrom)));
  if (q.createdTo) conds.push(lt(tickets.createdAt, new Date(q.createdTo)));

  if (q.cursor) {
    const values = decodeCursor(q.cursor);
    const keyCols = [...cols, tickets.id];
    const cmp = dir === 'desc' ? sql.raw('<') : sql.raw('>');
    const params = keyCols.map((c, i) => {
      const v = values[i];
      if (c === tickets.id) return sql`${String(v)}::uuid`;
      if (c === tickets.priorityRank) return sql`${Number(v)}::smallint`;
      return sql`${String(v)}::timestamptz`;
    });
    conds.push(sql`(${sql.join(keyCols, sql`, `)}) ${cmp} (${sql.join(params, sql`, `)})`);
  }

  const order = [...cols, tickets.id].map((c) => (dir === 'desc' ? desc(c) : asc(c)));
  const rows = await selectSummaries(ctx.db)
    .where(and(...conds))
    .orderBy(...order)
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  let nextCursor: string | null = null;
  if (rows.length > limit) {
    const last = page[page.length - 1]!;
    // Timestamps go through the cursor at full microsecond precision, or rows would repeat or vanish.
    const [key] = await ctx.db
      .select({ created: sql<string>`${tickets.createdAt}::text`, updated: sql<string>`${tickets.updatedAt}::text`, rank: tickets.priorityRank })
      .from(tickets)
      .where(eq(tickets.id, last.id!));
    const values = sort === 'created' ? [key!.created] : sort === 'updated' ? [key!.updated] : [key!.rank, key!.updated];
    nextCursor = encodeCursor([...values, last.id]);
  }
  return { items: page.map(presentSummary), nextCursor };
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

