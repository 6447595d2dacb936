/**
 * The chrome-free page of one figure, for an <iframe> elsewhere (/embed/{scope}/{name}/, see figureRoutes in
 * ./figures.ts): title, the figure's SVG file as an <img> with the chart's text alternative, the as-of date and
 * label and licence (the image stamps the source too), a link to the figure's CSV and one back to its page (caption, sources),
 * and the copyable <iframe> snippet. No header, footer or script; styles in one shared file (EMBED_CSS at
 * /embed/embed.css), so at national scale each page is about 1 kB.
 * Written as a string by scripts/figure-files.ts (not an Astro route: no page build, no compressed twins).
 */
import { t } from '../../../i18n/strings';
import { localeRoute } from '../../../i18n/paths';
import { escapeXml } from '../../render/map';
import { absoluteOf, figureLinks, figureRoutes, figureStamp, hrefOf, type FigureSpec, type Loc } from './figures';

export const EMBED_CSS_ROUTE = '/embed/embed.css';

export const EMBED_CSS =
  "body{margin:0;font-family:system-ui,'Noto Sans CJK SC','PingFang SC','Microsoft YaHei',sans-serif;color:#1a1a1a;background:#fff;line-height:1.5}" +
  'main{padding:.5rem .75rem}h1{font-size:1.1rem;margin:0 0 .5rem}figure{margin:0}' +
  'img{display:block;width:100%;max-width:60rem;height:auto}figcaption,.m{color:#4a4a4a;font-size:.9rem}' +
  'a{color:#0b57a4}a:focus-visible,summary:focus-visible{outline:3px solid #b35c00}pre{white-space:pre-wrap;word-break:break-all;font-size:.8rem}\n';

/** The embed page's HTML; `size` is the standalone SVG's width × height (for the <img>'s aspect ratio). */
export function embedPageHtml(spec: FigureSpec, loc: Loc, size: { width: number; height: number }): string {
  const lang = spec.lang;
  const s = figureStamp(spec, loc);
  const r = figureRoutes(spec);
  const e = escapeXml;
  const site = t(lang, 'site.name');
  const back = t(lang, spec.scope === 'overview' ? 'embed.back_overview' : 'embed.back', { site });
  const page = localeRoute(lang, spec.page);
  // Text inside <code>: only & and < need escaping (quotes and > are plain text there), so the snippet stays short.
  const text = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return (
    `<!doctype html><html lang="${e(lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>${e(spec.title)} · ${e(site)}</title><meta name="robots" content="noindex"><link rel="canonical" href="${e(absoluteOf(page, loc))}">` +
    // the icon stays: without it a browser asks for /favicon.ico, which the site does not have (a 404 per embed)
    `<link rel="icon" href="${e(hrefOf('/favicon.svg', loc))}" type="image/svg+xml"><link rel="stylesheet" href="${e(hrefOf(EMBED_CSS_ROUTE, loc))}"></head>` +
    `<body><main><h1>${e(spec.title)}</h1><figure>` +
    `<img src="${e(hrefOf(r.svg, loc))}" alt="${e(spec.alt)}" width="${size.width}" height="${size.height}">` +
    // the image itself carries the title, area, as-of, label, source and licence (standaloneFigureSvg); as text
    // here: the as-of, the label and the licence, and the way back to the page with the caption and the sources
    `<figcaption>${e(s.asOf)}${s.label ? ` · <strong>${e(s.label)}</strong>` : ''} · ${e(s.licence)}</figcaption></figure>` +
    `<p><a href="${e(hrefOf(r.csv, loc))}">${e(t(lang, 'embed.data'))}</a> · <a href="${e(absoluteOf(page, loc))}" target="_top">${e(back)}</a></p>` +
    `<details><summary>${e(t(lang, 'figure.embed_code'))}</summary><pre><code>${text(figureLinks(spec, loc).iframe)}</code></pre></details>` +
    `</main></body></html>\n`
  );
}
