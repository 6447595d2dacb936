import { t, type Lang } from '../../../i18n/strings';
import { withBase } from '../../../i18n/paths';
import { NATIONAL_CODE, NATIONAL_NAME, provinceOf } from '../../core/area-codes';
import { AREA_FILE, TABLES, partPath } from '../../publish/datapackage';
import { workbookPath } from '../../publish/package-profile';
import { useDataSnippets, type SnippetArea, type Snippets } from '../../publish/snippets';
import type { SiteData } from '../data';

export interface UseDataBlock {
  id: 'excel' | 'pandas' | 'r' | 'duckdb';
  label: string;
  /** Code to copy (pandas, R, DuckDB), or null for the Excel/WPS steps. */
  code: string | null;
  steps: string[];
  language: string | null;
}

const COMMUNITIES_TABLE = TABLES.find((t) => t.name === 'communities')!;

/** A download's file name as a link shows it: areas/511100.csv → 511100.csv. */
const fileName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/**
 * The area whose per-area files (areas/{code}.csv, .xlsx) hold this area's row: the area itself when the
 * build published them (an area with children, or the root), else its parent (src/lib/publish/outputs.ts).
 */
function areaFileHolder(data: SiteData, code: string, published: ReadonlySet<string>): { code: string; name: string } {
  const name = code === NATIONAL_CODE ? NATIONAL_NAME : data.area(code)?.name;
  if (published.has(AREA_FILE.areas(code))) return { code, name: name! };
  const parent = code === NATIONAL_CODE ? undefined : data.area(code)?.parent_code;
  const parentArea = parent ? (parent === NATIONAL_CODE ? { name: NATIONAL_NAME } : data.area(parent)) : undefined;
  if (!parent || !parentArea || !published.has(AREA_FILE.areas(parent))) throw new Error(`areaFileHolder: neither ${code} nor its parent has a published areas/{code}.csv`);
  return { code: parent, name: parentArea.name };
}

/**
 * The published part of the communities table (split by province) that holds an area's communities, and the code
 * prefix of its counties there: 2 digits for a province, 4 for a prefecture, all 6 for a county. None for 全国.
 */
function communityPart(code: string, level: string | undefined, published: ReadonlySet<string>): SnippetArea['communities'] {
  if (code === NATIONAL_CODE || !level) return null;
  const path = partPath(COMMUNITIES_TABLE, provinceOf(code));
  if (!published.has(path)) return null;
  return { path, countyPrefix: code.slice(0, level === 'province' ? 2 : level === 'prefecture' ? 4 : 6) };
}

/**
 * "Use this data" for one area (the data page shows the site's root area): which file to open with
 * what, and the snippet texts of src/lib/publish/snippets.ts. The pages only render this.
 * `base`: absolute URL of /data/ once the site has one (then the code reads from it); null until then.
 */
export function useDataView(data: SiteData, lang: Lang, code: string, base: string | null = null) {
  const meta = data.meta();
  const area = code === NATIONAL_CODE ? null : data.area(code);
  if (code !== NATIONAL_CODE && !area) throw new Error(`useDataView: area ${code} is not in areas.json`);
  const published = new Set(data.downloads().map((e) => e.path));
  const target: SnippetArea = {
    code,
    name: area?.name ?? NATIONAL_NAME,
    level: area?.level ?? 'national',
    communities: communityPart(code, area?.level, published),
    fileOf: areaFileHolder(data, code, published),
  };
  const snippets: Snippets = useDataSnippets(target, { base, asOf: meta.dataset.as_of, sample: meta.dataset.sample, lang: lang === 'en' ? 'en' : 'zh' });
  for (const path of [...snippets.csv, snippets.workbook]) {
    if (!published.has(path)) throw new Error(`useDataView: the snippets for ${code} read ${path}, which the build did not publish`);
  }
  const href = (path: string) => withBase(`/data/${path}`);
  // The briefing's download chips: the per-area workbook and CSV that hold the area's row, named for what they hold.
  const holder = target.fileOf!;
  const own = holder.code === code;
  const holderName = lang === 'en' ? (holder.code === NATIONAL_CODE ? 'China' : data.area(holder.code)?.name_en ?? holder.name) : holder.name;
  const areaCsv = AREA_FILE.areas(holder.code);
  const areaFiles = {
    workbook: { href: href(workbookPath(areaCsv)), label: own ? t(lang, 'area.download_xlsx') : t(lang, 'area.download_xlsx_parent', { name: holderName }) },
    csv: { href: href(areaCsv), label: own ? t(lang, 'area.download_csv') : t(lang, 'area.download_csv_parent', { name: holderName }) },
  };
  const blocks: UseDataBlock[] = [
    { id: 'excel', label: t(lang, 'use.excel'), code: null, steps: snippets.excel[lang === 'en' ? 'en' : 'zh'], language: null },
    { id: 'pandas', label: 'Python (pandas)', code: snippets.pandas, steps: [], language: 'python' },
    { id: 'r', label: 'R (readr)', code: snippets.r, steps: [], language: 'r' },
    { id: 'duckdb', label: 'DuckDB (SQL)', code: snippets.duckdb, steps: [], language: 'sql' },
  ];
  return {
    name: target.name,
    workbook: { path: snippets.workbook, name: fileName(snippets.workbook), href: href(snippets.workbook) },
    csv: snippets.csv.map((path) => ({ path, name: fileName(path), href: href(path) })),
    areaFiles,
    blocks,
  };
}
