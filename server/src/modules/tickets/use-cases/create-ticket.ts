import { sql } from 'drizzle-orm';
import type { Static } from 'typebox';
import type { NewTicketBody } from '@caredesk/contracts';
import type { AuthedCtx } from '../../../platform/context.js';
import { validation, type FieldError } from '../../../platform/errors.js';
import { auditInsert } from '../../../platform/audit.js';
import { newId } from '../../../platform/db/columns.js';
import { runTogether } from '../../../platform/db/together.js';
import { tickets } from '../db/schema.js';
import { findOrCreateContact } from '../../customers/index.js';
import { cleanShipment, missingShipmentFields } from '../domain/rules.js';
import { messageBody, messageInsert } from './messages.js';
import { claimUploads } from './attachments.js';
import { bodyDocument, subjectDocument } from './search-index.js';
import { getTicket } from './get-ticket.js';
import { emitInTx, runAfterCommit } from '../../../platform/events.js';
import { pickAssignee, routeNewTicket } from '../../routing/index.js';
import { openingSlaDueOf } from './channel-intake.js';

interface Refs {
  category: { active: boolean; shipmentRelated: boolean } | null;
  requester: { id: string; accountId: string | null } | null;
  groupId: string | null;
  assigneeIsMember: boolean;
}

/**
 * Everything creation must check, in one query: the category, the requester, the group (or the
 * default Customer Service group) and whether the assignee belongs to it.
 */
async function lookUpRefs(ctx: AuthedCtx, input: Static<typeof NewTicketBody>): Promise<Refs> {
  const group = input.groupId
    ? sql`(select g.id from groups g where g.id = ${input.groupId})`
    : sql`(select g.id from groups g where g.kind = 'customer-service' order by g.name limit 1)`;
  const res = await ctx.db.execute<{ category: Refs['category']; requester: Refs['requester']; group_id: string | null; assignee_is_member: boolean }>(sql`
    select
      (select json_build_object('active', c.active, 'shipmentRelated', c.shipment_related) from categories c where c.id = ${input.categoryId}) as category,
      ${input.requesterId ? sql`(select json_build_object('id', ct.id, 'accountId', ct.account_id) from contacts ct where ct.id = ${input.requesterId})` : sql`null::json`} as requester,
      ${group} as group_id,
      ${input.assigneeId ? sql`exists (select 1 from group_memberships gm where gm.user_id = ${input.assigneeId} and gm.group_id = ${group})` : sql`false`} as assignee_is_member`);
  const row = res.rows[0]!;
  return { category: row.category, requester: row.requester, groupId: row.group_id, assigneeIsMember: row.assignee_is_member };
}

/**
 * Opens a ticket for a customer. Every error in the input is reported together, so the agent fixes
 * the form once. The description becomes the first entry of the timeline.
 */
export async function createTicket(ctx: AuthedCtx, input: Static<typeof NewTicketBody>) {
  const errors: FieldError[] = [];
  const refs = await lookUpRefs(ctx, input);

  if (!refs.category) errors.push({ field: 'categoryId', code: 'not_found' });
  else if (!refs.category.active) errors.push({ field: 'categoryId', code: 'inactive' });

  const shipment = cleanShipment(input.shipment);
  if (refs.category?.shipmentRelated) errors.push(...missingShipmentFields(shipment));

  let requester = refs.requester;
  if (input.requesterId) {
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

  let groupId = refs.groupId;
  if (input.groupId && !groupId) errors.push({ field: 'groupId', code: 'not_found' });
  if (input.assigneeId && !refs.assigneeIsMember) {
    errors.push({ field: 'assigneeId', code: 'invalid', params: { reason: 'not a member of the group' } });
  }
  if (errors.length) throw validation(errors);

  // Routing rules place the ticket unless the agent chose a group; an explicit priority or tag list stays.
  const route = await routeNewTicket(ctx.db, {
    accountId: requester!.accountId,
    contactId: requester!.id,
    categoryId: input.categoryId,
    channel: input.channel ?? 'web',
    text: `${input.subject}\n${input.description ?? ''}`,
    groupId: input.groupId ?? null,
  });
  // An assignee named without a group was checked against the default group: keep it there.
  if (!input.groupId && !input.assigneeId && route.groupId) groupId = route.groupId;
  const tags = [...new Set([...(input.tags ?? []), ...route.tags])];
  const priority = input.priority ?? route.priority ?? 'normal';
  const assigneeId = input.assigneeId ?? (groupId ? await pickAssignee(ctx.db, groupId, route.language, route.assignmentModes) : null);

  const now = ctx.now();
  const body = messageBody({ bodyText: input.description ?? '' });
  const ticketId = newId();
  const messageId = newId();
  const status = assigneeId ? 'open' : 'new';
  const hasMessage = Boolean(body.bodyText || input.attachmentIds?.length);
  // Written with its first deadline, not rewritten a moment later (see setOpeningSlaDue).
  const slaDueAt = groupId
    ? await openingSlaDueOf(ctx.db, {
        at: now,
        channel: input.channel ?? 'web',
        accountId: requester!.accountId,
        status,
        priority,
        categoryId: input.categoryId,
        groupId,
        firstMessage: 'note',
      })
    : null;
  const writes = [
    ctx.db.insert(tickets).values({
      id: ticketId,
      subject: input.subject.trim(),
      description: body.bodyText,
      categoryId: input.categoryId,
      priority,
      status,
      requesterId: requester!.id,
      accountId: requester!.accountId,
      groupId,
      assigneeId,
      tags,
      channel: input.channel ?? 'web',
      createdById: ctx.actor.id,
      onBehalf: input.onBehalf ?? false,
      shipment,
      trackingNumber: shipment?.trackingNumber ?? null,
      searchSubject: subjectDocument(input.subject, shipment?.trackingNumber),
      searchBody: bodyDocument(body.bodyText),
      ...(slaDueAt ? { slaDueAt } : {}),
      createdAt: now,
      updatedAt: now,
    }),
    hasMessage
      ? messageInsert(ctx.db, messageId, { ticketId, kind: 'note', channel: input.channel ?? 'web', authorUserId: ctx.actor.id, ...body, at: now })
      : null,
    auditInsert(ctx.db, {
      actor: ctx.actor,
      action: input.onBehalf ? 'ticket.created_on_behalf' : 'ticket.created',
      targetType: 'ticket',
      targetId: ticketId,
      ticketId,
      at: now,
      changes: [
        { field: 'status', before: null, after: status },
        { field: 'groupId', before: null, after: groupId },
        ...(assigneeId && !input.assigneeId ? [{ field: 'assigneeId', before: null, after: assigneeId }] : []),
        ...(route.ruleIds.length ? [{ field: 'routingRuleIds', before: null, after: route.ruleIds }] : []),
        ...(input.onBehalf ? [{ field: 'onBehalf', before: null, after: true }] : []),
      ],
    }),
  ];
  // Claiming uploads can fail (not the caller's, already used); then nothing may be kept.
  const after = await ctx.db.transaction(async (tx) => {
    await runTogether(tx, writes);
    if (input.attachmentIds?.length) await claimUploads(ctx, tx, input.attachmentIds, ticketId, messageId);
    return emitInTx(tx, 'ticket.changed', { ticketId, at: now }, { jobs: ctx.jobs, secrets: ctx.secrets });
  });
  await runAfterCommit(after, () => {});
  return getTicket(ctx, ticketId);
}
