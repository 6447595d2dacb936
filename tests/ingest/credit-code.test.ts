import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCreditCode, creditCodeCheckChar } from '../../src/lib/ingest';
import { CREDIT_CODE_CHARSET, CREDIT_CODE_WEIGHTS, CreditCodeIndex, normaliseCreditCode } from '../../src/lib/ingest/credit-code';

describe('GB 32100-2015 weights', () => {
  it('are 3^i mod 31', () => {
    expect(CREDIT_CODE_WEIGHTS).toEqual(Array.from({ length: 17 }, (_, i) => Number(3n ** BigInt(i) % 31n)));
    expect(CREDIT_CODE_CHARSET).toHaveLength(31);
  });
});

describe('check character, worked by hand', () => {
  it('for 51511132MJQ000017 is 9', () => {
    // values: 5 1 5 1 1 1 3 2 M=21 J=18 Q=24 0 0 0 0 1 7
    // Σ v×w = 5·1+1·3+5·9+1·27+1·19+1·26+3·16+2·17+21·20+18·29+24·25+0+0+0+0+1·30+7·28 = 1975
    // 1975 mod 31 = 22; 31 − 22 = 9
    expect(creditCodeCheckChar('51511132MJQ000017')).toBe('9');
  });
  it('maps 31 to 0 when the sum is a non-zero multiple of 31', () => {
    // '1' at position 1 (weight 1) and 'M' = 21 at position 17 (weight 28): 1 + 588 = 589 = 19 × 31
    expect(creditCodeCheckChar('1000000000000000M')).toBe('0');
    expect(checkCreditCode('1000000000000000M0').ok).toBe(true);
  });
});

describe.each([
  ['914403001922038216', '华为技术有限公司 (published code)'],
  ['91440300708461136T', '深圳市腾讯计算机系统有限公司 (published code)'],
  ['91110108551385082Q', '小米科技有限责任公司 (published code)'],
  ['51511132MJQ0000179', 'constructed social organization code'],
  ['51511111mj0000227k', 'lower case is upper-cased'],
  ['  51511111MJ0000227K ', 'surrounding spaces trimmed'],
  ['５１５１１１１１ＭＪ００００２２７Ｋ', 'full-width is NFKC-normalised'],
])('%s (%s)', (code) => {
  it('passes', () => {
    const r = checkCreditCode(code);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.code).toMatch(/^[0-9A-HJ-NPQRTUW-Y]{18}$/);
  });
});

describe.each([
  ['914403001922038217', '校验位错误：应为 6，实为 7'],
  ['51511132MJQ0000178', '校验位错误：应为 9，实为 8'],
  ['51511132MJQ000017', '应为 18 位，实为 17 位'],
  ['51511132MJQ00001790', '应为 18 位，实为 19 位'],
  ['51511132MJO0000179', '第 11 位“O”不是允许的字符'],
  ['51511132MJI0000179', '第 11 位“I”不是允许的字符'],
])('%s', (code, reason) => {
  it(`is rejected: ${reason}`, () => {
    const r = checkCreditCode(code);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.zh).toContain(reason);
  });
});

describe('CreditCodeIndex answers as a Map of the same codes would', () => {
  // every credit code of the sample's organization files (valid, invalid, repeated, as written), normalised as the reader does
  const dir = path.resolve('data/sample/organizations');
  const written = readdirSync(dir)
    .filter((f) => f.endsWith('.csv') && !f.includes('gbk'))
    .flatMap((f) => readFileSync(path.join(dir, f), 'utf8').match(/\b[0-9A-Z]{18}\b/g) ?? [])
    .map(normaliseCreditCode);
  // a run of valid codes past several growths of the table (it starts at 65,536 slots)
  const generated = Array.from({ length: 70_000 }, (_, i) => {
    const first17 = `5151110${String(i).padStart(8, '0')}MJ`;
    return first17 + creditCodeCheckChar(first17);
  });
  const oddStrings = ['', '5151110', '51511102MJ194837XZ', '51511102MJ194837X', '51511102mj194837xp', '５１５１１１０２MJ194837XP', '51511102MJ194837XPX', '<script>', '91110000600037341L'];

  it.each([
    ['the sample’s codes as written', written],
    ['strings that are no valid code (wrong check character, lower case, full width, too short or long, empty)', oddStrings],
    ['70,000 valid codes, each set twice', [...generated, ...generated]],
  ])('%s', (_label, codes) => {
    const index = new CreditCodeIndex();
    const map = new Map<string, number>();
    const differ: string[] = [];
    codes.forEach((code, row) => {
      if (index.get(code) !== map.get(code)) differ.push(`before set: ${code}`);
      if (!map.has(code)) {
        map.set(code, row);
        index.set(code, row);
      }
    });
    for (const [code, row] of map) if (index.get(code) !== row) differ.push(`after: ${code}`);
    expect(differ).toEqual([]);
    expect(index.size).toBe(map.size);
    expect(index.has('51511102MJ000000' + '00')).toBe(map.has('51511102MJ000000' + '00'));
  });

  it('holds the sample’s valid codes in its table and the rest beside it, all found', () => {
    expect(written.filter((c) => checkCreditCode(c).ok).length).toBeGreaterThan(20);
    const index = new CreditCodeIndex();
    written.forEach((code, row) => index.set(code, row));
    for (const code of written) expect(index.has(code)).toBe(true);
  });

  it('refuses a row that is not an index', () => {
    expect(() => new CreditCodeIndex().set(generated[0], -1)).toThrow(/not a row index/);
  });
});
