import { shortfallCommunities } from '../../src/lib/site/select';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../scripts/pipeline';
import type { AreaAggregate } from '../../src/lib/core/types';
import { createSiteData, type SiteData } from '../../src/lib/site/data';
import { briefingView, PEERS_SHOWN, SHORTFALL_SHOWN } from '../../src/lib/site/views/briefing';
import { dataPageView } from '../../src/lib/site/views/data-page';
import { overviewView } from '../../src/lib/site/views/overview';
import { targetsView } from '../../src/lib/site/views/targets';
import { FULL_LIST_MAX, ROWS_PER_REASON, qualityView, reasonKind } from '../../src/lib/site/views/quality';
import type { Rejection } from '../../src/lib/core/types';
import { areaPaths } from '../../src/lib/site/routes';

// The view models on the pipeline's real output for the shipped sample (build/site written to a temp dir):
// what each page shows, computed without an Astro build.
let tmp: string;
let data: SiteData;
let areasJson: AreaAggregate[];

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'cso-views-'));
  await runPipeline({
    dataDir: path.resolve('data/sample'),
    siteDir: path.join(tmp, 'site'),
    downloadsDir: path.join(tmp, 'data'),
    registryFile: path.resolve('data/targets/registry.json'),
  });
  data = createSiteData(path.join(tmp, 'site'));
  areasJson = JSON.parse(readFileSync(path.join(tmp, 'site', 'areas.json'), 'utf8'));
}, 120_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.each([
  // code, level, has a parent on the site, has children
  ['511102', 'county', true, false],
  ['511133', 'county', true, false],
  ['511100', 'prefecture', true, true],
  ['510000', 'province', true, true], // its parent is 全国 (000000), whose page exists in every build
  ['140000', 'province', true, true],
  ['000000', 'national', false, true],
] as const)('briefingView(%s)', (code, level, hasParent, hasChildren) => {
  const view = (lang: 'zh-CN' | 'en' = 'zh-CN') => briefingView(data.area(code)!, data, lang);

  it(`is a ${level} with its densities as areas.json has them`, () => {
    const area = areasJson.find((a) => a.code === code)!;
    expect(area.level).toBe(level);
    const v = view();
    expect(v.kinds.map((k) => [k.kind, k.value, k.target, k.gap, k.units, k.orgs])).toEqual([
      ['urban', area.urban_per_unit, area.urban_target, area.urban_gap, area.urban_units, area.urban_orgs],
      ['rural', area.rural_per_unit, area.rural_target, area.rural_gap, area.rural_units, area.rural_orgs],
    ]);
    expect(Boolean(v.parent)).toBe(hasParent);
    expect(v.children.length > 0).toBe(hasChildren);
  });

  it('quotes the registry clause of the target areas.json names (one authoritative target)', () => {
    const v = view();
    for (const k of v.kinds.filter((k) => k.targetId)) {
      const registry = JSON.parse(readFileSync(path.resolve('data/targets/registry.json'), 'utf8'));
      const source = registry.targets.find((x: { id: string }) => x.id === k.targetId);
      expect(k.registryTarget?.clause).toBe(source.clause);
      expect(k.registryTarget?.value).toBe(k.target);
    }
    // each clause once, however many kinds share it
    const clauses = v.targetRefs.map((r) => r.target?.clause);
    expect(new Set(clauses).size).toBe(clauses.length);
  });

  it('lists only its own communities that fall short, worst first, at most one page of them', () => {
    const v = view();
    const counties = code.endsWith('00') ? areasJson.filter((a) => a.level === 'county' && a.code.startsWith(code.replace(/0+$/, ''))).map((a) => a.code) : [code];
    // Recounted from the per-county community files, independently of the pipeline's shortfall.json.
    const expected = counties.flatMap((c) => data.communitiesOf(c)).filter((c) => (c.gap ?? 0) > 0);
    expect(v.shortfallCount).toBe(expected.length);
    for (let i = 1; i < v.shortfallShown.length; i++) expect(v.shortfallShown[i - 1].gap!).toBeGreaterThanOrEqual(v.shortfallShown[i].gap!);
    expect(v.shortfallShown.length).toBe(Math.min(SHORTFALL_SHOWN, expected.length));
    expect(v.shortfallShown.map((c) => c.code)).toEqual(shortfallCommunities(expected).slice(0, SHORTFALL_SHOWN).map((c) => c.code));
    expect(v.shortfallRows.map((r) => r.community)).toEqual(v.shortfallShown.map((c) => c.name));
  });

  it('lists at most ten peers of the same level and tier', () => {
    const v = view();
    expect(v.peersListed.length).toBeLessThanOrEqual(PEERS_SHOWN);
    const area = data.area(code)!;
    for (const peer of v.peers) expect([peer.level, peer.urban_target, peer.rural_target]).toEqual([area.level, area.urban_target, area.rural_target]);
  });

  it('reads its progress rows and series by key', () => {
    const v = view();
    expect(v.progressRows).toEqual(data.progress().rows.filter((r) => r.area_code === code));
    expect(v.series?.code ?? null).toBe(data.timeseries().areas.find((a) => a.code === code)?.code ?? null);
  });

  it('speaks the page language', () => {
    expect(view('zh-CN').kinds[0].kindLabel).toBe('城市社区');
    expect(view('en').kinds[0].kindLabel).toMatch(/urban/i);
  });
});

describe('overviewView on the Leshan sample', () => {
  it('compares the 11 districts of 乐山市 and counts those that meet their tier', () => {
    const v = overviewView(data, 'zh-CN');
    expect(v.root.code).toBe('511100');
    expect(v.districts.map((d) => d.code)).toEqual(data.meta().district_codes);
    expect(v.districts).toHaveLength(11);
    expect(v.counts.met).toBe(v.districts.filter((d) => d.status === 'met').length);
    expect(v.features?.map((f) => f.properties.code).sort()).toEqual(v.districts.map((d) => d.code).sort());
    expect(v.briefings.map((b) => b.code)).toEqual(['510000', '511100', ...data.meta().district_codes]);
    expect(overviewView(data, 'en').briefings[0].href).toBe('/en/areas/510000/');
  });
});

describe('targetsView', () => {
  it('groups every registry target under its document, with the progress rows of that target', () => {
    const v = targetsView(data, 'zh-CN');
    expect(v.groups.flatMap((g) => g.targets)).toHaveLength(data.registry().targets.length);
    const total = v.groups.flatMap((g) => g.targets).reduce((n, x) => n + v.rowsOf(x.id).length, 0);
    expect(total).toBe(data.progress().rows.length);
    expect(v.areaName('000000')).toBe('全国');
    expect(targetsView(data, 'en').areaName('000000')).toBe('China (national)');
  });
});

describe('dataPageView', () => {
  it('lists the downloads the pipeline measured, per-area files apart', () => {
    const v = dataPageView(data, 'zh-CN');
    const index = data.downloads();
    expect(v.main.length + index.filter((e) => e.group === 'area').length).toBe(index.length);
    expect(v.main.map((e) => e.path)).toContain('areas.csv');
    expect(v.perArea.every((e) => e.path.startsWith('areas/'))).toBe(true);
    expect(v.size(512)).toBe('512 B');
    expect(v.size(null)).toBe('随构建时间变化');
  });
});

describe('routes and the reader', () => {
  it('gives one briefing route per area of meta.json', () => {
    const routes = areaPaths(data);
    expect(routes.map((r) => r.params.code)).toEqual(data.meta().area_codes);
    expect(routes.every((r) => r.props.area.code === r.params.code)).toBe(true);
  });

  it('names the file when build/site has the wrong shape', () => {
    const broken = path.join(tmp, 'broken');
    cpSync(path.join(tmp, 'site'), broken, { recursive: true });
    writeFileSync(path.join(broken, 'areas.json'), JSON.stringify([{ code: '5111', name: 'x' }]));
    expect(() => createSiteData(broken).areas()).toThrow(/areas\.json: unexpected shape at 0\.code/);
    expect(() => createSiteData(path.join(tmp, 'nowhere')).meta()).toThrow(/meta\.json is missing: run `npm run data`/);
  });
});

describe('qualityView', () => {
  it('lists every rejected row of the sample by file, with counts by reason and by file', () => {
    const v = qualityView(data);
    const rej = data.rejections();
    expect(v.total).toBe(rej.length);
    expect(v.byFileRows!.flatMap((f) => f.rows)).toHaveLength(rej.length);
    expect(v.byReason.reduce((n, g) => n + g.n, 0)).toBe(rej.length);
    expect(v.byFile.reduce((n, f) => n + f.n, 0)).toBe(rej.length);
    expect(v.balanced).toBe(true);
  });

  it('summarises a national-size list: counts by reason and the first rows of each, never every row', () => {
    // The sample's real rejections repeated on 600 files, as a national load of tens of thousands would give.
    const many: Rejection[] = Array.from({ length: 600 }, (_, k) => data.rejections().map((r) => ({ ...r, file: `organizations/${String(k).padStart(3, '0')}.csv` }))).flat();
    const big = path.join(tmp, 'big');
    cpSync(path.join(tmp, 'site'), big, { recursive: true });
    writeFileSync(path.join(big, 'rejections.json'), JSON.stringify(many));
    const v = qualityView(createSiteData(big));
    expect(many.length).toBeGreaterThan(FULL_LIST_MAX * 10);
    expect(v.byFileRows).toBeNull();
    expect(v.byFile).toHaveLength(600);
    expect(v.byReason.reduce((n, g) => n + g.n, 0)).toBe(many.length);
    for (const g of v.byReason) {
      expect(g.first.length).toBeLessThanOrEqual(ROWS_PER_REASON);
      expect(g.first.every((r) => reasonKind(r.reason) === g.kind)).toBe(true);
    }
    // Fewer kinds than rows: the offending values are not part of the kind.
    expect(v.byReason.length).toBeLessThan(data.rejections().length);
    for (let i = 1; i < v.byReason.length; i++) expect(v.byReason[i - 1].n).toBeGreaterThanOrEqual(v.byReason[i].n);
  });

  it.each([
    ['未知类别：文体类（应为 功能服务型、兴趣爱好型） / unknown category: 文体类 (expected one of …)', '未知类别 / unknown category'],
    ['字段数为 7，表头为 9；可能缺少字段 / 7 fields, the header has 9; fields may be missing', '字段数为 #，表头为 # / # fields, the header has #'],
  ])('reasonKind(%s) = %s', (reason, kind) => {
    expect(reasonKind(reason)).toBe(kind);
  });
});
