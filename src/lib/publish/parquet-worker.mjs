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

/**
 * The inverse of encodeTableColumns (parquet.ts): the same values, null where they were null; a text's values as
 * views into its UTF-8 bytes, encoded once. Given strings, hyparquet-writer encodes each with a TextEncoder of its
 * own (~1.2 s of this thread on a national build's 620,000 communities); given the bytes it writes them as they are.
 */
export function decodeColumn(column) {
  const { name, type } = column;
  if (type === 'STRING') {
    const { text, lengths } = column;
    const bytes = Buffer.from(text, 'utf8');
    const data = new Array(lengths.length);
    let at = 0; // in characters
    let byteAt = 0;
    let previous = null;
    for (let i = 0; i < lengths.length; i++) {
      const n = lengths[i];
      if (n < 0) {
        data[i] = null;
        continue;
      }
      const end = at + n;
      let size = 0;
      for (let k = at; k < end; k++) {
        const bytesHere = utf8Size(text, k, end);
        if (bytesHere > 0) size += bytesHere;
        else {
          size += 4; // a surrogate pair: one character in two
          k++;
        }
      }
      // A value the same as the one before (a township's, county's, kind's run of rows) is the same view: the
      // writer's dictionary finds it by identity instead of hashing its bytes again.
      data[i] = previous !== null && sameBytes(bytes, previous, byteAt, size) ? previous : (previous = bytes.subarray(byteAt, byteAt + size));
      byteAt += size;
      at = end;
    }
    if (at !== text.length) throw new Error(`parquet thread: column ${name}: ${text.length - at} characters left over`);
    // Fewer bytes than counted: a value ending in a lone high surrogate met one beginning with a low one, and the
    // joined text encoded the two as one character. Such a column is encoded value by value.
    if (byteAt !== bytes.length) return { name, type, data: valueByValue(text, lengths) };
    return { name, type, data };
  }
  const { values, nulls } = column;
  const data = new Array(values.length);
  for (let i = 0; i < values.length; i++) data[i] = nulls[i] ? null : type === 'BOOLEAN' ? values[i] === 1 : values[i];
  return { name, type, data };
}

/** Whether bytes[at, at + size) are the view's bytes. */
function sameBytes(bytes, view, at, size) {
  if (view.length !== size) return false;
  for (let k = 0; k < size; k++) if (bytes[at + k] !== view[k]) return false;
  return true;
}

/** A text column's values each encoded on its own. */
function valueByValue(text, lengths) {
  const data = new Array(lengths.length);
  let at = 0;
  for (let i = 0; i < lengths.length; i++) {
    const n = lengths[i];
    data[i] = n < 0 ? null : Buffer.from(text.slice(at, (at += n)), 'utf8');
  }
  return data;
}

/**
 * The UTF-8 size of the character at k, as Buffer.from writes it; 0 for a surrogate pair (4 bytes over two
 * characters, the caller steps over both). A lone surrogate is written as U+FFFD, 3 bytes. A pair never spans two
 * values: each value's characters end at `end`.
 */
function utf8Size(text, k, end) {
  const c = text.charCodeAt(k);
  if (c < 0x80) return 1;
  if (c < 0x800) return 2;
  if (c >= 0xd800 && c <= 0xdbff && k + 1 < end) {
    const d = text.charCodeAt(k + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return 0;
  }
  return 3;
}

parentPort?.on('message', ({ id, columns, createdBy, rowGroupSize }) => {
  try {
    const buffer = parquetWriteBuffer({ columnData: columns.map(decodeColumn), createdBy, rowGroupSize });
    parentPort.postMessage({ id, buffer }, [buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
