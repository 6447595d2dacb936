import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Divisions } from './divisions';
import type { DatasetMeta, DatasetReadResult, FileReconciliation, Observation, OrgRecord, Rejection } from '../core/types';
import { readCsvTable } from './csv';
import { DATASET_JSON, readDatasetMeta } from './dataset-meta';
import { DatasetError, type Problem } from './errors';
import {
  OBSERVATION_HEADER_SYNONYMS,
  ORG_FIELD_ZH,
  ORG_HEADER_SYNONYMS,
  type HeaderMapping,
  type ObservationField,
  type OrgField,
} from './headers';
import { PlacementMatcher } from './match';
import { orgNameKey, validateObservationRow, validateOrgRow } from './rows';
import { locateHeader, type LocatedTable, type RawTable } from './table';
import { readXlsxTable } from './xlsx';
import { OrgColumnsBuilder } from '../core/org-columns';

export { DatasetError } from './errors';
export { readDatasetMeta, datasetMetaSchema } from './dataset-meta';
export { decodeText } from './decode';
export { parseDate, excelSerialToIso } from './dates';
export { checkCreditCode, creditCodeCheckChar } from './credit-code';
export { PlacementMatcher, communityCore } from './match';
export { normaliseHeader, mapHeaders, ORG_HEADER_SYNONYMS, OBSERVATION_HEADER_SYNONYMS } from './headers';

export const ORGANIZATIONS_DIR = 'organizations';
export const OBSERVATIONS_DIR = 'observations';

/** Spreadsheet formats people will drop in the folder that cannot be read: an error, not a silent skip. */
const UNSUPPORTED_SPREADSHEETS = new Set(['.xls', '.xlsb', '.et', '.ods', '.numbers']);

/**
 * DatasetReadResult plus notes: files and worksheets that were ignored, title rows before a header,
 * blank rows skipped, non-comma delimiters. Each note is "zh / en". Deterministic order.
 */
export interface DatasetReadOutput extends DatasetReadResult {
  notes: string[];
}

const EMPTY_FILE_REASON = '空文件 / empty file';

/** Relative path with forward slashes, the form used in every report. */
const rel = (...parts: string[]) => parts.join('/');

const orgMissingRequired = (m: HeaderMapping<OrgField>) => {
  for (const f of ['name', 'category', 'registration'] as const) {
    if (m.columns[f] === undefined) {
      return { column: f, zh: `缺少必需列 ${f}（${ORG_FIELD_ZH[f]}）`, en: `missing required column ${f} (${ORG_FIELD_ZH[f]})` };
    }
  }
  if (m.columns.community_code === undefined && m.columns.county === undefined) {
    return {
      column: 'community_code',
      zh: '缺少必需列 community_code（社区代码）或 county（区县）：至少要有一列说明组织所在地',
      en: 'missing required column community_code (社区代码) or county (区县): one of them must say where the organization is',
    };
  }
  return null;
};

const observationMissingRequired = (m: HeaderMapping<ObservationField>) => {
  for (const f of ['area_code', 'metric', 'value', 'as_of', 'source_title'] as const) {
    if (m.columns[f] === undefined) return { column: f, zh: `缺少必需列 ${f}`, en: `missing required column ${f}` };
  }
  return null;
};

interface FolderListing {
  files: string[]; // names to read, sorted
  notes: string[];
}

/** Lists *.csv and *.xlsx (any case) in a folder, sorted by code unit order (locale-independent). */
function listFolder(dir: string, folder: string, readXlsx: boolean): FolderListing {
  const entries = readdirSync(path.join(dir, folder), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  const ignored: string[] = [];
  for (const entry of entries) {
    const ext = path.extname(entry.name).toLowerCase();
    if (!entry.isFile()) {
      ignored.push(entry.name + '/');
      continue;
    }
    if (entry.name.startsWith('~$') || entry.name.startsWith('.')) {
      ignored.push(entry.name); // Excel lock files and hidden files
      continue;
    }
    if (ext === '.csv' || (readXlsx && ext === '.xlsx')) {
      files.push(entry.name);
      continue;
    }
    if (UNSUPPORTED_SPREADSHEETS.has(ext) || (!readXlsx && ext === '.xlsx')) {
      throw new DatasetError(
        rel(folder, entry.name),
        null,
        null,
        `不支持的表格格式 ${ext}：请另存为 ${readXlsx ? '.xlsx 或 ' : ''}UTF-8 CSV`,
        `unsupported spreadsheet format ${ext}: save it as ${readXlsx ? '.xlsx or ' : ''}UTF-8 CSV`,
      );
    }
    ignored.push(entry.name);
  }
  const notes = ignored.length
    ? [`${folder}/: 忽略非数据文件：${ignored.join('、')} / ignored files that are not data: ${ignored.join(', ')}`]
    : [];
  return { files, notes };
}

async function readTable<F extends string>(dir: string, file: string, synonyms: Record<F, string[]>): Promise<RawTable> {
  const absolute = path.join(dir, file);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(absolute);
  } catch (error) {
    throw new DatasetError(file, null, null, `无法读取文件（${(error as Error).message}）`, `cannot read the file (${(error as Error).message})`);
  }
  if (file.toLowerCase().endsWith('.xlsx')) return readXlsxTable(bytes, file);
  return readCsvTable(bytes, file, synonyms);
}

export interface LoadedTable<F extends string> {
  raw: RawTable;
  /** null when the file holds nothing but blank lines */
  table: LocatedTable<F> | null;
}

/** Reads one organizations file (path relative to dir): decoded, parsed, header located and checked. */
export async function loadOrganizationTable(dir: string, file: string): Promise<LoadedTable<OrgField>> {
  const raw = await readTable(dir, file, ORG_HEADER_SYNONYMS);
  return { raw, table: locateHeader(raw, ORG_HEADER_SYNONYMS, orgMissingRequired) };
}

/** Reads one observations file (path relative to dir). */
export async function loadObservationTable(dir: string, file: string): Promise<LoadedTable<ObservationField>> {
  const raw = await readTable(dir, file, OBSERVATION_HEADER_SYNONYMS);
  return { raw, table: locateHeader(raw, OBSERVATION_HEADER_SYNONYMS, observationMissingRequired) };
}

const toRejection = (file: string, line: number, problems: Problem[], name: string | null): Rejection => {
  if (!problems.length) throw new Error(`ingest bug: ${file}:${line} rejected without a reason`);
  const [first, ...rest] = problems;
  return {
    file,
    line,
    column: first.column,
    reason: [first, ...rest].map((p) => p.zh).join('；') + ' / ' + [first, ...rest].map((p) => p.en).join('; '),
    value: first.value,
    name,
  };
};

function reconcile(file: string, encoding: string, rowsRead: number, accepted: number, rejected: number, ignoredColumns: string[]): FileReconciliation {
  if (accepted + rejected !== rowsRead) {
    throw new Error(`ingest bug: ${file}: ${rowsRead} rows read but ${accepted} accepted + ${rejected} rejected`);
  }
  return { file, encoding, rowsRead, accepted, rejected, ignoredColumns };
}

/** Where readEachFile reports: notes, rejections, per-file reconciliation and the files read. */
interface ReadSink {
  notes: string[];
  rejections: Rejection[];
  files: FileReconciliation[];
  inputFiles: string[];
}

/**
 * Reads every file of a folder and reconciles it: each row is accepted (onRow returns null) or
 * rejected (onRow returns the Rejection). A file with nothing in it is one rejection at line 0.
 */
async function readEachFile<F extends string>(
  folder: string,
  names: readonly string[],
  load: (file: string) => Promise<LoadedTable<F>>,
  out: ReadSink,
  onRow: (file: string, table: LocatedTable<F>, raw: RawTable, record: LocatedTable<F>['rows'][number]) => Rejection | null,
): Promise<void> {
  for (const name of names) {
    const file = rel(folder, name);
    out.inputFiles.push(file);
    const { raw, table } = await load(file);
    out.notes.push(...raw.notes);
    if (!table) {
      out.rejections.push({ file, line: 0, column: null, reason: EMPTY_FILE_REASON, value: null, name: null });
      out.files.push(reconcile(file, raw.encoding, 0, 0, 0, []));
      continue;
    }
    out.notes.push(...table.notes);
    let accepted = 0;
    let rejected = 0;
    for (const record of table.rows) {
      const rejection = onRow(file, table, raw, record);
      if (rejection) {
        out.rejections.push(rejection);
        rejected++;
      } else {
        accepted++;
      }
    }
    out.files.push(reconcile(file, raw.encoding, table.rows.length, accepted, rejected, table.mapping.ignored));
  }
}

/**
 * Reads a dataset folder: dataset.json, organizations/*.csv|*.xlsx, observations/*.csv.
 * Every data row ends up in `orgs`/`observations` or in `rejections`; structural problems throw
 * DatasetError. Choices:
 * - a missing organizations/ folder is a DatasetError; an organizations/ folder without data files
 *   reads as 0 organizations, with a note (the site then shows "no data" everywhere);
 * - an empty file (0 bytes, or nothing but blank lines) adds a rejection at line 0 "空文件 / empty
 *   file" that is not counted as a row (rowsRead 0); a header-only file is simply 0 rows;
 * - blank rows (every cell empty) are not rows: skipped and counted in a note;
 * - duplicates: the first occurrence (files in name order, then line order) is kept; a later row
 *   with the same credit code, or the same normalised name at the same place, is rejected.
 */
export interface ReadDatasetOptions {
  /** Metric names observations may use (the targets registry's vocabulary); others are rejected. */
  metrics?: readonly string[];
  /**
   * Keep every accepted organization as an OrgRecord in `orgs` (default true). The pipeline passes false:
   * at national scale 1.75 M objects cost ~600 MB, and every later stage reads the integer-coded `columns`.
   */
  records?: boolean;
  /** dataset.json as already read by the caller (the pipeline reads it once); read here when absent. */
  meta?: DatasetMeta;
}

export async function readDataset(dir: string, divisions: Divisions, options: ReadDatasetOptions = {}): Promise<DatasetReadOutput> {
  const metrics = options.metrics ? new Set(options.metrics) : undefined;
  const meta = options.meta ?? readDatasetMeta(dir);
  (meta.scope ?? []).forEach((code, i) => {
    if (!divisions.areas.has(code)) {
      throw new DatasetError(DATASET_JSON, null, `scope[${i}]`, `未知区划代码：${code}`, `unknown area code: ${code}`);
    }
  });
  const matcher = new PlacementMatcher(divisions, meta.scope);
  const notes: string[] = [];
  const orgs: OrgRecord[] = [];
  const keepRecords = options.records !== false;
  const columns = new OrgColumnsBuilder(1 << 16);
  const observations: Observation[] = [];
  const rejections: Rejection[] = [];
  const files: FileReconciliation[] = [];
  const inputFiles: string[] = [DATASET_JSON];
  const out: ReadSink = { notes, rejections, files, inputFiles };

  const orgDir = path.join(dir, ORGANIZATIONS_DIR);
  if (!existsSync(orgDir) || !statSync(orgDir).isDirectory()) {
    throw new DatasetError(
      path.join(dir, ORGANIZATIONS_DIR) + '/',
      null,
      null,
      '缺少 organizations/ 文件夹（每行一个组织的 CSV 或 xlsx）',
      'the organizations/ folder is missing (CSV or xlsx files, one organization per row)',
    );
  }
  const orgListing = listFolder(dir, ORGANIZATIONS_DIR, true);
  notes.push(...orgListing.notes);
  if (!orgListing.files.length) {
    notes.push(`${ORGANIZATIONS_DIR}/: 没有 CSV 或 xlsx 文件，组织数为 0 / no CSV or xlsx files: 0 organizations`);
  }

  // First occurrence of each credit code and name key, as a row index of `columns` (a number, not an object:
  // at 1.75 M rows the maps are the reader's largest structures).
  const seenCredit = new Map<string, number>();
  // Names are checked per place (orgNameKey's place, then its normalised name): a community holds a few
  // organizations, so a short list per place replaces one 1.75 M-entry map of long string keys.
  const placeIds = new Map<string, number>();
  // place id → [name, row, name, row, …], or a Map once a place holds many (a county's unplaced organizations)
  const namesAt: ((string | number)[] | Map<string, number>)[] = [];
  const findName = (place: string, name: string): number | undefined => {
    const id = placeIds.get(place);
    if (id === undefined) return undefined;
    const list = namesAt[id];
    if (list instanceof Map) return list.get(name);
    for (let i = 0; i < list.length; i += 2) if (list[i] === name) return list[i + 1] as number;
    return undefined;
  };
  const addName = (place: string, name: string, row: number) => {
    let id = placeIds.get(place);
    if (id === undefined) {
      id = namesAt.length;
      placeIds.set(place, id);
      namesAt.push([]);
    }
    const list = namesAt[id];
    if (list instanceof Map) list.set(name, row);
    else if (list.length < 64) list.push(name, row);
    else {
      const map = new Map<string, number>();
      for (let i = 0; i < list.length; i += 2) map.set(list[i] as string, list[i + 1] as number);
      map.set(name, row);
      namesAt[id] = map;
    }
  };

  await readEachFile(ORGANIZATIONS_DIR, orgListing.files, (file) => loadOrganizationTable(dir, file), out, (file, table, raw, record) => {
    const result = validateOrgRow({ file, table, matcher, asOf: meta.as_of, date1904: raw.date1904 }, record);
    if (!result.ok) return toRejection(file, record.line, result.problems, result.name);
    const org = result.record;
    const byCredit = org.creditCode ? seenCredit.get(org.creditCode) : undefined;
    const nameKey = orgNameKey(org);
    const cut = nameKey.indexOf('\u0000');
    const place = nameKey.slice(0, cut);
    const normalisedName = nameKey.slice(cut + 1);
    const byName = byCredit === undefined ? findName(place, normalisedName) : undefined;
    if (byCredit !== undefined || byName !== undefined) {
      const first = columns.sourceOf((byCredit ?? byName)!);
      const what = byCredit !== undefined ? `统一社会信用代码 ${org.creditCode}` : '同一地点的同名组织';
      const whatEn = byCredit !== undefined ? `credit code ${org.creditCode}` : 'same name at the same place';
      return {
        file,
        line: record.line,
        column: byCredit !== undefined ? (table.mapping.written.credit_code ?? null) : (table.mapping.written.name ?? null),
        reason: `重复：${what}已在 ${first.file} 第 ${first.line} 行出现 / duplicate: ${whatEn} already in ${first.file} line ${first.line}`,
        value: byCredit !== undefined ? org.creditCode : org.name,
        name: org.name,
      };
    }
    const row = columns.push(org);
    if (org.creditCode) seenCredit.set(org.creditCode, row);
    addName(place, normalisedName, row);
    if (keepRecords) orgs.push(org);
    return null;
  });

  const obsDir = path.join(dir, OBSERVATIONS_DIR);
  if (existsSync(obsDir) && statSync(obsDir).isDirectory()) {
    const obsListing = listFolder(dir, OBSERVATIONS_DIR, false);
    notes.push(...obsListing.notes);
    const areaCodes = new Set(divisions.areas.keys());
    const seenObservation = new Map<string, { file: string; line: number }>();
    await readEachFile(OBSERVATIONS_DIR, obsListing.files, (file) => loadObservationTable(dir, file), out, (file, table, _raw, record) => {
      const result = validateObservationRow({ file, table, areaCodes, metrics }, record);
      if (!result.ok) return toRejection(file, record.line, result.problems, null);
      const o = result.observation;
      const key = `${o.area_code}\u0000${o.metric}\u0000${o.as_of}`;
      const first = seenObservation.get(key);
      if (first) {
        return {
          file,
          line: record.line,
          column: null,
          reason: `重复：${o.area_code} 的 ${o.metric}（${o.as_of}）已在 ${first.file} 第 ${first.line} 行出现 / duplicate: ${o.metric} for ${o.area_code} as of ${o.as_of} already in ${first.file} line ${first.line}`,
          value: String(o.value),
          name: null,
        };
      }
      const source = { file, line: record.line };
      seenObservation.set(key, source);
      observations.push({ ...o, source });
      return null;
    });
  }

  const sum = (k: 'rowsRead' | 'accepted' | 'rejected') => files.reduce((n, f) => n + f[k], 0);
  return {
    dir,
    meta,
    orgs,
    columns: columns.finish(),
    observations,
    rejections,
    reconciliation: { files, rowsRead: sum('rowsRead'), accepted: sum('accepted'), rejected: sum('rejected') },
    inputFiles: [...inputFiles].sort(),
    notes,
  };
}
