import { and, desc, eq, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Static } from 'typebox';
import type { PortalNewTicketBody, PortalReplyBody } from '@caredesk/contracts';
import type { Ctx } from '../../../platform/context.js';
import { notFound, unprocessable, validation, type FieldError } from '../../../platform/errors.js';
import { decodeCursor, encodeCursor } from '../../../platform/cursor.js';
import type { DbOrTx } from '../../../platform/db/index.js';
import { textToHtml } from '../../../platform/html.js';
import { runAfterCommit } from '../../../platform/events.js';
import { attachments, categories, ticketMessages, tickets } from '../../tickets/db/schema.js';
import { addCustomerMessage, loadMessages, openTicketFromChannel } from '../../tickets/index.js';
import { cleanShipment, missingShipmentFields } from '../../tickets/domain/rules.js';
import { subjectDocument } from '../../tickets/use-cases/search-index.js';
import { insertUpload, refuseInfected, type UploadedFile } from '../../tickets/use-cases/attachments.js';
import { promisedTimes } from '../../sla/index.js';
import type { PortalCustomer } from '../sessions.js';

export const PORTAL_CHANNEL = 'portal';

/**
 * The tickets a customer may see, as a WHERE clause every portal query uses: those they asked
 * for, and, for an account administrator, every ticket of their account.
 */
export function customerSees(c: PortalCustomer, scope: 'mine' | 'account' = 'account'): SQL {
  const mine = eq(tickets.requesterId, c.contactId);
  if (scope === 'account' && c.accountAdmin && c.accountId) return or(mine, eq(tickets.accountId, c.accountId))!;
  return mine;
}

/** The categories a customer can choose: the active ones, with the same shipment rule agents have. */
export async function portalCategories(ctx: Pick<Ctx, 'db'>) {
  return ctx.db
    .select({ id: categories.id, key: categories.key, nameEn: categories.nameEn, nameAr: categories.nameAr, shipmentRelated: categories.shipmentRelated })
    .from(categories)
    .where(eq(categories.active, true))
    .orderBy(categories.position, categories.nameEn);
}

const summaryColumns = {
  id: tickets.id,
  number: tickets.number,
  subject: tickets.subject,
  status: tickets.status,
  channel: tickets.channel,
  createdAt: tickets.createdAt,
  updatedAt: tickets.updatedAt,
  shipment: tickets.shipment,
  category: sql<{ id: string; key: string; nameEn: string; nameAr: string; shipmentRelated: boolean } | null>`(select json_build_object('id', c.id, 'key', c.key, 'nameEn', c.name_en, 'nameAr', c.name_ar, 'shipmentRelated', c.shipment_related) from categories c where c.id = ${tickets.categoryId})`,
  requester: sql<{ id: string; name: string } | null>`(select json_build_object('id', r.id, 'name', r.name) from contacts r where r.id = ${tickets.requesterId})`,
};

type Row = { [K in keyof typeof summaryColumns]: unknown } & { id: string; updatedAt: Date };

async function present(db: DbOrTx, rows: Row[]) {
  const promises = await promisedTimes(db, rows.map((r) => r.id));
  return rows.map(({ shipment: _s, ...r }) => ({ ...(r as Omit<Row, 'shipment'>), promise: promises.get(r.id)! }));
}

export async function listPortalTickets(ctx: Pick<Ctx, 'db'>, c: PortalCustomer, q: { scope?: 'mine' | 'account'; limit?: number; cursor?: string }) {
  const limit = q.limit ?? 25;
  let after: SQL | undefined;
  if (q.cursor) {
    const [at, id] = decodeCursor(q.cursor) as [string, string];
    after = or(lt(tickets.updatedAt, new Date(at)), and(eq(tickets.updatedAt, new Date(at)), lt(tickets.id, id)));
  }
  const rows = (await ctx.db
    .select(summaryColumns)
    .from(tickets)
    .where(and(customerSees(c, q.scope), after))
    .orderBy(desc(tickets.updatedAt), desc(tickets.id))
    .limit(limit + 1)) as Row[];
  const more = rows.length > limit;
  const items = await present(ctx.db, rows.slice(0, limit));
  const last = items[items.length - 1];
  return { items, nextCursor: more && last ? encodeCursor([last.updatedAt.toISOString(), last.id]) : null };
}

async function findVisible(db: DbOrTx, c: PortalCustomer, number: string) {
  if (!/^\d{1,15}$/.test(number)) throw notFound();
  const [row] = (await db.select(summaryColumns).from(tickets).where(and(eq(tickets.number, Number(number)), customerSees(c))).limit(1)) as Row[];
  if (!row) throw notFound();
  return row;
}

const portalAttachmentUrl = (id: string) => `/api/v1/portal/attachments/${id}`;

/** One ticket as its customer sees it: the public conversation only, never an internal note. */
export async function getPortalTicket(ctx: Pick<Ctx, 'db'>, c: PortalCustomer, number: string) {
  const row = await findVisible(ctx.db, c, number);
  const [summary] = await present(ctx.db, [row]);
  const messages = (await loadMessages(ctx.db, row.id))
    .filter((m) => m.kind === 'reply' || m.kind === 'customer')
    .map((m) => ({
      id: m.id,
      kind: m.kind as 'reply' | 'customer',
      channel: m.channel,
      // Agents are shown by name only; no ids of staff leave through the portal.
      author: m.author ? { type: m.author.type === 'user' ? ('agent' as const) : ('contact' as const), name: m.author.name } : null,
      bodyHtml: m.bodyHtml,
      bodyText: m.bodyText,
      createdAt: m.createdAt,
      attachments: m.attachments.map((a: { id: string; filename: string; contentType: string; size: number }) => ({ ...a, url: portalAttachmentUrl(a.id) })),
    }));
  return { ...summary!, shipment: (row.shipment as Record<string, string> | null) ?? null, messages };
}

export async function storePortalUpload(ctx: Pick<Ctx, 'db'>, c: PortalCustomer, file: UploadedFile) {
  const row = await insertUpload(ctx.db, { uploadedByContactId: c.contactId }, file);
  return { ...row, url: portalAttachmentUrl(row.id) };
}

/** Binds the customer's own unused uploads to their message; anything else is refused. */
async function claim(tx: DbOrTx, c: PortalCustomer, ids: string[] | undefined, ticketId: string, messageId: string) {
  if (!ids?.length) return;
  const claimed = await tx
    .update(attachments)
    .set({ ticketId, messageId })
    .where(and(inArray(attachments.id, ids), eq(attachments.uploadedByContactId, c.contactId), isNull(attachments.messageId)))
    .returning({ id: attachments.id });
  if (claimed.length !== ids.length) throw validation([{ field: 'attachmentIds', code: 'not_found' }]);
}

/**
 * A customer opens a ticket. The category's form has the fields agents must fill (a shipment
 * category needs the waybill, shipper and consignee: the same rule, from the tickets module),
 * and every problem is reported at once.
 */
export async function createPortalTicket(ctx: Ctx, c: PortalCustomer, input: Static<typeof PortalNewTicketBody>) {
  const errors: FieldError[] = [];
  const [category] = await ctx.db.select({ active: categories.active, shipmentRelated: categories.shipmentRelated }).from(categories).where(eq(categories.id, input.categoryId));
  if (!category) errors.push({ field: 'categoryId', code: 'not_found' });
  else if (!category.active) errors.push({ field: 'categoryId', code: 'inactive' });
  const shipment = category?.shipmentRelated ? cleanShipment(input.shipment) : null;
  if (category?.shipmentRelated) errors.push(...missingShipmentFields(shipment));
  const subject = input.subject.trim();
  const bodyText = input.description.trim();
  if (!subject) errors.push({ field: 'subject', code: 'required' });
  if (!bodyText) errors.push({ field: 'description', code: 'required' });
  if (errors.length) throw validation(errors);

  const at = ctx.now();
  const created = await ctx.db.transaction(async (tx) => {
    const r = await openTicketFromChannel(tx, {
      channel: PORTAL_CHANNEL,
      contactId: c.contactId,
      accountId: c.accountId,
      groupId: null,
      subject,
      bodyHtml: textToHtml(bodyText),
      bodyText,
      files: [],
      at,
      categoryId: input.categoryId,
    });
    if (shipment) {
      await tx
        .update(tickets)
        .set({ shipment, trackingNumber: shipment.trackingNumber ?? null, searchSubject: subjectDocument(subject, shipment.trackingNumber) })
        .where(eq(tickets.id, r.ticketId));
    }
    await claim(tx, c, input.attachmentIds, r.ticketId, r.messageId);
    return r;
  });
  await runAfterCommit(created.after, () => {});
  return getPortalTicket(ctx, c, String(created.number));
}

/** The customer's reply, with files; a solved ticket comes back to the agents, a closed one refuses. */
export async function replyOnPortal(ctx: Ctx, c: PortalCustomer, number: string, input: Static<typeof PortalReplyBody>) {
  const row = await findVisible(ctx.db, c, number);
  const bodyText = input.bodyText.trim();
  if (!bodyText && !input.attachmentIds?.length) throw validation([{ field: 'bodyText', code: 'required' }]);
  const [state] = await ctx.db.select({ status: tickets.status }).from(tickets).where(eq(tickets.id, row.id));
  if (state?.status === 'closed') throw unprocessable('ticket.closed');
  const at = ctx.now();
  const done = await ctx.db.transaction(async (tx) => {
    const r = await addCustomerMessage(
      tx,
      row.id,
      { channel: PORTAL_CHANNEL, contactId: c.contactId, bodyHtml: textToHtml(bodyText), bodyText, files: [], at },
      { jobs: ctx.jobs, secrets: ctx.secrets },
    );
    await claim(tx, c, input.attachmentIds, row.id, r.messageId);
    return r;
  });
  await runAfterCommit(done.after, () => {});
  return getPortalTicket(ctx, c, number);
}

/**
 * A file the customer may read: on a public message of a ticket they see, or their own upload not
 * yet sent. A file on an internal note is not found.
 */
export async function readPortalAttachment(ctx: Pick<Ctx, 'db'>, c: PortalCustomer, id: string) {
  const [row] = await ctx.db
    .select({
      filename: attachments.filename,
      contentType: attachments.contentType,
      data: attachments.data,
      ticketId: attachments.ticketId,
      uploadedByContactId: attachments.uploadedByContactId,
      scanStatus: attachments.scanStatus,
      scanSignature: attachments.scanSignature,
      kind: ticketMessages.kind,
    })
    .from(attachments)
    .leftJoin(ticketMessages, eq(ticketMessages.id, attachments.messageId))
    .where(eq(attachments.id, id));
  if (!row) throw notFound();
  if (row.ticketId) {
    if (row.kind !== 'reply' && row.kind !== 'customer') throw notFound();
    const seen = await ctx.db.select({ id: tickets.id }).from(tickets).where(and(eq(tickets.id, row.ticketId), customerSees(c)));
    if (!seen.length) throw notFound();
  } else if (row.uploadedByContactId !== c.contactId) {
    throw notFound();
  }
  refuseInfected(row);
  return row;
}
