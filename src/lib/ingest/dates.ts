import type { DatePrecision } from '../core/types';

/**
 * Dates as officials type them or Excel stores them → ISO yyyy-mm-dd.
 * Accepted, to the day: 2023-05-01, 2023-5-1, 2023/5/1, 2023.5.1, 2023年5月1日 (or 1号), 20230501
 * (each optionally followed by a time, which is ignored), Excel serial numbers (1900 or 1904 date
 * system), and JS Date objects (exceljs, UTC).
 * To the month: 2021年5月, 2021年05月份, 2021-05, 2021/5, 2021.5, 2021.05, 202105, and a number
 * typed into Excel as 2021.05 (it arrives as the number 2021.05, or 2021.5).
 * To the year: 2021年, 2021年度, 2021 (text or number).
 * A number between 1900 and 2100 with at most two decimals is a year (and month), never an Excel
 * serial: serials 1900–2100 are days of 1905, when no community organization was founded.
 * A month or a year is counted from its first day (iso = its first day; precision says which):
 * founded 2021-05 is active from 2021-05-01, at the 2021 year end; dissolved 2023 is not active at
 * any date of 2023.
 * Day-first / month-first forms such as 5/1/2023 are rejected: they are ambiguous and a wrong
 * guess would be silent.
 */

/** note: an assumption made while reading (e.g. the number 2021.1 may have been typed 2021.10). */
export type DateParse =
  | { ok: true; iso: string; precision: DatePrecision; note?: { zh: string; en: string } }
  | { ok: false; zh: string; en: string };

/** Excel's largest date, 9999-12-31. */
export const EXCEL_MAX_SERIAL = 2958465;
const MIN_YEAR = 1900;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function isoFromParts(y: number, m: number, d: number, raw: string): DateParse {
  if (m < 1 || m > 12) return { ok: false, zh: `月份不存在：${raw}`, en: `no such month: ${raw}` };
  const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d < 1 || d > daysInMonth) return { ok: false, zh: `日期不存在：${raw}`, en: `no such day: ${raw}` };
  if (y < MIN_YEAR) return { ok: false, zh: `年份早于 ${MIN_YEAR}：${raw}`, en: `year before ${MIN_YEAR}: ${raw}` };
  return { ok: true, iso: `${pad(y, 4)}-${pad(m)}-${pad(d)}`, precision: 'day' };
}

/** A month (day 1) or a year (January 1), with the precision it was written in. */
function isoFromYearMonth(y: number, m: number | null, raw: string): DateParse {
  if (y < MIN_YEAR || y > MAX_YEAR) return { ok: false, zh: `年份不在 ${MIN_YEAR}–${MAX_YEAR} 之间：${raw}`, en: `year outside ${MIN_YEAR}–${MAX_YEAR}: ${raw}` };
  if (m === null) return { ok: true, iso: `${pad(y, 4)}-01-01`, precision: 'year' };
  if (m < 1 || m > 12) return { ok: false, zh: `月份不存在：${raw}`, en: `no such month: ${raw}` };
  return { ok: true, iso: `${pad(y, 4)}-${pad(m)}-01`, precision: 'month' };
}

/** Years a number may be read as (year or year.month), instead of an Excel serial. */
export const MIN_YEAR_NUMBER = 1900;
export const MAX_YEAR = 2100;

/**
 * A number typed as 2021.05 / 2021.5 / 2021 in a cell. Excel keeps no trailing zero, so 2021.1
 * may have been typed 2021.10 (October): read as January, with a note saying so.
 */
function yearMonthNumber(n: number): DateParse | null {
  if (!(n >= MIN_YEAR_NUMBER && n < MAX_YEAR + 1)) return null;
  const raw = String(n);
  const m = /^(\d{4})(?:\.(\d{1,2}))?$/.exec(raw);
  if (!m) {
    return {
      ok: false,
      zh: `数字 ${raw} 既不是“年.月”（最多两位小数）也不是合理的 Excel 日期序号（${MIN_YEAR_NUMBER}–${MAX_YEAR} 是 1905 年的日子）`,
      en: `the number ${raw} is neither year.month (at most two decimals) nor a plausible Excel date serial (${MIN_YEAR_NUMBER}–${MAX_YEAR} are days of 1905)`,
    };
  }
  const year = Number(m[1]);
  if (m[2] === undefined) return isoFromYearMonth(year, null, raw);
  const parsed = isoFromYearMonth(year, Number(m[2]), raw);
  if (parsed.ok && m[2] === '1') {
    return {
      ...parsed,
      note: {
        zh: `Excel 数字 ${raw} 按 ${year} 年 1 月计；若原本写的是 ${year}.10（10 月），Excel 会去掉末尾的 0，请把该列设为文本`,
        en: `the Excel number ${raw} is read as January ${year}; if it was typed ${year}.10 (October), Excel dropped the trailing 0: format the column as text`,
      },
    };
  }
  return parsed;
}

const isoFromUtcDate = (date: Date) =>
  `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;

/**
 * Excel serial → ISO. 1900 system: serial 1 = 1900-01-01; Excel treats 1900 as a leap year, so
 * serial 60 is the non-existent 1900-02-29 (rejected) and every serial after it is one day late.
 * 1904 system (old Mac workbooks): serial 0 = 1904-01-01. A time fraction is dropped.
 */
export function excelSerialToIso(serial: number, date1904 = false): DateParse {
  const raw = String(serial);
  if (!Number.isFinite(serial)) return { ok: false, zh: `不是日期：${raw}`, en: `not a date: ${raw}` };
  const whole = Math.floor(serial);
  if (date1904) {
    if (whole < 0 || whole > EXCEL_MAX_SERIAL - 1462) {
      return { ok: false, zh: `Excel 日期序号超出范围：${raw}`, en: `Excel date serial out of range: ${raw}` };
    }
    return { ok: true, iso: isoFromUtcDate(new Date(Date.UTC(1904, 0, 1 + whole))), precision: 'day' };
  }
  if (whole < 1 || whole > EXCEL_MAX_SERIAL) {
    return { ok: false, zh: `Excel 日期序号超出范围（1–${EXCEL_MAX_SERIAL}）：${raw}`, en: `Excel date serial out of range (1–${EXCEL_MAX_SERIAL}): ${raw}` };
  }
  if (whole === 60) {
    return { ok: false, zh: 'Excel 日期序号 60 是不存在的 1900-02-29', en: 'Excel date serial 60 is the non-existent 1900-02-29' };
  }
  const offset = whole < 60 ? whole : whole - 1; // days after 1899-12-31
  return { ok: true, iso: isoFromUtcDate(new Date(Date.UTC(1899, 11, 31 + offset))), precision: 'day' };
}

const TIME_SUFFIX = String.raw`(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?`;
const YMD_SEPARATED = new RegExp(String.raw`^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})${TIME_SUFFIX}$`);
const YMD_CHINESE = new RegExp(String.raw`^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?${TIME_SUFFIX}$`);
const YMD_COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const YM_CHINESE = /^(\d{4})年(\d{1,2})月份?$/;
const YM_SEPARATED = /^(\d{4})[-/.](\d{1,2})$/;
const YM_COMPACT = /^(\d{4})(0[1-9]|1[0-2])$/;
const Y_ONLY = /^(\d{4})(?:年度?)?$/;
const SERIAL = /^\d{1,7}(\.\d+)?$/;
const AMBIGUOUS = /^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$/;

/** A number written yyyymm (202105): a month, not a serial (serial 190001–210012 is the 25th century). */
function yearMonthCompact(n: number): DateParse | null {
  if (!Number.isInteger(n)) return null;
  const m = YM_COMPACT.exec(String(n));
  if (!m || Number(m[1]) < MIN_YEAR_NUMBER || Number(m[1]) > MAX_YEAR) return null;
  return isoFromYearMonth(Number(m[1]), Number(m[2]), String(n));
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * A text already written as an existing ISO day, yyyy-mm-dd, in 1900 or later: parseDate reads it as that same
 * day (precision day, no note), and this says so without the parse or its cache (a national read has 3.5 M dates).
 * Anything else is false, and parseDate decides.
 */
export function isIsoDay(s: string): boolean {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  let year = 0;
  for (let i = 0; i < 4; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    year = year * 10 + d;
  }
  const m1 = s.charCodeAt(5) - 48;
  const m2 = s.charCodeAt(6) - 48;
  const d1 = s.charCodeAt(8) - 48;
  const d2 = s.charCodeAt(9) - 48;
  if (m1 < 0 || m1 > 1 || m2 < 0 || m2 > 9 || d1 < 0 || d1 > 3 || d2 < 0 || d2 > 9) return false;
  const month = m1 * 10 + m2;
  const day = d1 * 10 + d2;
  if (year < MIN_YEAR || month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]);
}

/** Parses one date cell. Returns null for an empty cell. */
export function parseDate(value: unknown, date1904 = false): DateParse | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return { ok: false, zh: '无效日期', en: 'invalid date' };
    const iso = isoFromUtcDate(value);
    return isoFromParts(value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate(), iso);
  }
  if (typeof value === 'number') return yearMonthNumber(value) ?? yearMonthCompact(value) ?? excelSerialToIso(value, date1904);
  const raw = String(value);
  // Rows repeat the same few thousand dates: each text is parsed once (results are never mutated).
  const cache = PARSED_TEXT[date1904 ? 1 : 0];
  let known = cache.get(raw);
  if (known === undefined) {
    if (cache.size >= PARSED_TEXT_MAX) cache.clear();
    cache.set(raw, (known = parseDateText(raw, date1904)));
  }
  return known;
}

/** Parsed texts, per date system (a text serial such as "45000" depends on it). */
const PARSED_TEXT = [new Map<string, DateParse | null>(), new Map<string, DateParse | null>()];
const PARSED_TEXT_MAX = 100_000;

function parseDateText(raw: string, date1904: boolean): DateParse | null {
  const text = raw.normalize('NFKC').replace(/\s+/g, ' ').trim().replace(/\s*([年月日号])\s*/g, '$1');
  if (text === '') return null;
  let m = YMD_SEPARATED.exec(text);
  if (m) return isoFromParts(Number(m[1]), Number(m[3]), Number(m[4]), raw);
  m = YMD_CHINESE.exec(text);
  if (m) return isoFromParts(Number(m[1]), Number(m[2]), Number(m[3]), raw);
  m = YMD_COMPACT.exec(text);
  if (m) return isoFromParts(Number(m[1]), Number(m[2]), Number(m[3]), raw);
  m = YM_CHINESE.exec(text) ?? YM_SEPARATED.exec(text) ?? YM_COMPACT.exec(text);
  if (m) return isoFromYearMonth(Number(m[1]), Number(m[2]), raw);
  m = Y_ONLY.exec(text);
  if (m && Number(m[1]) >= MIN_YEAR_NUMBER && Number(m[1]) <= MAX_YEAR) return isoFromYearMonth(Number(m[1]), null, raw);
  if (SERIAL.test(text)) return yearMonthNumber(Number(text)) ?? excelSerialToIso(Number(text), date1904);
  if (AMBIGUOUS.test(text)) {
    return { ok: false, zh: `日期格式不明确（请用 年-月-日）：${raw}`, en: `ambiguous date format (use year-month-day): ${raw}` };
  }
  return { ok: false, zh: `无法识别的日期：${raw}`, en: `unrecognised date: ${raw}` };
}
