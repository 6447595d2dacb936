/**
 * CSV for programs: UTF-8 WITHOUT a BOM by default (the Frictionless reference library, pandas, readr
 * and DuckDB read the first header as `code`, not `\uFEFFcode`), RFC 4180 quoting, CRLF line ends,
 * ISO dates, '.' decimals, empty cell for missing. People opening files in Excel/WPS get .xlsx
 * workbooks (src/lib/publish/xlsx.ts); `{ bom: true }` remains for a CSV meant for Excel.
 *
 * Formula injection (on in every CSV, since spreadsheets open machine files too): a text cell that starts with = + - @ tab or CR is prefixed with an apostrophe
 * (OWASP's recommendation), so spreadsheet programs show it as text. Numbers are written as numbers
 * and never prefixed (a negative number is data, not a formula).
 */
export const BOM = '\uFEFF';

const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

export type CsvValue = string | number | boolean | null | undefined;

/** A cell that must be quoted: a quote, delimiter or line break inside, or outer whitespace (\s is the set trim() removes). */
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** A text the two rules above leave as it is fails this one test (most cells: codes, names, words): their union. */
const NEEDS_CARE = new RegExp(`${FORMULA_START.source}|${NEEDS_QUOTES.source}`);

export function formatCsvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  // a number or boolean never holds a quote, delimiter or space
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (!NEEDS_CARE.test(value)) return value;
  const text = neutraliseFormula(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * One row's line, without its line end: one string, no array per row (a national communities table is 620,000 rows).
 * `fixed[i]`, when set, is column i's cell already formatted (a value every row shares).
 */
function csvLine(row: Record<string, unknown>, columns: readonly string[], fixed: readonly (string | undefined)[]): string {
  let line = fixed[0] ?? formatCsvCell(row[columns[0]] as CsvValue);
  for (let i = 1; i < columns.length; i++) line += ',' + (fixed[i] ?? formatCsvCell(row[columns[i]] as CsvValue));
  return line;
}

const headerLine = (columns: readonly string[]) => columns.map((c) => formatCsvCell(c)).join(',');

/** Lines encoded together: few enough that they die young, many enough that Buffer.concat stays short. */
const LINES_PER_CHUNK = 2048;

export interface CsvOptions {
  bom?: boolean;
  /** Values every row shares (as_of, sample …), by column: rows need not carry them (outputs.ts writes model rows as they are). */
  shared?: Readonly<Record<string, unknown>>;
}

/**
 * Serialises rows in the given column order, the header being the column names, as UTF-8 bytes. The text is
 * encoded every LINES_PER_CHUNK lines: a long table's lines are dropped as they are encoded instead of living
 * until one join, which made the garbage collector copy them.
 */
export function toCsvBytes<T extends object>(rows: readonly T[], columns: readonly string[], options: CsvOptions = {}): Buffer {
  const shared = options.shared ?? {};
  const fixed = columns.map((c) => (Object.hasOwn(shared, c) ? formatCsvCell(shared[c] as CsvValue) : undefined));
  const chunks: Buffer[] = [];
  let lines = [(options.bom ? BOM : '') + headerLine(columns)];
  for (const row of rows) {
    lines.push(csvLine(row as Record<string, unknown>, columns, fixed));
    if (lines.length === LINES_PER_CHUNK) {
      chunks.push(Buffer.from(lines.join('\r\n') + '\r\n', 'utf8'));
      lines = [];
    }
  }
  if (lines.length) chunks.push(Buffer.from(lines.join('\r\n') + '\r\n', 'utf8'));
  return Buffer.concat(chunks);
}
