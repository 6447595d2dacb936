/**
 * Starts a TypeScript worker from source (tests and tsx, where no bundle exists): registers tsx in the thread, then
 * imports workerData.entry. The pipeline's bundle runs its workers' own bundles instead (scripts/run.mjs).
 */
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
