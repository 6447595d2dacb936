import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DatasetError, loadOrganizationTable, mapHeaders, normaliseHeader, ORG_HEADER_SYNONYMS } from '../../src/lib/ingest';

const DIR = fileURLToPath(new URL('../fixtures/ingest/headers/', import.meta.url));

describe.each([
  ['组织名称', '组织名称'],
  ['\u3000组织名称＊', '组织名称'],
  [' 成立 日期 ', '成立日期'],
  ['类别（必填）', '类别'],
  ['登记方式*', '登记方式'],
  ['ｃｒｅｄｉｔ＿ｃｏｄｅ', 'creditcode'],
  ['Community Code', 'communitycode'],
  ['乡镇（街道）', '乡镇(街道)'],
])('normaliseHeader(%j)', (raw, expected) => {
  it(`is ${expected}`, () => expect(normaliseHeader(raw)).toBe(expected));
});

describe.each([
  {
    file: 'english.csv',
    fields: { name: 'Name', community_code: 'Community_Code', category: 'category', registration: 'REGISTRATION', credit_code: 'credit_code', established_on: 'established_on', dissolved_on: 'dissolved_on' },
    ignored: [],
  },
  {
    file: 'chinese.csv',
    fields: {
      name: '组织名称',
      community_code: '社区代码',
      county: '区县',
      township: '乡镇街道',
      community: '社区',
      category: '类别',
      registration: '登记方式',
      credit_code: '统一社会信用代码',
      established_on: '成立日期',
      dissolved_on: '注销日期',
    },
    ignored: [],
  },
  {
    file: 'fullwidth.csv',
    fields: {
      name: '\u3000组织名称＊'.trim(),
      county: '区 县',
      township: '乡镇（街道）',
      community: '社区（村）',
      category: '类别（必填）',
      registration: '登记方式*',
      credit_code: 'ｃｒｅｄｉｔ＿ｃｏｄｅ',
      established_on: '成立 日期',
    },
    ignored: [],
  },
  {
    file: 'synonyms.csv',
    fields: {
      name: '社会组织名称',
      township: '街道乡镇',
      community: '村（社区）',
      county: '区县',
      category: '组织类别',
      registration: '登记/备案',
      credit_code: '统一代码',
      established_on: '成立时间',
      dissolved_on: '注销时间',
    },
    ignored: ['负责人', '联系电话'],
  },
  { file: 'title-row.csv', fields: { name: '名称', county: '区县', category: '类型', registration: '登记/备案' }, ignored: [] },
])('$file', ({ file, fields, ignored }) => {
  it('maps every column to its field, as written', async () => {
    const { table } = await loadOrganizationTable(DIR, file);
    expect(table!.mapping.written).toEqual(fields);
    expect(table!.mapping.ignored).toEqual(ignored);
    expect(table!.rows).toEqual([]); // header only
  });
});

describe('header row search', () => {
  it('skips a title row and a blank row before the header, and says so', async () => {
    const { table } = await loadOrganizationTable(DIR, 'title-row.csv');
    expect(table!.headerLine).toBe(3);
    expect(table!.notes.map((n) => n.zh).join('\n')).toContain('跳过表头之前的第 1 行');
  });
});

describe.each([
  { file: 'missing-category.csv', column: 'category', text: '缺少必需列 category（类别）' },
  { file: 'missing-place.csv', column: 'community_code', text: 'community_code（社区代码）或 county（区县）' },
  { file: 'duplicate-column.csv', column: '名称', text: '都表示 name' },
])('$file', ({ file, column, text }) => {
  it('throws a DatasetError naming the file, the header line and the column', async () => {
    const error = await loadOrganizationTable(DIR, file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetError);
    const e = error as DatasetError;
    expect(e.file).toBe(file);
    expect(e.line).toBe(1);
    expect(e.column).toBe(column);
    expect(e.message.startsWith(`${file}:1:${column}: `)).toBe(true);
    expect(e.message).toContain(text);
  });
});

describe('mapHeaders', () => {
  it('lists unknown columns and skips empty headers', () => {
    // 备注 is read now (dissolutions written in remarks, src/lib/ingest/vocabulary.ts); 负责人 is not
    const m = mapHeaders(['名称', '', '负责人', '类别', '登记方式', '区县', '备注'], ORG_HEADER_SYNONYMS);
    expect(m.columns).toEqual({ name: 0, category: 3, registration: 4, county: 5, remarks: 6 });
    expect(m.ignored).toEqual(['负责人']);
  });
});
