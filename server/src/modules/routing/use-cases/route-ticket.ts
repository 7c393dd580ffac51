import { and, asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../../platform/db/index.js';
import { agentAvailability, groupAssignment, routingRules } from '../db/schema.js';
import { decide, pickAgent, type AssignmentMode, type Candidate, type Decision, type GroupRef, type Rule } from '../domain/rules.js';

export interface NewTicketFacts {
  accountId: string | null;
  contactId: string | null;
  categoryId: string | null;
  channel: string;
  text: string;
  /** The group an agent or the channel already chose, if any. */
  groupId: string | null;
}

export async function activeRules(db: DbOrTx): Promise<Rule[]> {
  return db
    .select({ id: routingRules.id, name: routingRules.name, active: routingRules.active, conditions: routingRules.conditions, actions: routingRules.actions })
    .from(routingRules)
    .where(eq(routingRules.active, true))
    .orderBy(asc(routingRules.position), asc(routingRules.id));
}

/** What the rules say for a new ticket: its group, priority and tags. One round trip: it runs on every new ticket. */
export async function routeNewTicket(db: DbOrTx, f: NewTicketFacts): Promise<Decision & { language: string | null; assignmentModes: AssignmentModes }> {
  const res = await db.execute<{ key_account: boolean | null; country_code: string | null; language: string | null; rules: Rule[] | null; groups: GroupRef[] | null; modes: Record<string, string> | null }>(sql`
    select
      ${f.accountId ? sql`(select a.key_account from accounts a where a.id = ${f.accountId})` : sql`null::boolean`} as key_account,
      ${f.accountId ? sql`(select a.country_code from accounts a where a.id = ${f.accountId})` : sql`null::text`} as country_code,
      ${f.contactId ? sql`(select c.language from contacts c where c.id = ${f.contactId})` : sql`null::text`} as language,
      (select json_agg(json_build_object('id', r.id, 'name', r.name, 'active', r.active, 'conditions', r.conditions, 'actions', r.actions) order by r.position, r.id)
        from routing_rules r where r.active) as rules,
      (select json_agg(json_build_object('id', g.id, 'kind', g.kind, 'countryCode', g.country_code, 'name', g.name)) from groups g) as groups,
      (select json_object_agg(ga.group_id, ga.mode) from group_assignment ga) as modes`);
  const row = res.rows[0]!;
  const decision = decide(
    row.rules ?? [],
    {
      keyAccount: Boolean(row.key_account),
      countryCode: row.country_code,
      categoryId: f.categoryId,
      channel: f.channel,
      language: row.language,
      text: f.text,
      groupId: f.groupId,
    },
    row.groups ?? [],
  );
  return { ...decision, language: row.language, assignmentModes: new Map(Object.entries(row.modes ?? {})) };
}

/** Each group's assignment mode as the routing query read it (a group without settings is manual). */
export type AssignmentModes = Map<string, string>;

/**
 * Chooses an agent of the group by the group's assignment mode, or null (manual, or nobody
 * available). Round-robin moves the group's pointer under a row lock, so two tickets created at
 * the same moment go to two agents.
 */
export async function pickAssignee(db: DbOrTx, groupId: string, language: string | null, known?: AssignmentModes): Promise<string | null> {
  // Manual groups take no lock: every new ticket of the group would wait for the last one's commit.
  const mode = known ? (known.has(groupId) ? { mode: known.get(groupId)! } : undefined) : (await db.select({ mode: groupAssignment.mode }).from(groupAssignment).where(eq(groupAssignment.groupId, groupId)))[0];
  if (!mode || mode.mode === 'manual') return null;
  const [settings] = await db.select().from(groupAssignment).where(eq(groupAssignment.groupId, groupId)).for('update');
  if (!settings || settings.mode === 'manual') return null;
  const members = await db.execute<{ id: string; away: boolean | null; language: string; open_tickets: number }>(sql`
    select u.id, av.away, u.language,
      (select count(*)::int from tickets t where t.assignee_id = u.id and t.status in ('new', 'open', 'pending', 'on-hold')) as open_tickets
    from group_memberships gm join users u on u.id = gm.user_id
    left join ${agentAvailability} av on av.user_id = u.id
    where gm.group_id = ${groupId} and u.active`);
  const candidates: Candidate[] = members.rows.map((m) => ({ id: m.id, away: Boolean(m.away), language: m.language, openTickets: Number(m.open_tickets) }));
  const chosen = pickAgent(settings.mode as AssignmentMode, candidates, {
    lastAssignedId: settings.lastAssignedId,
    preferLanguage: settings.preferLanguage,
    language,
  });
  if (chosen) await db.update(groupAssignment).set({ lastAssignedId: chosen }).where(and(eq(groupAssignment.groupId, groupId)));
  return chosen;
}
