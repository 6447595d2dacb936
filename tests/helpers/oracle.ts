import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { expect } from 'vitest';

/**
 * Pieces of the sample tests' own mini-readers (tests/model/sample.integration.test.ts,
 * tests/sample/national.integration.test.ts): written apart from src/lib/ingest on purpose, so that
 * they check the reader instead of repeating it.
 */

/** Every file under `dir`, '/'-separated and relative to `base`, sorted. */
export function walk(dir: string, base = dir): string[] {
  return readdirSync(dir)
    .flatMap((entry) => {
      const full = path.join(dir, entry);
      return statSync(full).isDirectory() ? walk(full, base) : [path.relative(base, full).split(path.sep).join('/')];
    })
    .sort();
}

/** GB 32100 unified social credit code: its alphabet and the weights of the check character. */
export const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
export const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The check character (18th) that the first 17 characters of `code` call for. */
export function checkCharacter(code: string): string {
  const sum = WEIGHTS.reduce((s, w, i) => s + CHARSET.indexOf(code[i]) * w, 0);
  return CHARSET[(31 - (sum % 31)) % 31];
}

export function creditCodeValid(code: string): boolean {
  return /^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code) && checkCharacter(code) === code[17];
}

/** ISO, 2023/5/1 or 2023年5月1日 → ISO; null for anything else or a day that does not exist. */
export function parseDate(raw: string): string | null {
  const m = /^(\d{4})(?:-(\d{2})-(\d{2})|\/(\d{1,2})\/(\d{1,2})|年(\d{1,2})月(\d{1,2})日)$/.exec(raw);
  if (!m) return null;
  const [y, mo, d] = [+m[1], +(m[2] ?? m[4] ?? m[6]), +(m[3] ?? m[5] ?? m[7])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

/** The generators' Chinese headers → field names. */
export const FIELD_OF: Record<string, string> = {
  组织名称: 'name',
  社区代码: 'community_code',
  区县: 'county',
  乡镇街道: 'township',
  社区: 'community',
  类别: 'category',
  登记方式: 'registration',
  统一社会信用代码: 'credit_code',
  成立日期: 'established_on',
  注销日期: 'dissolved_on',
};

/** One data row of an organization file: where it is and its cells by field name. */
export interface Row {
  file: string;
  line: number;
  f: Record<string, string>;
}

/**
 * A CSV file's records as a plain reader sees them: UTF-8 with BOM, strict UTF-8, else strict CP936 (a
 * character GBK has no code for would decode as U+FFFD); parsed without errors, one record per physical line
 * (so record index + 1 is the line number).
 */
export function csvRecords(bytes: Buffer): { encoding: string; records: string[][] } {
  let text: string;
  let encoding: string;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    encoding = 'utf-8-bom';
    text = bytes.subarray(3).toString('utf8');
  } else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      encoding = 'utf-8';
    } catch {
      text = iconv.decode(bytes, 'cp936');
      expect(text).not.toContain('\ufffd');
      encoding = 'gbk';
    }
  }
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  expect(text.split(/\r?\n/).filter(Boolean).length).toBe(parsed.data.length);
  return { encoding, records: parsed.data };
}
