/**
 * The quality page's view model (src/lib/site/views/quality.ts) on the pipeline's real output for a
 * folder of ledgers (tests/fixtures/ingest/ledgers: a merged two-row header workbook, a workbook of
 * township sheets with a 汇总 sheet, a GBK export), written to a temp dir: every warning, skipped row
 * and note shown, counts by reason and by file adding up to the reconciliation.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../scripts/pipeline';
import { createSiteData, type SiteData } from '../../src/lib/site/data';
import { qualityView, reasonKey } from '../../src/lib/site/views/quality';

const LEDGERS = path.resolve('tests/fixtures/ingest/ledgers');
const FILES = ['merged-header/organizations/市中区台账.xlsx', 'township-sheets/organizations/2024年台账.xlsx', 'gbk-export/organizations/花名册-gbk.csv'];

let tmp: string;
let data: SiteData;
beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'cso-quality-'));
  const dataDir = path.join(tmp, 'ledgers');
  mkdirSync(path.join(dataDir, 'organizations'), { recursive: true });
  copyFileSync(path.join(LEDGERS, 'merged-header', 'dataset.json'), path.join(dataDir, 'dataset.json'));
  for (const f of FILES) copyFileSync(path.join(LEDGERS, f), path.join(dataDir, 'organizations', path.basename(f)));
  await runPipeline({
    dataDir,
    siteDir: path.join(tmp, 'site'),
    downloadsDir: path.join(tmp, 'data'),
    registryFile: path.resolve('data/targets/registry.json'),
  });
  data = createSiteData(path.join(tmp, 'site'));
}, 120_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const csvRows = (file: string) => {
  const text = readFileSync(path.join(tmp, 'data', file), 'utf8').replace(/^\uFEFF/, ''); // machine CSVs carry no BOM
  return Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data;
};

describe.each(['zh-CN', 'en'] as const)('qualityView (%s)', (lang) => {
  const view = () => qualityView(data, lang);

  it('balances: read = accepted + rejected + skipped, per file, per sheet and in total (counts worked out in tests/ingest/ledgers.test.ts)', () => {
    const v = view();
    expect(v.balanced).toBe(true);
    const rows = v.reconciliation.rows.map((r) => [r.file, r.sheet, ...['read', 'accepted', 'rejected', 'skipped', 'warnings'].map((k) => (r[k] as { sort: number }).sort)]);
    const total = lang === 'en' ? 'Total' : '合计';
    expect(rows).toEqual([
      ['organizations/2024年台账.xlsx', '汇总', 0, 0, 0, 0, 0],
      ['organizations/2024年台账.xlsx', '通江街道', 5, 4, 0, 1, 2],
      ['organizations/2024年台账.xlsx', '白马镇', 6, 3, 2, 1, 0],
      ['organizations/2024年台账.xlsx', 'Sheet3', 0, 0, 0, 0, 0],
      ['organizations/2024年台账.xlsx', '填表说明', 0, 0, 0, 0, 0],
      ['organizations/市中区台账.xlsx', '台账', 12, 7, 1, 4, 2],
      ['organizations/花名册-gbk.csv', '', 6, 3, 1, 2, 0],
      [total, '', 29, 17, 4, 8, 4],
    ]);
    expect(v.balance).toContain(lang === 'en' ? '29 rows read = 17 accepted + 4 rejected + 8 skipped' : '读取 29 行 = 采用 17 行 + 剔除 4 行 + 跳过 8 行');
    // a skipped sheet says why in its row
    expect(String(v.reconciliation.rows[0].ignored)).toContain(lang === 'en' ? 'a summary sheet' : '汇总/统计表');
  });

  it('counts by reason add up to every rejected, warned and skipped row, each with its files', () => {
    const v = view();
    const sum = (kind: string) => v.byReason.rows.filter((r) => r.kind === kind).reduce((s, r) => s + (r.count as { sort: number }).sort, 0);
    const [rej, warn, skip] = lang === 'en' ? ['Rejected', 'Warning', 'Skipped'] : ['剔除', '提示', '跳过'];
    expect([sum(rej), sum(warn), sum(skip)]).toEqual([data.rejections().length, data.warnings().length, data.skipped().length]);
    expect([sum(rej), sum(warn), sum(skip)]).toEqual([4, 4, 11]); // 8 rows + 3 worksheets skipped
    const total = v.byReason.rows.find((r) => r.kind === skip && String(r.reason) === (lang === 'en' ? 'totals row' : '合计行'))!;
    expect((total.count as { sort: number }).sort).toBe(3);
    expect(total.files).toBe(
      lang === 'en'
        ? 'organizations/2024年台账.xlsx · 通江街道 (1), organizations/市中区台账.xlsx · 台账 (1), organizations/花名册-gbk.csv (1)'
        : 'organizations/2024年台账.xlsx · 通江街道（1）、organizations/市中区台账.xlsx · 台账（1）、organizations/花名册-gbk.csv（1）',
    );
  });

  it('lists every warning, saying what the row was counted as', () => {
    const v = view();
    const rows = v.warningTables.flatMap((tb) => tb.rows.map((r) => [tb.caption, (r.line as { sort: number }).sort, r.column, r.assumed]));
    expect(rows).toEqual([
      ['organizations/2024年台账.xlsx · 通江街道', 5, '是否备案', '登记'],
      ['organizations/2024年台账.xlsx · 通江街道', 6, '状态', '已注销（日期不详）'],
      ['organizations/市中区台账.xlsx · 台账', 7, '成立时间', '2020-01'],
      ['organizations/市中区台账.xlsx · 台账', 9, '类别', '其他'],
    ]);
    for (const tb of v.warningTables) for (const r of tb.rows) expect(String(r.reason)).not.toMatch(/ \/ /); // one language
  });

  it('lists every skipped row and worksheet, with its kind and why', () => {
    const v = view();
    const rows = v.skippedTables.flatMap((tb) => tb.rows.map((r) => [tb.caption, (r.line as { sort: number }).sort, r.kind]));
    const k = (zh: string, en: string) => (lang === 'en' ? en : zh);
    expect(rows).toEqual([
      ['organizations/2024年台账.xlsx · 汇总', 0, k('工作表', 'worksheet')],
      ['organizations/2024年台账.xlsx · 通江街道', 7, k('合计行', 'totals row')],
      ['organizations/2024年台账.xlsx · 白马镇', 4, k('重复的表头', 'repeated header')],
      ['organizations/2024年台账.xlsx · Sheet3', 0, k('工作表', 'worksheet')],
      ['organizations/2024年台账.xlsx · 填表说明', 0, k('工作表', 'worksheet')],
      ['organizations/市中区台账.xlsx · 台账', 12, k('空行', 'blank row')],
      ['organizations/市中区台账.xlsx · 台账', 13, k('合计行', 'totals row')],
      ['organizations/市中区台账.xlsx · 台账', 14, k('表尾', 'footer')],
      ['organizations/市中区台账.xlsx · 台账', 15, k('表尾', 'footer')],
      ['organizations/花名册-gbk.csv', 8, k('合计行', 'totals row')],
      ['organizations/花名册-gbk.csv', 9, k('表尾', 'footer')],
    ]);
    expect(v.skippedTables.map((tb) => tb.id)).toEqual(v.skippedTables.map((_, i) => `skipped-${i + 1}`));
  });

  it('lists every rejected row by file and worksheet', () => {
    const v = view();
    expect(v.rejectionTables.flatMap((tb) => tb.rows.map((r) => [tb.caption, (r.line as { sort: number }).sort, r.column]))).toEqual([
      ['organizations/2024年台账.xlsx · 白马镇', 6, '成立时间'],
      ['organizations/2024年台账.xlsx · 白马镇', 7, '组织名称'],
      ['organizations/市中区台账.xlsx · 台账', 10, '组织名称'],
      ['organizations/花名册-gbk.csv', 7, '所在地/村（社区）'],
    ]);
  });

  it("shows the reader's notes on each file and worksheet in the page's language", () => {
    const v = view();
    const all = v.noteGroups.flatMap((g) => g.texts.map((text) => `${g.where}: ${text}`)).join('\n');
    expect(v.noteGroups.length).toBeGreaterThanOrEqual(4);
    expect(all).toContain(
      lang === 'en'
        ? 'organizations/2024年台账.xlsx · 白马镇: township taken from the sheet name "白马镇": 白马镇（511102103）, applied to 3 accepted row(s) without one'
        : 'organizations/2024年台账.xlsx · 白马镇: 乡镇街道取自工作表名“白马镇”：白马镇（511102103），用于 3 个没有乡镇街道的已采用记录',
    );
    expect(all).toContain(lang === 'en' ? 'the header spans two rows (2–3)' : '表头为两行（第 2–3 行）');
  });
});

describe('warnings.csv and skipped.csv', () => {
  it('hold the same rows as the quality page, with the worksheet', () => {
    const warnings = csvRows('warnings.csv');
    expect(warnings.map((w) => [w.file, w.sheet, w.line, w.assumed])).toEqual(data.warnings().map((w) => [w.file, w.sheet ?? '', String(w.line), w.assumed]));
    const skipped = csvRows('skipped.csv');
    expect(skipped.map((s) => [s.file, s.sheet, s.line, s.kind])).toEqual(data.skipped().map((s) => [s.file, s.sheet ?? '', String(s.line), s.kind]));
    expect(skipped.length).toBe(11);
  });

  it('reconciliation.csv has one row per CSV file and per worksheet, summing to the totals', () => {
    const rec = csvRows('reconciliation.csv');
    expect(rec.map((r) => [r.file, r.sheet, r.status])).toEqual([
      ['organizations/2024年台账.xlsx', '汇总', 'skipped'],
      ['organizations/2024年台账.xlsx', '通江街道', 'read'],
      ['organizations/2024年台账.xlsx', '白马镇', 'read'],
      ['organizations/2024年台账.xlsx', 'Sheet3', 'skipped'],
      ['organizations/2024年台账.xlsx', '填表说明', 'skipped'],
      ['organizations/市中区台账.xlsx', '台账', 'read'],
      ['organizations/花名册-gbk.csv', '', 'read'],
    ]);
    for (const k of ['rows_read', 'accepted', 'rejected', 'skipped'] as const) {
      expect(rec.reduce((s, r) => s + Number(r[k]), 0), k).toBe(data.reconciliation()[k === 'rows_read' ? 'rowsRead' : k]);
    }
    for (const r of rec) expect(Number(r.rows_read)).toBe(Number(r.accepted) + Number(r.rejected) + Number(r.skipped));
  });
});

describe.each([
  ['组织名称为空 / organization name is empty', '组织名称为空', 'organization name is empty'],
  ['未知类别：广场舞，按“其他”计 / unknown category: 广场舞, counted as 其他 (other)', '未知类别', 'unknown category'],
  ['成立日期 2025-02-01 晚于数据截止日期 2024-12-31 / established on 2025-02-01, after the as-of date', '成立日期 … 晚于数据截止日期 …', 'established on …, after the as-of date'],
  ['合计行（“小计”，不是组织） / totals row ("小计", not an organization)', '合计行', 'totals row'],
  ['跳过工作表：空工作表 / worksheet skipped: empty worksheet', '空工作表', 'empty worksheet'],
])('reasonKey(%j)', (reason, zh, en) => {
  it(`is ${zh} / ${en}`, () => {
    expect(reasonKey(reason, 'zh-CN')).toBe(zh);
    expect(reasonKey(reason, 'en')).toBe(en);
  });
});

it('an empty quality report says so (the shipped sample has no warnings or skipped rows)', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cso-quality-empty-'));
  try {
    for (const f of ['meta.json', 'reconciliation.json']) copyFileSync(path.join(tmp, 'site', f), path.join(dir, f));
    for (const f of ['rejections.json', 'warnings.json', 'skipped.json', 'notes.json']) writeFileSync(path.join(dir, f), '[]');
    const v = qualityView(createSiteData(dir), 'zh-CN');
    expect([v.byReason.rows, v.rejectionTables, v.warningTables, v.skippedTables, v.noteGroups]).toEqual([[], [], [], [], []]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
