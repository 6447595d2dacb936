/**
 * Time series from establishment and dissolution dates. Pure.
 *
 * - Active organizations at each Dec 31 from the start year (2015) to the year before the as-of date, and at the
 *   as-of date itself (the last point, labelled with its date), per area and placement kind.
 * - Densities divide by the NBS 2023 unit counts at every point: units are the 2023 ones throughout, because no
 *   earlier division vintage is loaded (the methodology page says so). Earlier mergers of communities are not
 *   reflected.
 * - "Active at a date" is aggregate.ts's isActiveAt, so the last point equals the snapshot. An organization with
 *   no establishment date is therefore counted at every point (as in the snapshot); each area reports how many
 *   such organizations it has (undated_orgs) so the flat share of the series is visible.
 * - New organizations per calendar year by category (established that year, whether or not dissolved since);
 *   the as-of year is partial.
 * Areas: those the dataset fully covers (the data scope, its descendants), as in aggregate's has_data.
 */
import { ancestorsOf, countiesUnder, type Divisions } from '../ingest/divisions';
import { NATIONAL_CODE } from '../core/area-codes';
import { activeAt, dateInt, orgColumns } from '../core/org-columns';
import { CATEGORIES, type AreaLevel, type Category, type OrgColumns, type OrgRecord } from '../core/types';

export const SERIES_START_YEAR = 2015;
export const PLACEMENTS = ['urban', 'rural', 'other', 'unplaced'] as const;
export type Placement = (typeof PLACEMENTS)[number];

export interface SeriesDate {
  date: string; // ISO
  /** '2015' for a year end; the ISO date for the as-of point. */
  label: string;
  is_as_of: boolean;
}

export interface SeriesPoint extends SeriesDate {
  urban: number;
  rural: number;
  other: number;
  unplaced: number;
  total: number;
  /** Organizations ÷ 2023 units, rounded to 2 decimals; null when the area has no unit of that kind. */
  urban_per_unit: number | null;
  rural_per_unit: number | null;
}

export interface NewOrgsYear {
  year: number;
  /** The year is not over at the as-of date. */
  partial: boolean;
  total: number;
  by_category: Record<Category, number>;
}

export interface AreaSeries {
  code: string;
  name: string;
  level: AreaLevel;
  parent_code: string | null;
  urban_units: number; // NBS 2023
  rural_units: number;
  other_units: number;
  /** Organization records in the area's counties (any date, dissolved or not). */
  records: number;
  /** Organizations active at as-of with no establishment date: counted at every point. */
  undated_orgs: number;
  /** Organizations active at as-of (the last point's total). */
  active_orgs: number;
  points: SeriesPoint[];
  new_by_year: NewOrgsYear[];
  /** Organizations with no establishment date: not in new_by_year. */
  new_undated: number;
}

export interface TimeSeriesOutput {
  start_year: number;
  as_of: string;
  unit_basis: string;
  dates: SeriesDate[];
  areas: AreaSeries[];
}

export const UNIT_BASIS = 'NBS 统计用区划代码 2023 units at every point / 各时点均按2023年区划单位计算';


/** Dec 31 of each year from startYear up to the year before asOf, then asOf itself. */
export function seriesDates(asOf: string, startYear = SERIES_START_YEAR): SeriesDate[] {
  const asOfYear = Number(asOf.slice(0, 4));
  const dates: SeriesDate[] = [];
  for (let y = startYear; y < asOfYear; y++) dates.push({ date: `${y}-12-31`, label: String(y), is_as_of: false });
  // An as-of date on Dec 31 is that year's end: one point, labelled as the as-of date.
  dates.push({ date: asOf, label: asOf, is_as_of: true });
  return dates;
}

const ratio = (orgs: number, units: number) => (units === 0 ? null : Math.round((orgs / units) * 100) / 100);

export interface TimeSeriesInput {
  divisions: Divisions;
  /** Accepted organizations: the reader's columns, or records (tests). */
  orgs: OrgColumns | readonly OrgRecord[];
  asOf: string;
  /** 6-digit codes the dataset covers completely. */
  dataScope: string[];
  startYear?: number;
}

export function buildTimeSeries(input: TimeSeriesInput): TimeSeriesOutput {
  const { divisions, asOf } = input;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) throw new Error(`timeseries: asOf must be an ISO date yyyy-mm-dd, got "${asOf}"`);
  const startYear = input.startYear ?? SERIES_START_YEAR;
  const asOfYear = Number(asOf.slice(0, 4));
  const dates = seriesDates(asOf, startYear);
  const dataCounties = new Set(input.dataScope.flatMap((code) => countiesUnder(divisions, code)));

  // One pass over the integer-coded columns into dense per-county arrays; then per-county accumulators.
  const cols = orgColumns(input.orgs as OrgColumns | OrgRecord[]);
  const nDates = dates.length;
  const dateInts = dates.map((d) => dateInt(d.date));
  const asOfInt = dateInt(asOf);
  const years = asOfYear - startYear + 1;
  const nc = cols.counties.length;
  const countyInScope = Uint8Array.from(cols.counties, (c) => (dataCounties.has(c) ? 1 : 0));
  // a placement's index is its unit's kind (0 urban, 1 rural, 2 other); 3 unplaced
  const unitPlacement = divisions.units.positionsOf(cols.units, 'timeseries').kinds;
  const activeCounts = new Int32Array(nc * nDates * 4);
  // An organization is active (activeAt) at the dates on or after its establishment and before its dissolution: one
  // run of the series' dates, which ascend. The first date on or after a day (nDates: none), by bisection.
  const firstDateFrom = (day: number): number => {
    let lo = 0;
    let hi = nDates;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (dateInts[mid] < day) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const activeEnds = new Int32Array(nc * (nDates + 1) * 4);
  const newCounts = new Int32Array(nc * Math.max(years, 0) * CATEGORIES.length);
  const records = new Int32Array(nc);
  const newUndated = new Int32Array(nc);
  const undatedActive = new Int32Array(nc);
  for (let i = 0; i < cols.length; i++) {
    const c = cols.county[i];
    if (!countyInScope[c]) continue; // outside the data scope
    records[c]++;
    const placement = cols.unit[i] < 0 ? 3 : unitPlacement[cols.unit[i]];
    const est = cols.established[i];
    const dis = cols.dissolved[i];
    // active at the dates [from, to): counted at the run's two ends, added up per county below
    const from = est === 0 ? 0 : firstDateFrom(est);
    const to = dis === 0 ? nDates : firstDateFrom(dis);
    if (from < to) {
      activeEnds[(c * (nDates + 1) + from) * 4 + placement]++;
      activeEnds[(c * (nDates + 1) + to) * 4 + placement]--;
    }
    if (est === 0) {
      newUndated[c]++;
      if (activeAt(est, dis, asOfInt)) undatedActive[c]++;
    } else if (est <= asOfInt) {
      const year = Math.floor(est / 10000);
      if (year >= startYear) newCounts[(c * years + (year - startYear)) * CATEGORIES.length + cols.category[i]]++;
    }
  }
  for (let c = 0; c < nc; c++) {
    for (let p = 0; p < 4; p++) {
      let active = 0;
      for (let d = 0; d < nDates; d++) {
        active += activeEnds[(c * (nDates + 1) + d) * 4 + p];
        activeCounts[(c * nDates + d) * 4 + p] = active;
      }
    }
  }
  // Areas fully covered: every county under them is in the data scope. An area's figures are its counties' dense
  // counts added up (a county without organizations adds nothing): no object per county and date.
  const countyIndex = new Map(cols.counties.map((code, c) => [code, c]));
  const candidates = new Set<string>();
  for (const county of dataCounties) for (const code of [county, ...ancestorsOf(divisions, county), NATIONAL_CODE]) candidates.add(code);
  const nCat = CATEGORIES.length;
  const active = new Int32Array(nDates * 4);
  const fresh = new Int32Array(Math.max(years, 0) * nCat);
  const areas: AreaSeries[] = [];
  for (const code of [...candidates].sort()) {
    const counties = countiesUnder(divisions, code);
    if (counties.length === 0 || !counties.every((c) => dataCounties.has(c))) continue;
    const area = divisions.areas.get(code)!;
    const units = { urban: 0, rural: 0, other: 0 };
    active.fill(0);
    fresh.fill(0);
    let areaRecords = 0;
    let areaUndatedActive = 0;
    let areaNewUndated = 0;
    for (const county of counties) {
      // unit counts per county from the divisions (2023)
      const kinds = divisions.unitKindsOf.get(county);
      if (kinds) {
        units.urban += kinds.urban;
        units.rural += kinds.rural;
        units.other += kinds.other;
      }
      const c = countyIndex.get(county);
      if (c === undefined) continue;
      const a = c * nDates * 4;
      for (let k = 0; k < nDates * 4; k++) active[k] += activeCounts[a + k];
      const n = c * years * nCat;
      for (let k = 0; k < years * nCat; k++) fresh[k] += newCounts[n + k];
      areaRecords += records[c];
      areaUndatedActive += undatedActive[c];
      areaNewUndated += newUndated[c];
    }
    const points: SeriesPoint[] = dates.map((d, i) => {
      const sum = { urban: active[i * 4], rural: active[i * 4 + 1], other: active[i * 4 + 2], unplaced: active[i * 4 + 3] };
      return {
        ...d,
        ...sum,
        total: sum.urban + sum.rural + sum.other + sum.unplaced,
        urban_per_unit: ratio(sum.urban, units.urban),
        rural_per_unit: ratio(sum.rural, units.rural),
      };
    });
    const newByYear: NewOrgsYear[] = [];
    for (let year = startYear; year <= asOfYear; year++) {
      const base = (year - startYear) * nCat;
      const byCategory = Object.fromEntries(CATEGORIES.map((cat, k) => [cat, fresh[base + k]])) as Record<Category, number>;
      newByYear.push({
        year,
        partial: `${year}-12-31` > asOf,
        total: CATEGORIES.reduce((s, cat) => s + byCategory[cat], 0),
        by_category: byCategory,
      });
    }
    areas.push({
      code,
      name: area.name,
      level: area.level,
      parent_code: area.parentCode,
      urban_units: units.urban,
      rural_units: units.rural,
      other_units: units.other,
      records: areaRecords,
      undated_orgs: areaUndatedActive,
      active_orgs: points.at(-1)!.total,
      points,
      new_by_year: newByYear,
      new_undated: areaNewUndated,
    });
  }
  return { start_year: startYear, as_of: asOf, unit_basis: UNIT_BASIS, dates, areas };
}

/** Long-format rows for timeseries.csv: one row per area and date. */
export const TIMESERIES_CSV_COLUMNS = [
  'code', 'name', 'level', 'date', 'label', 'is_as_of', 'urban', 'rural', 'other', 'unplaced', 'total',
  'urban_units', 'rural_units', 'urban_per_unit', 'rural_per_unit',
] as const;

export function timeSeriesCsvRows(ts: TimeSeriesOutput) {
  return ts.areas.flatMap((a) =>
    a.points.map((p) => ({
      code: a.code, name: a.name, level: a.level, date: p.date, label: p.label, is_as_of: p.is_as_of,
      urban: p.urban, rural: p.rural, other: p.other, unplaced: p.unplaced, total: p.total,
      urban_units: a.urban_units, rural_units: a.rural_units, urban_per_unit: p.urban_per_unit, rural_per_unit: p.rural_per_unit,
    })),
  );
}
