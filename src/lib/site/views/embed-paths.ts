/** getStaticPaths of the embed pages (src/pages/embed/areas/[code]/[figure].astro and its English twin). */
import type { Lang } from '../../../i18n/strings';
import { siteData, type SiteData } from '../data';
import { areaFigures, type FigureView } from './figures';

export function embedPaths(lang: Lang, data: SiteData = siteData()): { params: { code: string; figure: string }; props: { code: string; view: FigureView } }[] {
  return data.meta().area_codes.flatMap((code) => areaFigures(data, code, lang).map((view) => ({ params: { code, figure: view.name }, props: { code, view } })));
}
