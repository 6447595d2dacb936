import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { sharedDivisions } from '../helpers/divisions';
import { loadDivisions, type Divisions } from '../../src/lib/ingest/divisions';
import { DatasetError, loadOrganizationTable, PlacementMatcher } from '../../src/lib/ingest';
import { validateOrgRow } from '../../src/lib/ingest/rows';
import { convertCellValue, readXlsxSheets } from '../../src/lib/ingest/xlsx';

const DIR = fileURLToPath(new URL('../fixtures/ingest/datasets/e2e/', import.meta.url));
const FILE = 'organizations/c-sheet.xlsx';

let divisions: Divisions;
beforeAll(async () => {
  divisions = await sharedDivisions(['5111']);
});

describe('c-sheet.xlsx (written by exceljs: title row, merged cells, formulas, rich text, two sheets)', () => {
  it('reads every sheet, in workbook order, with Excel row numbers', async () => {
    const sheets = await readXlsxSheets(readFileSync(path.join(DIR, FILE)), FILE);
    expect(sheets.map((s) => [s.sheet, s.hidden, s.records.length])).toEqual([
      ['名录', false, 7],
      ['说明', false, 1],
    ]);
    const table = sheets[0];
    expect(table.encoding).toBe('xlsx');
    expect(table.records.map((r) => r.line)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const row = (n: number) => table.records.find((r) => r.line === n)!.cells;
    // covered cells of a merged region carry the master's address and value
    expect(row(4)[1]).toEqual({ kind: 'merged', master: 'B3', range: 'B3:B6', value: '市中区' });
    expect(row(4)[4]).toEqual({ kind: 'merged', master: 'E3', range: 'E3:E4', value: '兴趣爱好型' });
    expect(row(4)[6]).toBe(44927); // number format "0": a bare serial
    expect(row(3)[6]).toEqual(new Date(Date.UTC(2022, 3, 1))); // date-formatted cell
    expect(row(5)[6]).toEqual(new Date(Date.UTC(2023, 2, 1))); // formula → cached result
    expect(row(6)[6]).toMatchObject({ kind: 'issue', raw: '=DATE(2023,4,1)' }); // formula without result
    expect(row(7)[0]).toBe('富文本协会'); // rich text runs joined
  });

  it('validates each row: placement and category merges propagate, uncached formulas reject the row', async () => {
    const { table } = await loadOrganizationTable(DIR, FILE);
    expect(table!.headerLine).toBe(2); // row 1 is a merged title
    const matcher = new PlacementMatcher(divisions, ['511100']);
    const results = table!.rows.map((record) => validateOrgRow({ file: FILE, table: table!, matcher, asOf: '2024-12-31', date1904: false }, record));
    const summary = results.map((r, i) =>
      r.ok
        ? [table!.rows[i].line, r.record.name, r.record.communityCode ?? r.record.townshipCode, r.record.establishedOn, r.record.category]
        : [table!.rows[i].line, r.name, r.problems.map((p) => p.column).join(','), r.problems[0].zh.slice(0, 10)],
    );
    expect(summary).toEqual([
      [3, '绿心书画社', '511102009002', '2022-04-01', '兴趣爱好型'], // 市中区 绿心街道 共和社区
      // category merged E3:E4 applies to both rows, as a person reads it; number format "0": serial 44927
      [4, '绿心舞蹈队', '511102009001', '2023-01-01', '兴趣爱好型'],
      [5, '绿心读书会', '511102009003', '2023-03-01', '兴趣爱好型'], // B and C merged → 市中区 绿心街道 大田社区
      [6, '公式无结果协会', '成立日期', '公式单元格无计算结果'],
      [7, '富文本协会', '511181001', null, '功能服务型'], // 峨眉山市 胜利街道, township-level
    ]);
  });
});

describe('convertCellValue', () => {
  it.each([
    [null, null],
    ['文本', '文本'],
    [12, 12],
    [true, 'TRUE'],
    [{ richText: [{ text: 'a' }, { text: 'b' }] }, 'ab'],
    [{ text: '链接文字', hyperlink: 'https://example.org' }, '链接文字'],
    [{ formula: 'A1&B1', result: '结果' }, '结果'],
    [{ sharedFormula: 'A2', result: 7 }, 7],
  ])('%j → %j', (value, expected) => expect(convertCellValue(value as never)).toEqual(expected));

  it.each([
    [{ error: '#N/A' }, '单元格为错误值 #N/A'],
    [{ formula: 'NOW()' }, '公式单元格无计算结果'],
    [914403001922038216, '超出 Excel 精度'],
  ])('%j is an issue', (value, zh) => {
    const r = convertCellValue(value as never);
    expect(r).toMatchObject({ kind: 'issue' });
    expect((r as { zh: string }).zh).toContain(zh);
  });
});

describe('not a workbook', () => {
  it('a CSV renamed to .xlsx is a DatasetError naming the file', async () => {
    const error = await readXlsxSheets(new TextEncoder().encode('name,county\n'), 'organizations/x.xlsx').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as DatasetError).message).toMatch(/^organizations\/x\.xlsx: 无法读取 xlsx 工作簿/);
  });
});
