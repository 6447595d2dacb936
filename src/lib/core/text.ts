/**
 * String.prototype.normalize('NFKC') without the call for the text that makes up nearly every cell: printable
 * ASCII and CJK Unified Ideographs (U+4E00–U+9FFF), which NFKC leaves as they are. Anything else (full-width
 * forms, U+3000, compatibility ideographs, combining marks …) is normalised as before. At national scale the
 * reader normalises ~15 M cells; the check is several times cheaper than the call.
 */
const NFKC_STABLE = /^[\u0020-\u007e\u4e00-\u9fff]*$/;

export const nfkc = (s: string): string => (NFKC_STABLE.test(s) ? s : s.normalize('NFKC'));

/**
 * NFKC_STABLE without the space: text that NFKC leaves alone and that holds no whitespace, so normalising,
 * squeezing or trimming it changes nothing (the reader's fast paths: row classifier, header words, names).
 */
export const PLAIN_TEXT = /^[\u0021-\u007e\u4e00-\u9fff]*$/;
