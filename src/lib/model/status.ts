/**
 * Status against a target with a deadline. Pure: no I/O, no clock — "today" is the dataset's as-of date.
 *
 * The method, as published on the methodology page:
 *
 * Level targets (densities, coverage %, cumulative counts such as training person-times or hubs):
 *  - current = the latest value dated on or before the as-of date.
 *  - met: current already satisfies the comparator (e.g. ≥ target).
 *  - Deadline reached (deadline ≤ as-of): only met or missed. Judged on the value at the deadline: the latest
 *    value dated on or before the deadline, if it lies in the deadline's calendar year. For cumulative metrics
 *    (which never fall) a later value that still falls short also proves a miss. Otherwise no_data.
 *  - Deadline ahead: required yearly change r_req = (target − current) ÷ years from the current value to the
 *    deadline; observed yearly change r_obs = (current − baseline) ÷ years between them, the baseline being the
 *    earliest value within the last 3 years (or, with less history, the latest earlier value).
 *    on_track when r_obs ≥ r_req, off_track otherwise; no_data when there is no current value or no earlier value.
 *  - Absolute (linear) change, not a compound growth rate: Open SDG's CAGR method divides by the base value,
 *    so it is undefined at a zero base (a new district with no organizations) and explodes just above it,
 *    where one new organization reads as +100 %. Linear change has neither problem and matches how the
 *    targets are phrased (organizations still needed per community).
 *  - Two states before the deadline, no tolerance band: a leader asks "are we going fast enough?", and the
 *    ratio r_obs ÷ r_req (pace_ratio) is published with every row for readers who want finer bands.
 *  - Three years: long enough to smooth one unusual year, short enough to reflect the current plan period.
 *
 * Per-year targets ("每年新增…个", "每年至少…次"): the clause binds every calendar year of the period, so each
 * complete year from period_start to the deadline is judged on its own value. Deadline reached → met when every
 * year of the period satisfies the comparator, missed when any year falls short. Deadline ahead → off_track when
 * a complete year of the period already fell short, on_track when all complete years so far satisfy it; before
 * the first complete year of the period, the mean of the last ≤3 complete years is compared with the target.
 *
 * Stepped targets (Jilin 2017: 2/1 by 2018, 5/3 by 2019, 10/5 by 2020) are one target per step, each judged
 * against its own deadline; stepStatuses marks the step in force.
 */
import type { DeadlineStatus } from '../core/types';

export type Comparator = '>=' | '<=' | '=' | '>';

export interface DatedValue {
  date: string; // ISO yyyy-mm-dd
  value: number;
}

/** Why the status is what it is (the pages turn this into a sentence). */
export type StatusBasis =
  | 'no_value' // no current value
  | 'target_reached' // current already satisfies the target
  | 'value_at_deadline' // deadline reached: judged on the value at the deadline
  | 'no_value_at_deadline' // deadline reached, but no value at the deadline
  | 'trend' // required vs observed yearly change
  | 'no_trend' // a current value but no earlier value to measure change from
  | 'each_year'; // per-year target: each complete year of the period judged

export interface YearValue {
  year: number;
  value: number;
  /** The whole calendar year is covered (its Dec 31 is on or before the as-of date). */
  complete: boolean;
}

/** The inputs written out per area (like Open SDG's calculation components). Numbers rounded for publication. */
export interface StatusInputs {
  current: number | null;
  current_as_of: string | null;
  required_per_year: number | null;
  observed_per_year: number | null;
  years_left: number | null;
  baseline_year: number | null;
  baseline_value: number | null;
  baseline_as_of: string | null;
  /** r_obs ÷ r_req when both are known and r_req ≠ 0. */
  pace_ratio: number | null;
  deadline_value: number | null;
  deadline_value_as_of: string | null;
  /** Per-year targets: each year's value within the period. */
  per_year?: YearValue[];
  years_short?: number[];
}

export interface StatusResult {
  status: DeadlineStatus;
  basis: StatusBasis;
  inputs: StatusInputs;
}

export const TREND_YEARS = 3;
const EPS = 1e-9;
const DAY_MS = 86_400_000;
const YEAR_DAYS = 365.25;

const utc = (iso: string) => {
  const [y, m, d] = iso.split('-').map(Number);
  return Date.UTC(y, m - 1, d);
};
export const yearsBetween = (from: string, to: string) => (utc(to) - utc(from)) / DAY_MS / YEAR_DAYS;
const yearOf = (iso: string) => Number(iso.slice(0, 4));
const round = (x: number | null, digits = 3) => (x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits);

/** Same month and day, `years` earlier (Feb 29 → Feb 28). */
function shiftYears(iso: string, years: number): string {
  const y = yearOf(iso) - years;
  const md = iso.slice(5) === '02-29' ? '02-28' : iso.slice(5);
  return `${String(y).padStart(4, '0')}-${md}`;
}

export function satisfies(value: number, comparator: Comparator, target: number): boolean {
  switch (comparator) {
    case '>=':
      return value >= target - EPS;
    case '>':
      return value > target + EPS;
    case '<=':
      return value <= target + EPS;
    case '=':
      return Math.abs(value - target) <= EPS;
  }
}

const emptyInputs = (): StatusInputs => ({
  current: null, current_as_of: null, required_per_year: null, observed_per_year: null, years_left: null,
  baseline_year: null, baseline_value: null, baseline_as_of: null, pace_ratio: null, deadline_value: null, deadline_value_as_of: null,
});

export interface LevelStatusInput {
  comparator: Comparator;
  target: number;
  deadline: string;
  asOf: string;
  /** Observed values in any order; values dated after asOf are ignored. */
  points: DatedValue[];
  /** The metric never decreases (cumulative counts): a later shortfall proves a miss at the deadline. */
  cumulative?: boolean;
  /** False when the history is not trustworthy (e.g. most establishment dates unknown): no trend is computed. */
  trendUsable?: boolean;
  trendYears?: number;
}

function validateDate(label: string, iso: string) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) throw new Error(`status: ${label} must be an ISO date yyyy-mm-dd, got "${iso}"`);
}

/** Status of a level target (see the module comment for the method). */
export function levelStatus(input: LevelStatusInput): StatusResult {
  const { comparator, target, deadline, asOf } = input;
  validateDate('deadline', deadline);
  validateDate('asOf', asOf);
  for (const p of input.points) {
    validateDate('point date', p.date);
    if (!Number.isFinite(p.value)) throw new Error(`status: value at ${p.date} is not a finite number`);
  }
  // Stable order; for two values on one date the later-listed wins (a correction).
  const points = input.points
    .map((p, i) => ({ ...p, i }))
    .filter((p) => p.date <= asOf)
    .sort((a, b) => (a.date === b.date ? a.i - b.i : a.date < b.date ? -1 : 1));
  const inputs = emptyInputs();
  const current = points.at(-1);
  if (current) {
    inputs.current = round(current.value);
    inputs.current_as_of = current.date;
  }

  if (deadline <= asOf) {
    const beforeDeadline = points.filter((p) => p.date <= deadline);
    const atDeadline = beforeDeadline.at(-1);
    if (atDeadline) {
      inputs.deadline_value = round(atDeadline.value);
      inputs.deadline_value_as_of = atDeadline.date;
    }
    if (atDeadline && satisfies(atDeadline.value, comparator, target)) return { status: 'met', basis: 'value_at_deadline', inputs };
    if (atDeadline && yearOf(atDeadline.date) === yearOf(deadline)) return { status: 'missed', basis: 'value_at_deadline', inputs };
    if (input.cumulative && (comparator === '>=' || comparator === '>')) {
      const later = points.find((p) => p.date > deadline);
      if (later && !satisfies(later.value, comparator, target)) {
        inputs.deadline_value = round(later.value);
        inputs.deadline_value_as_of = later.date;
        return { status: 'missed', basis: 'value_at_deadline', inputs };
      }
    }
    return { status: 'no_data', basis: 'no_value_at_deadline', inputs };
  }

  if (!current) return { status: 'no_data', basis: 'no_value', inputs };
  if (satisfies(current.value, comparator, target)) return { status: 'met', basis: 'target_reached', inputs };

  const yearsLeft = yearsBetween(current.date, deadline);
  const required = (target - current.value) / yearsLeft;
  inputs.years_left = round(yearsLeft, 2);
  inputs.required_per_year = round(required);

  const earlier = points.filter((p) => p.date < current.date);
  if (input.trendUsable === false || earlier.length === 0) return { status: 'no_data', basis: 'no_trend', inputs };
  const windowStart = shiftYears(current.date, input.trendYears ?? TREND_YEARS);
  const baseline = earlier.find((p) => p.date >= windowStart) ?? earlier.at(-1)!;
  const observed = (current.value - baseline.value) / yearsBetween(baseline.date, current.date);
  inputs.baseline_year = yearOf(baseline.date);
  inputs.baseline_value = round(baseline.value);
  inputs.baseline_as_of = baseline.date;
  inputs.observed_per_year = round(observed);
  inputs.pace_ratio = Math.abs(required) > EPS ? round(observed / required, 2) : null;

  // Direction towards the target: up for ≥ and >, down for ≤; for = whichever side the target lies.
  const sense = comparator === '<=' ? -1 : comparator === '=' ? Math.sign(target - current.value) : 1;
  const onTrack = sense * observed >= sense * required - EPS;
  return { status: onTrack ? 'on_track' : 'off_track', basis: 'trend', inputs };
}

export interface AnnualStatusInput {
  comparator: Comparator;
  /** Required value for each year (e.g. 100 new organizations a year). */
  target: number;
  /** First day of the period the yearly clause binds; null → only the deadline's year is judged. */
  periodStart: string | null;
  deadline: string;
  asOf: string;
  /** Known yearly values; a year absent here has no data (which is not zero). */
  yearly: YearValue[];
}

/** Status of a per-year target (see the module comment for the method). */
export function annualStatus(input: AnnualStatusInput): StatusResult {
  const { comparator, target, deadline, asOf } = input;
  validateDate('deadline', deadline);
  validateDate('asOf', asOf);
  if (input.periodStart) validateDate('periodStart', input.periodStart);
  const firstYear = input.periodStart ? yearOf(input.periodStart) : yearOf(deadline);
  const lastYear = yearOf(deadline);
  const byYear = new Map(input.yearly.map((y) => [y.year, y]));
  const complete = input.yearly.filter((y) => y.complete).sort((a, b) => a.year - b.year);

  const inputs = emptyInputs();
  const periodYears: YearValue[] = [];
  for (let y = firstYear; y <= lastYear; y++) {
    const v = byYear.get(y);
    if (v) periodYears.push(v);
  }
  inputs.per_year = periodYears.map((y) => ({ year: y.year, value: y.value, complete: y.complete }));
  const lastComplete = complete.at(-1);
  if (lastComplete) {
    inputs.current = lastComplete.value;
    inputs.current_as_of = `${lastComplete.year}-12-31`;
  }
  const recent = complete.slice(-TREND_YEARS);
  if (recent.length > 0) inputs.observed_per_year = round(recent.reduce((s, y) => s + y.value, 0) / recent.length);
  inputs.required_per_year = target;
  inputs.baseline_year = firstYear;
  inputs.baseline_value = byYear.get(firstYear)?.complete ? byYear.get(firstYear)!.value : null;
  inputs.baseline_as_of = inputs.baseline_value === null ? null : `${firstYear}-12-31`;
  if (deadline > asOf) inputs.years_left = round(yearsBetween(asOf, deadline), 2);
  if (inputs.observed_per_year !== null && Math.abs(target) > EPS) inputs.pace_ratio = round(inputs.observed_per_year / target, 2);

  const judged = periodYears.filter((y) => y.complete);
  const short = judged.filter((y) => !satisfies(y.value, comparator, target)).map((y) => y.year);
  inputs.years_short = short;

  if (deadline <= asOf) {
    if (short.length > 0) return { status: 'missed', basis: 'each_year', inputs };
    const everyYearKnown = judged.length === lastYear - firstYear + 1;
    return everyYearKnown ? { status: 'met', basis: 'each_year', inputs } : { status: 'no_data', basis: 'no_value_at_deadline', inputs };
  }
  if (short.length > 0) return { status: 'off_track', basis: 'each_year', inputs };
  if (judged.length > 0) return { status: 'on_track', basis: 'each_year', inputs };
  // Period not yet under way (or no complete year inside it): recent years show the pace.
  if (inputs.observed_per_year === null) return { status: 'no_data', basis: 'no_value', inputs };
  return { status: satisfies(inputs.observed_per_year, comparator, target) ? 'on_track' : 'off_track', basis: 'trend', inputs };
}

export interface Step {
  id: string;
  target: number;
  deadline: string;
}

/** The step in force at asOf: the earliest deadline not yet passed, else the last step (as densityTargetsAt). */
export function stepInForce(steps: Step[], asOf: string): string | null {
  const sorted = [...steps].sort((a, b) => (a.deadline === b.deadline ? (a.id < b.id ? -1 : 1) : a.deadline < b.deadline ? -1 : 1));
  return (sorted.find((s) => s.deadline >= asOf) ?? sorted.at(-1))?.id ?? null;
}

/** Every step of a stepped level target judged against its own deadline. */
export function stepStatuses(
  steps: Step[],
  common: Omit<LevelStatusInput, 'target' | 'deadline'>,
): (StatusResult & { id: string; in_force: boolean })[] {
  const current = stepInForce(steps, common.asOf);
  return steps.map((s) => ({ id: s.id, in_force: s.id === current, ...levelStatus({ ...common, target: s.target, deadline: s.deadline }) }));
}
