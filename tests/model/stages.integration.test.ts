import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBuild, checkSite } from '../../scripts/check';
import { loadRegistryOrFail, modelStage, publishStage, readStage, runPipeline, settleCleanup, siteRoot, startSiteCheck } from '../../scripts/pipeline';
import { loadModelStage, loadReadStage, saveModelStage, saveReadStage } from '../../scripts/stages';
import { loadDivisions } from '../../src/lib/ingest/divisions';

// The named stages run one at a time through build/stages (npm run data:read, data:model, data:publish)
// write exactly what `npm run data` writes in one process, and data:check finds a broken figure.
const FIXTURES = ['tests/fixtures/pipeline/jinkouhe', 'tests/fixtures/pipeline/two-provinces'];
const REGISTRY = path.resolve('data/targets/registry.json');
let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'cso-stages-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function files(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]));
}

describe.each(FIXTURES)('stages on %s', (fixture) => {
  const base = () => path.join(tmp, path.basename(fixture));
  const opts = (kind: string) => ({
    dataDir: path.resolve(fixture),
    siteDir: path.join(base(), kind, 'site'),
    downloadsDir: path.join(base(), kind, 'data'),
    registryFile: REGISTRY,
  });

  let oneProblems: string[] = [];
  beforeAll(async () => {
    oneProblems = (await runPipeline(opts('one'))).problems;
    const staged = opts('staged');
    const stagesDir = path.join(base(), 'stages');
    const r = await readStage(staged);
    saveReadStage(r.read, { dataDir: staged.dataDir, prefixes: r.prefixes }, stagesDir);
    const saved = loadReadStage(stagesDir);
    expect(saved.read.columns.length).toBe(r.read.columns.length);
    const divisions = await loadDivisions({ prefixes: saved.prefixes ?? undefined });
    const registry = loadRegistryOrFail(REGISTRY);
    const m = modelStage({ registry, divisions, read: saved.read, prefixes: saved.prefixes, published: r.published }, staged);
    saveModelStage(m.agg, stagesDir);
    const agg = loadModelStage(staged.siteDir, stagesDir);
    const site = (name: string) => JSON.parse(readFileSync(path.join(staged.siteDir, name), 'utf8'));
    await publishStage({ read: saved.read, registry, published: r.published }, { agg, progress: site('progress.json'), timeseries: site('timeseries.json') }, staged);
    await settleCleanup();
  }, 120_000);

  it('writes byte-identical build/site and downloads whether run in one process or stage by stage', () => {
    for (const kind of ['siteDir', 'downloadsDir'] as const) {
      const a = opts('one')[kind];
      const b = opts('staged')[kind];
      expect(files(b).sort()).toEqual(files(a).sort());
      for (const f of files(a)) expect(readFileSync(path.join(b, f)).equals(readFileSync(path.join(a, f))), f).toBe(true);
    }
  });

  it('passes data:check, and data:check names a figure that disagrees with areas.csv', async () => {
    const o = opts('one');
    expect(oneProblems).toEqual([]); // as runPipeline checked it: the site half on its own thread
    expect(checkBuild(o)).toEqual([]);
    const areas = JSON.parse(readFileSync(path.join(o.siteDir, 'areas.json'), 'utf8'));
    const county = areas.find((a: { level: string; has_data: boolean }) => a.level === 'county' && a.has_data);
    county.urban_orgs += 1;
    writeFileSync(path.join(o.siteDir, 'areas.json'), JSON.stringify(areas));
    const problems = checkBuild(o);
    expect(problems.some((p) => p.includes(`${county.code}.urban_orgs`))).toBe(true);
    expect(problems.some((p) => p.startsWith('time series:') && p.includes(county.code))).toBe(true);
    // the site half on its thread (scripts/check-worker.ts) finds what checkSite finds
    const onThread = await startSiteCheck(o.siteDir);
    expect(onThread).toEqual(checkSite(o.siteDir));
    expect(onThread.some((p) => p.startsWith('time series:') && p.includes(county.code))).toBe(true);
  }, 60_000);
});

describe('the site root', () => {
  it.each([
    [['511100'], '511100'],
    [['511102', '511113'], '511100'],
    [['511100', '510100'], '510000'],
    [['441900', '460000'], '000000'],
    [['000000'], '000000'],
  ])('of scope %j is %s (lowest common ancestor)', async (scope, root) => {
    const divisions = await loadDivisions({ prefixes: ['99'] }); // the area tree is always complete
    expect(siteRoot(divisions, scope)).toBe(root);
  });
});
