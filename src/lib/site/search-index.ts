import { levelOfCode, parentOfCode, SEARCH_INDEX_FORMAT, SEARCH_INDEX_PATH, type SearchIndexFile, type SearchLevel } from './search';

export { SEARCH_INDEX_PATH };

/**
 * Builds the static area-search index (read by src/lib/site/search.ts in the browser; the
 * library choice and measured sizes are explained there). The pipeline gives every area once:
 * name_en from nameEn() and pinyin from namePinyin() (src/lib/ingest/name-en.ts), so search and
 * pages agree on names and on readings of polyphonic characters.
 */
export interface SearchAreaInput {
  code: string;
  name: string;
  name_en: string;
  level: SearchLevel;
  parent_code: string | null;
  parent_name: string | null;
  /** namePinyin(name, level): "ma bian|yi zu zi zhi xian". */
  pinyin: string;
  /** English name of the parent, when the parent is not itself in the list. */
  parent_name_en?: string | null;
}

/** English names that are not the area's own name but are what many people type. */
const ALIASES: Record<string, string[]> = {
  '540000': ['Tibet'], // 西藏自治区 is "Xizang" (see src/lib/ingest/name-en.ts)
  '150000': ['Nei Mongol'],
};

/** The index as an object: columns sorted by code; defaults the code implies are left out. */
export function buildSearchIndex(areas: readonly SearchAreaInput[]): SearchIndexFile {
  const codes = new Set<string>();
  areas.forEach((a, i) => {
    const where = `search index: area ${i + 1} (${a.code || 'no code'})`;
    if (!/^\d{6}$/.test(a.code)) throw new Error(`${where}: code must be 6 digits`);
    if (codes.has(a.code)) throw new Error(`${where}: code listed twice`);
    if (!a.name || !a.name_en) throw new Error(`${where}: name and name_en are required`);
    if ([...a.name].length !== a.pinyin.split(/[ |]/).filter(Boolean).length) {
      throw new Error(`${where}: pinyin "${a.pinyin}" does not have one syllable per character of ${a.name}`);
    }
    codes.add(a.code);
  });
  const sorted = [...areas].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const level: Record<string, SearchLevel> = {};
  const parent: Record<string, string | null> = {};
  const parentName: Record<string, [string, string]> = {};
  const alias: Record<string, string[]> = {};
  for (const a of sorted) {
    if (a.level !== levelOfCode(a.code)) level[a.code] = a.level;
    if (a.parent_code !== parentOfCode(a.code)) parent[a.code] = a.parent_code;
    if (a.parent_code && !codes.has(a.parent_code) && a.parent_name) {
      parentName[a.parent_code] = [a.parent_name, a.parent_name_en ?? a.parent_name];
    }
    if (ALIASES[a.code]) alias[a.code] = ALIASES[a.code];
  }
  const file: SearchIndexFile = {
    format: SEARCH_INDEX_FORMAT,
    count: sorted.length,
    code: sorted.map((a) => a.code),
    name: sorted.map((a) => a.name),
    name_en: sorted.map((a) => a.name_en),
    pinyin: sorted.map((a) => a.pinyin),
  };
  if (Object.keys(level).length) file.level = level;
  if (Object.keys(parent).length) file.parent = parent;
  if (Object.keys(parentName).length) file.parent_name = parentName;
  if (Object.keys(alias).length) file.alias = alias;
  return file;
}

/** The index file's text: compact JSON, byte-identical for the same areas in any order. */
export function searchIndexJson(areas: readonly SearchAreaInput[]): string {
  return `${JSON.stringify(buildSearchIndex(areas))}\n`;
}
