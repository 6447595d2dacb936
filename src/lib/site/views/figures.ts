/**
 * Every figure as data: the inline SVG, the table rows the page shows, the same rows as raw values for
 * the figure's CSV, and the stamp for its standalone SVG. TrendFigure.astro, the briefing's category mix,
 * the figure files (src/pages/figures/[...file].ts) and the embed pages all read these functions, so the
 * CSV has exactly the rows of the figure's data table.
 *
 * Files: /figures/areas/{code}/{trend|mix}.{svg|csv} (English: under /en/, like the pages); embeds: /embed/areas/{code}/{trend|mix}/
 * (and /en/embed/…). PNG: converted in the browser from the standalone SVG (public/scripts/figure-png.js);
 * only the share card is rendered at build time (scripts/figure-png.ts) — see figureRoutes.
 */
import { t, type Lang, type StringKey } from '../../../i18n/strings';
import { absoluteUrl, localePath, localeRoute, withBase } from '../../../i18n/paths';
import { formatDate, formatDensity, formatInt, formatTarget, basisText, categoryText, punct } from '../format';
import { densityTargetsFromProgress, trendChart, type TrendTarget } from '../../render/trend-chart';
import { categoryMixChart } from '../../render/charts';
import { standaloneFigureSvg, type FigureStamp } from '../../render/figure-file';
import { figureCsv } from '../../publish/figure-csv';
import { inLang, trendLabels } from '../select';
import { shareCardSvg } from '../../render/figure-file';
import type { SiteData } from '../data';
import type { AreaSeries } from '../../model/timeseries';
import { CATEGORIES, type AreaAggregate, type DatasetMeta } from '../../core/types';
import type { CsvValue } from '../../publish/csv';

export type FigureName = 'trend' | 'mix';
export const FIGURE_NAMES: readonly FigureName[] = ['trend', 'mix'];

export interface TableCell { text: string; sort?: number | null }
export interface FigureColumn { key: string; label: string; numeric?: boolean }

export interface FigureView {
  name: FigureName;
  svg: string;
  /** Short title (stamped in the files, heading of the embed page). */
  title: string;
  caption: string;
  tableCaption: string;
  columns: FigureColumn[];
  /** What DataTable shows. */
  rows: Record<string, string | TableCell>[];
  /** The same rows, raw values (numbers as numbers), for the CSV. */
  csvRows: Record<string, CsvValue>[];
  stamp: FigureStamp;
}

/** The stamp lines shared by all figures of an area. */
export function figureStamp(dataset: DatasetMeta, area: { name: string; code: string }, lang: Lang, title: string, route: string): FigureStamp {
  const p = punct(lang);
  const datasetTitle = lang === 'en' ? dataset.title_en ?? dataset.title : dataset.title;
  return {
    title,
    area: `${area.name}${p.open}${area.code}${p.close}`,
    asOf: `${t(lang, 'footer.as_of')} ${dataset.as_of}`,
    source: `${t(lang, 'footer.source')}${p.colon}${datasetTitle}${p.open}${dataset.publisher}${p.close} · ${t(lang, 'site.name')}`,
    licence: `${t(lang, 'footer.license')}${p.colon}${dataset.license}`,
    label: dataset.sample ? t(lang, 'banner.sample_title') : basisText('dataset', lang),
    url: absoluteUrl(localeRoute(lang, route)),
    lang,
  };
}

/** The density trend of one area (TrendFigure.astro): one table row per point of the series. */
export function trendFigure(series: AreaSeries, targets: TrendTarget[], dataset: DatasetMeta, lang: Lang): FigureView {
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
  const svg = trendChart(series, targets, trendLabels(lang, (a) => t(lang, 'trend.alt', { name: a.name, summary })));
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
    name: 'trend', svg, title, caption: t(lang, 'trend.caption'),
    tableCaption: t(lang, 'trend.table_caption', { name: series.name }),
    columns, rows, csvRows,
    stamp: figureStamp(dataset, { name: series.name, code: series.code }, lang, title, `/areas/${series.code}/`),
  };
}

/** The category mix of one area (the briefing); undefined when the area has no counts. */
export function mixFigure(area: AreaAggregate, dataset: DatasetMeta, lang: Lang): FigureView | undefined {
  if (!area.has_data || area.by_category === null || area.by_registration === null) return undefined;
  const p = punct(lang);
  const data = CATEGORIES.map((c) => ({ category: c, label: categoryText(c, lang), value: area.by_category?.[c] ?? 0 }));
  const svg = categoryMixChart(data, {
    axis: t(lang, 'chart.count'),
    alt: `${t(lang, 'area.mix_category')}${p.colon}${data.map((d) => `${d.label} ${formatInt(d.value, lang)}`).join(p.semicolon)}`,
    formatValue: (v) => formatInt(v, lang),
  });
  const title = `${area.name}${p.colon}${t(lang, 'area.mix_category')}`;
  return {
    name: 'mix', svg, title,
    caption: t(lang, 'area.mix_caption', { date: formatDate(dataset.as_of, lang) }),
    tableCaption: t(lang, 'area.mix_category'),
    columns: [{ key: 'category', label: t(lang, 'col.category') }, { key: 'count', label: t(lang, 'col.count'), numeric: true }],
    rows: data.map((d) => ({ category: d.label, count: { text: formatInt(d.value, lang), sort: d.value } })),
    csvRows: data.map((d) => ({ category: d.label, count: d.value })),
    stamp: figureStamp(dataset, area, lang, title, `/areas/${area.code}/`),
  };
}

/** Where a figure's files and embed page live (routes, before the base path). */
export function figureRoutes(lang: Lang, code: string, name: FigureName) {
  const dir = `${lang === 'en' ? '/en' : ''}/figures/areas/${code}/${name}`;
  return { svg: `${dir}.svg`, csv: `${dir}.csv`, embed: localeRoute(lang, `/embed/areas/${code}/${name}/`) };
}

/** The links under a figure: hrefs with the base path, the embed's absolute URL and its <iframe> snippet. */
export function figureLinks(lang: Lang, code: string, view: FigureView) {
  const r = figureRoutes(lang, code, view.name);
  const embedUrl = absoluteUrl(r.embed);
  const height = view.name === 'trend' ? 520 : 420;
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return {
    svg: withBase(r.svg),
    csv: withBase(r.csv),
    embed: localePath(lang, r.embed),
    iframe: `<iframe src="${esc(embedUrl)}" title="${esc(view.title)}" width="100%" height="${height}" style="border:0" loading="lazy"></iframe>`,
    /** File name for the in-browser PNG. */
    pngName: `${code}-${view.name}-${lang}.png`,
  };
}

export type FigureLinks = ReturnType<typeof figureLinks>;

/** The chart's text alternative (the aria-label its renderer wrote), for an <img> of its file. */
export function figureAlt(view: FigureView): string {
  const m = /^<svg\b[^>]*\saria-label="([^"]*)"/.exec(view.svg.trim());
  const raw = m ? m[1] : view.title;
  return raw.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The figure's standalone SVG file. */
export const figureSvgFile = (view: FigureView): string => standaloneFigureSvg(view.svg, view.stamp);

/** The figure's CSV file: its stamp as field rows, then its table (src/lib/publish/figure-csv.ts). */
export function figureCsvFile(view: FigureView, lang: Lang): string {
  const s = view.stamp;
  const f = (k: StringKey) => t(lang, k);
  return figureCsv(
    {
      fields: [
        [f('figure.csv.figure'), s.title],
        [f('figure.csv.area'), s.area],
        [f('footer.as_of'), s.asOf.replace(`${f('footer.as_of')} `, '')],
        [f('figure.csv.label'), s.label],
        [f('footer.source'), s.source.replace(/^[^:：]*[:：]\s*/, '')],
        [f('footer.license'), s.licence.replace(/^[^:：]*[:：]\s*/, '')],
        [f('figure.csv.page'), s.url],
      ],
    },
    view.columns,
    view.csvRows,
  );
}

// One render per (area, language) in a build: the briefing, its figure files and its embeds share it.
const memo = new WeakMap<SiteData, Map<string, FigureView[]>>();

/** The figures of one area's briefing, as the briefing shows them (names and series in `lang`); memoised per SiteData. */
export function areaFigures(data: SiteData, code: string, lang: Lang): FigureView[] {
  let byKey = memo.get(data);
  if (!byKey) memo.set(data, (byKey = new Map()));
  const key = `${lang}:${code}`;
  const hit = byKey.get(key);
  if (hit) return hit;
  const views = renderAreaFigures(data, code, lang);
  byKey.set(key, views);
  return views;
}

function renderAreaFigures(data: SiteData, code: string, lang: Lang): FigureView[] {
  const source = data.area(code);
  if (!source) throw new Error(`areaFigures: areas.json has no area ${code}`);
  const area = inLang(source, lang);
  const dataset = data.meta().dataset;
  const raw = data.seriesFor(code);
  const out: FigureView[] = [];
  if (raw) out.push(trendFigure({ ...raw, name: area.name }, densityTargetsFromProgress(data.progressFor(code), code), dataset, lang));
  const mix = mixFigure(area, dataset, lang);
  if (mix) out.push(mix);
  return out;
}

/** Every figure file of the site: route → text. src/pages/figures/[...file].ts serves them. */
export function figureFiles(data: SiteData, langs: readonly Lang[] = ['zh-CN', 'en']): Map<string, string> {
  const files = new Map<string, string>();
  for (const lang of langs) {
    for (const code of data.meta().area_codes) {
      for (const view of areaFigures(data, code, lang)) {
        const r = figureRoutes(lang, code, view.name);
        files.set(r.svg, figureSvgFile(view));
        files.set(r.csv, figureCsvFile(view, lang));
      }
    }
    // the share card: the root area's trend (or its first figure), 1200 × 630; scripts/figure-png.ts renders it to PNG
    const root = areaFigures(data, data.meta().root_code, lang)[0];
    if (root) files.set(`/figures/share-${lang}.svg`, shareCardSvg(figureSvgFile(root)));
  }
  return files;
}
