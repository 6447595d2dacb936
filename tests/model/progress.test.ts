import { orgColumns } from '../../src/lib/core/org-columns';
import { beforeAll, describe, expect, it } from 'vitest';
import { sharedDivisions } from '../helpers/divisions';
import { countiesUnder, loadDivisions, type Divisions } from '../../src/lib/ingest/divisions';
import { evaluateProgress, progressCsvRows, progressSiteFiles, type ProgressOutput, type ProgressRow } from '../../src/lib/model/progress';
import { loadRegistry } from '../../src/lib/model/targets';
import { buildTimeSeries } from '../../src/lib/model/timeseries';
import { leshanObservations, leshanOrgs, PROGRESS_AS_OF } from '../fixtures/progress/leshan';

const registry = loadRegistry('data/targets/registry.json');
let divisions: Divisions;
let progress: ProgressOutput;
let leshanUnits: string[];
const row = (targetId: string, area: string): ProgressRow => {
  const found = progress.rows.filter((r) => r.target_id === targetId && r.area_code === area);
  expect(found, `${targetId} @ ${area}`).toHaveLength(1);
  return found[0];
};

beforeAll(async () => {
  // Leshan units only; the area tree (all provinces, prefectures, counties) is always complete.
  divisions = await sharedDivisions(['5111']);
  leshanUnits = [...divisions.units.values()].filter((u) => u.prefectureCode === '511100').map((u) => u.code).sort();
  const read = { meta: { as_of: PROGRESS_AS_OF }, columns: orgColumns(leshanOrgs(leshanUnits)), observations: leshanObservations };
  progress = progressSiteFiles({ divisions, read, registry, dataScope: ['511100'] })['progress.json'];
});

describe('every target of the registry', () => {
  it('has at least one evaluated row, for every document', () => {
    const evaluated = new Set(progress.rows.map((r) => r.target_id));
    expect(registry.targets.filter((t) => !evaluated.has(t.id)).map((t) => t.id)).toEqual([]);
    expect(new Set(progress.rows.map((r) => r.document))).toEqual(new Set(registry.documents.map((d) => d.id)));
  });
  it('each descendant county or prefecture gets its own row', () => {
    const count = (id: string) => progress.rows.filter((r) => r.target_id === id).length;
    expect(count('shanxi-2023-urban-density-county')).toBe(countiesUnder(divisions, '140000').length);
    expect(count('shanxi-2023-brand-orgs')).toBe(divisions.childrenOf.get('140000')!.length);
    expect(count('jilin-2019-urban-density-county')).toBe(countiesUnder(divisions, '220000').length);
    expect(count('leshan-2025-urban-density-tier1')).toBe(5);
  });
  it('the national target is evaluated for the whole country', () => {
    expect(row('national-2023-training-person-times', '000000')).toMatchObject({ area_name: '全国', area_level: 'national', status: 'no_data' });
  });
  it('is deterministic', () => {
    const again = evaluateProgress({
      registry, divisions, asOf: PROGRESS_AS_OF, observations: leshanObservations,
      timeseries: buildTimeSeries({ divisions, orgs: leshanOrgs(leshanUnits), asOf: PROGRESS_AS_OF, dataScope: ['511100'] }),
    });
    expect(again).toEqual(progress);
  });
});

describe('Leshan new organizations per year, from the organization records', () => {
  it('功能服务型 ≥100 every year 2021–2024: on track', () => {
    const r = row('leshan-2025-new-orgs-functional', '511100');
    expect(r.value_source).toBe('organizations');
    expect(r.status).toBe('on_track');
    expect(r.inputs.per_year!.map((y) => [y.year, y.value, y.complete])).toEqual([
      [2021, 100, true], [2022, 110, true], [2023, 120, true], [2024, 105, true], [2025, 30, false],
    ]);
    expect([r.current_value, r.current_as_of, r.inputs.observed_per_year]).toEqual([105, '2024-12-31', 111.667]);
    expect(r.source_ref).toMatch(/^organizations\/\*: 982 rows in 511100/);
  });
  it('兴趣爱好型 + 志愿服务型 + 公益慈善型: 2022 had 90, off track', () => {
    const r = row('leshan-2025-new-orgs-interest-volunteer', '511100');
    expect(r.status).toBe('off_track');
    expect(r.inputs.years_short).toEqual([2022]);
    expect(r.inputs.per_year!.map((y) => y.value)).toEqual([110, 90, 120, 100, 20]);
  });
});

describe('Leshan densities, from the organization records', () => {
  it('市中区 urban density is its urban organizations ÷ its 2023 urban units', () => {
    const urbanUnits = [...divisions.units.values()].filter((u) => u.countyCode === '511102' && u.kind === 'urban').map((u) => u.code);
    const set = new Set(urbanUnits);
    const orgsThere = leshanOrgs(leshanUnits).filter((o) => set.has(o.communityCode!)).length;
    const r = row('leshan-2025-urban-density-tier1', '511102');
    expect(r.value_source).toBe('organizations');
    expect(r.current_value).toBe(Math.round((orgsThere / urbanUnits.length) * 1000) / 1000);
    expect(r.current_as_of).toBe(PROGRESS_AS_OF);
    expect(r.target_value).toBe(15);
    expect(['on_track', 'off_track']).toContain(r.status);
    expect(r.inputs.required_per_year).not.toBeNull();
  });
});

describe('Leshan observations', () => {
  it('training person-times: two observations give a trend, cited by file and line', () => {
    const r = row('leshan-2025-training-person-times', '511100');
    // required (1000 − 750) / (365/365.25) = 250.171; observed (750 − 400) / (366/365.25) = 349.283
    expect([r.status, r.inputs.required_per_year, r.inputs.observed_per_year]).toEqual(['on_track', 250.171, 349.283]);
    expect(r.value_source).toBe('observations');
    expect(r.sources.map((s) => s.line)).toEqual([2, 3]);
    expect(r.source_ref).toContain('observations/leshan.csv:3 (2024-12-31) 《乐山市民政局工作总结（测试）》 https://example.org/leshan');
  });
  it('one observation below the target: current shown, no trend', () => {
    const r = row('leshan-2025-federation-coverage-streets', '511100');
    expect([r.status, r.basis, r.current_value, r.value_source]).toEqual(['no_data', 'no_trend', 80, 'observations']);
  });
  it('hub demonstrations already above 20: met; a later observation is not used but said', () => {
    const r = row('leshan-2025-hub-demonstrations', '511100');
    expect([r.status, r.current_value]).toEqual(['met', 25]);
    expect(r.note).toMatch(/1 observation\(s\) dated after the as-of date not used/);
  });
});

describe('targets with no data', () => {
  it.each([
    ['leshan-2025-federation-coverage-townships', '511100'],
    ['shanxi-2023-brand-orgs', '140100'],
    ['shanxi-2023-urban-density-county', '140105'],
    ['jilin-2023-training-person-times', '220000'],
    ['jilin-2021-training-sessions-county', '220102'],
  ])('%s @ %s says no_data and what data would answer it', (id, area) => {
    const r = row(id, area);
    expect(r.status).toBe('no_data');
    expect(r.value_source).toBe('none');
    expect(r.current_value).toBeNull();
    expect(r.data_needed).toBe(registry.targets.find((t) => t.id === id)!.data_needed);
    expect(r.data_needed.length).toBeGreaterThan(10);
    expect(r.note).toBeTruthy();
  });
});

describe('stepped Jilin targets', () => {
  it('each step has its own row; the 2020 step is in force after every deadline passed', () => {
    const steps = progress.rows.filter((r) => r.area_code === '220102' && r.step?.series === 'jilin-2017-urban-density-county');
    expect(steps.map((r) => [r.target_value, r.step!.index, r.step!.in_force])).toEqual([
      [2, 1, false], [5, 2, false], [10, 3, true],
    ]);
    // Deadlines passed and no value at them: no data, never on/off track.
    expect(new Set(steps.map((r) => r.status))).toEqual(new Set(['no_data']));
  });
});

describe('unused observations', () => {
  it('lists an observation of an unknown metric, and one with no target for its area, with file and line', () => {
    const extra = [
      { ...leshanObservations[0], metric: 'federation_coverage_streets_pct', source: { file: 'observations/x.csv', line: 7 } },
      { ...leshanObservations[0], area_code: '511102', source: { file: 'observations/x.csv', line: 8 } },
    ];
    const out = evaluateProgress({
      registry, divisions, asOf: PROGRESS_AS_OF, observations: [...leshanObservations, ...extra],
      timeseries: buildTimeSeries({ divisions, orgs: [], asOf: PROGRESS_AS_OF, dataScope: ['511100'] }),
    });
    expect(out.unused_observations.map((o) => [o.line, o.metric, o.reason.includes('vocabulary')])).toEqual([
      [7, 'federation_coverage_streets_pct', true],
      [8, 'training_person_times', false],
    ]);
    expect(progress.unused_observations).toEqual([]);
  });
});

describe('progress.csv rows', () => {
  it('flatten the inputs', () => {
    const csv = progressCsvRows(progress).find((r) => r.target_id === 'leshan-2025-new-orgs-interest-volunteer')!;
    expect(csv).toMatchObject({ categories: '兴趣爱好型;志愿服务型;公益慈善型', years_short: '2022', required_per_year: 100, status: 'off_track' });
  });
});

describe('notes stay whole in each language', () => {
  it('an area with only later observations says so in both halves of its note', () => {
    const later = [{ area_code: '511100', metric: 'training_person_times', value: 50, as_of: '2026-01-01', source_title: '示例', source_url: null, note: null, source: { file: 'observations/o.csv', line: 2 } }];
    const out = evaluateProgress({
      registry, divisions, asOf: PROGRESS_AS_OF, observations: later,
      timeseries: buildTimeSeries({ divisions, orgs: [], asOf: PROGRESS_AS_OF, dataScope: ['511100'] }),
    });
    const r = out.rows.find((x) => x.area_code === '511100' && x.metric === 'training_person_times')!;
    expect(r.status).toBe('no_data');
    const [zh, en] = r.note!.split(' / ');
    expect(zh).toContain('1 条观测值晚于数据截止日期');
    expect(en).toContain('1 observation(s) dated after the as-of date not used');
  });
});
