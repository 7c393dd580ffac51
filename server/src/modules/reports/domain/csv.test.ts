import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from './csv.js';

describe('csv', () => {
  it('neutralises cells that a spreadsheet would run as formulas', () => {
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('Key Accounts SA')).toBe('Key Accounts SA');
    expect(csvCell('شحنة تالفة')).toBe('شحنة تالفة');
  });
  it('writes numbers as numbers, quotes separators and starts with a BOM', () => {
    expect(csvCell(-1.5)).toBe('-1.5');
    expect(csvCell(null)).toBe('');
    expect(toCsv(['a', 'b'], [['x,y', 2]])).toBe('\uFEFFa,b\r\n"x,y",2\r\n');
  });
});
