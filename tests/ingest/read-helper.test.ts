import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedDivisions } from '../helpers/divisions';
import type { Divisions } from '../../src/lib/ingest/divisions';
import { readDataset, readDatasetMeta, type DatasetReadOutput } from '../../src/lib/ingest';
import { helperFiles, helperHeapMb, helperMinBytes, startReadHelper } from '../../src/lib/ingest/read-helper';

/**
 * The read helper (src/lib/ingest/read-helper.ts): a second thread reads the end of the organizations folder. Its
 * share is merged only when that gives what one thread reading every file in turn gives; otherwise its files are
 * read on the main thread after all. Each case compares the two readings whole (columns, rejections, warnings,
 * skipped rows, notes, reconciliation) on a real fixture and says which way the helper's files were counted.
 */
const E2E = fileURLToPath(new URL('../fixtures/ingest/datasets/e2e/', import.meta.url));
let divisions: Divisions;
let work: string;

beforeAll(async () => {
  divisions = await sharedDivisions(['5111']);
  work = mkdtempSync(path.join(os.tmpdir(), 'cso-read-helper-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A copy of the e2e folder with a file added (or none). */
function e2eWith(name: string, extra?: { file: string; text: string | Buffer }): string {
  const dir = path.join(work, name);
  cpSync(E2E, dir, { recursive: true });
  if (extra) writeFileSync(path.join(dir, 'organizations', extra.file), extra.text);
  return dir;
}

async function read(dir: string, helperShare?: string[]): Promise<{ read: DatasetReadOutput | null; error: string | null; outcome: string | null }> {
  const meta = readDatasetMeta(dir);
  const helper = helperShare ? startReadHelper({ dir, meta, prefixes: ['5111'], files: helperShare }) : null;
  try {
    const r = await readDataset(dir, divisions, { meta, records: false, helper: helper ?? undefined });
    return { read: r, error: null, outcome: helper?.outcome ?? null };
  } catch (error) {
    return { read: null, error: (error as Error).message, outcome: helper?.outcome ?? null };
  } finally {
    helper?.close();
  }
}

const HEADER = '组织名称,统一社会信用代码,社区代码,类别,登记方式,成立日期\n';

describe.each([
  {
    name: 'files without a row that meets an earlier one: merged',
    folder: () => e2eWith('merged'),
    share: ['c-sheet.xlsx', 'd-empty.csv', 'e-header-only.csv'],
    outcome: 'merged',
  },
  {
    name: 'a file of the share repeats a credit code read before it: read on the main thread',
    folder: () => e2eWith('credit', { file: 'f-repeat.csv', text: HEADER + '重复信用代码协会,51511132MJQ0000179,511102004001,文体活动类,备案,2020-01-01\n' }),
    share: ['f-repeat.csv'],
    outcome: 'read here: a row meets an earlier one in the duplicate check',
  },
  {
    name: 'a file of the share repeats a name at a place read before it: read on the main thread',
    folder: () => e2eWith('name', { file: 'f-repeat.csv', text: HEADER + '篦子街社区书画协会,,511102004001,文体活动类,备案,2020-01-01\n' }),
    share: ['f-repeat.csv'],
    outcome: 'read here: a row meets an earlier one in the duplicate check',
  },
  {
    name: 'a file of the share repeats a name at a place read before it on its third row: read on the main thread',
    folder: () =>
      e2eWith('name-third', {
        file: 'f-repeat.csv',
        text: HEADER + '新建文体队,,511102004001,文体活动类,备案,2020-01-01\n新建读书会,,511102004002,文体活动类,备案,2020-01-01\n篦子街社区书画协会,,511102004001,文体活动类,备案,2020-01-01\n',
      }),
    share: ['f-repeat.csv'],
    outcome: 'read here: a row meets an earlier one in the duplicate check',
  },
  {
    name: 'a file of the share names new organizations at places and in a county read before it: merged',
    folder: () => e2eWith('new-names', { file: 'f-new.csv', text: HEADER + '新建文体队,,511102004001,文体活动类,备案,2020-01-01\n新建读书会,,511102004002,文体活动类,备案,2020-01-01\n' }),
    share: ['f-new.csv'],
    outcome: 'merged',
  },
  {
    name: 'the share holds rows that repeat one another only: merged',
    folder: () => e2eWith('own', { file: 'f-own.csv', text: HEADER + '新建文体队,,511102004001,文体活动类,备案,2020-01-01\n新建文体队,,511102004001,文体活动类,备案,2021-01-01\n' }),
    share: ['f-own.csv'],
    outcome: 'merged',
  },
  {
    name: 'the helper cannot read a file of its share (a damaged workbook): read on the main thread, which reports it',
    folder: () => e2eWith('broken', { file: 'f-broken.xlsx', text: Buffer.from('PK\u0003\u0004 not a workbook') }),
    share: ['f-broken.xlsx'],
    outcome: 'read here: the helper thread failed',
  },
  {
    name: 'files that are not the end of the listing: not used',
    folder: () => e2eWith('middle'),
    share: ['b-gbk.csv'],
    outcome: 'not used: its files are not the end of the listing',
  },
])('$name', ({ folder, share, outcome }) => {
  it('reads what one thread reads, and says how', async () => {
    const dir = folder();
    const alone = await read(dir);
    const helped = await read(dir, share);
    expect(helped.outcome).toBe(outcome);
    expect(helped.error).toBe(alone.error);
    expect(helped.read).toEqual(alone.read);
    if (alone.read) expect(alone.read.reconciliation.rowsRead).toBe(alone.read.reconciliation.accepted + alone.read.reconciliation.rejected + alone.read.reconciliation.skipped);
  }, 60_000);
});

describe('the helper\'s files: the shortest end of the listing with its part of the bytes', () => {
  const files = (...bytes: number[]) => bytes.map((b, i) => ({ name: `${i}.csv`, bytes: b }));
  it.each([
    { sizes: [10, 10, 10, 10], min: 0, share: 0.5, expected: ['2.csv', '3.csv'] },
    { sizes: [10, 10, 10, 10], min: 0, share: 0.43, expected: ['2.csv', '3.csv'] },
    { sizes: [30, 5, 5, 5], min: 0, share: 0.43, expected: ['1.csv', '2.csv', '3.csv'] },
    // the main thread keeps one file at least
    { sizes: [1, 100], min: 0, share: 0.43, expected: ['1.csv'] },
    { sizes: [100, 1], min: 0, share: 0.43, expected: ['1.csv'] },
    { sizes: [100], min: 0, share: 0.43, expected: null },
    { sizes: [10, 10], min: 21, share: 0.43, expected: null },
  ])('$sizes (min $min bytes, share $share) → $expected', ({ sizes, min, share, expected }) => {
    expect(helperFiles(files(...sizes), min, share)).toEqual(expected);
  });

  it('starts from 64 MB of files when all of China\'s divisions are loaded, from 16 MB for a few provinces\'', () => {
    expect([helperMinBytes(null), helperMinBytes(['51']), helperMinBytes(['14', '22'])]).toEqual([64 << 20, 16 << 20, 16 << 20]);
    // the e2e folder is a few KB: no helper
    expect(startReadHelper({ dir: E2E, meta: readDatasetMeta(E2E), prefixes: ['5111'] })).toBeNull();
  });

  it('caps its heap by the bytes it reads, 384 MB at least', () => {
    expect([0, 32 << 20, 66 << 20, 200 << 20].map(helperHeapMb)).toEqual([384, 384, 520, 1056]);
  });
});
