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
 * Written by src/lib/publish/xlsx-writer.ts (the XML directly; exceljs took ~50 s and 2.6 GB on a national
 * build). Deterministic: docProps/core.xml and every zip entry carry the as-of date, never the wall clock.
 */
import { neutraliseFormula } from './csv';
import { AREA_FILE, CSV_CONVENTIONS, TABLES, type FieldSpec, type TableSpec } from './datapackage';
import { sourceEntries, tableRights, workbookPath, type RightsInput } from './package-profile';
import { writeXlsx, type XlsxCell, type XlsxSheet } from './xlsx-writer';

/** Excel's last row is 1,048,576; one is the header. */
export const XLSX_MAX_ROWS = 1_048_575;
/** Tables longer than this get no workbook: they are for programs (CSV, Parquet), not for reading in Excel. */
export const WORKBOOK_MAX_ROWS = 100_000;

type Row = Record<string, unknown>;

export interface WorkbookSheet {
  /** Tab name (≤ 31 characters, no []:*?/\). */
  name: string;
  table: TableSpec;
  rows: readonly Row[];
  /** Values every row shares (as_of, sample …), by column: the rows need not carry them. */
  shared?: Readonly<Row>;
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
export function cellValue(value: unknown, field: FieldSpec): XlsxCell {
  // Missing is an empty cell, as in the CSV (where '' and null are the same empty field).
  if (value === null || value === undefined || value === '') return null;
  if (field.type === 'date' && typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(`${value}T00:00:00Z`);
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value;
  return neutraliseFormula(String(value));
}

/** Display width of text: CJK and full-width characters take two columns (code units; astral characters count one each). */
function displayWidth(text: string): number {
  let w = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) continue; // low surrogate: the pair counts once
    w += (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) ? 2 : 1;
  }
  return w;
}

function tableSheet(sheet: WorkbookSheet): XlsxSheet {
  const { table, rows } = sheet;
  const shared = sheet.shared ?? {};
  const isShared = table.fields.map((f) => Object.hasOwn(shared, f.name));
  if (rows.length > XLSX_MAX_ROWS) {
    throw new Error(`xlsx: ${sheet.csvPath} has ${rows.length} rows; an Excel sheet holds at most ${XLSX_MAX_ROWS} (split the table)`);
  }
  // Freeze the header row, and the code and name columns when the table starts with them.
  const nameAt = table.fields.findIndex((f) => f.name === 'name' || f.name === 'area_name');
  const columns = table.fields.map((field, k) => {
    let widest = displayWidth(field.title_zh);
    const one = shared[field.name];
    if (isShared[k]) {
      if (rows.length > 0 && one !== null && one !== undefined) widest = Math.max(widest, displayWidth(String(one)));
    } else {
      for (const r of rows) {
        const v = r[field.name];
        if (v !== null && v !== undefined) widest = Math.max(widest, displayWidth(String(v)));
      }
    }
    return { header: field.title_zh, width: Math.min(60, Math.max(8, widest + 2)), numFmt: numberFormat(field) };
  });
  return {
    name: sheetName(sheet.name),
    columns,
    rows: (function* () {
      for (const row of rows) yield table.fields.map((field, k) => cellValue(isShared[k] ? shared[field.name] : row[field.name], field));
    })(),
    rowCount: rows.length,
    freeze: { rows: 1, columns: nameAt >= 0 && nameAt <= 1 ? nameAt + 1 : 0 },
    autoFilter: true,
  };
}

function definitionsSheet(sheets: readonly WorkbookSheet[]): XlsxSheet {
  const many = sheets.length > 1;
  const columns = [
    ...(many ? [{ header: '表 Sheet', width: 16 }] : []),
    { header: '列（中文）', width: 22 },
    { header: '字段名 Field', width: 20 },
    { header: 'Column (English)', width: 24 },
    { header: '类型 Type', width: 10 },
    { header: '单位 Unit', width: 10 },
    { header: '说明', width: 70 },
    { header: 'Description', width: 70 },
  ];
  const rows: XlsxCell[][] = [];
  for (const sheet of sheets) {
    for (const f of sheet.table.fields) {
      rows.push([
        ...(many ? [sheetName(sheet.name)] : []),
        f.title_zh, f.name, f.title_en, f.type, f.unit ?? null, neutraliseFormula(f.description_zh), neutraliseFormula(f.description_en),
      ]);
    }
  }
  return { name: '说明 Definitions', columns, rows, rowCount: rows.length, freeze: { rows: 1, columns: 0 }, wrap: true };
}

function sourcesSheet(sheets: readonly WorkbookSheet[], ctx: WorkbookContext): XlsxSheet {
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
  return {
    name: '来源 Sources',
    columns: [{ header: '项目 Item', width: 24 }, { header: '内容 Value', width: 100 }],
    rows: lines.map(([item, value]) => [item === '' ? null : item, neutraliseFormula(value)]),
    rowCount: lines.length,
    wrap: true,
  };
}

/** One workbook: the table sheets, then 说明 and 来源; byte-identical for the same input. */
export async function buildWorkbook(sheets: readonly WorkbookSheet[], ctx: WorkbookContext): Promise<Uint8Array> {
  return writeXlsx([...sheets.map(tableSheet), definitionsSheet(sheets), sourcesSheet(sheets, ctx)], {
    title: `${sheets.map((s) => s.table.title_zh).join('、')}（${ctx.meta.title}）`,
    creator: 'CSO Monitor',
    date: ctx.meta.as_of,
  });
}

/** The rows of one area's files: the area and its children; a covered county's communities. */
export interface AreaRows {
  code: string;
  areas: readonly Row[];
}

export interface WorkbooksInput {
  /** Rows of every table by resource name (tableRows in outputs.ts). */
  tables: ReadonlyMap<string, { rows: readonly Row[]; shared?: Readonly<Row> }>;
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
  const started = performance.now();
  for (const table of TABLES) {
    // A table split by province (communities) is for programs: a national workbook would pass Excel's limits.
    if (table.partition) continue;
    const source = input.tables.get(table.name);
    if (!source) throw new Error(`xlsx: no rows for table ${table.name}`);
    const { rows, shared } = source;
    // So is a table longer than WORKBOOK_MAX_ROWS (a national new_by_year: 184,000 rows, 4 s and 6 MB as a workbook).
    if (rows.length > WORKBOOK_MAX_ROWS) continue;
    const t0 = performance.now();
    out.set(workbookPath(table.path), await buildWorkbook([{ name: table.title_zh, table, rows, shared, csvPath: table.path }], context(table.name)));
    if (process.env.CSO_TRACE) console.log(`  workbook ${table.name} (${rows.length} rows): ${Math.round(performance.now() - t0)} ms`);
  }
  if (process.env.CSO_TRACE) console.log(`  workbooks of tables: ${Math.round(performance.now() - started)} ms`);
  const areas = TABLES.find((t) => t.name === 'areas')!;
  // A few workbooks in flight: one is laid out on the main thread while the others compress on zlib's thread pool.
  const built: Uint8Array[] = new Array(input.perArea.length);
  let next = 0;
  const worker = async () => {
    while (next < input.perArea.length) {
      const i = next++;
      const area = input.perArea[i];
      const sheets: WorkbookSheet[] = [{ name: `${area.code} 地区`, table: areas, rows: area.areas, csvPath: AREA_FILE.areas(area.code) }];
      built[i] = await buildWorkbook(sheets, context('areas'));
    }
  };
  await Promise.all(Array.from({ length: 3 }, worker));
  input.perArea.forEach((area, i) => out.set(workbookPath(AREA_FILE.areas(area.code)), built[i]));
  if (process.env.CSO_TRACE) console.log(`  workbooks of ${input.perArea.length} areas: ${Math.round(performance.now() - started)} ms in all`);
  return out;
}
