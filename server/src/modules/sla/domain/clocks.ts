/**
 * A ticket's service-level clocks, computed from its history alone: the same history and the same
 * configuration always give the same deadlines, whenever and wherever they are computed. Pure.
 *
 * Rules (decision record 0004):
 * - The policy is the first active one whose conditions match the ticket's current attributes; a
 *   change of priority, category or group re-evaluates it, the clocks keep their original start.
 * - First response runs from creation to the first public reply; resolution from creation to
 *   solved (a reopened ticket resumes with the time already used); next response from each
 *   customer message that waits for an answer (after the first reply) to the next reply.
 * - Every clock pauses while the status pauses (pending on the customer by default) and while
 *   the ticket is solved; solving ends the response clocks.
 * - Internal clocks: each stay in a group with an internal target (a department) is a cycle of its
 *   own, in that group's calendar, from the hand-over until it hands on or solves.
 */
import { BusinessCalendar, type Period } from './calendar.js';

export type ClockKind = 'first_response' | 'next_response' | 'resolution';
export type TargetKind = ClockKind | 'internal';
export type TimeUnit = 'business_minutes' | 'calendar_minutes' | 'business_days';
export type ClockState = 'on_track' | 'at_risk' | 'breached' | 'met' | 'paused';

export interface Duration {
  amount: number;
  unit: TimeUnit;
}
export interface TargetSpec extends Duration {
  kind: ClockKind;
  /** null: any priority (a priority-specific target wins). */
  priority: string | null;
}
export interface PolicyConditions {
  priorities?: string[];
  categoryIds?: string[];
  channels?: string[];
  groupIds?: string[];
  accountTiers?: string[];
  keyAccount?: boolean;
}
export type StepAt = { kind: 'percent'; value: number } | { kind: 'before'; minutes: number } | { kind: 'after'; minutes: number };
export type StepAction =
  | { type: 'notify'; recipients: ('assignee' | 'supervisors' | 'managers')[] }
  | { type: 'raise_priority' }
  | { type: 'move'; groupId?: string | null; assigneeId?: string | null };
export interface LadderStep {
  key: string;
  target: TargetKind | 'any';
  at: StepAt;
  actions: StepAction[];
}
export interface PolicySpec {
  id: string;
  name: string;
  conditions: PolicyConditions;
  targets: TargetSpec[];
  calendarId: string | null;
  ladderId: string | null;
}
export interface GroupSetting {
  calendarId: string | null;
  internal: Duration | null;
  ladderId: string | null;
}
export interface SlaConfig {
  /** Active policies, in order. */
  policies: PolicySpec[];
  calendars: Map<string, { name: string; calendar: BusinessCalendar }>;
  defaultCalendarId: string | null;
  groups: Map<string, GroupSetting>;
  ladders: Map<string, LadderStep[]>;
  pauseStatuses: string[];
  /** Share of the target used from which a clock is at risk. */
  atRiskShare: number;
}

export type Field = 'status' | 'priority' | 'categoryId' | 'groupId';
export interface TicketHistory {
  ticketId: string;
  createdAt: number;
  channel: string;
  accountTier: string | null;
  keyAccount: boolean;
  initial: Record<Field, string | null>;
  changes: { at: number; field: Field; value: string | null }[];
  messages: { at: number; kind: 'customer' | 'reply' | 'note' }[];
}

export interface Clock {
  target: TargetKind;
  cycle: number;
  policyId: string | null;
  policyName: string | null;
  groupId: string | null;
  calendarId: string | null;
  calendarName: string;
  target_: Duration;
  budgetMs: number;
  startAt: number;
  /** null while paused: the deadline is not known until the clock runs again. */
  dueAt: number | null;
  atRiskAt: number | null;
  stoppedAt: number | null;
  pauses: Period[];
  pausedNow: boolean;
  /** Step times of the escalation ladder, for the sweep. */
  steps: { key: string; at: number }[];
}

const MINUTE = 60_000;
const floorMinute = (ms: number) => Math.floor(ms / MINUTE) * MINUTE;
// Recomputes run for every open ticket at once: the hot paths below use loops and these shared
// helpers rather than closures made per call (each closure costs an allocation, and more under tsx).
const byAt = (a: { at: number }, b: { at: number }) => a.at - b.at;
const byStart = (a: Period, b: Period) => a[0] - b[0];
const earliest = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));
const isStopped = (s: Segment) => STOPPED.has(s.state.status ?? '');
/** The start of the first stopped (solved, closed) segment starting at or after `from`. */
function firstStop(segs: Segment[], from = -Infinity): number | null {
  for (const s of segs) if (s.from >= from && isStopped(s)) return s.from;
  return null;
}
const STOPPED = new Set(['solved', 'closed']);
const RANK = ['low', 'normal', 'high', 'urgent'];
export const raisePriority = (p: string) => RANK[Math.min(RANK.indexOf(p) + 1, RANK.length - 1)] ?? p;

const within = (list: string[] | undefined, v: string | null) => !list?.length || (v !== null && list.includes(v));

export function matches(c: PolicyConditions, t: { priority: string | null; categoryId: string | null; groupId: string | null; channel: string; accountTier: string | null; keyAccount: boolean }) {
  return (
    within(c.priorities, t.priority) &&
    within(c.categoryIds, t.categoryId) &&
    within(c.channels, t.channel) &&
    within(c.groupIds, t.groupId) &&
    within(c.accountTiers, t.accountTier) &&
    (c.keyAccount === undefined || c.keyAccount === t.keyAccount)
  );
}

interface Segment {
  from: number;
  to: number; // Infinity for the current one
  state: Record<Field, string | null>;
}

const copyState = (s: Record<Field, string | null>): Record<Field, string | null> => ({ status: s.status, priority: s.priority, categoryId: s.categoryId, groupId: s.groupId });

function segments(h: TicketHistory): Segment[] {
  const out: Segment[] = [];
  // Copied field by field: object spread is the slow path in V8 and this runs for every ticket.
  let state = copyState(h.initial);
  let from = h.createdAt;
  const changes = [...h.changes].sort(byAt);
  for (const c of changes) {
    if (state[c.field] === c.value) continue;
    if (c.at > from) out.push({ from, to: c.at, state });
    state = copyState(state);
    state[c.field] = c.value;
    from = Math.max(from, c.at);
  }
  out.push({ from, to: Infinity, state });
  return out;
}

const mergePeriods = (list: Period[]): Period[] => {
  const sorted = [...list].sort(byStart);
  const out: Period[] = [];
  for (const p of sorted) {
    const last = out[out.length - 1];
    if (last && p[0] <= last[1]) last[1] = Math.max(last[1], p[1]);
    else out.push([p[0], p[1]]);
  }
  return out;
};

export function calendarFor(config: SlaConfig, id: string | null): { id: string | null; name: string; calendar: BusinessCalendar } {
  const pick = id ?? config.defaultCalendarId;
  const found = pick ? config.calendars.get(pick) : undefined;
  return found ? { id: pick, name: found.name, calendar: found.calendar } : { id: null, name: '24/7', calendar: ALWAYS };
}
const ALWAYS = BusinessCalendar.alwaysOpen();

/** Business milliseconds a target allows, measured from `start` for day-based targets. */
function budgetOf(d: Duration, cal: BusinessCalendar, start: number): number {
  if (d.unit === 'business_days') {
    const end = cal.addBusinessDays(start, d.amount);
    return end === null ? 0 : cal.elapsed(start, end);
  }
  return d.amount * MINUTE;
}

export function selectPolicy(config: SlaConfig, h: TicketHistory, state: Record<Field, string | null>) {
  const t = { priority: state.priority, categoryId: state.categoryId, groupId: state.groupId, channel: h.channel, accountTier: h.accountTier, keyAccount: h.keyAccount };
  for (const p of config.policies) if (matches(p.conditions, t)) return p;
  return undefined;
}

function targetOf(policy: PolicySpec, kind: ClockKind, priority: string | null): TargetSpec | undefined {
  for (const t of policy.targets) if (t.kind === kind && t.priority === priority) return t;
  for (const t of policy.targets) if (t.kind === kind && t.priority === null) return t;
  return undefined;
}

type ClockBase = { target: TargetKind; cycle: number; policyId: string | null; policyName: string | null; groupId: string | null; calendarId: string | null; ladderId: string | null };
const policyBase = (b: Omit<ClockBase, 'target' | 'cycle'>, target: TargetKind, cycle: number): ClockBase => ({
  target,
  cycle,
  policyId: b.policyId,
  policyName: b.policyName,
  groupId: b.groupId,
  calendarId: b.calendarId,
  ladderId: b.ladderId,
});

function buildClock(
  config: SlaConfig,
  base: ClockBase,
  duration: Duration,
  start: number,
  end: number | null,
  pauses: Period[],
): Clock {
  const { id: calendarId, name: calendarName, calendar: cal0 } = calendarFor(config, base.calendarId);
  const cal = duration.unit === 'calendar_minutes' ? ALWAYS : cal0;
  const startAt = floorMinute(start);
  const budgetMs = budgetOf(duration, cal, startAt);
  // Only the pauses that began before the clock stopped count; an open pause is open-ended.
  const clipped: Period[] = [];
  for (const p of pauses) if (p[1] > startAt && (end === null || p[0] < end)) clipped.push([Math.max(p[0], startAt), end === null ? p[1] : Math.min(p[1], end)]);
  const relevant = mergePeriods(clipped);
  let open: Period | undefined;
  const closedPauses: Period[] = [];
  for (const p of relevant) {
    if (p[1] !== Infinity) closedPauses.push(p);
    else open ??= p;
  }
  const pausedNow = end === null && !!open;
  let dueAt: number | null = null;
  let atRiskAt: number | null = null;
  const ladder = base.ladderId ? (config.ladders.get(base.ladderId) ?? []) : [];
  const mine: LadderStep[] = [];
  const wanted = [budgetMs, Math.floor(budgetMs * config.atRiskShare)];
  for (const s of ladder) {
    if (s.target !== 'any' && s.target !== base.target) continue;
    mine.push(s);
    if (s.at.kind === 'percent') wanted.push(Math.floor((budgetMs * s.at.value) / 100));
  }
  let shareAt: (number | null)[] = [];
  if (!open) {
    const got = cal.addAll(startAt, wanted, closedPauses);
    dueAt = got[0]!;
    atRiskAt = got[1]!;
    shareAt = got.slice(2);
  } else {
    // The deadline as long as nothing pauses again; known only once the pause ends.
    const used = cal.elapsed(startAt, open[0], closedPauses);
    if (used >= budgetMs) dueAt = cal.add(startAt, budgetMs, closedPauses);
  }
  const steps: Clock['steps'] = [];
  if (dueAt !== null && !pausedNow) {
    let p = 0;
    for (const s of mine) {
      let at: number | null;
      if (s.at.kind === 'percent') at = shareAt[p++] ?? null;
      else if (s.at.kind === 'before') at = cal.subtract(dueAt, s.at.minutes * MINUTE);
      else at = cal.add(dueAt, s.at.minutes * MINUTE, closedPauses);
      if (at === null) continue;
      // A step due after the clock stopped never runs.
      if (end !== null && at > end) continue;
      steps.push({ key: s.key, at: Math.max(at, startAt) });
    }
  }
  return {
    target: base.target,
    cycle: base.cycle,
    policyId: base.policyId,
    policyName: base.policyName,
    groupId: base.groupId,
    calendarId,
    calendarName: duration.unit === 'calendar_minutes' ? '24/7' : calendarName,
    target_: duration,
    budgetMs,
    startAt,
    dueAt,
    atRiskAt,
    stoppedAt: end,
    pauses: relevant,
    pausedNow,
    steps,
  };
}

/** Every clock the ticket has had, oldest cycle first; the last of each target is the live one. */
export function computeClocks(config: SlaConfig, h: TicketHistory): Clock[] {
  const segs = segments(h);
  const current = segs[segs.length - 1]!.state;
  const pausing = config.pauseStatuses;
  const pauseOf = (stopped: boolean) => {
    const list: Period[] = [];
    for (const s of segs) if (pausing.includes(s.state.status ?? '') || (stopped && isStopped(s))) list.push([s.from, s.to]);
    return mergePeriods(list);
  };
  const waitingPauses = pauseOf(false);
  // Solved now: since the start of the last run of solved/closed segments.
  let solvedAt: number | null = null;
  for (let i = segs.length - 1; i >= 0 && isStopped(segs[i]!); i--) solvedAt = segs[i]!.from;
  const firstSolve = firstStop(segs);
  const clocks: Clock[] = [];

  const policy = selectPolicy(config, h, current);
  if (policy) {
    const groupCal = current.groupId ? config.groups.get(current.groupId)?.calendarId ?? null : null;
    const base = { policyId: policy.id, policyName: policy.name, groupId: current.groupId, calendarId: policy.calendarId ?? groupCal, ladderId: policy.ladderId };
    const messages = [...h.messages].sort(byAt);
    let firstReply: number | null = null;
    for (const m of messages) {
      if (m.kind !== 'reply') continue;
      firstReply = m.at;
      break;
    }

    const fr = targetOf(policy, 'first_response', current.priority);
    if (fr) {
      const end = earliest(firstReply, firstSolve);
      clocks.push(buildClock(config, policyBase(base, 'first_response', 1), fr, h.createdAt, end, waitingPauses));
    }
    const res = targetOf(policy, 'resolution', current.priority);
    if (res) clocks.push(buildClock(config, policyBase(base, 'resolution', 1), res, h.createdAt, solvedAt, pauseOf(true)));

    const nr = targetOf(policy, 'next_response', current.priority);
    if (nr && firstReply !== null) {
      let waiting: number | null = null;
      let cycle = 0;
      const cycles: { start: number; end: number | null; cycle: number }[] = [];
      for (const m of messages) {
        if (m.at < firstReply) continue;
        if (m.kind === 'customer' && waiting === null && m.at > firstReply) {
          waiting = m.at;
          cycle++;
        } else if (m.kind === 'reply' && waiting !== null) {
          cycles.push({ start: waiting, end: m.at, cycle });
          waiting = null;
        }
      }
      if (waiting !== null) {
        // A solve answers the customer too.
        const solve = firstStop(segs, waiting);
        cycles.push({ start: waiting, end: solve, cycle });
      }
      for (const c of cycles) clocks.push(buildClock(config, policyBase(base, 'next_response', c.cycle), nr, c.start, c.end, waitingPauses));
    }
  }

  // Internal clocks: consecutive segments in one department group form one stay.
  let cycle = 0;
  for (let i = 0; i < segs.length; i++) {
    const g = segs[i]!.state.groupId;
    const setting = g ? config.groups.get(g) : undefined;
    if (!g || !setting?.internal || (i > 0 && segs[i - 1]!.state.groupId === g)) continue;
    let j = i;
    while (j + 1 < segs.length && segs[j + 1]!.state.groupId === g) j++;
    const stay = segs.slice(i, j + 1);
    const solved = firstStop(stay);
    const left = segs[j]!.to === Infinity ? null : segs[j]!.to;
    cycle++;
    if (isStopped(stay[0]!)) continue;
    clocks.push(
      buildClock(
        config,
        { target: 'internal', cycle, policyId: null, policyName: null, groupId: g, calendarId: setting.calendarId, ladderId: setting.ladderId },
        setting.internal,
        stay[0]!.from,
        earliest(solved, left),
        waitingPauses,
      ),
    );
  }
  return clocks;
}

/** The live clock of each target (the latest cycle). */
export function liveClocks(clocks: Clock[]): Clock[] {
  const byTarget = new Map<TargetKind, Clock>();
  for (const c of clocks) {
    const prev = byTarget.get(c.target);
    if (!prev || c.cycle >= prev.cycle) byTarget.set(c.target, c);
  }
  return [...byTarget.values()];
}

export function stateOf(c: { dueAt: number | null; atRiskAt: number | null; stoppedAt: number | null; pausedNow: boolean }, now: number): ClockState {
  if (c.stoppedAt !== null) return c.dueAt !== null && c.stoppedAt > c.dueAt ? 'breached' : 'met';
  if (c.dueAt !== null && now >= c.dueAt) return 'breached';
  if (c.pausedNow) return 'paused';
  if (c.atRiskAt !== null && now >= c.atRiskAt) return 'at_risk';
  return 'on_track';
}

/** The figures the API explains a clock with, as of `now`. */
export function explain(config: SlaConfig, c: Clock, now: number) {
  const cal = c.target_.unit === 'calendar_minutes' ? ALWAYS : calendarFor(config, c.calendarId).calendar;
  const until = Math.min(now, c.stoppedAt ?? Infinity);
  const closed = c.pauses.map((p) => [p[0], Math.min(p[1], until)] as Period).filter((p) => p[1] > p[0]);
  const used = cal.elapsed(c.startAt, until, closed);
  const pausedMs = closed.reduce((n, p) => n + (p[1] - p[0]), 0);
  const state = stateOf(c, now);
  return {
    state,
    usedMs: used,
    leftMs: Math.max(0, c.budgetMs - used),
    pausedMs,
    breachedAt: c.dueAt !== null && (c.stoppedAt ?? now) >= c.dueAt && state === 'breached' ? c.dueAt : null,
  };
}
