/**
 * A small SpreadsheetML (.xlsx, ECMA-376) writer for the download workbooks (src/lib/publish/xlsx.ts):
 * typed cells, shared strings, column widths and number formats, a frozen header, a filter, bold and
 * wrapped rows — what the workbooks use, nothing else. exceljs built every part through a document model
 * and took ~50 s and 2.6 GB for a national build's 3,380 workbooks; this writes the XML text directly.
 * Deterministic: no clock, no random ids; the zip entries carry the as-of date (src/lib/publish/zip.ts).
 */
import { zipFiles } from './zip';

export type XlsxCell = string | number | boolean | Date | null;

export interface XlsxColumn {
  header: string;
  width: number;
  /** Excel number format of the column ('#,##0', '0', '0.00', 'yyyy-mm-dd'). */
  numFmt?: string;
}

export interface XlsxSheet {
  name: string;
  columns: readonly XlsxColumn[];
  /** Data rows (a generator is enough: each row is written as it comes, never held as cells). */
  rows: Iterable<readonly XlsxCell[]>;
  rowCount: number;
  /** Frozen rows and columns (top-left). */
  freeze?: { rows: number; columns: number };
  /** A filter on the header row. */
  autoFilter?: boolean;
  /** Data rows wrapped and top-aligned (definitions, sources). */
  wrap?: boolean;
}

export interface XlsxProperties {
  title: string;
  creator: string;
  /** yyyy-mm-dd: created and modified dates of docProps/core.xml and every zip entry's time. */
  date: string;
}

/** Built-in number formats (ECMA-376 §18.8.30); others get ids from 164. */
const BUILTIN_FORMATS: Record<string, number> = { General: 0, '0': 1, '0.00': 2, '#,##0': 3, '#,##0.00': 4 };

// Characters XML 1.0 cannot hold (C0 controls but tab, LF, CR; DEL as exceljs drops it): dropped.
const INVALID_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]/g;
const XML_SPECIAL = /[&<>"]/;

export function xmlText(text: string): string {
  let s = text.replace(INVALID_XML, '');
  if (XML_SPECIAL.test(s)) s = s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return s;
}

/** A1-style column letters of a 0-based index. */
export function columnLetters(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

const DAY_MS = 86_400_000;
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);
/** Excel's serial day number (1900 date system) of a UTC date. */
export const excelSerial = (d: Date) => (d.getTime() - EXCEL_EPOCH) / DAY_MS;

class Styles {
  private readonly formats = new Map<string, number>();
  private readonly xfs: string[] = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'];
  private readonly xfIndex = new Map<string, number>([['0|0|0', 0]]);

  private formatId(numFmt: string | undefined): number {
    if (numFmt === undefined) return 0;
    if (numFmt in BUILTIN_FORMATS) return BUILTIN_FORMATS[numFmt];
    let id = this.formats.get(numFmt);
    if (id === undefined) this.formats.set(numFmt, (id = 164 + this.formats.size));
    return id;
  }

  /** Index of the cell format (number format, bold, wrapped and top-aligned). */
  xf(numFmt: string | undefined, bold = false, wrap = false): number {
    const fmt = this.formatId(numFmt);
    const key = `${fmt}|${bold ? 1 : 0}|${wrap ? 1 : 0}`;
    let i = this.xfIndex.get(key);
    if (i === undefined) {
      i = this.xfs.length;
      const applies = `${fmt ? ' applyNumberFormat="1"' : ''}${bold ? ' applyFont="1"' : ''}${wrap ? ' applyAlignment="1"' : ''}`;
      const inner = wrap ? '<alignment vertical="top" wrapText="1"/>' : '';
      this.xfs.push(`<xf numFmtId="${fmt}" fontId="${bold ? 1 : 0}" fillId="0" borderId="0" xfId="0"${applies}${inner ? `>${inner}</xf>` : '/>'}`);
      this.xfIndex.set(key, i);
    }
    return i;
  }

  xml(): string {
    const formats = [...this.formats].map(([code, id]) => `<numFmt numFmtId="${id}" formatCode="${xmlText(code)}"/>`).join('');
    return (
      XML_HEAD +
      `<styleSheet xmlns="${MAIN_NS}">` +
      (formats ? `<numFmts count="${this.formats.size}">${formats}</numFmts>` : '') +
      '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>' +
      '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
      '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
      '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
      `<cellXfs count="${this.xfs.length}">${this.xfs.join('')}</cellXfs>` +
      '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles><dxfs count="0"/><tableStyles count="0"/></styleSheet>'
    );
  }
}

class SharedStrings {
  private readonly index = new Map<string, number>();
  private readonly items: string[] = [];
  count = 0;
  id(text: string): number {
    this.count++;
    let i = this.index.get(text);
    if (i === undefined) {
      i = this.items.length;
      this.index.set(text, i);
      const escaped = xmlText(text);
      this.items.push(/^\s|\s$|\n/.test(escaped) ? `<si><t xml:space="preserve">${escaped}</t></si>` : `<si><t>${escaped}</t></si>`);
    }
    return i;
  }
  xml(): string {
    return XML_HEAD + `<sst xmlns="${MAIN_NS}" count="${this.count}" uniqueCount="${this.items.length}">${this.items.join('')}</sst>`;
  }
}

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

const utf8 = (s: string) => Buffer.from(s, 'utf8');

/** Rows encoded together (as toCsvBytes in csv.ts): their strings die young instead of waiting for one join. */
const ROWS_PER_CHUNK = 1024;

/** A worksheet's XML in UTF-8. */
function sheetXml(sheet: XlsxSheet, styles: Styles, strings: SharedStrings): Buffer {
  const width = sheet.columns.length;
  const last = columnLetters(Math.max(0, width - 1));
  const letters = sheet.columns.map((_, i) => columnLetters(i));
  const columnXf = sheet.columns.map((c) => styles.xf(c.numFmt, false, sheet.wrap));
  const headerXf = styles.xf(undefined, true);
  const out: string[] = [XML_HEAD, `<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">`, `<dimension ref="A1:${last}${sheet.rowCount + 1}"/>`];
  const f = sheet.freeze;
  if (f && (f.rows > 0 || f.columns > 0)) {
    const pane = f.rows > 0 && f.columns > 0 ? 'bottomRight' : f.rows > 0 ? 'bottomLeft' : 'topRight';
    const splits = `${f.columns > 0 ? ` xSplit="${f.columns}"` : ''}${f.rows > 0 ? ` ySplit="${f.rows}"` : ''}`;
    out.push(`<sheetViews><sheetView workbookViewId="0"><pane${splits} topLeftCell="${columnLetters(f.columns)}${f.rows + 1}" activePane="${pane}" state="frozen"/><selection pane="${pane}"/></sheetView></sheetViews>`);
  } else {
    out.push('<sheetViews><sheetView workbookViewId="0"/></sheetViews>');
  }
  out.push('<sheetFormatPr defaultRowHeight="15"/><cols>');
  sheet.columns.forEach((c, i) => {
    out.push(`<col min="${i + 1}" max="${i + 1}" width="${c.width}"${columnXf[i] ? ` style="${columnXf[i]}"` : ''} customWidth="1"/>`);
  });
  out.push('</cols><sheetData>');
  out.push(`<row r="1">`);
  sheet.columns.forEach((c, i) => out.push(`<c r="${letters[i]}1" s="${headerXf}" t="s"><v>${strings.id(c.header)}</v></c>`));
  out.push('</row>');
  const chunks: Buffer[] = [];
  const flush = () => {
    chunks.push(utf8(out.join('')));
    out.length = 0;
  };
  let r = 1;
  for (const row of sheet.rows) {
    r++;
    if (r % ROWS_PER_CHUNK === 0) flush();
    let line = `<row r="${r}">`;
    for (let i = 0; i < width; i++) {
      const v = row[i];
      if (v === null || v === undefined) continue;
      const s = columnXf[i] ? ` s="${columnXf[i]}"` : '';
      const ref = letters[i] + r;
      if (typeof v === 'string') line += `<c r="${ref}"${s} t="s"><v>${strings.id(v)}</v></c>`;
      else if (typeof v === 'number') line += Number.isFinite(v) ? `<c r="${ref}"${s}><v>${v}</v></c>` : '';
      else if (typeof v === 'boolean') line += `<c r="${ref}"${s} t="b"><v>${v ? 1 : 0}</v></c>`;
      else line += `<c r="${ref}"${s}><v>${excelSerial(v)}</v></c>`;
    }
    out.push(line + '</row>');
  }
  if (r - 1 !== sheet.rowCount) throw new Error(`xlsx: sheet ${sheet.name} has ${r - 1} rows, ${sheet.rowCount} announced`);
  out.push('</sheetData>');
  if (sheet.autoFilter) out.push(`<autoFilter ref="A1:${last}1"/>`);
  out.push('<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>');
  flush();
  return Buffer.concat(chunks);
}

/** The workbook's bytes: the sheets in order, byte-identical for the same input. */
export async function writeXlsx(sheets: readonly XlsxSheet[], props: XlsxProperties): Promise<Uint8Array> {
  const styles = new Styles();
  const strings = new SharedStrings();
  const sheetParts = sheets.map((s) => sheetXml(s, styles, strings));
  const stamp = `${props.date}T00:00:00Z`;
  const names = sheets.map((s) => xmlText(s.name));
  const parts: [string, string | Buffer][] = [
    [
      '[Content_Types].xml',
      XML_HEAD +
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
        sheets.map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('') +
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>' +
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
        '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>',
    ],
    [
      '_rels/.rels',
      XML_HEAD +
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        `<Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/>` +
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>' +
        `<Relationship Id="rId3" Type="${REL_NS}/extended-properties" Target="docProps/app.xml"/></Relationships>`,
    ],
    [
      'docProps/app.xml',
      XML_HEAD +
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">' +
        `<Application>${xmlText(props.creator)}</Application><HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant><vt:variant><vt:i4>${sheets.length}</vt:i4></vt:variant></vt:vector></HeadingPairs>` +
        `<TitlesOfParts><vt:vector size="${sheets.length}" baseType="lpstr">${names.map((n) => `<vt:lpstr>${n}</vt:lpstr>`).join('')}</vt:vector></TitlesOfParts></Properties>`,
    ],
    [
      'docProps/core.xml',
      XML_HEAD +
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
        `<dc:creator>${xmlText(props.creator)}</dc:creator><dc:title>${xmlText(props.title)}</dc:title><cp:lastModifiedBy>${xmlText(props.creator)}</cp:lastModifiedBy>` +
        `<dcterms:created xsi:type="dcterms:W3CDTF">${stamp}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${stamp}</dcterms:modified></cp:coreProperties>`,
    ],
    [
      'xl/workbook.xml',
      XML_HEAD +
        `<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><bookViews><workbookView/></bookViews><sheets>` +
        names.map((n, i) => `<sheet name="${n}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('') +
        '</sheets>' +
        // The filter range of each sheet, as Excel records it.
        (sheets.some((s) => s.autoFilter)
          ? `<definedNames>${sheets
              .map((s, i) => (s.autoFilter ? `<definedName name="_xlnm._FilterDatabase" localSheetId="${i}" hidden="1">'${names[i].replace(/'/g, "''")}'!$A$1:$${columnLetters(Math.max(0, s.columns.length - 1))}$1</definedName>` : ''))
              .join('')}</definedNames>`
          : '') +
        '</workbook>',
    ],
    [
      'xl/_rels/workbook.xml.rels',
      XML_HEAD +
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${REL_NS}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('') +
        `<Relationship Id="rId${sheets.length + 1}" Type="${REL_NS}/styles" Target="styles.xml"/>` +
        `<Relationship Id="rId${sheets.length + 2}" Type="${REL_NS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
    ],
    ...sheetParts.map((bytes, i): [string, Buffer] => [`xl/worksheets/sheet${i + 1}.xml`, bytes]),
    ['xl/styles.xml', styles.xml()],
    ['xl/sharedStrings.xml', strings.xml()],
  ];
  return zipFiles(parts.map(([name, data]) => ({ name, data: typeof data === 'string' ? utf8(data) : data })), new Date(stamp));
}
