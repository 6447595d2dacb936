import { zipSync, strToU8 } from 'fflate';
import Papa from 'papaparse';
import { toCsv, BOM } from './csv';
import { zipTime } from './zip-time';
import { buildWorkbooks, type AreaRows } from './xlsx';
import { inPackage, workbookPath } from './package-profile';
import { isActiveAt, type AggregateOutput } from '../model/aggregate';
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
  tableSchema,
  type FileFacts,
  type TableSpec,
} from './datapackage';
import { PROGRESS_CSV_COLUMNS, progressCsvRows, type ProgressOutput } from '../model/progress';
import { sha256, type Provenance } from './provenance';
import { METRICS, type Registry } from '../model/targets';
import { TIMESERIES_CSV_COLUMNS, timeSeriesCsvRows, type TimeSeriesOutput } from '../model/timeseries';
import { CATEGORIES, REGISTRATIONS, type AreaAggregate, type AreaLevel, type DatasetReadResult } from '../core/types';

/** Columns of areas.csv: PRODUCT.md's contract first, then the extra measures. */
export const AREA_CSV_COLUMNS = [
  'code', 'name', 'level', 'parent_code',
  'urban_units', 'rural_units', 'urban_orgs', 'rural_orgs',
  'urban_per_unit', 'rural_per_unit', 'urban_target', 'rural_target',
  'urban_gap', 'rural_gap', 'status',
  'urban_status', 'rural_status', 'other_units', 'other_orgs', 'unplaced_orgs', 'total_orgs',
  'urban_target_id', 'rural_target_id', 'has_data', 'as_of', 'sample',
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

export const REJECTED_CSV_COLUMNS = ['file', 'line', 'column', 'reason', 'value', 'name'] as const;
export const RECONCILIATION_CSV_COLUMNS = ['file', 'encoding', 'rows_read', 'accepted', 'rejected', 'ignored_columns'] as const;

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
}

export type DownloadFiles = Map<string, string | Uint8Array>;

/** Site-relative URL of an area's own CSV (linked from its briefing page). */
export const areaDownloadPath = (code: string) => `/data/${AREA_FILE.areas(code)}`;
export const areaCommunitiesDownloadPath = (code: string) => `/data/${AREA_FILE.communities(code)}`;

type Row = Record<string, unknown>;
const pick = (row: object, columns: readonly string[]): Row => Object.fromEntries(columns.map((c) => [c, (row as Row)[c] ?? null]));
const json = (value: unknown) => JSON.stringify(value, null, 2) + '\n';

export function areaCsvRows(areas: AreaAggregate[], asOf: string, sample: boolean) {
  return areas.map((a) => ({ ...a, as_of: asOf, sample }));
}

/** Active organizations per covered area × category × registration (zeros listed), from the accepted records. */
export function organizationsByCategory(agg: AggregateOutput, read: DatasetReadResult) {
  const { as_of: asOf, sample } = read.meta;
  const byCode = new Map(agg.areas.map((a) => [a.code, a]));
  const counts = new Map<string, number>(); // `${area}|${category}|${registration}`
  const dataCounties = new Set(agg.dataCounties);
  for (const org of read.orgs) {
    if (!dataCounties.has(org.countyCode) || !isActiveAt(org, asOf)) continue;
    // The county and every ancestor that has a row.
    for (let code: string | null = org.countyCode; code; code = byCode.get(code)?.parent_code ?? null) {
      const key = `${code}|${org.category}|${org.registration}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  const rows: { area_code: string; area_name: string; level: AreaLevel; category: string; registration: string; orgs: number; as_of: string; sample: boolean }[] = [];
  for (const area of agg.areas) {
    if (!area.has_data) continue;
    for (const category of CATEGORIES) {
      for (const registration of REGISTRATIONS) {
        rows.push({
          area_code: area.code, area_name: area.name, level: area.level, category, registration,
          orgs: counts.get(`${area.code}|${category}|${registration}`) ?? 0, as_of: asOf, sample,
        });
      }
    }
  }
  return rows;
}

export function timeSeriesDownloadRows(ts: TimeSeriesOutput) {
  const undated = new Map(ts.areas.map((a) => [a.code, a.undated_orgs]));
  return timeSeriesCsvRows(ts).map((row) => ({
    ...Object.fromEntries(Object.entries(row).map(([k, v]) => [TIMESERIES_RENAME[k as keyof typeof TIMESERIES_RENAME], v])),
    undated_orgs: undated.get(row.code) ?? null,
  }));
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

/** Rows of every table, keyed by the table's resource name, projected to its columns. */
export function tableRows(ctx: DownloadContext): Map<string, { columns: readonly string[]; rows: Row[] }> {
  const { agg, read, registry, progress, timeseries } = ctx;
  const { as_of: asOf, sample } = read.meta;
  const stamp = <T extends object>(r: T) => ({ ...r, as_of: asOf, sample });
  const tables = new Map<string, { columns: readonly string[]; rows: Row[] }>();
  const put = (name: string, columns: readonly string[], rows: readonly object[]) => tables.set(name, { columns, rows: rows.map((r) => pick(r, columns)) });
  put('areas', AREA_CSV_COLUMNS, areaCsvRows(agg.areas, asOf, sample));
  put('communities', COMMUNITY_CSV_COLUMNS, agg.communities.map(stamp));
  put('townships', TOWNSHIP_CSV_COLUMNS, agg.townships.map(stamp));
  put('organizations_by_category', BY_CATEGORY_CSV_COLUMNS, organizationsByCategory(agg, read));
  put('targets', TARGET_CSV_COLUMNS, targetRows(registry));
  put('progress', PROGRESS_DOWNLOAD_COLUMNS, progressCsvRows(progress).map(stamp));
  put('timeseries', TIMESERIES_DOWNLOAD_COLUMNS, timeSeriesDownloadRows(timeseries).map(stamp));
  put('new_by_year', NEW_BY_YEAR_CSV_COLUMNS, newByYearRows(timeseries).map(stamp));
  put('observations', OBSERVATION_CSV_COLUMNS, read.observations.map((o) => ({ ...o, file: o.source.file, line: o.source.line })));
  put('rejected', REJECTED_CSV_COLUMNS, read.rejections);
  put(
    'reconciliation',
    RECONCILIATION_CSV_COLUMNS,
    read.reconciliation.files.map((f) => ({
      file: f.file, encoding: f.encoding, rows_read: f.rowsRead, accepted: f.accepted, rejected: f.rejected,
      ignored_columns: f.ignoredColumns.join(';'),
    })),
  );
  return tables;
}

const bytesOf = (content: string | Uint8Array) => (typeof content === 'string' ? strToU8(content) : content);

/** Every download the pipeline writes under /data/, as path → content (deterministic, pure). */
export async function buildDownloads(ctx: DownloadContext): Promise<DownloadFiles> {
  const { agg, read, registry, provenance } = ctx;
  const meta = read.meta;
  const files: DownloadFiles = new Map();
  const headers = new Map<string, string[]>();
  const rowCounts = new Map<string, number>();
  const putCsv = (path: string, columns: readonly string[], rows: Row[]) => {
    files.set(path, toCsv(rows, columns as string[]));
    headers.set(path, [...columns]);
    rowCounts.set(path, rows.length);
  };

  const tables = tableRows(ctx);
  const specByName = new Map<string, TableSpec>(TABLES.map((t) => [t.name, t]));
  for (const [name, { columns, rows }] of tables) {
    const spec = specByName.get(name);
    if (!spec) throw new Error(`outputs: table ${name} has no entry in the data dictionary (src/lib/publish/datapackage.ts)`);
    putCsv(spec.path, columns, rows);
    if (spec.json_path) {
      files.set(spec.json_path, json(rows));
      rowCounts.set(spec.json_path, rows.length);
    }
  }

  // Per-area files: an area's row plus its children; a covered county's communities.
  const areaRows = tables.get('areas')!.rows;
  const childrenOf = new Map<string, Row[]>();
  for (const row of areaRows) {
    if (typeof row.parent_code !== 'string') continue;
    childrenOf.set(row.parent_code, [...(childrenOf.get(row.parent_code) ?? []), row]);
  }
  const perArea = new Map<string, AreaRows>();
  for (const row of areaRows) {
    const code = row.code as string;
    perArea.set(code, { code, areas: [row, ...(childrenOf.get(code) ?? [])], communities: null });
    putCsv(AREA_FILE.areas(code), AREA_CSV_COLUMNS, perArea.get(code)!.areas as Row[]);
  }
  const communityRows = tables.get('communities')!.rows;
  for (const county of agg.dataCounties) {
    const rows = communityRows.filter((c) => c.county_code === county);
    putCsv(AREA_FILE.communities(county), COMMUNITY_CSV_COLUMNS, rows);
    perArea.get(county)!.communities = rows;
  }

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

  const facts = () =>
    new Map<string, FileFacts | null>([...files].map(([p, c]) => [p, BUILD_TIME_FILES.has(p) ? null : { bytes: bytesOf(c).byteLength, sha256: sha256(bytesOf(c)) }]));
  const divisions = {
    package: provenance.divisions.package, version: provenance.divisions.version,
    dataset: provenance.divisions.dataset, license: provenance.divisions.license,
  };
  // For Excel/WPS: a workbook beside each table's CSV and each area's CSV (src/lib/publish/xlsx.ts).
  const workbooks = await buildWorkbooks({
    tables, perArea: [...perArea.values()], softwareVersion: provenance.software.version,
    rights: { meta, registryVersion: registry.version, divisions, documents: registry.documents },
  });
  for (const [p, bytes] of workbooks) files.set(p, bytes);
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
        divisions, documents: registry.documents, files: facts(), headers,
      }),
    ),
  );

  // One archive of every file for programs (the workbooks, already compressed and for people, are downloaded
  // one by one), in a folder so unzipping never litters. Its mtime is the as-of date, so the archive changes
  // with the build time only through the provenance.json it carries.
  const folder = ZIP_NAME.replace(/\.zip$/, '');
  const zipped = zipSync(
    Object.fromEntries([...files].filter(([p]) => inPackage(p)).map(([p, c]) => [`${folder}/${p}`, bytesOf(c)])),
    { level: 9, mtime: zipTime(`${meta.as_of}T00:00:00Z`) },
  );
  files.set(ZIP_NAME, zipped);
  return files;
}

// ---------------------------------------------------------------------------------------------
// The index the /data/ page renders (build/site/downloads.json)

export interface DownloadEntry {
  path: string; // under /data/
  group: 'table' | 'json' | 'workbook' | 'area' | 'metadata' | 'archive';
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

/** Sizes, row counts, columns and hashes measured from the files themselves, in the data page's order. */
export function downloadIndex(files: DownloadFiles): DownloadEntry[] {
  const entries: DownloadEntry[] = [];
  const measure = (path: string) => {
    const content = files.get(path);
    if (content === undefined) throw new Error(`downloadIndex: ${path} was not built`);
    const bytes = bytesOf(content);
    const text = typeof content === 'string' ? content : null;
    return BUILD_TIME_FILES.has(path) ? { bytes: null, sha256: null, text } : { bytes: bytes.byteLength, sha256: sha256(bytes), text };
  };
  for (const table of TABLES) {
    const csv = measure(table.path);
    const text = { title_zh: table.title_zh, title_en: table.title_en, description_zh: table.description_zh, description_en: table.description_en };
    entries.push({ path: table.path, group: 'table', ...text, bytes: csv.bytes, sha256: csv.sha256, ...csvShape(csv.text!) });
    if (table.json_path) {
      const twin = measure(table.json_path);
      const rows = JSON.parse(twin.text!) as Row[];
      entries.push({
        path: table.json_path, group: 'json', ...text, bytes: twin.bytes, sha256: twin.sha256,
        rows: rows.length, columns: table.fields.map((f) => f.name),
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
    const code = path.replace(/^areas\//, '').replace(/(-communities)?\.(csv|xlsx)$/, '');
    const communities = path.endsWith('-communities.csv');
    if (path.endsWith('.xlsx')) {
      entries.push({
        path, group: 'area', title_zh: `${code} 工作簿（Excel/WPS）`, title_en: `Workbook of ${code} (Excel/WPS)`,
        description_zh: '该地区的 Excel/WPS 工作簿：地区表（区县另有社区表），另有“说明”和“来源”。',
        description_en: 'The area’s Excel/WPS workbook: its areas sheet (a county also its communities), plus Definitions and Sources.',
        bytes: m.bytes, sha256: m.sha256, rows: null, columns: [],
      });
      continue;
    }
    entries.push({
      path, group: 'area',
      title_zh: communities ? `${code} 社区（村）` : `${code} 及下辖地区`,
      title_en: communities ? `Communities of ${code}` : `Area ${code} and its children`,
      description_zh: communities ? '该区县的社区（村），列同 communities.csv。' : '该地区一行及其下辖地区各一行，列同 areas.csv。',
      description_en: communities ? 'The county’s communities; columns as communities.csv.' : 'The area’s row and its child areas; columns as areas.csv.',
      bytes: m.bytes, sha256: m.sha256, ...csvShape(m.text!),
    });
  }
  const listed = new Set(entries.map((e) => e.path));
  const unlisted = [...files.keys()].filter((p) => !listed.has(p));
  if (unlisted.length) throw new Error(`downloadIndex: files with no entry in the data dictionary: ${unlisted.join(', ')}`);
  return entries;
}

/** Files the pages read (build/site): the download index and the provenance manifest. */
export function dataPageFiles(files: DownloadFiles): Map<string, string> {
  const provenance = files.get('provenance.json');
  if (typeof provenance !== 'string') throw new Error('dataPageFiles: provenance.json was not built');
  return new Map([
    ['downloads.json', json(downloadIndex(files))],
    ['provenance.json', provenance],
  ]);
}
