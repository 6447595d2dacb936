import { parseHTML } from 'linkedom';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDivisions } from '../../src/lib/ingest/divisions';
import { localeRoute } from '../../src/i18n/paths';
import { SITEMAP_MAX_BYTES, SITEMAP_MAX_URLS, buildRobots, buildSitemaps } from '../../src/lib/site/sitemap';

// sitemap.xml / robots.txt (src/lib/site/sitemap.ts), on the page routes of a national build (every
// NBS 2023 province, prefecture and county, in both languages) and on synthetic lists past the limits.

const ORIGIN = 'https://mzj.example.gov.cn';
const BASE = '/cso-monitor/';
const STATIC = ['/', '/targets/', '/data/', '/data/dictionary/', '/methodology/', '/quality/', '/areas/'];
const both = (zh: string[]) => zh.flatMap((r) => [r, localeRoute('en', r)]);

/** The XML elements named `tag` (namespace prefix included) and their text, via linkedom's XML parser. */
function elements(xml: string, tag: string): { text: string; attrs: Record<string, string> }[] {
  const { DOMParser } = parseHTML('<!doctype html><html></html>');
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  return [...doc.querySelectorAll('*')]
    .filter((e) => e.tagName === tag)
    .map((e) => ({ text: e.textContent ?? '', attrs: Object.fromEntries([...e.attributes].map((a) => [a.name, a.value])) }));
}
const locs = (xml: string) => elements(xml, 'loc').map((e) => e.text);
/** The same for the 120,000-URL lists, by pattern: a DOM of that size costs seconds (the small maps above are parsed as XML). */
const locsFast = (xml: string) => [...xml.matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => m[1]);

describe('a national build', () => {
  let routes: string[];
  beforeAll(async () => {
    const divisions = await loadDivisions({ prefixes: ['99'] }); // areas only: no township or village is needed
    routes = both([...STATIC, ...[...divisions.areas.keys()].map((c) => `/areas/${c}/`)]);
  }, 60_000);

  it('fits one sitemap.xml that lists every page once, with absolute URLs under the base', () => {
    // ≈ 3,200 areas × 2 languages + the fixed pages: the "≈6,700 pages" of a national site.
    expect(routes.length).toBeGreaterThan(6_000);
    expect(routes.length).toBeLessThan(SITEMAP_MAX_URLS);
    const files = buildSitemaps(routes, { origin: ORIGIN, base: BASE });
    expect([...files.keys()]).toEqual(['sitemap.xml']);
    const xml = files.get('sitemap.xml')!;
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"')).toBe(true);
    const listed = locs(xml);
    expect(listed).toHaveLength(routes.length);
    expect(new Set(listed)).toEqual(new Set(routes.map((r) => `${ORIGIN}/cso-monitor${r}`)));
    expect(new TextEncoder().encode(xml).length).toBeLessThan(SITEMAP_MAX_BYTES);
  });

  it('names both languages and x-default (the zh-CN page) for every page', () => {
    const xml = buildSitemaps(routes, { origin: ORIGIN, base: BASE }).get('sitemap.xml')!;
    const links = elements(xml, 'xhtml:link');
    expect(links).toHaveLength(routes.length * 3);
    const en = links.filter((l) => l.attrs.hreflang === 'en').map((l) => l.attrs.href);
    expect(en).toContain(`${ORIGIN}/cso-monitor/en/areas/511102/`);
    const xDefault = links.filter((l) => l.attrs.hreflang === 'x-default').map((l) => l.attrs.href);
    expect(xDefault.every((href) => !href.includes('/cso-monitor/en/'))).toBe(true);
  });

  it('is the same bytes whatever order the pages come in', () => {
    const a = buildSitemaps(routes, { origin: ORIGIN, base: BASE });
    const b = buildSitemaps([...routes].reverse().concat(routes.slice(0, 50)), { origin: ORIGIN, base: BASE });
    expect(b).toEqual(a);
  });
});

describe('split into a sitemap index past the limits', () => {
  // Synthetic: 120,001 zh-CN routes with no English twins → 50,000 + 50,000 + 20,001.
  const synthetic = Array.from({ length: 120_001 }, (_, i) => `/areas/${String(i).padStart(6, '0')}/`);

  it('past 50,000 URLs: sitemap.xml indexes sitemap-1…3.xml, each ≤ 50,000 URLs, together every page once', () => {
    const files = buildSitemaps(synthetic, { origin: ORIGIN, base: BASE });
    expect([...files.keys()]).toEqual(['sitemap.xml', 'sitemap-1.xml', 'sitemap-2.xml', 'sitemap-3.xml']);
    const index = files.get('sitemap.xml')!;
    expect(index).toContain('<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">');
    expect(locs(index)).toEqual([1, 2, 3].map((n) => `${ORIGIN}/cso-monitor/sitemap-${n}.xml`));
    const counts = [1, 2, 3].map((n) => locsFast(files.get(`sitemap-${n}.xml`)!).length);
    expect(counts).toEqual([50_000, 50_000, 20_001]);
    const all = [1, 2, 3].flatMap((n) => locsFast(files.get(`sitemap-${n}.xml`)!));
    expect(all).toEqual(synthetic.map((r) => `${ORIGIN}/cso-monitor${r}`)); // sorted, none lost, none twice
    // No twin: no alternates.
    expect(files.get('sitemap-1.xml')).not.toContain('xhtml:link rel=');
  });

  it('exactly 50,000 URLs stay in one file; 50,001 split', () => {
    expect([...buildSitemaps(synthetic.slice(0, 50_000), { origin: ORIGIN, base: '/' }).keys()]).toEqual(['sitemap.xml']);
    expect([...buildSitemaps(synthetic.slice(0, 50_001), { origin: ORIGIN, base: '/' }).keys()]).toEqual(['sitemap.xml', 'sitemap-1.xml', 'sitemap-2.xml']);
  });

  it.each([2_000, 10_000, 100_000])('past a byte limit of %i: every file stays within it', (maxBytes) => {
    const routes = both(synthetic.slice(0, 600));
    const files = buildSitemaps(routes, { origin: ORIGIN, base: BASE, maxBytes });
    expect(files.size).toBeGreaterThan(2);
    const chunks = [...files].filter(([name]) => name !== 'sitemap.xml');
    for (const [name, xml] of chunks) expect(new TextEncoder().encode(xml).length, name).toBeLessThanOrEqual(maxBytes);
    expect(chunks.flatMap(([, xml]) => locs(xml)).sort()).toEqual(routes.map((r) => `${ORIGIN}/cso-monitor${r}`).sort());
  });

  it('throws when one entry alone is over the byte limit, or a route is not root-relative', () => {
    expect(() => buildSitemaps(['/a/'], { origin: ORIGIN, base: BASE, maxBytes: 200 })).toThrow(/alone exceeds 200 bytes/);
    expect(() => buildSitemaps(['areas/1/'], { origin: ORIGIN, base: BASE })).toThrow(/must start with "\/"/);
  });
});

describe('escaping and robots.txt', () => {
  it('escapes XML specials in URLs', () => {
    const xml = buildSitemaps(["/a&b/", "/it's/"], { origin: ORIGIN, base: '/' }).get('sitemap.xml')!;
    expect(xml).toContain(`<loc>${ORIGIN}/a&amp;b/</loc>`);
    expect(xml).not.toMatch(/&(?!amp;|apos;|quot;|lt;|gt;)/);
    expect(locs(xml)).toContain(`${ORIGIN}/a&b/`);
  });

  it('points robots.txt at the sitemap when the URL is known, and says why not otherwise', () => {
    expect(buildRobots({ origin: ORIGIN, base: BASE })).toBe(`User-agent: *\nAllow: /\n\nSitemap: ${ORIGIN}/cso-monitor/sitemap.xml\n`);
    const none = buildRobots(null);
    expect(none).not.toMatch(/^Sitemap:/m);
    expect(none).toMatch(/^# .*SITE_URL/m);
  });
});
