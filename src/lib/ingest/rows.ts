import { CATEGORIES, REGISTRATIONS, type Category, type OrgRecord, type Registration } from '../core/types';
import { checkCreditCode } from './credit-code';
import { parseDate } from './dates';
import { problem, type Problem } from './errors';
import type { ObservationField, OrgField } from './headers';
import type { PlacementMatcher } from './match';
import { cellText, isCellIssue, isMergedCell, type Cell, type LocatedTable, type RawRecord } from './table';

/**
 * Row rules: one raw record → a normalised record or the list of problems found in it.
 * All problems of a row are collected so an official can fix a row in one pass.
 */

export const MAX_NAME_LENGTH = 200;

/** Columns whose value a merged region (typical "one county, many rows" exports) applies to every covered row. */
const MERGE_PROPAGATES: ReadonlySet<string> = new Set<OrgField>(['county', 'township', 'community', 'community_code']);

type FieldValue = { ok: true; value: string | number | Date | null } | { ok: false; problem: Problem };

/** Reads one field of a record: empty → null; unreadable cells and non-propagated merges → a problem. */
function field<F extends string>(table: LocatedTable<F>, record: RawRecord, name: F): FieldValue {
  const index = table.mapping.columns[name];
  if (index === undefined) return { ok: true, value: null };
  const column = table.mapping.written[name]!;
  let cell: Cell = record.cells[index] ?? null;
  if (isMergedCell(cell)) {
    if (!MERGE_PROPAGATES.has(name)) {
      const text = cellText(cell.value);
      if (text.trim() === '') return { ok: true, value: null };
      return {
        ok: false,
        problem: problem(
          column,
          `单元格属于合并区域 ${cell.range}，值“${text}”只在首格 ${cell.master}；只有区县、乡镇街道、社区列的合并单元格会应用到每一行，请取消合并并逐行填写`,
          `cell is inside the merged region ${cell.range} whose value "${text}" sits in ${cell.master} only; merged cells apply to every row only in the county, township and community columns: unmerge and fill each row`,
          text,
        ),
      };
    }
    cell = cell.value;
  }
  if (isCellIssue(cell)) return { ok: false, problem: problem(column, cell.zh, cell.en, cell.raw) };
  if (typeof cell === 'string' && cell.trim() === '') return { ok: true, value: null };
  return { ok: true, value: cell };
}

const asText = (v: string | number | Date | null): string | null => (v === null ? null : v instanceof Date ? v.toISOString().slice(0, 10) : String(v));

/**
 * Whitespace of any width (NBSP, U+3000, tabs, line breaks) becomes one space; invisible zero-width
 * spaces go (they defeat duplicate detection). The zero-width joiner stays: emoji sequences need it.
 */
export function normaliseOrgName(raw: string): string {
  return raw
    .replace(/[\u200b\u2060\ufeff]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;

export function normaliseCategory(raw: string): Category | null {
  const v = raw.normalize('NFKC').replace(/\s+/g, '').replace(/^其它$/, '其他');
  if ((CATEGORIES as readonly string[]).includes(v)) return v as Category;
  if ((CATEGORIES as readonly string[]).includes(v + '型')) return (v + '型') as Category;
  return null;
}

export function normaliseRegistration(raw: string): Registration | null {
  const v = raw.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
  if ((REGISTRATIONS as readonly string[]).includes(v)) return v as Registration;
  if (v === 'registered') return '登记';
  if (v === 'filed') return '备案';
  return null;
}

export interface OrgRowContext {
  file: string;
  table: LocatedTable<OrgField>;
  matcher: PlacementMatcher;
  asOf: string;
  date1904: boolean;
}

export type OrgRowResult = { ok: true; record: OrgRecord } | { ok: false; problems: Problem[]; name: string | null };

export function validateOrgRow(ctx: OrgRowContext, record: RawRecord): OrgRowResult {
  const { table } = ctx;
  const col = (f: OrgField) => table.mapping.written[f] ?? null;
  if (record.problem) {
    const nameIndex = table.mapping.columns.name;
    // a record cut at an unclosed quote is one raw line, not fields: no name to show
    const name = nameIndex === undefined || record.cells.length < 2 ? '' : normaliseOrgName(cellText(record.cells[nameIndex] ?? null));
    return { ok: false, problems: [record.problem], name: name || null };
  }
  const problems: Problem[] = [];
  // fields whose cell could not be read: their problem is already listed, no "is empty" on top
  const unreadable = new Set<OrgField>();
  const get = (f: OrgField): string | number | Date | null => {
    const r = field(table, record, f);
    if (!r.ok) {
      problems.push(r.problem);
      unreadable.add(f);
      return null;
    }
    return r.value;
  };
  const text = (f: OrgField): string | null => {
    const v = asText(get(f));
    return v === null || v.trim() === '' ? null : v;
  };

  const nameField = field(table, record, 'name');
  const rawName = nameField.ok ? asText(nameField.value) : null;
  const name = rawName === null ? null : normaliseOrgName(rawName);
  if (!nameField.ok) problems.push(nameField.problem);
  else if (name === null || name === '') {
    problems.push(problem(col('name'), '组织名称为空', 'organization name is empty', rawName));
  } else if (CONTROL_CHARS.test(name)) {
    problems.push(problem(col('name'), '组织名称含控制字符', 'organization name contains control characters', rawName));
  } else if ([...name].length > MAX_NAME_LENGTH) {
    problems.push(
      problem(
        col('name'),
        `名称过长（${[...name].length} 字，上限 ${MAX_NAME_LENGTH}）：可能是几列被并进了一格`,
        `name too long (${[...name].length} characters, limit ${MAX_NAME_LENGTH}): several columns may have been merged into one cell`,
        rawName,
      ),
    );
  }

  const rawCategory = text('category');
  const category = rawCategory === null ? null : normaliseCategory(rawCategory);
  if (rawCategory === null) {
    if (!unreadable.has('category')) problems.push(problem(col('category'), '类别为空', 'category is empty'));
  } else if (category === null) {
    problems.push(problem(col('category'), `未知类别：${rawCategory}（应为 ${CATEGORIES.join('、')}）`, `unknown category: ${rawCategory} (expected one of ${CATEGORIES.join(', ')})`, rawCategory));
  }

  const rawRegistration = text('registration');
  const registration = rawRegistration === null ? null : normaliseRegistration(rawRegistration);
  if (rawRegistration === null) {
    if (!unreadable.has('registration')) problems.push(problem(col('registration'), '登记方式为空', 'registration is empty'));
  } else if (registration === null) {
    problems.push(problem(col('registration'), `未知登记方式：${rawRegistration}（应为 登记 或 备案）`, `unknown registration: ${rawRegistration} (expected 登记 or 备案, registered or filed)`, rawRegistration));
  }

  const rawCredit = text('credit_code');
  let creditCode: string | null = null;
  if (rawCredit !== null) {
    const check = checkCreditCode(rawCredit);
    if (check.ok) creditCode = check.code;
    else problems.push(problem(col('credit_code'), check.zh, check.en, rawCredit));
  }

  const date = (f: 'established_on' | 'dissolved_on'): string | null => {
    const v = get(f);
    const parsed = parseDate(v, ctx.date1904);
    if (parsed === null) return null;
    if (!parsed.ok) {
      problems.push(problem(col(f), parsed.zh, parsed.en, asText(v)));
      return null;
    }
    return parsed.iso;
  };
  const establishedOn = date('established_on');
  const dissolvedOn = date('dissolved_on');
  if (establishedOn && establishedOn > ctx.asOf) {
    problems.push(problem(col('established_on'), `成立日期 ${establishedOn} 晚于数据截止日期 ${ctx.asOf}`, `established on ${establishedOn}, after the dataset's as-of date ${ctx.asOf}`, establishedOn));
  }
  if (establishedOn && dissolvedOn && dissolvedOn < establishedOn) {
    problems.push(problem(col('dissolved_on'), `注销日期 ${dissolvedOn} 早于成立日期 ${establishedOn}`, `dissolved on ${dissolvedOn}, before it was established on ${establishedOn}`, dissolvedOn));
  }

  const placementInput = {
    communityCode: text('community_code')?.normalize('NFKC').trim() ?? null,
    county: text('county'),
    township: text('township'),
    community: text('community'),
  };
  const placed = ctx.matcher.place(placementInput, {
    communityCode: col('community_code'),
    county: col('county'),
    township: col('township'),
    community: col('community'),
  });
  if (!placed.ok) problems.push(placed.problem);

  if (problems.length || !placed.ok || !name || !category || !registration) {
    return { ok: false, problems, name: name || null };
  }
  return {
    ok: true,
    record: {
      name,
      communityCode: placed.placement.communityCode,
      townshipCode: placed.placement.townshipCode,
      countyCode: placed.placement.countyCode,
      category,
      registration,
      creditCode,
      establishedOn,
      dissolvedOn,
      source: { file: ctx.file, line: record.line },
    },
  };
}

/** The key under which two rows are the same organization by name: normalised name + narrowest known place. */
export function orgNameKey(record: OrgRecord): string {
  const place = record.communityCode ?? (record.townshipCode ? `t${record.townshipCode}` : `c${record.countyCode}`);
  return `${place}\u0000${record.name.normalize('NFKC').replace(/\s+/g, '').toLowerCase()}`;
}

// ---------------------------------------------------------------- observations

export interface ObservationRowContext {
  file: string;
  table: LocatedTable<ObservationField>;
  areaCodes: ReadonlySet<string>;
  /** Metric vocabulary of the targets registry; without it any non-empty metric is kept. */
  metrics?: ReadonlySet<string>;
}

export interface ObservationValue {
  area_code: string;
  metric: string;
  value: number;
  as_of: string;
  source_title: string;
  source_url: string | null;
  note: string | null;
}

export type ObservationRowResult = { ok: true; observation: ObservationValue } | { ok: false; problems: Problem[] };

const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;
const THOUSANDS = /^-?\d{1,3}(,\d{3})+(\.\d+)?$/;

/** "1234.5" and "1,234.5" are numbers; "1,5" or "1.234,5" are ambiguous between conventions and rejected. */
export function parseObservationNumber(raw: string): number | null {
  const v = raw.normalize('NFKC').trim();
  if (PLAIN_NUMBER.test(v)) return Number(v);
  if (THOUSANDS.test(v)) return Number(v.replace(/,/g, ''));
  return null;
}

export function validateObservationRow(ctx: ObservationRowContext, record: RawRecord): ObservationRowResult {
  if (record.problem) return { ok: false, problems: [record.problem] };
  const { table } = ctx;
  const col = (f: ObservationField) => table.mapping.written[f] ?? null;
  const problems: Problem[] = [];
  const text = (f: ObservationField): string | null => {
    const r = field(table, record, f);
    if (!r.ok) {
      problems.push(r.problem);
      return null;
    }
    const v = asText(r.value);
    return v === null || v.trim() === '' ? null : v.trim();
  };
  const required = (f: ObservationField, zh: string): string | null => {
    const v = text(f);
    if (v === null) problems.push(problem(col(f), `${zh}为空`, `${f} is empty`));
    return v;
  };

  const areaCode = required('area_code', '区划代码');
  if (areaCode !== null && !ctx.areaCodes.has(areaCode.normalize('NFKC'))) {
    problems.push(problem(col('area_code'), `未知区划代码（应为 6 位代码）：${areaCode}`, `unknown area code (expected a 6-digit code): ${areaCode}`, areaCode));
  }
  const metric = required('metric', '指标');
  if (metric !== null && ctx.metrics && !ctx.metrics.has(metric)) {
    const known = [...ctx.metrics].join(', ');
    problems.push(problem(col('metric'), `未知指标（应为目标登记表中的指标之一：${known}）：${metric}`, `unknown metric (expected one of the targets registry's: ${known}): ${metric}`, metric));
  }
  const rawValue = required('value', '数值');
  const value = rawValue === null ? null : parseObservationNumber(rawValue);
  if (rawValue !== null && value === null) {
    problems.push(problem(col('value'), `不是数值（小数点用“.”，千分位只能用“,”）：${rawValue}`, `not a number (use "." for decimals, "," only as a thousands separator): ${rawValue}`, rawValue));
  }
  const rawAsOf = required('as_of', '截止日期');
  let asOf: string | null = null;
  if (rawAsOf !== null) {
    const parsed = parseDate(rawAsOf);
    if (parsed?.ok) asOf = parsed.iso;
    else if (parsed) problems.push(problem(col('as_of'), parsed.zh, parsed.en, rawAsOf));
  }
  const sourceTitle = required('source_title', '来源');
  const sourceUrl = text('source_url');
  if (sourceUrl !== null && !isHttpUrl(sourceUrl)) {
    problems.push(problem(col('source_url'), `来源链接须为 http(s) 网址：${sourceUrl}`, `source_url must be an http(s) URL: ${sourceUrl}`, sourceUrl));
  }
  const note = text('note');
  if (problems.length || areaCode === null || metric === null || value === null || asOf === null || sourceTitle === null) {
    return { ok: false, problems };
  }
  return {
    ok: true,
    observation: { area_code: areaCode.normalize('NFKC'), metric, value, as_of: asOf, source_title: sourceTitle, source_url: sourceUrl, note },
  };
}

function isHttpUrl(s: string): boolean {
  try {
    const url = new URL(s);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
