import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { loadOrganizationTable } from '../../src/lib/ingest';
import { detectDelimiter, parseCsvRecords } from '../../src/lib/ingest/csv';
import { ORG_HEADER_SYNONYMS } from '../../src/lib/ingest/headers';
import { cellText } from '../../src/lib/ingest/table';

const DIR = fileURLToPath(new URL('../fixtures/ingest/csv/', import.meta.url));

/** [line, endLine, first cell, problem text or ''] per data row */
async function rowsOf(file: string) {
  const { table } = await loadOrganizationTable(DIR, file);
  return table!.rows.map((r) => [r.line, r.endLine, cellText(r.cells[0]), r.problem?.zh ?? '']);
}

describe('physical line numbers', () => {
  it('count the lines a quoted field spans (LF inside CRLF rows, CRLF inside a field, a blank line)', async () => {
    expect(await rowsOf('multiline.csv')).toEqual([
      [2, 2, 'a', ''],
      [3, 4, 'b line1\nb line2', ''],
      [5, 5, 'c', ''],
      // line 6 is blank
      [7, 9, 'd1\r\nd2\r\nd3', ''],
      [10, 10, 'e', ''],
    ]);
  });

  it('count lone CR line endings (old Mac exports)', async () => {
    expect(await rowsOf('cr-only.csv')).toEqual([
      [2, 2, 'a', ''],
      [3, 4, 'b\rb', ''],
      [5, 5, 'c', ''],
    ]);
  });
});

/** What papaparse alone makes of a text: its records' cells (the empty record after a final newline dropped). */
function papaparseCells(text: string, delimiter: string): string[][] {
  const newline = text.includes('\r\n') ? '\r\n' : text.includes('\n') ? '\n' : '\r';
  const rows = Papa.parse<string[]>(text, { delimiter, newline }).data;
  return text.endsWith(newline) ? rows.slice(0, -1) : rows;
}

// The lines before a file's first quote are split without papaparse (splitQuoteFree in csv.ts): the same records.
describe.each([
  ['LF', 'h1,h2\na,b\nc,d\n', [[1, 1], [2, 2], [3, 3]]],
  ['CRLF without a final newline', 'h1,h2\r\na,b\r\nc,d', [[1, 1], [2, 2], [3, 3]]],
  ['lone CR', 'h1,h2\ra,b\rc,d\r', [[1, 1], [2, 2], [3, 3]]],
  ['a lone CR inside a CRLF line', 'h1,h2\r\nx\ry,z\r\nc,d\r\n', [[1, 1], [2, 3], [4, 4]]],
  ['a blank line and a trailing delimiter', 'h1,h2\n\na,b,\n', [[1, 1], [2, 2], [3, 3]]],
  ['a quote further down', 'h1,h2\na,b\nq,"x,\ny"\nr,s\n', [[1, 1], [2, 2], [3, 4], [5, 5]]],
  ['a quote on the first line', '"h1",h2\na,b\n', [[1, 1], [2, 2]]],
  ['tab-separated', 'h1\th2\na\tb,c\n', [[1, 1], [2, 2]]],
])('quote-free lines: %s', (_, text, lines) => {
  const delimiter = text.includes('\t') ? '\t' : ',';
  it('gives papaparse\'s cells and the physical lines', () => {
    const records = parseCsvRecords(text, delimiter);
    expect(records.map((r) => r.cells)).toEqual(papaparseCells(text, delimiter));
    expect(records.map((r) => [r.line, r.endLine])).toEqual(lines);
    expect(records.every((r) => r.problem === undefined)).toBe(true);
  });
});

describe('ragged rows', () => {
  it('reject too few and too many fields, accept trailing empty fields', async () => {
    const rows = await rowsOf('ragged.csv');
    expect(rows.map((r) => r[0])).toEqual([2, 3, 4, 5, 6]);
    expect(rows[1][3]).toBe('字段数为 3，表头为 4；可能缺少字段');
    expect(rows[2][3]).toBe('字段数为 5，表头为 4；可能有未加引号的逗号');
    expect(rows[3][3]).toBe(''); // "d,市中区,其他,登记,," — nothing lost
    expect(rows[4][3]).toBe('');
  });
});

describe.each([
  {
    file: 'unclosed-quote.csv',
    expected: [
      [2, 2, 'a', ''],
      [3, 3, '"b,市中区,其他,登记', '引号未闭合：本行的引号一直到文件末尾都没有配对；只拒绝本行，下一行起继续读取'],
      [4, 4, 'c', ''],
      [5, 5, 'd', ''],
    ],
  },
  {
    file: 'unclosed-quote-last.csv',
    expected: [
      [2, 2, 'a', ''],
      [3, 3, 'b,"市中区,其他,登记', '引号未闭合：本行的引号一直到文件末尾都没有配对；只拒绝本行，下一行起继续读取'],
    ],
  },
  {
    file: 'stray-quote.csv',
    expected: [
      [2, 2, 'a', ''],
      [3, 3, '"b,市中区,其他,登记', '引号格式错误：本行的引号与第 4 行的引号配成了一对，吞并了其间的换行；只拒绝本行，下一行起继续读取'],
      [4, 4, 'c', ''],
      [5, 5, 'd', ''],
    ],
  },
])('$file', ({ file, expected }) => {
  it('rejects only the line with the bad quote and reads every later row', async () => {
    expect(await rowsOf(file)).toEqual(expected);
  });
});

describe('delimiters', () => {
  it('detects semicolons from the header and keeps a quoted "; " inside a field', async () => {
    const { raw, table } = await loadOrganizationTable(DIR, 'semicolon.csv');
    expect(table!.rows.map((r) => r.cells.map(cellText))).toEqual([
      ['a', '市中区', '其他', '登记'],
      ['b; c', '市中区', '其他', '登记'],
    ]);
    expect(raw.notes[0]).toContain('分隔符为 ;');
  });

  it.each([
    ['name,county,category,registration\n', ','],
    ['name\tcounty\tcategory\tregistration\n', '\t'],
    ['组织名称;区县;类别;登记方式\n', ';'],
    ['组织名称,区县;x,类别,登记方式\n', ','],
  ])('%j → %j', (text, delimiter) => expect(detectDelimiter(text, ORG_HEADER_SYNONYMS)).toBe(delimiter));

  // The delimiter is chosen from the first 10 records, parsed from a prefix of the text that grows until it holds
  // them whole (csv.ts firstRecords): the same records as parsing the whole file, however long they are.
  const title = (chars: number) => `"${'标题'.repeat(chars / 2)}"\n`;
  const rows = (d: string, n: number) => Array.from({ length: n }, (_, i) => ['协会' + i, '市中区', '其他', '登记'].join(d) + '\n').join('');
  it.each([
    ['a semicolon header after 30,000 characters of title', title(30_000) + '组织名称;区县;类别;登记方式\n' + rows(';', 5_000), ';'],
    ['a tab header after a title that runs past the first 16,384 characters over lines', `"${'标题\n'.repeat(6_000)}"\n` + '组织名称\t区县\t类别\t登记方式\n' + rows('\t', 5_000), '\t'],
    ['a semicolon header on the 10th record, 9 long titles before it', title(9_000).repeat(9) + '组织名称;区县;类别;登记方式\n' + rows(';', 100), ';'],
    ['the semicolon header as the 11th record: past the 10 looked at', title(100).repeat(10) + '组织名称;区县;类别;登记方式\n' + rows(';', 100), ','],
  ])('%s', (_, text, delimiter) => expect(detectDelimiter(text, ORG_HEADER_SYNONYMS)).toBe(delimiter));
});

describe('hostile input', () => {
  it('parses a 20,000-character field, formulas and emoji as plain text', () => {
    const long = '长'.repeat(20_000);
    const text = `name,county\n"${long}",市中区\n=HYPERLINK("x"),市中区\n+cmd|' /C calc'!A0,市中区\n👩‍👩‍👧 家庭互助会,市中区\n`;
    const records = parseCsvRecords(text, ',');
    expect(records.map((r) => [r.line, r.cells[0]])).toEqual([
      [1, 'name'],
      [2, long],
      [3, '=HYPERLINK("x")'],
      [4, "+cmd|' /C calc'!A0"],
      [5, '👩‍👩‍👧 家庭互助会'],
    ]);
  });
});
