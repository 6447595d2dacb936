/**
 * The downloads as the readers researchers use would open them, on the real pipeline's output for the
 * shipped sample and for a hostile fixture (formula-looking text, quotes, commas):
 *   - the Frictionless reference library (datapackage@1.1.10): the descriptor validates, and every
 *     tabular resource reads with casting and its foreign keys checked, to the writer's own values;
 *   - DuckDB read_csv with default options: the schema's columns, every row, the Chinese text intact;
 *   - pandas read_csv and R readr::read_csv with default options, where installed (Debian
 *     python3-pandas, r-cran-readr); skipped otherwise, never faked.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Package, validate } from 'datapackage';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { BOM, neutraliseFormula } from '../../src/lib/publish/csv';
import { TABLES, type FieldSpec, type TableSpec } from '../../src/lib/publish/datapackage';
import { PROJECT_LICENSE, TABLE_PROFILE, inPackage } from '../../src/lib/publish/package-profile';
import { DOWNLOAD_FIXTURES, ROOT, firstWorking, runsOf, type PipelineRun } from '../helpers/pipeline-run';

const FIXTURES = DOWNLOAD_FIXTURES;
const run = runsOf(FIXTURES);
/** One strict load per build (loading ~250 resources takes seconds); strict mode throws on any descriptor error. */
const packages = new Map<string, Promise<Package>>();
const load = (name: string, strict: boolean) => {
  const key = `${name}:${strict}`;
  if (!packages.has(key)) packages.set(key, Package.load(path.join(run(name).downloadsDir, 'datapackage.json'), run(name).downloadsDir, strict));
  return packages.get(key)!;
};
const strictPackage = (name: string) => load(name, true);
/** The package with every gzip table gunzipped beside it and described as plain CSV (asGunzipped), loaded strictly. */
const gunzipped = new Map<string, Promise<Package>>();
const gunzippedPackage = (name: string) => {
  if (!gunzipped.has(name)) {
    const dir = path.join(run(name).base, `gunzipped-${name}`);
    cpSync(run(name).downloadsDir, dir, { recursive: true });
    const d = JSON.parse(readFileSync(path.join(dir, 'datapackage.json'), 'utf8'));
    const file = path.join(dir, 'gunzipped.json');
    writeFileSync(file, JSON.stringify({ ...d, resources: d.resources.map(asGunzipped(dir)) }));
    gunzipped.set(name, Package.load(file, dir, true));
  }
  return gunzipped.get(name)!;
};
/** The library's default (non-strict) mode, as a researcher's `Package.load(path)` gets it. */
const defaultPackage = (name: string) => load(name, false);

type Row = Record<string, unknown>;
const tableOf = (name: string) => TABLES.find((t) => t.name === name)!;
/** Tables published as one file; a table split by province (communities/{province}.csv) is read part by part in tests/publish/downloads.integration.test.ts. */
const PLAIN = TABLES.filter((t) => !t.partition);

/** A value as a CSV reader must see it: text with its formula guard, '' as missing. */
function asWritten(value: unknown, field: FieldSpec): unknown {
  if (value === null || value === undefined || value === '') return null;
  if (field.type === 'string') return neutraliseFormula(String(value));
  return value;
}

/** A reference-library value in plain JSON terms (dates come back as Date at 00:00 UTC). */
function plain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return value;
}

const csvRowCount = (text: string) => Papa.parse(text, { skipEmptyLines: true }).data.length - 1;

/**
 * A communities part as a user of a v1 reader gets it: gunzipped beside the .csv.gz (unless already there)
 * and described as the plain CSV table it is (the v1 profile has no `compression`; datapackage.ts).
 */
const asGunzipped = (dir: string) => (r: Row): Row => {
  if (r.compression !== 'gz') return r;
  const gz = path.join(dir, String(r.path));
  const csv = gz.replace(/\.gz$/, '');
  if (!existsSync(csv)) writeFileSync(csv, gunzipSync(readFileSync(gz)));
  const { compression: _, bytes: _b, hash: _h, ...rest } = r;
  return { ...rest, path: String(r.path).replace(/\.gz$/, ''), profile: TABLE_PROFILE };
};

describe.each(FIXTURES)('the Frictionless reference library on the %s build', (name) => {
  it('validates the descriptor (data-package; CSVs tabular-data-resources, the rest data-resources)', async () => {
    const { valid, errors } = await validate(path.join(run(name).downloadsDir, 'datapackage.json'));
    expect(errors.map((e) => e.message)).toEqual([]);
    expect(valid).toBe(true);
    const pkg = await strictPackage(name);
    expect(pkg.valid).toBe(true);
    expect(pkg.descriptor.profile).toBe('data-package');
    for (const r of pkg.resources) {
      const csv = String(r.descriptor.path).endsWith('.csv');
      expect(r.descriptor.profile, String(r.descriptor.path)).toBe(csv ? 'tabular-data-resource' : 'data-resource');
      // a gzip part says format csv (with compression gz), which the v1 library takes for tabular
      expect(r.tabular, String(r.descriptor.path)).toBe(csv || r.descriptor.compression === 'gz');
    }
  });

  it('guesses no other resource tabular in its default (non-strict) mode: every table it offers, it can read', async () => {
    const pkg = await defaultPackage(name);
    const tabular = pkg.resources.filter((r) => r.tabular).map((r) => String(r.descriptor.path));
    expect(tabular.length).toBeGreaterThan(10);
    // The v1 library has no compression: it offers the gzip parts too and cannot decompress them; a v1 user
    // gunzips them first (read below, 'communities parts, gunzipped'). Every other table it offers, it reads.
    const gz = tabular.filter((p) => p.endsWith('.csv.gz'));
    expect(gz.sort()).toEqual(run(name).files().filter((p) => p.endsWith('.csv.gz')));
    expect(gz).toContain('new_by_year.csv.gz');
    expect(tabular.filter((p) => !p.endsWith('.csv.gz')).sort()).toEqual(run(name).files().filter((p) => p.endsWith('.csv')));
  });

  it('states a licence and sources on every table resource; the project licence is package.json’s', async () => {
    const d = JSON.parse(run(name).text('datapackage.json'));
    expect(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).license).toBe(PROJECT_LICENSE);
    for (const r of d.resources) {
      expect(r.licenses?.length, r.path).toBeGreaterThan(0);
      if (r.profile === TABLE_PROFILE) expect(r.sources?.length, r.path).toBeGreaterThan(0);
    }
    const byName = new Map(d.resources.map((r: { name: string }) => [r.name, r]));
    const dataset = run(name).result.read.meta;
    expect((byName.get('areas') as { licenses: { title: string }[] }).licenses[0].title).toBe(dataset.license);
    expect((byName.get('targets') as { licenses: { title: string }[] }).licenses[0].title).toBe(PROJECT_LICENSE);
    const targetSources = (byName.get('targets') as { sources: { title: string }[] }).sources.map((s) => s.title).join('\n');
    for (const doc of run(name).result.registry.documents) expect(targetSources).toContain(doc.title);
  });

  it.each(PLAIN.map((t) => [t.name, t] as const))('reads %s with casting and foreign keys to the writer’s values', async (tableName, table) => {
    // a gzip-compressed table (new_by_year.csv.gz) is read gunzipped, as a v1 reader's user gets it
    const pkg = table.path.endsWith('.gz') ? await gunzippedPackage(name) : await strictPackage(name);
    const resource = pkg.getResource(tableName)!;
    const rows = await resource.read({ keyed: true, relations: !!table.foreignKeys });
    const expected = run(name).rows().get(tableName)!.rows;
    expect(rows.length).toBe(expected.length);
    // With relations on, foreign-key fields come back as the referenced row: compare their key value.
    const fkFields = new Set((table.foreignKeys ?? []).map((fk) => fk.fields as string));
    rows.forEach((row, i) => {
      const got = Object.fromEntries(
        table.fields.map((f) => {
          const v = row[f.name];
          const key = fkFields.has(f.name) && v && typeof v === 'object' && !(v instanceof Date) ? (v as Row)[String(table.foreignKeys!.find((k) => k.fields === f.name)!.reference.fields)] : v;
          return [f.name, plain(key)];
        }),
      );
      const want = Object.fromEntries(table.fields.map((f) => [f.name, asWritten(expected[i][f.name], f)]));
      expect(got, `${table.path} row ${i + 2}`).toEqual(want);
    });
  });

  it('reads every per-area file, its rows being those of areas.csv', async () => {
    const pkg = await strictPackage(name);
    const perArea = pkg.resources.filter((r) => String(r.descriptor.path).startsWith('areas/'));
    expect(perArea.length).toBe(run(name).files().filter((p) => p.startsWith('areas/') && p.endsWith('.csv')).length);
    const areas = new Map(run(name).rows().get('areas')!.rows.map((r) => [r.code, r]));
    const table = tableOf('areas');
    for (const r of perArea) {
      const rows = await r.read({ keyed: true, relations: true });
      expect(rows.length, String(r.descriptor.path)).toBe(csvRowCount(run(name).text(String(r.descriptor.path))));
      for (const row of rows) {
        const source = areas.get(row.code as string)!;
        expect(plain(row.as_of)).toBe(source.as_of);
        expect(row.name, String(r.descriptor.path)).toBe(asWritten(source.name, table.fields[1]));
      }
    }
  });
});

describe.each(FIXTURES)('the reference library on the %s build’s communities parts, gunzipped as a user would', (name) => {
  it('reads every part with casting and its foreign keys, to the writer’s rows', async () => {
    const d = JSON.parse(run(name).text('datapackage.json'));
    const parts = d.resources.filter((r: Row) => r.compression === 'gz' && String(r.name).startsWith('communities-'));
    expect(parts.length).toBeGreaterThan(0);
    expect(d.resources.filter((r: Row) => r.compression === 'gz').every((r: Row) => r.profile === 'data-resource' && r.format === 'csv' && String(r.path).endsWith('.csv.gz'))).toBe(true);
    const pkg = await gunzippedPackage(name);
    const written = new Map(run(name).rows().get('communities')!.rows.map((r) => [r.code, r]));
    const table = tableOf('communities');
    let read = 0;
    for (const part of parts) {
      const rows = await pkg.getResource(part.name)!.read({ keyed: true, relations: true });
      read += rows.length;
      for (const row of rows) {
        const source = written.get(row.code as string)!;
        expect(row.name, part.path).toBe(asWritten(source.name, table.fields[1]));
        expect(row.orgs, `${part.path} ${row.code}`).toBe(source.orgs);
        expect((row.township_code as Row).code, `${part.path} ${row.code}`).toBe(source.township_code);
      }
    }
    expect(read).toBe(written.size);
  });
});

describe('the reference library’s checks are real (each fails on a broken copy)', () => {
  const brokenCopy = (edit: (dir: string) => void) => {
    const dir = path.join(run('sample').base, `broken-${Math.random().toString(36).slice(2)}`);
    cpSync(run('sample').downloadsDir, dir, { recursive: true });
    edit(dir);
    return dir;
  };
  // The broken copy's descriptor, cut to the tables the foreign keys reach (a quicker load than all ~250
  // resources). Written beside the files: loaded as an object, the library resolves related tables against
  // the working directory instead of the base path.
  const cutDescriptor = (dir: string, change: (d: Row) => Row = (d) => d, extra: string[] = []) => {
    const d = JSON.parse(readFileSync(path.join(dir, 'datapackage.json'), 'utf8'));
    const keep = new Set(['areas', 'communities-510000', 'townships', 'targets', ...extra]);
    const file = path.join(dir, 'cut.json');
    const resources = d.resources.filter((r: { name: string }) => keep.has(r.name)).map(asGunzipped(dir));
    writeFileSync(file, JSON.stringify(change({ ...d, resources })));
    return file;
  };
  const readAll = async (dir: string, resource: string) => {
    const pkg = await Package.load(cutDescriptor(dir), dir, true);
    return pkg.getResource(resource)!.read({ keyed: true, relations: true });
  };

  it('a UTF-8 BOM (what every CSV had before) hides the first header from it', async () => {
    const dir = brokenCopy((d) => writeFileSync(path.join(d, 'areas.csv'), BOM + readFileSync(path.join(d, 'areas.csv'), 'utf8')));
    await expect(readAll(dir, 'areas')).rejects.toThrow(/header name/);
  });

  it('a community whose township is not in townships.csv breaks the foreign key', async () => {
    const dir = brokenCopy((d) => {
      const file = path.join(d, 'communities', '510000.csv');
      const [header, first, ...rest] = gunzipSync(readFileSync(`${file}.gz`)).toString('utf8').split('\r\n');
      const cells = first.split(',');
      cells[header.split(',').indexOf('township_code')] = '999999999';
      writeFileSync(file, [header, cells.join(','), ...rest].join('\r\n'));
    });
    await expect(readAll(dir, 'communities-510000')).rejects.toThrow(/Foreign key "township_code" violation/);
  });

  it('a count that is not an integer fails casting', async () => {
    const dir = brokenCopy((d) => {
      const file = path.join(d, 'townships.csv');
      const [header, first, ...rest] = readFileSync(file, 'utf8').split('\r\n');
      const cells = first.split(',');
      cells[header.split(',').indexOf('urban_units')] = '3.5';
      writeFileSync(file, [header, cells.join(','), ...rest].join('\r\n'));
    });
    await expect(readAll(dir, 'townships')).rejects.toThrow();
  });

  it('a descriptor that calls itself a tabular-data-package (as before) does not validate', async () => {
    const dir = brokenCopy(() => {});
    const pkg = await Package.load(cutDescriptor(dir, (d) => ({ ...d, profile: 'tabular-data-package' }), ['areas-json', 'readme-md']), dir);
    expect(pkg.valid).toBe(false);
    expect(pkg.errors.map((e) => e.message).join('\n')).toMatch(/No enum match for: "data-resource"/);
  });
});

describe.each(FIXTURES)('DuckDB read_csv with default options on the %s build', (name) => {
  it('reads every CSV: the schema’s columns, every row, every text cell intact', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const db = await instance.connect();
    const r = run(name);
    const tables: [string, TableSpec, Row[]][] = PLAIN.map((t) => [t.path, t, r.rows().get(t.name)!.rows]);
    for (const [p, table, expected] of tables) {
      const file = path.join(r.downloadsDir, p).replace(/'/g, "''");
      const described = (await (await db.runAndReadAll(`DESCRIBE SELECT * FROM read_csv('${file}')`)).getRowObjectsJS()) as { column_name: string; column_type: string }[];
      expect(described.map((c) => c.column_name), p).toEqual(table.fields.map((f) => f.name));
      const rows = (await db.runAndReadAll(`SELECT * FROM read_csv('${file}')`)).getRowObjectsJS();
      expect(rows.length, p).toBe(expected.length);
      // Every column DuckDB keeps as text holds exactly the written text (Chinese, quotes, guard).
      const text = described.filter((c) => c.column_type === 'VARCHAR').map((c) => c.column_name);
      for (const column of text) {
        const field = table.fields.find((f) => f.name === column)!;
        expect(rows.map((row) => row[column] ?? null), `${p}.${column}`).toEqual(expected.map((row) => {
          const v = asWritten(row[column], field);
          return v === null ? null : String(v);
        }));
      }
      if (table.fields.some((f) => f.name === 'name')) expect(text, p).toContain('name');
    }
    db.closeSync();
    instance.closeSync();
  });
});

/** What a reader's default read_csv returns per file: header, row count, and each text column's values. */
interface ReaderView {
  columns: string[];
  rows: number;
  text: Record<string, (string | null)[]>;
}

/** Copy the CSVs flat, as a browser would download them, and give the reader their names. */
function flatCopy(r: PipelineRun, dirName: string): { dir: string; files: string[] } {
  const dir = path.join(r.base, dirName);
  mkdirSync(dir, { recursive: true });
  const files = PLAIN.map((t) => t.path);
  for (const p of files) copyFileSync(path.join(r.downloadsDir, p), path.join(dir, p));
  return { dir, files };
}

function checkReader(r: PipelineRun, views: Record<string, ReaderView>) {
  for (const table of PLAIN) {
    const view = views[table.path];
    const expected = r.rows().get(table.name)!.rows;
    expect(view.columns, table.path).toEqual(table.fields.map((f) => f.name));
    expect(view.rows, table.path).toBe(expected.length);
    for (const [column, values] of Object.entries(view.text)) {
      const field = table.fields.find((f) => f.name === column)!;
      if (field.type !== 'string') continue; // e.g. readr reads an ISO date column as Date; compared elsewhere
      expect(values, `${table.path}.${column}`).toEqual(expected.map((row) => {
        const v = asWritten(row[column], field);
        return v === null ? null : String(v);
      }));
    }
    if (table.fields.some((f) => f.name === 'name')) expect(Object.keys(view.text), table.path).toContain('name');
  }
}

const READR_SCRIPT = String.raw`suppressMessages(library(readr))
esc <- function(x) {
  y <- gsub("\\", "\\\\", x, fixed = TRUE)
  y <- gsub("\n", "\\n", y, fixed = TRUE)
  y <- gsub("\r", "\\r", y, fixed = TRUE)
  y <- gsub("\t", "\\t", y, fixed = TRUE)
  ifelse(is.na(x), "\\N", y)
}
out <- file("out.tsv", open = "wb")
for (f in commandArgs(trailingOnly = TRUE)) {
  d <- read_csv(f, show_col_types = FALSE, progress = FALSE)
  writeLines(paste(c("file", f, nrow(d), names(d)), collapse = "\t"), out, useBytes = TRUE)
  for (col in names(d)) if (is.character(d[[col]])) writeLines(paste(c("text", col, esc(d[[col]])), collapse = "\t"), out, useBytes = TRUE)
}
close(out)
`;

const PYTHON = firstWorking(['python3', '/usr/bin/python3'], ['-c', 'import pandas']);
const RSCRIPT = firstWorking(['Rscript'], ['-e', 'library(readr)']);

describe.runIf(PYTHON).each(FIXTURES)('pandas read_csv with default options on the %s build', (name) => {
  it('reads every CSV: columns, rows and text intact', () => {
    const { dir, files } = flatCopy(run(name), 'pandas');
    const script = [
      'import json, sys, pandas as pd',
      'out = {}',
      'for f in sys.argv[1:]:',
      '    df = pd.read_csv(f)',
      '    text = {c: [None if pd.isna(v) else v for v in df[c]] for c in df.columns if df[c].dtype == object}',
      '    out[f] = {"columns": list(df.columns), "rows": len(df), "text": text}',
      'print(json.dumps(out, ensure_ascii=False))',
    ].join('\n');
    const output = execFileSync(PYTHON!, ['-c', script, ...files], { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20 });
    checkReader(run(name), JSON.parse(output));
  });
});

describe.runIf(RSCRIPT).each(FIXTURES)('R readr::read_csv with default options on the %s build', (name) => {
  it('reads every CSV: columns, rows and text intact', () => {
    const { dir, files } = flatCopy(run(name), 'readr');
    // No JSON package beside Debian's readr: one line per item, fields tab-separated, text cells escaped.
    writeFileSync(path.join(dir, 'read.R'), READR_SCRIPT);
    execFileSync(RSCRIPT!, ['read.R', ...files], { cwd: dir, encoding: 'utf8' });
    const unesc = (s: string) => (s === '\\N' ? null : s.replace(/\\(\\|n|r|t)/g, (_, c: string) => ({ '\\': '\\', n: '\n', r: '\r', t: '\t' })[c]!));
    const views: Record<string, ReaderView> = {};
    let current: ReaderView | null = null;
    for (const line of readFileSync(path.join(dir, 'out.tsv'), 'utf8').split('\n').filter(Boolean)) {
      const [kind, ...cells] = line.split('\t');
      if (kind === 'file') {
        const [file, rows, ...columns] = cells;
        current = views[file] = { columns, rows: Number(rows), text: {} };
      } else {
        const [column, ...values] = cells;
        current!.text[column] = values.map(unesc);
      }
    }
    checkReader(run(name), views);
  });
});

describe('every file for programs is described, none for people', () => {
  it.each(FIXTURES)('%s: datapackage.json lists every CSV and JSON, no workbook', (name) => {
    const d = JSON.parse(run(name).text('datapackage.json'));
    const paths = new Set(d.resources.map((r: { path: string }) => r.path));
    for (const p of run(name).files()) {
      if (p.endsWith('.csv') || (p.endsWith('.json') && p !== 'datapackage.json')) expect(paths.has(p), p).toBe(true);
      if (!inPackage(p)) expect(paths.has(p), p).toBe(false);
    }
  });
});
