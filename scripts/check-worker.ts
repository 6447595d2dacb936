/**
 * data:check's site half on a thread of its own (scripts/pipeline.ts startSiteCheck): `npm run data` checks what the
 * model stage wrote while the publish stage writes the downloads.
 *
 * workerData: { siteDir }
 * Message out: { problems: string[] } or { error }
 */
import { parentPort, workerData } from 'node:worker_threads';
import { checkSite } from './check';

try {
  parentPort!.postMessage({ problems: checkSite((workerData as { siteDir: string }).siteDir) });
} catch (error) {
  parentPort!.postMessage({ error: (error as Error)?.message ?? String(error) });
}
