/**
 * How datapackage.json profiles each file, and the licence and sources of each resource
 * (buildDatapackage in src/lib/publish/datapackage.ts assembles the descriptor from these).
 *
 * One `data-package` of the files for programs: every CSV is a `tabular-data-resource` (schema,
 * dialect, keys), every other file — JSON twins, README, provenance — a plain `data-resource`. A
 * `tabular-data-package` would require every resource to be a CSV table, which the JSON and metadata
 * files are not (the reference library rejects them: "No enum match for: data-resource"). The .xlsx
 * workbooks for people are not in the package (inPackage says why).
 */

export const PACKAGE_PROFILE = 'data-package';
export const TABLE_PROFILE = 'tabular-data-resource';
export const FILE_PROFILE = 'data-resource';

/** The dialect src/lib/publish/csv.ts writes: RFC 4180, CRLF, header row; UTF-8 without BOM. */
export const CSV_DIALECT = { delimiter: ',', lineTerminator: '\r\n', quoteChar: '"', doubleQuote: true, header: true } as const;

/**
 * The repository's licence (package.json "license"; tests/publish/readers.integration.test.ts checks they agree):
 * the targets registry transcribed in data/targets/ and the metadata files are the project's own work.
 */
export const PROJECT_LICENSE = 'MIT';

export interface LicenseEntry {
  name?: string;
  title: string;
  path?: string;
}

export interface SourceEntry {
  title: string;
  path?: string;
}

/** SPDX-looking licence ids become `name`; free text stays a `title` only. */
export function licenseEntry(license: string): LicenseEntry {
  const trimmed = license.trim();
  const spdx = /^[A-Za-z0-9][A-Za-z0-9.+-]*$/.test(trimmed);
  const cc = /^CC-(BY|BY-SA|BY-NC|BY-ND|BY-NC-SA|BY-NC-ND)-(\d\.\d)$/i.exec(trimmed);
  return {
    ...(spdx ? { name: trimmed } : {}),
    title: trimmed,
    ...(cc ? { path: `https://creativecommons.org/licenses/${cc[1].toLowerCase()}/${cc[2]}/` } : {}),
  };
}

/** What a table is made from: NBS divisions, the loaded dataset, the targets registry, or the policy documents themselves. */
export type SourceKey = 'divisions' | 'dataset' | 'registry' | 'documents' | 'published';

interface Rights {
  sources: readonly SourceKey[];
  /** `dataset`: the licence in dataset.json; `project`: PROJECT_LICENSE. */
  license: 'dataset' | 'project';
}

/** Every table of TABLES (datapackage.ts) by resource name; a table missing here fails the build. */
export const TABLE_RIGHTS: Readonly<Record<string, Rights>> = {
  areas: { sources: ['divisions', 'dataset', 'registry'], license: 'dataset' },
  communities: { sources: ['divisions', 'dataset', 'registry'], license: 'dataset' },
  townships: { sources: ['divisions', 'dataset'], license: 'dataset' },
  organizations_by_category: { sources: ['divisions', 'dataset'], license: 'dataset' },
  progress: { sources: ['divisions', 'dataset', 'registry'], license: 'dataset' },
  timeseries: { sources: ['divisions', 'dataset'], license: 'dataset' },
  new_by_year: { sources: ['divisions', 'dataset'], license: 'dataset' },
  targets: { sources: ['documents'], license: 'project' },
  observations: { sources: ['dataset'], license: 'dataset' },
  rejected: { sources: ['dataset'], license: 'dataset' },
  warnings: { sources: ['dataset'], license: 'dataset' },
  skipped: { sources: ['dataset'], license: 'dataset' },
  // Each row names its own source (source_title, source_url); the file is the project's transcription.
  published: { sources: ['published'], license: 'project' },
  reconciliation: { sources: ['dataset'], license: 'dataset' },
};

/** Non-tabular files with sources of their own; every other metadata file is the project's, without sources. */
const FILE_RIGHTS: Readonly<Record<string, Rights>> = {
  'targets.json': { sources: ['documents'], license: 'project' },
};
const METADATA_RIGHTS: Rights = { sources: [], license: 'project' };

export interface RightsInput {
  meta: { title: string; publisher: string; license: string; as_of: string; sample: boolean; source_url?: string };
  registryVersion: string;
  divisions: { package: string; version: string; dataset: string; license: string | null };
  documents: { title: string; issuer: string; number: string | null; date: string; url: string | null }[];
}

/** The package's sources, by what they are (the package lists them all; each resource names its own). */
export function sourceEntries(input: RightsInput): Record<SourceKey, SourceEntry[]> {
  const { meta, divisions } = input;
  return {
    divisions: [
      {
        title: `${divisions.dataset}（npm ${divisions.package}@${divisions.version}${divisions.license ? `，${divisions.license}` : ''}）`,
        path: `https://www.npmjs.com/package/${divisions.package}/v/${divisions.version}`,
      },
    ],
    dataset: [
      {
        title: `${meta.title}（${meta.publisher}，截至 ${meta.as_of}${meta.sample ? '，示例数据' : ''}）`,
        ...(meta.source_url && /^https?:\/\//.test(meta.source_url) ? { path: meta.source_url } : {}),
      },
    ],
    registry: [{ title: `目标登记表 ${input.registryVersion}（政策文件见 targets.csv） / Targets registry ${input.registryVersion} (documents in targets.csv)`, path: 'targets.json' }],
    published: [{ title: '公开发布的数字，逐条注明来源（data/published/figures.csv） / Published figures, each with its source (data/published/figures.csv)', path: 'published.csv' }],
    documents: input.documents.map((d) => ({
      title: `${d.issuer}：${d.title}${d.number ? `（${d.number}）` : ''}，${d.date}`,
      ...(d.url ? { path: d.url } : {}),
    })),
  };
}

function rightsEntry(rights: Rights, input: RightsInput, sources: Record<SourceKey, SourceEntry[]>) {
  const license = rights.license === 'dataset' ? input.meta.license : PROJECT_LICENSE;
  return { licenses: [licenseEntry(license)], sources: rights.sources.flatMap((k) => sources[k]) };
}

/** `licenses` and `sources` of a table's resources (its CSV, JSON twin, workbook and per-area files). */
export function tableRights(tableName: string, input: RightsInput, sources = sourceEntries(input)) {
  const rights = TABLE_RIGHTS[tableName];
  if (!rights) throw new Error(`datapackage: table ${tableName} has no licence and sources in src/lib/publish/package-profile.ts (TABLE_RIGHTS)`);
  return rightsEntry(rights, input, sources);
}

/** `licenses` and `sources` of a non-tabular file; metadata files carry the project licence and no sources. */
export function fileRights(path: string, input: RightsInput, sources = sourceEntries(input)) {
  const { licenses, sources: list } = rightsEntry(FILE_RIGHTS[path] ?? METADATA_RIGHTS, input, sources);
  return list.length ? { licenses, sources: list } : { licenses };
}

/** A table's workbook for Excel/WPS sits beside its CSV: areas.csv → areas.xlsx, areas/511102.csv → areas/511102.xlsx, new_by_year.csv.gz → new_by_year.xlsx. */
export const workbookPath = (csvPath: string) => csvPath.replace(/\.csv(\.gz)?$/, '.xlsx');

/**
 * Whether a download is described in datapackage.json: the files for programs are; the .xlsx workbooks
 * (files for people, src/lib/publish/xlsx.ts) are not — a reader validating every resource would need an
 * Excel plugin (frictionless-py) or would guess them tabular from the extension and fail (datapackage-js,
 * non-strict). README.md lists them with their SHA-256.
 */
export const inPackage = (path: string) => !path.endsWith('.xlsx');
