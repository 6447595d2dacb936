/**
 * The files a host needs beside the pages, written at the end of `astro build` (an Astro integration,
 * wired in astro.config.mjs):
 *   - en/404.html: Astro writes only the root 404 as 404.html; the English one becomes a file too, so a
 *     host can serve it for missing pages under /en/ (README, "Deploy").
 *   - sitemap.xml (an index of sitemap-N.xml past 50,000 URLs) and robots.txt, from the site's URL
 *     (src/lib/site/sitemap.ts). Without SITE_URL there is no sitemap: its URLs must be absolute.
 *   - the pages without the whitespace between block tags that no browser draws (scripts/squeeze-html.ts);
 *   - precompressed .gz and .br twins of the shared text files (scripts/precompress.ts), unless PRECOMPRESS=0.
 *   - after the twins (so these get none): every figure's SVG, CSV and embed page (scripts/figure-files.ts,
 *     written by a second process started with the build, moved in here) and the share-card PNGs (og:image)
 *     from figures/share-*.svg (scripts/figure-png.ts).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { buildRobots, buildSitemaps } from '../src/lib/site/sitemap';
import { normalizeBase } from '../src/i18n/paths';
import { precompressDir } from './precompress';
import { squeezeHtmlDir } from './squeeze-html';
import { renderSharePngs } from './figure-png';
import type { FigureFilesReport } from './figure-files';

/** Routes of the not-found pages: never listed in the sitemap. */
export const NOT_FOUND_ROUTES = new Set(['/404/', '/en/404/']);

/** Where the figure process writes before its folders are moved into dist/. */
export const FIGURE_FILES_DIR = path.resolve('build/figure-files');

/** Starts scripts/figure-files.ts as its own process (it reads build/site only); resolves with its report. */
function startFigureFiles(): Promise<FigureFilesReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/run.mjs', 'scripts/figure-files.ts', FIGURE_FILES_DIR], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`scripts/figure-files.ts exited with ${code}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '') as FigureFilesReport);
      } catch {
        reject(new Error(`scripts/figure-files.ts printed no report: ${out.slice(0, 200)}`));
      }
    });
  });
}

/** Moves every folder the figure process wrote (figures/, embed/, en/figures/, en/embed/) into `out`. */
function moveFigureFiles(from: string, out: string): void {
  for (const top of readdirSync(from)) {
    const src = path.join(from, top);
    if (top === 'en') {
      mkdirSync(path.join(out, 'en'), { recursive: true });
      for (const sub of readdirSync(src)) renameSync(path.join(src, sub), path.join(out, 'en', sub));
    } else renameSync(src, path.join(out, top));
  }
  rmSync(from, { recursive: true, force: true });
}

export function siteFiles(options: { precompress?: boolean } = {}): AstroIntegration {
  let site: string | undefined;
  let base = '/';
  let figures: Promise<FigureFilesReport> | undefined;
  return {
    name: 'cso-site-files',
    hooks: {
      'astro:config:done': ({ config }) => {
        site = config.site;
        base = normalizeBase(config.base);
      },
      'astro:build:start': () => {
        figures = startFigureFiles();
        figures.catch(() => undefined); // awaited (and reported) at build:done
      },
      'astro:build:done': async ({ dir, pages, logger }) => {
        const out = fileURLToPath(dir);
        // en/404/index.html → en/404.html (the root one is already 404.html).
        const en404 = path.join(out, 'en', '404', 'index.html');
        if (existsSync(en404)) {
          renameSync(en404, path.join(out, 'en', '404.html'));
          rmdirSync(path.dirname(en404));
        }

        const routes = pages.map((p) => '/' + p.pathname.replace(/^\/+/, '')).map((r) => (r.endsWith('/') ? r : `${r}/`)).filter((r) => !NOT_FOUND_ROUTES.has(r));
        const origin = site ? new URL(site).origin : null;
        if (origin) {
          const files = buildSitemaps(routes, { origin, base });
          for (const [name, xml] of files) writeFileSync(path.join(out, name), xml);
          logger.info(`sitemap: ${routes.length} pages in ${files.size === 1 ? 'sitemap.xml' : `${files.size - 1} files under sitemap.xml`}`);
        } else {
          logger.info('sitemap: skipped (SITE_URL is not set; a sitemap needs absolute URLs)');
        }
        mkdirSync(out, { recursive: true });
        writeFileSync(path.join(out, 'robots.txt'), buildRobots(origin ? { origin, base } : null));

        // whitespace no browser draws, out of every page (scripts/squeeze-html.ts), before the twins are made of them
        const sq = squeezeHtmlDir(out);
        logger.info(`squeeze: ${sq.files} pages, ${sq.saved} B of whitespace between block tags removed`);

        if (options.precompress !== false) {
          const started = performance.now();
          const r = await precompressDir(out);
          const pct = (a: number) => ((100 * a) / r.bytes).toFixed(1);
          logger.info(
            `precompress: ${r.files} files, ${r.bytes} B → gzip ${r.gzipBytes} B (${pct(r.gzipBytes)}%), brotli ${r.brotliBytes} B (${pct(r.brotliBytes)}%) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
          );
        }

        // figure files and share cards after the twins: a figure file is fetched once, by the reader who wants it
        if (!figures) throw new Error('the figure process was not started (astro:build:start)');
        const fig = await figures;
        moveFigureFiles(FIGURE_FILES_DIR, out);
        const kb = (n: number) => `${(n / 1e6).toFixed(2)} MB`;
        logger.info(
          `figure files: ${fig.figures} figures, ${fig.files} files (SVG ${kb(fig.bytes.svg)}, CSV ${kb(fig.bytes.csv)}, embed pages ${kb(fig.bytes.embed)}) in ${(fig.ms / 1000).toFixed(1)} s, beside the pages`,
        );
        const png = await renderSharePngs(out);
        if (png.message) logger.warn(`share images: ${png.message}`);
        else logger.info(`share images: ${png.written.length} PNG, ${png.bytes} B in ${(png.ms / 1000).toFixed(1)} s`);
      },
    },
  };
}
