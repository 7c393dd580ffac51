/**
 * What each KPI is, in one place: the fact kinds it reads, its unit, the dimension its chart groups
 * by when none is asked for. The formulas themselves are SQL in use-cases/kpis.ts and are written
 * out for people in docs/reports.md; keep the three in step.
 */
import type { ReportDimension, ReportMetric } from '@caredesk/contracts';

export type Unit = 'ms' | 'percent' | 'count';
export interface MetricSpec {
  unit: Unit;
  /** Fact kinds read; empty for metrics computed from elsewhere (backlog, proactive contacts). */
  kinds: string[];
  defaultBy: ReportDimension;
  /** Dimensions that make sense for it (time buckets make no sense for a snapshot like backlog). */
  dims?: ReportDimension[];
}

const CATEGORICAL: ReportDimension[] = ['group', 'agent', 'account', 'channel', 'category', 'reason', 'priority', 'country'];

export const METRICS: Record<ReportMetric, MetricSpec> = {
  tickets_created: { unit: 'count', kinds: ['ticket.created'], defaultBy: 'day' },
  first_response_time: { unit: 'ms', kinds: ['first_response'], defaultBy: 'group' },
  resolution_time: { unit: 'ms', kinds: ['solved'], defaultBy: 'group' },
  sla_compliance: { unit: 'percent', kinds: ['sla.met', 'sla.breached'], defaultBy: 'target' },
  backlog: { unit: 'count', kinds: [], defaultBy: 'group', dims: CATEGORICAL },
  backlog_age: { unit: 'ms', kinds: [], defaultBy: 'group', dims: CATEGORICAL },
  escalations: { unit: 'count', kinds: ['escalated'], defaultBy: 'group' },
  reopen_rate: { unit: 'percent', kinds: ['solved', 'reopened'], defaultBy: 'group' },
  first_contact_resolution: { unit: 'percent', kinds: ['solved'], defaultBy: 'group' },
  contacts_by_reason: { unit: 'count', kinds: ['solved'], defaultBy: 'reason' },
  channel_mix: { unit: 'count', kinds: ['ticket.created'], defaultBy: 'channel' },
  key_account_tickets: { unit: 'count', kinds: ['ticket.created'], defaultBy: 'account' },
  proactive_contacts: { unit: 'percent', kinds: [], defaultBy: 'account', dims: ['account', 'agent'] },
  calls_logged: { unit: 'count', kinds: ['call.logged'], defaultBy: 'day' },
  chats_handled: { unit: 'count', kinds: ['chat.handled'], defaultBy: 'day' },
};

export const TIME_DIMS = new Set<ReportDimension>(['day', 'week', 'month']);

/** value - previous, rounded to what a person reads; null when either side is missing. */
export function change(value: number | null, previous: number | null): number | null {
  if (value === null || previous === null) return null;
  return Math.round((value - previous) * 100) / 100;
}

/** Running share of the total, for a Pareto chart; items must already be sorted by value, largest first. */
export function cumulativeShares(values: number[]): number[] {
  const total = values.reduce((a, b) => a + b, 0);
  let run = 0;
  return values.map((v) => {
    run += v;
    return total ? Math.round((run / total) * 10000) / 100 : 0;
  });
}
