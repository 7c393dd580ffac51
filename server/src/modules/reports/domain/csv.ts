/**
 * CSV for spreadsheets. A text cell that starts with = + - @ (or a tab or carriage return) would
 * run as a formula in Excel or LibreOffice, so it gets a leading apostrophe (OWASP's advice);
 * numbers are written as numbers and cannot be formulas.
 */
const DANGEROUS = /^[=+\-@\t\r]/;

export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  let s = v instanceof Date ? v.toISOString() : String(v);
  if (DANGEROUS.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: string[], rows: unknown[][]): string {
  // A byte-order mark so Excel reads Arabic names as UTF-8.
  return '\uFEFF' + [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
