/**
 * The read helper's thread (src/lib/ingest/read-helper.ts): loads the divisions and reads its share of the
 * organization files (readOrganizationShare in ./index.ts) while the main thread reads the rest. Bundled beside
 * the pipeline's bundle by scripts/run.mjs (build/.cache/read-worker.mjs); run from source through
 * src/lib/core/ts-worker-boot.mjs in tests.
 *
 * workerData: { dir, meta, prefixes, files }
 * Message out: { result: OrganizationShare } (its typed arrays transferred) or { error } (WorkerMessage in
 * src/lib/core/worker-script.ts)
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { DatasetMeta } from '../core/types';
import { loadDivisions } from './divisions';
import { readOrganizationShare, type OrganizationShare } from './index';
import type { WorkerMessage } from '../core/worker-script';

const { dir, meta, prefixes, files } = workerData as { dir: string; meta: DatasetMeta; prefixes: string[] | null; files: string[] };
try {
  const divisions = await loadDivisions({ prefixes: prefixes ?? undefined });
  const share = await readOrganizationShare(dir, files, divisions, meta);
  const c = share.rows.columns;
  const transfer = [c.unit, c.township, c.county, c.category, c.registration, c.established, c.dissolved, c.file, c.line, share.rows.sheet, share.keys.placeOf, share.keys.nameEnds].map((a) => a.buffer as ArrayBuffer);
  if (process.env.CSO_TRACE) console.log(`  read helper: ${files.length} files read in ${(performance.now() / 1000).toFixed(1)} s of its thread, heap ${Math.round(process.memoryUsage().heapUsed / 1e6)} MB`);
  parentPort!.postMessage({ result: share } satisfies WorkerMessage<OrganizationShare>, transfer);
} catch (error) {
  parentPort!.postMessage({ error: (error as Error)?.message ?? String(error) } satisfies WorkerMessage<OrganizationShare>);
}
