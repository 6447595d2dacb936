import zlib from 'node:zlib';

/**
 * A deterministic ZIP archive (PKWARE APPNOTE 6.3, deflate, no extra fields, entries in the given
 * order, one fixed timestamp) compressed by Node's native zlib. fflate's JavaScript deflate at level 9
 * took ~14 s on a national build's ~200 MB of downloads; zlib at level 6 runs on the thread pool, files
 * in parallel. Archives above 4 GB (ZIP64) are refused rather than written wrong.
 */

const crcTable = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (zlib's when Node has it, ≥ 20.15; the same polynomial in JavaScript otherwise). */
export function crc32(data: Uint8Array): number {
  const native = (zlib as unknown as { crc32?: (d: Uint8Array) => number }).crc32;
  if (native) return native(data) >>> 0;
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = crcTable[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** DOS date and time fields of a calendar date-time (ZIP times have no zone); years before 1980 are clamped. */
function dosTime(date: { year: number; month: number; day: number; hours: number; minutes: number; seconds: number }) {
  const year = Math.max(1980, date.year);
  return {
    time: (date.hours << 11) | (date.minutes << 5) | Math.floor(date.seconds / 2),
    date: ((year - 1980) << 9) | (date.month << 5) | date.day, // bits: day 0–4, month 5–8, year 9–15
  };
}

const deflate = (data: Uint8Array, level: number) =>
  new Promise<Buffer>((resolve, reject) => zlib.deflateRaw(data, { level }, (error, out) => (error ? reject(error) : resolve(out))));

interface EntryFields {
  method: number;
  time: number;
  date: number;
  crc: number;
  compressed: number;
  size: number;
  nameLength: number;
}

/** version needed, flags (UTF-8 names), method, time, date, CRC, sizes and name length, from `at`. */
function writeEntryFields(buf: Buffer, at: number, f: EntryFields): void {
  buf.writeUInt16LE(20, at); // version needed
  buf.writeUInt16LE(0x0800, at + 2); // UTF-8 names
  buf.writeUInt16LE(f.method, at + 4);
  buf.writeUInt16LE(f.time, at + 6);
  buf.writeUInt16LE(f.date, at + 8);
  buf.writeUInt32LE(f.crc, at + 10);
  buf.writeUInt32LE(f.compressed, at + 14);
  buf.writeUInt32LE(f.size, at + 18);
  buf.writeUInt16LE(f.nameLength, at + 22);
}

/**
 * Entries smaller than this are deflated on this thread: a trip through the thread pool costs ~0.1 ms of this
 * thread's time for any entry, more than compressing a few kilobytes. A national build's ~380 workbooks and
 * ~370 area CSVs are mostly such entries: measured on the workbooks' parts, 0.40–0.63 s of CPU in the pool's way
 * against 0.06–0.10 s in line, the same bytes.
 */
const DEFLATE_IN_LINE_BELOW = 32 * 1024;

/** Marks an entry stored without trying to deflate it. */
const STORE = Buffer.alloc(0);
const isGzip = (data: Uint8Array) => data.length >= 18 && data[0] === 0x1f && data[1] === 0x8b;

export interface ZipEntry {
  name: string; // '/'-separated, UTF-8
  data: Uint8Array;
}

/**
 * The archive of `entries` (in that order), every entry stamped with `mtime` (UTC calendar fields).
 * A file that does not shrink is stored, as zip tools do.
 */
export async function zipFiles(entries: readonly ZipEntry[], mtime: Date, level = 6): Promise<Uint8Array> {
  const stamp = dosTime({
    year: mtime.getUTCFullYear(), month: mtime.getUTCMonth() + 1, day: mtime.getUTCDate(),
    hours: mtime.getUTCHours(), minutes: mtime.getUTCMinutes(), seconds: mtime.getUTCSeconds(),
  });
  // A few files at a time: each zlib stream holds ~300 KB of state, and a national build zips 6,000 files.
  const compressed: Buffer[] = new Array(entries.length);
  let next = 0;
  const worker = async () => {
    while (next < entries.length) {
      const i = next++;
      // gzip data (communities/44.csv.gz) does not shrink again: stored without the attempt (~8 MB nationally)
      const data = entries[i].data;
      compressed[i] = isGzip(data) ? STORE : data.length < DEFLATE_IN_LINE_BELOW ? zlib.deflateRawSync(data, { level }) : await deflate(data, level);
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, entries.length) }, worker));
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  entries.forEach((entry, i) => {
    const name = Buffer.from(entry.name, 'utf8');
    const stored = compressed[i] === STORE || compressed[i].length >= entry.data.length;
    const body = stored ? Buffer.from(entry.data.buffer, entry.data.byteOffset, entry.data.byteLength) : compressed[i];
    const crc = crc32(entry.data);
    const method = stored ? 0 : 8;
    // The local header and the central directory record share one run of fields (APPNOTE 4.3.7, 4.3.12).
    const fields = { method, time: stamp.time, date: stamp.date, crc, compressed: body.length, size: entry.data.length, nameLength: name.length };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    writeEntryFields(local, 4, fields); // extra field length at 28 stays 0
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4); // made by
    writeEntryFields(header, 6, fields);
    header.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    central.push(header, name);
    offset += local.length + name.length + body.length;
    if (offset > 0xffffffff) throw new Error('zip: archive above 4 GB (ZIP64) is not supported');
  });
  const centralSize = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  if (entries.length > 0xffff) throw new Error('zip: more than 65,535 entries (ZIP64) is not supported');
  return new Uint8Array(Buffer.concat([...locals, ...central, end]));
}
