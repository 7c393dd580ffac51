import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';

interface Named {
  nameEn: string;
  nameAr: string;
}

/** The Intl locale for a UI language. Latin digits in Arabic too, so ticket numbers, times and figures read the same everywhere. */
export function intlLocale(lng: string): string {
  return lng === 'ar' ? 'ar-u-nu-latn' : 'en-GB';
}
const locale = intlLocale;

export function formatDateTime(iso: string | null | undefined, lng: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(lng), { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

/** A calendar day ("2026-11-29") in the reader's language: "29 Nov 2026". */
export function formatDay(day: string, lng: string): string {
  const d = new Date(`${day.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return day;
  return new Intl.DateTimeFormat(locale(lng), { dateStyle: 'medium', timeZone: 'UTC' }).format(d);
}

/** "November 2026" for "2026-11": a bare "2026-11" reads backwards ("11-2026") inside Arabic text. */
export function formatMonth(month: string, lng: string): string {
  const d = new Date(`${month.slice(0, 7)}-01T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return month;
  return new Intl.DateTimeFormat(locale(lng), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(d);
}

export function formatSize(bytes: number, lng: string): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${new Intl.NumberFormat(locale(lng), { maximumFractionDigits: 1 }).format(v)} ${units[i]}`;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** "3 minutes ago", "in 2 hours", "now"; empty for no date. */
export function formatRelative(iso: string | null | undefined, lng: string, now = Date.now()): string {
  if (!iso) return '';
  const d = new Date(iso).getTime();
  if (Number.isNaN(d)) return iso;
  const secs = Math.round((d - now) / 1000);
  const rtf = new Intl.RelativeTimeFormat(locale(lng), { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(secs) >= size || unit === 'second') {
      if (unit === 'second' && Math.abs(secs) < 45) return rtf.format(0, 'second');
      return rtf.format(Math.round(secs / size), unit);
    }
  }
  return '';
}

/** A length of time in its largest sensible unit: "45 sec", "3 min", "2 hr", "4 days". */
export function formatDuration(seconds: number, lng: string): string {
  const s = Math.max(0, Math.round(seconds));
  const [unit, value]: [string, number] =
    s < 60 ? ['second', s] : s < 3600 ? ['minute', Math.floor(s / 60)] : s < 86400 ? ['hour', Math.floor(s / 3600)] : ['day', Math.floor(s / 86400)];
  return new Intl.NumberFormat(locale(lng), { style: 'unit', unit, unitDisplay: 'short' }).format(value);
}

/** Translators for the API's enumerations and bilingual names. */
export function makeLabels(t: TFunction, lng: string) {
  return {
    status: (s: string) => t(`status.${s}`, { defaultValue: s }),
    priority: (p: string) => t(`priority.${p}`, { defaultValue: p }),
    channel: (c: string) => t(`channel.${c}`, { defaultValue: c }),
    role: (r: string) => t(`role.${r}`, { defaultValue: r }),
    groupKind: (k: string) => t(`groupKind.${k}`, { defaultValue: k }),
    tier: (k: string) => t(`tier.${k}`, { defaultValue: k }),
    language: (l: string) => t(`language.${l}`, { defaultValue: l }),
    identityKind: (k: string) => t(`identityKind.${k}`, { defaultValue: k }),
    name: (n: Named | null | undefined) => (n ? (lng === 'ar' ? n.nameAr || n.nameEn : n.nameEn || n.nameAr) : ''),
    dateTime: (iso: string | null | undefined) => formatDateTime(iso, lng),
    size: (b: number) => formatSize(b, lng),
    relative: (iso: string | null | undefined) => formatRelative(iso, lng),
    duration: (seconds: number) => formatDuration(seconds, lng),
  };
}

export type Labels = ReturnType<typeof makeLabels>;

export function useLabels(): Labels {
  const { t, i18n } = useTranslation();
  return makeLabels(t, i18n.language);
}
