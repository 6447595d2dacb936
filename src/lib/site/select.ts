import { t, type Lang } from '../../i18n/strings';
import type { AreaSeries } from '../model/timeseries';
import type { TrendLabels } from '../render/trend-chart';
import type { AreaAggregate, CommunityAggregate, DeadlineStatus } from '../core/types';
import { byCode } from '../model/density';

/**
 * Pure selection helpers for the pages: filter, sort and pick from the aggregates.
 * They compute no new figure (except attainment, the map's colour value = density ÷ own target).
 * Every sort has a final tie-break on code, so pages are byte-identical between builds.
 */

/** Areas in `codes` order (missing codes are an error: the pipeline promised them). */
export function pickAreas(all: AreaAggregate[], codes: string[]): AreaAggregate[] {
  const index = new Map(all.map((a) => [a.code, a]));
  return codes.map((code) => {
    const a = index.get(code);
    if (!a) throw new Error(`areas.json has no area ${code} (listed in meta.json)`);
    return a;
  });
}

/** Counties at or below an area (the area itself when it is a county). */
export function countyCodesUnder(area: AreaAggregate, all: AreaAggregate[]): Set<string> {
  if (area.level === 'county') return new Set([area.code]);
  const result = new Set<string>();
  const children = new Map<string, AreaAggregate[]>();
  for (const a of all) {
    if (a.parent_code === null) continue;
    const list = children.get(a.parent_code) ?? [];
    list.push(a);
    children.set(a.parent_code, list);
  }
  const stack = [area.code];
  while (stack.length) {
    const code = stack.pop()!;
    for (const child of children.get(code) ?? []) {
      if (child.level === 'county') result.add(child.code);
      else stack.push(child.code);
    }
  }
  return result;
}

/** Direct children of an area, by code. */
export function childrenOf(area: AreaAggregate, all: AreaAggregate[]): AreaAggregate[] {
  return all.filter((a) => a.parent_code === area.code).sort(byCode);
}

export function parentOf(area: AreaAggregate, all: AreaAggregate[]): AreaAggregate | undefined {
  return area.parent_code === null ? undefined : all.find((a) => a.code === area.parent_code);
}

/** Communities that fall short of their target, worst first (the model's order: src/lib/model/shortfall.ts). */
export { shortfallCommunities } from '../model/shortfall';

/** A tier is the pair of density targets (urban, rural); areas without any target have none. */
export function tierKey(a: AreaAggregate): string | null {
  if (a.urban_target === null && a.rural_target === null) return null;
  return `${a.urban_target ?? '-'}/${a.rural_target ?? '-'}`;
}

/** Other areas of the same level and the same tier, by code. */
export function peersInTier(area: AreaAggregate, all: AreaAggregate[]): AreaAggregate[] {
  const key = tierKey(area);
  if (key === null) return [];
  return all.filter((a) => a.code !== area.code && a.level === area.level && tierKey(a) === key).sort(byCode);
}

export interface StatusCount {
  total: number;
  met: number;
  urbanMet: number;
  ruralMet: number;
  urbanTargeted: number;
  ruralTargeted: number;
}

/** How many of the listed areas meet their target (combined, urban, rural): counted from their status fields. */
export function countStatuses(list: AreaAggregate[]): StatusCount {
  return {
    total: list.length,
    met: list.filter((a) => a.status === 'met').length,
    urbanMet: list.filter((a) => a.urban_status === 'met').length,
    ruralMet: list.filter((a) => a.rural_status === 'met').length,
    urbanTargeted: list.filter((a) => a.urban_status === 'met' || a.urban_status === 'not_met').length,
    ruralTargeted: list.filter((a) => a.rural_status === 'met' || a.rural_status === 'not_met').length,
  };
}

/** Generic stable sort helper for tables: by a key, numbers before nulls, ties by code. */
export function sortRows<T extends { code: string }>(rows: T[], key: (row: T) => number | string | null, dir: 'asc' | 'desc' = 'asc'): T[] {
  const sign = dir === 'asc' ? 1 : -1;
  return [...rows].sort((x, y) => {
    const kx = key(x);
    const ky = key(y);
    if (kx === null && ky === null) return byCode(x, y);
    if (kx === null) return 1;
    if (ky === null) return -1;
    const c = kx < ky ? -1 : kx > ky ? 1 : 0;
    return sign * c || byCode(x, y);
  });
}

/**
 * The peers a one-page briefing lists: those under the same parent first (the ones a leader compares with),
 * then the rest, each group by code; at most `max`. A Shanxi county has ~120 tier peers: all of them would
 * take three more sheets of paper.
 */
export function peersShown(area: AreaAggregate, peers: AreaAggregate[], max: number): AreaAggregate[] {
  const sameParent = peers.filter((p) => p.parent_code === area.parent_code);
  const others = peers.filter((p) => p.parent_code !== area.parent_code);
  return [...sameParent.sort(byCode), ...others.sort(byCode)].slice(0, max);
}

/** Deadline statuses in the order pages list them (progress rows never carry no_target: a row exists only for a target). */
export type ProgressStatus = Exclude<DeadlineStatus, 'no_target'>;
export const DEADLINE_STATUS_ORDER: readonly ProgressStatus[] = ['met', 'on_track', 'off_track', 'missed', 'no_data'];

/** How many rows have each deadline status, in DEADLINE_STATUS_ORDER, zero counts left out. */
export function countDeadlineStatuses(rows: { status: DeadlineStatus }[]): { status: ProgressStatus; n: number }[] {
  return DEADLINE_STATUS_ORDER.map((status) => ({ status, n: rows.filter((r) => r.status === status).length })).filter((c) => c.n > 0);
}

/** Labels of the trend charts (src/lib/render/trend-chart.ts) from the UI strings. */
export function trendLabels(lang: Lang, alt: (area: AreaSeries) => string): TrendLabels {
  return {
    kind: { urban: t(lang, 'kind.urban_short'), rural: t(lang, 'kind.rural_short') },
    axis: t(lang, 'chart.density'),
    target: t(lang, 'trend.target_suffix'),
    deadline: (year) => t(lang, 'trend.deadline', { year }),
    alt,
  };
}

/**
 * The trail from the top of the site to an area: 全国 › 四川省 › 乐山市 › 马边彝族自治县. Areas without a page
 * (the national row of a prefecture build, say) are left out by the caller; the area itself is last.
 */
export function ancestry(area: AreaAggregate, byCode: (code: string) => AreaAggregate | undefined): AreaAggregate[] {
  const trail: AreaAggregate[] = [area];
  const seen = new Set([area.code]);
  for (let parent = area.parent_code; parent !== null && !seen.has(parent); ) {
    const up = byCode(parent);
    if (!up) break;
    trail.unshift(up);
    seen.add(up.code);
    parent = up.parent_code;
  }
  return trail;
}

/**
 * An area as a page in `lang` names it: English pages use the English name (src/lib/ingest/name-en.ts),
 * keeping the Chinese one beside it in `name_zh` for headings and tables ("Mabian Yi Autonomous County (马边彝族自治县)").
 */
export type NamedArea = AreaAggregate & { name_zh: string };
export function inLang(a: AreaAggregate, lang: Lang): NamedArea {
  const zh = (a as Partial<NamedArea>).name_zh ?? a.name;
  return { ...a, name: lang === 'en' && a.name_en ? a.name_en : zh, name_zh: zh };
}
/** A heading or table label: the page's name, with the Chinese in brackets on English pages. */
export function areaLabel(a: AreaAggregate, lang: Lang): string {
  const named = inLang(a, lang);
  return lang === 'en' && named.name !== named.name_zh ? `${named.name} (${named.name_zh})` : named.name;
}
