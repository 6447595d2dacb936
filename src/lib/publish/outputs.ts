import Papa from 'papaparse';
import { PUBLISHED_COLUMNS, type PublishedFigure } from '../ingest/published';
import { toCsvBytes, BOM } from './csv';
import { buildWorkbooks, type AreaRows } from './xlsx';
import { inPackage, workbookPath } from './package-profile';
import type { AggregateOutput } from '../model/aggregate';
import { provinceOf } from '../core/area-codes';
import { zipFiles } from './zip';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { ParquetThread } from './parquet';
import { buildCitation, citationText } from './citation';
import {
  AREA_FILE,
  DATAPACKAGE_FILE,
  FILES,
  TABLES,
  ZIP_FILE,
  ZIP_NAME,
  buildDatapackage,
  buildReadme,
  isPartOf,
  parquetPaths,
  partName,
  partParquetPath,
  partPath,
  tableSchema,
  type FileFacts,
  type TableSpec,
} from './datapackage';
import { PROGRESS_CSV_COLUMNS, progressCsvRows, type ProgressOutput } from '../model/progress';
import { sha256, type Provenance } from './provenance';
import { METRICS, type Registry } from '../model/targets';
import { TIMESERIES_CSV_COLUMNS, type TimeSeriesOutput } from '../model/timeseries';
import { CATEGORIES, REGISTRATIONS, type AreaAggregate, type AreaLevel, type DatasetReadResult } from '../core/types';

/** Columns of areas.csv: PRODUCT.md's contract first, then the extra measures. */
export const AREA_CSV_COLUMNS = [
  'code', 'name', 'level', 'parent_code',
  'urban_units', 'rural_units', 'urban_orgs', 'rural_orgs',
  'urban_per_unit', 'rural_per_unit', 'urban_target', 'rural_target',
  'urban_gap', 'rural_gap', 'urban_required', 'rural_required', 'required_total', 'status',
  'urban_status', 'rural_status', 'other_units', 'other_orgs', 'unplaced_orgs', 'total_orgs',
  'urban_target_id', 'rural_target_id', 'has_data', 'name_en', 'as_of', 'sample',
] as const;

export const COMMUNITY_CSV_COLUMNS = [
  'code', 'name', 'kind', 'township_code', 'township_name', 'county_code', 'orgs', 'target', 'gap', 'as_of', 'sample',
] as const;

export const TOWNSHIP_CSV_COLUMNS = [
  'code', 'name', 'county_code', 'urban_units', 'rural_units', 'other_units',
  'urban_orgs', 'rural_orgs', 'other_orgs', 'unplaced_orgs', 'total_orgs', 'urban_per_unit', 'rural_per_unit', 'as_of', 'sample',
] as const;

export const BY_CATEGORY_CSV_COLUMNS = ['area_code', 'area_name', 'level', 'category', 'registration', 'orgs', 'as_of', 'sample'] as const;

export const TARGET_CSV_COLUMNS = [
  'id', 'document', 'document_title', 'document_issuer', 'document_number', 'document_date', 'section', 'clause', 'areas',
  'applies_to', 'metric', 'metric_label_zh', 'metric_label_en', 'comparator', 'value', 'unit', 'deadline', 'period_start',
  'categories', 'series', 'data_needed', 'note', 'registry_version',
] as const;

export const OBSERVATION_CSV_COLUMNS = ['area_code', 'metric', 'value', 'as_of', 'source_title', 'source_url', 'note', 'file', 'line'] as const;

/** progress.csv: every registry target × area it applies to, with the status inputs flattened (progress.ts). */
export const PROGRESS_DOWNLOAD_COLUMNS = [...PROGRESS_CSV_COLUMNS, 'as_of', 'sample'] as const;

/** timeseries.csv speaks areas.csv's vocabulary (urban_orgs, not urban), so the last point reads against areas.csv. */
const TIMESERIES_RENAME = {
  code: 'area_code', name: 'area_name', level: 'level', date: 'date', label: 'label', is_as_of: 'is_as_of',
  urban: 'urban_orgs', rural: 'rural_orgs', other: 'other_orgs', unplaced: 'unplaced_orgs', total: 'total_orgs',
  urban_units: 'urban_units', rural_units: 'rural_units', urban_per_unit: 'urban_per_unit', rural_per_unit: 'rural_per_unit',
} as const satisfies Record<(typeof TIMESERIES_CSV_COLUMNS)[number], string>;

export const TIMESERIES_DOWNLOAD_COLUMNS = [...TIMESERIES_CSV_COLUMNS.map((c) => TIMESERIES_RENAME[c]), 'undated_orgs', 'as_of', 'sample'] as const;

export const NEW_BY_YEAR_CSV_COLUMNS = ['area_code', 'area_name', 'level', 'year', 'partial', 'category', 'new_orgs', 'undated_not_counted', 'as_of', 'sample'] as const;

export const REJECTED_CSV_COLUMNS = ['file', 'sheet', 'line', 'column', 'reason', 'value', 'name'] as const;
export const WARNINGS_CSV_COLUMNS = ['file', 'sheet', 'line', 'column', 'value', 'assumed', 'reason', 'name'] as const;
export const SKIPPED_CSV_COLUMNS = ['file', 'sheet', 'line', 'kind', 'reason', 'text'] as const;
export const RECONCILIATION_CSV_COLUMNS = [
  'file', 'sheet', 'status', 'encoding', 'rows_read', 'accepted', 'rejected', 'skipped', 'warnings', 'ignored_columns', 'note',
] as const;

/**
 * reconciliation.csv: one row per CSV file and one per worksheet of a workbook (a workbook's
 * figures are the sum of its sheets' rows); a skipped sheet says why in `note`.
 */
export function reconciliationRows(rec: DownloadContext['read']['reconciliation']) {
  return rec.files.flatMap((f) => {
    const row = (sheet: string | null, status: string, x: { rowsRead: number; accepted: number; rejected: number; skipped: number; warnings: number; ignoredColumns: string[] }, note: string | null) => ({
      file: f.file, sheet, status, encoding: f.encoding, rows_read: x.rowsRead, accepted: x.accepted, rejected: x.rejected,
      skipped: x.skipped, warnings: x.warnings, ignored_columns: x.ignoredColumns.join(';'), note,
    });
    if (!f.sheets.length) return [row(null, 'read', f, null)];
    return f.sheets.map((s) => row(s.sheet, s.status, s, s.reason));
  });
}

/** Everything the downloads are made from. Pure input: the pipeline reads files, this only transforms. */
export interface DownloadContext {
  agg: AggregateOutput;
  read: DatasetReadResult;
  registry: Registry;
  provenance: Provenance;
  /** Every target evaluated for every area (build/site/progress.json). */
  progress: ProgressOutput;
  /** Year-end series of active and new organizations (build/site/timeseries.json). */
  timeseries: TimeSeriesOutput;
  /** Absolute URL of /data/ once the site is published (citation); null until then. */
  dataUrl?: string | null;
  /** Real published figures (data/published/figures.csv), in every build. */
  published?: readonly PublishedFigure[];
  /** The partitioned tables' Parquet parts, already being written (startPartParquet); written here when absent. */
  earlyParquet?: EarlyParquet | null;
}

/**
 * Every download as path → content, with what the writer already knows about each file (rows and
 * header of the tables, bytes and hash once measured), so the index and the data package never
 * re-parse or re-hash 200 MB of national downloads.
 */
export class DownloadFiles extends Map<string, string | Uint8Array> {
  /** Data rows (header excluded) and columns of each CSV and JSON table written. */
  readonly shapes = new Map<string, { rows: number; columns: string[] }>();
  private readonly measured = new Map<string, FileFacts & { content: string | Uint8Array }>();

  /** The file's bytes (UTF-8 for text). */
  bytes(path: string): Uint8Array {
    const content = this.get(path);
    if (content === undefined) throw new Error(`downloads: ${path} was not built`);
    return bytesOf(content);
  }

  /** Size and SHA-256, measured once per content. */
  facts(path: string): FileFacts {
    const content = this.get(path);
    if (content === undefined) throw new Error(`downloads: ${path} was not built`);
    const known = this.measured.get(path);
    if (known && known.content === content) return { bytes: known.bytes, sha256: known.sha256 };
    const bytes = bytesOf(content);
    const facts = { bytes: bytes.byteLength, sha256: sha256(bytes) };
    this.measured.set(path, { ...facts, content });
    return facts;
  }
}


type Row = Record<string, unknown>;
const gzipAsync = promisify(zlib.gzip);
const json = (value: unknown) => JSON.stringify(value, null, 2) + '\n';

export function areaCsvRows(areas: AreaAggregate[], asOf: string, sample: boolean) {
  return areas.map((a) => ({ ...a, as_of: asOf, sample }));
}

/** Active organizations per covered area × category × registration (zeros listed), from the aggregation's cube. */
export function organizationsByCategory(agg: AggregateOutput, read: Pick<DatasetReadResult, 'meta'>) {
  const { as_of: asOf, sample } = read.meta;
  const rows: { area_code: string; area_name: string; level: AreaLevel; category: string; registration: string; orgs: number; as_of: string; sample: boolean }[] = [];
  for (const area of agg.areas) {
    if (!area.has_data) continue;
    const cube = agg.categoryRegistration.get(area.code);
    if (!cube) throw new Error(`organizationsByCategory: no counts for covered area ${area.code}`);
    CATEGORIES.forEach((category, ci) =>
      REGISTRATIONS.forEach((registration, ri) => {
        rows.push({
          area_code: area.code, area_name: area.name, level: area.level, category, registration,
          orgs: cube[ci * REGISTRATIONS.length + ri], as_of: asOf, sample,
        });
      }),
    );
  }
  return rows;
}

export function timeSeriesDownloadRows(ts: TimeSeriesOutput) {
  // One literal per row, keys in TIMESERIES_DOWNLOAD_COLUMNS' order: renamed through Object.fromEntries, each of a
  // national build's 37,000 rows was a dictionary-mode object, slow to make and slower to read for every file after.
  return ts.areas.flatMap((a) =>
    a.points.map((p) => ({
      area_code: a.code, area_name: a.name, level: a.level, date: p.date, label: p.label, is_as_of: p.is_as_of,
      urban_orgs: p.urban, rural_orgs: p.rural, other_orgs: p.other, unplaced_orgs: p.unplaced, total_orgs: p.total,
      urban_units: a.urban_units, rural_units: a.rural_units, urban_per_unit: p.urban_per_unit, rural_per_unit: p.rural_per_unit,
      undated_orgs: a.undated_orgs,
    })),
  );
}

/** New organizations per area × calendar year × category (long format; zeros listed). */
export function newByYearRows(ts: TimeSeriesOutput) {
  return ts.areas.flatMap((a) =>
    a.new_by_year.flatMap((y) =>
      CATEGORIES.map((category) => ({
        area_code: a.code, area_name: a.name, level: a.level, year: y.year, partial: y.partial, category,
        new_orgs: y.by_category[category], undated_not_counted: a.new_undated,
      })),
    ),
  );
}

export function targetRows(registry: Registry) {
  const documents = new Map(registry.documents.map((d) => [d.id, d]));
  return registry.targets.map((t) => {
    const doc = documents.get(t.document)!;
    return {
      id: t.id,
      document: t.document,
      document_title: doc.title,
      document_issuer: doc.issuer,
      document_number: doc.number,
      document_date: doc.date,
      section: t.section,
      clause: t.clause,
      areas: t.areas.join(';'),
      applies_to: t.applies_to,
      metric: t.metric,
      metric_label_zh: METRICS[t.metric].label_zh,
      metric_label_en: METRICS[t.metric].label_en,
      comparator: t.comparator,
      value: t.value,
      unit: t.unit,
      deadline: t.deadline,
      period_start: t.period_start,
      categories: t.categories?.join(';') ?? null,
      series: t.series ?? null,
      data_needed: t.data_needed,
      note: t.note ?? null,
      registry_version: registry.version,
    };
  });
}

/** A table before its rows are projected to its columns: the model's objects, and the values every row adds. */
interface TableSource {
  columns: readonly string[];
  source: readonly object[];
  extra: Row;
}

/** Rows projected to a table's columns: one object per row, in the source's order. */
function project({ columns, extra }: TableSource, rows: readonly object[]): Row[] {
  return rows.map((r) => {
    const out: Row = {};
    for (const c of columns) out[c] = c in extra ? extra[c] : ((r as Row)[c] ?? null);
    return out;
  });
}

/** Rows of every table, keyed by the table's resource name, projected to its columns. */
export function tableRows(ctx: DownloadContext): Map<string, { columns: readonly string[]; rows: Row[] }> {
  return new Map([...tableSources(ctx)].map(([name, table]) => [name, { columns: table.columns, rows: project(table, table.source) }]));
}

function tableSources(ctx: DownloadContext): Map<string, TableSource> {
  const { agg, read, registry, progress, timeseries } = ctx;
  const { as_of: asOf, sample } = read.meta;
  const tables = new Map<string, TableSource>();
  const stamp = { as_of: asOf, sample };
  const put = (name: string, columns: readonly string[], source: readonly object[], extra: Row = {}) => tables.set(name, { columns, source, extra });
  put('areas', AREA_CSV_COLUMNS, areaCsvRows(agg.areas, asOf, sample));
  put('communities', COMMUNITY_CSV_COLUMNS, agg.communities, stamp);
  put('townships', TOWNSHIP_CSV_COLUMNS, agg.townships, stamp);
  put('organizations_by_category', BY_CATEGORY_CSV_COLUMNS, organizationsByCategory(agg, read));
  put('targets', TARGET_CSV_COLUMNS, targetRows(registry));
  put('progress', PROGRESS_DOWNLOAD_COLUMNS, progressCsvRows(progress), stamp);
  put('timeseries', TIMESERIES_DOWNLOAD_COLUMNS, timeSeriesDownloadRows(timeseries), stamp);
  put('new_by_year', NEW_BY_YEAR_CSV_COLUMNS, newByYearRows(timeseries), stamp);
  put('observations', OBSERVATION_CSV_COLUMNS, read.observations.map((o) => ({ ...o, file: o.source.file, line: o.source.line })));
  put('published', PUBLISHED_COLUMNS, ctx.published ?? []);
  put('rejected', REJECTED_CSV_COLUMNS, read.rejections.map((r) => ({ ...r, sheet: r.sheet ?? null })));
  put('warnings', WARNINGS_CSV_COLUMNS, read.warnings.map((w) => ({ ...w, sheet: w.sheet ?? null })));
  put('skipped', SKIPPED_CSV_COLUMNS, read.skipped.map((s) => ({ ...s, sheet: s.sheet ?? null })));
  put('reconciliation', RECONCILIATION_CSV_COLUMNS, reconciliationRows(read.reconciliation));
  return tables;
}

const bytesOf = (content: string | Uint8Array) => (typeof content === 'string' ? Buffer.from(content, 'utf8') : content);

/** A partitioned table's rows by province, provinces in code order, rows in table order (grouped once: linear in rows). */
function partsByProvince(rows: readonly object[]): [string, object[]][] {
  const parts = new Map<string, object[]>();
  for (const row of rows) {
    const { county_code, code } = row as Row;
    const province = provinceOf(String(county_code ?? code));
    const list = parts.get(province);
    if (list) list.push(row);
    else parts.set(province, [row]);
  }
  return [...parts].sort(([a], [b]) => (a < b ? -1 : 1));
}

/** The Parquet parts of the partitioned table (communities) being written on their own thread, by path. */
export interface EarlyParquet {
  softwareVersion: string;
  files: Map<string, { rows: number; bytes: Promise<Uint8Array> }>;
  close: () => Promise<void>;
}

/**
 * Starts the Parquet parts of the communities table as soon as the aggregation is done (scripts/pipeline.ts
 * runPipeline), each part posted now: the thread writes them (~3.5 s nationally) while the model stage, which runs on
 * this thread alone, computes the series and writes build/site. buildDownloads takes their bytes from here; the files
 * are the ones it would write itself (the same rows, columns and shared values; tests/publish/downloads.integration.test.ts).
 */
export function startPartParquet(agg: Pick<AggregateOutput, 'communities'>, meta: Pick<DatasetReadResult['meta'], 'as_of' | 'sample'>, softwareVersion: string): EarlyParquet {
  const spec = TABLES.find((t) => t.name === 'communities')!;
  const thread = new ParquetThread();
  const files = new Map<string, { rows: number; bytes: Promise<Uint8Array> }>();
  if (spec.partition && spec.parquet_path) {
    for (const [province, part] of partsByProvince(agg.communities)) {
      const bytes = thread.write(spec, part, softwareVersion, { as_of: meta.as_of, sample: meta.sample });
      bytes.catch(() => {}); // surfaces where buildDownloads awaits it
      files.set(partParquetPath(spec, province), { rows: part.length, bytes });
    }
  }
  return { softwareVersion, files, close: () => thread.close() };
}

/** Every download the pipeline writes under /data/, as path → content (deterministic, pure). */
export async function buildDownloads(ctx: DownloadContext): Promise<DownloadFiles> {
  const { agg, read, registry, provenance } = ctx;
  const meta = read.meta;
  const files = new DownloadFiles();
  const headers = new Map<string, string[]>();
  const rowCounts = new Map<string, number>();
  // Tables are held as UTF-8 bytes from the start: a national build's CSVs as JS strings and as the
  // bytes hashed, zipped and written would be two copies of ~200 MB.
  const putCsv = (path: string, columns: readonly string[], rows: readonly object[], shared?: Row): Buffer => {
    const csv = toCsvBytes(rows, columns, { shared });
    files.set(path, csv);
    headers.set(path, [...columns]);
    rowCounts.set(path, rows.length);
    files.shapes.set(path, { rows: rows.length, columns: [...columns] });
    return csv;
  };
  // A part of a partitioned table, or a table whose path ends in .gz, is gzip-compressed CSV (communities/44.csv.gz,
  // new_by_year.csv.gz): nationally the communities parts were 76 MB plain, ~8 MB compressed; pandas, R and DuckDB
  // read .csv.gz directly. Level 6 (zlib's default): 5 % larger than level 9 at a third of its time. Compressed on
  // zlib's thread pool while the next part is laid out; the plain bytes hold the file's place in `files` (the table's
  // order) until their gzip replaces them. No name or time in the header.
  const offThread: Promise<void>[] = [];
  const putCsvGz = (path: string, columns: readonly string[], rows: readonly object[], shared?: Row) => {
    const csv = putCsv(path, columns, rows, shared);
    const done = gzipAsync(csv, { level: 6 }).then((gz) => void files.set(path, new Uint8Array(gz.buffer, gz.byteOffset, gz.byteLength)));
    done.catch(() => {}); // surfaces at Promise.all(offThread) below
    offThread.push(done);
  };

  // Parquet is written on a worker thread (parquet.ts ParquetThread) while this one lays out the CSVs; an empty
  // placeholder holds the file's place in `files` until its bytes arrive.
  const parquet = new ParquetThread();
  // Parts started before this stage (startPartParquet) are taken as they are, when written by this software version.
  const early = ctx.earlyParquet && ctx.earlyParquet.softwareVersion === provenance.software.version ? ctx.earlyParquet : null;
  const putParquetBytes = (spec: TableSpec, path: string, rows: number, bytes: Promise<Uint8Array>) => {
    rowCounts.set(path, rows);
    files.shapes.set(path, { rows, columns: spec.fields.map((f) => f.name) });
    files.set(path, new Uint8Array(0));
    const done = bytes.then((b) => void files.set(path, b));
    done.catch(() => {}); // surfaces at Promise.all(offThread) below
    offThread.push(done);
  };
  const putParquet = (spec: TableSpec, path: string, rows: readonly object[], shared?: Row) =>
    putParquetBytes(spec, path, rows.length, parquet.write(spec, rows, provenance.software.version, shared));

  const trace = (what: string) => {
    if (process.env.CSO_TRACE) console.log(`  publish ${what} at ${(performance.now() / 1000).toFixed(1)} s: rss ${Math.round(process.memoryUsage().rss / 1e6)} MB, peak ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
  };
  trace('start');
  // Every table's rows made now; a partitioned table's are taken one part at a time as it is written (a national
  // build has 620,000 communities: projected at once, they stayed alive through the whole stage).
  const sources = tableSources(ctx);
  const specByName = new Map<string, TableSpec>(TABLES.map((t) => [t.name, t]));
  // A table with a JSON twin (areas, progress) is projected: the twin's rows are its columns in order, the shared
  // values in each. The others are written from their sources' rows as they are, the values every row shares beside
  // them (every writer reads a row by column name): projected, a national build's new_by_year alone was 184,000 copies.
  const tables = new Map(
    [...sources].map(([name, table]) => {
      const spec = specByName.get(name);
      if (spec?.partition) return [name, { columns: table.columns, rows: [] as Row[], shared: table.extra }];
      if (spec?.json_path) return [name, { columns: table.columns, rows: project(table, table.source), shared: {} }];
      return [name, { columns: table.columns, rows: table.source as Row[], shared: table.extra }];
    }),
  );
  trace('rows');
  // Per-area files: an area's row plus its children (each grouped once).
  const areaRows = tables.get('areas')!.rows;
  const childrenOf = new Map<string, Row[]>();
  for (const row of areaRows) {
    if (typeof row.parent_code !== 'string') continue;
    const list = childrenOf.get(row.parent_code);
    if (list) list.push(row);
    else childrenOf.set(row.parent_code, [row]);
  }
  const perArea = new Map<string, AreaRows>();
  const inTable = new Set(areaRows.map((row) => row.code as string));
  for (const row of areaRows) {
    const code = row.code as string;
    // A county's file would be its one row: its row is in its parent's file instead (src/lib/site/views/use-data.ts areaFileHolder),
    // which saves ~3,000 files and ~35 MB on a national build. A root without children keeps its own.
    if (!childrenOf.has(code) && typeof row.parent_code === 'string' && inTable.has(row.parent_code)) continue;
    perArea.set(code, { code, areas: [row, ...(childrenOf.get(code) ?? [])] });
  }
  const divisions = {
    package: provenance.divisions.package, version: provenance.divisions.version,
    dataset: provenance.divisions.dataset, license: provenance.divisions.license,
  };
  // For Excel/WPS: a workbook beside each table's CSV and each area's CSV (src/lib/publish/xlsx.ts). Started
  // now: their compression runs on zlib's thread pool (the second core) while the CSVs and Parquet are written.
  const workbooks = buildWorkbooks({
    tables, perArea: [...perArea.values()], softwareVersion: provenance.software.version,
    rights: { meta, registryVersion: registry.version, divisions, documents: registry.documents },
  });
  workbooks.catch(() => {}); // a failure surfaces where it is awaited below, not as an unhandled rejection meanwhile
  const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));
  for (const [name, { columns, rows, shared }] of tables) {
    const spec = specByName.get(name);
    if (!spec) throw new Error(`outputs: table ${name} has no entry in the data dictionary (src/lib/publish/datapackage.ts)`);
    if (spec.partition) {
      // One file per province. The model's rows as they are, the values every row shares (as_of, sample) beside them:
      // projected, a national build's 620,000 communities were as many new objects, made and dropped within the part.
      const source = sources.get(name)!;
      for (const [province, part] of partsByProvince(source.source)) {
        putCsvGz(partPath(spec, province), columns, part, source.extra);
        const parquetPath = partParquetPath(spec, province);
        const started = early?.files.get(parquetPath);
        if (started && started.rows === part.length) {
          early!.files.delete(parquetPath);
          putParquetBytes(spec, parquetPath, part.length, started.bytes);
        } else if (spec.parquet_path) putParquet(spec, parquetPath, part, source.extra);
        await parquet.below(1); // each part's columns in flight at most twice: a national build's peak stays under 1.5 GB
        await breathe(); // lets the workbooks queue their next compression
      }
      continue;
    }
    await breathe();
    (spec.path.endsWith('.gz') ? putCsvGz : putCsv)(spec.path, columns, rows, shared);
    if (spec.parquet_path) {
      putParquet(spec, spec.parquet_path, rows, shared);
      await parquet.below(1);
    }
    if (spec.json_path) {
      // JSON twins are compact (one line): indented, the national timeseries.json alone was 16 MB.
      files.set(spec.json_path, Buffer.from(JSON.stringify(rows) + '\n', 'utf8'));
      rowCounts.set(spec.json_path, rows.length);
      files.shapes.set(spec.json_path, { rows: rows.length, columns: spec.fields.map((f) => f.name) });
    }
  }

  trace('laid out');
  try {
    // a part started but not taken (other rows) was written here instead; one the table lacks is a bug
    const stray = early ? [...early.files.keys()].filter((p) => !files.has(p)) : [];
    if (stray.length) throw new Error(`outputs: Parquet parts started for no part of the table: ${stray.join(', ')}`);
    await Promise.all(offThread);
  } finally {
    await parquet.close();
    await ctx.earlyParquet?.close();
  }
  trace('tables');
  for (const area of perArea.values()) putCsv(AREA_FILE.areas(area.code), AREA_CSV_COLUMNS, area.areas as Row[]);

  // A county's communities are in its province's part (communities/{province}.csv): per-county copies
  // would add 2,900 files and ~60 MB to a national build for rows already published.
  trace('per-area');
  const areasSpec = specByName.get('areas')!;
  const communitiesSpec = specByName.get('communities')!;
  files.set(AREA_FILE.schema.areas, json(tableSchema(areasSpec)));
  files.set(AREA_FILE.schema.communities, json(tableSchema(communitiesSpec)));
  files.set('targets.json', json(registry));
  files.set('provenance.json', json(provenance));

  const citation = buildCitation({
    title: meta.title, title_en: meta.title_en, publisher: meta.publisher, as_of: meta.as_of, sample: meta.sample,
    softwareVersion: provenance.software.version, registryVersion: registry.version, url: ctx.dataUrl ?? null,
  });
  files.set('CITATION.txt', BOM + citationText(citation));

  const facts = () => new Map<string, FileFacts | null>([...files.keys()].map((p) => [p, BUILD_TIME_FILES.has(p) ? null : files.facts(p)]));
  for (const [p, bytes] of await workbooks) files.set(p, bytes);
  trace('workbooks');
  files.set(
    'README.md',
    buildReadme({
      meta, softwareVersion: provenance.software.version, registryVersion: registry.version,
      divisions, citation, files: facts(), rows: rowCounts,
    }),
  );
  files.set(
    DATAPACKAGE_FILE.path,
    json(
      buildDatapackage({
        meta, softwareVersion: provenance.software.version, registryVersion: registry.version,
        divisions, documents: registry.documents, files: facts(), headers, homepage: ctx.dataUrl ?? null,
      }),
    ),
  );

  trace('metadata');
  // One archive of every file for programs (the workbooks, for people, are downloaded one by one), in a folder so unzipping never litters. Its mtime is the as-of date, so the
  // archive changes with the build time only through the provenance.json it carries.
  const folder = ZIP_NAME.replace(/\.zip$/, '');
  const zipped = await zipFiles(
    [...files.keys()].filter((p) => inPackage(p)).map((p) => ({ name: `${folder}/${p}`, data: files.bytes(p) })),
    new Date(`${meta.as_of}T00:00:00Z`),
  );
  files.set(ZIP_NAME, zipped);
  trace('zip');
  return files;
}

// ---------------------------------------------------------------------------------------------
// The index the /data/ page renders (build/site/downloads.json)

export interface DownloadEntry {
  path: string; // under /data/
  group: 'table' | 'json' | 'parquet' | 'workbook' | 'area' | 'metadata' | 'archive';
  title_zh: string;
  title_en: string;
  description_zh: string;
  description_en: string;
  bytes: number | null; // null for BUILD_TIME_FILES
  rows: number | null; // data rows (header excluded) of a CSV or JSON array; null for other files
  columns: string[];
  sha256: string | null; // null for BUILD_TIME_FILES
}

/**
 * Files that carry the build time: provenance.json, and the zip that holds it. Their size and hash are
 * not listed anywhere else (data page, README, datapackage), so the build time stays in them alone.
 */
export const BUILD_TIME_FILES: ReadonlySet<string> = new Set(['provenance.json', ZIP_NAME]);

function csvShape(text: string): { rows: number; columns: string[] } {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: true });
  const [header = [], ...rows] = parsed.data;
  return { rows: rows.length, columns: header };
}

/** Sizes, row counts, columns and hashes of the files themselves (rows and columns as written, else parsed), in the data page's order. */
export function downloadIndex(files: DownloadFiles | Map<string, string | Uint8Array>): DownloadEntry[] {
  const entries: DownloadEntry[] = [];
  const known = files instanceof DownloadFiles ? files : null;
  const measure = (path: string) => {
    const content = files.get(path);
    if (content === undefined) throw new Error(`downloadIndex: ${path} was not built`);
    // Decoded only when the writer did not record the file's shape (a plain Map, in tests).
    const text = () => (typeof content === 'string' ? content : Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('utf8'));
    if (BUILD_TIME_FILES.has(path)) return { bytes: null, sha256: null, text };
    const f = known ? known.facts(path) : { bytes: bytesOf(content).byteLength, sha256: sha256(bytesOf(content)) };
    return { bytes: f.bytes, sha256: f.sha256, text };
  };
  const shapeOf = (path: string, text: () => string) => known?.shapes.get(path) ?? csvShape(text());
  for (const table of TABLES) {
    const text = { title_zh: table.title_zh, title_en: table.title_en, description_zh: table.description_zh, description_en: table.description_en };
    const paths = table.partition ? [...files.keys()].filter((p) => isPartOf(table, p)).sort() : [table.path];
    for (const path of paths) {
      const csv = measure(path);
      const part = table.partition ? partName(table, path) : null;
      const titled = part ? { ...text, title_zh: `${table.title_zh} ${part}`, title_en: `${table.title_en} ${part}` } : text;
      entries.push({ path, group: 'table', ...titled, bytes: csv.bytes, sha256: csv.sha256, ...shapeOf(path, csv.text) });
    }
    if (table.json_path) {
      const twin = measure(table.json_path);
      const rows = known?.shapes.get(table.json_path)?.rows ?? (JSON.parse(twin.text()) as Row[]).length;
      entries.push({
        path: table.json_path, group: 'json', ...text, bytes: twin.bytes, sha256: twin.sha256,
        rows, columns: table.fields.map((f) => f.name),
      });
    }
    for (const path of parquetPaths(table, files.keys())) {
      const m = measure(path);
      const part = table.partition ? ` ${partName(table, path)}` : '';
      entries.push({
        path, group: 'parquet', ...text, title_zh: `${table.title_zh}${part}（Parquet）`, title_en: `${table.title_en}${part} (Parquet)`,
        bytes: m.bytes, sha256: m.sha256, rows: known?.shapes.get(path)?.rows ?? null, columns: table.fields.map((f) => f.name),
      });
    }
    const workbook = workbookPath(table.path);
    if (files.has(workbook)) {
      const m = measure(workbook);
      const rows = entries.find((e) => e.path === table.path)!.rows;
      entries.push({ path: workbook, group: 'workbook', ...text, bytes: m.bytes, sha256: m.sha256, rows, columns: [] });
    }
  }
  for (const file of [...FILES, DATAPACKAGE_FILE, ZIP_FILE]) {
    const m = measure(file.path);
    entries.push({
      path: file.path, group: file.path === ZIP_NAME ? 'archive' : 'metadata',
      title_zh: file.title_zh, title_en: file.title_en, description_zh: file.description_zh, description_en: file.description_en,
      bytes: m.bytes, sha256: m.sha256, rows: null, columns: [],
    });
  }
  for (const path of [...files.keys()].filter((p) => p.startsWith('areas/')).sort()) {
    const m = measure(path);
    const code = path.replace(/^areas\//, '').replace(/\.(csv|xlsx)$/, '');
    if (path.endsWith('.xlsx')) {
      entries.push({
        path, group: 'area', title_zh: `${code} 工作簿（Excel/WPS）`, title_en: `Workbook of ${code} (Excel/WPS)`,
        description_zh: '该地区的 Excel/WPS 工作簿：地区表，另有“说明”和“来源”。',
        description_en: 'The area’s Excel/WPS workbook: its areas sheet, plus Definitions and Sources.',
        bytes: m.bytes, sha256: m.sha256, rows: null, columns: [],
      });
      continue;
    }
    entries.push({
      path, group: 'area',
      title_zh: `${code} 及下辖地区`,
      title_en: `Area ${code} and its children`,
      description_zh: '该地区一行及其下辖地区各一行，列同 areas.csv。',
      description_en: 'The area’s row and its child areas; columns as areas.csv.',
      bytes: m.bytes, sha256: m.sha256, ...shapeOf(path, m.text),
    });
  }
  const listed = new Set(entries.map((e) => e.path));
  const unlisted = [...files.keys()].filter((p) => !listed.has(p));
  if (unlisted.length) throw new Error(`downloadIndex: files with no entry in the data dictionary: ${unlisted.join(', ')}`);
  return entries;
}

/** Files the pages read (build/site): the download index and the provenance manifest. */
export function dataPageFiles(files: DownloadFiles | Map<string, string | Uint8Array>): Map<string, string> {
  const provenance = files.get('provenance.json');
  if (typeof provenance !== 'string') throw new Error('dataPageFiles: provenance.json was not built');
  return new Map([
    ['downloads.json', json(downloadIndex(files))],
    ['provenance.json', provenance],
  ]);
}
