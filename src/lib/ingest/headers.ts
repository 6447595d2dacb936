/**
 * Column headers → fields. Officials' spreadsheets carry full-width brackets, stray spaces,
 * "*" or "（必填）" markers and local wording, so headers are normalised before lookup.
 */
import { PLAIN_TEXT } from '../core/text';

export const ORG_FIELDS = [
  'name',
  'community_code',
  'county',
  'township',
  'community',
  'category',
  'registration',
  'filed_flag',
  'registered_flag',
  'credit_code',
  'established_on',
  'registered_on',
  'dissolved_on',
  'status',
  'remarks',
  'serial',
] as const;
export type OrgField = (typeof ORG_FIELDS)[number];

export const OBSERVATION_FIELDS = ['area_code', 'metric', 'value', 'as_of', 'source_title', 'source_url', 'note'] as const;
export type ObservationField = (typeof OBSERVATION_FIELDS)[number];

/**
 * Every accepted spelling per field; the first Chinese one is the documented header (PRODUCT.md).
 * Lookup also tries the header without a leading 所属 / 所在 / 隶属 / 归属 (所属街道（乡镇） = 街道（乡镇）),
 * without a trailing 名称 (社区名称 = 社区), and without a trailing parenthesised hint
 * (类别（功能服务型/兴趣爱好型…） = 类别): see lookupKeys.
 */
export const ORG_HEADER_SYNONYMS: Record<OrgField, string[]> = {
  name: ['name', '组织名称', '社会组织名称', '社区社会组织名称', '名称', '组织名', '组织全称', '社会组织全称', '社区社会组织全称', '组织名称（全称）'],
  community_code: ['community_code', '社区代码', '村居代码', '统计用区划代码', '社区（村）代码', '村（社区）代码', '社区区划代码', '村（居）代码', '区划代码'],
  county: [
    'county', '区县', '县区', '区（县）', '县（区）', '县（市、区）', '区（市、县）', '县（市）', '区（县、市）', '县市区', '区县市', '区市县',
    '区、县', '县（区、市）', '区县（市）', '县（市、区、特区）',
  ],
  township: [
    'township', '乡镇街道', '乡镇（街道）', '街道（乡镇）', '街道乡镇', '乡镇/街道', '街道/乡镇', '乡镇', '街道', '乡（镇、街道）', '镇（街道）',
    '街道（镇）', '镇（乡、街道）', '乡、镇（街道）', '乡镇（街道办事处）', '街道办事处', '镇街', '街镇', '乡镇、街道', '街道、乡镇',
  ],
  community: [
    'community', '社区', '社区（村）', '村（社区）', '村居', '社区/村', '村/社区', '村（居）', '村社区', '社区村', '村', '村、社区', '社区、村',
    '居委会', '村委会', '社区居委会', '村（居）委会', '村居委会', '村（居）民委员会', '社区（村）委员会', '村（社区）委员会',
  ],
  category: [
    'category', '类别', '组织类别', '类型', '组织类型', '分类', '组织分类', '社区社会组织类别', '社区社会组织类型', '服务类型', '服务类别',
    '活动类型', '活动类别', '服务领域', '活动领域', '类别（类型）',
  ],
  registration: [
    'registration', '登记方式', '登记/备案', '登记或备案', '登记备案', '备案/登记', '备案或登记', '备案登记', '登记（备案）', '备案（登记）',
    '登记类型', '登记备案类型', '登记备案情况', '备案登记情况', '登记情况', '备案情况', '管理方式', '登记管理方式', '登记状态', '备案状态',
  ],
  filed_flag: ['是否备案', '是否已备案', '已备案'],
  registered_flag: ['是否登记', '是否已登记', '是否登记注册', '是否注册登记', '已登记'],
  credit_code: ['credit_code', '统一社会信用代码', '统一代码', '信用代码', '社会信用代码', '统一社会信用代码（登记证号）'],
  established_on: ['established_on', '成立日期', '成立时间', '成立年月', '成立年份', '成立年度', '组建时间', '组建日期', '建立时间', '成立日期（年月日）'],
  registered_on: ['registered_on', '备案日期', '备案时间', '登记日期', '登记时间', '备案登记时间', '登记备案时间', '备案登记日期', '登记备案日期', '批准日期', '核准日期'],
  dissolved_on: ['dissolved_on', '注销日期', '注销时间', '撤销日期', '撤销时间', '解散日期', '解散时间'],
  status: ['status', '状态', '组织状态', '存续状态', '运行状态', '活动状态', '是否注销', '注销情况', '运行情况', '活动情况'],
  remarks: ['remarks', '备注', '备注说明', '备注栏', '说明'],
  // 序号 is read only to recognise totals and blank numbered rows; it is not an ignored column
  serial: ['serial', '序号', '序', '编号', 'no', 'no.', '序列号'],
};

export const OBSERVATION_HEADER_SYNONYMS: Record<ObservationField, string[]> = {
  area_code: ['area_code', '区划代码', '地区代码'],
  metric: ['metric', '指标'],
  value: ['value', '数值', '值'],
  as_of: ['as_of', '截止日期', '统计日期'],
  source_title: ['source_title', '来源', '来源名称', '资料来源'],
  source_url: ['source_url', '来源链接', '来源网址'],
  note: ['note', '备注', '说明'],
};

/** Chinese display name of a field, for messages. */
export const ORG_FIELD_ZH: Record<OrgField, string> = {
  name: '组织名称',
  community_code: '社区代码',
  county: '区县',
  township: '乡镇街道',
  community: '社区',
  category: '类别',
  registration: '登记方式',
  filed_flag: '是否备案',
  registered_flag: '是否登记',
  credit_code: '统一社会信用代码',
  established_on: '成立日期',
  registered_on: '备案日期',
  dissolved_on: '注销日期',
  status: '状态',
  remarks: '备注',
  serial: '序号',
};

/**
 * NFKC (full-width → half-width), drop all whitespace (incl. U+3000 and NBSP), a trailing "*" or
 * "(必填)", English case, and the "_"/"-" separators so "Community Code" = "community_code".
 */
export function normaliseHeader(raw: string): string {
  // The row classifier asks this of every organization's name (src/lib/ingest/table.ts): most are plain text.
  const plain = PLAIN_TEXT.test(raw);
  let h = plain ? raw : raw.normalize('NFKC').replace(/[\s\u200b-\u200d\ufeff]+/g, '');
  while (h.startsWith('*') || h.endsWith('*') || h.endsWith(')')) {
    const stripped = h.replace(/(\*|\(必填\)|\(必填项\)|\(选填\))$/, '').replace(/^\*/, '');
    if (stripped === h) break;
    h = stripped;
  }
  return plain && !/[A-Z_-]/.test(h) ? h : h.toLowerCase().replace(/[_-]/g, '');
}

export interface HeaderMapping<F extends string> {
  /** field → column index */
  columns: Partial<Record<F, number>>;
  /** headers as written, per field */
  written: Partial<Record<F, string>>;
  /** headers not recognised, as written (columns with an empty header are skipped) */
  ignored: string[];
  /** the same field claimed by two columns: [field, first header, second header] */
  duplicates: [F, string, string][];
}

const HEADER_PREFIX_WORDS = ['所在地', '所属地', '所属', '所在', '隶属', '归属', '所处'];
const HEADER_PREFIX = new RegExp(`^(${HEADER_PREFIX_WORDS.join('|')})`);
const HEADER_NAME_SUFFIX = /(名称|名字)$/;
const HEADER_HINT = /\([^()]*\)$/;

/**
 * The normalised forms a header is looked up by, in order: as written, without a leading 所属…,
 * without a trailing 名称, and without a trailing parenthesised hint, each step on the previous
 * result (所属社区（村）名称 → 社区(村)名称 → 社区(村)).
 */
export function lookupKeys(raw: string): string[] {
  const keys: string[] = [];
  let key = normaliseHeader(raw);
  const push = (k: string) => {
    if (k !== '' && !keys.includes(k)) keys.push(k);
  };
  push(key);
  for (const strip of [HEADER_PREFIX, HEADER_NAME_SUFFIX, HEADER_HINT, HEADER_NAME_SUFFIX]) {
    key = key.replace(strip, '');
    push(key);
  }
  return keys;
}

interface Lookup<F extends string> {
  byKey: Map<string, F>;
  /** the first two characters of every key (the key itself when it has one) */
  starts: Set<string>;
  /** headerFirstChars, made on first ask */
  firstChars?: Set<number>;
}

const lookups = new WeakMap<object, Lookup<string>>();

function lookupOf<F extends string>(synonyms: Record<F, string[]>): Lookup<F> {
  let lookup = lookups.get(synonyms) as Lookup<F> | undefined;
  if (!lookup) {
    lookup = { byKey: new Map<string, F>(), starts: new Set<string>() };
    for (const field of Object.keys(synonyms) as F[]) {
      for (const s of synonyms[field]) {
        const key = normaliseHeader(s);
        lookup.byKey.set(key, field);
        lookup.starts.add(key.slice(0, 2));
      }
    }
    lookups.set(synonyms, lookup);
  }
  return lookup;
}

/**
 * Whether some lookup key of a normalised header could be a known one. Every key is the header, or the header
 * without its leading 所属…, cut at the end only (lookupKeys): it begins with the first two characters of one of
 * these two, or is the first character alone. A name cell of an ordinary row (the row classifier asks for each)
 * fails this at once, without the four replaces.
 */
function mayBeKnown(normalised: string, starts: ReadonlySet<string>): boolean {
  if (starts.has(normalised.slice(0, 2)) || starts.has(normalised.slice(0, 1))) return true;
  const unprefixed = normalised.replace(HEADER_PREFIX, '');
  return unprefixed !== normalised && (starts.has(unprefixed.slice(0, 2)) || starts.has(unprefixed.slice(0, 1)));
}

/**
 * The first characters (char codes) a header can begin with and still be known: those of every lookup key and of
 * the 所属… prefixes. normaliseHeader keeps a CJK Unified Ideograph at the start of a header (NFKC, the squeeze, the
 * `*` and 必填 stripping and the lowercasing leave it), so a header that begins with one outside this set is known
 * to no synonym (mayBeKnown fails): the row classifier's fast path (table.ts) asks this of each name.
 */
export function headerFirstChars<F extends string>(synonyms: Record<F, string[]>): ReadonlySet<number> {
  const lookup = lookupOf(synonyms);
  if (!lookup.firstChars) {
    const chars = new Set<number>();
    for (const start of lookup.starts) if (start !== '') chars.add(start.charCodeAt(0));
    for (const prefix of HEADER_PREFIX_WORDS) chars.add(prefix.charCodeAt(0));
    lookup.firstChars = chars;
  }
  return lookup.firstChars;
}

/** The field a header means, or undefined. */
export function headerField<F extends string>(header: string, synonyms: Record<F, string[]>): F | undefined {
  const { byKey: lookup, starts } = lookupOf(synonyms);
  if (!mayBeKnown(normaliseHeader(header), starts)) return undefined;
  for (const key of lookupKeys(header)) {
    const field = lookup.get(key);
    if (field) return field;
  }
  return undefined;
}

/** display: the labels to report (as a person reads them), when they differ from the labels looked up. */
export function mapHeaders<F extends string>(headers: readonly string[], synonyms: Record<F, string[]>, display: readonly string[] = headers): HeaderMapping<F> {
  const columns: Partial<Record<F, number>> = {};
  const written: Partial<Record<F, string>> = {};
  const ignored: string[] = [];
  const duplicates: [F, string, string][] = [];
  headers.forEach((header, index) => {
    const field = headerField(header, synonyms);
    const label = (display[index] ?? header).trim();
    if (!field) {
      if (normaliseHeader(header) !== '') ignored.push(label);
      return;
    }
    if (columns[field] !== undefined) {
      duplicates.push([field, written[field]!, label]);
      return;
    }
    columns[field] = index;
    written[field] = label;
  });
  return { columns, written, ignored, duplicates };
}

/** How many headers of a row are recognised: used to find the header row and the delimiter. */
export function headerScore<F extends string>(cells: readonly unknown[], synonyms: Record<F, string[]>): number {
  const strings = cells.map((c) => (typeof c === 'string' ? c : c == null ? '' : String(c)));
  return Object.keys(mapHeaders(strings, synonyms).columns).length;
}
