/**
 * Structural problems with a dataset folder: the build cannot go on, and the message must tell
 * an official exactly which file, line and column to fix. Row-level problems are Rejections instead.
 */
export class DatasetError extends Error {
  readonly file: string;
  readonly line: number | null;
  readonly column: string | null;
  readonly reasonZh: string;
  readonly reasonEn: string;

  constructor(file: string, line: number | null, column: string | null, reasonZh: string, reasonEn: string) {
    super(formatLocation(file, line, column) + `${reasonZh} / ${reasonEn}`);
    this.name = 'DatasetError';
    this.file = file;
    this.line = line;
    this.column = column;
    this.reasonZh = reasonZh;
    this.reasonEn = reasonEn;
  }
}

/** `<file>:<line>:<column>: ` with the parts that do not apply left out. */
function formatLocation(file: string, line: number | null, column: string | null): string {
  const parts = [file];
  if (line !== null) parts.push(String(line));
  if (column !== null) parts.push(column);
  return parts.join(':') + ': ';
}

/** A row problem in both languages; joined as "zh / en" in Rejection.reason. */
export interface Problem {
  column: string | null; // header as written in the file
  zh: string;
  en: string;
  value: string | null;
}

export const problem = (column: string | null, zh: string, en: string, value: string | null = null): Problem => ({
  column,
  zh,
  en,
  value,
});
