/**
 * A second thread for the read stage: the organization files are split in two by size, the end of the folder's
 * listing going to a worker (./read-worker.ts) that loads its own divisions and reads them while this thread reads
 * the start; readDataset (./index.ts, OrganizationHelper) then merges its share, or reads those files itself when
 * the share cannot be merged as it stands. A national load's read runs on both cores (~10 % faster on this 2-core
 * machine, where each thread slows while the other runs; measures below).
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import type { DatasetMeta } from '../core/types';
import { startWorker } from '../core/worker-script';
import { ORGANIZATIONS_DIR, organizationFiles, type OrganizationHelper, type OrganizationShare } from './index';

/**
 * Below this many bytes of organization files the helper is not started: it starts a thread and loads its own
 * divisions before it reads (~0.9 s for all of China's units, src/lib/ingest/divisions.ts), and its share is merged
 * after. Measured on the national sample's files (read stage, interleaved): all 154 MB 10.5–11.3 s on one thread,
 * 9.5–10.3 s on two; its first 69 MB 8.2–9.5 s on one, 7.4–8.2 s on two; its first 36 MB (nine files, after the
 * division load became columns) 3.1–3.2 s on one, 3.5–4.0 s on two.
 */
export const HELPER_MIN_BYTES = 16 << 20;
export const HELPER_MIN_BYTES_ALL_DIVISIONS = 64 << 20;
export const helperMinBytes = (prefixes: readonly string[] | null) => (prefixes ? HELPER_MIN_BYTES : HELPER_MIN_BYTES_ALL_DIVISIONS);

/** The helper's part of the bytes: it starts later (its thread, its own division load) and its share is copied over. */
const HELPER_SHARE = 0.43;

/**
 * The files the helper reads: the shortest end of the listing holding at least `share` of the bytes, leaving the
 * main thread one file at least (null: one file, or fewer bytes than `minBytes`).
 */
export function helperFiles(files: readonly { name: string; bytes: number }[], minBytes = HELPER_MIN_BYTES, share = HELPER_SHARE): string[] | null {
  const total = files.reduce((sum, f) => sum + f.bytes, 0);
  if (files.length < 2 || total < minBytes) return null;
  let bytes = 0;
  let first = files.length;
  while (first > 1 && bytes < total * share) bytes += files[--first].bytes;
  return files.slice(first).map((f) => f.name);
}

/**
 * The helper's heap cap: a capped heap is collected sooner. Uncapped, its garbage grew to ~250 MB beside ~370 MB
 * live (all of China's divisions, ~185 MB since they are columns, and its rows' duplicate check, ~2.3 bytes per byte read) and the read's
 * peak passed 1.5 GB. A share that outgrows the cap ends the thread, and its files are read on the main thread.
 */
export const helperHeapMb = (shareBytes: number) => Math.max(384, Math.ceil(256 + (4 * shareBytes) / 2 ** 20));

export interface ReadHelperOptions {
  dir: string;
  meta: DatasetMeta;
  /** The division prefixes the main thread loads (pipeline.ts divisionPrefixes); null: all of China. */
  prefixes: string[] | null;
  /** Default HELPER_MIN_BYTES, or HELPER_MIN_BYTES_ALL_DIVISIONS when every division is loaded. */
  minBytes?: number;
  /** The helper's files, instead of the end chosen by size (tests). */
  files?: string[];
}

/** Starts the helper on the end of the folder, or returns null when the folder is too small to be worth it. */
export function startReadHelper(options: ReadHelperOptions): OrganizationHelper | null {
  const names = organizationFiles(options.dir);
  if (!names) return null;
  const sized = names.map((name) => ({ name, bytes: statSync(path.join(options.dir, ORGANIZATIONS_DIR, name)).size }));
  const minBytes = options.minBytes ?? helperMinBytes(options.prefixes);
  const files = options.files ?? helperFiles(sized, minBytes);
  if (!files) return null;
  const shareBytes = sized.filter((f) => files.includes(f.name)).reduce((sum, f) => sum + f.bytes, 0);
  const run = startWorker<OrganizationShare>(
    'read helper',
    new URL('./read-worker.mjs', import.meta.url),
    new URL('./read-worker.ts', import.meta.url),
    { dir: options.dir, meta: options.meta, prefixes: options.prefixes, files },
    { maxOldGenerationSizeMb: helperHeapMb(shareBytes) },
  );
  return { files, result: run.result, outcome: null, close: run.close };
}
