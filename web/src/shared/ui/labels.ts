import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';

interface Named {
  nameEn: string;
  nameAr: string;
}

function locale(lng: string): string {
  // Latin digits in Arabic too, so ticket numbers and times read the same everywhere.
  return lng === 'ar' ? 'ar-u-nu-latn' : 'en-GB';
}

export function formatDateTime(iso: string | null | undefined, lng: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(lng), { dateStyle: 'medium', timeStyle: 'short' }).format(d);
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
  };
}

export type Labels = ReturnType<typeof makeLabels>;

export function useLabels(): Labels {
  const { t, i18n } = useTranslation();
  return makeLabels(t, i18n.language);
}
