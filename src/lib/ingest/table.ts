import { DatasetError, problem, type Problem } from './errors';
import { headerScore, mapHeaders, type HeaderMapping } from './headers';

/**
 * The common shape CSV and XLSX readers produce: records with their physical line (CSV) or row
 * number (XLSX), before any field is interpreted.
 */

export type CellValue = string | number | Date | null;
/** A cell that cannot be read (formula without cached result, #N/A, lost precision). */
export interface CellIssue {
  kind: 'issue';
  zh: string;
  en: string;
  raw: string | null;
}
/** A cell covered by a merged region: exceljs reports the master's value on every covered cell. */
export interface MergedCell {
  kind: 'merged';
  master: string; // e.g. "B2"
  range: string; // e.g. "B2:B4"
  value: CellValue | CellIssue;
}
export type Cell = CellValue | CellIssue | MergedCell;

export const isCellIssue = (c: unknown): c is CellIssue => typeof c === 'object' && c !== null && (c as CellIssue).kind === 'issue';
export const isMergedCell = (c: unknown): c is MergedCell => typeof c === 'object' && c !== null && (c as MergedCell).kind === 'merged';

export interface RawRecord {
  line: number;
  /** last physical line of the record (a quoted field may span lines) */
  endLine: number;
  cells: Cell[];
  /** structural problem found while reading (unclosed quote, ragged row) */
  problem?: Problem;
}

export interface RawTable {
  file: string;
  encoding: string;
  records: RawRecord[];
  notes: string[];
  date1904: boolean;
}

export interface LocatedTable<F extends string> {
  headerLine: number;
  headers: string[];
  mapping: HeaderMapping<F>;
  rows: RawRecord[];
  /** blank records (every cell empty) after the header: skipped, not rows */
  blankRows: number;
  notes: string[];
}

export const cellText = (cell: Cell): string => {
  if (cell === null) return '';
  if (isCellIssue(cell)) return cell.raw ?? '';
  if (isMergedCell(cell)) return cellText(cell.value);
  if (cell instanceof Date) return cell.toISOString();
  return String(cell);
};

export const isBlankRecord = (r: RawRecord) => !r.problem && r.cells.every((c) => cellText(c).trim() === '');

/** How many leading records may precede the header (title rows such as "乐山市社区社会组织名录"). */
const HEADER_SEARCH_ROWS = 10;

/**
 * Finds the header row: the first of the first non-blank records that maps every required field,
 * or else the best-scoring one, whose missing field is then reported. Records before it are titles
 * and are listed in notes. Rows are checked for their field count against the header.
 */
export function locateHeader<F extends string>(
  table: RawTable,
  synonyms: Record<F, string[]>,
  missingRequired: (mapping: HeaderMapping<F>) => { column: string; zh: string; en: string } | null,
): LocatedTable<F> | null {
  const nonBlank = table.records.filter((r) => !isBlankRecord(r));
  if (nonBlank.length === 0) return null;
  const candidates = nonBlank.slice(0, HEADER_SEARCH_ROWS).filter((r) => !r.problem);
  let header = candidates.find((r) => missingRequired(mapHeaders(r.cells.map(cellText), synonyms)) === null);
  if (!header) {
    let best = candidates[0] ?? nonBlank[0];
    for (const r of candidates) if (headerScore(r.cells.map(cellText), synonyms) > headerScore(best.cells.map(cellText), synonyms)) best = r;
    header = best;
  }
  // a header cell covered by a merged region is not a second column of the same name
  const headers = header.cells.map((c) => (isMergedCell(c) ? '' : cellText(c)));
  const mapping = mapHeaders(headers, synonyms);
  const missing = missingRequired(mapping);
  if (missing) throw new DatasetError(table.file, header.line, missing.column, missing.zh, missing.en);
  if (mapping.duplicates.length) {
    const [field, first, second] = mapping.duplicates[0];
    throw new DatasetError(
      table.file,
      header.line,
      second,
      `列“${second}”与列“${first}”都表示 ${field}，请删除其中一列`,
      `columns "${second}" and "${first}" both mean ${field}: remove one of them`,
    );
  }
  const notes: string[] = [];
  const skipped = nonBlank.filter((r) => r.line < header!.line);
  if (skipped.length) {
    const lines = skipped.map((r) => r.line).join(', ');
    notes.push(`${table.file}: 跳过表头之前的第 ${lines} 行（标题行，不是数据） / skipped line(s) ${lines} before the header row (titles, not data)`);
  }
  const rows: RawRecord[] = [];
  let blankRows = 0;
  const width = headers.length;
  for (const r of table.records) {
    if (r.line <= header.line) continue;
    if (isBlankRecord(r)) {
      blankRows++;
      continue;
    }
    rows.push(r.problem ? r : checkWidth(r, width));
  }
  if (blankRows) {
    notes.push(`${table.file}: 跳过 ${blankRows} 个空行（所有单元格为空） / skipped ${blankRows} blank row(s) (every cell empty)`);
  }
  return { headerLine: header.line, headers, mapping, rows, blankRows, notes };
}

/**
 * Too few fields: data is missing or shifted → reject. Too many: reject unless the extra fields are
 * all empty (trailing delimiters, common in exports), since nothing can be lost then.
 */
function checkWidth(r: RawRecord, width: number): RawRecord {
  const n = r.cells.length;
  if (n === width) return r;
  if (n > width && r.cells.slice(width).every((c) => cellText(c).trim() === '')) return { ...r, cells: r.cells.slice(0, width) };
  const span = r.endLine > r.line ? `（该记录跨第 ${r.line}–${r.endLine} 行）` : '';
  const spanEn = r.endLine > r.line ? ` (the record spans lines ${r.line}–${r.endLine})` : '';
  return {
    ...r,
    problem: problem(
      null,
      `字段数为 ${n}，表头为 ${width}${span}；${n > width ? '可能有未加引号的逗号' : '可能缺少字段'}`,
      `${n} fields, the header has ${width}${spanEn}; ${n > width ? 'perhaps an unquoted delimiter' : 'fields may be missing'}`,
      r.cells.map(cellText).join(' | '),
    ),
  };
}
