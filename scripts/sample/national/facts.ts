import type { Category } from '../../../src/lib/core/types';
import { ACTIVITIES } from '../vocabulary';

/**
 * The national sample's fixed inputs. Every rate here is a choice made for a realistic-looking
 * SAMPLE (China had about 1.75 million community social organizations at the end of 2022, over
 * 620,573 village-level units), not a published figure per area.
 */

export const NATIONAL_SEED = 0x0c50_2025;
export const NATIONAL_AS_OF = '2025-06-30';
export const DEFAULT_OUT_DIR = 'build/national-sample';

/** Mean organizations per unit at full scale, before the province, county and unit factors. */
export const UNIT_MEAN = { urban: 5.0, rural: 1.85, other: 1 } as const;
/** Township-level organizations (no community) per township. */
export const TOWNSHIP_MEAN = 1.3;
/** Extra organizations per active one that were established and dissolved again by as-of. */
export const DISSOLVED_SHARE = 0.065;
export const REGISTERED_SHARE = { community: 0.16, township: 0.4 } as const;
/** Filed (备案) organizations that nevertheless carry a 59… code (民政-其他). */
export const FILED_WITH_CODE = 0.015;
/** One planted defect per this many valid rows of a file, at a random place in each block. */
export const DEFAULT_DEFECT_EVERY = 5000;

/** More organizations each year as the cultivation plans took hold; 2025 is half a year. */
export const YEAR_WEIGHTS: readonly (readonly [number, number])[] = [
  [2010, 3], [2011, 3], [2012, 4], [2013, 4], [2014, 5], [2015, 6], [2016, 7], [2017, 8], [2018, 9],
  [2019, 10], [2020, 9], [2021, 11], [2022, 12], [2023, 12], [2024, 12], [2025, 6],
];

/** Activities without the Sichuan-only ones the Leshan sample uses (川剧, 坝坝舞, 莲箫). */
const REGIONAL = new Set(['川剧票友会', '坝坝舞队', '莲箫队']);
export const NATIONAL_ACTIVITIES = Object.fromEntries(
  Object.entries(ACTIVITIES).map(([category, list]) => [category, list.filter(([a]) => !REGIONAL.has(a))]),
) as unknown as typeof ACTIVITIES;

/**
 * How each province's file is written:
 * - `en-code`: UTF-8, English headers; community rows give the 12-digit code only (a system export);
 * - `zh-gbk`: GBK (strict CP936; 山西 and 陕西, whose names all have CP936 codes) with CRLF, Chinese headers, code and names (about one row in eight by names only);
 * - `zh-bom`: UTF-8 with BOM and CRLF, Chinese headers, mostly by names, dates in mixed forms (a ledger).
 * Township-level rows everywhere give county and township (names, or codes where a name is not unique).
 */
export type FileStyle = 'en-code' | 'zh-gbk' | 'zh-bom';
export const NAMES_ONLY_SHARE: Record<FileStyle, number> = { 'en-code': 0, 'zh-gbk': 0.12, 'zh-bom': 0.6 };

export const PROVINCE_FILES: Record<string, { slug: string; style: FileStyle }> = {
  '11': { slug: 'beijing', style: 'en-code' },
  '12': { slug: 'tianjin', style: 'en-code' },
  '13': { slug: 'hebei', style: 'en-code' },
  '14': { slug: 'shanxi', style: 'zh-gbk' },
  '15': { slug: 'neimenggu', style: 'en-code' },
  '21': { slug: 'liaoning', style: 'en-code' },
  '22': { slug: 'jilin', style: 'zh-bom' },
  '23': { slug: 'heilongjiang', style: 'en-code' },
  '31': { slug: 'shanghai', style: 'en-code' },
  '32': { slug: 'jiangsu', style: 'en-code' },
  '33': { slug: 'zhejiang', style: 'zh-bom' },
  '34': { slug: 'anhui', style: 'en-code' },
  '35': { slug: 'fujian', style: 'en-code' },
  '36': { slug: 'jiangxi', style: 'en-code' },
  '37': { slug: 'shandong', style: 'en-code' },
  '41': { slug: 'henan', style: 'en-code' },
  '42': { slug: 'hubei', style: 'en-code' },
  '43': { slug: 'hunan', style: 'en-code' },
  '44': { slug: 'guangdong', style: 'en-code' },
  '45': { slug: 'guangxi', style: 'en-code' },
  '46': { slug: 'hainan', style: 'zh-bom' },
  '50': { slug: 'chongqing', style: 'en-code' },
  '51': { slug: 'sichuan', style: 'en-code' },
  '52': { slug: 'guizhou', style: 'en-code' },
  '53': { slug: 'yunnan', style: 'en-code' },
  '54': { slug: 'xizang', style: 'en-code' },
  '61': { slug: 'shaanxi', style: 'zh-gbk' },
  '62': { slug: 'gansu', style: 'en-code' },
  '63': { slug: 'qinghai', style: 'en-code' },
  '64': { slug: 'ningxia', style: 'en-code' },
  '65': { slug: 'xinjiang', style: 'en-code' },
};

export const fileNameOf = (province2: string) => {
  const p = PROVINCE_FILES[province2];
  if (!p) throw new Error(`no file plan for province ${province2}`);
  const suffix = p.style === 'zh-gbk' ? 'gbk' : p.style === 'zh-bom' ? 'utf8-bom' : 'utf8';
  return `organizations/${province2}-${p.slug}-${suffix}.csv`;
};

export const CATEGORY_LIST: readonly Category[] = ['功能服务型', '兴趣爱好型', '志愿服务型', '公益慈善型', '其他'];
