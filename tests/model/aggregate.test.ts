import { describe, expect, it } from 'vitest';
import { aggregate, combinedStatus, gap, isActiveAt, type DensityTargetResolver } from '../../src/lib/model/aggregate';
import type { OrgRecord } from '../../src/lib/core/types';
import { fixtureDivisions } from '../fixtures/aggregate/divisions';

let line = 1;
function org(partial: Partial<OrgRecord> & { countyCode: string }): OrgRecord {
  line += 1;
  return {
    name: `组织${line}`,
    communityCode: null,
    townshipCode: null,
    category: '志愿服务型',
    registration: '备案',
    creditCode: null,
    establishedOn: '2020-01-01',
    dissolvedOn: null,
    source: { file: 'organizations/a.csv', line },
    ...partial,
  };
}
const inUnit = (code: string, extra: Partial<OrgRecord> = {}) => org({ communityCode: code, countyCode: code.slice(0, 6), ...extra });

// Worked by hand: see the expectations below.
const orgs: OrgRecord[] = [
  ...Array.from({ length: 4 }, () => inUnit('990101001001')),
  inUnit('990101001001', { dissolvedOn: '2024-12-31' }), // dissolved before as-of: not active
  inUnit('990101001002', { category: '功能服务型', registration: '登记' }),
  inUnit('990101001002', { establishedOn: '2025-07-01' }), // after as-of: not active
  inUnit('990101001003'),
  inUnit('990101001003', { dissolvedOn: '2025-06-30' }), // dissolved on the as-of day: not active
  inUnit('990101001003', { establishedOn: null }), // unknown date: active
  org({ countyCode: '990101', townshipCode: '990101001' }), // township-level: unplaced
  inUnit('990102001002'),
  inUnit('990102001003'), // 'other' unit
];

const tiers: Record<string, [number, number]> = { '990101': [3, 2], '990102': [2, 1], '990100': [2, 1] };
const resolveTargets: DensityTargetResolver = (area) => {
  const tier = tiers[area.code];
  return tier
    ? { urban: { id: `t-${area.code}-u`, value: tier[0] }, rural: { id: `t-${area.code}-r`, value: tier[1] } }
    : { urban: null, rural: null };
};

const result = aggregate({
  divisions: fixtureDivisions(),
  orgs,
  asOf: '2025-06-30',
  dataScope: ['990100'],
  extraAreas: [],
  resolveTargets,
});
const byCode = new Map(result.areas.map((a) => [a.code, a]));

describe('aggregate on a hand-worked fixture', () => {
  it.each([
    // code, urban units, rural units, other, urban orgs, rural orgs, other orgs, unplaced, total
    ['990101', 2, 1, 0, 5, 2, 0, 1, 8],
    ['990102', 0, 2, 1, 0, 1, 1, 0, 2],
    ['990100', 2, 3, 1, 5, 3, 1, 1, 10],
    ['990000', 2, 3, 1, 5, 3, 1, 1, 10],
  ])('%s counts', (code, uu, ru, ou, uo, ro, oo, un, total) => {
    const a = byCode.get(code)!;
    expect([a.urban_units, a.rural_units, a.other_units, a.urban_orgs, a.rural_orgs, a.other_orgs, a.unplaced_orgs, a.total_orgs]).toEqual([uu, ru, ou, uo, ro, oo, un, total]);
  });

  it.each([
    // code, urban density, rural density, urban gap, rural gap, urban status, rural status, status
    ['990101', 2.5, 2, 1, 0, 'not_met', 'met', 'not_met'],
    ['990102', null, 0.5, null, 1, 'no_data', 'not_met', 'not_met'],
    ['990100', 2.5, 1, 0, 0, 'met', 'met', 'met'],
    ['990000', 2.5, 1, null, null, 'no_target', 'no_target', 'no_target'],
  ])('%s densities, gaps and status', (code, ud, rd, ug, rg, us, rs, s) => {
    const a = byCode.get(code)!;
    expect([a.urban_per_unit, a.rural_per_unit, a.urban_gap, a.rural_gap, a.urban_status, a.rural_status, a.status]).toEqual([ud, rd, ug, rg, us, rs, s]);
  });

  it('counts categories and registration of active organizations only', () => {
    const a = byCode.get('990101')!;
    expect(a.by_category).toEqual({ 功能服务型: 1, 兴趣爱好型: 0, 志愿服务型: 7, 公益慈善型: 0, 其他: 0 });
    expect(a.by_registration).toEqual({ 登记: 1, 备案: 7 });
  });

  it('lists every community with its gap against the county tier', () => {
    expect(result.communities.map((c) => [c.code, c.kind, c.orgs, c.target, c.gap])).toEqual([
      ['990101001001', 'urban', 4, 3, 0],
      ['990101001002', 'urban', 1, 3, 2],
      ['990101001003', 'rural', 2, 2, 0],
      ['990102001001', 'rural', 0, 1, 1],
      ['990102001002', 'rural', 1, 1, 0],
      ['990102001003', 'other', 1, null, null],
    ]);
    expect(result.townships.map((t) => [t.code, t.total_orgs, t.unplaced_orgs])).toEqual([
      ['990101001', 8, 1],
      ['990102001', 2, 0],
    ]);
  });

  it('areas outside the data scope have units but no organization counts', () => {
    const partial = aggregate({ divisions: fixtureDivisions(), orgs, asOf: '2025-06-30', dataScope: ['990101'], extraAreas: ['990102'], resolveTargets });
    const b = partial.areas.find((a) => a.code === '990102')!;
    const city = partial.areas.find((a) => a.code === '990100')!;
    expect([b.has_data, b.rural_units, b.rural_orgs, b.status]).toEqual([false, 2, null, 'no_data']);
    expect([city.has_data, city.total_orgs]).toEqual([false, null]);
  });
});

describe('measure helpers', () => {
  it.each([
    [15, 60, 900, 0],
    [15, 60, 899, 1],
    [8, 135, 0, 1080],
    [0.5, 3, 1, 1], // ceil(1.5) = 2 organizations needed
    [null, 10, 5, null],
    [3, 0, 0, null],
  ])('gap(target %s, units %s, orgs %s) = %s', (t, u, o, expected) => {
    expect(gap(t, u, o)).toBe(expected);
  });

  it.each([
    [{ establishedOn: '2025-06-30', dissolvedOn: null }, true],
    [{ establishedOn: '2025-07-01', dissolvedOn: null }, false],
    [{ establishedOn: '2020-01-01', dissolvedOn: '2025-06-30' }, false],
    [{ establishedOn: '2020-01-01', dissolvedOn: '2025-07-01' }, true],
  ])('isActiveAt(%o, 2025-06-30) = %s', (o, expected) => {
    expect(isActiveAt(o, '2025-06-30')).toBe(expected);
  });

  it.each([
    ['met', 'met', 'met'],
    ['met', 'not_met', 'not_met'],
    ['no_target', 'met', 'met'],
    ['no_data', 'met', 'no_data'],
    ['no_target', 'no_target', 'no_target'],
  ] as const)('combinedStatus(%s, %s) = %s', (u, r, s) => {
    expect(combinedStatus(u, r)).toBe(s);
  });
});
