/** Reports: KPIs read from the facts table, series for charts, drill-down, the live dashboard. */
import { Type, type Static, type TSchema } from 'typebox';

const closed = { additionalProperties: false } as const;
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Uuid = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });
const lit = <const T extends string[]>(values: readonly [...T]) => Type.Enum<T>(values);

export const REPORT_METRICS = [
  'tickets_created',
  'first_response_time',
  'resolution_time',
  'sla_compliance',
  'backlog',
  'backlog_age',
  'escalations',
  'reopen_rate',
  'first_contact_resolution',
  'contacts_by_reason',
  'channel_mix',
  'key_account_tickets',
  'proactive_contacts',
  'calls_logged',
  'chats_handled',
] as const;
export type ReportMetric = (typeof REPORT_METRICS)[number];
export const REPORT_DIMENSIONS = ['day', 'week', 'month', 'group', 'agent', 'account', 'channel', 'category', 'reason', 'priority', 'country', 'target'] as const;
export type ReportDimension = (typeof REPORT_DIMENSIONS)[number];
export const REPORT_UNITS = ['ms', 'percent', 'count'] as const;

/** A day (YYYY-MM-DD, in the company time zone) or an instant. `to` is inclusive for a day. */
const DayOrInstant = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9:.]+(Z|[+-][0-9]{2}:?[0-9]{2}))?$', maxLength: 40 });
const filters = {
  from: Type.Optional(DayOrInstant),
  to: Type.Optional(DayOrInstant),
  groupId: Type.Optional(Uuid),
  agentId: Type.Optional(Uuid),
  accountId: Type.Optional(Uuid),
  channel: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  categoryId: Type.Optional(Uuid),
  keyAccount: Type.Optional(Type.Boolean()),
};
export const ReportFilters = Type.Object(filters, closed);
export const ReportSeriesQuery = Type.Object({ ...filters, by: Type.Optional(lit(REPORT_DIMENSIONS)) }, closed);
export const ReportMetricParams = Type.Object({ metric: lit(REPORT_METRICS) }, closed);
export const ReportDrillQuery = Type.Object(
  {
    ...filters,
    by: Type.Optional(lit(REPORT_DIMENSIONS)),
    /** The bucket of `by` (an id, a channel, a YYYY-MM-DD day; `none` for facts without one). */
    key: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    cursor: Type.Optional(Type.String({ maxLength: 500 })),
  },
  closed,
);
export const ReportCsvQuery = Type.Object(
  { ...filters, by: Type.Optional(lit(REPORT_DIMENSIONS)), key: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })), rows: Type.Optional(lit(['series', 'tickets'] as const)) },
  closed,
);

const Period = Type.Object({ from: DateTime, to: DateTime });
export const Kpi = Type.Object({
  metric: lit(REPORT_METRICS),
  unit: lit(REPORT_UNITS),
  value: Nullable(Type.Number()),
  /** How many facts (tickets, clocks, tasks) the value stands on. */
  count: Type.Integer(),
  previous: Nullable(Type.Number()),
  previousCount: Type.Integer(),
  /** value - previous, in the metric's unit (percentage points for percentages). */
  change: Nullable(Type.Number()),
});
export const KpiSummary = Type.Object({ period: Period, previousPeriod: Period, timeZone: Type.String(), kpis: Type.Array(Kpi) });
export const SeriesPoint = Type.Object({
  key: Type.String(),
  label: Type.String(),
  value: Nullable(Type.Number()),
  count: Type.Integer(),
  previous: Nullable(Type.Number()),
  /** Running share of the total, for Pareto charts (contacts by reason). */
  cumulativePercent: Type.Optional(Type.Number()),
});
export const ReportSeries = Type.Object({
  metric: lit(REPORT_METRICS),
  by: lit(REPORT_DIMENSIONS),
  unit: lit(REPORT_UNITS),
  period: Period,
  previousPeriod: Period,
  items: Type.Array(SeriesPoint),
});
export const DrillTicket = Type.Object({
  ticketId: Uuid,
  number: Type.Integer(),
  subject: Type.String(),
  status: Type.String(),
  kind: Type.String(),
  occurredAt: DateTime,
  groupName: Nullable(Type.String()),
  agentName: Nullable(Type.String()),
  businessMs: Nullable(Type.Number()),
  calendarMs: Nullable(Type.Number()),
});

export const LiveQueue = Type.Object({ groupId: Uuid, name: Type.String(), new: Type.Integer(), open: Type.Integer(), pending: Type.Integer(), onHold: Type.Integer(), total: Type.Integer() });
export const AtRiskTicket = Type.Object({
  ticketId: Uuid,
  number: Type.Integer(),
  subject: Type.String(),
  target: Type.String(),
  dueAt: DateTime,
  state: lit(['at_risk', 'breached'] as const),
  groupName: Nullable(Type.String()),
  assigneeName: Nullable(Type.String()),
});
export const LiveAgent = Type.Object({ id: Uuid, name: Type.String(), online: Type.Boolean(), away: Type.Boolean(), lastSeenAt: Nullable(DateTime), load: Type.Integer() });
export const LiveDashboard = Type.Object({
  at: DateTime,
  /** Seconds between refreshes the client should use until the realtime layer pushes updates. */
  refreshSeconds: Type.Integer(),
  queues: Type.Array(LiveQueue),
  atRisk: Type.Array(AtRiskTicket),
  atRiskCount: Type.Integer(),
  breachedCount: Type.Integer(),
  agents: Type.Array(LiveAgent),
  today: Type.Array(Kpi),
});

export type KpiT = Static<typeof Kpi>;
export type KpiSummaryT = Static<typeof KpiSummary>;
export type ReportSeriesT = Static<typeof ReportSeries>;
export type SeriesPointT = Static<typeof SeriesPoint>;
export type DrillTicketT = Static<typeof DrillTicket>;
export type LiveDashboardT = Static<typeof LiveDashboard>;
export type ReportFiltersT = Static<typeof ReportFilters>;
