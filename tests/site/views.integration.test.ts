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
import { areaPaths } from '../../src/lib/site/routes';
import { areasIndexView } from '../../src/lib/site/views/areas-index';
import { publishedView } from '../../src/lib/site/views/published';

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
    // Recounted from each county's communities (build/site/communities/), independently of the pipeline's shortfall.json.
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


describe('briefingView noTargets', () => {
  it('is set for exactly the areas without a density target (areas.json), a required total or a progress row (progress.json)', () => {
    const progress = JSON.parse(readFileSync(path.join(tmp, 'site', 'progress.json'), 'utf8')) as { rows: { area_code: string }[] };
    const withProgress = new Set(progress.rows.map((r) => r.area_code));
    const expected = areasJson.map((a) => [a.code, a.urban_target === null && a.rural_target === null && a.required_total === null && !withProgress.has(a.code)]);
    expect(areasJson.map((a) => [a.code, briefingView(data.area(a.code)!, data, 'zh-CN').noTargets])).toEqual(expected);
    // the sample has both kinds of area
    expect(new Set(expected.map(([, none]) => none))).toEqual(new Set([true, false]));
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

describe('areasIndexView', () => {
  it('lists every area with a page once, grouped by province and sorted by code', () => {
    const v = areasIndexView(data, 'zh-CN');
    const codes = [...v.others.map((a) => a.code), ...v.groups.flatMap((g) => [g.code, ...g.prefectures.flatMap((p) => [p.code, ...p.counties.map((c) => c.code)])])];
    expect([...codes].sort()).toEqual([...data.meta().area_codes].sort());
    expect(new Set(codes).size).toBe(codes.length);
    expect(v.total).toBe(data.meta().area_codes.length);
    expect(v.groups.map((g) => g.code)).toEqual([...v.groups.map((g) => g.code)].sort());
    const leshan = v.groups.find((g) => g.code === '510000')!.prefectures.find((p) => p.code === '511100')!;
    expect(leshan.counties.map((c) => c.code)).toEqual(data.meta().district_codes);
    expect(leshan.counties.find((c) => c.code === '511133')).toMatchObject({ name: '马边彝族自治县', href: '/areas/511133/', status: data.area('511133')!.status });
    expect(areasIndexView(data, 'en').groups[0].prefectures[0].href).toMatch(/^\/en\/areas\/\d{6}\/$/);
  });
});

describe('breadcrumbs', () => {
  it.each([
    ['511133', ['全国', '四川省', '乐山市', '马边彝族自治县']],
    ['511100', ['全国', '四川省', '乐山市']],
    ['510000', ['全国', '四川省']],
  ])('%s: %j, the area itself not linked', (code, names) => {
    const v = briefingView(data.area(code)!, data, 'zh-CN');
    expect(v.breadcrumbs.map((b) => b.name)).toEqual(names);
    expect(v.breadcrumbs.at(-1)!.href).toBeNull();
    expect(v.breadcrumbs.slice(0, -1).every((b) => b.href === `/areas/${b.code}/`)).toBe(true);
  });
});

describe('English names on English pages', () => {
  it.each([
    ['511133', 'Mabian Yi Autonomous County', '马边彝族自治县'],
    ['511102', 'Shizhong District', '市中区'],
    ['511100', 'Leshan City', '乐山市'],
  ])('%s is %s, with %s beside it', (code, en, zh) => {
    const v = briefingView(data.area(code)!, data, 'en');
    expect(v.area.name).toBe(en);
    expect(v.title).toBe(`${en} (${zh})`);
    expect(briefingView(data.area(code)!, data, 'zh-CN').title).toBe(zh);
    expect(v.kinds[0].sentence).toContain(en);
  });

  it('names the districts of the overview in English, the Chinese kept for the tables', () => {
    const v = overviewView(data, 'en');
    expect(v.rootTitle).toBe('Leshan City (乐山市)');
    expect(v.districts.find((d) => d.code === '511133')).toMatchObject({ name: 'Mabian Yi Autonomous County', name_zh: '马边彝族自治县' });
  });
});

describe('real and published, figure by figure', () => {
  it('shows Jilin’s published 7,946 (2021) with its source and the inference against its 2020 target', () => {
    const v = briefingView(data.area('220000')!, data, 'zh-CN');
    const jilin = v.published.find((f) => f.value.startsWith('7,946'));
    expect(jilin).toBeDefined();
    expect(jilin!.source_url).toMatch(/^https?:\/\//);
    expect(jilin!.inference.join('')).toContain('10 × 2,254 + 5 × 9,278 = 68,930');
    // no sample counts on Jilin's page in a Leshan build: no sample label there
    expect(v.showsSample).toBe(false);
  });

  it('shows the 124,275 organizations Shanxi’s 2023 targets require, derived from real units × targets', () => {
    const area = data.area('140000')!;
    expect([area.urban_units, area.rural_units, area.urban_target, area.rural_target]).toEqual([3003, 18849, 10, 5]);
    expect(area.required_total).toBe(124275);
    const v = briefingView(area, data, 'zh-CN');
    expect(v.requiredTotal).toContain('124,275');
    expect(v.required).toEqual(['城市：10 × 3,003 个城市社区 = 30,030 个', '农村：5 × 18,849 个农村社区 = 94,245 个']);
  });

  it('labels the sample counts of a sample build as sample, and the published page not at all', () => {
    expect(briefingView(data.area('511102')!, data, 'zh-CN')).toMatchObject({ basis: 'sample', showsSample: true });
    const page = publishedView(data, 'zh-CN');
    expect(page.total).toBe(data.published().figures.length);
    expect(page.groups[0].code).toBe('000000');
    const national = page.groups[0].figures.find((f) => f.id.includes('cso-total'));
    expect(national?.value).toBe('不少于1,750,000 个');
    expect(publishedView(data, 'en').groups[0].figures.find((f) => f.id.includes('cso-total'))?.value).toBe('at least 1,750,000');
  });
});
