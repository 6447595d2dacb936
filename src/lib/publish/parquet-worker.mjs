/**
 * The Parquet writer's thread (src/lib/publish/parquet.ts ParquetThread): hyparquet-writer is pure JavaScript,
 * and a national build's Parquet files took ~4 s of the main thread; here they are written on the second core
 * while the main thread lays out the CSVs. Plain JavaScript so it runs as it is from src/ (tests, tsx) and beside
 * the bundle (scripts/run.mjs copies it to build/.cache/).
 *
 * Message in:  { id, columns: EncodedColumn[], createdBy, rowGroupSize } (encodeTableColumns in parquet.ts)
 * Message out: { id, buffer: ArrayBuffer } (transferred) or { id, error }
 */
import { parentPort } from 'node:worker_threads';
import { parquetWriteBuffer } from 'hyparquet-writer';

/** The inverse of encodeTableColumns (parquet.ts): the same values, null where they were null. */
export function decodeColumn(column) {
  const { name, type } = column;
  if (type === 'STRING') {
    const { text, lengths } = column;
    const data = new Array(lengths.length);
    let at = 0;
    for (let i = 0; i < lengths.length; i++) {
      const n = lengths[i];
      if (n < 0) data[i] = null;
      else {
        data[i] = text.slice(at, at + n);
        at += n;
      }
    }
    if (at !== text.length) throw new Error(`parquet thread: column ${name}: ${text.length - at} characters left over`);
    return { name, type, data };
  }
  const { values, nulls } = column;
  const data = new Array(values.length);
  for (let i = 0; i < values.length; i++) data[i] = nulls[i] ? null : type === 'BOOLEAN' ? values[i] === 1 : values[i];
  return { name, type, data };
}

parentPort?.on('message', ({ id, columns, createdBy, rowGroupSize }) => {
  try {
    const buffer = parquetWriteBuffer({ columnData: columns.map(decodeColumn), createdBy, rowGroupSize });
    parentPort.postMessage({ id, buffer }, [buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
