import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Divisions } from './divisions';
import type {
  DatasetMeta,
  Category,
  DatasetReadResult,
  FileReconciliation,
  IngestNote,
  IngestWarning,
  Observation,
  OrgRecord,
  Rejection,
  SheetReconciliation,
  SkippedRow,
} from '../core/types';
import { findContext, SOURCE_EN, SOURCE_ZH, type ContextText, type LedgerContext } from './context';
import { openCsv, readCsvTable, streamCsvRecords } from './csv';
import { DATASET_JSON, readDatasetMeta } from './dataset-meta';
import { DatasetError, type Problem } from './errors';
import {
  OBSERVATION_FIELDS,
  OBSERVATION_HEADER_SYNONYMS,
  ORG_FIELDS,
  ORG_FIELD_ZH,
  ORG_HEADER_SYNONYMS,
  normaliseHeader,
  type HeaderMapping,
  type ObservationField,
  type OrgField,
} from './headers';
import { PlacementMatcher } from './match';
import { readCategory } from './vocabulary';
import { orgNameKeyParts, plainRowReader, validateObservationRow, validateOrgRow, type RowPlacementUse, type RowWarning } from './rows';
import { HEADER_SEARCH_ROWS, cellText, findHeader, isBlankRecord, isMergedCell, locateHeader, tableHead, type HeaderReading, type LocatedTable, type RawRecord, type RawTable, type TableHead } from './table';
import { readXlsxSheets } from './xlsx';
import { OrgColumnsBuilder, type OrgRowsExport, type UnitPositions } from '../core/org-columns';

export { DatasetError } from './errors';
export { readDatasetMeta, datasetMetaSchema } from './dataset-meta';
export { decodeText } from './decode';
export { parseDate, excelSerialToIso } from './dates';
export { checkCreditCode, creditCodeCheckChar } from './credit-code';
import { CreditCodeIndex } from './credit-code';
export { PlacementMatcher, communityCore } from './match';
export { normaliseHeader, mapHeaders, ORG_HEADER_SYNONYMS, OBSERVATION_HEADER_SYNONYMS } from './headers';
export { readCategory, readRegistration, readDissolution, CATEGORY_WORDS } from './vocabulary';

export const ORGANIZATIONS_DIR = 'organizations';
export const OBSERVATIONS_DIR = 'observations';

/** Spreadsheet formats people will drop in the folder that cannot be read: an error, not a silent skip. */
const UNSUPPORTED_SPREADSHEETS = new Set(['.xls', '.xlsb', '.et', '.ods', '.numbers']);

/** Kept for callers that named it: the read result now carries its notes itself. */
export type DatasetReadOutput = DatasetReadResult;

const EMPTY_FILE_REASON = '空文件 / empty file';

/** Relative path with forward slashes, the form used in every report. */
const rel = (...parts: string[]) => parts.join('/');

/** registration: a 登记方式 column, or 是否备案 / 是否登记 (yes/no) columns. */
const orgMissingRequired = (m: HeaderMapping<OrgField>, contextPlaces = false) => {
  for (const f of ['name', 'category'] as const) {
    if (m.columns[f] === undefined) {
      return { column: f, zh: `缺少必需列 ${f}（${ORG_FIELD_ZH[f]}）`, en: `missing required column ${f} (${ORG_FIELD_ZH[f]})` };
    }
  }
  if (m.columns.registration === undefined && m.columns.filed_flag === undefined && m.columns.registered_flag === undefined) {
    return {
      column: 'registration',
      zh: `缺少必需列 registration（${ORG_FIELD_ZH.registration}，或“是否备案”“是否登记”）`,
      en: `missing required column registration (${ORG_FIELD_ZH.registration}, or 是否备案 / 是否登记 yes-no columns)`,
    };
  }
  if (m.columns.community_code === undefined && m.columns.county === undefined && !contextPlaces) {
    return {
      column: 'community_code',
      zh: '缺少必需列 community_code（社区代码）或 county（区县）：至少要有一列说明组织所在地（或在标题、工作表名、文件名中写明区县）',
      en: 'missing required column community_code (社区代码) or county (区县): one of them must say where the organization is (or name the county in the title, sheet name or file name)',
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

/** A table to read: a CSV file, or one worksheet of an .xlsx workbook. */
interface TableUnit {
  raw: RawTable;
  sheet?: string;
  hidden: boolean;
}

function readBytes(dir: string, file: string): Uint8Array {
  try {
    return readFileSync(path.join(dir, file));
  } catch (error) {
    throw new DatasetError(file, null, null, `无法读取文件（${(error as Error).message}）`, `cannot read the file (${(error as Error).message})`);
  }
}

async function readUnits<F extends string>(dir: string, file: string, synonyms: Record<F, string[]>): Promise<{ encoding: string; units: TableUnit[] }> {
  const bytes = readBytes(dir, file);
  if (file.toLowerCase().endsWith('.xlsx')) {
    const sheets = await readXlsxSheets(bytes, file);
    return { encoding: 'xlsx', units: sheets.map((raw) => ({ raw, sheet: raw.sheet, hidden: raw.hidden })) };
  }
  const raw = readCsvTable(bytes, file, synonyms);
  return { encoding: raw.encoding, units: [{ raw, hidden: false }] };
}

export interface LoadedTable<F extends string> {
  raw: RawTable;
  /** null when the file holds nothing but blank lines */
  table: LocatedTable<F> | null;
}

/**
 * Reads one organizations table (path relative to dir), without context from titles: a CSV, or
 * the first worksheet of an .xlsx that has an organization header. readDataset reads every sheet.
 */
export async function loadOrganizationTable(dir: string, file: string): Promise<LoadedTable<OrgField>> {
  const { units } = await readUnits(dir, file, ORG_HEADER_SYNONYMS);
  const unit = units.find((u) => findHeader(u.raw, ORG_HEADER_SYNONYMS, (r) => r.mapping.columns.name !== undefined)?.mapping.columns.name !== undefined) ?? units[0];
  if (!unit) return { raw: { file, encoding: 'xlsx', records: [], notes: [], date1904: false }, table: null };
  return { raw: unit.raw, table: locateHeader(unit.raw, ORG_HEADER_SYNONYMS, (m) => orgMissingRequired(m)) };
}

/** Reads one observations file (path relative to dir). */
export async function loadObservationTable(dir: string, file: string): Promise<LoadedTable<ObservationField>> {
  const raw = readCsvTable(readBytes(dir, file), file, OBSERVATION_HEADER_SYNONYMS);
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

function fileReconciliation(
  file: string,
  encoding: string,
  counts: Counts,
  ignoredColumns: string[],
  sheets: SheetReconciliation[],
  columns: Record<string, string> = {},
): FileReconciliation {
  if (counts.accepted + counts.rejected + counts.skipped !== counts.rowsRead) {
    throw new Error(`ingest bug: ${file}: ${counts.rowsRead} rows read but ${counts.accepted} accepted + ${counts.rejected} rejected + ${counts.skipped} skipped`);
  }
  return { file, encoding, ...counts, ignoredColumns, columns, sheets };
}

/** field → header as written, in field order (stable output). */
function columnsOf<F extends string>(mapping: HeaderMapping<F>, fields: readonly F[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields) if (mapping.written[f] !== undefined) out[f] = mapping.written[f]!;
  return out;
}

interface Counts {
  rowsRead: number;
  accepted: number;
  rejected: number;
  skipped: number;
  warnings: number;
}
const zero = (): Counts => ({ rowsRead: 0, accepted: 0, rejected: 0, skipped: 0, warnings: 0 });
const add = (a: Counts, b: Counts): Counts => ({
  rowsRead: a.rowsRead + b.rowsRead,
  accepted: a.accepted + b.accepted,
  rejected: a.rejected + b.rejected,
  skipped: a.skipped + b.skipped,
  warnings: a.warnings + b.warnings,
});

/** Where the readers report. */
export interface ReadSink {
  notes: IngestNote[];
  rejections: Rejection[];
  warnings: IngestWarning[];
  skipped: SkippedRow[];
  files: FileReconciliation[];
  inputFiles: string[];
}

const withSheet = <T extends object>(row: T, sheet: string | undefined): T => (sheet === undefined ? row : { ...row, sheet });
const note = (file: string, sheet: string | undefined, zh: string, en: string): IngestNote => withSheet({ file, zh, en }, sheet);

/** A row's cells as one line for the skipped-rows list: non-empty cells joined by " | ", at most 200 characters. */
function rowText(r: RawRecord): string | null {
  const text = r.cells
    .filter((c) => !isMergedCell(c))
    .map((c) => cellText(c).replace(/\s+/g, ' ').trim())
    .filter((t) => t !== '')
    .join(' | ');
  if (text === '') return null;
  const chars = [...text];
  return chars.length > 200 ? chars.slice(0, 200).join('') + '…' : text;
}

/** The text of a title row: its own cells (not the repeats of a merged title), joined. */
const titleText = (r: RawRecord) => rowText(r)?.replace(/ \| /g, ' ') ?? '';

/** Reads every file of the observations folder: each row accepted (onRow returns null) or rejected. */
async function readObservationFiles(
  names: readonly string[],
  load: (file: string) => Promise<LoadedTable<ObservationField>>,
  out: ReadSink,
  onRow: (file: string, table: LocatedTable<ObservationField>, record: RawRecord) => Rejection | null,
): Promise<void> {
  for (const name of names) {
    const file = rel(OBSERVATIONS_DIR, name);
    out.inputFiles.push(file);
    const { raw, table } = await load(file);
    out.notes.push(...raw.notes.map((n) => splitNote(file, n)));
    if (!table) {
      out.rejections.push({ file, line: 0, column: null, reason: EMPTY_FILE_REASON, value: null, name: null });
      out.files.push(fileReconciliation(file, raw.encoding, zero(), [], []));
      continue;
    }
    out.notes.push(...table.notes.map((n) => note(file, undefined, n.zh, n.en)));
    const counts = zero();
    counts.rowsRead = table.rows.length + table.skipped.length;
    for (const s of table.skipped) {
      out.skipped.push({ file, line: s.record.line, kind: s.kind, reason: `${s.zh} / ${s.en}`, text: rowText(s.record) });
      counts.skipped++;
    }
    for (const record of table.rows) {
      const rejection = onRow(file, table, record);
      if (rejection) {
        out.rejections.push(rejection);
        counts.rejected++;
      } else {
        counts.accepted++;
      }
    }
    out.files.push(fileReconciliation(file, raw.encoding, counts, table.mapping.ignored, [], columnsOf(table.mapping, OBSERVATION_FIELDS)));
  }
}

/** "file: zh / en" notes of the CSV reader → IngestNote. */
function splitNote(file: string, text: string): IngestNote {
  const body = text.startsWith(file + ': ') ? text.slice(file.length + 2) : text;
  const at = body.indexOf(' / ');
  return note(file, undefined, at < 0 ? body : body.slice(0, at), at < 0 ? body : body.slice(at + 3));
}

// ---------------------------------------------------------------- organizations: one file, every sheet

/** Sheet names of summaries (汇总, 统计, 合计, 总表) and of instructions and lists (填表说明, 字典, 下拉选项). */
const SUMMARY_SHEET = /(汇总|统计|合计|总计|总表|总览)/;
const TOTALS_CELL = /^(合计|小计|总计|共计|累计|总数)/;

interface SheetPlanRead {
  status: 'read';
  unit: TableUnit;
  table: TableHead<OrgField>;
  context: LedgerContext;
}
interface SheetPlanSkip {
  status: 'skipped';
  unit: TableUnit;
  reason: { zh: string; en: string };
  empty: boolean;
  rows: number; // non-blank rows the sheet holds
}
type SheetPlan = SheetPlanRead | SheetPlanSkip;

/** Context sources of a table: its title rows, its sheet name, the file name, then the rest of the workbook. */
function contextSources(file: string, unit: TableUnit, reading: HeaderReading<OrgField> | null, workbook: ContextText[]): ContextText[] {
  const titles = reading ? unit.raw.records.filter((r) => r.line < reading.lines[0] && !isBlankRecord(r)) : [];
  const sources: ContextText[] = titles.map((r) => ({ from: 'title' as const, text: titleText(r) })).filter((s) => s.text !== '');
  if (unit.sheet !== undefined) sources.push({ from: 'sheet', text: unit.sheet });
  sources.push({ from: 'file', text: path.basename(file).replace(/\.[^.]+$/, '') });
  return [...sources, ...workbook];
}

function planSheet(file: string, unit: TableUnit, matcher: PlacementMatcher, workbook: ContextText[]): SheetPlan {
  const nonBlank = unit.raw.records.filter((r) => !isBlankRecord(r));
  if (nonBlank.length === 0) {
    return { status: 'skipped', unit, empty: true, rows: 0, reason: { zh: '空工作表', en: 'empty worksheet' } };
  }
  const contextOf = (reading: HeaderReading<OrgField>) => findContext(contextSources(file, unit, reading, workbook), matcher);
  const places = (c: LedgerContext) => c.county !== null;
  const reading = findHeader(unit.raw, ORG_HEADER_SYNONYMS, (r) => r.mapping.columns.name !== undefined && orgMissingRequired(r.mapping, places(contextOf(r))) === null)!;
  const where = unit.sheet === undefined ? file : `${file} [${unit.sheet}]`;
  if (reading.mapping.columns.name === undefined && unit.sheet !== undefined) {
    // a worksheet without an organization-name column: a summary, instructions, a list of choices
    const hasTotals = nonBlank.some((r) => r.cells.slice(0, 3).some((c) => TOTALS_CELL.test(cellText(c).replace(/\s+/g, ''))));
    const skip = (zh: string, en: string): SheetPlanSkip => ({ status: 'skipped', unit, empty: false, rows: nonBlank.length, reason: { zh, en } });
    if (SUMMARY_SHEET.test(unit.sheet) || hasTotals) {
      const why = SUMMARY_SHEET.test(unit.sheet) ? `工作表名“${unit.sheet}”` : '有合计行';
      const whyEn = SUMMARY_SHEET.test(unit.sheet) ? `sheet name "${unit.sheet}"` : 'it has a totals row';
      return skip(`汇总/统计表（${why}，没有组织名称列），不是组织名单`, `a summary sheet (${whyEn}, no organization-name column), not a list of organizations`);
    }
    if (reading.score < 2) {
      return skip(
        `没有组织名单的表头（${unit.hidden ? '隐藏的工作表；' : ''}前 10 行中没有“组织名称”等列名）`,
        `no header of a list of organizations (${unit.hidden ? 'a hidden sheet; ' : ''}no column such as 组织名称 in its first 10 rows)`,
      );
    }
  }
  const context = contextOf(reading);
  const missing = orgMissingRequired(reading.mapping, places(context));
  if (missing) {
    const sheetSays = unit.sheet === undefined ? '' : `工作表“${unit.sheet}”：`;
    const sheetSaysEn = unit.sheet === undefined ? '' : `worksheet "${unit.sheet}": `;
    // a county named but not usable (市中区 is in several prefectures) is why: say so
    const why = context.notes.length ? [`（${context.notes.map((n) => n.zh).join('；')}）`, ` (${context.notes.map((n) => n.en).join('; ')})`] : ['', ''];
    throw new DatasetError(file, reading.lines[0], missing.column, sheetSays + missing.zh + why[0], sheetSaysEn + missing.en + why[1]);
  }
  const table = tableHead({ ...unit.raw, file: where }, reading, ORG_HEADER_SYNONYMS);
  const mapped = table.mapping.columns;
  if (mapped.community === undefined && mapped.township === undefined && mapped.community_code === undefined) {
    // every row would land at the county silently: a column that looks like a place must be understood
    const placeLike = table.mapping.ignored.find((h) => /(社区|村|居委|街道|乡镇|镇|乡)/.test(normaliseHeader(h)));
    if (placeLike) {
      throw new DatasetError(
        file,
        reading.lines[0],
        placeLike,
        `${unit.sheet === undefined ? '' : `工作表“${unit.sheet}”：`}列“${placeLike}”像是所在地（乡镇街道或社区）列，但无法识别；请改为“乡镇街道”或“社区”，否则所有组织都只能计入区县`,
        `${unit.sheet === undefined ? '' : `worksheet "${unit.sheet}": `}column "${placeLike}" looks like a place (township or community) but is not understood; name it 乡镇街道 or 社区, else every organization counts for the county only`,
      );
    }
  }
  return { status: 'read', unit, table, context };
}

/** The placement columns whose use is counted (a constant: an array literal in the row loop was made per row). */
const PLACE_COLUMNS = ['community', 'township'] as const;

/** Minimum rows with a value in a placement column, none of them placed, for that to be a structural error. */
const UNPLACED_COLUMN_ROWS = 3;

interface OrgReadState {
  matcher: PlacementMatcher;
  asOf: string;
  categoryMap?: Readonly<Record<string, Category>>;
  /** Accepted organizations, pushed as they are read (src/lib/core/org-columns.ts). */
  columns: OrgColumnsBuilder;
  /** The same as records, only when the caller asks for them (ReadDatasetOptions.records). */
  orgs: OrgRecord[] | null;
  /** First row (index in `columns`) of each credit code. */
  seenCredit: CreditCodeIndex;
  names: NamesByPlace;
  /** On a helper thread: the credit code, place and name of every row that reached the duplicate check. */
  keys: CandidateKeys | null;
}

/** What a helper thread's rows were checked against for duplicates, for the check against the rows before them. */
export interface CandidateKeysExport {
  credits: string[];
  /** Distinct places (orgNameKeyParts) and each row's index among them. */
  places: string[];
  placeOf: Int32Array;
  /** Each row's normalised name, one after the other in one string (one copy between threads, not 750,000 strings), and where each ends. */
  names: string;
  nameEnds: Int32Array;
  /** The counties of the rows: a place lies in one county, so a share whose counties were not read here shares no place. */
  counties: string[];
}

class CandidateKeys {
  private readonly credits: string[] = [];
  private readonly places: string[] = [];
  private readonly placeIndex = new Map<string, number>();
  private placeOf = new Int32Array(1 << 16);
  private nameEnds = new Int32Array(1 << 16);
  private readonly names: string[] = [];
  private readonly counties = new Set<string>();
  private length = 0;
  private end = 0;
  private lastPlace: string | null = null;
  private lastIndex = -1;

  add(credit: string | null, place: string, name: string, county: string): void {
    if (credit) this.credits.push(credit);
    if (place !== this.lastPlace) {
      let i = this.placeIndex.get(place);
      if (i === undefined) {
        this.placeIndex.set(place, (i = this.places.push(place) - 1));
        this.counties.add(county);
      }
      this.lastPlace = place;
      this.lastIndex = i;
    }
    const n = this.length++;
    if (n === this.placeOf.length) {
      this.placeOf = grownInt32(this.placeOf);
      this.nameEnds = grownInt32(this.nameEnds);
    }
    this.placeOf[n] = this.lastIndex;
    this.nameEnds[n] = this.end += name.length;
    this.names.push(name);
  }

  export(): CandidateKeysExport {
    const n = this.length;
    return { credits: this.credits, places: this.places, placeOf: this.placeOf.slice(0, n), names: this.names.join(''), nameEnds: this.nameEnds.slice(0, n), counties: [...this.counties] };
  }
}

const grownInt32 = (a: Int32Array) => {
  const grown = new Int32Array(a.length * 2);
  grown.set(a);
  return grown;
};

/**
 * First row of each normalised name per place (orgNameKey's two parts). A community holds a few
 * organizations, so a short [name, row, …] list per place replaces one 1.75 M-entry map of long
 * concatenated keys; a place that gathers many (a county's unplaced organizations) gets its own Map.
 */
class NamesByPlace {
  private readonly placeIds = new Map<string, number>();
  /** id + 1 of each community place by its unit's position (0: none yet); township and county places are in placeIds */
  private readonly idByUnit: Int32Array;
  private readonly lists: ((string | number)[] | Map<string, number>)[] = [];

  // the place of the row before (rows come sorted by place more often than not): its id without the lookup
  private lastPlace: string | null = null;
  private lastPosition = -1;
  private lastId: number | undefined = undefined;

  constructor(private readonly units: UnitPositions) {
    this.idByUnit = new Int32Array(units.size);
  }

  private idOf(place: string): number | undefined {
    if (place !== this.lastPlace) {
      this.lastPlace = place;
      this.lastPosition = this.units.indexOf(place);
      this.lastId = this.lastPosition >= 0 ? this.idByUnit[this.lastPosition] - 1 : this.placeIds.get(place);
      if (this.lastId === -1) this.lastId = undefined;
    }
    return this.lastId;
  }

  hasPlace(place: string): boolean {
    const p = this.units.indexOf(place);
    return p >= 0 ? this.idByUnit[p] > 0 : this.placeIds.has(place);
  }

  find(place: string, name: string): number | undefined {
    const id = this.idOf(place);
    if (id === undefined) return undefined;
    const list = this.lists[id];
    if (list instanceof Map) return list.get(name);
    for (let i = 0; i < list.length; i += 2) if (list[i] === name) return list[i + 1] as number;
    return undefined;
  }

  add(place: string, name: string, row: number): void {
    let id = this.idOf(place);
    if (id === undefined) {
      id = this.lists.length;
      if (this.lastPosition >= 0) this.idByUnit[this.lastPosition] = id + 1;
      else this.placeIds.set(place, id);
      this.lists.push([]);
      this.lastId = id;
    }
    const list = this.lists[id];
    if (list instanceof Map) list.set(name, row);
    else if (list.length < 64) list.push(name, row);
    else {
      const map = new Map<string, number>();
      for (let i = 0; i < list.length; i += 2) map.set(list[i] as string, list[i + 1] as number);
      map.set(name, row);
      this.lists[id] = map;
    }
  }
}

const at = (s: { file: string; line: number; sheet?: string }) => (s.sheet === undefined ? `${s.file} 第 ${s.line} 行` : `${s.file} [${s.sheet}] 第 ${s.line} 行`);
const atEn = (s: { file: string; line: number; sheet?: string }) => (s.sheet === undefined ? `${s.file} line ${s.line}` : `${s.file} [${s.sheet}] line ${s.line}`);

/** Reads a sheet's rows as they come (`row`, in table order), then its reconciliation (`finish`). */
interface SheetReader {
  row: (record: RawRecord) => void;
  finish: () => SheetReconciliation;
}

/**
 * The reader of one planned sheet. Records at or above the header line are passed over (a CSV's first records
 * arrive before its header is known); each record below is counted once: skipped, rejected or accepted.
 */
function openSheet(file: string, plan: SheetPlanRead, date1904: boolean, state: OrgReadState, out: ReadSink): SheetReader {
  const { table, context, unit } = plan;
  const sheet = unit.sheet;
  const counts = zero();
  out.notes.push(...table.notes.map((n) => note(file, sheet, n.zh, n.en)));
  out.notes.push(...context.notes.map((n) => note(file, sheet, n.zh, n.en)));
  const ctx = {
    file,
    sheet,
    table,
    matcher: state.matcher,
    asOf: state.asOf,
    date1904,
    categoryMap: state.categoryMap,
    context: { countyCode: context.county?.code ?? null, townshipCode: context.township?.code ?? null, ledgerAsOf: context.asOf?.iso ?? null },
  };
  const plainRow = plainRowReader(ctx);
  const used = { county: 0, township: 0 };
  const columnUse = {
    community: { values: 0, placed: 0, examples: [] as string[], examplesEn: [] as string[] },
    township: { values: 0, placed: 0, examples: [] as string[], examplesEn: [] as string[] },
  };
  const crosswalked = new Map<string, { category: Category; rows: number; via: 'plan' | 'crosswalk' | 'dataset' | null }>();
  const reject = (rejection: Rejection) => {
    out.rejections.push(withSheet(rejection, sheet));
    counts.rejected++;
  };
  const row = (raw: RawRecord): void => {
    if (raw.line <= table.headerLine) return;
    counts.rowsRead++;
    const classified = table.classify(raw);
    if ('skipped' in classified) {
      const s = classified.skipped;
      out.skipped.push(withSheet({ file, line: s.record.line, kind: s.kind, reason: `${s.zh} / ${s.en}`, text: rowText(s.record) }, sheet));
      counts.skipped++;
      return;
    }
    const record = classified.row;
    const plain = plainRow(record);
    if (plain !== null) {
      // its community and township names, when written, placed it (as validateOrgRow's placement would say)
      for (const f of PLACE_COLUMNS) {
        const index = table.mapping.columns[f];
        if (index === undefined || record.cells[index] === '') continue;
        columnUse[f].values++;
        columnUse[f].placed++;
      }
      return accept(record, plain, null);
    }
    const result = validateOrgRow(ctx, record);
    for (const f of PLACE_COLUMNS) {
      const index = table.mapping.columns[f];
      if (index === undefined || record.problem) continue;
      if (cellText(record.cells[index] ?? null).trim() === '') continue;
      columnUse[f].values++;
      const placed = f === 'community' ? result.placement?.community : result.placement?.township;
      if (placed) columnUse[f].placed++;
      else if (!result.ok && columnUse[f].examples.length < 3) {
        const p = result.problems.find((x) => x.column === table.mapping.written[f]);
        if (p) {
          columnUse[f].examples.push(`第 ${record.line} 行：${p.zh}`);
          columnUse[f].examplesEn.push(`line ${record.line}: ${p.en}`);
        }
      }
    }
    if (!result.ok) {
      reject(toRejection(file, record.line, result.problems, result.name));
      return;
    }
    accept(record, result.record, result);
  };
  /**
   * An organization that passed validation: a duplicate is rejected, else it is counted. `checked` is null for a
   * plain row (rows.ts plainRowReader), which has no warning and used no context.
   */
  const accept = (record: RawRecord, org: OrgRecord, checked: { warnings: RowWarning[]; placement: RowPlacementUse } | null): void => {
    const byCredit = org.creditCode ? state.seenCredit.get(org.creditCode) : undefined;
    const [place, normalisedName] = orgNameKeyParts(org);
    state.keys?.add(org.creditCode, place, normalisedName, org.countyCode);
    const byName = byCredit === undefined ? state.names.find(place, normalisedName) : undefined;
    if (byCredit !== undefined || byName !== undefined) {
      const first = state.columns.sourceOf((byCredit ?? byName)!);
      const what = byCredit !== undefined ? `统一社会信用代码 ${org.creditCode}` : '同一地点的同名组织';
      const whatEn = byCredit !== undefined ? `credit code ${org.creditCode}` : 'same name at the same place';
      reject({
        file,
        line: record.line,
        column: byCredit !== undefined ? (table.mapping.written.credit_code ?? null) : (table.mapping.written.name ?? null),
        reason: `重复：${what}已在 ${at(first)}出现 / duplicate: ${whatEn} already in ${atEn(first)}`,
        value: byCredit !== undefined ? org.creditCode : org.name,
        name: org.name,
      });
      return;
    }
    const index = state.columns.push(org);
    if (org.creditCode) state.seenCredit.set(org.creditCode, index);
    state.names.add(place, normalisedName, index);
    state.orgs?.push(org);
    counts.accepted++;
    if (checked !== null) {
      if (checked.placement.countyFromContext) used.county++;
      if (checked.placement.townshipFromContext) used.township++;
      if (checked.warnings.length) counts.warnings++;
      for (const w of checked.warnings) out.warnings.push(toWarning(file, sheet, record.line, w, org.name));
    }
    if (org.categoryRaw && org.categoryRaw !== org.category) {
      let entry = crosswalked.get(org.categoryRaw);
      if (!entry) {
        const read = readCategory(org.categoryRaw, state.categoryMap);
        entry = { category: org.category, rows: 0, via: read.ok ? read.via : null };
        crosswalked.set(org.categoryRaw, entry);
      }
      entry.rows++;
    }
  };
  const finish = (): SheetReconciliation => {
    for (const f of PLACE_COLUMNS) {
      const use = columnUse[f];
      if (use.values >= UNPLACED_COLUMN_ROWS && use.placed === 0) {
        const column = table.mapping.written[f]!;
        throw new DatasetError(
          file,
          table.headerLine,
          column,
          `${sheet === undefined ? '' : `工作表“${sheet}”：`}列“${column}”有 ${use.values} 行填了${f === 'community' ? '社区' : '乡镇街道'}，但没有一行能据此定位（${use.examples.join('；')}）；请检查该列是否填的是${f === 'community' ? '社区（村）' : '乡镇街道'}名称`,
          `${sheet === undefined ? '' : `worksheet "${sheet}": `}column "${column}" has a ${f} in ${use.values} rows but places none of them (${use.examplesEn.join('; ')}); check that it holds ${f} names`,
        );
      }
    }
    contextNotes(state.matcher, file, sheet, context, used, state.asOf, out);
    // words read through the crosswalk or the dataset's category_map, said once per sheet (unknown words are warnings)
    for (const [raw, { category, rows, via }] of [...crosswalked].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (via !== 'crosswalk' && via !== 'dataset') continue;
      const by = via === 'dataset' ? [' dataset.json 的 category_map ', "dataset.json's category_map"] : ['内置对照表', 'the built-in crosswalk'];
      out.notes.push(note(file, sheet, `类别“${raw}”按${by[0]}计为“${category}”（${rows} 行）`, `category "${raw}" counted as ${category} by ${by[1]} (${rows} row(s))`));
    }
    return {
      sheet: sheet ?? '',
      status: 'read',
      reason: null,
      headerLine: table.headerLine,
      columns: columnsOf(table.mapping, ORG_FIELDS),
      ...counts,
      ignoredColumns: table.mapping.ignored,
    };
  };
  return { row, finish };
}

function contextNotes(matcher: PlacementMatcher, file: string, sheet: string | undefined, context: LedgerContext, used: { county: number; township: number }, asOf: string, out: ReadSink) {
  if (context.county && used.county > 0) {
    const c = context.county;
    out.notes.push(
      note(
        file,
        sheet,
        `区县取自${SOURCE_ZH[c.from]}“${c.text}”：${matcher.label(c.code)}，用于 ${used.county} 个没有区县的已采用记录`,
        `county taken from ${SOURCE_EN[c.from]} "${c.text}": ${matcher.label(c.code)}, applied to ${used.county} accepted row(s) without one`,
      ),
    );
  }
  if (context.township && used.township > 0) {
    const t = context.township;
    out.notes.push(
      note(
        file,
        sheet,
        `乡镇街道取自${SOURCE_ZH[t.from]}“${t.text}”：${matcher.label(t.code)}，用于 ${used.township} 个没有乡镇街道的已采用记录`,
        `township taken from ${SOURCE_EN[t.from]} "${t.text}": ${matcher.label(t.code)}, applied to ${used.township} accepted row(s) without one`,
      ),
    );
  }
  if (context.asOf) {
    const a = context.asOf;
    const compare =
      a.iso < asOf
        ? [`早于数据集截止日期 ${asOf}：此后的成立和注销不在此表中`, `before the dataset's as-of date ${asOf}: later foundings and dissolutions are not in this table`]
        : a.iso > asOf
          ? [`晚于数据集截止日期 ${asOf}：只计 ${asOf} 之前成立的组织`, `after the dataset's as-of date ${asOf}: only organizations founded by ${asOf} count`]
          : ['与数据集截止日期相同', "the same as the dataset's as-of date"];
    out.notes.push(note(file, sheet, `台账截至 ${a.iso}（${SOURCE_ZH[a.from]}“${a.text}”），${compare[0]}`, `ledger as of ${a.iso} (${SOURCE_EN[a.from]} "${a.text}"), ${compare[1]}`));
  }
}

const toWarning = (file: string, sheet: string | undefined, line: number, w: RowWarning, name: string | null): IngestWarning =>
  withSheet({ file, line, column: w.column, value: w.value, assumed: w.assumed, reason: `${w.zh} / ${w.en}`, name }, sheet);

/**
 * One organizations CSV, read as it is parsed: the first records are held until the header can be found among
 * them (HEADER_SEARCH_ROWS non-blank records and the one after), then every record goes through the sheet reader
 * and is dropped, so a file's records never sit in memory together (a national province file is 100,000 rows).
 */
function readOrganizationCsv(dir: string, file: string, state: OrgReadState, out: ReadSink): void {
  const source = openCsv(readBytes(dir, file), file, ORG_HEADER_SYNONYMS);
  out.notes.push(...source.notes.map((n) => splitNote(file, n)));
  let head: RawRecord[] = [];
  let nonBlank = 0;
  let reader: SheetReader | null = null;
  const begin = () => {
    const unit: TableUnit = { raw: { file, encoding: source.encoding, records: head, notes: source.notes, date1904: false }, hidden: false };
    const plan = planSheet(file, unit, state.matcher, []);
    if (plan.status === 'skipped') return; // a CSV is skipped only when it holds nothing but blank lines
    reader = openSheet(file, plan, false, state, out);
    for (const r of head) reader.row(r);
    head = [];
  };
  streamCsvRecords(source.text, source.delimiter, (record) => {
    if (reader) return reader.row(record);
    head.push(record);
    if (!isBlankRecord(record) && ++nonBlank > HEADER_SEARCH_ROWS) begin();
  });
  if (!reader) begin();
  if (!reader) {
    out.rejections.push({ file, line: 0, column: null, reason: EMPTY_FILE_REASON, value: null, name: null });
    out.files.push(fileReconciliation(file, source.encoding, zero(), [], []));
    return;
  }
  const sheet = (reader as SheetReader).finish();
  out.files.push(fileReconciliation(file, source.encoding, add(zero(), sheet), sheet.ignoredColumns, [], sheet.columns));
}

async function readOrganizationFile(dir: string, file: string, state: OrgReadState, out: ReadSink): Promise<void> {
  if (file.toLowerCase().endsWith('.xlsx')) await readOrganizationWorkbook(dir, file, state, out);
  else readOrganizationCsv(dir, file, state, out);
}

/** One organizations workbook: every worksheet planned (with what the other sheets say), then read in order. */
async function readOrganizationWorkbook(dir: string, file: string, state: OrgReadState, out: ReadSink): Promise<void> {
  const { encoding, units } = await readUnits(dir, file, ORG_HEADER_SYNONYMS);
  out.notes.push(...units.flatMap((u) => u.raw.notes.map((n) => splitNote(file, n))));
  // what the other sheets of a workbook say (their names, their first rows): a county for all of them
  const workbook = units.flatMap((u) =>
    [u.sheet!, ...u.raw.records.filter((r) => !isBlankRecord(r)).slice(0, 1).map(titleText)].map((text) => ({ sheet: u.sheet, from: 'workbook' as const, text })),
  );
  const plans = units.map((u) => planSheet(file, u, state.matcher, workbook.filter((w) => w.sheet !== u.sheet).map(({ from, text }) => ({ from, text }))));
  if (plans.every((p) => p.status === 'skipped' && p.empty)) {
    out.rejections.push({ file, line: 0, column: null, reason: EMPTY_FILE_REASON, value: null, name: null });
    out.files.push(fileReconciliation(file, encoding, zero(), [], plans.map((p) => skippedSheet(p as SheetPlanSkip))));
    return;
  }
  if (!plans.some((p) => p.status === 'read')) {
    const reasons = plans.map((p) => `“${p.unit.sheet}”：${(p as SheetPlanSkip).reason.zh}`).join('；');
    const reasonsEn = plans.map((p) => `"${p.unit.sheet}": ${(p as SheetPlanSkip).reason.en}`).join('; ');
    throw new DatasetError(file, null, null, `工作簿中没有组织名单（${reasons}）`, `the workbook holds no list of organizations (${reasonsEn})`);
  }
  let counts = zero();
  const sheets: SheetReconciliation[] = [];
  const ignored: string[] = [];
  const columns: Record<string, string> = {};
  for (const plan of plans) {
    if (plan.status === 'skipped') {
      sheets.push(skippedSheet(plan));
      const rows = plan.rows ? [`（${plan.rows} 行）`, ` (${plan.rows} row(s))`] : ['', ''];
      out.skipped.push(
        withSheet({ file, line: 0, kind: 'sheet' as const, reason: `跳过工作表：${plan.reason.zh}${rows[0]} / worksheet skipped: ${plan.reason.en}${rows[1]}`, text: null }, plan.unit.sheet),
      );
      continue;
    }
    const reader = openSheet(file, plan, plan.unit.raw.date1904, state, out);
    for (const r of plan.unit.raw.records) reader.row(r);
    const sheet = reader.finish();
    sheets.push(sheet);
    counts = add(counts, sheet);
    for (const h of sheet.ignoredColumns) if (!ignored.includes(h)) ignored.push(h);
    for (const [field, header] of Object.entries(sheet.columns)) columns[field] ??= header;
  }
  const ordered = columnsOf({ columns: {}, written: columns, ignored: [], duplicates: [] } as HeaderMapping<OrgField>, ORG_FIELDS);
  out.files.push(fileReconciliation(file, encoding, counts, ignored, sheets, ordered));
}

function skippedSheet(plan: SheetPlanSkip): SheetReconciliation {
  return { sheet: plan.unit.sheet ?? '', status: 'skipped', reason: `${plan.reason.zh} / ${plan.reason.en}`, headerLine: null, columns: {}, ...zero(), ignoredColumns: [] };
}

/**
 * Reads a dataset folder: dataset.json, organizations/*.csv|*.xlsx (every worksheet),
 * observations/*.csv. Every row below a header ends up accepted (`orgs`/`observations`), rejected
 * (`rejections`: it cannot be counted) or skipped (`skipped`: a totals row, a footer, a blank or
 * repeated header row, a group heading); accepted rows with an assumption carry `warnings`.
 * Structural problems throw DatasetError. Choices:
 * - a missing organizations/ folder is a DatasetError; an organizations/ folder without data files
 *   reads as 0 organizations, with a note (the site then shows "no data" everywhere);
 * - an empty file (0 bytes, or nothing but blank lines, or a workbook of empty sheets) adds a
 *   rejection at line 0 "空文件 / empty file" that is not counted as a row; a header-only file is 0 rows;
 * - a worksheet without an organization header (a 汇总 sheet, instructions) is skipped with its
 *   reason, listed in `skipped` (line 0) and in the file's `sheets`;
 * - duplicates: the first occurrence (files in name order, sheets in workbook order, then line
 *   order) is kept; a later row with the same credit code, or the same normalised name at the
 *   same place, is rejected.
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
  /** A helper thread reading the last organization files meanwhile (src/lib/ingest/read-helper.ts). */
  helper?: OrganizationHelper;
}

/** A helper thread's reading of some organization files, on its own: what readDataset merges after its own files. */
export interface OrganizationShare {
  out: ReadSink;
  rows: OrgRowsExport;
  keys: CandidateKeysExport;
}

/**
 * The last files of the organizations folder, read by another thread while this one reads the rest. Its share is
 * merged only when not one of its rows meets a row read here in the duplicate check (credit code, or name at a
 * place): then reading it here after the rest would have decided every row alike, so the merge is the same result.
 * Otherwise (or when the thread failed) its files are read here in turn, as without a helper.
 */
export interface OrganizationHelper {
  /** File names in organizations/, the end of its sorted listing. */
  files: readonly string[];
  result: Promise<OrganizationShare | null>;
  /** How its files were counted, set by readDataset: 'merged' or why they were read here after all. */
  outcome: string | null;
  close(): void;
}

/** The data files of organizations/, as readDataset reads them in turn (null when the folder cannot be listed). */
export function organizationFiles(dir: string): string[] | null {
  try {
    return listFolder(dir, ORGANIZATIONS_DIR, true).files;
  } catch {
    return null;
  }
}

const newOrgReadState = (divisions: Divisions, matcher: PlacementMatcher, meta: DatasetMeta, keepRecords: boolean, keys: CandidateKeys | null): OrgReadState => ({
  matcher, asOf: meta.as_of, categoryMap: meta.category_map,
  // community codes are found by their unit's position (divisions.ts UnitTable), not in maps of 620,000 codes
  columns: new OrgColumnsBuilder(1 << 16, divisions.units), orgs: keepRecords ? [] : null, seenCredit: new CreditCodeIndex(), names: new NamesByPlace(divisions.units), keys,
});

const newSink = (): ReadSink => ({ notes: [], rejections: [], warnings: [], skipped: [], files: [], inputFiles: [] });

/** Organization files read as a helper thread's share (src/lib/ingest/read-worker.ts): no records, keys kept. */
export async function readOrganizationShare(dir: string, files: readonly string[], divisions: Divisions, meta: DatasetMeta): Promise<OrganizationShare> {
  const state = newOrgReadState(divisions, new PlacementMatcher(divisions, meta.scope), meta, false, new CandidateKeys());
  const out = newSink();
  for (const name of files) await readOrganizationFile(dir, rel(ORGANIZATIONS_DIR, name), state, out);
  return { out, rows: state.columns.exportRows(), keys: state.keys!.export() };
}

/** True when a row of the share would have met one read before it in the duplicate check. */
function meetsEarlierRows(state: OrgReadState, keys: CandidateKeysExport): boolean {
  for (const credit of keys.credits) if (state.seenCredit.has(credit)) return true;
  // every name read here is at a place of a county of the rows accepted here (a place lies in one county)
  if (!keys.counties.some((county) => state.columns.hasCounty(county))) return false;
  const shared = keys.places.map((p) => state.names.hasPlace(p));
  if (!shared.includes(true)) return false;
  for (let i = 0; i < keys.placeOf.length; i++) {
    const p = keys.placeOf[i];
    if (shared[p] && state.names.find(keys.places[p], keys.names.slice(i === 0 ? 0 : keys.nameEnds[i - 1], keys.nameEnds[i])) !== undefined) return true;
  }
  return false;
}

/** The helper's files: merged (see OrganizationHelper), or read here after the rest. */
async function settleHelper(helper: OrganizationHelper, dir: string, state: OrgReadState, out: ReadSink): Promise<void> {
  const waited = performance.now();
  const share = await helper.result;
  helper.close();
  const merging = performance.now();
  if (share && !meetsEarlierRows(state, share.keys)) {
    out.notes.push(...share.out.notes);
    out.rejections.push(...share.out.rejections);
    out.warnings.push(...share.out.warnings);
    out.skipped.push(...share.out.skipped);
    out.files.push(...share.out.files);
    state.columns.append(share.rows);
    // the share is the end of the folder: nothing after it asks seenCredit or names
    helper.outcome = 'merged';
  } else {
    helper.outcome = share ? 'read here: a row meets an earlier one in the duplicate check' : 'read here: the helper thread failed';
    for (const name of helper.files) await readOrganizationFile(dir, rel(ORGANIZATIONS_DIR, name), state, out);
  }
  if (process.env.CSO_TRACE) console.log(`  read helper: waited ${((merging - waited) / 1000).toFixed(2)} s, then ${((performance.now() - merging) / 1000).toFixed(2)} s: ${helper.outcome}`);
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
  const keepRecords = options.records !== false;
  const observations: Observation[] = [];
  const files: FileReconciliation[] = [];
  const out: ReadSink = { notes: [], rejections: [], warnings: [], skipped: [], files, inputFiles: [DATASET_JSON] };
  const folderNote = (folder: string, text: string) => {
    const [zh, en] = text.slice(folder.length + 3).split(' / ');
    out.notes.push(note(`${folder}/`, undefined, zh, en));
  };

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
  orgListing.notes.forEach((n) => folderNote(ORGANIZATIONS_DIR, n));
  if (!orgListing.files.length) {
    out.notes.push(note(`${ORGANIZATIONS_DIR}/`, undefined, '没有 CSV 或 xlsx 文件，组织数为 0', 'no CSV or xlsx files: 0 organizations'));
  }
  const state = newOrgReadState(divisions, matcher, meta, keepRecords, null);
  // a helper reads the end of the listing, or nothing: with records kept every row is read here
  const helper = options.helper;
  const tail = helper && !keepRecords && helper.files.length > 0 && helper.files.length < orgListing.files.length && orgListing.files.slice(-helper.files.length).every((f, i) => f === helper.files[i]);
  if (helper && !tail) {
    helper.close();
    helper.outcome = keepRecords ? 'not used: records are kept' : 'not used: its files are not the end of the listing';
  }
  const ownFiles = tail ? orgListing.files.slice(0, -helper.files.length) : orgListing.files;
  for (const name of orgListing.files) out.inputFiles.push(rel(ORGANIZATIONS_DIR, name));
  for (const name of ownFiles) await readOrganizationFile(dir, rel(ORGANIZATIONS_DIR, name), state, out);
  if (tail) await settleHelper(helper, dir, state, out);

  const obsDir = path.join(dir, OBSERVATIONS_DIR);
  if (existsSync(obsDir) && statSync(obsDir).isDirectory()) {
    const obsListing = listFolder(dir, OBSERVATIONS_DIR, false);
    obsListing.notes.forEach((n) => folderNote(OBSERVATIONS_DIR, n));
    const areaCodes = new Set(divisions.areas.keys());
    const seenObservation = new Map<string, { file: string; line: number }>();
    await readObservationFiles(obsListing.files, (file) => loadObservationTable(dir, file), out, (file, table, record) => {
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

  const total = files.reduce(add, zero());
  return {
    dir,
    meta,
    orgs: state.orgs ?? [],
    // The accepted organizations as integer-coded columns, what every later stage counts.
    columns: state.columns.finish(),
    observations,
    rejections: out.rejections,
    warnings: out.warnings,
    skipped: out.skipped,
    notes: out.notes,
    reconciliation: { files, ...total },
    inputFiles: [...out.inputFiles].sort(),
  };
}
