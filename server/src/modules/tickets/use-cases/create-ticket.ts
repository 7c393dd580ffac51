import { asc, eq } from 'drizzle-orm';
import type { Static } from 'typebox';
import type { NewTicketBody } from '@caredesk/contracts';
import type { AuthedCtx } from '../../../platform/context.js';
import { validation, type FieldError } from '../../../platform/errors.js';
import { recordAudit } from '../../../platform/audit.js';
import { tickets } from '../db/schema.js';
import { groups } from '../../people/db/schema.js';
import { userIsMember } from '../../people/index.js';
import { findOrCreateContact } from '../../customers/index.js';
import { contacts } from '../../customers/db/schema.js';
import { cleanShipment, missingShipmentFields } from '../domain/rules.js';
import { getCategory } from './catalog.js';
import { insertMessage, messageBody } from './messages.js';
import { claimUploads } from './attachments.js';
import { bodyDocument, subjectDocument } from './search-index.js';
import { getTicket } from './get-ticket.js';

async function defaultGroupId(ctx: AuthedCtx) {
  const [g] = await ctx.db.select({ id: groups.id }).from(groups).where(eq(groups.kind, 'customer-service')).orderBy(asc(groups.name)).limit(1);
  return g?.id ?? null;
}

/**
 * Opens a ticket for a customer. Every error in the input is reported together, so the agent fixes
 * the form once. The description becomes the first entry of the timeline.
 */
export async function createTicket(ctx: AuthedCtx, input: Static<typeof NewTicketBody>) {
  const errors: FieldError[] = [];

  const category = await getCategory(ctx, input.categoryId);
  if (!category) errors.push({ field: 'categoryId', code: 'not_found' });
  else if (!category.active) errors.push({ field: 'categoryId', code: 'inactive' });

  const shipment = cleanShipment(input.shipment);
  if (category?.shipmentRelated) errors.push(...missingShipmentFields(shipment));

  let requester: { id: string; accountId: string | null } | null = null;
  if (input.requesterId) {
    [requester = null] = await ctx.db
      .select({ id: contacts.id, accountId: contacts.accountId })
      .from(contacts)
      .where(eq(contacts.id, input.requesterId));
    if (!requester) errors.push({ field: 'requesterId', code: 'not_found' });
  } else if (input.requester?.email || input.requester?.phone) {
    const kind = input.requester.email ? 'email' : 'phone';
    try {
      const found = await findOrCreateContact(
        ctx,
        { kind, value: (input.requester.email ?? input.requester.phone)!, name: input.requester.name, create: true },
        `requester.${kind}`,
      );
      requester = found?.contact ?? null;
    } catch (err) {
      const e = err as { details?: { errors?: FieldError[] } };
      if (e.details?.errors) errors.push(...e.details.errors);
      else throw err;
    }
  } else {
    errors.push({ field: 'requester', code: 'required' });
  }

  const groupId = input.groupId ?? (await defaultGroupId(ctx));
  if (input.groupId) {
    const [g] = await ctx.db.select({ id: groups.id }).from(groups).where(eq(groups.id, input.groupId));
    if (!g) errors.push({ field: 'groupId', code: 'not_found' });
  }
  if (input.assigneeId && (!groupId || !(await userIsMember(ctx.db, input.assigneeId, groupId)))) {
    errors.push({ field: 'assigneeId', code: 'invalid', params: { reason: 'not a member of the group' } });
  }
  if (errors.length) throw validation(errors);

  const now = ctx.now();
  const body = messageBody({ bodyText: input.description ?? '' });
  const id = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(tickets)
      .values({
        subject: input.subject.trim(),
        description: body.bodyText,
        categoryId: input.categoryId,
        priority: input.priority ?? 'normal',
        status: input.assigneeId ? 'open' : 'new',
        requesterId: requester!.id,
        accountId: requester!.accountId,
        groupId,
        assigneeId: input.assigneeId ?? null,
        tags: input.tags ?? [],
        channel: input.channel ?? 'web',
        createdById: ctx.actor.id,
        onBehalf: input.onBehalf ?? false,
        shipment,
        trackingNumber: shipment?.trackingNumber ?? null,
        searchSubject: subjectDocument(input.subject, shipment?.trackingNumber),
        searchBody: bodyDocument(body.bodyText),
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: tickets.id });
    const ticketId = row!.id;
    if (body.bodyText || input.attachmentIds?.length) {
      const messageId = await insertMessage(tx, { ticketId, kind: 'note', channel: input.channel ?? 'web', authorUserId: ctx.actor.id, ...body, at: now }, { indexed: false });
      await claimUploads(ctx, tx, input.attachmentIds, ticketId, messageId);
    }
    await recordAudit(tx, {
      actor: ctx.actor,
      action: input.onBehalf ? 'ticket.created_on_behalf' : 'ticket.created',
      targetType: 'ticket',
      targetId: ticketId,
      ticketId,
      at: now,
      changes: [
        { field: 'status', before: null, after: input.assigneeId ? 'open' : 'new' },
        { field: 'groupId', before: null, after: groupId },
        ...(input.onBehalf ? [{ field: 'onBehalf', before: null, after: true }] : []),
      ],
    });
    return ticketId;
  });
  return getTicket(ctx, id);
}

