import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { BOM, formatCsvCell, neutraliseFormula, toCsvBytes } from '../../src/lib/publish/csv';

const toCsv = (...args: Parameters<typeof toCsvBytes>) => toCsvBytes(...args).toString('utf8');

describe('formula neutralisation', () => {
  it.each([
    ['=HYPERLINK("http://x","y")', `'=HYPERLINK("http://x","y")`],
    ['+cmd|/c calc', `'+cmd|/c calc`],
    ['-1+2', `'-1+2`],
    ['@SUM(A1)', `'@SUM(A1)`],
    ['\tx', `'\tx`],
    ['\rx', `'\rx`],
    ['嘉州社区书画协会', '嘉州社区书画协会'],
  ])('%j → %j', (input, expected) => {
    expect(neutraliseFormula(input)).toBe(expected);
  });

  it('leaves numbers alone, blanks missing values', () => {
    expect([formatCsvCell(-3), formatCsvCell(2.5), formatCsvCell(null), formatCsvCell(undefined), formatCsvCell(Number.NaN)]).toEqual(['-3', '2.5', '', '', '']);
  });
});

describe('formatCsvCell: a text left as it is only when neither rule touches it', () => {
  // the two rules as the module states them: the formula guard first, then RFC 4180 quoting of what it gives
  const byRules = (text: string) => {
    const guarded = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
    return /[",\r\n]|^\s|\s$/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
  };
  const edges = ['', 'a', '社', '=', '+', '-', '@', '\t', '\r', '\n', ' ', '\u3000', '\u00a0', '"', ',', "'", '\ufeff'];
  const texts = edges.flatMap((first) => edges.flatMap((last) => ['', '社区', 'a,b', 'a"b', 'x\ny'].map((middle) => first + middle + last)));
  it.each([['every start, middle and end of a cell', texts]])('%s', (_what, cases) => {
    expect(cases.length).toBeGreaterThan(1000);
    for (const text of cases) expect(formatCsvCell(text), JSON.stringify(text)).toBe(byRules(text));
  });
});

describe('toCsvBytes', () => {
  const rows = [
    { code: '511102', name: '市中区', note: 'a "quoted", multi\nline', value: 1.25 },
    { code: '511111', name: '=1+1', note: null, value: null },
  ];
  const text = toCsv(rows, ['code', 'name', 'note', 'value']);

  it('has no BOM by default (files for programs) and uses CRLF', () => {
    expect(text.charCodeAt(0)).not.toBe(0xfeff);
    expect(text.split('\r\n')[0]).toBe('code,name,note,value');
  });

  it('starts with a BOM when asked (a CSV meant for Excel), otherwise byte-identical', () => {
    const excel = toCsv(rows, ['code', 'name', 'note', 'value'], { bom: true });
    expect(excel).toBe(BOM + text);
  });

  it.each([
    ['the stamp of every row', { as_of: '2025-06-30', sample: true }],
    ['a shared value that needs quotes or the formula guard', { as_of: '=today()', sample: 'a, b' }],
    ['a shared value over one the row carries', { name: '同名', sample: false }],
  ])('writes %s as if each row carried it', (_label, shared) => {
    const columns = ['code', 'name', 'note', 'value', 'as_of', 'sample'];
    const carried = rows.map((r) => ({ ...r, ...shared }));
    expect(toCsv(rows, columns, { shared })).toBe(toCsv(carried, columns));
  });

  it('round-trips through papaparse to the same values', () => {
    const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data).toEqual([
      { code: '511102', name: '市中区', note: 'a "quoted", multi\nline', value: '1.25' },
      { code: '511111', name: "'=1+1", note: '', value: '' },
    ]);
  });
});

describe('toCsvBytes across its chunks: the same text as one join of every line', () => {
  const columns = ['code', 'name', 'note', 'value'] as const;
  const row = (i: number) => ({ code: String(511102000000 + i), name: i % 7 ? `社区${i}` : '=危险', note: i % 5 ? null : 'a "q", b\nc', value: i / 4 });
  it.each([
    ['no rows', 0, {}],
    ['one row', 1, {}],
    ['one chunk less one line (the header is a line)', 2047, {}],
    ['exactly one chunk', 2048, {}],
    ['several chunks and a rest', 5000, {}],
    ['several chunks, with a BOM', 5000, { bom: true }],
  ])('%s', (_, n, options) => {
    const rows = Array.from({ length: n as number }, (_, i) => row(i));
    const lines = [columns.join(','), ...rows.map((r) => columns.map((c) => formatCsvCell(r[c])).join(','))];
    const whole = ((options as { bom?: boolean }).bom ? BOM : '') + lines.join('\r\n') + '\r\n';
    expect(toCsv(rows, columns, options)).toBe(whole);
  });
});
