import type { ReportFigure, ScheduledReportData } from '@caredesk/contracts';
import { intlLocale } from '../../../shared/ui/labels';

// The Gregorian calendar: report periods are the company's calendar weeks and months.
const locale = (lng: string) => (lng === 'ar' ? 'ar-u-ca-gregory-nu-latn' : 'en-GB');

export function fmtNumber(v: number | null | undefined, lng: string, digits = 0) {
  if (v === null || v === undefined) return '—';
  return new Intl.NumberFormat(intlLocale(lng), { maximumFractionDigits: digits }).format(v);
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
