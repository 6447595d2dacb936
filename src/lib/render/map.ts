/**
 * Build-time choropleth: county shapes → a complete, accessible SVG string (maps at every level: src/lib/render/choropleth.ts).
 * Pure: no DOM, no randomness, no clock; the same inputs give the same bytes.
 *
 *   const counties = childrenShapes('511100');   // src/lib/ingest/boundaries.ts
 *   const svg = renderChoropleth({ features: counties.features, values, width: 640, height: 520, … });
 */
import { geoCentroid, geoContains, geoMercator, geoPath, type GeoProjection } from 'd3-geo';
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';

export interface CountyProperties {
  code: string; // 6-digit NBS 2023 code
  name: string; // NBS 2023 name
}
export type CountyFeature = Feature<Polygon | MultiPolygon, CountyProperties>;
export type CountyCollection = FeatureCollection<Polygon | MultiPolygon, CountyProperties>;

// ───────────────────────────── palette and bins ─────────────────────────────

/** Attainment thresholds (organizations per community ÷ target): < 50 %, 50–75 %, 75–100 %, ≥ 100 %. */
export const ATTAINMENT_BINS: readonly number[] = [0.5, 0.75, 1];

/**
 * ColorBrewer YlGnBu, 4 classes: colour-blind safe and print friendly, luminance strictly decreasing, so the
 * bins stay ordered in greyscale. Darker = closer to (or above) the target.
 */
export const ATTAINMENT_PALETTE: readonly string[] = ['#ffffcc', '#a1dab4', '#41b6c4', '#225ea8'];

/** Fill behind the no-data hatch, and the hatch lines. */
const NO_DATA_BACKGROUND = '#ffffff';
const NO_DATA_HATCH = '#737373';

/** Index of the bin a value falls in, like d3.scaleThreshold: bins[i-1] ≤ v < bins[i]. */
export function binIndex(value: number, bins: readonly number[]): number {
  let i = 0;
  while (i < bins.length && value >= bins[i]) i++;
  return i;
}

function formatPercent(ratio: number): string {
  // At most one decimal, no trailing ".0": 0.75 → "75%", 0.333 → "33.3%".
  return `${Math.round(ratio * 1000) / 10}%`;
}

/** Legend text for each bin, e.g. [0.5, 0.75, 1] → ["< 50%", "50%–75%", "75%–100%", "≥ 100%"]. */
export function attainmentBinLabels(bins: readonly number[], format: (ratio: number) => string = formatPercent): string[] {
  if (bins.length === 0) return ['all'];
  const labels = [`< ${format(bins[0])}`];
  for (let i = 1; i < bins.length; i++) labels.push(`${format(bins[i - 1])}–${format(bins[i])}`);
  labels.push(`≥ ${format(bins[bins.length - 1])}`);
  return labels;
}

/** WCAG relative luminance of a #rrggbb colour (0 = black, 1 = white). */
export function relativeLuminance(hex: string): number {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`not a #rrggbb colour: "${hex}"`);
  const [r, g, b] = [m[1], m[2], m[3]].map((h) => {
    const c = parseInt(h, 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

// ───────────────────────────── escaping ─────────────────────────────

/** Escape text for XML/SVG content and double- or single-quoted attributes; drops characters XML 1.0 forbids. */
export function escapeXml(text: string): string {
  return String(text)
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

// ───────────────────────────── winding ─────────────────────────────

// Moved to core so the boundary build and reader share it; re-exported for existing callers.
export { ringSignedArea, rewindForD3 } from '../core/geo';
import { ringSignedArea, rewindForD3 } from '../core/geo';

// Boundaries are read by src/lib/ingest/boundaries.ts (childrenShapes, locatorShapes) from data/boundaries/.

// ───────────────────────────── label placement ─────────────────────────────

type Point = [number, number];

function projectRing(ring: Position[], projection: GeoProjection): Point[] {
  return ring.map((p) => projection([p[0], p[1]]) as Point);
}

/** Sorted positions where the line (axis coordinate = c) crosses the rings; half-open rule, so a vertex counts once. */
function crossings(rings: Point[][], c: number, axis: 0 | 1): number[] {
  const other = axis === 0 ? 1 : 0;
  const xs: number[] = [];
  for (const ring of rings) {
    for (let i = 0, n = ring.length; i < n; i++) {
      const a = ring[i];
      const b = ring[(i + 1) % n];
      if (a[axis] <= c !== b[axis] <= c) xs.push(a[other] + ((c - a[axis]) / (b[axis] - a[axis])) * (b[other] - a[other]));
    }
  }
  return xs.sort((p, q) => p - q);
}

/** Inside-run containing t on a sorted crossing list, or null. */
function runAround(xs: number[], t: number): [number, number] | null {
  for (let i = 0; i + 1 < xs.length; i += 2) if (xs[i] <= t && t <= xs[i + 1]) return [xs[i], xs[i + 1]];
  return null;
}

/**
 * An interior point of a projected polygon (outer ring + holes), far from its edges: scan horizontal lines, take
 * each inside run's midpoint and score it by the shorter of its horizontal and vertical inside extents.
 * A cheap, deterministic stand-in for polylabel.
 */
export function interiorPoint(rings: Point[][], samples = 48): Point {
  const ys = rings[0].map((p) => p[1]);
  const minY = Math.min(...ys);
  const maxY = Math.max(...ys);
  let best: Point = rings[0][0];
  let bestScore = -Infinity;
  for (let k = 0; k < samples; k++) {
    const y = minY + ((k + 0.5) / samples) * (maxY - minY);
    const xs = crossings(rings, y, 1);
    for (let i = 0; i + 1 < xs.length; i += 2) {
      const x = (xs[i] + xs[i + 1]) / 2;
      const vertical = runAround(crossings(rings, x, 0), y);
      const score = Math.min(xs[i + 1] - xs[i], vertical ? vertical[1] - vertical[0] : 0);
      if (score > bestScore) {
        bestScore = score;
        best = [x, y];
      }
    }
  }
  return best;
}

function planarArea(ring: Point[]): number {
  return Math.abs(ringSignedArea(ring));
}

/**
 * Where to put a county's name, in projected (pixel) coordinates: the spherical centroid when it lies inside the
 * county, else an interior point of the largest part (a concave or crescent county's centroid can fall outside).
 */
export function labelPoint(f: Feature<Polygon | MultiPolygon>, projection: GeoProjection): { point: Point; method: 'centroid' | 'interior' } {
  const centroid = geoCentroid(f);
  if (geoContains(f, centroid)) {
    return { point: projection(centroid) as Point, method: 'centroid' };
  }
  const polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
  const projected = polygons.map((rings) => rings.map((r) => projectRing(r, projection)));
  const largest = projected.reduce((a, b) => (planarArea(b[0]) > planarArea(a[0]) ? b : a));
  return { point: interiorPoint(largest), method: 'interior' };
}

// ───────────────────────────── rendering ─────────────────────────────

export interface ChoroplethOptions {
  /** County features (rings are rewound for d3 here, so RFC 7946 winding is fine). */
  features: CountyFeature[];
  /** code → attainment ratio (density ÷ target); null or absent = no data (hatched). */
  values: Map<string, number | null>;
  width: number;
  height: number;
  title: string;
  desc: string;
  /** Prefix for the ids inside the SVG (title, desc, patterns); must be unique on the page. */
  id: string;
  /** Text drawn on the map, e.g. the county name. */
  label: (code: string) => string;
  /** Hover text (<title> of the county's path). */
  tooltip: (code: string) => string;
  /** Link target per county (relative or http(s)); turns each county into a link. */
  href?: (code: string) => string;
  /** Ascending thresholds, e.g. ATTAINMENT_BINS. */
  bins: readonly number[];
  /** bins.length + 1 colours (#rrggbb), lightest = farthest from target, e.g. ATTAINMENT_PALETTE. */
  colors: readonly string[];
  /** Also mark each bin above the first with a dot texture, denser for higher bins (status not by colour alone). */
  patterns?: boolean;
  /** Legend heading; default "达标率（密度÷目标）". */
  legendTitle?: string;
  /** Legend text per bin; default attainmentBinLabels(bins). */
  binLabels?: readonly string[];
  /** Legend text for the hatch; default "无数据 / no data". */
  noDataLabel?: string;
  /** Label font size in px; default 12. */
  fontSize?: number;
}

const LEGEND_WIDTH = 150;
const PAD = 8;
const SWATCH = 14;
const LEGEND_ROW = 20;
const FONT_FAMILY = "system-ui, -apple-system, 'PingFang SC', 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif";

const r1 = (v: number): number => Math.round(v * 10) / 10;

function checkHref(url: string, code: string): string {
  // Escaping stops markup injection but not a javascript: URL; only relative and http(s) links are allowed.
  const scheme = /^\s*([a-z][a-z0-9+.-]*):/i.exec(url);
  if (scheme && !/^https?$/i.test(scheme[1])) throw new Error(`renderChoropleth: href for ${code} has a disallowed scheme "${scheme[1]}:"`);
  return url;
}

function validate(opts: ChoroplethOptions): void {
  const { bins, colors, id, width, height, features, values } = opts;
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(id)) throw new Error(`renderChoropleth: id "${id}" must match [A-Za-z][A-Za-z0-9_-]* (it is used in url(#…))`);
  if (!(width > LEGEND_WIDTH + 2 * PAD + 50) || !(height > 2 * PAD + 50)) {
    throw new Error(`renderChoropleth: ${width}×${height} is too small (width must exceed ${LEGEND_WIDTH + 2 * PAD + 50})`);
  }
  for (let i = 0; i < bins.length; i++) {
    if (!Number.isFinite(bins[i]) || (i > 0 && !(bins[i] > bins[i - 1]))) throw new Error(`renderChoropleth: bins must be finite and strictly ascending, got [${bins.join(', ')}]`);
  }
  if (colors.length !== bins.length + 1) throw new Error(`renderChoropleth: ${bins.length} bins need ${bins.length + 1} colours, got ${colors.length}`);
  for (const c of colors) relativeLuminance(c); // throws on anything but #rrggbb
  if (opts.binLabels && opts.binLabels.length !== colors.length) throw new Error(`renderChoropleth: binLabels needs ${colors.length} entries, got ${opts.binLabels.length}`);
  if (features.length === 0) throw new Error('renderChoropleth: no features');
  const codes = new Set(features.map((f) => f.properties.code));
  if (codes.size !== features.length) throw new Error('renderChoropleth: duplicate feature codes');
  for (const code of values.keys()) if (!codes.has(code)) throw new Error(`renderChoropleth: value for ${code}, which is not on the map`);
}

function dotPattern(id: string, bin: number, fill: string): string {
  // Spacing 8, 6, 4… px: denser dots for higher bins; dot colour contrasts with the bin's fill.
  const s = Math.max(3, 10 - 2 * bin);
  const dot = relativeLuminance(fill) > 0.35 ? '#000000' : '#ffffff';
  return `<pattern id="${id}-p${bin}" patternUnits="userSpaceOnUse" width="${s}" height="${s}"><circle cx="${s / 2}" cy="${s / 2}" r="1" fill="${dot}" fill-opacity="0.6"/></pattern>`;
}

/**
 * A complete SVG choropleth: one <path data-code> per county with a <title> tooltip (wrapped in <a> when href is
 * given), name labels with a white halo, counties without a value hatched, and a threshold legend with a no-data
 * swatch. The root has role="img" and aria-labelledby/aria-describedby its <title>/<desc>; with links it has
 * role="group" instead, because links inside role="img" are hidden from assistive technology (axe nested-interactive).
 */
export function renderChoropleth(opts: ChoroplethOptions): string {
  validate(opts);
  const { values, width, height, id, bins, colors, label, tooltip, href } = opts;
  const fontSize = opts.fontSize ?? 12;
  // Rewind here too (idempotent): a feature wound the RFC 7946 way would otherwise paint the whole globe.
  const features = opts.features.map((f) => rewindForD3(f)).sort((a, b) => a.properties.code.localeCompare(b.properties.code));
  const collection: CountyCollection = { type: 'FeatureCollection', features };
  const projection = geoMercator().fitExtent(
    [
      [PAD, PAD],
      [width - LEGEND_WIDTH - PAD, height - PAD],
    ],
    collection,
  );
  const path = geoPath(projection).digits(1);
  const hatch = `url(#${id}-nodata)`;

  const defs: string[] = [
    `<pattern id="${id}-nodata" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">` +
      `<rect width="6" height="6" fill="${NO_DATA_BACKGROUND}"/><line x1="1.5" y1="0" x2="1.5" y2="6" stroke="${NO_DATA_HATCH}" stroke-width="1.5"/></pattern>`,
  ];
  if (opts.patterns) for (let b = 1; b < colors.length; b++) defs.push(dotPattern(id, b, colors[b]));

  const shapes: string[] = [];
  const labels: string[] = [];
  for (const f of features) {
    const code = f.properties.code;
    const raw = values.get(code);
    const value = typeof raw === 'number' && Number.isFinite(raw) ? raw : null;
    const bin = value === null ? null : binIndex(value, bins);
    const d = path(f) ?? '';
    const fill = bin === null ? hatch : colors[bin];
    const tip = escapeXml(tooltip(code));
    const dataValue = value === null ? 'data-status="no-data"' : `data-value="${Math.round(value * 1000) / 1000}" data-bin="${bin}"`;
    let shape = `<path d="${d}" fill="${fill}" data-code="${escapeXml(code)}" ${dataValue}><title>${tip}</title></path>`;
    if (opts.patterns && bin !== null && bin > 0) shape += `<path d="${d}" fill="url(#${id}-p${bin})" stroke="none" pointer-events="none" aria-hidden="true"/>`;
    if (href) shape = `<a href="${escapeXml(checkHref(href(code), code))}" aria-label="${tip}">${shape}</a>`;
    shapes.push(shape);
    const { point } = labelPoint(f, projection);
    labels.push(`<text x="${r1(point[0])}" y="${r1(point[1])}" dy="0.35em">${escapeXml(label(code))}</text>`);
  }

  // Legend: heading, one swatch per bin (darkest = best first), then the no-data hatch.
  const binText = opts.binLabels ?? attainmentBinLabels(bins);
  const legend: string[] = [`<text x="0" y="${fontSize}" font-weight="bold">${escapeXml(opts.legendTitle ?? '达标率（密度÷目标）')}</text>`];
  const rows: { fill: string; overlay: string | null; text: string }[] = [];
  for (let b = colors.length - 1; b >= 0; b--) {
    rows.push({ fill: colors[b], overlay: opts.patterns && b > 0 ? `url(#${id}-p${b})` : null, text: binText[b] });
  }
  rows.push({ fill: hatch, overlay: null, text: opts.noDataLabel ?? '无数据 / no data' });
  rows.forEach((row, i) => {
    const y = fontSize + 8 + i * LEGEND_ROW;
    legend.push(
      `<rect x="0" y="${y}" width="${SWATCH}" height="${SWATCH}" fill="${row.fill}" stroke="#666666" stroke-width="0.8"/>` +
        (row.overlay ? `<rect x="0" y="${y}" width="${SWATCH}" height="${SWATCH}" fill="${row.overlay}"/>` : '') +
        `<text x="${SWATCH + 6}" y="${y + SWATCH - 3}">${escapeXml(row.text)}</text>`,
    );
  });
  const legendHeight = fontSize + 8 + rows.length * LEGEND_ROW;
  const legendX = width - LEGEND_WIDTH + PAD;
  const legendY = Math.max(PAD, height - PAD - legendHeight);

  const linked = href !== undefined;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" id="${id}" class="choropleth" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" ` +
    `role="${linked ? 'group' : 'img'}" aria-labelledby="${id}-title" aria-describedby="${id}-desc" font-family="${escapeXml(FONT_FAMILY)}" font-size="${fontSize}">` +
    `<title id="${id}-title">${escapeXml(opts.title)}</title><desc id="${id}-desc">${escapeXml(opts.desc)}</desc>\n` +
    `<defs>${defs.join('')}</defs>\n` +
    `<g class="counties" stroke="#666666" stroke-width="0.8" stroke-linejoin="round">\n${shapes.join('\n')}\n</g>\n` +
    `<g class="labels" aria-hidden="true" text-anchor="middle" fill="#1a1a1a" stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke" pointer-events="none">\n` +
    `${labels.join('\n')}\n</g>\n` +
    `<g class="legend" transform="translate(${r1(legendX)},${r1(legendY)})" fill="#1a1a1a">\n${legend.join('\n')}\n</g>\n` +
    `</svg>\n`
  );
}
