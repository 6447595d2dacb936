import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../scripts/pipeline';
import { createSiteData, type SiteData } from '../../src/lib/site/data';
import { areaFigures, figureCsvFile, figureFiles, figureLinks, figureRoutes, figureSvgFile, type FigureView } from '../../src/lib/site/views/figures';
import { briefingCitation, shareImage } from '../../src/lib/site/views/share';
import { SITE_NAME } from '../../src/lib/publish/citation';
import { splitFigureCsv } from '../../src/lib/publish/figure-csv';
import { formatDensity, formatInt } from '../../src/lib/site/format';
import type { Lang } from '../../src/i18n/strings';

// The figures of the briefings on the pipeline's real output for the shipped sample: the CSV of a figure
// has exactly the rows of its data table, and the files carry their stamp.
let tmp: string;
let data: SiteData;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'cso-figures-'));
  await runPipeline({
    dataDir: path.resolve('data/sample'),
    siteDir: path.join(tmp, 'site'),
    downloadsDir: path.join(tmp, 'data'),
    registryFile: path.resolve('data/targets/registry.json'),
  });
  data = createSiteData(path.join(tmp, 'site'));
}, 120_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const cellText = (c: FigureView['rows'][number][string]) => (typeof c === 'string' ? c : c.text);
const parseTable = (csv: string) => Papa.parse<string[]>(splitFigureCsv(csv).table.trim(), { skipEmptyLines: true }).data;

describe.each([
  ['511102', 'zh-CN'],
  ['511102', 'en'],
  ['511100', 'zh-CN'],
  ['511111', 'en'],
] as [string, Lang][])('figures of %s (%s)', (code, lang) => {
  let views: FigureView[];
  beforeAll(() => {
    views = areaFigures(data, code, lang);
  });

  it('has the trend and the category mix', () => {
    expect(views.map((v) => v.name)).toEqual(['trend', 'mix']);
  });

  it('writes CSV rows equal to the table rows (same order, same values, raw numbers)', () => {
    for (const view of views) {
      const table = parseTable(figureCsvFile(view, lang));
      expect(table[0]).toEqual(view.columns.map((c) => c.label));
      expect(table.length - 1).toBe(view.rows.length);
      view.rows.forEach((row, i) => {
        view.columns.forEach((col, j) => {
          const csv = table[i + 1][j];
          const shown = cellText(row[col.key]);
          if (!col.numeric) {
            if (col.key === 'date') expect(view.csvRows[i].date).toBe(csv); // ISO in the CSV, a label on the page
            else expect(csv).toBe(shown);
          } else {
            const n = Number(csv);
            expect(Number.isFinite(n)).toBe(true);
            expect(col.key.endsWith('_per_unit') ? formatDensity(n, lang) : formatInt(n, lang)).toBe(shown);
          }
        });
      });
    }
  });

  it('stamps the area, as-of date, basis, source and licence in the CSV fields and the SVG', () => {
    const dataset = data.meta().dataset;
    for (const view of views) {
      const { fields } = splitFigureCsv(figureCsvFile(view, lang));
      expect(fields.some((f) => f.includes(`${code}`))).toBe(true);
      expect(fields.some((f) => f.endsWith(`,${dataset.as_of}`))).toBe(true);
      expect(fields.some((f) => f.endsWith(`,${dataset.license}`))).toBe(true);
      const svg = figureSvgFile(view);
      expect(svg).toContain(dataset.as_of);
      expect(svg).toContain(dataset.license);
      expect(svg).toContain(view.stamp.label);
      expect(view.stamp.label).toBe(dataset.sample ? (lang === 'en' ? 'SAMPLE' : '示例数据，非官方统计') : view.stamp.label);
    }
  });

  it('links the files and the embed under the site base, with an iframe snippet', () => {
    for (const view of views) {
      const links = figureLinks(lang, code, view);
      const r = figureRoutes(lang, code, view.name);
      expect(links.svg).toBe(r.svg);
      expect(links.csv).toBe(r.csv);
      expect(links.embed).toBe(lang === 'en' ? `/en/embed/areas/${code}/${view.name}/` : `/embed/areas/${code}/${view.name}/`);
      expect(links.iframe).toMatch(new RegExp(`^<iframe src="${links.embed}" title="[^"<]+" `));
    }
  });
});

describe('figureFiles', () => {
  it('lists an SVG and a CSV for every figure of every area in both languages, and one share card per language', () => {
    const files = figureFiles(data);
    const expected = (['zh-CN', 'en'] as const).flatMap((lang) =>
      data.meta().area_codes.flatMap((code) => areaFigures(data, code, lang).flatMap((v) => [figureRoutes(lang, code, v.name).svg, figureRoutes(lang, code, v.name).csv])),
    );
    expect([...files.keys()].filter((k) => !k.includes('/share-')).sort()).toEqual(expected.sort());
    expect(files.has('/figures/share-zh-CN.svg') && files.has('/figures/share-en.svg')).toBe(true);
    expect(files.get('/figures/share-zh-CN.svg')).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="1200" height="630"/);
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

  it('gives a province without counts no figures (nothing to draw, no empty files)', () => {
    expect(areaFigures(data, '510000', 'zh-CN')).toEqual([]);
  });

  it('points og:image at the 1200 × 630 card of the language', () => {
    expect(shareImage('en')).toMatchObject({ url: '/figures/share-en.png', width: 1200, height: 630 });
  });
});
