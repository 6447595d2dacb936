import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type {
  AreaAggregate,
  CommunityAggregate,
  DatasetMeta,
  IngestNote,
  IngestWarning,
  Observation,
  Reconciliation,
  Rejection,
  SiteMeta,
  SkippedRow,
  TownshipAggregate,
} from '../core/types';
import type { ProgressOutput, ProgressRow } from '../model/progress';
import type { AreaShortfall } from '../model/shortfall';
import type { Registry, Target, TargetDocument } from '../model/targets';
import type { AreaSeries, TimeSeriesOutput } from '../model/timeseries';
import type { DownloadEntry } from '../publish/outputs';
import type { Provenance } from '../publish/provenance';
import type { CountyFeature } from '../render/map';
import type { ContextFeature, LineFeature, ShapeFeature } from '../render/choropleth';
import type { PublishedSite } from '../model/published-site';
import { tierKey } from './select';
import { COMMUNITY_INDEX_FILE, openCommunityStore } from '../core/community-store';

export type { SiteMeta } from '../core/types';

/**
 * The one reader of what the pipeline wrote for the pages (build/site/*.json, see scripts/data.ts).
 * Pages, components and view models get every figure from here; this is the only module under
 * src/components, src/pages and src/lib/site that touches the file system (tests/site/guards.test.ts).
 *
 * Which file answers what (one authoritative source per figure):
 * - an area's counts, densities, gaps and **the density target in force at the as-of date**:
 *   areas.json (`urban_target`, `urban_target_id`, …), computed by the model from the registry;
 * - the clause, document and deadline behind a target id: registry.json (the pipeline's copy of
 *   data/targets/registry.json, looked up by the id areas.json names);
 * - every target over time (deadlines, steps, status against the deadline): progress.json;
 * - the yearly series: timeseries.json; boundaries of a map: boundaries.json; downloads: downloads.json.
 *
 * Each file's shape is checked when it is first read, so a stale or foreign build/site fails with the
 * file's name instead of a page rendering `undefined`.
 */
/** build/site/maps/{code}.json: the shapes of an area's children (written by scripts/pipeline.ts writeMapFiles). */
export interface MapFile {
  code: string;
  features: ShapeFeature[];
  context: ContextFeature[];
  lines: LineFeature[];
  not_drawn: { code: string; name: string; status: string; reason_zh: string; reason_en: string }[];
}
const MapFileShape = z.object({
  code: z.string().regex(/^\d{6}$/),
  features: z.array(z.object({ type: z.literal('Feature'), properties: z.object({ code: z.string(), name: z.string() }).passthrough() }).passthrough()),
  context: z.array(z.unknown()),
  lines: z.array(z.unknown()),
  not_drawn: z.array(z.object({ code: z.string(), status: z.string() }).passthrough()),
});

/** Peers share a level and a tier (select.ts tierKey, the rule peersInTier applies to a list). */
const peerKey = (a: AreaAggregate) => `${a.level}|${tierKey(a)}`;

export const SITE_DATA_DIR = process.env.SITE_DATA_DIR ?? path.resolve('build/site');

const code6 = z.string().regex(/^\d{6}$/);
const nullableNumber = z.number().nullable();

const SHAPES = {
  'meta.json': z.object({
    dataset: z.object({ title: z.string(), as_of: z.string(), sample: z.boolean(), publisher: z.string(), license: z.string() }).passthrough(),
    root_code: code6,
    area_codes: z.array(code6),
    district_codes: z.array(code6),
    compared_codes: z.array(code6),
    divisions_source: z.object({ package: z.string(), version: z.string(), dataset: z.string() }),
    registry_version: z.string(),
    software_version: z.string(),
    classification_rule: z.object({ urban: z.string(), rural: z.string(), other: z.string(), urban_en: z.string(), rural_en: z.string(), other_en: z.string() }),
  }),
  'areas.json': z.array(
    z
      .object({
        code: code6,
        name: z.string(),
        level: z.enum(['national', 'province', 'prefecture', 'county']),
        parent_code: code6.nullable(),
        urban_units: z.number(),
        rural_units: z.number(),
        urban_orgs: nullableNumber,
        rural_orgs: nullableNumber,
        urban_target: nullableNumber,
        rural_target: nullableNumber,
        urban_target_id: z.string().nullable(),
        rural_target_id: z.string().nullable(),
        has_data: z.boolean(),
      })
      .passthrough(),
  ),
  'townships.json': z.array(z.object({ code: z.string().regex(/^\d{9}$/), county_code: code6 }).passthrough()),
  'shortfall.json': z.record(code6, z.object({ count: z.number(), worst: z.array(z.object({ code: z.string().regex(/^\d{12}$/), gap: z.number().nullable() }).passthrough()) })),
  'rejections.json': z.array(z.object({ file: z.string(), line: z.number(), reason: z.string() }).passthrough()),
  'warnings.json': z.array(z.object({ file: z.string(), line: z.number(), assumed: z.string(), reason: z.string() }).passthrough()),
  'skipped.json': z.array(z.object({ file: z.string(), line: z.number(), kind: z.string(), reason: z.string() }).passthrough()),
  'notes.json': z.array(z.object({ file: z.string(), zh: z.string(), en: z.string() }).passthrough()),
  'reconciliation.json': z
    .object({
      files: z.array(z.object({ file: z.string(), skipped: z.number(), warnings: z.number(), sheets: z.array(z.object({ sheet: z.string() }).passthrough()) }).passthrough()),
      rowsRead: z.number(),
      accepted: z.number(),
      rejected: z.number(),
      skipped: z.number(),
      warnings: z.number(),
    })
    .passthrough(),
  'observations.json': z.array(z.object({ area_code: code6, metric: z.string(), value: z.number() }).passthrough()),
  'registry.json': z.object({ version: z.string(), documents: z.array(z.object({ id: z.string() }).passthrough()), targets: z.array(z.object({ id: z.string(), document: z.string() }).passthrough()) }).passthrough(),
  'progress.json': z.object({ rows: z.array(z.object({ target_id: z.string(), area_code: code6, status: z.string() }).passthrough()) }).passthrough(),
  'timeseries.json': z.object({ areas: z.array(z.object({ code: code6, points: z.array(z.object({ date: z.string() }).passthrough()) }).passthrough()) }).passthrough(),
  'downloads.json': z.array(z.object({ path: z.string(), group: z.string(), bytes: z.number().nullable() }).passthrough()),
  'provenance.json': z.object({ software: z.unknown(), divisions: z.unknown() }).passthrough(),
  'published.json': z.object({ source_file: z.string(), figures: z.array(z.object({ id: z.string(), area_code: code6, metric: z.string(), value: z.number(), quote: z.string(), source_url: z.string() }).passthrough()), inferences: z.array(z.object({ figure_id: z.string(), area_code: code6 }).passthrough()) }).passthrough(),
  'boundaries.json': z.record(code6, z.array(z.object({ type: z.literal('Feature'), properties: z.object({ code: code6, name: z.string() }).passthrough() }).passthrough())),
} as const;
type SiteFile = keyof typeof SHAPES;

/** Everything the pages read, from one build/site folder; each file read and checked once. */
export function createSiteData(dir: string = SITE_DATA_DIR) {
  const cache = new Map<string, unknown>();
  function readChecked<T>(name: string, shape: z.ZodTypeAny, missing?: () => T): T {
    if (!cache.has(name)) {
      const file = path.join(dir, name);
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        if (missing) return missing();
        throw new Error(`${file} is missing: run \`npm run data\` (or \`npm run build\`) first.`);
      }
      const value = JSON.parse(text);
      const parsed = shape.safeParse(value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new Error(`${file}: unexpected shape at ${issue.path.join('.') || '(root)'}: ${issue.message}. Rebuild with \`npm run data\`.`);
      }
      // The checked shape is a subset (passthrough): keep the full object the pipeline wrote.
      cache.set(name, value);
    }
    return cache.get(name) as T;
  }
  const read = <T>(name: SiteFile): T => readChecked<T>(name, SHAPES[name]);
  // Indexes built once per build, so a page looks its data up by key (never a scan per page).
  const memo = <T>(build: () => T) => {
    let value: T | undefined;
    return () => (value ??= build());
  };
  const group = <T>(list: T[], key: (x: T) => string) => {
    const index = new Map<string, T[]>();
    for (const item of list) {
      const k = key(item);
      const bucket = index.get(k);
      if (bucket) bucket.push(item);
      else index.set(k, [item]);
    }
    return index;
  };

  const meta = () => read<SiteMeta>('meta.json');
  const areas = () => read<AreaAggregate[]>('areas.json');
  const areaIndex = memo(() => new Map(areas().map((a) => [a.code, a])));
  const registry = () => read<Registry>('registry.json');
  const targetIndex = memo(() => new Map(registry().targets.map((x) => [x.id, x])));
  const documentIndex = memo(() => new Map(registry().documents.map((d) => [d.id, d])));
  const progress = () => read<ProgressOutput>('progress.json');
  const progressIndex = memo(() => group(progress().rows, (r) => r.area_code));
  const progressByTarget = memo(() => group(progress().rows, (r) => r.target_id));
  const timeseries = () => read<TimeSeriesOutput>('timeseries.json');
  const seriesIndex = memo(() => new Map(timeseries().areas.map((a) => [a.code, a])));
  const published = () => read<PublishedSite>('published.json');
  const publishedByArea = memo(() => {
    const p = published();
    const index = new Map<string, { figure: PublishedSite['figures'][number]; inference: PublishedSite['inferences'][number] }[]>();
    p.figures.forEach((figure, i) => {
      const bucket = index.get(figure.area_code) ?? [];
      bucket.push({ figure, inference: p.inferences[i] });
      index.set(figure.area_code, bucket);
    });
    return index;
  });

  // Communities: one county's line of build/site/communities/rows.jsonl read by position when a page asks (src/lib/core/community-store.ts).
  const communityStore = memo(() => openCommunityStore(dir));
  const communityCache = new Map<string, CommunityAggregate[]>();

  const mapCache = new Map<string, MapFile | null>();
  /** The shapes of an area's children, or null when the build wrote none for it. */
  function mapOf(code: string): MapFile | null {
    if (!mapCache.has(code)) {
      const file = path.join(dir, 'maps', `${code}.json`);
      let text: string | null = null;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        text = null;
      }
      if (text === null) mapCache.set(code, null);
      else {
        const parsed = MapFileShape.safeParse(JSON.parse(text));
        if (!parsed.success) throw new Error(`${file}: unexpected shape at ${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message}`);
        mapCache.set(code, JSON.parse(text) as MapFile);
      }
    }
    return mapCache.get(code)!;
  }
  const locators = memo(() => {
    try {
      return JSON.parse(readFileSync(path.join(dir, 'maps', 'locators.json'), 'utf8')) as Record<string, { frame: string; highlighted: string | null; not_drawn: unknown }>;
    } catch {
      return {};
    }
  });
  const childIndex = memo(() => {
    const index = group(areas().filter((a) => a.parent_code !== null), (a) => a.parent_code!);
    for (const list of index.values()) list.sort((x, y) => (x.code < y.code ? -1 : x.code > y.code ? 1 : 0));
    return index;
  });
  // Peers: same level and same tier (select.ts tierKey), each group in code order.
  const tierIndex = memo(() => {
    const index = group(areas().filter((a) => tierKey(a) !== null), peerKey);
    for (const list of index.values()) list.sort((x, y) => (x.code < y.code ? -1 : x.code > y.code ? 1 : 0));
    return index;
  });

  return {
    mapOf,
    /** A county's locator: the frame's shapes and the code to highlight (null when the county is not drawn). */
    locatorOf: (county: string) => {
      const l = locators()[county];
      const frame = l ? mapOf(l.frame) : null;
      return l && frame ? { frame, highlighted: l.highlighted } : null;
    },
    meta,
    dataset: (): DatasetMeta => meta().dataset,
    areas,
    area: (code: string): AreaAggregate | undefined => areaIndex().get(code),
    townships: () => read<TownshipAggregate[]>('townships.json'),
    /** Direct children of an area, by code (index built once). */
    childrenOf: (code: string): AreaAggregate[] => childIndex().get(code) ?? [],
    /** Other areas of the same level and the same tier (both density targets), by code. */
    peersOf: (area: AreaAggregate): AreaAggregate[] =>
      tierKey(area) === null ? [] : (tierIndex().get(peerKey(area)) ?? []).filter((a) => a.code !== area.code),
    /**
     * Communities of one county-level area the dataset covers, its line of build/site/communities/rows.jsonl read
     * by position when first asked (no page reads them all). [] for an area without data; a covered county the
     * store does not list is an error.
     */
    communitiesOf: (countyCode: string): CommunityAggregate[] => {
      let list = communityCache.get(countyCode);
      if (!list) {
        const store = communityStore();
        list = store?.read(countyCode);
        if (!list) {
          const area = areaIndex().get(countyCode);
          if (area?.has_data && area.level === 'county') {
            throw new Error(`${path.join(dir, COMMUNITY_INDEX_FILE)} ${store ? `lists no communities for county ${countyCode}` : 'is missing'}: run \`npm run data\` first.`);
          }
          list = [];
        }
        communityCache.set(countyCode, list);
      }
      return list;
    },
    /** How many communities of an area fall short of their target and the worst of them (build/site/shortfall.json). */
    shortfallOf: (areaCode: string): AreaShortfall => read<Record<string, AreaShortfall>>('shortfall.json')[areaCode] ?? { count: 0, worst: [] },
    rejections: () => read<Rejection[]>('rejections.json'),
    /** Counted rows with an assumption (an unknown category word …), in file/line order. */
    warnings: () => read<IngestWarning[]>('warnings.json'),
    /** Rows that are not organizations (合计, 表尾, blank …) and skipped worksheets (line 0). */
    skipped: () => read<SkippedRow[]>('skipped.json'),
    /** What the reader noted about files and worksheets (context from titles, header rows …). */
    notes: () => read<IngestNote[]>('notes.json'),
    reconciliation: () => read<Reconciliation>('reconciliation.json'),
    observations: () => read<Observation[]>('observations.json'),
    registry,
    target: (id: string): Target | undefined => targetIndex().get(id),
    document: (id: string): TargetDocument | undefined => documentIndex().get(id),
    progress,
    /** Progress rows of one area, in progress.json order (registry order of the targets). */
    progressFor: (areaCode: string): ProgressRow[] => progressIndex().get(areaCode) ?? [],
    progressOfTarget: (targetId: string): ProgressRow[] => progressByTarget().get(targetId) ?? [],
    timeseries,
    /** The time series of an area the dataset fully covers; undefined elsewhere. */
    seriesFor: (areaCode: string): AreaSeries | undefined => seriesIndex().get(areaCode),
    /** Real published figures (data/published/), whatever dataset is loaded. */
    published,
    /** One area's published figures, each with its inference against the targets' minimum. */
    publishedFor: (code: string) => publishedByArea().get(code) ?? [],
    downloads: () => read<DownloadEntry[]>('downloads.json'),
    provenance: () => read<Provenance>('provenance.json'),
    /** County shapes of an area's map (written by the pipeline for the areas that have one), or null. */
    boundariesOf: (code: string): CountyFeature[] | null => read<Record<string, CountyFeature[]>>('boundaries.json')[code] ?? null,
  };
}

export type SiteData = ReturnType<typeof createSiteData>;

let shared: SiteData | null = null;
/** The site data of this build (SITE_DATA_DIR, default build/site), shared by every page. */
export function siteData(): SiteData {
  return (shared ??= createSiteData());
}
