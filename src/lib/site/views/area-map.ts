import { t, type Lang } from '../../../i18n/strings';
import { localePath, withBase } from '../../../i18n/paths';
import type { AreaAggregate } from '../../core/types';
import { attainment, DENSITY_KINDS, perUnit, statusOf, targetOf, type DensityKind } from '../../model/density';
import { insetFor, renderAreaMap, renderLocatorFrame, renderLocatorHighlight, type AreaMapOptions } from '../../render/choropleth';
import { ATTAINMENT_BINS, ATTAINMENT_PALETTE, attainmentBinLabels } from '../../render/map';
import type { SiteData } from '../data';
import { formatDensity, formatInt, formatPercent, formatTarget, punct, statusText } from '../format';
import { inLang } from '../select';

/** Map sizes: a province or the nation needs the room; a prefecture's counties fit a smaller frame. */
const SIZE = { national: [960, 760], province: [720, 600], prefecture: [640, 500] } as const;

export interface ChildRow {
  code: string;
  name: string;
  href: string | null;
  value: string;
  target: string;
  attainment: string;
  /** What the target requires (real: target × units), shown where there is no organization data. */
  required: string;
  status: string;
  /** The same cells as raw values, for the figure's CSV (src/lib/site/views/figures.ts). */
  raw: { value: number | null; target: number | null; attainment: number | null; required: number | null; status: string };
}

/**
 * The choropleth of an area's children for one kind (or both), coloured by attainment where data and a density
 * target exist, hatched "no data" otherwise; and, for a county, its locator. The table beside each map lists every
 * child (labels on the map are only drawn where they fit), the children with no shape ("not drawn") included.
 */
/**
 * One map of an area's children for `kind`, not yet rendered: the renderAreaMap options, its title and the
 * table rows (src/lib/site/views/figures.ts renders it once, into the figure file). `link` turns a route into
 * the href written into the map (default: the page's localePath).
 */
export function areaMapParts(source: AreaAggregate, data: SiteData, lang: Lang, kind: DensityKind, link: (route: string) => string = (r) => localePath(lang, r)) {
  const p = punct(lang);
  const pages = new Set(data.meta().area_codes);
  const map = source.level === 'county' ? null : data.mapOf(source.code);
  if (!map) return null;
  const children = new Map<string, AreaAggregate>();
  for (const f of map.features) {
    const a = data.area(f.properties.code);
    if (a) children.set(a.code, inLang(a, lang));
  }
  const values = new Map(map.features.map((f) => [f.properties.code, children.has(f.properties.code) ? attainment(children.get(f.properties.code)!, kind) : null]));
  const nameOf = (code: string) => children.get(code)?.name ?? map.features.find((f) => f.properties.code === code)?.properties.name ?? code;
  const kindLabel = t(lang, `kind.${kind}`);
  const tooltip = (code: string) => {
    const a = children.get(code);
    if (!a) return nameOf(code);
    const r = values.get(code) ?? null;
    return r === null
      ? `${a.name}${p.colon}${t(lang, 'map.no_data')}`
      : `${a.name}${p.colon}${kindLabel} ${formatDensity(perUnit(a, kind), lang)} / ${t(lang, 'chart.target')} ${formatTarget(targetOf(a, kind), lang)}${p.open}${formatPercent(r, lang)}${p.close}`;
  };
  const level = source.code === '000000' ? 'national' : source.level === 'province' ? 'province' : 'prefecture';
  const [width, height] = SIZE[level];
  const title = t(lang, kind === 'urban' ? 'overview.map.urban' : 'overview.map.rural');
  const options: AreaMapOptions = {
    features: map.features,
    context: map.context,
    lines: map.lines,
    values,
    width,
    height,
    title,
    desc: t(lang, 'overview.map.alt', {
      kind: kindLabel,
      summary: map.features.map((f) => `${nameOf(f.properties.code)} ${formatPercent(values.get(f.properties.code) ?? null, lang)}`).join(p.semicolon),
    }),
    id: `map-${source.code}-${kind}`,
    label: nameOf,
    tooltip,
    href: (code) => (pages.has(code) ? link(`/areas/${code}/`) : ''),
    bins: ATTAINMENT_BINS,
    colors: ATTAINMENT_PALETTE,
    legendTitle: t(lang, 'map.legend.title'),
    binLabels: attainmentBinLabels(ATTAINMENT_BINS, (r) => formatPercent(r, lang)),
    noDataLabel: t(lang, 'map.no_data'),
    contextLabel: t(lang, 'areamap.context'),
    inset: insetFor(source.code),
    fontSize: 12,
  };
  const rows: ChildRow[] = [...children.values()]
    .sort((x, y) => (x.code < y.code ? -1 : 1))
    .map((a) => {
      const required = kind === 'urban' ? a.urban_required : a.rural_required;
      return {
        code: a.code,
        name: a.name,
        href: pages.has(a.code) ? localePath(lang, `/areas/${a.code}/`) : null,
        value: formatDensity(a.has_data ? perUnit(a, kind) : null, lang),
        target: formatTarget(targetOf(a, kind), lang),
        attainment: formatPercent(attainment(a, kind), lang),
        required: formatInt(required, lang),
        status: statusText(statusOf(a, kind), lang),
        raw: { value: a.has_data ? perUnit(a, kind) : null, target: targetOf(a, kind), attainment: attainment(a, kind), required, status: statusOf(a, kind) },
      };
    });
  return { kind, title, options, rows, nameOf, notDrawn: map.not_drawn ?? [] };
}

// renderMaps false: the briefing shows the maps as their figure files (src/lib/site/views/figures.ts), so only the
// locator and the list of children not drawn are made here.
export function areaMapView(source: AreaAggregate, data: SiteData, lang: Lang, renderMaps = true) {
  const maps = DENSITY_KINDS.filter(() => renderMaps).flatMap((kind: DensityKind) => {
    const parts = areaMapParts(source, data, lang, kind);
    if (!parts) return [];
    const rendered = renderAreaMap(parts.options);
    return [{ kind, title: parts.title, svg: rendered.svg, unlabelled: rendered.unlabelled.map(parts.nameOf), rows: parts.rows }];
  });
  const map = source.level === 'county' ? null : data.mapOf(source.code);
  const notDrawn = (map?.not_drawn ?? []).map((n) => ({ code: n.code, name: n.name, reason: lang === 'en' ? n.reason_en : n.reason_zh }));
  const locator = source.level === 'county' ? data.locatorOf(source.code) : null;
  const highlight =
    locator && locator.highlighted
      ? renderLocatorHighlight({
          ...LOCATOR_SIZE,
          features: locator.frame.features,
          context: locator.frame.context,
          highlighted: locator.highlighted,
          title: t(lang, 'areamap.locator', { name: inLang(source, lang).name }),
          desc: t(lang, 'areamap.locator_desc', { name: inLang(source, lang).name, frame: data.area(locator.frame.code) ? inLang(data.area(locator.frame.code)!, lang).name : locator.frame.code }),
          id: `locator-${source.code}`,
        })
      : null;
  // the frame is the shared file (locatorFrames, written by scripts/figure-files.ts); only the highlight is inline
  const locatorView = highlight && locator ? { src: withBase(locatorFrameRoute(locator.frame.code)), svg: highlight, ...LOCATOR_SIZE } : null;
  return { maps, notDrawn, locator: locatorView };
}

export const LOCATOR_SIZE = { width: 240, height: 200 } as const;

/** Where a locator frame's shared image lives: one file per frame (prefecture, or province for 直辖市 districts). */
export const locatorFrameRoute = (frame: string) => `/figures/locators/${frame}.svg`;

/**
 * Every locator frame image of the site, once per frame (route → SVG file), in code order: the grey layer under
 * each county briefing's inline highlight (areaMapView).
 */
export function locatorFrames(data: SiteData): Map<string, string> {
  const out = new Map<string, string>();
  const counties = data.areas().filter((a) => a.level === 'county').map((a) => a.code).sort();
  for (const code of counties) {
    const l = data.locatorOf(code);
    if (!l || !l.highlighted) continue;
    const route = locatorFrameRoute(l.frame.code);
    if (out.has(route)) continue;
    out.set(route, renderLocatorFrame({ ...LOCATOR_SIZE, features: l.frame.features, context: l.frame.context, highlighted: null, title: '', desc: '', id: 'frame' }));
  }
  return out;
}

/** An area's attainment (density ÷ its own target, the maps' colour) as text and raw value, for a table cell. */
export const attainmentCell = (a: AreaAggregate, kind: DensityKind, lang: Lang) => ({ text: formatPercent(attainment(a, kind), lang), sort: attainment(a, kind) });
