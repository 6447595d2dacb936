import MiniSearch from 'minisearch';

/**
 * Area search shared by the browser (src/components/SearchBox.astro) and the tests: one code path.
 *
 * Library: MiniSearch 7.2.0. Measured on all 3,348 NBS 2023 areas (tests/site/search.test.ts
 * prints the index size):
 * - this file's index, the areas only (code, Chinese, English, pinyin), built into a MiniSearch
 *   index in the browser on first use: 196 kB raw, 54 kB gzip, 44 kB brotli; building it took
 *   0.2–0.4 s of CPU in Node on this project's 2 shared cores; the MiniSearch chunk is 7 kB gzip;
 * - MiniSearch's own serialized index would add ~571 kB raw / ~140 kB gzip to that;
 * - FlexSearch 0.8.212 export: ~1.4 MB raw / ~290 kB gzip, plus the areas;
 * - Pagefind 1.5.2 (one record per area): ~144 kB of index chunks + 18 kB metadata + 68 kB wasm
 *   + 13 kB gzip of JS, then one fragment request per result shown.
 * MiniSearch also takes a tokenizer per field, which is what Chinese needs: names are indexed by
 * every suffix, so a prefix search is a substring search (马边, 边彝, 自治县 all find 马边彝族自治县),
 * and pinyin is precomputed at build time (full, proper name, initials) so no pinyin library
 * ships to the browser. Ranking: exact > prefix, proper-name keys over whole-name keys, larger
 * areas first on ties, then code.
 */

export type SearchLevel = 'province' | 'prefecture' | 'county';

export const SEARCH_INDEX_FORMAT = 'cso-monitor/area-search@1';

/** Where the index is served, relative to Astro's base path (import.meta.env.BASE_URL). */
export const SEARCH_INDEX_PATH = 'search/areas.json';

/** The JSON file written at build time (src/lib/site/search-index.ts), in columns, sorted by code. */
export interface SearchIndexFile {
  format: typeof SEARCH_INDEX_FORMAT;
  count: number;
  code: string[];
  name: string[];
  name_en: string[];
  /** Pinyin syllables, proper name and rest split by "|": "ma bian|yi zu zi zhi xian". */
  pinyin: string[];
  /** Only where the level is not the one the code implies (see levelOfCode). */
  level?: Record<string, SearchLevel>;
  /** Only where the parent is not the one the code implies (see parentOfCode). */
  parent?: Record<string, string | null>;
  /** Names of parents that are not themselves in the file: [Chinese, English]. */
  parent_name?: Record<string, [string, string]>;
  /** Extra English search words: 540000 → Tibet. */
  alias?: Record<string, string[]>;
}

export interface AreaHit {
  code: string;
  name: string;
  name_en: string;
  level: SearchLevel;
  parent_code: string | null;
  parent_name: string | null;
  parent_name_en: string | null;
}

/** NBS codes: pp0000 province, pppp00 prefecture, else county. */
export function levelOfCode(code: string): SearchLevel {
  if (code.endsWith('0000')) return 'province';
  return code.endsWith('00') ? 'prefecture' : 'county';
}

export function parentOfCode(code: string): string | null {
  const level = levelOfCode(code);
  if (level === 'province') return null;
  return level === 'prefecture' ? `${code.slice(0, 2)}0000` : `${code.slice(0, 4)}00`;
}

/** Lower-case ASCII words of an English name: "Xi'an City" → ["xian", "city"]. */
export function englishWords(text: string): string[] {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/['’‘`]/g, '')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Full pinyin spellings of syllables, with ü written both ways people type it (lyu → lv, lu). */
function spellings(syllables: string[]): string[] {
  let out = [''];
  for (const s of syllables) {
    const forms = /^[ln]yu$/.test(s) ? [`${s[0]}v`, `${s[0]}u`] : /^[ln]ue$/.test(s) ? [`${s[0]}ve`, s] : [s];
    out = out.flatMap((prefix) => forms.map((f) => prefix + f));
  }
  return out;
}

/** Pinyin keys of one area: full and proper-name spellings, and their initials. */
export function pinyinKeys(pinyin: string): { full: string[]; initials: string[] } {
  const [head, tail = ''] = pinyin.split('|');
  const stem = head.split(' ').filter(Boolean);
  const all = [...stem, ...tail.split(' ').filter(Boolean)];
  const initials = (xs: string[]) => xs.map((s) => s[0]).join('');
  const full = [...new Set([...spellings(all), ...spellings(stem)])];
  return { full, initials: [...new Set([initials(all), initials(stem)])] };
}

/** Every suffix of a Chinese name, so that prefix search finds any substring. */
const suffixes = (text: string): string[] => {
  const chars = [...text];
  return chars.map((_, i) => chars.slice(i).join(''));
};

const LEVEL_BOOST: Record<SearchLevel, number> = { province: 1.6, prefecture: 1.3, county: 1 };
const HAN = /\p{Script=Han}/u;

/** Splits a query into Chinese runs and ASCII words: "乐山 shizhong" → ["乐山", "shizhong"]. */
export function queryTerms(query: string): string[] {
  const text = query.normalize('NFKC').toLowerCase().replace(/['’‘`]/g, '');
  const terms: string[] = [];
  for (const m of text.matchAll(/\p{Script=Han}+|[a-z0-9]+/gu)) terms.push(m[0]);
  return terms;
}

export class AreaSearch {
  readonly size: number;
  private readonly hits: AreaHit[];
  private readonly byCode = new Map<string, number>();
  private readonly index: MiniSearch;

  constructor(file: SearchIndexFile) {
    if (file.format !== SEARCH_INDEX_FORMAT) throw new Error(`search index: format "${file.format}", expected "${SEARCH_INDEX_FORMAT}"`);
    const n = file.code.length;
    for (const column of ['name', 'name_en', 'pinyin'] as const) {
      if (file[column].length !== n) throw new Error(`search index: ${column} has ${file[column].length} entries, code has ${n}`);
    }
    file.code.forEach((code, i) => this.byCode.set(code, i));
    this.hits = file.code.map((code, i) => {
      const parent = file.parent && code in file.parent ? file.parent[code] : parentOfCode(code);
      const p = parent === null ? undefined : this.byCode.get(parent);
      const named = parent ? file.parent_name?.[parent] : undefined;
      return {
        code,
        name: file.name[i],
        name_en: file.name_en[i],
        level: file.level?.[code] ?? levelOfCode(code),
        parent_code: parent,
        parent_name: p !== undefined ? file.name[p] : (named?.[0] ?? null),
        parent_name_en: p !== undefined ? file.name_en[p] : (named?.[1] ?? null),
      };
    });
    this.size = n;
    this.index = new MiniSearch({
      fields: ['zh', 'en', 'py', 'ini', 'pzh', 'pen'],
      tokenize: (text) => text.split(' ').filter(Boolean),
      processTerm: (term) => term,
    });
    this.index.addAll(
      this.hits.map((hit, id) => {
        const keys = pinyinKeys(file.pinyin[id]);
        return {
          id,
          zh: suffixes(hit.name).join(' '),
          en: [...englishWords(hit.name_en), ...(file.alias?.[hit.code] ?? []).flatMap(englishWords)].join(' '),
          py: keys.full.join(' '),
          ini: keys.initials.join(' '),
          pzh: hit.parent_name ?? '', // whole parent name: "乐山 马边" narrows to 乐山's 马边
          pen: hit.parent_name_en ? englishWords(hit.parent_name_en).join(' ') : '',
        };
      }),
    );
  }

  get(code: string): AreaHit | undefined {
    const i = this.byCode.get(code);
    return i === undefined ? undefined : this.hits[i];
  }

  /** Areas matching every term of the query, best first. A run of digits matches code prefixes. */
  search(query: string, limit = 20): AreaHit[] {
    const terms = queryTerms(query);
    if (!terms.length) return [];
    if (terms.length === 1 && /^\d{2,6}$/.test(terms[0])) {
      return this.hits.filter((h) => h.code.startsWith(terms[0])).slice(0, limit);
    }
    // Typo tolerance only when nothing matches as typed: "leshan" lists Leshan and its counties,
    // not Lieshan; "lesham" still finds Leshan.
    let results = this.run(terms, false);
    if (!results.length) results = this.run(terms, true);
    results.sort((a, b) => b.score - a.score || (this.hits[a.id].code < this.hits[b.id].code ? -1 : 1));
    return results.slice(0, limit).map((r) => this.hits[r.id]);
  }

  private run(terms: string[], fuzzy: boolean) {
    const queries = terms.map((term) =>
      HAN.test(term)
        ? { queries: [term], fields: ['zh', 'pzh'], prefix: true }
        : { queries: [term], fields: ['en', 'py', 'ini', 'pen'], prefix: true, fuzzy: fuzzy && term.length >= 5 ? 1 : false },
    );
    return this.index.search(
      { combineWith: 'AND', queries },
      {
        boost: { zh: 3, en: 2, py: 2, ini: 1.5, pzh: 0.5, pen: 0.5 },
        boostDocument: (id: number) => LEVEL_BOOST[this.hits[id].level],
      },
    );
  }
}
