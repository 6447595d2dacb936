import type { PlacementMatcher } from './match';

/**
 * What a ledger says about itself outside its columns: "市中区社区社会组织台账（截至2024年12月）" in a
 * title row, a worksheet named 白马镇, a file named 沙湾区台账.xlsx. A ledger of one district or one
 * township rarely repeats it in a column; a person reading it applies it to every row that lacks
 * it, and so does the reader (src/lib/ingest/rows.ts), saying so in the notes.
 */

/** Where a piece of context was read: the sheet's title rows, its name, the file name, another sheet of the workbook. */
export type ContextSource = 'title' | 'sheet' | 'file' | 'workbook';

export interface ContextText {
  from: ContextSource;
  text: string;
}

export interface LedgerContext {
  county: { code: string; from: ContextSource; text: string } | null;
  township: { code: string; from: ContextSource; text: string } | null;
  /** the ledger's own as-of date (截至2024年12月 → 2024-12-31), for notes and a warning on later rows */
  asOf: { iso: string; from: ContextSource; text: string } | null;
  /** names found that could not be used (two counties in one title …), "zh / en" parts */
  notes: { zh: string; en: string }[];
}

export const SOURCE_ZH: Record<ContextSource, string> = { title: '标题', sheet: '工作表名', file: '文件名', workbook: '同一工作簿的其他工作表' };
export const SOURCE_EN: Record<ContextSource, string> = { title: 'the title', sheet: 'the sheet name', file: 'the file name', workbook: 'another sheet of the workbook' };

const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/**
 * 截至2024年12月 → 2024-12-31 (a month means its last day); 截止2024年12月31日, 截至2024-12-31,
 * 截至 2024.12 and 2024年度 (→ 2024-12-31) too.
 */
export function asOfInText(raw: string): string | null {
  const text = raw.normalize('NFKC').replace(/\s+/g, '');
  const m = /(?:截至|截止|截止到|截止至|数据截至|统计截至|截止日期:?|统计时间:?|统计日期:?)(\d{4})(?:年|[-/.])(\d{1,2})(?:月|[-/.])?(?:(\d{1,2})[日号]?)?/.exec(text);
  if (m) {
    const [y, mo] = [Number(m[1]), Number(m[2])];
    if (mo < 1 || mo > 12) return null;
    const d = m[3] === undefined ? lastDay(y, mo) : Number(m[3]);
    if (d < 1 || d > lastDay(y, mo)) return null;
    return `${y}-${pad(mo)}-${pad(d)}`;
  }
  const year = /(\d{4})年度/.exec(text);
  return year ? `${year[1]}-12-31` : null;
}

/** Words around a township in a sheet name that are not part of it: 白马镇台账 → 白马镇. */
const SHEET_NOISE = /(社区社会组织|社会组织|台账|花名册|名册|名录|统计表|备案|登记|情况|表|\d+)/g;

export function findContext(sources: readonly ContextText[], matcher: PlacementMatcher): LedgerContext {
  const notes: { zh: string; en: string }[] = [];
  let county: LedgerContext['county'] = null;
  let township: LedgerContext['township'] = null;
  for (const source of sources) {
    const codes = matcher.countiesInText(source.text);
    if (codes.length === 1) {
      county = { code: codes[0], from: source.from, text: source.text };
      break;
    }
    if (codes.length > 1) {
      notes.push({
        zh: `${SOURCE_ZH[source.from]}“${source.text}”提到多个区县（${codes.map((c) => matcher.label(c)).join('、')}），不用作所在地`,
        en: `${SOURCE_EN[source.from]} "${source.text}" names several counties (${codes.map((c) => matcher.label(c)).join(', ')}): not used for placement`,
      });
    }
  }
  for (const source of sources) {
    if (source.from === 'workbook') continue; // a township is one sheet's, never the workbook's
    const within = county ? [county.code] : matcher.scopeCounties;
    let codes = matcher.townshipsInText(source.text, within);
    if (codes.length === 0 && county && source.from === 'sheet') {
      // a sheet named by the short name: 白马 for 白马镇
      const bare = source.text.replace(SHEET_NOISE, '').trim();
      const hit = bare.length >= 2 ? matcher.matchTownship(county.code, bare) : null;
      if (hit?.ok) codes = [hit.value];
    }
    if (codes.length === 1) {
      township = { code: codes[0], from: source.from, text: source.text };
      if (!county) county = { code: codes[0].slice(0, 6), from: source.from, text: source.text };
      break;
    }
    if (codes.length > 1) {
      notes.push({
        zh: `${SOURCE_ZH[source.from]}“${source.text}”提到多个乡镇街道（${codes.map((c) => matcher.label(c)).join('、')}），不用作所在地`,
        en: `${SOURCE_EN[source.from]} "${source.text}" names several townships (${codes.map((c) => matcher.label(c)).join(', ')}): not used for placement`,
      });
    }
  }
  let asOf: LedgerContext['asOf'] = null;
  for (const source of sources) {
    if (source.from === 'workbook') continue;
    const iso = asOfInText(source.text);
    if (iso) {
      asOf = { iso, from: source.from, text: source.text };
      break;
    }
  }
  return { county, township, asOf, notes };
}
