import { describe, expect, it } from 'vitest';
import { aggregate } from '../../src/lib/model/aggregate';
import { buildTimeSeries, seriesDates, timeSeriesCsvRows, type AreaSeries } from '../../src/lib/model/timeseries';
import { CATEGORIES, type Category } from '../../src/lib/core/types';
import { fixtureDivisions } from '../fixtures/aggregate/divisions';
import { activeAt, dateInt } from '../../src/lib/core/org-columns';
import { countiesUnder } from '../../src/lib/ingest/divisions';
import { TIMESERIES_AS_OF, timeseriesOrgs } from '../fixtures/timeseries/orgs';

const divisions = fixtureDivisions();
const ts = buildTimeSeries({ divisions, orgs: timeseriesOrgs, asOf: TIMESERIES_AS_OF, dataScope: ['990100'] });
const byCode = new Map(ts.areas.map((a) => [a.code, a]));
const column = (a: AreaSeries, key: 'urban' | 'rural' | 'other' | 'unplaced' | 'total' | 'urban_per_unit' | 'rural_per_unit') => a.points.map((p) => p[key]);

describe('series dates', () => {
  it('are the year ends from 2015, then the as-of date, labelled', () => {
    expect(ts.dates).toEqual([
      { date: '2015-12-31', label: '2015', is_as_of: false },
      { date: '2016-12-31', label: '2016', is_as_of: false },
      { date: '2017-12-31', label: '2017', is_as_of: false },
      { date: '2018-06-30', label: '2018-06-30', is_as_of: true },
    ]);
  });
  it('an as-of date on Dec 31 is one point, not two', () => {
    expect(seriesDates('2017-12-31').map((d) => d.date)).toEqual(['2015-12-31', '2016-12-31', '2017-12-31']);
  });
});

// Counts at 2015-12-31, 2016-12-31, 2017-12-31, 2018-06-30, summed by hand from the fixture's comments.
type Expected = { urban: number[]; rural: number[]; other: number[]; unplaced: number[]; total: number[]; urban_per_unit: (number | null)[]; rural_per_unit: (number | null)[] };
const expected: [string, Expected][] = [
  ['990101', { urban: [2, 3, 2, 2], rural: [1, 1, 1, 1], other: [0, 0, 0, 0], unplaced: [0, 0, 0, 0], total: [3, 4, 3, 3], urban_per_unit: [1, 1.5, 1, 1], rural_per_unit: [1, 1, 1, 1] }],
  ['990102', { urban: [0, 0, 0, 0], rural: [1, 0, 0, 1], other: [0, 0, 1, 1], unplaced: [1, 1, 1, 1], total: [2, 1, 2, 3], urban_per_unit: [null, null, null, null], rural_per_unit: [0.5, 0, 0, 0.5] }],
  ['990100', { urban: [2, 3, 2, 2], rural: [2, 1, 1, 2], other: [0, 0, 1, 1], unplaced: [1, 1, 1, 1], total: [5, 5, 5, 6], urban_per_unit: [1, 1.5, 1, 1], rural_per_unit: [0.67, 0.33, 0.33, 0.67] }],
  ['990000', { urban: [2, 3, 2, 2], rural: [2, 1, 1, 2], other: [0, 0, 1, 1], unplaced: [1, 1, 1, 1], total: [5, 5, 5, 6], urban_per_unit: [1, 1.5, 1, 1], rural_per_unit: [0.67, 0.33, 0.33, 0.67] }],
];

describe.each(expected)('active organizations in %s', (code, exp) => {
  const area = byCode.get(code)!;
  it.each(Object.keys(exp) as (keyof Expected)[])('%s', (key) => expect(column(area, key)).toEqual(exp[key]));
});

describe('areas and units', () => {
  // The fixture's China is one province, so covering it covers 全国 (000000) too.
  it('covers the areas the scope covers completely', () => expect(ts.areas.map((a) => a.code)).toEqual(['000000', '990000', '990100', '990101', '990102']));
  it('uses the 2023 units at every point', () => {
    expect([byCode.get('990100')!.urban_units, byCode.get('990100')!.rural_units, byCode.get('990100')!.other_units]).toEqual([2, 3, 1]);
  });
  it('leaves out an ancestor the scope covers only in part', () => {
    const partial = buildTimeSeries({ divisions, orgs: timeseriesOrgs, asOf: TIMESERIES_AS_OF, dataScope: ['990101'] });
    expect(partial.areas.map((a) => a.code)).toEqual(['990101']);
  });
  it('counts records, undated and active organizations', () => {
    const a = byCode.get('990101')!;
    const b = byCode.get('990102')!;
    expect([a.records, a.undated_orgs, a.active_orgs, a.new_undated]).toEqual([5, 1, 3, 1]);
    expect([b.records, b.undated_orgs, b.active_orgs, b.new_undated]).toEqual([4, 0, 3, 1]);
  });
});

const cats = (partial: Partial<Record<Category, number>>) => Object.fromEntries(CATEGORIES.map((c) => [c, partial[c] ?? 0]));
describe('new organizations per year by category', () => {
  it('A区: established each year, dissolved or not; none after as-of', () => {
    expect(byCode.get('990101')!.new_by_year).toEqual([
      { year: 2015, partial: false, total: 2, by_category: cats({ 功能服务型: 1, 志愿服务型: 1 }) },
      { year: 2016, partial: false, total: 1, by_category: cats({ 兴趣爱好型: 1 }) },
      { year: 2017, partial: false, total: 0, by_category: cats({}) },
      { year: 2018, partial: true, total: 0, by_category: cats({}) },
    ]);
  });
  it('测试市 sums its counties (2014 founding is before the series)', () => {
    expect(byCode.get('990100')!.new_by_year.map((y) => [y.year, y.total, y.partial])).toEqual([
      [2015, 2, false],
      [2016, 1, false],
      [2017, 1, false],
      [2018, 1, true],
    ]);
  });
});

describe('agrees with the snapshot', () => {
  it('the as-of point equals aggregate() at the same date', () => {
    const snap = aggregate({
      divisions, orgs: timeseriesOrgs, asOf: TIMESERIES_AS_OF, dataScope: ['990100'], extraAreas: [],
      resolveTargets: () => ({ urban: null, rural: null }),
    });
    for (const row of snap.areas) {
      const last = byCode.get(row.code)!.points.at(-1)!;
      expect([last.urban, last.rural, last.other, last.unplaced, last.total], row.code).toEqual([row.urban_orgs, row.rural_orgs, row.other_orgs, row.unplaced_orgs, row.total_orgs]);
    }
  });
});

describe('csv rows', () => {
  it('one row per area and date', () => {
    const rows = timeSeriesCsvRows(ts);
    expect(rows).toHaveLength(5 * 4);
    expect(rows.find((r) => r.code === '990102' && r.label === '2018-06-30')).toMatchObject({ rural: 1, other: 1, unplaced: 1, total: 3, rural_per_unit: 0.5 });
  });
});

describe('active counts at every date equal activeAt, organization by organization', () => {
  // Established and dissolved on, just before and just after each series date, before the series and after the
  // as-of date, and undated: every pair of such days (an organization dissolved before it was founded left out).
  const days = ['2012-05-05', '2015-12-30', '2015-12-31', '2016-01-01', '2016-12-31', '2017-06-15', '2017-12-31', '2018-06-29', '2018-06-30', '2018-07-01', '2019-01-01'];
  const orgs = [null, ...days].flatMap((est, i) =>
    [null, ...days].filter((dis) => dis === null || est === null || dis >= est).map((dis, j) => ({
      ...timeseriesOrgs[(i + j) % timeseriesOrgs.length],
      establishedOn: est,
      dissolvedOn: dis,
    })),
  );
  const series = buildTimeSeries({ divisions, orgs, asOf: TIMESERIES_AS_OF, dataScope: ['990100'] });
  const county = series.areas.find((a) => a.code === '990100')!;
  const inScope = new Set(countiesUnder(divisions, '990100'));
  it.each(series.dates.map((d, i) => [d.date, i] as const))('at %s', (date, i) => {
    expect(orgs.length).toBeGreaterThan(80);
    const at = dateInt(date);
    const active = orgs.filter((o) => inScope.has(o.countyCode) && activeAt(dateInt(o.establishedOn), dateInt(o.dissolvedOn), at)).length;
    expect(county.points[i].total).toBe(active);
  });
});
