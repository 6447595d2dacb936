import { t, type Lang } from '../../../i18n/strings';
import { localePath } from '../../../i18n/paths';
import { NATIONAL_CODE } from '../../core/area-codes';
import type { PublishedSite } from '../../model/published-site';
import type { SiteData } from '../data';
import { formatDate, formatInt, formatTarget, punct } from '../format';
import { inLang } from '../select';

type Figure = PublishedSite['figures'][number];
type Inference = PublishedSite['inferences'][number];

export interface FigureView {
  id: string;
  area_code: string;
  area: string;
  /** Link to the area's briefing when the build has a page for it. */
  area_href: string | null;
  metric: string;
  definition: string;
  /** "不少于 1,750,000 个" / "at least 1,750,000": the comparator is part of the figure. */
  value: string;
  as_of: string;
  published_on: string | null;
  source_title: string;
  source_url: string;
  publisher: string;
  reliability: string;
  reliability_key: Figure['reliability'];
  quote: string;
  definition_note: string | null;
  /** What the figure says about the density targets (model/requirements.ts), in the page's language. */
  inference: string[];
  conclusive: boolean;
}

function figureView(site: PublishedSite, figure: Figure, inference: Inference | undefined, data: SiteData, lang: Lang): FigureView {
  const en = lang === 'en';
  const metric = site.metrics[figure.metric as keyof PublishedSite['metrics']];
  const comparator = site.comparators[figure.comparator];
  const number = Number.isInteger(figure.value) ? formatInt(figure.value, lang) : formatTarget(figure.value, lang);
  const qualifier = figure.comparator === 'eq' ? '' : `${en ? comparator.en : comparator.zh}${en ? ' ' : ''}`;
  const unit = figure.unit === '%' ? '%' : en ? '' : ` ${figure.unit}`;
  const page = figure.area_code === NATIONAL_CODE || data.meta().area_codes.includes(figure.area_code);
  const area = data.area(figure.area_code);
  return {
    id: figure.id,
    area_code: figure.area_code,
    area: figure.area_code === NATIONAL_CODE ? t(lang, 'area.national') : area ? inLang(area, lang).name : figure.area_name,
    area_href: page && data.meta().area_codes.includes(figure.area_code) ? localePath(lang, `/areas/${figure.area_code}/`) : null,
    metric: metric ? (en ? metric.label_en : metric.label_zh) : figure.metric,
    definition: metric ? (en ? metric.definition_en : metric.definition_zh) : '',
    value: `${qualifier}${number}${unit}`,
    as_of: figure.as_of_precision === 'year' ? figure.as_of.slice(0, 4) : formatDate(figure.as_of, lang),
    published_on: figure.published_on ? formatDate(figure.published_on, lang) : null,
    source_title: figure.source_title,
    source_url: figure.source_url,
    publisher: figure.publisher,
    reliability: en ? site.reliability[figure.reliability].en : site.reliability[figure.reliability].zh,
    reliability_key: figure.reliability,
    quote: figure.quote,
    definition_note: figure.definition_note || null,
    inference: inference ? (en ? inference.sentences_en : inference.sentences_zh) : [],
    conclusive: inference?.conclusive ?? false,
  };
}

/** One area's published figures (the "published figures" block of its briefing). */
export function publishedForArea(code: string, data: SiteData, lang: Lang): FigureView[] {
  const site = data.published();
  return data.publishedFor(code).map(({ figure, inference }) => figureView(site, figure, inference, data, lang));
}

/** /published/: every published figure, grouped by area (national first, then by code). */
export function publishedView(data: SiteData, lang: Lang) {
  const site = data.published();
  const codes = [...new Set(site.figures.map((f) => f.area_code))].sort();
  const groups = codes.map((code) => {
    const figures = publishedForArea(code, data, lang);
    return { code, area: figures[0].area, href: figures[0].area_href, figures };
  });
  const p = punct(lang);
  return {
    total: site.figures.length,
    groups,
    source: site.source_file,
    lead: t(lang, 'published.lead', { n: site.figures.length, areas: groups.length }),
    separator: p.semicolon,
  };
}
