/**
 * The CSV behind one figure: exactly the rows of the figure's data table, raw numbers instead of the
 * formatted text, in a documented layout (the same CSV conventions as src/lib/publish/csv.ts):
 *
 *   row 1..n   two cells: a field name and its value — figure, area, as-of, unit, source, licence, label, page
 *   row n+1    empty
 *   row n+2    the column labels of the figure's table
 *   row n+3..  one row per table row, in the table's order
 *
 * Every text cell goes through formatCsvCell, which neutralises formulas (neutraliseFormula).
 */
import { BOM, formatCsvCell, type CsvValue } from './csv';

export interface FigureCsvMeta {
  /** [field label, value] pairs written above the table, in order (empty values are skipped). */
  fields: [string, string | undefined][];
}

export interface FigureCsvColumn {
  key: string;
  label: string;
}

export function figureCsv(meta: FigureCsvMeta, columns: readonly FigureCsvColumn[], rows: readonly Record<string, CsvValue>[]): string {
  const line = (cells: CsvValue[]) => cells.map(formatCsvCell).join(',');
  const lines = meta.fields.filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => line([k, v]));
  lines.push('');
  lines.push(line(columns.map((c) => c.label)));
  for (const row of rows) lines.push(line(columns.map((c) => row[c.key])));
  return BOM + lines.join('\r\n') + '\r\n';
}

/** Reads back what figureCsv wrote (tests, and anyone checking a file): the fields and the table. */
export function splitFigureCsv(text: string): { fields: string[]; table: string } {
  const body = text.replace(/^\uFEFF/, '');
  const at = body.indexOf('\r\n\r\n');
  if (at < 0) throw new Error('figure CSV: no empty row between the fields and the table');
  return { fields: body.slice(0, at).split('\r\n'), table: body.slice(at + 4) };
}
