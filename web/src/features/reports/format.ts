import type { TFunction } from 'i18next';
import { intlLocale } from '../../shared/ui/labels';

/** A KPI value in its unit, in the reader's language: hours for durations, percent, plain counts. */
export function formatValue(value: number | null | undefined, unit: string, t: TFunction, lng: string): string {
  if (value === null || value === undefined) return '–';
  const nf = (max: number) => new Intl.NumberFormat(intlLocale(lng), { maximumFractionDigits: max });
  if (unit === 'ms') return t('reports.unit.hours', { value: nf(1).format(value / 3_600_000) });
  if (unit === 'percent') return t('reports.unit.percent', { value: nf(1).format(value) });
  return nf(0).format(value);
}

/** The change against the previous period, signed, in the metric's unit (points for percentages). */
export function formatChange(change: number | null, unit: string, t: TFunction, lng: string): string {
  if (change === null) return '';
  const sign = change > 0 ? '+' : change < 0 ? '−' : '±';
  const abs = Math.abs(change);
  const nf = new Intl.NumberFormat(intlLocale(lng), { maximumFractionDigits: 1 });
  if (unit === 'ms') return `${sign}${t('reports.unit.hours', { value: nf.format(abs / 3_600_000) })}`;
  if (unit === 'percent') return `${sign}${t('reports.unit.points', { value: nf.format(abs) })}`;
  return `${sign}${nf.format(abs)}`;
}

/** Whether a rise is good news: shorter times and fewer reopens are better. */
export const HIGHER_IS_BETTER: Record<string, boolean> = {
  first_response_time: false,
  resolution_time: false,
  sla_compliance: true,
  backlog: false,
  backlog_age: false,
  escalations: false,
  reopen_rate: false,
  first_contact_resolution: true,
  proactive_contacts: true,
};
