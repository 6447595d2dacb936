/**
 * Parquet twins of the large tables (communities, townships, new_by_year, …) for programs: typed columns,
 * one file per table (all provinces of a partitioned table together), read in one line by DuckDB
 * (`SELECT … FROM 'communities.parquet'`), pandas or R arrow. Written with hyparquet-writer (pure JavaScript,
 * snappy). Values are the JSON twins' (the CSV's formula guard is a spreadsheet matter, not applied here).
 * Deterministic: no timestamps; created_by names the software version.
 */
import { parquetWriteBuffer, type ColumnSource } from 'hyparquet-writer';
import type { FieldSpec, TableSpec } from './datapackage';

type Row = Record<string, unknown>;

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

function column(field: FieldSpec, rows: readonly Row[], table: string): ColumnSource {
  const values = rows.map((r) => r[field.name] ?? null);
  const bad = (v: unknown, what: string) => new Error(`parquet: ${table}.${field.name} holds ${JSON.stringify(v)}, not ${what}`);
  switch (field.type) {
    case 'integer':
      for (const v of values) if (v !== null && !(Number.isInteger(v) && (v as number) >= INT32_MIN && (v as number) <= INT32_MAX)) throw bad(v, 'a 32-bit integer');
      return { name: field.name, data: values, type: 'INT32' };
    case 'number':
      for (const v of values) if (v !== null && typeof v !== 'number') throw bad(v, 'a number');
      return { name: field.name, data: values, type: 'DOUBLE' };
    case 'boolean':
      for (const v of values) if (v !== null && typeof v !== 'boolean') throw bad(v, 'true or false');
      return { name: field.name, data: values, type: 'BOOLEAN' };
    default:
      // strings and ISO dates as text, exactly as the CSV and JSON write them ('' is no value, as in the CSV)
      return { name: field.name, data: values.map((v) => (v === null || v === '' ? null : String(v))), type: 'STRING' };
  }
}

/** The table's rows as a Parquet file, columns in the data dictionary's order and types. */
export function tableParquet(table: TableSpec, rows: readonly Row[], softwareVersion: string): Uint8Array {
  const buffer = parquetWriteBuffer({
    columnData: table.fields.map((f) => column(f, rows, table.name)),
    createdBy: `CSO Monitor ${softwareVersion}`,
    rowGroupSize: 100_000,
  });
  return new Uint8Array(buffer);
}
