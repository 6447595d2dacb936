import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rankedDensityChart, textWidth, type RankedChartLabels } from '../src/lib/charts';
import type { AreaAggregate } from '../src/lib/types';

const all = JSON.parse(readFileSync('tests/fixtures/site/areas.json', 'utf8')) as AreaAggregate[];
const districts = all.filter((a) => a.parent_code === '511100');
const labels: RankedChartLabels = {
  axis: '社区平均组织数',
  alt: '各区县城市社区平均组织数与目标',
  target: '目标',
  formatValue: (v) => v.toFixed(2),
  formatTarget: (v) => String(v),
  title: (a) => a.name,
};

/** x of every element of a group (by its aria-label and text-anchor) keyed by the row's y. */
function positions(svg: string, group: RegExp, item: RegExp): Map<number, number> {
  const out = new Map<number, number>();
  for (const g of svg.match(group) ?? []) {
    const dx = Number(/transform="translate\((-?[\d.]+),/.exec(g)?.[1] ?? 0);
    for (const m of g.matchAll(item)) out.set(Number(m.groups!.y), Number(m.groups!.x) + dx);
  }
  return out;
}

describe.each(['urban', 'rural'] as const)('ranked %s chart: value labels never sit on the target tick', (kind) => {
  const svg = rankedDensityChart(districts, kind, labels);
  const ticks = positions(svg, /<g[^>]*aria-label="tick"[^>]*>.*?<\/g>/g, /<line y2="[\d.]+" y1="(?<y>[\d.]+)" x2="[\d.]+" x1="(?<x>[\d.]+)"/g);
  const right = positions(svg, /<g[^>]*font-size="11" text-anchor="start" aria-label="text"[^>]*>.*?<\/g>/g, /<text transform="translate\((?<x>[\d.]+),(?<y>[\d.]+)\)"/g);
  const left = positions(svg, /<g[^>]*font-size="11" text-anchor="end" aria-label="text"[^>]*>.*?<\/g>/g, /<text transform="translate\((?<x>[\d.]+),(?<y>[\d.]+)\)"/g);

  it('labels every district with a value, on one side or the other', () => {
    expect(ticks.size).toBe(districts.length);
    expect(right.size + left.size).toBe(districts.filter((a) => a.has_data).length);
  });

  it('starts labels of districts at or above target to the right of the tick', () => {
    for (const [y, x] of right) expect(x, `row ${y}`).toBeGreaterThan(ticks.get(y)!);
  });

  it('ends labels of districts below target to the left of the tick', () => {
    for (const [y, x] of left) expect(x, `row ${y}`).toBeLessThan(ticks.get(y)!);
  });
});

describe('ranked chart margins fit their labels', () => {
  it.each([
    ['峨边彝族自治县', 13, false, 91],
    ['目标 15', 13, true, 52], // 2 em + 3 × 0.65 em = 3.95 em
    ['Target 15', 13, true, 77],
  ])('textWidth(%s, %i px, bold %s) = %i', (text, size, bold, width) => {
    expect(textWidth(text, size, bold)).toBe(width);
  });

  it('leaves room on the right for the English target label', () => {
    const svg = rankedDensityChart(districts, 'urban', { ...labels, target: 'Target' });
    const width = Number(/viewBox="0 0 ([\d.]+)/.exec(svg)![1]);
    const label = /<g[^>]*aria-label="text"[^>]*font-weight="bold"[^>]*>.*?<\/g>|<g[^>]*font-weight="bold"[^>]*aria-label="text"[^>]*>.*?<\/g>/.exec(svg)![0];
    const dx = Number(/transform="translate\((-?[\d.]+),/.exec(label)?.[1] ?? 0);
    const x = Number(/<text transform="translate\(([\d.]+),/.exec(label)![1]) + dx;
    expect(x + textWidth('Target 15', 13, true)).toBeLessThanOrEqual(width);
  });
});

describe('ranked chart: a value near the axis', () => {
  it('puts the label right of the dot when there is no room between the dot and the district names', () => {
    const jinkouhe = districts.find((a) => a.code === '511113')!;
    const near = { ...jinkouhe, rural_orgs: 1, rural_per_unit: 0.04, rural_target: 4, rural_status: 'not_met' as const };
    const svg = rankedDensityChart([near], 'rural', labels);
    const right = positions(svg, /<g[^>]*font-size="11" text-anchor="start" aria-label="text"[^>]*>.*?<\/g>/g, /<text transform="translate\((?<x>[\d.]+),(?<y>[\d.]+)\)"/g);
    const left = positions(svg, /<g[^>]*font-size="11" text-anchor="end" aria-label="text"[^>]*>.*?<\/g>/g, /<text transform="translate\((?<x>[\d.]+),(?<y>[\d.]+)\)"/g);
    expect([right.size, left.size]).toEqual([1, 0]);
  });
});
