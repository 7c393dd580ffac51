import type { FastifyInstance } from 'fastify';
import type { ApiTypeProvider } from '../../platform/type-provider.js';
import { Type } from 'typebox';
import { and, desc, eq, ilike, inArray, or, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { SearchResult } from '@caredesk/contracts';
import { authed } from '../auth/index.js';
import { seesEverything, type AuthedCtx } from '../../platform/context.js';
import { escapeHtml } from '../../platform/html.js';
import { likeEscape } from '../../platform/db/like.js';
import { tickets } from '../tickets/db/schema.js';
import { contactIdentities } from '../customers/db/schema.js';
import { visibleTo } from '../tickets/db/queries.js';
import { searchContacts } from '../customers/index.js';
import { normaliseForSearch } from './domain/normalise.js';

export { normaliseForSearch };

const RANK_CANDIDATES = 200;
const RECENT_WINDOW = 5000;
const START = '\u0001';
const STOP = '\u0002';
const HEADLINE_OPTS = `StartSel=${START}, StopSel=${STOP}, MaxFragments=2, MaxWords=18, MinWords=6, FragmentDelimiter=" … "`;

/** visibleTo() for a sub-query's columns. */
function scopeOf(ctx: AuthedCtx, m: { groupId: AnyColumn; assigneeId: AnyColumn; createdById: AnyColumn }): SQL | undefined {
  if (seesEverything(ctx.actor)) return undefined;
  const own = or(eq(m.assigneeId, ctx.actor.id), eq(m.createdById, ctx.actor.id));
  return ctx.actor.groupIds.length ? or(inArray(m.groupId, ctx.actor.groupIds), own) : own;
}

/** visibleTo() for the raw sub-query `m` above. */
function scopeOfRow(ctx: AuthedCtx): SQL {
  if (seesEverything(ctx.actor)) return sql`true`;
  const own = sql`(m.assignee_id = ${ctx.actor.id} or m.created_by_id = ${ctx.actor.id})`;
  if (!ctx.actor.groupIds.length) return own;
  return sql`(m.group_id in (${sql.join(ctx.actor.groupIds.map((g) => sql`${g}::uuid`), sql`, `)}) or ${own})`;
}

/** The highlighted fragment as safe HTML: the text is escaped, only our <mark> tags are added. */
const toSnippet = (headline: string) =>
  escapeHtml(headline).replaceAll(START, '<mark>').replaceAll(STOP, '</mark>');

interface Hit {
  id: string;
  number: number;
  subject: string;
  status: string;
  snippet: string;
  rank: number;
}

/**
 * One search box over tickets (subject, messages, tracking number, requester email or phone,
 * ticket number) and contacts. Each kind of match uses its own index; the results are merged.
 */
export async function search(ctx: AuthedCtx, raw: string, limit = 20) {
  const q = normaliseForSearch(raw).trim();
  if (!q) return { tickets: [], contacts: [] };
  const scope = visibleTo(ctx.actor);
  const hits = new Map<string, Hit>();
  const base = { id: tickets.id, number: tickets.number, subject: tickets.subject, status: tickets.status };

  const tsq = sql`(websearch_to_tsquery('english'::regconfig, ${q}) || websearch_to_tsquery('arabic'::regconfig, ${q}))`;
  // ts_headline re-parses the document, so it runs once per shown result, in the query's own script.
  const doc = sql`(${tickets.searchSubject} || ' ' || left(${tickets.searchBody}, 1500))`;
  const headlineConfig = sql.raw(/[\u0600-\u06FF]/.test(q) ? `'arabic'::regconfig` : `'english'::regconfig`);
  // Only the 200 most recently updated matches are ranked: people look for live tickets.
  // Two ways to find the candidates to rank, because no index both matches and orders. A common
  // word matches a large share of tickets, so walking the most recent tickets finds enough at
  // once; a rare word has few matches, so the full-text index finds them all cheaply. Ranking every
  // match of a common word instead took 112 ms at 100k tickets (measured).
  const recent = ctx.db
    .select({ id: tickets.id, groupId: tickets.groupId, assigneeId: tickets.assigneeId, createdById: tickets.createdById, updatedAt: tickets.updatedAt, searchVector: tickets.searchVector })
    .from(tickets)
    .orderBy(desc(tickets.updatedAt))
    .limit(RECENT_WINDOW)
    .as('recent');
  // Words with digits are identifiers (waybills, invoice numbers): rare, so straight to the index.
  const identifierLike = /\d/.test(q);
  let candidateIds = identifierLike ? [] : (
    await ctx.db
      .select({ id: recent.id })
      .from(recent)
      .where(and(sql`${recent.searchVector} @@ ${tsq}`, scopeOf(ctx, recent)))
      .orderBy(desc(recent.updatedAt))
      .limit(RANK_CANDIDATES)
  ).map((r) => r.id);
  if (candidateIds.length < limit) {
    // Raw SQL for OFFSET 0, which keeps the matches a sub-query of their own (drizzle drops an
    // offset of 0): otherwise the planner may walk the whole updated_at index testing every row,
    // or AND the full-text bitmap with every ticket of the agent's groups.
    const res = await ctx.db.execute<{ id: string }>(sql`
      select m.id from (
        select ${tickets.id} as id, ${tickets.groupId} as group_id, ${tickets.assigneeId} as assignee_id,
               ${tickets.createdById} as created_by_id, ${tickets.updatedAt} as updated_at
        from ${tickets} where ${tickets.searchVector} @@ ${tsq} offset 0
      ) m
      where ${scopeOfRow(ctx)}
      order by m.updated_at desc
      limit ${RANK_CANDIDATES}`);
    candidateIds = res.rows.map((r) => r.id);
  }
  const ranked = ctx.db
    .select({ ...base, updatedAt: tickets.updatedAt, rank: sql<number>`ts_rank(${tickets.searchVector}, ${tsq})`.as('rank') })
    .from(tickets)
    .where(inArray(tickets.id, candidateIds))
    .orderBy(desc(sql`rank`), desc(tickets.updatedAt))
    .limit(limit)
    .as('ranked');
  const fts = !candidateIds.length ? [] : await ctx.db
    .select({
      id: ranked.id,
      number: ranked.number,
      subject: ranked.subject,
      status: ranked.status,
      rank: ranked.rank,
      head: sql<string>`ts_headline(${headlineConfig}, ${doc}, ${tsq}, ${HEADLINE_OPTS})`,
    })
    .from(ranked)
    .innerJoin(tickets, eq(tickets.id, ranked.id))
    .orderBy(desc(ranked.rank), desc(ranked.updatedAt));
  for (const r of fts) {
    hits.set(r.id, { id: r.id, number: r.number, subject: r.subject, status: r.status, snippet: toSnippet(r.head), rank: r.rank });
  }

  // Identifiers: exact ticket number, partial tracking number, requester email or phone.
  const term = q.replace(/^#/, '');
  const idConds: SQL[] = [];
  if (/^\d{1,15}$/.test(term)) idConds.push(eq(tickets.number, Number(term)));
  if (term.length >= 3 && !/\s/.test(term)) idConds.push(ilike(tickets.trackingNumber, `%${likeEscape(term)}%`));
  const phoneDigits = /^[+\d][\d\s()-]{5,}$/.test(term) ? term.replace(/\D/g, '').replace(/^0+/, '') : '';
  const identityTerm = term.includes('@') ? term : phoneDigits;
  if (identityTerm.length >= 3) {
    const who = ctx.db
      .select({ id: contactIdentities.contactId })
      .from(contactIdentities)
      .where(ilike(contactIdentities.value, `%${likeEscape(identityTerm)}%`))
      .limit(50);
    idConds.push(inArray(tickets.requesterId, who));
  }
  for (const cond of idConds) {
    const rows = await ctx.db
      .select({ ...base, trackingNumber: tickets.trackingNumber })
      .from(tickets)
      .where(and(cond, scope))
      .orderBy(desc(tickets.updatedAt))
      .limit(limit);
    for (const r of rows) {
      if (hits.has(r.id)) continue;
      const tn = r.trackingNumber ?? '';
      const at = tn.toLowerCase().indexOf(term);
      const snippet =
        at >= 0 && term.length >= 3
          ? `${escapeHtml(tn.slice(0, at))}<mark>${escapeHtml(tn.slice(at, at + term.length))}</mark>${escapeHtml(tn.slice(at + term.length))}`
          : escapeHtml(r.subject);
      hits.set(r.id, { id: r.id, number: r.number, subject: r.subject, status: r.status, snippet, rank: 1 });
    }
  }

  const results = [...hits.values()].sort((a, b) => b.rank - a.rank).slice(0, limit);
  const contacts = await searchContacts(ctx, raw, 10);
  return { tickets: results, contacts };
}

export async function searchRoutes(app: FastifyInstance) {
  const api = app.withTypeProvider<ApiTypeProvider>();
  api.get(
    '/search',
    {
      schema: {
        tags: ['search'],
        querystring: Type.Object(
          { q: Type.String({ minLength: 1, maxLength: 200 }), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })) },
          { additionalProperties: false },
        ),
        response: { 200: SearchResult },
      },
    },
    async (req) => search(authed(req), req.query.q, req.query.limit),
  );
}
