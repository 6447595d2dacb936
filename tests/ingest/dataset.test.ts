import { fileURLToPath } from 'node:url';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sharedDivisions } from '../helpers/divisions';
import { loadDivisions, type Divisions } from '../../src/lib/ingest/divisions';
import { readDataset, type DatasetReadOutput } from '../../src/lib/ingest';

const DATASETS = fileURLToPath(new URL('../fixtures/ingest/datasets/', import.meta.url));

let divisions: Divisions;
let e2e: DatasetReadOutput;
beforeAll(async () => {
  divisions = await sharedDivisions(['5111']);
  e2e = await readDataset(path.join(DATASETS, 'e2e'), divisions);
});

describe('e2e dataset folder: reconciliation worked out by hand', () => {
  it('reads every data file, sorted, and counts each row once', () => {
    expect(e2e.reconciliation.files.map((f) => [f.file, f.encoding, f.rowsRead, f.accepted, f.rejected, f.skipped, f.warnings, f.ignoredColumns])).toEqual([
      // 17 rows (lines 2–19; lines 7–8 are one record): 9 accepted, 7 rejected, the blank line 17 skipped
      ['organizations/a-orgs.csv', 'utf-8-bom', 17, 9, 7, 1, 0, ['负责人']],
      // 6 rows: 2 accepted (the empty category is a warning: counted as 其他); duplicate name,
      // duplicate credit code, unknown code, name too long
      ['organizations/b-gbk.csv', 'gbk', 6, 2, 4, 0, 1, []],
      // Excel rows 3–7 under the header on row 2: 4 accepted (the category merged over rows 3–4
      // applies to both); formula without result (row 6). The sheet 说明 is skipped (no header).
      ['organizations/c-sheet.xlsx', 'xlsx', 5, 4, 1, 0, 0, []],
      ['organizations/d-empty.csv', 'utf-8', 0, 0, 0, 0, 0, []],
      ['organizations/e-header-only.csv', 'utf-8', 0, 0, 0, 0, 0, []],
      // 6 rows: 2 accepted; duplicate, unknown area, ambiguous number, ftp URL
      ['observations/obs.csv', 'utf-8', 6, 2, 4, 0, 0, []],
    ]);
    for (const f of e2e.reconciliation.files) expect(f.rowsRead).toBe(f.accepted + f.rejected + f.skipped);
    const r = e2e.reconciliation;
    expect([r.rowsRead, r.accepted, r.rejected, r.skipped, r.warnings]).toEqual([34, 17, 16, 1, 1]);
    expect(e2e.orgs.length + e2e.observations.length).toBe(e2e.reconciliation.accepted);
    // every rejected row has exactly one Rejection; the empty file adds one at line 0 that is not a row
    expect(e2e.rejections.filter((r) => r.line > 0)).toHaveLength(e2e.reconciliation.rejected);
    expect(e2e.rejections.filter((r) => r.line === 0)).toEqual([
      { file: 'organizations/d-empty.csv', line: 0, column: null, reason: '空文件 / empty file', value: null, name: null },
    ]);
    expect(e2e.skipped.map((s) => [s.file, s.sheet ?? null, s.line, s.kind])).toEqual([
      ['organizations/a-orgs.csv', null, 17, 'blank'],
      ['organizations/c-sheet.xlsx', '说明', 0, 'sheet'],
    ]);
    expect(e2e.reconciliation.files[2].sheets.map((s) => [s.sheet, s.status, s.headerLine, s.rowsRead, s.accepted, s.rejected])).toEqual([
      ['名录', 'read', 2, 5, 4, 1],
      ['说明', 'skipped', null, 0, 0, 0],
    ]);
    expect(e2e.warnings).toEqual([
      { file: 'organizations/b-gbk.csv', line: 7, column: 'category', value: null, assumed: '其他', reason: '类别为空，按“其他”计 / category is empty, counted as 其他 (other)', name: '空类别协会' },
    ]);
  });

  it('accepts these organizations, placed as expected', () => {
    expect(e2e.orgs.map((o) => [o.source.file.split('/')[1], o.source.line, o.name, o.communityCode, o.townshipCode, o.countyCode])).toEqual([
      ['a-orgs.csv', 2, '篦子街社区书画协会', '511102004001', '511102004', '511102'],
      ['a-orgs.csv', 3, '任家坝村志愿服务队', '511102004201', '511102004', '511102'],
      ['a-orgs.csv', 5, '余溪社区老年协会', '511111100005', '511111100', '511111'],
      ['a-orgs.csv', 6, '景阳社区调解会', '511132100001', '511132100', '511132'], // 峨边县 = 峨边彝族自治县
      ['a-orgs.csv', 7, '共和社区 邻里互助会', '511102009002', '511102009', '511102'], // multi-line name, lines 7–8
      ['a-orgs.csv', 12, '乡镇级协会', null, '511102106', '511102'],
      ['a-orgs.csv', 13, '区级联合会', null, null, '511123'],
      ['a-orgs.csv', 18, '<script>alert(1)</script>', null, null, '511102'],
      ['a-orgs.csv', 19, '=HYPERLINK("http://x","点我")', null, null, '511102'],
      ['b-gbk.csv', 3, '新都村农技协会', '511111002200', '511111002', '511111'],
      ['b-gbk.csv', 7, '空类别协会', '511102004001', '511102004', '511102'],
      ['c-sheet.xlsx', 3, '绿心书画社', '511102009002', '511102009', '511102'],
      ['c-sheet.xlsx', 4, '绿心舞蹈队', '511102009001', '511102009', '511102'],
      ['c-sheet.xlsx', 5, '绿心读书会', '511102009003', '511102009', '511102'],
      ['c-sheet.xlsx', 7, '富文本协会', null, '511181001', '511181'],
    ]);
  });

  it('normalises category, registration, credit code and dates', () => {
    const byLine = (file: string, line: number) => e2e.orgs.find((o) => o.source.file === file && o.source.line === line)!;
    expect(byLine('organizations/a-orgs.csv', 3)).toMatchObject({ category: '志愿服务型', establishedOn: '2022-06-01' });
    expect(byLine('organizations/a-orgs.csv', 5).establishedOn).toBe('2020-01-05');
    expect(byLine('organizations/a-orgs.csv', 6)).toMatchObject({ registration: '登记', creditCode: '51511132MJQ0000179', establishedOn: '2019-07-01' });
    expect(byLine('organizations/a-orgs.csv', 7).establishedOn).toBe('2023-05-01'); // Excel serial 45047
    expect(byLine('organizations/a-orgs.csv', 13).establishedOn).toBe('2017-03-09');
    expect(byLine('organizations/a-orgs.csv', 18).establishedOn).toBeNull(); // optional
    expect(byLine('organizations/b-gbk.csv', 3).creditCode).toBe('51511111MJ0000227K');
  });

  it('rejects these rows, each with file, line, column as written and a zh / en reason', () => {
    const rows = e2e.rejections.filter((r) => r.line > 0).map((r) => [r.file.split('/')[1], r.line, r.column, r.reason.split(' / ')[0], r.name]);
    expect(rows).toEqual([
      ['a-orgs.csv', 4, '社区', '社区名称不唯一：余溪社区居民委员会（511111100005）、余溪村村民委员会（511111100207）；请写全称或填写社区代码', '余溪社区老年协会'],
      ['a-orgs.csv', 9, '社区', '社区名称不唯一：共和社区居委会（511102009002，绿心街道）、共和村委会（511102118203，剑峰镇）；请写全称或填写社区代码', '共和邻里互助会'],
      ['a-orgs.csv', 10, '成立日期', '日期不存在：2023-02-30', '沙坪镇文体协会'],
      ['a-orgs.csv', 11, '成立日期', '成立日期 2025-01-01 晚于数据截止日期 2024-12-31', '未来协会'],
      ['a-orgs.csv', 14, null, '字段数为 3，表头为 10；可能缺少字段', '只有三列'],
      ['a-orgs.csv', 15, '统一社会信用代码', '统一社会信用代码校验位错误：应为 9，实为 8', '坏信用代码协会'],
      ['a-orgs.csv', 16, '注销日期', '注销日期 2019-01-01 早于成立日期 2020-05-01', '已注销协会'],
      ['b-gbk.csv', 2, 'name', '重复：同一地点的同名组织已在 organizations/a-orgs.csv 第 2 行出现', '篦子街社区书画协会'],
      ['b-gbk.csv', 4, 'credit_code', '重复：统一社会信用代码 51511111MJ0000227K已在 organizations/b-gbk.csv 第 3 行出现', '新都村农技协会分会'],
      ['b-gbk.csv', 5, 'community_code', '未知社区代码（不在 2023 年统计用区划代码中）：511102999999', '未知代码协会'],
      ['b-gbk.csv', 6, 'name', '名称过长（201 字，上限 200）：可能是几列被并进了一格', '协'.repeat(201)],
      ['c-sheet.xlsx', 6, '成立日期', '公式单元格无计算结果（=DATE(2023,4,1)）；请在 Excel 中重新计算并保存，或粘贴为数值', '公式无结果协会'],
      ['obs.csv', 3, null, '重复：511102 的 training_person_times（2024-06-30）已在 observations/obs.csv 第 2 行出现', null],
      ['obs.csv', 4, 'area_code', '未知区划代码（应为 6 位代码）：511199', null],
      ['obs.csv', 5, 'value', '不是数值（小数点用“.”，千分位只能用“,”）：1,5', null],
      ['obs.csv', 6, 'source_url', '来源链接须为 http(s) 网址：ftp://example.org/x', null],
    ]);
    for (const r of e2e.rejections) expect(r.reason).toMatch(/^.+ \/ [\x20-\x7e].*$/s); // zh / English
  });

  it('reads observations with numbers, dates and sources', () => {
    expect(e2e.observations).toEqual([
      {
        area_code: '511102',
        metric: 'training_person_times',
        value: 1200,
        as_of: '2024-06-30',
        source_title: '乐山市民政局公告',
        source_url: 'https://example.org/a',
        note: null,
        source: { file: 'observations/obs.csv', line: 2 },
      },
      {
        area_code: '511100',
        metric: 'federation_coverage',
        value: 0.85,
        as_of: '2024-06-30',
        source_title: '乐山市民政局',
        source_url: null,
        note: '备注',
        source: { file: 'observations/obs.csv', line: 7 },
      },
    ]);
  });

  it('lists the files read, and notes what was ignored or skipped', () => {
    expect(e2e.inputFiles).toEqual([
      'dataset.json',
      'observations/obs.csv',
      'organizations/a-orgs.csv',
      'organizations/b-gbk.csv',
      'organizations/c-sheet.xlsx',
      'organizations/d-empty.csv',
      'organizations/e-header-only.csv',
    ]);
    expect(e2e.notes).toEqual([
      { file: 'organizations/', zh: '忽略非数据文件：notes.txt', en: 'ignored files that are not data: notes.txt' },
      { file: 'organizations/c-sheet.xlsx', sheet: '名录', zh: '跳过表头之前的第 1 行（标题行，不是数据）', en: 'skipped line(s) 1 before the header row (titles, not data)' },
      { file: 'observations/', zh: '忽略非数据文件：README.md', en: 'ignored files that are not data: README.md' },
    ]);
    expect(e2e.meta).toMatchObject({ as_of: '2024-12-31', sample: true, scope: ['511100'] });
  });

  it('is deterministic', async () => {
    const again = await readDataset(path.join(DATASETS, 'e2e'), divisions);
    expect(JSON.stringify(again)).toBe(JSON.stringify(e2e));
  });
});

describe('hostile strings', () => {
  it('are stored as text or rejected, never crash', async () => {
    const r = await readDataset(path.join(DATASETS, 'hostile'), divisions);
    // the 20,000-character category is a warning now (counted as 其他), not a rejection
    expect(r.reconciliation.files[0]).toMatchObject({ rowsRead: 10, accepted: 8, rejected: 2, skipped: 0, warnings: 1, ignoredColumns: ['note'] });
    expect(r.orgs.map((o) => o.name)).toEqual([
      '<script>alert("x")</script>',
      '=HYPERLINK("http://evil","点我")',
      "+cmd|' /C calc'!A0",
      '@SUM(1+1)*cmd|',
      '👩‍👩‍👧 家庭互助会 🎉',
      '超长类别',
      '零宽 空格 协会', // zero-width removed; U+3000 and NBSP become plain spaces
      '../../etc/passwd',
    ]);
    const rejected = r.rejections.map((x) => [x.line, x.column, x.reason.split('：')[0], x.value?.length]);
    expect(rejected).toEqual([
      [7, 'name', '名称过长（20000 字，上限 200）', 20_000],
      [9, 'name', '组织名称含控制字符 / organization name contains control characters', 'bell\u0007协会'.length],
    ]);
    expect(r.warnings.map((w) => [w.line, w.column, w.assumed, w.value?.length, w.reason.split('：')[0]])).toEqual([[8, 'category', '其他', 20_000, '未知类别']]);
    expect(r.orgs.find((o) => o.name === '超长类别')).toMatchObject({ category: '其他', categoryRaw: 'x'.repeat(20_000) });
  });
});

describe('observations against the targets registry vocabulary', () => {
  it('rejects an observation whose metric is not in the vocabulary, naming the known metrics', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cso-metric-'));
    writeFileSync(path.join(dir, 'dataset.json'), JSON.stringify({ title: 't', publisher: 'p', license: 'CC0-1.0', as_of: '2025-06-30', sample: true, scope: ['511100'] }));
    mkdirSync(path.join(dir, 'organizations'));
    mkdirSync(path.join(dir, 'observations'));
    writeFileSync(
      path.join(dir, 'observations', 'o.csv'),
      'area_code,metric,value,as_of,source_title,source_url,note\n511100,training_person_times,640,2025-06-30,示例,,\n511100,training_pct,5,2025-06-30,示例,,\n',
    );
    const divisions = await sharedDivisions(['5111']);
    const read = await readDataset(dir, divisions, { metrics: ['training_person_times', 'hub_demonstrations'] });
    expect(read.observations.map((o) => o.metric)).toEqual(['training_person_times']);
    expect(read.rejections).toHaveLength(1);
    expect(read.rejections[0]).toMatchObject({ file: 'observations/o.csv', line: 3, column: 'metric', value: 'training_pct' });
    expect(read.rejections[0].reason).toContain('hub_demonstrations');
    expect(read.reconciliation.files[0]).toMatchObject({ rowsRead: 2, accepted: 1, rejected: 1 });
  });
});
