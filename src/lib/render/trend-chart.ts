/**
 * Build-time trend charts: an area's urban and rural density at each year end and at the as-of date,
 * against its target line(s), with each deadline marked. Pure: data in, SVG string out (Plot on linkedom via
 * charts.ts renderPlot). No legend: lines are labelled at their ends; urban and rural also differ by symbol
 * (circle / square) so the chart reads in greyscale print.
 */
import * as Plot from '@observablehq/plot';
import { scaleLinear } from 'd3';
import { renderPlot, textWidth } from './plot';
import type { ProgressRow } from '../model/progress';
import type { AreaSeries } from '../model/timeseries';

export type DensityKind = 'urban' | 'rural';

export interface TrendTarget {
  kind: DensityKind;
  value: number;
  deadline: string; // ISO
}

export interface TrendLabels {
  kind: Record<DensityKind, string>; // 城市 / 农村
  axis: string; // y-axis label
  target: string; // "目标"
  deadline: (year: number) => string; // "2025年底"
  alt: (area: AreaSeries) => string;
}

const KIND_STYLE = {
  urban: { color: '#0072B2', symbol: 'circle' },
  rural: { color: '#009E73', symbol: 'square' },
} as const;

const toDate = (iso: string) => new Date(`${iso}T00:00:00Z`);
const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(2).replace(/0$/, ''));

/** Density targets of an area from progress rows (stepped targets give several). */
export function densityTargetsFromProgress(rows: ProgressRow[], areaCode: string): TrendTarget[] {
  return rows
    .filter((r) => r.area_code === areaCode && (r.metric === 'urban_orgs_per_unit' || r.metric === 'rural_orgs_per_unit'))
    .map((r) => ({ kind: r.metric === 'urban_orgs_per_unit' ? ('urban' as const) : ('rural' as const), value: r.target_value, deadline: r.deadline }))
    .sort((a, b) => (a.kind === b.kind ? (a.deadline < b.deadline ? -1 : 1) : a.kind === 'urban' ? -1 : 1));
}

interface LinePoint {
  key: string; // facet key (area code)
  kind: DensityKind;
  date: Date;
  value: number;
}

interface TargetSegment {
  key: string;
  kind: DensityKind;
  from: Date;
  to: Date;
  value: number;
  deadline: string;
}

function lineData(area: AreaSeries): LinePoint[] {
  const out: LinePoint[] = [];
  for (const kind of ['urban', 'rural'] as const) {
    for (const p of area.points) {
      const v = kind === 'urban' ? p.urban_per_unit : p.rural_per_unit;
      if (v !== null) out.push({ key: area.code, kind, date: toDate(p.date), value: v });
    }
  }
  return out;
}

/** Steps as a staircase: each step's line runs from the previous step's deadline (or the series start) to its own. */
function targetSegments(area: AreaSeries, targets: TrendTarget[]): TargetSegment[] {
  const start = toDate(area.points[0]?.date ?? targets[0]?.deadline);
  const out: TargetSegment[] = [];
  for (const kind of ['urban', 'rural'] as const) {
    let from = start;
    for (const t of targets.filter((x) => x.kind === kind).sort((a, b) => (a.deadline < b.deadline ? -1 : 1))) {
      const to = toDate(t.deadline);
      out.push({ key: area.code, kind, from: from < to ? from : start, to, value: t.value, deadline: t.deadline });
      from = to;
    }
  }
  return out;
}

/** Where the single chart's labels go so that the urban and rural ones never sit on each other. */
interface TrendLabelLayout {
  /** target labels written under their line instead of over it */
  targetsBelow: Set<TargetSegment>;
  /** vertical nudge of each kind's line-end label */
  endDy: Record<DensityKind, number>;
}

const NO_LAYOUT: TrendLabelLayout = { targetsBelow: new Set(), endDy: { urban: 0, rural: 0 } };

/** Geometry of the single trend chart (needed before drawing to place its labels). */
const TREND_LAYOUT = { width: 600, height: 300, marginLeft: 48, marginRight: 24, marginTop: 24, marginBottom: 32, fontSize: 12 } as const;

/**
 * Equal (or close) urban and rural targets draw their lines together, and their labels, both written above the
 * line from the same start, would overprint. For each such urban/rural pair the higher line keeps its label
 * above and the lower (rural when equal) writes its label below. Line-end labels closer than a line apart are
 * pushed apart symmetrically.
 */
function trendLabelLayout(
  segments: TargetSegment[],
  lastPoints: LinePoint[],
  labels: TrendLabels,
  yPx: (v: number) => number,
  xPx: (d: Date) => number,
): TrendLabelLayout {
  const { fontSize } = TREND_LAYOUT;
  const lineHeight = fontSize + 2;
  const targetsBelow = new Set<TargetSegment>();
  const span = (s: TargetSegment) => {
    const x = xPx(s.from) + 2;
    return [x, x + textWidth(targetText(s, labels), fontSize, true)] as const;
  };
  const urban = segments.filter((s) => s.kind === 'urban');
  const rural = segments.filter((s) => s.kind === 'rural');
  for (const u of urban) {
    for (const r of rural) {
      const [u1, u2] = span(u);
      const [r1, r2] = span(r);
      const sideBySide = u2 <= r1 || r2 <= u1;
      if (sideBySide || Math.abs(yPx(u.value) - yPx(r.value)) >= lineHeight) continue;
      targetsBelow.add(r.value > u.value ? u : r);
    }
  }
  const endDy = { urban: 0, rural: 0 };
  const u = lastPoints.find((l) => l.kind === 'urban');
  const r = lastPoints.find((l) => l.kind === 'rural');
  if (u && r) {
    const gap = yPx(r.value) - yPx(u.value); // > 0: urban drawn higher
    if (Math.abs(gap) < lineHeight) {
      const push = (lineHeight - Math.abs(gap)) / 2;
      const urbanUp = gap >= 0; // equal: urban on top, as for the targets
      endDy.urban = urbanUp ? -push : push;
      endDy.rural = urbanUp ? push : -push;
    }
  }
  return { targetsBelow, endDy };
}

const targetText = (s: TargetSegment, labels: TrendLabels) => `${labels.kind[s.kind]}${labels.target} ${fmt(s.value)}`;

function marks(
  lines: LinePoint[],
  segments: TargetSegment[],
  labels: TrendLabels,
  facet: boolean,
  lastDates: Map<string, Date>,
  layout: TrendLabelLayout = NO_LAYOUT,
) {
  const fxy = facet ? { fx: 'col', fy: 'row' } : {};
  const kinds = ['urban', 'rural'] as const;
  const lastPoints = kinds.flatMap((kind) =>
    [...lastDates.entries()].flatMap(([key, date]) => lines.filter((l) => l.kind === kind && l.key === key && +l.date === +date)),
  );
  const out: Plot.Markish[] = [];
  for (const kind of kinds) {
    const style = KIND_STYLE[kind];
    const mine = lines.filter((l) => l.kind === kind);
    const segs = segments.filter((s) => s.kind === kind);
    out.push(
      // Equal urban and rural targets share a line: rural's dashes fall in the middle of urban's gaps, so both
      // colours show and the line still reads as dashed.
      Plot.ruleY(segs, {
        x1: 'from', x2: 'to', y: 'value', stroke: style.color, strokeDasharray: '4,8', strokeDashoffset: kind === 'rural' ? 6 : 0,
        strokeWidth: 1.5, ...fxy, ariaHidden: 'true',
      }),
      Plot.lineY(mine, { x: 'date', y: 'value', z: 'key', stroke: style.color, strokeWidth: 2, ...fxy, ariaHidden: 'true' }),
      Plot.dot(mine, { x: 'date', y: 'value', symbol: style.symbol, fill: style.color, r: facet ? 2 : 3, ...fxy, ariaHidden: 'true' }),
    );
    if (!facet) {
      const targetLabel = (data: TargetSegment[], dy: number) =>
        data.length
          ? [Plot.text(data, {
            x: 'from', y: 'value', text: (s: TargetSegment) => targetText(s, labels),
            textAnchor: 'start', dy, dx: 2, fill: style.color, fontWeight: 'bold', ariaHidden: 'true',
          })]
          : [];
      out.push(
        ...targetLabel(segs.filter((s) => !layout.targetsBelow.has(s)), -7),
        ...targetLabel(segs.filter((s) => layout.targetsBelow.has(s)), 9),
        Plot.text(lastPoints.filter((l) => l.kind === kind), {
          x: 'date', y: 'value', text: (l: LinePoint) => `${labels.kind[kind]} ${fmt(l.value)}`,
          textAnchor: 'start', dx: 6, dy: layout.endDy[kind], fill: style.color, ariaHidden: 'true',
        }),
      );
    }
  }
  const deadlines = [...new Map(segments.map((s) => [`${s.key}|${s.deadline}`, s])).values()];
  const perKey = new Map<string, number>();
  for (const d of deadlines) perKey.set(d.key, (perKey.get(d.key) ?? 0) + 1);
  const deadlineYears = Math.max(0, ...perKey.values());
  out.push(
    Plot.ruleX(deadlines, { x: 'to', stroke: '#555', strokeDasharray: '2,3', ...fxy, ariaHidden: 'true' }),
    Plot.text(deadlines, {
      // Bottom corner, clear of the target labels (top-left) and the line-end labels.
      x: 'to', frameAnchor: facet ? 'top' : 'bottom', text: (s: TargetSegment) =>
        // Stepped deadlines a year apart: the year alone fits between them.
        deadlineYears > 1 ? s.deadline.slice(0, 4) : labels.deadline(Number(s.deadline.slice(0, 4))),
      textAnchor: 'end', dx: -3, dy: facet ? 2 : -4, fontSize: facet ? 9 : 11, fill: '#555', ...fxy, ariaHidden: 'true',
    }),
  );
  return out;
}

function xDomain(areas: AreaSeries[], segments: TargetSegment[]): [Date, Date] {
  const dates = [...areas.flatMap((a) => a.points.map((p) => toDate(p.date))), ...segments.map((s) => s.to)];
  const min = new Date(Math.min(...dates.map(Number)));
  const max = new Date(Math.max(...dates.map(Number)));
  return [min, new Date(Date.UTC(max.getUTCFullYear() + 1, 6, 1))]; // room for the end labels
}

function yMax(lines: LinePoint[], segments: TargetSegment[]): number {
  return Math.max(1, ...lines.map((l) => l.value), ...segments.map((s) => s.value)) * 1.1;
}

/** One area's urban and rural density series with its target line(s) and deadline(s). */
export function trendChart(area: AreaSeries, targets: TrendTarget[], labels: TrendLabels): string {
  const { width, height, marginLeft, marginRight, marginTop, marginBottom, fontSize } = TREND_LAYOUT;
  const lines = lineData(area);
  const segments = targetSegments(area, targets);
  const last = area.points.at(-1);
  const lastDates = new Map(last ? [[area.code, toDate(last.date)]] : []);
  // the scales, computed here (not by Plot) so label placement can be worked out in pixels
  const xDom = xDomain([area], segments);
  const yDom = scaleLinear().domain([0, yMax(lines, segments)]).nice().domain() as [number, number];
  const xPx = scaleLinear().domain(xDom.map(Number)).range([marginLeft, width - marginRight]);
  const yPx = scaleLinear().domain(yDom).range([height - marginBottom, marginTop]);
  const lastPoints = lines.filter((l) => last && +l.date === +toDate(last.date));
  const layout = trendLabelLayout(segments, lastPoints, labels, (v) => yPx(v), (d) => xPx(+d));
  return renderPlot(
    {
      width,
      height,
      marginLeft,
      marginRight,
      marginTop,
      marginBottom,
      style: { fontSize: `${fontSize}px`, background: 'transparent' },
      x: { type: 'utc', domain: xDom, ticks: 'year', tickFormat: '%Y', label: null },
      y: { domain: yDom, label: labels.axis, labelArrow: 'none', grid: true },
      marks: [Plot.ruleY([0]), ...marks(lines, segments, labels, false, lastDates, layout)],
    },
    labels.alt(area),
  );
}

/**
 * Small multiples: every district on the same axes (shared y, so heights compare), its own target lines and
 * deadlines, its name in the panel's corner.
 */
export function trendSmallMultiples(
  areas: AreaSeries[],
  targetsByCode: Map<string, TrendTarget[]>,
  options: { columns?: number; alt: string; labels: TrendLabels },
): string {
  const labels = options.labels;
  const columns = options.columns ?? 3;
  const position = new Map(areas.map((a, i) => [a.code, { col: i % columns, row: Math.floor(i / columns) }]));
  const place = <T extends { key: string }>(d: T) => ({ ...d, ...position.get(d.key)! });
  const lines = areas.flatMap(lineData).map(place);
  const segments = areas.flatMap((a) => targetSegments(a, targetsByCode.get(a.code) ?? [])).map(place);
  const rows = Math.ceil(areas.length / columns);
  const names = areas.map((a) => ({ key: a.code, name: a.name, ...position.get(a.code)! }));
  return renderPlot(
    {
      width: 200 * columns + 40,
      height: 130 * rows + 40,
      marginLeft: 36,
      marginRight: 8,
      marginTop: 8,
      marginBottom: 28,
      style: { fontSize: '10px', background: 'transparent' },
      fx: { axis: null, padding: 0.12 },
      fy: { axis: null, padding: 0.18 },
      x: { type: 'utc', domain: xDomain(areas, segments), ticks: 'year', tickFormat: '%y', label: null },
      y: { domain: [0, yMax(lines, segments)], label: null, grid: true, nice: true, ticks: 4 },
      marks: [
        Plot.frame({ stroke: '#ddd', ariaHidden: 'true' }),
        ...marks(lines, segments, labels, true, new Map()),
        Plot.text(names, { fx: 'col', fy: 'row', text: 'name', frameAnchor: 'top-left', dx: 4, dy: 4, fontWeight: 'bold', ariaHidden: 'true' }),
      ],
    },
    options.alt,
  );
}
