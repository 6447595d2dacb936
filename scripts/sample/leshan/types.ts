import type { Divisions } from '../../../src/lib/ingest/divisions';
import type { Category, UnitKind } from '../../../src/lib/core/types';
import type { Rng } from '../random';

/** The Leshan sample as a model: organizations, the files they go to, and the rows' defects. */

export type Column =
  | 'name'
  | 'county'
  | 'township'
  | 'community'
  | 'community_code'
  | 'category'
  | 'registration'
  | 'credit_code'
  | 'established_on'
  | 'dissolved_on';

export interface SampleOrg {
  name: string;
  countyCode: string;
  townshipCode: string;
  communityCode: string | null; // null: township-level organization
  kind: UnitKind | null;
  category: Category;
  registration: '登记' | '备案';
  creditCode: string | null;
  establishedOn: string; // ISO
  dissolvedOn: string | null; // ISO, on or before as-of
}

export interface PlantedDefect {
  id: string;
  column: Column | null;
  zh: string;
  en: string;
  /**
   * rejected: the reader must reject the row. understood: a word of real ledgers (文体类, 注册) that
   * the reader maps to the plan's vocabulary: the row is valid and counted (src/lib/ingest/vocabulary.ts).
   */
  kind: 'rejected' | 'understood';
}

export interface SampleRow {
  org: SampleOrg;
  /** Raw cell values that replace the derived ones (defects, name-only rows). */
  override: Partial<Record<Column, string>>;
  defect: PlantedDefect | null;
}

export type FileFormat = 'csv-utf8' | 'csv-gbk' | 'csv-utf8-bom' | 'xlsx';

export interface SampleFile {
  path: string; // relative to the dataset folder
  format: FileFormat;
  counties: string[];
  columns: readonly (readonly [Column, string])[]; // field, header as written
  rows: SampleRow[];
}

export interface SampleModel {
  files: SampleFile[];
  /** Organizations placed in a community or township, valid rows only (what the build should count). */
  validOrgs: SampleOrg[];
}

export interface Context {
  rng: Rng;
  divisions: Divisions;
  creditCodes: Set<string>;
}

export interface DefectLocation {
  file: string;
  line: number;
  column: string | null; // header as written
  id: string;
  zh: string;
  en: string;
  value: string;
  /** For duplicates: the earlier line it repeats. */
  duplicates: number | null;
  kind: PlantedDefect['kind'];
}
