import { readFileSync } from 'node:fs';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { LANGS, strings, t, type StringKey } from '../../src/i18n/strings';
import { categoryText, formatComparator, formatDate, formatDateShort, formatDensity, formatInt, formatMeasure, formatPercent, formatTarget, formatWithUnit, pickLang, punct, sentenceStart, statusLabel, statusText, unitText } from '../../src/lib/site/format';
import { basePath, langOfPath, localePath } from '../../src/i18n/paths';
import { attainment, rankByAttainment } from '../../src/lib/model/density';
import {
  countStatuses,
  countDeadlineStatuses,
  countyCodesUnder,
  peersInTier,
  peersShown,
  trendLabels,
  pickAreas,
  shortfallCommunities,
  sortRows,
} from '../../src/lib/site/select';
import { categoryMixChart, rankedDensityChart, rankedRows } from '../../src/lib/render/charts';
import type { AreaAggregate, CommunityAggregate } from '../../src/lib/core/types';

const FIXTURE = 'tests/fixtures/site';
const read = <T>(name: string): T => JSON.parse(readFileSync(`${FIXTURE}/${name}`, 'utf8')) as T;
const areas = read<AreaAggregate[]>('areas.json');
const communities = read<CommunityAggregate[]>('communities.json');
const meta = read<{ district_codes: string[]; root_code: string }>('meta.json');
const districts = pickAreas(areas, meta.district_codes);
const byCode = new Map(areas.map((a) => [a.code, a]));

describe('strings', () => {
  const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  const keys = Object.keys(strings['zh-CN']) as StringKey[];

  it('has the same keys in every language', () => {
    for (const lang of LANGS) expect(Object.keys(strings[lang]).sort()).toEqual([...keys].sort());
  });
  it.each(keys)('%s has the same placeholders in zh-CN and en', (key) => {
    expect(placeholders(strings.en[key])).toEqual(placeholders(strings['zh-CN'][key]));
  });
  it('fills placeholders and throws on a missing one', () => {
    expect(t('zh-CN', 'overview.status_sentence', { total: 11, n: 4 })).toBe('11 个区县中 4 个达到目标');
    expect(t('en', 'overview.status_sentence', { total: 11, n: 4 })).toBe('4 of 11 districts meet their target');
    expect(() => t('zh-CN', 'overview.status_sentence', { total: 11 })).toThrow(/needs \{n\}/);
  });
});

describe('format', () => {
  it.each([
    [formatInt(12345), '12,345'],
    [formatInt(null), '—'],
    [formatDensity(11), '11.00'],
    [formatDensity(6.4444), '6.44'],
    [formatDensity(null), '—'],
    [formatTarget(15), '15'],
    [formatTarget(2.5), '2.5'],
    [formatPercent(0.834), '83%'],
    [formatPercent(null), '—'],
    [formatDate('2024-12-31'), '2024年12月31日'],
    [formatDate('2024-01-05', 'en'), '5 January 2024'],
    [formatDate('2021'), '2021'],
    [formatComparator('>='), '≥'],
  ])('%s = %s', (actual, expected) => expect(actual).toBe(expected));

  it('gives every status a symbol and a word (never colour alone)', () => {
    expect(statusText('met')).toBe('✓ 达标');
    expect(statusText('not_met')).toBe('✗ 未达标');
    expect(statusText('no_target')).toBe('— 无目标');
    expect(statusLabel('not_met', 'en').text).toBe('Not met');
  });

  it.each([
    ['met', '✓ 达标'],
    ['on_track', '↗ 进度正常'],
    ['off_track', '↘ 进度落后'],
    ['missed', '✗ 逾期未达'],
    ['no_data', '? 无数据'],
  ] as const)('labels the deadline status %s with a symbol and a word', (status, text) => {
    expect(statusText(status)).toBe(text);
    expect(statusLabel(status, 'en').text.length).toBeGreaterThan(0);
  });

  it.each([
    [formatMeasure(15.617, '个/社区'), '15.62'],
    [formatMeasure(90.9, '%'), '90.9%'],
    [formatMeasure(1067, '个/年'), '1,067'],
    [formatMeasure(null, '人次'), '—'],
    [formatWithUnit(640, '人次'), '640 人次'],
    [formatWithUnit(61.2, '%'), '61.2%'],
    [formatWithUnit(null, '个/社区'), '—'],
    [pickLang('本数据集未覆盖该地区 / the dataset does not cover this area'), '本数据集未覆盖该地区'],
    [pickLang('本数据集未覆盖该地区 / the dataset does not cover this area', 'en'), 'the dataset does not cover this area'],
    [pickLang('no separator here'), 'no separator here'],
    [pickLang('示例数据（虚构）/ sample, fictitious'), '示例数据（虚构）'],
    [pickLang('示例数据（虚构）/ sample, fictitious', 'en'), 'sample, fictitious'],
    [pickLang('1/2 and a/b stay whole', 'en'), '1/2 and a/b stay whole'],
  ])('%s = %s', (actual, expected) => expect(actual).toBe(expected));
});

describe('briefing helpers', () => {
  it('finds the counties under a prefecture, a province and a county', () => {
    expect([...countyCodesUnder(byCode.get('511100')!, areas)].sort()).toEqual([...meta.district_codes].sort());
    expect(countyCodesUnder(byCode.get('510000')!, areas).size).toBe(11);
    expect([...countyCodesUnder(byCode.get('511102')!, areas)]).toEqual(['511102']);
  });

  it('lists the short communities of an area, worst first, all with a gap', () => {
    const area = byCode.get('511102')!;
    const list = shortfallCommunities(communities.filter((c) => c.county_code === area.code));
    const expected = communities.filter((c) => c.county_code === '511102' && (c.gap ?? 0) > 0);
    expect(list).toHaveLength(expected.length);
    expect(list.length).toBeGreaterThan(0);
    for (let i = 1; i < list.length; i++) expect(list[i - 1].gap!).toBeGreaterThanOrEqual(list[i].gap!);
    expect(list.every((c) => c.county_code === '511102')).toBe(true);
    // the prefecture's list holds every county's short communities
    expect(shortfallCommunities(communities)).toHaveLength(communities.filter((c) => (c.gap ?? 0) > 0).length);
  });

  it('finds peers with the same targets at the same level', () => {
    const peers = peersInTier(byCode.get('511133')!, areas).map((a) => a.name);
    expect(peers).toEqual(['金口河区', '峨边彝族自治县']);
    const tier1 = peersInTier(byCode.get('511102')!, areas);
    expect(tier1.every((a) => a.urban_target === 15 && a.rural_target === 8 && a.code !== '511102')).toBe(true);
    expect(tier1).toHaveLength(4);
    expect(peersInTier(byCode.get('510000')!, areas)).toEqual([]); // no target, no tier
  });

  it('lists at most N peers for the printed briefing, those under the same parent first', () => {
    const area = byCode.get('511102')!;
    const peers = peersInTier(area, areas);
    expect(peersShown(area, peers, 10)).toEqual(peers); // 4 peers: all shown
    const two = peersShown(area, peers, 2);
    expect(two).toHaveLength(2);
    // peers from another parent (a hypothetical county elsewhere) come after those under 511100
    const stranger = { ...peers[0], code: '140105', parent_code: '140100' };
    const mixed = peersShown(area, [stranger, ...peers], 10);
    expect(mixed.at(-1)!.code).toBe('140105');
    expect(mixed.slice(0, -1).every((p) => p.parent_code === area.parent_code)).toBe(true);
  });

  it('counts deadline statuses in the published order, leaving out zeros', () => {
    const rows = [{ status: 'no_data' }, { status: 'met' }, { status: 'off_track' }, { status: 'met' }] as const;
    expect(countDeadlineStatuses([...rows])).toEqual([
      { status: 'met', n: 2 },
      { status: 'off_track', n: 1 },
      { status: 'no_data', n: 1 },
    ]);
    expect(countDeadlineStatuses([])).toEqual([]);
  });

  it('builds the trend-chart labels from the UI strings in both languages', () => {
    const zh = trendLabels('zh-CN', (a) => a.name);
    expect(`${zh.kind.urban}${zh.target} 15`).toBe('城市目标 15');
    expect(zh.deadline(2025)).toBe('期限 2025');
    const en = trendLabels('en', (a) => a.name);
    expect(`${en.kind.rural}${en.target} 8`).toBe('Rural target 8');
    expect(en.deadline(2025)).toBe('deadline 2025');
  });

  it('ranks by attainment against each area’s own target', () => {
    const ranked = rankByAttainment(districts, 'urban');
    const ratios = ranked.map((a) => attainment(a, 'urban')!);
    expect([...ratios].sort((x, y) => y - x)).toEqual(ratios);
    expect(attainment(byCode.get('511133')!, 'urban')).toBeCloseTo(byCode.get('511133')!.urban_per_unit! / 10, 10);
  });

  it('counts statuses from the status fields', () => {
    const c = countStatuses(districts);
    expect(c.total).toBe(11);
    expect(c.met).toBe(districts.filter((a) => a.status === 'met').length);
    expect(c.ruralMet).toBe(districts.filter((a) => a.rural_status === 'met').length);
    expect(c.ruralMet).toBeGreaterThan(0);
  });

  it('sorts rows stably with nulls last', () => {
    const rows = [
      { code: 'b', v: 2 },
      { code: 'a', v: null },
      { code: 'c', v: 2 },
      { code: 'd', v: 1 },
    ];
    expect(sortRows(rows, (r) => r.v, 'desc').map((r) => r.code)).toEqual(['b', 'c', 'd', 'a']);
    expect(sortRows(rows, (r) => r.v, 'asc').map((r) => r.code)).toEqual(['d', 'b', 'c', 'a']);
  });
});

describe('rankedDensityChart', () => {
  const labels = {
    axis: '社区平均组织数',
    target: '目标',
    formatValue: (v: number) => formatDensity(v),
    formatTarget: (v: number) => formatTarget(v),
    title: (a: AreaAggregate, v: number | null, target: number | null) => `${a.name} ${formatDensity(v)}（目标 ${formatTarget(target)}）`,
    alt: 'alt <text> & more',
  };
  const hostile = districts.map((a, i) => (i === 0 ? { ...a, name: '<script>alert(1)</script>' } : a));

  it.each(['urban', 'rural'] as const)('puts each district’s own target on its own row (%s)', (kind) => {
    const svg = rankedDensityChart(districts, kind, labels);
    const { document } = parseHTML(`<html><body>${svg}</body></html>`);
    // y of a row = the translate of the y-axis label and of the target text
    const yOf = (el: Element) => Number(/translate\([^,]+,([\d.]+)\)/.exec(el.getAttribute('transform') ?? '')![1]);
    const rowLabels = [...document.querySelectorAll('g[aria-label="y-axis tick label"] text')];
    const targetTexts = [...document.querySelectorAll('text')].filter((el) => /^目标 \d/.test(el.textContent ?? ''));
    expect(rowLabels).toHaveLength(11);
    expect(targetTexts).toHaveLength(11);
    for (const label of rowLabels) {
      const area = districts.find((a) => a.name === label.textContent)!;
      const target = kind === 'urban' ? area.urban_target : area.rural_target;
      const sameRow = targetTexts.find((el) => Math.abs(yOf(el) - yOf(label)) < 0.01)!;
      expect(sameRow.textContent).toBe(`目标 ${target}`);
    }
    // order = ranked by attainment
    expect(rowLabels.map((el) => el.textContent)).toEqual(rankedRows(districts, kind).map((r) => r.name));
  });

  it('marks met and not-met by shape, not only colour', () => {
    const svg = rankedDensityChart(districts, 'rural', labels);
    const met = districts.filter((a) => a.rural_status === 'met').length;
    const { document } = parseHTML(`<html><body>${svg}</body></html>`);
    const dots = [...document.querySelectorAll('g[aria-label="dot"]')];
    expect(dots).toHaveLength(2);
    const counts = dots.map((g) => g.querySelectorAll('path, circle').length).sort();
    expect(counts).toEqual([met, 11 - met].sort());
  });

  it('escapes names, gives groups a role, has a text alternative and is deterministic', () => {
    const svg = rankedDensityChart(hostile, 'urban', labels);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(svg).toContain('aria-label="alt &lt;text&gt; &amp; more"');
    expect(svg).toMatch(/^<svg[^>]* role="img"/);
    expect(svg).not.toMatch(/<g(?![^>]*role="group")[^>]*aria-label=/);
    expect(rankedDensityChart(hostile, 'urban', labels)).toBe(svg);
  });
});

describe('categoryMixChart', () => {
  it('draws one bar per category with its value written', () => {
    const data = [
      { label: '功能服务型', value: 26 },
      { label: '兴趣爱好型', value: 3 },
      { label: '<b>x</b>', value: 0 },
    ];
    const svg = categoryMixChart(data, { axis: '组织数', alt: '构成', formatValue: (v) => String(v) });
    const { document } = parseHTML(`<html><body>${svg}</body></html>`);
    expect(document.querySelectorAll('g[aria-label="bar"] rect')).toHaveLength(3);
    const values = [...document.querySelectorAll('g[aria-label="text"] text')].map((el) => el.textContent);
    expect(values).toEqual(['26', '3', '0']);
    expect(svg).not.toContain('<b>');
  });
});

describe('page paths by language', () => {
  it.each([
    ['en', '/areas/511102/', '/en/areas/511102/'],
    ['en', '/', '/en/'],
    ['en', '/en/targets/', '/en/targets/'],
    ['zh-CN', '/en/areas/511102/', '/areas/511102/'],
    ['zh-CN', '/en/', '/'],
    ['zh-CN', '/methodology/#m-progress', '/methodology/#m-progress'],
    ['en', '/methodology/#m-progress', '/en/methodology/#m-progress'],
    // downloads are the same files in both languages
    ['en', '/data/areas.csv', '/data/areas.csv'],
    ['en', '/data/areas/511102.csv', '/data/areas/511102.csv'],
    ['en', '/data/', '/en/data/'],
    ['en', '#doc-x', '#doc-x'],
  ] as const)('localePath(%s, %s) = %s', (lang, path, expected) => expect(localePath(lang, path)).toBe(expected));

  it('knows the language of a path and its zh-CN base', () => {
    expect(langOfPath('/en/areas/511102/')).toBe('en');
    expect(langOfPath('/areas/511102/')).toBe('zh-CN');
    expect(langOfPath('/english/')).toBe('zh-CN');
    expect(basePath('/en/data/dictionary/')).toBe('/data/dictionary/');
  });
});

describe('English display helpers', () => {
  it.each([
    [unitText('个/社区', 'en'), 'per community'],
    [unitText('个/社区'), '个/社区'],
    [unitText('人次', 'en'), 'person-times'],
    [unitText('未知单位', 'en'), '未知单位'],
    [formatWithUnit(640, '人次', 'en'), '640 person-times'],
    [formatWithUnit(11, '个', 'en'), '11'],
    [formatWithUnit(15.62, '个/社区', 'en'), '15.62 per community'],
    [formatDateShort('2025-12-31', 'en'), '31 Dec 2025'],
    [formatDateShort('2025-12-31'), '2025年12月31日'],
    [sentenceStart('urban communities', 'en'), 'Urban communities'],
    [sentenceStart('城市社区'), '城市社区'],
    [categoryText('志愿服务型', 'en'), 'Volunteer'],
    [categoryText('志愿服务型'), '志愿服务型'],
    [categoryText('未列出的类别', 'en'), '未列出的类别'],
    [punct('en').semicolon, '; '],
    [punct('zh-CN').semicolon, '；'],
  ])('%s = %s', (actual, expected) => expect(actual).toBe(expected));
});
