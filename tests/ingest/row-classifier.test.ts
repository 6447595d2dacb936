import { describe, expect, it } from 'vitest';
import { ORG_HEADER_SYNONYMS, headerField, headerFirstChars, normaliseHeader } from '../../src/lib/ingest/headers';
import { ROW_WORD_PATTERNS, ownText, quietStart } from '../../src/lib/ingest/table';

/**
 * The row classifier's fast path (src/lib/ingest/table.ts rowClassifier) decides most cells by their first character.
 * These tests hold it to the patterns it stands in for, over every first character it accepts: printable ASCII and
 * all 20,992 CJK Unified Ideographs, each followed by continuations that make totals, footers, headers or ordinary text.
 */
const CONTINUATIONS = ['', '计', '计：12个', '：张三', '（盖章）', '章', '人', '人：', '位', '位（盖章）：', '属社区', '织名称', ' 社区 ', '\u3000村', '\u200b队', 'e\u0301', '*', '（必填）', '名称', '1号'];
const FIRST_CHARS = [
  ...Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => 0x21 + i),
  ...Array.from({ length: 0x9fff - 0x4e00 + 1 }, (_, i) => 0x4e00 + i),
];

describe('quietStart: a cell it accepts is filled and no totals or footer word', () => {
  it.each(CONTINUATIONS.map((k) => [k]))('for every accepted first character followed by %j', (continuation) => {
    let accepted = 0;
    for (const c of FIRST_CHARS) {
      const cell = String.fromCharCode(c) + continuation;
      if (quietStart(cell) < 0) continue;
      accepted++;
      const text = ownText(cell);
      if (text === '' || ROW_WORD_PATTERNS.TOTAL.test(text) || ROW_WORD_PATTERNS.FOOTER_WITH_COLON.test(text) || ROW_WORD_PATTERNS.FOOTER_WORD.test(text)) {
        throw new Error(`quietStart accepts ${JSON.stringify(cell)}, whose own text ${JSON.stringify(text)} is empty or a totals or footer word`);
      }
    }
    expect(accepted).toBeGreaterThan(20_000);
  });

  it.each([
    ['合计', -1], ['小计：12个', -1], ['填表人：张三', -1], ['（盖章）', -1], ['(盖章)', -1], ['单位（盖章）：', -1], ['注：', -1],
    ['', -1], [' 白马村', -1], ['\u3000白马村', -1], ['⼩计', -1],
    ['白马村书画协会', '白'.charCodeAt(0)], ['3号楼业主协会', '3'.charCodeAt(0)], ['A区志愿队', 'A'.charCodeAt(0)],
  ])('%j → %i', (cell, expected) => {
    expect(quietStart(cell)).toBe(expected);
  });

  it('answers -1 for cells that are not text', () => {
    expect([12, null, new Date(0), { kind: 'merged', value: '白马村', range: 'A1:A2', master: 'A1' } as never].map((c) => quietStart(c))).toEqual([-1, -1, -1, -1]);
  });
});

describe('headerFirstChars: a name that begins with an ideograph outside it is no header word', () => {
  const starts = headerFirstChars(ORG_HEADER_SYNONYMS);

  it('holds the first character of every synonym as normalised, and of the 所属… prefixes', () => {
    for (const synonyms of Object.values(ORG_HEADER_SYNONYMS)) {
      for (const s of synonyms) {
        const key = normaliseHeader(s);
        if (key !== '') expect(starts.has(key.charCodeAt(0)), s).toBe(true);
      }
    }
    for (const prefix of ['所', '隶', '归']) expect(starts.has(prefix.charCodeAt(0))).toBe(true);
  });

  it.each(CONTINUATIONS.map((k) => [k]))('for every other ideograph followed by %j', (continuation) => {
    let asked = 0;
    for (let c = 0x4e00; c <= 0x9fff; c++) {
      if (starts.has(c)) continue;
      asked++;
      const name = String.fromCharCode(c) + continuation;
      if (headerField(name, ORG_HEADER_SYNONYMS) !== undefined) throw new Error(`${JSON.stringify(name)} is a header word`);
    }
    expect(asked).toBeGreaterThan(20_000);
  });

  it('still knows the header words themselves', () => {
    expect(['组织名称', '社区代码', '所属社区', '类别'].map((h) => headerField(h, ORG_HEADER_SYNONYMS))).toEqual(['name', 'community_code', 'community', 'category']);
  });
});
