import type { Rng } from './random';

/**
 * 统一社会信用代码 for generated organizations.
 *
 * Independent oracle: the GB 32100-2015 check character is computed here from the standard, not
 * imported from src/lib/ingest/credit-code.ts, so a slip in the ingest code shows up as valid
 * sample rows being rejected (tests/model/sample.integration.test.ts, tests/sample/national.integration.test.ts) instead of
 * being shared by the generator and the reader.
 */

export const CREDIT_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** GB 32100-2015 check character for the first 17 characters. */
export function creditCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_CHARSET.indexOf(first17[i]) * CREDIT_WEIGHTS[i];
  return CREDIT_CHARSET[(31 - (sum % 31)) % 31];
}

/** GB 11714 check character of the 9-character organization code inside a credit code. */
export function orgCodeCheckChar(first8: string): string {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = first8[i];
    sum += (/\d/.test(c) ? +c : c.charCodeAt(0) - 55) * weights[i];
  }
  const check = 11 - (sum % 11);
  return check === 10 ? 'X' : check === 11 ? '0' : String(check);
}

/** 民政 type codes of GB 32100-2015: 1 社会团体, 2 民办非企业单位, 9 其他. */
export type CreditType = '1' | '2' | '9';

/**
 * "5" (民政) + type + the county code + a 民政-assigned body "MJ" + 6 digits with its GB 11714
 * check, then the GB 32100 check character.
 */
export function creditCodeFor(type: CreditType, countyCode: string, body6: number): string {
  const body8 = 'MJ' + String(body6).padStart(6, '0');
  const first17 = '5' + type + countyCode + body8 + orgCodeCheckChar(body8);
  return first17 + creditCheckChar(first17);
}

/** A valid-looking credit code with a random body, redrawn until it is not in `taken`. */
export function makeCreditCode(rng: Rng, type: CreditType, countyCode: string, taken: Set<string>): string {
  for (;;) {
    const code = creditCodeFor(type, countyCode, rng.int(1_000_000));
    if (!taken.has(code)) {
      taken.add(code);
      return code;
    }
  }
}

/** Same code with a different (hence wrong) last character. */
export function breakCheckChar(code: string): string {
  const right = code[17];
  const wrong = CREDIT_CHARSET[(CREDIT_CHARSET.indexOf(right) + 7) % 31];
  return code.slice(0, 17) + wrong;
}
