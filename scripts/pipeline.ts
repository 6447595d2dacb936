import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { aggregate, type AggregateOutput, type DensityTargetResolver } from '../src/lib/model/aggregate';
import { DIVISIONS_SOURCE, countiesUnder, loadDivisions, prefectureCode6 } from '../src/lib/ingest/divisions';
import { DatasetError, readDataset, readDatasetMeta } from '../src/lib/ingest';
import { buildDownloads, dataPageFiles } from '../src/lib/publish/outputs';
import { collectProvenance } from '../src/lib/publish/provenance';
import { progressSiteFiles } from '../src/lib/model/progress';
import { TARGET_METRICS, densityTargetsAt, loadRegistry, type Registry } from '../src/lib/model/targets';
import type { DatasetReadResult, SiteMeta } from '../src/lib/core/types';
import { childrenShapes, locatorShapes } from '../src/lib/ingest/boundaries';
import { PUBLISHED_FIGURES_PATH, readPublishedFigures, type PublishedFigure } from '../src/lib/ingest/published';
import { publishedSiteFile } from '../src/lib/model/published-site';
import { namePinyin } from '../src/lib/ingest/name-en';
import { searchIndexJson } from '../src/lib/site/search-index';
import { NATIONAL_CODE as NATIONAL } from '../src/lib/core/area-codes';
import { CLASSIFICATION_RULE } from '../src/lib/ingest/classify';

/** A problem that stops the build: printed as one message, never as a stack trace. */
export class PipelineError extends Error {}

export interface PipelineOptions {
  dataDir: string;
  siteDir: string; // build/site: JSON the pages read
  downloadsDir: string; // public/data: files published under /data/
  registryFile: string;
  /** The published figures (default data/published/figures.csv). */
  publishedFile?: string;
  /** The site's public URL with a trailing slash (SITE_URL, parsed by siteConfig in src/i18n/paths.ts); null: not published yet. */
  siteUrl?: string | null;
}

export interface PipelineResult {
  read: DatasetReadResult;
  agg: AggregateOutput;
  registry: Registry;
  meta: SiteMeta;
  /** The real published figures read from data/published/. */
  published: PublishedFigure[];
  summary: string[];
}


function softwareVersion(): string {
  return JSON.parse(readFileSync(path.resolve('package.json'), 'utf8')).version as string;
}

/** A dataset folder as a user would type it: relative when inside the project, else absolute. */
function displayPath(dir: string): string {
  const relative = path.relative(process.cwd(), dir);
  return relative === '' ? '.' : relative.startsWith('..') ? dir : relative;
}

/** Deterministic JSON: fixed key order comes from construction; two-space indent, final newline. */
export const stableJson = (value: unknown) => JSON.stringify(value, null, 2) + '\n';

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
  const write = (code: string, value: unknown) => {
    if (written.has(code)) return;
    writeFileSync(path.join(dir, `${code}.json`), JSON.stringify(value));
    written.add(code);
  };
  const locators: Record<string, { frame: string; highlighted: string | null; not_drawn: unknown }> = {};
  for (const code of [...codes].sort()) {
    if (levelOf(code) === 'county') {
      const l = locatorShapes(code);
      if (!written.has(l.frame)) {
        const frame = childrenShapes(l.frame);
        write(l.frame, { code: l.frame, features: frame.features, context: frame.context, lines: frame.lines, not_drawn: frame.notDrawn });
      }
      locators[code] = { frame: l.frame, highlighted: l.highlighted, not_drawn: l.notDrawn };
    } else {
      const s = childrenShapes(code);
      write(code, { code, features: s.features, context: s.context, lines: s.lines, not_drawn: s.notDrawn });
    }
  }
  writeFileSync(path.join(dir, 'locators.json'), stableJson(locators));
  return { files: written.size + 1 };
}

export async function runPipeline(options: PipelineOptions): Promise<PipelineResult> {
  let registry: Registry;
  try {
    registry = loadRegistry(options.registryFile);
  } catch (error) {
    throw new PipelineError((error as Error).message);
  }

  // Real published figures (data/published/): part of every build, whatever dataset is loaded.
  let published: PublishedFigure[];
  try {
    published = readPublishedFigures(options.publishedFile ?? PUBLISHED_FIGURES_PATH);
  } catch (error) {
    throw new PipelineError((error as Error).message);
  }

  let read: DatasetReadResult;
  let divisions;
  try {
    const meta = readDatasetMeta(options.dataDir);
    const targetAreas = registry.targets.flatMap((t) => t.areas).filter((c) => c !== NATIONAL);
    // Load only the provinces the site needs; without a declared scope the data may be anywhere.
    // Published figures of 全国 are compared with all of China's units: then every province is loaded.
    const figureAreas = published.map((f) => f.area_code);
    const prefixes =
      meta.scope && !figureAreas.includes(NATIONAL)
        ? [...new Set([...meta.scope, ...targetAreas, ...figureAreas].map((c) => c.slice(0, 2)))].sort()
        : undefined;
    divisions = await loadDivisions({ prefixes });
    for (const code of meta.scope ?? []) {
      if (!divisions.areas.has(code)) {
        throw new DatasetError('dataset.json', null, 'scope', `未知区划代码 ${code}`, `unknown area code ${code}`);
      }
    }
    read = await readDataset(options.dataDir, divisions, { metrics: TARGET_METRICS });
  } catch (error) {
    if (error instanceof DatasetError) throw new PipelineError(`${displayPath(options.dataDir)}/${error.message}`);
    throw error;
  }

  // Zero accepted organizations would publish a site of zeros: a wrong number, not a finding.
  if (read.orgs.length === 0) {
    const files = read.reconciliation.files.filter((f) => f.file.startsWith('organizations/'));
    const counts = (f: { rowsRead: number; rejected: number }) => [`读取 ${f.rowsRead} 行，剔除 ${f.rejected} 行`, `read ${f.rowsRead}, rejected ${f.rejected}`];
    const where = `${displayPath(options.dataDir)}/${files.length === 1 ? files[0].file : 'organizations'}`;
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

  const dataScope = read.meta.scope ?? [...new Set(read.orgs.map((o) => prefectureCode6(o.countyCode)))].sort();
  const extraAreas = [...new Set(registry.targets.flatMap((t) => t.areas))].filter((c) => c !== NATIONAL && divisions.areas.has(c)).sort();

  const resolveTargets: DensityTargetResolver = (area, ancestors) => {
    const found = densityTargetsAt(registry, { code: area.code, level: area.level, ancestors }, read.meta.as_of);
    return {
      urban: found.urban ? { id: found.urban.id, value: found.urban.value } : null,
      rural: found.rural ? { id: found.rural.id, value: found.rural.value } : null,
    };
  };
  const agg = aggregate({ divisions, orgs: read.orgs, asOf: read.meta.as_of, dataScope, extraAreas, resolveTargets });

  const rootCode = dataScope.length === 1 ? dataScope[0] : (divisions.areas.get(dataScope[0])?.parentCode ?? dataScope[0]);
  const meta: SiteMeta = {
    dataset: read.meta,
    root_code: rootCode,
    area_codes: agg.areas.map((a) => a.code),
    district_codes: countiesUnder(divisions, rootCode),
    divisions_source: { package: DIVISIONS_SOURCE.package, version: DIVISIONS_SOURCE.version, dataset: DIVISIONS_SOURCE.dataset },
    registry_version: registry.version,
    software_version: softwareVersion(),
    classification_rule: CLASSIFICATION_RULE,
  };

  // Pages' data.
  rmSync(options.siteDir, { recursive: true, force: true });
  mkdirSync(options.siteDir, { recursive: true });
  const progressFiles = progressSiteFiles({ divisions, read, registry, dataScope }); // timeseries.json, progress.json
  const site: Record<string, unknown> = {
    'meta.json': meta,
    'areas.json': agg.areas,
    'townships.json': agg.townships,
    'communities.json': agg.communities,
    'rejections.json': read.rejections,
    'warnings.json': read.warnings,
    'skipped.json': read.skipped,
    'notes.json': read.notes,
    'reconciliation.json': read.reconciliation,
    'observations.json': read.observations,
    'registry.json': registry,
    'published.json': publishedSiteFile({
      figures: published, registry, divisions, sourceFile: PUBLISHED_FIGURES_PATH, nameEn: (code) => divisions.areas.get(code)?.nameEn,
    }),
    // The overview map's county shapes, for the roots that ship boundaries (data/boundaries/).
    'boundaries.json': divisions.areas.get(rootCode)?.level === 'county' ? {} : { [rootCode]: rootShapes(rootCode) },
    ...progressFiles,
  };
  for (const [name, value] of Object.entries(site)) writeFileSync(path.join(options.siteDir, name), stableJson(value));
  writeMapFiles(options.siteDir, meta.area_codes, (code) => divisions.areas.get(code)?.level ?? (code === NATIONAL ? 'national' : undefined));

  // Downloads: the folder is wholly generated, so stale files never survive a rebuild.
  rmSync(options.downloadsDir, { recursive: true, force: true });
  mkdirSync(options.downloadsDir, { recursive: true });
  const provenance = await collectProvenance({ dataDir: options.dataDir, registryFile: options.registryFile, registryVersion: registry.version, meta: read.meta });
  const downloads = await buildDownloads({
    agg, read, registry, provenance, progress: progressFiles['progress.json'], timeseries: progressFiles['timeseries.json'], published,
    dataUrl: options.siteUrl ? new URL('data/', options.siteUrl).href : null,
  });
  for (const [name, content] of dataPageFiles(downloads)) writeFileSync(path.join(options.siteDir, name), content);
  for (const [name, content] of downloads) {
    const file = path.join(options.downloadsDir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }

  // The header search's index: every area with a page, with its parent (to tell the many 市中区 apart).
  const byCode = new Map(agg.areas.map((a) => [a.code, a]));
  const searchFile = path.join(path.dirname(options.downloadsDir), 'search', 'areas.json');
  mkdirSync(path.dirname(searchFile), { recursive: true });
  writeFileSync(searchFile, searchIndexJson(
    agg.areas.map((a) => {
      const parent = a.parent_code ? byCode.get(a.parent_code) : undefined;
      return { code: a.code, name: a.name, name_en: a.name_en, level: a.level, parent_code: a.parent_code, parent_name: parent?.name ?? null, parent_name_en: parent?.name_en ?? null, pinyin: namePinyin(a.name, a.level) };
    }),
  ));

  return { read, agg, registry, meta, published, summary: summarise(read, agg, rootCode) };
}

function summarise(read: DatasetReadResult, agg: AggregateOutput, rootCode: string): string[] {
  const r = read.reconciliation;
  const lines = [
    `dataset: ${read.meta.title} (as of ${read.meta.as_of}${read.meta.sample ? ', SAMPLE' : ''})`,
    `reconciliation: rows read ${r.rowsRead} = accepted ${r.accepted} + rejected ${r.rejected} + skipped ${r.skipped} (warnings on ${r.warnings} accepted rows)`,
  ];
  for (const f of r.files) lines.push(`  ${f.file} [${f.encoding}]: read ${f.rowsRead} = accepted ${f.accepted} + rejected ${f.rejected} + skipped ${f.skipped}`);
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
