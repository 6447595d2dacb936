import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LESHAN_TIERS, SAMPLE_AS_OF, countySummaries, writeSample, type WrittenSample } from '../../scripts/generate-sample';
import { loadDivisions, type Divisions } from '../../src/lib/ingest/divisions';
import { CATEGORIES, type Unit } from '../../src/lib/core/types';
import { FIELD_OF, creditCodeValid, csvRecords, parseDate, walk, type Row } from '../helpers/oracle';

/**
 * The committed sample (data/sample) is read back here with a small independent reader, so the
 * figures the README promises are checked against the files themselves, not the generator's model.
 */
const SAMPLE_DIR = path.resolve('data/sample');

const committedFiles = walk(SAMPLE_DIR);

// ---- independent checks (the shared pieces are in tests/helpers/oracle.ts) ------------------

async function readOrgFile(dir: string, rel: string): Promise<{ encoding: string; rows: Row[] }> {
  const bytes = readFileSync(path.join(dir, rel));
  let table: string[][];
  let encoding: string;
  if (rel.endsWith('.xlsx')) {
    encoding = 'xlsx';
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    table = [];
    wb.worksheets[0].eachRow({ includeEmpty: true }, (row, n) => {
      const values = (row.values as unknown[]).slice(1);
      table[n - 1] = values.map((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v == null ? '' : String(v)));
    });
  } else {
    ({ encoding, records: table } = csvRecords(bytes));
  }
  const header = table[0].map((h) => FIELD_OF[h] ?? h);
  const rows = table.slice(1).map((cells, i) => ({
    file: rel,
    line: i + 2,
    f: Object.fromEntries(header.map((h, j) => [h, (cells[j] ?? '').trim()])),
  }));
  return { encoding, rows };
}

const shortName = (name: string) =>
  /(居委会|居民委员会)$/.test(name)
    ? name.replace(/(居委会|居民委员会)$/, '')
    : name.replace(/(村民委员会|村委会)$/, '').replace(/([^村])$/, '$1村');
const bareName = (name: string) => shortName(name).replace(/(社区|村)$/, '');

let divisions: Divisions;
let regenerated: WrittenSample;
let tmp: string;
let rows: Row[];
const encodings = new Map<string, string>();
let defectAt: Map<string, string>; // "file:line" → defect id (rows the reader must reject)
let wordAt: Map<string, string>; // "file:line" → column of a ledger word the reader understands
let unitsByKey: Map<string, Unit>;
let townshipByKey: Map<string, string>;

const COUNTY_ALIASES: Record<string, string> = { '511132': '峨边县', '511133': '马边县' };
const countyCodeByName = new Map<string, string>();

beforeAll(async () => {
  divisions = await loadDivisions({ prefixes: ['5111'] });
  tmp = mkdtempSync(path.join(tmpdir(), 'cso-sample-'));
  regenerated = await writeSample(tmp, divisions);
  defectAt = new Map(regenerated.defects.map((d) => [`${d.file}:${d.line}`, d.id]));
  wordAt = new Map(regenerated.understood.map((d) => [`${d.file}:${d.line}`, d.id.startsWith('short_category') ? 'category' : 'registration']));
  rows = [];
  for (const rel of committedFiles.filter((f) => f.startsWith('organizations/'))) {
    const read = await readOrgFile(SAMPLE_DIR, rel);
    encodings.set(rel, read.encoding);
    rows.push(...read.rows);
  }
  for (const code of divisions.childrenOf.get('511100') ?? []) {
    countyCodeByName.set(divisions.areas.get(code)!.name, code);
    const alias = COUNTY_ALIASES[code];
    if (alias) countyCodeByName.set(alias, code);
  }
  unitsByKey = new Map();
  townshipByKey = new Map();
  for (const t of divisions.townships.values()) townshipByKey.set(`${t.countyCode}|${t.name}`, t.code);
  for (const u of divisions.units.values()) unitsByKey.set(`${u.townshipCode}|${shortName(u.name)}`, u);
}, 120_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

// Where a row says it is: by code, else by county → township → community names.
function place(row: Row): { countyCode: string; townshipCode: string | null; unit: Unit | null } | null {
  const code = row.f.community_code ?? '';
  if (code) {
    const unit = divisions.units.get(code);
    return unit ? { countyCode: unit.countyCode, townshipCode: unit.townshipCode, unit } : null;
  }
  const countyCode = countyCodeByName.get(row.f.county ?? '');
  if (!countyCode) return null;
  const townshipCode = townshipByKey.get(`${countyCode}|${row.f.township}`) ?? null;
  if (!townshipCode) return null;
  if (!row.f.community) return { countyCode, townshipCode, unit: null };
  const unit = unitsByKey.get(`${townshipCode}|${row.f.community}`);
  return unit ? { countyCode, townshipCode, unit } : null;
}

const isDefect = (r: Row) => defectAt.has(`${r.file}:${r.line}`);
const validRows = () => rows.filter((r) => !isDefect(r));
const activeAt = (r: Row) => {
  const est = parseDate(r.f.established_on)!;
  const dis = r.f.dissolved_on ? parseDate(r.f.dissolved_on)! : null;
  return est <= SAMPLE_AS_OF && (!dis || dis > SAMPLE_AS_OF);
};

// ---- tests ----------------------------------------------------------------------------------

describe('regeneration is deterministic', () => {
  it('writes the same set of files as committed', () => {
    expect(regenerated.files).toEqual(committedFiles);
  });

  it.each(committedFiles)('%s is byte-identical to the committed file', (rel) => {
    const fresh = readFileSync(path.join(tmp, rel));
    const committed = readFileSync(path.join(SAMPLE_DIR, rel));
    expect(fresh.equals(committed)).toBe(true);
  });
});

describe('dataset.json and observations', () => {
  it('marks the dataset as sample, for Leshan, as of 2025-06-30', () => {
    const meta = JSON.parse(readFileSync(path.join(SAMPLE_DIR, 'dataset.json'), 'utf8'));
    expect(meta.sample).toBe(true);
    expect(meta.scope).toEqual(['511100']);
    expect(meta.as_of).toBe('2025-06-30');
    expect(meta.license).toBe('CC0-1.0');
    expect(meta.title).toContain('示例');
    expect(meta.description).toMatch(/虚构/);
  });

  it('labels every observation as fictitious sample data', () => {
    const text = readFileSync(path.join(SAMPLE_DIR, 'observations/sample-observations.csv'), 'utf8');
    const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
    expect(parsed.meta.fields).toEqual(['area_code', 'metric', 'value', 'as_of', 'source_title', 'source_url', 'note']);
    expect(parsed.data.length).toBeGreaterThanOrEqual(5);
    for (const o of parsed.data) {
      expect(o.source_title).toContain('示例数据（虚构）');
      expect(o.source_url).toBe('');
      expect(o.note).toBe('示例');
      expect(Number.isFinite(Number(o.value))).toBe(true);
      expect(divisions.areas.has(o.area_code)).toBe(true);
    }
    expect(parsed.data.find((o) => o.area_code === '511100' && o.metric === 'training_person_times')).toBeDefined();
  });
});

describe('organization files', () => {
  it('exercise every input encoding the product allows', () => {
    expect([...encodings.values()].sort()).toEqual(['gbk', 'utf-8', 'utf-8-bom', 'xlsx']);
  });

  it('hold a few thousand rows, township-level and dissolved ones among them', () => {
    const valid = validRows();
    expect(rows.length).toBeGreaterThan(6000);
    expect(rows.length).toBeLessThan(12000);
    const townshipLevel = valid.filter((r) => place(r)?.unit === null).length / valid.length;
    const dissolved = valid.filter((r) => r.f.dissolved_on).length / valid.length;
    const registered = valid.filter((r) => r.f.registration === '登记').length / valid.length;
    expect(townshipLevel).toBeGreaterThan(0.015);
    expect(townshipLevel).toBeLessThan(0.05);
    expect(dissolved).toBeGreaterThan(0.04);
    expect(dissolved).toBeLessThan(0.09);
    expect(registered).toBeGreaterThan(0.1);
    expect(registered).toBeLessThan(0.25);
  });

  it('use mixed date formats in the BOM file', () => {
    const dates = rows.filter((r) => r.file.includes('utf8-bom')).map((r) => r.f.established_on);
    expect(dates.some((d) => /^\d{4}-\d{2}-\d{2}$/.test(d))).toBe(true);
    expect(dates.some((d) => /^\d{4}\/\d{1,2}\/\d{1,2}$/.test(d))).toBe(true);
    expect(dates.some((d) => /年.*月.*日$/.test(d))).toBe(true);
  });

  it('write short county names and "XX社区"/"XX村" forms in the GBK file', () => {
    const gbk = rows.filter((r) => r.file.includes('gbk'));
    expect(new Set(gbk.map((r) => r.f.county))).toEqual(new Set(['峨边县', '马边县']));
    expect(gbk.filter((r) => r.f.community).every((r) => /(社区|村)$/.test(r.f.community) || isDefect(r))).toBe(true);
  });

  it('every valid row is valid: placed, named, in the vocabulary, dated 2015-01-01 … as-of', () => {
    const problems: string[] = [];
    for (const r of validRows()) {
      const where = `${r.file}:${r.line}`;
      const p = place(r);
      if (!p) problems.push(`${where} not placed`);
      if (p?.unit && r.f.community && shortName(p.unit.name) !== r.f.community) problems.push(`${where} name/code disagree`);
      if (!r.f.name) problems.push(`${where} no name`);
      const word = wordAt.get(where); // a ledger word in this column is valid: the reader maps it
      if (!(CATEGORIES as readonly string[]).includes(r.f.category) && word !== 'category') problems.push(`${where} category`);
      if (!['登记', '备案'].includes(r.f.registration) && word !== 'registration') problems.push(`${where} registration`);
      if (r.f.registration === '登记' && !r.f.credit_code) problems.push(`${where} registered without code`);
      if (r.f.credit_code && !creditCodeValid(r.f.credit_code)) problems.push(`${where} credit code`);
      const est = parseDate(r.f.established_on);
      if (!est || est < '2015-01-01' || est > SAMPLE_AS_OF) problems.push(`${where} established ${r.f.established_on}`);
      if (r.f.dissolved_on) {
        const dis = parseDate(r.f.dissolved_on);
        if (!dis || !est || dis <= est || dis > SAMPLE_AS_OF) problems.push(`${where} dissolved ${r.f.dissolved_on}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('valid rows repeat neither a credit code nor a name within a community', () => {
    const valid = validRows();
    const codes = valid.map((r) => r.f.credit_code).filter(Boolean);
    expect(new Set(codes).size).toBe(codes.length);
    const names = valid.map((r) => `${place(r)?.unit?.code ?? place(r)?.townshipCode}|${r.f.name}`);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('planted defects', () => {
  /** Each defect id, checked on the row itself: the row really has that defect. */
  const hasDefect: Record<string, (r: Row) => boolean> = {
    missing_name: (r) => r.f.name === '',
    wrong_check_digit: (r) => r.f.credit_code.length === 18 && !creditCodeValid(r.f.credit_code),
    unknown_community_code: (r) => /^\d{12}$/.test(r.f.community_code) && !divisions.units.has(r.f.community_code),
    excel_scientific_code: (r) => /^\d\.\d+E\+\d+$/.test(r.f.community_code),
    impossible_date: (r) => r.f.established_on !== '' && parseDate(r.f.established_on) === null,
    // ledger words (counted, not rejected): the cell holds the ledger's word, not the plan's
    short_category: (r) => r.f.category === '文体类',
    short_category_2: (r) => r.f.category === '志愿类',
    registration_synonym: (r) => r.f.registration === '注册',
    duplicate_credit_code: (r) =>
      creditCodeValid(r.f.credit_code) && rows.some((o) => o.file === r.file && o.line < r.line && !isDefect(o) && o.f.credit_code === r.f.credit_code),
    duplicate_name: (r) =>
      rows.some((o) => o.file === r.file && o.line < r.line && !isDefect(o) && o.f.name === r.f.name && o.f.community_code === r.f.community_code),
    dissolved_before_established: (r) => parseDate(r.f.dissolved_on)! < parseDate(r.f.established_on)!,
    established_after_as_of: (r) => parseDate(r.f.established_on)! > SAMPLE_AS_OF,
    unknown_community_name: (r) => place(r) === null && !!townshipByKey.get(`${countyCodeByName.get(r.f.county)}|${r.f.township}`),
    ambiguous_community_name: (r) => {
      const t = townshipByKey.get(`${countyCodeByName.get(r.f.county)}|${r.f.township}`)!;
      return (divisions.unitsOf.get(t) ?? []).filter((c) => bareName(divisions.units.get(c)!.name) === r.f.community).length > 1;
    },
    code_name_mismatch: (r) => {
      const unit = divisions.units.get(r.f.community_code);
      return !!unit && shortName(unit.name) !== r.f.community;
    },
  };

  it('number 15–25, spread over every organization file', () => {
    expect(regenerated.defects.length).toBeGreaterThanOrEqual(15);
    expect(regenerated.defects.length).toBeLessThanOrEqual(25);
    expect(new Set(regenerated.defects.map((d) => d.file))).toEqual(new Set(committedFiles.filter((f) => f.startsWith('organizations/'))));
  });

  it('are listed in the README with file and line', () => {
    const readme = readFileSync(path.join(SAMPLE_DIR, 'README.md'), 'utf8');
    for (const d of [...regenerated.defects, ...regenerated.understood]) expect(readme).toContain(`| \`${d.file}\` | ${d.line} |`);
  });

  it('each row listed has the defect it is listed for', () => {
    expect(regenerated.understood.map((d) => d.id).sort()).toEqual(['registration_synonym', 'registration_synonym', 'short_category', 'short_category_2']);
    const wrong = [...regenerated.defects, ...regenerated.understood].filter((d) => {
      const row = rows.find((r) => r.file === d.file && r.line === d.line);
      return !row || !hasDefect[d.id](row);
    });
    expect(wrong).toEqual([]);
  });
});

describe('densities computed from the committed rows', () => {
  interface Tally {
    urban: number;
    rural: number;
    unplaced: number;
    byUnit: Map<string, number>;
  }
  const tally = () => {
    const by = new Map<string, Tally>();
    for (const r of validRows()) {
      if (!activeAt(r)) continue;
      const p = place(r)!;
      const t = by.get(p.countyCode) ?? { urban: 0, rural: 0, unplaced: 0, byUnit: new Map() };
      if (!p.unit) t.unplaced++;
      else {
        if (p.unit.kind === 'urban') t.urban++;
        else if (p.unit.kind === 'rural') t.rural++;
        t.byUnit.set(p.unit.code, (t.byUnit.get(p.unit.code) ?? 0) + 1);
      }
      by.set(p.countyCode, t);
    }
    return by;
  };
  const unitsOfCounty = (county: string, kind: 'urban' | 'rural') =>
    [...divisions.units.values()].filter((u) => u.countyCode === county && u.kind === kind);
  const density = (by: Map<string, Tally>, county: string, kind: 'urban' | 'rural') =>
    by.get(county)![kind] / unitsOfCounty(county, kind).length;

  it('match the figures the generator reports in the README', () => {
    const by = tally();
    const expected = countySummaries(divisions, regenerated.model.validOrgs);
    for (const s of expected) {
      expect([s.code, by.get(s.code)!.urban, by.get(s.code)!.rural, by.get(s.code)!.unplaced]).toEqual([s.code, s.urbanOrgs, s.ruralOrgs, s.townshipOrgs]);
    }
  });

  it('differ between districts: at least 3 meet the urban tier and at least 3 do not', () => {
    const by = tally();
    const counties = Object.keys(LESHAN_TIERS);
    const met = counties.filter((c) => density(by, c, 'urban') >= LESHAN_TIERS[c].urban);
    expect(met.length).toBeGreaterThanOrEqual(3);
    expect(counties.length - met.length).toBeGreaterThanOrEqual(3);
  });

  it.each([
    ['511102', true, true],
    ['511181', true, true],
    ['511129', true, true],
    ['511113', true, true],
    ['511126', true, false],
    ['511123', false, false],
    ['511132', false, false],
    ['511133', false, false],
  ] as const)('%s meets urban tier: %s, rural tier: %s', (county, urban, rural) => {
    const by = tally();
    expect(density(by, county, 'urban') >= LESHAN_TIERS[county].urban).toBe(urban);
    expect(density(by, county, 'rural') >= LESHAN_TIERS[county].rural).toBe(rural);
  });

  it('犍为 is close to its tiers (within 10%) and 峨边/马边 clearly below (under 60%)', () => {
    const by = tally();
    for (const kind of ['urban', 'rural'] as const) {
      expect(density(by, '511123', kind) / LESHAN_TIERS['511123'][kind]).toBeGreaterThan(0.9);
      for (const c of ['511132', '511133']) expect(density(by, c, kind) / LESHAN_TIERS[c][kind]).toBeLessThan(0.6);
    }
  });

  it('leave some communities short even where the district meets its average', () => {
    const by = tally();
    for (const county of ['511102', '511181']) {
      const short = unitsOfCounty(county, 'urban').filter((u) => (by.get(county)!.byUnit.get(u.code) ?? 0) < LESHAN_TIERS[county].urban);
      expect(short.length).toBeGreaterThan(0);
      expect(short.length).toBeLessThan(unitsOfCounty(county, 'urban').length);
    }
  });
});

describe('the project reader (src/lib/ingest) on the committed sample', () => {
  type Reader = (
    dir: string,
    divisions: Divisions,
  ) => Promise<{
    orgs: { source: { file: string; line: number }; category: string; categoryRaw?: string | null; registration: string }[];
    rejections: { file: string; line: number }[];
    warnings: unknown[];
  }>;
  let readDataset: Reader | null = null;
  beforeAll(async () => {
    // Written by another engineer in parallel: exercised when present, never required.
    const modulePath = '../src/lib/ingest/index';
    readDataset = await import(/* @vite-ignore */ modulePath).then((m) => (m.readDataset as Reader) ?? null, () => null);
  });

  it('rejects exactly the planted rows and accepts every other row', async (ctx) => {
    if (!readDataset) return ctx.skip();
    const result = await readDataset(SAMPLE_DIR, divisions);
    const rejected = result.rejections.filter((r) => r.file.startsWith('organizations/')).map((r) => `${r.file}:${r.line}`).sort();
    expect(rejected).toEqual(regenerated.defects.map((d) => `${d.file}:${d.line}`).sort());
    expect(result.orgs.length).toBe(rows.length - regenerated.defects.length);
    // ledger words are counted as the plan type, the word kept as written, without a warning
    const read = regenerated.understood.map((d) => {
      const o = result.orgs.find((x) => x.source.file === d.file && x.source.line === d.line)!;
      return [d.value, o.category, o.categoryRaw, o.registration];
    });
    expect(read.sort()).toEqual([
      ['志愿类', '志愿服务型', '志愿类', '备案'],
      ['文体类', '兴趣爱好型', '文体类', '备案'],
      ['注册', expect.any(String), expect.any(String), '登记'],
      ['注册', expect.any(String), expect.any(String), '登记'],
    ]);
    expect(result.warnings).toEqual([]);
  });
});
