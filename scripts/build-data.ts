/**
 * The data pipeline's command line (scripts/pipeline.ts has the stages):
 *
 *   npm run data            read → model → publish → check in one process (results passed in memory)
 *   npm run data:read       dataset folder + reference data → build/stages/read/
 *   npm run data:model      build/stages/read/ → build/site/*.json (+ build/stages/model.json)
 *   npm run data:publish    build/stages + build/site → public/data/*, build/site/downloads.json
 *   npm run data:check      invariants over build/site and public/data; exit 1 with the list on failure
 *
 *   DATA_DIR=path/to/dataset npm run data
 *
 * Fails loudly (one clear message, exit 1) only on structural problems; bad rows are rejected
 * and reported, never dropped.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadDivisions } from '../src/lib/ingest/divisions';
import { checkBuild } from './check';
import { PipelineError, loadRegistryOrFail, modelStage, publishStage, readStage, runPipeline, settleCleanup, summarise, type PipelineOptions } from './pipeline';
import { siteConfig } from '../src/i18n/paths';
import { readPublishedFigures } from '../src/lib/ingest/published';
import { STAGES_DIR, loadModelStage, loadReadStage, saveModelStage, saveReadStage } from './stages';

const started = performance.now();
const command = process.argv[2] ?? 'all';
if (!['all', 'read', 'model', 'publish', 'check'].includes(command)) {
  console.error(`unknown command ${command}: use read, model, publish, check or all`);
  process.exit(2);
}
let siteUrl: string | null = null;
try {
  siteUrl = siteConfig(process.env.SITE_URL).url; // the same parse as astro.config.mjs
} catch (error) {
  console.error(`数据构建失败 / data build failed:\n${(error as Error).message}`);
  process.exit(1);
}
const options: PipelineOptions = {
  siteUrl,
  dataDir: path.resolve(process.env.DATA_DIR ?? 'data/sample'),
  siteDir: path.resolve(process.env.SITE_DATA_DIR ?? 'build/site'),
  downloadsDir: path.resolve(process.env.DOWNLOADS_DIR ?? 'public/data'),
  registryFile: path.resolve('data/targets/registry.json'),
};
const seconds = (from: number) => ((performance.now() - from) / 1000).toFixed(2);
const peak = () => `${Math.round(process.resourceUsage().maxRSS / 1024)} MB`;

function reportProblems(problems: string[], took: number): void {
  if (problems.length) {
    console.error(`数据检查未通过 / data check failed (${problems.length}):`);
    for (const p of problems) console.error(`  - ${p}`);
    process.exit(1);
  }
  console.log(`check: every invariant holds (${took.toFixed(2)} s)`);
}

function reportCheck(): void {
  const t = performance.now();
  reportProblems(checkBuild({ siteDir: options.siteDir, downloadsDir: options.downloadsDir }), (performance.now() - t) / 1000);
}

try {
  if (command === 'all') {
    const result = await runPipeline(options);
    for (const line of result.summary) console.log(line);
    reportProblems(result.problems, result.timings.check);
    const stages = Object.entries(result.timings).map(([k, v]) => `${k} ${v.toFixed(2)} s`).join(', ');
    console.log(`pipeline: ${seconds(started)} s, peak memory ${peak()} (${stages})`);
  } else if (command === 'read') {
    const r = await readStage(options);
    saveReadStage(r.read, { dataDir: options.dataDir, prefixes: r.prefixes });
    const rec = r.read.reconciliation;
    console.log(`read: rows read ${rec.rowsRead} = accepted ${rec.accepted} + rejected ${rec.rejected} → ${path.relative(process.cwd(), STAGES_DIR)}/read/ (${seconds(started)} s, peak ${peak()})`);
  } else if (command === 'model' || command === 'publish') {
    const saved = loadReadStage();
    const registry = loadRegistryOrFail(options.registryFile);
    const stageOptions = { ...options, dataDir: saved.dataDir };
    if (command === 'model') {
      const divisions = await loadDivisions({ prefixes: saved.prefixes ?? undefined });
      const m = modelStage({ registry, divisions, read: saved.read, prefixes: saved.prefixes, published: readPublishedFigures() }, stageOptions);
      saveModelStage(m.agg);
      for (const line of summarise(saved.read, m.agg, m.meta.root_code)) console.log(line);
      console.log(`model: ${m.agg.areas.length} areas, ${m.agg.communities.length} communities → ${path.relative(process.cwd(), options.siteDir)}/ (${seconds(started)} s, peak ${peak()})`);
    } else {
      const agg = loadModelStage(options.siteDir);
      const site = (name: string) => JSON.parse(readFileSync(path.join(options.siteDir, name), 'utf8'));
      const downloads = await publishStage({ read: saved.read, registry, published: readPublishedFigures() }, { agg, progress: site('progress.json'), timeseries: site('timeseries.json') }, stageOptions);
      console.log(`publish: ${downloads.size} files → ${path.relative(process.cwd(), options.downloadsDir)}/ (${seconds(started)} s, peak ${peak()})`);
    }
  } else if (command === 'check') {
    reportCheck();
  }
  await settleCleanup(); // the folders set aside by clearDir
} catch (error) {
  if (error instanceof PipelineError) {
    console.error(`数据构建失败 / data build failed:\n${error.message}`);
    process.exit(1);
  }
  throw error;
}
