/**
 * Deploy below a folder: the whole site is built in a temporary copy with
 * SITE_URL=http://127.0.0.1:PORT/cso-monitor/, served below /cso-monitor/ (tests/browser/server.ts, as the
 * README's nginx snippet serves it) and crawled over HTTP from every page the sitemap lists, plus the 404
 * pages. Every internal href/src must stay under the base and answer 200 without a redirect, every
 * #fragment must exist, and every built page must be reached. Prints the crawl count.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSiteCopy, type SiteBuild } from '../fixtures/hostile/site-build';
import { serveStatic, type StaticServer } from '../browser/server';
import { wantsTwin } from '../../scripts/precompress';

const ROOT = path.resolve(__dirname, '..', '..');
const BASE = '/cso-monitor/';

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();

/** Every URL-valued attribute of a page (srcset split into its URLs). */
function urlsIn(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/\s(href|src|xlink:href|action|poster|data|srcset)="([^"]*)"/g)) {
    const value = m[2].replace(/&amp;/g, '&');
    if (m[1] === 'srcset') out.push(...value.split(',').map((s) => s.trim().split(/\s+/)[0]).filter(Boolean));
    else out.push(value);
  }
  return out;
}

interface Crawl {
  pages: Map<string, string>; // pathname → HTML
  resources: Set<string>; // pathnames of non-page files fetched
  links: number; // internal URL attributes checked
  external: number;
  problems: string[];
}

async function crawl(origin: string, seeds: string[]): Promise<Crawl> {
  const result: Crawl = { pages: new Map(), resources: new Set(), links: 0, external: 0, problems: [] };
  const status = new Map<string, Promise<{ status: number; location: string | null; body: string | null }>>();
  const get = (pathname: string, page: boolean) => {
    if (!status.has(pathname)) {
      status.set(
        pathname,
        fetch(origin + pathname, { method: page ? 'GET' : 'HEAD', redirect: 'manual' }).then(async (r) => ({
          status: r.status,
          location: r.headers.get('location'),
          body: page ? await r.text() : (await r.arrayBuffer(), null),
        })),
      );
    }
    return status.get(pathname)!;
  };
  const isPage = (pathname: string) => pathname.endsWith('/') || pathname.endsWith('.html');
  const queue = [...new Set(seeds)];
  const seen = new Set(queue);
  const fragments: { from: string; to: string; id: string }[] = [];
  while (queue.length) {
    const batch = queue.splice(0, 16);
    await Promise.all(
      batch.map(async (pathname) => {
        const r = await get(pathname, true);
        if (r.status !== 200 || r.body === null) {
          result.problems.push(`${pathname}: HTTP ${r.status}${r.location ? ` → ${r.location}` : ''}`);
          return;
        }
        result.pages.set(pathname, r.body);
        const pageUrl = new URL(pathname, origin);
        const resources: Promise<void>[] = [];
        for (const raw of urlsIn(r.body)) {
          if (raw === '' || raw.startsWith('#')) {
            if (raw.length > 1) fragments.push({ from: pathname, to: pathname, id: decodeURIComponent(raw.slice(1)) });
            continue;
          }
          const url = new URL(raw, pageUrl);
          if (url.origin !== origin) {
            if (!/^https?:$/.test(url.protocol) && !/^(mailto|tel):$/.test(url.protocol)) result.problems.push(`${pathname} → ${raw}: scheme ${url.protocol}`);
            result.external++;
            continue;
          }
          result.links++;
          if (!url.pathname.startsWith(BASE)) {
            result.problems.push(`${pathname} → ${raw}: escapes ${BASE}`);
            continue;
          }
          if (url.hash.length > 1) fragments.push({ from: pathname, to: url.pathname, id: decodeURIComponent(url.hash.slice(1)) });
          if (isPage(url.pathname)) {
            if (!seen.has(url.pathname)) {
              seen.add(url.pathname);
              queue.push(url.pathname);
            }
          } else {
            resources.push(
              get(url.pathname, false).then((res) => {
                if (res.status !== 200) result.problems.push(`${pathname} → ${raw}: HTTP ${res.status}${res.location ? ` → ${res.location}` : ''}`);
                else result.resources.add(url.pathname);
              }),
            );
          }
        }
        await Promise.all(resources);
      }),
    );
  }
  const ids = new Map<string, Set<string>>();
  for (const f of fragments) {
    const html = result.pages.get(f.to);
    if (html === undefined) continue; // a resource (#page=… on a file) or an already reported failure
    if (!ids.has(f.to)) ids.set(f.to, new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1])));
    if (!ids.get(f.to)!.has(f.id)) result.problems.push(`${f.from} → ${f.to}#${f.id}: no such id`);
  }
  return result;
}

describe('the site built for and served below /cso-monitor/', () => {
  let site: SiteBuild;
  let server: StaticServer;
  let siteUrl: string;
  let result: Crawl;
  let sitemapLocs: string[];

  beforeAll(async () => {
    const port = await freePort();
    siteUrl = `http://127.0.0.1:${port}${BASE}`;
    site = await buildSiteCopy(ROOT, { env: { SITE_URL: siteUrl }, label: 'base-path' });
    server = await serveStatic(site.dist, { base: BASE, port });
    expect(server.origin + BASE).toBe(siteUrl);
    const sitemap = readFileSync(path.join(site.dist, 'sitemap.xml'), 'utf8');
    sitemapLocs = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1].replace(/&amp;/g, '&'));
    const seeds = [...sitemapLocs.map((u) => new URL(u).pathname), `${BASE}404.html`, `${BASE}en/404.html`];
    const started = performance.now();
    result = await crawl(server.origin, seeds);
    console.log(
      `base-path crawl: ${result.pages.size} pages, ${result.resources.size} other files, ${result.links} internal links checked ` +
        `(${result.external} external skipped) in ${((performance.now() - started) / 1000).toFixed(1)} s; build ${site.seconds.toFixed(0)} s`,
    );
  }, 900_000);
  afterAll(async () => {
    await server?.close();
    if (site) rmSync(site.root, { recursive: true, force: true });
  });

  it('has no broken, redirected or escaping link or asset, and no missing #fragment', () => {
    expect(result.links).toBeGreaterThan(1_000);
    expect(result.problems.slice(0, 20), `${result.problems.length} problems`).toEqual([]);
  });

  it('reaches every built page, and the sitemap lists every page but the 404s', () => {
    // embed pages are figure files (src/lib/site/views/embed-page.ts): reached from the links under figures, not in the sitemap
    const isEmbed = (p: string) => /\/embed\/[^/]+(\/[^/]+)?\.html$/.test(p);
    const html = filesUnder(site.dist).filter((f) => f.endsWith('.html')).map((f) => BASE + f.replace(/(^|\/)index\.html$/, '$1'));
    const built = html.filter((p) => !isEmbed(p));
    expect(built.length).toBeGreaterThan(10);
    expect([...result.pages.keys()].filter((p) => !isEmbed(p)).sort()).toEqual([...built].sort());
    expect([...result.pages.keys()].filter(isEmbed).sort()).toEqual(html.filter(isEmbed).sort());
    const pages = built.filter((p) => !p.endsWith('404.html'));
    expect([...sitemapLocs].sort()).toEqual(pages.map((p) => server.origin + p).sort());
    expect(built).toContain(`${BASE}404.html`);
    expect(built).toContain(`${BASE}en/404.html`);
  });

  it('writes no root-absolute URL outside the base into any page', () => {
    const offenders: string[] = [];
    for (const [page, html] of result.pages) {
      for (const raw of urlsIn(html)) if (raw.startsWith('/') && !raw.startsWith(BASE)) offenders.push(`${page}: ${raw}`);
    }
    expect(offenders.slice(0, 10)).toEqual([]);
  });

  it('gives every page an absolute canonical, its zh-CN / en / x-default alternates, and a language switch to the same page', () => {
    let checked = 0;
    for (const [page, html] of result.pages) {
      const head = html.slice(0, html.indexOf('</head>'));
      const lang = /<html lang="([^"]+)"/.exec(html)?.[1];
      const switchHref = /<a class="lang-switch[^"]*" href="([^"]+)"/.exec(html)?.[1];
      if (/\/embed\/.*\.html$/.test(page)) {
        // an embed page: not indexed, canonical = the page its figure belongs to
        expect(head, page).toContain('<meta name="robots" content="noindex">');
        const canonical = /<link rel="canonical" href="([^"]+)">/.exec(head)?.[1] ?? '';
        expect(result.pages.has(new URL(canonical).pathname), `${page} → ${canonical}`).toBe(true);
        continue;
      }
      if (page.endsWith('404.html')) {
        expect(head, page).toContain('<meta name="robots" content="noindex">');
        expect(head, page).not.toContain('rel="canonical"');
        expect(switchHref, page).toBe(lang === 'en' ? `${BASE}404.html` : `${BASE}en/404.html`);
        continue;
      }
      const canonical = /<link rel="canonical" href="([^"]+)">/.exec(head)?.[1];
      expect(canonical, page).toBe(server.origin + page);
      const alt = Object.fromEntries([...head.matchAll(/<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">/g)].map((m) => [m[1], m[2]]));
      expect(Object.keys(alt).sort(), page).toEqual(['en', 'x-default', 'zh-CN']);
      expect(alt['x-default'], page).toBe(alt['zh-CN']);
      expect(alt[lang === 'en' ? 'en' : 'zh-CN'], page).toBe(canonical);
      const twin = alt[lang === 'en' ? 'zh-CN' : 'en'];
      expect(server.origin + switchHref, page).toBe(twin);
      expect(result.pages.has(new URL(twin).pathname), `${page}: twin ${twin} was built`).toBe(true);
      expect(/<meta name="description" content="[^"]{8,}">/.test(head), `${page}: description`).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('serves the 404 pages for missing addresses, in the language of the folder', async () => {
    for (const [missing, lang] of [[`${BASE}areas/999999/`, 'zh-CN'], [`${BASE}en/areas/999999/`, 'en'], [`${BASE}no-such-file.csv`, 'zh-CN']] as const) {
      const r = await fetch(server.origin + missing);
      expect(r.status, missing).toBe(404);
      const html = await r.text();
      expect(html, missing).toContain(`<html lang="${lang}"`);
      const home = lang === 'en' ? `${BASE}en/` : BASE;
      expect(html, missing).toContain(`href="${home}"`); // its links are base-absolute, so they work at any depth
    }
    expect((await fetch(`${server.origin}/areas/511102/`)).status).toBe(404); // nothing outside the base
  });

  it('points robots.txt at the sitemap, and the citations at the site', () => {
    expect(readFileSync(path.join(site.dist, 'robots.txt'), 'utf8')).toContain(`Sitemap: ${siteUrl}sitemap.xml\n`);
    expect(readFileSync(path.join(site.dist, 'data', 'CITATION.txt'), 'utf8')).toContain(`${siteUrl}data/`);
    const dataPage = result.pages.get(`${BASE}data/`)!;
    expect(dataPage.match(/class="citation"[^>]*>[^<]*/g)?.every((c) => c.includes(`${siteUrl}data/`))).toBe(true);
    expect(JSON.parse(readFileSync(path.join(site.dist, 'data', 'datapackage.json'), 'utf8')).homepage).toBe(`${siteUrl}data/`);
  });

  it('ships .gz and .br twins that decompress to their originals', () => {
    const files = filesUnder(site.dist);
    // downloads that are gzip files themselves (data/communities/51.csv.gz, data/new_by_year.csv.gz) are not twins
    const published = new Set(['data/new_by_year.csv.gz']);
    const ownGzip = (f: string) => published.has(f) || /^data\/communities\/\d+\.csv\.gz$/.test(f);
    const twins = files.filter((f) => /\.(gz|br)$/.test(f) && !ownGzip(f));
    expect(files.filter(ownGzip).length).toBeGreaterThan(1);
    const candidates = files.filter((f) => wantsTwin(f, readFileSync(path.join(site.dist, f)).length));
    expect(twins.length).toBeGreaterThan(candidates.length); // most candidates get both
    for (const twin of twins) {
      const original = twin.replace(/\.(gz|br)$/, '');
      expect(existsSync(path.join(site.dist, original)), twin).toBe(true);
      const packed = readFileSync(path.join(site.dist, twin));
      const unpacked = twin.endsWith('.gz') ? gunzipSync(packed) : brotliDecompressSync(packed);
      expect(unpacked.equals(readFileSync(path.join(site.dist, original))), twin).toBe(true);
    }
    // shared pages have twins, the per-area trees none (nginx gzips those on the fly)
    expect(files.filter((f) => f.endsWith('index.html') && !/^(en\/)?areas\/\d{6}\//.test(f)).every((f) => files.includes(`${f}.gz`))).toBe(true);
    expect(twins.filter((f) => /^(en\/)?(areas\/\d{6}|embed|figures)\/|^data\/(areas|communities)\//.test(f))).toEqual([]);
  });
});
