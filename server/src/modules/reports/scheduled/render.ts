/**
 * A scheduled report as one self-contained HTML page (inline CSS, charts as inline SVG drawn here),
 * in English or Arabic. Chromium prints it to PDF (pdf.ts), which shapes Arabic and orders mixed
 * right-to-left lines; the same page is the email body. Every text comes from data we escape.
 */
import { escapeHtml } from '../../../platform/html.js';
import type { Figure, MonthlyData, ReportData, WeeklyData } from './build.js';

export type Lang = 'en' | 'ar';

const STRINGS = {
  en: {
    weekly_care: 'Weekly Customer Care Report',
    monthly_key_accounts: 'Monthly Key Account Report',
    period: 'Period',
    previous: 'Previous period',
    generated: 'Generated',
    timeZone: 'Time zone',
    contacts: 'Contacts',
    issues: 'Issues (tickets)',
    complaints: 'Complaints',
    claims: 'Claims',
    escalations: 'Escalations',
    sla: 'SLA compliance',
    tickets: 'Tickets',
    resolution: 'Resolution time (business hours)',
    resolutionShort: 'Resolution (h)',
    proactive: 'Proactive contacts (done / planned)',
    proactiveShort: 'Proactive (done / planned)',
    rank: 'Revenue rank',
    rankChange: 'Rank change',
    account: 'Key account',
    officer: 'Officer',
    thisPeriod: 'This period',
    lastPeriod: 'Previous period',
    change: 'Change',
    trend: 'Trend',
    noClaims: 'No claims recorded',
    noClaimsModule: 'None recorded (claims are not tracked)',
    notesTitle: 'Problems and opportunities (sales meeting notes)',
    trends: 'Trends',
    problems: 'Problems',
    opportunities: 'Opportunities',
    noNotes: 'No sales meeting notes this week.',
    noAccounts: 'No key accounts in this period.',
    perAccount: 'Per key account',
    dailyChart: 'Key-account tickets per day',
    accountChart: 'Issues per key account: this week and last week',
    ticketsChart: 'Tickets per key account: this month and last month',
    slaChart: 'SLA compliance per key account (%)',
    byCategory: 'Tickets by category',
    categoryChart: 'Tickets by category, all key accounts',
    new: 'new',
    none: '—',
    summary: 'Summary',
  },
  ar: {
    weekly_care: 'تقرير خدمة العملاء الأسبوعي',
    monthly_key_accounts: 'تقرير كبار العملاء الشهري',
    period: 'الفترة',
    previous: 'الفترة السابقة',
    generated: 'تاريخ الإعداد',
    timeZone: 'المنطقة الزمنية',
    contacts: 'الاتصالات',
    issues: 'المشكلات (التذاكر)',
    complaints: 'الشكاوى',
    claims: 'المطالبات',
    escalations: 'التصعيدات',
    sla: 'الالتزام باتفاقية مستوى الخدمة',
    tickets: 'التذاكر',
    resolution: 'وقت الحل (ساعات العمل)',
    resolutionShort: 'الحل (ساعة)',
    proactive: 'الاتصالات الاستباقية (المنفذة / المخططة)',
    proactiveShort: 'الاستباقية (المنفذة / المخططة)',
    rank: 'الترتيب حسب الإيرادات',
    rankChange: 'تغير الترتيب',
    account: 'العميل الرئيسي',
    officer: 'المسؤول',
    thisPeriod: 'هذه الفترة',
    lastPeriod: 'الفترة السابقة',
    change: 'التغير',
    trend: 'الاتجاه',
    noClaims: 'لا توجد مطالبات مسجلة',
    noClaimsModule: 'لا شيء مسجل (المطالبات غير متتبعة)',
    notesTitle: 'المشكلات والفرص (ملاحظات اجتماع المبيعات)',
    trends: 'الاتجاهات',
    problems: 'المشكلات',
    opportunities: 'الفرص',
    noNotes: 'لا توجد ملاحظات من اجتماع المبيعات هذا الأسبوع.',
    noAccounts: 'لا يوجد عملاء رئيسيون في هذه الفترة.',
    perAccount: 'حسب العميل الرئيسي',
    dailyChart: 'تذاكر كبار العملاء يوميًا',
    accountChart: 'المشكلات لكل عميل رئيسي: هذا الأسبوع والأسبوع الماضي',
    ticketsChart: 'التذاكر لكل عميل رئيسي: هذا الشهر والشهر الماضي',
    slaChart: 'الالتزام باتفاقية مستوى الخدمة لكل عميل رئيسي (%)',
    byCategory: 'التذاكر حسب الفئة',
    categoryChart: 'التذاكر حسب الفئة لجميع كبار العملاء',
    new: 'جديد',
    none: '—',
    summary: 'الملخص',
  },
} as const;
export type ReportStrings = Record<keyof (typeof STRINGS)['en'], string>;
export const reportStrings = (lang: Lang): ReportStrings => STRINGS[lang];

export function reportTitle(kind: ReportData['kind'], lang: Lang) {
  return STRINGS[lang][kind];
}

const e = (s: unknown) => escapeHtml(String(s ?? ''));

function fmtNum(lang: Lang, v: number | null, digits = 0) {
  if (v === null || v === undefined) return STRINGS[lang].none;
  return new Intl.NumberFormat(lang === 'ar' ? 'ar-u-nu-latn' : 'en-US', { maximumFractionDigits: digits }).format(v);
}

function fmtDate(lang: Lang, iso: string, timeZone: string, opts: Intl.DateTimeFormatOptions = { dateStyle: 'medium' }) {
  return new Intl.DateTimeFormat(lang === 'ar' ? 'ar-u-ca-gregory-nu-latn' : 'en-GB', { timeZone, ...opts }).format(new Date(iso));
}

/** The period as a person writes it: "1 Nov 2026 – 7 Nov 2026" (the end is exclusive in the data). */
export function periodLabel(d: ReportData, lang: Lang, which: 'current' | 'previous' = 'current') {
  const from = which === 'current' ? d.from : d.previousFrom;
  const to = which === 'current' ? d.to : d.previousTo;
  if (d.kind === 'monthly_key_accounts') return fmtDate(lang, from, d.timeZone, { month: 'long', year: 'numeric' });
  const last = new Date(new Date(to).getTime() - 12 * 3_600_000).toISOString();
  return `${fmtDate(lang, from, d.timeZone)} – ${fmtDate(lang, last, d.timeZone)}`;
}

function delta(lang: Lang, f: Figure, digits = 0, unit = '') {
  if (f.value === null || f.previous === null) return `<span class="flat">${STRINGS[lang].none}</span>`;
  const d = Math.round((f.value - f.previous) * 10 ** digits) / 10 ** digits;
  const cls = d > 0 ? 'up' : d < 0 ? 'down' : 'flat';
  const arrow = d > 0 ? '▲' : d < 0 ? '▼' : '●';
  // The sign and number stay one left-to-right run inside an Arabic line.
  return `<span class="${cls}"><bdi>${arrow} ${d > 0 ? '+' : ''}${fmtNum(lang, d, digits)}${unit}</bdi></span>`;
}

const COLORS = ['#1c7ed6', '#adb5bd', '#f59f00', '#37b24d', '#ae3ec9', '#f03e3e', '#0ca678', '#7048e8', '#e8590c', '#495057'];

interface BarSeries {
  name: string;
  color: string;
  values: (number | null)[];
}

/** Grouped vertical bars with an axis, gridlines and a legend; right-to-left puts the first group on the right. */
export function barChart(opts: { labels: string[]; series: BarSeries[]; rtl: boolean; lang: Lang; max?: number; width?: number; height?: number }) {
  const W = opts.width ?? 680;
  const H = opts.height ?? 260;
  const pad = { top: 16, bottom: 64, side: 44 };
  const innerW = W - pad.side * 2;
  const innerH = H - pad.top - pad.bottom;
  const all = opts.series.flatMap((s) => s.values.map((v) => v ?? 0));
  const rawMax = opts.max ?? Math.max(1, ...all);
  const step = niceStep(rawMax / 4);
  const max = opts.max ?? Math.ceil(rawMax / step) * step;
  const n = Math.max(1, opts.labels.length);
  const groupW = innerW / n;
  const barW = Math.min(28, (groupW * 0.8) / Math.max(1, opts.series.length));
  const x0 = (i: number) => (opts.rtl ? pad.side + innerW - (i + 1) * groupW : pad.side + i * groupW);
  const y = (v: number) => pad.top + innerH - (v / max) * innerH;
  const parts: string[] = [];
  for (let t = 0; t <= max + 1e-9; t += step) {
    const yy = y(t).toFixed(1);
    parts.push(`<line x1="${pad.side}" x2="${W - pad.side}" y1="${yy}" y2="${yy}" stroke="#e9ecef"/>`);
    const axisX = opts.rtl ? W - pad.side + 6 : pad.side - 6;
    parts.push(`<text x="${axisX}" y="${yy}" dy="4" font-size="10" fill="#868e96" text-anchor="${opts.rtl ? 'start' : 'end'}">${e(fmtNum(opts.lang, t, 1))}</text>`);
  }
  opts.labels.forEach((label, i) => {
    const gx = x0(i);
    const used = barW * opts.series.length;
    opts.series.forEach((s, k) => {
      const v = s.values[i] ?? 0;
      const kk = opts.rtl ? opts.series.length - 1 - k : k;
      const bx = gx + (groupW - used) / 2 + kk * barW;
      const by = y(v);
      parts.push(`<rect x="${bx.toFixed(1)}" y="${by.toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${Math.max(0, pad.top + innerH - by).toFixed(1)}" fill="${s.color}" rx="2"/>`);
      if (s.values[i] !== null && s.values[i] !== undefined) {
        parts.push(`<text x="${(bx + barW / 2 - 1).toFixed(1)}" y="${(by - 3).toFixed(1)}" font-size="9" text-anchor="middle" fill="#495057">${e(fmtNum(opts.lang, v, 1))}</text>`);
      }
    });
    const room = Math.max(8, Math.floor(groupW / 6));
    const short = label.length > room ? `${label.slice(0, room - 1)}…` : label;
    parts.push(`<text x="${(gx + groupW / 2).toFixed(1)}" y="${pad.top + innerH + 16}" font-size="10" text-anchor="middle" fill="#343a40">${e(short)}</text>`);
  });
  parts.push(`<line x1="${pad.side}" x2="${W - pad.side}" y1="${pad.top + innerH}" y2="${pad.top + innerH}" stroke="#adb5bd"/>`);
  // Legend under the axis labels.
  let lx = opts.rtl ? W - pad.side : pad.side;
  for (const s of opts.series) {
    const w = 24 + s.name.length * 7;
    const rx = opts.rtl ? lx - 12 : lx;
    parts.push(`<rect x="${rx}" y="${H - 22}" width="12" height="12" fill="${s.color}" rx="2"/>`);
    parts.push(`<text x="${opts.rtl ? rx - 6 : rx + 18}" y="${H - 12}" font-size="11" text-anchor="${opts.rtl ? 'end' : 'start'}" fill="#343a40">${e(s.name)}</text>`);
    lx += opts.rtl ? -w : w;
  }
  // Positions and anchors above are explicit for both directions, so the SVG itself is laid out
  // left to right; an Arabic label is still shaped and read right to left inside its own run.
  return `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" direction="ltr" style="direction:ltr">${parts.join('')}</svg>`;
}

function niceStep(raw: number) {
  if (raw <= 0) return 1;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const n = raw / mag;
  const nice = n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10;
  return Math.max(1, nice * mag);
}

const CSS = `
  @page { size: A4; margin: 14mm 12mm; }
  * { box-sizing: border-box; }
  body { font-family: 'DejaVu Sans', 'Noto Sans Arabic', 'Noto Sans', Arial, sans-serif; color: #212529; font-size: 11px; margin: 0; }
  h1 { font-size: 20px; margin: 0 0 4px; color: #1864ab; }
  h2 { font-size: 14px; margin: 18px 0 8px; border-bottom: 1px solid #dee2e6; padding-bottom: 4px; }
  h3 { font-size: 12px; margin: 12px 0 6px; }
  .meta { color: #495057; margin-bottom: 8px; }
  .meta span { margin-inline-end: 16px; }
  .cards { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 8px; }
  .card { border: 1px solid #dee2e6; border-radius: 6px; padding: 8px 10px; min-width: 0; }
  .card .label { color: #495057; font-size: 10px; }
  .card .value { font-size: 18px; font-weight: bold; }
  .card .prev { color: #868e96; font-size: 10px; }
  table { width: 100%; border-collapse: collapse; margin-top: 4px; }
  th, td { border-bottom: 1px solid #e9ecef; padding: 4px 6px; text-align: start; vertical-align: top; }
  th { background: #f1f3f5; font-size: 9px; }
  table { table-layout: auto; font-size: 10px; }
  td.num, th.num { text-align: end; white-space: nowrap; }
  .up { color: #c92a2a; } .down { color: #2b8a3e; } .flat { color: #868e96; }
  .good.up { color: #2b8a3e; } .good.down { color: #c92a2a; }
  .chart { display: block; margin: 6px 0; max-width: 100%; height: auto; }
  .account { break-inside: avoid; border: 1px solid #e9ecef; border-radius: 6px; padding: 6px 10px; margin-bottom: 8px; }
  .note { margin: 2px 0; }
  .muted { color: #868e96; }
  section { break-inside: avoid; }
`;

function card(lang: Lang, label: string, f: Figure, digits = 0, unit = '') {
  const u = (v: number | null) => (v === null ? '' : unit);
  return `<div class="card"><div class="label">${e(label)}</div><div class="value"><bdi>${e(fmtNum(lang, f.value, digits))}${u(f.value)}</bdi></div>
    <div class="prev">${e(STRINGS[lang].lastPeriod)}: <bdi>${e(fmtNum(lang, f.previous, digits))}${u(f.previous)}</bdi> ${delta(lang, f, digits, unit)}</div></div>`;
}

function page(lang: Lang, d: ReportData, generatedAt: string, body: string) {
  const s = STRINGS[lang];
  const dir = lang === 'ar' ? 'rtl' : 'ltr';
  return `<!doctype html><html lang="${lang}" dir="${dir}"><head><meta charset="utf-8"><title>${e(s[d.kind])}</title><style>${CSS}</style></head><body>
  <h1>${e(s[d.kind])}</h1>
  <div class="meta"><span>${e(s.period)}: <bdi>${e(periodLabel(d, lang))}</bdi></span><span>${e(s.previous)}: <bdi>${e(periodLabel(d, lang, 'previous'))}</bdi></span>
  <span>${e(s.generated)}: <bdi>${e(fmtDate(lang, generatedAt, d.timeZone, { dateStyle: 'medium', timeStyle: 'short' }))}</bdi></span><span>${e(s.timeZone)}: <bdi>${e(d.timeZone)}</bdi></span></div>
  ${body}
  </body></html>`;
}

function weekly(lang: Lang, d: WeeklyData): string {
  const s = STRINGS[lang];
  const rtl = lang === 'ar';
  const t = d.totals;
  const claimsText = !d.claimsTracked ? s.noClaimsModule : null;
  const parts: string[] = [];
  parts.push(`<h2>${e(s.summary)}</h2><div class="cards">
    ${card(lang, s.contacts, t.contacts)}${card(lang, s.issues, t.issues)}${card(lang, s.complaints, t.complaints)}
    ${claimsText ? `<div class="card"><div class="label">${e(s.claims)}</div><div class="value muted" style="font-size:12px">${e(claimsText)}</div></div>` : card(lang, s.claims, t.claims)}
    ${card(lang, s.escalations, t.escalations)}${card(lang, s.sla, t.slaCompliance, 1, '%')}</div>`);
  if (t.claims.value === 0 && d.claimsTracked) parts.push(`<p class="muted">${e(s.claims)}: ${e(s.noClaims)}</p>`);
  parts.push(`<section><h3>${e(s.dailyChart)}</h3>${barChart({
    labels: d.daily.map((x) => fmtDate(lang, `${x.day}T12:00:00Z`, 'UTC', { weekday: 'short', day: 'numeric' })),
    series: [{ name: s.tickets, color: COLORS[0]!, values: d.daily.map((x) => x.value) }],
    rtl,
    lang,
    height: 200,
  })}</section>`);
  if (!d.accounts.length) {
    parts.push(`<p class="muted">${e(s.noAccounts)}</p>`);
    return parts.join('');
  }
  parts.push(`<section><h3>${e(s.accountChart)}</h3>${barChart({
    labels: d.accounts.map((a) => a.name),
    series: [
      { name: s.thisPeriod, color: COLORS[0]!, values: d.accounts.map((a) => a.issues.value) },
      { name: s.lastPeriod, color: COLORS[1]!, values: d.accounts.map((a) => a.issues.previous) },
    ],
    rtl,
    lang,
  })}</section>`);
  parts.push(`<h2>${e(s.perAccount)}</h2><table><thead><tr><th>${e(s.rank)}</th><th>${e(s.account)}</th><th class="num">${e(s.contacts)}</th><th class="num">${e(s.issues)}</th>
    <th class="num">${e(s.complaints)}</th><th class="num">${e(s.claims)}</th><th class="num">${e(s.escalations)}</th><th class="num">${e(s.sla)}</th></tr></thead><tbody>
    ${d.accounts
      .map(
        (a) => `<tr><td><bdi>${e(fmtNum(lang, a.rank))}</bdi></td><td><bdi>${e(a.name)}</bdi></td>
        <td class="num">${e(fmtNum(lang, a.contacts.value))} ${delta(lang, a.contacts)}</td>
        <td class="num">${e(fmtNum(lang, a.issues.value))} ${delta(lang, a.issues)}</td>
        <td class="num">${e(fmtNum(lang, a.complaints.value))} ${delta(lang, a.complaints)}</td>
        <td class="num">${d.claimsTracked ? `${e(fmtNum(lang, a.claims.value))} ${delta(lang, a.claims)}` : e(s.none)}</td>
        <td class="num">${e(fmtNum(lang, a.escalations.value))} ${delta(lang, a.escalations)}</td>
        <td class="num"><bdi>${e(fmtNum(lang, a.slaCompliance.value, 1))}${a.slaCompliance.value === null ? '' : '%'}</bdi></td></tr>`,
      )
      .join('')}</tbody></table>`);
  parts.push(`<h2>${e(s.notesTitle)}</h2>`);
  const withNotes = d.accounts.filter((a) => a.notes.length);
  if (!withNotes.length) parts.push(`<p class="muted">${e(s.noNotes)}</p>`);
  for (const a of withNotes) {
    parts.push(`<div class="account"><h3><bdi>${e(a.name)}</bdi></h3>${a.notes
      .map(
        (n) => `${n.trends ? `<p class="note"><b>${e(s.trends)}:</b> <bdi>${e(n.trends)}</bdi></p>` : ''}${n.problems ? `<p class="note"><b>${e(s.problems)}:</b> <bdi>${e(n.problems)}</bdi></p>` : ''}${
          n.opportunities ? `<p class="note"><b>${e(s.opportunities)}:</b> <bdi>${e(n.opportunities)}</bdi></p>` : ''
        }`,
      )
      .join('')}</div>`);
  }
  return parts.join('');
}

function rankChange(lang: Lang, rank: number | null, previous: number | null) {
  if (rank === null) return STRINGS[lang].none;
  if (previous === null) return `<span class="flat">${e(STRINGS[lang].new)}</span>`;
  const d = previous - rank; // up the list is a smaller number
  const cls = d > 0 ? 'down' : d < 0 ? 'up' : 'flat';
  return `<span class="${cls}"><bdi>${d > 0 ? '▲ +' : d < 0 ? '▼ ' : '● '}${e(fmtNum(lang, d))}</bdi></span>`;
}

function monthly(lang: Lang, d: MonthlyData): string {
  const s = STRINGS[lang];
  const rtl = lang === 'ar';
  const t = d.totals;
  const name = (c: { en: string; ar: string }) => (lang === 'ar' ? c.ar : c.en);
  const parts: string[] = [];
  parts.push(`<h2>${e(s.summary)}</h2><div class="cards">
    ${card(lang, s.tickets, t.tickets)}${card(lang, s.sla, t.slaCompliance, 1, '%')}${card(lang, s.escalations, t.escalations)}
    ${card(lang, s.resolution, t.resolutionHours, 1)}
    <div class="card"><div class="label">${e(s.proactive)}</div><div class="value"><bdi>${e(fmtNum(lang, t.proactiveDone.value))} / ${e(fmtNum(lang, t.proactivePlanned.value))}</bdi></div>
    <div class="prev">${e(s.lastPeriod)}: <bdi>${e(fmtNum(lang, t.proactiveDone.previous))} / ${e(fmtNum(lang, t.proactivePlanned.previous))}</bdi></div></div></div>`);
  if (!d.accounts.length) {
    parts.push(`<p class="muted">${e(s.noAccounts)}</p>`);
    return parts.join('');
  }
  parts.push(`<section><h3>${e(s.ticketsChart)}</h3>${barChart({
    labels: d.accounts.map((a) => a.name),
    series: [
      { name: s.thisPeriod, color: COLORS[0]!, values: d.accounts.map((a) => a.tickets.value) },
      { name: s.lastPeriod, color: COLORS[1]!, values: d.accounts.map((a) => a.tickets.previous) },
    ],
    rtl,
    lang,
  })}</section>`);
  parts.push(`<section><h3>${e(s.slaChart)}</h3>${barChart({
    labels: d.accounts.map((a) => a.name),
    series: [
      { name: s.thisPeriod, color: COLORS[3]!, values: d.accounts.map((a) => a.slaCompliance.value) },
      { name: s.lastPeriod, color: COLORS[1]!, values: d.accounts.map((a) => a.slaCompliance.previous) },
    ],
    rtl,
    lang,
    max: 100,
  })}</section>`);
  const catTotals = d.categories.map((c) => ({ c, v: d.accounts.reduce((sum, a) => sum + (a.byCategory.find((x) => x.id === c.id)?.value ?? 0), 0) })).sort((a, b) => b.v - a.v);
  if (catTotals.length)
    parts.push(`<section><h3>${e(s.categoryChart)}</h3>${barChart({
      labels: catTotals.map((x) => name(x.c)),
      series: [{ name: s.tickets, color: COLORS[2]!, values: catTotals.map((x) => x.v) }],
      rtl,
      lang,
      height: 220,
    })}</section>`);
  parts.push(`<h2>${e(s.perAccount)}</h2><table><thead><tr><th>${e(s.rank)}</th><th>${e(s.rankChange)}</th><th>${e(s.account)}</th><th>${e(s.officer)}</th>
    <th class="num">${e(s.tickets)}</th><th class="num">${e(s.sla)}</th><th class="num">${e(s.escalations)}</th><th class="num">${e(s.resolutionShort)}</th><th class="num">${e(s.proactiveShort)}</th></tr></thead><tbody>
    ${d.accounts
      .map(
        (a) => `<tr><td><bdi>${e(fmtNum(lang, a.rank))}</bdi></td><td>${rankChange(lang, a.rank, a.previousRank)}</td><td><bdi>${e(a.name)}</bdi></td><td><bdi>${e(a.officer ?? s.none)}</bdi></td>
        <td class="num">${e(fmtNum(lang, a.tickets.value))} ${delta(lang, a.tickets)}</td>
        <td class="num"><bdi>${e(fmtNum(lang, a.slaCompliance.value, 1))}${a.slaCompliance.value === null ? '' : '%'}</bdi> ${delta(lang, a.slaCompliance, 1)}</td>
        <td class="num">${e(fmtNum(lang, a.escalations.value))} ${delta(lang, a.escalations)}</td>
        <td class="num">${e(fmtNum(lang, a.resolutionHours.value, 1))} ${delta(lang, a.resolutionHours, 1)}</td>
        <td class="num"><bdi>${e(fmtNum(lang, a.proactive.done))} / ${e(fmtNum(lang, a.proactive.planned))}</bdi></td></tr>`,
      )
      .join('')}</tbody></table>`);
  parts.push(`<h2>${e(s.byCategory)}</h2>`);
  for (const a of d.accounts) {
    parts.push(`<div class="account"><h3><bdi>${e(a.name)}</bdi></h3>${
      a.byCategory.length
        ? `<table><tbody>${a.byCategory.map((c) => `<tr><td>${e(name(c))}</td><td class="num">${e(fmtNum(lang, c.value))}</td></tr>`).join('')}</tbody></table>`
        : `<p class="muted">${e(s.none)}</p>`
    }</div>`);
  }
  return parts.join('');
}

export function renderReportHtml(d: ReportData, lang: Lang, generatedAt: string): string {
  return page(lang, d, generatedAt, d.kind === 'weekly_care' ? weekly(lang, d) : monthly(lang, d));
}
