/**
 * The figure files: for every figure of the site (allFigures in src/lib/site/views/figures.ts) its standalone
 * SVG, its CSV and its embed page, plus /embed/embed.css, the share cards (figures/share-{lang}.svg,
 * rendered to PNG by scripts/figure-png.ts) and the locator frames (figures/locators/{frame}.svg, one per frame,
 * under every county briefing's inline highlight: src/lib/site/views/area-map.ts). Each figure is rendered here once: briefings show the SVG file
 * itself, so nothing is stored twice.
 *
 * It needs only build/site, not the pages, so scripts/site-files.ts runs it as a second process beside
 * `astro build` (the machine's second core), into build/figure-files/, and moves the result into dist/
 * after the precompressed twins (figure files get none):
 *
 *   node scripts/run.mjs scripts/figure-files.ts <outDir>     (base and origin from SITE_URL, like astro.config.mjs)
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { siteConfig } from '../src/i18n/paths';
import path from 'node:path';
import type { Lang } from '../src/i18n/strings';
import { siteData, type SiteData } from '../src/lib/site/data';
import { allFigures, figureCsvFile, figureRoutes, figureSvgFile, shareCardFile, type Loc } from '../src/lib/site/views/figures';
import { EMBED_CSS, EMBED_CSS_ROUTE, embedPageHtml } from '../src/lib/site/views/embed-page';
import { locatorFrames } from '../src/lib/site/views/area-map';

export interface FigureFilesReport {
  figures: number;
  files: number;
  bytes: { svg: number; csv: number; embed: number; other: number };
  ms: number;
}

const svgSizeOf = (svg: string) => {
  const m = /<svg xmlns[^>]*? width="([\d.]+)" height="([\d.]+)"/.exec(svg);
  if (!m) throw new Error('figure file has no width/height on its root <svg>');
  return { width: Number(m[1]), height: Number(m[2]) };
};

/** Writes every figure's files under `outDir` (dist/); `loc` is the build's base and origin (Astro's config). */
export function writeFigureFiles(outDir: string, loc: Loc, data: SiteData = siteData(), langs: readonly Lang[] = ['zh-CN', 'en']): FigureFilesReport {
  const started = performance.now();
  const report: FigureFilesReport = { figures: 0, files: 0, bytes: { svg: 0, csv: 0, embed: 0, other: 0 }, ms: 0 };
  const made = new Set<string>();
  const write = (route: string, text: string, kind: keyof FigureFilesReport['bytes']) => {
    const file = path.join(outDir, ...route.split('/').filter(Boolean), ...(route.endsWith('/') ? ['index.html'] : []));
    const dir = path.dirname(file);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    const bytes = Buffer.from(text, 'utf8');
    writeFileSync(file, bytes);
    report.files++;
    report.bytes[kind] += bytes.length;
  };
  for (const spec of allFigures(data, langs)) {
    const r = figureRoutes(spec);
    const svg = figureSvgFile(spec, loc);
    write(r.svg, svg, 'svg');
    write(r.csv, figureCsvFile(spec, loc), 'csv');
    write(r.embed, embedPageHtml(spec, loc, svgSizeOf(svg)), 'embed');
    report.figures++;
  }
  write(EMBED_CSS_ROUTE, EMBED_CSS, 'other');
  if (langs.includes('zh-CN')) for (const [route, svg] of locatorFrames(data)) write(route, svg, 'other'); // language-free: once
  for (const lang of langs) {
    const card = shareCardFile(data, lang, loc);
    if (card) write(`/figures/share-${lang}.svg`, card, 'other');
  }
  report.ms = performance.now() - started;
  return report;
}

// CLI (run by scripts/site-files.ts): prints the report as one JSON line.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const out = process.argv[2];
  if (!out) throw new Error('usage: node scripts/run.mjs scripts/figure-files.ts <outDir>');
  const { site, base } = siteConfig(process.env.SITE_URL);
  rmSync(out, { recursive: true, force: true });
  const report = writeFigureFiles(out, { base, origin: site ?? null });
  console.log(JSON.stringify(report));
}
