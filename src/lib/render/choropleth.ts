/**
 * Build-time SVG maps at any level, from the shapes of src/lib/ingest/boundaries.ts (or their JSON copies):
 * - renderAreaMap: choropleth of an area's children coloured by attainment, "no data" hatched, context shapes
 *   (台湾省, 香港, 澳门, reserves) neutral, 境界线 drawn, a 南海诸岛 inset for national / 海南 maps, labels only
 *   where they fit and do not collide (the others are returned, for the table beside the map), threshold legend;
 * - renderLocator: a small map with one unit highlighted among its neighbours.
 * Pure: no DOM, no randomness, no clock; the same inputs give the same bytes.
 */
import { geoBounds, geoConicEqualArea, geoPath, type GeoPermissibleObjects, type GeoProjection } from 'd3-geo';
import type { Feature, MultiLineString, MultiPoint, MultiPolygon, Polygon, Position } from 'geojson';
import { rewindForD3 } from '../core/geo';
import { attainmentBinLabels, binIndex, escapeXml, labelPoint, relativeLuminance } from './map';

export type ShapeFeature = Feature<Polygon | MultiPolygon, { code: string; name: string; highlight?: boolean }>;
export type ContextFeature = Feature<Polygon | MultiPolygon, { code: string; name: string }>;
export type LineFeature = Feature<MultiLineString, { name?: string }>;

type Box = [[number, number], [number, number]]; // [[west, south], [east, north]] in degrees

export interface Inset {
  /** lon/lat box the main map is fitted to (parts outside are clipped) */
  main: Box;
  /** lon/lat box shown in the inset, bottom right of the map area */
  inset: Box;
  /** caption of the inset, e.g. 南海诸岛 */
  label: string;
  /** 'sea': bottom right, east of the main map's southern coast (national); 'column': top of the legend column (海南) */
  placement: 'sea' | 'column';
}

/** The usual 南海诸岛 inset of a national map (main map from 17.5°N up, so 西沙 and 南沙 are in the inset). */
export const NATIONAL_INSET: Inset = { main: [[73.4, 17.6], [135.1, 53.6]], inset: [[106.5, 2.8], [123.5, 24.8]], label: '南海诸岛', placement: 'sea' };
/** 海南省: 海南岛 and the prefectures around it in the main map, 三沙 (南海诸岛) in the inset. */
export const HAINAN_INSET: Inset = { main: [[108.5, 18.1], [111.1, 20.2]], inset: [[106.5, 2.8], [123.5, 24.8]], label: '南海诸岛', placement: 'column' };

/** The inset an area's map needs, if any (by area code). */
export function insetFor(areaCode: string): Inset | undefined {
  if (areaCode === '000000') return NATIONAL_INSET;
  if (areaCode === '460000') return HAINAN_INSET;
  return undefined;
}

export interface AreaMapOptions {
  features: ShapeFeature[];
  context?: ContextFeature[];
  lines?: LineFeature[];
  /** code → attainment ratio (density ÷ target); null or absent = no data (hatched) */
  values: Map<string, number | null>;
  width: number;
  height: number;
  title: string;
  desc: string;
  /** prefix for ids inside the SVG; unique on the page */
  id: string;
  /** map label of a unit (default: its name); only drawn where it fits */
  label?: (code: string) => string;
  /** hover text of a unit (<title>) */
  tooltip: (code: string) => string;
  /** link per unit (relative or http(s)): the root becomes role="group" */
  href?: (code: string) => string;
  bins: readonly number[];
  colors: readonly string[];
  legendTitle: string;
  binLabels?: readonly string[];
  noDataLabel: string;
  /** legend text for context shapes, e.g. "非统计单元 / not an NBS unit"; the swatch shows only when context is drawn */
  contextLabel?: string;
  inset?: Inset;
  fontSize?: number;
  /** decimals in path coordinates (default 1) */
  digits?: number;
}

export interface RenderedMap {
  svg: string;
  /** codes labelled on the map, and those too small or crowded to label (list them in the table) */
  labelled: string[];
  unlabelled: string[];
  /** bytes of path data (the d attributes), the bulk of the SVG */
  pathBytes: number;
}

const LEGEND_WIDTH = 150;
const PAD = 8;
const SWATCH = 14;
const LEGEND_ROW = 20;
const FONT_FAMILY = "system-ui, -apple-system, 'PingFang SC', 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif";
const NO_DATA_HATCH = '#737373';
const CONTEXT_FILL = '#e5e5e5';
const CONTEXT_STROKE = '#a3a3a3';
const LINE_STROKE = '#525252';

const r1 = (v: number) => Math.round(v * 10) / 10;

function checkHref(url: string, code: string): string {
  // Escaping stops markup injection, not a javascript: URL: only relative and http(s) links.
  const scheme = /^\s*([a-z][a-z0-9+.-]*):/i.exec(url);
  if (scheme && !/^https?$/i.test(scheme[1])) throw new Error(`renderAreaMap: href for ${code} has a disallowed scheme "${scheme[1]}:"`);
  return url;
}

/**
 * Drop an L command repeating the previous point (after rounding, many points of a small map coincide). Exact
 * repeats only, so both sides of a shared border stay identical.
 */
export function compactPath(d: string): string {
  let out = '';
  let prev = '';
  for (const cmd of d.match(/[MLZ][^MLZ]*/g) ?? []) {
    const point = cmd.slice(1);
    if (cmd[0] === 'L' && point === prev) continue;
    if (cmd[0] !== 'Z') prev = point;
    out += cmd;
  }
  return out;
}

/**
 * Integer path data of M/L/Z commands (compactPath's output at 0 digits) with every segment relative ("l-3-5 6,1"):
 * the same points, about a third fewer characters. Each subpath starts absolute (M). Other input is returned as is.
 */
export function relativePath(d: string): string {
  if (!/^(?:[MLZ](?:-?\d+,-?\d+)?)*$/.test(d)) return d;
  let out = '';
  let x = 0;
  let y = 0;
  let inLine = false;
  for (const cmd of d.match(/[MLZ][^MLZ]*/g) ?? []) {
    if (cmd[0] === 'Z') {
      out += 'Z';
      inLine = false;
      continue;
    }
    const [px, py] = cmd.slice(1).split(',').map(Number);
    if (cmd[0] === 'M') {
      out += `M${px},${py}`;
      inLine = false;
    } else {
      const dx = px - x;
      const dy = py - y;
      // "l" once per run; then pairs follow, a space before a non-negative one, nothing before a minus sign
      out += (inLine ? (dx < 0 ? '' : ' ') : 'l') + String(dx) + (dy < 0 ? '' : ',') + String(dy);
      inLine = true;
    }
    [x, y] = [px, py];
  }
  return out;
}

/** Equal-area conic centred on the shapes, fitted to the box (or the shapes) inside [x0,y0]–[x1,y1], clipped there. */
function fittedProjection(target: GeoPermissibleObjects, extent: [[number, number], [number, number]]): GeoProjection {
  const [[w], [e]] = geoBounds(target);
  const centre = (w + e) / 2;
  return geoConicEqualArea().parallels([25, 47]).rotate([-centre, 0]).fitExtent(extent, target).clipExtent(extent);
}

/** Every vertex of the shapes that lies inside the box: what the main map of an inset map is fitted to. */
function pointsInBox(shapes: Feature<Polygon | MultiPolygon>[], box: Box): MultiPoint {
  const [[w, s], [e, n]] = box;
  const pts: Position[] = [];
  for (const f of shapes) {
    const rings = f.geometry.type === 'Polygon' ? f.geometry.coordinates : f.geometry.coordinates.flat();
    for (const ring of rings) for (const p of ring) if (p[0] >= w && p[0] <= e && p[1] >= s && p[1] <= n) pts.push(p);
  }
  if (pts.length === 0) throw new Error(`renderAreaMap: no shape inside the inset's main box ${JSON.stringify(box)}`);
  return { type: 'MultiPoint', coordinates: pts };
}

function boxPoints(box: Box): MultiPoint {
  // Points along the box edges, so the fit covers the curved edges of the conic.
  const [[w, s], [e, n]] = box;
  const pts: Position[] = [];
  for (let i = 0; i <= 8; i++) {
    const x = w + ((e - w) * i) / 8;
    const y = s + ((n - s) * i) / 8;
    pts.push([x, s], [x, n], [w, y], [e, y]);
  }
  return { type: 'MultiPoint', coordinates: pts };
}

function bboxOf(f: Feature<Polygon | MultiPolygon | MultiLineString>): Box {
  const [[w, s], [e, n]] = geoBounds(f);
  return [[w, s], [e, n]];
}
const intersects = (a: Box, b: Box) => a[0][0] <= b[1][0] && b[0][0] <= a[1][0] && a[0][1] <= b[1][1] && b[0][1] <= a[1][1];

/** Text width estimate in px: CJK characters ≈ 1 em, others ≈ 0.6 em. */
export function textWidth(text: string, fontSize: number): number {
  let w = 0;
  for (const ch of text) w += /[\u2e80-\u9fff\uff00-\uffef]/.test(ch) ? 1 : 0.6;
  return w * fontSize;
}

function validate(opts: AreaMapOptions): void {
  const { bins, colors, id, width, height, features, values } = opts;
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(id)) throw new Error(`renderAreaMap: id "${id}" must match [A-Za-z][A-Za-z0-9_-]* (it is used in url(#…))`);
  if (!(width > LEGEND_WIDTH + 2 * PAD + 50) || !(height > 2 * PAD + 50)) throw new Error(`renderAreaMap: ${width}×${height} is too small`);
  for (let i = 0; i < bins.length; i++) {
    if (!Number.isFinite(bins[i]) || (i > 0 && !(bins[i] > bins[i - 1]))) throw new Error(`renderAreaMap: bins must be finite and strictly ascending, got [${bins.join(', ')}]`);
  }
  if (colors.length !== bins.length + 1) throw new Error(`renderAreaMap: ${bins.length} bins need ${bins.length + 1} colours, got ${colors.length}`);
  for (const c of colors) relativeLuminance(c);
  if (opts.binLabels && opts.binLabels.length !== colors.length) throw new Error(`renderAreaMap: binLabels needs ${colors.length} entries, got ${opts.binLabels.length}`);
  if (features.length === 0) throw new Error('renderAreaMap: no features');
  const codes = new Set(features.map((f) => f.properties.code));
  if (codes.size !== features.length) throw new Error('renderAreaMap: duplicate feature codes');
  for (const code of values.keys()) if (!codes.has(code)) throw new Error(`renderAreaMap: value for ${code}, which is not on the map`);
}

interface Placed { x0: number; y0: number; x1: number; y1: number }
const overlaps = (a: Placed, b: Placed) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/**
 * Labels that fit: the shape's projected area must hold the text box 2.5 times over and its bounds the text box;
 * placed largest shape first, skipping any that would overlap a placed label or leave the map area.
 */
function placeLabels(
  features: ShapeFeature[],
  projection: GeoProjection,
  label: (code: string) => string,
  fontSize: number,
  area: [[number, number], [number, number]],
  blocked: Placed[],
): { texts: string[]; labelled: string[]; unlabelled: string[] } {
  const path = geoPath(projection);
  const candidates = features
    .map((f) => ({ f, area: path.area(f), bounds: path.bounds(f) }))
    .sort((a, b) => b.area - a.area || a.f.properties.code.localeCompare(b.f.properties.code));
  const placed: Placed[] = [...blocked];
  const texts: { code: string; svg: string }[] = [];
  const labelled: string[] = [];
  for (const { f, area: a, bounds } of candidates) {
    const text = label(f.properties.code);
    const w = textWidth(text, fontSize);
    const h = fontSize * 1.2;
    const [[bx0, by0], [bx1, by1]] = bounds;
    if (!(a >= 2.5 * w * h && bx1 - bx0 >= w && by1 - by0 >= h)) continue;
    const { point } = labelPoint(f, projection);
    const box = { x0: point[0] - w / 2, y0: point[1] - h / 2, x1: point[0] + w / 2, y1: point[1] + h / 2 };
    if (box.x0 < area[0][0] || box.y0 < area[0][1] || box.x1 > area[1][0] || box.y1 > area[1][1]) continue;
    if (placed.some((p) => overlaps(p, box))) continue;
    placed.push(box);
    labelled.push(f.properties.code);
    texts.push({ code: f.properties.code, svg: `<text x="${r1(point[0])}" y="${r1(point[1])}" dy="0.35em">${escapeXml(text)}</text>` });
  }
  const done = new Set(labelled);
  const byCode = (a: string, b: string) => a.localeCompare(b);
  return {
    texts: texts.sort((a, b) => byCode(a.code, b.code)).map((t) => t.svg),
    labelled: labelled.sort(byCode),
    unlabelled: features.map((f) => f.properties.code).filter((c) => !done.has(c)).sort(byCode),
  };
}

/** A complete SVG choropleth of an area's children; see the file comment. */
export function renderAreaMap(opts: AreaMapOptions): RenderedMap {
  validate(opts);
  const { values, width, height, id, bins, colors, tooltip, href } = opts;
  const fontSize = opts.fontSize ?? 12;
  const digits = opts.digits ?? 1;
  const label = opts.label ?? ((code: string) => opts.features.find((f) => f.properties.code === code)?.properties.name ?? code);
  const byCode = (a: { properties: { code: string } }, b: { properties: { code: string } }) => a.properties.code.localeCompare(b.properties.code);
  // Rewind (idempotent): a feature wound the RFC 7946 way would paint the whole globe.
  const features = opts.features.map((f) => rewindForD3(f)).sort(byCode);
  const context = (opts.context ?? []).map((f) => rewindForD3(f)).sort(byCode);
  const lines = opts.lines ?? [];
  const inset = opts.inset;
  // An inset map uses the full width (China's south-east is sea, where the inset goes) and puts the legend bottom
  // left (south of 西藏, west of 云南: nothing is drawn there); other maps keep a legend column on the right.
  const legendInMap = inset?.placement === 'sea';
  const mapArea: [[number, number], [number, number]] = [[PAD, PAD], [width - (legendInMap ? 0 : LEGEND_WIDTH) - PAD, height - PAD]];

  // With an inset, fit the main map to what lies in its box: the rest (南海诸岛) falls outside the extent and is clipped.
  const fitTarget: GeoPermissibleObjects = inset ? pointsInBox([...features, ...context], inset.main) : { type: 'FeatureCollection', features };
  const projection = fittedProjection(fitTarget, mapArea);
  if (inset) {
    // Clip to what the fit covers, so 南海诸岛 below the main box is left to the inset.
    const [[, by0], [, by1]] = geoPath(projection).bounds(fitTarget);
    projection.clipExtent([[mapArea[0][0], Math.max(mapArea[0][1], by0 - 2)], [mapArea[1][0], Math.min(mapArea[1][1], by1 + 2)]]);
  }
  let pathBytes = 0;
  const pathOf = (p: ReturnType<typeof geoPath>, f: GeoPermissibleObjects) => {
    const d = compactPath(p(f) ?? '');
    pathBytes += d.length;
    return d;
  };
  const path = geoPath(projection).digits(digits);
  const hatch = `url(#${id}-nodata)`;
  const defs =
    `<pattern id="${id}-nodata" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">` +
    `<rect width="6" height="6" fill="#ffffff"/><line x1="1.5" y1="0" x2="1.5" y2="6" stroke="${NO_DATA_HATCH}" stroke-width="1.5"/></pattern>`;

  const fillOf = (code: string): { fill: string; attrs: string } => {
    const raw = values.get(code);
    const value = typeof raw === 'number' && Number.isFinite(raw) ? raw : null;
    if (value === null) return { fill: hatch, attrs: 'data-status="no-data"' };
    const bin = binIndex(value, bins);
    return { fill: colors[bin], attrs: `data-value="${Math.round(value * 1000) / 1000}" data-bin="${bin}"` };
  };

  const interactive = (f: ShapeFeature, d: string) => {
    const code = f.properties.code;
    const { fill, attrs } = fillOf(code);
    const tip = escapeXml(tooltip(code));
    const shape = `<path d="${d}" fill="${fill}" data-code="${escapeXml(code)}" ${attrs}><title>${tip}</title></path>`;
    // An empty href: that unit has no page in this build, so its shape is not a link.
    const url = href ? href(code) : '';
    return url ? `<a href="${escapeXml(checkHref(url, code))}" aria-label="${tip}">${shape}</a>` : shape;
  };

  const contextSvg = context
    .map((f) => {
      const d = pathOf(path, f);
      return d ? `<path d="${d}" data-context="${escapeXml(f.properties.code)}"><title>${escapeXml(f.properties.name)}</title></path>` : '';
    })
    .filter(Boolean);
  // A unit outside the main box (三沙 on the 海南 map) is drawn, with its link and title, in the inset only.
  const shapes: string[] = [];
  const insetOnly: ShapeFeature[] = [];
  for (const f of features) {
    const d = pathOf(path, f);
    if (!d && inset) insetOnly.push(f);
    else shapes.push(interactive(f, d));
  }
  const lineSvg = lines.map((l) => pathOf(path, l)).filter(Boolean).map((d) => `<path d="${d}"/>`);

  // 南海诸岛 inset: the same shapes, smaller, without ids or links (aria-hidden), except the inset-only units.
  let insetSvg = '';
  let insetBox: Placed | null = null;
  let lateShapes: string[] = [];
  if (inset) {
    const [[iw, is], [ie, inn]] = inset.inset;
    const aspect = ((inn - is) / (ie - iw)) * 1.1;
    let x0: number, x1: number, y0: number, y1: number;
    if (inset.placement === 'sea') {
      // The largest box in the bottom-right corner that covers no part of the main map (the sea east of 广东 and 台湾).
      const projected = pointsInBox([...features, ...context], inset.main).coordinates
        .map((p) => projection(p as [number, number]))
        .filter((p): p is [number, number] => p !== null);
      x1 = mapArea[1][0];
      y1 = mapArea[1][1];
      let w = Math.round((x1 - mapArea[0][0]) * 0.3);
      const covers = (w: number) => projected.some(([x, y]) => x >= x1 - w && y >= y1 - w * aspect);
      while (w > 60 && covers(w)) w -= 2;
      x0 = x1 - w;
      y0 = Math.round(Math.max(mapArea[0][1], y1 - w * aspect));
    } else {
      x0 = width - LEGEND_WIDTH + PAD;
      x1 = width - PAD;
      y0 = PAD;
      y1 = Math.round(PAD + (x1 - x0) * aspect);
    }
    const w = x1 - x0;
    const h = y1 - y0;
    const ax1 = x1;
    const ay1 = y1;
    insetBox = { x0, y0, x1: ax1, y1: ay1 };
    const ext: [[number, number], [number, number]] = [[x0 + 1, y0 + 1], [ax1 - 1, ay1 - 1 - fontSize]];
    const ip = fittedProjection(boxPoints(inset.inset), ext);
    const ipath = geoPath(ip).digits(digits);
    const inBox = (f: Feature<Polygon | MultiPolygon | MultiLineString>) => intersects(bboxOf(f), inset.inset);
    const parts: string[] = [];
    for (const f of context.filter(inBox)) parts.push(`<path d="${pathOf(ipath, f)}" fill="${CONTEXT_FILL}" stroke="${CONTEXT_STROKE}"/>`);
    for (const f of features.filter(inBox)) {
      if (!insetOnly.includes(f)) parts.push(`<path d="${pathOf(ipath, f)}" fill="${fillOf(f.properties.code).fill}"/>`);
    }
    for (const l of lines.filter(inBox)) parts.push(`<path d="${pathOf(ipath, l)}" fill="none" stroke="${LINE_STROKE}" stroke-width="1"/>`);
    lateShapes = insetOnly.map((f) => interactive(f, pathOf(ipath, f)));
    insetSvg =
      `<g class="inset" aria-hidden="true" stroke="#666666" stroke-width="0.4" stroke-linejoin="round">` +
      `<rect x="${x0}" y="${y0}" width="${w}" height="${h}" fill="#ffffff" stroke="#666666" stroke-width="0.8"/>\n${parts.filter((p) => !p.includes('d=""')).join('\n')}\n` +
      `<text x="${x0 + w / 2}" y="${ay1 - 4}" text-anchor="middle" stroke="none" fill="#1a1a1a" font-size="${fontSize - 2}">${escapeXml(inset.label)}</text></g>`;
  }

  // Legend: heading, bins darkest first, no data, then context (if drawn).
  const binText = opts.binLabels ?? attainmentBinLabels(bins);
  const rows: { fill: string; text: string }[] = [];
  for (let b = colors.length - 1; b >= 0; b--) rows.push({ fill: colors[b], text: binText[b] });
  rows.push({ fill: hatch, text: opts.noDataLabel });
  if (contextSvg.length > 0 && opts.contextLabel) rows.push({ fill: CONTEXT_FILL, text: opts.contextLabel });
  const legend = [`<text x="0" y="${fontSize}" font-weight="bold">${escapeXml(opts.legendTitle)}</text>`];
  rows.forEach((row, i) => {
    const y = fontSize + 8 + i * LEGEND_ROW;
    legend.push(`<rect x="0" y="${y}" width="${SWATCH}" height="${SWATCH}" fill="${row.fill}" stroke="#666666" stroke-width="0.8"/><text x="${SWATCH + 6}" y="${y + SWATCH - 3}">${escapeXml(row.text)}</text>`);
  });
  const legendHeight = fontSize + 8 + rows.length * LEGEND_ROW;
  const legendX = legendInMap ? PAD : width - LEGEND_WIDTH + PAD;
  const legendY = Math.max(PAD, height - PAD - legendHeight);

  const legendBox: Placed = { x0: legendX, y0: legendY, x1: legendX + LEGEND_WIDTH - PAD, y1: legendY + legendHeight };
  const blocked = [...(insetBox ? [insetBox] : []), ...(legendInMap ? [legendBox] : [])];
  const { texts, labelled, unlabelled } = placeLabels(features, projection, label, fontSize, mapArea, blocked);

  const linked = href !== undefined;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" id="${id}" class="choropleth" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" ` +
    `role="${linked ? 'group' : 'img'}" aria-labelledby="${id}-title" aria-describedby="${id}-desc" font-family="${escapeXml(FONT_FAMILY)}" font-size="${fontSize}">` +
    `<title id="${id}-title">${escapeXml(opts.title)}</title><desc id="${id}-desc">${escapeXml(opts.desc)}</desc>\n` +
    `<defs>${defs}</defs>\n` +
    (contextSvg.length ? `<g class="context" fill="${CONTEXT_FILL}" stroke="${CONTEXT_STROKE}" stroke-width="0.5" stroke-linejoin="round">\n${contextSvg.join('\n')}\n</g>\n` : '') +
    `<g class="areas" stroke="#666666" stroke-width="0.6" stroke-linejoin="round">\n${shapes.join('\n')}\n</g>\n` +
    (lineSvg.length ? `<g class="lines" aria-hidden="true" fill="none" stroke="${LINE_STROKE}" stroke-width="1.2" stroke-linecap="round">\n${lineSvg.join('\n')}\n</g>\n` : '') +
    (insetSvg ? `${insetSvg}\n` : '') +
    (lateShapes.length ? `<g class="areas inset-areas" stroke="#666666" stroke-width="0.6" stroke-linejoin="round">\n${lateShapes.join('\n')}\n</g>\n` : '') +
    `<g class="labels" aria-hidden="true" text-anchor="middle" fill="#1a1a1a" stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke" pointer-events="none">\n${texts.join('\n')}\n</g>\n` +
    `<g class="legend" transform="translate(${r1(legendX)},${r1(legendY)})" fill="#1a1a1a">\n${legend.join('\n')}\n</g>\n` +
    `</svg>\n`;
  return { svg, labelled, unlabelled, pathBytes };
}

export interface LocatorOptions {
  /** the frame's units; the one with properties.highlight (or code === highlighted) is filled dark */
  features: ShapeFeature[];
  context?: ContextFeature[];
  highlighted: string | null;
  width: number;
  height: number;
  title: string;
  desc: string;
  id: string;
  /** decimals in path coordinates (default 0: a locator is small) */
  digits?: number;
}

const LOCATOR_FILL = '#e8e8e8';
const LOCATOR_HIGHLIGHT = '#225ea8';

/** A small locator: every unit light grey, the highlighted one dark blue and drawn last (its outline on top). */
export function renderLocator(opts: LocatorOptions): { svg: string; pathBytes: number } {
  const { width, height, id } = opts;
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(id)) throw new Error(`renderLocator: id "${id}" must match [A-Za-z][A-Za-z0-9_-]*`);
  if (opts.features.length === 0) throw new Error('renderLocator: no features');
  const byCode = (a: { properties: { code: string } }, b: { properties: { code: string } }) => a.properties.code.localeCompare(b.properties.code);
  const features = opts.features.map((f) => rewindForD3(f)).sort(byCode);
  const isHighlight = (f: ShapeFeature) => f.properties.code === opts.highlighted;
  if (opts.highlighted !== null && !features.some(isHighlight)) throw new Error(`renderLocator: highlighted ${opts.highlighted} is not among the features`);
  const extent: [[number, number], [number, number]] = [[2, 2], [width - 2, height - 2]];
  const projection = fittedProjection({ type: 'FeatureCollection', features }, extent);
  const path = geoPath(projection).digits(opts.digits ?? 0);
  let pathBytes = 0;
  const d = (f: GeoPermissibleObjects) => {
    const s = compactPath(path(f) ?? '');
    pathBytes += s.length;
    return s;
  };
  const context = (opts.context ?? []).map((f) => rewindForD3(f)).sort(byCode).map((f) => `<path d="${d(f)}" fill="#f5f5f5"/>`);
  const rest = features.filter((f) => !isHighlight(f)).map((f) => `<path d="${d(f)}" data-code="${escapeXml(f.properties.code)}"/>`);
  const hl = features.filter(isHighlight).map((f) => `<path d="${d(f)}" data-code="${escapeXml(f.properties.code)}" data-highlight="true" fill="${LOCATOR_HIGHLIGHT}" stroke="#0b2e59" stroke-width="1"/>`);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" id="${id}" class="locator" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${id}-title" aria-describedby="${id}-desc">` +
    `<title id="${id}-title">${escapeXml(opts.title)}</title><desc id="${id}-desc">${escapeXml(opts.desc)}</desc>\n` +
    `<g fill="${LOCATOR_FILL}" stroke="#ffffff" stroke-width="0.6" stroke-linejoin="round">\n${[...context, ...rest, ...hl].join('\n')}\n</g>\n</svg>\n`;
  return { svg, pathBytes };
}

/** What both locator layers are drawn from: the frame's units in code order, the highlighted one, one projection. */
function locatorGeometry(opts: LocatorOptions) {
  const { width, height, id } = opts;
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(id)) throw new Error(`renderLocatorLayers: id "${id}" must match [A-Za-z][A-Za-z0-9_-]*`);
  if (opts.features.length === 0) throw new Error('renderLocatorLayers: no features');
  const byCode = (a: { properties: { code: string } }, b: { properties: { code: string } }) => a.properties.code.localeCompare(b.properties.code);
  const features = opts.features.map((f) => rewindForD3(f)).sort(byCode);
  const hl = features.filter((f) => f.properties.code === opts.highlighted);
  if (opts.highlighted !== null && hl.length === 0) throw new Error(`renderLocatorLayers: highlighted ${opts.highlighted} is not among the features`);
  const projection = fittedProjection({ type: 'FeatureCollection', features }, [[2, 2], [width - 2, height - 2]]);
  const path = geoPath(projection).digits(opts.digits ?? 0);
  const d = (f: GeoPermissibleObjects) => (opts.digits ?? 0) === 0 ? relativePath(compactPath(path(f) ?? '')) : compactPath(path(f) ?? '');
  const context = () => (opts.context ?? []).map((f) => rewindForD3(f)).sort(byCode);
  return { features, hl, d, context };
}

/**
 * The locator's grey layer, a standalone SVG file of every unit of the frame (the page shows it as a decorative
 * <img>): the same for every county of the frame, so a national build stores ~340 of them for ~3,000 briefings.
 */
export function renderLocatorFrame(opts: LocatorOptions): string {
  const { width, height } = opts;
  const { features, d, context } = locatorGeometry(opts);
  const shapes = context().map((f) => `<path d="${d(f)}" fill="#f5f5f5"/>`);
  // every unit, the highlighted one too (grey under its dark copy: the file serves every county of the frame)
  const units = features.map((f) => `<path d="${d(f)}"/>`);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">` +
    `<g fill="${LOCATOR_FILL}" stroke="#ffffff" stroke-width="0.6" stroke-linejoin="round">\n${[...shapes, ...units].join('\n')}\n</g></svg>\n`
  );
}

/**
 * The locator's inline layer, drawn on top of the frame (same viewBox, same projection: both are fitted to the same
 * frame): only the highlighted unit, with the title and description. Only its path is computed, not the frame's.
 */
export function renderLocatorHighlight(opts: LocatorOptions): string {
  const { width, height, id } = opts;
  const { hl, d } = locatorGeometry(opts);
  return (
    `<svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${id}-title" aria-describedby="${id}-desc">` +
    `<title id="${id}-title">${escapeXml(opts.title)}</title><desc id="${id}-desc">${escapeXml(opts.desc)}</desc>` +
    hl.map((f) => `<path d="${d(f)}" data-code="${escapeXml(f.properties.code)}" data-highlight="true" fill="${LOCATOR_HIGHLIGHT}" stroke="#0b2e59" stroke-width="1" stroke-linejoin="round"/>`).join('') +
    `</svg>`
  );
}

/** Both locator layers (renderLocatorFrame under renderLocatorHighlight): stacked they draw what renderLocator draws. */
export function renderLocatorLayers(opts: LocatorOptions): { frame: string; highlight: string } {
  return { frame: renderLocatorFrame(opts), highlight: renderLocatorHighlight(opts) };
}
