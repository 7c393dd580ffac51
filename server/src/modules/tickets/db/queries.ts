import { and, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../../../platform/db/index.js';
import { seesEverything, type Actor } from '../../../platform/context.js';
import { attachments, categories, reasonCodes, tickets } from './schema.js';
import { groups, users } from '../../people/db/schema.js';
import { accounts, contacts } from '../../customers/db/schema.js';

const assignee = alias(users, 'assignee');
const creator = alias(users, 'creator');

/**
 * Which tickets an actor may see, as a WHERE clause, so every query enforces it: managers and admins
 * all; others their groups', those assigned to them and those they opened for a customer.
 */
export function visibleTo(actor: Actor): SQL | undefined {
  if (seesEverything(actor)) return undefined;
  const mine = or(eq(tickets.assigneeId, actor.id), eq(tickets.createdById, actor.id));
  return actor.groupIds.length ? or(inArray(tickets.groupId, actor.groupIds), mine) : mine;
}

export const summaryColumns = {
  id: tickets.id,
  number: tickets.number,
  subject: tickets.subject,
  status: tickets.status,
  priority: tickets.priority,
  channel: tickets.channel,
  tags: tickets.tags,
  createdAt: tickets.createdAt,
  updatedAt: tickets.updatedAt,
  categoryId: tickets.categoryId,
  categoryKey: categories.key,
  categoryNameEn: categories.nameEn,
  categoryNameAr: categories.nameAr,
  groupId: tickets.groupId,
  groupName: groups.name,
  assigneeId: tickets.assigneeId,
  assigneeName: assignee.name,
  requesterId: tickets.requesterId,
  requesterName: contacts.name,
  accountId: tickets.accountId,
  accountName: accounts.name,
};

export const detailColumns = {
  ...summaryColumns,
  description: tickets.description,
  shipment: tickets.shipment,
  reasonCodeId: tickets.reasonCodeId,
  reasonCodeCode: reasonCodes.code,
  reasonCodeNameEn: reasonCodes.nameEn,
  reasonCodeNameAr: reasonCodes.nameAr,
  resolution: tickets.resolution,
  onBehalf: tickets.onBehalf,
  createdById: tickets.createdById,
  createdByName: creator.name,
  version: tickets.version,
  solvedAt: tickets.solvedAt,
  closedAt: tickets.closedAt,
  handedOffFromKeyAccounts: tickets.handedOffFromKeyAccounts,
  groupKind: groups.kind,
};

export function selectSummaries(db: DbOrTx) {
  return db
    .select(summaryColumns)
    .from(tickets)
    .leftJoin(categories, eq(categories.id, tickets.categoryId))
    .leftJoin(groups, eq(groups.id, tickets.groupId))
    .leftJoin(assignee, eq(assignee.id, tickets.assigneeId))
    .leftJoin(contacts, eq(contacts.id, tickets.requesterId))
    .leftJoin(accounts, eq(accounts.id, tickets.accountId));
}

export function selectDetails(db: DbOrTx) {
  return db
    .select(detailColumns)
    .from(tickets)
    .leftJoin(categories, eq(categories.id, tickets.categoryId))
    .leftJoin(groups, eq(groups.id, tickets.groupId))
    .leftJoin(assignee, eq(assignee.id, tickets.assigneeId))
    .leftJoin(creator, eq(creator.id, tickets.createdById))
    .leftJoin(contacts, eq(contacts.id, tickets.requesterId))
    .leftJoin(accounts, eq(accounts.id, tickets.accountId))
    .leftJoin(reasonCodes, eq(reasonCodes.id, tickets.reasonCodeId));
}

type SummaryRow = { [K in keyof typeof summaryColumns]: (typeof summaryColumns)[K]['_']['data'] | null };
type DetailRow = { [K in keyof typeof detailColumns]: (typeof detailColumns)[K]['_']['data'] | null };

const ref = (id: string | null, name: string | null) => (id ? { id, name: name ?? '' } : null);

export function presentSummary(r: SummaryRow) {
  return {
    id: r.id!,
    number: r.number!,
    subject: r.subject!,
    status: r.status!,
    priority: r.priority!,
    channel: r.channel!,
    tags: r.tags ?? [],
    createdAt: r.createdAt!,
    updatedAt: r.updatedAt!,
    category: r.categoryId ? { id: r.categoryId, key: r.categoryKey ?? '', nameEn: r.categoryNameEn ?? '', nameAr: r.categoryNameAr ?? '' } : null,
    group: ref(r.groupId, r.groupName),
    assignee: ref(r.assigneeId, r.assigneeName),
    requester: ref(r.requesterId, r.requesterName),
    account: ref(r.accountId, r.accountName),
  };
}

export function presentDetail(r: DetailRow) {
  return {
    ...presentSummary(r),
    description: r.description ?? '',
    shipment: r.shipment ?? null,
    reasonCodeId: r.reasonCodeId,
    reasonCode: r.reasonCodeId
      ? { id: r.reasonCodeId, code: r.reasonCodeCode ?? '', nameEn: r.reasonCodeNameEn ?? '', nameAr: r.reasonCodeNameAr ?? '' }
      : null,
    resolution: r.resolution ?? null,
    onBehalf: r.onBehalf ?? false,
    createdBy: ref(r.createdById, r.createdByName),
    version: r.version!,
    solvedAt: r.solvedAt,
    closedAt: r.closedAt,
    handedOffFromKeyAccounts: r.handedOffFromKeyAccounts ?? false,
    groupKind: r.groupKind,
  };
}
export type TicketDetail = ReturnType<typeof presentDetail>;

/** `:id` in a URL is a uuid or a human ticket number. */
export function byIdOrNumber(idOrNumber: string): SQL {
  return /^\d{1,15}$/.test(idOrNumber) ? eq(tickets.number, Number(idOrNumber)) : eq(tickets.id, idOrNumber);
}

export function attachmentUrl(id: string) {
  return `/api/v1/attachments/${id}/download`;
}

export async function attachmentsOfMessages(db: DbOrTx, messageIds: string[]) {
  if (!messageIds.length) return [];
  return db
    .select({ id: attachments.id, messageId: attachments.messageId, filename: attachments.filename, contentType: attachments.contentType, size: attachments.size })
    .from(attachments)
    .where(inArray(attachments.messageId, messageIds));
}

export const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
export { and, sql };
