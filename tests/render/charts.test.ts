import { readFileSync } from 'node:fs';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { RANKED_LAYOUT, categoryMixChart, rankedDensityChart, type RankedChartLabels } from '../../src/lib/render/charts';
import { MAX_ROW_LABEL_WIDTH, fitLabel, textWidth } from '../../src/lib/render/plot';
import type { AreaAggregate } from '../../src/lib/core/types';

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
const { fontSize, valueFontSize } = RANKED_LAYOUT;

/** A district with its urban density set (status follows the value, as the pipeline would set it). */
const withUrban = (a: AreaAggregate, value: number, target: number, name = a.name): AreaAggregate => ({
  ...a,
  name,
  urban_per_unit: value,
  urban_target: target,
  urban_status: value >= target ? 'met' : 'not_met',
});

/** Districts clustered around their target, as in the real data (several at ~15 against 15). */
const nearTarget: AreaAggregate[] = [
  withUrban(districts[0], 15.78, 15, '峨边彝族自治县'),
  withUrban(districts[1], 15.02, 15, '马边彝族自治县'),
  withUrban(districts[2], 15, 15),
  withUrban(districts[3], 14.98, 15),
  withUrban(districts[4], 14.6, 15),
  withUrban(districts[5], 10.03, 10),
  withUrban(districts[6], 9.97, 10),
  withUrban(districts[7], 12, 12),
];

/** Sum of translate(x, y) on an element and its ancestors (Plot puts dx/dy on the mark's <g>). */
function offset(el: Element | null): [number, number] {
  let x = 0;
  let y = 0;
  for (let e = el; e && e.tagName.toLowerCase() !== 'svg'; e = e.parentElement) {
    const m = /translate\((-?[\d.]+),\s*(-?[\d.]+)\)/.exec(e.getAttribute('transform') ?? '');
    if (m) {
      x += Number(m[1]);
      y += Number(m[2]);
    }
  }
  return [x, y];
}

interface Box { text: string; x1: number; x2: number; y1: number; y2: number }

/** Estimated box of every <text> in a mark group, from its anchor, offsets and textWidth. */
function textBoxes(svg: Element, group: string, size: number, bold = false): Box[] {
  return [...svg.querySelectorAll(`g[aria-label="${group}"]`)].flatMap((g) => {
    const anchor = g.getAttribute('text-anchor') ?? svg.getAttribute('text-anchor') ?? 'start';
    const gSize = Number(g.getAttribute('font-size') ?? size);
    return [...g.querySelectorAll('text')].map((t) => {
      const [x, y] = offset(t);
      const text = t.textContent ?? '';
      const w = textWidth(text, gSize, bold || g.getAttribute('font-weight') === 'bold');
      const x1 = anchor === 'end' ? x - w : anchor === 'middle' ? x - w / 2 : x;
      return { text, x1, x2: x1 + w, y1: y - gSize / 2, y2: y + gSize / 2 };
    });
  });
}

/** The target ticks: x and vertical extent. */
function ticks(svg: Element) {
  return [...svg.querySelectorAll('g[aria-label="tick"] line')].map((l) => {
    const [dx, dy] = offset(l);
    return { x: Number(l.getAttribute('x1')) + dx, y1: Number(l.getAttribute('y1')) + dy, y2: Number(l.getAttribute('y2')) + dy };
  });
}

function parse(svg: string) {
  return parseHTML(`<html><body>${svg}</body></html>`).document.querySelector('svg')!;
}
const viewBoxWidth = (svg: Element) => Number(svg.getAttribute('viewBox')!.split(' ')[2]);
/** The plotting area's left edge: the x of the 0 gridline. */
const plotLeft = (svg: Element) => Math.min(...[...svg.querySelectorAll('g[aria-label="x-grid"] line')].map((l) => Number(l.getAttribute('x1')) + offset(l)[0]));
/** The plotting area's right edge: the axis label is centred on the plotting area. */
const plotRight = (svg: Element) => 2 * offset(svg.querySelector('g[aria-label="x-axis label"] text'))[0] - plotLeft(svg);
const valueBoxes = (svg: Element) => textBoxes(svg, 'text', valueFontSize).filter((b) => /^\d+\.\d\d$/.test(b.text));
const overlaps = (a: { x1: number; x2: number; y1: number; y2: number }, b: { x1: number; x2: number; y1: number; y2: number }) =>
  a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;

describe.each([
  ['fixture districts, urban', districts, 'urban'],
  ['fixture districts, rural', districts, 'rural'],
  ['districts at ≈ their target', nearTarget, 'urban'],
] as const)('ranked chart value labels (%s)', (_, list, kind) => {
  const svg = parse(rankedDensityChart([...list], kind, labels));
  const values = valueBoxes(svg);
  const tickLines = ticks(svg);

  it('labels every district with a value', () => {
    expect(values).toHaveLength(list.filter((a) => a.has_data).length);
    expect(tickLines).toHaveLength(list.length);
  });

  it('never draws a value label across a target tick', () => {
    for (const v of values) {
      for (const t of tickLines) {
        const tickBox = { x1: t.x - 2, x2: t.x + 2, y1: t.y1, y2: t.y2 };
        expect(overlaps(v, tickBox), `${v.text} [${v.x1}, ${v.x2}] vs tick at ${t.x}`).toBe(false);
      }
    }
  });

  it('never draws two value labels over each other, and keeps them inside the plot', () => {
    for (let i = 0; i < values.length; i++) for (let j = i + 1; j < values.length; j++) expect(overlaps(values[i], values[j])).toBe(false);
    const right = plotRight(svg);
    for (const v of values) {
      expect(v.x1).toBeGreaterThanOrEqual(plotLeft(svg));
      expect(v.x2).toBeLessThanOrEqual(right);
    }
  });
});

describe('ranked chart: near-target rows put the value on the side away from the tick', () => {
  const svg = parse(rankedDensityChart(nearTarget, 'urban', labels));
  const tickLines = ticks(svg);
  const rowTick = (b: Box) => tickLines.find((t) => t.y1 <= b.y1 + valueFontSize / 2 && b.y1 + valueFontSize / 2 <= t.y2)!;
  it.each([
    ['15.78', 'right'],
    ['15.02', 'right'],
    ['15.00', 'right'],
    ['14.98', 'left'],
    ['14.60', 'left'],
    ['10.03', 'right'],
    ['9.97', 'left'],
  ])('%s is to the %s of its tick', (text, side) => {
    const box = valueBoxes(svg).find((b) => b.text === text)!;
    const tick = rowTick(box);
    if (side === 'right') expect(box.x1).toBeGreaterThan(tick.x + 2);
    else expect(box.x2).toBeLessThan(tick.x - 2);
  });
  it('keeps the value labels right of the target column clear of the "目标" labels', () => {
    const targets = textBoxes(svg, 'text', fontSize, true).filter((b) => b.text.startsWith('目标'));
    expect(targets).toHaveLength(nearTarget.length);
    for (const v of valueBoxes(svg)) for (const t of targets) expect(overlaps(v, t)).toBe(false);
  });
});

describe('ranked chart: a value near the axis', () => {
  it('puts the label above the dot when there is no room between the dot and the district names', () => {
    const jinkouhe = districts.find((a) => a.code === '511113')!;
    const near = { ...jinkouhe, rural_orgs: 1, rural_per_unit: 0.04, rural_target: 4, rural_status: 'not_met' as const };
    const svg = parse(rankedDensityChart([near], 'rural', labels));
    const [box] = valueBoxes(svg);
    const [tick] = ticks(svg);
    const dot = offset(svg.querySelector('g[aria-label="dot"] path'));
    expect(box.y2).toBeLessThan(dot[1] - 4); // above the dot (and the gap line through it)
    const [name] = textBoxes(svg, 'y-axis tick label', fontSize);
    expect(overlaps(box, name)).toBe(false);
    expect(box.x2).toBeLessThan(tick.x);
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

  it('starts the plotting area right of the longest (7-character) district name', () => {
    const svg = parse(rankedDensityChart(nearTarget, 'urban', labels));
    expect(plotLeft(svg)).toBeGreaterThanOrEqual(7 * fontSize);
    const names = textBoxes(svg, 'y-axis tick label', fontSize);
    expect(names.map((b) => b.text)).toContain('马边彝族自治县');
    for (const b of names) {
      expect(b.x1, b.text).toBeGreaterThanOrEqual(0);
      expect(b.x2, b.text).toBeLessThanOrEqual(plotLeft(svg));
    }
  });

  it('widens the figure for long English names instead of clipping them, and cuts absurd ones with "…"', () => {
    const english = ['Ebian Yi Autonomous County', 'Mabian Yi Autonomous County', 'Shizhong District'];
    const absurd = 'A'.repeat(80);
    const list = [...english, absurd].map((name, i) => withUrban(districts[i], 10 + i, 12, name));
    const svg = parse(rankedDensityChart(list, 'urban', { ...labels, target: 'Target' }));
    const names = textBoxes(svg, 'y-axis tick label', fontSize);
    expect(names.map((b) => b.text)).toEqual(expect.arrayContaining([...english, fitLabel(absurd, fontSize, MAX_ROW_LABEL_WIDTH)]));
    expect(names.find((b) => b.text.endsWith('…'))!.x2 - names.find((b) => b.text.endsWith('…'))!.x1).toBeLessThanOrEqual(MAX_ROW_LABEL_WIDTH);
    for (const b of names) expect(b.x1, b.text).toBeGreaterThanOrEqual(0);
    expect(plotLeft(svg)).toBeGreaterThanOrEqual(textWidth('Mabian Yi Autonomous County', fontSize));
    // the plotting area keeps its width
    expect(plotRight(svg) - plotLeft(svg)).toBeGreaterThan(RANKED_LAYOUT.minPlotWidth * 0.75);
  });

  it('leaves room on the right for the English target label', () => {
    const svg = parse(rankedDensityChart(districts, 'urban', { ...labels, target: 'Target' }));
    const targets = textBoxes(svg, 'text', fontSize, true).filter((b) => b.text.startsWith('Target'));
    expect(targets).toHaveLength(districts.length);
    for (const b of targets) expect(b.x2).toBeLessThanOrEqual(viewBoxWidth(svg));
  });

  it('keeps two districts with the same name on their own rows', () => {
    const twins = [withUrban(districts[0], 11, 15, '新区'), withUrban(districts[1], 9, 10, '新区')];
    const svg = parse(rankedDensityChart(twins, 'urban', labels));
    expect(textBoxes(svg, 'y-axis tick label', fontSize).map((b) => b.text)).toEqual(['新区', '新区']);
    expect(ticks(svg)).toHaveLength(2);
  });
});

describe('fitLabel', () => {
  it.each([
    ['峨边彝族自治县', 13, 200, '峨边彝族自治县'],
    ['峨边彝族自治县', 13, 52, '峨边彝…'],
    ['Ebian Yi Autonomous County', 10, 60, 'Ebian Yi…'],
  ])('fitLabel(%s, %i, %i) = %s', (text, size, max, out) => {
    expect(fitLabel(text, size, max)).toBe(out);
    expect(textWidth(out, size)).toBeLessThanOrEqual(max);
  });
});

describe('categoryMixChart margins', () => {
  it.each([
    ['zh-CN', ['功能服务型', '兴趣爱好型', '志愿服务型', '公益慈善型', '其他']],
    ['en', ['Service', 'Hobby and interest', 'Volunteer', 'Charity', 'Other']],
  ])('fits every %s category name left of the bars and every value inside the figure', (_, names) => {
    const data = names.map((label, i) => ({ label, value: [1234, 56, 7, 0, 89][i] }));
    const svg = parse(categoryMixChart(data, { axis: 'n', alt: 'mix', formatValue: (v) => v.toLocaleString('en') }));
    const left = Number([...svg.querySelectorAll('g[aria-label="bar"] rect')].map((r) => Number(r.getAttribute('x')) + offset(r)[0]).sort((a, b) => a - b)[0]);
    const rows = textBoxes(svg, 'y-axis tick label', 12);
    expect(rows.map((b) => b.text)).toEqual(names);
    for (const b of rows) {
      expect(b.x1, b.text).toBeGreaterThanOrEqual(0);
      expect(b.x2, b.text).toBeLessThanOrEqual(left);
    }
    const values = textBoxes(svg, 'text', 12);
    expect(values.map((b) => b.text)).toEqual(['1,234', '56', '7', '0', '89']);
    for (const b of values) expect(b.x2, b.text).toBeLessThanOrEqual(viewBoxWidth(svg));
  });
});
