import { t, type Lang } from '../../../i18n/strings';
import { SITE_ORIGIN, absoluteUrl, withBase } from '../../../i18n/paths';
import { buildCitation } from '../../publish/citation';
import type { DownloadEntry } from '../../publish/outputs';
import { workbookPath } from '../../publish/package-profile';
import type { SiteData } from '../data';
import { formatInt, punct } from '../format';

/**
 * /data/: every download with its size, row count, columns and description, the provenance of the
 * build and how to cite. It only shows build/site/downloads.json and provenance.json (measured by
 * the pipeline) — nothing here is computed from the files.
 */
export function dataPageView(data: SiteData, lang: Lang) {
  const index = data.downloads();
  const prov = data.provenance();
  const meta = data.meta();
  const citation = buildCitation({
    title: meta.dataset.title, title_en: meta.dataset.title_en, publisher: meta.dataset.publisher, as_of: meta.dataset.as_of,
    sample: meta.dataset.sample, softwareVersion: meta.software_version, registryVersion: meta.registry_version,
    url: SITE_ORIGIN ? absoluteUrl('/data/') : null, // as CITATION.txt: scripts/build-data.ts reads the same SITE_URL
  });
  const href = (file: string) => withBase(`/data/${file}`); // downloads: the same files for both languages
  const p = punct(lang);
  // null: the file carries the build time (provenance.json, the zip), so no size is listed for it.
  const size = (bytes: number | null) =>
    bytes === null ? t(lang, 'data.varies_per_build') : bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(2)} MB`;
  const pick = (e: DownloadEntry) => (lang === 'en' ? { title: e.title_en, description: e.description_en } : { title: e.title_zh, description: e.description_zh });

  const main = index.filter((e) => e.group !== 'area');
  const areaNames = new Map(data.areas().map((a) => [a.code, lang === 'en' && a.name_en ? a.name_en : a.name]));
  const perArea = index.filter((e) => e.group === 'area' && e.path.endsWith('.csv'));
  const codeOf = (path: string) => path.replace(/^areas\//, '').replace(/\.csv$/, '');
  const hashed = (files: { path: string; bytes: number; sha256: string }[]) =>
    files.map((f) => ({ file: f.path, bytes: { text: formatInt(f.bytes, lang), sort: f.bytes }, sha: f.sha256 }));
  const hashColumns = [
    { key: 'file', label: t(lang, 'data.col_file') },
    { key: 'bytes', label: t(lang, 'data.prov_bytes'), numeric: true },
    { key: 'sha', label: t(lang, 'data.col_sha256') },
  ];
  // Which reader a file is for: workbooks for people (Excel/WPS), tables and their JSON twins for programs.
  const forWhom = (e: DownloadEntry) =>
    e.group === 'workbook' ? t(lang, 'use.for_people') : e.group === 'table' || e.group === 'json' || e.group === 'parquet' ? t(lang, 'use.for_programs') : null;
  const workbookOf = (csvPath: string) => (index.some((e) => e.path === workbookPath(csvPath)) ? workbookPath(csvPath) : null);
  return { prov, meta, citation, href, p, size, pick, main, areaNames, perArea, codeOf, hashed, hashColumns, forWhom, workbookOf };
}
