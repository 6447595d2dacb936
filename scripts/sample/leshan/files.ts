import type { Divisions } from '../../../src/lib/ingest/divisions';
import { isoParts } from '../dates';
import { communityShortName } from '../names';
import { Rng } from '../random';
import { COUNTY_SHORT, SAMPLE_SEED } from './facts';
import type { Column, FileFormat, SampleFile, SampleRow } from './types';

/** The Leshan sample's four organization files (one per input encoding) and the cell text of each row. */

const EN_COLUMNS = [
  ['name', 'name'],
  ['community_code', 'community_code'],
  ['county', 'county'],
  ['township', 'township'],
  ['category', 'category'],
  ['registration', 'registration'],
  ['credit_code', 'credit_code'],
  ['established_on', 'established_on'],
  ['dissolved_on', 'dissolved_on'],
] as const;

const GBK_COLUMNS = [
  ['name', '组织名称'],
  ['county', '区县'],
  ['township', '乡镇街道'],
  ['community', '社区'],
  ['category', '类别'],
  ['registration', '登记方式'],
  ['credit_code', '统一社会信用代码'],
  ['established_on', '成立日期'],
  ['dissolved_on', '注销日期'],
] as const;

const CODE_AND_NAME_COLUMNS = [
  ['name', '组织名称'],
  ['county', '区县'],
  ['township', '乡镇街道'],
  ['community', '社区'],
  ['community_code', '社区代码'],
  ['category', '类别'],
  ['registration', '登记方式'],
  ['credit_code', '统一社会信用代码'],
  ['established_on', '成立日期'],
  ['dissolved_on', '注销日期'],
] as const;

export const FILE_PLAN: Omit<SampleFile, 'rows'>[] = [
  {
    path: 'organizations/01-districts-utf8.csv',
    format: 'csv-utf8',
    counties: ['511102', '511111', '511112', '511113', '511123', '511124', '511129'],
    columns: EN_COLUMNS,
  },
  { path: 'organizations/02-ebian-mabian-gbk.csv', format: 'csv-gbk', counties: ['511132', '511133'], columns: GBK_COLUMNS },
  { path: 'organizations/03-jiajiang-utf8-bom.csv', format: 'csv-utf8-bom', counties: ['511126'], columns: CODE_AND_NAME_COLUMNS },
  { path: 'organizations/04-emeishan.xlsx', format: 'xlsx', counties: ['511181'], columns: CODE_AND_NAME_COLUMNS },
];

function formatDate(iso: string | null, format: FileFormat, rng: Rng): string {
  if (!iso) return '';
  if (format !== 'csv-utf8-bom') return iso;
  // Hand-kept ledgers mix formats; parts are formatted without validation so defects survive.
  const [y, m, d] = isoParts(iso);
  const style = rng.int(3);
  return style === 0 ? iso : style === 1 ? `${y}/${m}/${d}` : `${y}年${m}月${d}日`;
}

/** Cell text for a row, before any defect override. */
function derivedCells(divisions: Divisions, file: SampleFile, row: SampleRow, rng: Rng): Record<Column, string> {
  const o = row.org;
  const county = divisions.areas.get(o.countyCode)!.name;
  return {
    name: o.name,
    county: file.format === 'csv-gbk' ? (COUNTY_SHORT[o.countyCode] ?? county) : county,
    township: divisions.townships.get(o.townshipCode)!.name,
    community: o.communityCode ? communityShortName(divisions.units.get(o.communityCode)!.name) : '',
    community_code: o.communityCode ?? '',
    category: o.category,
    registration: o.registration,
    credit_code: o.creditCode ?? '',
    established_on: formatDate(o.establishedOn, file.format, rng),
    dissolved_on: formatDate(o.dissolvedOn, file.format, rng),
  };
}

export function rowCells(divisions: Divisions, file: SampleFile, seed = SAMPLE_SEED): string[][] {
  const rng = new Rng(seed ^ 0x9e3779b9);
  return file.rows.map((row) => {
    const cells = { ...derivedCells(divisions, file, row, rng), ...row.override };
    return file.columns.map(([field]) => cells[field]);
  });
}
