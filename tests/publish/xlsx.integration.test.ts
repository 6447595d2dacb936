/**
 * The workbooks for Excel/WPS (src/lib/publish/xlsx.ts), opened with exceljs as a spreadsheet would:
 * every .xlsx the pipeline writes holds the same values as its CSV, cell for cell, with Chinese
 * column titles, a frozen header, number formats, text codes, no formula anywhere, and Definitions
 * and Sources sheets; and it is byte-identical when built twice, in any time zone.
 */
import ExcelJS from 'exceljs';
import { unzipSync } from 'fflate';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { AREA_FILE, CSV_CONVENTIONS, TABLES, type FieldSpec, type TableSpec } from '../../src/lib/publish/datapackage';
import { workbookPath } from '../../src/lib/publish/package-profile';
import { XLSX_MAX_ROWS, buildWorkbook, numberFormat, sheetName, type WorkbookContext } from '../../src/lib/publish/xlsx';
import { DOWNLOAD_FIXTURES, runsOf } from '../helpers/pipeline-run';

const FIXTURES = DOWNLOAD_FIXTURES;
const run = runsOf(FIXTURES);

async function open(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  return workbook;
}

/** The CSV's cells as a spreadsheet must hold them: typed by the schema, '' as empty. */
function csvCell(text: string, field: FieldSpec): unknown {
  if (text === '') return null;
  switch (field.type) {
    case 'integer':
    case 'number':
      return Number(text);
    case 'boolean':
      return text === 'true';
    default:
      return text; // dates compared as yyyy-mm-dd, text with its formula guard
  }
}

function sheetCell(cell: ExcelJS.Cell, field: FieldSpec): unknown {
  expect(cell.type, `${cell.address} is no formula`).not.toBe(ExcelJS.ValueType.Formula);
  const v = cell.value;
  if (v === null || v === undefined) return null;
  if (v instanceof Date) {
    expect(field.type, cell.address).toBe('date');
    return v.toISOString().slice(0, 10);
  }
  if (field.type === 'string') expect(cell.type, `${cell.address} (${field.name}) is text`).toBe(ExcelJS.ValueType.String);
  return v;
}

/** Sheet rows after the header, as CSV-comparable values. */
function sheetRows(ws: ExcelJS.Worksheet, table: TableSpec): unknown[][] {
  const rows: unknown[][] = [];
  for (let r = 2; r <= ws.rowCount; r++) rows.push(table.fields.map((f, i) => sheetCell(ws.getRow(r).getCell(i + 1), f)));
  return rows;
}

function csvRows(text: string, table: TableSpec): unknown[][] {
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  const [header, ...rows] = parsed.data;
  expect(header).toEqual(table.fields.map((f) => f.name));
  return rows.map((cells) => table.fields.map((f, i) => csvCell(cells[i], f)));
}

function checkTableSheet(ws: ExcelJS.Worksheet, table: TableSpec, csv: string, where: string) {
  expect(ws.getRow(1).values, `${where} header`).toEqual([undefined, ...table.fields.map((f) => f.title_zh)]);
  expect(sheetRows(ws, table), where).toEqual(csvRows(csv, table));
  expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  expect(ws.autoFilter, where).toBeTruthy();
  table.fields.forEach((f, i) => {
    const fmt = numberFormat(f);
    if (fmt) expect(ws.getColumn(i + 1).numFmt, `${where} ${f.name}`).toBe(fmt);
  });
}

function checkDefinitions(ws: ExcelJS.Worksheet, tables: TableSpec[], where: string) {
  const names = new Set<string>();
  const column = (ws.getRow(1).values as unknown[]).indexOf('字段名 Field');
  expect(column, where).toBeGreaterThan(0);
  for (let r = 2; r <= ws.rowCount; r++) names.add(String(ws.getRow(r).getCell(column).value));
  for (const t of tables) for (const f of t.fields) expect(names.has(f.name), `${where}: ${t.name}.${f.name} defined`).toBe(true);
}

describe.each(FIXTURES)('every workbook of the %s build', (name) => {
  const r = () => run(name);

  it('one beside each table CSV: same values, Chinese titles, frozen header, formats, definitions and sources', async () => {
    const meta = r().result.read.meta;
    for (const table of TABLES.filter((t) => !t.partition)) { // a table split by province has no workbook (src/lib/publish/xlsx.ts)
      const workbook = await open(r().file(workbookPath(table.path)));
      const names = workbook.worksheets.map((w) => w.name);
      expect(names, table.path).toEqual([sheetName(table.title_zh), '说明 Definitions', '来源 Sources']);
      checkTableSheet(workbook.worksheets[0], table, r().text(table.path), workbookPath(table.path));
      checkDefinitions(workbook.getWorksheet('说明 Definitions')!, [table], table.path);
      const sources = workbook.getWorksheet('来源 Sources')!.getColumn(2).values.map(String).join('\n');
      expect(sources).toContain(meta.as_of);
      expect(sources).toContain(meta.publisher);
      expect(sources).toContain(table.path);
      expect(sources).toContain(CSV_CONVENTIONS.zh[2].slice(0, 12)); // the formula guard is stated
      expect(sources.includes('SAMPLE DATA'), 'sample warning').toBe(meta.sample);
      const license = (workbook.getWorksheet('来源 Sources')!.getRow(1 + (meta.sample ? 4 : 3)).values as unknown[])[2];
      // the project's own transcriptions (targets, published figures) carry the project licence (package-profile.ts TABLE_RIGHTS)
      expect(license).toBe(table.name === 'targets' || table.name === 'published' ? 'MIT' : meta.license);
    }
  });

  it('one beside each area CSV: its areas sheet equals the CSV', async () => {
    const perArea = r().files().filter((p) => p.startsWith('areas/') && p.endsWith('.xlsx'));
    const areaCsvs = r().files().filter((p) => p.startsWith('areas/') && p.endsWith('.csv'));
    expect(perArea.length).toBe(areaCsvs.length);
    const areas = TABLES.find((t) => t.name === 'areas')!;
    for (const p of perArea) {
      const code = p.replace(/^areas\//, '').replace(/\.xlsx$/, '');
      const workbook = await open(r().file(p));
      expect(workbook.worksheets.map((w) => w.name), p).toEqual([`${code} 地区`, '说明 Definitions', '来源 Sources']);
      checkTableSheet(workbook.worksheets[0], areas, r().text(AREA_FILE.areas(code)), p);
      checkDefinitions(workbook.getWorksheet('说明 Definitions')!, [areas], p);
    }
    // an area with children has its own workbook; a county's row is in its parent's (areas/511100.xlsx)
    if (name === 'sample') {
      expect(perArea).toContain('areas/511100.xlsx');
      expect(perArea).not.toContain('areas/511102.xlsx');
    }
  });

  it('stamps the as-of date, never the wall clock, in docProps and every zip entry', () => {
    const asOf = r().result.read.meta.as_of;
    for (const p of r().files().filter((f) => f.endsWith('.xlsx')).slice(0, 20)) {
      const bytes = new Uint8Array(r().file(p));
      const core = new TextDecoder().decode(unzipSync(bytes)['docProps/core.xml']);
      expect(core, p).toContain(`<dcterms:created xsi:type="dcterms:W3CDTF">${asOf}T00:00:00Z</dcterms:created>`);
      expect(core, p).toContain(`<dcterms:modified xsi:type="dcterms:W3CDTF">${asOf}T00:00:00Z</dcterms:modified>`);
      // Local file headers: DOS date at offset 12 (bits: year-1980, month, day); time at 10 is midnight.
      const [y, m, d] = asOf.split('-').map(Number);
      const dosDate = ((y - 1980) << 9) | (m << 5) | d;
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      let entries = 0;
      for (let i = 0; i + 30 <= bytes.length; i++) {
        if (view.getUint32(i, true) !== 0x04034b50) continue;
        entries++;
        expect([view.getUint16(i + 10, true), view.getUint16(i + 12, true)], `${p} entry ${entries}`).toEqual([0, dosDate]);
        i += 29;
      }
      expect(entries, p).toBeGreaterThan(5);
    }
  });
});

describe('buildWorkbook', () => {
  const table = TABLES.find((t) => t.name === 'areas')!;
  const ctx = (): WorkbookContext => {
    const meta = run('sample').result.read.meta;
    return { meta, sources: [{ title: 'NBS 2023', path: 'https://example.org/nbs' }], license: meta.license, softwareVersion: '0.1.0', conventions: CSV_CONVENTIONS };
  };
  const rows = () => run('sample').rows().get('areas')!.rows;

  it('is byte-identical when built twice and in another time zone', async () => {
    const sheets = [{ name: '地区汇总', table, rows: rows(), csvPath: 'areas.csv' }];
    const first = await buildWorkbook(sheets, ctx());
    const tz = process.env.TZ;
    try {
      for (const zone of ['UTC', 'Asia/Shanghai', 'America/Los_Angeles']) {
        process.env.TZ = zone;
        expect(Buffer.from(await buildWorkbook(sheets, ctx())).equals(Buffer.from(first)), zone).toBe(true);
      }
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
  });

  it('keeps formula-looking text as guarded text, never a formula (hostile names)', async () => {
    const hostile = run('hostile');
    const workbook = await open(hostile.file('rejected.xlsx'));
    const ws = workbook.worksheets[0];
    const all: string[] = [];
    ws.eachRow((row, n) => {
      if (n === 1) return;
      row.eachCell((cell) => {
        expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
        if (typeof cell.value === 'string') all.push(cell.value);
      });
    });
    expect(all).toContain(`'=HYPERLINK("http://evil","x")`);
    expect(all).toContain(`'@SUM(1+1)`);
    expect(all.some((v) => /^[=+\-@]/.test(v))).toBe(false);
  });

  it('refuses a table longer than an Excel sheet, naming the file', async () => {
    const many = { length: XLSX_MAX_ROWS + 1 } as unknown as Record<string, unknown>[];
    await expect(buildWorkbook([{ name: 'x', table, rows: many, csvPath: 'communities-huge.csv' }], ctx())).rejects.toThrow(/communities-huge\.csv has 1048576 rows/);
  });

  it.each([
    ['urban_units', '#,##0'],
    ['urban_per_unit', '0.00'],
    ['urban_target', '0.00'],
    ['as_of', 'yyyy-mm-dd'],
    ['code', undefined],
  ])('formats %s as %s', (field, fmt) => {
    expect(numberFormat(table.fields.find((f) => f.name === field)!)).toBe(fmt);
  });
});
