import type { Category, Registration } from '../../../src/lib/core/types';
import { breakCheckChar } from '../credit-code';
import { fromDay, toDay } from '../dates';
import { Rng, subSeed } from '../random';
import { NATIONAL_ACTIVITIES, type FileStyle } from './facts';
import { formatDate, headerOf, STYLES, type Cells, type Field, type Placement } from './files';
import type { DrawContext, NationalOrg } from './organizations';
import { nameKey, type UnitRef } from './reference';

/**
 * Planted defects: after about every `every` valid rows of a file, one row with exactly one thing
 * wrong, built from the row just written. Most classes make a row a reader must reject; two
 * (unknown_category, unknown_registration) make a row it must count with a warning, as the
 * product's rules say (src/lib/ingest/vocabulary.ts: an unknown word is 其他 / 备案, never a
 * rejection). defects.json lists both kinds with file, line, column, value and reason.
 */

export interface DefectEntry {
  file: string;
  line: number; // physical line; the header is line 1
  id: DefectId;
  outcome: Outcome;
  column: string | null; // header as written
  value: string; // the offending cell as written ('' for an empty one)
  reason: string; // zh-CN / English
  /** For duplicates: the earlier line of the same file it repeats. */
  duplicates: number | null;
  /** For a warned row: what it is counted as (其他, 备案). */
  assumed: string | null;
}

/** rejected: the row is not counted; warned: counted, with what was assumed. */
export type Outcome = 'rejected' | 'warned';

/** How a warned row is counted (the reader's assumption, stated by the product's rules). */
export interface Counted {
  category: Category;
  registration: Registration;
  assumed: string;
}

/** The row just written, as a defect's template. */
export interface WrittenRow {
  org: NationalOrg;
  cells: Cells;
  placement: Placement;
  line: number;
  /** Every unit of the row's township (for codes that do not exist and for siblings). */
  townshipUnits: readonly UnitRef[];
}

interface DefectSpec {
  field: Field | null;
  zh: string;
  en: string;
  /** Name-matching defects need the 区县/乡镇街道/社区 columns. */
  needsNames?: boolean;
  /** Which rows may serve as the template (default: any row placed in a unit). */
  eligible?: (p: DefectPlanter, t: WrittenRow) => boolean;
  /** Warned classes: the row is counted as this (built by base(): 备案, no credit code, template's date, not dissolved). */
  counted?: (t: WrittenRow) => Counted;
  make: (p: DefectPlanter, t: WrittenRow) => { cells: Cells; value: string; duplicates?: number };
}

/** Words for defect rows' names: none is an activity, so a defect row never repeats a valid row's name. */
const DEFECT_WORDS = ['新时代文明实践队', '健步走协会', '文体队', '学雷锋小组', '老年人体育协会', '夕阳红艺术团', '新居民服务队', '睦邻服务社', '邻里守望队', '便民服务队', '社区服务协会', '文化体育协会'];
const ACTIVITY_WORDS = new Set(Object.values(NATIONAL_ACTIVITIES).flatMap((list) => list.map(([a]) => a)));
for (const w of DEFECT_WORDS) if ([...ACTIVITY_WORDS].some((a) => a.endsWith(w) || w.endsWith(a))) throw new Error(`defect word ${w} overlaps an activity`);

/** First characters swapped for a similar-sounding one, to misspell a name. */
const SWAPS = ['兴', '达', '宏', '广', '锦', '明', '健', '圣', '常', '百', '奉', '隆', '皇', '上', '下', '东', '西'];
const IMPOSSIBLE_DATES = ['2023-02-29', '2022-04-31', '2021-09-31', '2019-02-30', '2024-06-31', '2018-11-31'];
/**
 * Words no reader's vocabulary knows (tests/sample/national.integration.test.ts checks each against
 * readCategory / readRegistration; this generator never calls the reader, to stay an oracle).
 * Not 文体类, 志愿类, 社区服务类, 注册, 已登记: those are understood through crosswalks.
 */
export const UNKNOWN_CATEGORIES = ['文化类', '经营类', '宗教类'] as const;
export const UNKNOWN_REGISTRATIONS = ['待审核', '审核中', '申请中'] as const;

const inUnit = (_p: DefectPlanter, t: WrittenRow) => t.org.unit !== null;
const byCode = (_p: DefectPlanter, t: WrittenRow) => t.org.unit !== null && t.placement !== 'names';

export const DEFECT_IDS = [
  'missing_name',
  'unknown_community_code',
  'short_community_code',
  'excel_scientific_code',
  'impossible_date',
  'established_after_as_of',
  'dissolved_before_established',
  'unknown_category',
  'unknown_registration',
  'wrong_check_digit',
  'credit_code_bad_char',
  'duplicate_credit_code',
  'duplicate_name',
  'no_placement',
  'unknown_county_name',
  'unknown_township_name',
  'unknown_community_name',
  'code_name_mismatch',
] as const;
export type DefectId = (typeof DEFECT_IDS)[number];

export const outcomeOf = (id: DefectId): Outcome => (DEFECTS[id].counted ? 'warned' : 'rejected');

export const DEFECTS: Record<DefectId, DefectSpec> = {
  missing_name: {
    field: 'name',
    zh: '缺少组织名称',
    en: 'missing name',
    make: (p, t) => ({ cells: { ...p.base(t, 'missing_name'), name: '' }, value: '' }),
  },
  unknown_community_code: {
    field: 'community_code',
    zh: '社区代码不存在（不在 2023 年统计用区划代码中）',
    en: 'community code not in the NBS 2023 division codes',
    eligible: byCode,
    make: (p, t) => {
      const taken = new Set(t.townshipUnits.map((u) => u.code));
      let n = 999;
      while (taken.has(t.org.township.code + String(n))) n--;
      const code = t.org.township.code + String(n);
      return { cells: { ...p.base(t, 'unknown_community_code'), community_code: code, community: '', township: '', county: '' }, value: code };
    },
  },
  short_community_code: {
    field: 'community_code',
    zh: '社区代码少一位（11 位）',
    en: 'community code one digit short (11 digits)',
    eligible: byCode,
    make: (p, t) => {
      const code = t.org.unit!.code.slice(0, 11);
      return { cells: { ...p.base(t, 'short_community_code'), community_code: code, community: '', township: '', county: '' }, value: code };
    },
  },
  excel_scientific_code: {
    field: 'community_code',
    zh: '社区代码被 Excel 改写为科学计数法',
    en: 'community code mangled into scientific notation by Excel',
    eligible: byCode,
    make: (p, t) => {
      const c = t.org.unit!.code;
      const sci = `${c[0]}.${c.slice(1, 6)}E+11`;
      return { cells: { ...p.base(t, 'excel_scientific_code'), community_code: sci, community: '', township: '', county: '' }, value: sci };
    },
  },
  impossible_date: {
    field: 'established_on',
    zh: '成立日期不存在',
    en: 'established date does not exist',
    make: (p, t) => {
      const value = formatDate(p.rng.pick(IMPOSSIBLE_DATES), p.style, p.rng);
      return { cells: { ...p.base(t, 'impossible_date'), established_on: value }, value };
    },
  },
  established_after_as_of: {
    field: 'established_on',
    zh: '成立日期晚于数据截止日期',
    en: 'established after the as-of date',
    make: (p, t) => {
      const value = formatDate(fromDay(p.ctx.asOfDay + 1 + p.rng.int(180)), p.style, p.rng);
      return { cells: { ...p.base(t, 'established_after_as_of'), established_on: value }, value };
    },
  },
  dissolved_before_established: {
    field: 'dissolved_on',
    zh: '注销日期早于成立日期',
    en: 'dissolved before established',
    make: (p, t) => {
      const established = p.ctx.drawEstablished(p.rng);
      const dissolved = fromDay(toDay(established) - 1 - p.rng.int(365));
      const value = formatDate(dissolved, p.style, p.rng);
      return { cells: { ...p.base(t, 'dissolved_before_established'), established_on: formatDate(established, p.style, p.rng), dissolved_on: value }, value };
    },
  },
  unknown_category: {
    field: 'category',
    zh: '未知类别，按“其他”计（警告，不剔除）',
    en: 'unknown category, counted as 其他 (a warning, not a rejection)',
    counted: () => ({ category: '其他', registration: '备案', assumed: '其他' }),
    make: (p, t) => {
      const value = p.rng.pick(UNKNOWN_CATEGORIES);
      return { cells: { ...p.base(t, 'unknown_category'), category: value }, value };
    },
  },
  unknown_registration: {
    field: 'registration',
    zh: '未知登记方式，无统一社会信用代码，按“备案”计（警告，不剔除）',
    en: 'unknown registration word, no credit code: counted as 备案 (a warning, not a rejection)',
    counted: (t) => ({ category: t.org.category, registration: '备案', assumed: '备案' }),
    make: (p, t) => {
      const value = p.rng.pick(UNKNOWN_REGISTRATIONS);
      return { cells: { ...p.base(t, 'unknown_registration'), registration: value }, value };
    },
  },
  wrong_check_digit: {
    field: 'credit_code',
    zh: '统一社会信用代码校验位错误',
    en: 'credit code with a wrong check character',
    make: (p, t) => {
      const value = breakCheckChar(p.ctx.nextCreditCode('1', t.org.township.county.code));
      return { cells: { ...p.base(t, 'wrong_check_digit', true), registration: '登记', credit_code: value }, value };
    },
  },
  credit_code_bad_char: {
    field: 'credit_code',
    zh: '统一社会信用代码含不允许的字母 O（应为数字 0）',
    en: 'credit code holds the letter O, which is never used (the digit 0 was meant)',
    make: (p, t) => {
      const good = p.ctx.nextCreditCode('1', t.org.township.county.code);
      const value = good.slice(0, 10) + 'O' + good.slice(11);
      return { cells: { ...p.base(t, 'credit_code_bad_char', true), registration: '登记', credit_code: value }, value };
    },
  },
  duplicate_credit_code: {
    field: 'credit_code',
    zh: '统一社会信用代码与前面一行重复',
    en: 'credit code repeats an earlier row',
    eligible: (p, t) => t.org.unit !== null && p.lastRegistered !== null,
    make: (p, t) => {
      const first = p.lastRegistered!;
      return {
        cells: { ...p.base(t, 'duplicate_credit_code', true), registration: '登记', credit_code: first.code },
        value: first.code,
        duplicates: first.line,
      };
    },
  },
  duplicate_name: {
    field: 'name',
    zh: '同一社区内组织名称重复',
    en: 'same name twice in one community',
    make: (p, t) => {
      const established = formatDate(p.ctx.drawEstablished(p.rng), p.style, p.rng);
      return {
        cells: { ...t.cells, registration: '备案', credit_code: '', established_on: established, dissolved_on: '' },
        value: t.cells.name,
        duplicates: t.line,
      };
    },
  },
  no_placement: {
    field: 'county',
    zh: '社区代码和区县均为空',
    en: 'neither a community code nor a county',
    make: (p, t) => ({ cells: { ...p.base(t, 'no_placement'), community_code: '', county: '', township: '', community: '' }, value: '' }),
  },
  unknown_county_name: {
    field: 'county',
    zh: '区县名称不存在（错别字）',
    en: 'county name matches no county (misspelt)',
    needsNames: true,
    eligible: (_p, t) => t.org.unit !== null && t.org.township.nameUnique && t.org.unit.communityText.full !== null,
    make: (p, t) => {
      const wrong = misspell(t.org.township.county.name, (w) => p.areaNames.some((n) => n.startsWith(w.slice(0, 2))));
      return { cells: { ...p.byNames(t, 'unknown_county_name'), county: wrong }, value: wrong };
    },
  },
  unknown_township_name: {
    field: 'township',
    zh: '乡镇街道名称在该区县中找不到（错别字）',
    en: 'township name not found in the county (misspelt)',
    needsNames: true,
    eligible: (_p, t) => t.org.unit !== null && t.org.township.county.nameUnique && t.org.unit.communityText.full !== null && [...t.org.township.name].length >= 3,
    make: (p, t) => {
      const names = p.townshipNamesOf(t.org.township.county.code);
      const wrong = misspell(t.org.township.name, (w) => names.some((n) => n.startsWith(w.slice(0, 2))));
      return { cells: { ...p.byNames(t, 'unknown_township_name'), township: wrong }, value: wrong };
    },
  },
  unknown_community_name: {
    field: 'community',
    zh: '社区名称在该乡镇街道中找不到（错别字）',
    en: 'community name not found in the township (misspelt)',
    needsNames: true,
    eligible: (_p, t) => t.org.unit !== null && t.org.township.county.nameUnique && t.org.township.nameUnique && t.org.unit.communityText.short !== null,
    make: (p, t) => {
      const short = t.org.unit!.communityText.short!;
      const suffix = short.endsWith('社区') ? '社区' : '村';
      const core = short.slice(0, -suffix.length);
      const names = t.townshipUnits.map((u) => nameKey(u.name));
      const wrong = misspell(core, (w) => names.some((n) => n.startsWith(w))) + suffix;
      return { cells: { ...p.byNames(t, 'unknown_community_name'), community: wrong }, value: wrong };
    },
  },
  code_name_mismatch: {
    field: 'community',
    zh: '社区名称与社区代码不一致（写的是同一乡镇街道的另一个社区）',
    en: 'community name disagrees with the community code (another unit of the same township)',
    needsNames: true,
    eligible: (_p, t) => t.org.unit !== null && t.townshipUnits.some((u) => u.code !== t.org.unit!.code && (u.communityText.short ?? u.communityText.full)),
    make: (p, t) => {
      const siblings = t.townshipUnits.filter((u) => u.code !== t.org.unit!.code && (u.communityText.short ?? u.communityText.full));
      const other = p.rng.pick(siblings);
      const value = (other.communityText.short ?? other.communityText.full)!;
      const tw = t.org.township;
      return {
        cells: { ...p.base(t, 'code_name_mismatch'), community_code: t.org.unit!.code, county: tw.county.name, township: tw.nameUnique ? tw.name : '', community: value },
        value,
      };
    },
  },
};

function misspell(name: string, taken: (candidate: string) => boolean): string {
  for (const ch of SWAPS) {
    if (ch === name[0]) continue;
    const wrong = ch + name.slice(1);
    if (!taken(nameKey(wrong))) return wrong;
  }
  for (let n = 2; ; n++) {
    const wrong = '示范' + '新'.repeat(n) + name;
    if (!taken(nameKey(wrong))) return wrong;
  }
}

/** Defect planting for one file: which class comes next, when, and from which row. */
export class DefectPlanter {
  readonly rng: Rng;
  private readonly classes: DefectId[];
  private next = 0;
  private block = 0;
  private slot: number;
  private validRows = 0;
  private pending: DefectId | null = null;
  private readonly usedNames = new Set<string>();
  lastRegistered: { code: string; line: number } | null = null;

  constructor(
    readonly ctx: DrawContext,
    readonly file: string,
    readonly style: FileStyle,
    private readonly every: number,
    readonly areaNames: readonly string[],
    readonly townshipNamesOf: (countyCode: string) => readonly string[],
  ) {
    this.rng = new Rng(subSeed(ctx.seed, `defects:${file}`));
    this.classes = DEFECT_IDS.filter((id) => STYLES[style].hasNames || !DEFECTS[id].needsNames);
    // each file starts the round at a different class, so small slices still see every class
    this.next = this.rng.int(this.classes.length);
    this.slot = 1 + this.rng.int(every);
  }

  /** A valid row was written; returns the defect row to write after it, if one is due and fits. */
  afterValidRow(row: WrittenRow): { id: DefectId; cells: Cells; column: string | null; value: string; duplicates: number | null; counted: Counted | null } | null {
    this.validRows++;
    let result = null;
    if (this.pending === null && this.validRows >= this.slot) {
      this.pending = this.classes[this.next++ % this.classes.length];
      this.block++;
      this.slot = this.block * this.every + 1 + this.rng.int(this.every);
    }
    if (this.pending !== null) {
      const spec = DEFECTS[this.pending];
      if ((spec.eligible ?? inUnit)(this, row)) {
        const made = spec.make(this, row);
        result = {
          id: this.pending,
          cells: made.cells,
          column: spec.field ? headerOf(this.style, spec.field) : null,
          value: made.value,
          duplicates: made.duplicates ?? null,
          counted: spec.counted?.(row) ?? null,
        };
        this.pending = null;
      }
    }
    if (row.org.registration === '登记' && row.org.creditCode) this.lastRegistered = { code: row.org.creditCode, line: row.line };
    return result;
  }

  /** A fresh name at the template's unit (registered ones carry the county), never used before in this file. */
  private freshName(t: WrittenRow, id: DefectId, registered: boolean): string {
    const words = DEFECT_WORDS;
    const start = DEFECT_IDS.indexOf(id) % words.length;
    const prefix = (registered ? t.org.township.county.name : '') + t.org.unit!.display;
    for (let k = 0; ; k++) {
      const name = prefix + (k >= words.length ? `第${Math.floor(k / words.length) + 1}` : '') + words[(start + k) % words.length];
      if (!this.usedNames.has(`${t.org.unit!.code}|${name}`)) {
        this.usedNames.add(`${t.org.unit!.code}|${name}`);
        return name;
      }
    }
  }

  /** The template's placement with a fresh name, filed without a code, established on the template's date. */
  base(t: WrittenRow, id: DefectId, registered = false): Cells {
    return {
      ...t.cells,
      name: this.freshName(t, id, registered),
      registration: '备案',
      credit_code: '',
      established_on: formatDate(t.org.establishedOn, this.style, this.rng),
      dissolved_on: '',
    };
  }

  /** Like base(), placed by names only (full community name, so only the misspelt part can fail). */
  byNames(t: WrittenRow, id: DefectId): Cells {
    const tw = t.org.township;
    return { ...this.base(t, id), community_code: '', county: tw.county.name, township: tw.name, community: t.org.unit!.communityText.full ?? t.org.unit!.communityText.short! };
  }
}

