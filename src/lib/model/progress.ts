/**
 * Progress model: every target of the registry evaluated for every area it applies to, with the
 * status method of status.ts and its inputs written out.
 *
 * Where each value comes from:
 *  - densities (urban/rural_orgs_per_unit) and new organizations per year: the organization records, for areas
 *    the dataset fully covers (timeseries.ts); otherwise the dataset's observations for that area, if any;
 *  - every other metric (federation coverage, training, brand organizations, hubs, pilots…): observations/*.csv;
 *  - nothing: status no_data, with the target's data_needed saying what would answer it.
 */
import { NATIONAL_CODE, NATIONAL_NAME } from '../core/area-codes';
import { ancestorsOf, type Divisions } from '../ingest/divisions';
import { annualStatus, levelStatus, stepInForce, TREND_YEARS, type Comparator, type DatedValue, type StatusBasis, type StatusInputs, type YearValue } from './status';
import { codeWithin, DENSITY_METRICS, METRICS, targetsForArea, type Registry, type Target, type TargetMetric } from './targets';
import { buildTimeSeries, type AreaSeries, type TimeSeriesOutput } from './timeseries';
import type { AreaLevel, Category, DeadlineStatus, Observation, OrgColumns } from '../core/types';

export { NATIONAL_CODE, NATIONAL_NAME };

/**
 * Above this share of organizations without an establishment date, the history is mostly flat by construction
 * (undated organizations count at every point), so no trend is computed from it.
 */
export const UNDATED_MAX_SHARE = 0.5;

export type ValueSource = 'organizations' | 'observations' | 'none';

export interface ObservationRef {
  file: string;
  line: number;
  as_of: string;
  value: number;
  source_title: string;
  source_url: string | null;
}

export interface ProgressRow {
  target_id: string;
  document: string;
  area_code: string;
  area_name: string;
  area_level: AreaLevel | 'national';
  metric: TargetMetric;
  categories: Category[] | null;
  comparator: Comparator;
  target_value: number;
  unit: string;
  deadline: string;
  period_start: string | null;
  /** Stepped targets: the series, this step's position and whether it is the step in force at as-of. */
  step: { series: string; index: number; count: number; in_force: boolean } | null;
  current_value: number | null;
  current_as_of: string | null;
  value_source: ValueSource;
  /** "organizations/*: N rows …" or "observations/x.csv:3 《title》 url; …" or "". */
  source_ref: string;
  sources: ObservationRef[];
  inputs: StatusInputs;
  status: DeadlineStatus;
  basis: StatusBasis;
  data_needed: string;
  /** Why there is no data, or a caveat on the value (zh / en). */
  note: string | null;
}

export interface UnusedObservation extends ObservationRef {
  area_code: string;
  metric: string;
  reason: string; // zh / en
}

export interface ProgressOutput {
  as_of: string;
  trend_years: number;
  undated_max_share: number;
  rows: ProgressRow[];
  /** Observations no target row reads (unknown metric, or no target for that area): shown on the quality page. */
  unused_observations: UnusedObservation[];
}

type MetricKind = 'density' | 'annual' | 'level' | 'cumulative';

export function metricKind(metric: TargetMetric): MetricKind {
  if (metric === DENSITY_METRICS.urban || metric === DENSITY_METRICS.rural) return 'density';
  const unit: string = METRICS[metric].unit;
  if (unit.endsWith('/年')) return 'annual';
  if (unit === '%') return 'level';
  return 'cumulative'; // counts: person-times, brand organizations and projects, hubs, pilots
}

interface AreaInfo {
  code: string;
  name: string;
  level: AreaLevel | 'national';
  ancestors: string[];
}

export interface ProgressInput {
  registry: Registry;
  divisions: Divisions;
  timeseries: TimeSeriesOutput;
  observations: Observation[];
  asOf: string;
}

const observationRef = (o: Observation): ObservationRef => ({
  file: o.source.file, line: o.source.line, as_of: o.as_of, value: o.value, source_title: o.source_title, source_url: o.source_url,
});

function formatRefs(refs: ObservationRef[]): string {
  return refs.map((r) => `${r.file}:${r.line} (${r.as_of}) 《${r.source_title}》${r.source_url ? ' ' + r.source_url : ''}`).join('; ');
}

const NOTE_NOT_COVERED =
  '本数据集未覆盖该地区的组织记录，也没有该指标的观测值 / the dataset has no organization records for this area and no observation of this metric';
const NOTE_NO_OBSERVATION = '数据集 observations/ 中没有该地区该指标的观测值 / no observation of this metric for this area in the dataset';
const NOTE_UNDATED = `超过${UNDATED_MAX_SHARE * 100}%的组织缺少成立日期，无法计算趋势 / more than ${UNDATED_MAX_SHARE * 100}% of organizations lack an establishment date: no trend computed`;

export function evaluateProgress(input: ProgressInput): ProgressOutput {
  const { registry, divisions, asOf } = input;
  const seriesByCode = new Map(input.timeseries.areas.map((a) => [a.code, a]));
  const obsByKey = new Map<string, Observation[]>();
  for (const o of input.observations) {
    const key = `${o.area_code}|${o.metric}`;
    obsByKey.set(key, [...(obsByKey.get(key) ?? []), o]);
  }
  const seriesSteps = new Map<string, Target[]>();
  for (const t of registry.targets) if (t.series) seriesSteps.set(t.series, [...(seriesSteps.get(t.series) ?? []), t]);
  const stepOf = (t: Target): ProgressRow['step'] => {
    if (!t.series) return null;
    const steps = [...seriesSteps.get(t.series)!].sort((a, b) => (a.deadline < b.deadline ? -1 : a.deadline > b.deadline ? 1 : 0));
    return {
      series: t.series,
      index: steps.indexOf(t) + 1,
      count: steps.length,
      in_force: stepInForce(steps.map((s) => ({ id: s.id, target: s.value, deadline: s.deadline })), asOf) === t.id,
    };
  };

  // Candidate areas: those a target names, and everything inside a target naming its descendants.
  const named = new Set(registry.targets.flatMap((t) => t.areas));
  const descendantScopes = [...new Set(registry.targets.filter((t) => t.applies_to.startsWith('each_descendant')).flatMap((t) => t.areas))];
  const areas: AreaInfo[] = [{ code: NATIONAL_CODE, name: NATIONAL_NAME, level: 'national', ancestors: [] }];
  for (const code of [...divisions.areas.keys()].sort()) {
    if (code === NATIONAL_CODE) continue; // listed first, above
    if (!named.has(code) && !descendantScopes.some((scope) => codeWithin(code, scope))) continue;
    const a = divisions.areas.get(code)!;
    areas.push({ code, name: a.name, level: a.level, ancestors: ancestorsOf(divisions, code) });
  }

  const rows: ProgressRow[] = [];
  for (const area of areas) {
    const targets =
      area.level === 'national'
        ? registry.targets.filter((t) => (t.applies_to === 'each' || t.applies_to === 'aggregate') && t.areas.includes(NATIONAL_CODE))
        : targetsForArea(registry, { code: area.code, level: area.level, ancestors: area.ancestors });
    for (const target of targets) {
      rows.push(evaluateOne(target, area, seriesByCode.get(area.code), obsByKey.get(`${area.code}|${target.metric}`) ?? [], stepOf(target), asOf));
    }
  }
  const evaluated = new Set(rows.map((r) => `${r.area_code}|${r.metric}`));
  const unused_observations: UnusedObservation[] = input.observations
    .filter((o) => !evaluated.has(`${o.area_code}|${o.metric}`))
    .map((o) => ({
      area_code: o.area_code,
      metric: o.metric,
      ...observationRef(o),
      reason:
        o.metric in METRICS
          ? '该地区没有此指标的目标 / no target of this metric applies to this area'
          : `指标名不在目标登记表词表中 / metric not in the registry vocabulary (${Object.keys(METRICS).join(', ')})`,
    }));
  return { as_of: asOf, trend_years: TREND_YEARS, undated_max_share: UNDATED_MAX_SHARE, rows, unused_observations };
}

function evaluateOne(
  target: Target,
  area: AreaInfo,
  series: AreaSeries | undefined,
  observations: Observation[],
  step: ProgressRow['step'],
  asOf: string,
): ProgressRow {
  const kind = metricKind(target.metric);
  const comparator = target.comparator as Comparator;
  const base = {
    target_id: target.id,
    document: target.document,
    area_code: area.code,
    area_name: area.name,
    area_level: area.level,
    metric: target.metric,
    categories: target.categories ? [...target.categories] : null,
    comparator,
    target_value: target.value,
    unit: target.unit,
    deadline: target.deadline,
    period_start: target.period_start,
    step,
    data_needed: target.data_needed,
  };
  const finish = (
    result: { status: DeadlineStatus; basis: StatusBasis; inputs: StatusInputs },
    value_source: ValueSource,
    source_ref: string,
    sources: ObservationRef[],
    note: string | null,
  ): ProgressRow => ({
    ...base,
    current_value: result.inputs.current,
    current_as_of: result.inputs.current_as_of,
    value_source,
    source_ref,
    sources,
    inputs: result.inputs,
    status: result.status,
    basis: result.basis,
    note,
  });
  const level = (points: DatedValue[], trendUsable = true) =>
    levelStatus({ comparator, target: target.value, deadline: target.deadline, asOf, points, cumulative: kind === 'cumulative', trendUsable });
  const annual = (yearly: YearValue[]) =>
    annualStatus({ comparator, target: target.value, periodStart: target.period_start, deadline: target.deadline, asOf, yearly });

  // From the organization records.
  if (series && (kind === 'density' || target.metric === 'new_orgs_per_year')) {
    const undatedShare = series.active_orgs === 0 ? 0 : series.undated_orgs / series.active_orgs;
    const trendUsable = undatedShare <= UNDATED_MAX_SHARE;
    const ref = `organizations/*: ${series.records} rows in ${series.code} (${series.active_orgs} active at ${asOf}, ${series.undated_orgs} of them without establishment date)`;
    if (kind === 'density') {
      const urban = target.metric === DENSITY_METRICS.urban;
      const units = urban ? series.urban_units : series.rural_units;
      if (units === 0) {
        const note = urban ? '该地区没有城市社区 / the area has no urban community' : '该地区没有农村社区 / the area has no rural community';
        return finish(level([]), 'organizations', ref, [], note);
      }
      // Unrounded densities, so "met" agrees with the snapshot (orgs ≥ target × units).
      const points = series.points.map((p) => ({ date: p.date, value: (urban ? p.urban : p.rural) / units }));
      return finish(level(points, trendUsable), 'organizations', ref, [], trendUsable ? null : NOTE_UNDATED);
    }
    const categories = target.categories ?? null;
    const yearly: YearValue[] = series.new_by_year.map((y) => ({
      year: y.year,
      value: categories ? categories.reduce((s, c) => s + y.by_category[c], 0) : y.total,
      complete: !y.partial,
    }));
    const newRef = `${ref}; ${series.new_undated} without establishment date not counted in any year`;
    return trendUsable ? finish(annual(yearly), 'organizations', newRef, [], null) : finish(annual([]), 'organizations', newRef, [], NOTE_UNDATED);
  }

  // From observations.
  const usable = observations.filter((o) => o.as_of <= asOf);
  const later = observations.length - usable.length;
  if (usable.length > 0) {
    const laterNote = later > 0 ? laterObservationsNote(later) : null;
    if (kind === 'annual') {
      // An observation counts the year of its as_of date; it covers the whole year when dated Dec 31.
      const byYear = new Map<number, { obs: Observation; complete: boolean }>();
      for (const o of [...usable].sort((a, b) => (a.as_of < b.as_of ? -1 : a.as_of > b.as_of ? 1 : 0))) {
        byYear.set(Number(o.as_of.slice(0, 4)), { obs: o, complete: o.as_of.slice(5) === '12-31' });
      }
      const yearly = [...byYear.entries()].map(([year, { obs, complete }]) => ({ year, value: obs.value, complete }));
      const refs = [...byYear.values()].map((v) => observationRef(v.obs));
      return finish(annual(yearly), 'observations', formatRefs(refs), refs, laterNote);
    }
    const result = level(usable.map((o) => ({ date: o.as_of, value: o.value })));
    // Cite the observations the inputs use: current, baseline and the value at the deadline.
    const used = new Set([result.inputs.current_as_of, result.inputs.baseline_as_of, result.inputs.deadline_value_as_of]);
    const refs = usable.filter((o) => used.has(o.as_of)).map(observationRef);
    return finish(result, 'observations', formatRefs(refs), refs, laterNote);
  }

  const computable = kind === 'density' || target.metric === 'new_orgs_per_year';
  const note = computable ? NOTE_NOT_COVERED : NOTE_NO_OBSERVATION;
  const empty = kind === 'annual' ? annual([]) : level([]);
  return finish(empty, 'none', '', [], later > 0 ? joinBilingual(note, laterObservationsNote(later)) : note);
}

const laterObservationsNote = (n: number) => `${n} 条观测值晚于数据截止日期，未使用 / ${n} observation(s) dated after the as-of date not used`;

/** Joins two "中文 / English" notes half by half, so each language keeps a whole sentence. */
function joinBilingual(a: string, b: string): string {
  const [aZh, aEn = ''] = a.split(' / ');
  const [bZh, bEn = ''] = b.split(' / ');
  return `${aZh}；${bZh} / ${aEn}; ${bEn}`;
}

/** Columns of progress.csv: one row per target × area, inputs flattened. */
export const PROGRESS_CSV_COLUMNS = [
  'target_id', 'document', 'area_code', 'area_name', 'area_level', 'metric', 'categories', 'comparator', 'target_value', 'unit',
  'deadline', 'period_start', 'step_series', 'step_index', 'step_count', 'step_in_force', 'status', 'basis',
  'current_value', 'current_as_of', 'required_per_year', 'observed_per_year', 'years_left', 'pace_ratio',
  'baseline_year', 'baseline_as_of', 'baseline_value', 'deadline_value', 'deadline_value_as_of', 'per_year', 'years_short',
  'value_source', 'source_ref', 'data_needed', 'note',
] as const;

export function progressCsvRows(progress: ProgressOutput) {
  return progress.rows.map((r) => ({
    ...r,
    categories: r.categories?.join(';') ?? null,
    step_series: r.step?.series ?? null,
    step_index: r.step?.index ?? null,
    step_count: r.step?.count ?? null,
    step_in_force: r.step?.in_force ?? null,
    required_per_year: r.inputs.required_per_year,
    observed_per_year: r.inputs.observed_per_year,
    years_left: r.inputs.years_left,
    pace_ratio: r.inputs.pace_ratio,
    baseline_year: r.inputs.baseline_year,
    baseline_as_of: r.inputs.baseline_as_of,
    baseline_value: r.inputs.baseline_value,
    deadline_value: r.inputs.deadline_value,
    deadline_value_as_of: r.inputs.deadline_value_as_of,
    // Empty lists become null: a CSV cannot tell '' from missing, and the JSON twin must say the same.
    per_year: r.inputs.per_year?.length ? r.inputs.per_year.map((y) => `${y.year}:${y.value}${y.complete ? '' : '(partial)'}`).join(';') : null,
    years_short: r.inputs.years_short?.length ? r.inputs.years_short.join(';') : null,
    source_ref: r.source_ref || null,
  }));
}

/**
 * The pipeline's entry point: build/site/timeseries.json and progress.json from what it already holds.
 * Returned as file name → value so scripts/pipeline.ts adds them to its site files in one line.
 */
export function progressSiteFiles(args: {
  divisions: Divisions;
  read: { meta: { as_of: string }; columns: OrgColumns; observations: Observation[] };
  registry: Registry;
  dataScope: string[];
}): { 'timeseries.json': TimeSeriesOutput; 'progress.json': ProgressOutput } {
  const asOf = args.read.meta.as_of;
  const timeseries = buildTimeSeries({ divisions: args.divisions, orgs: args.read.columns, asOf, dataScope: args.dataScope });
  const progress = evaluateProgress({ registry: args.registry, divisions: args.divisions, timeseries, observations: args.read.observations, asOf });
  return { 'timeseries.json': timeseries, 'progress.json': progress };
}
