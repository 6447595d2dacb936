import * as aq from 'arquero';
import { requiredOrganizations } from './requirements';
import { ancestorsOf, countiesUnder, type Divisions } from '../ingest/divisions';
import {
  CATEGORIES,
  REGISTRATIONS,
  type Area,
  type AreaAggregate,
  type Category,
  type CommunityAggregate,
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
  orgs: OrgRecord[];
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
  /** Counties covered by the dataset, sorted. */
  dataCounties: string[];
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

type PlacementKind = UnitKind | 'unplaced';

function emptyCounts<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
}

/** Groups active organizations with arquero and returns rows keyed by `keys`. */
function countBy(table: aq.ColumnTable, keys: string[]): Map<string, number> {
  const out = new Map<string, number>();
  if (table.numRows() === 0) return out;
  for (const row of table.groupby(...keys).count({ as: 'n' }).objects() as Record<string, string | number>[]) {
    out.set(keys.map((k) => row[k]).join('|'), row.n as number);
  }
  return out;
}

/**
 * What the density targets require in organizations, target × units (real: real targets × real units, no
 * organization records needed), e.g. Shanxi 2023: 10 × 3,003 + 5 × 18,849 = 124,275.
 */
export function requiredFields(urbanTarget: number | null, ruralTarget: number | null, urbanUnits: number, ruralUnits: number) {
  const r = requiredOrganizations(urbanUnits, ruralUnits, urbanTarget, ruralTarget);
  return { urban_required: r.urban, rural_required: r.rural, required_total: r.urban === null && r.rural === null ? null : r.total };
}

export function aggregate(input: AggregateInput): AggregateOutput {
  const { divisions, asOf } = input;
  const dataCounties = [...new Set(input.dataScope.flatMap((code) => countiesUnder(divisions, code)))].sort();
  const dataCountySet = new Set(dataCounties);

  // Areas that get a row: the data scope and extra areas, all their descendants and ancestors.
  const areaCodes = new Set<string>();
  const addWithDescendants = (code: string) => {
    if (!divisions.areas.has(code) || areaCodes.has(code)) return;
    areaCodes.add(code);
    for (const child of divisions.childrenOf.get(code) ?? []) addWithDescendants(child);
  };
  for (const code of [...input.dataScope, ...input.extraAreas]) {
    addWithDescendants(code);
    for (const ancestor of ancestorsOf(divisions, code)) areaCodes.add(ancestor);
  }

  // Unit kinds per county, from the divisions (real, independent of the dataset).
  const unitRows = [...divisions.units.values()].map((u) => ({
    county: u.countyCode,
    township: u.townshipCode,
    kind: u.kind,
  }));
  const unitTable = aq.from(unitRows);
  const unitsByCountyKind = countBy(unitTable, ['county', 'kind']);
  const unitsByTownshipKind = countBy(unitTable, ['township', 'kind']);

  // Active organizations at as-of inside the data scope, with their placement kind.
  const active = input.orgs.filter((o) => isActiveAt(o, asOf) && dataCountySet.has(o.countyCode));
  const orgRows = active.map((o) => {
    const unit = o.communityCode ? divisions.units.get(o.communityCode) : undefined;
    const placement: PlacementKind = unit ? unit.kind : 'unplaced';
    return {
      county: o.countyCode,
      township: unit?.townshipCode ?? o.townshipCode ?? '',
      community: o.communityCode ?? '',
      placement,
      category: o.category,
      registration: o.registration,
    };
  });
  const orgTable = orgRows.length
    ? aq.from(orgRows)
    : aq.table({ county: [], township: [], community: [], placement: [], category: [], registration: [] });
  const orgsByCountyPlacement = countBy(orgTable, ['county', 'placement']);
  const orgsByTownshipPlacement = countBy(orgTable, ['township', 'placement']);
  const orgsByCommunity = countBy(orgTable, ['community']);
  const orgsByCountyCategory = countBy(orgTable, ['county', 'category']);
  const orgsByCountyRegistration = countBy(orgTable, ['county', 'registration']);

  const countyCountsFor = (county: string) => {
    const units = (kind: UnitKind) => unitsByCountyKind.get(`${county}|${kind}`) ?? 0;
    const orgs = (kind: PlacementKind) => orgsByCountyPlacement.get(`${county}|${kind}`) ?? 0;
    return {
      urban_units: units('urban'),
      rural_units: units('rural'),
      other_units: units('other'),
      urban_orgs: orgs('urban'),
      rural_orgs: orgs('rural'),
      other_orgs: orgs('other'),
      unplaced_orgs: orgs('unplaced'),
      by_category: Object.fromEntries(CATEGORIES.map((c) => [c, orgsByCountyCategory.get(`${county}|${c}`) ?? 0])) as Record<Category, number>,
      by_registration: Object.fromEntries(REGISTRATIONS.map((r) => [r, orgsByCountyRegistration.get(`${county}|${r}`) ?? 0])) as Record<Registration, number>,
    };
  };

  const areasOut: AreaAggregate[] = [];
  for (const code of [...areaCodes].sort()) {
    const area = divisions.areas.get(code)!;
    const counties = countiesUnder(divisions, code);
    // An area has data only when the dataset covers every county under it.
    const hasData = counties.length > 0 && counties.every((c) => dataCountySet.has(c));
    const sums = counties.map(countyCountsFor).reduce(
      (acc, c) => {
        for (const key of ['urban_units', 'rural_units', 'other_units', 'urban_orgs', 'rural_orgs', 'other_orgs', 'unplaced_orgs'] as const) acc[key] += c[key];
        for (const cat of CATEGORIES) acc.by_category[cat] += c.by_category[cat];
        for (const reg of REGISTRATIONS) acc.by_registration[reg] += c.by_registration[reg];
        return acc;
      },
      {
        urban_units: 0, rural_units: 0, other_units: 0, urban_orgs: 0, rural_orgs: 0, other_orgs: 0, unplaced_orgs: 0,
        by_category: emptyCounts(CATEGORIES), by_registration: emptyCounts(REGISTRATIONS),
      },
    );
    const orgsOrNull = (n: number) => (hasData ? n : null);
    const urbanOrgs = orgsOrNull(sums.urban_orgs);
    const ruralOrgs = orgsOrNull(sums.rural_orgs);
    const targets = input.resolveTargets(area, ancestorsOf(divisions, code));
    const urbanTarget = targets.urban?.value ?? null;
    const ruralTarget = targets.rural?.value ?? null;
    const urbanStatus = kindStatus(urbanTarget, sums.urban_units, urbanOrgs, hasData);
    const ruralStatus = kindStatus(ruralTarget, sums.rural_units, ruralOrgs, hasData);
    areasOut.push({
      code,
      name: area.name,
      name_en: area.nameEn,
      level: area.level,
      parent_code: area.parentCode,
      urban_units: sums.urban_units,
      rural_units: sums.rural_units,
      other_units: sums.other_units,
      urban_orgs: urbanOrgs,
      rural_orgs: ruralOrgs,
      other_orgs: orgsOrNull(sums.other_orgs),
      unplaced_orgs: orgsOrNull(sums.unplaced_orgs),
      total_orgs: orgsOrNull(sums.urban_orgs + sums.rural_orgs + sums.other_orgs + sums.unplaced_orgs),
      urban_per_unit: density(urbanOrgs, sums.urban_units),
      rural_per_unit: density(ruralOrgs, sums.rural_units),
      urban_target: urbanTarget,
      rural_target: ruralTarget,
      urban_target_id: targets.urban?.id ?? null,
      rural_target_id: targets.rural?.id ?? null,
      urban_gap: gap(urbanTarget, sums.urban_units, urbanOrgs),
      rural_gap: gap(ruralTarget, sums.rural_units, ruralOrgs),
      ...requiredFields(urbanTarget, ruralTarget, sums.urban_units, sums.rural_units),
      urban_status: urbanStatus,
      rural_status: ruralStatus,
      status: combinedStatus(urbanStatus, ruralStatus),
      has_data: hasData,
      by_category: hasData ? sums.by_category : null,
      by_registration: hasData ? sums.by_registration : null,
    });
  }

  // Townships and communities: only where the dataset has data (they exist to show shortfalls).
  const townshipsOut: TownshipAggregate[] = [];
  const communitiesOut: CommunityAggregate[] = [];
  const countyTargets = new Map(areasOut.filter((a) => a.level === 'county').map((a) => [a.code, a]));
  for (const county of dataCounties) {
    for (const townshipCode of divisions.townshipsOf.get(county) ?? []) {
      const township = divisions.townships.get(townshipCode)!;
      const units = (kind: UnitKind) => unitsByTownshipKind.get(`${townshipCode}|${kind}`) ?? 0;
      const orgs = (kind: PlacementKind) => orgsByTownshipPlacement.get(`${townshipCode}|${kind}`) ?? 0;
      const counts = {
        urban_units: units('urban'), rural_units: units('rural'), other_units: units('other'),
        urban_orgs: orgs('urban'), rural_orgs: orgs('rural'), other_orgs: orgs('other'), unplaced_orgs: orgs('unplaced'),
      };
      townshipsOut.push({
        code: townshipCode,
        name: township.name,
        county_code: county,
        ...counts,
        total_orgs: counts.urban_orgs + counts.rural_orgs + counts.other_orgs + counts.unplaced_orgs,
        urban_per_unit: density(counts.urban_orgs, counts.urban_units),
        rural_per_unit: density(counts.rural_orgs, counts.rural_units),
      });
      const countyRow = countyTargets.get(county);
      for (const unitCode of divisions.unitsOf.get(townshipCode) ?? []) {
        const unit = divisions.units.get(unitCode)!;
        const orgsHere = orgsByCommunity.get(unitCode) ?? 0;
        const target = unit.kind === 'urban' ? countyRow?.urban_target ?? null : unit.kind === 'rural' ? countyRow?.rural_target ?? null : null;
        communitiesOut.push({
          code: unitCode,
          name: unit.name,
          kind: unit.kind,
          township_code: townshipCode,
          township_name: township.name,
          county_code: county,
          orgs: orgsHere,
          target,
          gap: target === null ? null : Math.max(0, Math.ceil(target - 1e-9) - orgsHere),
        });
      }
    }
  }

  return { areas: areasOut, townships: townshipsOut, communities: communitiesOut, dataCounties };
}
