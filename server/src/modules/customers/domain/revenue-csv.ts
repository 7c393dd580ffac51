import { parse } from 'csv-parse/sync';
import { reason, type Reason } from '../../../platform/i18n.js';

/** A data row of Finance's CSV that passed the checks that need no database. */
export interface RevenueRow {
  row: number;
  externalId: string | null;
  name: string | null;
  /** First day of the month, YYYY-MM-01. */
  month: string;
  amount: string;
  currency: string;
}

/** Why a row was refused: `code` and `params` for the interface to word in its language, `reason` in English. */
export type RejectionCode = 'no_account' | 'bad_month' | 'bad_amount' | 'bad_currency' | 'duplicate_month' | 'ambiguous_name' | 'unknown_account';

export interface Rejection {
  row: number;
  code: RejectionCode;
  params: Record<string, string | number>;
  reason: string;
}

const HEADERS: Record<string, 'externalId' | 'name' | 'month' | 'amount' | 'currency'> = {
  external_id: 'externalId',
  externalid: 'externalId',
  account_external_id: 'externalId',
  account_id: 'externalId',
  id: 'externalId',
  name: 'name',
  account: 'name',
  account_name: 'name',
  month: 'month',
  period: 'month',
  revenue: 'amount',
  amount: 'amount',
  currency: 'currency',
};

/** The file as a whole cannot be read; its reason is worded in the requester's language. */
export class CsvShapeError extends Error {
  constructor(readonly reason: Reason) {
    super(String(reason));
  }
}

/** csv-parse's own errors, which say where but only in English. */
function notCsv(err: unknown): Reason {
  const e = err as { code?: string; lines?: number };
  const line = e.lines ?? '?';
  return e.code && /QUOTE/.test(e.code)
    ? reason('the file is not CSV: a quote is not closed, or is in the middle of a value, near line {{line}}', { line })
    : reason('the file is not CSV: it cannot be read near line {{line}}', { line });
}

/** `2026-03`, `2026-03-01`, `03/2026` → `2026-03-01`; anything else is null. */
export function parseMonth(raw: string): string | null {
  let m = /^(\d{4})-(\d{1,2})(?:-01)?$/.exec(raw);
  let year: number, month: number;
  if (m) {
    year = Number(m[1]);
    month = Number(m[2]);
  } else if ((m = /^(\d{1,2})\/(\d{4})$/.exec(raw))) {
    year = Number(m[2]);
    month = Number(m[1]);
  } else return null;
  if (month < 1 || month > 12 || year < 2000 || year > 2100) return null;
  return `${year}-${String(month).padStart(2, '0')}-01`;
}

/**
 * Reads the file and checks each row on its own. Rows are numbered as a spreadsheet shows them
 * (the header is row 1), so Finance can find a rejected row.
 */
export function parseRevenueCsv(data: Buffer | string): { rows: RevenueRow[]; rejections: Rejection[] } {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(data, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: true, info: true, delimiter: [',', ';'] }) as never;
  } catch (err) {
    throw new CsvShapeError(notCsv(err));
  }
  const header = records.shift();
  if (!header) throw new CsvShapeError(reason('the file is empty'));
  const columns = header.record.map((h) => HEADERS[h.toLowerCase().replace(/[\s-]+/g, '_')] ?? null);
  const missing = [
    ...(columns.includes('externalId') || columns.includes('name') ? [] : ['external_id or name']),
    ...(['month', 'amount', 'currency'] as const).filter((c) => !columns.includes(c)).map((c) => (c === 'amount' ? 'revenue' : c)),
  ];
  if (missing.length) throw new CsvShapeError(reason('missing column {{columns}}', { columns: missing.join(', ') }));

  const rows: RevenueRow[] = [];
  const rejections: Rejection[] = [];
  for (const { record, info } of records) {
    const row = info.lines;
    const v: Record<string, string> = {};
    columns.forEach((c, i) => {
      if (c && record[i] !== undefined && v[c] === undefined) v[c] = record[i]!;
    });
    const reject = (code: RejectionCode, params: Record<string, string>, english: string) => rejections.push({ row, code, params, reason: english });
    const externalId = v.externalId || null;
    const name = v.name || null;
    if (!externalId && !name) {
      reject('no_account', {}, 'no account external id or name');
      continue;
    }
    const month = parseMonth(v.month ?? '');
    if (!month) {
      reject('bad_month', { value: v.month ?? '' }, `month "${v.month ?? ''}" is not a month (use YYYY-MM)`);
      continue;
    }
    const amountRaw = (v.amount ?? '').replace(/[\s_]/g, '');
    if (!/^\d{1,16}(\.\d{1,2})?$/.test(amountRaw)) {
      reject('bad_amount', { value: v.amount ?? '' }, `revenue "${v.amount ?? ''}" is not a non-negative amount with at most 2 decimals`);
      continue;
    }
    const currency = (v.currency ?? '').toUpperCase();
    if (!/^[A-Z]{3}$/.test(currency)) {
      reject('bad_currency', { value: v.currency ?? '' }, `currency "${v.currency ?? ''}" is not a three-letter code`);
      continue;
    }
    rows.push({ row, externalId, name, month, amount: amountRaw, currency });
  }
  return { rows, rejections };
}
