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
import { loadBoundaries } from '../src/lib/render/map';
import { CLASSIFICATION_RULE } from '../src/lib/ingest/classify';

/** A problem that stops the build: printed as one message, never as a stack trace. */
export class PipelineError extends Error {}

export interface PipelineOptions {
  dataDir: string;
  siteDir: string; // build/site: JSON the pages read
  downloadsDir: string; // public/data: files published under /data/
  registryFile: string;
}

export interface PipelineResult {
  read: DatasetReadResult;
  agg: AggregateOutput;
  registry: Registry;
  meta: SiteMeta;
  summary: string[];
}

const NATIONAL = '000000';

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

export async function runPipeline(options: PipelineOptions): Promise<PipelineResult> {
  let registry: Registry;
  try {
    registry = loadRegistry(options.registryFile);
  } catch (error) {
    throw new PipelineError((error as Error).message);
  }

  let read: DatasetReadResult;
  let divisions;
  try {
    const meta = readDatasetMeta(options.dataDir);
    const targetAreas = registry.targets.flatMap((t) => t.areas).filter((c) => c !== NATIONAL);
    // Load only the provinces the site needs; without a declared scope the data may be anywhere.
    const prefixes = meta.scope ? [...new Set([...meta.scope, ...targetAreas].map((c) => c.slice(0, 2)))].sort() : undefined;
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
  const progressFiles = progressSiteFiles({ divisions, read, registry, dataScope }); // timeseries.json, progress.json (issue 5)
  const site: Record<string, unknown> = {
    'meta.json': meta,
    'areas.json': agg.areas,
    'townships.json': agg.townships,
    'communities.json': agg.communities,
    'rejections.json': read.rejections,
    'reconciliation.json': read.reconciliation,
    'observations.json': read.observations,
    'registry.json': registry,
    // The overview map's county shapes, for the roots that ship boundaries (data/boundaries/).
    'boundaries.json': existsSync(path.join('data/boundaries', `${rootCode}.topo.json`)) ? { [rootCode]: loadBoundaries(rootCode).features } : {},
    ...progressFiles,
  };
  for (const [name, value] of Object.entries(site)) writeFileSync(path.join(options.siteDir, name), stableJson(value));

  // Downloads: the folder is wholly generated, so stale files never survive a rebuild.
  rmSync(options.downloadsDir, { recursive: true, force: true });
  mkdirSync(options.downloadsDir, { recursive: true });
  const provenance = await collectProvenance({ dataDir: options.dataDir, registryFile: options.registryFile, registryVersion: registry.version, meta: read.meta });
  const downloads = await buildDownloads({
    agg, read, registry, provenance, progress: progressFiles['progress.json'], timeseries: progressFiles['timeseries.json'],
  });
  for (const [name, content] of dataPageFiles(downloads)) writeFileSync(path.join(options.siteDir, name), content);
  for (const [name, content] of downloads) {
    const file = path.join(options.downloadsDir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }

  return { read, agg, registry, meta, summary: summarise(read, agg, rootCode) };
}

function summarise(read: DatasetReadResult, agg: AggregateOutput, rootCode: string): string[] {
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
