import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * A worker thread's script: its bundle beside the bundle that starts it (scripts/run.mjs bundles every
 * `*-worker.ts` into build/.cache/), or, run from source (tests, tsx), its TypeScript through ./ts-worker-boot.mjs.
 * `bundled` and `source` are URLs relative to the caller's own module.
 */
export function workerScript(bundled: URL, source: URL): { url: URL; workerData: Record<string, unknown> } {
  if (existsSync(fileURLToPath(bundled))) return { url: bundled, workerData: {} };
  return { url: new URL('./ts-worker-boot.mjs', import.meta.url), workerData: { entry: source.href } };
}
