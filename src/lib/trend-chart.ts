/**
 * Build-time trend charts (issue 5): an area's urban and rural density at each year end and at the as-of date,
 * against its target line(s), with each deadline marked. Pure: data in, SVG string out (Plot on linkedom via
 * charts.ts renderPlot). No legend: lines are labelled at their ends; urban and rural also differ by symbol
 * (circle / square) so the chart reads in greyscale print.
 */
import * as Plot from '@observablehq/plot';
import { renderPlot } from './charts';
import type { ProgressRow } from './progress';
import type { AreaSeries } from './timeseries';

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

export const TREND_LABELS_ZH: TrendLabels = {
  kind: { urban: '城市', rural: '农村' },
  axis: '社区平均组织数（个/社区）',
  target: '目标',
  deadline: (year) => `期限 ${year}`,
  alt: (a) => `${a.name}城市、农村社区平均社区社会组织数的年度变化及目标`,
};

export const TREND_LABELS_EN: TrendLabels = {
  kind: { urban: 'Urban', rural: 'Rural' },
  axis: 'Organizations per community',
  target: ' target', // appended to the kind: "Urban target 15"
  deadline: (year) => `deadline ${year}`,
  alt: (a) => `${a.name}: organizations per urban and rural community over time, with targets`,
};

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

function marks(lines: LinePoint[], segments: TargetSegment[], labels: TrendLabels, facet: boolean, lastDates: Map<string, Date>) {
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
      Plot.ruleY(segs, { x1: 'from', x2: 'to', y: 'value', stroke: style.color, strokeDasharray: '5,4', strokeWidth: 1.5, ...fxy, ariaHidden: 'true' }),
      Plot.lineY(mine, { x: 'date', y: 'value', z: 'key', stroke: style.color, strokeWidth: 2, ...fxy, ariaHidden: 'true' }),
      Plot.dot(mine, { x: 'date', y: 'value', symbol: style.symbol, fill: style.color, r: facet ? 2 : 3, ...fxy, ariaHidden: 'true' }),
    );
    if (!facet) {
      out.push(
        Plot.text(segs, {
          x: 'from', y: 'value', text: (s: TargetSegment) => `${labels.kind[kind]}${labels.target} ${fmt(s.value)}`,
          textAnchor: 'start', dy: -7, dx: 2, fill: style.color, fontWeight: 'bold', ariaHidden: 'true',
        }),
        Plot.text(lastPoints.filter((l) => l.kind === kind), {
          x: 'date', y: 'value', text: (l: LinePoint) => `${labels.kind[kind]} ${fmt(l.value)}`,
          textAnchor: 'start', dx: 6, fill: style.color, ariaHidden: 'true',
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
export function trendChart(area: AreaSeries, targets: TrendTarget[], labels: TrendLabels = TREND_LABELS_ZH): string {
  const lines = lineData(area);
  const segments = targetSegments(area, targets);
  const last = area.points.at(-1);
  return renderPlot(
    {
      width: 600,
      height: 300,
      marginLeft: 48,
      marginRight: 24,
      marginTop: 24,
      marginBottom: 32,
      style: { fontSize: '12px', background: 'transparent' },
      x: { type: 'utc', domain: xDomain([area], segments), ticks: 'year', tickFormat: '%Y', label: null },
      y: { domain: [0, yMax(lines, segments)], label: labels.axis, labelArrow: 'none', grid: true, nice: true },
      marks: [Plot.ruleY([0]), ...marks(lines, segments, labels, false, new Map(last ? [[area.code, toDate(last.date)]] : []))],
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
  options: { columns?: number; alt: string; labels?: TrendLabels },
): string {
  const labels = options.labels ?? TREND_LABELS_ZH;
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
