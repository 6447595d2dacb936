import { t, type Lang, type StringKey } from '../../i18n/strings';
import type { DeadlineStatus, SnapshotStatus } from '../core/types';
import { METRICS, type TargetMetric } from '../model/targets';

/**
 * Display formatting only: the numbers themselves come from build/site/*.json.
 * Intl with explicit options so output is the same on every machine with full ICU (Node ≥ 13 ships it).
 */
const locale = (lang: Lang) => (lang === 'zh-CN' ? 'zh-CN' : 'en-GB');

const NONE = '—';

export function formatInt(value: number | null | undefined, lang: Lang = 'zh-CN'): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NONE;
  return new Intl.NumberFormat(locale(lang), { maximumFractionDigits: 0, useGrouping: true }).format(value);
}

/** Per-community density: always two decimals, as published in areas.csv. */
export function formatDensity(value: number | null | undefined, lang: Lang = 'zh-CN'): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NONE;
  return new Intl.NumberFormat(locale(lang), { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value);
}

/** A target value: integers without decimals (15, not 15.00), fractional ones as given. */
export function formatTarget(value: number | null | undefined, lang: Lang = 'zh-CN'): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NONE;
  return new Intl.NumberFormat(locale(lang), { maximumFractionDigits: 2 }).format(value);
}

/** Ratio (0.83) as a whole percent ("83%"). */
export function formatPercent(ratio: number | null | undefined, lang: Lang = 'zh-CN'): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return NONE;
  return new Intl.NumberFormat(locale(lang), { style: 'percent', maximumFractionDigits: 0 }).format(ratio);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** ISO yyyy-mm-dd → "2024年12月31日" / "31 December 2024". Anything else is returned as written. */
export function formatDate(iso: string | null | undefined, lang: Lang = 'zh-CN'): string {
  if (!iso) return NONE;
  const m = ISO_DATE.exec(iso);
  if (!m) return iso;
  const [, y, mo, d] = m;
  if (lang === 'zh-CN') return `${Number(y)}年${Number(mo)}月${Number(d)}日`;
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  return `${Number(d)} ${months[Number(mo) - 1]} ${y}`;
}

/** A compact date for table cells and print: "31 Dec 2025" in English; Chinese dates are already short. */
export function formatDateShort(iso: string | null | undefined, lang: Lang = 'zh-CN'): string {
  const text = formatDate(iso, lang);
  return lang === 'zh-CN' ? text : text.replace(/ (January|February|March|April|May|June|July|August|September|October|November|December) /, (_, m: string) => ` ${m.slice(0, 3)} `);
}

export type AnyStatus = SnapshotStatus | DeadlineStatus;

/** Status is never conveyed by colour alone: every status has a symbol and a word. */
const STATUS_SYMBOL: Record<AnyStatus, string> = {
  met: '✓',
  not_met: '✗',
  on_track: '↗',
  off_track: '↘',
  missed: '✗',
  no_target: '—',
  no_data: '?',
};

export interface StatusLabel {
  status: AnyStatus;
  symbol: string;
  text: string;
}

export function statusLabel(status: AnyStatus, lang: Lang = 'zh-CN'): StatusLabel {
  return { status, symbol: STATUS_SYMBOL[status], text: t(lang, `status.${status}` as StringKey) };
}

/** "✓ 达标" — for plain-text contexts (table cells, SVG titles, alt text). */
export const statusText = (status: AnyStatus, lang: Lang = 'zh-CN') => {
  const l = statusLabel(status, lang);
  return `${l.symbol} ${l.text}`;
};

/** Comparators of the targets registry as printed: ">=" → "≥". */
export function formatComparator(comparator: string): string {
  const symbols: Record<string, string> = { '>=': '≥', '<=': '≤', '=': '=', '>': '>', '<': '<' };
  return symbols[comparator] ?? comparator;
}

/**
 * Texts the pipeline writes in both languages as "中文 / English" (progress notes, reasons): the page's half.
 * A text without the separator is returned whole.
 */
export function pickLang(text: string, lang: Lang = 'zh-CN'): string {
  // " / " is the separator; after full-width punctuation the space before the slash is often left out ("（虚构）/ sample").
  const m = / \/ |(?<=[\u3000-\u303f\uff00-\uffef])\/ /.exec(text);
  if (!m) return text;
  return lang === 'zh-CN' ? text.slice(0, m.index) : text.slice(m.index + m[0].length);
}

/** A label at the start of a sentence or heading: English capitalizes its first letter ("urban communities" → "Urban communities"). */
export const sentenceStart = (text: string, lang: Lang = 'zh-CN') => (lang === 'en' ? text.charAt(0).toUpperCase() + text.slice(1) : text);

/** Punctuation that differs between the languages: full-width in Chinese, ASCII with spaces in English. */
export function punct(lang: Lang) {
  return lang === 'zh-CN'
    ? { colon: '：', semicolon: '；', list: '、', comma: '，', sentence: '。', open: '（', close: '）' }
    : { colon: ': ', semicolon: '; ', list: ', ', comma: ', ', sentence: '. ', open: ' (', close: ')' };
}

/** Units of the targets registry in English; a unit not listed is shown as written. */
const UNIT_EN: Record<string, string> = {
  '个/社区': 'per community',
  '个/年': 'per year',
  '次/年': 'times a year',
  '人次': 'person-times',
  '家': 'organizations',
  '个': '',
  '%': '%',
};

/** A registry unit in the page's language ("个/社区" → "per community"). */
export function unitText(unit: string, lang: Lang = 'zh-CN'): string {
  return lang === 'zh-CN' ? unit : UNIT_EN[unit] ?? unit;
}

const CATEGORY_KEY: Record<string, StringKey> = {
  功能服务型: 'category.service',
  兴趣爱好型: 'category.hobby',
  志愿服务型: 'category.volunteer',
  公益慈善型: 'category.charity',
  其他: 'category.other',
};
const REGISTRATION_KEY: Record<string, StringKey> = { 登记: 'registration.registered', 备案: 'registration.filed' };

/** An organization category (功能服务型 …) in the page's language; unknown values as written. */
export const categoryText = (category: string, lang: Lang = 'zh-CN') => (CATEGORY_KEY[category] ? t(lang, CATEGORY_KEY[category]) : category);
/** A registration type (登记 / 备案) in the page's language. */
export const registrationText = (registration: string, lang: Lang = 'zh-CN') => (REGISTRATION_KEY[registration] ? t(lang, REGISTRATION_KEY[registration]) : registration);

/** A value in a target's unit: densities with two decimals (as areas.csv), percentages with "%", counts as given. */
export function formatMeasure(value: number | null | undefined, unit: string, lang: Lang = 'zh-CN'): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NONE;
  if (unit === '个/社区') return formatDensity(value, lang);
  if (unit === '%') return `${formatTarget(value, lang)}%`;
  return formatTarget(value, lang);
}

/** A value with its unit: "15.62 个/社区", "90.9%", "640 人次". */
export function formatWithUnit(value: number | null | undefined, unit: string, lang: Lang = 'zh-CN'): string {
  const text = formatMeasure(value, unit, lang);
  const shown = unitText(unit, lang);
  if (text === NONE || unit === '%' || shown === '') return text;
  return `${text} ${shown}`;
}

/** A registry metric's label in the page's language (the vocabulary of src/lib/model/targets.ts). */
export const metricLabel = (metric: TargetMetric, lang: Lang = 'zh-CN') => (lang === 'en' ? METRICS[metric].label_en : METRICS[metric].label_zh);

/**
 * The date a progress value refers to: "2024 年全年" for a per-year value of a whole year, else
 * "截至 …" (short date form on the briefing's paper-sized table); null when the row has no value.
 */
export function valueDateText(row: { current_as_of: string | null; unit: string }, lang: Lang, short = false): string | null {
  if (row.current_as_of === null) return null;
  if (row.unit.endsWith('/年') && row.current_as_of.endsWith('-12-31')) return t(lang, 'progress.year_value', { year: row.current_as_of.slice(0, 4) });
  return t(lang, 'progress.as_of', { date: short ? formatDateShort(row.current_as_of, lang) : formatDate(row.current_as_of, lang) });
}

/** Where a figure comes from (every figure says which): the loaded dataset, sample or real; a published figure; or real divisions × targets. */
export type FigureBasis = 'sample' | 'dataset' | 'published' | 'reference';
export const basisText = (basis: FigureBasis, lang: Lang = 'zh-CN') => t(lang, `basis.${basis}`);
/** The basis of the organization counts of a build: sample unless the dataset says it is real. */
export const datasetBasis = (sample: boolean): FigureBasis => (sample ? 'sample' : 'dataset');

/**
 * An English sentence that quotes Chinese (a clause, a source title) split into runs, so the Chinese runs can be
 * marked lang="zh-CN" for screen readers and fonts: "Target: “城市社区平均…” (吉林省…)".
 */
export function scriptRuns(text: string): { text: string; zh: boolean }[] {
  const runs: { text: string; zh: boolean }[] = [];
  const re = /[\u4e00-\u9fff][\u3000-\u303f\u4e00-\u9fff\uff00-\uffef0-9]*/g;
  let last = 0;
  for (const m of text.matchAll(re)) {
    if (m.index! > last) runs.push({ text: text.slice(last, m.index), zh: false });
    runs.push({ text: m[0], zh: true });
    last = m.index! + m[0].length;
  }
  if (last < text.length) runs.push({ text: text.slice(last), zh: false });
  return runs;
}
