import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseHTML } from 'linkedom';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../helpers/build';
import { routeOf } from '../../src/i18n/paths';

/**
 * The figures' files on the built site: every download link under a figure on a briefing resolves to a
 * file in dist/, the share preview meta is there and points at a 1200 × 630 PNG, and the embed pages
 * carry their title, source and link back. Base path: these links are checked below the build's base
 * (SITE_BASE, default "/").
 */
let dist = '';
const BASE = process.env.SITE_BASE ?? '/';
const dom = (rel: string) => parseHTML(readFileSync(path.join(dist, rel), 'utf8')).document;
/** dist/ file for an href: "/figures/x.svg" → dist/figures/x.svg, "/embed/…/" → dist/embed/…/index.html. */
function fileOf(href: string): string {
  const route = routeOf(new URL(href, 'http://x').pathname, BASE);
  return path.join(dist, route.endsWith('/') ? `${route}index.html` : route);
}
const pngSize = (file: string) => {
  const b = readFileSync(file);
  expect(b.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect(b.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
};

beforeAll(() => {
  dist = ensureBuilt();
});

describe.each([
  ['areas/511102/index.html', 'zh-CN'],
  ['en/areas/511102/index.html', 'en'],
  ['areas/511100/index.html', 'zh-CN'],
  ['index.html', 'zh-CN'],
])('%s', (page, lang) => {
  it('offers SVG, PNG, CSV and an embed page under every figure, each link resolving to a file without compressed twins', () => {
    const doc = dom(page);
    const blocks = [...doc.querySelectorAll('[data-figure-files]')];
    const expected = page.startsWith('index') ? 4 : page.includes('511100') ? 4 : 2; // overview: 2 maps + 2 ranked; prefecture: trend, mix, 2 maps
    expect(blocks.length).toBe(expected);
    for (const block of blocks) {
      const links = [...block.querySelectorAll('a[data-file]')];
      expect(links.map((a) => a.getAttribute('data-file'))).toEqual(['svg', 'csv', 'embed']);
      for (const a of links) {
        const file = fileOf(a.getAttribute('href')!);
        expect(existsSync(file), a.getAttribute('href')!).toBe(true);
        expect(existsSync(`${file}.gz`) || existsSync(`${file}.br`), `${file} has a twin`).toBe(false);
      }
      const png = block.querySelector('button[data-png]')!;
      expect(png.hasAttribute('hidden')).toBe(true); // shown by public/scripts/figure-png.js only
      expect(png.getAttribute('data-png')).toBe('1600');
      const svg = readFileSync(fileOf(links[0].getAttribute('href')!), 'utf8');
      expect(svg).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      expect(svg).toContain(`lang="${lang}"`);
      // the CSV's table has one row per row of the figure's data table (the table beside the figure)
      // (a briefing's two maps share one table under the pair: its children, #children-table, AreaMaps.astro)
      const holder = block.closest('figure, .map-panel')!;
      const table = holder.querySelector('details table') ?? block.closest('.area-maps')?.querySelector('#children-table');
      const tableRows = table ? table.querySelectorAll('tbody tr').length : 0;
      const csv = readFileSync(fileOf(links[1].getAttribute('href')!), 'utf8');
      expect(tableRows).toBeGreaterThan(0);
      expect(csv.split('\r\n\r\n')[1].trim().split('\r\n').length - 1).toBe(tableRows);
      // the embed page carries the iframe snippet pointing at itself
      const embed = parseHTML(readFileSync(fileOf(links[2].getAttribute('href')!), 'utf8')).document;
      expect(embed.querySelector('details code')!.textContent).toContain(links[2].getAttribute('href')!);
    }
  });

  it('shows a briefing figure as its file (<img>), so it is stored once', () => {
    const doc = dom(page);
    for (const el of doc.querySelectorAll('[data-figure-file]')) {
      const src = el.getAttribute('src')!;
      expect(existsSync(fileOf(src)), src).toBe(true);
      expect(el.getAttribute('alt')!.length).toBeGreaterThan(3);
    }
    if (!page.startsWith('index')) expect(doc.querySelectorAll('[data-figure-file]').length).toBe(doc.querySelectorAll('[data-figure-files]').length);
  });

});

describe.each([
  ['areas/511102/index.html', 'zh-CN'],
  ['en/areas/511102/index.html', 'en'],
])('%s', (page, lang) => {
  it('has the share preview: og/twitter meta, the image a 1200 × 630 PNG', () => {
    const doc = dom(page);
    const meta = (sel: string) => doc.querySelector(`meta[${sel}]`)?.getAttribute('content');
    expect(meta('property="og:title"')).toContain(lang === 'en' ? 'Shizhong' : '市中区');
    expect(meta('name="twitter:card"')).toBe('summary_large_image');
    expect(meta('property="og:locale"')).toBe(lang === 'en' ? 'en_GB' : 'zh_CN');
    const image = meta('property="og:image"')!;
    expect(pngSize(fileOf(image))).toEqual({ width: 1200, height: 630 });
  });

  it('says how to cite the page in GB/T 7714 and APA with the as-of date and the page URL', () => {
    const doc = dom(page);
    const gbt = doc.querySelector('[data-cite-gbt]')!.textContent!;
    const apa = doc.querySelector('[data-cite-apa]')!.textContent!;
    const canonical = doc.querySelector('link[rel="canonical"]')!.getAttribute('href')!;
    const asOf = doc.querySelector('.dataset-line time')!.getAttribute('datetime')!;
    expect(gbt).toContain('[EB/OL]');
    for (const text of [gbt, apa]) {
      expect(text).toContain(asOf);
      expect(text).toContain(canonical);
    }
  });
});

describe.each(['embed/areas/511102-trend.html', 'en/embed/areas/511102-mix.html', 'embed/areas/511100-map-urban.html', 'en/embed/overview-ranked-rural.html'])('%s', (page) => {
  it('is chrome-free with the figure, its source, its CSV and a link back', () => {
    const doc = dom(page);
    expect(doc.querySelector('header, nav, footer, script')).toBeNull();
    // the figure is its standalone SVG file, with the chart's text alternative
    const img = doc.querySelector('figure img')!;
    expect(existsSync(fileOf(img.getAttribute('src')!))).toBe(true);
    expect(img.getAttribute('alt')!.length).toBeGreaterThan(20);
    expect(doc.querySelector('meta[name="robots"]')!.getAttribute('content')).toBe('noindex');
    const back = doc.querySelector('a[target="_top"]')!.getAttribute('href')!;
    expect(existsSync(fileOf(back))).toBe(true);
    expect(existsSync(fileOf(doc.querySelector('a[href$=".csv"]')!.getAttribute('href')!))).toBe(true);
    expect(existsSync(fileOf(doc.querySelector('link[rel="stylesheet"]')!.getAttribute('href')!))).toBe(true);
    expect(doc.body.textContent).toMatch(/CC0-1.0|CC-BY|许可|Licence/);
  });
});
