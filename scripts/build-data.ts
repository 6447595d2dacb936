/**
 * The data pipeline: reference data + a dataset folder → build/site/*.json (for the pages)
 * and public/data/* (the downloads). Run by `npm run build` before Astro; `npm run data` alone.
 *
 *   DATA_DIR=path/to/dataset npx tsx scripts/build-data.ts
 *
 * Fails loudly (one clear message, exit 1) only on structural problems; bad rows are rejected
 * and reported, never dropped.
 */
import path from 'node:path';
import { runPipeline, PipelineError } from './pipeline';
import { siteConfig } from '../src/i18n/paths';

const started = performance.now();
const dataDir = path.resolve(process.env.DATA_DIR ?? 'data/sample');

try {
  let siteUrl: string | null;
  try {
    siteUrl = siteConfig(process.env.SITE_URL).url; // the same parse as astro.config.mjs
  } catch (error) {
    throw new PipelineError((error as Error).message);
  }
  const result = await runPipeline({
    dataDir,
    siteDir: path.resolve(process.env.SITE_DATA_DIR ?? 'build/site'),
    downloadsDir: path.resolve(process.env.DOWNLOADS_DIR ?? 'public/data'),
    registryFile: path.resolve('data/targets/registry.json'),
    siteUrl,
  });
  for (const line of result.summary) console.log(line);
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const peakMb = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(`pipeline: ${seconds} s, peak memory ${peakMb} MB`);
} catch (error) {
  if (error instanceof PipelineError) {
    console.error(`数据构建失败 / data build failed:\n${error.message}`);
    process.exit(1);
  }
  throw error;
}
