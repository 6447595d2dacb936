/**
 * data:check's site half on a thread of its own (scripts/pipeline.ts startSiteCheck): `npm run data` checks what the
 * model stage wrote while the publish stage writes the downloads.
 *
 * workerData: { siteDir }
 * Message out: { result: string[] } or { error } (WorkerMessage in src/lib/core/worker-script.ts)
 */
import { parentPort, workerData } from 'node:worker_threads';
import { checkSite } from './check';
import type { WorkerMessage } from '../src/lib/core/worker-script';

try {
  parentPort!.postMessage({ result: checkSite((workerData as { siteDir: string }).siteDir) } satisfies WorkerMessage<string[]>);
} catch (error) {
  parentPort!.postMessage({ error: (error as Error)?.message ?? String(error) } satisfies WorkerMessage<string[]>);
}
