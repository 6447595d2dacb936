/**
 * sitemap.xml and robots.txt (sitemaps.org protocol 0.9), written after the build by
 * scripts/site-files.ts from the pages Astro built. Pure: routes and the site's URL in, file texts out.
 *
 * A sitemap file holds at most 50,000 URLs and 50 MB (uncompressed); past either limit sitemap.xml
 * becomes a sitemap index of sitemap-1.xml, sitemap-2.xml, … so robots.txt names one stable file.
 * Each URL lists its zh-CN / English twin and x-default (the zh-CN page) as xhtml:link alternates.
 */
import { absoluteUrlOf, basePath, localeRoute } from '../../i18n/paths';

export const SITEMAP_MAX_URLS = 50_000;
export const SITEMAP_MAX_BYTES = 50 * 1024 * 1024;
export const SITEMAP_FILE = 'sitemap.xml';

export interface SitemapOptions {
  /** "https://example.org" */
  origin: string;
  /** "/" or "/cso-monitor/" */
  base: string;
  maxUrls?: number;
  maxBytes?: number;
}

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n';
const URLSET_OPEN = '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n';
const URLSET_CLOSE = '</urlset>\n';

const encoder = new TextEncoder();
const byteLength = (s: string) => encoder.encode(s).length;
const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/** Routes once each, in code-unit order, so the same pages give byte-identical sitemaps. */
export function sortRoutes(routes: Iterable<string>): string[] {
  return [...new Set(routes)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** One <url> entry: the page and, when its twin in the other language exists, both alternates and x-default. */
function urlEntry(route: string, existing: Set<string>, opts: SitemapOptions): string {
  const loc = (r: string) => escapeXml(absoluteUrlOf(r, opts.origin, opts.base));
  const zh = localeRoute('zh-CN', basePath(route));
  const en = localeRoute('en', zh);
  let entry = `  <url>\n    <loc>${loc(route)}</loc>\n`;
  if (existing.has(zh) && existing.has(en)) {
    entry +=
      `    <xhtml:link rel="alternate" hreflang="zh-CN" href="${loc(zh)}"/>\n` +
      `    <xhtml:link rel="alternate" hreflang="en" href="${loc(en)}"/>\n` +
      `    <xhtml:link rel="alternate" hreflang="x-default" href="${loc(zh)}"/>\n`;
  }
  return entry + '  </url>\n';
}

/**
 * The sitemap files for `routes` (page routes such as "/areas/511102/"): file name → XML text.
 * One file `sitemap.xml` when everything fits, else `sitemap.xml` is an index of `sitemap-N.xml`.
 */
export function buildSitemaps(routes: Iterable<string>, opts: SitemapOptions): Map<string, string> {
  const maxUrls = opts.maxUrls ?? SITEMAP_MAX_URLS;
  const maxBytes = opts.maxBytes ?? SITEMAP_MAX_BYTES;
  const sorted = sortRoutes(routes);
  for (const r of sorted) if (!r.startsWith('/')) throw new Error(`sitemap: route "${r}" must start with "/"`);
  const existing = new Set(sorted);
  const frame = byteLength(XML_HEAD + URLSET_OPEN + URLSET_CLOSE);

  // Greedy chunks: as many URLs as fit both limits, in route order.
  const chunks: string[][] = [];
  let current: string[] = [];
  let bytes = frame;
  for (const route of sorted) {
    const entry = urlEntry(route, existing, opts);
    const size = byteLength(entry);
    if (frame + size > maxBytes) throw new Error(`sitemap: the entry of ${route} alone exceeds ${maxBytes} bytes`);
    if (current.length && (current.length >= maxUrls || bytes + size > maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = frame;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length || !chunks.length) chunks.push(current);

  const urlset = (entries: string[]) => XML_HEAD + URLSET_OPEN + entries.join('') + URLSET_CLOSE;
  const files = new Map<string, string>();
  if (chunks.length === 1) {
    files.set(SITEMAP_FILE, urlset(chunks[0]));
    return files;
  }
  if (chunks.length > maxUrls) throw new Error(`sitemap: ${chunks.length} sitemap files exceed what one index may list (${maxUrls})`);
  const names = chunks.map((_, i) => `sitemap-${i + 1}.xml`);
  files.set(
    SITEMAP_FILE,
    XML_HEAD +
      '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' +
      names.map((n) => `  <sitemap>\n    <loc>${escapeXml(absoluteUrlOf(`/${n}`, opts.origin, opts.base))}</loc>\n  </sitemap>\n`).join('') +
      '</sitemapindex>\n',
  );
  chunks.forEach((entries, i) => files.set(names[i], urlset(entries)));
  return files;
}

/**
 * robots.txt: everything may be crawled; the sitemap is named when the site's URL is known (the
 * protocol wants an absolute URL). Crawlers read robots.txt only at a host's root: below a folder,
 * the host's own robots.txt should carry the Sitemap line (README, "Deploy").
 */
export function buildRobots(location: { origin: string; base: string } | null): string {
  const lines = ['User-agent: *', 'Allow: /', ''];
  if (location) lines.push(`Sitemap: ${absoluteUrlOf(`/${SITEMAP_FILE}`, location.origin, location.base)}`);
  else lines.push('# No Sitemap line: build with SITE_URL=https://… to get sitemap.xml (README, "Deploy").');
  return lines.join('\n') + '\n';
}
