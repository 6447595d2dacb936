import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { runPipeline, type PipelineResult } from '../../scripts/pipeline';
import type { ProgressOutput } from '../../src/lib/model/progress';
import type { TimeSeriesOutput } from '../../src/lib/model/timeseries';
import { tableRows } from '../../src/lib/publish/outputs';
import type { Provenance } from '../../src/lib/publish/provenance';

export const ROOT = path.resolve(__dirname, '..', '..');
export const REGISTRY = path.join(ROOT, 'data/targets/registry.json');

/** The real pipeline on a dataset folder, into a temporary build/site and /data/ (no site build). */
export interface PipelineRun {
  result: PipelineResult;
  base: string;
  siteDir: string;
  downloadsDir: string;
  file: (p: string) => Buffer;
  /** The file as UTF-8 text; a .gz file (a communities part) decompressed, as its readers see it. */
  text: (p: string) => string;
  /** Every published file, '/'-separated, sorted. */
  files: () => string[];
  /** The rows the writer wrote for each table (tableRows in outputs.ts), to compare readers' values with. */
  rows: () => ReturnType<typeof tableRows>;
  cleanup: () => void;
}

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]))
    .sort();
}

export async function runInTemp(dataDir: string): Promise<PipelineRun> {
  const base = mkdtempSync(path.join(tmpdir(), 'cso-readers-'));
  const siteDir = path.join(base, 'site');
  const downloadsDir = path.join(base, 'data');
  const result = await runPipeline({ dataDir, siteDir, downloadsDir, registryFile: REGISTRY });
  const file = (p: string) => readFileSync(path.join(downloadsDir, p));
  const site = <T>(name: string) => JSON.parse(readFileSync(path.join(siteDir, name), 'utf8')) as T;
  let rows: ReturnType<typeof tableRows> | null = null;
  return {
    result, base, siteDir, downloadsDir, file,
    text: (p) => (p.endsWith('.gz') ? gunzipSync(file(p)) : file(p)).toString('utf8'),
    files: () => listFiles(downloadsDir),
    rows: () =>
      (rows ??= tableRows({
        agg: result.agg, read: result.read, registry: result.registry,
        provenance: JSON.parse(file('provenance.json').toString('utf8')) as Provenance,
        progress: site<ProgressOutput>('progress.json'), timeseries: site<TimeSeriesOutput>('timeseries.json'), published: result.published,
      })),
    cleanup: () => rmSync(base, { recursive: true, force: true }),
  };
}

/** The first command that runs `args` successfully (e.g. a Python with pandas), or null when none is installed here. */
export function firstWorking(candidates: string[], args: string[]): string | null {
  for (const command of candidates) {
    try {
      execFileSync(command, args, { stdio: 'ignore', timeout: 60_000 });
      return command;
    } catch {
      // not installed, or lacks the package
    }
  }
  return null;
}

/** The download fixtures the reader and workbook suites run on: the shipped sample and the hostile cells. */
export const DOWNLOAD_FIXTURES = [
  ['sample', path.join(ROOT, 'data/sample')],
  ['hostile', path.join(ROOT, 'tests/fixtures/downloads/hostile')],
] as const;

/** Runs the pipeline on each fixture once for the calling file (cleaned up after it); the result by name. */
export function runsOf(fixtures: readonly (readonly [string, string])[]): (name: string) => PipelineRun {
  const runs = new Map<string, PipelineRun>();
  beforeAll(async () => {
    for (const [name, dir] of fixtures) runs.set(name, await runInTemp(dir));
  });
  afterAll(() => {
    for (const run of runs.values()) run.cleanup();
  });
  return (name) => runs.get(name)!;
}
