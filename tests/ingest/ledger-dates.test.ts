/**
 * Dates as ledgers hold them (src/lib/ingest/dates.ts): months and years kept as such, numbers
 * typed as 2021.05 read as year.month and never as an Excel serial.
 */
import { describe, expect, it } from 'vitest';
import { parseDate } from '../../src/lib/ingest';

describe.each([
  // text, to the month
  ['2021年5月', '2021-05-01', 'month'],
  ['2021年05月', '2021-05-01', 'month'],
  ['2021年5月份', '2021-05-01', 'month'],
  ['2021 年 5 月', '2021-05-01', 'month'],
  ['2021.5', '2021-05-01', 'month'],
  ['2021.05', '2021-05-01', 'month'],
  ['2021.10', '2021-10-01', 'month'], // text keeps the 0
  ['2021-05', '2021-05-01', 'month'],
  ['2021/5', '2021-05-01', 'month'],
  ['202105', '2021-05-01', 'month'],
  // text, to the year
  ['2021年', '2021-01-01', 'year'],
  ['2021年度', '2021-01-01', 'year'],
  ['2021', '2021-01-01', 'year'],
  // text, to the day
  ['2021年5月1号', '2021-05-01', 'day'],
  ['2021年5月1日', '2021-05-01', 'day'],
  // numbers in an Excel cell
  [2021.05, '2021-05-01', 'month'],
  [2021.5, '2021-05-01', 'month'],
  [2021.12, '2021-12-01', 'month'],
  [2021, '2021-01-01', 'year'],
  [1900, '1900-01-01', 'year'],
  [2100, '2100-01-01', 'year'],
  [202105, '2021-05-01', 'month'],
  [44317, '2021-05-01', 'day'], // a serial outside 1900–2100
  [1899, '1905-03-13', 'day'], // below 1900: a serial (Excel's own reading)
])('parseDate(%j)', (input, iso, precision) => {
  it(`is ${iso} (${precision})`, () => {
    const r = parseDate(input);
    expect(r).toMatchObject({ ok: true, iso, precision });
    expect(r && r.ok && r.note).toBeFalsy();
  });
});

describe('the number 2021.1', () => {
  it('is January, with a note that it may have been typed 2021.10', () => {
    const r = parseDate(2021.1);
    expect(r).toMatchObject({ ok: true, iso: '2021-01-01', precision: 'month' });
    expect(r && r.ok && r.note?.zh).toContain('2021.10');
  });
});

describe.each([
  [2021.13, '月份不存在'],
  [2021.0001, '既不是'],
  [2021.123, '既不是'],
  ['2021.13', '月份不存在'],
  ['2021年13月', '月份不存在'],
  ['2021/0', '月份不存在'],
  ['2101年', '无法识别的日期'], // beyond 2100 as a year: not read
  ['1899年', '无法识别的日期'],
])('parseDate(%j) is rejected', (input, reason) => {
  it(`mentions ${reason}`, () => {
    const r = parseDate(input);
    expect(r?.ok).toBe(false);
    if (r && !r.ok) expect(r.zh).toContain(reason);
  });
});
