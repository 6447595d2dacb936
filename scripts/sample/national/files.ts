import { isoParts } from '../dates';
import type { Rng } from '../random';
import type { CsvEncoding } from '../writers';
import { NAMES_ONLY_SHARE, type FileStyle } from './facts';
import type { NationalOrg } from './organizations';

/** Columns of each file style and the cell text of one organization row. */

export type Field =
  | 'name'
  | 'community_code'
  | 'county'
  | 'township'
  | 'community'
  | 'category'
  | 'registration'
  | 'credit_code'
  | 'established_on'
  | 'dissolved_on';

export type Cells = Record<Field, string>;

const EN_COLUMNS: readonly (readonly [Field, string])[] = [
  ['name', 'name'],
  ['community_code', 'community_code'],
  ['county', 'county'],
  ['township', 'township'],
  ['category', 'category'],
  ['registration', 'registration'],
  ['credit_code', 'credit_code'],
  ['established_on', 'established_on'],
  ['dissolved_on', 'dissolved_on'],
];

const ZH_COLUMNS: readonly (readonly [Field, string])[] = [
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
];

export interface StyleSpec {
  columns: readonly (readonly [Field, string])[];
  encoding: CsvEncoding;
  newline: '\n' | '\r\n';
  /** Input encoding as the reader reports it (FileReconciliation.encoding). */
  encodingLabel: 'utf-8' | 'utf-8-bom' | 'gbk';
  hasNames: boolean;
}

export const STYLES: Record<FileStyle, StyleSpec> = {
  'en-code': { columns: EN_COLUMNS, encoding: 'utf8', newline: '\n', encodingLabel: 'utf-8', hasNames: false },
  'zh-gbk': { columns: ZH_COLUMNS, encoding: 'gbk', newline: '\r\n', encodingLabel: 'gbk', hasNames: true },
  'zh-bom': { columns: ZH_COLUMNS, encoding: 'utf8-bom', newline: '\r\n', encodingLabel: 'utf-8-bom', hasNames: true },
};

export const headerOf = (style: FileStyle, field: Field) => STYLES[style].columns.find(([f]) => f === field)?.[1] ?? null;

/** Ledgers mix date forms; parts are written without validation so impossible dates survive. */
export function formatDate(iso: string, style: FileStyle, rng: Rng): string {
  if (iso === '' || style !== 'zh-bom') return iso;
  const [y, m, d] = isoParts(iso);
  const form = rng.int(3);
  return form === 0 ? iso : form === 1 ? `${y}/${m}/${d}` : `${y}年${m}月${d}日`;
}

/** The 社区 text of a unit: its short form or full name, whichever is safe (short preferred 7 in 10). */
export function communityText(org: Pick<NationalOrg, 'unit'>, rng: Rng): string | null {
  const t = org.unit?.communityText;
  if (!t) return null;
  if (t.short && t.full) return rng.chance(0.7) ? t.short : t.full;
  return t.short ?? t.full;
}

/** County and township as a township-level row names them: names, or codes where a name is not unique. */
export function townshipPlace(org: Pick<NationalOrg, 'township'>): { county: string; township: string } {
  const t = org.township;
  return { county: t.county.nameUnique ? t.county.name : t.county.code, township: t.nameUnique ? t.name : t.code };
}

export type Placement = 'code' | 'code+names' | 'names' | 'township';

/** Placement cells of a valid row, and how the row places itself. */
export function placementCells(org: NationalOrg, style: FileStyle, rng: Rng): { cells: Partial<Cells>; placement: Placement } {
  if (!org.unit) return { cells: townshipPlace(org), placement: 'township' };
  if (!STYLES[style].hasNames) return { cells: { community_code: org.unit.code }, placement: 'code' };
  const text = communityText(org, rng);
  const t = org.township;
  if (text !== null && t.nameUnique && t.county.nameUnique && rng.chance(NAMES_ONLY_SHARE[style])) {
    return { cells: { county: t.county.name, township: t.name, community: text }, placement: 'names' };
  }
  return {
    cells: { community_code: org.unit.code, county: t.county.name, township: t.nameUnique ? t.name : '', community: text ?? '' },
    placement: 'code+names',
  };
}

export function orgCells(org: NationalOrg, style: FileStyle, rng: Rng): { cells: Cells; placement: Placement } {
  const { cells: place, placement } = placementCells(org, style, rng);
  return {
    placement,
    cells: {
      name: org.name,
      community_code: '',
      county: '',
      township: '',
      community: '',
      ...place,
      category: org.category,
      registration: org.registration,
      credit_code: org.creditCode ?? '',
      established_on: formatDate(org.establishedOn, style, rng),
      dissolved_on: formatDate(org.dissolvedOn ?? '', style, rng),
    },
  };
}

export const rowOf = (style: FileStyle, cells: Cells) => STYLES[style].columns.map(([f]) => cells[f]);
