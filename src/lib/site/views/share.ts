/**
 * The share preview (Open Graph / Twitter card) and "Cite this page" of a page, from the site's URL
 * (src/i18n/paths.ts). One 1200 × 630 PNG per language is rendered at build time from the root area's
 * trend (shareCardFile in ./figures.ts; scripts/figure-png.ts writes /figures/share-{lang}.png). A resvg
 * render with the CJK fonts costs ~1 s here, so per-area cards (~6,700 in a national build) are out of the
 * budget (README, "Take a figure away"): every page shares its language's card.
 */
import { t, type Lang } from '../../../i18n/strings';
import { absoluteUrl, localeRoute } from '../../../i18n/paths';
import { buildPageCitation } from '../../publish/page-citation';
import type { Citation } from '../../publish/citation';
import type { AreaAggregate, DatasetMeta } from '../../core/types';

export const SHARE_SIZE = { width: 1200, height: 630 } as const;

/** Route of the share image for `lang`. */
export const shareImageRoute = (lang: Lang) => `/figures/share-${lang}.png`;

/** The og:image of a page: absolute when SITE_URL is set (Open Graph wants absolute URLs). */
export function shareImage(lang: Lang): { url: string; alt: string; width: number; height: number } {
  return { url: absoluteUrl(shareImageRoute(lang)), alt: t(lang, 'share.alt'), ...SHARE_SIZE };
}

/** "Cite this page" on a briefing: both languages' titles, the as-of date and the page's URL in `lang`. */
export function briefingCitation(area: AreaAggregate, dataset: DatasetMeta, lang: Lang): Citation {
  return buildPageCitation({
    title: t('zh-CN', 'area.title', { name: area.name }),
    title_en: t('en', 'area.title', { name: area.name_en ?? area.name }),
    publisher: dataset.publisher,
    as_of: dataset.as_of,
    sample: dataset.sample,
    url: absoluteUrl(localeRoute(lang, `/areas/${area.code}/`)),
  });
}
