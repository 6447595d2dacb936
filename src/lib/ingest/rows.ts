import type { Category, DatePrecision, OrgRecord, Registration, Unit } from '../core/types';
import { checkCreditCode } from './credit-code';
import { PLAIN_TEXT, nfkc } from '../core/text';
import { isIsoDay, parseDate } from './dates';
import { problem, type Problem } from './errors';
import type { ObservationField, OrgField } from './headers';
import type { PlaceNames, Placement, PlacementMatcher, PlacementResult } from './match';
import { assumedRegistration, readCategory, readDissolution, readRegistration, readYesNo } from './vocabulary';
import { cellText, isCellIssue, isMergedCell, type Cell, type LocatedTable, type RawRecord, type TableHead } from './table';

/**
 * Row rules: one raw record → a normalised record or the list of problems found in it.
 * All problems of a row are collected so an official can fix a row in one pass.
 */

export const MAX_NAME_LENGTH = 200;

/**
 * Columns whose value a merged region applies to every covered row, as a person reads it: the
 * place ("one county, many rows" exports) and the category and registration (ledgers sorted by
 * type merge them). A merged name, date or code is not repeated: the row is rejected.
 */
const MERGE_PROPAGATES: ReadonlySet<string> = new Set<OrgField>(['county', 'township', 'community', 'community_code', 'category', 'registration', 'filed_flag', 'registered_flag']);

type FieldValue = { ok: true; value: string | number | Date | null } | { ok: false; problem: Problem };
/** An empty or absent field: one shared value (a national read asks ~10 M of them; results are never mutated). */
const EMPTY_FIELD: FieldValue = Object.freeze({ ok: true, value: null }) as FieldValue;

/** Reads one field of a record: empty → null; unreadable cells and non-propagated merges → a problem. */
function field<F extends string>(table: TableHead<F>, record: RawRecord, name: F): FieldValue {
  const index = table.mapping.columns[name];
  if (index === undefined) return EMPTY_FIELD;
  const column = table.mapping.written[name]!;
  let cell: Cell = record.cells[index] ?? null;
  if (isMergedCell(cell)) {
    if (!MERGE_PROPAGATES.has(name)) {
      const text = cellText(cell.value);
      if (text.trim() === '') return EMPTY_FIELD;
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
  if (cell === null || (typeof cell === 'string' && (cell === '' || cell.trim() === ''))) return EMPTY_FIELD;
  return { ok: true, value: cell };
}

const asText = (v: string | number | Date | null): string | null => (v === null ? null : v instanceof Date ? v.toISOString().slice(0, 10) : String(v));

/**
 * Whitespace of any width (NBSP, U+3000, tabs, line breaks) becomes one space; invisible zero-width
 * spaces go (they defeat duplicate detection). The zero-width joiner stays: emoji sequences need it.
 */
export function normaliseOrgName(raw: string): string {
  if (PLAIN_TEXT.test(raw)) return raw;
  return raw
    .replace(/[\u200b\u2060\ufeff]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;

/** A problem on a counted row: what was read, and what the row was counted as. */
export interface RowWarning extends Problem {
  assumed: string;
}

const warning = (column: string | null, zh: string, en: string, value: string | null, assumed: string): RowWarning => ({ column, zh, en, value, assumed });

export interface OrgRowContext {
  file: string;
  sheet?: string;
  table: TableHead<OrgField>;
  matcher: PlacementMatcher;
  asOf: string;
  date1904: boolean;
  /** county and township read from the title, sheet or file name: used where the row has none */
  context?: { countyCode: string | null; townshipCode: string | null; ledgerAsOf: string | null };
  /** dataset.json category_map */
  categoryMap?: Readonly<Record<string, Category>>;
}

/** Which placement columns placed the row (for the "a placement column placed no row" check) and whether context filled a gap. */
export interface RowPlacementUse {
  community: boolean;
  township: boolean;
  countyFromContext: boolean;
  townshipFromContext: boolean;
}

export type OrgRowResult =
  | { ok: true; record: OrgRecord; warnings: RowWarning[]; placement: RowPlacementUse }
  | { ok: false; problems: Problem[]; name: string | null; placement: RowPlacementUse | null };

/**
 * One organization row. Rejected (problems) only when it cannot be counted: no name, no
 * placement, a date that does not exist or comes after the as-of date, a credit code that is
 * wrong (it identifies the organization, so duplicates could hide behind it). A field that does
 * not change the count (category, registration, a dissolution without a date) is a warning.
 */
export function validateOrgRow(ctx: OrgRowContext, record: RawRecord): OrgRowResult {
  const { table } = ctx;
  const col = (f: OrgField) => table.mapping.written[f] ?? null;
  if (record.problem) {
    const nameIndex = table.mapping.columns.name;
    // a record cut at an unclosed quote is one raw line, not fields: no name to show
    const name = nameIndex === undefined || record.cells.length < 2 ? '' : normaliseOrgName(cellText(record.cells[nameIndex] ?? null));
    return { ok: false, problems: [record.problem], name: name || null, placement: null };
  }
  const problems: Problem[] = [];
  const warnings: RowWarning[] = [];
  // fields whose cell could not be read: their problem is already listed, no "is empty" on top
  const unreadable: OrgField[] = []; // an array, not a Set: one per row of a national read, and it is almost always empty
  const unreadableAsWarning = (f: OrgField, assumed: string): string | null => {
    const r = field(table, record, f);
    if (r.ok) {
      const v = asText(r.value);
      return v === null || v.trim() === '' ? null : v;
    }
    unreadable.push(f);
    warnings.push({ ...r.problem, zh: `${r.problem.zh}；按“${assumed}”计`, en: `${r.problem.en}; counted as ${assumed}`, assumed });
    return null;
  };
  const get = (f: OrgField): string | number | Date | null => {
    const r = field(table, record, f);
    if (!r.ok) {
      problems.push(r.problem);
      unreadable.push(f);
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
  } else if (name.length > MAX_NAME_LENGTH && [...name].length > MAX_NAME_LENGTH) {
    // (a name of at most MAX_NAME_LENGTH UTF-16 units has at most as many characters: no array per row)
    problems.push(
      problem(
        col('name'),
        `名称过长（${[...name].length} 字，上限 ${MAX_NAME_LENGTH}）：可能是几列被并进了一格`,
        `name too long (${[...name].length} characters, limit ${MAX_NAME_LENGTH}): several columns may have been merged into one cell`,
        rawName,
      ),
    );
  }

  const rawCredit = text('credit_code');
  let creditCode: string | null = null;
  if (rawCredit !== null) {
    const check = checkCreditCode(rawCredit);
    if (check.ok) creditCode = check.code;
    else problems.push(problem(col('credit_code'), check.zh, check.en, rawCredit));
  }

  // category: the word as written is kept; the plan type comes from the crosswalk (vocabulary.ts)
  const rawCategory = unreadableAsWarning('category', '其他');
  let category: Category = '其他';
  if (rawCategory === null) {
    if (!unreadable.includes('category')) warnings.push(warning(col('category'), '类别为空，按“其他”计', 'category is empty, counted as 其他 (other)', null, '其他'));
  } else {
    const read = readCategory(rawCategory, ctx.categoryMap);
    category = read.category;
    if (!read.ok) warnings.push(warning(col('category'), read.zh, read.en, rawCategory, read.category));
  }

  const registration = readRegistrationFields(ctx, record, creditCode, warnings, unreadableAsWarning);

  const date = (f: 'established_on' | 'dissolved_on' | 'registered_on'): { iso: string; precision: DatePrecision } | null => {
    const v = get(f);
    const parsed = parseDate(v, ctx.date1904);
    if (parsed === null) return null;
    if (!parsed.ok) {
      problems.push(problem(col(f), parsed.zh, parsed.en, asText(v)));
      return null;
    }
    if (parsed.note) warnings.push(warning(col(f), parsed.note.zh, parsed.note.en, asText(v), parsed.iso.slice(0, 7)));
    return { iso: parsed.iso, precision: parsed.precision };
  };
  let established = date('established_on');
  if (!established && !unreadable.includes('established_on') && table.mapping.columns.registered_on !== undefined) {
    // 备案日期 / 登记日期 stands for the founding date when that is not given
    const registeredOn = date('registered_on');
    if (registeredOn && table.mapping.columns.established_on !== undefined) {
      warnings.push(
        warning(col('established_on'), `成立日期为空，按${col('registered_on')}计`, `the established date is empty: the date in ${col('registered_on')} is used`, null, registeredOn.iso),
      );
    }
    established = registeredOn;
  }
  let dissolved = date('dissolved_on');
  let dissolvedColumn = col('dissolved_on');
  let dissolvedDateUnknown = false;
  if (!dissolved && !unreadable.includes('dissolved_on')) {
    // 注销 / 撤销 / 解散 written in 状态 or 备注 ends the organization
    for (const f of ['status', 'remarks'] as const) {
      const v = unreadableAsWarning(f, '未注销');
      if (v === null) continue;
      const read = readDissolution(v);
      if (!read.dissolved) continue;
      if (read.date) {
        dissolved = { iso: read.date.iso, precision: read.date.precision };
        dissolvedColumn = col(f);
      } else {
        dissolvedDateUnknown = true;
        warnings.push(
          warning(
            col(f),
            `写明“${read.word}”但没有日期：按已${read.word}计（日期不详），不计入任何日期的组织数`,
            `says "${read.word}" (dissolved) without a date: counted as dissolved at an unknown date, in no date's count`,
            v,
            `已${read.word}（日期不详）`,
          ),
        );
      }
      break;
    }
  }
  const establishedOn = established?.iso ?? null;
  const dissolvedOn = dissolved?.iso ?? null;
  const establishedColumn = table.mapping.columns.established_on !== undefined ? col('established_on') : col('registered_on');
  if (establishedOn && establishedOn > ctx.asOf) {
    problems.push(problem(establishedColumn, `成立日期 ${establishedOn} 晚于数据截止日期 ${ctx.asOf}`, `established on ${establishedOn}, after the dataset's as-of date ${ctx.asOf}`, establishedOn));
  } else if (establishedOn && ctx.context?.ledgerAsOf && establishedOn > ctx.context.ledgerAsOf) {
    warnings.push(
      warning(
        establishedColumn,
        `成立日期 ${establishedOn} 晚于台账标题中的截至日期 ${ctx.context.ledgerAsOf}（仍早于数据截止日期，照常计入）`,
        `established on ${establishedOn}, after the ledger's own as-of date ${ctx.context.ledgerAsOf} (still before the dataset's: counted)`,
        establishedOn,
        establishedOn,
      ),
    );
  }
  if (establishedOn && dissolvedOn && dissolvedOn < establishedOn) {
    problems.push(problem(dissolvedColumn, `注销日期 ${dissolvedOn} 早于成立日期 ${establishedOn}`, `dissolved on ${dissolvedOn}, before it was established on ${establishedOn}`, dissolvedOn));
  }

  const placed = place(ctx, text);
  if (!placed.result.ok) problems.push(placed.result.problem);
  const use: RowPlacementUse = {
    community: placed.result.ok && placed.result.placement.communityCode !== null,
    township: placed.result.ok && placed.result.placement.townshipCode !== null,
    countyFromContext: placed.countyFromContext,
    townshipFromContext: placed.townshipFromContext,
  };

  if (problems.length || !placed.result.ok || !name) {
    return { ok: false, problems, name: name || null, placement: placed.result.ok ? use : null };
  }
  return {
    ok: true,
    warnings,
    placement: use,
    record: {
      name,
      communityCode: placed.result.placement.communityCode,
      townshipCode: placed.result.placement.townshipCode,
      countyCode: placed.result.placement.countyCode,
      category,
      categoryRaw: rawCategory === null ? null : rawCategory.trim(),
      registration,
      creditCode,
      establishedOn,
      establishedPrecision: established?.precision ?? null,
      dissolvedOn,
      dissolvedPrecision: dissolved?.precision ?? null,
      dissolvedDateUnknown,
      source: ctx.sheet === undefined ? { file: ctx.file, line: record.line } : { file: ctx.file, line: record.line, sheet: ctx.sheet },
    },
  };
}

/**
 * The common row of a large file in one pass, without validateOrgRow's closures and result objects (a national
 * read validates 1.75 M rows): plain text cells (strings NFKC, trim and squeeze leave alone); a known in-scope
 * community code with place names, if any, that name its unit, or no code and names that place the row without the
 * sheet's title; a known category and registration; valid dates that need no note; no dissolution word to look for.
 * It returns exactly the record validateOrgRow would return for such a row, which has no warning
 * (tests/ingest/rows.integration.test.ts compares the two), and null for any other row, which then goes through
 * validateOrgRow.
 */
export function plainRowReader(ctx: OrgRowContext): (record: RawRecord) => OrgRecord | null {
  const { columns } = ctx.table.mapping;
  const none = () => null;
  const index = (f: OrgField) => columns[f] ?? -1;
  const [name, code, category, registration, credit, established, dissolved] = (
    ['name', 'community_code', 'category', 'registration', 'credit_code', 'established_on', 'dissolved_on'] as const
  ).map(index);
  // a row without these columns always has a warning (category empty → 其他 with a warning); registration flags, a
  // registered_on standing in for the established date, 状态 / 备注 words: the full path
  if (name < 0 || category < 0) return none;
  if (registration < 0 && (columns.filed_flag !== undefined || columns.registered_flag !== undefined)) return none;
  const mustBeEmpty = (['status', 'remarks'] as const).map(index).filter((i) => i >= 0);
  const [county, township, community] = (['county', 'township', 'community'] as const).map(index);
  const withNames = county >= 0 || township >= 0 || community >= 0;
  /** A place name cell: null when empty, itself when plain, undefined otherwise (the full path). */
  const placeName = (cells: RawRecord['cells'], i: number): string | null | undefined => {
    if (i < 0 || cells[i] === '') return null;
    const cell = cells[i];
    return plain(cell) ? cell : undefined;
  };
  // names beside a code repeat row after row (a ledger lists a community's organizations together): the last check is kept
  let last: { unit: Unit; county: string | null; township: string | null; community: string | null; agree: boolean } | null = null;
  const namesFit = (cells: RawRecord['cells'], unit: Unit): boolean => {
    const names = { county: placeName(cells, county), township: placeName(cells, township), community: placeName(cells, community) };
    if (names.county === undefined || names.township === undefined || names.community === undefined) return false;
    if (names.county === null && names.township === null && names.community === null) return true;
    if (last === null || last.unit !== unit || last.county !== names.county || last.township !== names.township || last.community !== names.community) {
      last = { unit, county: names.county, township: names.township, community: names.community, agree: matcher.namesAgainstUnit(unit, names as PlaceNames) === null };
    }
    return last.agree;
  };
  const registeredOn = columns.registered_on !== undefined;
  const { matcher, asOf, date1904, categoryMap, file, sheet } = ctx;
  const ledgerAsOf = ctx.context?.ledgerAsOf ?? null;
  const plain = (cell: Cell | undefined): cell is string => typeof cell === 'string' && cell !== '' && PLAIN_TEXT.test(cell);
  /** A date cell: null when empty, the day when it needs no note, undefined otherwise (the full path). */
  const dateOf = (cell: Cell | undefined): { iso: string; precision: DatePrecision } | null | undefined => {
    if (cell === '' || cell === undefined) return null;
    if (typeof cell !== 'string') return undefined;
    if (isIsoDay(cell)) return { iso: cell, precision: 'day' };
    const parsed = parseDate(cell, date1904);
    return parsed === null ? null : parsed.ok && !parsed.note ? parsed : undefined;
  };
  const placedByCode = (cells: RawRecord['cells']): Placement | null => {
    const unit = typeof cells[code] === 'string' ? matcher.unitInScope(cells[code]) : undefined;
    if (unit === undefined || (withNames && !namesFit(cells, unit))) return null;
    return { communityCode: unit.code, townshipCode: unit.townshipCode, countyCode: unit.countyCode };
  };
  // A row without a code (ledgers that name the place): validateOrgRow's own placement, memoised by name in the
  // matcher. A county or township taken from the sheet's title is counted for its note there: the full path.
  // The same three names row after row (a ledger lists a community's organizations together): the last answer is kept.
  let lastNames: { county: string | null; township: string | null; community: string | null; placement: Placement | null } | null = null;
  const placedByNames = (cells: RawRecord['cells']): Placement | null => {
    const names = [placeName(cells, county), placeName(cells, township), placeName(cells, community)];
    if (names.includes(undefined)) return null;
    const [c, t, u] = names as (string | null)[];
    if (lastNames !== null && lastNames.county === c && lastNames.township === t && lastNames.community === u) return lastNames.placement;
    const written: Partial<Record<OrgField, string | null>> = { county: c, township: t, community: u };
    const placed = place(ctx, (f) => written[f] ?? null);
    const placement = placed.result.ok && !placed.countyFromContext && !placed.townshipFromContext ? placed.result.placement : null;
    lastNames = { county: c, township: t, community: u, placement };
    return placement;
  };
  return (record) => {
    if (record.problem) return null;
    const cells = record.cells;
    for (const i of mustBeEmpty) if (cells[i] !== '') return null;
    const orgName = cells[name];
    if (!plain(orgName) || orgName.length > MAX_NAME_LENGTH) return null;
    const placement = code < 0 || cells[code] === '' ? placedByNames(cells) : placedByCode(cells);
    if (placement === null) return null;
    const rawCredit = credit < 0 ? '' : cells[credit];
    let creditCode: string | null = null;
    if (rawCredit !== '') {
      if (typeof rawCredit !== 'string') return null;
      const check = checkCreditCode(rawCredit);
      if (!check.ok) return null;
      creditCode = check.code;
    }
    const rawCategory = cells[category];
    if (!plain(rawCategory)) return null;
    const categoryReading = readCategory(rawCategory, categoryMap);
    if (!categoryReading.ok) return null;
    let reg: Registration;
    if (registration < 0) reg = assumedRegistration(creditCode);
    else {
      const raw = cells[registration];
      if (!plain(raw)) return null;
      const reading = readRegistration(raw, creditCode);
      if (!reading.ok) return null;
      reg = reading.registration;
    }
    const est = established < 0 ? null : dateOf(cells[established]);
    if (est === undefined || (est === null && registeredOn)) return null;
    const dis = dissolved < 0 ? null : dateOf(cells[dissolved]);
    if (dis === undefined) return null;
    const establishedOn = est?.iso ?? null;
    const dissolvedOn = dis?.iso ?? null;
    if (establishedOn !== null && (establishedOn > asOf || (ledgerAsOf !== null && establishedOn > ledgerAsOf))) return null;
    if (establishedOn !== null && dissolvedOn !== null && dissolvedOn < establishedOn) return null;
    return {
      name: orgName,
      communityCode: placement.communityCode,
      townshipCode: placement.townshipCode,
      countyCode: placement.countyCode,
      category: categoryReading.category,
      categoryRaw: rawCategory,
      registration: reg,
      creditCode,
      establishedOn,
      establishedPrecision: est?.precision ?? null,
      dissolvedOn,
      dissolvedPrecision: dis?.precision ?? null,
      dissolvedDateUnknown: false,
      source: sheet === undefined ? { file, line: record.line } : { file, line: record.line, sheet },
    };
  };
}

/**
 * 登记方式 (登记 / 已备案 / 注册 …), or 是否备案 / 是否登记 (是 / 否). An unknown or empty value is a
 * warning; the row is counted as assumedRegistration says (登记 for a 51/52/53 credit code, else 备案).
 */
function readRegistrationFields(
  ctx: OrgRowContext,
  record: RawRecord,
  creditCode: string | null,
  warnings: RowWarning[],
  read: (f: OrgField, assumed: string) => string | null,
): Registration {
  const col = (f: OrgField) => ctx.table.mapping.written[f] ?? null;
  const fallback = assumedRegistration(creditCode);
  const raw = read('registration', fallback);
  if (raw !== null) {
    const reading = readRegistration(raw, creditCode);
    if (!reading.ok) warnings.push(warning(col('registration'), reading.zh, reading.en, raw, reading.registration));
    return reading.registration;
  }
  const flags: [OrgField, Registration][] = [
    ['registered_flag', '登记'],
    ['filed_flag', '备案'],
  ];
  let saidNo: OrgField | null = null;
  for (const [f, registration] of flags) {
    const v = read(f, fallback);
    if (v === null) continue;
    const yes = readYesNo(v);
    if (yes === true) return registration;
    if (yes === false) {
      saidNo ??= f;
      continue;
    }
    warnings.push(warning(col(f), `${col(f)}应为“是”或“否”：${v}，按“${fallback}”计`, `the column ${col(f)} should say yes (是) or no (否), not ${v}: counted as ${fallback}`, v, fallback));
    return fallback;
  }
  if (saidNo === 'filed_flag') {
    // 是否备案：否 — not filed; the ledger's other kind is a registered organization
    const assumed: Registration = '登记';
    if (!creditCode || !/^5[123]/.test(creditCode)) {
      warnings.push(warning(col('filed_flag'), `${col('filed_flag')}为“否”，未说明是否登记：按“${assumed}”计`, `the column ${col('filed_flag')} says no (否, not filed) and nothing says registered: counted as ${assumed}`, '否', assumed));
    }
    return assumed;
  }
  if (saidNo === 'registered_flag') return '备案';
  const column = col('registration') ?? col('filed_flag') ?? col('registered_flag');
  if (!record.cells.length || column === null) return fallback;
  warnings.push(warning(column, `登记方式为空，按“${fallback}”计`, `registration is empty, counted as ${fallback}`, null, fallback));
  return fallback;
}

/** A code as written: digits alone are already what NFKC and trim would give (the common case, asked per row). */
const DIGITS = /^\d+$/;
const codeText = (v: string | null) => (v === null ? null : DIGITS.test(v) ? v : v.normalize('NFKC').trim());

/** Places the row; county and township from the context fill what the row leaves empty. */
function place(ctx: OrgRowContext, text: (f: OrgField) => string | null): { result: PlacementResult; countyFromContext: boolean; townshipFromContext: boolean } {
  const col = (f: OrgField) => ctx.table.mapping.written[f] ?? null;
  const input = {
    communityCode: codeText(text('community_code')),
    county: text('county'),
    township: text('township'),
    community: text('community'),
  };
  let countyFromContext = false;
  let townshipFromContext = false;
  const context = ctx.context;
  if (input.communityCode === null && context) {
    const sameCounty = input.county === null || (context.countyCode !== null && ctx.matcher.matchCounty(input.county).ok && (ctx.matcher.matchCounty(input.county) as { value: string }).value === context.countyCode);
    if (input.county === null && context.countyCode !== null) {
      input.county = context.countyCode;
      countyFromContext = true;
    }
    if (input.township === null && context.townshipCode !== null && sameCounty) {
      input.township = context.townshipCode;
      townshipFromContext = true;
    }
  }
  const columns = {
    communityCode: col('community_code'),
    county: countyFromContext ? null : col('county'),
    township: townshipFromContext ? null : col('township'),
    community: col('community'),
  };
  return { result: ctx.matcher.place(input, columns), countyFromContext, townshipFromContext };
}

/** The key under which two rows are the same organization by name: normalised name + narrowest known place. */
export function orgNameKey(record: OrgRecord): string {
  const [place, name] = orgNameKeyParts(record);
  return `${place}\u0000${name}`;
}

/** orgNameKey's two parts: the place (a 12-digit code, t + township, c + county) and the normalised name. */
export function orgNameKeyParts(record: OrgRecord): [string, string] {
  const place = record.communityCode ?? (record.townshipCode ? `t${record.townshipCode}` : `c${record.countyCode}`);
  const name = nfkc(record.name);
  // a name of CJK characters alone needs neither (the common case, asked per row)
  return [place, /[\sA-Z]/.test(name) || !PLAIN_TEXT.test(name) ? name.replace(/\s+/g, '').toLowerCase() : name];
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
    if (parsed?.ok && parsed.precision !== 'day') {
      // a published figure is as of a day: 2024年6月 does not say which
      problems.push(problem(col('as_of'), `截止日期须精确到日：${rawAsOf}`, `the as-of date must give the day: ${rawAsOf}`, rawAsOf));
    } else if (parsed?.ok) asOf = parsed.iso;
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
