/**
 * Benchmarks (`npm run bench`): speed and memory of the pipeline's heavy parts, printed as figures.
 * Each case runs in its own process so its peak memory (max RSS) is its own.
 *
 *   npx tsx scripts/bench.ts            all cases
 *   npx tsx scripts/bench.ts <case>     one case (used internally)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { aggregate } from '../src/lib/model/aggregate';
import { loadDivisions } from '../src/lib/ingest/divisions';
import { readDataset } from '../src/lib/ingest';
import type { OrgRecord } from '../src/lib/core/types';
import { runPipeline } from './pipeline';

type Case = () => Promise<string>;

const CASES: Record<string, Case> = {
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

const only = process.argv[2];
if (only) {
  const run = CASES[only];
  if (!run) throw new Error(`unknown bench case ${only}; cases: ${Object.keys(CASES).join(', ')}`);
  const started = performance.now();
  const detail = await run();
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  console.log(`${only.padEnd(22)} ${seconds.padStart(7)} s  peak ${String(Math.round(process.resourceUsage().maxRSS / 1024)).padStart(5)} MB  ${detail}`);
} else {
  console.log(`CSO Monitor benchmarks — node ${process.version}, ${os.cpus().length} cores`);
  console.log('case                      wall time   peak RSS   detail');
  for (const name of Object.keys(CASES)) {
    execFileSync(process.execPath, ['--import', 'tsx', path.resolve('scripts/bench.ts'), name], { stdio: 'inherit' });
  }
}
