/** A scheduled report as CSV: one row per figure (long format), through the reports module's CSV helper. */
import type { ScheduledReportData } from '@caredesk/contracts';
import { toCsv } from '../domain/csv.js';

const HEADER = ['report', 'period', 'rank', 'account', 'measure', 'category', 'value', 'previous', 'change'];

export function reportCsv(d: ScheduledReportData, lang: 'en' | 'ar' = 'en'): string {
  const rows: unknown[][] = [];
  const change = (v: number | null, p: number | null) => (v === null || p === null ? null : Math.round((v - p) * 100) / 100);
  const fig = (rank: number | null, account: string, measure: string, f: { value: number | null; previous: number | null }, category: string | null = null) =>
    rows.push([d.kind, d.period, rank, account, measure, category, f.value, f.previous, change(f.value, f.previous)]);
  const text = (rank: number | null, account: string, measure: string, value: string) => rows.push([d.kind, d.period, rank, account, measure, null, value, null, null]);
  if (d.kind === 'weekly_care') {
    for (const [k, f] of Object.entries(d.totals)) fig(null, 'ALL', k, f);
    for (const x of d.daily) fig(null, 'ALL', 'key_account_tickets_on_day', { value: x.value, previous: null }, x.day);
    for (const a of d.accounts) {
      fig(a.rank, a.name, 'contacts', a.contacts);
      fig(a.rank, a.name, 'issues', a.issues);
      fig(a.rank, a.name, 'complaints', a.complaints);
      if (d.claimsTracked) fig(a.rank, a.name, 'claims', a.claims);
      else text(a.rank, a.name, 'claims', 'none recorded');
      fig(a.rank, a.name, 'escalations', a.escalations);
      fig(a.rank, a.name, 'sla_compliance_percent', a.slaCompliance);
      for (const n of a.notes) {
        if (n.trends) text(a.rank, a.name, 'sales_note_trends', n.trends);
        if (n.problems) text(a.rank, a.name, 'sales_note_problems', n.problems);
        if (n.opportunities) text(a.rank, a.name, 'sales_note_opportunities', n.opportunities);
      }
    }
  } else {
    for (const [k, f] of Object.entries(d.totals)) fig(null, 'ALL', k, f);
    for (const a of d.accounts) {
      fig(a.rank, a.name, 'revenue_rank', { value: a.rank, previous: a.previousRank });
      fig(a.rank, a.name, 'tickets', a.tickets);
      for (const c of a.byCategory) fig(a.rank, a.name, 'tickets_in_category', { value: c.value, previous: null }, lang === 'ar' ? c.ar : c.en);
      fig(a.rank, a.name, 'sla_compliance_percent', a.slaCompliance);
      fig(a.rank, a.name, 'escalations', a.escalations);
      fig(a.rank, a.name, 'resolution_business_hours', a.resolutionHours);
      fig(a.rank, a.name, 'proactive_contacts_done', { value: a.proactive.done, previous: a.proactive.previousDone });
      fig(a.rank, a.name, 'proactive_contacts_planned', { value: a.proactive.planned, previous: a.proactive.previousPlanned });
    }
  }
  return toCsv(HEADER, rows);
}
