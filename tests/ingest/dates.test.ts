import { describe, expect, it } from 'vitest';
import { excelSerialToIso, parseDate } from '../../src/lib/ingest';

describe.each([
  ['2023-05-01', '2023-05-01'],
  ['2023-5-1', '2023-05-01'],
  ['2023/5/1', '2023-05-01'],
  ['2023/05/01', '2023-05-01'],
  ['2023.5.1', '2023-05-01'],
  ['2023年5月1日', '2023-05-01'],
  ['２０２３年５月１日', '2023-05-01'], // full-width digits
  ['20230501', '2023-05-01'],
  ['2023-05-01 00:00:00', '2023-05-01'],
  ['2023/5/1 14:30', '2023-05-01'],
  ['  2024-02-29  ', '2024-02-29'], // leap year
  ['45047', '2023-05-01'], // Excel serial as text
  [45047, '2023-05-01'],
  [45047.75, '2023-05-01'], // time fraction dropped
  [1, '1900-01-01'],
  [59, '1900-02-28'],
  [61, '1900-03-01'], // the day after Excel's phantom 1900-02-29
  [2958465, '9999-12-31'],
  [new Date(Date.UTC(2022, 3, 1)), '2022-04-01'],
])('parseDate(%j)', (input, iso) => {
  it(`is ${iso}`, () => expect(parseDate(input)).toEqual({ ok: true, iso, precision: 'day' }));
});

describe.each([
  ['2023-02-30', '日期不存在'],
  ['2023-13-01', '月份不存在'],
  ['2023-00-10', '月份不存在'],
  ['2023-04-31', '日期不存在'],
  ['2023年2月29日', '日期不存在'], // 2023 is not a leap year
  ['20231301', '月份不存在'],
  ['1899-12-31', '年份早于 1900'],
  ['5/1/2023', '日期格式不明确'],
  ['01.05.2023', '日期格式不明确'],
  // '2023-05' is a month now (tests/ingest/ledger-dates.test.ts)
  ['明年', '无法识别的日期'],
  ['2023-5/1', '无法识别的日期'], // mixed separators
  [60, '1900-02-29'],
  [0, '超出范围'],
  [-5, '超出范围'],
  [2958466, '超出范围'],
  ['99999999', '月份不存在'], // eight digits are read as yyyymmdd, never as a serial
  [new Date(Number.NaN), '无效日期'],
])('parseDate(%j) is rejected', (input, reason) => {
  it(`mentions ${reason}`, () => {
    const result = parseDate(input);
    expect(result?.ok).toBe(false);
    if (result && !result.ok) {
      expect(result.zh).toContain(reason);
      expect(result.en.length).toBeGreaterThan(0);
    }
  });
});

describe('empty cells', () => {
  it.each([null, undefined, '', '   '])('%j is no date, not an error', (v) => expect(parseDate(v)).toBeNull());
});

describe('1904 date system', () => {
  it('counts serial 0 as 1904-01-01', () => {
    expect(excelSerialToIso(0, true)).toEqual({ ok: true, iso: '1904-01-01', precision: 'day' });
    expect(excelSerialToIso(45047 - 1462, true)).toEqual({ ok: true, iso: '2023-05-01', precision: 'day' });
  });
});
