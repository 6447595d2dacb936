/**
 * The data dictionary: ONE description of every published file and column. It renders
 *   - datapackage.json (Frictionless Data Package v1 descriptor),
 *   - the README.md inside the zip, and
 *   - the /data/dictionary/ page.
 * The CSV column order itself is owned by src/lib/outputs.ts; `buildDatapackage` fails the build when a
 * column has no entry here (or an entry has no column), so the two cannot drift apart.
 */
import { CATEGORIES, REGISTRATIONS } from './types';
import { APPLIES_TO, COMPARATORS, TARGET_METRICS } from './targets';

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
  title_zh: string;
  title_en: string;
  description_zh: string;
  description_en: string;
  fields: FieldSpec[];
  primaryKey?: string[];
  foreignKeys?: ForeignKey[];
  /** Why there is no primary key, when there is none (said in the dictionary, not left implicit). */
  no_key_reason?: { zh: string; en: string };
}

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
  description_zh: '每个省、市（州）、区县一行：社区数、在册组织数、社区平均数、适用目标、尚缺组织数和状态。',
  description_en: 'One row per province, prefecture and county: units, active organizations, per-community density, applicable target, gap and status.',
  primaryKey: ['code'],
  foreignKeys: [
    { fields: 'urban_target_id', reference: { resource: 'targets', fields: 'id' } },
    { fields: 'rural_target_id', reference: { resource: 'targets', fields: 'id' } },
  ],
  fields: [
    f('code', 'string', '区划代码', 'Code', '国家统计局 2023 统计用区划代码前 6 位（省、市、区县）。', 'NBS 2023 statistical division code, first 6 digits (province, prefecture, county).', { constraints: { required: true, unique: true, pattern: CODE6 } }),
    f('name', 'string', '名称', 'Name', '国家统计局 2023 区划名称。', 'NBS 2023 name.', { constraints: { required: true } }),
    f('level', 'string', '层级', 'Level', 'province 省 / prefecture 市（州） / county 区县。', 'province, prefecture or county.', { constraints: { required: true, enum: ['province', 'prefecture', 'county'] } }),
    f('parent_code', 'string', '上级代码', 'Parent code', '上级地区的 6 位代码；省为空。', '6-digit code of the enclosing area; empty for a province.', { constraints: { pattern: CODE6 } }),
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
    asOf,
    sample,
  ],
};

const COMMUNITIES: TableSpec = {
  name: 'communities',
  path: 'communities.csv',
  json_path: 'communities.json',
  title_zh: '社区（村）',
  title_en: 'Communities',
  description_zh: '数据集覆盖的区县中每个村级单位（居委会、村委会等）一行：在册组织数、目标和缺口。',
  description_en: 'One row per village-level unit (居委会, 村委会, …) in the counties the dataset covers: active organizations, target and gap.',
  primaryKey: ['code'],
  foreignKeys: [{ fields: 'county_code', reference: { resource: 'areas', fields: 'code' } }],
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
    f('level', 'string', '层级', 'Level', 'province / prefecture / county。', 'province, prefecture or county.', { constraints: { required: true, enum: ['province', 'prefecture', 'county'] } }),
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
    f('file', 'string', '文件', 'File', '数据集中的文件（相对路径）。', 'Input file, relative to the dataset folder.', { constraints: { required: true } }),
    f('line', 'integer', '行号', 'Line', 'CSV 的物理行号或 XLSX 的行号（从 1 起）；0 表示整个文件的问题。', 'Physical CSV line or XLSX row (1-based); 0 for whole-file problems.', { constraints: { required: true, minimum: 0 } }),
    f('column', 'string', '列', 'Column', '输入文件中的列名（原样）；整行问题为空。', 'Input header as written; empty for whole-row problems.'),
    f('reason', 'string', '原因', 'Reason', '剔除原因，中文在前，英文在 " / " 之后。', 'Reason, Chinese first, English after " / ".', { constraints: { required: true } }),
    f('value', 'string', '原值', 'Value', '出问题的原值（公式防护见 README）。', 'Offending raw value (formula guard: see README).'),
    f('name', 'string', '组织名称', 'Organization', '该行的组织名称（如有）。', 'Organization name on the row, if any.'),
  ],
};

const RECONCILIATION: TableSpec = {
  name: 'reconciliation',
  path: 'reconciliation.csv',
  title_zh: '对账',
  title_en: 'Reconciliation',
  description_zh: '每个输入文件一行：读取行数 = 采用 + 剔除。',
  description_en: 'One row per input file: rows read = accepted + rejected.',
  primaryKey: ['file'],
  fields: [
    f('file', 'string', '文件', 'File', '数据集中的文件（相对路径）。', 'Input file, relative to the dataset folder.', { constraints: { required: true, unique: true } }),
    f('encoding', 'string', '编码', 'Encoding', '检测到的编码：utf-8、utf-8-bom、gbk 或 xlsx。', 'Detected encoding: utf-8, utf-8-bom, gbk or xlsx.', { constraints: { required: true } }),
    f('rows_read', 'integer', '读取行数', 'Rows read', '读取的数据行数（不含表头）。', 'Data rows read (header excluded).', { unit: '行', constraints: { required: true, minimum: 0 } }),
    f('accepted', 'integer', '采用', 'Accepted', '被采用的行数。', 'Rows accepted.', { unit: '行', constraints: { required: true, minimum: 0 } }),
    f('rejected', 'integer', '剔除', 'Rejected', '被剔除的行数（明细见 rejected.csv）。', 'Rows rejected (listed in rejected.csv).', { unit: '行', constraints: { required: true, minimum: 0 } }),
    f('ignored_columns', 'string', '忽略的列', 'Ignored columns', '未识别而忽略的列名，以 ; 分隔。', 'Unrecognised columns that were ignored, separated by ";".'),
  ],
};

/** Every tabular download, in the order the data page and README list them. */
export const TABLES: readonly TableSpec[] = [AREAS, COMMUNITIES, TOWNSHIPS, BY_CATEGORY, TARGETS, OBSERVATIONS, REJECTED, RECONCILIATION];

export const ZIP_NAME = 'cso-monitor-data.zip';

/** Per-area files: same schema as areas.csv / communities.csv, under areas/. */
export const AREA_FILE = {
  areas: (code: string) => `areas/${code}.csv`,
  communities: (code: string) => `areas/${code}-communities.csv`,
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
    description_zh: 'communities.csv 的 Frictionless Table Schema，供 areas/{代码}-communities.csv 引用。',
    description_en: 'Frictionless Table Schema of communities.csv, referenced by areas/{code}-communities.csv.',
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
  description_zh: '以上全部文件（含各地区文件、datapackage.json、provenance.json、README.md 和引用格式）打成一个压缩包。',
  description_en: 'All of the above (per-area files, datapackage.json, provenance.json, README.md and citation included) in one archive.',
};

/** The CSV conventions, stated once for the README and the pages. */
export const CSV_CONVENTIONS = {
  zh: [
    'UTF-8 编码，带 BOM（Excel 直接打开即可正确显示中文）；行尾 CRLF；按 RFC 4180 加引号。',
    '日期为 ISO 8601（yyyy-mm-dd），小数点为“.”，不用千位分隔符；缺失值为空单元格（无数据，不是 0）。',
    '防公式注入：以 = + - @ 制表符或回车开头的文本单元格前加一个英文单引号 \'，电子表格会把它当作文本。还原原值时去掉这个单引号。数字列不加（负数是数据，不是公式）。',
    '布尔值写作 true / false；区划代码是文本（保留前导零）。',
  ],
  en: [
    'UTF-8 with a BOM (Excel shows Chinese correctly); CRLF line ends; RFC 4180 quoting.',
    'Dates are ISO 8601 (yyyy-mm-dd), decimals use ".", no thousands separators; a missing value is an empty cell (no data, not zero).',
    'Formula-injection guard: a text cell starting with = + - @ tab or carriage return gets a leading apostrophe \', so spreadsheets show it as text. Remove that apostrophe to recover the original. Numeric columns are never prefixed (a negative number is data, not a formula).',
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
  created: string; // ISO date-time (provenance's build time)
  divisions: { package: string; version: string; dataset: string; license: string | null };
  documents: { title: string; issuer: string; number: string | null; date: string; url: string | null }[];
  /** Every written file (path under /data/ → facts), including per-area files. */
  files: Map<string, FileFacts>;
  /** Header of every written CSV, to prove each column is described. */
  headers: Map<string, string[]>;
}

/** SPDX-looking licence ids become `name`; free text stays a `title` only. */
function licenseEntry(license: string): { name?: string; title: string; path?: string } {
  const trimmed = license.trim();
  const spdx = /^[A-Za-z0-9][A-Za-z0-9.+-]*$/.test(trimmed);
  const cc = /^CC-(BY|BY-SA|BY-NC|BY-ND|BY-NC-SA|BY-NC-ND)-(\d\.\d)$/i.exec(trimmed);
  return {
    ...(spdx ? { name: trimmed } : {}),
    title: trimmed,
    ...(cc ? { path: `https://creativecommons.org/licenses/${cc[1].toLowerCase()}/${cc[2]}/` } : {}),
  };
}

function resourceFacts(path: string, files: Map<string, FileFacts>) {
  const facts = files.get(path);
  if (!facts) throw new Error(`datapackage: ${path} is described but was not written`);
  return { bytes: facts.bytes, hash: `sha256:${facts.sha256}` };
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

/** Resource names must be lowercase slugs: areas/511102-communities.csv → area-511102-communities. */
const perAreaName = (path: string) => 'area-' + path.replace(/^areas\//, '').replace(/\.csv$/, '');

export function buildDatapackage(input: DatapackageInput): Record<string, unknown> {
  const { meta } = input;
  const resources: Record<string, unknown>[] = [];
  for (const table of TABLES) {
    checkHeader(table.path, table, input.headers);
    const schema = tableSchema(table);
    const description = `${table.description_zh} / ${table.description_en}`;
    const common = { profile: 'tabular-data-resource', title: `${table.title_zh} / ${table.title_en}`, description };
    resources.push({
      name: table.name,
      path: table.path,
      ...common,
      format: 'csv',
      mediatype: 'text/csv',
      // The file starts with a BOM (for Excel); a UTF-8 decoder that honours BOMs reads it as plain UTF-8.
      encoding: 'utf-8',
      dialect: { delimiter: ',', lineTerminator: '\r\n', quoteChar: '"', doubleQuote: true, header: true },
      ...resourceFacts(table.path, input.files),
      schema,
    });
    if (table.json_path) {
      resources.push({
        name: `${table.name}-json`,
        path: table.json_path,
        ...common,
        format: 'json',
        mediatype: 'application/json',
        encoding: 'utf-8',
        ...resourceFacts(table.json_path, input.files),
        schema,
      });
    }
  }
  // Per-area files: many small resources sharing one schema file.
  const perArea = [...input.files.keys()].filter((p) => p.startsWith('areas/')).sort();
  for (const path of perArea) {
    const communities = path.endsWith('-communities.csv');
    const table = communities ? COMMUNITIES : AREAS;
    checkHeader(path, table, input.headers);
    const code = path.replace(/^areas\//, '').replace(/(-communities)?\.csv$/, '');
    resources.push({
      name: perAreaName(path),
      path,
      profile: 'tabular-data-resource',
      title: communities ? `${code} 社区（村） / communities of ${code}` : `${code} 及下辖地区 / area ${code} and its children`,
      format: 'csv',
      mediatype: 'text/csv',
      encoding: 'utf-8',
      ...resourceFacts(path, input.files),
      schema: communities ? AREA_FILE.schema.communities : AREA_FILE.schema.areas,
    });
  }
  for (const file of FILES) {
    resources.push({
      name: file.path.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, ''),
      path: file.path,
      title: `${file.title_zh} / ${file.title_en}`,
      description: `${file.description_zh} / ${file.description_en}`,
      format: file.format,
      mediatype: file.mediatype,
      encoding: 'utf-8',
      ...resourceFacts(file.path, input.files),
    });
  }

  const sources = [
    {
      title: `${input.divisions.dataset}（npm ${input.divisions.package}@${input.divisions.version}${input.divisions.license ? `，${input.divisions.license}` : ''}）`,
      path: `https://www.npmjs.com/package/${input.divisions.package}/v/${input.divisions.version}`,
    },
    ...input.documents.map((d) => ({
      title: `${d.issuer}：${d.title}${d.number ? `（${d.number}）` : ''}，${d.date}`,
      ...(d.url ? { path: d.url } : {}),
    })),
    {
      title: `${meta.title}（${meta.publisher}，截至 ${meta.as_of}${meta.sample ? '，示例数据' : ''}）`,
      ...(meta.source_url && /^https?:\/\//.test(meta.source_url) ? { path: meta.source_url } : {}),
    },
  ];

  return {
    profile: 'tabular-data-package',
    name: 'cso-monitor',
    title: `社区社会组织培育发展监测：${meta.title} / CSO Monitor: ${meta.title_en ?? meta.title}`,
    description:
      (meta.sample ? '示例数据，非官方统计。 / SAMPLE DATA, not official statistics. ' : '') +
      '各地区社区社会组织数量与政策目标的差距（按国家统计局 2023 区划汇总）。 / Community social organizations in each area against the policy targets (aggregated by NBS 2023 divisions).' +
      (meta.description ? ` ${meta.description}` : ''),
    version: input.softwareVersion,
    created: input.created,
    keywords: ['社区社会组织', 'community social organizations', 'China', '民政'],
    contributors: [{ title: meta.publisher, role: 'publisher' }],
    licenses: [licenseEntry(meta.license)],
    sources,
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
  created: string;
  createdSource: string;
  divisions: DatapackageInput['divisions'];
  citation: { gbt7714: string; apa: string };
  files: Map<string, FileFacts>;
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
  lines.push(`- 构建时间 / built: ${input.created} (${input.createdSource})`);
  if (meta.description) lines.push(`- 说明 / description: ${meta.description}`);
  lines.push('', '每个地区的社区社会组织数量（截至日期在册），按城市社区、农村社区分别计算社区平均数，对照适用的政策目标，给出尚缺组织数。方法见网站“方法说明”页。');
  lines.push('Organizations active at the as-of date in each area, per urban and per rural community, against the applicable policy target, with the number still needed. See the methodology page.', '');
  lines.push('## 如何引用 / How to cite', '', 'GB/T 7714-2015:', '', `    ${input.citation.gbt7714}`, '', 'APA (7th ed.):', '', `    ${input.citation.apa}`, '');
  lines.push('## CSV 约定 / CSV conventions', '');
  for (const line of CSV_CONVENTIONS.zh) lines.push(`- ${line}`);
  for (const line of CSV_CONVENTIONS.en) lines.push(`- ${line}`);
  lines.push('', '## 文件 / Files', '', '| file | rows | bytes | description |', '|---|---|---|---|');
  for (const table of TABLES) {
    for (const path of [table.path, table.json_path].filter((p): p is string => !!p)) {
      lines.push(`| \`${path}\` | ${input.rows.get(path) ?? ''} | ${input.files.get(path)?.bytes ?? ''} | ${table.title_zh} / ${table.title_en}: ${table.description_zh} ${table.description_en} |`);
    }
  }
  const perArea = [...input.files.keys()].filter((p) => p.startsWith('areas/'));
  lines.push(`| \`areas/{code}.csv\` (${perArea.filter((p) => !p.endsWith('-communities.csv')).length}) | | | 该地区一行及其下辖地区各一行，列同 areas.csv。 / The area's row and its child areas' rows, columns as areas.csv. |`);
  lines.push(`| \`areas/{code}-communities.csv\` (${perArea.filter((p) => p.endsWith('-communities.csv')).length}) | | | 该区县的社区（村），列同 communities.csv。 / The county's communities, columns as communities.csv. |`);
  for (const file of [...FILES, DATAPACKAGE_FILE]) {
    lines.push(`| \`${file.path}\` | | ${input.files.get(file.path)?.bytes ?? ''} | ${file.title_zh} / ${file.title_en}: ${file.description_zh} ${file.description_en} |`);
  }
  lines.push('', 'SHA-256 of every file: datapackage.json (`hash`) and provenance.json (inputs).', '');
  lines.push('## 列的含义 / Column meanings', '');
  for (const table of TABLES) {
    lines.push(`### ${table.path}${table.json_path ? ` / ${table.json_path}` : ''}`, '', `${table.description_zh}`, `${table.description_en}`, '');
    lines.push(table.primaryKey ? `主键 / primary key: ${table.primaryKey.map((k) => `\`${k}\``).join(' + ')}` : `${table.no_key_reason?.zh ?? ''} ${table.no_key_reason?.en ?? ''}`, '');
    lines.push(fieldTableMarkdown(table), '');
  }
  return lines.join('\n');
}
