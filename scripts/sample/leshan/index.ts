import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { loadDivisions, type Divisions } from '../../../src/lib/ingest/divisions';
import { csvText, encodeText, xlsxBytes } from '../writers';
import { buildSampleModel } from './build';
import { defectLocations } from './defects';
import { DATASET_META, FIXED_TIME, SAMPLE_AS_OF, SAMPLE_OBSERVATIONS } from './facts';
import { rowCells } from './files';
import { readme } from './readme';
import type { DefectLocation, SampleFile, SampleModel } from './types';

/** The Leshan sample dataset (data/sample/): the model, written as files. CLI: scripts/generate-sample.ts. */

export { buildSampleModel } from './build';
export { defectLocations, HOMOPHONES } from './defects';
export * from './facts';
export { rowCells } from './files';
export { countySummaries, density, type CountySummary } from './readme';
export type * from './types';

function observationsCsv(): string {
  const rows = SAMPLE_OBSERVATIONS.map(([area, metric, value]) => [area, metric, String(value), SAMPLE_AS_OF, '示例数据（虚构）/ sample, fictitious', '', '示例']);
  return Papa.unparse({ fields: ['area_code', 'metric', 'value', 'as_of', 'source_title', 'source_url', 'note'], data: rows }, { newline: '\n' }) + '\n';
}

function fileBytes(file: SampleFile, cells: string[][]): Promise<Buffer> | Buffer {
  if (file.format === 'xlsx') {
    return xlsxBytes(file.columns, cells, {
      where: file.path,
      fixedTime: FIXED_TIME,
      sheet: '社区社会组织',
      creator: 'CSO Monitor sample generator',
      dateFields: ['established_on', 'dissolved_on'],
      wideFields: { name: 36, credit_code: 22 },
    });
  }
  const text = csvText(file.columns.map(([, h]) => h), cells, file.format === 'csv-utf8' ? '\n' : '\r\n');
  return encodeText(text, file.format === 'csv-gbk' ? 'gbk' : file.format === 'csv-utf8-bom' ? 'utf8-bom' : 'utf8', file.path);
}

export interface WrittenSample {
  model: SampleModel;
  /** rows the reader must reject */
  defects: DefectLocation[];
  /** ledger-word rows the reader must count */
  understood: DefectLocation[];
  files: string[]; // relative paths, sorted
}

/** Builds the sample and writes the whole folder (replacing organizations/ and observations/). */
export async function writeSample(outDir: string, divisions?: Divisions): Promise<WrittenSample> {
  const div = divisions ?? (await loadDivisions({ prefixes: ['5111'] }));
  const model = buildSampleModel(div);
  const planted = defectLocations(div, model);
  const out: Record<string, Buffer | string> = {
    'dataset.json': JSON.stringify(DATASET_META, null, 2) + '\n',
    'observations/sample-observations.csv': observationsCsv(),
  };
  for (const file of model.files) out[file.path] = await fileBytes(file, rowCells(div, file));
  out['README.md'] = readme(div, model, planted);

  for (const sub of ['organizations', 'observations']) rmSync(path.join(outDir, sub), { recursive: true, force: true });
  for (const [rel, content] of Object.entries(out)) {
    const target = path.join(outDir, rel);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  return {
    model,
    defects: planted.filter((d) => d.kind === 'rejected'),
    understood: planted.filter((d) => d.kind === 'understood'),
    files: Object.keys(out).sort(),
  };
}
