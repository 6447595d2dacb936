import { describe, expect, it } from 'vitest';
import { annualStatus, levelStatus, stepInForce, stepStatuses, yearsBetween, type LevelStatusInput, type YearValue } from '../../src/lib/model/status';
import { loadRegistry } from '../../src/lib/model/targets';
import type { DeadlineStatus } from '../../src/lib/core/types';

const pts = (...pairs: [string, number][]) => pairs.map(([date, value]) => ({ date, value }));

// Each expectation worked by hand; years are days ÷ 365.25.
type LevelCase = [string, LevelStatusInput, DeadlineStatus, Partial<Record<'current' | 'required_per_year' | 'observed_per_year' | 'deadline_value' | 'baseline_value', number | null>>];
const levelCases: LevelCase[] = [
  [
    // CAGR is undefined here (base 0); linear: observed (4 − 0) / 2.0014 y = 1.999, required (5 − 4) / 0.9993 y = 1.001.
    'zero base, growing: on track',
    { comparator: '>=', target: 5, deadline: '2025-12-31', asOf: '2024-12-31', points: pts(['2022-12-31', 0], ['2024-12-31', 4]) },
    'on_track',
    { current: 4, baseline_value: 0, observed_per_year: 1.999, required_per_year: 1.001 },
  ],
  [
    'zero base, flat at zero: off track (no division by zero)',
    { comparator: '>=', target: 5, deadline: '2025-12-31', asOf: '2024-12-31', points: pts(['2022-12-31', 0], ['2024-12-31', 0]) },
    'off_track',
    { current: 0, observed_per_year: 0, required_per_year: 5.003 },
  ],
  [
    'deadline passed, value at the deadline meets it (later dip does not matter): met',
    { comparator: '>=', target: 10, deadline: '2023-12-31', asOf: '2025-06-30', points: pts(['2022-12-31', 8], ['2023-12-31', 10.5], ['2025-06-30', 9]) },
    'met',
    { current: 9, deadline_value: 10.5, required_per_year: null },
  ],
  [
    'deadline passed, value at the deadline short (met later): missed, not on track',
    { comparator: '>=', target: 10, deadline: '2023-12-31', asOf: '2025-06-30', points: pts(['2022-12-31', 8], ['2023-12-31', 9.5], ['2025-06-30', 12]) },
    'missed',
    { current: 12, deadline_value: 9.5 },
  ],
  [
    'deadline passed, no value in the deadline year: no data',
    { comparator: '>=', target: 10, deadline: '2023-12-31', asOf: '2025-06-30', points: pts(['2021-12-31', 3], ['2025-06-30', 12]) },
    'no_data',
    { current: 12, deadline_value: 3 },
  ],
  [
    'deadline passed, cumulative metric still short afterwards: missed',
    { comparator: '>=', target: 30000, deadline: '2023-12-31', asOf: '2025-06-30', cumulative: true, points: pts(['2021-12-31', 9000], ['2024-06-30', 21000]) },
    'missed',
    { current: 21000, deadline_value: 21000 },
  ],
  [
    // Window from 2022-06-30: baseline 2 → observed 3 / 3.0007 = 0.9998; required (5.4 − 5) / 0.5038 = 0.794.
    'on track: recent pace above the required pace',
    { comparator: '>=', target: 5.4, deadline: '2025-12-31', asOf: '2025-06-30', points: pts(['2020-12-31', 1], ['2022-06-30', 2], ['2023-06-30', 3], ['2025-06-30', 5]) },
    'on_track',
    { current: 5, baseline_value: 2, observed_per_year: 1, required_per_year: 0.794 },
  ],
  [
    // Same history; required (6 − 5) / 0.5038 = 1.985 > 0.9998.
    'off track: recent pace below the required pace',
    { comparator: '>=', target: 6, deadline: '2025-12-31', asOf: '2025-06-30', points: pts(['2020-12-31', 1], ['2022-06-30', 2], ['2023-06-30', 3], ['2025-06-30', 5]) },
    'off_track',
    { current: 5, baseline_value: 2, observed_per_year: 1, required_per_year: 1.985 },
  ],
  [
    'less than 3 years of history: the earliest value is the baseline',
    { comparator: '>=', target: 100, deadline: '2026-06-30', asOf: '2025-06-30', points: pts(['2024-06-30', 40], ['2025-06-30', 70]) },
    'on_track',
    { baseline_value: 40, observed_per_year: 30.021, required_per_year: 30.021 },
  ],
  [
    'already met before the deadline: met',
    { comparator: '>=', target: 75, deadline: '2025-12-31', asOf: '2025-06-30', points: pts(['2025-03-31', 80]) },
    'met',
    { current: 80 },
  ],
  [
    'one value, not met, deadline ahead: no data for the trend, current shown',
    { comparator: '>=', target: 75, deadline: '2025-12-31', asOf: '2025-06-30', points: pts(['2025-03-31', 60]) },
    'no_data',
    { current: 60, observed_per_year: null },
  ],
  [
    'missing data: no value at all',
    { comparator: '>=', target: 12, deadline: '2025-12-31', asOf: '2025-06-30', points: [] },
    'no_data',
    { current: null, required_per_year: null },
  ],
  [
    'values after the as-of date are ignored',
    { comparator: '>=', target: 12, deadline: '2025-12-31', asOf: '2025-06-30', points: pts(['2025-09-30', 20]) },
    'no_data',
    { current: null },
  ],
  [
    'history not usable (undated organizations): no data',
    { comparator: '>=', target: 12, deadline: '2025-12-31', asOf: '2025-06-30', trendUsable: false, points: pts(['2023-12-31', 1], ['2025-06-30', 2]) },
    'no_data',
    { current: 2, observed_per_year: null },
  ],
  [
    'at most: falling fast enough is on track',
    { comparator: '<=', target: 10, deadline: '2026-06-30', asOf: '2025-06-30', points: pts(['2024-06-30', 30], ['2025-06-30', 20]) },
    'on_track',
    { observed_per_year: -10.007, required_per_year: -10.007 },
  ],
];

describe.each(levelCases)('levelStatus: %s', (_name, input, status, inputs) => {
  const result = levelStatus(input);
  it(`is ${status}`, () => expect(result.status).toBe(status));
  it('writes out the inputs', () => {
    for (const [key, value] of Object.entries(inputs)) expect(result.inputs[key as keyof typeof inputs], key).toBe(value);
  });
});

describe('levelStatus: inputs for a published row', () => {
  it('measures years from the current value to the deadline', () => {
    const r = levelStatus({ comparator: '>=', target: 6, deadline: '2025-12-31', asOf: '2025-06-30', points: pts(['2022-06-30', 2], ['2025-06-30', 5]) });
    expect(r.inputs.years_left).toBe(0.5);
    expect(r.inputs.baseline_year).toBe(2022);
    expect(r.inputs.pace_ratio).toBe(0.5); // 0.9998 / 1.985
    expect(r.basis).toBe('trend');
  });
  it('rejects a malformed date, naming it', () => {
    expect(() => levelStatus({ comparator: '>=', target: 1, deadline: '2025/12/31', asOf: '2025-06-30', points: [] })).toThrow(/deadline.*2025\/12\/31/);
  });
  it('yearsBetween counts 365.25-day years', () => {
    expect(yearsBetween('2021-12-31', '2024-12-31')).toBeCloseTo(1096 / 365.25, 12);
  });
});

const y = (year: number, value: number, complete = true): YearValue => ({ year, value, complete });
type AnnualCase = [string, string, YearValue[], DeadlineStatus, number[], number | null];
// Leshan-like: ≥100 new organizations every year 2021–2025.
const annualCases: AnnualCase[] = [
  ['every complete year so far meets it', '2025-06-30', [y(2021, 120), y(2022, 105), y(2023, 130), y(2024, 101), y(2025, 40, false)], 'on_track', [], 112],
  ['one year short before the deadline', '2025-06-30', [y(2021, 120), y(2022, 105), y(2023, 90), y(2024, 101), y(2025, 40, false)], 'off_track', [2023], 98.667],
  ['deadline passed, every year met', '2026-03-01', [y(2021, 120), y(2022, 105), y(2023, 130), y(2024, 101), y(2025, 100)], 'met', [], 110.333],
  ['deadline passed, a year short', '2026-03-01', [y(2021, 120), y(2022, 99), y(2023, 130), y(2024, 101), y(2025, 150)], 'missed', [2022], 127],
  ['deadline passed, a year without data', '2026-03-01', [y(2021, 120), y(2023, 130), y(2024, 101), y(2025, 150)], 'no_data', [], 127],
  ['no data at all', '2025-06-30', [], 'no_data', [], null],
];

describe.each(annualCases)('annualStatus: %s', (_name, asOf, yearly, status, short, observed) => {
  const result = annualStatus({ comparator: '>=', target: 100, periodStart: '2021-01-01', deadline: '2025-12-31', asOf, yearly });
  it(`is ${status}`, () => expect(result.status).toBe(status));
  it('lists the short years and the recent mean', () => {
    expect(result.inputs.years_short).toEqual(short);
    expect(result.inputs.observed_per_year).toBe(observed);
    expect(result.inputs.required_per_year).toBe(100);
  });
});

describe('annualStatus before the period starts', () => {
  it('judges the recent pace against the yearly target', () => {
    const r = annualStatus({ comparator: '>=', target: 1, periodStart: '2026-01-01', deadline: '2027-12-31', asOf: '2025-06-30', yearly: [y(2023, 0), y(2024, 2)] });
    expect(r.status).toBe('on_track');
    expect(r.basis).toBe('trend');
    expect(r.inputs.observed_per_year).toBe(1);
  });
});

// Jilin 2017 (real registry): county urban density 2 by 2018, 5 by 2019, 10 by 2020.
const registry = loadRegistry('data/targets/registry.json');
const jilinSteps = registry.targets
  .filter((t) => t.series === 'jilin-2017-urban-density-county')
  .map((t) => ({ id: t.id, target: t.value, deadline: t.deadline }));

type StepCase = [string, string, [string, number][], Record<string, [DeadlineStatus, boolean]>];
const stepCases: StepCase[] = [
  [
    // 2019 step: required (5 − 3.5) / (305/365.25) = 1.796; observed (3.5 − 0.5) / (425/365.25) = 2.578.
    // 2020 step: required (10 − 3.5) / (671/365.25) = 3.538 > 2.578.
    'at 2019-03-01',
    '2019-03-01',
    [['2017-12-31', 0.5], ['2018-12-31', 2.2], ['2019-03-01', 3.5]],
    {
      'jilin-2018-urban-density-county': ['met', false],
      'jilin-2019-urban-density-county': ['on_track', true],
      'jilin-2020-urban-density-county': ['off_track', false],
    },
  ],
  [
    'at 2021-01-01 (every step passed: met or missed only)',
    '2021-01-01',
    [['2017-12-31', 0.5], ['2018-12-31', 2.2], ['2019-12-31', 4.8], ['2020-12-31', 10.2], ['2021-01-01', 10.2]],
    {
      'jilin-2018-urban-density-county': ['met', false],
      'jilin-2019-urban-density-county': ['missed', false],
      'jilin-2020-urban-density-county': ['met', true],
    },
  ],
];

describe.each(stepCases)('stepped Jilin targets %s', (_name, asOf, points, expected) => {
  const results = stepStatuses(jilinSteps, { comparator: '>=', asOf, points: pts(...points) });
  it('has the three steps of the registry', () => expect(jilinSteps.map((s) => s.target)).toEqual([2, 5, 10]));
  it.each(Object.entries(expected))('%s', (id, [status, inForce]) => {
    const r = results.find((x) => x.id === id)!;
    expect(r.status).toBe(status);
    expect(r.in_force).toBe(inForce);
  });
  it('the step in force agrees with stepInForce', () => {
    expect(results.filter((r) => r.in_force).map((r) => r.id)).toEqual([stepInForce(jilinSteps, asOf)]);
  });
});
