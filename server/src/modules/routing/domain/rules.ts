/**
 * Routing decisions as a pure function, so the same code serves ticket creation, the rule
 * editor's preview and the bench.
 */
export interface RuleConditions {
  keyAccount?: boolean;
  countries?: string[];
  categoryIds?: string[];
  channels?: string[];
  languages?: string[];
  /** Any one of these words in the subject or description (case-insensitive). */
  keywords?: string[];
  /** false: only tickets that no agent or channel has put in a group yet. */
  hasGroup?: boolean;
}

export type GroupTarget =
  | { id: string }
  /** The group of this kind; with `sameCountry`, the one in the account's country. */
  | { kind: string; sameCountry?: boolean };

export interface RuleActions {
  group?: GroupTarget;
  priority?: 'low' | 'normal' | 'high' | 'urgent';
  tags?: string[];
}

export interface Rule {
  id: string;
  name: string;
  active: boolean;
  conditions: RuleConditions;
  actions: RuleActions;
}

export interface TicketFacts {
  keyAccount: boolean;
  countryCode: string | null;
  categoryId: string | null;
  channel: string;
  language: string | null;
  text: string;
  groupId: string | null;
}

export interface GroupRef {
  id: string;
  kind: string;
  countryCode: string | null;
  name: string;
}

export interface Decision {
  groupId: string | null;
  priority: RuleActions['priority'] | null;
  tags: string[];
  /** Rules that contributed, in order; the first one that set the group is `groupRuleId`. */
  ruleIds: string[];
  groupRuleId: string | null;
}

const lower = (s: string) => s.toLocaleLowerCase('en');

export function matches(c: RuleConditions, f: TicketFacts): boolean {
  if (c.keyAccount !== undefined && c.keyAccount !== f.keyAccount) return false;
  if (c.hasGroup !== undefined && c.hasGroup !== (f.groupId !== null)) return false;
  if (c.countries?.length && !(f.countryCode && c.countries.includes(f.countryCode))) return false;
  if (c.categoryIds?.length && !(f.categoryId && c.categoryIds.includes(f.categoryId))) return false;
  if (c.channels?.length && !c.channels.includes(f.channel)) return false;
  if (c.languages?.length && !(f.language && c.languages.includes(f.language))) return false;
  if (c.keywords?.length) {
    const text = lower(f.text);
    if (!c.keywords.some((k) => text.includes(lower(k)))) return false;
  }
  return true;
}

export function resolveGroup(target: GroupTarget, f: TicketFacts, groups: GroupRef[]): string | null {
  if ('id' in target) return groups.some((g) => g.id === target.id) ? target.id : null;
  const candidates = groups
    .filter((g) => g.kind === target.kind && (!target.sameCountry || (f.countryCode !== null && g.countryCode === f.countryCode)))
    // Several groups of a kind: the one by name, so the choice never depends on row order.
    .sort((a, b) => a.name.localeCompare(b.name, 'en') || a.id.localeCompare(b.id));
  return candidates[0]?.id ?? null;
}

/**
 * Walks the rules in order. The group comes from the first matching rule whose target exists (a
 * key-account rule for a country without a Key Accounts group falls through to the next rule);
 * priority comes from the first matching rule that sets one; tags add up.
 */
export function decide(rules: Rule[], f: TicketFacts, groups: GroupRef[]): Decision {
  const d: Decision = { groupId: null, priority: null, tags: [], ruleIds: [], groupRuleId: null };
  for (const r of rules) {
    if (!r.active || !matches(r.conditions, f)) continue;
    const a = r.actions;
    let used = false;
    if (a.group) {
      if (d.groupId) continue;
      const g = resolveGroup(a.group, f, groups);
      if (!g) continue;
      d.groupId = g;
      d.groupRuleId = r.id;
      used = true;
    }
    if (a.priority && !d.priority) {
      d.priority = a.priority;
      used = true;
    }
    if (a.tags?.length) {
      for (const t of a.tags) if (!d.tags.includes(t)) d.tags.push(t);
      used = true;
    }
    if (used) d.ruleIds.push(r.id);
  }
  return d;
}

export type AssignmentMode = 'manual' | 'round-robin' | 'least-loaded';

export interface Candidate {
  id: string;
  away: boolean;
  language: string;
  openTickets: number;
}

/**
 * Picks an agent in a group: never one who is away; with `preferLanguage`, among those who speak
 * the contact's language when any do. Round-robin takes the next member after the last one
 * assigned (members ordered by id); least-loaded the fewest open tickets, ties by id.
 */
export function pickAgent(
  mode: AssignmentMode,
  members: Candidate[],
  opts: { lastAssignedId: string | null; preferLanguage: boolean; language: string | null },
): string | null {
  if (mode === 'manual') return null;
  let pool = members.filter((m) => !m.away).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (opts.preferLanguage && opts.language) {
    const speakers = pool.filter((m) => m.language === opts.language);
    if (speakers.length) pool = speakers;
  }
  if (!pool.length) return null;
  if (mode === 'least-loaded') {
    return pool.reduce((best, m) => (m.openTickets < best.openTickets ? m : best)).id;
  }
  const last = opts.lastAssignedId;
  const next = last ? pool.find((m) => m.id > last) : undefined;
  return (next ?? pool[0]!).id;
}
