import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';

/**
 * A worker thread's script: its bundle beside the bundle that starts it (scripts/run.mjs bundles every
 * `*-worker.ts` into build/.cache/), or, run from source (tests, tsx), its TypeScript through ./ts-worker-boot.mjs.
 * `bundled` and `source` are URLs relative to the caller's own module.
 */
export function workerScript(bundled: URL, source: URL): { url: URL; workerData: Record<string, unknown> } {
  if (existsSync(fileURLToPath(bundled))) return { url: bundled, workerData: {} };
  return { url: new URL('./ts-worker-boot.mjs', import.meta.url), workerData: { entry: source.href } };
}

/** What a one-message worker posts: `{ result }`, or `{ error }` with the message of what it threw. */
export type WorkerMessage<T> = { result: T } | { error: string };

export interface WorkerRun<T> {
  /** The worker's result; null when it posted an error, failed or exited without a result (then the thread is gone). */
  result: Promise<T | null>;
  /** Ends the thread (once it has answered, or to stop waiting for it). */
  close(): void;
}

/**
 * Starts a worker that posts one WorkerMessage (scripts/check-worker.ts, src/lib/ingest/read-worker.ts). The callers
 * do the work themselves when the result is null, so a failing thread costs time, never a result.
 */
export function startWorker<T>(label: string, bundled: URL, source: URL, data: Record<string, unknown>, resourceLimits?: ResourceLimits): WorkerRun<T> {
  const script = workerScript(bundled, source);
  const worker = new Worker(script.url, { workerData: { ...script.workerData, ...data }, resourceLimits });
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    void worker.terminate();
  };
  let answered = false;
  const result = new Promise<T | null>((resolve) => {
    const fail = (why: string) => {
      if (answered) return; // the thread's exit after its answer
      answered = true;
      if (process.env.CSO_TRACE) console.log(`  ${label} failed: ${why}`);
      resolve(null);
    };
    worker.once('message', (m: WorkerMessage<T>) => {
      if ('error' in m) return fail(m.error);
      answered = true;
      resolve(m.result);
    });
    worker.once('error', (error) => fail(error.message));
    worker.once('exit', () => fail('the thread ended without a result'));
  }).finally(close);
  return { result, close };
}
