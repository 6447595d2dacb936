/**
 * Deterministic SAMPLE dataset over Leshan's (乐山市, 511100) real communities.
 *
 *   npx tsx scripts/generate-sample.ts [outDir]     (default: data/sample)
 *
 * No published per-district count of community social organizations exists for Leshan, so the
 * shipped dataset is generated: real NBS 2023 community names and codes, fictitious organizations.
 * Everything is driven by one hand-written PRNG with a fixed seed, communities are visited in code
 * order and every output is sorted, so two runs write byte-identical files (the .xlsx is re-zipped
 * with fixed timestamps for the same reason).
 *
 * The parts live in scripts/sample/: random.ts (PRNG), dates.ts, credit-code.ts and names.ts (the
 * generator's own checks), vocabulary.ts, writers.ts (CSV/GBK/XLSX), and leshan/ (facts, drawing
 * organizations, files, planted defects, README, writeSample). The national sample is
 * scripts/generate-national-sample.ts.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadDivisions } from '../src/lib/ingest/divisions';
import { countySummaries, density, writeSample } from './sample/leshan';

export * from './sample/leshan';
export { creditCheckChar } from './sample/credit-code';
export { mulberry32 } from './sample/random';
export { communityCore, communityShortName } from './sample/names';

async function main() {
  const outDir = path.resolve(process.argv[2] ?? 'data/sample');
  const divisions = await loadDivisions({ prefixes: ['5111'] });
  const { model, defects } = await writeSample(outDir, divisions);
  for (const f of model.files) console.log(`${f.path}: ${f.rows.length} rows, ${f.rows.filter((r) => r.defect?.kind === 'rejected').length} defects`);
  for (const s of countySummaries(divisions, model.validOrgs)) {
    console.log(
      `${s.code} ${s.name}: urban ${s.urbanOrgs}/${s.urbanUnits} = ${density(s.urbanOrgs, s.urbanUnits)} (tier ${s.urbanTier}), ` +
        `rural ${s.ruralOrgs}/${s.ruralUnits} = ${density(s.ruralOrgs, s.ruralUnits)} (tier ${s.ruralTier}), township-level ${s.townshipOrgs}`,
    );
  }
  console.log(`${defects.length} planted defects; written to ${outDir}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
