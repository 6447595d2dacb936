import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { zipFiles } from '../../src/lib/publish/zip';

// Real files of the repository: a CSV (deflates), its gzip (stored without an attempt), an empty file, and bytes that do not shrink.
const districtsCsv = readFileSync(path.resolve('data/sample/organizations/01-districts-utf8.csv'));
const ENTRIES: [string, Uint8Array, 'deflated' | 'stored'][] = [
  ['cso/01-districts-utf8.csv', districtsCsv, 'deflated'],
  ['cso/01-districts-utf8.csv.gz', gzipSync(districtsCsv, { level: 6 }), 'stored'],
  ['cso/empty.txt', new Uint8Array(0), 'stored'],
  ['cso/数据/说明.md', Buffer.from('社区社会组织\n'.repeat(200), 'utf8'), 'deflated'],
  // either side of the size below which entries are deflated in line rather than on the thread pool (zip.ts)
  ['cso/just-below.txt', Buffer.from('乐山市市中区,'.repeat(32 * 1024).slice(0, 32 * 1024 - 1), 'latin1'), 'deflated'],
  ['cso/large.csv', Buffer.concat(Array.from({ length: 40 }, () => districtsCsv)), 'deflated'],
];
const MTIME = new Date('2025-06-30T00:00:00Z');

/** Method of each local header, in order (APPNOTE 4.3.7: method at byte 8, name length at 26, extra at 28). */
function methods(zip: Uint8Array): Map<string, number> {
  const view = Buffer.from(zip);
  const out = new Map<string, number>();
  let at = 0;
  while (view.readUInt32LE(at) === 0x04034b50) {
    const method = view.readUInt16LE(at + 8);
    const compressed = view.readUInt32LE(at + 18);
    const nameLength = view.readUInt16LE(at + 26);
    const extra = view.readUInt16LE(at + 28);
    out.set(view.subarray(at + 30, at + 30 + nameLength).toString('utf8'), method);
    at += 30 + nameLength + extra + compressed;
  }
  return out;
}

describe('zipFiles', async () => {
  const zip = await zipFiles(ENTRIES.map(([name, data]) => ({ name, data })), MTIME);
  const unzipped = unzipSync(zip);

  it.each(ENTRIES)('%s comes back byte for byte, %s', (name, data, how) => {
    expect(Buffer.from(unzipped[name]).equals(Buffer.from(data))).toBe(true);
    expect(methods(zip).get(name)).toBe(how === 'stored' ? 0 : 8);
  });

  it('keeps the order given and writes the same bytes for the same entries', async () => {
    expect([...methods(zip).keys()]).toEqual(ENTRIES.map(([name]) => name));
    const again = await zipFiles(ENTRIES.map(([name, data]) => ({ name, data })), MTIME);
    expect(Buffer.from(again).equals(Buffer.from(zip))).toBe(true);
  });
});
