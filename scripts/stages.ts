/**
 * What each stage leaves under build/stages/ so the next one can run alone (`npm run data:model` after
 * `data:read`, `data:publish` after `data:model`), and a person can inspect it:
 *
 *   build/stages/read/stage.json         data folder, dataset.json as read, prefixes loaded, notes, input files
 *   build/stages/read/reconciliation.json, rejections.json, observations.json
 *   build/stages/read/organizations.json the accepted organizations' dictionaries (unit, township, county
 *                                        codes, files) and the layout of organizations.bin
 *   build/stages/read/organizations.bin  their integer-coded columns (little-endian typed arrays, one after
 *                                        the other; see OrgColumns in src/lib/core/types.ts)
 *   build/stages/model.json              what publish needs beyond build/site: covered counties, the
 *                                        category × registration cube per area
 * `npm run data` runs the stages in one process and hands these over in memory instead.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DatasetReadOutput } from '../src/lib/ingest';
import type { AggregateOutput } from '../src/lib/model/aggregate';
import type { AreaAggregate, CommunityAggregate, DatasetMeta, OrgColumns, TownshipAggregate } from '../src/lib/core/types';
import { COMMUNITY_INDEX_FILE, openCommunityStore } from '../src/lib/core/community-store';

export const STAGES_DIR = path.resolve(process.env.STAGES_DIR ?? 'build/stages');
const readDir = (dir: string) => path.join(dir, 'read');

const COLUMN_TYPES = {
  unit: Int32Array, township: Int32Array, county: Int32Array, category: Uint8Array, registration: Uint8Array,
  established: Int32Array, dissolved: Int32Array, file: Uint16Array, line: Int32Array,
} as const;
type ColumnName = keyof typeof COLUMN_TYPES;

const json = (value: unknown) => JSON.stringify(value, null, 2) + '\n';

export interface SavedRead {
  dataDir: string;
  meta: DatasetMeta;
  prefixes: string[] | null;
}

export function saveReadStage(read: DatasetReadOutput, extra: { dataDir: string; prefixes: string[] | null }, dir = STAGES_DIR): void {
  const out = readDir(dir);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const c = read.columns;
  writeFileSync(path.join(out, 'stage.json'), json({ dataDir: extra.dataDir, meta: read.meta, prefixes: extra.prefixes, notes: read.notes, inputFiles: read.inputFiles }));
  writeFileSync(path.join(out, 'reconciliation.json'), json(read.reconciliation));
  writeFileSync(path.join(out, 'rejections.json'), json(read.rejections));
  writeFileSync(path.join(out, 'observations.json'), json(read.observations));
  writeFileSync(path.join(out, 'warnings.json'), json(read.warnings));
  writeFileSync(path.join(out, 'skipped.json'), json(read.skipped));
  const layout: { name: ColumnName; type: string; offset: number; bytes: number }[] = [];
  const buffers: Buffer[] = [];
  let offset = 0;
  for (const name of Object.keys(COLUMN_TYPES) as ColumnName[]) {
    const array = c[name];
    // Each column starts on an 8-byte boundary so it can be mapped as a typed array in place.
    const pad = (8 - (offset % 8)) % 8;
    if (pad) buffers.push(Buffer.alloc(pad));
    offset += pad;
    layout.push({ name, type: array.constructor.name, offset, bytes: array.byteLength });
    buffers.push(Buffer.from(array.buffer, array.byteOffset, array.byteLength));
    offset += array.byteLength;
  }
  writeFileSync(path.join(out, 'organizations.bin'), Buffer.concat(buffers));
  writeFileSync(
    path.join(out, 'organizations.json'),
    json({ length: c.length, byte_order: 'little-endian', date_encoding: 'yyyymmdd integer, 0 = none', null_index: -1, columns: layout, units: c.units, townships: c.townships, counties: c.counties, files: c.files }),
  );
}

const readJson = <T>(file: string): T => {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (error) {
    throw new Error(`${file}: cannot read the stage output (${(error as Error).message}); run the earlier stage first (npm run data:read / data:model).`);
  }
};

export function loadReadStage(dir = STAGES_DIR): SavedRead & { read: DatasetReadOutput } {
  const at = (name: string) => path.join(readDir(dir), name);
  const stage = readJson<SavedRead & { notes: DatasetReadOutput['notes']; inputFiles: string[] }>(at('stage.json'));
  const header = readJson<{ length: number; columns: { name: ColumnName; offset: number; bytes: number }[]; units: string[]; townships: string[]; counties: string[]; files: string[] }>(at('organizations.json'));
  const bin = readFileSync(at('organizations.bin'));
  const columns = { length: header.length, units: header.units, townships: header.townships, counties: header.counties, files: header.files } as OrgColumns;
  for (const col of header.columns) {
    const Type = COLUMN_TYPES[col.name];
    const copy = new Uint8Array(col.bytes);
    copy.set(bin.subarray(col.offset, col.offset + col.bytes));
    (columns as unknown as Record<string, unknown>)[col.name] = new Type(copy.buffer, 0, col.bytes / Type.BYTES_PER_ELEMENT);
  }
  const read: DatasetReadOutput = {
    dir: stage.dataDir,
    meta: stage.meta,
    orgs: [],
    columns,
    observations: readJson(at('observations.json')),
    rejections: readJson(at('rejections.json')),
    reconciliation: readJson(at('reconciliation.json')),
    warnings: readJson(at('warnings.json')),
    skipped: readJson(at('skipped.json')),
    inputFiles: stage.inputFiles,
    notes: stage.notes,
  };
  return { dataDir: stage.dataDir, meta: stage.meta, prefixes: stage.prefixes, read };
}

export function saveModelStage(agg: AggregateOutput, dir = STAGES_DIR): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'model.json'), json({ dataCounties: agg.dataCounties, categoryRegistration: Object.fromEntries(agg.categoryRegistration) }));
}

/** The aggregation back from build/site (areas, townships, communities/) and build/stages/model.json. */
export function loadModelStage(siteDir: string, dir = STAGES_DIR): AggregateOutput {
  const saved = readJson<{ dataCounties: string[]; categoryRegistration: Record<string, number[]> }>(path.join(dir, 'model.json'));
  const communities: CommunityAggregate[] = [];
  const store = openCommunityStore(siteDir);
  if (!store) throw new Error(`${siteDir}/${COMMUNITY_INDEX_FILE} is missing: run npm run data:model again`);
  for (const county of saved.dataCounties) {
    const list = store.read(county);
    if (!list) throw new Error(`${siteDir}/${COMMUNITY_INDEX_FILE} lists no communities for county ${county}: run npm run data:model again`);
    for (const c of list) communities.push(c);
  }
  store.close();
  return {
    areas: readJson<AreaAggregate[]>(path.join(siteDir, 'areas.json')),
    townships: readJson<TownshipAggregate[]>(path.join(siteDir, 'townships.json')),
    communities,
    dataCounties: saved.dataCounties,
    categoryRegistration: new Map(Object.entries(saved.categoryRegistration)),
  };
}
