import iconv from 'iconv-lite';
import { DatasetError } from './errors';

export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'gbk' | 'utf-16le' | 'utf-16be';

export interface DecodedText {
  text: string;
  encoding: TextEncoding;
}

const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((b, i) => bytes[i] === b);

/** File signatures that mean "this is not a CSV", with what to tell the user. */
const MAGIC: { bytes: number[]; zh: string; en: string }[] = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], zh: '这是 Excel 工作簿（xlsx/zip），请把扩展名改为 .xlsx', en: 'this is an xlsx/zip workbook: rename it to .xlsx' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], zh: '这是旧版 Excel（.xls）文件，请另存为 .xlsx 或 CSV', en: 'this is a legacy .xls workbook: save it as .xlsx or CSV' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], zh: '这是 PNG 图片，不是文本 CSV', en: 'this is a PNG image, not a text CSV' },
  { bytes: [0xff, 0xd8, 0xff], zh: '这是 JPEG 图片，不是文本 CSV', en: 'this is a JPEG image, not a text CSV' },
  { bytes: [0x25, 0x50, 0x44, 0x46], zh: '这是 PDF 文件，不是文本 CSV', en: 'this is a PDF file, not a text CSV' },
];

/** Control characters other than tab, LF and CR never occur in a spreadsheet export. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
/** gb18030 maps byte pairs that GBK leaves undefined to the private use area: a sign of a wrong guess. */
const PRIVATE_USE = /[\ue000-\uf8ff]/;

function firstBadChar(text: string, pattern: RegExp): { line: number; code: string } | null {
  const m = pattern.exec(text);
  if (!m) return null;
  const line = text.slice(0, m.index).split('\n').length;
  return { line, code: 'U+' + m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0') };
}

/**
 * Replacement characters mean the file was damaged before it reached us. Control characters are
 * checked here only for UTF-16 (strictly valid UTF-8 is strong evidence of text; a stray control
 * character there is a row problem, rejected by the row rules).
 */
function assertText(text: string, file: string, encoding: TextEncoding): void {
  const bad = firstBadChar(text, /\ufffd/) ?? (encoding.startsWith('utf-16') ? firstBadChar(text, CONTROL) : null);
  if (bad) {
    throw new DatasetError(
      file,
      bad.line,
      null,
      `按 ${encoding} 解码后含非文本字符 ${bad.code}：不是文本 CSV，或文件已损坏`,
      `decoded as ${encoding} it contains the non-text character ${bad.code}: not a text CSV, or a damaged file`,
    );
  }
}

/**
 * Decodes a CSV file's bytes. Order: BOM (UTF-8, UTF-16LE/BE) → strict UTF-8 → GB18030 (a superset
 * of GBK, reported as 'gbk'), accepted only when the result is clean text. Anything else is a
 * DatasetError: a wrong guess would silently corrupt every name in the file.
 */
export function decodeText(bytes: Uint8Array, file: string): DecodedText {
  for (const magic of MAGIC) {
    if (startsWith(bytes, magic.bytes)) throw new DatasetError(file, null, null, magic.zh, magic.en);
  }
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) {
    const text = decodeUtf8Strict(bytes.subarray(3));
    if (text === null) {
      throw new DatasetError(file, null, null, '文件以 UTF-8 BOM 开头，但内容不是有效的 UTF-8', 'the file starts with a UTF-8 BOM but is not valid UTF-8');
    }
    assertText(text, file, 'utf-8-bom');
    return { text, encoding: 'utf-8-bom' };
  }
  // Excel's "Unicode text" export: UTF-16LE with BOM, tab-separated.
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) {
    const encoding: TextEncoding = bytes[0] === 0xff ? 'utf-16le' : 'utf-16be';
    if ((bytes.length - 2) % 2 !== 0) {
      throw new DatasetError(file, null, null, `${encoding} 文件字节数为奇数，文件已截断`, `${encoding} file has an odd number of bytes: truncated`);
    }
    const text = new TextDecoder(encoding, { fatal: false }).decode(bytes.subarray(2));
    assertText(text, file, encoding);
    return { text, encoding };
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    throw new DatasetError(
      file,
      null,
      null,
      `第 ${nul} 字节为 NUL：不是文本 CSV（二进制文件，或不带 BOM 的 UTF-16）`,
      `NUL byte at offset ${nul}: not a text CSV (a binary file, or UTF-16 without a BOM)`,
    );
  }
  const utf8 = decodeUtf8Strict(bytes);
  if (utf8 !== null) {
    assertText(utf8, file, 'utf-8');
    return { text: utf8, encoding: 'utf-8' };
  }
  const gb = iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'gb18030');
  const bad = firstBadChar(gb, /\ufffd/) ?? firstBadChar(gb, CONTROL) ?? firstBadChar(gb, PRIVATE_USE);
  if (bad) {
    throw new DatasetError(
      file,
      bad.line,
      null,
      `无法识别的文字编码：既不是 UTF-8，也不是 GBK/GB18030（第 ${bad.line} 行出现 ${bad.code}）；请另存为 UTF-8 CSV`,
      `unrecognised text encoding: neither UTF-8 nor GBK/GB18030 (${bad.code} on line ${bad.line}); save the file as UTF-8 CSV`,
    );
  }
  return { text: gb, encoding: 'gbk' };
}

function decodeUtf8Strict(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}
