/**
 * Deterministic national SAMPLE dataset (not committed; written under build/ by default).
 *
 *   npm run sample:national                                   # → build/national-sample/, ~1.75 M rows
 *   npm run sample:national -- --out /tmp/ns --areas 44,46 --per-unit-scale 0.05 --defect-every 50
 *
 * Options: --out DIR · --areas CODES (2/4/6-digit prefixes, comma-separated; --provinces is the
 * same) · --per-unit-scale X (multiplies every mean; 1 = full) · --defect-every N (one planted
 * defect per N valid rows of a file) · --seed N. The code lives in scripts/sample/national/.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_OUT_DIR } from './sample/national/facts';
import { writeNationalSample, type NationalOptions } from './sample/national';

export { writeNationalSample, type NationalOptions, type NationalResult } from './sample/national';

export function parseNationalArgs(argv: readonly string[]): NationalOptions {
  const options: NationalOptions = { outDir: DEFAULT_OUT_DIR };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new Error(`${flag} needs a value`);
      return v;
    };
    const number = () => {
      const v = value();
      const n = Number(v);
      if (!Number.isFinite(n)) throw new Error(`${flag}: not a number: ${v}`);
      return n;
    };
    switch (flag) {
      case '--out':
        options.outDir = value();
        break;
      case '--areas':
      case '--provinces':
        options.areas = value().split(',').map((s) => s.trim()).filter(Boolean);
        break;
      case '--per-unit-scale':
        options.perUnitScale = number();
        break;
      case '--defect-every':
        options.defectEvery = number();
        break;
      case '--seed':
        options.seed = number();
        break;
      default:
        throw new Error(`unknown option ${argv[i]} (options: --out, --areas, --per-unit-scale, --defect-every, --seed)`);
    }
  }
  return options;
}

async function main() {
  const options = parseNationalArgs(process.argv.slice(2));
  const started = performance.now();
  const result = await writeNationalSample(options);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const e = result.expected;
  const mb = (result.files.reduce((s, f) => s + f.bytes, 0) / 1e6).toFixed(1);
  console.log(`${path.relative(process.cwd(), result.outDir) || '.'}: ${result.files.length} files, ${mb} MB, ${seconds} s`);
  console.log(`rows written ${e.rows.read} = accepted ${e.rows.accepted} (planted warnings ${e.rows.warned}) + planted rejections ${e.rows.rejected} + skipped ${e.rows.skipped}`);
  console.log(`active on ${e.as_of}: ${e.national.total_orgs} (urban ${e.national.urban_orgs}, rural ${e.national.rural_orgs}, other ${e.national.other_orgs}, township-level ${e.national.unplaced_orgs})`);
  console.log(`units: urban ${e.national.urban_units}, rural ${e.national.rural_units}, other ${e.national.other_units}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
