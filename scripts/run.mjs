/**
 * Runs a TypeScript entry point of the pipeline at full speed: bundled once by esbuild into
 * build/.cache/ (dependencies stay external) and imported. tsx compiles with keepNames, which wraps
 * every inner function in a naming call: on 1.75 M national rows that cost ~5 s of the read stage.
 *
 *   node scripts/run.mjs scripts/build-data.ts [args…]
 */
import { build } from 'esbuild';
import { copyFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [entry, ...args] = process.argv.slice(2);
if (!entry) throw new Error('usage: node scripts/run.mjs <entry.ts> [args…]');
const outfile = path.resolve('build/.cache', path.basename(entry).replace(/\.ts$/, '.mjs'));
// Worker threads written in TypeScript (src/**/*-worker.ts, scripts/*-worker.ts) are bundled beside the entry, as
// build/.cache/<name>.mjs, where src/lib/core/worker-script.ts finds them.
const workers = ['src', 'scripts'].flatMap((dir) => readdirSync(dir, { recursive: true }).filter((f) => f.endsWith('-worker.ts')).map((f) => path.join(dir, f)));
await build({
  entryPoints: [entry, ...workers],
  outdir: path.dirname(outfile),
  entryNames: '[name]',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'inline',
  logLevel: 'warning',
});
// Worker threads' scripts are plain JavaScript found beside the module that starts them
// (new URL('./parquet-worker.mjs', import.meta.url)): beside the bundle, that is build/.cache/.
for (const worker of readdirSync('src', { recursive: true }).filter((f) => f.endsWith('-worker.mjs'))) {
  copyFileSync(path.join('src', worker), path.join(path.dirname(outfile), path.basename(worker)));
}
// The bundle reads its arguments as the entry would: argv[2…].
process.argv = [process.argv[0], outfile, ...args];
await import(pathToFileURL(outfile).href);
