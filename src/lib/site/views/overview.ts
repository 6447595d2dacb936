import { scopedKey, t, type Lang, type StringKey } from '../../../i18n/strings';
import { NATIONAL_CODE } from '../../core/area-codes';
import { localePath } from '../../../i18n/paths';
import { DENSITY_KINDS } from '../../model/density';
import type { AreaSeries } from '../../model/timeseries';
import { densityTargetsFromProgress, trendSmallMultiples, type TrendTarget } from '../../render/trend-chart';
import type { SiteData } from '../data';
import { formatDate, formatDensity, formatTarget, punct } from '../format';
import { areaLabel, countStatuses, inLang, pickAreas, trendLabels } from '../select';

type Point = AreaSeries['points'][number];
const densityAt = (p: Point, kind: 'urban' | 'rural') => (kind === 'urban' ? p.urban_per_unit : p.rural_per_unit);

/** The overview of the site's root area (src/components/pages/OverviewPage.astro renders it). */
export function overviewView(data: SiteData, lang: Lang) {
  const meta = data.meta();
  const rootArea = data.area(meta.root_code);
  if (!rootArea) throw new Error(`areas.json has no root area ${meta.root_code}`);
  const root = inLang(rootArea, lang);
  const rootTitle = areaLabel(rootArea, lang);
  // The areas compared: provinces on a national site, else the root's districts (counties).
  const national = meta.root_code === NATIONAL_CODE;
  const tk = (key: StringKey, params?: Record<string, string | number>) => t(lang, scopedKey(key, national), params);
  const districts = pickAreas(data.areas(), meta.compared_codes).map((a) => inLang(a, lang));
  const nameOf = (code: string) => districts.find((d) => d.code === code)?.name;
  const counts = countStatuses(districts);
  const features = data.boundariesOf(meta.root_code);
  const asOf = formatDate(meta.dataset.as_of, lang);
  // Small multiples of the districts' density trends: districts the dataset covers, in code order.
  const districtSeries = meta.compared_codes
    .map((code) => data.seriesFor(code))
    .filter((x): x is AreaSeries => x !== undefined)
    .map((s) => ({ ...s, name: nameOf(s.code) ?? s.name }));
  const trendTargets = new Map<string, TrendTarget[]>(districtSeries.map((a) => [a.code, densityTargetsFromProgress(data.progressFor(a.code), a.code)]));
  const seriesDates = districtSeries[0]?.points ?? [];
  const dateLabel = (p: Point) => (p.is_as_of ? formatDate(p.date, lang) : p.label);
  const smSummary = districtSeries
    .map((a) => {
      const first = a.points[0];
      const last = a.points.at(-1)!;
      return `${a.name} ${DENSITY_KINDS.map((k) => `${t(lang, `kind.${k}_short`)} ${formatDensity(densityAt(first, k), lang)}→${formatDensity(densityAt(last, k), lang)}`).join(' ')}`;
    })
    .join(punct(lang).semicolon);
  const smSvg =
    districtSeries.length === 0
      ? ''
      : trendSmallMultiples(districtSeries, trendTargets, {
          columns: 3,
          alt: tk('trend.sm_alt', { root: root.name, summary: smSummary }),
          labels: trendLabels(lang, (a) => a.name),
        });
  const smTables = DENSITY_KINDS.map((kind) => ({
    kind,
    columns: [
      { key: 'name', label: tk('col.district') },
      ...seriesDates.map((p, i) => ({ key: `d${i}`, label: dateLabel(p), numeric: true })),
      { key: 'target', label: t(lang, `col.${kind}_target`), numeric: true },
      { key: 'deadline', label: t(lang, 'col.deadline') },
    ],
    rows: districtSeries.map((a) => {
      const own = (trendTargets.get(a.code) ?? []).filter((x) => x.kind === kind);
      return {
        name: { text: a.name, href: localePath(lang, `/areas/${a.code}/`) },
        ...Object.fromEntries(a.points.map((p, i) => [`d${i}`, { text: formatDensity(densityAt(p, kind), lang), sort: densityAt(p, kind) }])),
        target: own.map((x) => formatTarget(x.value, lang)).join(' / ') || null,
        deadline: own.map((x) => formatDate(x.deadline, lang)).join(' / ') || null,
      };
    }),
  }));
  // The overview links the briefings of its own area: the area above it, the root and its districts
  // (a county-scoped site is its own only district: each code once).
  const briefings = [...new Set([root.parent_code, root.code, ...meta.compared_codes])]
    .filter((c): c is string => c !== null && meta.area_codes.includes(c))
    .map((code) => ({ code, name: data.area(code) ? inLang(data.area(code)!, lang).name : code, href: localePath(lang, `/areas/${code}/`) }));
  return { meta, root, rootTitle, districts, counts, features, asOf, smSvg, smTables, briefings, national, tk };
}

export type OverviewView = ReturnType<typeof overviewView>;
