/**
 * "Use this data": copy-pasteable pandas, R (readr), DuckDB SQL and Excel/WPS steps for one area,
 * written once here and shown on the data page (src/lib/site/views/use-data.ts); a briefing links there.
 * tests/publish/snippets.integration.test.ts runs the DuckDB text itself (and pandas and R where installed)
 * against the files the pipeline wrote.
 *
 * Files are named as a browser saves them (areas.csv, 510000.csv.gz for communities/510000.csv.gz) unless a base URL of
 * /data/ is given, in which case the code reads them from the site directly.
 */
import { NATIONAL_CODE } from '../core/area-codes';
import { AREA_FILE } from './datapackage';
import { workbookPath } from './package-profile';

export interface SnippetArea {
  code: string;
  name: string;
  level: 'national' | 'province' | 'prefecture' | 'county';
  /**
   * The part of the communities table that holds the area's communities (communities/510000.csv.gz: the table is split by
   * province) and the code prefix of the area's counties in it ('5111' for 乐山市); null for 全国 (every part) or an
   * area whose province has no published part.
   */
  communities: { path: string; countyPrefix: string } | null;
  /**
   * The area whose per-area files hold this area's row: the area itself when it has children, else its
   * parent with its name (a county's row is in its prefecture's areas/{code}.csv; src/lib/publish/outputs.ts).
   */
  fileOf?: { code: string; name: string };
}

export interface SnippetOptions {
  /** Absolute URL of /data/ (ending in "/") once the site has one; null: files downloaded to the working folder. */
  base: string | null;
  asOf: string;
  sample: boolean;
  /** Language of the comments in the code (the code itself is the same). */
  lang: 'zh' | 'en';
}

export interface Snippets {
  /** Files the snippets read, as paths under /data/ (CSV for programs) and the workbook for people. */
  csv: string[];
  workbook: string;
  pandas: string;
  r: string;
  duckdb: string;
  excel: { zh: string[]; en: string[] };
}

/** The columns a reader wants first: density against target, and the gap. */
export const AREA_SNIPPET_COLUMNS = [
  'code', 'name', 'urban_per_unit', 'urban_target', 'urban_gap', 'rural_per_unit', 'rural_target', 'rural_gap', 'status',
] as const;
export const COMMUNITY_SNIPPET_COLUMNS = ['code', 'name', 'kind', 'orgs', 'target', 'gap'] as const;

const AREA_CODES = ['code', 'parent_code'] as const;
const COMMUNITY_CODES = ['code', 'township_code', 'county_code'] as const;

const basename = (path: string) => path.slice(path.lastIndexOf('/') + 1);

export function useDataSnippets(area: SnippetArea, options: SnippetOptions): Snippets {
  if (!/^\d{6}$/.test(area.code)) throw new Error(`snippets: ${area.code} is not a 6-digit area code`);
  const national = area.code === NATIONAL_CODE;
  const areasCsv = 'areas.csv';
  const communitiesCsv = area.communities?.path ?? null;
  const prefix = area.communities?.countyPrefix ?? '';
  const csv = [areasCsv, ...(communitiesCsv ? [communitiesCsv] : [])];
  const holder = area.fileOf ?? { code: area.code, name: area.name };
  const inParent = holder.code !== area.code;
  const workbook = national ? workbookPath(areasCsv) : workbookPath(AREA_FILE.areas(holder.code));
  const file = (path: string) => (options.base ? `${options.base}${path}` : basename(path));
  const zh = options.lang === 'zh';
  const note = zh
    ? `${options.sample ? '示例数据，非官方统计；' : ''}数据截至 ${options.asOf}`
    : `${options.sample ? 'SAMPLE DATA, not official statistics; ' : ''}as of ${options.asOf}`;
  const listed = csv.map((p) => `/data/${p}`).join(', ');
  const fetchNote = options.base ? null : zh ? `先下载到当前文件夹：${listed}` : `Download to the working folder first: ${listed}`;
  const shortNote = zh ? '未达到目标的社区（村）' : 'Communities short of their target';
  // Which rows of areas.csv: the area and its children, or every province for 全国.
  const where = national
    ? { py: `areas["level"] == "province"`, r: `areas$level == "province"`, sql: `level = 'province'` }
    : {
        py: `(areas["code"] == "${area.code}") | (areas["parent_code"] == "${area.code}")`,
        r: `areas$code == "${area.code}" | (!is.na(areas$parent_code) & areas$parent_code == "${area.code}")`,
        sql: `code = '${area.code}' OR parent_code = '${area.code}'`,
      };
  const pyList = (xs: readonly string[]) => `[${xs.map((x) => `"${x}"`).join(', ')}]`;
  const rList = (xs: readonly string[]) => `c(${xs.map((x) => `"${x}"`).join(', ')})`;
  const pyTypes = (xs: readonly string[]) => `{${xs.map((x) => `"${x}": str`).join(', ')}}`;
  const rTypes = (xs: readonly string[]) => `cols(${xs.map((x) => `${x} = col_character()`).join(', ')})`;
  const sqlTypes = (xs: readonly string[]) => `{${xs.map((x) => `'${x}': 'VARCHAR'`).join(', ')}}`;
  const comment = (mark: string) => [note, ...(fetchNote ? [fetchNote] : [])].map((line) => `${mark} ${line}`);

  const pandas = [
    'import pandas as pd',
    '',
    ...comment('#'),
    `areas = pd.read_csv("${file(areasCsv)}", dtype=${pyTypes(AREA_CODES)})`,
    `columns = ${pyList(AREA_SNIPPET_COLUMNS)}`,
    `rows = areas[${where.py}].sort_values("code")`,
    `print(rows[columns].to_string(index=False))`,
    ...(communitiesCsv
      ? [
          '',
          `# ${shortNote}`,
          `communities = pd.read_csv("${file(communitiesCsv)}", dtype=${pyTypes(COMMUNITY_CODES)})`,
          `mine = communities[communities["county_code"].str.startswith("${prefix}") & (communities["gap"] > 0)]`,
          `short = mine.sort_values(["gap", "code"], ascending=[False, True])`,
          `print(short[${pyList(COMMUNITY_SNIPPET_COLUMNS)}].to_string(index=False))`,
        ]
      : []),
  ].join('\n');

  const r = [
    'library(readr)',
    '',
    ...comment('#'),
    `areas <- read_csv("${file(areasCsv)}", col_types = ${rTypes(AREA_CODES)})`,
    `columns <- ${rList(AREA_SNIPPET_COLUMNS)}`,
    `rows <- areas[${where.r}, ]`,
    `rows <- rows[order(rows$code), ]`,
    `print(as.data.frame(rows[, columns]))`,
    ...(communitiesCsv
      ? [
          '',
          `# ${shortNote}`,
          `communities <- read_csv("${file(communitiesCsv)}",`,
          `  col_types = ${rTypes(COMMUNITY_CODES)})`,
          `short <- communities[startsWith(communities$county_code, "${prefix}") & !is.na(communities$gap) & communities$gap > 0, ]`,
          `short <- short[order(-short$gap, short$code), ]`,
          `print(as.data.frame(short[, ${rList(COMMUNITY_SNIPPET_COLUMNS)}]))`,
        ]
      : []),
  ].join('\n');

  const duckdb = [
    ...comment('--'),
    `SELECT ${AREA_SNIPPET_COLUMNS.join(', ')}`,
    `FROM read_csv('${file(areasCsv)}', types = ${sqlTypes(AREA_CODES)})`,
    `WHERE ${where.sql}`,
    'ORDER BY code;',
    ...(communitiesCsv
      ? [
          '',
          `-- ${shortNote}`,
          `SELECT ${COMMUNITY_SNIPPET_COLUMNS.join(', ')}`,
          `FROM read_csv('${file(communitiesCsv)}', types = ${sqlTypes(COMMUNITY_CODES)})`,
          `WHERE starts_with(county_code, '${prefix}') AND gap > 0`,
          'ORDER BY gap DESC, code;',
        ]
      : []),
  ].join('\n');

  const book = basename(workbook);
  const excel = {
    zh: [
      `下载 ${book}（Excel/WPS 工作簿）。`,
      `双击用 Excel 或 WPS 打开：第一张表是${national ? '全部地区，用“层级”列的筛选按钮选 province 即为各省' : inParent ? `${holder.name}及其下辖地区，${area.name}是其中一行（代码 ${area.code}）` : `${area.name}${area.level === 'county' ? '' : '及其下辖地区'}`}，表头已冻结，每列都可筛选、排序。`,
      '“说明”表列出每列的含义和单位，“来源”表列出数据集、许可、截至日期和来源。',
      '不要用 Excel 直接打开 .csv：CSV 是给程序读的（UTF-8 无 BOM），Excel 可能显示乱码，并把 12 位社区代码变成科学计数法。',
    ],
    en: [
      `Download ${book} (Excel/WPS workbook).`,
      `Double-click to open it in Excel or WPS: the first sheet holds ${national ? 'every area; filter the level column on province for the provinces' : inParent ? `${holder.name} and the areas under it, ${area.name} among them (code ${area.code})` : `${area.name}${area.level === 'county' ? '' : ' and the areas under it'}`}, with the header frozen and a filter on every column.`,
      'Column titles are in Chinese: the Definitions sheet gives each one’s field name, English title, meaning and unit; the Sources sheet gives the dataset, licence, as-of date and sources.',
      'Do not open the .csv files in Excel: they are for programs (UTF-8 without BOM); Excel may garble the Chinese and turn 12-digit community codes into scientific notation.',
    ],
  };
  return { csv, workbook, pandas, r, duckdb, excel };
}
