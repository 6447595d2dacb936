import { closeSync, openSync, writeSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import iconv from 'iconv-lite';
import Papa from 'papaparse';

/**
 * Writing generated organization files in every input form the product accepts: CSV as UTF-8,
 * UTF-8 with BOM or GBK, and .xlsx with real Excel dates, all byte-identical from run to run.
 */

export type CsvEncoding = 'utf8' | 'utf8-bom' | 'gbk';
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** A whole CSV as text (header + rows), as Papa.unparse quotes it; every row ends with `newline`. */
export function csvText(headers: readonly string[], cells: string[][], newline: '\n' | '\r\n'): string {
  return Papa.unparse({ fields: [...headers], data: cells }, { newline, quotes: false }) + newline;
}

/**
 * Text → file bytes. GBK is written as strict CP936 (iconv-lite's 'gbk' also emits GB18030's
 * two-byte extension, e.g. 䅟 as FE70, which CP936 tools reject) and must round-trip, else the
 * file would silently hold different names.
 */
export function encodeText(text: string, encoding: CsvEncoding, where: string): Buffer {
  if (encoding === 'gbk') {
    const bytes = iconv.encode(text, 'cp936');
    if (iconv.decode(bytes, 'cp936') !== text) throw new Error(`${where}: text not representable in GBK (CP936)`);
    return bytes;
  }
  if (encoding === 'utf8-bom') return Buffer.concat([BOM, Buffer.from(text, 'utf8')]);
  return Buffer.from(text, 'utf8');
}

/** RFC 4180 field, quoted only when it must be (the rule Papa.unparse applies with quotes: false). */
export function csvField(value: string): string {
  if (value === '') return value;
  const needs = /[",\r\n]/.test(value) || value[0] === ' ' || value[value.length - 1] === ' ';
  return needs ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * A CSV written as it is generated: rows are buffered as text and flushed (encoded) every ~1 MB,
 * so a national file never sits in memory whole. `line` is the physical line of the last row
 * written (the header is line 1); fields never hold line breaks, so rows and lines coincide.
 */
export class StreamingCsv {
  private readonly fd: number;
  private buffer: string[] = [];
  private bufferedChars = 0;
  line = 0;
  bytes = 0;

  constructor(
    readonly file: string,
    readonly encoding: CsvEncoding,
    readonly newline: '\n' | '\r\n',
    headers: readonly string[],
  ) {
    this.fd = openSync(file, 'w');
    if (encoding === 'utf8-bom') this.writeBytes(BOM);
    this.row(headers);
  }

  row(cells: readonly string[]): number {
    const text = cells.map(csvField).join(',') + this.newline;
    if (/[\r\n]/.test(text.slice(0, -this.newline.length))) throw new Error(`${this.file}: a field holds a line break`);
    this.buffer.push(text);
    this.bufferedChars += text.length;
    this.line++;
    if (this.bufferedChars > 1 << 20) this.flush();
    return this.line;
  }

  private writeBytes(bytes: Buffer) {
    writeSync(this.fd, bytes);
    this.bytes += bytes.length;
  }

  private flush() {
    if (!this.buffer.length) return;
    const text = this.buffer.join('');
    this.buffer = [];
    this.bufferedChars = 0;
    this.writeBytes(encodeText(text, this.encoding === 'gbk' ? 'gbk' : 'utf8', this.file));
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/**
 * One worksheet: a bold header row, dates as real Excel dates (UTC midnight → whole serial
 * numbers), everything else as text. `fixedTime` stamps the workbook and, as local wall-clock
 * fields, the zip entries, so the bytes depend neither on the clock nor on the time zone.
 */
export async function xlsxBytes(
  columns: readonly (readonly [string, string])[],
  cells: string[][],
  options: { where: string; fixedTime: Date; sheet: string; creator: string; dateFields: readonly string[]; wideFields: Record<string, number> },
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = options.creator;
  wb.lastModifiedBy = options.creator;
  wb.created = options.fixedTime;
  wb.modified = options.fixedTime;
  wb.lastPrinted = options.fixedTime;
  const ws = wb.addWorksheet(options.sheet);
  ws.addRow(columns.map(([, h]) => h));
  ws.getRow(1).font = { bold: true };
  const dateCols = new Set(options.dateFields);
  for (const row of cells) {
    ws.addRow(
      columns.map(([field], i) => {
        if (row[i] === '') return null; // a truly empty cell, as Excel leaves it
        if (!dateCols.has(field)) return row[i];
        const date = new Date(`${row[i]}T00:00:00Z`);
        if (Number.isNaN(date.getTime())) throw new Error(`${options.where}: cannot store ${row[i]} as an Excel date`);
        return date;
      }),
    );
  }
  columns.forEach(([field, header], i) => {
    const col = ws.getColumn(i + 1);
    col.width = options.wideFields[field] ?? Math.max(10, header.length * 2 + 2);
    if (dateCols.has(field)) col.numFmt = 'yyyy-mm-dd';
  });
  const raw = new Uint8Array(await wb.xlsx.writeBuffer());
  // exceljs stamps zip entries with the clock: re-zip with a fixed time, entry order unchanged.
  const entries = unzipSync(raw);
  const zippable: Zippable = {};
  const t = options.fixedTime;
  const zipTime = new Date(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate(), 0, 0, 0);
  for (const [name, data] of Object.entries(entries)) zippable[name] = [data, { mtime: zipTime, level: 6 }];
  return Buffer.from(zipSync(zippable));
}
