import type { AreaAggregate, SnapshotStatus, UnitKind } from '../core/types';

/**
 * Per-kind accessors of an area's density figures, and attainment (density ÷ own target, the
 * maps' colour value). Shared by render/ (charts, maps) and site/ (view models).
 */

/** Final tie-break of every sort, so pages are byte-identical between builds. */
export const byCode = (x: { code: string }, y: { code: string }) => (x.code < y.code ? -1 : x.code > y.code ? 1 : 0);

export type DensityKind = Extract<UnitKind, 'urban' | 'rural'>;
export const DENSITY_KINDS: readonly DensityKind[] = ['urban', 'rural'];

export const perUnit = (a: AreaAggregate, kind: DensityKind) => (kind === 'urban' ? a.urban_per_unit : a.rural_per_unit);
export const targetOf = (a: AreaAggregate, kind: DensityKind) => (kind === 'urban' ? a.urban_target : a.rural_target);
export const gapOf = (a: AreaAggregate, kind: DensityKind) => (kind === 'urban' ? a.urban_gap : a.rural_gap);
export const unitsOf = (a: AreaAggregate, kind: DensityKind) => (kind === 'urban' ? a.urban_units : a.rural_units);
export const orgsOf = (a: AreaAggregate, kind: DensityKind) => (kind === 'urban' ? a.urban_orgs : a.rural_orgs);
export const statusOf = (a: AreaAggregate, kind: DensityKind): SnapshotStatus => (kind === 'urban' ? a.urban_status : a.rural_status);
export const targetIdOf = (a: AreaAggregate, kind: DensityKind) => (kind === 'urban' ? a.urban_target_id : a.rural_target_id);

/** Density ÷ the area's own target; null when either is missing (or the target is 0). */
export function attainment(a: AreaAggregate, kind: DensityKind): number | null {
  const value = perUnit(a, kind);
  const target = targetOf(a, kind);
  if (value === null || target === null || target <= 0 || !a.has_data) return null;
  return value / target;
}

/** Districts ranked by attainment, best first; areas without a value last; ties by code. */
export function rankByAttainment(list: AreaAggregate[], kind: DensityKind): AreaAggregate[] {
  return [...list].sort((x, y) => {
    const ax = attainment(x, kind);
    const ay = attainment(y, kind);
    if (ax === null && ay === null) return byCode(x, y);
    if (ax === null) return 1;
    if (ay === null) return -1;
    return ay - ax || byCode(x, y);
  });
}

