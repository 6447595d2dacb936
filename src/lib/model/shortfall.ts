import { NATIONAL_CODE } from '../core/area-codes';
import type { AreaAggregate, CommunityAggregate } from '../core/types';

/** Communities that fall short listed per area (build/site/shortfall.json); the downloads list them all. */
export const SHORTFALL_LISTED = 8;

const byCode = (a: { code: string }, b: { code: string }) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

/** Worst first: largest gap, then lowest orgs ÷ target, then code (one order for pages and pipeline). */
export function shortfallOrder(x: CommunityAggregate, y: CommunityAggregate): number {
  const gap = (y.gap ?? 0) - (x.gap ?? 0);
  if (gap) return gap;
  const rx = x.target ? x.orgs / x.target : 0;
  const ry = y.target ? y.orgs / y.target : 0;
  return rx - ry || byCode(x, y);
}

/** Communities of `list` that fall short of their target, worst first. */
export function shortfallCommunities(list: readonly CommunityAggregate[]): CommunityAggregate[] {
  return list.filter((c) => c.gap !== null && c.gap > 0).sort(shortfallOrder);
}

export interface AreaShortfall {
  /** Communities of the area below their target (gap > 0). */
  count: number;
  /** The worst SHORTFALL_LISTED of them, worst first. */
  worst: CommunityAggregate[];
}

/**
 * For every area with communities in the dataset: how many communities fall short and the worst ones.
 * Counted per county, then merged up the tree (the worst k of an area are among its children's worst k),
 * so a province or 全国 page reads one small entry instead of scanning 620,000 communities.
 */
export function shortfallByArea(areas: readonly AreaAggregate[], communities: readonly CommunityAggregate[], listed = SHORTFALL_LISTED): Record<string, AreaShortfall> {
  const parentOf = new Map(areas.map((a) => [a.code, a.parent_code]));
  const perCounty = new Map<string, CommunityAggregate[]>();
  for (const c of communities) {
    if (c.gap === null || c.gap <= 0) continue;
    const list = perCounty.get(c.county_code);
    if (list) list.push(c);
    else perCounty.set(c.county_code, [c]);
  }
  const out = new Map<string, AreaShortfall>();
  const counties = [...new Set(communities.map((c) => c.county_code))].sort();
  for (const county of counties) {
    const short = (perCounty.get(county) ?? []).sort(shortfallOrder);
    const entry = { count: short.length, worst: short.slice(0, listed) };
    // The county, then each ancestor with a row (全国 included).
    for (let code: string | null | undefined = county; code; code = code === NATIONAL_CODE ? null : parentOf.get(code)) {
      const acc = out.get(code);
      if (!acc) out.set(code, { count: entry.count, worst: [...entry.worst] });
      else {
        acc.count += entry.count;
        acc.worst = [...acc.worst, ...entry.worst].sort(shortfallOrder).slice(0, listed);
      }
    }
  }
  return Object.fromEntries([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}
