import { asc, eq, sql } from 'drizzle-orm';
import type { Static } from 'typebox';
import type { CreateRoutingRuleBody, RoutingPreviewBody, UpdateRoutingRuleBody } from '@caredesk/contracts';
import type { AuthedCtx } from '../../../platform/context.js';
import { forbidden, notFound, validation, versionConflict } from '../../../platform/errors.js';
import { changedFields, recordAudit } from '../../../platform/audit.js';
import { agentAvailability, groupAssignment, routingRules } from '../db/schema.js';
import type { RuleActions } from '../domain/rules.js';
import { routeNewTicket } from './route-ticket.js';

const requireAdmin = (ctx: AuthedCtx) => {
  if (!ctx.actor.roles.includes('admin')) throw forbidden();
};

export async function listRules(ctx: AuthedCtx) {
  return ctx.db.select().from(routingRules).orderBy(asc(routingRules.position), asc(routingRules.id));
}

async function getRule(ctx: AuthedCtx, id: string) {
  const [r] = await ctx.db.select().from(routingRules).where(eq(routingRules.id, id));
  if (!r) throw notFound();
  return r;
}

async function checkGroup(ctx: AuthedCtx, actions: RuleActions | undefined) {
  const g = actions?.group;
  if (!g || !('id' in g)) return;
  const found = await ctx.db.execute(sql`select 1 from groups where id = ${g.id}`);
  if (!found.rows.length) throw validation([{ field: 'actions.group.id', code: 'not_found' }]);
}

export async function createRule(ctx: AuthedCtx, input: Static<typeof CreateRoutingRuleBody>) {
  requireAdmin(ctx);
  await checkGroup(ctx, input.actions);
  const position =
    input.position ?? Number((await ctx.db.execute<{ p: number }>(sql`select coalesce(max(position), 0) + 10 as p from routing_rules`)).rows[0]!.p);
  const id = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(routingRules)
      .values({ name: input.name.trim(), position, active: input.active ?? true, conditions: input.conditions, actions: input.actions })
      .returning({ id: routingRules.id });
    await recordAudit(tx, { actor: ctx.actor, action: 'routing_rule.created', targetType: 'routing_rule', targetId: row!.id, changes: [{ field: 'name', before: null, after: input.name }] });
    return row!.id;
  });
  return getRule(ctx, id);
}

export async function updateRule(ctx: AuthedCtx, id: string, patch: Static<typeof UpdateRoutingRuleBody>, ifMatch?: number) {
  requireAdmin(ctx);
  const before = await getRule(ctx, id);
  const { version: v, ...fields } = patch;
  const version = v ?? ifMatch;
  if (version !== undefined && version !== before.version) throw versionConflict();
  await checkGroup(ctx, fields.actions);
  const changes = changedFields(before as unknown as Record<string, unknown>, fields);
  if (!changes.length) return before;
  await ctx.db.transaction(async (tx) => {
    const done = await tx
      .update(routingRules)
      .set({ ...fields, version: sql`${routingRules.version} + 1`, updatedAt: ctx.now() })
      .where(sql`${routingRules.id} = ${id} and ${routingRules.version} = ${before.version}`)
      .returning({ id: routingRules.id });
    if (!done.length) throw versionConflict();
    await recordAudit(tx, { actor: ctx.actor, action: 'routing_rule.updated', targetType: 'routing_rule', targetId: id, changes });
  });
  return getRule(ctx, id);
}

export async function deleteRule(ctx: AuthedCtx, id: string) {
  requireAdmin(ctx);
  const before = await getRule(ctx, id);
  await ctx.db.transaction(async (tx) => {
    await tx.delete(routingRules).where(eq(routingRules.id, id));
    await recordAudit(tx, { actor: ctx.actor, action: 'routing_rule.deleted', targetType: 'routing_rule', targetId: id, changes: [{ field: 'name', before: before.name, after: null }] });
  });
}

export async function previewRouting(ctx: AuthedCtx, input: Static<typeof RoutingPreviewBody>) {
  const d = await routeNewTicket(ctx.db, {
    accountId: input.accountId ?? null,
    contactId: input.contactId ?? null,
    categoryId: input.categoryId ?? null,
    channel: input.channel,
    text: input.text ?? '',
    groupId: null,
  });
  return { groupId: d.groupId, priority: d.priority, tags: d.tags, ruleIds: d.ruleIds };
}

export async function getGroupAssignment(ctx: AuthedCtx, groupId: string) {
  const found = await ctx.db.execute(sql`select 1 from groups where id = ${groupId}`);
  if (!found.rows.length) throw notFound();
  const [row] = await ctx.db.select().from(groupAssignment).where(eq(groupAssignment.groupId, groupId));
  return { groupId, mode: (row?.mode ?? 'manual') as 'manual', preferLanguage: row?.preferLanguage ?? false };
}

export async function setGroupAssignment(ctx: AuthedCtx, groupId: string, input: { mode: string; preferLanguage?: boolean }) {
  if (!ctx.actor.roles.some((r) => r === 'admin' || r === 'supervisor')) throw forbidden();
  const before = await getGroupAssignment(ctx, groupId);
  const preferLanguage = input.preferLanguage ?? before.preferLanguage;
  await ctx.db.transaction(async (tx) => {
    await tx
      .insert(groupAssignment)
      .values({ groupId, mode: input.mode, preferLanguage, updatedAt: ctx.now() })
      .onConflictDoUpdate({ target: groupAssignment.groupId, set: { mode: input.mode, preferLanguage, updatedAt: ctx.now() } });
    await recordAudit(tx, {
      actor: ctx.actor,
      action: 'group.assignment_updated',
      targetType: 'group',
      targetId: groupId,
      changes: [{ field: 'mode', before: before.mode, after: input.mode }, { field: 'preferLanguage', before: before.preferLanguage, after: preferLanguage }],
    });
  });
  return getGroupAssignment(ctx, groupId);
}

/** Agents mark themselves away; supervisors and admins may do it for them. */
export async function setAvailability(ctx: AuthedCtx, userId: string, away: boolean) {
  if (userId !== ctx.actor.id && !ctx.actor.roles.some((r) => r === 'admin' || r === 'supervisor' || r === 'manager')) throw forbidden();
  const found = await ctx.db.execute(sql`select 1 from users where id = ${userId}`);
  if (!found.rows.length) throw notFound();
  await ctx.db.transaction(async (tx) => {
    await tx
      .insert(agentAvailability)
      .values({ userId, away, updatedAt: ctx.now() })
      .onConflictDoUpdate({ target: agentAvailability.userId, set: { away, updatedAt: ctx.now() } });
    await recordAudit(tx, { actor: ctx.actor, action: 'user.availability_changed', targetType: 'user', targetId: userId, changes: [{ field: 'away', before: null, after: away }] });
  });
  return { userId, away };
}
