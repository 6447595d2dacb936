/**
 * Header reading a person would do (src/lib/ingest/headers.ts, table.ts): synonyms and the 所属…
 * family, two-row headers with merged parents, rows that are not organizations.
 */
import { describe, expect, it } from 'vitest';
import { ORG_HEADER_SYNONYMS } from '../../src/lib/ingest';
import { headerField, lookupKeys } from '../../src/lib/ingest/headers';
import { findHeader, tableBelow, type Cell, type RawRecord, type RawTable } from '../../src/lib/ingest/table';

describe.each([
  // the 所属… family and other placement words
  ['所属街道（乡镇）', 'township'],
  ['所属乡镇（街道）', 'township'],
  ['所在乡镇', 'township'],
  ['乡（镇、街道）', 'township'],
  ['镇街', 'township'],
  ['所属社区（村）', 'community'],
  ['所属村（社区）', 'community'],
  ['所在社区', 'community'],
  ['社区名称', 'community'],
  ['村（居）委会', 'community'],
  ['村', 'community'],
  ['所属区县', 'county'],
  ['区（市、县）', 'county'],
  ['县（市、区）', 'county'],
  ['所在地区（县）', 'county'], // 所在地 + 区（县）
  // the other fields
  ['社区社会组织名称', 'name'],
  ['组织全称', 'name'],
  ['统一社会\n信用代码', 'credit_code'], // wrapped text
  ['类别（功能服务型/兴趣爱好型/志愿服务型/公益慈善型/其他）', 'category'], // a hint in brackets
  ['组织类型', 'category'],
  ['服务领域', 'category'],
  ['备案情况', 'registration'],
  ['登记（备案）', 'registration'],
  ['是否备案', 'filed_flag'],
  ['是否登记', 'registered_flag'],
  ['成立时间', 'established_on'],
  ['成立年月', 'established_on'],
  ['备案时间', 'registered_on'],
  ['撤销日期', 'dissolved_on'],
  ['状态', 'status'],
  ['是否注销', 'status'],
  ['备注', 'remarks'],
  ['序号', 'serial'],
  ['负责人', undefined],
  ['联系电话', undefined],
  ['社区社会组织数', undefined], // a summary's count, not a name
])('headerField(%j)', (header, field) => {
  it(`is ${field ?? 'not read'}`, () => expect(headerField(header, ORG_HEADER_SYNONYMS)).toBe(field));
});

it('looks a header up as written, then without 所属, 名称 and a bracketed hint', () => {
  expect(lookupKeys('所属社区（村）名称')).toEqual(['所属社区(村)名称', '社区(村)名称', '社区(村)', '社区']);
});

const record = (line: number, cells: Cell[]): RawRecord => ({ line, endLine: line, cells });
const table = (rows: Cell[][]): RawTable => ({ file: 't.csv', encoding: 'utf-8', records: rows.map((r, i) => record(i + 1, r)), notes: [], date1904: false });
const accept = () => false; // take the best reading

describe('two-row headers', () => {
  it('reads a CSV export: the parent only over its first child, the child row below', () => {
    const t = table([
      ['序号', '组织名称', '所在地', '', '', '类别', '登记方式'],
      ['', '', '区（县）', '乡镇（街道）', '村（社区）', '', ''],
      ['1', '甲协会', '市中区', '大佛街道', '篦子街社区', '其他', '备案'],
    ]);
    const reading = findHeader(t, ORG_HEADER_SYNONYMS, accept)!;
    expect(reading.lines).toEqual([1, 2]);
    expect(reading.mapping.written).toEqual({
      serial: '序号',
      name: '组织名称',
      county: '所在地/区（县）',
      township: '所在地/乡镇（街道）',
      community: '所在地/村（社区）',
      category: '类别',
      registration: '登记方式',
    });
    expect(tableBelow(t, reading, ORG_HEADER_SYNONYMS).rows.map((r) => r.line)).toEqual([3]);
  });

  it('reads merged cells: 组织名称 merged down, 所在地 merged across', () => {
    const merged = (master: string, range: string, value: string): Cell => ({ kind: 'merged', master, range, value });
    const t = table([
      ['组织名称', '所在地', merged('B1', 'B1:C1', '所在地'), '类别', '登记方式'],
      [merged('A1', 'A1:A2', '组织名称'), '乡镇（街道）', '村（社区）', merged('D1', 'D1:D2', '类别'), merged('E1', 'E1:E2', '登记方式')],
    ]);
    const reading = findHeader(t, ORG_HEADER_SYNONYMS, accept)!;
    expect(reading.lines).toEqual([1, 2]);
    expect(reading.mapping.written).toEqual({ name: '组织名称', township: '所在地/乡镇（街道）', community: '所在地/村（社区）', category: '类别', registration: '登记方式' });
  });

  it('joins parent and child when that is the more specific field (社区 + 名称 is 社区名称, not 名称)', () => {
    const t = table([
      ['组织名称', '社区', '', '注销', '类别', '登记方式'],
      ['', '名称', '代码', '日期', '', ''],
    ]);
    const reading = findHeader(t, ORG_HEADER_SYNONYMS, accept)!;
    expect(reading.mapping.columns).toEqual({ name: 0, community: 1, community_code: 2, dissolved_on: 3, category: 4, registration: 5 });
  });

  it('does not read a title merged across the table as a parent row', () => {
    const t = table([['乐山市市中区社区社会组织名录'], ['组织名称', '区县', '类别', '登记方式'], ['甲协会', '市中区', '其他', '备案']]);
    expect(findHeader(t, ORG_HEADER_SYNONYMS, accept)!.lines).toEqual([2]);
  });

  it('does not read the first data row as a child header row', () => {
    const t = table([['组织名称', '区县', '类别', '登记方式'], ['社区', '市中区', '其他', '备案']]);
    expect(findHeader(t, ORG_HEADER_SYNONYMS, accept)!.lines).toEqual([1]);
  });
});

describe('rows below the header that are not organizations', () => {
  const t = table([
    ['序号', '组织名称', '区县', '类别', '登记方式'],
    ['1', '甲协会', '市中区', '其他', '备案'], // 2
    ['2', '', '', '', ''], // 3 numbered blank
    ['', '', '', '', ''], // 4 blank
    ['小 计', '1个', '', '', ''], // 5
    ['', '一、白马镇', '', '', ''], // 6 a group heading
    ['3', '乙协会', '市中区', '其他', '备案'], // 7
    ['序号', '组织名称', '区县', '类别', '登记方式'], // 8 repeated header
    ['总计', '', '', '', '2'], // 9
    ['填表人：', '张三', '', '审核人：', '李四'], // 10
    ['1. 类别按规划填写', '', '', '', ''], // 11 after the footer, no name
    ['（盖章）', '', '', '', ''], // 12
  ]);
  const located = tableBelow(t, findHeader(t, ORG_HEADER_SYNONYMS, () => true)!, ORG_HEADER_SYNONYMS);

  it('are skipped, each with its kind', () => {
    expect(located.rows.map((r) => r.line)).toEqual([2, 7]);
    expect(located.skipped.map((s) => [s.record.line, s.kind])).toEqual([
      [3, 'blank'],
      [4, 'blank'],
      [5, 'total'],
      [6, 'heading'],
      [8, 'header'],
      [9, 'total'],
      [10, 'footer'],
      [11, 'footer'],
      [12, 'footer'],
    ]);
    for (const s of located.skipped) expect(s.zh.length && s.en.length).toBeTruthy();
  });

  it('an organization whose name merely contains 合计 or 说明 is not skipped', () => {
    const u = table([
      ['组织名称', '区县', '类别', '登记方式'],
      ['合江社区合计协会', '市中区', '其他', '备案'],
      ['说明书编写志愿队', '市中区', '其他', '备案'],
    ]);
    const l = tableBelow(u, findHeader(u, ORG_HEADER_SYNONYMS, () => true)!, ORG_HEADER_SYNONYMS);
    expect(l.rows.map((r) => r.line)).toEqual([2, 3]);
  });
});
