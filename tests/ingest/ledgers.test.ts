/**
 * Ledgers (台账) as offices keep them: every case folder of tests/fixtures/ingest/ledgers/ read by
 * readDataset, with the counts worked out by hand from make-fixtures.ts (the comments there give
 * each row's line and fate). Per file (and per worksheet): rows read = accepted + rejected +
 * skipped; per community: organizations active at the as-of date 2024-12-31.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedDivisions } from '../helpers/divisions';
import { isActiveAt } from '../../src/lib/model/aggregate';
import { loadDivisions, type Divisions } from '../../src/lib/ingest/divisions';
import { DatasetError, readDataset } from '../../src/lib/ingest';
import type { DatasetReadResult } from '../../src/lib/core/types';
import { AS_OF, CATEGORY_ROWS, DATE_ROWS, FLAG_ROWS, LEDGERS_DIR, REGISTRATION_ROWS, STATUS_ROWS, writeFixtures } from '../fixtures/ingest/ledgers/make-fixtures';

/** [file, rows read, accepted, rejected, skipped, rows with warnings] */
type FileCounts = [string, number, number, number, number, number];
/** [sheet, status, header line, rows read, accepted, rejected, skipped, rows with warnings] */
type SheetCounts = [string, 'read' | 'skipped', number | null, number, number, number, number, number];

interface OkCase {
  files: FileCounts[];
  sheets?: SheetCounts[];
  /** community (12 digits) or township (9 digits, township-level organizations) → active at the as-of date */
  active: Record<string, number>;
  /** [sheet or '', line, column, reason substring] */
  rejections: [string, number, string | null, string][];
  /** [sheet or '', line, column, assumed] */
  warnings: [string, number, string | null, string][];
  /** [sheet or '', line, kind] (line 0: a whole worksheet) */
  skipped: [string, number, string][];
  /** substrings the notes must hold (zh) */
  notes?: string[];
  /** field → header as the reader reports it */
  headers?: Record<string, string>;
}

const CASES: Record<string, OkCase> = {
  'merged-header': {
    // rows 4–15 below the two-row header (2–3): 7 counted, row 10 has no name, 12 blank, 13 合计, 14–15 footers
    files: [['organizations/市中区台账.xlsx', 12, 7, 1, 4, 2]],
    sheets: [['台账', 'read', 3, 12, 7, 1, 4, 2]],
    // 红光村 (511102103212) was dissolved in 2023 (备注 2023年已注销): not active
    active: { '511102006001': 1, '511102006002': 1, '511102006005': 1, '511102103001': 1, '511102103202': 1, '511102103002': 1 },
    rejections: [['台账', 10, '组织名称', '组织名称为空']],
    warnings: [
      ['台账', 7, '成立时间', '2020-01'], // the number 2020.1 may have been typed 2020.10
      ['台账', 9, '类别', '其他'], // 广场舞类
    ],
    skipped: [
      ['台账', 12, 'blank'],
      ['台账', 13, 'total'],
      ['台账', 14, 'footer'],
      ['台账', 15, 'footer'],
    ],
    notes: ['表头为两行（第 2–3 行）', '台账截至 2024-12-31', '类别“文体活动类”按内置对照表计为“兴趣爱好型”（1 行）'],
    headers: {
      name: '组织名称',
      county: '所在地/区（县）',
      township: '所在地/乡镇（街道）',
      community: '所在地/村（社区）',
      credit_code: '统一社会信用代码',
      established_on: '成立时间',
      remarks: '备注',
      serial: '序号',
    },
  },
  'township-sheets': {
    files: [['organizations/2024年台账.xlsx', 11, 7, 2, 2, 2]],
    sheets: [
      ['汇总', 'skipped', null, 0, 0, 0, 0, 0],
      ['通江街道', 'read', 2, 5, 4, 0, 1, 2],
      ['白马镇', 'read', 1, 6, 3, 2, 1, 0],
      ['Sheet3', 'skipped', null, 0, 0, 0, 0, 0],
      ['填表说明', 'skipped', null, 0, 0, 0, 0, 0],
    ],
    // 柏杨 (511102006010): 已注销 without a date, in no count; 凤凰 (511102103217): 撤销 2024-03
    active: { '511102006006': 1, '511102006007': 1, '511102006008': 1, '511102103210': 1, '511102103211': 1 },
    rejections: [
      ['白马镇', 6, '成立时间', '晚于数据截止日期'],
      ['白马镇', 7, '组织名称', '重复'],
    ],
    warnings: [
      ['通江街道', 5, '是否备案', '登记'],
      ['通江街道', 6, '状态', '已注销（日期不详）'],
    ],
    skipped: [
      ['汇总', 0, 'sheet'],
      ['通江街道', 7, 'total'],
      ['白马镇', 4, 'header'],
      ['Sheet3', 0, 'sheet'],
      ['填表说明', 0, 'sheet'],
    ],
    notes: [
      '区县取自同一工作簿的其他工作表“市中区社区社会组织统计汇总表（截至2024年12月）”：乐山市市中区（511102），用于 4 个',
      '乡镇街道取自标题“通江街道社区社会组织台账”：通江街道（511102006），用于 4 个',
      '乡镇街道取自工作表名“白马镇”：白马镇（511102103），用于 3 个',
    ],
  },
  'title-context': {
    files: [['organizations/台账.csv', 4, 4, 0, 0, 1]],
    active: { '511102004001': 1, '511102004002': 1, '511102004201': 1, '511102004': 1 },
    rejections: [],
    warnings: [['', 5, '成立日期', '2024-09-01']], // after the ledger's own 2024-06, before the dataset's as-of
    skipped: [],
    notes: ['区县取自标题“市中区社区社会组织台账（截至2024年6月）”：乐山市市中区（511102），用于 4 个', '台账截至 2024-06-30', '早于数据集截止日期 2024-12-31'],
    headers: { township: '所属街道（乡镇）', community: '所属社区（村）', category: '类型', registration: '登记/备案' },
  },
  categories: {
    files: [['organizations/categories.csv', 19, 19, 0, 0, 3]],
    active: { '511102004001': 19 },
    rejections: [],
    warnings: [
      ['', 18, '类别', '其他'], // 广场舞
      ['', 19, '类别', '兴趣爱好型'], // 文体活动类、公益慈善类: two types, the first
      ['', 20, '类别', '其他'], // empty
    ],
    skipped: [],
    notes: ['类别“文化类”按 dataset.json 的 category_map 计为“兴趣爱好型”（1 行）'],
  },
  registration: {
    files: [
      ['organizations/a-words.csv', 10, 10, 0, 0, 3],
      ['organizations/b-flags.csv', 6, 6, 0, 0, 2],
    ],
    active: { '511102004002': 10, '511102004004': 6 },
    rejections: [],
    warnings: [
      ['', 9, '登记方式', '备案'],
      ['', 10, '登记方式', '登记'],
      ['', 11, '登记方式', '备案'],
      ['', 4, '是否备案', '登记'],
      ['', 7, '是否备案', '备案'],
    ],
    skipped: [],
  },
  dates: {
    files: [['organizations/dates.xlsx', 19, 15, 4, 0, 1]],
    active: { '511102004005': 14 }, // 按月注销 dissolved 2024-06
    rejections: [
      ['名录', 17, '成立日期', '月份不存在'],
      ['名录', 18, '成立日期', '既不是'],
      ['名录', 19, '成立日期', '月份不存在'],
      ['名录', 20, '成立日期', '晚于数据截止日期'],
    ],
    warnings: [['名录', 4, '成立日期', '2021-01']],
    skipped: [],
  },
  status: {
    files: [['organizations/status.csv', 9, 8, 1, 0, 1]],
    active: { '511102004006': 3 }, // 正常, 未注销, 拟注销
    rejections: [['', 10, '备注', '早于成立日期']],
    warnings: [['', 4, '状态', '已撤销（日期不详）']],
    skipped: [],
  },
  'gbk-export': {
    files: [['organizations/花名册-gbk.csv', 6, 3, 1, 2, 0]],
    active: { '511132100001': 1, '511132100002': 1, '511132100201': 1 },
    rejections: [['', 7, '所在地/村（社区）', '未知社区：顺和社区']],
    warnings: [],
    skipped: [
      ['', 8, 'total'],
      ['', 9, 'footer'],
    ],
    notes: ['表头为两行（第 2–3 行）', '区县取自标题“峨边彝族自治县社区社会组织花名册（截至2024年12月31日）”：乐山市峨边彝族自治县（511132），用于 2 个'],
  },
};

/** [case, file, header line or null, column or null, what the message says] */
const ERRORS: [string, string, number | null, string | null, RegExp][] = [
  ['error-unplaced-column', 'organizations/orgs.csv', 1, '所属社区', /列“所属社区”有 3 行填了社区，但没有一行能据此定位.* \/ column "所属社区" has a community in 3 rows but places none/],
  ['error-place-like-column', 'organizations/orgs.csv', 1, '联系社区', /像是所在地.*否则所有组织都只能计入区县/],
  ['error-ambiguous-title', 'organizations/orgs.csv', 2, 'community_code', /提到多个区县（.*乐山市市中区（511102）.*），不用作所在地/],
  ['error-summary-only', 'organizations/汇总.xlsx', null, null, /工作簿中没有组织名单（“统计表”：汇总\/统计表/],
];

let divisions: Divisions;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'cso-ledgers-'));

beforeAll(async () => {
  divisions = await sharedDivisions(['5111']);
  // the committed fixtures are exactly what the generator writes
  const regenerated = path.join(tmp, 'regen');
  await writeFixtures(regenerated);
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)).map((f) => `${e.name}/${f}`) : [e.name]));
  for (const file of walk(regenerated)) {
    expect(readFileSync(path.join(LEDGERS_DIR, file)).equals(readFileSync(path.join(regenerated, file))), `${file} is stale: run make-fixtures.ts`).toBe(true);
  }
}, 60_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

it('covers every case folder', () => {
  const folders = readdirSync(LEDGERS_DIR).filter((f) => statSync(path.join(LEDGERS_DIR, f)).isDirectory());
  expect(folders.sort()).toEqual([...Object.keys(CASES), ...ERRORS.map((e) => e[0])].sort());
});

const sheetOf = (x: { sheet?: string }) => x.sheet ?? '';

describe.each(Object.entries(CASES))('ledger %s', (name, want) => {
  let r: DatasetReadResult;
  beforeAll(async () => {
    r = await readDataset(path.join(LEDGERS_DIR, name), divisions);
  });

  it('reconciles every file and sheet: read = accepted + rejected + skipped', () => {
    expect(r.reconciliation.files.map((f) => [f.file, f.rowsRead, f.accepted, f.rejected, f.skipped, f.warnings])).toEqual(want.files);
    for (const f of r.reconciliation.files) {
      expect(f.rowsRead, f.file).toBe(f.accepted + f.rejected + f.skipped);
      if (f.sheets.length) {
        for (const k of ['rowsRead', 'accepted', 'rejected', 'skipped', 'warnings'] as const) expect(f.sheets.reduce((n, s) => n + s[k], 0), `${f.file} ${k}`).toBe(f[k]);
      }
    }
    const rec = r.reconciliation;
    expect(rec.rowsRead).toBe(rec.accepted + rec.rejected + rec.skipped);
    expect(r.orgs).toHaveLength(rec.accepted);
    expect(r.rejections.filter((x) => x.line > 0)).toHaveLength(rec.rejected);
    expect(r.skipped.filter((x) => x.line > 0)).toHaveLength(rec.skipped);
    expect(new Set(r.warnings.map((w) => `${w.file}|${sheetOf(w)}|${w.line}`)).size).toBe(rec.warnings);
    if (want.sheets) {
      const sheets = r.reconciliation.files.flatMap((f) => f.sheets.map((s) => [s.sheet, s.status, s.headerLine, s.rowsRead, s.accepted, s.rejected, s.skipped, s.warnings]));
      expect(sheets).toEqual(want.sheets);
    }
  });

  it('counts each community as a careful person would', () => {
    const active: Record<string, number> = {};
    for (const o of r.orgs) {
      if (!isActiveAt(o, AS_OF)) continue;
      const where = o.communityCode ?? o.townshipCode ?? o.countyCode;
      active[where] = (active[where] ?? 0) + 1;
    }
    expect(active).toEqual(want.active);
  });

  it('rejects only rows that cannot be counted, with file, sheet, line, column and reason', () => {
    expect(r.rejections.map((x) => [sheetOf(x), x.line, x.column])).toEqual(want.rejections.map(([s, l, c]) => [s, l, c]));
    r.rejections.forEach((x, i) => {
      expect(x.reason).toContain(want.rejections[i][3]);
      expect(x.reason).toMatch(/ \/ [\x20-\x7e]/);
    });
  });

  it('warns, keeping and counting the row, saying what it was counted as', () => {
    expect(r.warnings.map((w) => [sheetOf(w), w.line, w.column, w.assumed])).toEqual(want.warnings);
    for (const w of r.warnings) {
      expect(w.reason).toMatch(/ \/ [\x20-\x7e]/);
      expect(r.orgs.some((o) => o.source.file === w.file && (o.source.sheet ?? '') === sheetOf(w) && o.source.line === w.line), `${w.line} is counted`).toBe(true);
    }
  });

  it('lists every skipped row and sheet with why', () => {
    expect(r.skipped.map((s) => [sheetOf(s), s.line, s.kind])).toEqual(want.skipped);
    for (const s of r.skipped) expect(s.reason).toMatch(/ \/ [\x20-\x7e]/);
  });

  if (want.notes) {
    it('says in the notes what it took from titles, sheet names and the crosswalk', () => {
      const zh = r.notes.map((n) => n.zh).join('\n');
      for (const n of want.notes!) expect(zh).toContain(n);
    });
  }

  if (want.headers) {
    it('reads the headers a person reads, and says which header it read as what', () => {
      expect(r.reconciliation.files[0].columns).toMatchObject(want.headers!);
    });
  }
});

describe('what each row is counted as', () => {
  const read = (name: string) => readDataset(path.join(LEDGERS_DIR, name), divisions);
  const byName = (r: DatasetReadResult) => new Map(r.orgs.map((o) => [o.name, o]));

  it('categories: the plan type from the crosswalk, the word as written kept', async () => {
    const orgs = byName(await read('categories'));
    expect(CATEGORY_ROWS.map(([name, word]) => [name, orgs.get(name)?.categoryRaw ?? '', orgs.get(name)?.category])).toEqual(
      CATEGORY_ROWS.map(([name, word, type]) => [name, word, type]),
    );
  });

  it('registration words and yes/no flags', async () => {
    const orgs = byName(await read('registration'));
    expect([...REGISTRATION_ROWS, ...FLAG_ROWS].map((row) => [row[0], orgs.get(row[0])?.registration])).toEqual(
      [...REGISTRATION_ROWS, ...FLAG_ROWS].map((row) => [row[0], row[3]]),
    );
  });

  it('dates: month and year precision kept, never an Excel serial for 2021.05', async () => {
    const r = await read('dates');
    const orgs = byName(r);
    const rejected = new Map(r.rejections.map((x) => [x.name, x.reason]));
    for (const [name, , , expected, precision] of DATE_ROWS) {
      if (expected.startsWith('rejected:')) {
        expect(rejected.get(name), name).toContain(expected.slice('rejected:'.length));
      } else {
        expect([name, orgs.get(name)?.establishedOn, orgs.get(name)?.establishedPrecision]).toEqual([name, expected, precision]);
      }
    }
    expect(orgs.get('按月注销')).toMatchObject({ dissolvedOn: '2024-06-01', dissolvedPrecision: 'month' });
  });

  it('status: 注销 / 撤销 / 解散 in 状态 or 备注 ends the organization', async () => {
    const r = await read('status');
    const orgs = byName(r);
    for (const [name, , , , expected] of STATUS_ROWS) {
      const o = orgs.get(name);
      const got = !o ? 'rejected' : o.dissolvedDateUnknown ? 'unknown' : (o.dissolvedOn ?? 'active');
      expect([name, got]).toEqual([name, expected]);
    }
  });
});

describe.each(ERRORS)('structural problem: %s', (name, file, line, column, message) => {
  it('stops with one DatasetError naming the file, line and column', async () => {
    const error = await readDataset(path.join(LEDGERS_DIR, name), divisions).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetError);
    const e = error as DatasetError;
    expect([e.file, e.line, e.column]).toEqual([file, line, column]);
    expect(e.message).toMatch(message);
    expect(e.message).toMatch(/ \/ /);
  });
});

it('reads the same folder to the same result (determinism)', async () => {
  const a = await readDataset(path.join(LEDGERS_DIR, 'township-sheets'), divisions);
  const b = await readDataset(path.join(LEDGERS_DIR, 'township-sheets'), divisions);
  expect(JSON.stringify(a)).toBe(JSON.stringify(b));
});
