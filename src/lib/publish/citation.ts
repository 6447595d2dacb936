import { strings } from '../../i18n/strings';

/**
 * "How to cite" in GB/T 7714-2015 (数据集 [DS/OL]) and APA 7 (dataset) style.
 * The site has no public URL yet, so the access path is the site-relative /data/ and the text says so
 * instead of inventing an address. Set `url` once the site is published.
 */
export interface CitationInput {
  title: string;
  title_en?: string;
  publisher: string;
  as_of: string; // ISO date
  sample: boolean;
  softwareVersion: string;
  registryVersion: string;
  /** Absolute URL of the /data/ page once known; null → site-relative path with a note. */
  url?: string | null;
}

/** The site's name as every page shows it (src/i18n/strings.ts). */
export const SITE_NAME = { zh: strings['zh-CN']['site.name'], en: strings.en['site.name'] } as const;
export const DATA_PATH = '/data/';

export interface Citation {
  gbt7714: string;
  apa: string;
}

export function buildCitation(input: CitationInput): Citation {
  const year = input.as_of.slice(0, 4);
  const url = input.url ?? null;
  const sampleZh = input.sample ? '（示例数据，非官方统计）' : '';
  const sampleEn = input.sample ? ' (sample data, not official statistics)' : '';
  const accessZh = url ? `${url}.` : `获取路径：${SITE_NAME.en} 网站 ${DATA_PATH}（网址尚未公布）.`;
  const accessEn = url ?? `${SITE_NAME.en} website, ${DATA_PATH} (URL not yet published)`;
  // GB/T 7714-2015 §8: 主要责任者. 题名[DS/OL]. 版本. 出版地: 出版者, 出版年. 获取和访问路径.
  // Place of publication is unknown → omitted rather than guessed.
  const gbt7714 =
    `${input.publisher}. ${SITE_NAME.zh}（${SITE_NAME.en}）：${input.title}${sampleZh}，数据截至 ${input.as_of}[DS/OL]. ` +
    `软件版本 ${input.softwareVersion}，目标登记表版本 ${input.registryVersion}. ${input.publisher}, ${year}. ${accessZh}`;
  // APA 7: Author. (Year). Title (Version) [Data set]. Publisher. URL — the publisher is omitted when it is the author.
  const apa =
    `${input.publisher}. (${year}). ${SITE_NAME.en}: ${input.title_en ?? input.title}${sampleEn} ` +
    `(Version ${input.softwareVersion}; data as of ${input.as_of}; targets registry ${input.registryVersion}) [Data set]. ${accessEn}`;
  return { gbt7714, apa };
}

export function citationText(citation: Citation): string {
  return [
    '如何引用 / How to cite',
    '',
    'GB/T 7714-2015:',
    citation.gbt7714,
    '',
    'APA (7th ed.):',
    citation.apa,
    '',
  ].join('\r\n');
}
