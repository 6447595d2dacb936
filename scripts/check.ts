/**
 * `npm run data:check`: the invariants a correct build holds, checked on the files written (build/site and
 * public/data), independently of the code that wrote them. Returns every problem found, one line each.
 *
 * - rows read = accepted + rejected, per file and in total; the rejected-row list agrees with the counts;
 * - the time series' as-of point equals areas.json, area by area;
 * - every area of build/site/areas.json equals its areas.csv row, column by column;
 * - an area's units (and organizations, where it has data) equal the sum of its children's (全国 = Σ provinces);
 * - a county's urban and rural organizations equal the sum over its communities (build/site/communities/, every covered county listed);
 * - the shortfall counts equal the communities below target;
 * - every file the download index lists exists with that size, and none is over 50 MB.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { AREA_CSV_COLUMNS } from '../src/lib/publish/outputs';
import type { AreaAggregate, Reconciliation, Rejection } from '../src/lib/core/types';
import { COMMUNITY_INDEX_FILE, openCommunityStore } from '../src/lib/core/community-store';
import type { TimeSeriesOutput } from '../src/lib/model/timeseries';
import type { AreaShortfall } from '../src/lib/model/shortfall';
import type { DownloadEntry } from '../src/lib/publish/outputs';

export const MAX_FILE_BYTES = 50 * 1024 * 1024;
const MAX_LISTED = 20;

/** The CSV text of a value as src/lib/publish/csv.ts writes it (formula guard aside: checked columns are numbers and codes). */
const csvForm = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'boolean' ? String(v) : String(v));

export interface BuildDirs {
  siteDir: string;
  downloadsDir: string;
}

/** Every invariant, in the order data:check lists them: the site's (checkSite), then the downloads' (checkDownloads). */
export function checkBuild(dirs: BuildDirs): string[] {
  return [...checkSite(dirs.siteDir), ...checkDownloads(dirs)];
}

function reporter() {
  const problems: string[] = [];
  const report = (kind: string, items: string[]) => {
    if (!items.length) return;
    problems.push(...items.slice(0, MAX_LISTED).map((i) => `${kind}: ${i}`));
    if (items.length > MAX_LISTED) problems.push(`${kind}: … and ${items.length - MAX_LISTED} more`);
  };
  return { problems, report };
}

const readSite = (siteDir: string) => <T>(name: string): T => JSON.parse(readFileSync(path.join(siteDir, name), 'utf8')) as T;

/**
 * The invariants of what the model stage wrote (build/site): it reads none of the files the publish stage writes
 * there, so `npm run data` checks them on a thread of their own while the downloads are written (check-worker.ts).
 */
export function checkSite(siteDir: string): string[] {
  const { problems, report } = reporter();
  const site = readSite(siteDir);

  // Reconciliation.
  const rec = site<Reconciliation>('reconciliation.json');
  const rejections = site<Rejection[]>('rejections.json');
  const recIssues: string[] = [];
  if (rec.rowsRead !== rec.accepted + rec.rejected + rec.skipped) recIssues.push(`total: read ${rec.rowsRead} ≠ accepted ${rec.accepted} + rejected ${rec.rejected} + skipped ${rec.skipped}`);
  for (const key of ['rowsRead', 'accepted', 'rejected', 'skipped'] as const) {
    const sum = rec.files.reduce((n, f) => n + f[key], 0);
    if (sum !== rec[key]) recIssues.push(`${key}: files sum to ${sum}, total says ${rec[key]}`);
  }
  const rejectedRows = new Map<string, number>();
  for (const r of rejections) if (r.line > 0) rejectedRows.set(r.file, (rejectedRows.get(r.file) ?? 0) + 1);
  for (const f of rec.files) {
    if (f.rowsRead !== f.accepted + f.rejected + f.skipped) recIssues.push(`${f.file}: read ${f.rowsRead} ≠ accepted ${f.accepted} + rejected ${f.rejected} + skipped ${f.skipped}`);
    if ((rejectedRows.get(f.file) ?? 0) !== f.rejected) recIssues.push(`${f.file}: ${f.rejected} rejected, ${rejectedRows.get(f.file) ?? 0} rows in rejections.json`);
  }
  report('reconciliation', recIssues);

  const areas = site<AreaAggregate[]>('areas.json');
  const byCode = new Map(areas.map((a) => [a.code, a]));

  // Time series: the as-of point is the snapshot.
  const ts = site<TimeSeriesOutput>('timeseries.json');
  const tsIssues: string[] = [];
  for (const s of ts.areas) {
    const a = byCode.get(s.code);
    const last = s.points.at(-1);
    if (!a || !last) {
      tsIssues.push(`${s.code}: ${a ? 'no points' : 'not in areas.json'}`);
      continue;
    }
    if (!last.is_as_of || last.date !== ts.as_of) tsIssues.push(`${s.code}: last point ${last.date} is not the as-of date ${ts.as_of}`);
    const pairs: [string, number, number | null][] = [
      ['urban_orgs', last.urban, a.urban_orgs], ['rural_orgs', last.rural, a.rural_orgs], ['other_orgs', last.other, a.other_orgs],
      ['unplaced_orgs', last.unplaced, a.unplaced_orgs], ['total_orgs', last.total, a.total_orgs],
      ['urban_per_unit', last.urban_per_unit as number, a.urban_per_unit], ['rural_per_unit', last.rural_per_unit as number, a.rural_per_unit],
    ];
    for (const [name, got, want] of pairs) if (got !== want) tsIssues.push(`${s.code} ${name}: time series ${got}, areas.json ${want}`);
  }
  report('time series', tsIssues);

  // Sums up the tree.
  const children = new Map<string, AreaAggregate[]>();
  for (const a of areas) if (a.parent_code) children.set(a.parent_code, [...(children.get(a.parent_code) ?? []), a]);
  const sumIssues: string[] = [];
  const counted = ['urban_orgs', 'rural_orgs', 'other_orgs', 'unplaced_orgs', 'total_orgs'] as const;
  for (const a of areas) {
    const kids = children.get(a.code);
    if (!kids) continue;
    // Only covered areas are sure to list every child (an uncovered 全国 lists just the provinces targets name).
    if (!a.has_data) continue;
    for (const key of ['urban_units', 'rural_units', 'other_units'] as const) {
      const sum = kids.reduce((n, k) => n + k[key], 0);
      if (sum !== a[key]) sumIssues.push(`${a.code} ${key}: ${a[key]}, children sum to ${sum}`);
    }
    for (const key of counted) {
      const sum = kids.reduce((n, k) => n + (k[key] ?? NaN), 0);
      if (sum !== a[key]) sumIssues.push(`${a.code} ${key}: ${a[key]}, children sum to ${sum}`);
    }
  }
  report('sums', sumIssues);

  // Communities per county, and shortfalls.
  const communityIssues: string[] = [];
  const shortfall = site<Record<string, AreaShortfall>>('shortfall.json');
  const store = openCommunityStore(siteDir);
  const perCounty = new Map<string, number>();
  for (const county of store?.counties ?? []) {
    let list;
    try {
      list = store!.read(county)!;
    } catch (e) {
      communityIssues.push((e as Error).message);
      continue;
    }
    const a = byCode.get(county);
    if (!a) {
      communityIssues.push(`${COMMUNITY_INDEX_FILE}: county ${county} has no row in areas.json`);
      continue;
    }
    // one pass over the county's communities: organizations and units by kind, and those short of their target
    const orgs = { urban: 0, rural: 0, other: 0 };
    const units = { urban: 0, rural: 0, other: 0 };
    let short = 0;
    for (const c of list) {
      if (c.kind === 'urban' || c.kind === 'rural' || c.kind === 'other') {
        orgs[c.kind] += c.orgs;
        units[c.kind]++;
      }
      if (c.gap !== null && c.gap > 0) short++;
    }
    for (const kind of ['urban', 'rural', 'other'] as const) {
      if (a.has_data && orgs[kind] !== a[`${kind}_orgs`]) communityIssues.push(`${county} ${kind}_orgs: ${a[`${kind}_orgs`]}, its communities sum to ${orgs[kind]}`);
      if (units[kind] !== a[`${kind}_units`]) communityIssues.push(`${county} ${kind}_units: ${a[`${kind}_units`]}, ${units[kind]} communities listed`);
    }
    perCounty.set(county, short);
    if ((shortfall[county]?.count ?? 0) !== short) communityIssues.push(`${county}: shortfall.json says ${shortfall[county]?.count ?? 0} communities fall short, ${short} listed`);
  }
  const nationalShort = [...perCounty.values()].reduce((n, v) => n + v, 0);
  if (perCounty.size && (shortfall['000000']?.count ?? 0) !== nationalShort) communityIssues.push(`000000: shortfall.json says ${shortfall['000000']?.count ?? 0}, counties sum to ${nationalShort}`);
  store?.close();
  for (const a of byCode.values()) {
    if (a.level === 'county' && a.has_data && !perCounty.has(a.code)) communityIssues.push(`${a.code}: a covered county with no line in ${COMMUNITY_INDEX_FILE}`);
  }
  report('communities', communityIssues);

  return problems;
}

/** The invariants of the downloads (public/data) against build/site: run once both stages are done. */
export function checkDownloads(dirs: BuildDirs): string[] {
  const { problems, report } = reporter();
  const site = readSite(dirs.siteDir);
  const areas = site<AreaAggregate[]>('areas.json');

  // areas.csv = areas.json.
  const csvFile = path.join(dirs.downloadsDir, 'areas.csv');
  const csvIssues: string[] = [];
  if (!existsSync(csvFile)) csvIssues.push('public/data/areas.csv is missing');
  else {
    const rows = Papa.parse<Record<string, string>>(readFileSync(csvFile, 'utf8').replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true }).data;
    const csvByCode = new Map(rows.map((r) => [r.code, r]));
    if (rows.length !== areas.length) csvIssues.push(`${rows.length} rows in areas.csv, ${areas.length} in areas.json`);
    for (const a of areas) {
      const row = csvByCode.get(a.code);
      if (!row) {
        csvIssues.push(`${a.code}: not in areas.csv`);
        continue;
      }
      for (const col of AREA_CSV_COLUMNS) {
        if (!(col in a)) continue;
        const want = csvForm((a as unknown as Record<string, unknown>)[col]);
        if (row[col] !== want && !(col === 'name' && row[col] === `'${want}`)) csvIssues.push(`${a.code}.${col}: areas.csv "${row[col]}", areas.json "${want}"`);
      }
    }
  }
  report('areas.csv', csvIssues);

  // Downloads: listed files exist with their size; none over 50 MB.
  const fileIssues: string[] = [];
  const index = site<DownloadEntry[]>('downloads.json');
  for (const e of index) {
    const file = path.join(dirs.downloadsDir, e.path);
    if (!existsSync(file)) fileIssues.push(`${e.path}: listed but missing`);
    else if (e.bytes !== null && statSync(file).size !== e.bytes) fileIssues.push(`${e.path}: listed ${e.bytes} bytes, is ${statSync(file).size}`);
  }
  const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(path.join(dir, d.name)) : [path.join(dir, d.name)]));
  for (const file of existsSync(dirs.downloadsDir) ? walk(dirs.downloadsDir) : []) {
    const size = statSync(file).size;
    if (size > MAX_FILE_BYTES) fileIssues.push(`${path.relative(dirs.downloadsDir, file)}: ${(size / 1024 / 1024).toFixed(1)} MB, over the 50 MB limit`);
  }
  for (const file of walk(dirs.siteDir)) {
    const size = statSync(file).size;
    if (size > MAX_FILE_BYTES) fileIssues.push(`build/site/${path.relative(dirs.siteDir, file)}: ${(size / 1024 / 1024).toFixed(1)} MB, over the 50 MB limit`);
  }
  report('files', fileIssues);
  return problems;
}
