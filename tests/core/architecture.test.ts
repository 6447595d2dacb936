import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The house rules of src/ (README "Where each part lives"), checked on the source text:
 * imports point only down the stages, there is no import circle, and pages read only what the
 * pipeline wrote (through src/lib/site/data.ts).
 */
const SRC = path.resolve('src');

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : /\.(ts|astro)$/.test(e.name) ? [p] : [];
  });
}

const files = walk(SRC);
const rel = (file: string) => path.relative(SRC, file).split(path.sep).join('/');

/** Relative import specifiers of a file (static, dynamic and type imports), resolved to src/-relative paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]);
  return specs.map((spec) => {
    const target = path.resolve(path.dirname(file), spec);
    const candidates = [target, `${target}.ts`, path.join(target, 'index.ts')];
    const found = candidates.find((c) => files.includes(c)) ?? target;
    return rel(found);
  });
}

/** The layer of a src/ file: lib stages, i18n, and the Astro side (components, layouts, pages). */
function layerOf(file: string): string {
  const r = rel(file);
  const lib = r.match(/^lib\/([^/]+)\//);
  if (lib) return lib[1];
  if (r.startsWith('i18n/')) return 'i18n';
  if (/^(components|layouts|pages)\//.test(r)) return 'astro';
  if (r.startsWith('styles/') || r.startsWith('scripts/')) return 'assets';
  return 'other';
}

/** What each layer may import (besides itself). Data flows ingest → model → publish; render and site read model data. */
const ALLOWED: Record<string, string[]> = {
  core: [],
  i18n: [],
  ingest: ['core'],
  model: ['core', 'ingest'],
  publish: ['core', 'ingest', 'model', 'i18n'],
  render: ['core', 'model'],
  site: ['core', 'model', 'render', 'publish', 'i18n'],
  astro: ['core', 'model', 'render', 'publish', 'site', 'i18n', 'assets'],
  assets: ['i18n'],
};

describe('src/ layers', () => {
  it('knows the layer of every file', () => {
    const unknown = files.filter((f) => !(layerOf(f) in ALLOWED)).map(rel);
    expect(unknown).toEqual([]);
  });

  const edges = files.flatMap((f) => importsOf(f).map((to) => ({ from: rel(f), to, fromLayer: layerOf(f), toLayer: layerOf(path.join(SRC, to)) })));

  it('has imports to check (the parser finds them)', () => {
    expect(edges.length).toBeGreaterThan(100);
    expect(edges.some((e) => e.fromLayer === 'site' && e.toLayer === 'model')).toBe(true);
  });

  it('imports only down the stages', () => {
    const wrong = edges.filter((e) => e.fromLayer !== e.toLayer && !ALLOWED[e.fromLayer].includes(e.toLayer)).map((e) => `${e.from} → ${e.to}`);
    expect(wrong).toEqual([]);
  });

  it('has no import circle', () => {
    const graph = new Map<string, string[]>();
    for (const e of edges) graph.set(e.from, [...(graph.get(e.from) ?? []), e.to]);
    const state = new Map<string, 'open' | 'done'>();
    const circles: string[] = [];
    const visit = (node: string, trail: string[]) => {
      if (state.get(node) === 'done') return;
      if (state.get(node) === 'open') {
        circles.push([...trail.slice(trail.indexOf(node)), node].join(' → '));
        return;
      }
      state.set(node, 'open');
      for (const next of graph.get(node) ?? []) visit(next, [...trail, node]);
      state.set(node, 'done');
    };
    for (const node of graph.keys()) visit(node, []);
    expect(circles).toEqual([]);
  });
});

describe('pages read only what the pipeline wrote', () => {
  const READER = 'lib/site/data.ts';
  const pageSide = files.filter((f) => /^(components|layouts|pages|lib\/site)\//.test(rel(f)) && rel(f) !== READER);

  it.each(pageSide.map(rel))('%s reads no file itself and names no source data', (file) => {
    const text = readFileSync(path.join(SRC, file), 'utf8');
    expect(text).not.toMatch(/['"](node:)?fs(\/promises)?['"]/);
    expect(text).not.toMatch(/\bloadRegistry\b|\bloadBoundaries\b|\bloadDivisions\b/);
    expect(text).not.toMatch(/['"`]data\/(targets|boundaries|sample|published)/);
  });

  it('the reader reads build/site and nothing under data/', () => {
    const text = readFileSync(path.join(SRC, READER), 'utf8');
    expect(text).toMatch(/build\/site/);
    expect(text).not.toMatch(/['"`]data\//);
  });
});

/**
 * The test projects (vitest.config.ts): a unit test that runs a whole stage on a whole dataset (the pipeline
 * on a folder, a sample generator, the boundary build) belongs in `*.integration.test.ts`, so that
 * `npm run test:unit` stays seconds long.
 */
describe('unit tests stay fast', () => {
  const TESTS = path.resolve('tests');
  const WHOLE_RUNS = /\b(runPipeline|runInTemp|writeSample|writeNationalSample|buildAll)\b/;
  const stageTests = ['core', 'ingest', 'model', 'publish', 'render', 'site', 'sample']
    .flatMap((dir) => readdirSync(path.join(TESTS, dir)).filter((f) => f.endsWith('.test.ts')).map((f) => `${dir}/${f}`));
  const unitTests = stageTests.filter((f) => !f.endsWith('.integration.test.ts') && f !== 'core/architecture.test.ts'); // this file names them

  it('finds both kinds (the split is real)', () => {
    expect(unitTests.length).toBeGreaterThan(20);
    expect(stageTests.length - unitTests.length).toBeGreaterThan(5);
  });

  it.each(unitTests)('%s runs no whole stage on a dataset', (file) => {
    const text = readFileSync(path.join(TESTS, file), 'utf8');
    expect(text.match(WHOLE_RUNS)?.[0] ?? null).toBeNull();
  });

  // tests/helpers/divisions.ts hands every file of a worker the same Divisions: none may change it.
  it.each(unitTests.filter((f) => readFileSync(path.join(TESTS, f), 'utf8').includes('sharedDivisions')))('%s leaves the shared divisions as they are', (file) => {
    const text = readFileSync(path.join(TESTS, file), 'utf8');
    expect(text.match(/\b(leshan|divisions)\.[A-Za-z]+\.(set|delete|clear)\(|Object\.assign\((leshan|divisions)\b/)?.[0] ?? null).toBeNull();
  });
});
