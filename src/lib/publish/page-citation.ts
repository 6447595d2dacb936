/**
 * "Cite this page" for a briefing, in the style of the dataset citation (src/lib/publish/citation.ts):
 * GB/T 7714-2015 electronic resource ([EB/OL]) and APA 7 (web page). The as-of date stands for the
 * update date; the access date (GB/T's [引用日期]) is the reader's and is left for them to add, so
 * the page stays byte-identical between builds.
 */
import { SITE_NAME, type Citation } from './citation';

export interface PageCitationInput {
  /** The page title in Chinese and English (e.g. "市中区社区社会组织简报" / "Shizhong District briefing"). */
  title: string;
  title_en: string;
  publisher: string;
  as_of: string; // ISO date
  sample: boolean;
  /** The page's URL (absoluteUrl from src/i18n/paths.ts: absolute when SITE_URL is set, else the path). */
  url: string;
}

export function buildPageCitation(input: PageCitationInput): Citation {
  const year = input.as_of.slice(0, 4);
  const sampleZh = input.sample ? '（示例数据，非官方统计）' : '';
  const sampleEn = input.sample ? ' (sample data, not official statistics)' : '';
  // GB/T 7714-2015 §8.8: 主要责任者. 题名[EB/OL]. 出版者, 出版年(更新日期)[引用日期]. 获取和访问路径.
  const gbt7714 = `${input.publisher}. ${input.title}${sampleZh}[EB/OL]. ${SITE_NAME.zh}, ${year}(数据截至 ${input.as_of}). ${input.url}.`;
  // APA 7: Author. (Year). Title [Web page]. Site Name. URL — with the data's as-of date after the title.
  const apa = `${input.publisher}. (${year}). ${input.title_en}${sampleEn} (data as of ${input.as_of}). ${SITE_NAME.en}. ${input.url}`;
  return { gbt7714, apa };
}
