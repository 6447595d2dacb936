import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { figureCsv, splitFigureCsv } from '../../src/lib/publish/figure-csv';

describe('figureCsv', () => {
  const csv = figureCsv(
    { fields: [['图表', '=cmd|"/c calc"!A1'], ['地区', '市中区（511102）'], ['页面', undefined], ['许可', 'CC0-1.0']] },
    [{ key: 'name', label: '名称' }, { key: 'n', label: '数量' }],
    [{ name: '+SUM(A1)', n: -3 }, { name: '@evil,"quoted"', n: 2.5 }, { name: '普通', n: null }],
  );

  it('writes BOM, the field rows, an empty row, the header and the rows with CRLF', () => {
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const { fields, table } = splitFigureCsv(csv);
    expect(fields).toEqual([`图表,"'=cmd|""/c calc""!A1"`, '地区,市中区（511102）', '许可,CC0-1.0']);
    expect(table).toBe(`名称,数量\r\n'+SUM(A1),-3\r\n"'@evil,""quoted""",2.5\r\n普通,\r\n`);
  });

  it('neutralises formulas in text cells, keeps negative numbers as numbers', () => {
    const rows = Papa.parse<string[]>(splitFigureCsv(csv).table.trim()).data;
    expect(rows.map((r) => r[0])).toEqual(['名称', "'+SUM(A1)", `'@evil,"quoted"`, '普通']);
    expect(rows[1][1]).toBe('-3');
  });

  it('refuses to split a file without the empty row', () => {
    expect(() => splitFigureCsv('a,b\r\n1,2\r\n')).toThrow(/empty row/);
  });
});
