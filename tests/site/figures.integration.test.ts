import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { parseHTML } from 'linkedom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInTemp, type PipelineRun } from '../helpers/pipeline-run';
import { writeFigureFiles } from '../../scripts/figure-files';
import { createSiteData, type SiteData } from '../../src/lib/site/data';
import {
  allFigures, areaFigures, figureCsvFile, figureLinks, figureRoutes, figureSvgFile, overviewFigures, shareCardFile, type FigureSpec, type Loc,
} from '../../src/lib/site/views/figures';
import { embedPageHtml } from '../../src/lib/site/views/embed-page';
import { locatorFrameRoute, locatorFrames } from '../../src/lib/site/views/area-map';
import { briefingCitation, shareImage } from '../../src/lib/site/views/share';
import { SITE_NAME } from '../../src/lib/publish/citation';
import { splitFigureCsv } from '../../src/lib/publish/figure-csv';
import { formatDensity, formatInt, formatPercent, formatTarget } from '../../src/lib/site/format';
import type { Lang } from '../../src/i18n/strings';

// The figures on the pipeline's real output for the shipped sample (Leshan, with 四川省 and 全国 above it):
// which figures each page has, the CSV of a figure has exactly the rows of its data table, the files carry
// their stamp, and the file step writes what the pages link to.
let run: PipelineRun;
let tmp: string;
let data: SiteData;
const LOC: Loc = { base: '/cso-monitor/', origin: 'https://example.org' };

beforeAll(async () => {
  run = await runInTemp(path.resolve('data/sample'));
  tmp = run.base;
  data = createSiteData(run.siteDir);
}, 180_000);
afterAll(() => run.cleanup());

type Cell = FigureSpec['rows'][number][string];
const cellText = (c: Cell) => (c === null ? '' : typeof c === 'string' ? c : 'text' in c ? c.text : c.status);
const parseTable = (csv: string) => Papa.parse<string[]>(splitFigureCsv(csv).table.trim(), { skipEmptyLines: true }).data;

/** What a numeric CSV cell shows on the page, by its column. */
function shownAs(key: string, n: number | null, lang: Lang): string {
  if (key.endsWith('_orgs') || key === 'count' || key === 'required') return formatInt(n, lang);
  if (key === 'target') return formatTarget(n, lang);
  if (key === 'attainment') return formatPercent(n, lang);
  return formatDensity(n, lang);
}

describe.each([
  // code, lang, the figures of its briefing in page order
  ['511102', 'zh-CN', ['trend', 'mix']],
  ['511102', 'en', ['trend', 'mix']],
  ['511111', 'en', ['trend', 'mix']],
  ['511100', 'zh-CN', ['trend', 'mix', 'map-urban', 'map-rural']],
  ['511100', 'en', ['trend', 'mix', 'map-urban', 'map-rural']],
  ['510000', 'zh-CN', ['map-urban', 'map-rural']], // a province the sample does not count: its children's maps only
] as [string, Lang, string[]][])('figures of %s (%s)', (code, lang, names) => {
  let views: FigureSpec[];
  beforeAll(() => {
    views = areaFigures(data, code, lang);
  });

  it('has the expected figures', () => {
    expect(views.map((v) => v.name)).toEqual(names);
  });

  it('writes CSV rows equal to the table rows (same order, same values, raw numbers)', () => {
    for (const view of views) {
      const table = parseTable(figureCsvFile(view));
      expect(table[0]).toEqual(view.columns.map((c) => c.label));
      expect(table.length - 1).toBe(view.rows.length);
      expect(view.rows.length).toBeGreaterThan(0);
      view.rows.forEach((row, i) => {
        view.columns.forEach((col, j) => {
          const csv = table[i + 1][j];
          const shown = cellText(row[col.key]);
          if (col.key === 'date') expect(view.csvRows[i].date).toBe(csv); // ISO in the CSV, a label on the page
          else if (!col.numeric) expect(csv, `${view.name} ${col.key}`).toBe(shown);
          else expect(shownAs(col.key, csv === '' ? null : Number(csv), lang), `${view.name} ${col.key} row ${i}`).toBe(shown);
        });
      });
    }
  });

  it('lists every child of the map in its table (maps only)', () => {
    for (const view of views.filter((v) => v.name.startsWith('map-'))) {
      const children = data.areas().filter((a) => a.parent_code === code && data.mapOf(code)!.features.some((f) => f.properties.code === a.code));
      expect(view.rows.length).toBe(children.length);
    }
  });

  it('stamps the area, as-of date, basis, units, source, licence and page URL in the CSV fields and the SVG', () => {
    const dataset = data.meta().dataset;
    const page = `https://example.org/cso-monitor/${lang === 'en' ? 'en/' : ''}areas/${code}/`;
    for (const view of views) {
      const { fields } = splitFigureCsv(figureCsvFile(view, LOC));
      expect(fields.some((f) => f.includes(code))).toBe(true);
      expect(fields.some((f) => f.endsWith(`,${dataset.as_of}`))).toBe(true);
      expect(fields.some((f) => f.endsWith(`,${dataset.license}`))).toBe(true);
      expect(fields.some((f) => f.startsWith(lang === 'en' ? 'Units,' : '单位,'))).toBe(true);
      expect(fields.at(-1)).toBe(`${lang === 'en' ? 'Page' : '页面'},${page}`);
      const svg = figureSvgFile(view, LOC);
      for (const s of [dataset.as_of, dataset.license, view.stamp.label, page]) expect(svg).toContain(s);
      expect(view.stamp.label).toBe(lang === 'en' ? 'SAMPLE' : '示例数据，非官方统计');
      expect(svg).toMatch(/<style>text\{font-family:'Noto Sans CJK SC',[^}]*'Microsoft YaHei'[^}]*sans-serif;white-space:pre\}<\/style>/);
    }
  });

  it('links the files and the embed page under the site base with flat names, and an iframe snippet with the absolute URL', () => {
    const en = lang === 'en' ? '/en' : '';
    for (const view of views) {
      const links = figureLinks(view, LOC);
      expect(figureRoutes(view)).toEqual({
        svg: `${en}/figures/areas/${code}-${view.name}.svg`,
        csv: `${en}/figures/areas/${code}-${view.name}.csv`,
        embed: `${en}/embed/areas/${code}-${view.name}.html`,
      });
      expect(links.svg).toBe(`/cso-monitor${en}/figures/areas/${code}-${view.name}.svg`);
      expect(links.iframe).toMatch(new RegExp(`^<iframe src="https://example.org/cso-monitor${en}/embed/areas/${code}-${view.name}.html" title="[^"<]+" `));
    }
  });

  it('writes maps whose areas open the page itself (target _top), under the base', () => {
    for (const view of views.filter((v) => v.name.startsWith('map-'))) {
      const svg = figureSvgFile(view, LOC);
      const hrefs = [...svg.matchAll(/<a target="_top" href="([^"]+)"/g)].map((m) => m[1]);
      expect(hrefs.length).toBeGreaterThan(0);
      for (const h of hrefs) expect(h).toMatch(new RegExp(`^https://example.org/cso-monitor/${lang === 'en' ? 'en/' : ''}areas/\\d{6}/$`));
      expect(svg).not.toMatch(/<a href=/);
    }
  });

  it('makes an embed page of about 1 kB with title, figure, as-of, licence, CSV link, link back and iframe code', () => {
    for (const view of views) {
      const html = embedPageHtml(view, LOC, { width: 600, height: 400 });
      const { document } = parseHTML(html);
      expect(document.documentElement.getAttribute('lang')).toBe(lang);
      expect(document.querySelector('h1')!.textContent).toBe(view.title);
      const img = document.querySelector('main figure img')!;
      expect(img.getAttribute('src')).toBe(figureLinks(view, LOC).svg);
      expect(img.getAttribute('alt')).toBe(view.alt);
      expect(document.querySelector('a[target="_top"]')!.getAttribute('href')).toBe(`https://example.org/cso-monitor/${lang === 'en' ? 'en/' : ''}areas/${code}/`);
      expect(document.querySelector(`a[href="${figureLinks(view, LOC).csv}"]`)).not.toBeNull();
      expect(document.querySelector('details code')!.textContent).toBe(figureLinks(view, LOC).iframe);
      expect(document.body.textContent).toContain(data.meta().dataset.license);
      expect(document.querySelector('script, header, nav, footer')).toBeNull();
      expect(Buffer.byteLength(html)).toBeLessThan(view.name.startsWith('ranked') ? 2000 : 1700); // absolute URLs here (SITE_URL set)
    }
  });
});

describe.each(['zh-CN', 'en'] as Lang[])('overview figures (%s)', (lang) => {
  it('has the two maps and the two ranked charts, each table one row per compared area on it', () => {
    const views = overviewFigures(data, lang);
    expect(views.map((v) => v.name)).toEqual(['map-urban', 'map-rural', 'ranked-urban', 'ranked-rural']);
    const compared = data.meta().compared_codes.length;
    for (const v of views.filter((x) => x.name.startsWith('ranked-'))) expect(v.rows.length).toBe(compared);
    for (const v of views) expect(parseTable(figureCsvFile(v)).length - 1).toBe(v.rows.length);
    expect(figureRoutes(views[2]).svg).toBe(`${lang === 'en' ? '/en' : ''}/figures/overview-ranked-urban.svg`);
  });
});

describe('writeFigureFiles', () => {
  it('writes an SVG, a CSV and an embed page for every figure of the site, flat folders, no twins, same bytes twice', () => {
    const out = (n: number) => path.join(tmp, `dist-${n}`);
    const r = writeFigureFiles(out(1), LOC, data);
    writeFigureFiles(out(2), LOC, data);
    const specs = [...allFigures(data)];
    expect(r.figures).toBe(specs.length);
    const frames = locatorFrames(data);
    expect(frames.size).toBeGreaterThan(0);
    expect(r.files).toBe(specs.length * 3 + 1 + 2 + frames.size); // + embed.css + a share card per language + the locator frames
    const files = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(path.join(dir, n)).isDirectory() ? files(path.join(dir, n)) : [path.join(dir, n)]));
    const written = files(out(1)).map((f) => f.slice(out(1).length)).sort();
    for (const spec of specs) for (const route of Object.values(figureRoutes(spec))) expect(written).toContain(route);
    expect(written.filter((f) => /\.(gz|br)$/.test(f))).toEqual([]);
    for (const f of written) expect(readFileSync(path.join(out(2), f)).equals(readFileSync(path.join(out(1), f))), f).toBe(true);
    // every county briefing's locator frame is there, once
    for (const a of data.areas().filter((x) => x.level === 'county')) {
      const l = data.locatorOf(a.code);
      if (l?.highlighted) expect(written).toContain(locatorFrameRoute(l.frame.code));
    }
    // folders: figures/, figures/areas/, embed/, embed/areas/ and their English twins, and the language-free locator frames
    const dirs = new Set(written.map((f) => path.dirname(f)));
    expect([...dirs].sort()).toEqual(['/embed', '/embed/areas', '/en/embed', '/en/embed/areas', '/en/figures', '/en/figures/areas', '/figures', '/figures/areas', '/figures/locators']);
  });

  it('makes a 1200 × 630 share card per language from the root area', () => {
    for (const lang of ['zh-CN', 'en'] as Lang[]) expect(shareCardFile(data, lang, LOC)).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="1200" height="630"/);
  });
});

describe('briefingCitation and shareImage', () => {
  it.each(['zh-CN', 'en'] as Lang[])('cites /areas/511102/ in GB/T 7714 and APA (%s)', (lang) => {
    const area = data.area('511102')!;
    const dataset = data.meta().dataset;
    const c = briefingCitation(area, dataset, lang);
    const url = lang === 'en' ? '/en/areas/511102/' : '/areas/511102/';
    expect(c.gbt7714).toBe(`${dataset.publisher}. ${area.name}简报${dataset.sample ? '（示例数据，非官方统计）' : ''}[EB/OL]. ${SITE_NAME.zh}, ${dataset.as_of.slice(0, 4)}(数据截至 ${dataset.as_of}). ${url}.`);
    expect(c.apa).toBe(`${dataset.publisher}. (${dataset.as_of.slice(0, 4)}). ${area.name_en}: briefing${dataset.sample ? ' (sample data, not official statistics)' : ''} (data as of ${dataset.as_of}). ${SITE_NAME.en}. ${url}`);
  });

  it('points og:image at the 1200 × 630 card of the language', () => {
    expect(shareImage('en')).toMatchObject({ url: '/figures/share-en.png', width: 1200, height: 630 });
  });
});
