import { requiredOrganizations } from './requirements';
import { ancestorsOf, countiesUnder, type Divisions } from '../ingest/divisions';
import { NATIONAL_CODE } from '../core/area-codes';
import { activeAt, dateInt, orgColumns } from '../core/org-columns';
import {
  CATEGORIES,
  REGISTRATIONS,
  type Area,
  type AreaAggregate,
  type Category,
  type CommunityAggregate,
  type OrgColumns,
  type OrgRecord,
  type Registration,
  type SnapshotStatus,
  type TownshipAggregate,
  type UnitKind,
} from '../core/types';

/** A density target as the aggregation needs it (resolved from the registry by the caller). */
export interface DensityTarget {
  id: string;
  value: number;
}
export type DensityTargetResolver = (area: Area, ancestors: string[]) => {
  urban: DensityTarget | null;
  rural: DensityTarget | null;
};

export interface AggregateInput {
  divisions: Divisions;
  /** Accepted organizations: the reader's columns, or records (tests). */
  orgs: OrgColumns | readonly OrgRecord[];
  asOf: string; // ISO date
  /** 6-digit codes the dataset covers (its organizations are complete there). */
  dataScope: string[];
  /** 6-digit codes that get a row even without data (e.g. areas named by targets). */
  extraAreas: string[];
  resolveTargets: DensityTargetResolver;
}

export interface AggregateOutput {
  areas: AreaAggregate[];
  townships: TownshipAggregate[];
  communities: CommunityAggregate[];
  /** County-level codes covered by the dataset, sorted (counties and prefectures without counties, 东莞). */
  dataCounties: string[];
  /**
   * Active organizations per covered area × category × registration: CATEGORIES.length × REGISTRATIONS.length
   * counts (category-major), the cube organizations_by_category.csv publishes.
   */
  categoryRegistration: Map<string, number[]>;
}

/** Active at as-of: established on or before it (or unknown), not dissolved on or before it. */
export function isActiveAt(org: Pick<OrgRecord, 'establishedOn' | 'dissolvedOn' | 'dissolvedDateUnknown'>, asOf: string): boolean {
  // dissolved at a date nobody wrote (备注: 已注销): not counted at any date (src/lib/ingest/rows.ts)
  if (org.dissolvedDateUnknown) return false;
  if (org.establishedOn && org.establishedOn > asOf) return false;
  if (org.dissolvedOn && org.dissolvedOn <= asOf) return false;
  return true;
}

export const round2 = (x: number) => Math.round(x * 100) / 100;

export function density(orgs: number | null, units: number): number | null {
  if (orgs === null || units === 0) return null;
  return round2(orgs / units);
}

/** Organizations still needed to reach an average of `target` per unit. */
export function gap(target: number | null, units: number, orgs: number | null): number | null {
  if (target === null || orgs === null || units === 0) return null;
  return Math.max(0, Math.ceil(target * units - 1e-9) - orgs);
}

export function kindStatus(target: number | null, units: number, orgs: number | null, hasData: boolean): SnapshotStatus {
  if (target === null) return 'no_target';
  if (!hasData || orgs === null || units === 0) return 'no_data';
  return orgs >= target * units - 1e-9 ? 'met' : 'not_met';
}

export function combinedStatus(urban: SnapshotStatus, rural: SnapshotStatus): SnapshotStatus {
  const both = [urban, rural];
  if (both.includes('not_met')) return 'not_met';
  if (both.includes('no_data')) return 'no_data';
  if (both.includes('met')) return 'met';
  return 'no_target';
}

const KINDS: readonly UnitKind[] = ['urban', 'rural', 'other'];
const KIND_INDEX: Record<UnitKind, number> = { urban: 0, rural: 1, other: 2 };
const UNPLACED = 3; // placement index of organizations not in a unit
const CUBE = CATEGORIES.length * REGISTRATIONS.length;

function emptyCounts<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
}

/** Per county-level code: organizations by placement (urban, rural, other, unplaced) and the category × registration cube. */
interface CountyOrgs {
  placement: number[];
  cube: number[];
}

/**
 * What the density targets require in organizations, target × units (real: real targets × real units, no
 * organization records needed), e.g. Shanxi 2023: 10 × 3,003 + 5 × 18,849 = 124,275.
 */
export function requiredFields(urbanTarget: number | null, ruralTarget: number | null, urbanUnits: number, ruralUnits: number) {
  const r = requiredOrganizations(urbanUnits, ruralUnits, urbanTarget, ruralTarget);
  return { urban_required: r.urban, rural_required: r.rural, required_total: r.urban === null && r.rural === null ? null : r.total };
}

/**
 * Aggregates the organizations active at as-of to every area, township and community.
 * One pass over the integer-coded columns counts into dense arrays (per unit, per township, per county);
 * areas are then sums of their counties, added bottom-up. No join scans another list: linear in
 * organizations + units + areas.
 */
export function aggregate(input: AggregateInput): AggregateOutput {
  const { divisions } = input;
  const cols = orgColumns(input.orgs as OrgColumns | OrgRecord[]);
  const asOf = dateInt(input.asOf);
  const dataCounties = [...new Set(input.dataScope.flatMap((code) => countiesUnder(divisions, code)))].sort();
  const dataCountySet = new Set(dataCounties);

  // Areas that get a row: 全国, the data scope and extra areas, all their descendants and ancestors.
  const areaCodes = new Set<string>([NATIONAL_CODE]);
  const addWithDescendants = (code: string) => {
    if (!divisions.areas.has(code) || areaCodes.has(code)) return;
    areaCodes.add(code);
    for (const child of divisions.childrenOf.get(code) ?? []) addWithDescendants(child);
  };
  for (const code of [...input.dataScope, ...input.extraAreas]) {
    if (code === NATIONAL_CODE) {
      // A national scope: every area of China has a row.
      for (const child of divisions.childrenOf.get(NATIONAL_CODE) ?? []) addWithDescendants(child);
      continue;
    }
    addWithDescendants(code);
    for (const ancestor of ancestorsOf(divisions, code)) areaCodes.add(ancestor);
  }

  // One pass over the organizations: counts per unit, per township (unplaced) and per county.
  // Each placed unit's position among the divisions' units (src/lib/ingest/divisions.ts UnitTable): counts and kinds by
  // position, without a Unit object or a map keyed by code for each of 620,000 units.
  const { positions: unitAt, kinds: unitKind } = divisions.units.positionsOf(cols.units, 'aggregate');
  const countyInScope = Uint8Array.from(cols.counties, (c) => (dataCountySet.has(c) ? 1 : 0));
  const perUnit = new Int32Array(cols.units.length);
  const unplacedPerTownship = new Int32Array(cols.townships.length);
  const countyPlacement = new Int32Array(cols.counties.length * 4);
  const countyCube = new Int32Array(cols.counties.length * CUBE);
  for (let i = 0; i < cols.length; i++) {
    const c = cols.county[i];
    if (!countyInScope[c] || !activeAt(cols.established[i], cols.dissolved[i], asOf)) continue;
    const u = cols.unit[i];
    let kind = UNPLACED;
    if (u >= 0) {
      perUnit[u]++;
      kind = unitKind[u];
    } else if (cols.township[i] >= 0) {
      unplacedPerTownship[cols.township[i]]++;
    }
    countyPlacement[c * 4 + kind]++;
    countyCube[c * CUBE + cols.category[i] * REGISTRATIONS.length + cols.registration[i]]++;
  }
  const countyOrgs = new Map<string, CountyOrgs>();
  cols.counties.forEach((code, c) => {
    countyOrgs.set(code, {
      placement: Array.from(countyPlacement.subarray(c * 4, c * 4 + 4)),
      cube: Array.from(countyCube.subarray(c * CUBE, c * CUBE + CUBE)),
    });
  });

  // Areas: each county-level code's units (all of China, from the divisions) and organizations added to it and its ancestors.
  interface Sums { units: number[]; placement: number[]; cube: number[]; counties: number; covered: number }
  const sums = new Map<string, Sums>();
  for (const code of areaCodes) sums.set(code, { units: [0, 0, 0], placement: [0, 0, 0, 0], cube: new Array(CUBE).fill(0), counties: 0, covered: 0 });
  const noOrgs: CountyOrgs = { placement: [0, 0, 0, 0], cube: new Array(CUBE).fill(0) };
  for (const county of countiesUnder(divisions, NATIONAL_CODE)) {
    const chain = [county, ...ancestorsOf(divisions, county).filter((a) => a !== county), NATIONAL_CODE].filter((a) => sums.has(a));
    if (chain.length === 0) continue;
    const kinds = divisions.unitKindsOf.get(county) ?? { urban: 0, rural: 0, other: 0 };
    const covered = dataCountySet.has(county);
    const orgs = covered ? (countyOrgs.get(county) ?? noOrgs) : noOrgs;
    for (const code of chain) {
      const acc = sums.get(code)!;
      acc.counties++;
      if (covered) acc.covered++;
      KINDS.forEach((k, i) => (acc.units[i] += kinds[k]));
      for (let i = 0; i < 4; i++) acc.placement[i] += orgs.placement[i];
      for (let i = 0; i < CUBE; i++) acc.cube[i] += orgs.cube[i];
    }
  }

  const areasOut: AreaAggregate[] = [];
  const categoryRegistration = new Map<string, number[]>();
  for (const code of [...areaCodes].sort()) {
    const area = divisions.areas.get(code)!;
    const acc = sums.get(code)!;
    // An area has data only when the dataset covers every county under it.
    const hasData = acc.counties > 0 && acc.covered === acc.counties;
    const [urbanUnits, ruralUnits, otherUnits] = acc.units;
    const orgsOrNull = (n: number) => (hasData ? n : null);
    const urbanOrgs = orgsOrNull(acc.placement[0]);
    const ruralOrgs = orgsOrNull(acc.placement[1]);
    const targets = input.resolveTargets(area, ancestorsOf(divisions, code));
    const urbanTarget = targets.urban?.value ?? null;
    const ruralTarget = targets.rural?.value ?? null;
    const urbanStatus = kindStatus(urbanTarget, urbanUnits, urbanOrgs, hasData);
    const ruralStatus = kindStatus(ruralTarget, ruralUnits, ruralOrgs, hasData);
    const byCategory = emptyCounts(CATEGORIES);
    const byRegistration = emptyCounts(REGISTRATIONS);
    CATEGORIES.forEach((cat, ci) =>
      REGISTRATIONS.forEach((reg, ri) => {
        const n = acc.cube[ci * REGISTRATIONS.length + ri];
        byCategory[cat] += n;
        byRegistration[reg] += n;
      }),
    );
    if (hasData) categoryRegistration.set(code, acc.cube);
    areasOut.push({
      code,
      name: area.name,
      name_en: area.nameEn,
      level: area.level,
      parent_code: area.parentCode,
      urban_units: urbanUnits,
      rural_units: ruralUnits,
      other_units: otherUnits,
      urban_orgs: urbanOrgs,
      rural_orgs: ruralOrgs,
      other_orgs: orgsOrNull(acc.placement[2]),
      unplaced_orgs: orgsOrNull(acc.placement[3]),
      total_orgs: orgsOrNull(acc.placement[0] + acc.placement[1] + acc.placement[2] + acc.placement[3]),
      urban_per_unit: density(urbanOrgs, urbanUnits),
      rural_per_unit: density(ruralOrgs, ruralUnits),
      urban_target: urbanTarget,
      rural_target: ruralTarget,
      urban_target_id: targets.urban?.id ?? null,
      rural_target_id: targets.rural?.id ?? null,
      urban_gap: gap(urbanTarget, urbanUnits, urbanOrgs),
      rural_gap: gap(ruralTarget, ruralUnits, ruralOrgs),
      ...requiredFields(urbanTarget, ruralTarget, urbanUnits, ruralUnits),
      urban_status: urbanStatus,
      rural_status: ruralStatus,
      status: combinedStatus(urbanStatus, ruralStatus),
      has_data: hasData,
      by_category: hasData ? byCategory : null,
      by_registration: hasData ? byRegistration : null,
    });
  }

  // Townships and communities: only where the dataset has data (they exist to show shortfalls).
  const orgsAt = new Int32Array(divisions.units.size);
  unitAt.forEach((i, u) => (orgsAt[i] = perUnit[u]));
  const townshipUnplaced = new Map<string, number>();
  cols.townships.forEach((code, t) => townshipUnplaced.set(code, unplacedPerTownship[t]));
  const townshipsOut: TownshipAggregate[] = [];
  const communitiesOut: CommunityAggregate[] = [];
  const areaByCode = new Map(areasOut.map((a) => [a.code, a]));
  for (const county of dataCounties) {
    // The county-level row (a county, or a prefecture without counties such as 东莞) holds the communities' tier.
    const countyRow = areaByCode.get(county);
    for (const townshipCode of divisions.townshipsOf.get(county) ?? []) {
      const township = divisions.townships.get(townshipCode)!;
      const units = [0, 0, 0];
      const orgs = [0, 0, 0];
      const [start, end] = divisions.unitsOf.range(townshipCode) ?? [0, 0];
      for (let i = start; i < end; i++) {
        const kind = divisions.units.kindAt(i);
        const k = KIND_INDEX[kind];
        const orgsHere = orgsAt[i];
        units[k]++;
        orgs[k] += orgsHere;
        const target = kind === 'urban' ? (countyRow?.urban_target ?? null) : kind === 'rural' ? (countyRow?.rural_target ?? null) : null;
        communitiesOut.push({
          code: divisions.units.codeAt(i),
          name: divisions.units.nameAt(i),
          kind,
          township_code: townshipCode,
          township_name: township.name,
          county_code: county,
          orgs: orgsHere,
          target,
          gap: target === null ? null : Math.max(0, Math.ceil(target - 1e-9) - orgsHere),
        });
      }
      const unplaced = townshipUnplaced.get(townshipCode) ?? 0;
      townshipsOut.push({
        code: townshipCode,
        name: township.name,
        county_code: county,
        urban_units: units[0], rural_units: units[1], other_units: units[2],
        urban_orgs: orgs[0], rural_orgs: orgs[1], other_orgs: orgs[2], unplaced_orgs: unplaced,
        total_orgs: orgs[0] + orgs[1] + orgs[2] + unplaced,
        urban_per_unit: density(orgs[0], units[0]),
        rural_per_unit: density(orgs[1], units[1]),
      });
    }
  }

  return { areas: areasOut, townships: townshipsOut, communities: communitiesOut, dataCounties, categoryRegistration };
}
