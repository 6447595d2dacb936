import type { AreaAggregate } from '../core/types';
import { siteData, type SiteData } from './data';

/** getStaticPaths of the briefings, shared by /areas/[code]/ and /en/areas/[code]/: one page per area of meta.json. */
export function areaPaths(data: SiteData = siteData()): { params: { code: string }; props: { area: AreaAggregate } }[] {
  return data.meta().area_codes.map((code) => {
    const area = data.area(code);
    if (!area) throw new Error(`meta.json lists area ${code}, which areas.json lacks`);
    return { params: { code }, props: { area } };
  });
}
