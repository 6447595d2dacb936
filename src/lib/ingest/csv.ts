import Papa from 'papaparse';
import { decodeText } from './decode';
import { problem } from './errors';
import { headerScore } from './headers';
import type { RawRecord, RawTable } from './table';

export const CSV_DELIMITERS = [',', '\t', ';'] as const;

/**
 * Physical line counter: a line ends at LF, CRLF or a lone CR, as a text editor shows them.
 * Moves from the last offset asked (mostly forward; back after a cut record is re-read), so
 * counting every record's start costs O(file size) in total.
 */
class LineCounter {
  private pos = 0;
  private line = 1;
  constructor(private readonly text: string) {}
  private endsLine(i: number): boolean {
    const ch = this.text.charCodeAt(i);
    return ch === 10 || (ch === 13 && this.text.charCodeAt(i + 1) !== 10);
  }
  lineAt(offset: number): number {
    for (; this.pos < offset; this.pos++) if (this.endsLine(this.pos)) this.line++;
    for (; this.pos > offset; this.pos--) if (this.endsLine(this.pos - 1)) this.line--;
    return this.line;
  }
}

/** The row terminator papaparse should use: CRLF if the file has any, else LF, else CR. */
function rowNewline(text: string): '\r\n' | '\n' | '\r' {
  if (text.includes('\r\n')) return '\r\n';
  if (text.includes('\n')) return '\n';
  return text.includes('\r') ? '\r' : '\n';
}

/**
 * papaparse's first `n` records of the text, parsed from a prefix: given the whole of a national province file,
 * papaparse went through all of it for a preview of 10 (~0.4 s of a national read). A prefix that yields more than
 * `n` records holds the first `n` complete, so they are the records of the whole text; else the prefix doubles.
 */
function firstRecords(text: string, delimiter: string, newline: ReturnType<typeof rowNewline>, n: number): string[][] {
  for (let length = 1 << 14; ; length *= 2) {
    const whole = length >= text.length;
    const records = Papa.parse<string[]>(whole ? text : text.slice(0, length), { delimiter, preview: whole ? n : n + 1, newline }).data;
    if (whole || records.length > n) return records.slice(0, n);
  }
}

/** Chooses the delimiter whose split of the first lines recognises the most headers (ties: comma). */
export function detectDelimiter<F extends string>(text: string, synonyms: Record<F, string[]>): string {
  let best: string = CSV_DELIMITERS[0];
  let bestScore = -1;
  const newline = rowNewline(text);
  for (const delimiter of CSV_DELIMITERS) {
    const preview = firstRecords(text, delimiter, newline, 10);
    const score = Math.max(0, ...preview.map((row) => headerScore(row, synonyms)));
    if (score > bestScore) {
      best = delimiter;
      bestScore = score;
    }
  }
  return best;
}

/**
 * Parses decoded CSV text into records with physical line numbers. A quote left open would make
 * papaparse swallow the rest of the file into one field; instead that record is cut at the end of
 * its own line, rejected, and parsing resumes on the next line, so no later row is lost.
 */
export function parseCsvRecords(text: string, delimiter: string): RawRecord[] {
  const records: RawRecord[] = [];
  streamCsvRecords(text, delimiter, (r) => void records.push(r));
  return records;
}

/**
 * parseCsvRecords record by record: `onRecord` gets each record as it is parsed, in file order, so a reader
 * that consumes them at once never holds the file's records (a national province file is 100,000 rows).
 */
export function streamCsvRecords(text: string, delimiter: string, onRecord: (record: RawRecord) => void): void {
  const newline = rowNewline(text);
  const counter = new LineCounter(text);
  const records = { push: onRecord };
  let offset = splitQuoteFree(text, delimiter, newline, counter, onRecord);
  while (offset < text.length) {
    const chunk = text.slice(offset);
    let previousCursor = 0;
    let resumeAt = -1;
    Papa.parse<string[]>(chunk, {
      delimiter,
      newline,
      step: (result, parser) => {
        const start = offset + previousCursor;
        const end = offset + result.meta.cursor;
        previousCursor = result.meta.cursor;
        const line = counter.lineAt(start);
        // papaparse reports the empty "record" after the file's final newline: not a row
        if (start >= text.length && result.data.length === 1 && result.data[0] === '') return;
        // the record's own terminating newline does not belong to it
        const last = text.startsWith(newline, end - newline.length) ? end - newline.length : end;
        const endLine = counter.lineAt(Math.max(start, last));
        const quoteError = result.errors.find((e) => e.type === 'Quotes');
        if (quoteError && (quoteError.code === 'MissingQuotes' || endLine > line)) {
          // a bad quote that swallowed later lines: reject its own line only and read on from the next
          const lineEnd = text.indexOf(newline, start);
          const physical = text.slice(start, lineEnd < 0 ? text.length : lineEnd);
          const unclosed = quoteError.code === 'MissingQuotes';
          records.push({
            line,
            endLine: line,
            cells: [physical],
            problem: problem(
              null,
              unclosed
                ? '引号未闭合：本行的引号一直到文件末尾都没有配对；只拒绝本行，下一行起继续读取'
                : `引号格式错误：本行的引号与第 ${endLine} 行的引号配成了一对，吞并了其间的换行；只拒绝本行，下一行起继续读取`,
              unclosed
                ? 'unclosed quote: the quote opened on this line is never closed; only this line is rejected, reading resumes on the next line'
                : `malformed quotes: the quote on this line pairs with one on line ${endLine}, swallowing the line breaks between; only this line is rejected, reading resumes on the next line`,
              physical,
            ),
          });
          resumeAt = lineEnd < 0 ? text.length : lineEnd + newline.length;
          parser.abort();
          return;
        }
        const record: RawRecord = { line, endLine, cells: result.data };
        if (quoteError) {
          record.problem = problem(
            null,
            `引号格式错误（${quoteError.message}）：字段中的引号须写成两个引号 ""`,
            `malformed quotes (${quoteError.message}): a quote inside a field must be doubled ""`,
            result.data.join(delimiter),
          );
        }
        records.push(record);
      },
    });
    if (resumeAt < 0) break;
    offset = resumeAt;
  }
}

/** A CSV file decoded, its delimiter chosen, not yet parsed (streamCsvRecords parses `text`). */
export interface CsvSource {
  file: string;
  encoding: string;
  text: string;
  delimiter: string;
  notes: string[];
}

export function openCsv<F extends string>(bytes: Uint8Array, file: string, synonyms: Record<F, string[]>): CsvSource {
  const { text, encoding } = decodeText(bytes, file);
  const delimiter = detectDelimiter(text, synonyms);
  const notes: string[] = [];
  if (delimiter !== ',') {
    const name = delimiter === '\t' ? 'TAB' : delimiter;
    notes.push(`${file}: 分隔符为 ${name}（${encoding}） / delimiter is ${name} (${encoding})`);
  }
  return { file, encoding, text, delimiter, notes };
}

/**
 * The lines before the first quote character, split directly: no field there can be quoted, so each line is one
 * record, cut at the delimiter, as papaparse's own fast mode cuts it, without its per-record step objects (a national
 * province file has no quote at all: 100,000 lines). Returns where the rest (from the line holding the quote) begins.
 */
function splitQuoteFree(text: string, delimiter: string, newline: string, counter: LineCounter, onRecord: (record: RawRecord) => void): number {
  const quote = text.indexOf('"');
  const limit = quote < 0 ? text.length : (() => {
    const before = text.lastIndexOf(newline, quote);
    return before < 0 ? 0 : before + newline.length;
  })();
  let pos = 0;
  if (!hasLoneCr(text, newline, limit)) {
    // every line ends at a row terminator: a record is one line (the common case, without a scan per character)
    for (let line = 1; pos < limit; line++) {
      let end = text.indexOf(newline, pos);
      if (end < 0) end = text.length;
      onRecord({ line, endLine: line, cells: text.slice(pos, end).split(delimiter) });
      pos = end + newline.length;
    }
    return Math.min(pos, text.length);
  }
  while (pos < limit) {
    let end = text.indexOf(newline, pos);
    if (end < 0) end = text.length;
    const line = counter.lineAt(pos);
    onRecord({ line, endLine: counter.lineAt(end), cells: text.slice(pos, end).split(delimiter) });
    pos = end + newline.length;
  }
  return Math.min(pos, text.length);
}

/** A CR that is not the row terminator before `limit`: it ends a line for LineCounter but not a record. */
function hasLoneCr(text: string, newline: string, limit: number): boolean {
  if (newline === '\r') return false; // then the text has no LF at all (rowNewline)
  for (let i = text.indexOf('\r'); i >= 0 && i < limit; i = text.indexOf('\r', i + 1)) {
    if (newline === '\n' || text.charCodeAt(i + 1) !== 10) return true;
  }
  return false;
}

export function readCsvTable<F extends string>(bytes: Uint8Array, file: string, synonyms: Record<F, string[]>): RawTable {
  const { encoding, text, delimiter, notes } = openCsv(bytes, file, synonyms);
  return { file, encoding, records: parseCsvRecords(text, delimiter), notes, date1904: false };
}
