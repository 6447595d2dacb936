/**
 * The data dictionary: ONE description of every published file and column. It renders
 *   - datapackage.json (Frictionless Data Package v1 descriptor),
 *   - the README.md inside the zip, and
 *   - the /data/dictionary/ page.
 * The CSV column order itself is owned by src/lib/publish/outputs.ts; `buildDatapackage` fails the build when a
 * column has no entry here (or an entry has no column), so the two cannot drift apart.
 */
import { CATEGORIES, REGISTRATIONS } from '../core/types';
import { APPLIES_TO, COMPARATORS, TARGET_METRICS } from '../model/targets';
import { UNDATED_MAX_SHARE, type ValueSource } from '../model/progress';
import { TREND_YEARS, type StatusBasis } from '../model/status';
import { SERIES_START_YEAR } from '../model/timeseries';
import type { DeadlineStatus } from '../core/types';
import {
  CSV_DIALECT, FILE_PROFILE, PACKAGE_PROFILE, TABLE_PROFILE, fileRights, licenseEntry, sourceEntries, tableRights, workbookPath,
} from './package-profile';

export type FieldType = 'string' | 'integer' | 'number' | 'boolean' | 'date';

export interface FieldSpec {
  name: string;
  type: FieldType;
  title_zh: string;
  title_en: string;
  description_zh: string;
  description_en: string;
  /** Unit of measure (custom property in the descriptor; Frictionless has none of its own). */
  unit?: string;
  constraints?: { required?: boolean; unique?: boolean; pattern?: string; enum?: readonly string[]; minimum?: number };
}

export interface ForeignKey {
  fields: string | string[];
  reference: { resource: string; fields: string | string[] };
}

/** A tabular file: its schema. Per-area files reuse the schema of their parent table. */
export interface TableSpec {
  name: string; // Frictionless resource name of the main file
  path: string; // main CSV path under /data/
  json_path?: string; // JSON twin (array of row objects, same fields and values)
  /**
   * Parquet twin (src/lib/publish/parquet.ts) of a large table; a partitioned table has one per part beside its CSV
   * (communities/{province}.parquet): the writer holds ~1 KB per row until the file is done, so one national file
   * of 620,000 communities cost ~700 MB of peak memory, a province's part at most ~80 MB.
   */
  parquet_path?: string;
  title_zh: string;
  title_en: string;
  description_zh: string;
  description_en: string;
  fields: FieldSpec[];
  primaryKey?: string[];
  foreignKeys?: ForeignKey[];
  /** Why there is no primary key, when there is none (said in the dictionary, not left implicit). */
  no_key_reason?: { zh: string; en: string };
  /**
   * Written as one CSV per province (`path` is then the pattern, e.g. communities/{province}.csv.gz, gzip-compressed) instead of
   * one file: at national scale the table passes 50 MB. Each part is its own resource with the table's schema file.
   */
  partition?: { by: 'province'; dir: string; schema: string };
}

/** Files a table is written to: its one path, or each part's. */
export const partPaths = (table: TableSpec, provinces: readonly string[]) => (table.partition ? provinces.map((p) => partPath(table, p)) : [table.path]);
/** The file of one province's part of a partitioned table. */
export const partPath = (table: TableSpec, province: string) => `${table.partition!.dir}/${province}.csv.gz`;
/** The Parquet twin of one province's part. */
export const partParquetPath = (table: TableSpec, province: string) => `${table.partition!.dir}/${province}.parquet`;
/** True when a written path is the Parquet twin of a part of the partitioned table. */
export const isParquetPartOf = (table: TableSpec, path: string) => !!table.partition && !!table.parquet_path && path.startsWith(`${table.partition.dir}/`) && path.endsWith('.parquet');
/** Every Parquet file of a table among the written paths. */
export const parquetPaths = (table: TableSpec, paths: Iterable<string>) =>
  !table.parquet_path ? [] : table.partition ? [...paths].filter((p) => isParquetPartOf(table, p)).sort() : [table.parquet_path];
/** True when a written path is a part of the partitioned table. */
export const isPartOf = (table: TableSpec, path: string) => !!table.partition && path.startsWith(`${table.partition.dir}/`) && path.endsWith('.csv.gz');
/** The province code of a part's path: communities/44.csv.gz → 44. */
export const partName = (table: TableSpec, path: string) => path.slice(table.partition!.dir.length + 1).replace(/\.(csv\.gz|parquet)$/, '');

/** A non-tabular file. */
export interface FileSpec {
  path: string;
  format: string;
  mediatype: string;
  title_zh: string;
  title_en: string;
  description_zh: string;
  description_en: string;
}

const f = (
  name: string,
  type: FieldType,
  title_zh: string,
  title_en: string,
  description_zh: string,
  description_en: string,
  extra: Partial<Pick<FieldSpec, 'unit' | 'constraints'>> = {},
): FieldSpec => ({ name, type, title_zh, title_en, description_zh, description_en, ...extra });

const CODE6 = '^\\d{6}$';
const CODE9 = '^\\d{9}$';
const CODE12 = '^\\d{12}$';
const SNAPSHOT_STATUSES = ['met', 'not_met', 'no_target', 'no_data'] as const;

const asOf = f('as_of', 'date', '数据截至日期', 'As of', '数字所对应的日期（数据集 dataset.json 的 as_of）。', 'Date the figures refer to (the dataset’s as_of).', { constraints: { required: true } });
const sample = f('sample', 'boolean', '示例数据', 'Sample', 'true 表示示例数据集，数字不代表任何地区的实际情况。', 'true when the dataset is a sample: the figures describe no real area.', { constraints: { required: true } });

const units = (kind: 'urban' | 'rural' | 'other', zh: string, en: string) =>
  f(`${kind}_units`, 'integer', `${zh}数`, `${en} units`, `国家统计局 2023 区划中按名称规则归为${zh}的村级单位数。`, `Village-level units of NBS 2023 classified as ${en.toLowerCase()} by the name rule.`, { unit: '个', constraints: { required: true, minimum: 0 } });
const orgs = (kind: 'urban' | 'rural' | 'other', zh: string, en: string) =>
  f(`${kind}_orgs`, 'integer', `${zh}组织数`, `${en} organizations`, `截至日期在册、落在${zh}中的社区社会组织数；数据集不覆盖该地区时为空（无数据，不是 0）。`, `Organizations active at the as-of date placed in ${en.toLowerCase()} units; empty where the dataset does not cover the area (no data, not zero).`, { unit: '个', constraints: { minimum: 0 } });
const unplaced = f('unplaced_orgs', 'integer', '未落到社区的组织数', 'Unplaced organizations', '只登记到乡镇（街道）或区县一级的在册组织：计入总数，不计入社区平均数。', 'Active organizations registered only at township or county level: in the total, not in per-community figures.', { unit: '个', constraints: { minimum: 0 } });
const total = f('total_orgs', 'integer', '在册组织总数', 'Total organizations', '截至日期在册的全部社区社会组织（城市 + 农村 + 其他 + 未落到社区）。', 'All organizations active at the as-of date (urban + rural + other + unplaced).', { unit: '个', constraints: { minimum: 0 } });
const perUnit = (kind: 'urban' | 'rural', zh: string, en: string) =>
  f(`${kind}_per_unit`, 'number', `${zh}平均`, `${en} per community`, `${zh}平均拥有的在册组织数 = ${kind}_orgs ÷ ${kind}_units，保留两位小数；社区数为 0 或无数据时为空。`, `Organizations per ${en.toLowerCase()} community = ${kind}_orgs ÷ ${kind}_units, two decimals; empty when there are no units or no data.`, { unit: '个/社区', constraints: { minimum: 0 } });

const AREAS: TableSpec = {
  name: 'areas',
  path: 'areas.csv',
  json_path: 'areas.json',
  title_zh: '地区汇总',
  title_en: 'Areas',
  description_zh: '全国（000000）及每个省、市（州）、区县一行：社区数、在册组织数、社区平均数、适用目标、尚缺组织数和状态。',
  description_en: 'One row for 全国 (000000) and per province, prefecture and county: units, active organizations, per-community density, applicable target, gap and status.',
  primaryKey: ['code'],
  foreignKeys: [
    { fields: 'urban_target_id', reference: { resource: 'targets', fields: 'id' } },
    { fields: 'rural_target_id', reference: { resource: 'targets', fields: 'id' } },
  ],
  fields: [
    f('code', 'string', '区划代码', 'Code', '国家统计局 2023 统计用区划代码前 6 位（省、市、区县）。', 'NBS 2023 statistical division code, first 6 digits (province, prefecture, county).', { constraints: { required: true, unique: true, pattern: CODE6 } }),
    f('name', 'string', '名称', 'Name', '国家统计局 2023 区划名称。', 'NBS 2023 name.', { constraints: { required: true } }),
    f('level', 'string', '层级', 'Level', 'national 全国（000000）/ province 省 / prefecture 市（州） / county 区县。', 'national (000000), province, prefecture or county.', { constraints: { required: true, enum: ['national', 'province', 'prefecture', 'county'] } }),
    f('parent_code', 'string', '上级代码', 'Parent code', '上级地区的 6 位代码；省的上级为全国 000000；全国为空。', '6-digit code of the enclosing area; a province’s is 000000 (全国); empty for 全国.', { constraints: { pattern: CODE6 } }),
    units('urban', '城市社区', 'Urban'),
    units('rural', '农村社区', 'Rural'),
    orgs('urban', '城市社区', 'Urban'),
    orgs('rural', '农村社区', 'Rural'),
    perUnit('urban', '城市社区', 'Urban'),
    perUnit('rural', '农村社区', 'Rural'),
    f('urban_target', 'number', '城市社区目标', 'Urban target', '适用于该地区的城市社区平均拥有数目标（见 urban_target_id）；没有适用目标时为空。', 'Per-urban-community target in force for the area (see urban_target_id); empty when none applies.', { unit: '个/社区', constraints: { minimum: 0 } }),
    f('rural_target', 'number', '农村社区目标', 'Rural target', '适用于该地区的农村社区平均拥有数目标（见 rural_target_id）；没有适用目标时为空。', 'Per-rural-community target in force for the area (see rural_target_id); empty when none applies.', { unit: '个/社区', constraints: { minimum: 0 } }),
    f('urban_gap', 'integer', '城市尚缺', 'Urban gap', '城市社区达到目标尚需的组织数 = max(0, ⌈urban_target × urban_units⌉ − urban_orgs)；无目标或无数据时为空。', 'Organizations still needed in urban communities = max(0, ⌈urban_target × urban_units⌉ − urban_orgs); empty without a target or data.', { unit: '个', constraints: { minimum: 0 } }),
    f('rural_gap', 'integer', '农村尚缺', 'Rural gap', '农村社区达到目标尚需的组织数 = max(0, ⌈rural_target × rural_units⌉ − rural_orgs)；无目标或无数据时为空。', 'Organizations still needed in rural communities = max(0, ⌈rural_target × rural_units⌉ − rural_orgs); empty without a target or data.', { unit: '个', constraints: { minimum: 0 } }),
    f('urban_required', 'integer', '城市目标所需组织数', 'Urban organizations required', '城市社区目标要求的最少组织数 = ⌈urban_target × urban_units⌉：真实目标 × 真实社区数推算，不依赖组织数据（非示例数据）；无目标时为空。', 'Minimum organizations the urban target requires = ⌈urban_target × urban_units⌉: derived from real targets × real units, independent of the organization records (never sample data); empty without a target.', { unit: '个', constraints: { minimum: 0 } }),
    f('rural_required', 'integer', '农村目标所需组织数', 'Rural organizations required', '农村社区目标要求的最少组织数 = ⌈rural_target × rural_units⌉：真实目标 × 真实社区数推算（非示例数据）；无目标时为空。', 'Minimum organizations the rural target requires = ⌈rural_target × rural_units⌉: real targets × real units (never sample data); empty without a target.', { unit: '个', constraints: { minimum: 0 } }),
    f('required_total', 'integer', '目标所需组织数合计', 'Organizations required, total', 'urban_required + rural_required（有目标的部分之和），如山西 2023：10 × 3,003 + 5 × 18,849 = 124,275。', 'urban_required + rural_required (the parts that have a target), e.g. Shanxi 2023: 10 × 3,003 + 5 × 18,849 = 124,275.', { unit: '个', constraints: { minimum: 0 } }),
    f('status', 'string', '综合状态', 'Status', '截至日期的快照状态：任一类未达标为 not_met；所有有目标的类别都达标为 met；否则 no_data 或 no_target。', 'Snapshot at the as-of date: not_met if any kind is not met; met if every targeted kind is met; else no_data or no_target.', { constraints: { required: true, enum: SNAPSHOT_STATUSES } }),
    f('urban_status', 'string', '城市状态', 'Urban status', '城市社区的快照状态（met 达标 / not_met 未达标 / no_target 无目标 / no_data 无数据）。', 'Urban snapshot status (met / not_met / no_target / no_data).', { constraints: { required: true, enum: SNAPSHOT_STATUSES } }),
    f('rural_status', 'string', '农村状态', 'Rural status', '农村社区的快照状态（met / not_met / no_target / no_data）。', 'Rural snapshot status (met / not_met / no_target / no_data).', { constraints: { required: true, enum: SNAPSHOT_STATUSES } }),
    units('other', '其他单位', 'Other'),
    orgs('other', '其他单位', 'Other'),
    unplaced,
    total,
    f('urban_target_id', 'string', '城市目标编号', 'Urban target id', 'urban_target 在目标登记表（targets.csv）中的 id。', 'id of urban_target in the targets registry (targets.csv).'),
    f('rural_target_id', 'string', '农村目标编号', 'Rural target id', 'rural_target 在目标登记表（targets.csv）中的 id。', 'id of rural_target in the targets registry (targets.csv).'),
    f('has_data', 'boolean', '有数据', 'Has data', 'true 表示数据集覆盖该地区下的全部区县；false 时组织数为空。', 'true when the dataset covers every county of the area; false leaves organization counts empty.', { constraints: { required: true } }),
    f('name_en', 'string', '英文名称', 'English name', '地名拼音（GB/T 16159，音节连写）加通名英译，如 马边彝族自治县 → Mabian Yi Autonomous County。', 'Pinyin of the proper name (GB/T 16159, syllables joined) with the generic part translated, e.g. 马边彝族自治县 → Mabian Yi Autonomous County.', { constraints: { required: true } }),
    asOf,
    sample,
  ],
};

const COMMUNITIES: TableSpec = {
  name: 'communities',
  path: 'communities/{province}.csv.gz',
  partition: { by: 'province', dir: 'communities', schema: 'schemas/communities.json' },
  parquet_path: 'communities/{province}.parquet',
  title_zh: '社区（村）',
  title_en: 'Communities',
  description_zh: '数据集覆盖的区县中每个村级单位（居委会、村委会等）一行：在册组织数、目标和缺口。按省分文件（communities/{省代码}.csv.gz，gzip 压缩的 CSV：pandas、R、DuckDB 可直接读），列相同。',
  description_en: 'One row per village-level unit (居委会, 村委会, …) in the counties the dataset covers: active organizations, target and gap. One file per province (communities/{province code}.csv.gz, gzip-compressed CSV that pandas, R and DuckDB read directly), same columns.',
  primaryKey: ['code'],
  foreignKeys: [
    { fields: 'township_code', reference: { resource: 'townships', fields: 'code' } },
    { fields: 'county_code', reference: { resource: 'areas', fields: 'code' } },
  ],
  fields: [
    f('code', 'string', '社区代码', 'Code', '国家统计局 2023 统计用区划代码，12 位。', 'NBS 2023 statistical division code, 12 digits.', { constraints: { required: true, unique: true, pattern: CODE12 } }),
    f('name', 'string', '名称', 'Name', '国家统计局 2023 村级单位名称。', 'NBS 2023 name of the unit.', { constraints: { required: true } }),
    f('kind', 'string', '类型', 'Kind', 'urban 城市社区 / rural 农村社区 / other 其他，按名称结尾归类（方法页有规则）。', 'urban, rural or other, by the ending of the name (rule on the methodology page).', { constraints: { required: true, enum: ['urban', 'rural', 'other'] } }),
    f('township_code', 'string', '乡镇（街道）代码', 'Township code', '所属乡镇（街道）的 9 位代码。', '9-digit code of the township (乡镇/街道).', { constraints: { required: true, pattern: CODE9 } }),
    f('township_name', 'string', '乡镇（街道）', 'Township', '所属乡镇（街道）名称。', 'Name of the township.', { constraints: { required: true } }),
    f('county_code', 'string', '区县代码', 'County code', '所属区县的 6 位代码（见 areas.csv）。', '6-digit code of the county (see areas.csv).', { constraints: { required: true, pattern: CODE6 } }),
    f('orgs', 'integer', '在册组织数', 'Organizations', '截至日期在册、落在本社区的社区社会组织数。', 'Organizations active at the as-of date placed in this unit.', { unit: '个', constraints: { required: true, minimum: 0 } }),
    f('target', 'number', '目标', 'Target', '所属区县对本类社区的平均拥有数目标；其他单位或无目标时为空。', 'The county’s per-community target for this kind; empty for other units or without a target.', { unit: '个/社区', constraints: { minimum: 0 } }),
    f('gap', 'integer', '尚缺', 'Gap', '本社区达到目标尚需的组织数 = max(0, ⌈target⌉ − orgs)；无目标时为空。', 'Organizations this unit still needs = max(0, ⌈target⌉ − orgs); empty without a target.', { unit: '个', constraints: { minimum: 0 } }),
    asOf,
    sample,
  ],
};

const TOWNSHIPS: TableSpec = {
  name: 'townships',
  parquet_path: 'townships.parquet',
  path: 'townships.csv',
  title_zh: '乡镇（街道）',
  title_en: 'Townships',
  description_zh: '数据集覆盖的区县中每个乡镇（街道）一行：社区数、在册组织数和社区平均数。',
  description_en: 'One row per township (乡镇/街道) in the covered counties: units, active organizations and per-community density.',
  primaryKey: ['code'],
  foreignKeys: [{ fields: 'county_code', reference: { resource: 'areas', fields: 'code' } }],
  fields: [
    f('code', 'string', '乡镇（街道）代码', 'Code', '国家统计局 2023 统计用区划代码，9 位。', 'NBS 2023 statistical division code, 9 digits.', { constraints: { required: true, unique: true, pattern: CODE9 } }),
    f('name', 'string', '名称', 'Name', '国家统计局 2023 乡镇（街道）名称。', 'NBS 2023 name.', { constraints: { required: true } }),
    f('county_code', 'string', '区县代码', 'County code', '所属区县的 6 位代码。', '6-digit code of the county.', { constraints: { required: true, pattern: CODE6 } }),
    units('urban', '城市社区', 'Urban'),
    units('rural', '农村社区', 'Rural'),
    units('other', '其他单位', 'Other'),
    { ...orgs('urban', '城市社区', 'Urban'), constraints: { required: true, minimum: 0 } },
    { ...orgs('rural', '农村社区', 'Rural'), constraints: { required: true, minimum: 0 } },
    { ...orgs('other', '其他单位', 'Other'), constraints: { required: true, minimum: 0 } },
    { ...unplaced, constraints: { required: true, minimum: 0 } },
    { ...total, constraints: { required: true, minimum: 0 } },
    perUnit('urban', '城市社区', 'Urban'),
    perUnit('rural', '农村社区', 'Rural'),
    asOf,
    sample,
  ],
};

const BY_CATEGORY: TableSpec = {
  name: 'organizations_by_category',
  parquet_path: 'organizations_by_category.parquet',
  path: 'organizations_by_category.csv',
  title_zh: '按类别和登记方式的组织数',
  title_en: 'Organizations by category and registration',
  description_zh: '数据集覆盖的每个地区 × 类别 × 登记方式一行：截至日期在册的组织数（含未落到社区的组织；零也列出）。',
  description_en: 'One row per covered area × category × registration: organizations active at the as-of date (unplaced ones included; zeros listed).',
  primaryKey: ['area_code', 'category', 'registration'],
  foreignKeys: [{ fields: 'area_code', reference: { resource: 'areas', fields: 'code' } }],
  fields: [
    f('area_code', 'string', '区划代码', 'Area code', '地区的 6 位代码（见 areas.csv）。', '6-digit area code (see areas.csv).', { constraints: { required: true, pattern: CODE6 } }),
    f('area_name', 'string', '地区名称', 'Area name', '国家统计局 2023 名称。', 'NBS 2023 name.', { constraints: { required: true } }),
    f('level', 'string', '层级', 'Level', 'national / province / prefecture / county。', 'national, province, prefecture or county.', { constraints: { required: true, enum: ['national', 'province', 'prefecture', 'county'] } }),
    f('category', 'string', '类别', 'Category', '组织类别（民政部分类）。', 'Category of organization (Ministry of Civil Affairs classes).', { constraints: { required: true, enum: CATEGORIES } }),
    f('registration', 'string', '登记方式', 'Registration', '登记 = 在民政部门登记；备案 = 在街道（乡镇）备案。', '登记 = registered with civil affairs; 备案 = filed with the sub-district or township.', { constraints: { required: true, enum: REGISTRATIONS } }),
    f('orgs', 'integer', '在册组织数', 'Organizations', '截至日期在册的组织数。', 'Organizations active at the as-of date.', { unit: '个', constraints: { required: true, minimum: 0 } }),
    asOf,
    sample,
  ],
};

const TARGETS: TableSpec = {
  name: 'targets',
  path: 'targets.csv',
  title_zh: '目标登记表',
  title_en: 'Targets registry',
  description_zh: '五份政策文件中的每项量化目标一行：出处、原文、适用地区、指标、比较符、目标值和期限。完整登记表（含文件信息）见 targets.json。',
  description_en: 'One row per quantitative target of the five policy documents: source, quoted clause, areas, metric, comparator, value and deadline. The full registry (with documents) is targets.json.',
  primaryKey: ['id'],
  fields: [
    f('id', 'string', '目标编号', 'Id', '目标在登记表中的唯一编号。', 'Unique id of the target in the registry.', { constraints: { required: true, unique: true } }),
    f('document', 'string', '文件编号', 'Document id', '目标出处文件在登记表中的编号。', 'Registry id of the source document.', { constraints: { required: true } }),
    f('document_title', 'string', '文件标题', 'Document title', '出处文件标题。', 'Title of the source document.', { constraints: { required: true } }),
    f('document_issuer', 'string', '发文机关', 'Issuer', '出处文件的发文机关。', 'Issuing body.', { constraints: { required: true } }),
    f('document_number', 'string', '文号', 'Document number', '发文字号；原文没有时为空。', 'Official document number; empty when the text has none.'),
    f('document_date', 'string', '发文日期', 'Document date', '发文日期 yyyy-mm-dd（原文不给日时为 yyyy-mm 或 yyyy）。', 'Date of the document, yyyy-mm-dd (yyyy-mm or yyyy when the text gives no day).', { constraints: { required: true, pattern: '^\\d{4}(-\\d{2}(-\\d{2})?)?$' } }),
    f('section', 'string', '章节', 'Section', '目标所在的章节。', 'Section of the document holding the target.', { constraints: { required: true } }),
    f('clause', 'string', '原文', 'Clause', '逐字引用的原文（去掉换行）。', 'Quoted clause, verbatim (line breaks removed).', { constraints: { required: true } }),
    f('areas', 'string', '适用地区', 'Areas', '适用地区的 6 位代码，以 ; 分隔；000000 表示全国。', '6-digit codes of the areas, separated by ";"; 000000 is national.', { constraints: { required: true } }),
    f('applies_to', 'string', '适用方式', 'Applies to', 'each 每个所列地区 / each_descendant_county 所列地区下的每个区县 / each_descendant_prefecture 每个市 / aggregate 所列地区合计。', 'each listed area / each county under it / each prefecture under it / the listed area as a whole.', { constraints: { required: true, enum: APPLIES_TO } }),
    f('metric', 'string', '指标', 'Metric', '指标代码（受控词表，见 metric_label_zh）。', 'Metric code (controlled vocabulary, see metric_label_en).', { constraints: { required: true, enum: TARGET_METRICS } }),
    f('metric_label_zh', 'string', '指标名称', 'Metric (zh)', '指标的中文名称。', 'Metric name in Chinese.', { constraints: { required: true } }),
    f('metric_label_en', 'string', '指标名称（英文）', 'Metric (en)', '指标的英文名称。', 'Metric name in English.', { constraints: { required: true } }),
    f('comparator', 'string', '比较符', 'Comparator', '目标值的比较方式（>= 不少于，<= 不超过，= 等于，> 超过）。', 'How the value compares (>= at least, <= at most, = exactly, > more than).', { constraints: { required: true, enum: COMPARATORS } }),
    f('value', 'number', '目标值', 'Value', '目标值，单位见 unit。', 'Target value, in unit.', { constraints: { required: true } }),
    f('unit', 'string', '单位', 'Unit', '目标值的单位（每个指标只有一个单位）。', 'Unit of value (one per metric).', { constraints: { required: true } }),
    f('deadline', 'date', '期限', 'Deadline', '目标应达成的日期。', 'Date by which the target is due.', { constraints: { required: true } }),
    f('period_start', 'date', '起始日期', 'Period start', '目标期的起点（原文给出时）。', 'Start of the target period, when the text gives one.'),
    f('categories', 'string', '类别', 'Categories', '目标限定的组织类别，以 ; 分隔；为空表示不限。', 'Categories the target is limited to, separated by ";"; empty for all.'),
    f('series', 'string', '系列', 'Series', '同一指标分年度递进的目标共用的系列名。', 'Name shared by the yearly steps of one stepped target.'),
    f('data_needed', 'string', '所需数据', 'Data needed', '判断是否达标所需的数据。', 'Data needed to judge the target.', { constraints: { required: true } }),
    f('note', 'string', '备注', 'Note', '转录说明。', 'Transcription note.'),
    f('registry_version', 'string', '登记表版本', 'Registry version', '目标登记表的版本号。', 'Version of the targets registry.', { constraints: { required: true } }),
  ],
};

/** Statuses a target row can take (no_target never occurs: every row has a target), with their meaning. */
const DEADLINE_STATUS_MEANING = {
  met: ['已达标：当前值已满足目标；期限已过的按期限时的值判断；每年目标为期内每个完整年份都满足', 'met: the current value already satisfies the target; after the deadline, the value at the deadline does; per-year targets: every complete year of the period does'],
  on_track: ['按进度：期限未到，近年实际年变化 ≥ 所需年变化（pace_ratio ≥ 1）；每年目标为期内已过的完整年份都满足', 'on track: deadline ahead and the observed yearly change ≥ the required one (pace_ratio ≥ 1); per-year targets: every complete year so far satisfies it'],
  off_track: ['进度落后：期限未到，实际年变化 < 所需年变化；每年目标为期内已有完整年份未满足', 'off track: deadline ahead and the observed yearly change < the required one; per-year targets: a complete year of the period already fell short'],
  missed: ['未达成：期限已过，期限时的值（累计指标也可用之后仍不足的值）未满足目标；每年目标为期内有年份未满足', 'missed: deadline passed and the value at the deadline (for cumulative counts, also a later value still short) falls short; per-year targets: a year of the period fell short'],
  no_data: ['无数据：没有当前值、没有可算趋势的更早值，或期限已过却没有期限时的值；见 data_needed 和 note', 'no data: no current value, no earlier value to measure change from, or no value at a passed deadline; see data_needed and note'],
} as const satisfies Partial<Record<DeadlineStatus, readonly [string, string]>>;

const BASIS_MEANING = {
  no_value: ['没有当前值', 'no current value'],
  target_reached: ['当前值已满足目标', 'the current value already satisfies the target'],
  value_at_deadline: ['期限已过，按期限时的值判断', 'deadline passed: judged on the value at the deadline'],
  no_value_at_deadline: ['期限已过，但没有期限时的值', 'deadline passed, but no value at the deadline'],
  trend: ['比较所需年变化与实际年变化', 'required vs observed yearly change'],
  no_trend: ['有当前值，但没有可计算变化的更早值（或大部分组织缺成立日期）', 'a current value but no earlier value to measure change from (or most organizations lack an establishment date)'],
  each_year: ['每年目标：期内每个完整年份分别判断', 'per-year target: each complete year of the period judged on its own'],
} as const satisfies Record<StatusBasis, readonly [string, string]>;

const VALUE_SOURCE_MEANING = {
  organizations: ['由数据集的逐条组织记录计算（社区平均数、每年新增数），仅限数据集完整覆盖的地区', 'computed from the dataset’s organization records (densities, new per year), only for areas the dataset covers completely'],
  observations: ['取自数据集 observations/*.csv 中公开发布的数字', 'published figures from the dataset’s observations/*.csv'],
  none: ['没有可用的数字', 'no usable figure'],
} as const satisfies Record<ValueSource, readonly [string, string]>;

const meanings = (m: Record<string, readonly [string, string]>, lang: 0 | 1) =>
  Object.entries(m).map(([k, v]) => `${k} = ${v[lang]}`).join(lang === 0 ? '；' : '; ');

const PROGRESS: TableSpec = {
  name: 'progress',
  path: 'progress.csv',
  json_path: 'progress.json',
  title_zh: '目标进度',
  title_en: 'Progress against targets',
  description_zh: `目标登记表中的每项目标 × 其适用的每个地区一行（含全国、省、市、区县；无数据的也列出）：当前值及其来源、状态（met / on_track / off_track / missed / no_data）、判断依据和计算输入（所需与实际年变化、剩余年数、基期值等）。方法：期限未到时比较所需年变化 =（目标 − 当前值）÷ 剩余年数 与实际年变化 =（当前值 − 基期值）÷ 间隔年数（基期取近 ${TREND_YEARS} 年内最早的值）；每年目标逐年判断。方法页有全文。`,
  description_en: `One row per target of the registry × each area it applies to (national, province, prefecture, county; rows without data included): current value and its source, status (met / on_track / off_track / missed / no_data), basis and the calculation inputs (required and observed yearly change, years left, baseline…). Method: before the deadline the required yearly change (target − current) ÷ years left is compared with the observed one (current − baseline) ÷ years between, the baseline being the earliest value within the last ${TREND_YEARS} years; per-year targets are judged year by year. The methodology page has it in full.`,
  primaryKey: ['target_id', 'area_code'],
  foreignKeys: [{ fields: 'target_id', reference: { resource: 'targets', fields: 'id' } }],
  fields: [
    f('target_id', 'string', '目标编号', 'Target id', '目标在登记表（targets.csv）中的 id。', 'id of the target in the registry (targets.csv).', { constraints: { required: true } }),
    f('document', 'string', '文件编号', 'Document id', '目标出处文件在登记表中的编号（标题等见 targets.csv）。', 'Registry id of the source document (title etc. in targets.csv).', { constraints: { required: true } }),
    f('area_code', 'string', '区划代码', 'Area code', '被评价地区的 6 位代码；000000 表示全国。', '6-digit code of the area evaluated; 000000 is national.', { constraints: { required: true, pattern: CODE6 } }),
    f('area_name', 'string', '地区名称', 'Area name', '国家统计局 2023 名称（全国为“全国”）。', 'NBS 2023 name (全国 for national).', { constraints: { required: true } }),
    f('area_level', 'string', '层级', 'Level', 'national 全国 / province 省 / prefecture 市（州） / county 区县。', 'national, province, prefecture or county.', { constraints: { required: true, enum: ['national', 'province', 'prefecture', 'county'] } }),
    f('metric', 'string', '指标', 'Metric', '指标代码（受控词表，名称见 targets.csv）。', 'Metric code (controlled vocabulary, labels in targets.csv).', { constraints: { required: true, enum: TARGET_METRICS } }),
    f('categories', 'string', '类别', 'Categories', '目标限定的组织类别，以 ; 分隔；为空表示不限。', 'Categories the target is limited to, separated by ";"; empty for all.'),
    f('comparator', 'string', '比较符', 'Comparator', '目标值的比较方式（>= 不少于，<= 不超过，= 等于，> 超过）。', 'How the value compares (>= at least, <= at most, = exactly, > more than).', { constraints: { required: true, enum: COMPARATORS } }),
    f('target_value', 'number', '目标值', 'Target value', '目标值，单位见 unit。', 'Target value, in unit.', { constraints: { required: true } }),
    f('unit', 'string', '单位', 'Unit', '目标值、当前值和年变化的单位（年变化为该单位/年）。', 'Unit of target_value and current_value (yearly changes are this unit per year).', { constraints: { required: true } }),
    f('deadline', 'date', '期限', 'Deadline', '目标应达成的日期。', 'Date by which the target is due.', { constraints: { required: true } }),
    f('period_start', 'date', '起始日期', 'Period start', '目标期的起点（原文给出时）；每年目标从这一年起逐年判断。', 'Start of the target period, when the text gives one; per-year targets are judged from that year on.'),
    f('step_series', 'string', '系列', 'Series', '分步递进目标的系列名；非分步目标为空。', 'Series name of a stepped target; empty otherwise.'),
    f('step_index', 'integer', '第几步', 'Step', '本目标在系列中按期限排序的位置（从 1 起）。', 'Position of this step in its series, by deadline (1-based).', { constraints: { minimum: 1 } }),
    f('step_count', 'integer', '步数', 'Steps', '系列中的步数。', 'Number of steps in the series.', { constraints: { minimum: 1 } }),
    f('step_in_force', 'boolean', '当前步', 'Step in force', 'true 表示截至日期时生效的一步（期限未过的最早一步，否则最后一步）。', 'true for the step in force at the as-of date (the earliest not yet due, else the last).'),
    f('status', 'string', '状态', 'Status', `${meanings(DEADLINE_STATUS_MEANING, 0)}。`, `${meanings(DEADLINE_STATUS_MEANING, 1)}.`, { constraints: { required: true, enum: Object.keys(DEADLINE_STATUS_MEANING) } }),
    f('basis', 'string', '判断依据', 'Basis', `状态的依据：${meanings(BASIS_MEANING, 0)}。`, `Why the status is what it is: ${meanings(BASIS_MEANING, 1)}.`, { constraints: { required: true, enum: Object.keys(BASIS_MEANING) } }),
    f('current_value', 'number', '当前值', 'Current value', '截至日期或之前最近的值（保留三位小数）；社区平均数为未四舍五入到两位的组织数 ÷ 社区数；每年目标为最近一个完整年份的值。', 'Latest value on or before the as-of date (3 decimals); densities are organizations ÷ units before rounding to 2; per-year targets: the last complete year’s value.'),
    f('current_as_of', 'date', '当前值日期', 'Current value as of', '当前值对应的日期（每年目标为该年 12 月 31 日）。', 'Date of current_value (Dec 31 of the year for per-year targets).'),
    f('required_per_year', 'number', '所需年变化', 'Required per year', '期限未到、尚未达标时：（目标值 − 当前值）÷ years_left；每年目标为目标值本身。', 'Before the deadline and not yet met: (target_value − current_value) ÷ years_left; per-year targets: the target value itself.'),
    f('observed_per_year', 'number', '实际年变化', 'Observed per year', `（当前值 − baseline_value）÷ 两者间隔年数；每年目标为最近至多 ${TREND_YEARS} 个完整年份的平均值。`, `(current_value − baseline_value) ÷ years between them; per-year targets: mean of the last ≤${TREND_YEARS} complete years.`),
    f('years_left', 'number', '剩余年数', 'Years left', '从当前值日期（每年目标为截至日期）到期限的年数（365.25 天为一年，两位小数）；期限已过，或非每年目标已达标、无当前值时为空。', 'Years from current_as_of (the as-of date for per-year targets) to the deadline (365.25-day years, 2 decimals); empty once the deadline has passed, and for other than per-year targets when already met or without a current value.', { unit: '年', constraints: { minimum: 0 } }),
    f('pace_ratio', 'number', '进度比', 'Pace ratio', 'observed_per_year ÷ required_per_year（两位小数）；≥ 1 表示按进度。任一为空或所需为 0 时为空。', 'observed_per_year ÷ required_per_year (2 decimals); ≥ 1 means on pace. Empty when either is empty or the required change is 0.'),
    f('baseline_year', 'integer', '基期年份', 'Baseline year', `计算实际年变化的基期年份：近 ${TREND_YEARS} 年内最早的值（历史更短时取之前最近的值）；每年目标为目标期的第一年。`, `Year of the baseline for the observed change: the earliest value within the last ${TREND_YEARS} years (or the latest earlier value with less history); per-year targets: the first year of the period.`),
    f('baseline_as_of', 'date', '基期日期', 'Baseline as of', '基期值对应的日期。', 'Date of baseline_value.'),
    f('baseline_value', 'number', '基期值', 'Baseline value', '基期的值（三位小数）；每年目标为期内第一年（完整时）的值。', 'Value at the baseline (3 decimals); per-year targets: the first year of the period, when complete.'),
    f('deadline_value', 'number', '期限时的值', 'Value at deadline', '期限已过时：期限当日或之前最近的值（累计指标可为之后仍不足的值）。', 'Once the deadline has passed: the latest value on or before it (for cumulative counts, possibly a later value still short).'),
    f('deadline_value_as_of', 'date', '期限值日期', 'Value at deadline as of', 'deadline_value 对应的日期。', 'Date of deadline_value.'),
    f('per_year', 'string', '逐年值', 'Per-year values', '每年目标：期内各年的值，写作 年份:值，以 ; 分隔，未过完的年份标 (partial)；其他目标为空。', 'Per-year targets: each year of the period as year:value, separated by ";", an unfinished year marked (partial); empty otherwise.'),
    f('years_short', 'string', '未达标年份', 'Years short', '每年目标：期内未满足目标的完整年份，以 ; 分隔；没有时为空。', 'Per-year targets: complete years of the period that fell short, separated by ";"; empty when none.'),
    f('value_source', 'string', '数值来源', 'Value source', `${meanings(VALUE_SOURCE_MEANING, 0)}。`, `${meanings(VALUE_SOURCE_MEANING, 1)}.`, { constraints: { required: true, enum: Object.keys(VALUE_SOURCE_MEANING) } }),
    f('source_ref', 'string', '来源出处', 'Source reference', '组织记录：“organizations/*: 行数、在册数、缺成立日期数”；观测值：所用每条观测的 文件:行号 (日期) 《来源标题》 网址，以 ; 分隔；没有来源时为空。', 'Organization records: "organizations/*: rows, active, undated"; observations: file:line (date) 《source title》 URL of each observation used, separated by ";"; empty without a source.'),
    f('data_needed', 'string', '所需数据', 'Data needed', '判断该目标所需的数据（来自目标登记表）；状态为 no_data 时说明缺什么。', 'Data needed to judge the target (from the registry); for no_data rows, what is missing.', { constraints: { required: true } }),
    f('note', 'string', '备注', 'Note', `为什么没有数据，或对数值的提醒（中文 / 英文），例如超过 ${UNDATED_MAX_SHARE * 100}% 的组织缺成立日期时不计算趋势。`, `Why there is no data, or a caveat on the value (zh / en), e.g. no trend when more than ${UNDATED_MAX_SHARE * 100}% of organizations lack an establishment date.`),
    asOf,
    sample,
  ],
};

const TIMESERIES: TableSpec = {
  name: 'timeseries',
  parquet_path: 'timeseries.parquet',
  path: 'timeseries.csv',
  // No JSON twin: on a national build it was 12 MB beside the same rows as CSV and Parquet.
  title_zh: '在册组织时间序列',
  title_en: 'Active organizations over time',
  description_zh: `数据集完整覆盖的每个地区 × 每个时点一行：${SERIES_START_YEAR} 年起每年 12 月 31 日及数据截至日期当天在册的组织数（按城市社区、农村社区、其他单位、未落到社区分列）和社区平均数。由成立和注销日期推算；各时点都按 2023 年区划的社区数计算；缺成立日期的组织在每个时点都计入（见 undated_orgs）。`,
  description_en: `One row per area the dataset covers completely × date: organizations active at each Dec 31 from ${SERIES_START_YEAR} and at the as-of date, by placement (urban, rural, other units, unplaced), with per-community densities. Derived from establishment and dissolution dates; every point uses the NBS 2023 unit counts; organizations without an establishment date count at every point (see undated_orgs).`,
  primaryKey: ['area_code', 'date'],
  foreignKeys: [{ fields: 'area_code', reference: { resource: 'areas', fields: 'code' } }],
  fields: [
    f('area_code', 'string', '区划代码', 'Area code', '地区的 6 位代码（见 areas.csv）。', '6-digit area code (see areas.csv).', { constraints: { required: true, pattern: CODE6 } }),
    f('area_name', 'string', '地区名称', 'Area name', '国家统计局 2023 名称。', 'NBS 2023 name.', { constraints: { required: true } }),
    f('level', 'string', '层级', 'Level', 'national / province / prefecture / county。', 'national, province, prefecture or county.', { constraints: { required: true, enum: ['national', 'province', 'prefecture', 'county'] } }),
    f('date', 'date', '时点', 'Date', '计数的日期：某年 12 月 31 日，或数据截至日期（最后一个时点）。', 'Date of the count: a Dec 31, or the as-of date (the last point).', { constraints: { required: true } }),
    f('label', 'string', '标签', 'Label', '年末时点为年份（如 2020），最后一个时点为截至日期。', 'The year for a year-end point (e.g. 2020), the as-of date for the last point.', { constraints: { required: true } }),
    f('is_as_of', 'boolean', '截至日期时点', 'Is as-of point', 'true 表示数据截至日期的时点，其数字等于 areas.csv。', 'true for the as-of point, whose figures equal areas.csv.', { constraints: { required: true } }),
    f('urban_orgs', 'integer', '城市社区组织数', 'Urban organizations', '该日在册（成立日期不晚于该日、注销日期晚于该日或未注销）、落在城市社区的组织数。', 'Organizations active on the date (established on or before it, not dissolved on or before it) placed in urban units.', { unit: '个', constraints: { required: true, minimum: 0 } }),
    f('rural_orgs', 'integer', '农村社区组织数', 'Rural organizations', '该日在册、落在农村社区的组织数。', 'Organizations active on the date placed in rural units.', { unit: '个', constraints: { required: true, minimum: 0 } }),
    f('other_orgs', 'integer', '其他单位组织数', 'Other organizations', '该日在册、落在其他村级单位（虚拟社区、管理区等）的组织数。', 'Organizations active on the date placed in other village-level units (virtual communities, management areas, …).', { unit: '个', constraints: { required: true, minimum: 0 } }),
    f('unplaced_orgs', 'integer', '未落到社区的组织数', 'Unplaced organizations', '该日在册、只登记到乡镇（街道）或区县一级的组织数。', 'Organizations active on the date registered only at township or county level.', { unit: '个', constraints: { required: true, minimum: 0 } }),
    f('total_orgs', 'integer', '在册组织总数', 'Total organizations', '该日在册的全部组织 = 城市 + 农村 + 其他 + 未落到社区。', 'All organizations active on the date = urban + rural + other + unplaced.', { unit: '个', constraints: { required: true, minimum: 0 } }),
    { ...units('urban', '城市社区', 'Urban'), description_zh: '国家统计局 2023 区划的城市社区数；每个时点都用这一数字（未加载更早的区划）。', description_en: 'Urban units of NBS 2023; used at every point (no earlier division vintage is loaded).' },
    { ...units('rural', '农村社区', 'Rural'), description_zh: '国家统计局 2023 区划的农村社区数；每个时点都用这一数字。', description_en: 'Rural units of NBS 2023; used at every point.' },
    { ...perUnit('urban', '城市社区', 'Urban'), description_zh: '城市社区平均在册组织数 = urban_orgs ÷ urban_units，保留两位小数；没有城市社区时为空。', description_en: 'Organizations per urban community = urban_orgs ÷ urban_units, two decimals; empty when the area has no urban unit.' },
    { ...perUnit('rural', '农村社区', 'Rural'), description_zh: '农村社区平均在册组织数 = rural_orgs ÷ rural_units，保留两位小数；没有农村社区时为空。', description_en: 'Organizations per rural community = rural_orgs ÷ rural_units, two decimals; empty when the area has no rural unit.' },
    f('undated_orgs', 'integer', '缺成立日期的组织数', 'Undated organizations', '截至日期在册但没有成立日期的组织数：在每个时点都计入，是序列中“平”的部分（同一地区各行相同）。', 'Organizations active at the as-of date with no establishment date: counted at every point, the flat part of the series (same on every row of an area).', { unit: '个', constraints: { required: true, minimum: 0 } }),
    asOf,
    sample,
  ],
};

const NEW_BY_YEAR: TableSpec = {
  name: 'new_by_year',
  // gzip-compressed CSV, as the communities parts: area × year × category repeats every area's name and stamp
  // (13.4 MB nationally, 1.5 MB compressed); pandas, R and DuckDB read .csv.gz directly.
  path: 'new_by_year.csv.gz',
  title_zh: '每年新增组织数（按类别）',
  title_en: 'New organizations per year by category',
  description_zh: `数据集完整覆盖的每个地区 × ${SERIES_START_YEAR} 年起每个日历年 × 类别一行：当年成立的组织数（无论之后是否注销；零也列出）。截至日期所在年份未过完（partial = true）。缺成立日期的组织不计入任何年份（见 undated_not_counted）。`,
  description_en: `One row per area the dataset covers completely × calendar year from ${SERIES_START_YEAR} × category: organizations established that year (dissolved since or not; zeros listed). The as-of year is partial (partial = true). Organizations without an establishment date are in no year (see undated_not_counted).`,
  primaryKey: ['area_code', 'year', 'category'],
  foreignKeys: [{ fields: 'area_code', reference: { resource: 'areas', fields: 'code' } }],
  fields: [
    f('area_code', 'string', '区划代码', 'Area code', '地区的 6 位代码（见 areas.csv）。', '6-digit area code (see areas.csv).', { constraints: { required: true, pattern: CODE6 } }),
    f('area_name', 'string', '地区名称', 'Area name', '国家统计局 2023 名称。', 'NBS 2023 name.', { constraints: { required: true } }),
    f('level', 'string', '层级', 'Level', 'national / province / prefecture / county。', 'national, province, prefecture or county.', { constraints: { required: true, enum: ['national', 'province', 'prefecture', 'county'] } }),
    f('year', 'integer', '年份', 'Year', '成立日期所在的日历年。', 'Calendar year of establishment.', { constraints: { required: true, minimum: SERIES_START_YEAR } }),
    f('partial', 'boolean', '未过完', 'Partial', 'true 表示该年在数据截至日期时尚未过完，数字只到截至日期。', 'true when the year is not over at the as-of date: the count runs to the as-of date only.', { constraints: { required: true } }),
    f('category', 'string', '类别', 'Category', '组织类别（民政部分类）。', 'Category of organization (Ministry of Civil Affairs classes).', { constraints: { required: true, enum: CATEGORIES } }),
    f('new_orgs', 'integer', '新增组织数', 'New organizations', '该年成立的该类别组织数（含之后已注销的）。', 'Organizations of the category established that year (including those dissolved since).', { unit: '个', constraints: { required: true, minimum: 0 } }),
    f('undated_not_counted', 'integer', '未计入的缺日期组织', 'Undated, not counted', '该地区没有成立日期、因而不计入任何年份的组织记录数（同一地区各行相同）。', 'Organization records of the area with no establishment date, hence in no year (same on every row of an area).', { unit: '个', constraints: { required: true, minimum: 0 } }),
    asOf,
    sample,
  ],
};

const OBSERVATIONS: TableSpec = {
  name: 'observations',
  path: 'observations.csv',
  title_zh: '公开发布的汇总数字',
  title_en: 'Published aggregate figures',
  description_zh: '数据集 observations/*.csv 中的非逐条数字（培训人次、品牌组织数等），原样发布并注明来源。',
  description_en: 'Aggregate figures from the dataset’s observations/*.csv (training person-times, brand organizations, …), published as given with their source.',
  primaryKey: ['file', 'line'],
  foreignKeys: [{ fields: 'area_code', reference: { resource: 'areas', fields: 'code' } }],
  fields: [
    f('area_code', 'string', '区划代码', 'Area code', '地区的 6 位代码。', '6-digit area code.', { constraints: { required: true, pattern: CODE6 } }),
    f('metric', 'string', '指标', 'Metric', '指标代码（与目标登记表同一词表）。', 'Metric code (the targets registry’s vocabulary).', { constraints: { required: true } }),
    f('value', 'number', '数值', 'Value', '发布的数值；单位由指标决定（见 targets.csv 的 unit）。', 'Published value; the unit follows the metric (see unit in targets.csv).', { constraints: { required: true } }),
    f('as_of', 'date', '截至日期', 'As of', '该数字对应的日期。', 'Date the figure refers to.', { constraints: { required: true } }),
    f('source_title', 'string', '来源', 'Source', '发布该数字的文件或网页标题。', 'Title of the publication giving the figure.', { constraints: { required: true } }),
    f('source_url', 'string', '来源网址', 'Source URL', '来源网址；没有时为空。', 'URL of the source; empty when none.'),
    f('note', 'string', '备注', 'Note', '备注。', 'Note.'),
    f('file', 'string', '输入文件', 'Input file', '数据集中的文件（相对路径）。', 'Input file, relative to the dataset folder.', { constraints: { required: true } }),
    f('line', 'integer', '行号', 'Line', '输入文件中的行号（从 1 起，含表头）。', 'Line in the input file (1-based, header included).', { constraints: { required: true, minimum: 1 } }),
  ],
};

const PUBLISHED: TableSpec = {
  name: 'published',
  path: 'published.csv',
  title_zh: '已公开发布的数字（真实数据）',
  title_en: 'Published figures (real data)',
  description_zh: '政府部门和官方媒体公开发布的数字（data/published/figures.csv），每个附来源、日期、原文和口径；与所加载的数据集无关，从不是示例数据。',
  description_en: 'Figures published by authorities and official media (data/published/figures.csv), each with source, date, quote and definition; independent of the loaded dataset and never sample data.',
  primaryKey: ['id'],
  fields: [
    f('id', 'string', '编号', 'Id', '地区代码-日期-指标。', 'Area code, date and metric.', { constraints: { required: true, unique: true } }),
    f('area_code', 'string', '区划代码', 'Area code', '6 位区划代码；000000 为全国。', '6-digit area code; 000000 is all of China.', { constraints: { required: true, pattern: CODE6 } }),
    f('area_name', 'string', '地区名称', 'Area name', '国家统计局 2023 名称。', 'NBS 2023 name.', { constraints: { required: true } }),
    f('metric', 'string', '指标', 'Metric', '公开数字词表中的指标（见 data/published/README.md）：社会组织 ≠ 社区社会组织；人数 ≠ 人次。', 'Metric of the published-figures vocabulary (data/published/README.md): social organizations ≠ community social organizations; persons ≠ person-times.', { constraints: { required: true } }),
    f('comparator', 'string', '限定', 'Comparator', 'eq 为 / gte 不少于（超过、突破）/ lte 不超过 / approx 约：原文的限定词。', 'eq / gte (at least: 超过, 突破) / lte (at most) / approx: the qualifier of the quote.', { constraints: { required: true, enum: ['eq', 'gte', 'lte', 'approx'] } }),
    f('value', 'number', '数值', 'Value', '原文数字（万、亿已换算）。', 'The number in the quote (万 and 亿 expanded).', { constraints: { required: true } }),
    f('unit', 'string', '单位', 'Unit', '原文单位。', 'Unit as in the quote.', { constraints: { required: true } }),
    f('as_of', 'date', '时点', 'As of', '数字对应的日期；只知年份或月份时为其最后一天。', 'Date the figure refers to; the last day of the year or month when only that is known.', { constraints: { required: true } }),
    f('as_of_precision', 'string', '时点精度', 'As-of precision', 'day / month / year。', 'day / month / year.', { constraints: { required: true, enum: ['day', 'month', 'year'] } }),
    f('as_of_basis', 'string', '时点依据', 'As-of basis', 'stated 原文给出 / published 原文未给出，取发布日期。', 'stated in the text / published: not stated, the publication date.', { constraints: { required: true, enum: ['stated', 'published'] } }),
    f('period_start', 'string', '期间起点', 'Period start', '数字为期间累计时的起点（yyyy、yyyy-mm 或 yyyy-mm-dd）；否则为空。', 'Start of the period a cumulative figure counts from (yyyy, yyyy-mm or yyyy-mm-dd); else empty.', { constraints: { pattern: '^\\d{4}(-\\d{2}(-\\d{2})?)?$' } }),
    f('published_on', 'string', '发布日期', 'Published on', '来源的发布日期（yyyy-mm-dd，只知月份时 yyyy-mm）；不详时为空。', 'Publication date of the source (yyyy-mm-dd, or yyyy-mm when only the month is known); empty when unknown.', { constraints: { pattern: '^\\d{4}(-\\d{2}(-\\d{2})?)?$' } }),
    f('source_title', 'string', '来源标题', 'Source title', '发布该数字的网页或文件标题。', 'Title of the page or document giving the figure.', { constraints: { required: true } }),
    f('source_url', 'string', '来源网址', 'Source URL', '来源网址。', 'URL of the source.', { constraints: { required: true } }),
    f('publisher', 'string', '发布者', 'Publisher', '发布机构或媒体。', 'Publishing body or outlet.', { constraints: { required: true } }),
    f('quote', 'string', '原文', 'Quote', '数字所在的原句，逐字转录。', 'The sentence the figure comes from, verbatim.', { constraints: { required: true } }),
    f('reliability', 'string', '可靠性', 'Reliability', 'high 最可靠 / check_original 应核对原文 / weak 弱。', 'high / check_original / weak.', { constraints: { required: true, enum: ['high', 'check_original', 'weak'] } }),
    f('definition_note', 'string', '口径说明', 'Definition note', '口径、范围或不能得出的结论。', 'Definition, coverage, or what cannot be concluded.'),
  ],
};

const FILE_FIELD = f('file', 'string', '文件', 'File', '数据集中的文件（相对路径）。', 'Input file, relative to the dataset folder.', { constraints: { required: true } });
const SHEET_FIELD = f('sheet', 'string', '工作表', 'Worksheet', 'XLSX 工作簿中的工作表名；CSV 文件为空。', 'Worksheet of an XLSX workbook; empty for a CSV file.');

const REJECTED: TableSpec = {
  name: 'rejected',
  path: 'rejected.csv',
  title_zh: '剔除的行（数据质量报告）',
  title_en: 'Rejected rows (data quality report)',
  description_zh: '没有被采用的每个输入行：文件、行号、列、原因和原值。没有静默丢弃的行。',
  description_en: 'Every input row that was not counted: file, line, column, reason and raw value. Nothing is dropped silently.',
  no_key_reason: {
    zh: '无主键：一行可能因多个原因被剔除，整行问题的 column 为空。',
    en: 'No primary key: a row may be rejected for several reasons, and whole-row problems have an empty column.',
  },
  fields: [
    FILE_FIELD,
    SHEET_FIELD,
    f('line', 'integer', '行号', 'Line', 'CSV 的物理行号或 XLSX 的行号（从 1 起）；0 表示整个文件的问题。', 'Physical CSV line or XLSX row (1-based); 0 for whole-file problems.', { constraints: { required: true, minimum: 0 } }),
    f('column', 'string', '列', 'Column', '输入文件中的列名（原样；两行表头为“上行/下行”）；整行问题为空。', 'Input header as written (a two-row header as "parent/child"); empty for whole-row problems.'),
    f('reason', 'string', '原因', 'Reason', '剔除原因，中文在前，英文在 " / " 之后。', 'Reason, Chinese first, English after " / ".', { constraints: { required: true } }),
    f('value', 'string', '原值', 'Value', '出问题的原值（公式防护见 README）。', 'Offending raw value (formula guard: see README).'),
    f('name', 'string', '组织名称', 'Organization', '该行的组织名称（如有）。', 'Organization name on the row, if any.'),
  ],
};

const WARNINGS: TableSpec = {
  name: 'warnings',
  path: 'warnings.csv',
  title_zh: '有提示的行（数据质量报告）',
  title_en: 'Rows with warnings (data quality report)',
  description_zh:
    '已采用、已计数但有问题的行：问题不影响是否计数（如未知的类别或登记方式用词、注销但没有日期），写明按什么计。一行可能有多条提示。',
  description_en:
    'Rows accepted and counted with a problem that does not change whether they count (an unknown category or registration word, a dissolution without a date), saying what each was counted as. A row may have several warnings.',
  no_key_reason: {
    zh: '无主键：一行可能有多条提示。',
    en: 'No primary key: a row may carry several warnings.',
  },
  fields: [
    FILE_FIELD,
    SHEET_FIELD,
    f('line', 'integer', '行号', 'Line', 'CSV 的物理行号或 XLSX 的行号（从 1 起）。', 'Physical CSV line or XLSX row (1-based).', { constraints: { required: true, minimum: 1 } }),
    f('column', 'string', '列', 'Column', '输入文件中的列名（原样）。', 'Input header as written.'),
    f('value', 'string', '原值', 'Value', '原值；为空表示单元格为空（公式防护见 README）。', 'Raw value; empty when the cell was empty (formula guard: see README).'),
    f('assumed', 'string', '按此计', 'Counted as', '该行按什么计：类别（如“其他”）、登记方式、日期，或“已注销（日期不详）”。', 'What the row was counted as: a category (e.g. 其他), a registration, a date, or dissolved at an unknown date.', { constraints: { required: true } }),
    f('reason', 'string', '原因', 'Reason', '提示内容，中文在前，英文在 " / " 之后。', 'The warning, Chinese first, English after " / ".', { constraints: { required: true } }),
    f('name', 'string', '组织名称', 'Organization', '该行的组织名称。', 'Organization name on the row.'),
  ],
};

const SKIPPED: TableSpec = {
  name: 'skipped',
  path: 'skipped.csv',
  title_zh: '跳过的行和工作表（数据质量报告）',
  title_en: 'Skipped rows and worksheets (data quality report)',
  description_zh: '不是组织的行（合计、小计、表尾、空行、重复的表头、分组标题）和跳过的工作表（汇总表、空表、说明），各注明原因。',
  description_en:
    'Rows that are not organizations (totals, footers, blank rows, repeated headers, group headings) and worksheets skipped (summaries, empty sheets, instructions), each with why.',
  no_key_reason: {
    zh: '无主键：跳过的工作表以 line = 0 列出。',
    en: 'No primary key: a skipped worksheet is listed with line 0.',
  },
  fields: [
    FILE_FIELD,
    SHEET_FIELD,
    f('line', 'integer', '行号', 'Line', 'CSV 的物理行号或 XLSX 的行号（从 1 起）；0 表示整个工作表被跳过。', 'Physical CSV line or XLSX row (1-based); 0 for a whole worksheet skipped.', { constraints: { required: true, minimum: 0 } }),
    f('kind', 'string', '类型', 'Kind', 'total 合计行 / footer 表尾 / blank 空行 / header 重复表头 / heading 分组标题 / sheet 工作表。', 'total / footer / blank / header (repeated) / heading (group label) / sheet (a whole worksheet).', {
      constraints: { required: true, enum: ['total', 'footer', 'blank', 'header', 'heading', 'sheet'] },
    }),
    f('reason', 'string', '原因', 'Reason', '跳过原因，中文在前，英文在 " / " 之后。', 'Why, Chinese first, English after " / ".', { constraints: { required: true } }),
    f('text', 'string', '内容', 'Text', '该行非空单元格的内容，以 " | " 连接（最多 200 字；公式防护见 README）。', 'The row\'s non-empty cells joined by " | " (at most 200 characters; formula guard: see README).'),
  ],
};

const RECONCILIATION: TableSpec = {
  name: 'reconciliation',
  path: 'reconciliation.csv',
  title_zh: '对账',
  title_en: 'Reconciliation',
  description_zh: '每个 CSV 文件一行，工作簿的每个工作表一行：读取行数 = 采用 + 剔除 + 跳过。工作簿的数字是其各工作表之和。',
  description_en: "One row per CSV file and per worksheet of a workbook: rows read = accepted + rejected + skipped. A workbook's figures are the sum of its sheets.",
  no_key_reason: {
    zh: '无主键：file 与 sheet 合起来唯一，但 CSV 文件的 sheet 为空（主键列不能为空）。',
    en: 'No primary key: file and sheet together are unique, but sheet is empty for a CSV file (a key column cannot be empty).',
  },
  fields: [
    FILE_FIELD,
    SHEET_FIELD,
    f('status', 'string', '状态', 'Status', 'read 已读取 / skipped 整个工作表被跳过（原因见 note）。', 'read / skipped (a whole worksheet; why in note).', { constraints: { required: true, enum: ['read', 'skipped'] } }),
    f('encoding', 'string', '编码', 'Encoding', '检测到的编码：utf-8、utf-8-bom、gbk 或 xlsx。', 'Detected encoding: utf-8, utf-8-bom, gbk or xlsx.', { constraints: { required: true } }),
    f('rows_read', 'integer', '读取行数', 'Rows read', '表头以下读取的行数（不含标题行和表头）。', 'Rows read below the header (title and header rows excluded).', { unit: '行', constraints: { required: true, minimum: 0 } }),
    f('accepted', 'integer', '采用', 'Accepted', '被采用的行数。', 'Rows accepted.', { unit: '行', constraints: { required: true, minimum: 0 } }),
    f('rejected', 'integer', '剔除', 'Rejected', '被剔除的行数（明细见 rejected.csv）。', 'Rows rejected (listed in rejected.csv).', { unit: '行', constraints: { required: true, minimum: 0 } }),
    f('skipped', 'integer', '跳过', 'Skipped', '不是组织而跳过的行数（明细见 skipped.csv）。', 'Rows skipped as not organizations (listed in skipped.csv).', { unit: '行', constraints: { required: true, minimum: 0 } }),
    f('warnings', 'integer', '有提示', 'With warnings', '已采用但有提示的行数（明细见 warnings.csv）。', 'Accepted rows with a warning (listed in warnings.csv).', { unit: '行', constraints: { required: true, minimum: 0 } }),
    f('ignored_columns', 'string', '忽略的列', 'Ignored columns', '未识别而忽略的列名，以 ; 分隔。', 'Unrecognised columns that were ignored, separated by ";".'),
    f('note', 'string', '说明', 'Note', '跳过工作表的原因；否则为空。', 'Why a worksheet was skipped; else empty.'),
  ],
};

/** Every tabular download, in the order the data page and README list them. */
export const TABLES: readonly TableSpec[] = [
  AREAS, COMMUNITIES, TOWNSHIPS, BY_CATEGORY, PROGRESS, TIMESERIES, NEW_BY_YEAR, TARGETS, OBSERVATIONS, PUBLISHED, REJECTED, WARNINGS, SKIPPED, RECONCILIATION,
];

export const ZIP_NAME = 'cso-monitor-data.zip';

/** Per-area files: same schema as areas.csv, under areas/ (an area's communities are in its province's part of communities/). */
export const AREA_FILE = {
  areas: (code: string) => `areas/${code}.csv`,
  schema: { areas: 'schemas/areas.json', communities: 'schemas/communities.json' },
} as const;

/** Every non-tabular download. */
export const FILES: readonly FileSpec[] = [
  {
    path: 'targets.json', format: 'json', mediatype: 'application/json',
    title_zh: '目标登记表（JSON）', title_en: 'Targets registry (JSON)',
    description_zh: '完整的目标登记表：版本、五份文件（标题、发文机关、文号、日期）和全部目标，与 data/targets/registry.json 相同。',
    description_en: 'The full targets registry: version, the five documents (title, issuer, number, date) and every target; identical to data/targets/registry.json.',
  },
  {
    path: 'provenance.json', format: 'json', mediatype: 'application/json',
    title_zh: '来源清单', title_en: 'Provenance manifest',
    description_zh: '重现本次构建所需的一切：每个输入文件的 SHA-256、参考数据包版本、目标登记表版本、软件版本和构建时间。',
    description_en: 'What it takes to reproduce this build: SHA-256 of every input file, reference package versions, registry version, software version and build time.',
  },
  {
    path: 'README.md', format: 'md', mediatype: 'text/markdown',
    title_zh: '说明', title_en: 'README',
    description_zh: '数据是什么、谁发布、许可、截至日期、如何引用、每列的含义。',
    description_en: 'What the data is, who publishes it, licence, as-of date, how to cite, what each column means.',
  },
  {
    path: 'CITATION.txt', format: 'txt', mediatype: 'text/plain',
    title_zh: '引用格式', title_en: 'How to cite',
    description_zh: 'GB/T 7714-2015 与 APA（第 7 版）引用格式。',
    description_en: 'Citation in GB/T 7714-2015 and APA (7th edition) style.',
  },
  {
    path: AREA_FILE.schema.areas, format: 'json', mediatype: 'application/json',
    title_zh: '地区表结构', title_en: 'Areas table schema',
    description_zh: 'areas.csv 的 Frictionless Table Schema，供 areas/{代码}.csv 引用。',
    description_en: 'Frictionless Table Schema of areas.csv, referenced by areas/{code}.csv.',
  },
  {
    path: AREA_FILE.schema.communities, format: 'json', mediatype: 'application/json',
    title_zh: '社区表结构', title_en: 'Communities table schema',
    description_zh: '社区表的 Frictionless Table Schema，供 communities/{省代码}.csv.gz 引用。',
    description_en: 'Frictionless Table Schema of the communities table, referenced by communities/{province}.csv.gz.',
  },
];

export const DATAPACKAGE_FILE: FileSpec = {
  path: 'datapackage.json', format: 'json', mediatype: 'application/json',
  title_zh: '数据包描述（Frictionless）', title_en: 'Data package descriptor (Frictionless)',
  description_zh: 'Frictionless Data Package 描述文件：每个文件的路径、格式、字段类型、说明、单位、主键、许可和来源。',
  description_en: 'Frictionless Data Package descriptor: every file’s path, format, field types, descriptions, units, primary keys, licence and sources.',
};

export const ZIP_FILE: FileSpec = {
  path: ZIP_NAME, format: 'zip', mediatype: 'application/zip',
  title_zh: '全部数据（ZIP）', title_en: 'Everything (ZIP)',
  description_zh: '以上全部给程序读的文件（含各地区文件、datapackage.json、provenance.json、README.md 和引用格式）打成一个压缩包；.xlsx 工作簿不在其中，请单独下载。',
  description_en: 'Every file for programs above (per-area files, datapackage.json, provenance.json, README.md and citation included) in one archive; the .xlsx workbooks are not in it: download them one by one.',
};

/** The CSV conventions, stated once for the README and the pages. */
export const CSV_CONVENTIONS = {
  zh: [
    'CSV 是给程序读的：UTF-8 编码、不带 BOM（Frictionless、pandas、R readr、DuckDB 按默认设置即可读出中文和正确的表头）；行尾 CRLF；按 RFC 4180 加引号。用 Excel 或 WPS 查看请下载同名 .xlsx 工作簿：双击即可打开，中文不乱码，区划代码保持为文本。',
    '日期为 ISO 8601（yyyy-mm-dd），小数点为“.”，不用千位分隔符；缺失值为空单元格（无数据，不是 0）。',
    '防公式注入：CSV 和 .xlsx 中以 = + - @ 制表符或回车开头的文本单元格前都加一个英文单引号 \'，电子表格会把它当作文本（CSV 也可能被电子表格打开，所以同样保留）。用程序读取时，若文本以 \' 开头且第二个字符是上述字符之一，去掉这个单引号即得原值。数字列不加（负数是数据，不是公式）。',
    '布尔值写作 true / false；区划代码是文本（保留前导零）。',
  ],
  en: [
    'CSV files are for programs: UTF-8 without a BOM (Frictionless, pandas, R readr and DuckDB read the Chinese text and the first header correctly with default options); CRLF line ends; RFC 4180 quoting. To view a table in Excel or WPS, download the .xlsx workbook of the same name: it opens by double-click, Chinese intact, division codes kept as text.',
    'Dates are ISO 8601 (yyyy-mm-dd), decimals use ".", no thousands separators; a missing value is an empty cell (no data, not zero).',
    'Formula-injection guard: in the CSV and .xlsx files alike, a text cell starting with = + - @ tab or carriage return gets a leading apostrophe \', so spreadsheets show it as text (CSVs get opened in spreadsheets too, so they keep it). Reading with a program, drop a leading \' when the next character is one of those to recover the original. Numeric columns are never prefixed (a negative number is data, not a formula).',
    'Booleans are written true / false; division codes are text (leading zeros kept).',
  ],
} as const;

// ---------------------------------------------------------------------------------------------
// Frictionless descriptor

export interface FrictionlessField {
  name: string;
  type: FieldType;
  title: string;
  description: string;
  format?: string;
  unit?: string;
  constraints?: FieldSpec['constraints'];
  trueValues?: string[];
  falseValues?: string[];
}

export interface TableSchema {
  fields: FrictionlessField[];
  missingValues: string[];
  primaryKey?: string[];
  foreignKeys?: ForeignKey[];
}

export function tableSchema(table: TableSpec): TableSchema {
  return {
    fields: table.fields.map((field) => ({
      name: field.name,
      type: field.type,
      title: `${field.title_zh} / ${field.title_en}`,
      description: `${field.description_zh} / ${field.description_en}`,
      ...(field.type === 'date' ? { format: 'default' } : {}),
      ...(field.unit ? { unit: field.unit } : {}),
      ...(field.type === 'boolean' ? { trueValues: ['true'], falseValues: ['false'] } : {}),
      ...(field.constraints ? { constraints: field.constraints } : {}),
    })),
    missingValues: [''],
    ...(table.primaryKey ? { primaryKey: table.primaryKey } : {}),
    ...(table.foreignKeys ? { foreignKeys: table.foreignKeys } : {}),
  };
}

/** What the pipeline knows about each written file, for `bytes` and `hash`. */
export interface FileFacts {
  bytes: number;
  sha256: string;
}

export interface DatapackageInput {
  meta: { title: string; title_en?: string; publisher: string; license: string; as_of: string; sample: boolean; description?: string; source_url?: string };
  softwareVersion: string;
  registryVersion: string;
  divisions: { package: string; version: string; dataset: string; license: string | null };
  documents: { title: string; issuer: string; number: string | null; date: string; url: string | null }[];
  /** Every written file (path under /data/ → facts), including per-area files. */
  files: Map<string, FileFacts | null>;
  /** Header of every written CSV, to prove each column is described. */
  headers: Map<string, string[]>;
  /** Absolute URL of the /data/ page once the site is published (SITE_URL); null or absent: no homepage. */
  homepage?: string | null;
}

function resourceFacts(path: string, files: Map<string, FileFacts | null>) {
  const facts = files.get(path);
  if (facts === undefined) throw new Error(`datapackage: ${path} is described but was not written`);
  // null: the file carries the build time, so its size and hash are not repeated elsewhere.
  return facts === null ? {} : { bytes: facts.bytes, hash: `sha256:${facts.sha256}` };
}

function checkHeader(path: string, table: TableSpec, headers: Map<string, string[]>) {
  const header = headers.get(path);
  if (!header) throw new Error(`datapackage: no header recorded for ${path}`);
  const described = table.fields.map((x) => x.name);
  const undescribed = header.filter((c) => !described.includes(c));
  const extra = described.filter((c) => !header.includes(c));
  if (undescribed.length || extra.length || header.join(',') !== described.join(',')) {
    throw new Error(
      `datapackage: ${path} columns and the dictionary differ` +
        (undescribed.length ? `; not described: ${undescribed.join(', ')}` : '') +
        (extra.length ? `; described but absent: ${extra.join(', ')}` : '') +
        (!undescribed.length && !extra.length ? '; order differs' : ''),
    );
  }
}

/** Resource names must be lowercase slugs: areas/511100.csv → area-511100. */
const perAreaName = (path: string) => 'area-' + path.replace(/^areas\//, '').replace(/\.csv$/, '');

export function buildDatapackage(input: DatapackageInput): Record<string, unknown> {
  const { meta } = input;
  const sources = sourceEntries(input);
  const resources: Record<string, unknown>[] = [];
  // Profiles: src/lib/publish/package-profile.ts (CSV → tabular-data-resource, everything else → data-resource).
  const csvResource = (path: string) => ({ format: 'csv', mediatype: 'text/csv', encoding: 'utf-8', dialect: CSV_DIALECT, ...resourceFacts(path, input.files) });
  // The Parquet twin of a table: the same schema (types and all), one file for every part.
  const parquetResource = (table: TableSpec, schema: unknown, rights: object, description: string) => {
    for (const path of parquetPaths(table, input.files.keys())) {
      const part = table.partition ? path.slice(table.partition.dir.length + 1).replace(/\.parquet$/, '') : null;
      resources.push({
        name: `${table.name}${part ? `-${part}` : ''}-parquet`, path, profile: FILE_PROFILE,
        title: `${table.title_zh}${part ? ` ${part}` : ''} / ${table.title_en}${part ? ` ${part}` : ''} (Parquet)`, description,
        format: 'parquet', mediatype: 'application/vnd.apache.parquet', ...resourceFacts(path, input.files), schema, ...rights,
      });
    }
  };
  for (const table of TABLES) {
    const schema = tableSchema(table);
    const rights = tableRights(table.name, input, sources);
    const description = `${table.description_zh} / ${table.description_en}`;
    if (table.partition) {
      // One resource per province part (communities/44.csv.gz …), each with the table's schema.
      const parts = [...input.files.keys()].filter((p) => isPartOf(table, p)).sort();
      for (const path of parts) {
        checkHeader(path, table, input.headers);
        const code = partName(table, path);
        // gzip-compressed CSV: Frictionless v2 readers (frictionless-py 5) read it through `compression`; the v1
        // profile tabular-data-resource has no compression, so a v1 reader (datapackage-js) sees a data-resource
        // and does not try to parse the gzip bytes as text.
        resources.push({
          name: `${table.name}-${code}`, path, profile: FILE_PROFILE,
          title: `${table.title_zh} ${code} / ${table.title_en} ${code}`, description,
          ...csvResource(path), compression: 'gz', schema: table.partition.schema, ...rights,
        });
      }
      if (table.parquet_path) parquetResource(table, table.partition.schema, rights, description);
      continue;
    }
    checkHeader(table.path, table, input.headers);
    // a gzip-compressed table is a data-resource with `compression` (see the communities parts above)
    const gz = table.path.endsWith('.csv.gz');
    resources.push({
      name: table.name, path: table.path, profile: gz ? FILE_PROFILE : TABLE_PROFILE, title: `${table.title_zh} / ${table.title_en}`, description,
      ...csvResource(table.path), ...(gz ? { compression: 'gz' } : {}), schema, ...rights,
    });
    if (table.parquet_path) parquetResource(table, schema, rights, description);
    if (table.json_path) {
      // An array of row objects with the table's fields: described by the same schema, but not a CSV table.
      resources.push({
        name: `${table.name}-json`, path: table.json_path, profile: FILE_PROFILE, title: `${table.title_zh} / ${table.title_en}`, description,
        format: 'json', mediatype: 'application/json', encoding: 'utf-8', ...resourceFacts(table.json_path, input.files), schema, ...rights,
      });
    }
  }
  // Per-area files: many small resources sharing one schema file.
  const perArea = [...input.files.keys()].filter((p) => p.startsWith('areas/') && p.endsWith('.csv')).sort();
  const perAreaRights = tableRights('areas', input, sources);
  for (const path of perArea) {
    checkHeader(path, AREAS, input.headers);
    const code = path.replace(/^areas\//, '').replace(/\.csv$/, '');
    resources.push({
      name: perAreaName(path),
      path,
      profile: TABLE_PROFILE,
      title: `${code} 及下辖地区 / area ${code} and its children`,
      ...csvResource(path),
      schema: AREA_FILE.schema.areas,
      ...perAreaRights,
    });
  }
  for (const file of FILES) {
    resources.push({
      name: file.path.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, ''),
      path: file.path,
      profile: FILE_PROFILE,
      title: `${file.title_zh} / ${file.title_en}`,
      description: `${file.description_zh} / ${file.description_en}`,
      format: file.format,
      mediatype: file.mediatype,
      encoding: 'utf-8',
      ...resourceFacts(file.path, input.files),
      ...fileRights(file.path, input, sources),
    });
  }

  return {
    profile: PACKAGE_PROFILE,
    name: 'cso-monitor',
    title: `社区社会组织培育发展监测：${meta.title} / CSO Monitor: ${meta.title_en ?? meta.title}`,
    description:
      (meta.sample ? '示例数据，非官方统计。 / SAMPLE DATA, not official statistics. ' : '') +
      '各地区社区社会组织数量与政策目标的差距（按国家统计局 2023 区划汇总）。 / Community social organizations in each area against the policy targets (aggregated by NBS 2023 divisions).' +
      (meta.description ? ` ${meta.description}` : ''),
    version: input.softwareVersion,
    ...(input.homepage ? { homepage: input.homepage } : {}),
    keywords: ['社区社会组织', 'community social organizations', 'China', '民政'],
    contributors: [{ title: meta.publisher, role: 'publisher' }],
    licenses: [licenseEntry(meta.license)],
    sources: [...sources.divisions, ...sources.documents, ...sources.dataset],
    // Custom properties (allowed by the spec): what a reader must know before using the numbers.
    as_of: meta.as_of,
    sample: meta.sample,
    registry_version: input.registryVersion,
    resources,
  };
}

/** Markdown table of one schema, for the README. */
function fieldTableMarkdown(table: TableSpec): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const rows = table.fields.map(
    (x) => `| \`${x.name}\` | ${x.type} | ${x.unit ?? ''} | ${esc(x.title_zh)} — ${esc(x.description_zh)}<br>${esc(x.title_en)} — ${esc(x.description_en)} |`,
  );
  return ['| column | type | unit | meaning |', '|---|---|---|---|', ...rows].join('\n');
}

export interface ReadmeInput {
  meta: DatapackageInput['meta'];
  softwareVersion: string;
  registryVersion: string;
  divisions: DatapackageInput['divisions'];
  citation: { gbt7714: string; apa: string };
  files: Map<string, FileFacts | null>;
  rows: Map<string, number>;
}

export function buildReadme(input: ReadmeInput): string {
  const { meta } = input;
  const lines: string[] = [];
  lines.push(`# 社区社会组织培育发展监测 — 数据下载 / CSO Monitor — data downloads`, '');
  if (meta.sample) lines.push('> **示例数据，非官方统计。** 数字仅用于演示，不代表任何地区的实际情况。', '> **SAMPLE DATA, not official statistics.** The figures describe no real area.', '');
  lines.push('## 是什么 / What', '');
  lines.push(`- 数据集 / dataset: ${meta.title}${meta.title_en ? ` (${meta.title_en})` : ''}`);
  lines.push(`- 发布者 / publisher: ${meta.publisher}`);
  lines.push(`- 许可 / licence: ${meta.license}`);
  lines.push(`- 数据截至 / as of: ${meta.as_of}`);
  lines.push(`- 区划 / divisions: ${input.divisions.dataset}, npm ${input.divisions.package}@${input.divisions.version}`);
  lines.push(`- 目标登记表版本 / targets registry version: ${input.registryVersion}`);
  lines.push(`- 软件版本 / software version: ${input.softwareVersion}`);
  lines.push('- 构建时间与输入文件哈希见 provenance.json / build time and input file hashes: see provenance.json');
  if (meta.description) lines.push(`- 说明 / description: ${meta.description}`);
  lines.push('', '每个地区的社区社会组织数量（截至日期在册），按城市社区、农村社区分别计算社区平均数，对照适用的政策目标，给出尚缺组织数。方法见网站“方法说明”页。');
  lines.push('Organizations active at the as-of date in each area, per urban and per rural community, against the applicable policy target, with the number still needed. See the methodology page.', '');
  lines.push('## 如何引用 / How to cite', '', 'GB/T 7714-2015:', '', `    ${input.citation.gbt7714}`, '', 'APA (7th ed.):', '', `    ${input.citation.apa}`, '');
  lines.push('## CSV 约定 / CSV conventions', '');
  for (const line of CSV_CONVENTIONS.zh) lines.push(`- ${line}`);
  for (const line of CSV_CONVENTIONS.en) lines.push(`- ${line}`);
  lines.push('', '## 文件 / Files', '');
  lines.push('给程序读的文件（CSV、JSON、Parquet，均在 datapackage.json 中描述） / Files for programs (CSV, JSON, Parquet; all described in datapackage.json):', '');
  lines.push('| file | rows | bytes | description |', '|---|---|---|---|');
  for (const table of TABLES) {
    if (table.partition) {
      const parts = [...input.files.keys()].filter((p) => isPartOf(table, p)).sort();
      const rows = parts.reduce((n, p) => n + (input.rows.get(p) ?? 0), 0);
      const bytes = parts.reduce((n, p) => n + (input.files.get(p)?.bytes ?? 0), 0);
      lines.push(`| \`${table.path}\` (${parts.length}) | ${rows} | ${bytes} | ${table.title_zh} / ${table.title_en}: ${table.description_zh} ${table.description_en} |`);
      const pq = parquetPaths(table, input.files.keys());
      if (pq.length) {
        const pqBytes = pq.reduce((n, p) => n + (input.files.get(p)?.bytes ?? 0), 0);
        lines.push(`| \`${table.parquet_path}\` (${pq.length}) | ${rows} | ${pqBytes} | ${table.title_zh} / ${table.title_en}（Parquet，按省分文件，同 CSV / Parquet, one file per province as the CSVs） |`);
      }
      continue;
    }
    for (const path of [table.path, table.json_path, table.parquet_path].filter((p): p is string => !!p)) {
      lines.push(`| \`${path}\` | ${input.rows.get(path) ?? ''} | ${input.files.get(path)?.bytes ?? ''} | ${table.title_zh} / ${table.title_en}: ${table.description_zh} ${table.description_en} |`);
    }
  }
  const perArea = [...input.files.keys()].filter((p) => p.startsWith('areas/'));
  lines.push(`| \`areas/{code}.csv\` (${perArea.filter((p) => p.endsWith('.csv')).length}) | | | 该地区一行及其下辖地区各一行，列同 areas.csv。 / The area's row and its child areas' rows, columns as areas.csv. |`);
  for (const file of [...FILES, DATAPACKAGE_FILE]) {
    lines.push(`| \`${file.path}\` | | ${input.files.get(file.path)?.bytes ?? ''} | ${file.title_zh} / ${file.title_en}: ${file.description_zh} ${file.description_en} |`);
  }
  lines.push('', '给人看的文件（Excel/WPS 双击打开；在网站 /data/ 下单独下载，不在本压缩包和 datapackage.json 中，校验整个数据包的程序因此不必读取 Excel） / Files for people (open by double-click in Excel/WPS; downloaded one by one from /data/ on the site, not in this archive nor in datapackage.json, so a program validating the package never needs an Excel reader):', '');
  lines.push('| file | rows | bytes | SHA-256 | description |', '|---|---|---|---|---|');
  for (const table of TABLES) {
    const path = workbookPath(table.path);
    const facts = input.files.get(path);
    if (facts === undefined) continue;
    lines.push(`| \`${path}\` | ${input.rows.get(table.path) ?? ''} | ${facts?.bytes ?? ''} | ${facts?.sha256 ?? ''} | ${table.title_zh}（Excel/WPS 工作簿，数据同 ${table.path}） / ${table.title_en} (Excel/WPS workbook, the data of ${table.path}) |`);
  }
  const longTables = TABLES.filter((t) => !t.partition && input.files.has(t.path) && !input.files.has(workbookPath(t.path))).map((t) => `\`${t.path}\``);
  if (longTables.length) lines.push(`| ${longTables.join(', ')} | | | | 超过 10 万行的表没有工作簿，请用 CSV 或 Parquet / tables longer than 100,000 rows have no workbook: use the CSV or Parquet |`);
  lines.push(`| \`areas/{code}.xlsx\` (${perArea.filter((p) => p.endsWith('.xlsx')).length}) | | | | 该地区的 Excel/WPS 工作簿：地区表（区县另有社区表），另有“说明”和“来源”。 / The area's Excel/WPS workbook: its areas sheet (a county also its communities), plus Definitions and Sources. |`);
  lines.push('', 'SHA-256 of every file for programs: datapackage.json (`hash`); of the inputs: provenance.json.', '');
  lines.push('## 列的含义 / Column meanings', '');
  for (const table of TABLES) {
    lines.push(`### ${table.path}${table.json_path ? ` / ${table.json_path}` : ''}`, '', `${table.description_zh}`, `${table.description_en}`, '');
    lines.push(table.primaryKey ? `主键 / primary key: ${table.primaryKey.map((k) => `\`${k}\``).join(' + ')}` : `${table.no_key_reason?.zh ?? ''} ${table.no_key_reason?.en ?? ''}`, '');
    lines.push(fieldTableMarkdown(table), '');
  }
  return lines.join('\n');
}
