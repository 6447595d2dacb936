import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeNationalSample, type NationalResult } from '../../scripts/generate-national-sample';
import { UNKNOWN_CATEGORIES, UNKNOWN_REGISTRATIONS } from '../../scripts/sample/national/defects';
import { loadDivisions, type Divisions } from '../../src/lib/ingest/divisions';
import { readCategory, readRegistration } from '../../src/lib/ingest/vocabulary';
import { CATEGORIES, type Unit } from '../../src/lib/core/types';
import { CHARSET, FIELD_OF, checkCharacter, csvRecords, parseDate, walk, type Row } from '../helpers/oracle';

/**
 * A small slice of the national sample generator (scripts/sample/national/), read back with a
 * mini-reader written here from the product's rules: every row is accepted, accepted with one of
 * the planted warnings, or one of the planted rejections of defects.json, and expected.json equals
 * a recount of the accepted rows. Then the project reader (src/lib/ingest) on the same slice.
 * The slice spans 广东 (东莞 4419 and 中山 4420: prefectures without counties), 海南 (儋州 4604 and
 * 4690 省直辖县级行政区划), 济源 (4190) and 忻州 (1409, a GBK file with names), one file per province.
 */
const AREAS = ['44', '46', '4190', '1409'];
const OPTIONS = { areas: AREAS, perUnitScale: 0.05, defectEvery: 40 };
const AS_OF = '2025-06-30';

let dirA: string;
let dirB: string;
let result: NationalResult;
let divisions: Divisions;
let readA: Read;

beforeAll(async () => {
  dirA = mkdtempSync(path.join(tmpdir(), 'cso-national-a-'));
  dirB = mkdtempSync(path.join(tmpdir(), 'cso-national-b-'));
  result = await writeNationalSample({ outDir: dirA, ...OPTIONS });
  await writeNationalSample({ outDir: dirB, ...OPTIONS });
  divisions = await loadDivisions({ prefixes: AREAS });
  readA = readAll(dirA);
}, 60_000);

afterAll(() => {
  for (const d of [dirA, dirB]) if (d) rmSync(d, { recursive: true, force: true });
});

// ---- a mini-reader, independent of src/lib/ingest (shared pieces: tests/helpers/oracle.ts) --

function readCsv(dir: string, rel: string): { encoding: string; rows: Row[] } {
  const { encoding, records } = csvRecords(readFileSync(path.join(dir, rel)));
  const header = records[0].map((h) => FIELD_OF[h] ?? h);
  const rows = records.slice(1).map((cells, i) => ({ file: rel, line: i + 2, f: Object.fromEntries(header.map((h, j) => [h, cells[j] ?? ''])) }));
  return { encoding, rows };
}

/** "XX社区居民委员会" → "XX社区"; "XX村村民委员会" / "XX村委会" → "XX村". */
function shortOf(name: string): string | null {
  const urban = /^(.+?)社区(居民委员会|居委会)$/.exec(name);
  if (urban) return urban[1] + '社区';
  const rural = /^(.+?)村?(村民委员会|村委会)$/.exec(name);
  return rural ? rural[1] + '村' : null;
}

interface Place {
  county: string;
  unit: Unit | null;
  township: string;
}

let areaByName: Map<string, string[]>;
function countyOf(cell: string): string | null {
  if (/^\d{6}$/.test(cell)) return divisions.areas.has(cell) ? cell : null;
  if (!areaByName) {
    areaByName = new Map();
    for (const a of divisions.areas.values()) areaByName.set(a.name, [...(areaByName.get(a.name) ?? []), a.code]);
  }
  const codes = areaByName.get(cell) ?? [];
  return codes.length === 1 ? codes[0] : null;
}
function townshipOf(county: string, cell: string): string | null {
  const codes = divisions.townshipsOf.get(county) ?? [];
  if (/^\d{9}$/.test(cell)) return codes.includes(cell) ? cell : null;
  const hits = codes.filter((c) => divisions.townships.get(c)!.name === cell);
  return hits.length === 1 ? hits[0] : null;
}
function unitOf(township: string, cell: string): Unit | null {
  const hits = (divisions.unitsOf.get(township) ?? []).map((c) => divisions.units.get(c)!).filter((u) => u.name === cell || shortOf(u.name) === cell);
  return hits.length === 1 ? hits[0] : null;
}

interface Warning {
  id: string;
  assumed: string;
}

/**
 * Problems of one row by the product's rules, as planted-defect ids; warnings (a category or
 * registration word other than the plan's own is counted as 其他 / by its credit code, PRODUCT.md;
 * that the planted words are unknown to the project's vocabulary is checked below); where it is placed.
 */
function check(r: Row): { problems: string[]; warnings: Warning[]; place: Place | null } {
  const f = r.f;
  const problems: string[] = [];
  const warnings: Warning[] = [];
  if (f.name === '') problems.push('missing_name');
  if (!(CATEGORIES as readonly string[]).includes(f.category)) warnings.push({ id: 'unknown_category', assumed: '其他' });
  if (!['登记', '备案'].includes(f.registration)) warnings.push({ id: 'unknown_registration', assumed: /^5[123]/.test(f.credit_code) ? '登记' : '备案' });
  if (f.credit_code) {
    if ([...f.credit_code].some((c) => !CHARSET.includes(c))) problems.push('credit_code_bad_char');
    else if (f.credit_code.length !== 18) problems.push('credit_code_length');
    else {
      if (checkCharacter(f.credit_code) !== f.credit_code[17]) problems.push('wrong_check_digit');
    }
  }
  const est = parseDate(f.established_on);
  const dis = f.dissolved_on ? parseDate(f.dissolved_on) : null;
  if (!est || (f.dissolved_on && !dis)) problems.push('impossible_date');
  if (est && est > AS_OF) problems.push('established_after_as_of');
  if (est && dis && dis < est) problems.push('dissolved_before_established');
  if (est && est < '2010-01-01') problems.push('established_before_2010');
  if (dis && dis > AS_OF) problems.push('dissolved_after_as_of');

  let place: Place | null = null;
  const code = f.community_code ?? '';
  if (code) {
    if (/^\d\.\d+E\+\d+$/.test(code)) problems.push('excel_scientific_code');
    else if (/^\d{11}$/.test(code)) problems.push('short_community_code');
    else if (!/^\d{12}$/.test(code)) problems.push('bad_community_code');
    else if (!divisions.units.has(code)) problems.push('unknown_community_code');
    else {
      const unit = divisions.units.get(code)!;
      const agrees =
        (!f.county || countyOf(f.county) === unit.countyCode || areaByName.get(f.county)?.includes(unit.countyCode)) &&
        (!f.township || townshipOf(unit.countyCode, f.township) === unit.townshipCode) &&
        (!f.community || unitOf(unit.townshipCode, f.community)?.code === unit.code);
      if (agrees) place = { county: unit.countyCode, township: unit.townshipCode, unit };
      else problems.push('code_name_mismatch');
    }
  } else if (!f.county) problems.push('no_placement');
  else {
    const county = countyOf(f.county);
    const township = county && f.township ? townshipOf(county, f.township) : null;
    const unit = township && f.community ? unitOf(township, f.community) : null;
    if (!county) problems.push('unknown_county_name');
    else if (!township) problems.push('unknown_township_name');
    else if (f.community && !unit) problems.push('unknown_community_name');
    else place = { county, township, unit };
  }
  return { problems, warnings, place };
}

interface Read {
  files: { file: string; encoding: string; rows: number }[];
  rejected: { file: string; line: number; id: string; duplicates: number | null }[];
  warned: { file: string; line: number; id: string; assumed: string }[];
  accepted: (Row & { place: Place; category: string; registration: string })[];
}

/** Files in name order, rows in line order; the first of two duplicates is kept. */
function readAll(dir: string): Read {
  const out: Read = { files: [], rejected: [], warned: [], accepted: [] };
  const seenCode = new Map<string, number>();
  const seenName = new Map<string, number>();
  for (const rel of walk(dir).filter((f) => f.startsWith('organizations/'))) {
    const { encoding, rows } = readCsv(dir, rel);
    out.files.push({ file: rel, encoding, rows: rows.length });
    for (const r of rows) {
      const { problems, warnings, place } = check(r);
      if (problems.length) {
        out.rejected.push({ file: rel, line: r.line, id: problems.join('+'), duplicates: null });
        continue;
      }
      const nameKey = `${place!.unit?.code ?? 't' + place!.township}|${r.f.name}`;
      const dupCode = r.f.credit_code ? seenCode.get(r.f.credit_code) : undefined;
      const dupName = seenName.get(nameKey);
      if (dupCode !== undefined || dupName !== undefined) {
        out.rejected.push({ file: rel, line: r.line, id: dupCode !== undefined ? 'duplicate_credit_code' : 'duplicate_name', duplicates: (dupCode ?? dupName)! });
        continue;
      }
      if (r.f.credit_code) seenCode.set(r.f.credit_code, r.line);
      seenName.set(nameKey, r.line);
      for (const w of warnings) out.warned.push({ file: rel, line: r.line, ...w });
      const as = (id: string, written: string) => warnings.find((w) => w.id === id)?.assumed ?? written;
      out.accepted.push({ ...r, place: place!, category: as('unknown_category', r.f.category), registration: as('unknown_registration', r.f.registration) });
    }
  }
  return out;
}

const COUNT_KEYS = ['urban_units', 'rural_units', 'other_units', 'accepted_rows', 'urban_orgs', 'rural_orgs', 'other_orgs', 'unplaced_orgs', 'total_orgs'] as const;
type Counts = Record<(typeof COUNT_KEYS)[number], number>;
const zero = (): Counts => Object.fromEntries(COUNT_KEYS.map((k) => [k, 0])) as Counts;

/** The recount: units from the division tree, organizations from the accepted rows. */
function recount(read: Read) {
  const levels = { national: new Map<string, Counts>(), provinces: new Map<string, Counts>(), prefectures: new Map<string, Counts>(), counties: new Map<string, Counts>() };
  const bump = (county: string, f: (c: Counts) => void) => {
    const keys = { national: '000000', provinces: county.slice(0, 2) + '0000', prefectures: county.slice(0, 4) + '00', counties: county };
    for (const level of Object.keys(levels) as (keyof typeof levels)[]) {
      const map = levels[level];
      if (!map.has(keys[level])) map.set(keys[level], zero());
      f(map.get(keys[level])!);
    }
  };
  const categories = new Map<string, number>();
  for (const u of divisions.units.values()) bump(u.countyCode, (c) => c[`${u.kind}_units`]++);
  for (const r of read.accepted) {
    const est = parseDate(r.f.established_on)!;
    const dis = r.f.dissolved_on ? parseDate(r.f.dissolved_on) : null;
    const active = est <= AS_OF && (!dis || dis > AS_OF);
    if (active) categories.set(`${r.category}|${r.registration}`, (categories.get(`${r.category}|${r.registration}`) ?? 0) + 1);
    bump(r.place.county, (c) => {
      c.accepted_rows++;
      if (!active) return;
      c.total_orgs++;
      if (!r.place.unit) c.unplaced_orgs++;
      else c[`${r.place.unit.kind}_orgs`]++;
    });
  }
  return { ...levels, categories };
}

const pickCounts = (row: object) => Object.fromEntries(COUNT_KEYS.map((k) => [k, (row as Record<string, unknown>)[k]]));

// ---- tests ------------------------------------------------------------------------------------

describe('the national sample generator on a slice (广东, 海南, 济源, 忻州)', () => {
  it('is deterministic: two runs write byte-identical folders', () => {
    const files = walk(dirA);
    expect(walk(dirB)).toEqual(files);
    expect(files).toEqual(expect.arrayContaining(['dataset.json', 'defects.json', 'expected.json', 'organizations/44-guangdong-utf8.csv']));
    for (const rel of files) expect(readFileSync(path.join(dirA, rel)).equals(readFileSync(path.join(dirB, rel))), rel).toBe(true);
  });

  it('writes a sample dataset.json without a scope', () => {
    const meta = JSON.parse(readFileSync(path.join(dirA, 'dataset.json'), 'utf8'));
    expect(meta).toMatchObject({ sample: true, as_of: AS_OF, license: 'CC0-1.0' });
    expect(meta).not.toHaveProperty('scope');
    expect(meta.title).toContain('示例');
  });

  it('writes one file per province, in the encodings expected.json names', () => {
    const read = readA;
    expect(read.files.map((f) => [f.file, f.encoding, f.rows])).toEqual(result.expected.files.map((f) => [f.file, f.encoding, f.rows]));
    expect(read.files.map((f) => f.encoding).sort()).toEqual(['gbk', 'utf-8', 'utf-8', 'utf-8-bom']);
  });

  it('rejects exactly the planted rejections and warns on exactly the planted warned rows, for the reason defects.json gives', () => {
    const read = readA;
    const manifest = JSON.parse(readFileSync(path.join(dirA, 'defects.json'), 'utf8'));
    expect(manifest.counts).toEqual({ rejected: manifest.rejected.length, warned: manifest.warned.length, skipped: 0 });
    expect(read.rejected).toEqual(manifest.rejected.map((d: { file: string; line: number; id: string; duplicates: number | null }) => ({ file: d.file, line: d.line, id: d.id, duplicates: d.duplicates })));
    expect(read.warned).toEqual(manifest.warned.map((d: { file: string; line: number; id: string; assumed: string }) => ({ file: d.file, line: d.line, id: d.id, assumed: d.assumed })));
    // every class is planted at least once in this slice
    expect(Object.entries(manifest.by_class).filter(([, n]) => n === 0)).toEqual([]);
    expect(manifest.rejected.length).toBeGreaterThan(80);
    expect(manifest.warned.length).toBeGreaterThan(10);
  });

  it('plants category and registration words the project vocabulary does not know (counted as 其他 / 备案 with a warning)', () => {
    const manifest = JSON.parse(readFileSync(path.join(dirA, 'defects.json'), 'utf8'));
    const written = manifest.warned.map((d: { value: string }) => d.value);
    for (const word of UNKNOWN_CATEGORIES) expect(readCategory(word), word).toMatchObject({ ok: false, category: '其他' });
    for (const word of UNKNOWN_REGISTRATIONS) expect(readRegistration(word, null), word).toMatchObject({ ok: false, registration: '备案' });
    expect(new Set(written)).toEqual(new Set([...UNKNOWN_CATEGORIES, ...UNKNOWN_REGISTRATIONS]));
  });

  it('lists each planted row with the header and the value actually written at that line', () => {
    const rows = new Map<string, Row>();
    for (const rel of walk(dirA).filter((f) => f.startsWith('organizations/'))) for (const r of readCsv(dirA, rel).rows) rows.set(`${rel}:${r.line}`, r);
    const manifest = JSON.parse(readFileSync(path.join(dirA, 'defects.json'), 'utf8'));
    const FIELD = (h: string) => FIELD_OF[h] ?? h;
    const wrong = [...manifest.rejected, ...manifest.warned].filter((d: { file: string; line: number; column: string | null; value: string }) => {
      const row = rows.get(`${d.file}:${d.line}`);
      return !row || d.column === null || row.f[FIELD(d.column)] !== d.value;
    });
    expect(wrong).toEqual([]);
  });

  it('places rows by code, by names only, and at township level', () => {
    const read = readA;
    const byNames = read.accepted.filter((r) => !r.f.community_code && r.place.unit);
    const township = read.accepted.filter((r) => !r.place.unit);
    expect(byNames.length).toBeGreaterThan(100);
    expect(township.length).toBeGreaterThan(50);
    expect(read.accepted.filter((r) => r.f.community_code).length).toBeGreaterThan(3000);
  });

  it('expected.json equals a recount of the accepted rows, for 全国, every province, prefecture and county', () => {
    const read = readA;
    const levels = recount(read);
    const e = result.expected;
    expect(e.rows).toEqual({ read: read.accepted.length + read.rejected.length, accepted: read.accepted.length, rejected: read.rejected.length, skipped: 0, warned: read.warned.length });
    expect(pickCounts(e.national)).toEqual(levels.national.get('000000'));
    expect(Object.fromEntries(e.categories.map((c) => [`${c.category}|${c.registration}`, c.orgs]).filter(([, n]) => n))).toEqual(Object.fromEntries(levels.categories));
    for (const level of ['provinces', 'prefectures', 'counties'] as const) {
      expect(Object.fromEntries(e[level].map((row) => [row.code, pickCounts(row)]))).toEqual(Object.fromEntries([...levels[level]].sort(([a], [b]) => (a < b ? -1 : 1))));
    }
  });

  it.each([
    ['441900', '东莞市'],
    ['442000', '中山市'],
    ['460400', '儋州市'],
    ['469000', '省直辖县级行政区划'],
    ['419000', '省直辖县级行政区划'],
  ])('covers %s %s with urban and rural organizations', (code, name) => {
    const p = result.expected.prefectures.find((x) => x.code === code)!;
    expect(p.name).toBe(name);
    expect(p.urban_units).toBeGreaterThan(0);
    expect(p.urban_orgs + p.rural_orgs).toBeGreaterThan(0);
  });

  it('puts more organizations per unit in urban than in rural units', () => {
    const n = result.expected.national;
    expect(n.urban_orgs / n.urban_units).toBeGreaterThan(1.5 * (n.rural_orgs / n.rural_units));
  });
});

describe('the project reader (src/lib/ingest) on the national slice', () => {
  it('rejects exactly the planted rejections, warns on exactly the planted warned rows, skips nothing', async () => {
    const { readDataset } = await import('../../src/lib/ingest');
    const all = await loadDivisions();
    const read = await readDataset(dirA, all);
    const manifest = JSON.parse(readFileSync(path.join(dirA, 'defects.json'), 'utf8'));
    const at = (r: { file: string; line: number }) => `${r.file}:${r.line}`;
    expect(read.rejections.map(at)).toEqual(manifest.rejected.map(at));
    // by place and reason: the column, the word and what the row was counted as
    const warning = (w: { column: string | null; value: string | null; assumed: string }) => `${w.column}=${w.value} → ${w.assumed}`;
    expect(read.warnings.map((w) => `${at(w)} ${warning(w)}`)).toEqual(manifest.warned.map((d: { file: string; line: number; column: string; value: string; assumed: string }) => `${at(d)} ${warning(d)}`));
    expect(read.skipped).toEqual([]);
    const rec = read.reconciliation;
    expect({ read: rec.rowsRead, accepted: rec.accepted, rejected: rec.rejected, skipped: rec.skipped, warned: rec.warnings }).toEqual(result.expected.rows);
    expect(read.orgs.length).toBe(result.expected.rows.accepted);
    // warned rows counted as the generator says: 全国's active organizations by category and registration
    const active = new Map<string, number>();
    for (const o of read.orgs) {
      if (!(o.establishedOn! <= AS_OF && (!o.dissolvedOn || o.dissolvedOn > AS_OF))) continue;
      active.set(`${o.category}|${o.registration}`, (active.get(`${o.category}|${o.registration}`) ?? 0) + 1);
    }
    expect(Object.fromEntries(active)).toEqual(Object.fromEntries(result.expected.categories.filter((c) => c.orgs).map((c) => [`${c.category}|${c.registration}`, c.orgs])));
  }, 60_000);

  it('reads the same with a helper thread reading the last provinces (src/lib/ingest/read-helper.ts)', async () => {
    const { readDataset, readDatasetMeta } = await import('../../src/lib/ingest');
    const { startReadHelper } = await import('../../src/lib/ingest/read-helper');
    const all = await loadDivisions();
    const meta = readDatasetMeta(dirA);
    const helper = startReadHelper({ dir: dirA, meta, prefixes: null, minBytes: 0 })!;
    // 14 忻州 and 41 济源 here; 44 广东 and 46 海南 (prefectures without counties, 省直辖县级) on the helper
    expect(helper.files.map((f) => f.slice(0, 2))).toEqual(['44', '46']);
    const helped = await readDataset(dirA, all, { meta, records: false, helper });
    const alone = await readDataset(dirA, all, { meta, records: false });
    expect(helper.outcome).toBe('merged');
    expect(helped).toEqual(alone);
    expect(helped.columns.length).toBe(result.expected.rows.accepted);
  }, 60_000);
});
