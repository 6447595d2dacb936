import { t, type Lang } from '../../../i18n/strings';
import { localePath } from '../../../i18n/paths';
import type { AreaAggregate } from '../../core/types';
import { byCode } from '../../model/density';
import type { SiteData } from '../data';
import { statusLabel } from '../format';

export interface AreaIndexItem {
  code: string;
  name: string;
  /** The other-language name shown beside it (Chinese on English pages), or null. */
  aside: string | null;
  href: string;
  status: AreaAggregate['status'];
  statusText: string;
}

export interface AreaIndexGroup extends AreaIndexItem {
  prefectures: (AreaIndexItem & { counties: AreaIndexItem[] })[];
}

/**
 * /areas/: every province, prefecture and county with a page, grouped by province, sorted by code, each with
 * its status — the way to find an area with JavaScript off (the header search box adds type-ahead).
 * Counties directly under a province (none in NBS 2023, but a dataset may have them) sit in a group of their own.
 */
export function areasIndexView(data: SiteData, lang: Lang) {
  const meta = data.meta();
  const listed = meta.area_codes.map((code) => data.area(code)).filter((a): a is AreaAggregate => a !== undefined);
  const item = (a: AreaAggregate): AreaIndexItem => {
    const en = (a as AreaAggregate & { name_en?: string }).name_en;
    return {
      code: a.code,
      name: lang === 'en' && en ? en : a.name,
      aside: lang === 'en' && en ? a.name : null,
      href: localePath(lang, `/areas/${a.code}/`),
      status: a.status,
      statusText: statusLabel(a.status, lang).text,
    };
  };
  const children = new Map<string, AreaAggregate[]>();
  for (const a of listed) {
    if (a.parent_code === null) continue;
    const bucket = children.get(a.parent_code);
    if (bucket) bucket.push(a);
    else children.set(a.parent_code, [a]);
  }
  const sorted = (list: AreaAggregate[] | undefined) => [...(list ?? [])].sort(byCode);
  const provinces = sorted(listed.filter((a) => a.level === 'province'));
  const groups: AreaIndexGroup[] = provinces.map((province) => ({
    ...item(province),
    prefectures: sorted(children.get(province.code)).map((pref) => ({
      ...item(pref),
      counties: pref.level === 'county' ? [] : sorted(children.get(pref.code)).map(item),
    })),
  }));
  const counted = groups.reduce((n, g) => n + 1 + g.prefectures.reduce((m, p) => m + 1 + p.counties.length, 0), 0);
  // Anything not reached through a province (a national row, say) is listed first, so every page is in the index.
  const reached = new Set(groups.flatMap((g) => [g.code, ...g.prefectures.flatMap((p) => [p.code, ...p.counties.map((c) => c.code)])]));
  const others = listed.filter((a) => !reached.has(a.code)).sort(byCode).map(item);
  return {
    title: t(lang, 'areas.title'),
    lead: t(lang, 'areas.lead', { n: listed.length }),
    groups,
    others,
    total: counted + others.length,
  };
}
