/**
 * Hostile and broken input. Every case folder under tests/fixtures/hostile/ goes through
 * the real pipeline into temp dirs. The build either succeeds with exactly the expected rows
 * rejected (file, line, column, reason), skipped (totals, footers) and warned about (a word that
 * does not change the count), or stops with one PipelineError naming the file and the problem,
 * never a stack trace. In every successful case read = accepted + rejected + skipped per file, and
 * the published counts equal the accepted active rows (no silently wrong number).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PipelineError, runPipeline, type PipelineResult } from '../../scripts/pipeline';
import { isActiveAt } from '../../src/lib/model/aggregate';
import { HOSTILE, HOSTILE_DIR, RAW_HTML_MARKERS, writeBigDataset, writeFixtures } from '../fixtures/hostile/make-fixtures';
import { buildSiteCopy, type SiteBuild } from '../fixtures/hostile/site-build';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..');
const REGISTRY = path.join(ROOT, 'data/targets/registry.json');

interface ExpectedRejection {
  file: string;
  line: number;
  column: string | null;
  reason: string; // substring of the reason (case-insensitive)
}
interface ExpectedFile {
  file: string;
  encoding: string;
  read: number;
  accepted: number;
  rejected: number;
  skipped?: number; // default 0
  warnings?: number; // default 0
}
/** A row kept and counted, with what it was assumed to be. */
interface ExpectedWarning {
  file: string;
  line: number;
  column: string;
  assumed: string;
}
type Expected =
  | { outcome: 'ok'; files: ExpectedFile[]; rejections: ExpectedRejection[]; warnings?: ExpectedWarning[]; skippedLines?: number[]; names?: string[] }
  | { outcome: 'error'; file: string; mentions: RegExp[] };

const ORGS = 'organizations/orgs.csv';

/** What each case must produce. Lines are physical lines, header = 1. */
const CASES: Record<string, Expected> = {
  gbk: { outcome: 'ok', files: [{ file: 'organizations/名册-gbk.csv', encoding: 'gbk', read: 3, accepted: 3, rejected: 0 }], rejections: [] },
  'utf8-bom': { outcome: 'ok', files: [{ file: ORGS, encoding: 'utf-8-bom', read: 3, accepted: 3, rejected: 0 }], rejections: [] },
  'utf16-tab': {
    outcome: 'ok',
    files: [{ file: 'organizations/unicode-text.csv', encoding: 'utf-16le', read: 3, accepted: 3, rejected: 0 }],
    rejections: [],
  },
  'binary-png': { outcome: 'error', file: 'organizations/photo.csv', mentions: [/PNG/] },
  'binary-random': { outcome: 'error', file: 'organizations/export.csv', mentions: [/not a text CSV|binary/i] },
  ragged: {
    outcome: 'ok',
    files: [{ file: ORGS, encoding: 'utf-8', read: 4, accepted: 2, rejected: 2 }],
    rejections: [
      { file: ORGS, line: 3, column: null, reason: 'field' },
      { file: ORGS, line: 4, column: null, reason: 'field' },
    ],
  },
  // Only the line that opens the quote is rejected; reading resumes on the next line.
  'unclosed-quote': {
    outcome: 'ok',
    files: [{ file: ORGS, encoding: 'utf-8', read: 3, accepted: 2, rejected: 1 }],
    rejections: [{ file: ORGS, line: 3, column: null, reason: 'unclosed quote' }],
  },
  // Nothing accepted: the build stops naming the folder and each file, rather than publish zeros.
  empty: { outcome: 'error', file: 'organizations/empty.csv', mentions: [/no organization row was accepted/, /empty file/] },
  'header-only': { outcome: 'error', file: ORGS, mentions: [/no organization row was accepted/, /read 0, rejected 0/] },
  'messy-headers': { outcome: 'ok', files: [{ file: ORGS, encoding: 'utf-8', read: 3, accepted: 3, rejected: 0 }], rejections: [] },
  'duplicate-credit-codes': {
    outcome: 'ok',
    files: [{ file: ORGS, encoding: 'utf-8', read: 3, accepted: 2, rejected: 1 }],
    rejections: [{ file: ORGS, line: 4, column: 'credit_code', reason: 'duplicate' }],
  },
  'bad-check-digit': {
    outcome: 'ok',
    files: [{ file: ORGS, encoding: 'utf-8', read: 3, accepted: 1, rejected: 2 }],
    rejections: [
      { file: ORGS, line: 3, column: 'credit_code', reason: 'check character is wrong' },
      { file: ORGS, line: 4, column: 'credit_code', reason: '18 characters' },
    ],
  },
  'unknown-community-code': {
    outcome: 'ok',
    files: [{ file: ORGS, encoding: 'utf-8', read: 5, accepted: 1, rejected: 4 }],
    rejections: [
      { file: ORGS, line: 3, column: 'community_code', reason: 'unknown community code' },
      { file: ORGS, line: 4, column: 'community_code', reason: '12 digits' },
      // Beijing's 110101001001 is a real NBS code, outside the scope; only the scope's provinces are loaded.
      { file: ORGS, line: 5, column: 'community_code', reason: 'outside the dataset scope' },
      { file: ORGS, line: 6, column: 'community_code', reason: 'scientific notation' },
    ],
  },
  'ambiguous-name': {
    outcome: 'ok',
    files: [{ file: ORGS, encoding: 'utf-8', read: 3, accepted: 1, rejected: 2 }],
    rejections: [
      { file: ORGS, line: 3, column: 'community', reason: 'ambiguous' },
      { file: ORGS, line: 4, column: null, reason: 'cannot place' },
    ],
  },
  dates: {
    outcome: 'ok',
    files: [{ file: ORGS, encoding: 'utf-8', read: 6, accepted: 2, rejected: 4 }],
    rejections: [
      { file: ORGS, line: 3, column: 'established_on', reason: 'no such day' },
      { file: ORGS, line: 4, column: 'established_on', reason: 'after the dataset' },
      { file: ORGS, line: 5, column: 'dissolved_on', reason: 'before it was established' },
      { file: ORGS, line: 6, column: 'established_on', reason: 'ambiguous' },
    ],
  },
  // Line 10's unknown category (a <script> payload) does not change the count: a warning, counted
  // as 其他, its value carried into warnings.csv (was a rejection before ledgers were read as such).
  'hostile-names': {
    outcome: 'ok',
    files: [{ file: ORGS, encoding: 'utf-8', read: 12, accepted: 8, rejected: 4, warnings: 1 }],
    rejections: [
      { file: ORGS, line: 9, column: 'name', reason: 'name too long' },
      { file: ORGS, line: 11, column: 'community', reason: 'unknown community' },
      { file: ORGS, line: 12, column: 'credit_code', reason: 'credit code' },
      { file: ORGS, line: 13, column: 'established_on', reason: 'unrecognised date' },
    ],
    warnings: [{ file: ORGS, line: 10, column: 'category', assumed: '其他' }],
    // Kept exactly, including the emoji's zero-width joiners (U+200D); the 20,000-character name is rejected above.
    names: [HOSTILE.script, HOSTILE.img, HOSTILE.hyperlink, HOSTILE.cmd, HOSTILE.at, HOSTILE.minus, HOSTILE.emoji, HOSTILE.hyperlink],
  },
  'xlsx-merged-formula': {
    outcome: 'ok',
    files: [{ file: 'organizations/名册.xlsx', encoding: 'xlsx', read: 5, accepted: 4, rejected: 0, skipped: 1 }],
    // Merged county/township cells are filled down, the formula's cached result is used, the 合计
    // row is skipped as a totals row (it was rejected for its empty category before).
    rejections: [],
    skippedLines: [7],
    names: ['篦子街舞蹈队', '碧山路志愿服务队', '龙泓路读书会', '钓鱼台老年协会'],
  },
  'dataset-json-missing': { outcome: 'error', file: 'dataset.json', mentions: [/missing|not found|no dataset\.json/i] },
  'dataset-json-malformed': { outcome: 'error', file: 'dataset.json', mentions: [/malformed JSON/i, /dataset\.json:\d+/] },
  'dataset-json-wrong-types': { outcome: 'error', file: 'dataset.json', mentions: [/field \w+/] },
};

const tmp = mkdtempSync(path.join(os.tmpdir(), 'cso-hostile-'));

async function pipeline(dataDir: string, label: string): Promise<PipelineResult> {
  const out = mkdtempSync(path.join(tmp, `${label}-`));
  return runPipeline({
    dataDir,
    siteDir: path.join(out, 'site'),
    downloadsDir: path.join(out, 'data'),
    registryFile: REGISTRY,
    records: true, // the name checks below read the accepted records themselves
  });
}

/** The core promise of the product: every row read is either counted or listed as rejected. */
function assertReconciled(result: PipelineResult) {
  const { reconciliation: rec, rejections, orgs, skipped } = result.read;
  expect(rec.rowsRead).toBe(rec.accepted + rec.rejected + rec.skipped);
  expect(rec.files.reduce((s, f) => s + f.rowsRead, 0)).toBe(rec.rowsRead);
  for (const f of rec.files) {
    expect(f.rowsRead, f.file).toBe(f.accepted + f.rejected + f.skipped);
    expect(skipped.filter((s) => s.file === f.file && s.line > 0).length, `${f.file}: listed skipped rows = skipped count`).toBe(f.skipped);
    if (!f.file.startsWith('organizations/')) continue;
    expect(orgs.filter((o) => o.source.file === f.file).length, `${f.file}: accepted rows = organizations kept`).toBe(f.accepted);
    const rejectedLines = new Set(rejections.filter((r) => r.file === f.file && r.line > 0).map((r) => r.line));
    expect(rejectedLines.size, `${f.file}: distinct rejected lines = rejected count`).toBe(f.rejected);
  }
  // The published total: every accepted organization active at the as-of date, and nothing else.
  const asOf = result.read.meta.as_of;
  const activeByCounty = new Map<string, number>();
  for (const o of orgs) if (isActiveAt(o, asOf)) activeByCounty.set(o.countyCode, (activeByCounty.get(o.countyCode) ?? 0) + 1);
  for (const area of result.agg.areas.filter((a) => a.level === 'county' && a.has_data)) {
    expect(area.total_orgs, `total_orgs of ${area.code}`).toBe(activeByCounty.get(area.code) ?? 0);
  }
  const prefecture = result.agg.areas.find((a) => a.code === '511100')!;
  expect(prefecture.total_orgs).toBe([...activeByCounty.values()].reduce((s, n) => s + n, 0));
}

beforeAll(async () => {
  // The committed fixtures must be exactly what the generator writes (binary cases included).
  const regenerated = mkdtempSync(path.join(tmp, 'regen-'));
  await writeFixtures(regenerated);
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(path.join(dir, e.name)).map((f) => `${e.name}/${f}`) : [e.name],
    );
  for (const file of walk(regenerated)) {
    expect(readFileSync(path.join(HOSTILE_DIR, file)).equals(readFileSync(path.join(regenerated, file))), `${file} is stale: run make-fixtures.ts`).toBe(true);
  }
}, 60_000);

it('covers every case folder with an expectation', () => {
  const folders = readdirSync(HOSTILE_DIR).filter((f) => statSync(path.join(HOSTILE_DIR, f)).isDirectory());
  expect(folders.sort()).toEqual(Object.keys(CASES).sort());
});

describe.each(Object.entries(CASES))('hostile input: %s', (name, expected) => {
  const dataDir = path.join(HOSTILE_DIR, name);

  if (expected.outcome === 'ok') {
    let result: PipelineResult;
    beforeAll(async () => {
      result = await pipeline(dataDir, name);
    });

    it('reconciles: read = accepted + rejected + skipped, per file and in the published totals', () => {
      assertReconciled(result);
    });

    it('reads each file with the expected encoding and counts', () => {
      const files = result.read.reconciliation.files.map((f) => ({
        file: f.file,
        encoding: f.encoding,
        read: f.rowsRead,
        accepted: f.accepted,
        rejected: f.rejected,
        skipped: f.skipped,
        warnings: f.warnings,
      }));
      expect(files).toEqual(expected.files.map((f) => ({ skipped: 0, warnings: 0, ...f })));
    });

    it('keeps and counts the rows whose problem does not change the count, saying what was assumed', () => {
      const got = result.read.warnings.map((w) => ({ file: w.file, line: w.line, column: w.column, assumed: w.assumed }));
      expect(got).toEqual(expected.warnings ?? []);
      for (const w of result.read.warnings) expect(w.reason).toMatch(/ \/ /);
      const skippedLines = result.read.skipped.filter((s) => s.line > 0).map((s) => s.line);
      expect(skippedLines).toEqual(expected.skippedLines ?? []);
    });

    it('rejects exactly the bad rows, each with file, line, column and reason', () => {
      const got = result.read.rejections;
      for (const want of expected.rejections) {
        const hit = got.find(
          (r) => r.file === want.file && r.line === want.line && r.reason.toLowerCase().includes(want.reason.toLowerCase()),
        );
        expect(hit, `${want.file}:${want.line} "${want.reason}" in ${JSON.stringify(got.map((r) => [r.line, r.column, r.reason]))}`).toBeDefined();
        if (want.column !== null) expect(hit!.column, `column of ${want.file}:${want.line}`).toBe(want.column);
        expect(hit!.reason).toMatch(/ \/ /); // zh-CN first, then English
      }
      const key = (r: { file: string; line: number }) => `${r.file}:${r.line}`;
      expect([...new Set(got.map(key))].sort()).toEqual([...new Set(expected.rejections.map(key))].sort());
    });

    if (expected.names) {
      it('keeps hostile names byte-for-byte (no truncation, no mangling)', () => {
        // Compared as a boolean: a failure must not print a 20,000-character name.
        const got = result.read.orgs.map((o) => o.name).sort();
        const want = [...expected.names!].sort();
        expect(got.length).toBe(want.length);
        got.forEach((name, i) => expect(name === want[i], `name ${i}: ${name.slice(0, 40)} ≠ ${want[i].slice(0, 40)}`).toBe(true));
      });
    }
  } else {
    it('stops with one clear message naming the file and the problem, no stack trace', async () => {
      const error = await pipeline(dataDir, name).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, 'the build must stop').toBeInstanceOf(PipelineError);
      const message = (error as Error).message;
      expect(message).toContain(`${name}/${expected.file}`);
      // The folder is named once: a message that repeats it (relative + absolute) is hard to read.
      expect(message.split(`hostile/${name}/`).length - 1, message).toBe(1);
      for (const m of expected.mentions) expect(message).toMatch(m);
      expect(message).not.toMatch(/\n\s+at /);
      expect(message).toMatch(/ \/ /); // zh-CN and English
    });

    it('the CLI prints only that message and exits 1', async () => {
      const result = await run('npx', ['tsx', 'scripts/build-data.ts'], {
        cwd: ROOT,
        env: {
          ...process.env,
          DATA_DIR: dataDir,
          SITE_DATA_DIR: mkdtempSync(path.join(tmp, 'cli-site-')),
          DOWNLOADS_DIR: mkdtempSync(path.join(tmp, 'cli-data-')),
        },
      }).then(
        () => ({ code: 0, stderr: '' }),
        (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(expected.file);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(result.stderr).not.toMatch(/Error:/);
    });
  }
});

describe('hostile strings in the built site', () => {
  let site: SiteBuild;
  beforeAll(async () => {
    site = await buildSiteCopy(ROOT, { dataDir: path.join(HOSTILE_DIR, 'hostile-names'), label: 'hostile' });
  }, 600_000);

  const filesUnder = (dir: string, ext: string): string[] =>
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith(ext))
      .map((e) => path.join(e.parentPath, e.name));

  it('escapes every hostile string in every HTML page', () => {
    const pages = filesUnder(site.dist, '.html');
    expect(pages.length).toBeGreaterThan(5);
    let escapedSeen = 0;
    for (const page of pages) {
      const html = readFileSync(page, 'utf8');
      for (const marker of RAW_HTML_MARKERS) expect(html.includes(marker), `${path.relative(site.dist, page)} contains raw ${marker}`).toBe(false);
      // An attribute that a payload broke out of would show up as an onerror= on a real tag.
      expect(html, path.relative(site.dist, page)).not.toMatch(/<[a-z]+\s[^>]*\bonerror\s*=/i);
      if (html.includes('&lt;script&gt;alert(') || html.includes('&lt;/title&gt;&lt;script&gt;')) escapedSeen++;
    }
    // The payloads did reach the pages (the title is on every page): so the test above can fail.
    expect(escapedSeen).toBeGreaterThan(0);
  });

  it('neutralises every formula-like text cell in every CSV download', () => {
    const csvs = filesUnder(site.dist, '.csv');
    expect(csvs.length).toBeGreaterThan(0);
    let neutralisedSeen = 0;
    for (const file of csvs) {
      const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
      const parsed = Papa.parse<string[]>(text, { skipEmptyLines: true });
      expect(parsed.errors, file).toEqual([]);
      for (const [i, row] of parsed.data.entries()) {
        for (const cell of row) {
          const isNumber = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(cell);
          expect(!isNumber && /^[=+\-@\t\r]/.test(cell), `${path.basename(file)} row ${i + 1}: ${cell.slice(0, 60)}`).toBe(false);
          if (/^'[=+\-@]/.test(cell)) neutralisedSeen++;
        }
      }
    }
    // rejected.csv carries the hostile names and values: they were neutralised, not lost.
    expect(neutralisedSeen).toBeGreaterThan(0);
    const rejected = readFileSync(path.join(site.dist, 'data', 'rejected.csv'), 'utf8');
    expect(rejected).toContain(`'${HOSTILE.hyperlink.replace(/"/g, '""')}`);
  });

  it('counts the accepted hostile rows like any others', () => {
    const rec = JSON.parse(readFileSync(path.join(site.siteData, 'reconciliation.json'), 'utf8'));
    expect([rec.rowsRead, rec.accepted, rec.rejected, rec.skipped, rec.warnings]).toEqual([12, 8, 4, 0, 1]);
  });

  afterAll(() => {
    if (site) rmSync(site.root, { recursive: true, force: true });
  });
});

describe('a 50 MB organizations file', () => {
  it(
    'builds within bounds, rejects exactly the planted rows, and reports time and peak memory',
    async () => {
      const dir = mkdtempSync(path.join(tmp, 'big-'));
      const big = await writeBigDataset(dir);
      expect(big.bytes).toBeGreaterThanOrEqual(50 * 1024 * 1024);
      const siteDir = mkdtempSync(path.join(tmp, 'big-site-'));
      const { stdout } = await run('npx', ['tsx', 'scripts/build-data.ts'], {
        cwd: ROOT,
        env: { ...process.env, DATA_DIR: dir, SITE_DATA_DIR: siteDir, DOWNLOADS_DIR: mkdtempSync(path.join(tmp, 'big-data-')) },
        maxBuffer: 16 * 1024 * 1024,
      });
      const m = /pipeline: ([\d.]+) s(?: \([^)]*\))?, peak memory (\d+) MB/.exec(stdout);
      expect(m, stdout).not.toBeNull();
      const [seconds, peakMb] = [Number(m![1]), Number(m![2])];
      console.log(`50 MB case: ${(big.bytes / 1024 / 1024).toFixed(1)} MB, ${big.rows} rows, ${seconds} s, peak ${peakMb} MB`);
      const rec = JSON.parse(readFileSync(path.join(siteDir, 'reconciliation.json'), 'utf8'));
      expect(rec.rowsRead).toBe(big.rows);
      expect(rec.rejected).toBe(big.badLines.length);
      expect(rec.accepted).toBe(big.rows - big.badLines.length);
      const rejections = JSON.parse(readFileSync(path.join(siteDir, 'rejections.json'), 'utf8')) as { line: number }[];
      expect(rejections.map((r) => r.line)).toEqual(big.badLines);
      expect(seconds).toBeLessThan(120);
      expect(peakMb).toBeLessThan(2048);
    },
    300_000,
  );
});

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});
