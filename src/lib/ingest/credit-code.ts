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

// Value of each charset character by char code (-1: not in the set), for the index below.
const CHAR_VALUE = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < CREDIT_CODE_CHARSET.length; i++) table[CREDIT_CODE_CHARSET.charCodeAt(i)] = i;
  return table;
})();
const EMPTY = -1;

/**
 * First row of each credit code, for the duplicate check of a read (src/lib/ingest/index.ts). A code of the valid
 * form (its check character right, as checkCreditCode accepts) is fixed by its first 17 characters: held as those in
 * base 31, two exact doubles (9 and 8 digits), in typed arrays, open-addressed. A Map of a national load's 1.75 M
 * code strings was ~100 MB of small objects for every collection of the read to copy or mark. Any other string is
 * kept in a Map beside, so the index answers as a Map<string, number> would for every string.
 */
export class CreditCodeIndex {
  private capacity = 1 << 16;
  private count = 0;
  private high = new Float64Array(this.capacity);
  private low = new Float64Array(this.capacity);
  private hashes = new Int32Array(this.capacity);
  private rows = new Int32Array(this.capacity).fill(EMPTY);
  private readonly other = new Map<string, number>();
  // the parsed key of the code last asked
  private keyHigh = 0;
  private keyLow = 0;
  private keyHash = 0;

  get size(): number {
    return this.count + this.other.size;
  }

  /** Parses a code into keyHigh, keyLow and keyHash; false when it is not of the valid form. */
  private key(code: string): boolean {
    if (code.length !== 18) return false;
    let high = 0;
    let low = 0;
    let sum = 0;
    let hash = 0x811c9dc5 | 0;
    for (let i = 0; i < 17; i++) {
      const c = code.charCodeAt(i);
      const v = c < 128 ? CHAR_VALUE[c] : -1;
      if (v < 0) return false;
      if (i < 9) high = high * 31 + v;
      else low = low * 31 + v;
      sum += v * CREDIT_CODE_WEIGHTS[i];
      hash = Math.imul(hash ^ v, 0x01000193);
    }
    const check = 31 - (sum % 31);
    if (code.charCodeAt(17) !== CREDIT_CODE_CHARSET.charCodeAt(check === 31 ? 0 : check)) return false;
    this.keyHigh = high;
    this.keyLow = low;
    this.keyHash = hash ^ (hash >>> 15);
    return true;
  }

  /** Slot of the parsed key: its own, or the empty one where it would go. */
  private slot(): number {
    const mask = this.capacity - 1;
    let i = this.keyHash & mask;
    while (this.rows[i] !== EMPTY && (this.high[i] !== this.keyHigh || this.low[i] !== this.keyLow)) i = (i + 1) & mask;
    return i;
  }

  get(code: string): number | undefined {
    if (!this.key(code)) return this.other.get(code);
    const row = this.rows[this.slot()];
    return row === EMPTY ? undefined : row;
  }

  has(code: string): boolean {
    return this.get(code) !== undefined;
  }

  /** Records the code's row (a later set of the same code replaces it, as Map.set does). */
  set(code: string, row: number): void {
    if (!Number.isInteger(row) || row < 0 || row > 0x7fffffff) throw new Error(`CreditCodeIndex: ${row} is not a row index`);
    if (!this.key(code)) {
      this.other.set(code, row);
      return;
    }
    let i = this.slot();
    if (this.rows[i] === EMPTY) {
      if ((this.count + 1) * 2 > this.capacity) {
        this.grow();
        i = this.slot();
      }
      this.count++;
      this.high[i] = this.keyHigh;
      this.low[i] = this.keyLow;
      this.hashes[i] = this.keyHash;
    }
    this.rows[i] = row;
  }

  /** Twice the slots, at most half of them used. */
  private grow(): void {
    const { high, low, hashes, rows } = this;
    this.capacity *= 2;
    this.high = new Float64Array(this.capacity);
    this.low = new Float64Array(this.capacity);
    this.hashes = new Int32Array(this.capacity);
    this.rows = new Int32Array(this.capacity).fill(EMPTY);
    const mask = this.capacity - 1;
    for (let j = 0; j < rows.length; j++) {
      if (rows[j] === EMPTY) continue;
      let i = hashes[j] & mask;
      while (this.rows[i] !== EMPTY) i = (i + 1) & mask;
      this.high[i] = high[j];
      this.low[i] = low[j];
      this.hashes[i] = hashes[j];
      this.rows[i] = rows[j];
    }
  }
}
