/**
 * The Parquet twins (src/lib/publish/parquet.ts) read back by DuckDB (@duckdb/node-api) to the same rows and
 * totals as their CSVs (a partitioned table's parts, one Parquet beside each CSV part, read together), with the data dictionary's
 * column types, listed in datapackage.json; and byte-identical when built twice.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { TABLES, isPartOf, parquetPaths } from '../../src/lib/publish/datapackage';
import { ParquetThread, tableParquet } from '../../src/lib/publish/parquet';
import { ROOT, runInTemp, type PipelineRun } from '../helpers/pipeline-run';

let run: PipelineRun;
let instance: DuckDBInstance;
let db: DuckDBConnection;
beforeAll(async () => {
  run = await runInTemp(path.join(ROOT, 'data/sample'));
  instance = await DuckDBInstance.create(':memory:');
  db = await instance.connect();
});
afterAll(() => {
  db?.closeSync();
  instance?.closeSync();
  run?.cleanup();
});

const quoted = (p: string) => `'${path.join(run.downloadsDir, p).replace(/'/g, "''")}'`;
const one = async (sql: string) => (await (await db.runAndReadAll(sql)).getRowObjectsJson())[0];

const twins = TABLES.filter((t) => t.parquet_path);
const sumOf = (t: (typeof TABLES)[number]) => t.fields.filter((f) => f.type === 'integer' && f.name !== 'year' && !f.name.endsWith('_year')).map((f) => f.name);

describe.each(twins.map((t) => [t.name, t] as const))('%s Parquet', (_name, table) => {
  const csvFiles = () => (table.partition ? run.files().filter((p) => isPartOf(table, p)) : [table.path]);
  const pqFiles = () => parquetPaths(table, run.files());
  const pq = () => `read_parquet([${pqFiles().map(quoted).join(', ')}])`;

  it('has the CSV rows, columns and totals (DuckDB reads both)', async () => {
    expect(csvFiles().length).toBeGreaterThan(0);
    // one Parquet per CSV part, beside it
    expect(pqFiles()).toEqual(table.partition ? csvFiles().map((p) => p.replace(/\.csv\.gz$/, '.parquet')) : [table.parquet_path]);
    const sums = sumOf(table);
    const select = ['count(*)::BIGINT AS n', ...sums.map((c) => `sum("${c}")::BIGINT AS "${c}"`)].join(', ');
    const csv = `read_csv([${csvFiles().map(quoted).join(', ')}], header = true, all_varchar = false, union_by_name = true)`;
    const fromCsv = await one(`SELECT ${select} FROM ${csv}`);
    const fromParquet = await one(`SELECT ${select} FROM ${pq()}`);
    expect(Number(fromParquet.n)).toBe(run.rows().get(table.name)!.rows.length);
    expect(fromParquet).toEqual(fromCsv);
    // every value, row for row: the CSV's text cast to the dictionary's types equals the Parquet's values
    const sqlType = { integer: 'INTEGER', number: 'DOUBLE', boolean: 'BOOLEAN', string: 'VARCHAR', date: 'VARCHAR' } as Record<string, string>;
    const line = (typed: boolean) => table.fields.map((f) => `coalesce(CAST(${typed ? `"${f.name}"` : `CAST("${f.name}" AS ${sqlType[f.type]})`} AS VARCHAR), '')`).join(` || '|' || `);
    const parquetRows = `SELECT ${line(true)} AS r FROM ${pq()}`;
    const csvRows = `SELECT ${line(false)} AS r FROM read_csv([${csvFiles().map(quoted).join(', ')}], header = true, all_varchar = true)`;
    const diff = await one(`SELECT count(*)::BIGINT AS n FROM ((${parquetRows} EXCEPT ALL ${csvRows}) UNION ALL (${csvRows} EXCEPT ALL ${parquetRows}))`);
    expect(diff.n).toBe('0');
  });

  it('types its columns as the data dictionary says', async () => {
    const described = await (await db.runAndReadAll(`DESCRIBE SELECT * FROM ${pq()}`)).getRowObjectsJson();
    const expected = { integer: 'INTEGER', number: 'DOUBLE', boolean: 'BOOLEAN', string: 'VARCHAR', date: 'VARCHAR' } as Record<string, string>;
    expect(described.map((d) => [d.column_name, d.column_type])).toEqual(table.fields.map((f) => [f.name, expected[f.type]]));
  });

  it('is listed in datapackage.json with its size, and rebuilt byte for byte', () => {
    const pkg = JSON.parse(run.text('datapackage.json')) as { resources: { path: string; format: string; bytes: number }[] };
    for (const p of pqFiles()) {
      const entry = pkg.resources.find((r) => r.path === p);
      expect(entry?.format, p).toBe('parquet');
      expect(entry?.bytes, p).toBe(run.file(p).length);
    }
    // the single-file table rebuilt from the writer's rows (a part's rows are that province's rows of the table)
    const version = JSON.parse(run.text('provenance.json')).software.version;
    const rows = run.rows().get(table.name)!.rows;
    const first = pqFiles()[0];
    const own = table.partition ? rows.filter((r) => String(r.county_code ?? r.code).slice(0, 2) === first.split('/')[1].slice(0, 2)) : rows;
    expect(Buffer.from(tableParquet(table, own, version)).equals(run.file(first))).toBe(true);
  });
});

describe('the Parquet thread (ParquetThread)', () => {
  it('writes the bytes tableParquet writes, files asked at once or one at a time', async () => {
    const version = JSON.parse(run.text('provenance.json')).software.version;
    const thread = new ParquetThread();
    try {
      const jobs = twins.map((t) => ({ t, rows: run.rows().get(t.name)!.rows }));
      // all asked at once: queued on the thread, answered in order
      const written = await Promise.all(jobs.map(({ t, rows }) => thread.write(t, rows, version)));
      jobs.forEach(({ t, rows }, i) => expect(Buffer.from(written[i]).equals(Buffer.from(tableParquet(t, rows, version))), t.name).toBe(true));
      // and one at a time
      for (const { t, rows } of jobs) expect(Buffer.from(await thread.write(t, rows, version)).equals(Buffer.from(tableParquet(t, rows, version))), t.name).toBe(true);
      // rows without the values every row shares, those given beside them: the same bytes
      for (const { t, rows } of jobs) {
        const shared = { as_of: rows[0]?.as_of, sample: rows[0]?.sample };
        const bare = rows.map(({ as_of: _a, sample: _s, ...rest }) => rest);
        expect(Buffer.from(await thread.write(t, bare, version, shared)).equals(Buffer.from(tableParquet(t, rows, version))), t.name).toBe(true);
      }
    } finally {
      await thread.close();
    }
  });

  // The thread writes text from its UTF-8 bytes (parquet-worker.mjs decodeColumn): every kind of character, and
  // lone surrogates that pair up across two values once the column's text is joined, give tableParquet's bytes.
  const awkward = ['水井坊社区', '𠮷野家 😀', '', 'é ü ß', '\ud83d', '\ude00尾', '<b>&amp;</b>', '=1+1', '\ud800', 'x\udc00', 'tab\there'];
  it.each([
    ['every kind of character', awkward],
    ['lone surrogates meeting across values', ['a\ud83d', '\ude00b', '\udbff', '\udfff']],
    ['plain ASCII only', ['a', 'bc', 'def']],
  ])('writes text as tableParquet does: %s', async (_what, names) => {
    const version = JSON.parse(run.text('provenance.json')).software.version;
    const table = TABLES.find((t) => t.name === 'communities')!;
    const base = run.rows().get('communities')!.rows.slice(0, names.length * 2);
    // the names one after the other, after as many real ones; some townships missing (nulls between values)
    const rows = base.map((r, i) => ({ ...r, name: i < names.length ? r.name : names[i - names.length], township_name: i % 3 === 0 ? null : r.township_name }));
    const thread = new ParquetThread();
    try {
      const bytes = Buffer.from(await thread.write(table, rows, version));
      expect(bytes.equals(Buffer.from(tableParquet(table, rows, version)))).toBe(true);
      const file = path.join(run.downloadsDir, `awkward-${names.length}.parquet`);
      (await import('node:fs')).writeFileSync(file, bytes);
      const read = await (await db.runAndReadAll(`SELECT name FROM '${file}'`)).getRowObjectsJson();
      // DuckDB reads back what Buffer.from writes (a lone surrogate as U+FFFD); '' is no value, as in the CSV
      expect(read.map((r) => r.name)).toEqual(rows.map((r) => (r.name === '' ? null : Buffer.from(String(r.name), 'utf8').toString('utf8'))));
    } finally {
      await thread.close();
    }
  });

  it.each([
    ['integer', 'x', 'a 32-bit integer'],
    ['integer', 2 ** 31, 'a 32-bit integer'],
    ['integer', 1.5, 'a 32-bit integer'],
    ['number', '1', 'a number'],
    ['boolean', 'true', 'true or false'],
  ] as const)('fails on an %s column holding %j, as in line', async (type, value, what) => {
    const table = TABLES.find((t) => t.parquet_path && t.fields.some((f) => f.type === type))!;
    const field = table.fields.find((f) => f.type === type)!;
    const rows = run.rows().get(table.name)!.rows;
    // the bad value in the second row: the first row's values pass, as they would in line
    const bad = [rows[0], { ...rows[1], [field.name]: value }];
    const message = `parquet: ${table.name}.${field.name} holds ${JSON.stringify(value)}, not ${what}`;
    expect(() => tableParquet(table, bad, '0')).toThrow(message);
    const thread = new ParquetThread();
    try {
      await expect(thread.write(table, bad, '0')).rejects.toThrow(message);
    } finally {
      await thread.close();
    }
  });
});
