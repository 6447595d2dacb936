/**
 * Dates as officials type them or Excel stores them → ISO yyyy-mm-dd.
 * Accepted: 2023-05-01, 2023-5-1, 2023/5/1, 2023.5.1, 2023年5月1日, 20230501 (each optionally
 * followed by a time, which is ignored), Excel serial numbers (1900 or 1904 date system), and
 * JS Date objects (exceljs, UTC). Day-first / month-first forms such as 5/1/2023 are rejected:
 * they are ambiguous and a wrong guess would be silent.
 */

export type DateParse = { ok: true; iso: string } | { ok: false; zh: string; en: string };

/** Excel's largest date, 9999-12-31. */
export const EXCEL_MAX_SERIAL = 2958465;
const MIN_YEAR = 1900;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function isoFromParts(y: number, m: number, d: number, raw: string): DateParse {
  if (m < 1 || m > 12) return { ok: false, zh: `月份不存在：${raw}`, en: `no such month: ${raw}` };
  const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d < 1 || d > daysInMonth) return { ok: false, zh: `日期不存在：${raw}`, en: `no such day: ${raw}` };
  if (y < MIN_YEAR) return { ok: false, zh: `年份早于 ${MIN_YEAR}：${raw}`, en: `year before ${MIN_YEAR}: ${raw}` };
  return { ok: true, iso: `${pad(y, 4)}-${pad(m)}-${pad(d)}` };
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
    return { ok: true, iso: isoFromUtcDate(new Date(Date.UTC(1904, 0, 1 + whole))) };
  }
  if (whole < 1 || whole > EXCEL_MAX_SERIAL) {
    return { ok: false, zh: `Excel 日期序号超出范围（1–${EXCEL_MAX_SERIAL}）：${raw}`, en: `Excel date serial out of range (1–${EXCEL_MAX_SERIAL}): ${raw}` };
  }
  if (whole === 60) {
    return { ok: false, zh: 'Excel 日期序号 60 是不存在的 1900-02-29', en: 'Excel date serial 60 is the non-existent 1900-02-29' };
  }
  const offset = whole < 60 ? whole : whole - 1; // days after 1899-12-31
  return { ok: true, iso: isoFromUtcDate(new Date(Date.UTC(1899, 11, 31 + offset))) };
}

const TIME_SUFFIX = String.raw`(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?`;
const YMD_SEPARATED = new RegExp(String.raw`^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})${TIME_SUFFIX}$`);
const YMD_CHINESE = new RegExp(String.raw`^(\d{4})年(\d{1,2})月(\d{1,2})日${TIME_SUFFIX}$`);
const YMD_COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const SERIAL = /^\d{1,7}(\.\d+)?$/;
const AMBIGUOUS = /^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$/;

/** Parses one date cell. Returns null for an empty cell. */
export function parseDate(value: unknown, date1904 = false): DateParse | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return { ok: false, zh: '无效日期', en: 'invalid date' };
    const iso = isoFromUtcDate(value);
    return isoFromParts(value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate(), iso);
  }
  if (typeof value === 'number') return excelSerialToIso(value, date1904);
  const raw = String(value);
  const text = raw.normalize('NFKC').trim();
  if (text === '') return null;
  let m = YMD_SEPARATED.exec(text);
  if (m) return isoFromParts(Number(m[1]), Number(m[3]), Number(m[4]), raw);
  m = YMD_CHINESE.exec(text);
  if (m) return isoFromParts(Number(m[1]), Number(m[2]), Number(m[3]), raw);
  m = YMD_COMPACT.exec(text);
  if (m) return isoFromParts(Number(m[1]), Number(m[2]), Number(m[3]), raw);
  if (SERIAL.test(text)) return excelSerialToIso(Number(text), date1904);
  if (AMBIGUOUS.test(text)) {
    return { ok: false, zh: `日期格式不明确（请用 年-月-日）：${raw}`, en: `ambiguous date format (use year-month-day): ${raw}` };
  }
  return { ok: false, zh: `无法识别的日期：${raw}`, en: `unrecognised date: ${raw}` };
}
