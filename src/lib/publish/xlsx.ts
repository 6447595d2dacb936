/**
 * Workbooks for the people who open downloads by double-click in Excel or WPS (the CSVs are for
 * programs: UTF-8 without BOM, which Excel on a Chinese Windows shows as mojibake, and Excel turns
 * a 12-digit community code into 5.11102E+11). Each .xlsx holds:
 *   - the table(s): Chinese column titles, header row frozen, filters, codes as text, integers with
 *     thousands separators, densities with two decimals, dates as dates;
 *   - 说明 (definitions): every column's Chinese title, field name, English title, type, unit, meaning;
 *   - 来源 (sources): dataset, publisher, licence, as-of date, sources, the formula guard, the CSV twin.
 * The values are the CSV's, cell for cell (text cells keep the CSV's formula guard, src/lib/publish/csv.ts).
 *
 * Deterministic: exceljs stamps docProps/core.xml with the workbook dates (set to the as-of date)
 * and its zip (JSZip) with the wall clock, so the archive is rewritten with fixed entry times.
 */
import ExcelJS from 'exceljs';
import { unzipSync, zipSync } from 'fflate';
import { neutraliseFormula } from './csv';
import { AREA_FILE, CSV_CONVENTIONS, TABLES, type FieldSpec, type TableSpec } from './datapackage';
import { sourceEntries, tableRights, workbookPath, type RightsInput } from './package-profile';
import { zipTime } from './zip-time';

/** Excel's last row is 1,048,576; one is the header. */
export const XLSX_MAX_ROWS = 1_048_575;

type Row = Record<string, unknown>;

export interface WorkbookSheet {
  /** Tab name (≤ 31 characters, no []:*?/\). */
  name: string;
  table: TableSpec;
  rows: readonly Row[];
  /** The CSV with the same rows (named on the sources sheet). */
  csvPath: string;
}

export interface WorkbookContext {
  meta: { title: string; title_en?: string; publisher: string; license: string; as_of: string; sample: boolean };
  /** Source lines for the 来源 sheet: title (and address). */
  sources: { title: string; path?: string }[];
  /** Licence of these tables (package-profile.ts). */
  license: string;
  softwareVersion: string;
  /** Formula-guard and other conventions, zh and en (CSV_CONVENTIONS in datapackage.ts). */
  conventions: { zh: readonly string[]; en: readonly string[] };
}

const UNSAFE_SHEET = /[[\]:*?/\\]/g;
export const sheetName = (name: string) => name.replace(UNSAFE_SHEET, '_').slice(0, 31);

/** Number format of a column: counts with thousands separators, per-community figures with two decimals. */
export function numberFormat(field: FieldSpec): string | undefined {
  if (field.type === 'integer') return field.name === 'year' || field.name === 'line' || field.name.endsWith('_year') ? '0' : '#,##0';
  if (field.type === 'number') return field.unit === '个/社区' ? '0.00' : undefined; // other figures as the CSV writes them
  if (field.type === 'date') return 'yyyy-mm-dd';
  return undefined;
}

/** The cell value of a row value: the CSV's value, typed (text guarded, ISO dates as dates). */
export function cellValue(value: unknown, field: FieldSpec): ExcelJS.CellValue {
  // Missing is an empty cell, as in the CSV (where '' and null are the same empty field).
  if (value === null || value === undefined || value === '') return null;
  if (field.type === 'date' && typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(`${value}T00:00:00Z`);
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value;
  return neutraliseFormula(String(value));
}

/** Display width of text: CJK and full-width characters take two columns. */
const displayWidth = (text: string) => [...text].reduce((w, ch) => w + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1), 0);

function addTableSheet(workbook: ExcelJS.Workbook, sheet: WorkbookSheet) {
  const { table, rows } = sheet;
  if (rows.length > XLSX_MAX_ROWS) {
    throw new Error(`xlsx: ${sheet.csvPath} has ${rows.length} rows; an Excel sheet holds at most ${XLSX_MAX_ROWS} (split the table)`);
  }
  // Freeze the header row, and the code and name columns when the table starts with them.
  const nameAt = table.fields.findIndex((f) => f.name === 'name' || f.name === 'area_name');
  const ws = workbook.addWorksheet(sheetName(sheet.name), {
    views: [{ state: 'frozen', ySplit: 1, xSplit: nameAt >= 0 && nameAt <= 1 ? nameAt + 1 : 0 }],
  });
  ws.columns = table.fields.map((field) => {
    const widest = rows.reduce((w, r) => Math.max(w, displayWidth(String(r[field.name] ?? ''))), displayWidth(field.title_zh));
    const numFmt = numberFormat(field);
    return { header: field.title_zh, key: field.name, width: Math.min(60, Math.max(8, widest + 2)), ...(numFmt ? { style: { numFmt } } : {}) };
  });
  ws.getRow(1).font = { bold: true };
  for (const row of rows) ws.addRow(table.fields.map((field) => cellValue(row[field.name], field)));
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table.fields.length } };
}

function addDefinitionsSheet(workbook: ExcelJS.Workbook, sheets: readonly WorkbookSheet[]) {
  const ws = workbook.addWorksheet('说明 Definitions', { views: [{ state: 'frozen', ySplit: 1 }] });
  const many = sheets.length > 1;
  ws.columns = [
    ...(many ? [{ header: '表 Sheet', key: 'sheet', width: 16 }] : []),
    { header: '列（中文）', key: 'title_zh', width: 22 },
    { header: '字段名 Field', key: 'name', width: 20 },
    { header: 'Column (English)', key: 'title_en', width: 24 },
    { header: '类型 Type', key: 'type', width: 10 },
    { header: '单位 Unit', key: 'unit', width: 10 },
    { header: '说明', key: 'description_zh', width: 70 },
    { header: 'Description', key: 'description_en', width: 70 },
  ];
  ws.getRow(1).font = { bold: true };
  for (const sheet of sheets) {
    for (const f of sheet.table.fields) {
      const row = ws.addRow({
        ...(many ? { sheet: sheetName(sheet.name) } : {}),
        title_zh: f.title_zh, name: f.name, title_en: f.title_en, type: f.type, unit: f.unit ?? null,
        description_zh: neutraliseFormula(f.description_zh), description_en: neutraliseFormula(f.description_en),
      });
      row.alignment = { vertical: 'top', wrapText: true };
    }
  }
}

function addSourcesSheet(workbook: ExcelJS.Workbook, sheets: readonly WorkbookSheet[], ctx: WorkbookContext) {
  const ws = workbook.addWorksheet('来源 Sources');
  ws.columns = [
    { header: '项目 Item', key: 'item', width: 24 },
    { header: '内容 Value', key: 'value', width: 100 },
  ];
  ws.getRow(1).font = { bold: true };
  const { meta } = ctx;
  const lines: [string, string][] = [];
  if (meta.sample) lines.push(['示例数据 SAMPLE', '示例数据，非官方统计：数字仅用于演示，不代表任何地区的实际情况。 / SAMPLE DATA, not official statistics: the figures describe no real area.']);
  lines.push(
    ['数据集 Dataset', `${meta.title}${meta.title_en ? ` / ${meta.title_en}` : ''}`],
    ['发布者 Publisher', meta.publisher],
    ['许可 Licence', ctx.license],
    ['数据截至 As of', meta.as_of],
    ...ctx.sources.map((s, i): [string, string] => [`来源 Source ${i + 1}`, s.path ? `${s.title} ${s.path}` : s.title]),
    ['机器可读文件 Files for programs', `${sheets.map((s) => s.csvPath).join(', ')}（UTF-8 CSV，字段名见“说明”表；datapackage.json 描述全部文件 / field names on the Definitions sheet; datapackage.json describes every file）`],
    ...ctx.conventions.zh.map((text, i): [string, string] => [i === 0 ? '约定 Conventions' : '', text]),
    ...ctx.conventions.en.map((text): [string, string] => ['', text]),
    ['软件 Software', `CSO Monitor ${ctx.softwareVersion}`],
  );
  for (const [item, value] of lines) {
    const row = ws.addRow({ item, value: neutraliseFormula(value) });
    row.alignment = { vertical: 'top', wrapText: true };
  }
}

/** Rewrites exceljs's zip with fixed entry times (same parts, same order). */
function fixZip(bytes: Uint8Array, asOf: string): Uint8Array {
  // Folder entries (JSZip writes "_rels/" and the like) are dropped: OOXML packages list parts only.
  const entries = Object.fromEntries(Object.entries(unzipSync(bytes)).filter(([name]) => !name.endsWith('/')));
  return zipSync(entries, { level: 6, mtime: zipTime(`${asOf}T00:00:00Z`) });
}

/** One workbook: the table sheets, then 说明 and 来源; byte-identical for the same input. */
export async function buildWorkbook(sheets: readonly WorkbookSheet[], ctx: WorkbookContext): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const asOf = new Date(`${ctx.meta.as_of}T00:00:00Z`);
  workbook.creator = 'CSO Monitor';
  workbook.lastModifiedBy = 'CSO Monitor';
  workbook.created = asOf;
  workbook.modified = asOf;
  workbook.title = `${sheets.map((s) => s.table.title_zh).join('、')}（${ctx.meta.title}）`;
  for (const sheet of sheets) addTableSheet(workbook, sheet);
  addDefinitionsSheet(workbook, sheets);
  addSourcesSheet(workbook, sheets, ctx);
  // Stored, not deflated: fixZip compresses once (about three times faster than deflating twice).
  const buffer = await workbook.xlsx.writeBuffer({ zip: { compression: 'STORE' } } as ExcelJS.XlsxWriteOptions);
  return fixZip(new Uint8Array(buffer as ArrayBuffer), ctx.meta.as_of);
}

/** The rows of one area's files: the area and its children; a covered county's communities. */
export interface AreaRows {
  code: string;
  areas: readonly Row[];
  communities: readonly Row[] | null;
}

export interface WorkbooksInput {
  /** Rows of every table by resource name (tableRows in outputs.ts). */
  tables: ReadonlyMap<string, { rows: readonly Row[] }>;
  perArea: readonly AreaRows[];
  rights: RightsInput;
  softwareVersion: string;
}

/** Every workbook: one per table beside its CSV, one per area beside areas/{code}.csv. Path → bytes. */
export async function buildWorkbooks(input: WorkbooksInput): Promise<Map<string, Uint8Array>> {
  const sources = sourceEntries(input.rights);
  const context = (tableName: string): WorkbookContext => {
    const rights = tableRights(tableName, input.rights, sources);
    return { meta: input.rights.meta, sources: rights.sources, license: rights.licenses[0].title, softwareVersion: input.softwareVersion, conventions: CSV_CONVENTIONS };
  };
  const out = new Map<string, Uint8Array>();
  for (const table of TABLES) {
    // A table split by province (communities, townships) is for programs: a national workbook would pass Excel's limits.
    if (table.partition) continue;
    const rows = input.tables.get(table.name)?.rows;
    if (!rows) throw new Error(`xlsx: no rows for table ${table.name}`);
    out.set(workbookPath(table.path), await buildWorkbook([{ name: table.title_zh, table, rows, csvPath: table.path }], context(table.name)));
  }
  const areas = TABLES.find((t) => t.name === 'areas')!;
  const communities = TABLES.find((t) => t.name === 'communities')!;
  for (const area of input.perArea) {
    const sheets: WorkbookSheet[] = [{ name: `${area.code} 地区`, table: areas, rows: area.areas, csvPath: AREA_FILE.areas(area.code) }];
    if (area.communities) sheets.push({ name: `${area.code} 社区（村）`, table: communities, rows: area.communities, csvPath: AREA_FILE.communities(area.code) });
    out.set(workbookPath(AREA_FILE.areas(area.code)), await buildWorkbook(sheets, context('areas')));
  }
  return out;
}
