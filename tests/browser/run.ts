/**
 * Browser suite: the built site in real Chromium via playwright-core.
 *
 *   npm run test:browser            (serves dist/; DIST_DIR=… to test another build)
 *
 * The last checks click through a build served below /cso-monitor/: a copy of the project built with
 * SITE_URL=http://127.0.0.1:PORT/cso-monitor/ (BASE_DIST_DIR=… serves an existing one built for BASE_PORT).
 *
 * Prints one line per check (✓ pass, ✗ fail, – skipped), writes build/browser-report.json
 * {passed, failed, skipped, checks, axe, weight, seconds} and build/screenshots/*, exits 1 on any failure.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { serveStatic } from './server';
import { buildSiteCopy } from '../fixtures/hostile/site-build';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DIST = path.resolve(process.env.DIST_DIR ?? path.join(ROOT, 'dist'));
const SITE_DATA = path.resolve(process.env.SITE_DATA_DIR ?? path.join(DIST, '..', 'build', 'site'));
const REPORT_DIR = path.join(ROOT, 'build');
const SHOTS = path.join(REPORT_DIR, 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// TOOLCHAIN.md: flags that work as root without network.
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 375, height: 812 };
const MAX_TABS = 600;

type Status = 'pass' | 'fail' | 'skip';
interface Check {
  name: string;
  status: Status;
  detail?: string;
}
const checks: Check[] = [];

function record(name: string, status: Status, detail?: string) {
  checks.push({ name, status, detail });
  const line = status === 'pass' ? `✓ ${name}` : status === 'fail' ? `✗ ${name}: ${detail}` : `– ${name}: skipped (${detail})`;
  console.log(line + (status === 'pass' && detail ? ` (${detail})` : ''));
}

/** Runs one check; an exception is a failure with its message, never a crash of the suite. */
async function check(name: string, fn: () => Promise<string | void | { skip: string }>) {
  try {
    const out = await fn();
    if (out && typeof out === 'object') record(name, 'skip', out.skip);
    else record(name, 'pass', out || undefined);
  } catch (error) {
    record(name, 'fail', (error as Error).message.split('\n').slice(0, 6).join(' | '));
  }
}

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

interface PageType {
  slug: string;
  url: string;
}

function pageTypes(): PageType[] {
  const pages: PageType[] = [
    { slug: 'overview', url: '/' },
    { slug: 'area-511100', url: '/areas/511100/' },
    { slug: 'area-511102', url: '/areas/511102/' },
  ];
  const areaDir = path.join(DIST, 'areas');
  const other = existsSync(areaDir)
    ? readdirSync(areaDir)
        .filter((c) => /^(14|22)\d{2}00$/.test(c) && !c.endsWith('0000'))
        .sort()[0]
    : undefined;
  if (other) pages.push({ slug: `area-${other}`, url: `/areas/${other}/` });
  pages.push({ slug: 'targets', url: '/targets/' }, { slug: 'data', url: '/data/' });
  if (existsSync(path.join(DIST, 'data', 'dictionary', 'index.html'))) pages.push({ slug: 'dictionary', url: '/data/dictionary/' });
  pages.push({ slug: 'methodology', url: '/methodology/' }, { slug: 'quality', url: '/quality/' });
  if (existsSync(path.join(DIST, 'en', 'index.html'))) pages.push({ slug: 'en-overview', url: '/en/' });
  if (existsSync(path.join(DIST, 'en', 'areas', '511102', 'index.html'))) pages.push({ slug: 'en-area-511102', url: '/en/areas/511102/' });
  for (const [slug, url] of [['areas-index', '/areas/'], ['published', '/published/'], ['area-510000', '/areas/510000/'], ['en-area-511133', '/en/areas/511133/'], ['en-published', '/en/published/']] as const) {
    if (existsSync(path.join(DIST, url.slice(1), 'index.html'))) pages.push({ slug, url });
  }
  if (existsSync(path.join(DIST, '404.html'))) pages.push({ slug: 'not-found', url: '/404.html' });
  if (existsSync(path.join(DIST, 'en', '404.html'))) pages.push({ slug: 'en-not-found', url: '/en/404.html' });
  return pages;
}

/** Opens a page and collects console errors, page errors, failed requests and HTTP errors. */
async function open(context: BrowserContext, url: string): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  const response = await page.goto(url, { waitUntil: 'load' });
  assert(response && response.status() === 200, `HTTP ${response?.status()} for ${url}`);
  return { page, problems };
}

/**
 * A full-page screenshot with every image loaded: figure files are `loading="lazy"`, so below the fold they
 * would be blank in the picture (and their requests would escape the failed-request check).
 */
async function fullPageShot(page: Page, file: string): Promise<void> {
  await page.evaluate(async () => {
    const images = [...document.images];
    for (const img of images) img.loading = 'eager';
    const pending = images.filter((img) => !img.complete);
    await Promise.all(
      pending.map(
        (img) =>
          new Promise<void>((done) => {
            img.addEventListener('load', () => done(), { once: true });
            img.addEventListener('error', () => done(), { once: true }); // a failed file shows in the request check
          }),
      ),
    );
  });
  await page.screenshot({ path: file, fullPage: true });
}

/** Tabs through the page: every visible control must receive focus, and show it. */
async function keyboardCheck(page: Page): Promise<string> {
  const total = await page.evaluate(() => {
    const selector =
      'a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';
    const visible = [...document.querySelectorAll(selector)].filter((el) => {
      const r = el.getBoundingClientRect();
      const cs = getComputedStyle(el);
      // Content of a closed <details> keeps a layout box in Chromium but is not focusable: not a control yet.
      const closed = el.closest('details:not([open])');
      if (closed && !(el.tagName === 'SUMMARY' && el.parentElement === closed)) return false;
      return r.width > 0 && r.height > 0 && cs.visibility !== 'hidden' && !el.closest('[hidden], [inert], [aria-hidden="true"]');
    });
    visible.forEach((el, i) => el.setAttribute('data-kb', String(i)));
    return visible.length;
  });
  const reached = new Set<number>();
  const invisibleFocus: string[] = [];
  let first: string | null = null;
  const limit = Math.min(total, MAX_TABS);
  for (let i = 0; i < limit + 5; i++) {
    await page.keyboard.press('Tab');
    const state = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const cs = getComputedStyle(el);
      const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0;
      const shadow = !!cs.boxShadow && cs.boxShadow !== 'none';
      return {
        id: el.getAttribute('data-kb'),
        label: `${el.tagName.toLowerCase()} "${(el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 30)}"`,
        shown: outline || shadow,
      };
    });
    if (!state) continue;
    const key = state.id ?? state.label;
    if (first === null) first = key;
    else if (key === first) break; // wrapped around
    if (state.id !== null) reached.add(Number(state.id));
    if (!state.shown && invisibleFocus.length < 5) invisibleFocus.push(state.label);
    if (reached.size >= limit) break;
  }
  const missed = limit - [...reached].filter((i) => i < limit).length;
  assert(missed === 0, `${missed} of ${limit} visible controls never received focus by Tab`);
  assert(invisibleFocus.length === 0, `focus not visible on: ${invisibleFocus.join(', ')}`);
  return `${reached.size}${total > MAX_TABS ? ` of first ${MAX_TABS}` : ''} controls reached, focus visible`;
}

/** Figures and tables as the server sent them: what a reader without JavaScript gets. */
async function figureCounts(page: Page) {
  return page.evaluate(() => {
    const figures = [...document.querySelectorAll('figure')];
    return {
      figures: figures.length,
      svgs: document.querySelectorAll('svg').length,
      tables: document.querySelectorAll('table').length,
      empty: figures.filter((f) => !f.querySelector('svg, table, img')).map((f) => f.id || f.className),
      hidden: figures.filter((f) => f.getBoundingClientRect().height === 0 && !f.closest('details:not([open])')).map((f) => f.id || f.className),
    };
  });
}

function countPdfPages(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
}

const BASE = '/cso-monitor/';

async function freePort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Runs `act` (a click) and returns the response of the main-frame navigation it starts, once loaded. */
async function navigate(page: Page, act: () => Promise<void>) {
  const response = page.waitForEvent('response', (r) => r.request().isNavigationRequest() && r.request().frame() === page.mainFrame());
  await act();
  const r = await response;
  await page.waitForURL(r.url(), { waitUntil: 'load' });
  return r;
}

/** Overview → briefing → data page → download → English, and a missing page, on a build served below BASE. */
async function baseChecks(context: BrowserContext) {
  let dist = process.env.BASE_DIST_DIR ? path.resolve(process.env.BASE_DIST_DIR) : null;
  let port = Number(process.env.BASE_PORT ?? 0);
  let copyRoot: string | null = null;
  await check(`${BASE} build: SITE_URL with a base path`, async () => {
    if (dist) {
      assert(port > 0, 'BASE_DIST_DIR needs BASE_PORT, the port its SITE_URL names');
      return `using ${dist}`;
    }
    port = await freePort();
    const site = await buildSiteCopy(ROOT, { env: { SITE_URL: `http://127.0.0.1:${port}${BASE}`, PRECOMPRESS: '0' }, label: 'browser-base' });
    dist = site.dist;
    copyRoot = site.root;
    return `built in ${site.seconds.toFixed(0)} s`;
  });
  const served: string | null = dist;
  if (!served || !existsSync(path.join(served, 'index.html'))) {
    record(`${BASE} click-through`, 'skip', 'no base-path build');
    return;
  }
  const server = await serveStatic(served, { base: BASE, port });
  const root = server.origin + BASE;
  try {
    await check(`${BASE} overview → briefing → data → download → English, clicked: no 404, no failed request`, async () => {
      const { page, problems } = await open(context, root);
      const steps: string[] = [];
      const click = async (selector: string, expected: RegExp) => {
        const link = page.locator(selector).first();
        assert((await link.count()) === 1, `no ${selector} on ${page.url()}`);
        const response = await navigate(page, () => link.click());
        assert(response?.status() === 200, `HTTP ${response?.status()} for ${page.url()}`);
        const url = page.url();
        assert(url.startsWith(root), `${selector} led to ${url}, outside ${root}`);
        assert(expected.test(url.slice(root.length - 1)), `${selector} led to ${url}`);
        steps.push(url.slice(server.origin.length));
      };
      // sort-table.js is loaded from below the base: its buttons prove it ran.
      assert((await page.locator('table[data-sortable] th button.sort').count()) > 0, 'sort-table.js did not run (script URL outside the base?)');
      await click('main a[href*="/areas/"]', /^\/areas\/\d{6}\/$/);
      await click('.site-nav a[href$="/data/"]', /^\/data\/$/);
      const download = await page.locator('main a[href$="/data/areas.csv"]').first().getAttribute('href');
      assert(download && download.startsWith(BASE), `download link ${download}`);
      const csv = await page.request.get(server.origin + download);
      assert(csv.status() === 200 && (await csv.body()).length > 100, `HTTP ${csv.status()} for ${download}`);
      steps.push(download);
      await click('a[data-lang-switch]', /^\/en\/data\/$/);
      await click('a.site-title', /^\/en\/$/);
      await page.close();
      assert(problems.length === 0, problems.slice(0, 5).join('; '));
      return steps.join(' → ');
    });

    await check(`${BASE} a missing page: the 404 page, status 404, links back under the base`, async () => {
      const page = await context.newPage();
      const failed: string[] = [];
      page.on('response', (r) => {
        if (r.status() >= 400 && !r.url().includes('/areas/999999/')) failed.push(`HTTP ${r.status()}: ${r.url()}`);
      });
      const response = await page.goto(`${root}en/areas/999999/`, { waitUntil: 'load' });
      assert(response?.status() === 404, `HTTP ${response?.status()}`);
      assert((await page.getAttribute('html', 'lang')) === 'en', 'not the English 404 page');
      const back = await navigate(page, () => page.locator('main a').first().click());
      assert(back?.status() === 200 && page.url() === `${root}en/`, `first link led to ${page.url()} (HTTP ${back?.status()})`);
      await page.close();
      assert(failed.length === 0, failed.join('; '));
      return `→ ${page.url().slice(server.origin.length)}`;
    });
  } finally {
    await server.close();
    if (copyRoot) rmSync(copyRoot, { recursive: true, force: true });
  }
}

/** The figures' extras on /areas/511102/ (src/components/FigureFiles.astro): the in-browser PNG and an embed page. */
async function figureChecks(context: BrowserContext, origin: string, axeSummary: Record<string, Record<string, number>>) {
  await check('/areas/511102/ PNG button: a 1600 px wide PNG (IHDR) with the SVG file\'s aspect ratio', async () => {
    const { page, problems } = await open(context, `${origin}/areas/511102/`);
    const button = page.locator('#trend button[data-png]');
    assert((await button.count()) === 1, 'no PNG button under the trend');
    assert(await button.isVisible(), 'the PNG button stays hidden (figure-png.js did not run)');
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    const file = await download.path();
    assert(file, 'the download was not saved');
    const b = readFileSync(file!);
    writeFileSync(path.join(SHOTS, 'figure-png-511102-trend.png'), b); // to look at: the Chinese text must be readable
    assert(b.subarray(0, 8).toString('hex') === '89504e470d0a1a0a' && b.subarray(12, 16).toString('latin1') === 'IHDR', 'not a PNG');
    const [w, h] = [b.readUInt32BE(16), b.readUInt32BE(20)];
    const svgHref = await page.locator('#trend a[data-file="svg"]').getAttribute('href');
    const svg = await (await page.request.get(origin + svgHref)).text();
    const m = /<svg xmlns[^>]* width="([\d.]+)" height="([\d.]+)"/.exec(svg);
    assert(m, 'the SVG file has no width/height');
    const want = Math.round((Number(m![2]) * 1600) / Number(m![1]));
    await page.close();
    assert(w === 1600 && Math.abs(h - want) <= 1, `${w}×${h}, expected 1600×${want}`);
    assert(problems.length === 0, problems.join('; '));
    return `${download.suggestedFilename()} ${w}×${h}, ${(b.length / 1024).toFixed(0)} KB`;
  });

  for (const url of ['/embed/areas/511102-trend.html', '/en/embed/areas/511102-mix.html', '/embed/areas/511100-map-rural.html']) {
    await check(`${url} embed in an <iframe>: axe 0, link back`, async () => {
      const page = await context.newPage();
      await page.setContent(`<!doctype html><html lang="en"><head><title>host</title></head><body><main><iframe title="embed" src="${origin}${url}" width="800" height="600"></iframe></main></body></html>`);
      const frame = page.frameLocator('iframe');
      await frame.locator('figure img').first().waitFor();
      const loaded = await frame.locator('figure img').first().evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0);
      assert(loaded, 'the figure image did not load inside the iframe');
      await page.close();
      const { page: direct, problems } = await open(context, origin + url);
      const result = await new AxeBuilder({ page: direct }).analyze();
      const counts = { minor: 0, moderate: 0, serious: 0, critical: 0 } as Record<string, number>;
      for (const v of result.violations) counts[v.impact ?? 'minor'] += v.nodes.length;
      axeSummary[url] = counts;
      const back = await direct.locator('a[target="_top"]').getAttribute('href');
      await direct.close();
      assert(result.violations.length === 0, result.violations.map((v) => `${v.id} (${v.nodes.length})`).join(', '));
      assert(/\/areas\/5111\d\d\/$/.test(back ?? ''), `link back is ${back}`);
      assert(problems.length === 0, problems.join('; '));
    });
  }
}

/** A briefing's map is its SVG file as an <img>: it loads at a readable size, and the table under it links every child. */
async function mapObjectCheck(context: BrowserContext, origin: string) {
  await check('/areas/511100/ maps as <img>: each file loads, the table under them links every child', async () => {
    const { page, problems } = await open(context, `${origin}/areas/511100/`);
    const imgs = page.locator('.area-maps img[data-figure-file]');
    assert((await imgs.count()) === 2, `${await imgs.count()} map images on /areas/511100/`);
    const sizes: string[] = [];
    for (let i = 0; i < 2; i++) {
      const img = imgs.nth(i);
      await img.scrollIntoViewIfNeeded();
      await page.waitForFunction((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0, await img.elementHandle());
      const box = await img.evaluate((el: HTMLImageElement) => ({ w: el.naturalWidth, h: el.getBoundingClientRect().height }));
      assert(box.h > 100, `map ${i} is ${box.h}px high`);
      // the table under the pair of maps (AreaMaps.astro: one for both, the children with their attainment)
      const links = await img.evaluate((el) => el.closest('.area-maps')!.querySelectorAll('#children-table a[href*="/areas/"]').length);
      assert(links > 0, `map ${i}: no child links in its table`);
      sizes.push(`${box.w}px, ${links} links`);
    }
    await page.close();
    assert(problems.length === 0, problems.join('; '));
    return sizes.join('; ');
  });
}

async function main() {
  const started = performance.now();
  assert(existsSync(path.join(DIST, 'index.html')), `${DIST}/index.html is missing: build the site first (npm run build)`);
  assert(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium`);
  mkdirSync(SHOTS, { recursive: true });
  const server = await serveStatic(DIST);
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  const axeSummary: Record<string, Record<string, number>> = {};
  let weight: Record<string, number> = {};
  const pages = pageTypes();
  console.log(`browser suite: ${pages.length} page types from ${DIST} at ${server.origin}`);

  try {
    const desktop = await browser.newContext({ viewport: DESKTOP });
    const phone = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const noJs = await browser.newContext({ viewport: DESKTOP, javaScriptEnabled: false });
    desktop.setDefaultTimeout(30_000);

    for (const { slug, url } of pages) {
      const full = server.origin + url;
      let jsCounts: Awaited<ReturnType<typeof figureCounts>> | null = null;

      await check(`${url} renders without console errors or failed requests`, async () => {
        const { page, problems } = await open(desktop, full);
        await page.waitForTimeout(200);
        jsCounts = await figureCounts(page);
        await fullPageShot(page, path.join(SHOTS, `${slug}-desktop.png`));
        await page.close();
        assert(problems.length === 0, problems.slice(0, 5).join('; '));
      });

      await check(`${url} axe: no serious or critical violations`, async () => {
        const { page } = await open(desktop, full);
        const result = await new AxeBuilder({ page }).analyze();
        await page.close();
        const counts: Record<string, number> = { minor: 0, moderate: 0, serious: 0, critical: 0 };
        for (const v of result.violations) counts[v.impact ?? 'minor'] += v.nodes.length;
        axeSummary[url] = counts;
        const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        assert(bad.length === 0, bad.map((v) => `${v.id} (${v.impact}, ${v.nodes.length}× e.g. ${v.nodes[0]?.target.join(' ')})`).join('; '));
        const others = result.violations.map((v) => `${v.id}×${v.nodes.length}`).join(', ');
        return `minor ${counts.minor}, moderate ${counts.moderate}${others ? `: ${others}` : ''}`;
      });

      await check(`${url} keyboard: every control reachable with visible focus`, async () => {
        const { page } = await open(desktop, full);
        const out = await keyboardCheck(page);
        await page.close();
        return out;
      });

      await check(`${url} phone 375×812: no horizontal scroll`, async () => {
        const { page } = await open(phone, full);
        await page.waitForTimeout(200);
        const overflow = await page.evaluate(() => {
          const width = document.documentElement.clientWidth;
          const scroll = document.documentElement.scrollWidth;
          // The outermost elements that stick out: their parent still fits. (No named helper here:
          // tsx would wrap it in __name(), which does not exist in the page.)
          const culprits = [...document.querySelectorAll('body *')]
            .filter((el) => el.getBoundingClientRect().right > width + 1 && el.getBoundingClientRect().width > 0)
            // Inside a scrolling box (e.g. .table-scroll) an element does not widen the page, unless it is
            // absolutely positioned against something outside that box (a visually-hidden span, say).
            .filter((el) => {
              if (/absolute|fixed/.test(getComputedStyle(el).position)) return true;
              for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) if (getComputedStyle(a).overflowX !== 'visible') return false;
              return !el.parentElement || el.parentElement.getBoundingClientRect().right <= width + 1;
            })
            .slice(0, 3)
            .map((el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : ''} "${(el.textContent ?? '').trim().slice(0, 20)}" in ${el.parentElement?.tagName.toLowerCase()} (right ${Math.round(el.getBoundingClientRect().right)})`);
          // Text that does not wrap (white-space: nowrap) overflows its box without widening any element box.
          const textOverflow = [...document.querySelectorAll('body *')]
            .filter((el) => getComputedStyle(el).overflowX === 'visible' && el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0)
            .filter((el) => el.getBoundingClientRect().left + el.scrollWidth > width + 1)
            .filter((el) => ![...el.children].some((c) => c.scrollWidth > c.clientWidth + 1 && c.clientWidth > 0))
            .slice(0, 2)
            .map((el) => `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : ''} "${(el.textContent ?? '').trim().slice(0, 24)}" (white-space: ${getComputedStyle(el).whiteSpace})`);
          return { width, scroll, culprits: [...culprits, ...textOverflow] };
        });
        await fullPageShot(page, path.join(SHOTS, `${slug}-phone.png`));
        await page.close();
        assert(overflow.scroll <= PHONE.width && overflow.scroll <= overflow.width, `page is ${overflow.scroll}px wide in a ${overflow.width}px viewport: ${overflow.culprits.join(', ')}`);
      });

      await check(`${url} without JavaScript: every figure and table present`, async () => {
        const { page } = await open(noJs, full);
        const counts = await figureCounts(page);
        await page.close();
        assert(jsCounts, 'no JavaScript-enabled counts to compare with (page did not load)');
        const withJs = jsCounts as NonNullable<typeof jsCounts>;
        assert(counts.empty.length === 0, `figures without svg/table: ${counts.empty.join(', ')}`);
        assert(counts.hidden.length === 0, `figures not displayed: ${counts.hidden.join(', ')}`);
        assert(
          counts.figures === withJs.figures && counts.svgs >= withJs.svgs && counts.tables === withJs.tables,
          `without JS ${counts.figures} figures/${counts.svgs} svg/${counts.tables} tables, with JS ${withJs.figures}/${withJs.svgs}/${withJs.tables}`,
        );
        return `${counts.figures} figures, ${counts.svgs} svg, ${counts.tables} tables`;
      });
    }

    // ------------------------------------------------------------ overview specifics
    const meta = existsSync(path.join(SITE_DATA, 'meta.json')) ? JSON.parse(readFileSync(path.join(SITE_DATA, 'meta.json'), 'utf8')) : null;

    // ------------------------------------------------------------ the header search
    for (const [context, label] of [[desktop, 'desktop'], [phone, 'phone 375 px']] as const) {
      await check(`search (${label}): "mabian" and "mb" find 马边彝族自治县; ↓ + Enter opens it; the input has a name and the count is announced`, async () => {
        const { page, problems } = await open(context, server.origin + '/');
        const input = page.locator('[data-search-box] input[type="search"]').first();
        const name = await input.evaluate((el) => (el as HTMLInputElement).labels?.[0]?.textContent?.trim() ?? el.getAttribute('aria-label') ?? '');
        assert(name.length > 0, 'the search input has no accessible name');
        assert((await input.getAttribute('role')) === 'combobox', `role is ${await input.getAttribute('role')}, not combobox`);
        const found: string[] = [];
        for (const query of ['mabian', 'mb']) {
          await input.fill('');
          await input.focus();
          await input.pressSequentially(query, { delay: 20 });
          await page.waitForSelector('[role="listbox"] [role="option"]', { timeout: 10_000 });
          const first = await page.locator('[role="listbox"] [role="option"]').allTextContents();
          assert(first.some((x) => x.includes('马边彝族自治县')), `"${query}" → ${first.slice(0, 3).join(' | ')}`);
          found.push(`${query}: ${first.length}`);
        }
        // The count is announced after a short pause (so a screen reader is not interrupted at every key).
        await page.waitForFunction(() => (document.querySelector('[data-search-box] [role="status"]')?.textContent ?? '').trim().length > 0, null, { timeout: 5_000 }).catch(() => undefined);
        const status = await page.locator('[data-search-box] [role="status"]').first().textContent();
        assert((status ?? '').trim().length > 0, 'the live region announced nothing');
        assert((await input.getAttribute('aria-expanded')) === 'true', 'aria-expanded is not true with results shown');
        await input.fill('');
        await input.pressSequentially('mabian', { delay: 20 });
        await page.waitForSelector('[role="listbox"] [role="option"]');
        await page.keyboard.press('ArrowDown');
        const active = await input.getAttribute('aria-activedescendant');
        assert(active && active.endsWith('511133'), `aria-activedescendant is ${active}`);
        await Promise.all([page.waitForURL(/\/areas\/511133\/$/), page.keyboard.press('Enter')]);
        await page.close();
        assert(problems.length === 0, problems.slice(0, 3).join('; '));
        return `${found.join(', ')}; status "${(status ?? '').trim()}"`;
      });
    }

    await check('/ map: one region per district, each linking to its briefing', async () => {
      assert(meta, `${SITE_DATA}/meta.json is missing`);
      const { page } = await open(desktop, server.origin + '/');
      const maps = await page.evaluate(() =>
        [...document.querySelectorAll('svg.choropleth')].map((svg) => ({
          id: svg.id,
          codes: [...svg.querySelectorAll('g.counties a[href]')].map((a) => /\/areas\/(\d{6})\//.exec(a.getAttribute('href') ?? '')?.[1] ?? '?'),
          paths: svg.querySelectorAll('g.counties path').length,
        })),
      );
      await page.close();
      assert(maps.length > 0, 'no svg.choropleth on the overview');
      const want = [...meta.district_codes].sort();
      for (const map of maps) {
        assert(JSON.stringify([...map.codes].sort()) === JSON.stringify(want), `${map.id}: regions ${map.codes.length} [${map.codes.join(',')}] ≠ districts ${want.length}`);
        assert(map.paths >= want.length, `${map.id}: ${map.paths} paths for ${want.length} districts`);
      }
      return `${maps.length} maps × ${want.length} districts`;
    });

    await check('/ interactive: sortable table reorders on header click', async () => {
      const { page, problems } = await open(desktop, server.origin + '/');
      const table = page.locator('table[data-sortable]').first();
      if ((await table.count()) === 0) {
        await page.close();
        return { skip: 'no table[data-sortable] on the overview' };
      }
      const column = await table.evaluate((t: HTMLTableElement) => [...t.tHead!.rows[0].cells].findIndex((c) => c.getAttribute('data-type') === 'number'));
      assert(column >= 0, 'no numeric sortable column');
      const values = () =>
        table.evaluate((t: HTMLTableElement, col: number) => [...t.tBodies[0].rows].map((r) => Number(r.cells[col].getAttribute('data-sort') ?? r.cells[col].textContent!.replace(/,/g, ''))), column);
      const before = await values();
      const button = table.locator('thead th').nth(column).locator('button');
      assert((await button.count()) === 1, 'the sortable header has no button (sort-table.js did not run)');
      await button.click();
      const asc = await values();
      await button.click();
      const desc = await values();
      const sortedAsc = [...before].sort((a, b) => a - b);
      assert(JSON.stringify(asc) === JSON.stringify(sortedAsc), `after one click not ascending: ${asc.join(',')}`);
      assert(JSON.stringify(desc) === JSON.stringify([...sortedAsc].reverse()), `after two clicks not descending: ${desc.join(',')}`);
      assert(JSON.stringify(before) !== JSON.stringify(asc) || JSON.stringify(before) !== JSON.stringify(desc), 'order never changed');
      const ariaSort = await table.locator('thead th').nth(column).getAttribute('aria-sort');
      assert(ariaSort === 'descending', `aria-sort is ${ariaSort}`);
      await page.close();
      assert(problems.length === 0, problems.join('; '));
      return `column ${column}: ${before.length} rows`;
    });

    await check('/ interactive: map kind switch shows one map at a time', async () => {
      const { page } = await open(desktop, server.origin + '/');
      if ((await page.locator('[data-map-switch]').count()) === 0) {
        await page.close();
        return { skip: 'no [data-map-switch] on the overview' };
      }
      const buttons = page.locator('.map-switch button');
      const n = await buttons.count();
      assert(n >= 2, `${n} switch buttons`);
      const visibleKinds = () =>
        page.evaluate(() => [...document.querySelectorAll('[data-map-kind]')].filter((p) => !(p as HTMLElement).hidden && p.getBoundingClientRect().height > 0).map((p) => p.getAttribute('data-map-kind')));
      const initial = await visibleKinds();
      assert(initial.length === 1, `initially ${initial.length} maps visible`);
      await buttons.nth(1).click();
      const after = await visibleKinds();
      assert(after.length === 1 && after[0] !== initial[0], `after switching: ${after.join(',')} (was ${initial.join(',')})`);
      assert((await buttons.nth(1).getAttribute('aria-pressed')) === 'true', 'aria-pressed not updated');
      await buttons.nth(1).press('Shift+Tab');
      await page.keyboard.press('Enter');
      const back = await visibleKinds();
      assert(back[0] === initial[0], `keyboard Enter on the first button did not switch back: ${back.join(',')}`);
      await page.close();
      return `${initial[0]} → ${after[0]} → ${back[0]} (mouse and keyboard)`;
    });

    await check('/ page weight', async () => {
      const page = await desktop.newPage();
      const responses: { url: string; type: string; bytes: number; gzip: number }[] = [];
      page.on('response', async (r) => {
        try {
          const body = await r.body();
          const type = (r.headers()['content-type'] ?? '').split(';')[0];
          const compressible = /html|css|javascript|json|svg/.test(type);
          responses.push({ url: r.url(), type, bytes: body.length, gzip: compressible ? gzipSync(body, { level: 9 }).length : body.length });
        } catch {
          /* redirects have no body */
        }
      });
      await page.goto(server.origin + '/', { waitUntil: 'networkidle' });
      await page.close();
      const sum = (f: (r: (typeof responses)[number]) => boolean, k: 'bytes' | 'gzip') => responses.filter(f).reduce((s, r) => s + r[k], 0);
      const js = (r: (typeof responses)[number]) => /javascript/.test(r.type);
      weight = {
        requests: responses.length,
        bytes: sum(() => true, 'bytes'),
        gzip: sum(() => true, 'gzip'),
        html_bytes: sum((r) => /html/.test(r.type), 'bytes'),
        html_gzip: sum((r) => /html/.test(r.type), 'gzip'),
        css_bytes: sum((r) => /css/.test(r.type), 'bytes'),
        js_bytes: sum(js, 'bytes'),
        js_gzip: sum(js, 'gzip'),
      };
      const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
      return `${weight.requests} requests, ${kb(weight.bytes)} (gzip ${kb(weight.gzip)}); HTML ${kb(weight.html_bytes)} (gzip ${kb(weight.html_gzip)}); JS ${kb(weight.js_bytes)} (gzip ${kb(weight.js_gzip)})`;
    });

    // ------------------------------------------------------------ briefing print
    for (const url of ['/areas/511102/', '/areas/511100/', '/en/areas/511102/', '/en/areas/511100/']) {
      const code = url.replace(/^\/(en)?\/?areas\//, (_, en) => (en ? 'en-' : '')).replace(/\/$/, '');
      await check(`${url} prints on one A4 page`, async () => {
        const { page } = await open(desktop, `${server.origin}${url}`);
        await page.emulateMedia({ media: 'print' });
        const pdf = await page.pdf({ format: 'A4', printBackground: true });
        await page.close();
        writeFileSync(path.join(SHOTS, `briefing-${code}.pdf`), pdf);
        const pages = countPdfPages(pdf);
        assert(pages === 1, `${pages} A4 pages (build/screenshots/briefing-${code}.pdf)`);
        return `${(pdf.length / 1024).toFixed(0)} KB PDF`;
      });
    }

    await figureChecks(desktop, server.origin, axeSummary);
    await mapObjectCheck(desktop, server.origin);
    await baseChecks(desktop);

    await desktop.close();
    await phone.close();
    await noJs.close();
  } finally {
    await browser.close();
    await server.close();
  }

  const seconds = Number(((performance.now() - started) / 1000).toFixed(1));
  const passed = checks.filter((c) => c.status === 'pass').length;
  const failed = checks.filter((c) => c.status === 'fail').length;
  const skipped = checks.filter((c) => c.status === 'skip').length;
  console.log('\naxe violations (nodes) per page: minor / moderate / serious / critical');
  for (const [url, c] of Object.entries(axeSummary)) console.log(`  ${url.padEnd(22)} ${c.minor} / ${c.moderate} / ${c.serious} / ${c.critical}`);
  console.log(`\nbrowser: ${passed} passed, ${failed} failed, ${skipped} skipped in ${seconds} s; screenshots in ${path.relative(ROOT, SHOTS)}/`);
  mkdirSync(REPORT_DIR, { recursive: true });
  writeFileSync(
    path.join(REPORT_DIR, 'browser-report.json'),
    JSON.stringify({ passed, failed, skipped, seconds, dist: DIST, checks, axe: axeSummary, weight }, null, 2) + '\n',
  );
  process.exit(failed ? 1 : 0);
}

main().catch((error) => {
  console.error(`✗ browser suite could not run: ${(error as Error).message}`);
  mkdirSync(REPORT_DIR, { recursive: true });
  writeFileSync(path.join(REPORT_DIR, 'browser-report.json'), JSON.stringify({ passed: 0, failed: 1, skipped: 0, checks, error: (error as Error).message }, null, 2) + '\n');
  process.exit(1);
});
