/**
 * Precompressed twins for a static host: beside every text file of dist/ of at least MIN_BYTES,
 * `file.gz` (gzip -9) and `file.br` (brotli, quality 7: quality 10–11 saved ~6% more here but took 60× as long), so nginx's `gzip_static` / `brotli_static`
 * send them without compressing per request (README, "Deploy"). A twin is kept only when it saves at
 * least a tenth of the bytes. Deterministic: same file → same bytes (gzip carries no name or time).
 * Only the shared files get twins (pages of their own, /data/ top-level files, /_astro/, /search/): the per-area
 * trees (wantsTwin) grow with the number of areas (~105 MB of twins nationally) and each file in them is fetched
 * rarely, so nginx's on-the-fly `gzip on` serves them (README, "Deploy").
 *
 *   npx tsx scripts/precompress.ts dist        (the build runs it; this prints the same summary)
 */
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const gzip = promisify(zlib.gzip);
const brotli = promisify(zlib.brotliCompress);

/** Text formats worth compressing; images other than SVG, fonts and the zip are compressed already. */
export const COMPRESSIBLE = /\.(html|xml|txt|css|js|mjs|json|svg|csv|md)$/i;
export const MIN_BYTES = 1024;
/** A twin must be at most this share of the original to be worth a second file. */
const KEEP_RATIO = 0.9;

/**
 * No twins: the trees with one file (or page) per area: areas/{code}/, embed/, figures/, in both languages; and
 * the downloads under data/ (each fetched whole and seldom; nationally their twins were 3.9 MB). /areas/ itself
 * (the list page) and the pages under data/ (the data page, the dictionary) are shared pages and keep theirs.
 */
export const NO_TWINS = /^(?:en\/)?(?:areas\/[^/]+\/|embed\/|figures\/)|^data\/(?!.*\.html$)/;

/** Whether the file at `rel` (a path relative to dist/, `/`-separated) gets precompressed twins, given its size. */
export function wantsTwin(rel: string, size: number): boolean {
  return COMPRESSIBLE.test(rel) && size >= MIN_BYTES && !NO_TWINS.test(rel);
}
const BROTLI_QUALITY = 7;

export interface PrecompressReport {
  files: number; // files given twins
  bytes: number; // their original bytes
  gzipBytes: number;
  brotliBytes: number;
}

/** Every file under `dir` (paths joined to it), in name order (also scripts/squeeze-html.ts). */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((e) => {
      const p = path.join(dir, e.name);
      return e.isDirectory() ? filesUnder(p) : e.isFile() ? [p] : [];
    });
}

export async function compressBytes(data: Buffer): Promise<{ gz: Buffer; br: Buffer }> {
  const [gz, br] = await Promise.all([
    gzip(data, { level: 9 }),
    brotli(data, {
      params: {
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    }),
  ]);
  return { gz, br };
}

/** Writes the twins under `dir` (replacing old ones) and sums what they save. */
export async function precompressDir(dir: string, concurrency = 2): Promise<PrecompressReport> {
  const all = filesUnder(dir);
  // Old twins go; a file that is gzip itself (data/communities/44.csv.gz, no 44.csv beside it) stays.
  const present = new Set(all);
  for (const f of all) if (/\.(gz|br)$/.test(f) && present.has(f.replace(/\.(gz|br)$/, ''))) rmSync(f);
  const targets = all.filter((f) => !/\.(gz|br)$/.test(f)).filter((f) => wantsTwin(path.relative(dir, f).split(path.sep).join('/'), statSync(f).size));
  const report: PrecompressReport = { files: 0, bytes: 0, gzipBytes: 0, brotliBytes: 0 };
  let next = 0;
  const worker = async () => {
    while (next < targets.length) {
      const file = targets[next++];
      const data = readFileSync(file);
      const { gz, br } = await compressBytes(data);
      if (gz.length > data.length * KEEP_RATIO) continue;
      writeFileSync(`${file}.gz`, gz);
      if (br.length < gz.length) writeFileSync(`${file}.br`, br);
      report.files++;
      report.bytes += data.length;
      report.gzipBytes += gz.length;
      report.brotliBytes += Math.min(br.length, gz.length);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return report;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = path.resolve(process.argv[2] ?? 'dist');
  const started = performance.now();
  const r = await precompressDir(dir);
  const pct = (a: number) => ((100 * a) / r.bytes).toFixed(1);
  console.log(`${r.files} files, ${r.bytes} B → gzip ${r.gzipBytes} B (${pct(r.gzipBytes)}%), brotli ${r.brotliBytes} B (${pct(r.brotliBytes)}%), ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
