/**
 * 6-digit NBS area codes: the national code and the parent of a code by its digits.
 * 全国 has no NBS code; the site uses 000000 for it (its page, its areas.csv row, national targets).
 */
export const NATIONAL_CODE = '000000';
export const NATIONAL_NAME = '全国';

/** The province (2 digits + 0000) of a 6-digit code. */
export const provinceOf = (code: string) => `${code.slice(0, 2)}0000`;
/** The prefecture (4 digits + 00) of a 6-digit code. */
export const prefectureOf = (code: string) => `${code.slice(0, 4)}00`;
