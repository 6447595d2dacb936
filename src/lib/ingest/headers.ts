/**
 * Column headers → fields. Officials' spreadsheets carry full-width brackets, stray spaces,
 * "*" or "（必填）" markers and local wording, so headers are normalised before lookup.
 */

export const ORG_FIELDS = [
  'name',
  'community_code',
  'county',
  'township',
  'community',
  'category',
  'registration',
  'credit_code',
  'established_on',
  'dissolved_on',
] as const;
export type OrgField = (typeof ORG_FIELDS)[number];

export const OBSERVATION_FIELDS = ['area_code', 'metric', 'value', 'as_of', 'source_title', 'source_url', 'note'] as const;
export type ObservationField = (typeof OBSERVATION_FIELDS)[number];

/** Every accepted spelling per field; the first Chinese one is the documented header (PRODUCT.md). */
export const ORG_HEADER_SYNONYMS: Record<OrgField, string[]> = {
  name: ['name', '组织名称', '社会组织名称', '社区社会组织名称', '名称', '组织名'],
  community_code: ['community_code', '社区代码', '村居代码', '统计用区划代码', '社区（村）代码', '村（社区）代码'],
  county: ['county', '区县', '县区', '区（县）', '县（区）', '县（市、区）', '区县名称'],
  township: ['township', '乡镇街道', '乡镇（街道）', '街道（乡镇）', '街道乡镇', '乡镇/街道', '街道/乡镇', '乡镇', '街道'],
  community: ['community', '社区', '社区（村）', '村（社区）', '村居', '社区/村', '村/社区', '社区名称'],
  category: ['category', '类别', '组织类别', '类型', '组织类型'],
  registration: ['registration', '登记方式', '登记/备案', '登记或备案', '登记备案'],
  credit_code: ['credit_code', '统一社会信用代码', '统一代码', '信用代码'],
  established_on: ['established_on', '成立日期', '成立时间'],
  dissolved_on: ['dissolved_on', '注销日期', '注销时间'],
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
  credit_code: '统一社会信用代码',
  established_on: '成立日期',
  dissolved_on: '注销日期',
};

/**
 * NFKC (full-width → half-width), drop all whitespace (incl. U+3000 and NBSP), a trailing "*" or
 * "(必填)", English case, and the "_"/"-" separators so "Community Code" = "community_code".
 */
export function normaliseHeader(raw: string): string {
  let h = raw.normalize('NFKC').replace(/[\s\u200b-\u200d\ufeff]+/g, '');
  for (;;) {
    const stripped = h.replace(/(\*|\(必填\)|\(必填项\)|\(选填\))$/, '').replace(/^\*/, '');
    if (stripped === h) break;
    h = stripped;
  }
  return h.toLowerCase().replace(/[_-]/g, '');
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

export function mapHeaders<F extends string>(headers: readonly string[], synonyms: Record<F, string[]>): HeaderMapping<F> {
  const lookup = new Map<string, F>();
  for (const field of Object.keys(synonyms) as F[]) {
    for (const s of synonyms[field]) lookup.set(normaliseHeader(s), field);
  }
  const columns: Partial<Record<F, number>> = {};
  const written: Partial<Record<F, string>> = {};
  const ignored: string[] = [];
  const duplicates: [F, string, string][] = [];
  headers.forEach((header, index) => {
    const key = normaliseHeader(header);
    const field = lookup.get(key);
    if (!field) {
      if (key !== '') ignored.push(header.trim());
      return;
    }
    if (columns[field] !== undefined) {
      duplicates.push([field, written[field]!, header]);
      return;
    }
    columns[field] = index;
    written[field] = header.trim();
  });
  return { columns, written, ignored, duplicates };
}

/** How many headers of a row are recognised: used to find the header row and the delimiter. */
export function headerScore<F extends string>(cells: readonly unknown[], synonyms: Record<F, string[]>): number {
  const strings = cells.map((c) => (typeof c === 'string' ? c : c == null ? '' : String(c)));
  return Object.keys(mapHeaders(strings, synonyms).columns).length;
}
