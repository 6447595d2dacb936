/**
 * Integrity of the built outputs: totals agree across every output and every internal
 * link resolves. Reads build/site/*.json (what the pages render), public/data/* (the downloads) and
 * dist/ (the site), as left by `npm run build` (npm test builds once in tests/global-setup.ts).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseHTML } from 'linkedom';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDivisions, type Divisions } from '../../src/lib/ingest/divisions';
import { AREA_CSV_COLUMNS, COMMUNITY_CSV_COLUMNS } from '../../src/lib/publish/outputs';
import type { AreaAggregate, CommunityAggregate, TownshipAggregate } from '../../src/lib/core/types';
import { openCommunityStore } from '../../src/lib/core/community-store';

// BUILT_ROOT: check another build (e.g. a temporary copy of the project) instead of the working tree.
const ROOT = path.resolve(process.env.BUILT_ROOT ?? path.join(__dirname, '..', '..'));
const SITE = path.join(ROOT, 'build', 'site');
const DOWNLOADS = path.join(ROOT, 'public', 'data');
const DIST = path.join(ROOT, 'dist');
const built = existsSync(path.join(DIST, 'index.html')) && existsSync(path.join(SITE, 'areas.json'));

const json = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;
function csvRows(file: string): Record<string, string>[] {
  const text = (file.endsWith('.gz') ? gunzipSync(readFileSync(file)) : readFileSync(file)).toString('utf8');
  expect(text.startsWith('\uFEFF'), `${file} has no BOM (machine CSV)`).toBe(false);
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  expect(parsed.errors, file).toEqual([]);
  return parsed.data;
}
/** A JSON value as the CSV must write it (formula-like text gets a leading apostrophe). */
function csvForm(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
const sum = (xs: (number | null)[]) => xs.reduce<number>((s, x) => s + (x ?? 0), 0);
const htmlFiles = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.html'))
    .map((e) => path.join(e.parentPath, e.name));

describe.runIf(built)('built outputs agree', () => {
  let areas: AreaAggregate[];
  let communities: CommunityAggregate[];
  let townships: TownshipAggregate[];
  let meta: { root_code: string; district_codes: string[] };
  let divisions: Divisions;

  beforeAll(async () => {
    areas = json(path.join(SITE, 'areas.json'));
    // Every covered county's line of build/site/communities/rows.jsonl, in county order.
    const store = openCommunityStore(SITE)!;
    communities = [...store.counties].sort().flatMap((county) => store.read(county)!);
    store.close();
    townships = json(path.join(SITE, 'townships.json'));
    meta = json(path.join(SITE, 'meta.json'));
    divisions = await loadDivisions({ prefixes: [...new Set(areas.map((a) => a.code.slice(0, 2)))] });
  });

  const byCode = () => new Map(areas.map((a) => [a.code, a]));

  it('sum over communities = county, per kind (units and organizations)', () => {
    const counties = areas.filter((a) => a.level === 'county' && a.has_data);
    expect(counties.length).toBeGreaterThan(0);
    for (const county of counties) {
      const own = communities.filter((c) => c.county_code === county.code);
      for (const kind of ['urban', 'rural', 'other'] as const) {
        const units = own.filter((c) => c.kind === kind);
        expect(units.length, `${county.code} ${kind}_units`).toBe(county[`${kind}_units`]);
        expect(sum(units.map((c) => c.orgs)), `${county.code} ${kind}_orgs`).toBe(county[`${kind}_orgs`]);
      }
      expect(county.total_orgs).toBe(sum([county.urban_orgs, county.rural_orgs, county.other_orgs, county.unplaced_orgs]));
    }
  });

  it('sum over townships = county (units and placed organizations)', () => {
    for (const county of areas.filter((a) => a.level === 'county' && a.has_data)) {
      const own = townships.filter((t) => t.county_code === county.code);
      expect(own.length, county.code).toBeGreaterThan(0);
      for (const f of ['urban_units', 'rural_units', 'other_units', 'urban_orgs', 'rural_orgs', 'other_orgs'] as const) {
        expect(sum(own.map((t) => t[f])), `${county.code} ${f}`).toBe(county[f]);
      }
      expect(sum(own.map((t) => t.unplaced_orgs))).toBeLessThanOrEqual(county.unplaced_orgs ?? 0);
    }
  });

  it('sum over counties = prefecture, over prefectures = province (where every child is published)', () => {
    const index = byCode();
    let checked = 0;
    for (const parent of areas.filter((a) => a.level !== 'county')) {
      const children = areas.filter((a) => a.parent_code === parent.code);
      const expectedChildren = [...divisions.areas.values()].filter((a) => a.parentCode === parent.code).map((a) => a.code);
      if (expectedChildren.some((c) => !index.has(c))) continue; // e.g. Sichuan, of which only Leshan is published
      checked++;
      for (const f of ['urban_units', 'rural_units', 'other_units'] as const) {
        expect(sum(children.map((c) => c[f])), `${parent.code} ${f}`).toBe(parent[f]);
      }
      if (parent.has_data && children.every((c) => c.has_data)) {
        for (const f of ['urban_orgs', 'rural_orgs', 'other_orgs', 'unplaced_orgs', 'total_orgs'] as const) {
          expect(sum(children.map((c) => c[f])), `${parent.code} ${f}`).toBe(parent[f]);
        }
      }
    }
    expect(checked).toBeGreaterThan(0);
    const root = index.get(meta.root_code)!;
    expect(root.has_data).toBe(true);
    const districts = areas.filter((a) => meta.district_codes.includes(a.code));
    expect(sum(districts.map((d) => d.total_orgs))).toBe(root.total_orgs);
  });

  it('densities and gaps follow their published definitions', () => {
    for (const a of areas) {
      for (const kind of ['urban', 'rural'] as const) {
        const units = a[`${kind}_units`];
        const orgs = a[`${kind}_orgs`];
        const target = a[`${kind}_target`];
        if (orgs === null || units === 0) continue;
        expect(a[`${kind}_per_unit`], `${a.code} ${kind}_per_unit`).toBe(Math.round((orgs / units) * 100) / 100);
        if (target !== null) expect(a[`${kind}_gap`], `${a.code} ${kind}_gap`).toBe(Math.max(0, Math.ceil(target * units - 1e-9) - orgs));
      }
    }
  });

  it('areas.csv and the JSON downloads carry the same values as the pages\' data', () => {
    const rows = csvRows(path.join(DOWNLOADS, 'areas.csv'));
    const asOf = json<{ dataset: { as_of: string; sample: boolean } }>(path.join(SITE, 'meta.json')).dataset;
    expect(rows.map((r) => r.code)).toEqual(areas.map((a) => a.code));
    rows.forEach((row, i) => {
      const a = { ...areas[i], as_of: asOf.as_of, sample: asOf.sample } as Record<string, unknown>;
      for (const col of AREA_CSV_COLUMNS) expect(row[col], `areas.csv ${row.code}.${col}`).toBe(csvForm(a[col]));
    });
    const download = json<Record<string, unknown>[]>(path.join(DOWNLOADS, 'areas.json'));
    expect(download.length).toBe(areas.length);
    download.forEach((d, i) => {
      for (const [k, v] of Object.entries(areas[i])) if (k in d) expect(d[k], `areas.json ${d.code}.${k}`).toEqual(v);
    });
    // The per-area CSV of a district repeats its row of areas.csv.
    for (const code of meta.district_codes) {
      const file = path.join(DOWNLOADS, 'areas', `${code}.csv`);
      if (!existsSync(file)) continue;
      const own = csvRows(file).find((r) => r.code === code);
      expect(own, file).toEqual(rows.find((r) => r.code === code));
    }
  });

  it('communities/{province}.csv.gz carry the same values as build/site/communities/ store', () => {
    const rows = readdirSync(path.join(DOWNLOADS, 'communities')).filter((f) => f.endsWith('.csv.gz')).sort().flatMap((f) => csvRows(path.join(DOWNLOADS, 'communities', f)));
    expect(rows.length).toBe(communities.length);
    rows.forEach((row, i) => {
      const c = communities[i] as unknown as Record<string, unknown>;
      for (const col of COMMUNITY_CSV_COLUMNS) if (col in c) expect(row[col], `communities.csv ${row.code}.${col}`).toBe(csvForm(c[col]));
    });
  });

  it('dist/data serves exactly the downloads the pipeline wrote', () => {
    for (const e of readdirSync(DOWNLOADS, { recursive: true, withFileTypes: true })) {
      if (!e.isFile()) continue;
      const rel = path.relative(DOWNLOADS, path.join(e.parentPath, e.name));
      expect(readFileSync(path.join(DIST, 'data', rel)).equals(readFileSync(path.join(DOWNLOADS, rel))), `dist/data/${rel}`).toBe(true);
    }
  });

  it('the overview table shows every district\'s figures as in areas.json', () => {
    const { document } = parseHTML(readFileSync(path.join(DIST, 'index.html'), 'utf8'));
    const table = document.querySelector('table[data-sortable]') ?? document.querySelector('#districts-table');
    expect(table, 'districts table on the overview').not.toBeNull();
    const FIELD: Record<string, keyof AreaAggregate> = {
      城市社区数: 'urban_units', 城市社区组织数: 'urban_orgs', 城市社区平均: 'urban_per_unit', 城市目标: 'urban_target', 城市尚缺: 'urban_gap',
      农村社区数: 'rural_units', 农村社区组织数: 'rural_orgs', 农村社区平均: 'rural_per_unit', 农村目标: 'rural_target', 农村尚缺: 'rural_gap',
      状态: 'status',
    };
    const headers = [...table!.querySelectorAll('thead th')].map((th) => th.textContent!.trim());
    const fields = headers.map((h) => FIELD[h]);
    expect(fields.filter(Boolean).length, `known headers in ${headers.join(',')}`).toBeGreaterThanOrEqual(10);
    const index = byCode();
    const rows = [...table!.querySelectorAll('tbody tr')];
    expect(rows.length).toBe(meta.district_codes.length);
    for (const row of rows) {
      const cells = [...row.children];
      const code = /\/areas\/(\d{6})\//.exec(cells[0].querySelector('a')?.getAttribute('href') ?? '')?.[1] ?? cells[0].getAttribute('data-sort');
      const area = index.get(code!);
      expect(area, `row ${code}`).toBeDefined();
      cells.forEach((cell, i) => {
        const field = fields[i];
        if (!field) return;
        // the raw value: a status's key, a sort key where the text does not say the number exactly, else the text
        const shown = cell.querySelector('[data-status]')?.getAttribute('data-status') ?? cell.getAttribute('data-sort') ?? cell.textContent!.trim();
        const want = area![field];
        if (field === 'status') expect(shown, `${code} status`).toBe(want);
        else expect(shown === '' || shown === '—' ? null : Number(shown.replace(/,/g, '')), `${code} ${field}`).toBe(want);
        // What a reader sees, not only the sort key: the text is the same number (thousands separators aside).
        if (field !== 'status' && want !== null) expect(Number(cell.textContent!.trim().replace(/,/g, '')), `${code} ${field} text`).toBe(want);
      });
    }
  });

  it('each district briefing shows its densities, units and gaps as in areas.json', () => {
    const index = byCode();
    const LABEL: Record<string, keyof AreaAggregate> = { 城市社区平均: 'urban_per_unit', 农村社区平均: 'rural_per_unit', 城市尚缺: 'urban_gap', 农村尚缺: 'rural_gap' };
    for (const code of [meta.root_code, ...meta.district_codes]) {
      const file = path.join(DIST, 'areas', code, 'index.html');
      expect(existsSync(file), file).toBe(true);
      const { document } = parseHTML(readFileSync(file, 'utf8'));
      const area = index.get(code)!;
      const seen = new Set<string>();
      for (const li of document.querySelectorAll('.headline')) {
        const label = li.querySelector('.label')?.textContent?.trim() ?? '';
        const field = LABEL[label];
        if (!field) continue;
        seen.add(field);
        const value = li.querySelector('.value')!.textContent!.trim().replace(/,/g, '');
        const want = area[field] as number | null;
        expect(want === null ? value : Number(value), `${code} ${label}`).toBe(want === null ? value : want);
        // "目标 15 · 60 城市社区": the units beside the density
        const note = li.querySelector('.note')?.textContent ?? '';
        const units = field === 'urban_per_unit' ? area.urban_units : field === 'rural_per_unit' ? area.rural_units : null;
        if (units !== null && /社区/.test(note)) expect(note.replace(/,/g, ''), `${code} ${label} note`).toContain(String(units));
      }
      expect([...seen].sort(), `${code}: headline figures found`).toEqual(['rural_gap', 'rural_per_unit', 'urban_gap', 'urban_per_unit']);
    }
  });

  it('every internal link and resource in dist/ resolves (and every #fragment exists)', () => {
    const pages = htmlFiles(DIST);
    expect(pages.length).toBeGreaterThan(5);
    const idsCache = new Map<string, Set<string>>();
    const idsOf = (file: string) => {
      if (!idsCache.has(file)) {
        const html = readFileSync(file, 'utf8');
        idsCache.set(file, new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1])));
      }
      return idsCache.get(file)!;
    };
    const resolveFile = (pathname: string): string | null => {
      const decoded = decodeURIComponent(pathname);
      const candidate = path.join(DIST, decoded);
      if (decoded.endsWith('/')) return existsSync(path.join(candidate, 'index.html')) ? path.join(candidate, 'index.html') : null;
      return existsSync(candidate) ? candidate : null;
    };
    const broken: string[] = [];
    let checked = 0;
    for (const page of pages) {
      const html = readFileSync(page, 'utf8');
      const pageUrl = new URL('/' + path.relative(DIST, page).split(path.sep).join('/').replace(/index\.html$/, ''), 'http://site.local');
      for (const m of html.matchAll(/\s(?:href|src|xlink:href|action|poster|data)="([^"]*)"/g)) {
        const raw = m[1].replace(/&amp;/g, '&');
        if (/^(?:[a-z][a-z0-9+.-]*:|\/\/)/i.test(raw) && !raw.startsWith('http://site.local')) continue; // external, mailto:, data:
        const url = new URL(raw, pageUrl);
        checked++;
        const target = url.pathname === pageUrl.pathname ? page : resolveFile(url.pathname);
        if (!target) {
          broken.push(`${path.relative(DIST, page)} → ${raw}`);
          continue;
        }
        const fragment = decodeURIComponent(url.hash.slice(1));
        if (fragment && target.endsWith('.html') && !idsOf(target).has(fragment)) broken.push(`${path.relative(DIST, page)} → ${raw} (no id="${fragment}")`);
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(broken.slice(0, 20), `${broken.length} broken links`).toEqual([]);
  });

  it('every download the data package and the data page list resolves', () => {
    const pkg = json<{ resources: { path: string | string[] }[] }>(path.join(DIST, 'data', 'datapackage.json'));
    const missing = pkg.resources.flatMap((r) => [r.path].flat()).filter((p) => !existsSync(path.join(DIST, 'data', p)));
    expect(missing).toEqual([]);
    // Every file under dist/data (except the pages themselves) is listed somewhere a researcher looks.
    const listed = new Set(pkg.resources.flatMap((r) => [r.path].flat()));
    const dataPage = readFileSync(path.join(DIST, 'data', 'index.html'), 'utf8');
    const unlisted = readdirSync(path.join(DIST, 'data'), { withFileTypes: true })
      .filter((e) => e.isFile() && !e.name.endsWith('.html') && !/\.(gz|br)$/.test(e.name)) // .gz/.br: precompressed twins (scripts/precompress.ts)
      .map((e) => e.name)
      .filter((n) => n !== 'datapackage.json' && !listed.has(n) && !dataPage.includes(`/data/${n}`));
    expect(unlisted).toEqual([]);
  });
});

it.runIf(!built)('integrity tests need a build', () => {
  throw new Error('dist/ or build/site/ is missing: run `npm run build` (npm test builds first)');
});
