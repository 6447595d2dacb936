import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDivisions, type Divisions } from '../../src/lib/ingest/divisions';
import { PUBLISHED_FIGURES_PATH, readPublishedFigures, type PublishedFigure } from '../../src/lib/ingest/published';
import {
  UNITS_AS_OF,
  answerTarget,
  compareFiguresForArea,
  compareWithRequirement,
  densityRequirement,
  formatNumber,
  requiredOrganizations,
  unitCounts,
  type AnswerStatus,
  type InferenceKind,
} from '../../src/lib/model/requirements';
import { loadRegistry, targetsForArea, type Target } from '../../src/lib/model/targets';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const registry = loadRegistry(path.join(root, 'data/targets/registry.json'));
const figures = readPublishedFigures(path.join(root, PUBLISHED_FIGURES_PATH));
const figure = (id: string): PublishedFigure => {
  const f = figures.find((x) => x.id === id);
  if (!f) throw new Error(`no figure ${id}`);
  return f;
};
const target = (id: string): Target => {
  const t = registry.targets.find((x) => x.id === id);
  if (!t) throw new Error(`no target ${id}`);
  return t;
};
const provinceTargets = (code: string) => targetsForArea(registry, { code, level: 'province', ancestors: [] });

/**
 * Constructed inputs for the branches no real figure reaches: a real figure with some fields changed. They test the
 * logic only; they are not published figures and are never written to data/.
 */
const constructed = (base: string, changes: Partial<PublishedFigure>): PublishedFigure => ({ ...figure(base), ...changes, id: `constructed-${base}` });

describe('requiredOrganizations', () => {
  it.each([
    // urbanUnits, ruralUnits, urbanTarget, ruralTarget → urban, rural, total
    [3003, 18849, 10, 5, 30_030, 94_245, 124_275], // Shanxi 2023, as in the issue
    [3, 7, 2.5, 1.5, 8, 11, 19], // fractional products round up
    [5, 10, 2.2, 1.1, 11, 11, 22], // 2.2 × 5 is 11.000000000000002 in floating point: still 11
    [264, 1107, 12, null, 3168, null, 3168], // no rural target: total of what is targeted
    [0, 0, 10, 5, 0, 0, 0],
  ] as const)('%i urban, %i rural at %s / %s', (u, r, ut, rt, eu, er, et) => {
    expect(requiredOrganizations(u, r, ut, rt)).toEqual({ urban: eu, rural: er, total: et });
  });

  it.each([
    [-1, 0, 10, 5, /urbanUnits must be a non-negative integer/],
    [1.5, 0, 10, 5, /urbanUnits must be a non-negative integer/],
    [1, 1, Number.NaN, 5, /urbanTarget must be a non-negative number/],
    [1, 1, 10, -5, /ruralTarget must be a non-negative number/],
  ] as const)('rejects %s, %s, %s, %s', (u, r, ut, rt, message) => {
    expect(() => requiredOrganizations(u, r, ut, rt)).toThrow(message);
  });
});

describe('with real divisions (Shanxi, Jilin, Jiangsu, Jiangxi, Shandong, Sichuan)', () => {
  let divisions: Divisions;
  beforeAll(async () => {
    divisions = await loadDivisions({ prefixes: ['14', '22', '32', '36', '37', '51'] });
  });

  it('counts Shanxi 140000 as 3,003 urban and 18,849 rural units (the issue’s figures)', () => {
    expect(unitCounts(divisions, '140000')).toMatchObject({ urban: 3003, rural: 18849 });
  });

  it('unit counts of a province are the sums over its prefectures', () => {
    for (const province of ['140000', '220000']) {
      const total = unitCounts(divisions, province);
      const prefectures = divisions.childrenOf.get(province)!.map((p) => unitCounts(divisions, p));
      expect(prefectures.reduce((n, c) => n + c.urban, 0)).toBe(total.urban);
      expect(prefectures.reduce((n, c) => n + c.rural, 0)).toBe(total.rural);
    }
    expect(() => unitCounts(divisions, '149999')).toThrow(/unknown area code 149999/);
  });

  describe.each([
    // area, at, urban target id, rural target id
    ['140000', '2023-12-31', 'shanxi-2023-urban-density-province', 'shanxi-2023-rural-density-province'],
    ['140000', '2021-06-30', 'shanxi-2023-urban-density-province', 'shanxi-2023-rural-density-province'],
    ['220000', '2018-06-30', 'jilin-2018-urban-density-province', 'jilin-2018-rural-density-province'],
    ['220000', '2019-12-31', 'jilin-2019-urban-density-province', 'jilin-2019-rural-density-province'],
    ['220000', '2020-12-31', 'jilin-2020-urban-density-province', 'jilin-2020-rural-density-province'],
    ['220000', '2021-12-31', 'jilin-2020-urban-density-province', 'jilin-2020-rural-density-province'], // last step passed stays in force
    ['140105', '2023-12-31', 'shanxi-2023-urban-density-county', 'shanxi-2023-rural-density-county'], // a county inherits the province figure
    ['511100', '2025-12-31', 'leshan-2025-urban-density-city', 'leshan-2025-rural-density-city'], // Leshan's city-wide 12 / 5
    ['511102', '2025-12-31', 'leshan-2025-urban-density-tier1', 'leshan-2025-rural-density-tier1'], // 市中区, tier 1: 15 / 8
    ['511133', '2025-12-31', 'leshan-2025-urban-density-tier3', 'leshan-2025-rural-density-tier3'], // 马边, tier 3: 10 / 4
  ] as const)('densityRequirement(%s, %s)', (code, at, urbanId, ruralId) => {
    it('uses the targets in force and target × units', () => {
      const req = densityRequirement(registry, divisions, code, at);
      const units = unitCounts(divisions, code);
      const ut = target(urbanId);
      const rt = target(ruralId);
      expect(req.urban_target?.id).toBe(urbanId);
      expect(req.rural_target?.id).toBe(ruralId);
      expect(req.units).toEqual(units);
      expect(req.required).toEqual({ urban: ut.value * units.urban, rural: rt.value * units.rural, total: ut.value * units.urban + rt.value * units.rural });
      expect(req.deadline).toBe(ut.deadline);
      expect(req.units_as_of).toBe(UNITS_AS_OF);
    });
  });

  it('Shanxi 2023 requires 124,275 organizations', () => {
    expect(densityRequirement(registry, divisions, '140000', '2023-12-31').required.total).toBe(124_275);
  });

  it('an area without density targets requires nothing and says so', () => {
    const req = densityRequirement(registry, divisions, '370000', '2022-10-05');
    expect(req).toMatchObject({ urban_target: null, rural_target: null, required: { urban: null, rural: null, total: 0 }, deadline: null });
    expect(() => densityRequirement(registry, divisions, '379999', '2022-10-05')).toThrow(/unknown area code/);
  });

  type Row = [string, string, InferenceKind, boolean, RegExp[], RegExp[]];
  // figure (real, or constructed from a real one) · area · kind · conclusive · zh sentences must match · en sentences must match
  const realCases: Row[] = [
    ['220000-2021-cso-cultivated', '220000', 'below_minimum_if_stock', false,
      [/10 × 2,254 \+ 5 × 9,278 = 68,930/, /若是总数：7,946 个比最低需要的 68,930 个少 60,984 个（只有 11\.5%）/, /两项密度目标中至少有一项在2021年未达到/, /若是期间新培育的数量.*不能得出结论/, /晚于目标期限（2020-12-31）约 1 年/, /2021年的城乡社区数须不到 2023 年的 11\.5%/, /jilin-2017/],
      [/If it is the total: 7,946 is 60,984 short of the 68,930 required/, /at least one of the two density targets was not met in 2021/, /nothing can be concluded/, /about 1 year after the deadline \(2020-12-31\)/, /fewer than 11\.5% as many communities in 2021/]],
    ['220000-2021-12-31-social-orgs-total', '220000', 'different_definition', false,
      [/不是社区社会组织/, /既不是社区社会组织数的下限也不是上限/], [/not community social organizations/, /neither a lower nor an upper bound/]],
    ['220000-2021-cso-training-persons', '220000', 'not_a_total', false, [/不是社区社会组织的总数/], [/is not a total of community social organizations/]],
    ['370000-2022-10-05-cso-total', '370000', 'no_density_target', false,
      [/注册表中没有适用于山东省（370000）的任何目标/, /183,400 个组织 ÷ 62,028 个城乡社区/, /= 平均每个社区 2\.96 个/], [/The registry has no target for 山东省 \(370000\)/, /= 2\.96 per community on average/]],
    ['370000-2022-09-02-cso-total', '370000', 'no_density_target', false, [/174,500 个组织 ÷ 62,028 个城乡社区/], [/174,500 organizations/]],
    ['370000-2022-10-05-cso-hub-orgs', '370000', 'not_a_total', false, [/不是社区社会组织的总数/], [/not a total/]],
    ['360000-2023-09-cso-filed', '360000', 'no_density_target', false, [/没有适用于江西省/], [/No per-community density target/]],
    ['321100-2021-10-26-cso-per-urban-community', '321100', 'no_density_target', false, [/发布方自己计算的平均数/, /11\.1个社区社会组织/], [/publisher’s own average/]],
  ];

  describe.each(realCases)('compareWithRequirement(%s)', (id, area, kind, conclusive, zh, en) => {
    it(`is ${kind}`, () => {
      const f = figure(id);
      const req = densityRequirement(registry, divisions, area, f.as_of);
      const inf = compareWithRequirement(f, req, { area_targets: provinceTargets(area) });
      expect(inf.kind).toBe(kind);
      expect(inf.conclusive).toBe(conclusive);
      const textZh = inf.sentences_zh.join('\n');
      const textEn = inf.sentences_en.join('\n');
      for (const re of zh) expect(textZh).toMatch(re);
      for (const re of en) expect(textEn).toMatch(re);
      // every inference names its source and both dates
      expect(inf.source.url).toBe(f.source_url);
      expect(textZh).toContain(f.quote);
      expect(inf.dates).toMatchObject({ figure_as_of: f.as_of, units_as_of: UNITS_AS_OF });
    });
  });

  it('Jilin 7,946 against the 2020 step: the arithmetic comes from the registry and the divisions', () => {
    const f = figure('220000-2021-cso-cultivated');
    const req = densityRequirement(registry, divisions, '220000', f.as_of);
    const inf = compareWithRequirement(f, req, { area_targets: provinceTargets('220000') });
    const units = unitCounts(divisions, '220000');
    const ut = target('jilin-2020-urban-density-province');
    const rt = target('jilin-2020-rural-density-province');
    const required = ut.value * units.urban + rt.value * units.rural;
    expect(required).toBe(68_930);
    expect(inf.arithmetic).toMatchObject({
      figure_value: 7946, urban_units: units.urban, rural_units: units.rural, urban_target: 10, rural_target: 5,
      required_total: required, shortfall: required - 7946, share_of_required: Math.round((7946 / required) * 1e4) / 1e4,
    });
    expect(inf.dates).toMatchObject({ deadline: '2020-12-31', relation: 'after_deadline', years_after_deadline: 1 });
    expect(inf.definitions.target_zh).toContain(ut.clause);
    // the README's worked example is this computation
    const readme = readFileSync(path.join(root, 'data/published/README.md'), 'utf8');
    expect(readme).toContain(`${ut.value} × ${formatNumber(units.urban)} + ${rt.value} × ${formatNumber(units.rural)} = ${formatNumber(required)}`);
    expect(readme).toContain(`${formatNumber((7946 / required) * 100, 1)} %`);
    expect(inf.definitions.figure_zh).toContain('未说明是某日的存量还是期间新培育的数量');
  });

  // Constructed figures against Shanxi's real 124,275 (deadline 2023-12-31).
  const sx = (changes: Partial<PublishedFigure>) =>
    constructed('370000-2022-10-05-cso-total', { area_code: '140000', area_name: '山西省', as_of_basis: 'stated', ...changes });
  const constructedCases: [string, PublishedFigure, InferenceKind, boolean, RegExp][] = [
    ['total below, before the deadline', sx({ value: 100_000, as_of: '2022-12-31' }), 'below_minimum', true, /期限未到，不算未完成/],
    ['total below, in the deadline year', sx({ value: 100_000, as_of: '2023-12-31' }), 'below_minimum', true, /与目标期限（2023-12-31）在同一年：目标在期限时未达到/],
    ['total below, after the deadline', sx({ value: 100_000, as_of: '2024-06-30' }), 'below_minimum', true, /晚于目标期限（2023-12-31）约 0\.5 年/],
    ['upper bound below', sx({ value: 120_000, comparator: 'lte', as_of: '2023-12-31' }), 'below_minimum', true, /不超过120,000 个比最低需要的 124,275 个少 4,275 个/],
    ['approximate total below', sx({ value: 120_000, comparator: 'approx', as_of: '2023-12-31' }), 'below_minimum', false, /只要准确数字比 120,000 多不到 4,275，结论就成立/],
    ['lower bound below', sx({ value: 100_000, comparator: 'gte', as_of: '2023-12-31' }), 'inconclusive', false, /这是下限，实际数可能更多：不能得出结论/],
    ['lower bound above', sx({ value: 130_000, comparator: 'gte', as_of: '2023-12-31' }), 'reaches_minimum', false, /不能据此判断目标已经达到/],
    ['total above', sx({ value: 130_000, as_of: '2023-12-31' }), 'reaches_minimum', false, /取决于组织在两类社区间的分布/],
    ['filed only, below', sx({ metric: 'cso_filed', value: 100_000, as_of: '2023-12-31' }), 'inconclusive', false, /这只是备案的社区社会组织数，是总数的一部分/],
    ['filed only, above', sx({ metric: 'cso_filed', value: 130_000, as_of: '2023-12-31' }), 'reaches_minimum', false, /只是备案的社区社会组织数，总数更多/],
    ['cultivated, above', sx({ metric: 'cso_cultivated', value: 130_000, as_of: '2023-12-31' }), 'reaches_minimum', false, /无论哪种读法，总数都不少于 130,000 个/],
    ['urban average below its target', sx({ metric: 'cso_per_urban_community', unit: '个/社区', value: 8, as_of: '2023-12-31' }), 'density_below_target', true, /城市社区平均 8 个，低于目标 10 个（shanxi-2023-urban-density-province/],
    ['rural average at its target', sx({ metric: 'cso_per_rural_community', unit: '个/社区', value: 5, as_of: '2023-12-31' }), 'density_meets_target', false, /农村社区平均 5 个，达到目标 5 个/],
    ['urban average, lower bound below', sx({ metric: 'cso_per_urban_community', unit: '个/社区', value: 8, comparator: 'gte', as_of: '2023-12-31' }), 'inconclusive', false, /不能得出结论/],
  ];

  describe.each(constructedCases)('compareWithRequirement, constructed: %s', (_name, f, kind, conclusive, zh) => {
    it(`is ${kind}`, () => {
      const inf = compareWithRequirement(f, densityRequirement(registry, divisions, '140000', f.as_of), { area_targets: provinceTargets('140000') });
      expect(inf.kind).toBe(kind);
      expect(inf.conclusive).toBe(conclusive);
      expect(inf.sentences_zh.join('\n')).toMatch(zh);
      if (kind === 'below_minimum') {
        expect(inf.sentences_zh.join('\n')).toContain('10 × 3,003 + 5 × 18,849 = 124,275');
        expect(inf.arithmetic?.shortfall).toBe(124_275 - f.value);
      }
      expect(inf.sentences_en.length).toBe(inf.sentences_zh.length);
    });
  });

  it('refuses a requirement of another area', () => {
    const f = figure('220000-2021-cso-cultivated');
    expect(() => compareWithRequirement(f, densityRequirement(registry, divisions, '140000', f.as_of), { area_targets: [] })).toThrow(/is for 220000, the requirement for 140000/);
  });

  it('compareFiguresForArea compares every figure of the area at its own date', () => {
    const out = compareFiguresForArea(registry, divisions, figures, '220000', { area_targets: provinceTargets('220000') });
    expect(out.map((i) => i.figure_id)).toEqual(figures.filter((f) => f.area_code === '220000').map((f) => f.id));
    expect(out.find((i) => i.figure_id === '220000-2021-cso-cultivated')?.kind).toBe('below_minimum_if_stock');
    // the 2025 brand figure is compared with the last step in force (2020), like the 2021 figures
    expect(out.every((i) => i.dates.deadline === '2020-12-31')).toBe(true);
  });

  type AnswerRow = [string, string, PublishedFigure[], AnswerStatus, string | null, RegExp];
  // the target counts brand organizations cultivated since its period_start (2021-01-01)
  const jlBrand = (value: number, as_of: string, comparator: PublishedFigure['comparator'] = 'eq', period_start: string | null = '2021-01-01') =>
    constructed('220000-2025-11-social-org-brand-orgs', { metric: 'cso_brand_orgs', value, as_of, comparator, period_start, as_of_precision: 'day' });
  const jlTraining = (value: number, as_of: string, period_start: string | null) =>
    constructed('220000-2021-cso-training-persons', { metric: 'cso_training_person_times', unit: '人次', value, as_of, period_start, as_of_precision: 'day' });
  const jlUrban = (value: number, as_of: string) =>
    constructed('321100-2021-10-26-cso-per-urban-community', { area_code: '220000', area_name: '吉林省', value, as_of });
  const answerCases: AnswerRow[] = [
    // real figures: nothing in the note answers a registry target directly, and the near misses say why
    ['jilin-2023-training-person-times', '220000', figures, 'no_figure', null, /220000-2021-cso-training-persons：数字是培训人数（人），目标是培训人次/],
    ['jilin-2023-brand-orgs', '220000', figures, 'no_figure', null, /220000-2025-11-social-org-brand-orgs：数字是品牌社会组织，目标是品牌社区社会组织/],
    ['jilin-2020-urban-density-province', '220000', figures, 'no_figure', null, /220000-2021-cso-cultivated：数字是培育发展的组织数，不是社区平均数/],
    ['national-2023-training-person-times', '000000', figures, 'no_figure', null, /没有公开数字回答目标 社区社会工作人才培训累计人次 >= 2,450,000 人次/],
    ['shanxi-2023-brand-orgs', '140100', figures, 'no_figure', null, /没有公开数字回答目标 品牌社区社会组织数 >= 5 家（shanxi-2023-brand-orgs，期限 2023-12-31）。$/],
    ['leshan-2025-training-person-times', '511100', figures, 'no_figure', null, /没有公开数字/],
    // constructed: brand organizations (a count that never falls), due 2023-12-31, ≥ 60
    ['jilin-2023-brand-orgs', '220000', [jlBrand(65, '2023-12-31')], 'met', 'constructed-220000-2025-11-social-org-brand-orgs', /已达到/],
    ['jilin-2023-brand-orgs', '220000', [jlBrand(50, '2023-12-31')], 'missed', 'constructed-220000-2025-11-social-org-brand-orgs', /未按期达到/],
    ['jilin-2023-brand-orgs', '220000', [jlBrand(50, '2022-12-31')], 'short_before_deadline', 'constructed-220000-2025-11-social-org-brand-orgs', /尚未达到（期限未到）/],
    ['jilin-2023-brand-orgs', '220000', [jlBrand(50, '2024-06-30')], 'missed', 'constructed-220000-2025-11-social-org-brand-orgs', /未按期达到/],
    ['jilin-2023-brand-orgs', '220000', [jlBrand(70, '2024-06-30')], 'reached_after_deadline', 'constructed-220000-2025-11-social-org-brand-orgs', /在期限后达到/],
    ['jilin-2023-brand-orgs', '220000', [jlBrand(50, '2023-12-31', 'gte')], 'inconclusive', 'constructed-220000-2025-11-social-org-brand-orgs', /不能判断/],
    ['jilin-2023-brand-orgs', '220000', [jlBrand(65, '2023-06-30', 'gte')], 'met', 'constructed-220000-2025-11-social-org-brand-orgs', /不少于65家/],
    // all brand organizations ever recognized (no period start) are at least those since 2021: an upper bound only
    ['jilin-2023-brand-orgs', '220000', [jlBrand(65, '2023-12-31', 'eq', null)], 'inconclusive', 'constructed-220000-2025-11-social-org-brand-orgs', /不能判断/],
    ['jilin-2023-brand-orgs', '220000', [jlBrand(50, '2023-12-31', 'eq', null)], 'missed', 'constructed-220000-2025-11-social-org-brand-orgs', /未按期达到/],
    // constructed: training person-times, cumulative from 2021-01-01, ≥ 30,000 by 2023-12-31
    ['jilin-2023-training-person-times', '220000', [jlTraining(31_000, '2023-12-31', '2021-01-01')], 'met', 'constructed-220000-2021-cso-training-persons', /已达到/],
    ['jilin-2023-training-person-times', '220000', [jlTraining(31_000, '2023-12-31', '2022-01-01')], 'met', 'constructed-220000-2021-cso-training-persons', /已达到/], // a shorter period is a lower bound
    ['jilin-2023-training-person-times', '220000', [jlTraining(20_000, '2023-12-31', '2022-01-01')], 'inconclusive', 'constructed-220000-2021-cso-training-persons', /不能判断/],
    ['jilin-2023-training-person-times', '220000', [jlTraining(20_000, '2023-12-31', null)], 'missed', 'constructed-220000-2021-cso-training-persons', /未按期达到/], // since ever ≥ since 2021
    ['jilin-2023-training-person-times', '220000', [jlTraining(40_000, '2023-12-31', null)], 'inconclusive', 'constructed-220000-2021-cso-training-persons', /不能判断/],
    // constructed: the urban density, a level, ≥ 10 by 2020-12-31
    ['jilin-2020-urban-density-province', '220000', [jlUrban(8, '2020-12-31')], 'missed', 'constructed-321100-2021-10-26-cso-per-urban-community', /未按期达到/],
    ['jilin-2020-urban-density-province', '220000', [jlUrban(8, '2021-06-30')], 'short_after_deadline', 'constructed-321100-2021-10-26-cso-per-urban-community', /期限时的数值未知/],
    ['jilin-2020-urban-density-province', '220000', [jlUrban(12, '2020-06-30')], 'met', 'constructed-321100-2021-10-26-cso-per-urban-community', /已达到/],
    // of several, the decisive one nearest the deadline wins
    ['jilin-2023-brand-orgs', '220000', [{ ...jlBrand(40, '2021-12-31'), id: 'a' }, { ...jlBrand(62, '2023-12-31'), id: 'b' }, { ...jlBrand(61, '2023-06-30'), id: 'c' }], 'met', 'b', /已达到/],
  ];

  describe.each(answerCases)('answerTarget(%s, %s)', (targetId, area, figs, status, figureId, sentence) => {
    it(`is ${status}`, () => {
      const a = answerTarget(target(targetId), area, figs);
      expect(a.status).toBe(status);
      expect(a.figure?.id ?? null).toBe(figureId);
      expect(a.sentence_zh).toMatch(sentence);
      expect(a.sentence_en.length).toBeGreaterThan(0);
      if (a.figure) {
        expect(a.source).toMatchObject({ url: a.figure.source_url, publisher: a.figure.publisher, reliability: a.figure.reliability });
        expect(a.sentence_zh).toContain(a.figure.source_url);
        expect(a.candidates[0].figure_id).toBe(a.figure.id);
      } else {
        expect(a.source).toBeNull();
        expect(a.rejected.map((r) => r.figure_id)).toEqual(figs.filter((f) => f.area_code === area).map((f) => f.id));
      }
    });
  });

  it('no published figure answers a registry target directly today (as data/published/README.md says)', () => {
    const areas = [...new Set(figures.map((f) => f.area_code))];
    const answered = registry.targets.flatMap((t) =>
      areas
        .filter((code) => (t.applies_to === 'each' || t.applies_to === 'aggregate' ? t.areas.includes(code) : false))
        .map((code) => answerTarget(t, code, figures))
        .filter((a) => a.status !== 'no_figure')
        .map((a) => `${a.target_id}@${a.area_code}`),
    );
    expect(answered).toEqual([]);
    expect(readFileSync(path.join(root, 'data/published/README.md'), 'utf8')).toContain('None of the 37 figures answers a registry target directly');
    expect(figures.length).toBe(37);
  });

  it('answerTarget refuses an area the target does not apply to', () => {
    expect(() => answerTarget(target('jilin-2023-brand-orgs'), '140000', figures)).toThrow(/does not apply to area 140000/);
    expect(() => answerTarget(target('shanxi-2023-brand-orgs'), '140000', figures)).toThrow(/does not apply/); // each prefecture, not the province
  });

  it('a per-year target is never answered by a single figure', () => {
    const f = jlTraining(5, '2021-12-31', '2021-01-01');
    const a = answerTarget(target('jilin-2021-training-sessions-prefecture'), '220100', [{ ...f, area_code: '220100' }]);
    expect(a.status).toBe('no_figure');
  });
});

describe('with all of China’s divisions', () => {
  let divisions: Divisions;
  beforeAll(async () => {
    divisions = await loadDivisions();
  });

  it('the national 超过175万 is a lower bound; the national plan has no density target, and the figure says so', () => {
    const f = figure('000000-2022-12-31-cso-total');
    const req = densityRequirement(registry, divisions, '000000', f.as_of);
    expect(req.urban_target).toBeNull();
    expect(req.rural_target).toBeNull();
    const national = registry.targets.filter((t) => t.areas.includes('000000'));
    expect(national.map((t) => t.metric)).toEqual(['training_person_times']);
    const inf = compareWithRequirement(f, req, { area_targets: national, area_name_en: 'China' });
    expect(inf.kind).toBe('no_density_target');
    expect(inf.conclusive).toBe(false);
    const communities = req.units.urban + req.units.rural;
    expect(communities).toBe(unitCounts(divisions, '000000').urban + unitCounts(divisions, '000000').rural);
    const avg = formatNumber(1_750_000 / communities);
    const zh = inf.sentences_zh.join('\n');
    const en = inf.sentences_en.join('\n');
    expect(zh).toContain('社区社会工作人才培训累计人次 >= 2,450,000 人次（national-2023-training-person-times，期限 2023-12-31）');
    expect(zh).toContain('该数字不直接回答其中任何一项');
    expect(zh).toContain(`不少于1,750,000 个组织 ÷ ${formatNumber(communities)} 个城乡社区`);
    expect(zh).toContain(`平均每个社区不少于 ${avg} 个`);
    expect(en).toContain(`at least ${avg} per community on average`);
    expect(en).toContain('China (全国, 000000)');
    expect(inf.arithmetic?.per_community).toBeCloseTo(1_750_000 / communities, 4);
  });
});
