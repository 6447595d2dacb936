import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIN_BYTES, precompressDir, wantsTwin } from '../../scripts/precompress';

/**
 * The twin policy of scripts/precompress.ts: shared files get .gz/.br, the per-area trees (which grow with the
 * number of areas) do not; nginx's `gzip on` compresses those on the fly (README, "Deploy").
 */
describe.each([
  // shared: pages of their own, top-level downloads, assets, the search index
  ['index.html', true],
  ['en/index.html', true],
  ['areas/index.html', true],
  ['en/areas/index.html', true],
  ['data/index.html', true],
  ['en/data/dictionary/index.html', true],
  ['data/dictionary/index.html', true],
  ['en/data/dictionary/index.html', true],
  ['data/index.html', true],
  ['en/data/dictionary/index.html', true],
  ['data/dictionary/index.html', true],
  ['_astro/index.DPZjqLH_.css', true],
  ['search/areas.json', true],
  ['sitemap.xml', true],
  // per area: briefings, embed pages, figure files, per-area and per-province downloads
  ['areas/511102/index.html', false],
  ['en/areas/000000/index.html', false],
  ['embed/areas/511102-trend.html', false],
  ['en/embed/overview-map-urban.html', false],
  ['figures/areas/511102-trend.svg', false],
  ['en/figures/areas/511102-mix.csv', false],
  ['data/areas/511100.csv', false],
  // the downloads: fetched whole and seldom, compressed on the fly by the server
  ['data/areas.csv', false],
  ['data/datapackage.json', false],
  ['data/communities/510000.csv.gz', false],
  // never: formats that are compressed already
  ['data/cso-monitor-data.zip', false],
  ['figures/share-zh-CN.png', false],
])('wantsTwin(%s)', (rel, expected) => {
  it(`is ${expected} for a file of ${MIN_BYTES} B or more`, () => expect(wantsTwin(rel, 50_000)).toBe(expected));
  it('is false below the minimum size', () => expect(wantsTwin(rel, MIN_BYTES - 1)).toBe(false));
});

describe('precompressDir on a tree of real text files', () => {
  let dir: string;
  // real text of the repo: the README (~30 kB), the sample areas (~JSON), a stylesheet
  const readme = readFileSync('README.md');
  const areas = readFileSync('tests/fixtures/site/areas.json');
  const files: Record<string, Buffer> = {
    'index.html': readme,
    'areas/index.html': readme,
    'areas/511102/index.html': readme,
    'en/areas/511102/index.html': readme,
    'embed/areas/511102-trend.html': readme,
    'figures/areas/511102-trend.svg': readme,
    'data/areas.json': areas,
    'data/areas/511102.csv': areas,
    'data/communities/510000.csv': areas,
    'search/areas.json': areas,
  };
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'precompress-'));
    for (const [rel, bytes] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), bytes);
    }
    cpSync('src/styles/layout.css', path.join(dir, '_astro/index.css'), { recursive: true });
    // a stale twin of a per-area page from an older build is removed
    writeFileSync(path.join(dir, 'areas/511102/index.html.gz'), 'stale');
    await precompressDir(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes twins that decompress to the originals for the shared files only', () => {
    for (const rel of [...Object.keys(files), '_astro/index.css']) {
      const original = readFileSync(path.join(dir, rel));
      const shared = wantsTwin(rel, original.length);
      expect(existsSync(path.join(dir, `${rel}.gz`)), rel).toBe(shared);
      expect(existsSync(path.join(dir, `${rel}.br`)), rel).toBe(shared);
      if (!shared) continue;
      expect(gunzipSync(readFileSync(path.join(dir, `${rel}.gz`))).equals(original), rel).toBe(true);
      expect(brotliDecompressSync(readFileSync(path.join(dir, `${rel}.br`))).equals(original), rel).toBe(true);
    }
    expect(existsSync(path.join(dir, 'index.html.gz'))).toBe(true);
    expect(existsSync(path.join(dir, 'areas/511102/index.html.gz'))).toBe(false);
  });
});
