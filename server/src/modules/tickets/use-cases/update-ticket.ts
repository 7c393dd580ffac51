import { and, eq, sql } from 'drizzle-orm';
import type { Static } from 'typebox';
import type { TicketPatchBody } from '@caredesk/contracts';
import { seesEverything, type AuthedCtx } from '../../../platform/context.js';
import { forbidden, unprocessable, validation, versionConflict, type FieldError } from '../../../platform/errors.js';
import { recordAudit } from '../../../platform/audit.js';
import type { FieldChange } from '../../../platform/db/audit.schema.js';
import { tickets, type ShipmentDetails } from '../db/schema.js';
import { groups } from '../../people/db/schema.js';
import { userIsMember } from '../../people/index.js';
import { cleanShipment, handOff, missingShipmentFields, missingSolveFields, transitionError, type GroupKind, type TicketStatus } from '../domain/rules.js';
import { getCategory, getReasonCode } from './catalog.js';
import { getTicket } from './get-ticket.js';
import { subjectDocument } from './search-index.js';
import { emitInTx, runAfterCommit } from '../../../platform/events.js';

type Patch = Static<typeof TicketPatchBody>;
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Changes a ticket's fields and status under the care policies: shipment details stay complete,
 * solving records a reason and a resolution, only the owning group solves or closes, closed is
 * final, and a ticket handed away from Key Accounts never goes back. A stale version is refused.
 */
export async function updateTicket(ctx: AuthedCtx, idOrNumber: string, patch: Patch, ifMatch?: number) {
  const t = await getTicket(ctx, idOrNumber);
  const version = patch.version ?? ifMatch;
  if (version === undefined) throw validation([{ field: 'version', code: 'required' }]);
  if (version !== t.version) throw versionConflict();
  if (t.status === 'closed') throw unprocessable('ticket.closed');

  const errors: FieldError[] = [];
  const set: Partial<typeof tickets.$inferInsert> = {};
  const changes: FieldChange[] = [];
  const change = <K extends keyof typeof tickets.$inferInsert>(field: K, before: unknown, after: (typeof tickets.$inferInsert)[K]) => {
    if (same(before, after)) return;
    set[field] = after;
    changes.push({ field, before: before ?? null, after: after ?? null });
  };

  if (patch.subject !== undefined) change('subject', t.subject, patch.subject.trim());
  if (patch.priority !== undefined) change('priority', t.priority, patch.priority);
  if (patch.tags !== undefined) change('tags', t.tags, patch.tags);

  let category = t.category ? await getCategory(ctx, t.category.id) : null;
  if (patch.categoryId !== undefined && patch.categoryId !== t.category?.id) {
    category = await getCategory(ctx, patch.categoryId);
    if (!category) errors.push({ field: 'categoryId', code: 'not_found' });
    else if (!category.active) errors.push({ field: 'categoryId', code: 'inactive' });
    else change('categoryId', t.category?.id, patch.categoryId);
  }

  let shipment = t.shipment as ShipmentDetails | null;
  if (patch.shipment !== undefined) {
    shipment = cleanShipment({ ...(shipment ?? {}), ...patch.shipment });
    change('shipment', t.shipment, shipment);
    change('trackingNumber', t.shipment?.trackingNumber, shipment?.trackingNumber ?? null);
  }
  if (category?.shipmentRelated && (patch.shipment !== undefined || patch.categoryId !== undefined)) {
    errors.push(...missingShipmentFields(shipment));
  }

  // Group first: who may solve depends on the group the ticket ends up in.
  let groupId = t.group?.id ?? null;
  let groupName = t.group?.name ?? '';
  if (patch.groupId !== undefined && patch.groupId !== t.group?.id) {
    const [g] = await ctx.db.select({ id: groups.id, name: groups.name, kind: groups.kind }).from(groups).where(eq(groups.id, patch.groupId));
    if (!g) {
      errors.push({ field: 'groupId', code: 'not_found' });
    } else {
      const move = handOff(t.handedOffFromKeyAccounts, (t.groupKind as GroupKind | null) ?? null, g.kind as GroupKind);
      if (!move.allowed) throw unprocessable('ticket.key_accounts_handback');
      change('groupId', t.group?.id, g.id);
      if (move.handedOff !== t.handedOffFromKeyAccounts) set.handedOffFromKeyAccounts = move.handedOff;
      groupId = g.id;
      groupName = g.name;
      // An assignee from the old group cannot keep a ticket their group no longer owns.
      if (patch.assigneeId === undefined && t.assignee && !(await userIsMember(ctx.db, t.assignee.id, g.id))) {
        change('assigneeId', t.assignee.id, null);
      }
    }
  }
  if (patch.assigneeId !== undefined) {
    if (patch.assigneeId && (!groupId || !(await userIsMember(ctx.db, patch.assigneeId, groupId)))) {
      errors.push({ field: 'assigneeId', code: 'invalid', params: { reason: 'not a member of the group' } });
    } else {
      change('assigneeId', t.assignee?.id, patch.assigneeId);
    }
  }

  let reasonCodeId = t.reasonCodeId;
  if (patch.reasonCodeId !== undefined) {
    const rc = await getReasonCode(ctx, patch.reasonCodeId);
    if (!rc) errors.push({ field: 'reasonCodeId', code: 'not_found' });
    else if (!rc.active && rc.id !== t.reasonCodeId) errors.push({ field: 'reasonCodeId', code: 'inactive' });
    else {
      change('reasonCodeId', t.reasonCodeId, rc.id);
      reasonCodeId = rc.id;
    }
  }
  let resolution = t.resolution;
  if (patch.resolution !== undefined) {
    resolution = { rootCause: patch.resolution.rootCause.trim(), solution: patch.resolution.solution.trim(), actionTaken: patch.resolution.actionTaken.trim() };
    change('resolution', t.resolution, resolution);
  }

  const from = t.status as TicketStatus;
  const to = (patch.status ?? from) as TicketStatus;
  if (to !== from) {
    const bad = transitionError(from, to);
    if (bad) throw unprocessable(bad, { from, to });
    if (to === 'solved' || to === 'closed') {
      const member = groupId ? await userIsMember(ctx.db, ctx.actor.id, groupId) : false;
      if (!member && !seesEverything(ctx.actor)) throw forbidden('ticket.not_group_member', { group: groupName });
    }
    if (to === 'solved') errors.push(...missingSolveFields(reasonCodeId, resolution));
    const now = ctx.now();
    change('status', from, to);
    if (to === 'solved') set.solvedAt = now;
    if (to === 'closed') set.closedAt = now;
    if (to === 'open' && from === 'solved') set.solvedAt = null;
  }

  if (errors.length) throw validation(errors);
  if (!changes.length) return t;
  if (set.subject !== undefined || set.trackingNumber !== undefined) {
    set.searchSubject = subjectDocument(set.subject ?? t.subject, set.trackingNumber !== undefined ? set.trackingNumber : t.shipment?.trackingNumber);
  }

  const now = ctx.now();
  const after = await ctx.db.transaction(async (tx) => {
    const updated = await tx
      .update(tickets)
      .set({ ...set, version: sql`${tickets.version} + 1`, updatedAt: now })
      .where(and(eq(tickets.id, t.id), eq(tickets.version, t.version)))
      .returning({ id: tickets.id });
    if (!updated.length) throw versionConflict();
    await recordAudit(tx, {
      actor: ctx.actor,
      action: 'ticket.updated',
      targetType: 'ticket',
      targetId: t.id,
      ticketId: t.id,
      changes: changes.filter((c) => c.field !== 'trackingNumber'),
      at: now,
    });
    const services = { jobs: ctx.jobs, secrets: ctx.secrets };
    const after = await emitInTx(tx, 'ticket.changed', { ticketId: t.id, at: now }, services);
    if (to !== from) after.push(...(await emitInTx(tx, 'ticket.status_changed', { ticketId: t.id, from, to, at: now, actorUserId: ctx.actor.id }, services)));
    return after;
  });
  await runAfterCommit(after, () => {});
  return getTicket(ctx, t.id, ctx.db, false);
}

