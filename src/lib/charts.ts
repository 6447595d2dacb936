import * as Plot from '@observablehq/plot';
import { scaleLinear } from 'd3';
import { parseHTML } from 'linkedom';
import type { AreaAggregate } from './types';
import { escapeXml } from './map';
import { attainment, perUnit, rankByAttainment, statusOf, targetOf, type DensityKind } from './briefing';

/**
 * Build-time charts: pure functions from data to an SVG string (Observable Plot on a linkedom document).
 * All text goes through DOM text nodes, which linkedom escapes on serialisation, so names from user
 * input cannot inject markup. Output is deterministic (no ids, no random, no dates).
 */

/** Okabe–Ito: distinguishable with colour-blindness; met/not-met also differ by shape for greyscale print. */
export const CHART_COLORS = {
  met: '#0072B2',
  notMet: '#D55E00',
  target: '#222222',
  link: '#9a9a9a',
  bar: '#0072B2',
} as const;

function newDocument() {
  return parseHTML('<!doctype html><html><body></body></html>').document;
}

/**
 * Render a Plot figure to an SVG string with a text alternative.
 * Plot's <g aria-label> groups get role="group" (axe: aria-label is prohibited on a role-less <g>).
 */
export function renderPlot(options: Plot.PlotOptions, alt: string): string {
  const document = newDocument();
  const node = Plot.plot({ ...options, document } as Plot.PlotOptions) as unknown as Element;
  const svg = node.tagName.toLowerCase() === 'svg' ? node : node.querySelector('svg');
  if (!svg) throw new Error('Plot did not produce an <svg> (a legend on the figure?)');
  for (const g of svg.querySelectorAll('g[aria-label]')) g.setAttribute('role', 'group');
  svg.removeAttribute('aria-label');
  svg.removeAttribute('height'); // CSS sizes it; viewBox keeps the aspect ratio
  svg.setAttribute('preserveAspectRatio', 'xMinYMin meet');
  // linkedom escapes text nodes but leaves < and & raw in attributes: the alt text is escaped here, by us.
  return svg.outerHTML.replace(/^<svg /, `<svg role="img" aria-label="${escapeXml(alt)}" `);
}

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

/** Rough rendered width of a label: CJK glyphs are 1 em wide, Latin and digits about 0.6 em (0.65 bold). */
export function textWidth(text: string, fontSize: number, bold = false): number {
  let em = 0;
  for (const ch of text) em += /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/.test(ch) ? 1 : bold ? 0.65 : 0.6;
  return Math.ceil(em * fontSize);
}

/**
 * Every district on its own row: a dot for its density, a tick for its own tier target (so 市中区's 15
 * and 马边县's 10 are each read against the right line), a thin link showing the gap, and the target
 * written at the right edge. Met = filled circle, not met = cross.
 */
export function rankedDensityChart(list: AreaAggregate[], kind: DensityKind, labels: RankedChartLabels): string {
  const rows = rankedRows(list, kind);
  const byCode = new Map(list.map((a) => [a.code, a]));
  const withValue = rows.filter((r) => r.value !== null);
  const withTarget = rows.filter((r) => r.target !== null);
  const maxX = Math.max(1, ...withValue.map((r) => r.value as number), ...withTarget.map((r) => r.target as number));
  const rowHeight = 30;
  const marginTop = 24;
  // room for the longest district name (e.g. 峨边彝族自治县) and the longest target label ("Target 15")
  const marginLeft = Math.min(170, 16 + Math.max(26, ...rows.map((r) => textWidth(r.name, 13))));
  const targetLabel = (r: RankedRow) => `${labels.target} ${labels.formatTarget(r.target as number)}`;
  const marginRight = 14 + Math.max(40, ...withTarget.map((r) => textWidth(targetLabel(r), 13, true)));
  const marginBottom = 40;
  const width = 560;
  const xMax = scaleLinear().domain([0, Math.ceil(maxX * 1.15)]).nice().domain()[1];
  const px = (v: number) => (v / xMax) * (width - marginLeft - marginRight);
  const labelLeft = (r: RankedRow) =>
    r.target !== null && (r.value as number) < r.target && px(r.value as number) > textWidth(labels.formatValue(r.value as number), 11) + 16;
  return renderPlot(
    {
      width,
      height: marginTop + marginBottom + rowHeight * rows.length,
      marginLeft,
      marginRight,
      marginTop,
      marginBottom,
      style: { fontSize: '13px', background: 'transparent' },
      // headroom on the right for the value label of the highest dot
      x: { domain: [0, xMax], label: labels.axis, labelAnchor: 'center', labelArrow: 'none', grid: true },
      y: { domain: rows.map((r) => r.name), label: null, tickSize: 0 },
      marks: [
        Plot.link(
          rows.filter((r) => r.value !== null && r.target !== null),
          { x1: 'value', x2: 'target', y1: 'name', y2: 'name', stroke: CHART_COLORS.link, strokeWidth: 1.5 },
        ),
        Plot.tickX(withTarget, { x: 'target', y: 'name', stroke: CHART_COLORS.target, strokeWidth: 2.5 }),
        Plot.dot(
          withValue.filter((r) => r.met),
          {
            x: 'value',
            y: 'name',
            r: 6,
            symbol: 'circle',
            fill: CHART_COLORS.met,
            stroke: 'white',
            title: (r: RankedRow) => labels.title(byCode.get(r.code)!, r.value, r.target),
          },
        ),
        Plot.dot(
          withValue.filter((r) => !r.met),
          {
            x: 'value',
            y: 'name',
            r: 6,
            symbol: 'times',
            stroke: CHART_COLORS.notMet,
            strokeWidth: 3,
            title: (r: RankedRow) => labels.title(byCode.get(r.code)!, r.value, r.target),
          },
        ),
        // The value sits beside its dot, on the side away from the target tick, so the two never overlap:
        // right of the dot when the target is reached (tick to its left), left of it otherwise, unless the
        // dot is too close to the axis for the label to fit there.
        Plot.text(withValue.filter((r) => !labelLeft(r)), {
          x: 'value',
          y: 'name',
          text: (r: RankedRow) => labels.formatValue(r.value as number),
          textAnchor: 'start',
          dx: 10,
          fontSize: 11,
        }),
        Plot.text(withValue.filter(labelLeft), {
          x: 'value',
          y: 'name',
          text: (r: RankedRow) => labels.formatValue(r.value as number),
          textAnchor: 'end',
          dx: -10,
          fontSize: 11,
        }),
        Plot.text(withTarget, {
          y: 'name',
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
  const maxX = Math.max(1, ...data.map((d) => d.value));
  const rowHeight = 24;
  return renderPlot(
    {
      width: 420,
      height: 16 + 36 + rowHeight * data.length,
      marginLeft: 80,
      marginRight: 48,
      marginTop: 16,
      marginBottom: 36,
      style: { fontSize: '12px', background: 'transparent' },
      x: { domain: [0, maxX], label: labels.axis, labelAnchor: 'center', labelArrow: 'none', nice: true, grid: true },
      y: { domain: data.map((d) => d.label), label: null, tickSize: 0 },
      marks: [
        Plot.barX(data, { x: 'value', y: 'label', fill: CHART_COLORS.bar, insetTop: 3, insetBottom: 3 }),
        Plot.text(data, { x: 'value', y: 'label', text: (d: BarDatum) => labels.formatValue(d.value), textAnchor: 'start', dx: 4 }),
        Plot.ruleX([0]),
      ],
    },
    labels.alt,
  );
}
