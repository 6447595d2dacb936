/**
 * The data pipeline as named stages (`npm run data:read`, `data:model`, `data:publish`, `data:check`;
 * `npm run data` runs them all in one process, handing results over in memory):
 *
 *   read     dataset.json (once) + reference data (divisions, targets registry) + every input file
 *            → accepted organizations (integer-coded columns), rejections, reconciliation, observations
 *            saved under build/stages/read/ (scripts/stages.ts)
 *   model    aggregation, time series, progress, shortfalls → build/site/*.json (what the pages read)
 *   publish  downloads → public/data/* and build/site/downloads.json, provenance.json
 *   check    invariants over what was written (scripts/check.ts)
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { aggregate, type AggregateOutput, type DensityTargetResolver } from '../src/lib/model/aggregate';
import { DIVISIONS_SOURCE, ancestorsOf, countiesUnder, loadDivisions, prefectureCode6, type Divisions } from '../src/lib/ingest/divisions';
import { DatasetError, readDataset, readDatasetMeta, type DatasetReadOutput, type OrganizationHelper } from '../src/lib/ingest';
import { startReadHelper } from '../src/lib/ingest/read-helper';
import { buildDownloads, dataPageFiles, startPartParquet, type DownloadFiles, type EarlyParquet } from '../src/lib/publish/outputs';
import { collectProvenance } from '../src/lib/publish/provenance';
import { progressSiteFiles, type ProgressOutput } from '../src/lib/model/progress';
import { shortfallByArea } from '../src/lib/model/shortfall';
import { TARGET_METRICS, densityTargetsAt, loadRegistry, type Registry } from '../src/lib/model/targets';
import type { TimeSeriesOutput } from '../src/lib/model/timeseries';
import { NATIONAL_CODE } from '../src/lib/core/area-codes';
import type { SiteMeta } from '../src/lib/core/types';
import { childrenShapes, locatorShapes } from '../src/lib/ingest/boundaries';
import { namePinyin } from '../src/lib/ingest/name-en';
import { PUBLISHED_FIGURES_PATH, readPublishedFigures, type PublishedFigure } from '../src/lib/ingest/published';
import { publishedSiteFile } from '../src/lib/model/published-site';
import { searchIndexJson } from '../src/lib/site/search-index';
import { CLASSIFICATION_RULE } from '../src/lib/ingest/classify';
import { writeFiles, writeJsonFiles } from './write';
import { writeCommunityStore } from '../src/lib/core/community-store';
import { checkDownloads, checkSite } from './check';
import { startWorker } from '../src/lib/core/worker-script';

/** A problem that stops the build: printed as one message, never as a stack trace. */
export class PipelineError extends Error {}

export interface PipelineOptions {
  dataDir: string;
  siteDir: string; // build/site: JSON the pages read
  downloadsDir: string; // public/data: files published under /data/
  registryFile: string;
  /** Keep every accepted organization as an object in `read.orgs` (tests); the pipeline itself uses the columns. */
  records?: boolean;
  /** The published figures (default data/published/figures.csv). */
  publishedFile?: string;
  /** The site's public URL with a trailing slash (SITE_URL, parsed by siteConfig in src/i18n/paths.ts); null: not published yet. */
  siteUrl?: string | null;
}

export interface ReadStage {
  registry: Registry;
  divisions: Divisions;
  read: DatasetReadOutput;
  /** Province prefixes whose units were loaded (all of China without a declared scope). */
  prefixes: string[] | null;
  /** Real published figures (data/published/): part of every build, whatever dataset is loaded. */
  published: PublishedFigure[];
}

export interface ModelStage {
  agg: AggregateOutput;
  meta: SiteMeta;
  dataScope: string[];
  timeseries: TimeSeriesOutput;
  progress: ProgressOutput;
}

export interface PipelineResult {
  read: DatasetReadOutput;
  agg: AggregateOutput;
  registry: Registry;
  meta: SiteMeta;
  /** The real published figures read from data/published/. */
  published: PublishedFigure[];
  summary: string[];
  /** data:check's findings over what the stages wrote (scripts/check.ts), one line each: none for a correct build. */
  problems: string[];
  /** Seconds per stage. */
  timings: Record<string, number>;
}

function softwareVersion(): string {
  return JSON.parse(readFileSync(path.resolve('package.json'), 'utf8')).version as string;
}

/** A dataset folder as a user would type it: relative when inside the project, else absolute. */
export function displayPath(dir: string): string {
  const relative = path.relative(process.cwd(), dir);
  return relative === '' ? '.' : relative.startsWith('..') ? dir : relative;
}

/** Deterministic JSON: fixed key order comes from construction; two-space indent, final newline. */
export const stableJson = (value: unknown) => JSON.stringify(value, null, 2) + '\n';

/**
 * Province prefixes whose villages and townships the site needs: the scope's and the targets' (null: the data may
 * be anywhere, load all). Published figures add none: the units they are compared with are counted from every
 * county of China whatever is loaded (divisions.unitKindsOf, src/lib/model/requirements.ts unitCounts), so a
 * Leshan build no longer holds all 620,573 units because figures of 全国 exist.
 */
export function divisionPrefixes(scope: string[] | undefined, registry: Registry): string[] | null {
  if (!scope || scope.includes(NATIONAL_CODE)) return null;
  const targetAreas = registry.targets.flatMap((t) => t.areas).filter((c) => c !== NATIONAL_CODE);
  return [...new Set([...scope, ...targetAreas].map((c) => c.slice(0, 2)))].sort();
}

export function loadRegistryOrFail(file: string): Registry {
  try {
    return loadRegistry(file);
  } catch (error) {
    throw new PipelineError((error as Error).message);
  }
}

const cleanups: Promise<void>[] = [];

/**
 * Empties a generated folder without waiting: the old one is renamed aside at once and deleted on the
 * thread pool while the stage computes (thousands of per-area files took seconds to unlink in line).
 */
export function clearDir(dir: string): void {
  if (existsSync(dir)) {
    const stale = `${dir}.stale-${process.pid}-${cleanups.length}`;
    renameSync(dir, stale);
    cleanups.push(rm(stale, { recursive: true, force: true }));
  }
  mkdirSync(dir, { recursive: true });
}

/** Waits for the folders clearDir set aside to be gone. */
export async function settleCleanup(): Promise<void> {
  await Promise.all(cleanups.splice(0));
}

/** Stage 1: reference data and the dataset folder → records, rejections, reconciliation. */
export async function readStage(options: PipelineOptions): Promise<ReadStage> {
  const registry = loadRegistryOrFail(options.registryFile);
  let published: PublishedFigure[];
  try {
    published = readPublishedFigures(options.publishedFile ?? PUBLISHED_FIGURES_PATH);
  } catch (error) {
    throw new PipelineError((error as Error).message);
  }
  let helper: OrganizationHelper | null = null;
  try {
    const meta = readDatasetMeta(options.dataDir);
    const prefixes = divisionPrefixes(meta.scope, registry);
    const records = options.records ?? false;
    // started first, so its division load runs beside this thread's (src/lib/ingest/read-helper.ts)
    if (!records && process.env.CSO_READ_THREADS !== '1') helper = startReadHelper({ dir: options.dataDir, meta, prefixes });
    const divisions = await loadDivisions({ prefixes: prefixes ?? undefined });
    for (const code of meta.scope ?? []) {
      if (!divisions.areas.has(code)) {
        throw new DatasetError('dataset.json', null, 'scope', `未知区划代码 ${code}`, `unknown area code ${code}`);
      }
    }
    const read = await readDataset(options.dataDir, divisions, { metrics: TARGET_METRICS, records, meta, helper: helper ?? undefined });
    assertSomethingAccepted(read, options.dataDir);
    return { registry, divisions, read, prefixes, published };
  } catch (error) {
    if (error instanceof DatasetError) throw new PipelineError(`${displayPath(options.dataDir)}/${error.message}`);
    throw error;
  } finally {
    helper?.close();
  }
}

/** Zero accepted organizations would publish a site of zeros: a wrong number, not a finding. */
function assertSomethingAccepted(read: DatasetReadOutput, dataDir: string): void {
  if (read.columns.length > 0) return;
  const files = read.reconciliation.files.filter((f) => f.file.startsWith('organizations/'));
  const counts = (f: { rowsRead: number; rejected: number }) => [`读取 ${f.rowsRead} 行，剔除 ${f.rejected} 行`, `read ${f.rowsRead}, rejected ${f.rejected}`];
  const where = `${displayPath(dataDir)}/${files.length === 1 ? files[0].file : 'organizations'}`;
  const [zh, en] = files.length === 1 ? [`（${counts(files[0])[0]}）`, ` (${counts(files[0])[1]})`] : ['', ''];
  const listed = files.length === 1 ? [] : files.map((f) => `  ${f.file}: ${counts(f).join(' / ')}`);
  if (files.length === 0) listed.push('  （文件夹中没有 CSV 或 XLSX 文件 / no CSV or XLSX file in the folder）');
  const first = read.rejections.slice(0, 5).map((r) => `  ${r.file}:${r.line}${r.column ? `:${r.column}` : ''}: ${r.reason}`);
  throw new PipelineError(
    [
      `${where}: 没有任何组织记录被采用${zh}，无法计算 / no organization row was accepted${en}, nothing to measure`,
      ...listed,
      ...(first.length ? ['前几条剔除原因 / first rejections:', ...first] : []),
    ].join('\n'),
  );
}

/**
 * The site's own area: the lowest common ancestor of the data scope (全国 000000 for a dataset
 * spanning provinces, the province for prefectures of one province, the scope itself when it is one area).
 */
export function siteRoot(divisions: Divisions, scope: readonly string[]): string {
  const chain = (code: string) => (code === NATIONAL_CODE ? [NATIONAL_CODE] : [code, ...ancestorsOf(divisions, code), NATIONAL_CODE]);
  const [first, ...rest] = scope;
  if (first === undefined) return NATIONAL_CODE;
  const others = rest.map((c) => new Set(chain(c)));
  return chain(first).find((code) => others.every((s) => s.has(code))) ?? NATIONAL_CODE;
}

/** The areas the overview compares: the provinces of a national site, else the root's counties (districts). */
export function comparedCodes(divisions: Divisions, root: string): string[] {
  return root === NATIONAL_CODE ? [...(divisions.childrenOf.get(NATIONAL_CODE) ?? [])].sort() : countiesUnder(divisions, root);
}


/** The overview map's shapes: the root's children from the national boundary set (src/lib/ingest/boundaries.ts). */
function rootShapes(rootCode: string) {
  return childrenShapes(rootCode).features.map((f) => ({ type: 'Feature' as const, properties: { code: f.properties.code, name: f.properties.name }, geometry: f.geometry }));
}

/**
 * The shapes every area page maps (build/site/maps/): an area's children (全国 → provinces, province → prefectures,
 * prefecture → counties) in maps/{code}.json, and for a county the frame of its locator (its prefecture, or the
 * province where the prefecture is one shape or a 直辖市) in maps/{frame}.json, named in maps/locators.json.
 * One file per frame, so 2,978 county pages share 333-odd files instead of each carrying its own copy.
 */
export function writeMapFiles(siteDir: string, codes: readonly string[], levelOf: (code: string) => string | undefined): { files: number } {
  const dir = path.join(siteDir, 'maps');
  mkdirSync(dir, { recursive: true });
  const written = new Set<string>();
  const write = (code: string) => {
    if (written.has(code)) return;
    const s = childrenShapes(code);
    writeFileSync(path.join(dir, `${code}.json`), JSON.stringify({ code, features: s.features, context: s.context, lines: s.lines, not_drawn: s.notDrawn }));
    written.add(code);
  };
  const locators: Record<string, { frame: string; highlighted: string | null; not_drawn: unknown }> = {};
  for (const code of [...codes].sort()) {
    if (levelOf(code) === 'county') {
      const l = locatorShapes(code);
      write(l.frame);
      locators[code] = { frame: l.frame, highlighted: l.highlighted, not_drawn: l.notDrawn };
    } else {
      write(code);
    }
  }
  writeFileSync(path.join(dir, 'locators.json'), stableJson(locators));
  return { files: written.size + 1 };
}

/** The header search's index (public/search/areas.json): every area with its parent, to tell the many 市中区 apart. */
function writeSearchIndex(areas: readonly { code: string; name: string; name_en: string; level: string; parent_code: string | null }[], file: string): void {
  const byCode = new Map(areas.map((a) => [a.code, a]));
  const rows = areas
    .filter((a) => a.level !== 'national')
    .map((a) => {
      const parent = a.parent_code ? byCode.get(a.parent_code) : undefined;
      const level = a.level as 'province' | 'prefecture' | 'county';
      const top = parent?.level === 'national';
      return { code: a.code, name: a.name, name_en: a.name_en, level, parent_code: top ? null : a.parent_code, parent_name: top ? null : parent?.name ?? null, parent_name_en: top ? null : parent?.name_en ?? null, pinyin: namePinyin(a.name, level) };
    });
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, searchIndexJson(rows));
}

/** Stage 2: aggregation, time series, progress, shortfalls; writes build/site (pages' data). */
export function modelStage(
  r: ReadStage,
  options: Pick<PipelineOptions, 'siteDir' | 'downloadsDir'>,
  /** Called with the aggregation before the series, progress and build/site are made (runPipeline starts Parquet parts then). */
  aggregated?: (agg: AggregateOutput) => void,
): ModelStage {
  const { read, registry, divisions } = r;
  // Without a declared scope, the data covers the prefectures it has organizations in.
  const dataScope = read.meta.scope ?? [...new Set(read.columns.counties.map((c) => prefectureCode6(c)))].sort();
  const extraAreas = [...new Set(registry.targets.flatMap((t) => t.areas))].filter((c) => c !== NATIONAL_CODE && divisions.areas.has(c)).sort();
  const resolveTargets: DensityTargetResolver = (area, ancestors) => {
    const found = densityTargetsAt(registry, { code: area.code, level: area.level, ancestors }, read.meta.as_of);
    return {
      urban: found.urban ? { id: found.urban.id, value: found.urban.value } : null,
      rural: found.rural ? { id: found.rural.id, value: found.rural.value } : null,
    };
  };
  const agg = aggregate({ divisions, orgs: read.columns, asOf: read.meta.as_of, dataScope, extraAreas, resolveTargets });
  aggregated?.(agg);
  const rootCode = siteRoot(divisions, dataScope);
  const meta: SiteMeta = {
    dataset: read.meta,
    root_code: rootCode,
    area_codes: agg.areas.map((a) => a.code),
    district_codes: countiesUnder(divisions, rootCode),
    compared_codes: comparedCodes(divisions, rootCode),
    divisions_source: { package: DIVISIONS_SOURCE.package, version: DIVISIONS_SOURCE.version, dataset: DIVISIONS_SOURCE.dataset },
    registry_version: registry.version,
    software_version: softwareVersion(),
    classification_rule: CLASSIFICATION_RULE,
  };
  const progressFiles = progressSiteFiles({ divisions, read, registry, dataScope });

  clearDir(options.siteDir);
  const communitiesByCounty = new Map<string, typeof agg.communities>(agg.dataCounties.map((c) => [c, []]));
  for (const c of agg.communities) communitiesByCounty.get(c.county_code)!.push(c);
  const site: [string, unknown][] = [
    ['meta.json', meta],
    ['areas.json', agg.areas],
    ['townships.json', agg.townships],
    ['shortfall.json', shortfallByArea(agg.areas, agg.communities)],
    ['rejections.json', read.rejections],
    ['warnings.json', read.warnings],
    ['skipped.json', read.skipped],
    ['notes.json', read.notes],
    ['reconciliation.json', read.reconciliation],
    ['observations.json', read.observations],
    ['registry.json', registry],
    ['published.json', publishedSiteFile({ figures: r.published, registry, divisions, sourceFile: PUBLISHED_FIGURES_PATH, nameEn: (code) => divisions.areas.get(code)?.nameEn })],
    // The overview map's shapes: the root's children from the national boundary set (a county root has none).
    ['boundaries.json', divisions.areas.get(rootCode)?.level === 'county' ? {} : { [rootCode]: rootShapes(rootCode) }],
    ['timeseries.json', progressFiles['timeseries.json']],
    ['progress.json', progressFiles['progress.json']],
  ];
  // The large files are written compact (same values, a third smaller, faster to write and parse).
  const compact = new Set(['townships.json', 'timeseries.json', 'progress.json', 'shortfall.json']);
  writeJsonFiles(options.siteDir, site, (name) => compact.has(name));
  // Every covered county's communities in one file read by position (src/lib/core/community-store.ts): never one file per county.
  writeCommunityStore(options.siteDir, communitiesByCounty);
  writeMapFiles(options.siteDir, meta.area_codes, (code) => divisions.areas.get(code)?.level);
  writeSearchIndex(agg.areas, path.join(path.dirname(options.downloadsDir), 'search', 'areas.json'));
  return { agg, meta, dataScope, timeseries: progressFiles['timeseries.json'], progress: progressFiles['progress.json'] };
}

/** Stage 3: every download → public/data, and the download index and provenance the /data/ page reads. */
export async function publishStage(
  r: Pick<ReadStage, 'read' | 'registry' | 'published'>,
  m: Pick<ModelStage, 'agg' | 'progress' | 'timeseries'>,
  options: Pick<PipelineOptions, 'dataDir' | 'registryFile' | 'siteDir' | 'downloadsDir' | 'siteUrl'>,
  earlyParquet: EarlyParquet | null = null,
): Promise<DownloadFiles> {
  // The folder is wholly generated, so stale files never survive a rebuild.
  clearDir(options.downloadsDir);
  const provenance = await collectProvenance({ dataDir: options.dataDir, registryFile: options.registryFile, registryVersion: r.registry.version, meta: r.read.meta });
  const downloads = await buildDownloads({
    agg: m.agg, read: r.read, registry: r.registry, provenance, progress: m.progress, timeseries: m.timeseries, published: r.published,
    dataUrl: options.siteUrl ? new URL('data/', options.siteUrl).href : null, earlyParquet,
  });
  const pageFiles = dataPageFiles(downloads);
  if (process.env.CSO_TRACE) console.log(`  publish index: peak ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
  await writeFiles(options.siteDir, pageFiles);
  await writeFiles(options.downloadsDir, downloads);
  return downloads;
}

/** read → model → publish in one process, results handed over in memory. */
export async function runPipeline(options: PipelineOptions): Promise<PipelineResult> {
  const timings: Record<string, number> = {};
  const timed = async <T>(name: string, run: () => T | Promise<T>): Promise<T> => {
    const started = performance.now();
    const value = await run();
    timings[name] = (performance.now() - started) / 1000;
    if (process.env.CSO_TRACE) console.log(`${name}: ${timings[name].toFixed(2)} s, heap ${Math.round(process.memoryUsage().heapUsed / 1e6)} MB, rss ${Math.round(process.memoryUsage().rss / 1e6)} MB, peak ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
    return value;
  };
  // The communities' Parquet parts are started once the aggregation is done: their thread runs beside the rest of the
  // model stage, which leaves the second core idle otherwise (src/lib/publish/outputs.ts startPartParquet).
  let early: EarlyParquet | null = null;
  try {
    // The divisions (~300 MB nationally) stay inside this scope: publish does not need them.
    const { r, m } = await (async () => {
      const read = await timed('read', () => readStage(options));
      collectGarbage();
      const model = await timed('model', () => modelStage(read, options, (agg) => (early = startPartParquet(agg, read.read.meta, softwareVersion()))));
      return { r: { read: read.read, registry: read.registry, published: read.published }, m: model };
    })();
    collectGarbage();
    // build/site is complete: its invariants are checked on another thread while the downloads are written
    const siteCheck = startSiteCheck(options.siteDir);
    await timed('publish', () => publishStage(r, m, options, early));
    const problems = await timed('check', async () => [...(await siteCheck), ...checkDownloads(options)]);
    await timed('cleanup', settleCleanup);
    return { read: r.read, agg: m.agg, registry: r.registry, meta: m.meta, published: r.published, summary: summarise(r.read, m.agg, m.meta.root_code), problems, timings };
  } finally {
    await (early as EarlyParquet | null)?.close(); // ended by publish; here when a stage failed before it
  }
}

/**
 * checkSite (scripts/check.ts) on a worker thread (check-worker.ts): its ~1.5 s of parsing build/site's JSON runs
 * beside the publish stage. Should the thread fail, the site is checked here instead: the check is never skipped.
 */
export async function startSiteCheck(siteDir: string): Promise<string[]> {
  // capped, so its parse garbage is collected soon: the largest file it parses (timeseries.json) is tens of MB
  const run = startWorker<string[]>('site check', new URL('./check-worker.mjs', import.meta.url), new URL('./check-worker.ts', import.meta.url), { siteDir }, { maxOldGenerationSizeMb: 384 });
  return (await run.result) ?? checkSite(siteDir);
}

/**
 * A full collection between stages. The read leaves ~1 GB of garbage (a national build's parsed records) and
 * the model its intermediates; collected here, publish starts from the live heap (~500 MB) instead of growing
 * on top of them: measured on the national sample, publish 24 s → 18 s and the peak 2.6 → 1.8 GB.
 */
function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

export function summarise(read: Pick<DatasetReadOutput, 'meta' | 'reconciliation'>, agg: Pick<AggregateOutput, 'areas'>, rootCode: string): string[] {
  const r = read.reconciliation;
  const lines = [
    `dataset: ${read.meta.title} (as of ${read.meta.as_of}${read.meta.sample ? ', SAMPLE' : ''})`,
    `reconciliation: rows read ${r.rowsRead} = accepted ${r.accepted} + rejected ${r.rejected}`,
  ];
  for (const f of r.files) lines.push(`  ${f.file} [${f.encoding}]: read ${f.rowsRead} = accepted ${f.accepted} + rejected ${f.rejected}`);
  const rows = agg.areas.filter((a) => a.code === rootCode || a.parent_code === rootCode);
  lines.push('code   name            urban: units orgs density target gap | rural: units orgs density target gap | status');
  for (const a of rows) {
    const cell = (v: number | null) => String(v ?? '—');
    lines.push(
      `${a.code} ${a.name.padEnd(8, '　')} ${[a.urban_units, a.urban_orgs, a.urban_per_unit, a.urban_target, a.urban_gap].map(cell).join(' ')} | ${[a.rural_units, a.rural_orgs, a.rural_per_unit, a.rural_target, a.rural_gap].map(cell).join(' ')} | ${a.status}`,
    );
  }
  return lines;
}
