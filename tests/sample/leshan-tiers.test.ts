import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LESHAN_TIERS, SAMPLE_AS_OF, SAMPLE_SCOPE } from '../../scripts/sample/leshan/facts';
import { DENSITY_METRICS, densityTargetsAt, loadRegistry } from '../../src/lib/model/targets';

// The generator keeps its own copy of the Leshan tiers (scripts/sample/leshan/facts.ts) so it
// never reads the registry; this checks the copy against data/targets/registry.json.
const registry = loadRegistry(path.resolve('data/targets/registry.json'));
const area = (code: string) => ({ code, level: 'county' as const, ancestors: [SAMPLE_SCOPE, '510000'] });

describe('the sample generator’s Leshan tiers equal the targets registry', () => {
  it('name exactly the counties the registry gives a per-county density target under 乐山市', () => {
    const inRegistry = registry.targets
      .filter((t) => t.applies_to === 'each' && Object.values(DENSITY_METRICS).includes(t.metric as never))
      .flatMap((t) => t.areas)
      .filter((code) => code.startsWith('5111') && code !== SAMPLE_SCOPE);
    expect([...new Set(inRegistry)].sort()).toEqual(Object.keys(LESHAN_TIERS).sort());
  });

  it.each(Object.entries(LESHAN_TIERS))('%s: tiers %o', (code, tier) => {
    const found = densityTargetsAt(registry, area(code), SAMPLE_AS_OF);
    expect({ urban: found.urban?.value, rural: found.rural?.value }).toEqual(tier);
    expect(found.urban?.document).toBe('leshan-2022');
    expect(found.rural?.document).toBe('leshan-2022');
  });
});
