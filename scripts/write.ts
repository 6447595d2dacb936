import { mkdirSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Deterministic JSON: fixed key order comes from construction; two-space indent, final newline. */
const stableJson = (value: unknown) => JSON.stringify(value, null, 2) + '\n';

function ensureDirs(dir: string, names: Iterable<string>): void {
  const dirs = new Set<string>([dir]);
  for (const name of names) dirs.add(path.dirname(path.join(dir, name)));
  for (const d of dirs) mkdirSync(d, { recursive: true });
}

/**
 * Writes name → value as stable JSON under dir (folders created once). Files `compact` picks are written
 * without indentation (the large tables: a third smaller, same values).
 */
export function writeJsonFiles(dir: string, files: Iterable<[string, unknown]>, compact: (name: string) => boolean = () => false): void {
  const list = [...files];
  ensureDirs(dir, list.map(([name]) => name));
  for (const [name, value] of list) writeFileSync(path.join(dir, name), compact(name) ? JSON.stringify(value) + '\n' : stableJson(value));
}

/** Writes name → content under dir, a few files at a time on the thread pool (thousands of per-area files). */
export async function writeFiles(dir: string, files: Map<string, string | Uint8Array>, concurrency = 16): Promise<void> {
  const names = [...files.keys()];
  ensureDirs(dir, names);
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const name = names[next++];
      await writeFile(path.join(dir, name), files.get(name)!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, names.length) }, worker));
}
