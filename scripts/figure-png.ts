/**
 * Build-time PNG, only for the share cards (/figures/share-{lang}.svg → .png, 1200 × 630), rendered
 * with @resvg/resvg-js and a CJK font found on the machine (.ci/run installs fonts-noto-cjk).
 *
 * Why only these: a resvg render of a figure costs tens of milliseconds and a PNG 20–60 kB; at national
 * scale (~3,350 areas × 2 figures × 2 languages ≈ 13,400 PNG) that is minutes of build and hundreds of
 * MB, against the national budget (build ≤ 180 s, dist/ ≤ 300 MB). Per-figure PNG is converted in the
 * reader's browser from the standalone SVG instead (public/scripts/figure-png.js).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Font files with Chinese glyphs: fc-list when present, else a scan of the usual font folders. */
export function cjkFontFiles(): string[] {
  try {
    const out = execFileSync('fc-list', [':lang=zh', 'file'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const files = [...new Set(out.split('\n').map((l) => l.replace(/:\s*$/, '').trim()).filter(Boolean))].sort();
    if (files.length) return files;
  } catch {
    // no fontconfig: fall through to the scan
  }
  const found: string[] = [];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(ttc|otf|ttf)$/i.test(name) && /cjk|wqy|sourcehan|notosanssc|notoserifsc|simhei|msyh|pingfang/i.test(name)) found.push(full);
    }
  };
  for (const dir of ['/usr/share/fonts', '/usr/local/share/fonts', '/Library/Fonts', '/System/Library/Fonts', 'C:\\Windows\\Fonts']) walk(dir);
  return found;
}

export interface PngResult { written: string[]; ms: number; bytes: number; message?: string }

/** Renders every figures/share-*.svg under `outDir` to a PNG beside it. Fails soft (a message) without a CJK font. */
export async function renderSharePngs(outDir: string): Promise<PngResult> {
  const started = performance.now();
  const dir = path.join(outDir, 'figures');
  const svgs = existsSync(dir) ? readdirSync(dir).filter((f) => /^share-.*\.svg$/.test(f)).sort() : [];
  if (!svgs.length) return { written: [], ms: 0, bytes: 0, message: 'no share card SVG in figures/' };
  // Sans faces only when there are any: each Noto CJK .ttc is ~20–30 MB and loading the serif ones too
  // tripled the render time (3.1 s → ~1 s for the two cards).
  const all = cjkFontFiles();
  const sans = all.filter((f) => /sans|hei|wqy/i.test(path.basename(f)) && !/serif|mono/i.test(path.basename(f)));
  const fonts = sans.length ? sans : all;
  if (!fonts.length) {
    return { written: [], ms: 0, bytes: 0, message: 'no CJK font found (fc-list :lang=zh is empty): share PNGs not written; install fonts-noto-cjk' };
  }
  // require, not import(): astro.config's module runner is closed by astro:build:done; resvg is a native addon.
  const { Resvg } = createRequire(import.meta.url)('@resvg/resvg-js') as typeof import('@resvg/resvg-js');
  const written: string[] = [];
  let bytes = 0;
  for (const name of svgs) {
    const svg = readFileSync(path.join(dir, name), 'utf8');
    const png = new Resvg(svg, { fitTo: { mode: 'width', value: 1200 }, font: { fontFiles: fonts, loadSystemFonts: false, defaultFontFamily: 'Noto Sans CJK SC' } }).render().asPng();
    const out = path.join(dir, name.replace(/\.svg$/, '.png'));
    writeFileSync(out, png);
    written.push(out);
    bytes += png.length;
  }
  return { written, ms: performance.now() - started, bytes };
}
