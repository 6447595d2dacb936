import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline, type PipelineResult } from '../../scripts/pipeline';

// A county-scoped dataset (金口河区, 5 urban and 25 rural units in NBS 2023) whose figures are
// worked out by hand from tests/fixtures/pipeline/jinkouhe/organizations/orgs.csv:
// active at 2025-06-30 — urban: lines 2, 3 (滨河路社区), 4 (和平社区, placed by names) and 9 (官村社区:
// its category 文体类 is 兴趣爱好型 by the crosswalk in src/lib/ingest/vocabulary.ts; it was rejected
// before ledgers' words were read) = 4; rural: line 5 (铜河村, by names) = 1; line 6 dissolved
// 2024-01-01; line 7 township-level (unplaced); line 8 (unknown code) rejected.
const fixture = path.resolve('tests/fixtures/pipeline/jinkouhe');
let tmp: string;
let result: PipelineResult;
let areasCsv: Record<string, string>[];

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'cso-pipeline-'));
  result = await runPipeline({
    dataDir: fixture,
    siteDir: path.join(tmp, 'site'),
    downloadsDir: path.join(tmp, 'data'),
    registryFile: path.resolve('data/targets/registry.json'),
    records: true, // keep the accepted rows as objects to look one up
  });
  const text = readFileSync(path.join(tmp, 'data', 'areas.csv'), 'utf8');
  expect(text.charCodeAt(0)).not.toBe(0xfeff); // machine CSV: no BOM (src/lib/publish/csv.ts)
  areasCsv = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data;
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const row = (code: string) => areasCsv.find((r) => r.code === code)!;

describe('the whole pipeline on a hand-worked fixture folder', () => {
  it('reconciles every row: read = accepted + rejected + skipped', () => {
    expect(result.read.reconciliation).toMatchObject({ rowsRead: 8, accepted: 7, rejected: 1, skipped: 0, warnings: 0 });
    expect(result.read.reconciliation.files[0]).toMatchObject({ file: 'organizations/orgs.csv', ignoredColumns: ['remark'] });
    expect(result.read.rejections.map((r) => [r.line, r.column])).toEqual([[8, 'community_code']]);
    expect(result.read.orgs.find((o) => o.source.line === 9)).toMatchObject({ category: '兴趣爱好型', categoryRaw: '文体类' });
  });

  it.each([
    ['code', '511113'], ['name', '金口河区'], ['level', 'county'], ['parent_code', '511100'],
    ['urban_units', '5'], ['rural_units', '25'], ['urban_orgs', '4'], ['rural_orgs', '1'],
    ['urban_per_unit', '0.8'], ['rural_per_unit', '0.04'], ['urban_target', '10'], ['rural_target', '4'],
    ['urban_gap', '46'], ['rural_gap', '99'], ['status', 'not_met'],
    ['unplaced_orgs', '1'], ['total_orgs', '6'], ['has_data', 'true'], ['sample', 'true'],
  ])('areas.csv 511113 %s = %s', (column, expected) => {
    expect(row('511113')[column]).toBe(expected);
  });

  it('leaves organization counts empty where the dataset does not cover the whole area', () => {
    const city = row('511100');
    expect([city.urban_units, city.rural_units, city.urban_orgs, city.urban_per_unit, city.urban_target, city.status, city.has_data])
      .toEqual(['264', '1107', '', '', '12', 'no_data', 'false']);
  });

  it('makes the scope the site root and lists its communities', () => {
    expect(result.meta.root_code).toBe('511113');
    expect(result.meta.district_codes).toEqual(['511113']);
    expect(result.agg.communities).toHaveLength(30);
    expect(result.agg.communities.find((c) => c.code === '511113100001')).toMatchObject({ orgs: 2, target: 10, gap: 8 });
  });
});
