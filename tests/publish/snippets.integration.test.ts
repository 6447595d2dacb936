/**
 * "Use this data" snippets (src/lib/publish/snippets.ts, shown through src/lib/site/views/use-data.ts):
 * the DuckDB text the pages show is run as it is against the files the pipeline wrote, and its rows
 * are the pipeline's own figures; pandas and R snippets likewise where Python+pandas and R+readr are
 * installed (skipped otherwise). Files are given the names a browser saves them under.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AreaAggregate, CommunityAggregate } from '../../src/lib/core/types';
import { openCommunityStore } from '../../src/lib/core/community-store';
import { AREA_SNIPPET_COLUMNS, COMMUNITY_SNIPPET_COLUMNS, useDataSnippets } from '../../src/lib/publish/snippets';
import { createSiteData, type SiteData } from '../../src/lib/site/data';
import { useDataView } from '../../src/lib/site/views/use-data';
import { ROOT, firstWorking, runInTemp, type PipelineRun } from '../helpers/pipeline-run';

let run: PipelineRun;
let data: SiteData;
let areas: AreaAggregate[];
let communities: CommunityAggregate[];
beforeAll(async () => {
  run = await runInTemp(path.join(ROOT, 'data/sample'));
  data = createSiteData(run.siteDir);
  areas = JSON.parse(readFileSync(path.join(run.siteDir, 'areas.json'), 'utf8'));
  // every covered county's line of build/site/communities/rows.jsonl
  const store = openCommunityStore(run.siteDir)!;
  communities = store.counties.flatMap((county) => store.read(county)!);
  store.close();
});
afterAll(() => run.cleanup());

type Row = Record<string, unknown>;
const pick = (row: object, columns: readonly string[]) => Object.fromEntries(columns.map((c) => [c, (row as Row)[c] ?? null]));

/** What each snippet must return for an area: its rows of areas.csv, and a county's communities short of target. */
function expected(code: string) {
  const rows = (code === '000000' ? areas.filter((a) => a.level === 'province') : areas.filter((a) => a.code === code || a.parent_code === code))
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((a) => pick(a, AREA_SNIPPET_COLUMNS));
  const level = code === '000000' ? null : areas.find((a) => a.code === code)!.level;
  const prefix = code.slice(0, level === 'province' ? 2 : level === 'prefecture' ? 4 : 6);
  const short = communities
    .filter((c) => c.county_code.startsWith(prefix) && (c.gap ?? 0) > 0)
    .sort((a, b) => (b.gap as number) - (a.gap as number) || a.code.localeCompare(b.code))
    .map((c) => pick(c, COMMUNITY_SNIPPET_COLUMNS));
  return { rows, short };
}

// code, what it is, whether its snippets read its province's part of the communities (communities/{province}.csv.gz)
const AREAS = [
  ['511102', 'a county the dataset covers (市中区)', true],
  ['511100', 'the site’s root prefecture (乐山市)', true],
  ['510000', 'a province with a covered prefecture (四川省)', true],
  ['140000', 'a province without data (山西省)', false],
  ['000000', '全国', false],
] as const;

/** The files a snippet reads, copied flat into a folder, as a browser downloads them. */
function downloadFolder(csv: string[], name: string): string {
  const dir = path.join(run.base, `download-${name}`);
  mkdirSync(dir, { recursive: true });
  for (const p of csv) copyFileSync(path.join(run.downloadsDir, p), path.join(dir, path.basename(p)));
  return dir;
}

const num = (v: unknown) => (typeof v === 'bigint' ? Number(v) : v);

describe.each(AREAS)('the DuckDB snippet for %s (%s) runs on the built files', (code, _what, withCommunities) => {
  it('returns the pipeline’s rows, and a county’s communities short of target', async () => {
    const view = useDataView(data, 'zh-CN', code);
    const sql = view.blocks.find((b) => b.id === 'duckdb')!.code!;
    expect(sql).toContain(`read_csv('areas.csv'`);
    expect(sql.includes(`read_csv('510000.csv.gz'`)).toBe(withCommunities);
    const dir = downloadFolder(view.csv.map((c) => c.path), `duckdb-${code}`);
    const instance = await DuckDBInstance.create(':memory:');
    const db = await instance.connect();
    await db.run(`SET file_search_path = '${dir.replace(/'/g, "''")}'`);
    const statements = await db.extractStatements(sql);
    expect(statements.count).toBe(withCommunities ? 2 : 1);
    const results: Row[][] = [];
    for (let i = 0; i < statements.count; i++) {
      const reader = await (await statements.prepare(i)).runAndReadAll();
      results.push(reader.getRowObjectsJS().map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, num(v)]))));
    }
    db.closeSync();
    instance.closeSync();
    const want = expected(code);
    expect(results[0]).toEqual(want.rows);
    expect(want.rows.length).toBeGreaterThan(0);
    if (withCommunities) {
      expect(results[1]).toEqual(want.short);
      expect(want.short.length).toBeGreaterThan(0);
    }
  });
});

describe('useDataView', () => {
  it('gives every briefing snippets that read only published files, in both languages', () => {
    for (const code of data.meta().area_codes) {
      for (const lang of ['zh-CN', 'en'] as const) {
        const view = useDataView(data, lang, code); // throws when a snippet names a file the build did not publish
        expect(view.blocks.map((b) => b.id)).toEqual(['excel', 'pandas', 'r', 'duckdb']);
        // 全国's rows are areas.csv itself; an area with children has its own workbook, a county is a row of its parent's
        const area = data.area(code);
        const hasChildren = data.meta().area_codes.some((c) => data.area(c)?.parent_code === code);
        const workbook = code === '000000' ? 'areas.xlsx' : `areas/${hasChildren ? code : area!.parent_code}.xlsx`;
        expect(view.workbook.path).toBe(workbook);
        expect(view.blocks[0].steps.join(' ')).toContain(workbook.replace(/^areas\//, ''));
        if (!hasChildren && code !== '000000') expect(view.blocks[0].steps.join(' ')).toContain(code);
        expect(view.blocks[0].steps.join(' ')).toMatch(lang === 'en' ? /Double-click/ : /双击/);
      }
    }
  });

  it.each([
    ['511102', 'zh-CN', '/data/areas/511100.xlsx', '乐山市工作簿（含本地区一行，Excel/WPS）', '/data/areas/511100.csv'],
    ['511102', 'en', '/data/areas/511100.xlsx', 'Leshan City (Excel/WPS workbook, this area is one row)', '/data/areas/511100.csv'],
    ['511100', 'zh-CN', '/data/areas/511100.xlsx', '本地区工作簿（Excel/WPS）', '/data/areas/511100.csv'],
    ['000000', 'zh-CN', '/data/areas/000000.xlsx', '本地区工作簿（Excel/WPS）', '/data/areas/000000.csv'],
  ] as const)('the briefing of %s (%s) links the published files that hold its row', (code, lang, xlsx, label, csv) => {
    const view = useDataView(data, lang, code).areaFiles;
    expect(view.workbook).toEqual({ href: xlsx, label });
    expect(view.csv.href).toBe(csv);
    for (const href of [view.workbook.href, view.csv.href]) expect(run.files()).toContain(href.replace(/^\/data\//, ''));
  });

  it.each([
    ['zh', '示例数据，非官方统计'],
    ['en', 'SAMPLE DATA'],
  ] as const)('says sample and as-of in every code block (%s comments), and reads from the site once it has an address', (lang, warning) => {
    const area = { code: '511102', name: '市中区', level: 'county', communities: { path: 'communities/510000.csv.gz', countyPrefix: '511102' } } as const;
    const online = useDataSnippets(area, { base: 'https://example.org/data/', asOf: '2025-06-30', sample: true, lang });
    const local = useDataSnippets(area, { base: null, asOf: '2025-06-30', sample: true, lang });
    for (const [i, text] of [online.pandas, online.r, online.duckdb].entries()) {
      expect(text).toContain(warning);
      expect(text).toContain('2025-06-30');
      expect(text).toContain('https://example.org/data/communities/510000.csv.gz');
      expect(text).not.toContain('/data/areas.csv,'); // no "download first" line
      // The code itself is the same in both languages and with or without an address, bar the file names.
      const code = (t: string) => t.split('\n').filter((l) => !/^(#|--)/.test(l)).join('\n').replace(/https:\/\/example\.org\/data\/(areas\/|communities\/)?/g, '');
      expect(code(text)).toBe(code([local.pandas, local.r, local.duckdb][i]));
    }
    if (lang === 'en') for (const text of [local.pandas, local.excel.en.join(' ')]) expect(/[\u4e00-\u9fff]/.test(text.replace(area.name, ''))).toBe(false);
    expect(() => useDataSnippets({ code: '5111', name: 'x', level: 'county', communities: null }, { base: null, asOf: '2025-06-30', sample: false, lang })).toThrow(/6-digit/);
  });
});

const PYTHON = firstWorking(['python3', '/usr/bin/python3'], ['-c', 'import pandas']);
const RSCRIPT = firstWorking(['Rscript'], ['-e', 'library(readr)']);

/** A CSV the snippet's own variables were written to (after it ran), as plain values. */
function dumped(file: string, columns: readonly string[]): Row[] {
  const parsed = Papa.parse<Record<string, string>>(readFileSync(file, 'utf8'), { header: true, skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed.data.map((r) =>
    Object.fromEntries(columns.map((c) => {
      const v = r[c];
      if (v === '' || v === 'NA') return [c, null];
      return [c, /^-?\d+(\.\d+)?$/.test(v) && !/code$/.test(c) ? Number(v) : v];
    })),
  );
}

describe.runIf(PYTHON).each(AREAS)('the pandas snippet for %s (%s)', (code, _what, withCommunities) => {
  it('runs as shown and computes the pipeline’s rows', () => {
    const view = useDataView(data, 'zh-CN', code);
    const dir = downloadFolder(view.csv.map((c) => c.path), `pandas-${code}`);
    const snippet = view.blocks.find((b) => b.id === 'pandas')!.code!;
    const check = [
      '',
      'rows[columns].to_csv("rows.out.csv", index=False)',
      ...(withCommunities ? [`short[${JSON.stringify(COMMUNITY_SNIPPET_COLUMNS)}].to_csv("short.out.csv", index=False)`] : []),
    ].join('\n');
    writeFileSync(path.join(dir, 'snippet.py'), snippet + '\n' + check + '\n');
    const stdout = execFileSync(PYTHON!, ['snippet.py'], { cwd: dir, encoding: 'utf8' });
    const want = expected(code);
    for (const row of want.rows) expect(stdout).toContain(String(row.name));
    expect(dumped(path.join(dir, 'rows.out.csv'), AREA_SNIPPET_COLUMNS)).toEqual(want.rows);
    if (withCommunities) expect(dumped(path.join(dir, 'short.out.csv'), COMMUNITY_SNIPPET_COLUMNS)).toEqual(want.short);
  });
});

describe.runIf(RSCRIPT).each(AREAS)('the R snippet for %s (%s)', (code, _what, withCommunities) => {
  it('runs as shown and computes the pipeline’s rows', () => {
    const view = useDataView(data, 'zh-CN', code);
    const dir = downloadFolder(view.csv.map((c) => c.path), `r-${code}`);
    const snippet = view.blocks.find((b) => b.id === 'r')!.code!;
    const check = [
      '',
      'write.csv(rows[, columns], "rows.out.csv", row.names = FALSE, fileEncoding = "UTF-8")',
      ...(withCommunities ? [`write.csv(short[, c(${COMMUNITY_SNIPPET_COLUMNS.map((c) => `"${c}"`).join(', ')})], "short.out.csv", row.names = FALSE, fileEncoding = "UTF-8")`] : []),
    ].join('\n');
    writeFileSync(path.join(dir, 'snippet.R'), snippet + '\n' + check + '\n');
    const stdout = execFileSync(RSCRIPT!, ['snippet.R'], { cwd: dir, encoding: 'utf8', env: { ...process.env, LANG: 'C.UTF-8' } });
    expect(stdout.length).toBeGreaterThan(0);
    const want = expected(code);
    expect(dumped(path.join(dir, 'rows.out.csv'), AREA_SNIPPET_COLUMNS)).toEqual(want.rows);
    if (withCommunities) expect(dumped(path.join(dir, 'short.out.csv'), COMMUNITY_SNIPPET_COLUMNS)).toEqual(want.short);
  });
});
