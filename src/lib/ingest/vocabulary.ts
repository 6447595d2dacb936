import { CATEGORIES, REGISTRATIONS, type Category, type Registration } from '../core/types';
import { parseDate, type DateParse } from './dates';

/**
 * The words ledgers use for a category, a registration and a dissolution → the plan's vocabulary.
 * A word that is understood maps silently (the word as written is kept as category_raw); a word
 * that is not is a warning on a counted row, never a rejection: neither changes whether the
 * organization is counted (see src/lib/ingest/rows.ts).
 */

// ---------------------------------------------------------------- categories

/**
 * Category words → plan type (CATEGORIES), keyed by the word's core: NFKC, no spaces, 其它 = 其他,
 * and without a trailing 类 / 型 / 组织 / 社区社会组织 (so 文体活动类 = 文体活动 = 文体活动型).
 *
 * The crosswalk is the Leshan plan's, data/targets/seeds/004_808bf309e1ed9b5f.txt (☆专项2):
 *   "功能服务型 是指开展社区养老、医疗保健、托幼、文化教育、就业培训、家政维修等便民利民服务的生活服务类组织，
 *    以及开展社区卫生、治安巡逻、安全管理、心理健康、法律服务、社区矫正、物业协商、婚丧事务、纠纷调处、
 *    农村生产生活服务等活动的社区事务类组织。
 *    兴趣爱好型 是指开展书画、球类、棋牌、歌舞、表演、健身、武术、戏曲、乐器等文体活动的组织，以及志愿开展
 *    扶贫济困、扶老救孤、恤病助残、助医助学、应急救灾、环境保护等公益慈善活动的组织。"
 * So 生活服务类 + 社区事务类 → 功能服务型 and 文体活动类 → 兴趣爱好型. The plan also puts charity work
 * under 兴趣爱好型; this project keeps 公益慈善型 apart (it is one of CATEGORIES) and the registry's
 * 专项2 target counts it with 兴趣爱好型 (data/targets/registry.json, leshan-2025-new-orgs-interest-volunteer).
 */
const CATEGORY_CORES: Record<string, Category> = {
  // the plan's own types
  功能服务: '功能服务型',
  兴趣爱好: '兴趣爱好型',
  志愿服务: '志愿服务型',
  公益慈善: '公益慈善型',
  其他: '其他',
  // Sichuan's four classes (2023 registration rules): 生活服务类, 社区事务类, 文体活动类, 公益慈善类
  生活服务: '功能服务型',
  社区事务: '功能服务型',
  文体活动: '兴趣爱好型',
  // the Ministry's activity areas (民政部 专项行动方案 2021–2023, reported in
  // data/targets/seeds/001_0ea4cf24eb732a08.txt; the same list in data/targets/seeds/000_a39779b909a5205e.txt)
  为民服务: '功能服务型', // 便民利民服务 = the plan's 生活服务类
  邻里互助: '志愿服务型', // unpaid help among neighbours: this project's reading, the plan has no rule
  居民互助: '志愿服务型',
  文体娱乐: '兴趣爱好型',
  农村生产技术服务: '功能服务型', // the plan's 社区事务类 includes 农村生产生活服务
  扶老助残: '公益慈善型', // the plan: 扶老救孤、恤病助残 are 公益慈善活动
  专业调处: '功能服务型', // 纠纷调处 is 社区事务类
  法律咨询: '功能服务型', // 法律服务 is 社区事务类
  // short forms seen in ledgers
  文体: '兴趣爱好型',
  文娱: '兴趣爱好型',
  文化体育: '兴趣爱好型',
  文艺: '兴趣爱好型',
  兴趣: '兴趣爱好型',
  志愿: '志愿服务型',
  志愿者: '志愿服务型',
  公益: '公益慈善型',
  慈善: '公益慈善型',
  服务: '功能服务型',
  社区服务: '功能服务型', // data/targets/seeds/003_489699b256a3be7e.txt: 社区服务类
  便民服务: '功能服务型',
  调处: '功能服务型',
  纠纷调处: '功能服务型',
  调解: '功能服务型',
  治安巡逻: '功能服务型',
  // hub and support organizations (003: 支持型、枢纽型) are none of the plan's four types
  枢纽: '其他',
  支持: '其他',
};

/** Every built-in category word, as a reader would write it (for documentation and tests). */
export const CATEGORY_WORDS: readonly string[] = Object.keys(CATEGORY_CORES);

const CATEGORY_SUFFIX = /(社区社会组织|社会组织|组织|类|型)$/;

/** NFKC, no whitespace, 其它 → 其他. */
const normaliseWord = (raw: string) => raw.normalize('NFKC').replace(/[\s\u200b-\u200d\ufeff]+/g, '').replace(/其它/g, '其他');

/** The core of a category word: 文体活动类 → 文体活动; 功能服务型组织 → 功能服务. */
export function categoryCore(raw: string): string {
  let v = normaliseWord(raw);
  for (;;) {
    const stripped = v.replace(CATEGORY_SUFFIX, '');
    if (stripped === v || stripped === '') return v;
    v = stripped;
  }
}

export type CategoryReading =
  | { ok: true; category: Category; via: 'plan' | 'crosswalk' | 'dataset' }
  | { ok: false; category: Category; zh: string; en: string };

const UNKNOWN_CATEGORY: Category = '其他';
const LIST_SEPARATOR = /[、,，;；/／|]+/;

/**
 * Reads a category cell. datasetMap (dataset.json category_map) is checked first, by exact word
 * and by core. Several words (文体活动类、公益慈善类) that map to one type are that type; to
 * several types, the first one with a warning. An unknown word is 其他 with a warning.
 */
const ownMaps = new WeakMap<object, Map<string, Category>>();
const NO_MAP = new Map<string, Category>();

/** dataset.json category_map keyed by exact word and by core, built once per map. */
function ownMap(datasetMap: Readonly<Record<string, Category>> | undefined): Map<string, Category> {
  if (!datasetMap) return NO_MAP;
  let own = ownMaps.get(datasetMap);
  if (!own) {
    own = new Map();
    for (const [word, category] of Object.entries(datasetMap)) {
      own.set(normaliseWord(word), category);
      own.set(categoryCore(word), category);
    }
    ownMaps.set(datasetMap, own);
  }
  return own;
}

/** Readings per dataset category_map (and one set without): a ledger repeats a handful of words over many rows. */
const CATEGORY_READINGS = new WeakMap<object, Map<string, CategoryReading>>();
const WITHOUT_MAP = {};

export function readCategory(raw: string, datasetMap?: Readonly<Record<string, Category>>): CategoryReading {
  const key = datasetMap ?? WITHOUT_MAP;
  let readings = CATEGORY_READINGS.get(key);
  if (!readings) CATEGORY_READINGS.set(key, (readings = new Map()));
  let reading = readings.get(raw);
  if (!reading) {
    if (readings.size >= 10_000) readings.clear();
    readings.set(raw, (reading = readCategoryUncached(raw, datasetMap)));
  }
  return reading;
}

function readCategoryUncached(raw: string, datasetMap?: Readonly<Record<string, Category>>): CategoryReading {
  const own = ownMap(datasetMap);
  const one = (word: string): { category: Category; via: 'plan' | 'crosswalk' | 'dataset' } | null => {
    const exact = normaliseWord(word);
    const core = categoryCore(word);
    const mine = own.get(exact) ?? own.get(core);
    if (mine) return { category: mine, via: 'dataset' };
    const built = CATEGORY_CORES[core];
    if (!built) return null;
    // 功能服务型 / 功能服务类 / 功能服务 are the plan's own word; anything else went through the crosswalk
    return { category: built, via: core + '型' === built || core === built ? 'plan' : 'crosswalk' };
  };
  const whole = one(raw);
  if (whole) return { ok: true, ...whole };
  const parts = normaliseWord(raw).split(LIST_SEPARATOR).filter((p) => p !== '');
  if (parts.length > 1) {
    const read = parts.map(one);
    if (read.every((r) => r !== null)) {
      const types = [...new Set(read.map((r) => r!.category))];
      if (types.length === 1) return { ok: true, category: types[0], via: read[0]!.via };
      return {
        ok: false,
        category: types[0],
        zh: `写了多个类别（${types.join('、')}），按第一个计`,
        en: `several categories written (${types.join(', ')}): counted as the first`,
      };
    }
  }
  return {
    ok: false,
    category: UNKNOWN_CATEGORY,
    zh: `未知类别：${raw}，按“其他”计（可在 dataset.json 的 category_map 中说明它对应的类型）`,
    en: `unknown category: ${raw}, counted as 其他 (other); dataset.json category_map can say which type it is`,
  };
}

// ---------------------------------------------------------------- registration

const REGISTERED_WORDS = new Set(['登记', '已登记', '登记注册', '注册登记', '注册', '已注册', '已登记注册', '民政登记', '依法登记', '正式登记', '登记成立', 'registered', 'registration']);
const FILED_WORDS = new Set(['备案', '已备案', '街道备案', '乡镇备案', '乡镇(街道)备案', '街道(乡镇)备案', '乡镇街道备案', '社区备案', '备案管理', '已备案管理', 'filed']);
const YES = new Set(['是', '已', '有', '√', '✓', '✔', '☑', 'y', 'yes', 'true', '1', '已备案', '已登记']);
const NO = new Set(['否', '未', '无', '没有', '×', '✗', '✘', 'n', 'no', 'false', '0', '未备案', '未登记']);

export type RegistrationReading = { ok: true; registration: Registration } | { ok: false; registration: Registration; zh: string; en: string };

/** Registered organizations of the civil-affairs system have a 51/52/53 credit code (GB 32100-2015 type 5, class 1–3). */
const REGISTERED_CODE = /^5[123]/;

/**
 * What an unreadable or empty registration is counted as: 登记 when the credit code says a
 * registered social organization (51 社会团体, 52 民办非企业单位, 53 基金会), else 备案, the usual
 * form of a community organization.
 */
export function assumedRegistration(creditCode: string | null): Registration {
  return creditCode && REGISTERED_CODE.test(creditCode) ? '登记' : '备案';
}

/** Rows repeat the same few words (登记, 备案, 正常): each is normalised once (bounded, as CATEGORY_READINGS). */
const LOWER_WORDS = new Map<string, string>();
const lowerWord = (raw: string) => {
  let v = LOWER_WORDS.get(raw);
  if (v === undefined) {
    if (LOWER_WORDS.size >= 10_000) LOWER_WORDS.clear();
    LOWER_WORDS.set(raw, (v = normaliseWord(raw).toLowerCase()));
  }
  return v;
};

/** 登记方式 words: 登记 / 已登记 / 注册 / registered … and 备案 / 已备案 / 街道备案 / filed … */
export function readRegistration(raw: string, creditCode: string | null): RegistrationReading {
  const v = lowerWord(raw);
  if ((REGISTRATIONS as readonly string[]).includes(v)) return { ok: true, registration: v as Registration };
  if (REGISTERED_WORDS.has(v)) return { ok: true, registration: '登记' };
  if (FILED_WORDS.has(v)) return { ok: true, registration: '备案' };
  const assumed = assumedRegistration(creditCode);
  return {
    ok: false,
    registration: assumed,
    zh: `未知登记方式：${raw}（应为 登记 或 备案），按“${assumed}”计`,
    en: `unknown registration: ${raw} (expected 登记 or 备案, registered or filed), counted as ${assumed}`,
  };
}

/** A yes/no cell (是否备案, 是否登记): true, false, or null when it says neither. */
export function readYesNo(raw: string): boolean | null {
  const v = lowerWord(raw);
  if (YES.has(v)) return true;
  if (NO.has(v)) return false;
  return null;
}

// ---------------------------------------------------------------- dissolution in remarks / status

const DISSOLVED = /(注销|撤销|撤消|解散|取缔)/g;
/** 未注销, 拟注销, 申请注销 … do not end the organization. */
const NOT_YET = /(未|不|拟|待|无|非|正在|准备|申请|计划)$/;
const ACTIVE_WORDS = new Set(['正常', '存续', '活跃', '运行', '运行中', '正常运行', '正常活动', '在册', '有效', 'active']);

/** A date in free text, with its position: 2023年5月12日, 2023-05-12, 2023年5月, 2023.5, 2023年. */
const DATE_IN_TEXT = /(\d{4})\s*(?:年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号])?|[-/.](\d{1,2})(?:[-/.](\d{1,2}))?|年)/g;

export type StatusReading =
  | { dissolved: false }
  | { dissolved: true; word: string; date: Extract<DateParse, { ok: true }> | null; dateText: string | null };

/**
 * Reads 备注 / 状态 text for a dissolution: 注销, 撤销, 解散 (not 未注销 or 拟注销). Its date is
 * the date written nearest to the word ("2019年成立，2023年5月已注销" → 2023-05), or none.
 */
export function readDissolution(raw: string): StatusReading {
  const text = raw.normalize('NFKC');
  if (ACTIVE_WORDS.has(lowerWord(text))) return { dissolved: false };
  let word: { text: string; index: number } | null = null;
  for (const m of text.matchAll(DISSOLVED)) {
    if (NOT_YET.test(text.slice(0, m.index).replace(/[已被\s]+$/, ''))) continue;
    word = { text: m[0], index: m.index };
    break;
  }
  if (!word) return { dissolved: false };
  let best: { parse: Extract<DateParse, { ok: true }>; text: string; distance: number } | null = null;
  for (const m of text.matchAll(DATE_IN_TEXT)) {
    const [all, y, cm, cd, sm, sd] = m;
    const month = cm ?? sm;
    const day = cd ?? sd;
    const parse = parseDate(month === undefined ? `${y}年` : day === undefined ? `${y}年${month}月` : `${y}年${month}月${day}日`);
    if (!parse || !parse.ok) continue;
    const end = m.index + all.length;
    const distance = end <= word.index ? word.index - end : Math.max(0, m.index - (word.index + word.text.length));
    if (!best || distance < best.distance) best = { parse, text: all.trim(), distance };
  }
  return { dissolved: true, word: word.text, date: best?.parse ?? null, dateText: best?.text ?? null };
}
