import type { ReportFigure, ScheduledReportData } from '@caredesk/contracts';

const locale = (lng: string) => (lng === 'ar' ? 'ar-SA-u-ca-gregory' : 'en-GB');

export function fmtNumber(v: number | null | undefined, lng: string, digits = 0) {
  if (v === null || v === undefined) return '—';
  return new Intl.NumberFormat(lng === 'ar' ? 'ar-SA' : 'en-US', { maximumFractionDigits: digits }).format(v);
}

/** "2 Mar 2025 – 8 Mar 2025" for a week (its end is exclusive in the data), "March 2025" for a month. */
export function periodText(d: Pick<ScheduledReportData, 'kind' | 'timeZone'> & { from: string; to: string }, lng: string) {
  const f = (iso: string, o: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(locale(lng), { timeZone: d.timeZone, ...o }).format(new Date(iso));
  if (d.kind === 'monthly_key_accounts') return f(d.from, { month: 'long', year: 'numeric' });
  const last = new Date(new Date(d.to).getTime() - 12 * 3_600_000).toISOString();
  return `${f(d.from, { dateStyle: 'medium' })} – ${f(last, { dateStyle: 'medium' })}`;
}

export function change(f: ReportFigure): number | null {
  return f.value === null || f.previous === null ? null : Math.round((f.value - f.previous) * 100) / 100;
}
