import * as Plot from '@observablehq/plot';
import { scaleLinear } from 'd3';
import type { AreaAggregate } from '../core/types';
import { CHART_COLORS, fitLabel, MAX_ROW_LABEL_WIDTH, renderPlot, textWidth } from './plot';
import { attainment, perUnit, rankByAttainment, statusOf, targetOf, type DensityKind } from '../model/density';

/**
 * Build-time charts: pure functions from data to an SVG string (Observable Plot on a linkedom document).
 * All text goes through DOM text nodes, which linkedom escapes on serialisation, so names from user
 * input cannot inject markup. Output is deterministic (no ids, no random, no dates).
 */

export interface RankedChartLabels {
  /** x-axis label, e.g. "社区平均组织数（个/社区）" */
  axis: string;
  /** prefix of the target label per row, e.g. "目标" → "目标 15" */
  target: string;
  /** formats a density for labels (2 decimals) */
  formatValue: (v: number) => string;
  /** formats a target (15, not 15.00) */
  formatTarget: (v: number) => string;
  /** the row's tooltip / title text */
  title: (area: AreaAggregate, value: number | null, target: number | null) => string;
  /** the whole figure's text alternative */
  alt: string;
}

export interface RankedRow {
  code: string;
  name: string;
  value: number | null;
  target: number | null;
  attainment: number | null;
  met: boolean;
}

/** Rows of the ranked chart, best attainment first (also used for the chart's data table). */
export function rankedRows(list: AreaAggregate[], kind: DensityKind): RankedRow[] {
  return rankByAttainment(list, kind).map((a) => ({
    code: a.code,
    name: a.name,
    value: a.has_data ? perUnit(a, kind) : null,
    target: targetOf(a, kind),
    attainment: attainment(a, kind),
    met: statusOf(a, kind) === 'met',
  }));
}

/** Left margin for row labels: the widest (fitted) label, the axis tick padding and a little air. */
function rowLabelMargin(names: string[], fontSize: number): number {
  return 16 + Math.max(2 * fontSize, ...names.map((n) => textWidth(fitLabel(n, fontSize, MAX_ROW_LABEL_WIDTH), fontSize)));
}

/** Where a row's value label goes: beside the dot away from its target tick, or above the dot when neither side fits. */
export type ValueLabelSide = 'right' | 'left' | 'above';

/** Geometry of the ranked chart, computed before Plot draws it so label placement is known (and testable). */
export const RANKED_LAYOUT = {
  fontSize: 13,
  valueFontSize: 11,
  rowHeight: 30,
  dotRadius: 6,
  /** from the dot's centre to the near end of its value label */
  valueGap: 10,
  /** the least width of the plotting area; the figure widens rather than squeezing it */
  minPlotWidth: 380,
  minWidth: 560,
} as const;

/**
 * Every district on its own row: a dot for its density, a tick for its own tier target (so 市中区's 15
 * and 马边县's 10 are each read against the right line), a thin link showing the gap, and the target
 * written at the right edge. Met = filled circle, not met = cross.
 * The value label sits beside its dot on the side away from the target tick, so the two never overlap.
 */
export function rankedDensityChart(list: AreaAggregate[], kind: DensityKind, labels: RankedChartLabels): string {
  const { fontSize, valueFontSize, rowHeight, valueGap, minPlotWidth, minWidth } = RANKED_LAYOUT;
  const rows = rankedRows(list, kind);
  const byCode = new Map(list.map((a) => [a.code, a]));
  const nameOf = new Map(rows.map((r) => [r.code, fitLabel(r.name, fontSize, MAX_ROW_LABEL_WIDTH)]));
  const withValue = rows.filter((r) => r.value !== null);
  const withTarget = rows.filter((r) => r.target !== null);
  const marginTop = 24;
  const marginBottom = 40;
  const marginLeft = rowLabelMargin(rows.map((r) => r.name), fontSize);
  const targetLabel = (r: RankedRow) => `${labels.target} ${labels.formatTarget(r.target as number)}`;
  const marginRight = 14 + Math.max(40, ...withTarget.map((r) => textWidth(targetLabel(r), fontSize, true)));
  const width = Math.max(minWidth, marginLeft + minPlotWidth + marginRight);
  const plotWidth = width - marginLeft - marginRight;

  const valueText = (r: RankedRow) => labels.formatValue(r.value as number);
  const valueWidth = (r: RankedRow) => textWidth(valueText(r), valueFontSize);
  // Reached (or no target): the tick is at or left of the dot, so the label goes right.
  const prefersRight = (r: RankedRow) => r.target === null || (r.value as number) >= r.target;
  // x domain wide enough for every target and for each right-hand value label to end inside the plot.
  let needed = Math.max(1, ...withValue.map((r) => r.value as number), ...withTarget.map((r) => r.target as number));
  for (const r of withValue.filter(prefersRight)) {
    const room = plotWidth - valueGap - valueWidth(r);
    if (room > 0) needed = Math.max(needed, ((r.value as number) * plotWidth) / room);
  }
  const xMax = scaleLinear().domain([0, needed]).nice().domain()[1];
  const px = (v: number) => (v / xMax) * plotWidth;
  const side = (r: RankedRow): ValueLabelSide => {
    if (prefersRight(r)) return 'right';
    const x = px(r.value as number);
    if (x - valueGap - valueWidth(r) >= 0) return 'left';
    return 'above';
  };
  const sideOf = new Map(withValue.map((r) => [r.code, side(r)]));
  const valueMark = (where: ValueLabelSide, options: Plot.TextOptions) => {
    const data = withValue.filter((r) => sideOf.get(r.code) === where);
    return data.length ? [Plot.text(data, { x: 'value', y: 'code', text: valueText, fontSize: valueFontSize, ...options })] : [];
  };
  const dotTitle = (r: RankedRow) => labels.title(byCode.get(r.code)!, r.value, r.target);

  return renderPlot(
    {
      width,
      height: marginTop + marginBottom + rowHeight * rows.length,
      marginLeft,
      marginRight,
      marginTop,
      marginBottom,
      style: { fontSize: `${fontSize}px`, background: 'transparent' },
      x: { domain: [0, xMax], label: labels.axis, labelAnchor: 'center', labelArrow: 'none', grid: true },
      // rows keyed by code (two districts may share a name); the tick shows the (fitted) name
      y: { domain: rows.map((r) => r.code), label: null, tickSize: 0, tickFormat: (code: string) => nameOf.get(code) ?? code },
      marks: [
        Plot.link(
          rows.filter((r) => r.value !== null && r.target !== null),
          { x1: 'value', x2: 'target', y1: 'code', y2: 'code', stroke: CHART_COLORS.link, strokeWidth: 1.5 },
        ),
        Plot.tickX(withTarget, { x: 'target', y: 'code', stroke: CHART_COLORS.target, strokeWidth: 2.5 }),
        Plot.dot(
          withValue.filter((r) => r.met),
          { x: 'value', y: 'code', r: RANKED_LAYOUT.dotRadius, symbol: 'circle', fill: CHART_COLORS.met, stroke: 'white', title: dotTitle },
        ),
        Plot.dot(
          withValue.filter((r) => !r.met),
          { x: 'value', y: 'code', r: RANKED_LAYOUT.dotRadius, symbol: 'times', stroke: CHART_COLORS.notMet, strokeWidth: 3, title: dotTitle },
        ),
        ...valueMark('right', { textAnchor: 'start', dx: valueGap }),
        ...valueMark('left', { textAnchor: 'end', dx: -valueGap }),
        // a dot too close to the axis for a label on its left: above it, clear of the gap line
        ...valueMark('above', { textAnchor: 'middle', dy: -12 }),
        Plot.text(withTarget, {
          y: 'code',
          frameAnchor: 'right',
          text: targetLabel,
          textAnchor: 'start',
          dx: 8,
          fontWeight: 'bold',
        }),
      ],
    },
    labels.alt,
  );
}

export interface BarDatum {
  label: string;
  value: number;
}

/** Horizontal bars with their value written at the end: the category / registration mix of an area. */
export function categoryMixChart(data: BarDatum[], labels: { axis: string; alt: string; formatValue: (v: number) => string }): string {
  const fontSize = 12;
  const rowHeight = 24;
  const plotWidth = 292;
  const valueGap = 4;
  const shown = new Map(data.map((d) => [d.label, fitLabel(d.label, fontSize, MAX_ROW_LABEL_WIDTH)]));
  const marginLeft = rowLabelMargin(data.map((d) => d.label), fontSize);
  const valueWidth = (d: BarDatum) => textWidth(labels.formatValue(d.value), fontSize);
  // the longest bar ends at the plot's right edge (nice domain or not): its value needs the margin
  const marginRight = Math.max(48, valueGap + 8 + Math.max(0, ...data.map(valueWidth)));
  const maxX = Math.max(1, ...data.map((d) => d.value));
  return renderPlot(
    {
      width: marginLeft + plotWidth + marginRight,
      height: 16 + 36 + rowHeight * data.length,
      marginLeft,
      marginRight,
      marginTop: 16,
      marginBottom: 36,
      style: { fontSize: `${fontSize}px`, background: 'transparent' },
      x: { domain: [0, maxX], label: labels.axis, labelAnchor: 'center', labelArrow: 'none', nice: true, grid: true },
      y: { domain: data.map((d) => d.label), label: null, tickSize: 0, tickFormat: (label: string) => shown.get(label) ?? label },
      marks: [
        Plot.barX(data, { x: 'value', y: 'label', fill: CHART_COLORS.bar, insetTop: 3, insetBottom: 3 }),
        Plot.text(data, { x: 'value', y: 'label', text: (d: BarDatum) => labels.formatValue(d.value), textAnchor: 'start', dx: valueGap }),
        Plot.ruleX([0]),
      ],
    },
    labels.alt,
  );
}
