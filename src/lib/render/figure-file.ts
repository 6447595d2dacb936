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
  "'Noto Sans CJK SC','Noto Sans SC','Source Han Sans SC','PingFang SC','Hiragino Sans GB','Microsoft YaHei','WenQuanYi Micro Hei',SimHei,sans-serif";

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
  const kept = [...open[1].matchAll(/\s([a-zA-Z:-]+)="([^"]*)"/g)]
    .filter(([, name]) => !/^(xmlns(:.*)?|width|height|x|y|role|aria-.*)$/.test(name))
    .map(([, name, value]) => ` ${name}="${value}"`)
    .join('');
  return `<svg x="0" y="${y}" width="${width}" height="${height}"${kept}>` + svg.trim().slice(open[0].length);
}

/**
 * Lighter markup for a figure that is stored as a file (~13,000 in a national build): coordinates in attributes
 * rounded to 2 decimals (Plot writes 16 digits; 0.01 px is invisible at print size too), the <g> groups' ARIA
 * labels and roles dropped (Plot's internals; the file's name is its <title> and its stamp lines are text,
 * the page gives the <img> its alt text) and the renderers' <style> whitespace squeezed. Text is left as is.
 */
export function compactFigureSvg(svg: string): string {
  return svg
    .replace(/<style>([^<]*)<\/style>/g, (_, css: string) => `<style>${css.replace(/\s*\n\s*/g, '').replace(/\s*([{};,])\s*/g, '$1').replace(/:\s+/g, ':')}</style>`)
    .replace(/<g\b[^>]*>/g, (tag) => tag.replace(/ (?:aria-label|aria-hidden|role)="[^"]*"/g, ''))
    .replace(/(\s(?:d|x|y|x1|x2|y1|y2|cx|cy|r|width|height|transform|points)=")([^"]*)"/g, (_, head: string, value: string) =>
      `${head}${value.replace(/-?\d+\.\d{3,}/g, (n) => String(Math.round(Number(n) * 100) / 100))}"`);
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
  foot.forEach((line, i) => {
    y += lh(LINE_SIZE);
    const strong = i === 0 && stamp.label && line === wrapText(stamp.label, LINE_SIZE, max)[0];
    texts.push(`<text x="${PAD}" y="${y - 4}" font-size="${LINE_SIZE}" fill="${strong ? '#8a1c00' : '#444'}"${strong ? ' font-weight="bold"' : ''}>${escapeXml(line)}</text>`);
  });
  const total = Math.ceil(y + PAD);
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    // the fonts once, in <style> (it also reaches the figure's own text, whose renderer sets its own family)
    `<svg xmlns="http://www.w3.org/2000/svg" lang="${escapeXml(stamp.lang)}" width="${width}" height="${total}" viewBox="0 0 ${width} ${total}" color="#222">` +
    // no <desc> repeating the stamp: its lines are text in the image, read as such (~0.5 kB × ~15,000 files)
    `<title>${escapeXml(stamp.title)}</title>` +
    `<style>text{font-family:${FIGURE_FONT_FAMILY}}</style>` +
    `<rect width="100%" height="100%" fill="#fff"/>` +
    texts.join('') +
    nestedSvg(compactFigureSvg(inner), top, width, height) +
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
