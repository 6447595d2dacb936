/**
 * A figure that leaves the page: the inline SVG from charts.ts / trend-chart.ts / map.ts wrapped into a
 * standalone SVG file with its title, area, as-of date, source, licence and the sample / published label
 * drawn inside the image, so a copy pasted into a report still says what it is.
 *
 * Pure string work (no DOM): the inner SVG is already escaped by its renderer; every stamped text is
 * escaped here with escapeXml. Fonts: a CJK-first family list, so Chinese renders on Windows (Microsoft
 * YaHei), macOS (PingFang SC), Linux (Noto Sans CJK / WenQuanYi) and in resvg with a CJK font loaded
 * (scripts/figure-png.ts).
 */
import { escapeXml } from './map';

export const FIGURE_FONT_FAMILY =
  "'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei','WenQuanYi Micro Hei',sans-serif";

export interface FigureStamp {
  /** The figure's title, e.g. "社区社会组织密度趋势". */
  title: string;
  /** The area (or scope) the figure shows, e.g. "市中区（511102）". */
  area: string;
  /** "数据截至 2025-06-30". */
  asOf: string;
  /** "来源：…" — the dataset and publisher. */
  source: string;
  /** "许可：CC BY 4.0". */
  licence: string;
  /** "示例数据，非官方统计" or "公开发布（真实）"; empty for none. */
  label: string;
  /** The page the figure comes from (absolute when SITE_URL is set). */
  url?: string;
  /** lang attribute of the file ("zh-CN" | "en"). */
  lang: string;
}

const TITLE_SIZE = 18;
const LINE_SIZE = 12;
const PAD = 12;

/** Width of `text` at `size` px, estimated: CJK and full-width characters 1 em, others 0.56 em. */
export function textWidth(text: string, size: number): number {
  let w = 0;
  for (const ch of text) w += /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]/.test(ch) ? size : size * 0.56;
  return w;
}

/** Breaks `text` into lines no wider than `max` px (at spaces where it can, else between characters). */
export function wrapText(text: string, size: number, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  const tokens = text.match(/[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+|\s+/g) ?? [];
  for (const tok of tokens) {
    if (line && textWidth(line + tok, size) > max && tok.trim()) {
      lines.push(line.trimEnd());
      line = tok.trimStart();
    } else line += tok;
    // a single token wider than the line (a long URL): cut it by characters
    while (textWidth(line, size) > max && [...line].length > 1) {
      const chars = [...line];
      let n = chars.length - 1;
      while (n > 1 && textWidth(chars.slice(0, n).join(''), size) > max) n--;
      lines.push(chars.slice(0, n).join(''));
      line = chars.slice(n).join('');
    }
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines;
}

/** The viewBox size of an inline SVG ("0 0 640 320" → 640 × 320). Throws when there is none. */
export function svgSize(svg: string): { width: number; height: number } {
  const m = /^<svg\b[^>]*\bviewBox="\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)\s*"/.exec(svg.trim());
  if (!m) throw new Error('figure SVG has no viewBox="0 0 w h" on its root <svg>');
  return { width: Number(m[1]), height: Number(m[2]) };
}

/**
 * Places the inner SVG at (0, y) with its viewBox and class (Plot scopes its <style> by class) and its
 * presentation (font-size, fill, text-anchor, style…: without them Plot's text falls back to 16 px); its
 * size, position, xmlns and ARIA give way to the file's own.
 */
function nestedSvg(svg: string, y: number, width: number, height: number): string {
  const open = /^<svg\b([^>]*)>/.exec(svg.trim());
  if (!open) throw new Error('figure SVG does not start with <svg');
  const attrs = attrsOf(open[0]);
  // Plot's style="font-size:12px;background:transparent" beats its font-size="10": one font-size attribute says it
  const style = /^font-size:\s*([\d.]+)px;?\s*(?:background:\s*transparent;?)?$/.exec(attrs.get('style') ?? '');
  if (style) {
    attrs.delete('style');
    attrs.set('font-size', style[1]);
  }
  // the file's <style> gives every text its font family (a CSS rule beats the attribute), and the class only
  // scoped Plot's own <style>, which compactFigureSvg drops; width/height equal the viewBox, so no aspect rule
  if (/^plot-/.test(attrs.get('class') ?? '')) attrs.delete('class');
  const kept = [...attrs]
    .filter(([name]) => !/^(xmlns(:.*)?|width|height|x|y|role|aria-.*|font-family|preserveAspectRatio)$/.test(name))
    .map(([name, value]) => ` ${name}="${value}"`)
    .join('');
  return `<svg x="0" y="${y}" width="${width}" height="${height}"${kept}>` + svg.trim().slice(open[0].length);
}

/** A number rounded to 1 decimal. */
const r1 = (n: number): string => String(Math.round(n * 10) / 10);

/** The attributes of one start tag (`<x a="1" b="2"/>`), in order. */
function attrsOf(tag: string): Map<string, string> {
  return new Map([...tag.matchAll(/\s([a-zA-Z0-9:-]+)="([^"]*)"/g)].map((m) => [m[1], m[2]] as [string, string]));
}

/**
 * Path data moved by (dx, dy): absolute commands M L H V are shifted, relative ones (lowercase) and Z kept.
 * Null for anything else (curves, arcs): the caller then leaves the element as it is.
 */
function translatePath(d: string, dx: number, dy: number): string | null {
  const tokens = d.match(/[a-zA-Z]|-?(?:\d+\.?\d*|\.\d+)(?:e-?\d+)?/g);
  if (!tokens) return null;
  let out = '';
  let cmd = '';
  let arg = 0;
  for (const tok of tokens) {
    if (/[a-zA-Z]/.test(tok)) {
      if (!/[MLHVmlhvZz]/.test(tok)) return null;
      cmd = tok;
      arg = 0;
      out += tok;
      continue;
    }
    const n = Number(tok);
    let v = n;
    if (cmd === 'M' || cmd === 'L') v = arg % 2 === 0 ? n + dx : n + dy;
    else if (cmd === 'H') v = n + dx;
    else if (cmd === 'V') v = n + dy;
    out += (arg > 0 && (cmd === 'M' || cmd === 'L' || cmd === 'm' || cmd === 'l') && arg % 2 === 1 ? ',' : arg > 0 ? ' ' : '') + r1(v);
    arg++;
  }
  return out;
}

/**
 * One shape with no presentation of its own (it inherits everything from its group) as path data, or null:
 * <line x1 y1 x2 y2>, <rect x y width height>, <path d> with an optional translate().
 */
function bareShapeToPath(tag: string): string | null {
  const name = /^<(\w+)/.exec(tag)![1];
  const a = attrsOf(tag);
  const only = (...names: string[]) => [...a.keys()].every((k) => names.includes(k));
  const num = (k: string) => Number(a.get(k) ?? 0);
  if (name === 'line' && only('x1', 'y1', 'x2', 'y2')) {
    const [x1, y1, x2, y2] = ['x1', 'y1', 'x2', 'y2'].map(num);
    return `M${r1(x1)},${r1(y1)}` + (y1 === y2 ? `H${r1(x2)}` : x1 === x2 ? `V${r1(y2)}` : `L${r1(x2)},${r1(y2)}`);
  }
  if (name === 'rect' && only('x', 'y', 'width', 'height') && a.has('width') && a.has('height')) {
    const [x, y, w, h] = ['x', 'y', 'width', 'height'].map(num);
    if (!(w >= 0 && h >= 0)) return null;
    return `M${r1(x)},${r1(y)}h${r1(w)}v${r1(h)}h${r1(-w)}Z`;
  }
  if (name === 'path' && a.has('d') && only('d', 'transform')) {
    const t = a.get('transform');
    const m = t === undefined ? ['', '0', '0'] : /^translate\((-?[\d.]+),(-?[\d.]+)\)$/.exec(t);
    if (!m) return null;
    const [dx, dy] = [Number(m[1]), Number(m[2])];
    // a tick mark "M0,0L0,6": the moved start and a relative step
    const tick = /^M(-?[\d.]+),(-?[\d.]+)L(-?[\d.]+),(-?[\d.]+)$/.exec(a.get('d')!);
    if (tick) {
      const [x0, y0, x1, y1] = tick.slice(1).map(Number);
      const start = `M${r1(x0 + dx)},${r1(y0 + dy)}`;
      return start + (y0 === y1 ? `h${r1(x1 - x0)}` : x0 === x1 ? `v${r1(y1 - y0)}` : `l${r1(x1 - x0)},${r1(y1 - y0)}`);
    }
    return translatePath(a.get('d')!, dx, dy);
  }
  return null;
}

/**
 * Lighter markup for a figure that is stored as a file (~15,000 in a national build), drawing the same picture:
 *   - coordinates in attributes rounded to 1 decimal (Plot writes 16 digits; 0.05 px is a thirtieth of a pixel in
 *     the 1600 px PNG too); em offsets ("0.32em") are kept;
 *   - a group whose children are all bare shapes (grid lines, tick marks, bars, square dots: no presentation of
 *     their own) becomes the group with one <path> of all of them: the same pixels, as the shapes do not overlap
 *     (and are opaque where they could);
 *   - a text placed by translate() gets x/y (and its em offset as dy), which is the same position;
 *   - the <g> groups' ARIA labels and roles dropped (Plot's internals; the file's name is its <title> and its stamp
 *     lines are text, the page gives the <img> its alt text); Plot's class-scoped <style> dropped (it sets
 *     display, height and max-width for HTML pages; text's white-space:pre is in the file's own style);
 *   - " />" written "/>". Text is left as is.
 */
export function compactFigureSvg(svg: string): string {
  return svg
    .replace(/<style>:where\(\.plot-[^<]*<\/style>/g, '')
    .replace(/(<g\b[^>]*>)((?:\s*<(?:line|rect|path)\b[^>]*\/>)+)\s*<\/g>/g, (whole, open: string, body: string) => {
      const shapes = body.match(/<(?:line|rect|path)\b[^>]*\/>/g) ?? [];
      const parts = shapes.map(bareShapeToPath);
      if (parts.some((p) => p === null)) return whole;
      return `${open}<path d="${parts.join('')}"/></g>`;
    })
    .replace(/<style>([^<]*)<\/style>/g, (_, css: string) => `<style>${css.replace(/\s*\n\s*/g, '').replace(/\s*([{};,])\s*/g, '$1').replace(/:\s+/g, ':')}</style>`)
    .replace(/<g\b[^>]*>/g, (tag) => tag.replace(/ (?:aria-label|aria-hidden|role)="[^"]*"/g, ''))
    .replace(/(\s(?:d|x|y|x1|x2|y1|y2|cx|cy|r|width|height|transform|points)=")([^"]*)"/g, (_, head: string, value: string) =>
      `${head}${value.replace(/-?\d*\.\d{2,}(?![\d.]|em)/g, (n) => r1(Number(n)))}"`)
    .replace(/<text transform="translate\((-?[\d.]+),(-?[\d.]+)\)"( y="(-?[\d.]+em)")?/g, (_, x: string, y: string, _dy, dy?: string) => `<text x="${x}" y="${y}"${dy ? ` dy="${dy}"` : ''}`)
    .replace(/\s+\/>/g, '/>');
}

/**
 * A text's em offset (`dy="0.32em"`, as Plot writes them) folded into its y, in px of its font size taken from
 * the nearest element that sets one (attributes only: below an element with a style or class, nothing is changed,
 * since CSS could set the size there). The same position, one attribute less on every axis label.
 */
export function foldEmOffsets(svg: string): string {
  const stack: (number | null)[] = []; // font-size per open <svg>/<g>; null: unknown (CSS may set it)
  let unknownDepth = 0;
  return svg.replace(/<(\/?)(svg|g|text)\b([^>]*?)(\/?)>/g, (tag, close: string, name: string, rest: string, selfClose: string) => {
    if (close) {
      if (name !== 'text' && stack.pop() === null) unknownDepth--;
      return tag;
    }
    const a = attrsOf(tag);
    const own = a.has('font-size') ? Number(a.get('font-size')) : undefined;
    if (name !== 'text') {
      if (selfClose) return tag;
      const cssMaySet = a.has('style') || a.has('class');
      const size = cssMaySet ? null : own ?? (stack.length ? stack[stack.length - 1] : null);
      if (size === null) unknownDepth++;
      stack.push(size);
      return tag;
    }
    const size = own ?? (stack.length ? stack[stack.length - 1] : null);
    const dy = /^(-?[\d.]+)em$/.exec(a.get('dy') ?? '');
    const y = a.get('y');
    if (unknownDepth > 0 || size === null || size === undefined || !Number.isFinite(size) || !dy || y === undefined || !/^-?[\d.]+$/.test(y) || a.has('style') || a.has('class')) return tag;
    return tag.replace(/ dy="[^"]*"/, '').replace(/ y="[^"]*"/, ` y="${r1(Number(y) + Number(dy[1]) * size)}"`);
  });
}

/**
 * The standalone file: `<?xml …?>` + an <svg> with xmlns, width/height in px, a white background,
 * <title>, the title and area above the figure and the as-of, source, licence, label and URL below.
 */
export function standaloneFigureSvg(inner: string, stamp: FigureStamp): string {
  const { width, height } = svgSize(inner);
  const max = width - 2 * PAD;
  const titleLines = wrapText(stamp.title, TITLE_SIZE, max);
  const areaLines = wrapText([stamp.area, stamp.asOf].filter(Boolean).join(' · '), LINE_SIZE + 1, max);
  const foot = [stamp.label, stamp.source, stamp.licence, stamp.url ?? ''].filter(Boolean).flatMap((t) => wrapText(t, LINE_SIZE, max));
  const lh = (size: number) => Math.round(size * 1.4);
  let y = PAD;
  const texts: string[] = [];
  for (const line of titleLines) {
    y += lh(TITLE_SIZE);
    texts.push(`<text x="${PAD}" y="${y - 5}" font-size="${TITLE_SIZE}" font-weight="bold">${escapeXml(line)}</text>`);
  }
  for (const line of areaLines) {
    y += lh(LINE_SIZE + 1);
    texts.push(`<text x="${PAD}" y="${y - 4}" font-size="${LINE_SIZE + 1}" fill="#333">${escapeXml(line)}</text>`);
  }
  const top = y + 6;
  y = top + height + 4;
  // the lines below the figure share their size and colour (one group); the label's first line is red and bold
  const footTexts: string[] = [];
  foot.forEach((line, i) => {
    y += lh(LINE_SIZE);
    const strong = i === 0 && stamp.label && line === wrapText(stamp.label, LINE_SIZE, max)[0];
    footTexts.push(`<text x="${PAD}" y="${y - 4}"${strong ? ' fill="#8a1c00" font-weight="bold"' : ''}>${escapeXml(line)}</text>`);
  });
  if (footTexts.length) texts.push(`<g font-size="${LINE_SIZE}" fill="#444">${footTexts.join('')}</g>`);
  const total = Math.ceil(y + PAD);
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    // the fonts once, in <style> (it also reaches the figure's own text, whose renderer sets its own family)
    `<svg xmlns="http://www.w3.org/2000/svg" lang="${escapeXml(stamp.lang)}" width="${width}" height="${total}" viewBox="0 0 ${width} ${total}" color="#222">` +
    // no <desc> repeating the stamp: its lines are text in the image, read as such (~0.5 kB × ~15,000 files)
    `<title>${escapeXml(stamp.title)}</title>` +
    `<style>text{font-family:${FIGURE_FONT_FAMILY};white-space:pre}</style>` +
    `<rect width="100%" height="100%" fill="#fff"/>` +
    texts.join('') +
    foldEmOffsets(nestedSvg(compactFigureSvg(inner), top, width, height)) +
    `</svg>\n`
  );
}

/**
 * A 1200 × 630 share card (Open Graph / Twitter): the standalone figure fitted inside, centred on white.
 * `standalone` is the output of standaloneFigureSvg.
 */
export function shareCardSvg(standalone: string, width = 1200, height = 630): string {
  const body = standalone.replace(/^<\?xml[^>]*>\s*/, '');
  const m = /^<svg\b[^>]*\bwidth="([\d.]+)" height="([\d.]+)"/.exec(body);
  if (!m) throw new Error('shareCardSvg expects a standalone figure SVG with width and height');
  const [w, h] = [Number(m[1]), Number(m[2])];
  const scale = Math.min((width - 40) / w, (height - 40) / h);
  const [sw, sh] = [Math.round(w * scale), Math.round(h * scale)];
  const inner = body.replace(/^<svg\b/, `<svg x="${Math.round((width - sw) / 2)}" y="${Math.round((height - sh) / 2)}"`).replace(/ width="[\d.]+" height="[\d.]+"/, ` width="${sw}" height="${sh}"`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><rect width="100%" height="100%" fill="#fff"/>${inner}</svg>\n`;
}
