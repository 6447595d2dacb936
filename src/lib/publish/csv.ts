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

export function formatCsvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  // a number or boolean never holds a quote, delimiter or space
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = neutraliseFormula(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Serialises rows in the given column order; the header is the column names. */
export function toCsv<T extends Record<string, unknown>>(
  rows: readonly T[],
  columns: readonly (keyof T & string)[],
  options: { bom?: boolean } = {},
): string {
  const lines = [columns.map((c) => formatCsvCell(c)).join(',')];
  const n = columns.length;
  // one string per line, no array per row: a national communities table is 620,000 rows
  for (const row of rows) {
    let line = formatCsvCell(row[columns[0]] as CsvValue);
    for (let i = 1; i < n; i++) line += ',' + formatCsvCell(row[columns[i]] as CsvValue);
    lines.push(line);
  }
  return (options.bom ? BOM : '') + lines.join('\r\n') + '\r\n';
}
