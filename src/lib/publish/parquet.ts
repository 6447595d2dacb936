/**
 * Parquet twins of the large tables (communities, townships, new_by_year, …) for programs: typed columns,
 * one file per table (all provinces of a partitioned table together), read in one line by DuckDB
 * (`SELECT … FROM 'communities.parquet'`), pandas or R arrow. Written with hyparquet-writer (pure JavaScript,
 * snappy). Values are the JSON twins' (the CSV's formula guard is a spreadsheet matter, not applied here).
 * Deterministic: no timestamps; created_by names the software version.
 */
import { Worker } from 'node:worker_threads';
import { parquetWriteBuffer, type ColumnSource } from 'hyparquet-writer';
import type { FieldSpec, TableSpec } from './datapackage';

type Row = Record<string, unknown>;

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** Values every row shares (as_of, sample …), by column: rows need not carry them. */
export type SharedValues = Readonly<Record<string, unknown>>;

const PHYSICAL = { integer: 'INT32', number: 'DOUBLE', boolean: 'BOOLEAN' } as const;
const physicalType = (field: FieldSpec): 'INT32' | 'DOUBLE' | 'BOOLEAN' | 'STRING' => PHYSICAL[field.type as keyof typeof PHYSICAL] ?? 'STRING';

/**
 * A value as its column holds it: null, a number or boolean checked against the field's type (one that is not
 * fails, naming the table, column and value), or text: strings and ISO dates exactly as the CSV and JSON write
 * them, '' being no value as in the CSV.
 */
function columnValue(field: FieldSpec, table: string, v: unknown): string | number | boolean | null {
  if (v === null) return null;
  switch (field.type) {
    case 'integer':
      if (!(Number.isInteger(v) && (v as number) >= INT32_MIN && (v as number) <= INT32_MAX)) throw badValue(field, table, v, 'a 32-bit integer');
      return v as number;
    case 'number':
      if (typeof v !== 'number') throw badValue(field, table, v, 'a number');
      return v;
    case 'boolean':
      if (typeof v !== 'boolean') throw badValue(field, table, v, 'true or false');
      return v;
    default:
      return v === '' ? null : String(v);
  }
}

// Made only on failure: a closure for it in columnValue was one more object for every cell of 620,000 communities.
const badValue = (field: FieldSpec, table: string, v: unknown, what: string) => new Error(`parquet: ${table}.${field.name} holds ${JSON.stringify(v)}, not ${what}`);

/** The field's raw value in row i: the shared value when the table has one for it, else the row's own. */
const rawValues = (field: FieldSpec, rows: readonly object[], shared: SharedValues) => {
  const name = field.name;
  if (!Object.hasOwn(shared, name)) return (i: number): unknown => (rows[i] as Row)[name] ?? null;
  const value = shared[name] ?? null;
  return (): unknown => value;
};

function column(field: FieldSpec, rows: readonly object[], table: string, shared: SharedValues = {}): ColumnSource {
  const raw = rawValues(field, rows, shared);
  return { name: field.name, data: rows.map((_, i) => columnValue(field, table, raw(i))), type: physicalType(field) };
}

const ROW_GROUP_SIZE = 100_000;
const createdBy = (softwareVersion: string) => `CSO Monitor ${softwareVersion}`;

/** The table's rows as a Parquet file, columns in the data dictionary's order and types. */
export function tableParquet(table: TableSpec, rows: readonly object[], softwareVersion: string, shared?: SharedValues): Uint8Array {
  const buffer = parquetWriteBuffer({
    columnData: table.fields.map((f) => column(f, rows, table.name, shared)),
    createdBy: createdBy(softwareVersion),
    rowGroupSize: ROW_GROUP_SIZE,
  });
  return new Uint8Array(buffer);
}

/**
 * A column as the Parquet thread receives it: strings as one text and their lengths (-1: null), numbers and
 * booleans as typed arrays with a null mask. Posting 600,000 separate strings costs the main thread what
 * writing them would; one string and two typed arrays are copied in a few milliseconds.
 */
export type EncodedColumn =
  | { name: string; type: 'STRING'; text: string; lengths: Int32Array }
  | { name: string; type: 'INT32' | 'DOUBLE' | 'BOOLEAN'; values: Float64Array; nulls: Uint8Array };

/**
 * The table's columns as the Parquet thread receives them, each in one pass over the rows: column()'s values
 * (columnValue, so the first value that is not its column's type fails alike), encoded as one text or typed arrays.
 * Building column()'s arrays first went over a national build's 620,000 communities three times per column.
 */
export function encodeTableColumns(table: TableSpec, rows: readonly object[], shared: SharedValues = {}): EncodedColumn[] {
  const n = rows.length;
  return table.fields.map((field): EncodedColumn => {
    const type = physicalType(field);
    const name = field.name;
    // (checked when there is a row to hold it, as columnValue checked it at the first row)
    if (Object.hasOwn(shared, name)) return sharedColumn(field, type, n, n === 0 ? null : columnValue(field, table.name, shared[name] ?? null));
    if (type === 'STRING') {
      const lengths = new Int32Array(n);
      const parts: string[] = [];
      for (let i = 0; i < n; i++) {
        const text = columnValue(field, table.name, (rows[i] as Row)[name] ?? null) as string | null;
        if (text === null) lengths[i] = -1;
        else {
          lengths[i] = text.length;
          parts.push(text);
        }
      }
      return { name, type, text: parts.join(''), lengths };
    }
    const values = new Float64Array(n);
    const nulls = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const v = columnValue(field, table.name, (rows[i] as Row)[name] ?? null) as number | boolean | null;
      if (v === null) nulls[i] = 1;
      else values[i] = typeof v === 'boolean' ? (v ? 1 : 0) : v;
    }
    return { name, type, values, nulls };
  });
}

/** A column every row of which holds the same value (as_of, sample …). */
function sharedColumn(field: FieldSpec, type: ReturnType<typeof physicalType>, n: number, v: string | number | boolean | null): EncodedColumn {
  if (type === 'STRING') {
    const lengths = new Int32Array(n).fill(v === null ? -1 : (v as string).length);
    return { name: field.name, type, text: v === null ? '' : (v as string).repeat(n), lengths };
  }
  const values = new Float64Array(n).fill(v === null ? 0 : typeof v === 'boolean' ? (v ? 1 : 0) : (v as number));
  const nulls = new Uint8Array(n).fill(v === null ? 1 : 0);
  return { name: field.name, type, values, nulls };
}

/**
 * Writes Parquet files on a worker thread (parquet-worker.mjs, beside this module in src/ and beside the
 * bundle in build/.cache/), one file at a time in the order asked: the same bytes tableParquet writes. The
 * columns are checked and encoded here, so a bad value fails as it does in line. `close()` ends the thread.
 */
export class ParquetThread {
  private readonly worker: Worker;
  private next = 0;
  private readonly pending = new Map<number, { resolve: (bytes: Uint8Array) => void; reject: (error: Error) => void; done: Promise<unknown> }>();

  constructor() {
    // A capped heap is collected sooner: uncapped, the thread's heap grew by ~400 MB on a national build and the data
    // step's peak passed 1.5 GB. The largest file it writes (a province's communities, the townships) needs < 100 MB.
    this.worker = new Worker(new URL('./parquet-worker.mjs', import.meta.url), { resourceLimits: { maxOldGenerationSizeMb: 384 } });
    this.worker.on('message', (m: { id: number; buffer?: ArrayBuffer; error?: string }) => {
      const task = this.pending.get(m.id)!;
      this.pending.delete(m.id);
      if (m.error !== undefined) task.reject(new Error(`parquet: ${m.error}`));
      else task.resolve(new Uint8Array(m.buffer!));
      if (this.pending.size === 0) this.worker.unref();
    });
    this.worker.on('error', (error) => {
      for (const task of this.pending.values()) task.reject(error);
      this.pending.clear();
    });
    this.worker.unref();
  }

  write(table: TableSpec, rows: readonly object[], softwareVersion: string, shared?: SharedValues): Promise<Uint8Array> {
    let columns: EncodedColumn[];
    try {
      columns = encodeTableColumns(table, rows, shared);
    } catch (error) {
      return Promise.reject(error); // a value that is not its column's type, as tableParquet reports it
    }
    const id = this.next++;
    let settle!: { resolve: (bytes: Uint8Array) => void; reject: (error: Error) => void };
    const done = new Promise<Uint8Array>((resolve, reject) => (settle = { resolve, reject }));
    this.pending.set(id, { ...settle, done: done.catch(() => {}) });
    this.worker.ref();
    const transfer = columns.flatMap((c) => (c.type === 'STRING' ? [c.lengths.buffer] : [c.values.buffer, c.nulls.buffer])) as ArrayBuffer[];
    this.worker.postMessage({ id, columns, createdBy: createdBy(softwareVersion), rowGroupSize: ROW_GROUP_SIZE }, transfer);
    return done;
  }

  /** Resolves once at most `n` files are waiting or being written: what is posted is held twice until written. */
  async below(n: number): Promise<void> {
    while (this.pending.size > n) await Promise.race([...this.pending.values()].map((t) => t.done));
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
