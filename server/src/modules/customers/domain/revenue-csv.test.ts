import { describe, expect, it } from 'vitest';
import { CsvShapeError, parseMonth, parseRevenueCsv } from './revenue-csv.js';

describe('revenue CSV', () => {
  it('accepts the month as YYYY-MM, YYYY-MM-01 or MM/YYYY', () => {
    expect(parseMonth('2026-3')).toBe('2026-03-01');
    expect(parseMonth('2026-03-01')).toBe('2026-03-01');
    expect(parseMonth('03/2026')).toBe('2026-03-01');
    expect(parseMonth('2026-13')).toBeNull();
    expect(parseMonth('2026-03-15')).toBeNull();
  });

  it('numbers rejected rows as a spreadsheet does and says why', () => {
    const csv = 'external_id,name,month,revenue,currency\nA1,Alpha,2026-03,100.50,sar\n,,2026-03,1,SAR\nA3,,March,1,SAR\nA4,,2026-03,-5,SAR\nA5,,2026-03,5,riyal\n';
    const { rows, rejections } = parseRevenueCsv(csv);
    expect(rows).toEqual([{ row: 2, externalId: 'A1', name: 'Alpha', month: '2026-03-01', amount: '100.50', currency: 'SAR' }]);
    expect(rejections.map((r) => r.row)).toEqual([3, 4, 5, 6]);
    expect(rejections[1]!.reason).toMatch(/month/);
  });

  it('refuses a file without the needed columns, naming them', () => {
    expect(() => parseRevenueCsv('account,amount\nA,1\n')).toThrow(CsvShapeError);
    expect(() => parseRevenueCsv('account,amount\nA,1\n')).toThrow(/month.*currency/);
  });
});
