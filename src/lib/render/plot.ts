import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import { escapeXml } from './map';

/**
 * The Plot wrapper every build-time chart uses: Observable Plot on a linkedom document, serialised to
 * an SVG string, plus the text-measuring helpers the charts lay their labels out with.
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

/** Rough rendered width of a label: CJK glyphs are 1 em wide, Latin and digits about 0.6 em (0.65 bold). */
export function textWidth(text: string, fontSize: number, bold = false): number {
  let em = 0;
  for (const ch of text) em += /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/.test(ch) ? 1 : bold ? 0.65 : 0.6;
  return Math.ceil(em * fontSize);
}

/** The widest a row label may make the left margin; a longer label is cut with "…" (the data table has it whole). */
export const MAX_ROW_LABEL_WIDTH = 240;

/** `text` cut (with "…") so that it is at most `maxWidth` wide at `fontSize`. */
export function fitLabel(text: string, fontSize: number, maxWidth: number): string {
  if (textWidth(text, fontSize) <= maxWidth) return text;
  const chars = [...text];
  while (chars.length > 1 && textWidth(`${chars.join('')}…`, fontSize) > maxWidth) chars.pop();
  return `${chars.join('').trimEnd()}…`;
}

