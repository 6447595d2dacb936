import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline, type PipelineResult } from '../../scripts/pipeline';

/**
 * A dataset spanning two provinces, worked out by hand: 东莞 (441900, a prefecture without counties)
 * and all of 海南 (儋州 460400 without counties, 五指山市 469001 under 469000 省直辖县级行政区划).
 * tests/fixtures/pipeline/two-provinces/expected.json gives every figure with the CSV lines it
 * comes from and the assumptions it rests on (no scope: the site's root is 全国 000000).
 */
const FIXTURE = path.resolve('tests/fixtures/pipeline/two-provinces');
type Row = Record<string, unknown>;
const expected: {
  root_code: string;
  reconciliation: { rowsRead: number; accepted: number; rejected: number; rejections: Row[] };
  areas: Row[];
  townships: Row[];
  communities: Row[];
} = JSON.parse(readFileSync(path.join(FIXTURE, 'expected.json'), 'utf8'));
const cases = (rows: Row[]) => rows.map((r) => [String(r.code), String(r.name), r] as [string, string, Row]);
/** An expected row without its hand-working notes. */
const figures = (row: Row) => Object.fromEntries(Object.entries(row).filter(([k]) => k !== 'lines'));
const csvText = (v: unknown) => (v === null || v === undefined ? '' : String(v));

describe('the pipeline on a two-province dataset (东莞, 海南) with a national root', () => {
  let tmp: string;
  let result: PipelineResult;
  let areasJson: Row[];
  let areasCsv: Record<string, string>[];

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'cso-two-provinces-'));
    result = await runPipeline({
      dataDir: FIXTURE,
      siteDir: path.join(tmp, 'site'),
      downloadsDir: path.join(tmp, 'data'),
      registryFile: path.resolve('data/targets/registry.json'),
    });
    areasJson = JSON.parse(readFileSync(path.join(tmp, 'site', 'areas.json'), 'utf8'));
    const text = readFileSync(path.join(tmp, 'data', 'areas.csv'), 'utf8');
    // machine CSVs carry no BOM (src/lib/publish/csv.ts)
    areasCsv = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true }).data;
  }, 120_000);
  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('reconciles every row and rejects only lines 27 and 28', () => {
    const r = expected.reconciliation;
    expect(result.read.reconciliation).toMatchObject({ rowsRead: r.rowsRead, accepted: r.accepted, rejected: r.rejected });
    expect(result.read.rejections.map((x) => [x.line, x.column])).toEqual(r.rejections.map((x) => [x.line, x.column]));
  });

  it('makes 全国 (000000) the site root', () => {
    expect(result.meta.root_code).toBe(expected.root_code);
  });

  describe.each(cases(expected.areas))('area %s %s', (code, _name, area) => {
    it('areas.json row equals the hand-worked figures', () => {
      const row = areasJson.find((a) => a.code === code);
      expect(row).toBeDefined();
      const want = figures(area);
      expect(Object.fromEntries(Object.keys(want).map((k) => [k, row![k]]))).toEqual(want);
    });

    it('areas.csv row says the same', () => {
      const row = areasCsv.find((a) => a.code === code);
      expect(row).toBeDefined();
      const want = figures(area);
      const columns = Object.keys(want).filter((k) => k in row! && (want[k] === null || typeof want[k] !== 'object')); // null: no data, an empty cell
      expect(columns).toEqual(expect.arrayContaining(['code', 'urban_units', 'rural_units', 'urban_orgs', 'rural_orgs', 'has_data']));
      expect(Object.fromEntries(columns.map((k) => [k, row![k]]))).toEqual(Object.fromEntries(columns.map((k) => [k, csvText(want[k])])));
    });
  });

  it.each(cases(expected.townships))('township %s %s', (code, _name, township) => {
    const row = result.agg.townships.find((t) => t.code === code) as unknown as Row | undefined;
    const want = figures(township);
    expect(row && Object.fromEntries(Object.keys(want).map((k) => [k, row[k]]))).toEqual(want);
  });

  it.each(cases(expected.communities))('community %s %s', (code, _name, community) => {
    const row = result.agg.communities.find((c) => c.code === code) as unknown as Row | undefined;
    const want = figures(community);
    expect(row && Object.fromEntries(Object.keys(want).map((k) => [k, row[k]]))).toEqual(want);
  });
});
