import { closeSync, mkdirSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CommunityAggregate, UnitKind } from './types';

/**
 * build/site/communities/: every covered county's communities in two files, written by the model stage
 * (scripts/pipeline.ts) and read by key (src/lib/site/data.ts communitiesOf, scripts/check.ts):
 * - rows.jsonl: one line per county, in the order given: {"county", "townships": {code: name}, "rows": [[…], …]},
 *   each row the fields of COMMUNITY_ROW_FIELDS (a county's code and its townships' names are not repeated per row);
 * - index.json: county → [byte offset, byte length] of its line.
 * One file per county was 2,978 files and 115 MB nationally; on this machine creating a file costs ~0.5–0.9 ms and
 * each new MB ~10 ms, so the model stage spent ~2.5 s writing them. A page reads its county's line alone.
 */
export const COMMUNITY_ROWS_FILE = 'communities/rows.jsonl';
export const COMMUNITY_INDEX_FILE = 'communities/index.json';
export const COMMUNITY_ROW_FIELDS = ['code', 'name', 'kind', 'township_code', 'orgs', 'target', 'gap'] as const;

type CompactRow = [code: string, name: string, kind: UnitKind, township_code: string, orgs: number, target: number | null, gap: number | null];
interface CountyLine {
  county: string;
  townships: Record<string, string>;
  rows: CompactRow[];
}
export type CommunityIndex = Record<string, [offset: number, bytes: number]>;

/** Writes rows.jsonl and index.json under siteDir; lists may be empty (a covered county without units). */
export function writeCommunityStore(siteDir: string, byCounty: Iterable<readonly [string, readonly CommunityAggregate[]]>): { counties: number; bytes: number } {
  const lines: string[] = [];
  const index: CommunityIndex = {};
  let offset = 0;
  for (const [county, list] of byCounty) {
    const townships: Record<string, string> = {};
    const rows: CompactRow[] = new Array(list.length);
    for (let i = 0; i < list.length; i++) {
      const c = list[i];
      if (c.county_code !== county) throw new Error(`community store: ${c.code} is in county ${c.county_code}, listed under ${county}`);
      const known = townships[c.township_code];
      if (known === undefined) townships[c.township_code] = c.township_name;
      else if (known !== c.township_name) throw new Error(`community store: township ${c.township_code} named both ${known} and ${c.township_name}`);
      rows[i] = [c.code, c.name, c.kind, c.township_code, c.orgs, c.target, c.gap];
    }
    const line = JSON.stringify({ county, townships, rows } satisfies CountyLine) + '\n';
    const bytes = Buffer.byteLength(line, 'utf8');
    index[county] = [offset, bytes];
    offset += bytes;
    lines.push(line);
  }
  const rowsFile = path.join(siteDir, COMMUNITY_ROWS_FILE);
  mkdirSync(path.dirname(rowsFile), { recursive: true });
  writeFileSync(rowsFile, lines.join(''));
  writeFileSync(path.join(siteDir, COMMUNITY_INDEX_FILE), JSON.stringify(index) + '\n');
  return { counties: lines.length, bytes: offset };
}

const isCode = (s: unknown, digits: number) => typeof s === 'string' && s.length === digits && /^\d+$/.test(s);
const KINDS: ReadonlySet<unknown> = new Set(['urban', 'rural', 'other']);
const nullableNumber = (v: unknown) => v === null || typeof v === 'number';

/** A county's line back to the model's rows; `where` names the line in an error (file and county). */
export function decodeCountyLine(text: string, county: string, where: string): CommunityAggregate[] {
  let line: CountyLine;
  try {
    line = JSON.parse(text) as CountyLine;
  } catch (e) {
    throw new Error(`${where}: not JSON (${(e as Error).message}). Rebuild with \`npm run data\`.`);
  }
  if (line?.county !== county || typeof line.townships !== 'object' || !Array.isArray(line.rows)) {
    throw new Error(`${where}: expected the line of county ${county}, found ${JSON.stringify(line?.county)}. Rebuild with \`npm run data\`.`);
  }
  return line.rows.map((r, i) => {
    const [code, name, kind, township_code, orgs, target, gap] = r;
    const township_name = line.townships[township_code];
    if (!Array.isArray(r) || r.length !== COMMUNITY_ROW_FIELDS.length || !isCode(code, 12) || typeof name !== 'string' || !KINDS.has(kind) ||
      !isCode(township_code, 9) || typeof township_name !== 'string' || typeof orgs !== 'number' || !nullableNumber(target) || !nullableNumber(gap)) {
      throw new Error(`${where}: row ${i + 1} is not [${COMMUNITY_ROW_FIELDS.join(', ')}] with a named township. Rebuild with \`npm run data\`.`);
    }
    return { code, name, kind, township_code, township_name, county_code: county, orgs, target, gap };
  });
}

/** Reads counties' lines by position; undefined for a county the index does not list, null when the store is absent. */
export function openCommunityStore(siteDir: string): { counties: string[]; read: (county: string) => CommunityAggregate[] | undefined; close: () => void } | null {
  const indexFile = path.join(siteDir, COMMUNITY_INDEX_FILE);
  const rowsFile = path.join(siteDir, COMMUNITY_ROWS_FILE);
  let index: CommunityIndex;
  try {
    index = JSON.parse(readFileSync(indexFile, 'utf8')) as CommunityIndex;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`${indexFile}: ${(e as Error).message}. Rebuild with \`npm run data\`.`);
  }
  let fd: number | null = null;
  return {
    counties: Object.keys(index),
    read(county) {
      const at = Object.hasOwn(index, county) ? index[county] : undefined;
      if (!at) return undefined;
      fd ??= openSync(rowsFile, 'r');
      const buf = Buffer.alloc(at[1]);
      const got = readSync(fd, buf, 0, at[1], at[0]);
      if (got !== at[1]) throw new Error(`${rowsFile}: county ${county} should be ${at[1]} bytes at ${at[0]}, the file ends after ${got}. Rebuild with \`npm run data\`.`);
      return decodeCountyLine(buf.toString('utf8'), county, `${rowsFile} (county ${county}, byte ${at[0]})`);
    },
    close() {
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}
