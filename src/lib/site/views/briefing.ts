import { t, type Lang } from '../../../i18n/strings';
import { CATEGORIES, REGISTRATIONS, type AreaAggregate, type CommunityAggregate } from '../../core/types';
import { DENSITY_KINDS, gapOf, orgsOf, perUnit, statusOf, targetIdOf, targetOf, unitsOf, type DensityKind } from '../../model/density';
import { densityTargetsFromProgress } from '../../render/trend-chart';
import type { SiteData } from '../data';
import { publishedForArea } from './published';
import { categoryText, datasetBasis, formatDate, formatDensity, formatInt, formatPercent, formatTarget, registrationText } from '../format';
import { localePath } from '../../../i18n/paths';
import { ancestry, areaLabel, countStatuses, inLang, peersShown } from '../select';
import { SHORTFALL_LISTED } from '../../model/shortfall';

/** Peers listed on one A4 page; areas.csv has every peer. */
export const PEERS_SHOWN = 10;
/** Communities that fall short, listed on one A4 page (build/site/shortfall.json keeps as many); the download has them all. */
export const SHORTFALL_SHOWN = SHORTFALL_LISTED;

/**
 * Everything one area's briefing shows (src/components/pages/BriefingPage.astro renders it).
 * The density target is areas.json's (the one in force at the as-of date); its clause comes from
 * registry.json by that id; deadlines and steps from progress.json (see src/lib/site/data.ts).
 */
export function briefingView(source: AreaAggregate, data: SiteData, lang: Lang) {
  const meta = data.meta();
  const local = (a: AreaAggregate) => inLang(a, lang);
  const area = local(source);
  const title = areaLabel(source, lang);
  // Every lookup by key (indexes built once per build): a national build renders 3,350 briefings twice.
  const parentArea = source.parent_code === null ? undefined : data.area(source.parent_code);
  const parent = parentArea ? local(parentArea) : undefined;
  const children = data.childrenOf(source.code).map(local);
  const peers = data.peersOf(source).map(local);
  const peersListed = peersShown(area, peers, PEERS_SHOWN);
  const progressRows = data.progressFor(area.code);
  const rawSeries = data.seriesFor(area.code);
  const series = rawSeries ? { ...rawSeries, name: area.name } : undefined;
  const trendTargets = densityTargetsFromProgress(progressRows, area.code);
  // Counted by the model over the area's communities (src/lib/model/shortfall.ts), the worst listed.
  const shortfallEntry = data.shortfallOf(area.code);
  const shortfallCount = shortfallEntry.count;
  const shortfallShown: CommunityAggregate[] = shortfallEntry.worst.slice(0, SHORTFALL_SHOWN);
  const asOf = formatDate(meta.dataset.as_of, lang);

  const kinds = DENSITY_KINDS.map((kind: DensityKind) => {
    const target = targetOf(area, kind);
    const value = perUnit(area, kind);
    const units = unitsOf(area, kind);
    const status = statusOf(area, kind);
    const kindLabel = t(lang, `kind.${kind}`);
    const sentence =
      units === 0
        ? t(lang, 'area.status_no_units', { name: area.name, kind: kindLabel })
        : target === null
          ? t(lang, 'area.status_no_target', { name: area.name, kind: kindLabel })
          : t(lang, 'area.status_sentence', {
              name: area.name,
              kind: kindLabel,
              value: formatDensity(value, lang),
              target: formatTarget(target, lang),
              status: t(lang, `status.${status}`),
            });
    const gap = gapOf(area, kind);
    const orgs = orgsOf(area, kind);
    const unitsText = t(lang, 'area.units_note', { units: formatInt(units, lang), kind: kindLabel });
    // "812 个组织 ÷ 60 城市社区": the two counts the density is made of (an area without data has units only).
    const countsNote = orgs === null ? unitsText : t(lang, 'area.orgs_note', { orgs: formatInt(orgs, lang), units: formatInt(units, lang), kind: kindLabel });
    const targetId = targetIdOf(area, kind);
    const registryTarget = targetId ? data.target(targetId) : undefined;
    const doc = registryTarget ? data.document(registryTarget.document) : undefined;
    return { kind, kindLabel, target, value, units, orgs, countsNote, status, sentence, gap, targetId, registryTarget, doc };
  });

  // An area the dataset does not cover has null counts (by_category, by_registration): no mix is shown.
  const hasMix = area.has_data && area.by_category !== null && area.by_registration !== null;
  // Urban and rural targets usually share one clause: quote each clause once.
  type KindView = (typeof kinds)[number];
  const targetRefs: { target: KindView['registryTarget']; doc: KindView['doc']; kinds: KindView[] }[] = [];
  for (const k of kinds.filter((k) => k.targetId)) {
    const same = k.registryTarget && targetRefs.find((r) => r.target && r.target.clause === k.registryTarget!.clause);
    if (same) same.kinds.push(k);
    else targetRefs.push({ target: k.registryTarget, doc: k.doc, kinds: [k] });
  }

  const categoryData = CATEGORIES.map((c) => ({ label: categoryText(c, lang), value: area.by_category?.[c] ?? 0 }));
  // The mix chart itself is rendered once, with its files, by mixFigure (src/lib/site/views/figures.ts).
  const registrationRows = REGISTRATIONS.map((r) => {
    const n = area.by_registration?.[r] ?? 0;
    return {
      registration: registrationText(r, lang),
      count: { text: formatInt(n, lang), sort: n },
      share: { text: area.total_orgs ? formatPercent(n / area.total_orgs, lang) : t(lang, 'common.none') },
    };
  });
  // Short kind names (城市 / Urban) keep the shortfall table's column narrow on paper.
  const kindName = (k: string) => (k === 'urban' || k === 'rural' ? t(lang, `kind.${k}_short`) : k === 'other' ? t(lang, 'kind.other') : k);
  const shortfallRows = shortfallShown.map((c) => ({
    community: c.name,
    township: c.township_name,
    kind: kindName(c.kind),
    orgs: { text: formatInt(c.orgs, lang), sort: c.orgs },
    target: { text: formatTarget(c.target, lang), sort: c.target },
    gap: { text: formatInt(c.gap, lang), sort: c.gap },
  }));

  // A city (or province) whose own average meets its target while some of its districts do not: say so, counted
  // from the children's status in areas.json (a leader reads "达标" as "every district is fine" otherwise).
  const childCounts = countStatuses(children.filter((c) => c.status === 'met' || c.status === 'not_met'));
  const childrenNote =
    area.status === 'met' && childCounts.total > 0 && childCounts.met < childCounts.total && area.level !== 'county'
      ? t(lang, area.level === 'prefecture' ? 'area.children_met_prefecture' : area.level === 'province' ? 'area.children_met_province' : 'area.children_met_national', { total: childCounts.total, n: childCounts.met })
      : null;
  const showTotal = area.has_data && area.total_orgs !== null;
  // 全国 › 四川省 › 乐山市 › 马边彝族自治县: every step that has a page is a link; the area itself is not.
  const pages = new Set(meta.area_codes);
  const breadcrumbs = ancestry(source, data.area)
    .filter((a) => pages.has(a.code))
    .map((a) => ({ code: a.code, name: local(a).name, href: a.code === area.code ? null : localePath(lang, `/areas/${a.code}/`) }));

  // What the targets require (real: target × units), and the real published figures of this area.
  const required = [
    area.urban_required !== null ? t(lang, 'required.urban', { target: formatTarget(area.urban_target, lang), units: formatInt(area.urban_units, lang), n: formatInt(area.urban_required, lang) }) : null,
    area.rural_required !== null ? t(lang, 'required.rural', { target: formatTarget(area.rural_target, lang), units: formatInt(area.rural_units, lang), n: formatInt(area.rural_required, lang) }) : null,
  ].filter((x): x is string => x !== null);
  const requiredTotal = area.required_total === null ? null : t(lang, 'required.total', { n: formatInt(area.required_total, lang) });
  const published = publishedForArea(area.code, data, lang);
  // The sample label goes where organization counts of a sample dataset are shown, and nowhere else.
  const basis = datasetBasis(meta.dataset.sample);
  // …including a page whose own counts are empty but which lists the dataset's communities or children (四川省 in a Leshan build).
  const showsSample = meta.dataset.sample && (area.has_data || shortfallCount > 0 || children.some((c) => c.has_data));

  // No density target, no registry target and no progress row: nothing to compute a gap or a deadline status from
  // (most areas of a national build). The page then shows one note instead of the gap, required, targets and progress sections.
  const noTargets = kinds.every((k) => k.target === null) && targetRefs.length === 0 && progressRows.length === 0 && !requiredTotal;
  return {
    required, requiredTotal, published, basis, showsSample,
    area, title, meta, parent, children, peers, peersListed, progressRows, trendYears: data.progress().trend_years, series, trendTargets,
    shortfallCount, shortfallShown, shortfallRows, asOf, kinds, hasMix, targetRefs, categoryData, registrationRows,
    childrenNote, showTotal, breadcrumbs, noTargets,
  };
}

export type BriefingView = ReturnType<typeof briefingView>;
