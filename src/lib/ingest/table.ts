import { DatasetError, problem, type Problem } from './errors';
import type { SkipKind } from '../core/types';
import { PLAIN_TEXT, nfkc } from '../core/text';
import { headerField, headerFirstChars, mapHeaders, type HeaderMapping } from './headers';

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

/** A record below the header that is not an organization, and why. */
export interface SkippedRecord {
  record: RawRecord;
  kind: SkipKind;
  zh: string;
  en: string;
}

/** A table's header as located, before its rows are read (a CSV's rows are classified as they are parsed). */
export interface TableHead<F extends string> {
  /** the (last) header row; rows below it are the table's rows */
  headerLine: number;
  /** every header row: one, or two when a parent label sits over child labels */
  headerLines: number[];
  /** labels as a person reads them: "所在地/村（社区）" for a child under a merged parent */
  headers: string[];
  mapping: HeaderMapping<F>;
  /** non-blank records above the header (titles) */
  titleRecords: RawRecord[];
  notes: { zh: string; en: string }[];
  /**
   * A record below the header: skipped (a totals row, footer, blank or repeated header, heading) or the record
   * to validate (its width checked). Records must come in table order: a footer ends the table for the rows after it.
   */
  classify: (record: RawRecord) => { skipped: SkippedRecord } | { row: RawRecord };
}

export interface LocatedTable<F extends string> extends TableHead<F> {
  /** records to validate */
  rows: RawRecord[];
  /** records below the header that are not organizations */
  skipped: SkippedRecord[];
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
export const HEADER_SEARCH_ROWS = 10;

/** Row number of a cell address ("C12" → 12). */
const rowOf = (address: string) => Number(/\d+$/.exec(address)?.[0] ?? 0);

/** One header reading: labels to look up, labels to show, and what they map to. */
export interface HeaderReading<F extends string> {
  lines: number[];
  lookup: string[];
  display: string[];
  mapping: HeaderMapping<F>;
  score: number;
}

/** A header label as shown: wrapped text (统一社会\n信用代码) joined, outer spaces trimmed. */
const label = (text: string) => text.replace(/\s*[\r\n]+\s*/g, '').trim();

function readHeader<F extends string>(top: RawRecord, bottom: RawRecord | null, synonyms: Record<F, string[]>): HeaderReading<F> {
  const width = Math.max(top.cells.length, bottom?.cells.length ?? 0);
  const lookup: string[] = [];
  const display: string[] = [];
  const topText = (c: number) => {
    const cell = top.cells[c] ?? null;
    // a cell covered by a merge: its label is the master's when the merge spans this header row
    // horizontally (a parent over children); a lone row's covered cell is not a second column
    if (isMergedCell(cell)) return bottom && rowOf(cell.master) === top.line ? label(cellText(cell.value)) : '';
    return label(cellText(cell));
  };
  const bottomText = (c: number) => {
    const cell = bottom?.cells[c] ?? null;
    // covered by a merge from the top row (组织名称 merged down two rows): no child label
    if (isMergedCell(cell) && rowOf(cell.master) <= top.line) return '';
    return label(cellText(cell));
  };
  for (let c = 0; c < width; c++) {
    let parent = topText(c);
    const child = bottomText(c);
    if (bottom && parent === '' && child !== '') {
      // a CSV export keeps a merged parent only in its first column: look left over the span
      let k = c - 1;
      while (k >= 0 && topText(k) === '' && bottomText(k) !== '') k--;
      if (k >= 0 && topText(k) !== '' && bottomText(k) !== '') parent = topText(k);
    }
    if (!bottom || child === '') {
      lookup.push(parent);
      display.push(parent);
      continue;
    }
    if (parent === '') {
      lookup.push(child);
      display.push(child);
      continue;
    }
    // the child alone (区（县）under 所在地), unless parent + child is a different, more specific field
    // (社区 + 名称 = 社区名称, not 名称; 注销 + 日期 = 注销日期)
    const alone = headerField(child, synonyms);
    const joined = headerField(parent + child, synonyms);
    lookup.push(joined !== undefined && joined !== alone ? parent + child : child);
    display.push(`${parent}/${child}`);
  }
  const mapping = mapHeaders(lookup, synonyms, display);
  return { lines: bottom ? [top.line, bottom.line] : [top.line], lookup, display, mapping, score: Object.keys(mapping.columns).length };
}

/**
 * Finds the header among the first non-blank records: one row, or two rows when the second holds
 * child labels under merged parents (所在地 over 区（县）/乡镇（街道）/村（社区）; 组织名称 merged down
 * both rows) and reads more fields than the first alone. The first reading `accept` takes wins;
 * else the best-scoring one is returned (its missing field is then reported by the caller).
 * null when the table holds nothing but blank rows.
 */
export function findHeader<F extends string>(
  table: RawTable,
  synonyms: Record<F, string[]>,
  accept: (reading: HeaderReading<F>) => boolean,
): HeaderReading<F> | null {
  const nonBlank = table.records.filter((r) => !isBlankRecord(r));
  if (nonBlank.length === 0) return null;
  const candidates = nonBlank.slice(0, HEADER_SEARCH_ROWS);
  let best: HeaderReading<F> | null = null;
  for (let i = 0; i < candidates.length; i++) {
    const top = candidates[i];
    if (top.problem) continue;
    const single = readHeader(top, null, synonyms);
    const next = nonBlank[i + 1];
    // a parent row has several labels; a title merged across the table (one label) is not one
    const topLabels = new Set(top.cells.map((c) => (isMergedCell(c) ? '' : cellText(c).trim())).filter((t) => t !== ''));
    const double = next && !next.problem && next.line === top.line + 1 && topLabels.size >= 2 ? readHeader(top, next, synonyms) : null;
    const reading = double && double.score > single.score && double.mapping.duplicates.length === 0 ? double : single;
    if (accept(reading)) return reading;
    if (!best || reading.score > best.score) best = reading;
  }
  return best ?? readHeader(nonBlank[0], null, synonyms);
}

/**
 * The head of the table below a header reading: title rows above (from the records given, which must include
 * every record down to the header), notes, and the classifier of the rows below.
 */
export function tableHead<F extends string>(table: RawTable, reading: HeaderReading<F>, synonyms: Record<F, string[]>): TableHead<F> {
  const { mapping } = reading;
  if (mapping.duplicates.length) {
    const [field, first, second] = mapping.duplicates[0];
    throw new DatasetError(
      table.file,
      reading.lines[0],
      second,
      `列“${second}”与列“${first}”都表示 ${field}，请删除其中一列`,
      `columns "${second}" and "${first}" both mean ${field}: remove one of them`,
    );
  }
  const headerLine = reading.lines[reading.lines.length - 1];
  const notes: { zh: string; en: string }[] = [];
  const titleRecords: RawRecord[] = [];
  for (const r of table.records) if (r.line < reading.lines[0] && !isBlankRecord(r)) titleRecords.push(r);
  if (titleRecords.length) {
    const lines = titleRecords.map((r) => r.line).join(', ');
    notes.push({ zh: `跳过表头之前的第 ${lines} 行（标题行，不是数据）`, en: `skipped line(s) ${lines} before the header row (titles, not data)` });
  }
  if (reading.lines.length > 1) {
    notes.push({
      zh: `表头为两行（第 ${reading.lines.join('–')} 行），上行的合并标题与下行的列名合起来读`,
      en: `the header spans two rows (${reading.lines.join('–')}): merged parent labels are read together with the child labels below`,
    });
  }
  const skipRule = rowClassifier(mapping, synonyms);
  const width = reading.display.length;
  const classify = (r: RawRecord): { skipped: SkippedRecord } | { row: RawRecord } => {
    const skip = r.problem ? null : skipRule(r);
    return skip ? { skipped: { record: r, ...skip } } : { row: r.problem ? r : checkWidth(r, width) };
  };
  return { headerLine, headerLines: reading.lines, headers: reading.display, mapping, titleRecords, notes, classify };
}

/** Builds the located table below a header reading: title rows above, body rows classified. */
export function tableBelow<F extends string>(table: RawTable, reading: HeaderReading<F>, synonyms: Record<F, string[]>): LocatedTable<F> {
  const head = tableHead(table, reading, synonyms);
  const rows: RawRecord[] = [];
  const skipped: SkippedRecord[] = [];
  for (const r of table.records) {
    if (r.line <= head.headerLine) continue;
    const c = head.classify(r);
    if ('skipped' in c) skipped.push(c.skipped);
    else rows.push(c.row);
  }
  return { ...head, rows, skipped };
}

/**
 * Finds the header row and reads the table below it; a missing required field is a DatasetError
 * naming the header line and the column.
 */
export function locateHeader<F extends string>(
  table: RawTable,
  synonyms: Record<F, string[]>,
  missingRequired: (mapping: HeaderMapping<F>) => { column: string; zh: string; en: string } | null,
): LocatedTable<F> | null {
  const reading = findHeader(table, synonyms, (r) => missingRequired(r.mapping) === null);
  if (!reading) return null;
  const missing = missingRequired(reading.mapping);
  if (missing) throw new DatasetError(table.file, reading.lines[0], missing.column, missing.zh, missing.en);
  return tableBelow(table, reading, synonyms);
}

// ---------------------------------------------------------------- rows that are not organizations

const squeeze = (s: string) => nfkc(s).replace(/[\s\u200b-\u200d\ufeff]+/g, '');
// The word alone or before a number, bracket or colon; not before more Chinese: 小计河村森林防火志愿队 is an
// organization of 小计河村 (a real village name of the national sample), 小计：/ 合计（12个）are totals.
const TOTAL_WORDS = ['合计', '小计', '总计', '共计', '累计', '总数', '总合计', '汇总'];
const TOTAL = new RegExp(`^(${TOTAL_WORDS.join('|')})(?!\\p{Script=Han})`, 'u');
/** 填表人：张三 · 审核人： · 填报日期：2025年1月 · 注： · 说明： · （盖章） */
const FOOTER_COLON_WORDS = ['填表人', '填报人', '制表人', '审核人', '审批人', '复核人', '统计人', '经办人', '联系人', '单位负责人', '负责人', '分管领导', '主要负责人', '填表日期', '填报日期', '制表日期', '统计日期', '报送日期', '审核日期', '填报单位', '填表单位', '报送单位', '制表单位', '统计单位', '联系电话', '电话', '注', '说明', '备注', '填表说明'];
const FOOTER_WITH_COLON = new RegExp(`^(${FOOTER_COLON_WORDS.join('|')}|单位(\\(盖章\\))?)[:]`);
const FOOTER_WORDS = ['填表人', '填报人', '制表人', '审核人', '审批人', '复核人', '统计人', '经办人', '填表日期', '填报日期', '制表日期', '报送日期', '填报单位', '填表单位'];
const FOOTER_WORD = new RegExp(`^(${FOOTER_WORDS.join('|')}|(单位)?\\(?(盖章|公章|签章)\\)?)$`);
/**
 * The first characters a totals or footer word begins with (the words above; 单位, 盖章, 公章, 签章 and the bracket of
 * （盖章）). A cell that begins with a CJK Unified Ideograph outside this set is neither (its own text, NFKC and squeezed,
 * begins with the same character), nor is one that begins with printable ASCII other than the bracket: the row
 * classifier's fast path skips the three patterns for them.
 */
export const TOTAL_OR_FOOTER_FIRST = new Set([...TOTAL_WORDS, ...FOOTER_COLON_WORDS, ...FOOTER_WORDS, '单位', '盖章', '公章', '签章', '('].map((w) => w.charCodeAt(0)));
/** The classifier's totals and footer patterns (tests hold quietStart to them). */
export const ROW_WORD_PATTERNS = { TOTAL, FOOTER_WITH_COLON, FOOTER_WORD } as const;
/** 一、城市社区 · （二）白马镇 · 3.农村社区 · 白马镇（12个）: a group label inside the table. */
const HEADING = /^([一二三四五六七八九十]+[、.]|\([一二三四五六七八九十\d]+\)|\d+[、]|第[一二三四五六七八九十\d]+[部分类组])|\(\d+个?\)$/;

/**
 * The first character of a text cell when it settles the row classifier's questions without its own text: a CJK
 * Unified Ideograph that begins no totals or footer word, or printable ASCII other than the bracket (TOTAL_OR_FOOTER_FIRST).
 * Such a cell's own text (NFKC, squeezed) begins with the same character, so it is filled and matches none of TOTAL,
 * FOOTER_WITH_COLON and FOOTER_WORD. -1 for any other cell.
 */
export function quietStart(cell: Cell | undefined): number {
  if (typeof cell !== 'string' || cell === '') return -1;
  const c = cell.charCodeAt(0);
  if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x21 && c <= 0x7e)) return TOTAL_OR_FOOTER_FIRST.has(c) ? -1 : c;
  return -1;
}

/** Text of a cell for classification: merged cells covered by a region count as empty (they belong to the row of their master). */
export const ownText = (cell: Cell) => (typeof cell === 'string' && PLAIN_TEXT.test(cell) ? cell : isMergedCell(cell) ? '' : squeeze(cellText(cell)));

function rowClassifier<F extends string>(mapping: HeaderMapping<F>, synonyms: Record<F, string[]>) {
  const columns = mapping.columns as Partial<Record<string, number>>;
  const serial = columns.serial;
  const nameColumn = columns.name;
  let afterFooter = false;
  const keyColumns = [serial, nameColumn, columns.county, columns.township, columns.community].filter((i): i is number => i !== undefined);
  /**
   * The common case in one pass without arrays (a national load classifies 1.75 M rows): not after a footer,
   * the first cell filled, two cells filled beside the serial number (so not blank, not a one-cell heading),
   * a name that is no header word, and neither the first cell nor a key cell a totals or footer word.
   */
  const headerStarts = headerFirstChars(synonyms);
  const ordinary = (r: RawRecord): boolean => {
    if (afterFooter || nameColumn === undefined) return false;
    const cells = r.cells;
    // A cell that begins with a quiet character (quietStart) is filled and no totals or footer word: most cells of
    // most rows, told by their first character instead of three patterns and NFKC each.
    const c0 = cells[0];
    if (quietStart(c0) < 0) {
      const first = ownText(c0 ?? null);
      if (first === '' || TOTAL.test(first) || FOOTER_WITH_COLON.test(first) || FOOTER_WORD.test(first)) return false;
    }
    let filled = 0;
    for (let i = 0; i < cells.length && filled < 2; i++) if (i !== serial && (quietStart(cells[i]) >= 0 || ownText(cells[i]) !== '')) filled++;
    if (filled < 2) return false;
    for (const i of keyColumns) {
      const cell = cells[i];
      if (cell !== '' && quietStart(cell) < 0 && TOTAL.test(ownText(cell ?? null))) return false;
    }
    const name = cells[nameColumn];
    // a name that begins with an ideograph no header word begins with is no header word (headerFirstChars)
    const start = quietStart(name);
    if (start >= 0x4e00 && !headerStarts.has(start)) return true;
    const nameText = ownText(name ?? null);
    return nameText !== '' && headerField(nameText, synonyms) === undefined;
  };
  return (r: RawRecord): { kind: SkipKind; zh: string; en: string } | null => {
    if (ordinary(r)) return null;
    const texts = r.cells.map(ownText);
    const content = texts.map((t, i) => (i === serial ? '' : t));
    const filled = content.filter((t) => t !== '');
    if (filled.length === 0) {
      if (serial !== undefined && /^\d+$/.test(texts[serial])) {
        return { kind: 'blank', zh: `空行（只有序号 ${texts[serial]}）`, en: `blank row (only the serial number ${texts[serial]})` };
      }
      if (texts.every((t) => t === '')) return { kind: 'blank', zh: '空行（所有单元格为空）', en: 'blank row (every cell empty)' };
    }
    const firstIndex = texts.findIndex((t) => t !== '');
    const first = firstIndex < 0 ? '' : texts[firstIndex];
    const shown = firstIndex < 0 ? '' : cellText(r.cells[firstIndex]).trim().slice(0, 20);
    const keyCells = [first, ...[serial, nameColumn, columns.county, columns.township, columns.community].map((i) => (i === undefined ? '' : texts[i] ?? ''))];
    const total = keyCells.find((t) => TOTAL.test(t));
    if (total !== undefined) return { kind: 'total', zh: `合计行（“${total.slice(0, 20)}”，不是组织）`, en: `totals row ("${total.slice(0, 20)}", not an organization)` };
    const nameText = nameColumn === undefined ? '' : texts[nameColumn] ?? '';
    // a repeated header: its name cell is a header word (or empty), and two cells are header words;
    // the name cell is checked first, so an ordinary row costs one lookup
    const nameIsHeader = nameText === '' || headerField(nameText, synonyms) !== undefined;
    if (nameIsHeader && r.cells.filter((c) => !isMergedCell(c) && headerField(cellText(c), synonyms) !== undefined).length >= 2) {
      return { kind: 'header', zh: '重复的表头行', en: 'repeated header row' };
    }
    if (FOOTER_WITH_COLON.test(first) || FOOTER_WORD.test(first)) {
      afterFooter = true;
      return { kind: 'footer', zh: `表尾（“${shown}”，不是组织）`, en: `footer ("${shown}", not an organization)` };
    }
    if (afterFooter && nameText === '') {
      return { kind: 'footer', zh: '表尾说明的续行（在表尾之后，没有组织名称）', en: 'footer continued (after the footer, no organization name)' };
    }
    if (filled.length === 1 && HEADING.test(filled[0])) {
      return { kind: 'heading', zh: `分组标题行（“${filled[0].slice(0, 20)}”，只有一个单元格）`, en: `group heading ("${filled[0].slice(0, 20)}", a single cell)` };
    }
    return null;
  };
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
