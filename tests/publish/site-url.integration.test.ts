import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../scripts/pipeline';
import { siteConfig } from '../../src/i18n/paths';

// The pipeline writes the site's URL into the downloads when SITE_URL is set (scripts/build-data.ts
// parses it with siteConfig): the citation, the downloads README and datapackage.json's homepage.
// Without it they say the URL is not published yet. Real pipeline runs on the shipped sample.

const SITE_URL = 'https://mzj.example.gov.cn/cso-monitor';
const DATA_URL = 'https://mzj.example.gov.cn/cso-monitor/data/';

const runs: Record<'published' | 'unpublished', string> = { published: '', unpublished: '' };

beforeAll(async () => {
  for (const [key, siteUrl] of [['published', siteConfig(SITE_URL).url], ['unpublished', siteConfig(undefined).url]] as const) {
    const tmp = mkdtempSync(path.join(os.tmpdir(), `cso-siteurl-${key}-`));
    await runPipeline({
      dataDir: path.resolve('data/sample'),
      siteDir: path.join(tmp, 'site'),
      downloadsDir: path.join(tmp, 'data'),
      registryFile: path.resolve('data/targets/registry.json'),
      siteUrl,
    });
    runs[key] = tmp;
  }
}, 180_000);
afterAll(() => {
  for (const dir of Object.values(runs)) if (dir) rmSync(dir, { recursive: true, force: true });
});

const read = (key: keyof typeof runs, file: string) => readFileSync(path.join(runs[key], 'data', file), 'utf8');

describe('downloads name the site URL when it is set', () => {
  it('CITATION.txt gives the absolute /data/ URL in both styles', () => {
    const text = read('published', 'CITATION.txt');
    const apa = text.split('\r\n').find((l) => l.includes('[Data set]'))!;
    const gbt = text.split('\r\n').find((l) => l.includes('[DS/OL]'))!;
    expect(apa.endsWith(` ${DATA_URL}`), apa).toBe(true);
    expect(gbt.endsWith(` ${DATA_URL}.`), gbt).toBe(true);
    expect(text).not.toMatch(/not yet published|网址尚未公布/);
  });

  it('README.md carries the same citation, datapackage.json the homepage', () => {
    expect(read('published', 'README.md')).toContain(DATA_URL);
    expect(JSON.parse(read('published', 'datapackage.json')).homepage).toBe(DATA_URL);
  });

  it('without SITE_URL: no invented address, the citation says it is not published, no homepage', () => {
    const text = read('unpublished', 'CITATION.txt');
    expect(text).toMatch(/URL not yet published/);
    expect(text).toMatch(/网址尚未公布/);
    expect(text).not.toMatch(/https?:\/\/[^\s]*\/data\//);
    expect(JSON.parse(read('unpublished', 'datapackage.json'))).not.toHaveProperty('homepage');
  });

  it('changes nothing else: only the files that carry the URL (and the zip of them) differ', () => {
    const files = (dir: string) =>
      readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
    const names = files(path.join(runs.published, 'data'));
    expect(names).toEqual(files(path.join(runs.unpublished, 'data')));
    expect(names.length).toBeGreaterThan(20);
    const bytes = (key: keyof typeof runs, f: string) => readFileSync(path.join(runs[key], 'data', f));
    const differing = names.filter((f) => !bytes('published', f).equals(bytes('unpublished', f)));
    expect(differing).toEqual(['CITATION.txt', 'README.md', 'cso-monitor-data.zip', 'datapackage.json']);
  });
});
