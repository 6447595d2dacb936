import type ExcelJS from 'exceljs';
import { DatasetError } from './errors';
import type { Cell, CellIssue, CellValue, RawRecord, RawTable } from './table';

/**
 * Reads every worksheet of an .xlsx workbook (exceljs), in workbook order; which ones hold
 * organizations is decided later (src/lib/ingest/index.ts). Line numbers are Excel row numbers. Formula cells give their cached result; rich text is concatenated; hyperlinks give
 * their text. Cells covered by a merged region are marked (MergedCell) so the row rules can decide
 * per column whether the master's value applies (placement columns only).
 */

const issue = (zh: string, en: string, raw: string | null): CellIssue => ({ kind: 'issue', zh, en, raw });

type ExcelValue = ExcelJS.CellValue | undefined;

function richTextOf(value: { richText: { text: string }[] }): string {
  return value.richText.map((run) => run.text ?? '').join('');
}

/** Converts an exceljs cell value to plain text, number or Date; unreadable values become issues. */
export function convertCellValue(value: ExcelValue): CellValue | CellIssue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
      return issue(
        `数字 ${value} 超出 Excel 精度，位数已丢失；请把该列设为文本（如统一社会信用代码）`,
        `number ${value} exceeds Excel's precision and lost digits; format the column as text (e.g. credit codes)`,
        String(value),
      );
    }
    return value;
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return value;
  if (typeof value === 'object') {
    if ('richText' in value && Array.isArray(value.richText)) return richTextOf(value);
    if ('formula' in value || 'sharedFormula' in value) {
      const formula = 'formula' in value ? value.formula : (value as { sharedFormula: string }).sharedFormula;
      const result = (value as { result?: ExcelValue }).result;
      if (result === undefined || result === null) {
        return issue(
          `公式单元格无计算结果（=${formula}）；请在 Excel 中重新计算并保存，或粘贴为数值`,
          `formula cell has no cached result (=${formula}); recalculate and save in Excel, or paste as values`,
          `=${formula}`,
        );
      }
      return convertCellValue(result);
    }
    if ('error' in value) {
      return issue(`单元格为错误值 ${String(value.error)}`, `cell holds the error value ${String(value.error)}`, String(value.error));
    }
    if ('text' in value) {
      const text = (value as { text: unknown }).text;
      if (typeof text === 'string') return text;
      if (text && typeof text === 'object' && 'richText' in text) return richTextOf(text as { richText: { text: string }[] });
    }
  }
  return issue('无法读取的单元格内容', 'unreadable cell content', JSON.stringify(value));
}

/** One worksheet as a RawTable, with its name and visibility. */
export interface RawSheet extends RawTable {
  sheet: string;
  hidden: boolean;
}

/** exceljs on first use: loading it took ~0.3 s of every build (and of the read helper's start), most reading no workbook. */
let exceljs: typeof ExcelJS | null = null;

export async function readXlsxSheets(bytes: Uint8Array, file: string): Promise<RawSheet[]> {
  exceljs ??= (await import('exceljs')).default;
  const workbook = new exceljs.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ExcelJS.Buffer);
  } catch (error) {
    throw new DatasetError(
      file,
      null,
      null,
      `无法读取 xlsx 工作簿（${(error as Error).message}）；文件可能已损坏、加密，或不是 .xlsx`,
      `cannot read the xlsx workbook (${(error as Error).message}); the file may be damaged, encrypted, or not .xlsx`,
    );
  }
  const date1904 = Boolean(workbook.properties?.date1904);
  return workbook.worksheets.map((sheet) => ({
    file,
    sheet: sheet.name,
    hidden: sheet.state !== undefined && sheet.state !== 'visible',
    encoding: 'xlsx',
    records: sheetRecords(sheet, exceljs!.ValueType.Merge),
    notes: [],
    date1904,
  }));
}

function sheetRecords(sheet: ExcelJS.Worksheet, mergeType: ExcelJS.ValueType): RawRecord[] {
  // master address → "B2:B4"
  const mergeRanges = new Map<string, string>();
  for (const range of (sheet.model as { merges?: string[] }).merges ?? []) mergeRanges.set(range.split(':')[0], range);
  const records: RawRecord[] = [];
  const width = sheet.columnCount;
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: Cell[] = [];
    for (let c = 1; c <= width; c++) {
      const cell = row.getCell(c);
      if (cell.type === mergeType && cell.master && cell.master.address !== cell.address) {
        const master = cell.master.address;
        cells.push({ kind: 'merged', master, range: mergeRanges.get(master) ?? master, value: convertCellValue(cell.master.value) });
      } else {
        cells.push(convertCellValue(cell.value));
      }
    }
    // every row has the sheet's width: a worksheet has no ragged rows
    records.push({ line: rowNumber, endLine: rowNumber, cells });
  });
  return records;
}
