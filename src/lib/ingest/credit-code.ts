/**
 * 统一社会信用代码 (GB 32100-2015): 18 characters from a 31-character set (digits and capital
 * letters without I, O, S, V, Z). The 18th is a check character: with weights 3^i mod 31 for
 * positions 1–17, check = 31 − (Σ value × weight mod 31), where 31 becomes 0.
 */

export const CREDIT_CODE_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
export const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/** Upper-case, NFKC (full-width digits) and trim: the form the code is checked and stored in. */
export const normaliseCreditCode = (raw: string) => raw.normalize('NFKC').trim().toUpperCase();

/** The check character for the first 17 characters, or null if one of them is outside the charset. */
export function creditCodeCheckChar(first17: string): string | null {
  if (first17.length !== 17) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CREDIT_CODE_CHARSET.indexOf(first17[i]);
    if (v < 0) return null;
    sum += v * CREDIT_CODE_WEIGHTS[i];
  }
  const check = 31 - (sum % 31);
  return CREDIT_CODE_CHARSET[check === 31 ? 0 : check];
}

export type CreditCodeCheck = { ok: true; code: string } | { ok: false; zh: string; en: string };

export function checkCreditCode(raw: string): CreditCodeCheck {
  const code = normaliseCreditCode(raw);
  if (code.length !== 18) {
    return { ok: false, zh: `统一社会信用代码应为 18 位，实为 ${code.length} 位`, en: `credit code must have 18 characters, found ${code.length}` };
  }
  const badIndex = [...code].findIndex((c) => !CREDIT_CODE_CHARSET.includes(c));
  if (badIndex >= 0) {
    return {
      ok: false,
      zh: `统一社会信用代码第 ${badIndex + 1} 位“${code[badIndex]}”不是允许的字符（不含 I、O、S、V、Z）`,
      en: `credit code character ${badIndex + 1} "${code[badIndex]}" is not allowed (I, O, S, V, Z are never used)`,
    };
  }
  const expected = creditCodeCheckChar(code.slice(0, 17))!;
  if (code[17] !== expected) {
    return {
      ok: false,
      zh: `统一社会信用代码校验位错误：应为 ${expected}，实为 ${code[17]}`,
      en: `credit code check character is wrong: expected ${expected}, found ${code[17]}`,
    };
  }
  return { ok: true, code };
}
