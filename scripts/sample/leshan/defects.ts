import type { Divisions } from '../../../src/lib/ingest/divisions';
import { breakCheckChar, makeCreditCode } from '../credit-code';
import { communityCore, communityShortName } from '../names';
import { rowCells } from './files';
import { countyName, drawEstablished } from './organizations';
import type { Column, Context, DefectLocation, PlantedDefect, SampleFile, SampleModel, SampleOrg, SampleRow } from './types';

/**
 * The Leshan sample's planted defects: each one a copy of a valid row with one thing wrong, inserted
 * after it, so the reader must reject exactly these rows and nothing else (listed in data/sample/README.md).
 */

type DefectMaker = (ctx: Context, file: SampleFile, template: SampleRow) => SampleRow;

const validRows = (file: SampleFile) => file.rows.filter((r) => !r.defect);
/** Another unit of the same township with the same bare name (五渡社区 / 五渡村), or null. */
function twinOf(ctx: Context, code: string): string | null {
  const unit = ctx.divisions.units.get(code)!;
  const core = communityCore(unit.name);
  return (ctx.divisions.unitsOf.get(unit.townshipCode) ?? []).find((c) => c !== code && communityCore(ctx.divisions.units.get(c)!.name) === core) ?? null;
}

const filedWithoutCode = (_ctx: Context, r: SampleRow) => r.org.registration === '备案' && !r.org.creditCode;
const placedTemplate = (ctx: Context, file: SampleFile, pred: (ctx: Context, r: SampleRow) => boolean) => {
  const pool = validRows(file).filter((r) => r.org.communityCode && pred(ctx, r));
  if (!pool.length) throw new Error(`${file.path}: no row fits a planted defect`);
  return pool[ctx.rng.int(pool.length)];
};

/** A fresh organization name for a defect row that must not collide with anything else. */
const freshName = (org: SampleOrg, ctx: Context, suffix: string) =>
  communityShortName(ctx.divisions.units.get(org.communityCode!)!.name) + suffix;

function defectRow(template: SampleRow, changes: Partial<SampleOrg>, override: SampleRow['override'], defect: PlantedDefect): SampleRow {
  return { org: { ...template.org, ...changes }, override: { ...template.override, ...override }, defect };
}

interface DefectSpec {
  column: Column | null;
  /** default 'rejected' */
  kind?: PlantedDefect['kind'];
  zh: string;
  en: string;
  make: DefectMaker;
  /** Which valid rows may serve as the template (default: a filed row without a credit code). */
  template?: (ctx: Context, row: SampleRow) => boolean;
}

export const HOMOPHONES: Record<string, string> = { 新: '兴', 大: '达', 红: '宏', 光: '广', 金: '锦', 高: '杲', 马: '玛', 双: '爽', 民: '明', 建: '健', 胜: '圣', 长: '常', 白: '百', 凤: '奉', 龙: '隆', 黄: '皇' };

const DEFECTS: Record<string, DefectSpec> = {
  missing_name: {
    column: 'name',
    zh: '缺少组织名称',
    en: 'missing name',
    make: (ctx, _f, t) => defectRow(t, { name: '' }, {}, DEFECT('missing_name')),
  },
  wrong_check_digit: {
    column: 'credit_code',
    zh: '统一社会信用代码校验位错误',
    en: 'credit code with a wrong check character',
    make: (ctx, _f, t) => {
      const good = makeCreditCode(ctx.rng, '1', t.org.countyCode, ctx.creditCodes);
      return defectRow(
        t,
        { name: countyName(ctx, t.org.countyCode) + freshName(t.org, ctx, '文化体育协会'), registration: '登记', creditCode: breakCheckChar(good) },
        {},
        DEFECT('wrong_check_digit'),
      );
    },
  },
  unknown_community_code: {
    column: 'community_code',
    zh: '社区代码不存在（不在 2023 年统计用区划代码中）',
    en: 'community code not in the NBS 2023 division codes',
    make: (ctx, _f, t) => {
      let code = t.org.townshipCode + '399';
      for (let n = 399; ctx.divisions.units.has(code); n++) code = t.org.townshipCode + String(n);
      return defectRow(t, { name: freshName(t.org, ctx, '新时代文明实践志愿队') }, { community_code: code }, DEFECT('unknown_community_code'));
    },
  },
  excel_scientific_code: {
    column: 'community_code',
    zh: '社区代码被 Excel 改写为科学计数法',
    en: 'community code mangled into scientific notation by Excel',
    make: (ctx, _f, t) => {
      const code = t.org.communityCode!;
      const sci = `${code[0]}.${code.slice(1, 6)}E+11`;
      return defectRow(t, { name: freshName(t.org, ctx, '便民服务队') }, { community_code: sci }, DEFECT('excel_scientific_code'));
    },
  },
  impossible_date: {
    column: 'established_on',
    zh: '成立日期不存在（2 月 30 日）',
    en: 'established date does not exist (30 February)',
    make: (ctx, _f, t) =>
      defectRow(t, { name: freshName(t.org, ctx, '健步走协会'), establishedOn: '2023-02-30', dissolvedOn: null }, {}, DEFECT('impossible_date')),
  },
  // Words of real ledgers, not of the plan: the reader understands them and counts the row as
  // the plan type written in `changes` (the cell keeps the ledger's word).
  short_category: {
    column: 'category',
    kind: 'understood',
    zh: '类别写作简称“文体类”，计为兴趣爱好型',
    en: 'category written as the short form 文体类, counted as 兴趣爱好型',
    make: (ctx, _f, t) => defectRow(t, { name: freshName(t.org, ctx, '文体队'), category: '兴趣爱好型' }, { category: '文体类' }, DEFECT('short_category')),
  },
  short_category_2: {
    column: 'category',
    kind: 'understood',
    zh: '类别写作简称“志愿类”，计为志愿服务型',
    en: 'category written as the short form 志愿类, counted as 志愿服务型',
    make: (ctx, _f, t) => defectRow(t, { name: freshName(t.org, ctx, '学雷锋志愿队'), category: '志愿服务型' }, { category: '志愿类' }, DEFECT('short_category_2')),
  },
  registration_synonym: {
    column: 'registration',
    kind: 'understood',
    zh: '登记方式写作“注册”（注册登记），计为登记',
    en: 'registration written as 注册 (registered), counted as 登记',
    make: (ctx, _f, t) => defectRow(t, { name: freshName(t.org, ctx, '老年人体育协会'), registration: '登记' }, { registration: '注册' }, DEFECT('registration_synonym')),
  },
  duplicate_credit_code: {
    column: 'credit_code',
    zh: '统一社会信用代码与另一行重复',
    en: 'credit code duplicates another row',
    // The template is the registered row whose code is copied; the copy is inserted after it.
    template: (_ctx, r) => r.org.registration === '登记' && r.org.creditCode !== null,
    make: (ctx, _f, t) => {
      return defectRow(
        t,
        { name: countyName(ctx, t.org.countyCode) + freshName(t.org, ctx, '社区服务协会'), registration: '登记' },
        {},
        DEFECT('duplicate_credit_code'),
      );
    },
  },
  duplicate_name: {
    column: 'name',
    zh: '同一社区内组织名称重复',
    en: 'same name twice in one community',
    make: (ctx, _f, t) => defectRow(t, { establishedOn: drawEstablished(ctx.rng), dissolvedOn: null }, {}, DEFECT('duplicate_name')),
  },
  dissolved_before_established: {
    column: 'dissolved_on',
    zh: '注销日期早于成立日期',
    en: 'dissolved before established',
    make: (ctx, _f, t) =>
      defectRow(t, { name: freshName(t.org, ctx, '夕阳红艺术团'), establishedOn: '2022-03-15', dissolvedOn: '2021-11-02' }, {}, DEFECT('dissolved_before_established')),
  },
  established_after_as_of: {
    column: 'established_on',
    zh: '成立日期晚于数据截止日期',
    en: 'established after the as-of date',
    make: (ctx, _f, t) =>
      defectRow(t, { name: freshName(t.org, ctx, '新居民服务队'), establishedOn: '2025-08-15', dissolvedOn: null }, {}, DEFECT('established_after_as_of')),
  },
  unknown_community_name: {
    column: 'community',
    template: (ctx, r) =>
      r.org.registration === '备案' && !r.org.creditCode && communityShortName(ctx.divisions.units.get(r.org.communityCode!)!.name)[0] in HOMOPHONES,
    zh: '社区名称在该乡镇街道中找不到（错别字）',
    en: 'community name not found in the township (misspelt)',
    make: (ctx, _f, t) => {
      const unit = ctx.divisions.units.get(t.org.communityCode!)!;
      const inCounty = new Set(
        [...ctx.divisions.units.values()].filter((u) => u.countyCode === unit.countyCode).map((u) => communityShortName(u.name)),
      );
      // A homophone slip on the first character, checked against every name in the county.
      const short = communityShortName(unit.name);
      let wrong = HOMOPHONES[short[0]] + short.slice(1);
      while (inCounty.has(wrong)) wrong = '上' + wrong;
      return defectRow(t, { name: short + '互助会' }, { community: wrong }, DEFECT('unknown_community_name'));
    },
  },
  ambiguous_community_name: {
    column: 'community',
    zh: '社区名称只写了简称，同一乡镇街道有同名的社区和村',
    en: 'bare community name matches both a 社区 and a 村 of the same township',
    template: (ctx, r) => filedWithoutCode(ctx, r) && twinOf(ctx, r.org.communityCode!) !== null,
    make: (ctx, _f, t) => {
      const core = communityCore(ctx.divisions.units.get(t.org.communityCode!)!.name);
      return defectRow(t, { name: communityShortName(ctx.divisions.units.get(t.org.communityCode!)!.name) + '睦邻服务社' }, { community: core, community_code: '' }, DEFECT('ambiguous_community_name'));
    },
  },
  code_name_mismatch: {
    column: 'community',
    zh: '社区名称与社区代码不一致',
    en: 'community name disagrees with the community code',
    template: (ctx, r) => filedWithoutCode(ctx, r) && (ctx.divisions.unitsOf.get(r.org.townshipCode) ?? []).length > 1,
    make: (ctx, _f, t) => {
      const siblings = ctx.divisions.unitsOf.get(t.org.townshipCode)!.filter((c) => c !== t.org.communityCode);
      const other = communityShortName(ctx.divisions.units.get(ctx.rng.pick(siblings))!.name);
      return defectRow(t, { name: freshName(t.org, ctx, '邻里守望队') }, { community: other }, DEFECT('code_name_mismatch'));
    },
  },
};

function DEFECT(id: keyof typeof DEFECTS & string): PlantedDefect {
  const d = DEFECTS[id];
  return { id, column: d.column, zh: d.zh, en: d.en, kind: d.kind ?? 'rejected' };
}

/** Which defects go into which file (ids may repeat across files). */
const DEFECT_PLAN: Record<string, string[]> = {
  'organizations/01-districts-utf8.csv': [
    'missing_name',
    'wrong_check_digit',
    'unknown_community_code',
    'excel_scientific_code',
    'impossible_date',
    'short_category',
    'registration_synonym',
    'duplicate_credit_code',
    'duplicate_name',
    'dissolved_before_established',
    'established_after_as_of',
  ],
  'organizations/02-ebian-mabian-gbk.csv': ['unknown_community_name', 'ambiguous_community_name', 'missing_name', 'short_category_2', 'registration_synonym', 'dissolved_before_established'],
  'organizations/03-jiajiang-utf8-bom.csv': ['code_name_mismatch', 'impossible_date', 'established_after_as_of', 'wrong_check_digit'],
  'organizations/04-emeishan.xlsx': ['missing_name', 'unknown_community_code', 'established_after_as_of', 'duplicate_credit_code'],
};

/** Inserts each planned defect right after a randomly chosen valid row, spreading them through the file. */
export function plantDefects(ctx: Context, file: SampleFile): void {
  for (const id of DEFECT_PLAN[file.path] ?? []) {
    const spec = DEFECTS[id];
    const template = placedTemplate(ctx, file, spec.template ?? filedWithoutCode);
    const row = spec.make(ctx, file, template);
    file.rows.splice(file.rows.indexOf(template) + 1, 0, row);
  }
}

/** Line of the earlier valid row that a duplicate-code or duplicate-name defect repeats. */
function duplicateOf(file: SampleFile, index: number): number | null {
  const row = file.rows[index];
  const same =
    row.defect?.id === 'duplicate_credit_code'
      ? (r: SampleRow) => r.org.creditCode === row.org.creditCode
      : row.defect?.id === 'duplicate_name'
        ? (r: SampleRow) => r.org.name === row.org.name && r.org.communityCode === row.org.communityCode
        : null;
  if (!same) return null;
  const earlier = file.rows.findIndex((r, i) => i < index && !r.defect && same(r));
  if (earlier < 0) throw new Error(`${file.path}: duplicate defect without an earlier row`);
  return earlier + 2;
}

/** Where each planted defect landed: 1-based physical line (CSV) or worksheet row (XLSX); header is line 1. */
export function defectLocations(divisions: Divisions, model: SampleModel): DefectLocation[] {
  return model.files.flatMap((file) => {
    const cells = rowCells(divisions, file);
    return file.rows.flatMap((row, i) => {
      if (!row.defect) return [];
      const col = row.defect.column ? file.columns.findIndex(([f]) => f === row.defect!.column) : -1;
      return [
        {
          file: file.path,
          line: i + 2,
          column: col >= 0 ? file.columns[col][1] : null,
          id: row.defect.id,
          zh: row.defect.zh,
          en: row.defect.en,
          kind: row.defect.kind,
          value: col >= 0 ? cells[i][col] : '',
          duplicates: duplicateOf(file, i),
        },
      ];
    });
  });
}

