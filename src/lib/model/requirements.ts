/**
 * What the density targets require, and what published figures can and cannot say about them. Pure: no I/O.
 *
 * - requiredOrganizations: target × units, urban and rural (the minimum a "城市社区平均拥有不少于N个" target implies).
 * - densityRequirement: the same for an area, with the targets in force at a date (src/lib/targets.ts) and the
 *   units of the NBS 2023 divisions (src/lib/divisions.ts, urban/rural by src/lib/classify.ts).
 * - compareWithRequirement: a published total against that minimum. Urban plus rural organizations can never
 *   exceed the total (some organizations are not based in any community), so a total below 10·U + 5·R proves that
 *   at least one of the two averages is below its target. Nothing else follows from a total alone.
 * - answerTarget: the published figure (data/published/figures.csv) that answers a registry target directly.
 */
import { DIVISIONS_SOURCE, type Divisions } from '../ingest/divisions';
import {
  PUBLISHED_METRICS,
  RELIABILITY,
  NATIONAL_CODE,
  type FigureComparator,
  type PublishedFigure,
  type PublishedMetric,
  type PublishedMetricId,
} from '../ingest/published';
import { yearsBetween } from './status';
import { codeLevel, codeWithin, densityTargetsAt, METRICS, type Registry, type Target, type TargetMetric } from './targets';

/** Cut-off date of the NBS 2023 division codes the units are counted from (see DIVISIONS_SOURCE in src/lib/divisions.ts). */
export const UNITS_AS_OF = '2023-06-30';
export const UNITS_SOURCE_ZH = DIVISIONS_SOURCE.dataset;
export const UNITS_SOURCE_EN = DIVISIONS_SOURCE.dataset_en;

// ---------------------------------------------------------------- formatting (deterministic, no locale)

/** 124275 → "124,275"; 2.8541 → "2.85". */
export function formatNumber(x: number, maxDecimals = 2): string {
  const rounded = Math.round(x * 10 ** maxDecimals) / 10 ** maxDecimals;
  const [int, frac] = String(Math.abs(rounded)).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${rounded < 0 ? '-' : ''}${grouped}${frac ? '.' + frac : ''}`;
}
const pct = (x: number) => formatNumber(x * 100, 1) + '%';

function figureDate(f: Pick<PublishedFigure, 'as_of' | 'as_of_precision' | 'as_of_basis'>, lang: 'zh' | 'en'): string {
  const [y, m, d] = f.as_of.split('-').map(Number);
  const base =
    f.as_of_precision === 'year'
      ? lang === 'zh' ? `${y}年` : String(y)
      : f.as_of_precision === 'month'
        ? lang === 'zh' ? `${y}年${m}月` : f.as_of.slice(0, 7)
        : lang === 'zh' ? `${y}年${m}月${d}日` : f.as_of;
  if (f.as_of_basis === 'published') return lang === 'zh' ? `${base}（发布日期；原文未注明数据日期）` : `${base} (publication date; the text gives no date for the figure)`;
  return base;
}

/** "in 2021", "in 2023-09", "on 2021-12-31": the English preposition that fits the precision. */
function whenEn(f: Pick<PublishedFigure, 'as_of' | 'as_of_precision'>): string {
  return f.as_of_precision === 'day' ? `on ${f.as_of}` : `in ${f.as_of_precision === 'month' ? f.as_of.slice(0, 7) : f.as_of.slice(0, 4)}`;
}
const years = (x: number) => `${formatNumber(x, 1)} year${formatNumber(x, 1) === '1' ? '' : 's'}`;

const COMPARATOR_WORDS: Record<FigureComparator, { zh: string; en: string }> = {
  eq: { zh: '', en: '' },
  gte: { zh: '不少于', en: 'at least ' },
  lte: { zh: '不超过', en: 'at most ' },
  approx: { zh: '约', en: 'about ' },
};

// ---------------------------------------------------------------- the minimum the density targets imply

export interface RequiredOrganizations {
  /** target × urban units (rounded up); null when there is no urban target. */
  urban: number | null;
  rural: number | null;
  /** Sum of the parts that have a target. */
  total: number;
}

/** 10 × 3,003 + 5 × 18,849 = 124,275 (Shanxi 2023). Rounded up where target × units is fractional. */
export function requiredOrganizations(urbanUnits: number, ruralUnits: number, urbanTarget: number | null, ruralTarget: number | null): RequiredOrganizations {
  for (const [name, n] of [['urbanUnits', urbanUnits], ['ruralUnits', ruralUnits]] as const)
    if (!Number.isInteger(n) || n < 0) throw new Error(`requiredOrganizations: ${name} must be a non-negative integer, got ${n}`);
  for (const [name, t] of [['urbanTarget', urbanTarget], ['ruralTarget', ruralTarget]] as const)
    if (t !== null && (!Number.isFinite(t) || t < 0)) throw new Error(`requiredOrganizations: ${name} must be a non-negative number or null, got ${t}`);
  // Round to 1e-6 first so 2.2 × 5 = 11.000000000000002 does not become 12.
  const part = (t: number | null, units: number) => (t === null ? null : Math.ceil(Math.round(t * units * 1e6) / 1e6));
  const urban = part(urbanTarget, urbanUnits);
  const rural = part(ruralTarget, ruralUnits);
  return { urban, rural, total: (urban ?? 0) + (rural ?? 0) };
}

export interface UnitCounts {
  urban: number;
  rural: number;
  other: number;
}

/**
 * Village-level units of an area (000000 = all of China) by kind, from the divisions' per-county counts of
 * every unit of China (divisions.unitKindsOf): right whichever provinces' units were loaded.
 */
export function unitCounts(divisions: Divisions, areaCode: string): UnitCounts {
  if (areaCode !== NATIONAL_CODE && !divisions.areas.has(areaCode)) throw new Error(`unitCounts: unknown area code ${areaCode}`);
  const level = codeLevel(areaCode);
  // A county-level code starts with its prefecture's 4 digits and its province's 2 (东莞 441900 is both).
  const prefix = level === 'national' ? '' : level === 'province' ? areaCode.slice(0, 2) : level === 'prefecture' ? areaCode.slice(0, 4) : areaCode;
  const counts: UnitCounts = { urban: 0, rural: 0, other: 0 };
  for (const [county, kinds] of divisions.unitKindsOf) {
    if (!county.startsWith(prefix)) continue;
    counts.urban += kinds.urban;
    counts.rural += kinds.rural;
    counts.other += kinds.other;
  }
  return counts;
}

export interface TargetRef {
  id: string;
  document: string;
  document_title: string;
  clause: string;
  applies_to: Target['applies_to'];
  comparator: Target['comparator'];
  value: number;
  unit: string;
  deadline: string;
}

export interface DensityRequirement {
  area_code: string;
  area_name: string;
  /** The date the targets are taken in force at (targets.ts densityTargetsAt). */
  at: string;
  units_as_of: string;
  units: UnitCounts;
  urban_target: TargetRef | null;
  rural_target: TargetRef | null;
  required: RequiredOrganizations;
  /** Latest deadline of the two targets; null without targets. */
  deadline: string | null;
}

function targetRef(registry: Registry, t: Target): TargetRef {
  const doc = registry.documents.find((d) => d.id === t.document);
  return {
    id: t.id, document: t.document, document_title: doc?.title ?? t.document, clause: t.clause, applies_to: t.applies_to,
    comparator: t.comparator, value: t.value, unit: t.unit, deadline: t.deadline,
  };
}

/**
 * The minimum number of organizations the density targets in force at `at` imply for an area: its own targets
 * (for a province, the province-wide average of Jilin 2017 or Shanxi 2021) × its own urban and rural units.
 */
export function densityRequirement(registry: Registry, divisions: Divisions, areaCode: string, at: string): DensityRequirement {
  const area = areaCode === NATIONAL_CODE ? null : divisions.areas.get(areaCode);
  if (areaCode !== NATIONAL_CODE && !area) throw new Error(`densityRequirement: unknown area code ${areaCode}`);
  const ancestors: string[] = [];
  for (let p = area?.parentCode ?? null; p; p = divisions.areas.get(p)?.parentCode ?? null) ancestors.push(p);
  // AreaRef has no national level: 全国 can only match targets that name 000000 itself ('each'/'aggregate').
  const targets = densityTargetsAt(registry, { code: areaCode, level: area?.level ?? 'province', ancestors }, at);
  for (const t of [targets.urban, targets.rural])
    if (t && t.comparator !== '>=' && t.comparator !== '>') throw new Error(`densityRequirement: target ${t.id} (${t.comparator}) does not set a minimum`);
  const units = unitCounts(divisions, areaCode);
  // ">" needs one organization more than target × units when that product is whole.
  const strict = (t: Target | null, n: number) => (t && t.comparator === '>' && Number.isInteger(t.value * n) ? 1 : 0);
  const base = requiredOrganizations(units.urban, units.rural, targets.urban?.value ?? null, targets.rural?.value ?? null);
  const urban = base.urban === null ? null : base.urban + strict(targets.urban, units.urban);
  const rural = base.rural === null ? null : base.rural + strict(targets.rural, units.rural);
  const deadlines = [targets.urban?.deadline, targets.rural?.deadline].filter((d): d is string => !!d).sort();
  return {
    area_code: areaCode,
    area_name: area?.name ?? '全国',
    at,
    units_as_of: UNITS_AS_OF,
    units,
    urban_target: targets.urban ? targetRef(registry, targets.urban) : null,
    rural_target: targets.rural ? targetRef(registry, targets.rural) : null,
    required: { urban, rural, total: (urban ?? 0) + (rural ?? 0) },
    deadline: deadlines.at(-1) ?? null,
  };
}

// ---------------------------------------------------------------- a published figure against the minimum

export type InferenceKind =
  /** The total is below the minimum: at least one density target is not met at the figure's date. */
  | 'below_minimum'
  /** Below the minimum if the figure is the stock; nothing follows if it is an intake (培育发展…个). */
  | 'below_minimum_if_stock'
  /** The total reaches the minimum: consistent with the targets, not proof (the urban/rural split decides). */
  | 'reaches_minimum'
  /** A lower bound or a part below the minimum, or an intake: nothing can be concluded. */
  | 'inconclusive'
  /** A per-community average compared with its own target. */
  | 'density_below_target'
  | 'density_meets_target'
  /** 社会组织 (or communities) rather than 社区社会组织: nothing about the targets. */
  | 'different_definition'
  /** Not a count of organizations (hubs, training, activities …): nothing about the density targets. */
  | 'not_a_total'
  /** No density target applies to the area: says what the figure does answer. */
  | 'no_density_target';

export type DateRelation = 'before_deadline' | 'at_deadline' | 'after_deadline';

export interface Inference {
  figure_id: string;
  area_code: string;
  kind: InferenceKind;
  /** True when the conclusion (a target not met) follows from the figure without any further assumption. */
  conclusive: boolean;
  arithmetic: {
    figure_value: number;
    comparator: FigureComparator;
    urban_units: number;
    rural_units: number;
    urban_target: number | null;
    rural_target: number | null;
    required_urban: number | null;
    required_rural: number | null;
    required_total: number | null;
    /** required_total − figure value, when positive. */
    shortfall: number | null;
    /** figure value ÷ required_total. */
    share_of_required: number | null;
    /** figure value ÷ (urban + rural units): the average per community the figure implies. */
    per_community: number | null;
  } | null;
  dates: {
    figure_as_of: string;
    figure_precision: PublishedFigure['as_of_precision'];
    deadline: string | null;
    relation: DateRelation | null;
    /** figure as_of − deadline, in years (negative: before the deadline). */
    years_after_deadline: number | null;
    units_as_of: string;
    /** units as_of − figure as_of, in years. */
    years_units_after_figure: number;
  };
  definitions: { figure_zh: string; figure_en: string; target_zh: string | null; target_en: string | null };
  source: { title: string; url: string; publisher: string; published_on: string | null; reliability: PublishedFigure['reliability'] };
  sentences_zh: string[];
  sentences_en: string[];
}

export interface ComparisonContext {
  /** Every registry target that applies to the figure's area (to say what a figure without a density target answers). */
  area_targets: Target[];
  /** English area name when known (the divisions carry Chinese names only). */
  area_name_en?: string;
}

function dateRelation(asOf: string, deadline: string): DateRelation {
  if (asOf > deadline) return 'after_deadline';
  return asOf.slice(0, 4) === deadline.slice(0, 4) ? 'at_deadline' : 'before_deadline';
}

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

/** Bounds a figure places on the count it names: [lower, upper] (null = unbounded). */
function bounds(comparator: FigureComparator, value: number): { lower: number | null; upper: number | null } {
  switch (comparator) {
    case 'eq':
    case 'approx':
      return { lower: value, upper: value };
    case 'gte':
      return { lower: value, upper: null };
    case 'lte':
      return { lower: null, upper: value };
  }
}

/**
 * A published figure against the minimum the density targets imply for its area. `requirement` should be taken at
 * the figure's date (densityRequirement(…, figure.as_of)): the step in force then, or the last one passed.
 */
export function compareWithRequirement(figure: PublishedFigure, requirement: DensityRequirement, context: ComparisonContext): Inference {
  if (figure.area_code !== requirement.area_code)
    throw new Error(`compareWithRequirement: figure ${figure.id} is for ${figure.area_code}, the requirement for ${requirement.area_code}`);
  const info: PublishedMetric = PUBLISHED_METRICS[figure.metric];
  const areaZh = `${requirement.area_name}（${requirement.area_code}）`;
  const areaEn = `${context.area_name_en ? `${context.area_name_en} (${requirement.area_name}, ` : `${requirement.area_name} (`}${requirement.area_code})`;
  const v = figure.value;
  const cw = COMPARATOR_WORDS[figure.comparator];
  const unit = figure.unit;
  const { urban_target: ut, rural_target: rt, units, required } = requirement;
  const hasTarget = ut !== null || rt !== null;
  const deadline = requirement.deadline;
  const relation = deadline ? dateRelation(figure.as_of, deadline) : null;
  const yearsAfter = deadline ? round(yearsBetween(deadline, figure.as_of), 2) : null;
  const yearsUnits = round(yearsBetween(figure.as_of, UNITS_AS_OF), 2);
  const communities = units.urban + units.rural;

  const targetDefZh = hasTarget
    ? `目标口径：社区平均拥有的社区社会组织数，城市社区（居委会）与农村社区（村委会）分别计算；“${(ut ?? rt)!.clause}”（${(ut ?? rt)!.document_title}）。`
    : null;
  const targetDefEn = hasTarget
    ? `Target definition: community social organizations per community, urban communities (居委会) and rural communities (村委会) separately: "${(ut ?? rt)!.clause}" (${(ut ?? rt)!.document_title}).`
    : null;
  const [noteZh, noteEn] = splitNote(figure.definition_note);
  const figDefZh = `数字口径：${info.label_zh}——${info.definition_zh}${noteZh ? `本条：${noteZh}。` : ''}`;
  const figDefEn = `Figure definition: ${info.label_en}: ${info.definition_en}${noteEn ? ` This figure: ${noteEn}.` : ''}`;

  const zh: string[] = [];
  const en: string[] = [];
  const figureZh = `${areaZh}公开数字：${figureDate(figure, 'zh')}，${info.label_zh}${cw.zh}${formatNumber(v)}${unit}（“${figure.quote}”，${figure.publisher}，《${figure.source_title}》）。`;
  const figureEn = `Published figure for ${areaEn}: ${info.label_en}, ${cw.en}${formatNumber(v)} ${unit}, ${figureDate(figure, 'en')} ("${figure.quote}", ${figure.publisher}, ${figure.source_title}).`;
  zh.push(figureZh);
  en.push(figureEn);

  // What the targets require, with the arithmetic.
  const arithmeticText = () =>
    [ut && `${formatNumber(ut.value)} × ${formatNumber(units.urban)}`, rt && `${formatNumber(rt.value)} × ${formatNumber(units.rural)}`].filter(Boolean).join(' + ') +
    ` = ${formatNumber(required.total)}`;
  const requirementSentences = () => {
    const docs = [...new Set([ut, rt].filter((t): t is TargetRef => t !== null).map((t) => `${t.document_title}（${t.document}）`))].join('、');
    const docsEn = [...new Set([ut, rt].filter((t): t is TargetRef => t !== null).map((t) => `${t.document_title} (${t.document})`))].join(', ');
    const kindsZh = [ut && `城市社区平均不少于 ${formatNumber(ut.value)} 个`, rt && `农村社区平均不少于 ${formatNumber(rt.value)} 个`].filter(Boolean).join('、');
    const kindsEn = [ut && `at least ${formatNumber(ut.value)} per urban community`, rt && `at least ${formatNumber(rt.value)} per rural community`].filter(Boolean).join(' and ');
    zh.push(
      `${docs}的密度目标（${kindsZh}，期限 ${deadline}）至少需要 ${arithmeticText()} 个社区社会组织` +
        `（城市社区 ${formatNumber(units.urban)} 个、农村社区 ${formatNumber(units.rural)} 个，按${UNITS_SOURCE_ZH}按名称规则计数）。`,
    );
    en.push(
      `The density targets of ${docsEn} (${kindsEn}, due ${deadline}) require at least ${arithmeticText()} community social organizations ` +
        `(${formatNumber(units.urban)} urban and ${formatNumber(units.rural)} rural communities, counted by the name rule in the ${UNITS_SOURCE_EN}).`,
    );
  };

  const arithmetic = (compareTotal: boolean): Inference['arithmetic'] => ({
    figure_value: v,
    comparator: figure.comparator,
    urban_units: units.urban,
    rural_units: units.rural,
    urban_target: ut?.value ?? null,
    rural_target: rt?.value ?? null,
    required_urban: required.urban,
    required_rural: required.rural,
    required_total: hasTarget ? required.total : null,
    shortfall: compareTotal && hasTarget && required.total > v ? required.total - v : null,
    share_of_required: compareTotal && hasTarget && required.total > 0 ? round(v / required.total, 4) : null,
    per_community: compareTotal && communities > 0 ? round(v / communities, 4) : null,
  });

  const dateGapSentences = (figureDateZh: string, figureDateEn: string, upper: number) => {
    if (!deadline) return;
    if (relation === 'after_deadline') {
      zh.push(
        `该数字晚于目标期限（${deadline}）约 ${formatNumber(yearsAfter!, 1)} 年：严格地说，它只证明目标在${figureDateZh}未达到；除非期间注销的组织多于新增的，期限时的总数不会更多，目标在期限时也未达到。`,
      );
      en.push(
        `The figure is about ${years(yearsAfter!)} after the deadline (${deadline}): strictly it shows the targets unmet ${figureDateEn}; unless more organizations closed than opened in between, the total at the deadline was no larger, so they were unmet at the deadline too.`,
      );
    } else if (relation === 'at_deadline') {
      zh.push(`该数字与目标期限（${deadline}）在同一年：目标在期限时未达到。`);
      en.push(`The figure is from the deadline’s year (${deadline}): the targets were not met at the deadline.`);
    } else {
      zh.push(`该数字早于目标期限（${deadline}）约 ${formatNumber(-yearsAfter!, 1)} 年：目标在${figureDateZh}尚未达到，但期限未到，不算未完成。`);
      en.push(`The figure is about ${years(-yearsAfter!)} before the deadline (${deadline}): the targets were not yet met ${figureDateEn}, which is not a miss.`);
    }
    const factor = upper / required.total;
    zh.push(
      `城乡社区数取自 ${UNITS_AS_OF} 的区划代码，数字是${figureDateZh}的，两者相差约 ${formatNumber(Math.abs(yearsUnits), 1)} 年，社区数在此期间可能有变化：` +
        `要使结论不成立，${figureDateZh}的城乡社区数须不到 ${UNITS_AS_OF.slice(0, 4)} 年的 ${pct(factor)}（城乡同比例）。`,
    );
    en.push(
      `The communities are counted from the division codes of ${UNITS_AS_OF}, about ${years(Math.abs(yearsUnits))} from the figure's date; the number of communities may have changed: ` +
        `for the conclusion to fail, there would have had to be fewer than ${pct(factor)} as many communities ${figureDateEn} as in ${UNITS_AS_OF.slice(0, 4)} (urban and rural alike).`,
    );
  };

  const result = (kind: InferenceKind, conclusive: boolean, arith: Inference['arithmetic']): Inference => {
    zh.push(figDefZh);
    en.push(figDefEn);
    if (targetDefZh && kind !== 'no_density_target') {
      zh.push(targetDefZh);
      en.push(targetDefEn!);
    }
    return {
      figure_id: figure.id,
      area_code: figure.area_code,
      kind,
      conclusive,
      arithmetic: arith,
      dates: {
        figure_as_of: figure.as_of, figure_precision: figure.as_of_precision, deadline, relation, years_after_deadline: yearsAfter,
        units_as_of: UNITS_AS_OF, years_units_after_figure: yearsUnits,
      },
      definitions: { figure_zh: figDefZh, figure_en: figDefEn, target_zh: targetDefZh, target_en: targetDefEn },
      source: { title: figure.source_title, url: figure.source_url, publisher: figure.publisher, published_on: figure.published_on, reliability: figure.reliability },
      sentences_zh: zh,
      sentences_en: en,
    };
  };

  // 1. Not community social organizations at all.
  if (info.population !== 'cso') {
    const whatZh = info.population === 'social_org' ? '社会组织（在民政部门登记的社会团体、社会服务机构、基金会）' : '社区（居委会、村委会）或其设施';
    const whatEn = info.population === 'social_org' ? 'social organizations (社会组织: registered social groups, social service agencies and foundations)' : 'communities (居委会, 村委会) or their facilities';
    zh.push(
      `该数字统计的是${whatZh}，不是社区社会组织：大多数社区社会组织是备案而非登记的，不在其中，而其中又有不在社区活动的组织。它既不是社区社会组织数的下限也不是上限，不能据此判断密度目标。`,
    );
    en.push(
      `This figure counts ${whatEn}, not community social organizations: most community organizations are filed (备案), not registered, so they are not in it, while it includes organizations that are not community-based. It is neither a lower nor an upper bound on community social organizations, so nothing follows for the density targets.`,
    );
    return result('different_definition', false, null);
  }

  // 2. A per-community average: compared directly with its own target.
  if (info.measure === 'per_urban_unit' || info.measure === 'per_rural_unit') {
    const urban = info.measure === 'per_urban_unit';
    const t = urban ? ut : rt;
    const kindZh = urban ? '城市社区' : '农村社区';
    const kindEn = urban ? 'urban' : 'rural';
    if (!t) {
      zh.push(`注册表中没有适用于${areaZh}的${kindZh}密度目标；该数字是发布方自己计算的平均数，说明${figureDate(figure, 'zh')}每个${kindZh}平均拥有${cw.zh}${formatNumber(v)}个社区社会组织。`);
      en.push(`No ${kindEn} density target in the registry applies to ${areaEn}; the figure is the publisher’s own average: ${cw.en}${formatNumber(v)} community organizations per ${kindEn} community, ${figureDate(figure, 'en')}.`);
      zh.push(targetsSentenceZh(context.area_targets, areaZh));
      en.push(targetsSentenceEn(context.area_targets, areaEn));
      return result('no_density_target', false, null);
    }
    const b = bounds(figure.comparator, v);
    const below = b.upper !== null && b.upper < t.value;
    const meets = b.lower !== null && b.lower >= t.value;
    const kind: InferenceKind = below ? 'density_below_target' : meets ? 'density_meets_target' : 'inconclusive';
    if (below) {
      zh.push(`${kindZh}平均 ${cw.zh}${formatNumber(v)} 个，低于目标 ${formatNumber(t.value)} 个（${t.id}，期限 ${t.deadline}）：该目标在${figureDate(figure, 'zh')}未达到。`);
      en.push(`${cw.en}${formatNumber(v)} per ${kindEn} community is below the target of ${formatNumber(t.value)} (${t.id}, due ${t.deadline}): that target was not met ${whenEn(figure)}.`);
    } else if (meets) {
      zh.push(`${kindZh}平均 ${cw.zh}${formatNumber(v)} 个，达到目标 ${formatNumber(t.value)} 个（${t.id}，期限 ${t.deadline}）。`);
      en.push(`${cw.en}${formatNumber(v)} per ${kindEn} community reaches the target of ${formatNumber(t.value)} (${t.id}, due ${t.deadline}).`);
    } else {
      zh.push(`该数字是下限或上限，与目标 ${formatNumber(t.value)} 个比较不能得出结论。`);
      en.push(`The figure is a bound that does not settle the comparison with the target of ${formatNumber(t.value)}.`);
    }
    return result(kind, below && figure.comparator !== 'approx', null);
  }

  // 3. Not a count of organizations (hubs, platforms, training, activities …).
  if (info.total_relation === undefined) {
    zh.push(`${info.label_zh}不是社区社会组织的总数，不能与密度目标要求的组织数比较。`);
    en.push(`${info.label_en} is not a total of community social organizations, so it cannot be compared with the number of organizations the density targets require.`);
    return result('not_a_total', false, null);
  }

  // 4. No density target for the area: what the figure does say.
  if (!hasTarget) {
    zh.push(`注册表中没有适用于${areaZh}的社区平均拥有数（密度）目标。`);
    en.push(`No per-community density target in the registry applies to ${areaEn}.`);
    zh.push(targetsSentenceZh(context.area_targets, areaZh));
    en.push(targetsSentenceEn(context.area_targets, areaEn));
    if (communities > 0 && info.total_relation === 'total') {
      const avg = v / communities;
      zh.push(
        `该数字能说明的是：${cw.zh}${formatNumber(v)} 个组织 ÷ ${formatNumber(communities)} 个城乡社区（城市 ${formatNumber(units.urban)}、农村 ${formatNumber(units.rural)}，${UNITS_AS_OF} 区划代码）= 平均每个社区${cw.zh} ${formatNumber(avg)} 个` +
          `（城乡合计，含不在社区活动的组织；无法分出城市和农村；社区数与数字相差约 ${formatNumber(Math.abs(yearsUnits), 1)} 年）。`,
      );
      en.push(
        `What it does say: ${cw.en}${formatNumber(v)} organizations ÷ ${formatNumber(communities)} communities (${formatNumber(units.urban)} urban, ${formatNumber(units.rural)} rural; division codes of ${UNITS_AS_OF}) = ${cw.en}${formatNumber(avg)} per community on average ` +
          `(urban and rural together, organizations not based in a community included; no urban/rural split; the communities are counted about ${years(Math.abs(yearsUnits))} from the figure's date).`,
      );
    }
    return result('no_density_target', false, arithmetic(info.total_relation === 'total'));
  }

  requirementSentences();
  const b = bounds(figure.comparator, v);
  const figDateZh = figureDate({ ...figure, as_of_basis: 'stated' }, 'zh');
  const figDateEn = whenEn(figure);
  const approxZh = figure.comparator === 'approx' ? `（“约”：只要准确数字比 ${formatNumber(v)} 多不到 ${formatNumber(required.total - v)}，结论就成立）` : '';
  const approxEn = figure.comparator === 'approx' ? ` ("about": the conclusion holds as long as the exact figure exceeds ${formatNumber(v)} by less than ${formatNumber(required.total - v)})` : '';
  const belowZh = () =>
    `${cw.zh}${formatNumber(v)} 个比最低需要的 ${formatNumber(required.total)} 个少 ${formatNumber(required.total - v)} 个（只有 ${pct(v / required.total)}）${approxZh}：城市社区和农村社区里的组织合计不可能达到 ${formatNumber(required.total)} 个，因此${ut && rt ? '两项密度目标中至少有一项' : '该密度目标'}在${figDateZh}未达到。`;
  const belowEn = () =>
    `${cw.en}${formatNumber(v)} is ${formatNumber(required.total - v)} short of the ${formatNumber(required.total)} required (${pct(v / required.total)} of it)${approxEn}: the organizations in urban and rural communities together cannot reach ${formatNumber(required.total)}, so ${ut && rt ? 'at least one of the two density targets' : 'the density target'} was not met ${figDateEn}.`;

  // 5. Stock or intake not stated (吉林 "培育发展…7946家").
  if (info.total_relation === 'stock_or_intake') {
    if (b.upper !== null && b.upper < required.total) {
      zh.push(`原文没有说明这是年末总数还是期间新培育的数量。若是总数：${belowZh()}`);
      en.push(`The text does not say whether this is the total at the end of the period or the number cultivated during it. If it is the total: ${belowEn()}`);
      zh.push(`若是期间新培育的数量，则总数还要加上此前已有的组织，不能得出结论。`);
      en.push(`If it is the number cultivated during the period, the total also includes the organizations that existed before, and nothing can be concluded.`);
      dateGapSentences(figDateZh, figDateEn, b.upper);
      return result('below_minimum_if_stock', false, arithmetic(true));
    }
    zh.push(`原文没有说明这是总数还是期间新培育的数量；无论哪种读法，总数都不少于 ${formatNumber(v)} 个，而最低需要 ${formatNumber(required.total)} 个：${v >= required.total ? '总数达到了最低数，但城乡各自是否达标取决于组织在城市和农村社区间的分布，数字没有说明。' : '不能得出结论。'}`);
    en.push(`The text does not say whether this is the total or the number cultivated in the period; either way the total is at least ${formatNumber(v)}, against ${formatNumber(required.total)} required: ${v >= required.total ? 'the total reaches the minimum, but whether each target is met depends on how the organizations are spread between urban and rural communities, which the figure does not say.' : 'nothing can be concluded.'}`);
    return result(v >= required.total ? 'reaches_minimum' : 'inconclusive', false, arithmetic(true));
  }

  // 6. A part of the total (filed only, registered only): a lower bound on it.
  const upper = info.total_relation === 'total' ? b.upper : null;
  const lower = b.lower;
  if (upper !== null && upper < required.total) {
    zh.push(belowZh());
    en.push(belowEn());
    dateGapSentences(figDateZh, figDateEn, upper);
    return result('below_minimum', figure.comparator !== 'approx', arithmetic(true));
  }
  if (lower !== null && lower >= required.total) {
    const partZh = info.total_relation === 'part' ? `（只是${info.label_zh}，总数更多）` : '';
    const partEn = info.total_relation === 'part' ? ` (only ${info.label_en}; the total is larger)` : '';
    zh.push(`总数${cw.zh || '为'} ${formatNumber(v)} 个${partZh}，达到最低需要的 ${formatNumber(required.total)} 个；但城市、农村社区各自是否达标取决于组织在两类社区间的分布（以及有多少组织不在社区），数字没有说明：不能据此判断目标已经达到。`);
    en.push(`The total, ${cw.en}${formatNumber(v)}${partEn}, reaches the ${formatNumber(required.total)} required; but whether each target is met depends on how the organizations are spread between urban and rural communities (and how many are not based in one), which the figure does not say: it does not show the targets met.`);
    return result('reaches_minimum', false, arithmetic(true));
  }
  const whyZh = info.total_relation === 'part' ? `这只是${info.label_zh}，是总数的一部分` : '这是下限，实际数可能更多';
  const whyEn = info.total_relation === 'part' ? `it counts only ${info.label_en}, part of the total` : 'it is a lower bound, the actual number may be larger';
  zh.push(`${cw.zh}${formatNumber(v)} 个低于最低需要的 ${formatNumber(required.total)} 个，但${whyZh}：不能得出结论。`);
  en.push(`${cw.en}${formatNumber(v)} is below the ${formatNumber(required.total)} required, but ${whyEn}: nothing can be concluded.`);
  return result('inconclusive', false, arithmetic(true));
}

function splitNote(note: string): [string, string] {
  const i = note.lastIndexOf(' / ');
  return i < 0 ? [note, note] : [note.slice(0, i).replace(/[。.]$/, ''), note.slice(i + 3).replace(/\.$/, '')];
}

function targetLine(t: Target, lang: 'zh' | 'en'): string {
  const m = METRICS[t.metric];
  return lang === 'zh'
    ? `${m.label_zh} ${t.comparator} ${formatNumber(t.value)} ${t.unit}（${t.id}，期限 ${t.deadline}）`
    : `${m.label_en} ${t.comparator} ${formatNumber(t.value)} ${t.unit} (${t.id}, due ${t.deadline})`;
}

function targetsSentenceZh(targets: Target[], areaZh: string): string {
  if (targets.length === 0) return `注册表中没有适用于${areaZh}的任何目标。`;
  return `注册表中适用于${areaZh}的目标是：${targets.map((t) => targetLine(t, 'zh')).join('；')}。该数字不直接回答其中任何一项。`;
}
function targetsSentenceEn(targets: Target[], areaEn: string): string {
  if (targets.length === 0) return `The registry has no target for ${areaEn}.`;
  return `The registry’s targets for ${areaEn} are: ${targets.map((t) => targetLine(t, 'en')).join('; ')}. The figure answers none of them directly.`;
}

/** Every figure of an area compared with the requirement in force at its own date (figures in file order). */
export function compareFiguresForArea(
  registry: Registry,
  divisions: Divisions,
  figures: readonly PublishedFigure[],
  areaCode: string,
  context: ComparisonContext,
): Inference[] {
  return figures
    .filter((f) => f.area_code === areaCode)
    .map((f) => compareWithRequirement(f, densityRequirement(registry, divisions, areaCode, f.as_of), context));
}

// ---------------------------------------------------------------- figures that answer a target directly

/** Published metrics that measure a registry metric directly (same concept, same unit). */
export const ANSWERS: Partial<Record<PublishedMetricId, TargetMetric>> = {
  cso_per_urban_community: 'urban_orgs_per_unit',
  cso_per_rural_community: 'rural_orgs_per_unit',
  cso_training_person_times: 'training_person_times',
  cso_brand_orgs: 'brand_orgs',
};

/** Why a near-miss metric does not answer a target (zh, en); the generic reason otherwise. */
const NEAR_MISSES: Partial<Record<PublishedMetricId, Partial<Record<TargetMetric, [string, string]>>>> = {
  cso_training_persons: {
    training_person_times: ['数字是培训人数（人），目标是培训人次：一人可以培训多次，两者不能互换', 'the figure counts persons trained, the target person-times: one person may be trained many times, so they are not interchangeable'],
  },
  cso_backbone_talent_persons: {
    training_person_times: ['数字是骨干人才人数（人），不是培训人次', 'the figure counts backbone people (persons), not training person-times'],
  },
  social_org_brand_orgs: {
    brand_orgs: ['数字是品牌社会组织，目标是品牌社区社会组织：口径不同', 'the figure counts brand social organizations (社会组织), the target brand community organizations (社区社会组织): different definitions'],
  },
  cso_hub_orgs: {
    hub_demonstrations: ['数字是枢纽型社区社会组织的个数，目标是枢纽型组织示范点的创建数', 'the figure counts hub organizations, the target hub demonstration sites created'],
    hub_support_coverage_township_level: ['数字是枢纽型组织的个数，目标是覆盖街道乡镇的比例：个数不能换算成覆盖率', 'the figure counts hub organizations, the target is the share of sub-districts and townships covered: a count does not give a coverage rate'],
    hub_support_coverage_communities: ['数字是枢纽型组织的个数，目标是覆盖社区的比例：个数不能换算成覆盖率', 'the figure counts hub organizations, the target is the share of communities covered: a count does not give a coverage rate'],
  },
  cso_total: {
    urban_orgs_per_unit: ['数字是总数，不是社区平均数：应与密度目标隐含的最低组织数比较', 'the figure is a total, not a per-community average: compare it with the minimum number of organizations the density targets imply'],
    rural_orgs_per_unit: ['数字是总数，不是社区平均数：应与密度目标隐含的最低组织数比较', 'the figure is a total, not a per-community average: compare it with the minimum number of organizations the density targets imply'],
  },
  cso_cultivated: {
    urban_orgs_per_unit: ['数字是培育发展的组织数，不是社区平均数：应与密度目标隐含的最低组织数比较', 'the figure is a count cultivated, not a per-community average: compare it with the minimum number of organizations the density targets imply'],
    rural_orgs_per_unit: ['数字是培育发展的组织数，不是社区平均数：应与密度目标隐含的最低组织数比较', 'the figure is a count cultivated, not a per-community average: compare it with the minimum number of organizations the density targets imply'],
  },
};

export type AnswerStatus =
  | 'met' // the figure shows the target reached on or before the deadline
  | 'reached_after_deadline' // reached, but the figure is dated after the deadline: on-time not shown
  | 'missed' // short at the deadline (or, for a count that never falls, short later)
  | 'short_before_deadline' // short at a date before the deadline's year: not met yet
  | 'short_after_deadline' // a level short after the deadline: the value at the deadline is not known
  | 'inconclusive' // a bound that does not settle it
  | 'no_figure'; // no published figure answers the target

export interface AnswerCandidate {
  figure_id: string;
  status: Exclude<AnswerStatus, 'no_figure'>;
  relation: DateRelation;
  /** What the figure shows about the target's own measure after period adjustments. */
  lower: number | null;
  upper: number | null;
}

export interface TargetAnswer {
  target_id: string;
  area_code: string;
  status: AnswerStatus;
  figure: PublishedFigure | null;
  source: { title: string; url: string; publisher: string; published_on: string | null; reliability: PublishedFigure['reliability'] } | null;
  relation: DateRelation | null;
  candidates: AnswerCandidate[];
  /** Figures of the same area that do not answer this target, with the reason (specific: a near miss explained in NEAR_MISSES). */
  rejected: { figure_id: string; reason_zh: string; reason_en: string; specific: boolean }[];
  sentence_zh: string;
  sentence_en: string;
}

/** Cumulative counts never fall (person-times, brand organizations, hubs created, pilots): a later shortfall proves a miss. */
const isCumulative = (metric: TargetMetric) => {
  const unit: string = METRICS[metric].unit;
  return !unit.endsWith('/年') && unit !== '%' && unit !== '个/社区';
};

function appliesToArea(t: Target, code: string): boolean {
  switch (t.applies_to) {
    case 'each':
    case 'aggregate':
      return t.areas.includes(code);
    case 'each_descendant_county':
      return codeLevel(code) === 'county' && t.areas.some((a) => codeWithin(code, a));
    case 'each_descendant_prefecture':
      return codeLevel(code) === 'prefecture' && t.areas.some((a) => codeWithin(code, a));
  }
}

function satisfiesBound(lower: number | null, upper: number | null, comparator: Target['comparator'], target: number): 'yes' | 'no' | 'unknown' {
  const eps = 1e-9;
  switch (comparator) {
    case '>=':
      return lower !== null && lower >= target - eps ? 'yes' : upper !== null && upper < target - eps ? 'no' : 'unknown';
    case '>':
      return lower !== null && lower > target + eps ? 'yes' : upper !== null && upper <= target + eps ? 'no' : 'unknown';
    case '<=':
      return upper !== null && upper <= target + eps ? 'yes' : lower !== null && lower > target + eps ? 'no' : 'unknown';
    case '=':
      if (lower !== null && upper !== null && Math.abs(lower - target) <= eps && Math.abs(upper - target) <= eps) return 'yes';
      return (upper !== null && upper < target - eps) || (lower !== null && lower > target + eps) ? 'no' : 'unknown';
  }
}

const STATUS_RANK: Record<AnswerCandidate['status'], number> = {
  met: 0, missed: 0, reached_after_deadline: 1, short_after_deadline: 1, short_before_deadline: 2, inconclusive: 3,
};
const RELIABILITY_RANK = Object.fromEntries(Object.keys(RELIABILITY).map((k, i) => [k, i])) as Record<PublishedFigure['reliability'], number>;

/**
 * The published figure that answers a registry target for one area directly: same area, a metric that measures the
 * target's own metric (ANSWERS), a compatible counting period, and its date relation to the deadline. Of several,
 * a decisive one (met / missed) wins, then the one nearest the deadline, then the more reliable source, then the id.
 */
export function answerTarget(target: Target, areaCode: string, figures: readonly PublishedFigure[]): TargetAnswer {
  if (!appliesToArea(target, areaCode)) throw new Error(`answerTarget: target ${target.id} does not apply to area ${areaCode}`);
  const candidates: (AnswerCandidate & { figure: PublishedFigure })[] = [];
  const rejected: TargetAnswer['rejected'] = [];
  const cumulative = isCumulative(target.metric);
  const targetLabel = METRICS[target.metric];

  for (const f of figures) {
    if (f.area_code !== areaCode) continue;
    const info: PublishedMetric = PUBLISHED_METRICS[f.metric];
    if (ANSWERS[f.metric] !== target.metric) {
      const near = NEAR_MISSES[f.metric]?.[target.metric];
      rejected.push({
        figure_id: f.id,
        reason_zh: near?.[0] ?? `${info.label_zh}不是${targetLabel.label_zh}`,
        reason_en: near?.[1] ?? `${info.label_en} does not measure ${targetLabel.label_en.toLowerCase()}`,
        specific: near !== undefined,
      });
      continue;
    }
    if (METRICS[target.metric].unit.endsWith('/年')) {
      rejected.push({ figure_id: f.id, reason_zh: '每年目标需要整年的数字', reason_en: 'a per-year target needs a figure for a whole calendar year', specific: true });
      continue;
    }
    let { lower, upper } = bounds(f.comparator, f.value);
    // Counting periods: a count from a later start is at most the cumulative total (a lower bound on it);
    // a count from an earlier or unstated start is at least it (an upper bound).
    if (target.period_start !== null && cumulative) {
      if (f.period_start === null || f.period_start < target.period_start) lower = null;
      else if (f.period_start > target.period_start) upper = null;
    } else if (target.period_start === null && f.period_start !== null) {
      rejected.push({ figure_id: f.id, reason_zh: `目标是某一日期的水平，数字是 ${f.period_start} 起的期间累计`, reason_en: `the target is a level at a date, the figure a total since ${f.period_start}`, specific: true });
      continue;
    }
    const relation = dateRelation(f.as_of, target.deadline);
    const s = satisfiesBound(lower, upper, target.comparator, target.value);
    let status: AnswerCandidate['status'];
    if (s === 'yes') status = f.as_of <= target.deadline ? 'met' : 'reached_after_deadline';
    else if (s === 'no') status = relation === 'at_deadline' || (relation === 'after_deadline' && cumulative) ? 'missed' : relation === 'after_deadline' ? 'short_after_deadline' : 'short_before_deadline';
    else status = 'inconclusive';
    candidates.push({ figure_id: f.id, status, relation, lower, upper, figure: f });
  }

  const distance = (f: PublishedFigure) => Math.abs(yearsBetween(f.as_of, target.deadline)) + (f.as_of > target.deadline ? 0.001 : 0);
  candidates.sort(
    (a, b) =>
      STATUS_RANK[a.status] - STATUS_RANK[b.status] ||
      distance(a.figure) - distance(b.figure) ||
      RELIABILITY_RANK[a.figure.reliability] - RELIABILITY_RANK[b.figure.reliability] ||
      (a.figure_id < b.figure_id ? -1 : a.figure_id > b.figure_id ? 1 : 0),
  );
  const best = candidates[0];
  const targetZh = `${targetLabel.label_zh} ${target.comparator} ${formatNumber(target.value)} ${target.unit}（${target.id}，期限 ${target.deadline}）`;
  const targetEn = `${targetLabel.label_en} ${target.comparator} ${formatNumber(target.value)} ${target.unit} (${target.id}, due ${target.deadline})`;
  const publicCandidates = candidates.map(({ figure: _f, ...c }) => c);
  if (!best) {
    const specific = rejected.filter((r) => r.specific);
    const others = rejected.length - specific.length;
    const why =
      (specific.length ? `；${specific.map((r) => `${r.figure_id}：${r.reason_zh}`).join('；')}` : '') +
      (others ? `；本地区另有 ${others} 个公开数字，指标不同` : '');
    const whyEn =
      (specific.length ? `; ${specific.map((r) => `${r.figure_id}: ${r.reason_en}`).join('; ')}` : '') +
      (others ? `; ${others} other published figure${others === 1 ? '' : 's'} for the area measure${others === 1 ? 's' : ''} something else` : '');
    return {
      target_id: target.id, area_code: areaCode, status: 'no_figure', figure: null, source: null, relation: null, candidates: [], rejected,
      sentence_zh: `没有公开数字回答目标 ${targetZh}${why}。`,
      sentence_en: `No published figure answers the target ${targetEn}${whyEn}.`,
    };
  }
  const f = best.figure;
  const info: PublishedMetric = PUBLISHED_METRICS[f.metric];
  const cw = COMPARATOR_WORDS[f.comparator];
  const STATUS_TEXT: Record<AnswerCandidate['status'], [string, string]> = {
    met: ['已达到', 'met'],
    reached_after_deadline: ['在期限后达到（按期与否无法证明）', 'reached after the deadline (on time not shown)'],
    missed: ['未按期达到', 'missed'],
    short_before_deadline: ['在该日期尚未达到（期限未到）', 'not yet met at that date (deadline ahead)'],
    short_after_deadline: ['在期限后的该日期仍未达到（期限时的数值未知）', 'still short after the deadline (the value at the deadline is not known)'],
    inconclusive: ['不能判断（数字是下限或上限）', 'cannot be judged (the figure is a bound)'],
  };
  const [stZh, stEn] = STATUS_TEXT[best.status];
  return {
    target_id: target.id,
    area_code: areaCode,
    status: best.status,
    figure: f,
    source: { title: f.source_title, url: f.source_url, publisher: f.publisher, published_on: f.published_on, reliability: f.reliability },
    relation: best.relation,
    candidates: publicCandidates,
    rejected,
    sentence_zh: `目标 ${targetZh}：${stZh}。依据：${figureDate(f, 'zh')}${info.label_zh}${cw.zh}${formatNumber(f.value)}${f.unit}（“${f.quote}”，${f.publisher}，《${f.source_title}》 ${f.source_url}）。`,
    sentence_en: `Target ${targetEn}: ${stEn}. Source: ${info.label_en}, ${cw.en}${formatNumber(f.value)} ${f.unit}, ${figureDate(f, 'en')} ("${f.quote}", ${f.publisher}, ${f.source_title}, ${f.source_url}).`,
  };
}
