/**
 * Every figure of the site as a spec: what its page shows (title, caption, text alternative, the data table's
 * columns and rows), the same rows as raw values for its CSV, its stamp, and a render function that is called
 * once per build, by the figure-file step (scripts/figure-files.ts, at the end of `astro build`), not by pages.
 *
 * Briefings show their figures (trend, category mix, the children's maps) as the figure files themselves
 * (<img>), so a national build stores each figure once instead of
 * inline in the page and again as a file. The overview (two pages) keeps its charts and maps inline and
 * renders them through the same specs, so its files have exactly the same rows.
 *
 * Files (English under /en/, like the pages): /figures/areas/{code}-{name}.svg and .csv, embed pages
 * /embed/areas/{code}-{name}.html; the overview's /figures/overview-{name}.svg … (figureRoutes). PNG: converted in the browser from the SVG
 * file (public/scripts/figure-png.js); only the share cards are rendered at build time (scripts/figure-png.ts).
 */
import { scopedKey, t, type Lang, type StringKey } from '../../../i18n/strings';
import { BASE, SITE_ORIGIN, absoluteUrlOf, joinBase, localeRoute } from '../../../i18n/paths';
import { basisText, categoryText, type AnyStatus, formatDate, formatDensity, formatInt, formatPercent, formatTarget, punct, sentenceStart, statusText } from '../format';
import { densityTargetsFromProgress, trendChart, type TrendTarget } from '../../render/trend-chart';
import { categoryMixChart, rankedDensityChart, rankedRows } from '../../render/charts';
import { renderAreaMap } from '../../render/choropleth';
import { ATTAINMENT_BINS, ATTAINMENT_PALETTE, attainmentBinLabels, renderChoropleth } from '../../render/map';
import { shareCardSvg, standaloneFigureSvg, type FigureStamp } from '../../render/figure-file';
import { figureCsv } from '../../publish/figure-csv';
import type { CsvValue } from '../../publish/csv';
import { attainment, DENSITY_KINDS, perUnit, statusOf, targetOf, type DensityKind } from '../../model/density';
import type { AreaSeries } from '../../model/timeseries';
import { CATEGORIES, type AreaAggregate, type DatasetMeta } from '../../core/types';
import { NATIONAL_CODE } from '../../core/area-codes';
import { inLang, pickAreas, trendLabels } from '../select';
import { areaMapParts } from './area-map';
import type { SiteData } from '../data';

export type FigureName = 'trend' | 'mix' | 'map-urban' | 'map-rural' | 'ranked-urban' | 'ranked-rural';

/** Where the site is served: base path and origin. Pages use the build's (BUILD_LOC); the file step gets them from Astro's config. */
export interface Loc { base: string; origin: string | null }
export const BUILD_LOC: Loc = { base: BASE, origin: SITE_ORIGIN };
export const hrefOf = (route: string, loc: Loc) => joinBase(route, loc.base);
export const absoluteOf = (route: string, loc: Loc) => (loc.origin ? absoluteUrlOf(route, loc.origin, loc.base) : joinBase(route, loc.base));

export interface TableCell { text: string; sort?: number | null; href?: string }
export interface FigureColumn { key: string; label: string; numeric?: boolean }

export interface FigureSpec {
  name: FigureName;
  /** "areas/511102" or "overview". */
  scope: string;
  lang: Lang;
  /** Short title (stamped in the files, heading of the embed page). */
  title: string;
  caption: string;
  /** The chart's text alternative (alt of its <img>, aria-label of its SVG). */
  alt: string;
  tableCaption: string;
  columns: FigureColumn[];
  /** What DataTable shows. */
  rows: Record<string, string | TableCell | { status: AnyStatus } | null>[];
  /** The same rows, raw values (numbers as numbers), for the CSV. */
  csvRows: Record<string, CsvValue>[];
  /** Stamp without the page URL (stampOf adds it for a location). */
  stamp: Omit<FigureStamp, 'url'>;
  /** The zh-CN route of the page the figure belongs to. */
  page: string;
  /** How its page shows it: the file as an <img> (briefings), or inline SVG (the overview). */
  show: 'img' | 'inline';
  /** The inner SVG (the renderer's output), links written for `loc`. */
  render: (loc: Loc) => string;
}

/** The stamp lines shared by all figures of an area. */
function stampOf(dataset: DatasetMeta, area: string, lang: Lang, title: string): Omit<FigureStamp, 'url'> {
  const p = punct(lang);
  const datasetTitle = lang === 'en' ? dataset.title_en ?? dataset.title : dataset.title;
  return {
    title,
    area,
    asOf: `${t(lang, 'footer.as_of')} ${dataset.as_of}`,
    source: `${t(lang, 'footer.source')}${p.colon}${datasetTitle}${p.open}${dataset.publisher}${p.close} · ${t(lang, 'site.name')}`,
    licence: `${t(lang, 'footer.license')}${p.colon}${dataset.license}`,
    label: dataset.sample ? t(lang, 'banner.sample_title') : basisText('dataset', lang),
    lang,
  };
}
const areaStamp = (a: { name: string; code: string }, lang: Lang) => `${a.name}${punct(lang).open}${a.code}${punct(lang).close}`;

/** The stamp of a figure's files, with its page's URL at `loc`. */
export const figureStamp = (spec: FigureSpec, loc: Loc = BUILD_LOC): FigureStamp => ({ ...spec.stamp, url: absoluteOf(localeRoute(spec.lang, spec.page), loc) });

/** The density trend of one area: one table row per point of the series. */
export function trendFigure(series: AreaSeries, targets: TrendTarget[], dataset: DatasetMeta, lang: Lang): FigureSpec {
  const p = punct(lang);
  const kinds = (['urban', 'rural'] as const).filter((k) => (k === 'urban' ? series.urban_units : series.rural_units) > 0);
  type Point = AreaSeries['points'][number];
  const density = (pt: Point, k: 'urban' | 'rural') => (k === 'urban' ? pt.urban_per_unit : pt.rural_per_unit);
  const orgs = (pt: Point, k: 'urban' | 'rural') => (k === 'urban' ? pt.urban : pt.rural);
  const pointLabel = (pt: Point) => (pt.is_as_of ? formatDate(pt.date, lang) : pt.label);
  const first = series.points[0];
  const last = series.points.at(-1);
  const summary = !first || !last ? '' : kinds
    .map((kind) => {
      const line = t(lang, 'trend.alt_kind', {
        kind: t(lang, `kind.${kind}_short`),
        first_label: pointLabel(first),
        first: formatDensity(density(first, kind), lang),
        last_label: pointLabel(last),
        last: formatDensity(density(last, kind), lang),
      });
      const own = targets.filter((x) => x.kind === kind).map((x) => t(lang, 'trend.alt_target', { value: formatTarget(x.value, lang), year: x.deadline.slice(0, 4) }));
      return [line, ...own].join(p.comma);
    })
    .join(p.semicolon);
  const alt = t(lang, 'trend.alt', { name: series.name, summary });
  const columns: FigureColumn[] = [
    { key: 'date', label: t(lang, 'col.date') },
    ...kinds.flatMap((k) => [
      { key: `${k}_orgs`, label: t(lang, `col.${k}_orgs`), numeric: true },
      { key: `${k}_per_unit`, label: t(lang, `col.${k}_per_unit`), numeric: true },
    ]),
  ];
  const rows = series.points.map((pt) => ({
    date: pointLabel(pt),
    ...Object.fromEntries(kinds.flatMap((k) => [
      [`${k}_orgs`, { text: formatInt(orgs(pt, k), lang), sort: orgs(pt, k) }],
      [`${k}_per_unit`, { text: formatDensity(density(pt, k), lang), sort: density(pt, k) }],
    ])),
  }));
  const csvRows = series.points.map((pt) => ({
    date: pt.date,
    ...Object.fromEntries(kinds.flatMap((k) => [[`${k}_orgs`, orgs(pt, k)], [`${k}_per_unit`, density(pt, k)]])),
  }));
  const title = `${series.name}${p.colon}${t(lang, 'trend.heading')}`;
  return {
    name: 'trend', scope: `areas/${series.code}`, lang, title, caption: t(lang, 'trend.caption'), alt,
    tableCaption: t(lang, 'trend.table_caption', { name: series.name }),
    columns, rows, csvRows, page: `/areas/${series.code}/`, show: 'img',
    stamp: stampOf(dataset, areaStamp(series, lang), lang, title),
    render: () => trendChart(series, targets, trendLabels(lang, () => alt)),
  };
}

/** The category mix of one area; undefined when the area has no counts. */
export function mixFigure(area: AreaAggregate, dataset: DatasetMeta, lang: Lang): FigureSpec | undefined {
  if (!area.has_data || area.by_category === null || area.by_registration === null) return undefined;
  const p = punct(lang);
  const data = CATEGORIES.map((c) => ({ category: c, label: categoryText(c, lang), value: area.by_category?.[c] ?? 0 }));
  const alt = `${t(lang, 'area.mix_category')}${p.colon}${data.map((d) => `${d.label} ${formatInt(d.value, lang)}`).join(p.semicolon)}`;
  const title = `${area.name}${p.colon}${t(lang, 'area.mix_category')}`;
  return {
    name: 'mix', scope: `areas/${area.code}`, lang, title, alt,
    caption: t(lang, 'area.mix_caption', { date: formatDate(dataset.as_of, lang) }),
    tableCaption: t(lang, 'area.mix_category'),
    columns: [{ key: 'category', label: t(lang, 'col.category') }, { key: 'count', label: t(lang, 'col.count'), numeric: true }],
    rows: data.map((d) => ({ category: d.label, count: { text: formatInt(d.value, lang), sort: d.value } })),
    csvRows: data.map((d) => ({ category: d.label, count: d.value })),
    page: `/areas/${area.code}/`, show: 'img',
    stamp: stampOf(dataset, areaStamp(area, lang), lang, title),
    render: () => categoryMixChart(data, { axis: t(lang, 'chart.count'), alt, formatValue: (v) => formatInt(v, lang) }),
  };
}

/** Map links inside a file (opened itself, or inline on the overview) open the page, not a frame showing it. */
const linksToTop = (svg: string) => svg.replace(/<a href=/g, '<a target="_top" href=');

/** The maps of an area's children (urban, rural), shown on the briefing as their files. */
export function areaMapFigures(source: AreaAggregate, data: SiteData, dataset: DatasetMeta, lang: Lang): FigureSpec[] {
  const area = inLang(source, lang);
  const p = punct(lang);
  return DENSITY_KINDS.flatMap((kind) => {
    const parts = areaMapParts(source, data, lang, kind);
    if (!parts) return [];
    const columns: FigureColumn[] = [
      { key: 'name', label: t(lang, 'col.area') },
      { key: 'value', label: t(lang, `col.${kind}_per_unit`), numeric: true },
      { key: 'target', label: t(lang, `col.${kind}_target`), numeric: true },
      { key: 'attainment', label: t(lang, 'col.attainment'), numeric: true },
      { key: 'required', label: t(lang, 'areamap.col_required'), numeric: true },
      { key: 'status', label: t(lang, 'col.status') },
    ];
    const title = `${area.name}${p.colon}${parts.title}`;
    return [{
      name: `map-${kind}` as FigureName, scope: `areas/${source.code}`, lang, title, caption: t(lang, 'areamap.caption'), alt: parts.options.desc,
      tableCaption: parts.title, columns,
      rows: parts.rows.map((r) => ({ name: r.href ? { text: r.name, href: r.href } : r.name, value: r.value, target: r.target, attainment: r.attainment, required: r.required, status: r.status })),
      csvRows: parts.rows.map((r) => ({ name: r.name, value: r.raw.value, target: r.raw.target, attainment: r.raw.attainment, required: r.raw.required, status: r.status })),
      page: `/areas/${source.code}/`, show: 'img',
      stamp: stampOf(dataset, areaStamp(area, lang), lang, title),
      render: (loc: Loc) => linksToTop(renderAreaMap(areaMapParts(source, data, lang, kind, (r) => absoluteOf(localeRoute(lang, r), loc))!.options).svg),
    }];
  });
}

/** The ranked density chart of the compared areas for one kind (the overview). */
export function rankedFigure(districts: AreaAggregate[], kind: DensityKind, dataset: DatasetMeta, root: AreaAggregate, lang: Lang, national: boolean): FigureSpec {
  const p = punct(lang);
  const kindLabel = sentenceStart(t(lang, `kind.${kind}`), lang);
  const rows = rankedRows(districts, kind);
  const fmt = (v: number | null) => formatDensity(v, lang);
  const item = (name: string, value: number | null, target: number | null) => t(lang, 'chart.summary_item', { name, value: fmt(value), target: formatTarget(target, lang) });
  const alt = t(lang, 'overview.chart.alt', { kind: kindLabel, summary: rows.map((r) => item(r.name, r.value, r.target)).join(p.semicolon) });
  const byCode = new Map(districts.map((a) => [a.code, a]));
  const tableCaption = `${t(lang, scopedKey('overview.chart.title', national))}${p.open}${kindLabel}${p.close}`;
  return {
    name: `ranked-${kind}` as FigureName, scope: 'overview', lang,
    title: `${root.name}${p.colon}${tableCaption}`,
    caption: `${kindLabel}${p.colon}${t(lang, scopedKey('overview.chart.caption', national))}`,
    alt, tableCaption,
    columns: [
      { key: 'name', label: t(lang, scopedKey('col.district', national)) },
      { key: 'value', label: t(lang, `col.${kind}_per_unit`), numeric: true },
      { key: 'target', label: t(lang, `col.${kind}_target`), numeric: true },
      { key: 'attainment', label: t(lang, 'col.attainment'), numeric: true },
      { key: 'status', label: t(lang, 'col.status') },
    ],
    rows: rows.map((r) => ({
      name: { text: r.name, href: hrefOf(localeRoute(lang, `/areas/${r.code}/`), BUILD_LOC) },
      value: { text: fmt(r.value), sort: r.value },
      target: { text: formatTarget(r.target, lang), sort: r.target },
      attainment: { text: formatPercent(r.attainment, lang), sort: r.attainment },
      status: { status: statusOf(byCode.get(r.code)!, kind) },
    })),
    csvRows: rows.map((r) => ({ name: r.name, value: r.value, target: r.target, attainment: r.attainment, status: statusText(statusOf(byCode.get(r.code)!, kind), lang) })),
    page: '/', show: 'inline',
    stamp: stampOf(dataset, areaStamp(root, lang), lang, `${root.name}${p.colon}${tableCaption}`),
    render: () => rankedDensityChart(districts, kind, {
      axis: t(lang, 'chart.density'),
      target: t(lang, 'chart.target'),
      formatValue: fmt,
      formatTarget: (v) => formatTarget(v, lang),
      title: (a, value, target) => `${item(a.name, value, target)} ${statusText(statusOf(a, kind), lang)}`,
      alt,
    }),
  };
}

/** The overview's attainment map for one kind: the compared areas that have a shape. */
export function overviewMapFigure(districts: AreaAggregate[], data: SiteData, kind: DensityKind, dataset: DatasetMeta, root: AreaAggregate, lang: Lang): FigureSpec | undefined {
  const features = data.boundariesOf(data.meta().root_code);
  if (!features) return undefined;
  const p = punct(lang);
  const byCode = new Map(districts.map((a) => [a.code, a]));
  const onMap = districts.filter((a) => features.some((f) => f.properties.code === a.code));
  const values = new Map(onMap.map((a) => [a.code, attainment(a, kind)]));
  const kindLabel = t(lang, `kind.${kind}`);
  const pct = (r: number) => formatPercent(r, lang);
  const title = t(lang, kind === 'urban' ? 'overview.map.urban' : 'overview.map.rural');
  const alt = t(lang, 'overview.map.alt', { kind: kindLabel, summary: onMap.map((a) => `${a.name} ${formatPercent(values.get(a.code) ?? null, lang)}`).join(p.semicolon) });
  const tooltip = (code: string) => {
    const a = byCode.get(code);
    if (!a) return features.find((f) => f.properties.code === code)?.properties.name ?? code;
    const r = values.get(code) ?? null;
    return `${a.name}${p.colon}${kindLabel} ${formatDensity(perUnit(a, kind), lang)} / ${t(lang, 'chart.target')} ${formatTarget(targetOf(a, kind), lang)}${p.open}${formatPercent(r, lang)}${p.close} ${statusText(statusOf(a, kind), lang)}`;
  };
  return {
    name: `map-${kind}` as FigureName, scope: 'overview', lang, title: `${root.name}${p.colon}${title}`,
    caption: t(lang, 'overview.map.caption'), alt, tableCaption: title,
    columns: [
      { key: 'name', label: t(lang, 'col.area') },
      { key: 'value', label: t(lang, `col.${kind}_per_unit`), numeric: true },
      { key: 'target', label: t(lang, `col.${kind}_target`), numeric: true },
      { key: 'attainment', label: t(lang, 'col.attainment'), numeric: true },
      { key: 'status', label: t(lang, 'col.status') },
    ],
    rows: onMap.map((a) => ({
      name: { text: a.name, href: hrefOf(localeRoute(lang, `/areas/${a.code}/`), BUILD_LOC) },
      value: { text: formatDensity(perUnit(a, kind), lang), sort: perUnit(a, kind) },
      target: { text: formatTarget(targetOf(a, kind), lang), sort: targetOf(a, kind) },
      attainment: { text: formatPercent(values.get(a.code) ?? null, lang), sort: values.get(a.code) ?? null },
      status: { status: statusOf(a, kind) },
    })),
    csvRows: onMap.map((a) => ({ name: a.name, value: perUnit(a, kind), target: targetOf(a, kind), attainment: values.get(a.code) ?? null, status: statusText(statusOf(a, kind), lang) })),
    page: '/', show: 'inline',
    stamp: stampOf(dataset, areaStamp(root, lang), lang, `${root.name}${p.colon}${title}`),
    render: (loc: Loc) => linksToTop(renderChoropleth({
      features, values, width: 640, height: 500, id: `map-${kind}`, title, desc: alt,
      label: (code) => {
        const name = byCode.get(code)?.name ?? features.find((f) => f.properties.code === code)?.properties.name ?? code;
        const r = values.get(code);
        return r === undefined || r === null ? name : `${name} ${pct(r)}`;
      },
      tooltip,
      href: (code) => hrefOf(localeRoute(lang, `/areas/${code}/`), loc),
      bins: ATTAINMENT_BINS, colors: ATTAINMENT_PALETTE, patterns: true,
      legendTitle: t(lang, 'map.legend.title'), binLabels: attainmentBinLabels(ATTAINMENT_BINS, pct), noDataLabel: t(lang, 'map.no_data'), fontSize: 12,
    })),
  };
}

/**
 * Where a figure's files and embed page live (routes, before the base path). Flat names, one folder per kind:
 * a folder per area and figure would cost a directory entry each (4 kB in `du`) at ~13,000 figures.
 */
export function figureRoutes(spec: Pick<FigureSpec, 'lang' | 'scope' | 'name'>) {
  const en = spec.lang === 'en' ? '/en' : '';
  const stem = spec.scope === 'overview' ? `overview-${spec.name}` : `${spec.scope}-${spec.name}`;
  return { svg: `${en}/figures/${stem}.svg`, csv: `${en}/figures/${stem}.csv`, embed: `${en}/embed/${stem}.html` };
}

const escAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The links under a figure: hrefs with the base path, the embed's absolute URL and its <iframe> snippet. */
export function figureLinks(spec: FigureSpec, loc: Loc = BUILD_LOC) {
  const r = figureRoutes(spec);
  const height = spec.name === 'trend' ? 560 : spec.name === 'mix' ? 440 : 720;
  return {
    svg: hrefOf(r.svg, loc),
    csv: hrefOf(r.csv, loc),
    embed: hrefOf(r.embed, loc),
    iframe: `<iframe src="${escAttr(absoluteOf(r.embed, loc))}" title="${escAttr(spec.title)}" width="100%" height="${height}" style="border:0" loading="lazy"></iframe>`,
  };
}
export type FigureLinks = ReturnType<typeof figureLinks>;

/** The figure's standalone SVG file (src/lib/render/figure-file.ts). */
export const figureSvgFile = (spec: FigureSpec, loc: Loc = BUILD_LOC, inner = spec.render(loc)): string => standaloneFigureSvg(inner, figureStamp(spec, loc));

/** The figure's CSV file: its stamp as field rows, then exactly its table's rows (src/lib/publish/figure-csv.ts). */
export function figureCsvFile(spec: FigureSpec, loc: Loc = BUILD_LOC): string {
  const s = figureStamp(spec, loc);
  const lang = spec.lang;
  const f = (k: StringKey) => t(lang, k);
  return figureCsv(
    {
      fields: [
        [f('figure.csv.figure'), s.title],
        [f('figure.csv.area'), s.area],
        [f('footer.as_of'), s.asOf.replace(`${f('footer.as_of')} `, '')],
        [f('figure.csv.label'), s.label],
        [f('figure.csv.units'), t(lang, spec.name === 'mix' ? 'figure.units.count' : spec.name === 'trend' ? 'figure.units.trend' : 'figure.units.density')],
        [f('footer.source'), s.source.replace(/^[^:：]*[:：]\s*/, '')],
        [f('footer.license'), s.licence.replace(/^[^:：]*[:：]\s*/, '')],
        [f('figure.csv.page'), s.url],
      ],
    },
    spec.columns,
    spec.csvRows,
  );
}

// Specs are cheap (no rendering); memoised per SiteData because the briefing and the file step both ask.
const memo = new WeakMap<SiteData, Map<string, FigureSpec[]>>();
function memoised(data: SiteData, key: string, make: () => FigureSpec[]): FigureSpec[] {
  let byKey = memo.get(data);
  if (!byKey) memo.set(data, (byKey = new Map()));
  let hit = byKey.get(key);
  if (!hit) byKey.set(key, (hit = make()));
  return hit;
}

/** The figures of one area's briefing, in page order: trend, category mix, the children's maps. */
export function areaFigures(data: SiteData, code: string, lang: Lang): FigureSpec[] {
  return memoised(data, `${lang}:${code}`, () => buildAreaFigures(data, code, lang));
}

function buildAreaFigures(data: SiteData, code: string, lang: Lang): FigureSpec[] {
  {
    const source = data.area(code);
    if (!source) throw new Error(`areaFigures: areas.json has no area ${code}`);
    const area = inLang(source, lang);
    const dataset = data.meta().dataset;
    const raw = data.seriesFor(code);
    const out: FigureSpec[] = [];
    if (raw) out.push(trendFigure({ ...raw, name: area.name }, densityTargetsFromProgress(data.progressFor(code), code), dataset, lang));
    const mix = mixFigure(area, dataset, lang);
    if (mix) out.push(mix);
    out.push(...areaMapFigures(source, data, dataset, lang));
    return out;
  }
}

/** The overview's figures: the maps (when the root has shapes) and the ranked charts, urban then rural. */
export function overviewFigures(data: SiteData, lang: Lang): FigureSpec[] {
  return memoised(data, `${lang}:overview`, () => {
    const meta = data.meta();
    const rootArea = data.area(meta.root_code);
    if (!rootArea) throw new Error(`overviewFigures: areas.json has no root area ${meta.root_code}`);
    const root = inLang(rootArea, lang);
    const districts = pickAreas(data.areas(), meta.compared_codes).map((a) => inLang(a, lang));
    const national = meta.root_code === NATIONAL_CODE;
    const maps = DENSITY_KINDS.map((k) => overviewMapFigure(districts, data, k, meta.dataset, root, lang)).filter((x): x is FigureSpec => x !== undefined);
    return [...maps, ...DENSITY_KINDS.map((k) => rankedFigure(districts, k, meta.dataset, root, lang, national))];
  });
}

/** Every figure of the site, language by language: the overview, then each area in areas.json order (not memoised: made, written, dropped). */
export function* allFigures(data: SiteData, langs: readonly Lang[] = ['zh-CN', 'en']): Generator<FigureSpec> {
  for (const lang of langs) {
    yield* overviewFigures(data, lang);
    for (const code of data.meta().area_codes) yield* buildAreaFigures(data, code, lang);
  }
}

/** The share card of a language (1200 × 630): the root area's trend, else the overview's first figure. */
export function shareCardFile(data: SiteData, lang: Lang, loc: Loc = BUILD_LOC): string | undefined {
  const spec = areaFigures(data, data.meta().root_code, lang).find((f) => f.name === 'trend') ?? overviewFigures(data, lang)[0];
  return spec ? shareCardSvg(figureSvgFile(spec, loc)) : undefined;
}
