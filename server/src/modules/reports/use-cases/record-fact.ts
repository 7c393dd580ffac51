import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../../platform/db/index.js';
import { newId } from '../../../platform/db/columns.js';
import { tickets } from '../../tickets/index.js';
import { accounts } from '../../customers/db/schema.js';
import { groups } from '../../people/db/schema.js';
import { reportFacts } from '../db/schema.js';
import { factKey, type FactKind } from '../domain/facts.js';

export interface FactInput {
  kind: FactKind;
  /** What identifies this occurrence besides its kind (see factKey). */
  keyParts: (string | number)[];
  occurredAt: Date;
  ticketId?: string | null;
  agentId?: string | null;
  target?: string | null;
  businessMs?: number | null;
  calendarMs?: number | null;
  extras?: Record<string, unknown>;
  /** Dimensions to store instead of the ticket's current ones. */
  dimensions?: Partial<Dimensions>;
}

export interface Dimensions {
  ticketNumber: number | null;
  groupId: string | null;
  agentId: string | null;
  accountId: string | null;
  keyAccount: boolean;
  channel: string | null;
  categoryId: string | null;
  reasonCodeId: string | null;
  priority: string | null;
  country: string | null;
}

export interface TicketSnapshot extends Dimensions {
  id: string;
  createdAt: Date;
  status: string;
}

/** The ticket's dimensions as they are now, inside the caller's transaction: "at the time" of the event. */
export async function ticketSnapshot(tx: DbOrTx, ticketId: string): Promise<TicketSnapshot | null> {
  const [row] = await tx
    .select({
      id: tickets.id,
      createdAt: tickets.createdAt,
      status: tickets.status,
      ticketNumber: tickets.number,
      groupId: tickets.groupId,
      agentId: tickets.assigneeId,
      accountId: tickets.accountId,
      keyAccount: sql<boolean>`coalesce(${accounts.keyAccount}, false)`,
      channel: tickets.channel,
      categoryId: tickets.categoryId,
      reasonCodeId: tickets.reasonCodeId,
      priority: tickets.priority,
      country: sql<string | null>`coalesce(${accounts.countryCode}, ${groups.countryCode})`,
    })
    .from(tickets)
    .leftJoin(accounts, eq(accounts.id, tickets.accountId))
    .leftJoin(groups, eq(groups.id, tickets.groupId))
    .where(eq(tickets.id, ticketId));
  return row ?? null;
}

/**
 * The tickets' ticket.created facts, their dimensions read from the tickets in the same statement.
 * Every ticket.changed event asks for it (the key makes all but the first a no-op), so a snapshot
 * read before the insert was one more round trip on every change of every ticket.
 */
export async function recordCreatedFacts(tx: DbOrTx, ticketIds: string[]): Promise<void> {
  if (!ticketIds.length) return;
  const wanted = JSON.stringify(ticketIds.map((id) => ({ id: newId(), key: factKey('ticket.created', [id]), ticket_id: id })));
  await tx.execute(sql`
    insert into report_facts (id, key, kind, occurred_at, ticket_id, ticket_number, group_id, agent_id, account_id, key_account, channel, category_id, reason_code_id, priority, country)
    select f.id, f.key, 'ticket.created', t.created_at, t.id, t.number, t.group_id, t.assignee_id, t.account_id,
      coalesce(a.key_account, false), t.channel, t.category_id, t.reason_code_id, t.priority, coalesce(a.country_code, g.country_code)
    from jsonb_to_recordset(${wanted}::jsonb) as f(id uuid, key text, ticket_id uuid)
    join tickets t on t.id = f.ticket_id left join accounts a on a.id = t.account_id left join groups g on g.id = t.group_id
    where t.id = any(${`{${ticketIds.join(',')}}`}::uuid[])
    on conflict (key) do nothing`);
}

/**
 * Writes one fact in the caller's transaction, so it commits or rolls back with the change it
 * describes. Dimensions come from the ticket as it is at this moment unless given. Returns false
 * when the fact was already there (the same event handled twice) or the ticket is gone.
 */
export async function recordFact(tx: DbOrTx, fact: FactInput, snapshot?: TicketSnapshot | null): Promise<boolean> {
  const snap = fact.ticketId ? (snapshot !== undefined ? snapshot : await ticketSnapshot(tx, fact.ticketId)) : null;
  if (fact.ticketId && !snap) return false;
  const dims: Partial<Dimensions> = { ...(snap ?? {}), ...(fact.dimensions ?? {}) };
  const inserted = await tx
    .insert(reportFacts)
    .values({
      key: factKey(fact.kind, fact.keyParts),
      kind: fact.kind,
      occurredAt: fact.occurredAt,
      ticketId: fact.ticketId ?? null,
      ticketNumber: dims.ticketNumber ?? null,
      groupId: dims.groupId ?? null,
      agentId: fact.agentId !== undefined ? fact.agentId : (dims.agentId ?? null),
      accountId: dims.accountId ?? null,
      keyAccount: dims.keyAccount ?? false,
      channel: dims.channel ?? null,
      categoryId: dims.categoryId ?? null,
      reasonCodeId: dims.reasonCodeId ?? null,
      priority: dims.priority ?? null,
      country: dims.country ?? null,
      target: fact.target ?? null,
      businessMs: fact.businessMs ?? null,
      calendarMs: fact.calendarMs ?? null,
      extras: fact.extras ?? {},
    })
    .onConflictDoNothing({ target: reportFacts.key })
    .returning({ id: reportFacts.id });
  return inserted.length > 0;
}
