import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { sharedDivisions } from '../helpers/divisions';
import { loadDivisions, type Divisions } from '../../src/lib/ingest/divisions';
import { DatasetError, readDataset, readDatasetMeta } from '../../src/lib/ingest';

const DIR = fileURLToPath(new URL('../fixtures/ingest/meta/', import.meta.url));
const dir = (name: string) => path.join(DIR, name);

function errorOf(fn: () => unknown): DatasetError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DatasetError) return e;
    throw e;
  }
  throw new Error('expected a DatasetError');
}

describe('readDatasetMeta', () => {
  it('reads a valid dataset.json', () => {
    expect(readDatasetMeta(dir('valid'))).toEqual({
      title: 't',
      publisher: 'p',
      license: 'CC0-1.0',
      as_of: '2024-12-31',
      sample: false,
      scope: ['511100'],
      source_url: 'https://example.org/',
    });
  });

  // Paths are relative to the dataset folder, like every other DatasetError; the pipeline prefixes the folder.
  it('names the missing file', () => {
    const e = errorOf(() => readDatasetMeta(dir('missing')));
    expect(e.file).toBe('dataset.json');
    expect(e.message).toBe(
      `dataset.json: 缺少 dataset.json（数据集说明：title、publisher、license、as_of、sample） / dataset.json is missing (dataset description: title, publisher, license, as_of, sample)`,
    );
  });

  it('gives the line and column of malformed JSON (the missing comma before "license")', () => {
    const e = errorOf(() => readDatasetMeta(dir('malformed')));
    expect([e.file, e.line, e.column]).toEqual(['dataset.json', 4, '3']);
    expect(e.message.startsWith('dataset.json:4:3: JSON 格式错误')).toBe(true);
  });

  describe.each([
    { name: 'sample-string', column: 'sample', line: 6, text: '须为 true 或 false（不带引号）' },
    { name: 'impossible-date', column: 'as_of', line: 5, text: '日期不存在' },
    { name: 'bad-scope', column: 'scope[1]', line: 7, text: '须为 6 位区划代码' },
    { name: 'no-publisher', column: 'publisher', line: null, text: '缺少必填字段' },
  ])('$name', ({ name, column, line, text }) => {
    it(`names the field ${column}`, () => {
      const e = errorOf(() => readDatasetMeta(dir(name)));
      expect(e.file).toBe('dataset.json');
      expect(e.column).toBe(column);
      expect(e.line).toBe(line);
      expect(e.message).toContain(`字段 ${column}：${text}`);
    });
  });
});

describe('dataset folder structure', () => {
  let divisions: Divisions;
  beforeAll(async () => {
    divisions = await sharedDivisions(['5111']);
  });

  it('an unknown scope code is a DatasetError', async () => {
    const e = await readDataset(dir('unknown-scope'), divisions).catch((err: unknown) => err);
    expect((e as DatasetError).message).toBe('dataset.json:scope[0]: 未知区划代码：519900 / unknown area code: 519900');
  });

  it('a missing organizations/ folder is a DatasetError', async () => {
    const e = await readDataset(dir('no-orgs-folder'), divisions).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(DatasetError);
    expect((e as DatasetError).message).toContain('缺少 organizations/ 文件夹');
  });

  it('an empty organizations/ folder reads as 0 organizations, with notes', async () => {
    const r = await readDataset(dir('empty-orgs-folder'), divisions);
    expect(r.orgs).toEqual([]);
    expect(r.reconciliation).toEqual({ files: [], rowsRead: 0, accepted: 0, rejected: 0, skipped: 0, warnings: 0 });
    expect(r.notes).toEqual([
      { file: 'organizations/', zh: '忽略非数据文件：.gitkeep', en: 'ignored files that are not data: .gitkeep' },
      { file: 'organizations/', zh: '没有 CSV 或 xlsx 文件，组织数为 0', en: 'no CSV or xlsx files: 0 organizations' },
    ]);
    expect(r.inputFiles).toEqual(['dataset.json']);
  });

  it('an .xls file is a DatasetError, not silently skipped', async () => {
    const e = await readDataset(dir('xls-file'), divisions).catch((err: unknown) => err);
    expect((e as DatasetError).message).toBe(
      'organizations/old.xls: 不支持的表格格式 .xls：请另存为 .xlsx 或 UTF-8 CSV / unsupported spreadsheet format .xls: save it as .xlsx or UTF-8 CSV',
    );
  });
});
