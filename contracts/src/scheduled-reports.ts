/** The scheduled reports (weekly Customer Care Report, monthly Key Account Report) and their archive. */
import { Type, type Static } from 'typebox';

const closed = { additionalProperties: false } as const;
const DateTime = Type.String({ format: 'date-time' });
const Uuid = Type.String({ format: 'uuid' });

export const SCHEDULED_REPORT_KINDS = ['weekly_care', 'monthly_key_accounts'] as const;
export type ScheduledReportKind = (typeof SCHEDULED_REPORT_KINDS)[number];
const Kind = Type.Enum(SCHEDULED_REPORT_KINDS as unknown as ['weekly_care', 'monthly_key_accounts']);

export const ArchivedReportSummary = Type.Object({
  id: Uuid,
  kind: Kind,
  period: Type.String(),
  periodStart: DateTime,
  periodEnd: DateTime,
  timeZone: Type.String(),
  trigger: Type.String(),
  generatedAt: DateTime,
  /** Emails queued for this report (one per recipient). */
  deliveries: Type.Integer(),
});
/** `data` is WeeklyReportData or MonthlyReportData (types below), as stored. */
export const ArchivedReport = Type.Object({ ...ArchivedReportSummary.properties, data: Type.Unknown() });
export const ArchiveQuery = Type.Object(
  { kind: Type.Optional(Kind), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })), cursor: Type.Optional(Type.String({ maxLength: 500 })) },
  closed,
);
export const GenerateReportBody = Type.Object(
  {
    kind: Kind,
    /** `YYYY-MM-DD` (a Sunday) for the weekly report, `YYYY-MM` for the monthly; default: the latest finished period. */
    period: Type.Optional(Type.String({ maxLength: 10 })),
    /** Produce it again from today's facts even if it is archived (admins and managers). */
    replace: Type.Optional(Type.Boolean()),
  },
  closed,
);
export const GenerateReportResult = Type.Object({ created: Type.Boolean(), report: ArchivedReportSummary });
export const ReportLangQuery = Type.Object({ lang: Type.Optional(Type.Enum(['en', 'ar'] as ['en', 'ar'])) }, closed);

export const ReportRecipient = Type.Object({ email: Type.String({ format: 'email', maxLength: 254 }), language: Type.Enum(['en', 'ar'] as ['en', 'ar']) }, closed);
export const ReportRecipients = Type.Object({ weekly_care: Type.Array(ReportRecipient), monthly_key_accounts: Type.Array(ReportRecipient) });
export const PutReportRecipientsBody = Type.Object({ recipients: Type.Array(ReportRecipient, { maxItems: 50 }) }, closed);
export const ReportKindParams = Type.Object({ kind: Kind }, closed);

export type ArchivedReportSummaryT = Static<typeof ArchivedReportSummary>;
export type ReportRecipientT = Static<typeof ReportRecipient>;
export type ReportRecipientsT = Static<typeof ReportRecipients>;

export interface ReportFigure {
  value: number | null;
  previous: number | null;
}
export interface NamedInTwo {
  id: string;
  en: string;
  ar: string;
}
export interface SalesNote {
  week: string;
  trends: string;
  problems: string;
  opportunities: string;
}
export interface WeeklyAccount {
  id: string;
  name: string;
  rank: number | null;
  officer: string | null;
  contacts: ReportFigure;
  issues: ReportFigure;
  complaints: ReportFigure;
  claims: ReportFigure;
  escalations: ReportFigure;
  slaCompliance: ReportFigure;
  notes: SalesNote[];
}
export interface WeeklyReportData {
  kind: 'weekly_care';
  period: string;
  from: string;
  to: string;
  previousFrom: string;
  previousTo: string;
  timeZone: string;
  /** Claims are tickets in the `claim` category; false when there is no such category. */
  claimsTracked: boolean;
  totals: { contacts: ReportFigure; issues: ReportFigure; complaints: ReportFigure; claims: ReportFigure; escalations: ReportFigure; slaCompliance: ReportFigure };
  /** Key-account tickets per day of the week. */
  daily: { day: string; value: number }[];
  accounts: WeeklyAccount[];
}
export interface MonthlyAccount {
  id: string;
  name: string;
  officer: string | null;
  rank: number | null;
  previousRank: number | null;
  tickets: ReportFigure;
  byCategory: (NamedInTwo & { value: number })[];
  slaCompliance: ReportFigure;
  escalations: ReportFigure;
  resolutionHours: ReportFigure;
  proactive: { done: number; planned: number; previousDone: number; previousPlanned: number };
}
export interface MonthlyReportData {
  kind: 'monthly_key_accounts';
  period: string;
  from: string;
  to: string;
  previousFrom: string;
  previousTo: string;
  timeZone: string;
  totals: {
    tickets: ReportFigure;
    slaCompliance: ReportFigure;
    escalations: ReportFigure;
    resolutionHours: ReportFigure;
    proactiveDone: ReportFigure;
    proactivePlanned: ReportFigure;
  };
  categories: NamedInTwo[];
  accounts: MonthlyAccount[];
}
export type ScheduledReportData = WeeklyReportData | MonthlyReportData;
