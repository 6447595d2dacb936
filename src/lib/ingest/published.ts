/**
 * Published figures (data/published/figures.csv): real aggregate figures that authorities or official media
 * published, each with its source, date and the sentence it comes from. Real whatever dataset is loaded.
 * The file is curated by hand (rules in data/published/README.md), so any problem stops the read with every
 * problem listed by file, line, column and reason.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseCsvRecords } from './csv';
import type { Cell } from './table';

export const PUBLISHED_FIGURES_PATH = 'data/published/figures.csv';
export const NATIONAL_CODE = '000000';
export const NATIONAL_NAME = '全国';

/** Who is counted: keeps 社区社会组织 apart from 社会组织 (registered social organizations) and from communities. */
export type Population = 'cso' | 'social_org' | 'community';
/** What kind of number the metric is. */
export type Measure = 'count' | 'per_urban_unit' | 'per_rural_unit' | 'percent' | 'per_10k_population';
/**
 * How a count of community social organizations relates to the total at its date:
 * the total itself, a part of it (registered only, filed only), or unclear (the text may mean the stock or
 * the year's intake). Only for counts of organizations.
 */
export type TotalRelation = 'total' | 'part' | 'stock_or_intake';

export interface PublishedMetric {
  label_zh: string;
  label_en: string;
  definition_zh: string;
  definition_en: string;
  /** Units the figure may be stated in, as the source writes them (个 and 家 are both used for organizations). */
  units: readonly string[];
  population: Population;
  measure: Measure;
  /** Counts of organizations only: how the figure relates to the total number of organizations. */
  total_relation?: TotalRelation;
  /** A live registry count (a moment in a database), not a year-end statistic. */
  live?: boolean;
  /** The quote must contain each of these words (keeps the metric honest to the sentence). */
  quote_requires?: readonly string[];
  /** The quote must contain none of these words. */
  quote_forbids?: readonly string[];
}

const ORG_UNITS = ['个', '家'] as const;
const NOT_CSO = ['社区社会组织'] as const;

/** The published-figures vocabulary. Add a metric here (and to data/published/README.md) before using it. */
export const PUBLISHED_METRICS = {
  cso_total: {
    label_zh: '社区社会组织总数',
    label_en: 'Community social organizations, total',
    definition_zh: '某一日期的社区社会组织存量（登记和备案合计）。',
    definition_en: 'Community social organizations at a date, registered (登记) and filed (备案) together: a stock.',
    units: ORG_UNITS, population: 'cso', measure: 'count', total_relation: 'total', quote_requires: ['社区社会组织'],
  },
  cso_registered: {
    label_zh: '登记的社区社会组织数',
    label_en: 'Community social organizations, registered (登记)',
    definition_zh: '在民政部门登记的社区社会组织（也计入社会组织总数），不含备案的。',
    definition_en: 'Community social organizations registered with civil affairs (also counted among social organizations); filed ones excluded.',
    units: ORG_UNITS, population: 'cso', measure: 'count', total_relation: 'part', quote_requires: ['社区社会组织', '登记'],
  },
  cso_filed: {
    label_zh: '备案的社区社会组织数',
    label_en: 'Community social organizations, filed (备案)',
    definition_zh: '在街道（乡镇）或民政部门备案、未登记的社区社会组织；是总数的一部分。',
    definition_en: 'Community social organizations filed (备案) with a sub-district, township or civil affairs, not registered: part of the total.',
    units: ORG_UNITS, population: 'cso', measure: 'count', total_relation: 'part', quote_requires: ['社区社会组织', '备案'],
  },
  cso_cultivated: {
    label_zh: '培育发展的社区社会组织数',
    label_en: 'Community social organizations cultivated (培育发展)',
    definition_zh: '原文为“培育发展/孵化培育……个”：未说明是某日的存量还是期间新培育的数量。',
    definition_en: 'The text says "培育发展/孵化培育 … organizations": it does not say whether this is the stock at a date or the number cultivated in a period.',
    units: ORG_UNITS, population: 'cso', measure: 'count', total_relation: 'stock_or_intake', quote_requires: ['社区社会组织', '培育'],
  },
  cso_per_urban_community: {
    label_zh: '城市社区平均拥有社区社会组织数',
    label_en: 'Community social organizations per urban community',
    definition_zh: '发布方计算的城市社区（居委会）平均拥有社区社会组织个数。',
    definition_en: 'Average number of community social organizations per urban community (居委会), as computed by the publisher.',
    units: ['个/社区'], population: 'cso', measure: 'per_urban_unit', quote_requires: ['城市社区', '社区社会组织'],
  },
  cso_per_rural_community: {
    label_zh: '农村社区平均拥有社区社会组织数',
    label_en: 'Community social organizations per rural community',
    definition_zh: '发布方计算的农村社区（村委会）平均拥有社区社会组织个数。',
    definition_en: 'Average number of community social organizations per rural community (村委会), as computed by the publisher.',
    units: ['个/社区'], population: 'cso', measure: 'per_rural_unit', quote_requires: ['农村社区', '社区社会组织'],
  },
  cso_hub_orgs: {
    label_zh: '枢纽型社区社会组织数（含联合会）',
    label_en: 'Hub community organizations (incl. federations)',
    definition_zh: '联合会等枢纽型社区社会组织的个数；不是示范点数，也不是覆盖率。',
    definition_en: 'Number of hub community organizations such as federations (联合会); not demonstration sites, not a coverage rate.',
    units: ORG_UNITS, population: 'cso', measure: 'count', quote_requires: ['枢纽型'],
  },
  cso_incubation_platforms: {
    label_zh: '社区社会组织孵化平台数',
    label_en: 'Incubation platforms for community organizations',
    definition_zh: '为社区社会组织建成的孵化平台个数（发布方的用语）。',
    definition_en: 'Incubation platforms built for community social organizations (the publisher’s term).',
    units: ['个'], population: 'cso', measure: 'count', quote_requires: ['孵化平台'],
  },
  cso_backbone_talent_persons: {
    label_zh: '社区社会组织骨干人才数（人）',
    label_en: 'Backbone talent of community organizations (persons)',
    definition_zh: '社区社会组织骨干人才人数（人，不是培训人次）。',
    definition_en: 'Number of backbone people of community social organizations (persons, not training person-times).',
    units: ['人'], population: 'cso', measure: 'count', quote_requires: ['骨干'],
  },
  cso_training_persons: {
    label_zh: '社区社会组织培训人数（人）',
    label_en: 'Persons trained (community organization leaders and staff)',
    definition_zh: '接受培训的社区社会组织负责人、骨干的人数；一人多次培训只计一人，不是人次。',
    definition_en: 'People of community social organizations trained: each person once, however often trained; not person-times.',
    units: ['人', '名'], population: 'cso', measure: 'count', quote_requires: ['培训'],
  },
  cso_training_person_times: {
    label_zh: '社区社会组织培训人次',
    label_en: 'Training person-times (community organization leaders and staff)',
    definition_zh: '社区社会组织骨干人才培训的人次：一人每参加一次计一次。',
    definition_en: 'Training person-times of community organization backbone staff: one per person per training.',
    units: ['人次'], population: 'cso', measure: 'count', quote_requires: ['培训', '人次'],
  },
  cso_brand_orgs: {
    label_zh: '品牌社区社会组织数',
    label_en: 'Brand community organizations',
    definition_zh: '经认定的品牌社区社会组织个数。',
    definition_en: 'Community social organizations recognized as brand organizations.',
    units: ORG_UNITS, population: 'cso', measure: 'count', quote_requires: ['品牌', '社区社会组织'],
  },
  cso_linli_activities: {
    label_zh: '“邻里守望”关爱行动社区服务活动数',
    label_en: 'Community service activities of the "邻里守望" care campaign',
    definition_zh: '社区社会组织在“邻里守望”关爱行动中开展的社区服务活动项数（期间累计）。',
    definition_en: 'Community service activities held by community organizations in the "邻里守望" care campaign (cumulative over the period).',
    units: ['项'], population: 'cso', measure: 'count', quote_requires: ['活动'],
  },
  cso_linli_beneficiaries: {
    label_zh: '“邻里守望”关爱行动受益群众数',
    label_en: 'Beneficiaries of the "邻里守望" care campaign',
    definition_zh: '“邻里守望”关爱行动服务受益的群众人数（期间累计，发布方口径）。',
    definition_en: 'People served by the "邻里守望" care campaign (cumulative over the period, as the publisher counts them).',
    units: ['人'], population: 'cso', measure: 'count', quote_requires: ['受益'],
  },
  cso_plan_completion_pct: {
    label_zh: '专项行动目标完成比例',
    label_en: 'Share of the action plan’s targets completed',
    definition_zh: '发布方报告的本地专项行动（三年行动计划）目标完成比例；口径由发布方确定。',
    definition_en: 'Share of the local action plan’s (三年行动计划) targets completed, as the publisher reports it; its definition is the publisher’s.',
    units: ['%'], population: 'cso', measure: 'percent', quote_requires: ['目标'],
  },
  social_orgs_total: {
    label_zh: '社会组织总数',
    label_en: 'Social organizations, total (社会组织)',
    definition_zh: '在民政部门登记的社会组织（社会团体、社会服务机构、基金会）总数；不是社区社会组织。',
    definition_en: 'Social organizations registered with civil affairs (social groups, social service agencies, foundations); not community social organizations.',
    units: ORG_UNITS, population: 'social_org', measure: 'count', quote_forbids: NOT_CSO,
  },
  social_orgs_platform_live: {
    label_zh: '中国社会组织网平台登记数（实时）',
    label_en: 'Social organizations on the national registry platform (live count)',
    definition_zh: '中国社会组织网平台在某一时刻收录或累计登记的社会组织数；实时数，不是年末统计数。',
    definition_en: 'Social organizations listed or registered on the 中国社会组织网 platform at a moment: a live registry count, not a year-end statistic.',
    units: ORG_UNITS, population: 'social_org', measure: 'count', live: true, quote_forbids: NOT_CSO,
  },
  social_groups_total: {
    label_zh: '社会团体数',
    label_en: 'Social groups (社会团体)',
    definition_zh: '登记的社会团体数，社会组织的一类。',
    definition_en: 'Registered social groups (社会团体), one kind of social organization.',
    units: ORG_UNITS, population: 'social_org', measure: 'count', quote_forbids: NOT_CSO,
  },
  social_service_agencies_total: {
    label_zh: '社会服务机构数',
    label_en: 'Social service agencies (社会服务机构)',
    definition_zh: '登记的社会服务机构（原民办非企业单位）数，社会组织的一类。',
    definition_en: 'Registered social service agencies (formerly 民办非企业单位), one kind of social organization.',
    units: ORG_UNITS, population: 'social_org', measure: 'count', quote_requires: ['社会服务机构'], quote_forbids: NOT_CSO,
  },
  social_orgs_per_10k_population: {
    label_zh: '每万人拥有社会组织数',
    label_en: 'Social organizations per 10,000 residents',
    definition_zh: '社会组织数 ÷ 常住人口（万人），发布方计算。',
    definition_en: 'Social organizations per 10,000 residents, as computed by the publisher.',
    units: ['家/万人', '个/万人'], population: 'social_org', measure: 'per_10k_population', quote_requires: ['万人'], quote_forbids: NOT_CSO,
  },
  social_org_brand_orgs: {
    label_zh: '品牌社会组织数',
    label_en: 'Brand social organizations (社会组织)',
    definition_zh: '发布方称为品牌或特色的社会组织个数；是社会组织，不是品牌社区社会组织。',
    definition_en: 'Social organizations the publisher names as brand or signature organizations: social organizations, not brand community organizations.',
    units: ORG_UNITS, population: 'social_org', measure: 'count', quote_requires: ['社会组织'], quote_forbids: NOT_CSO,
  },
  social_org_incubation_bases: {
    label_zh: '社会组织孵化基地数',
    label_en: 'Incubation bases for social organizations',
    definition_zh: '建成的社会组织孵化基地个数。',
    definition_en: 'Incubation bases built for social organizations.',
    units: ['个'], population: 'social_org', measure: 'count', quote_requires: ['孵化基地'],
  },
  resident_committees: {
    label_zh: '居民委员会数',
    label_en: 'Residents’ committees (居委会)',
    definition_zh: '居民委员会（城市社区）个数，民政统计口径。',
    definition_en: 'Residents’ committees (urban communities), as civil affairs statistics count them.',
    units: ['个'], population: 'community', measure: 'count', quote_requires: ['居委会'],
  },
  villager_committees: {
    label_zh: '村民委员会数',
    label_en: 'Villagers’ committees (村委会)',
    definition_zh: '村民委员会（农村社区）个数，民政统计口径。',
    definition_en: 'Villagers’ committees (rural communities), as civil affairs statistics count them.',
    units: ['个'], population: 'community', measure: 'count', quote_requires: ['村委会'],
  },
  community_service_facility_coverage_urban: {
    label_zh: '城市社区综合服务设施覆盖率',
    label_en: 'Urban communities with a community service facility',
    definition_zh: '有社区综合服务设施的城市社区所占比例。',
    definition_en: 'Share of urban communities with a community service facility.',
    units: ['%'], population: 'community', measure: 'percent', quote_requires: ['城市社区', '覆盖率'],
  },
  community_service_facility_coverage_rural: {
    label_zh: '农村社区综合服务设施覆盖率',
    label_en: 'Rural communities with a community service facility',
    definition_zh: '有社区综合服务设施的农村社区所占比例。',
    definition_en: 'Share of rural communities with a community service facility.',
    units: ['%'], population: 'community', measure: 'percent', quote_requires: ['农村社区', '覆盖率'],
  },
} as const satisfies Record<string, PublishedMetric>;

export type PublishedMetricId = keyof typeof PUBLISHED_METRICS;
export const PUBLISHED_METRIC_IDS = Object.keys(PUBLISHED_METRICS) as [PublishedMetricId, ...PublishedMetricId[]];
export const metricInfo = (id: PublishedMetricId): PublishedMetric => PUBLISHED_METRICS[id];

/** How the figure relates to the true value: what the source's words (超过, 约 …) say. */
export const FIGURE_COMPARATORS = {
  eq: { zh: '为', en: 'is', words_zh: '无限定词（为、达、达到、共有）', words_en: 'no qualifier (为, 达, 达到, 共有)' },
  gte: { zh: '不少于', en: 'at least', words_zh: '超过、突破、逾、不少于、至少、以上、余、多', words_en: '超过, 突破, 逾, 不少于, 至少, 以上, 余, 多' },
  lte: { zh: '不超过', en: 'at most', words_zh: '不到、不足、少于、不超过、低于、以下', words_en: '不到, 不足, 少于, 不超过, 低于, 以下' },
  approx: { zh: '约', en: 'about', words_zh: '约、大约、近、左右、上下', words_en: '约, 大约, 近, 左右, 上下' },
} as const;
export type FigureComparator = keyof typeof FIGURE_COMPARATORS;

/** The research note's three source ratings (data/published/sources/published-figures.md, "Reliability"). */
export const RELIABILITY = {
  high: { zh: '最可靠（民政部门网站、政府门户、引用民政部门的官方媒体、统计公报）', en: 'most reliable (civil affairs sites, government portals, state media citing the bureau, the statistical bulletin)' },
  check_original: { zh: '可用，但应先核对原文', en: 'usable, but check the original first' },
  weak: { zh: '弱（聚合站、垃圾镜像、插入拼音的转载）', en: 'weak (aggregators, spam mirrors, pinyin-injected copies)' },
} as const;
export type Reliability = keyof typeof RELIABILITY;

/** day: the date is known; month / year: only the month or year is, and as_of is its last day. */
export const AS_OF_PRECISIONS = ['day', 'month', 'year'] as const;
/** stated: the text dates the figure; published: it does not, and as_of is the (first known) publication date. */
export const AS_OF_BASES = ['stated', 'published'] as const;

export const PUBLISHED_COLUMNS = [
  'id', 'area_code', 'area_name', 'metric', 'comparator', 'value', 'unit', 'as_of', 'as_of_precision', 'as_of_basis',
  'period_start', 'published_on', 'source_title', 'source_url', 'publisher', 'quote', 'reliability', 'definition_note',
] as const;
export type PublishedColumn = (typeof PUBLISHED_COLUMNS)[number];

// ---------------------------------------------------------------- numbers in Chinese text

const MULTIPLIER: Record<string, number> = { 万: 4, 萬: 4, 亿: 8, 億: 8 };
/** Qualifier words before and after a number; the longest match wins (不超过 is lte, not the 超过 it ends with). */
const BEFORE: [string, FigureComparator][] = [
  ['不少于', 'gte'], ['超过', 'gte'], ['突破', 'gte'], ['逾', 'gte'], ['至少', 'gte'], ['多于', 'gte'], ['大于', 'gte'], ['高于', 'gte'],
  ['不超过', 'lte'], ['不到', 'lte'], ['不足', 'lte'], ['少于', 'lte'], ['低于', 'lte'], ['小于', 'lte'],
  ['大约', 'approx'], ['约', 'approx'], ['近', 'approx'],
];
const AFTER: [string, FigureComparator][] = [
  ['余', 'gte'], ['多', 'gte'], ['以上', 'gte'],
  ['以下', 'lte'],
  ['左右', 'approx'], ['上下', 'approx'],
];
const longestFirst = (list: [string, FigureComparator][]) => [...list].sort((a, b) => b[0].length - a[0].length);
const BEFORE_SORTED = longestFirst(BEFORE);
const AFTER_SORTED = longestFirst(AFTER);

export interface NumberInText {
  value: number;
  raw: string;
  index: number;
  /** The comparator the surrounding words imply (超过 → gte, 约 → approx, none → eq). */
  comparator: FigureComparator;
}

/** Decimal string × 10^exp without binary rounding: "80.5190" × 10^4 → 805190. */
function scaleDecimal(intPart: string, frac: string, exp: number): number {
  const digits = intPart + frac;
  const point = intPart.length + exp;
  const s = point >= digits.length ? digits + '0'.repeat(point - digits.length) : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return Number(s);
}

const CN_DIGIT: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const CN_SMALL: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };
const CN_BIG: Record<string, number> = { 万: 1e4, 萬: 1e4, 亿: 1e8, 億: 1e8 };

/** 三千二百 → 3200, 十一 → 11, 一万五千 → 15000, 二〇二一 → 2021, 一点五万 → 15000; null when not a well-formed numeral. */
export function parseChineseNumeral(s: string): number | null {
  if (!/[零〇一二两三四五六七八九十]/.test(s)) return null;
  const [whole, frac] = s.split('点');
  if (frac !== undefined) {
    // 一点五万: digits after 点, then at most one big unit
    const m = /^([零〇一二两三四五六七八九]+)([万萬亿億]?)$/.exec(frac);
    const w = parseChineseNumeral(whole);
    if (!m || w === null) return null;
    const f = [...m[1]].map((c) => CN_DIGIT[c]).join('');
    return scaleDecimal(String(w), f, m[2] ? Math.log10(CN_BIG[m[2]]) : 0);
  }
  if ([...s].every((c) => c in CN_DIGIT)) return Number([...s].map((c) => CN_DIGIT[c]).join('')); // 二〇二一
  let total = 0;
  let section = 0;
  let digit: number | null = null;
  for (const c of s) {
    if (c in CN_DIGIT) {
      if (digit !== null) return null; // two digits without a unit between: not a numeral
      digit = CN_DIGIT[c];
    } else if (c in CN_SMALL) {
      section += (digit ?? 1) * CN_SMALL[c];
      digit = null;
    } else if (c in CN_BIG) {
      section += digit ?? 0;
      if (section === 0) return null;
      total += section * CN_BIG[c];
      section = 0;
      digit = null;
    } else return null;
  }
  return total + section + (digit ?? 0);
}

function qualifierAround(text: string, start: number, end: number): FigureComparator {
  const before = text.slice(Math.max(0, start - 4), start).replace(/\s+$/, '');
  // skip one unit word after the number (40余家, 1.1万多个 → 余, 多)
  const after = text.slice(end).replace(/^\s+/, '').replace(/^(个|家|人次|人|项|名)(?=余|多|以上|以下|左右|上下)/, '');
  const hit = BEFORE_SORTED.find(([w]) => before.endsWith(w)) ?? AFTER_SORTED.find(([w]) => after.startsWith(w));
  return hit ? hit[1] : 'eq';
}

/**
 * Every number a sentence states, as a plain value: 18.34万 → 183400, 90.2 万 → 902000, 1,750,000 → 1750000,
 * 4.3925萬 → 43925, 三千 → 3000, with the comparator its surrounding words imply. Text is NFKC-normalised first
 * (full-width digits and ％).
 */
export function numbersInText(input: string): NumberInText[] {
  const text = input.normalize('NFKC');
  const out: NumberInText[] = [];
  const arabic = /(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(\s*[万萬亿億])?/g;
  const taken: [number, number][] = [];
  for (const m of text.matchAll(arabic)) {
    const intPart = m[1].replace(/,/g, '');
    const mult = m[3] ? MULTIPLIER[m[3].trim()] : 0;
    const start = m.index!;
    const end = start + m[0].length;
    taken.push([start, end]);
    out.push({ value: scaleDecimal(intPart, m[2] ?? '', mult), raw: m[0], index: start, comparator: qualifierAround(text, start, end) });
  }
  for (const m of text.matchAll(/[零〇一二两三四五六七八九十百千万萬亿億点]+/g)) {
    const start = m.index!;
    if (taken.some(([a, b]) => start >= a && start < b)) continue; // the 万 of "18.34万"
    const value = parseChineseNumeral(m[0]);
    if (value === null) continue;
    out.push({ value, raw: m[0], index: start, comparator: qualifierAround(text, start, start + m[0].length) });
  }
  return out.sort((a, b) => a.index - b.index);
}

const sameNumber = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

// ---------------------------------------------------------------- schema

function isCalendarDate(s: string): boolean {
  const [y, m, d] = s.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}
const lastDayOfMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '应为 ISO 日期 yyyy-mm-dd / expected an ISO date yyyy-mm-dd')
  .refine(isCalendarDate, '不是有效日期 / not a calendar date');
/** A publication date may be reduced precision when the page gives only the month. */
const PublicationDate = z
  .string()
  .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, '应为 yyyy-mm-dd（只知月份时 yyyy-mm，只知年份时 yyyy） / expected yyyy-mm-dd (yyyy-mm or yyyy when the page gives no day)')
  .refine((s) => s.length < 10 || isCalendarDate(s), '不是有效日期 / not a calendar date');

const text = (zh: string, en: string) => z.string().trim().min(1, `${zh}不能为空 / ${en} must not be empty`);
const optional = <T extends z.ZodTypeAny>(schema: T) => z.preprocess((v) => (v === '' ? null : v), schema.nullable());
const oneOf = <T extends readonly [string, ...string[]]>(values: T, zh: string, en: string) =>
  z.enum(values, {
    errorMap: (issue, ctx) =>
      issue.code === 'invalid_enum_value'
        ? { message: `未知的${zh} ${JSON.stringify(issue.received)}（可用：${values.join('、')}） / unknown ${en} ${JSON.stringify(issue.received)} (expected one of: ${values.join(', ')})` }
        : { message: ctx.defaultError },
  });

/** Plain decimal number as written in the file: no 万, no thousands separators, no sign. */
const PlainNumber = z
  .string()
  .regex(/^\d+(\.\d+)?$/, '应为不带单位和千分位的数字（18.34万写作 183400） / expected a plain number without unit or thousands separators (18.34万 → 183400)')
  .transform(Number);

/**
 * One row of figures.csv. Field rules first, then the rules between fields (unit allowed for the metric, dates in
 * order, the value and its qualifier in the quote, the quote's words matching the metric's definition).
 */
export const PublishedFigureSchema = z
  .object({
    id: z.string().regex(/^\d{6}-\d{4}(-\d{2}){0,2}-[a-z0-9]+(-[a-z0-9]+)*$/, 'id 应为 <区划代码>-<日期>-<指标>（小写、连字符） / id must be <area code>-<date>-<metric> (lowercase, hyphens)'),
    area_code: z.string().regex(/^\d{6}$/, '应为6位区划代码（全国为000000） / expected a 6-digit area code (000000 for China)'),
    area_name: text('地区名称', 'area_name'),
    metric: oneOf(PUBLISHED_METRIC_IDS, '指标', 'metric'),
    comparator: oneOf(Object.keys(FIGURE_COMPARATORS) as [FigureComparator, ...FigureComparator[]], '比较符', 'comparator'),
    value: PlainNumber,
    unit: text('单位', 'unit'),
    as_of: IsoDate,
    as_of_precision: oneOf(AS_OF_PRECISIONS, '日期精度', 'as_of_precision'),
    as_of_basis: oneOf(AS_OF_BASES, '日期依据', 'as_of_basis'),
    period_start: optional(IsoDate),
    published_on: optional(PublicationDate),
    source_title: text('来源标题', 'source_title'),
    source_url: z.string().regex(/^https?:\/\/[^\s/]+\.[^\s]+$/, '应为以 http(s):// 开头的网址 / expected an http(s):// URL'),
    publisher: text('发布方', 'publisher'),
    quote: text('原文', 'quote').refine((q) => !/[\r\n]/.test(q), '原文不能含换行 / quote must not contain line breaks'),
    reliability: oneOf(Object.keys(RELIABILITY) as [Reliability, ...Reliability[]], '可靠性评级', 'reliability'),
    definition_note: text('口径说明', 'definition_note'),
  })
  .strict()
  .superRefine((f, ctx) => {
    const issue = (path: PublishedColumn, message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, path: [path], message });
    const info: PublishedMetric = PUBLISHED_METRICS[f.metric];

    const expectedId = `${f.area_code}-${f.as_of.slice(0, f.as_of_precision === 'day' ? 10 : f.as_of_precision === 'month' ? 7 : 4)}-${f.metric.replace(/_/g, '-')}`;
    if (f.id !== expectedId && !f.id.startsWith(expectedId + '-'))
      issue('id', `id 应为 ${expectedId}（或其后加 -后缀） / id must be ${expectedId} (optionally with a -suffix)`);
    if (!info.units.includes(f.unit))
      issue('unit', `指标 ${f.metric} 的单位应为 ${info.units.join(' 或 ')}，而不是“${f.unit}” / metric ${f.metric} is stated in ${info.units.join(' or ')}, not "${f.unit}"`);
    if (info.measure === 'percent' && f.value > 100) issue('value', `百分比不能超过100：${f.value} / a percentage cannot exceed 100: ${f.value}`);

    const [y, m, d] = f.as_of.split('-').map(Number);
    if (f.as_of_precision === 'year' && !(m === 12 && d === 31))
      issue('as_of', `精度为 year 时 as_of 应为该年最后一天 ${y}-12-31 / with precision year, as_of must be the year's last day ${y}-12-31`);
    if (f.as_of_precision === 'month' && d !== lastDayOfMonth(y, m))
      issue('as_of', `精度为 month 时 as_of 应为该月最后一天 / with precision month, as_of must be the month's last day (${f.as_of.slice(0, 8)}${lastDayOfMonth(y, m)})`);
    if (f.period_start !== null && f.period_start > f.as_of)
      issue('period_start', `period_start ${f.period_start} 晚于 as_of ${f.as_of} / period_start is after as_of`);
    if (f.as_of_basis === 'published' && f.published_on === null)
      issue('published_on', '日期依据为 published 时须填发布日期 / as_of_basis published needs published_on');
    if (f.published_on !== null && f.as_of.slice(0, f.published_on.length) > f.published_on)
      issue('as_of', `as_of ${f.as_of} 晚于发布日期 ${f.published_on} / as_of is after the publication date`);

    const quote = f.quote.normalize('NFKC');
    for (const w of info.quote_requires ?? [])
      if (!quote.includes(w)) issue('quote', `指标 ${f.metric} 的原文应含“${w}” / the quote of a ${f.metric} figure must contain "${w}"`);
    for (const w of info.quote_forbids ?? [])
      if (quote.includes(w)) issue('quote', `原文含“${w}”，与指标 ${f.metric} 的口径不符 / the quote contains "${w}", which is not what ${f.metric} counts`);

    const numbers = numbersInText(f.quote).filter((n) => sameNumber(n.value, f.value));
    if (numbers.length === 0) {
      const stated = numbersInText(f.quote).map((n) => n.raw.trim());
      issue('value', `原文中没有数值 ${f.value}（原文中的数：${stated.join('、') || '无'}） / the value ${f.value} does not appear in the quote (it states: ${stated.join(', ') || 'no number'})`);
    } else if (!numbers.some((n) => n.comparator === f.comparator)) {
      const said = numbers[0].comparator;
      issue('comparator', `原文“${numbers[0].raw.trim()}”的限定词表示 ${said}，而不是 ${f.comparator} / the words around "${numbers[0].raw.trim()}" in the quote mean ${said}, not ${f.comparator}`);
    }
  });

export type PublishedFigure = z.infer<typeof PublishedFigureSchema>;

// ---------------------------------------------------------------- reading

export interface FigureProblem {
  file: string;
  line: number; // 1-based physical line; 0 for the whole file
  column: number | null; // 1-based
  column_name: string | null;
  zh: string;
  en: string;
}

export function formatProblem(p: FigureProblem): string {
  const where = [p.file, p.line > 0 ? String(p.line) : null, p.column !== null ? String(p.column) : null].filter((x) => x !== null).join(':');
  return `${where}${p.column_name ? ` (${p.column_name})` : ''}: ${p.zh} / ${p.en}`;
}

export class PublishedFiguresError extends Error {
  constructor(
    readonly file: string,
    readonly problems: FigureProblem[],
  ) {
    super(`${file}: 公开数字文件有 ${problems.length} 处问题 / invalid published figures (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
    this.name = 'PublishedFiguresError';
  }
}

export interface ReadPublishedOptions {
  /** Known 6-digit area codes → Chinese name (from the divisions); when given, codes and names are checked. */
  areaNames?: ReadonlyMap<string, string>;
}

/** Every message of the schema is "zh / en" (the first " / " separates them); split it back for FigureProblem. */
function splitMessage(message: string): { zh: string; en: string } {
  const i = message.indexOf(' / ');
  return i < 0 ? { zh: message, en: message } : { zh: message.slice(0, i), en: message.slice(i + 3) };
}

const cellString = (c: Cell | undefined): string => (c === null || c === undefined ? '' : String(c));

/** Parse and validate figures.csv text; throws PublishedFiguresError listing every problem. */
export function parsePublishedFigures(input: string, file: string, options: ReadPublishedOptions = {}): PublishedFigure[] {
  const problems: FigureProblem[] = [];
  const add = (line: number, column: number | null, zh: string, en: string) =>
    problems.push({ file, line, column, column_name: column === null ? null : (PUBLISHED_COLUMNS[column - 1] ?? null), zh, en });
  const source = input.replace(/^\uFEFF/, '');
  const records = parseCsvRecords(source, ',').filter((r) => !(r.cells.length === 1 && cellString(r.cells[0]).trim() === ''));
  if (records.length === 0) {
    add(0, null, '空文件', 'empty file');
    throw new PublishedFiguresError(file, problems);
  }
  const [header, ...rows] = records;
  const headerCells = header.cells.map(cellString);
  if (headerCells.join(',') !== PUBLISHED_COLUMNS.join(',')) {
    const missing = PUBLISHED_COLUMNS.filter((c) => !headerCells.includes(c));
    const extra = headerCells.filter((c) => !(PUBLISHED_COLUMNS as readonly string[]).includes(c));
    problems.push({
      file, line: header.line, column: null, column_name: null,
      zh: `表头应为 ${PUBLISHED_COLUMNS.join(',')}${missing.length ? `；缺少 ${missing.join(', ')}` : ''}${extra.length ? `；多出 ${extra.join(', ')}` : ''}${!missing.length && !extra.length ? '；列顺序不对' : ''}`,
      en: `the header must be ${PUBLISHED_COLUMNS.join(',')}${missing.length ? `; missing ${missing.join(', ')}` : ''}${extra.length ? `; unexpected ${extra.join(', ')}` : ''}${!missing.length && !extra.length ? '; columns out of order' : ''}`,
    });
    throw new PublishedFiguresError(file, problems);
  }

  const figures: PublishedFigure[] = [];
  const firstLine = new Map<string, number>();
  for (const record of rows) {
    if (record.problem) {
      add(record.line, null, record.problem.zh, record.problem.en);
      continue;
    }
    if (record.cells.length !== PUBLISHED_COLUMNS.length) {
      add(record.line, null, `应有 ${PUBLISHED_COLUMNS.length} 列，实有 ${record.cells.length} 列`, `expected ${PUBLISHED_COLUMNS.length} columns, found ${record.cells.length}`);
      continue;
    }
    const raw = Object.fromEntries(PUBLISHED_COLUMNS.map((c, i) => [c, cellString(record.cells[i])]));
    const result = PublishedFigureSchema.safeParse(raw);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const name = issue.path[0];
        const column = typeof name === 'string' ? PUBLISHED_COLUMNS.indexOf(name as PublishedColumn) + 1 : 0;
        const { zh, en } = splitMessage(issue.message);
        add(record.line, column > 0 ? column : null, zh, en);
      }
      continue;
    }
    const f = result.data;
    const col = (c: PublishedColumn) => PUBLISHED_COLUMNS.indexOf(c) + 1;
    const seen = firstLine.get(f.id);
    if (seen !== undefined) {
      add(record.line, col('id'), `id “${f.id}”重复（第 ${seen} 行已有）`, `duplicate id "${f.id}" (first on line ${seen})`);
      continue;
    }
    firstLine.set(f.id, record.line);
    if (options.areaNames) {
      const known = f.area_code === NATIONAL_CODE ? NATIONAL_NAME : options.areaNames.get(f.area_code);
      if (known === undefined) add(record.line, col('area_code'), `区划代码 ${f.area_code} 不在 2023 年统计用区划代码中`, `area code ${f.area_code} is not in the NBS 2023 division codes`);
      else if (known !== f.area_name) add(record.line, col('area_name'), `区划代码 ${f.area_code} 的名称是“${known}”，不是“${f.area_name}”`, `area ${f.area_code} is named "${known}", not "${f.area_name}"`);
    }
    figures.push(f);
  }
  if (problems.length) throw new PublishedFiguresError(file, problems);
  return figures;
}

/** Read data/published/figures.csv (or another path). */
export function readPublishedFigures(path: string = PUBLISHED_FIGURES_PATH, options: ReadPublishedOptions = {}): PublishedFigure[] {
  let textIn: string;
  try {
    textIn = readFileSync(path, 'utf8');
  } catch (err) {
    throw new PublishedFiguresError(path, [{ file: path, line: 0, column: null, column_name: null, zh: `无法读取文件：${(err as Error).message}`, en: `cannot read the file: ${(err as Error).message}` }]);
  }
  return parsePublishedFigures(textIn, path, options);
}

/** The quote's number that the figure's value is (for display and the value-in-quote test). */
export function valueInQuote(f: Pick<PublishedFigure, 'value' | 'quote' | 'comparator'>): NumberInText | null {
  return numbersInText(f.quote).find((n) => sameNumber(n.value, f.value) && n.comparator === f.comparator) ?? null;
}
