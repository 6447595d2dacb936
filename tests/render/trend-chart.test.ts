import { describe, expect, it } from 'vitest';
import { parseHTML } from 'linkedom';
import { textWidth } from '../../src/lib/render/plot';
import { trendLabels } from '../../src/lib/site/select';

const LABELS_ZH = trendLabels('zh-CN', (a) => `${a.name}城市、农村社区平均社区社会组织数的年度变化及目标`);
const TREND_LABELS_EN = trendLabels('en', (a) => `${a.name}: organizations per urban and rural community over time, with targets`);
import { buildTimeSeries } from '../../src/lib/model/timeseries';
import { densityTargetsFromProgress, trendChart, trendSmallMultiples, type TrendTarget } from '../../src/lib/render/trend-chart';
import type { ProgressRow } from '../../src/lib/model/progress';
import { fixtureDivisions } from '../fixtures/aggregate/divisions';
import { TIMESERIES_AS_OF, timeseriesOrgs } from '../fixtures/timeseries/orgs';

const ts = buildTimeSeries({ divisions: fixtureDivisions(), orgs: timeseriesOrgs, asOf: TIMESERIES_AS_OF, dataScope: ['990100'] });
const city = ts.areas.find((a) => a.code === '990100')!;
const text = (svg: string) => [...svg.matchAll(/<text[^>]*>([\s\S]*?)<\/text>/g)].map((m) => m[1].replace(/<[^>]+>/g, '')).join('|');

describe('trendChart', () => {
  const targets: TrendTarget[] = [
    { kind: 'urban', value: 2, deadline: '2018-12-31' },
    { kind: 'urban', value: 5, deadline: '2019-12-31' },
    { kind: 'rural', value: 1.5, deadline: '2019-12-31' },
  ];
  const svg = trendChart(city, targets, LABELS_ZH);
  it('is an accessible SVG with the text alternative', () => {
    expect(svg).toMatch(/^<svg role="img" aria-label="测试市城市、农村社区平均社区社会组织数的年度变化及目标"/);
    expect(svg).not.toContain('<script');
  });
  it('writes each target value and deadline year', () => {
    const labels = text(svg);
    expect(labels).toContain('城市目标 2');
    expect(labels).toContain('城市目标 5');
    expect(labels).toContain('农村目标 1.5');
    // Two deadlines a year apart: the years alone, written once as an axis tick and once at the deadline rule.
    const count = (y: string) => labels.split('|').filter((t) => t === y).length;
    expect([count('2017'), count('2018'), count('2019')]).toEqual([1, 2, 2]);
  });
  it('labels the latest values at the line ends (no legend)', () => {
    expect(text(svg)).toContain('城市 1');
    expect(text(svg)).toContain('农村 0.67');
    expect(svg).not.toMatch(/legend/);
  });
  it('is deterministic and switches language', () => {
    expect(trendChart(city, targets, LABELS_ZH)).toBe(svg);
    const en = trendChart(city, targets, TREND_LABELS_EN);
    expect(text(en)).toContain('Urban target 2');
    expect(text(trendChart(city, [{ kind: 'urban', value: 4, deadline: '2019-12-31' }], TREND_LABELS_EN))).toContain('deadline 2019');
  });
  it('escapes a hostile area name in the text alternative', () => {
    const evil = trendChart({ ...city, name: '<img src=x onerror=alert(1)>' }, targets, LABELS_ZH);
    expect(evil).not.toContain('<img');
  });
});

describe('densityTargetsFromProgress', () => {
  it('keeps the density rows of the area, urban first, by deadline', () => {
    const row = (area_code: string, metric: string, target_value: number, deadline: string) => ({ area_code, metric, target_value, deadline }) as unknown as ProgressRow;
    const rows = [row('990100', 'rural_orgs_per_unit', 3, '2019-12-31'), row('990100', 'urban_orgs_per_unit', 5, '2019-12-31'), row('990100', 'urban_orgs_per_unit', 2, '2018-12-31'), row('990100', 'training_person_times', 9, '2019-12-31'), row('990101', 'urban_orgs_per_unit', 7, '2019-12-31')];
    expect(densityTargetsFromProgress(rows, '990100')).toEqual([
      { kind: 'urban', value: 2, deadline: '2018-12-31' },
      { kind: 'urban', value: 5, deadline: '2019-12-31' },
      { kind: 'rural', value: 3, deadline: '2019-12-31' },
    ]);
  });
});

describe('trendSmallMultiples', () => {
  const districts = ts.areas.filter((a) => a.level === 'county');
  const svg = trendSmallMultiples(districts, new Map([['990101', [{ kind: 'urban', value: 3, deadline: '2020-12-31' }]]]), { alt: '各区县趋势', columns: 2, labels: LABELS_ZH });
  it('has a panel per district with its name and its own deadline', () => {
    const labels = text(svg);
    expect(labels).toContain('A区');
    expect(labels).toContain('B县');
    expect(labels).toContain('期限 2020');
    expect(svg).toMatch(/aria-label="各区县趋势"/);
  });
});

describe('trendChart label collisions', () => {
  /** Estimated boxes of the chart's bold target labels and line-end labels (anchor, translate offsets, textWidth). */
  function boxes(svg: string) {
    const root = parseHTML(`<html><body>${svg}</body></html>`).document.querySelector('svg')!;
    const out: { text: string; x1: number; x2: number; y1: number; y2: number }[] = [];
    for (const g of root.querySelectorAll('g[aria-label="text"]')) {
      const bold = g.getAttribute('font-weight') === 'bold';
      for (const t of g.querySelectorAll('text')) {
        let x = 0;
        let y = 0;
        for (let e: Element | null = t; e && e !== root; e = e.parentElement) {
          const m = /translate\((-?[\d.]+),\s*(-?[\d.]+)\)/.exec(e.getAttribute('transform') ?? '');
          if (m) [x, y] = [x + Number(m[1]), y + Number(m[2])];
        }
        const text = t.textContent ?? '';
        if (!/目标|城市|农村/.test(text)) continue;
        out.push({ text, x1: x, x2: x + textWidth(text, 12, bold), y1: y - 6, y2: y + 6 });
      }
    }
    return out;
  }
  const overlap = (a: ReturnType<typeof boxes>[number], b: ReturnType<typeof boxes>[number]) => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
  const expectNoOverlap = (svg: string) => {
    const all = boxes(svg);
    for (let i = 0; i < all.length; i++) for (let j = i + 1; j < all.length; j++) expect(overlap(all[i], all[j]), `${all[i].text} / ${all[j].text}`).toBe(false);
    return all;
  };

  it.each([
    ['equal targets', 3, 3],
    ['close targets', 3, 2.9],
    ['close targets, rural higher', 2.9, 3],
    ['far apart targets', 5, 1.5],
  ])('keeps the urban and rural target labels apart (%s)', (_, urban, rural) => {
    const svg = trendChart(city, [{ kind: 'urban', value: urban, deadline: '2019-12-31' }, { kind: 'rural', value: rural, deadline: '2019-12-31' }], LABELS_ZH);
    const all = expectNoOverlap(svg);
    expect(all.map((b) => b.text)).toEqual(expect.arrayContaining([`城市目标 ${urban}`, `农村目标 ${rural}`]));
  });

  it('keeps the line-end labels apart when urban and rural end at the same value', () => {
    const last = city.points.at(-1)!;
    const same = { ...city, points: [...city.points.slice(0, -1), { ...last, urban_per_unit: 1, rural_per_unit: 1 }] };
    const svg = trendChart(same, [{ kind: 'urban', value: 1, deadline: '2019-12-31' }, { kind: 'rural', value: 1, deadline: '2019-12-31' }], LABELS_ZH);
    const all = expectNoOverlap(svg);
    expect(all.map((b) => b.text)).toEqual(expect.arrayContaining(['城市 1', '农村 1', '城市目标 1', '农村目标 1']));
  });
});
