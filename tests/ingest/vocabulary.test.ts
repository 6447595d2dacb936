/** The words ledgers use for a category, a registration and a dissolution (src/lib/ingest/vocabulary.ts). */
import { describe, expect, it } from 'vitest';
import { CATEGORY_WORDS, readCategory, readDissolution, readRegistration } from '../../src/lib/ingest';
import { assumedRegistration, categoryCore, readYesNo } from '../../src/lib/ingest/vocabulary';
import { CATEGORIES } from '../../src/lib/core/types';

describe.each([
  // the plan's own types, with and without 型, and 其它
  ['功能服务型', '功能服务型'],
  ['兴趣爱好类', '兴趣爱好型'],
  ['志愿服务', '志愿服务型'],
  ['公益慈善型组织', '公益慈善型'],
  ['其它', '其他'],
  // Sichuan's four classes
  ['生活服务类', '功能服务型'],
  ['社区事务类', '功能服务型'],
  ['文体活动类', '兴趣爱好型'],
  ['公益慈善类', '公益慈善型'],
  // the Ministry's activity areas
  ['为民服务', '功能服务型'],
  ['公益慈善', '公益慈善型'],
  ['邻里互助', '志愿服务型'],
  ['文体娱乐类', '兴趣爱好型'],
  ['农村生产技术服务类', '功能服务型'],
  // short forms
  ['文体类', '兴趣爱好型'],
  ['专业调处类', '功能服务型'],
  ['志愿服务类', '志愿服务型'],
  ['志愿类', '志愿服务型'],
  [' 文体 类 ', '兴趣爱好型'], // spaces
  ['ＦＯＯ', null], // unknown
  ['枢纽型', '其他'],
  ['文体活动类、文娱类', '兴趣爱好型'], // two words, one type
])('readCategory(%j)', (word, type) => {
  it(`is ${type ?? 'unknown: 其他 with a warning'}`, () => {
    const r = readCategory(word);
    expect(r.category).toBe(type ?? '其他');
    expect(r.ok).toBe(type !== null);
    if (!r.ok) expect(r.zh).toContain('未知类别');
  });
});

describe('the category crosswalk', () => {
  it('maps every built-in word, with 类 or 型 added, to a plan type', () => {
    for (const word of CATEGORY_WORDS) {
      for (const form of [word, word + '类', word + '型']) {
        const r = readCategory(form);
        expect([form, r.ok]).toEqual([form, true]);
        expect(CATEGORIES).toContain(r.category);
      }
    }
  });

  it('a dataset map comes first, by exact word or core', () => {
    expect(readCategory('文化类', { 文化类: '兴趣爱好型' })).toEqual({ ok: true, category: '兴趣爱好型', via: 'dataset' });
    expect(readCategory('文化', { 文化类: '兴趣爱好型' })).toMatchObject({ ok: true, category: '兴趣爱好型' });
    expect(readCategory('文体类', { 文体类: '其他' })).toMatchObject({ ok: true, category: '其他', via: 'dataset' });
    expect(readCategory('文体类')).toMatchObject({ via: 'crosswalk' });
    expect(readCategory('兴趣爱好型')).toMatchObject({ via: 'plan' });
  });

  it('two words of two types: the first, with a warning', () => {
    expect(readCategory('文体活动类、公益慈善类')).toMatchObject({ ok: false, category: '兴趣爱好型' });
  });

  it.each([
    ['文体活动类', '文体活动'],
    ['功能服务型组织', '功能服务'],
    ['类', '类'],
  ])('categoryCore(%j) is %j', (word, core) => expect(categoryCore(word)).toBe(core));
});

describe.each([
  ['登记', null, '登记', true],
  ['已登记', null, '登记', true],
  ['注册', null, '登记', true],
  ['登记注册', null, '登记', true],
  ['备案', null, '备案', true],
  ['已备案', null, '备案', true],
  ['街道备案', null, '备案', true],
  ['乡镇（街道）备案', null, '备案', true],
  ['Filed', null, '备案', true],
  ['待定', null, '备案', false],
  ['待定', '51511102MJ0000061X', '登记', false], // a registered social organization's code
  ['待定', '59511102MJ0000061X', '备案', false],
])('readRegistration(%j, %j)', (word, credit, registration, ok) => {
  it(`is ${registration}${ok ? '' : ' with a warning'}`, () => {
    const r = readRegistration(word, credit);
    expect([r.registration, r.ok]).toEqual([registration, ok]);
  });
});

describe('yes / no cells', () => {
  it.each([
    ['是', true],
    ['√', true],
    ['Y', true],
    ['已备案', true],
    ['否', false],
    ['×', false],
    ['未备案', false],
    ['不清楚', null],
  ])('%j is %j', (v, yes) => expect(readYesNo(v)).toBe(yes));

  it('assumes 登记 only for a 51/52/53 credit code', () => {
    expect([assumedRegistration(null), assumedRegistration('52511102MJ0000001X'), assumedRegistration('59511102MJ0000001X')]).toEqual(['备案', '登记', '备案']);
  });
});

describe.each([
  ['已注销', '注销', null],
  ['2023年已注销', '注销', '2023-01-01'],
  ['2023年5月已注销', '注销', '2023-05-01'],
  ['于2022-10-08撤销', '撤销', '2022-10-08'],
  ['解散于2022年10月', '解散', '2022-10-01'],
  ['2019年成立，2020年撤销', '撤销', '2020-01-01'], // the date nearest the word
  ['已撤消', '撤消', null],
  ['2021.6 被取缔', '取缔', '2021-06-01'],
])('readDissolution(%j)', (text, word, iso) => {
  it(`ends the organization${iso ? ` on ${iso}` : ' at an unknown date'}`, () => {
    const r = readDissolution(text);
    expect(r.dissolved).toBe(true);
    if (r.dissolved) expect([r.word, r.date?.iso ?? null]).toEqual([word, iso]);
  });
});

describe.each(['正常', '存续', '未注销', '拟注销', '申请注销中', '待注销', '', '负责人已更换'])('readDissolution(%j)', (text) => {
  it('does not end the organization', () => expect(readDissolution(text).dissolved).toBe(false));
});

describe('dataset.json category_map', () => {
  it('is checked: each word maps to one of the plan types', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { readDatasetMeta, DatasetError } = await import('../../src/lib/ingest');
    const dir = mkdtempSync(join(tmpdir(), 'cso-category-map-'));
    const meta = { title: 't', publisher: 'p', license: 'CC0-1.0', as_of: '2024-12-31', sample: true };
    writeFileSync(join(dir, 'dataset.json'), JSON.stringify({ ...meta, category_map: { 文化类: '兴趣爱好型' } }));
    expect(readDatasetMeta(dir).category_map).toEqual({ 文化类: '兴趣爱好型' });
    writeFileSync(join(dir, 'dataset.json'), JSON.stringify({ ...meta, category_map: { 文化类: '文化型' } }, null, 2));
    const e = (() => {
      try {
        readDatasetMeta(dir);
      } catch (error) {
        return error;
      }
    })();
    expect(e).toBeInstanceOf(DatasetError);
    expect((e as Error).message).toContain('category_map.文化类');
    expect((e as Error).message).toContain('须为 功能服务型、兴趣爱好型、志愿服务型、公益慈善型、其他 之一');
  });
});
