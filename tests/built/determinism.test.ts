/**
 * Determinism: the same inputs give the same bytes. The whole site is built twice, in two
 * temporary copies of the project at different paths (so nothing may depend on where it is built)
 * with the same SOURCE_DATE_EPOCH, and every file of the two dist/ trees is compared byte for byte.
 * Under `npm test` the working tree's dist/ (built without SOURCE_DATE_EPOCH) is compared too:
 * there, only the files that carry the build time may differ.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSiteCopy, type SiteBuild } from '../fixtures/hostile/site-build';

const ROOT = path.resolve(__dirname, '..', '..');
const EPOCH = '1751328000'; // 2025-07-01T00:00:00Z
/** Files allowed to carry the build time (the provenance manifest and the bundles that include it). */
// Only the provenance manifest carries a build time; the zip differs because it holds that manifest.
const TIME_STAMPED = ['data/provenance.json', 'data/cso-monitor-data.zip'];

function hashTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const file = path.join(e.parentPath, e.name);
    out.set(path.relative(dir, file).split(path.sep).join('/'), createHash('sha256').update(readFileSync(file)).digest('hex'));
  }
  return out;
}

function differences(a: Map<string, string>, b: Map<string, string>): string[] {
  const names = [...new Set([...a.keys(), ...b.keys()])].sort();
  return names.filter((n) => a.get(n) !== b.get(n)).map((n) => (!a.has(n) ? `only in second: ${n}` : !b.has(n) ? `only in first: ${n}` : n));
}

describe('two builds from the same inputs', () => {
  let first: SiteBuild;
  let second: SiteBuild;
  beforeAll(async () => {
    const env = { SOURCE_DATE_EPOCH: EPOCH };
    first = await buildSiteCopy(ROOT, { env, label: 'det-a' });
    // Copied from the first copy, not the working tree: the same sources even while someone edits.
    second = await buildSiteCopy(first.root, { env, label: 'det-b' });
  }, 900_000);
  afterAll(() => {
    for (const b of [first, second]) if (b) rmSync(b.root, { recursive: true, force: true });
  });

  it('write byte-identical dist/ trees', () => {
    const a = hashTree(first.dist);
    const b = hashTree(second.dist);
    expect(a.size).toBeGreaterThan(20);
    expect(differences(a, b)).toEqual([]);
  });

  it('take the build time from SOURCE_DATE_EPOCH, in the provenance manifest', () => {
    const provenance = JSON.parse(readFileSync(path.join(first.dist, 'data', 'provenance.json'), 'utf8'));
    expect(provenance.built_at).toBe('2025-07-01T00:00:00Z');
    expect(provenance.built_at_source).toBe('SOURCE_DATE_EPOCH');
  });

  it.runIf(process.env.CSO_BUILD === '1')('differ from the working tree build (other build time) only in the time-stamped files', () => {
    const diff = differences(hashTree(path.join(ROOT, 'dist')), hashTree(first.dist));
    // …and their precompressed twins (scripts/precompress.ts).
    expect(diff.filter((f) => !TIME_STAMPED.includes(f.replace(/\.(gz|br)$/, '')))).toEqual([]);
    expect(diff).toContain('data/provenance.json');
  });
});
