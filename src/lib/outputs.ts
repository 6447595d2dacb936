import { toCsv } from './csv';
import type { AggregateOutput } from './aggregate';
import type { AreaAggregate, DatasetReadResult } from './types';

/** Columns of areas.csv: PRODUCT.md's contract first, then the extra measures. */
export const AREA_CSV_COLUMNS = [
  'code', 'name', 'level', 'parent_code',
  'urban_units', 'rural_units', 'urban_orgs', 'rural_orgs',
  'urban_per_unit', 'rural_per_unit', 'urban_target', 'rural_target',
  'urban_gap', 'rural_gap', 'status',
  'urban_status', 'rural_status', 'other_units', 'other_orgs', 'unplaced_orgs', 'total_orgs',
  'urban_target_id', 'rural_target_id', 'has_data', 'as_of', 'sample',
] as const;

export const COMMUNITY_CSV_COLUMNS = [
  'code', 'name', 'kind', 'township_code', 'township_name', 'county_code', 'orgs', 'target', 'gap', 'as_of', 'sample',
] as const;

export const TOWNSHIP_CSV_COLUMNS = [
  'code', 'name', 'county_code', 'urban_units', 'rural_units', 'other_units',
  'urban_orgs', 'rural_orgs', 'other_orgs', 'unplaced_orgs', 'total_orgs', 'urban_per_unit', 'rural_per_unit', 'as_of', 'sample',
] as const;

export const REJECTED_CSV_COLUMNS = ['file', 'line', 'column', 'reason', 'value', 'name'] as const;
export const RECONCILIATION_CSV_COLUMNS = ['file', 'encoding', 'rows_read', 'accepted', 'rejected', 'ignored_columns'] as const;

export function areaCsvRows(areas: AreaAggregate[], asOf: string, sample: boolean) {
  return areas.map((a) => ({ ...a, as_of: asOf, sample }));
}

/** Every download the pipeline writes under /data/, as file name → text (deterministic). */
export function buildDownloads(agg: AggregateOutput, read: DatasetReadResult): Map<string, string> {
  const { as_of: asOf, sample } = read.meta;
  const files = new Map<string, string>();
  files.set('areas.csv', toCsv(areaCsvRows(agg.areas, asOf, sample), AREA_CSV_COLUMNS));
  files.set('communities.csv', toCsv(agg.communities.map((c) => ({ ...c, as_of: asOf, sample })), COMMUNITY_CSV_COLUMNS));
  files.set('townships.csv', toCsv(agg.townships.map((t) => ({ ...t, as_of: asOf, sample })), TOWNSHIP_CSV_COLUMNS));
  files.set('rejected.csv', toCsv(read.rejections, REJECTED_CSV_COLUMNS));
  files.set(
    'reconciliation.csv',
    toCsv(
      read.reconciliation.files.map((f) => ({
        file: f.file, encoding: f.encoding, rows_read: f.rowsRead, accepted: f.accepted, rejected: f.rejected,
        ignored_columns: f.ignoredColumns.join(';'),
      })),
      RECONCILIATION_CSV_COLUMNS,
    ),
  );
  return files;
}
