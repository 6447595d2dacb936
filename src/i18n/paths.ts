import type { Lang } from './strings';

/**
 * Page URLs by language: zh-CN (the primary language) at the root, English under /en/.
 * Only pages move: downloads (/data/*.csv, *.json, *.zip) are the same files for both languages.
 */
export const EN_PREFIX = '/en';

/** A download or other non-page file: has an extension in its last segment. */
const isFile = (path: string) => /\.[a-z0-9]+$/i.test(path.split(/[?#]/)[0]);

/** The zh-CN path of a page, whichever language `path` is in ("/en/areas/511102/" → "/areas/511102/"). */
export function basePath(path: string): string {
  if (path === EN_PREFIX || path === `${EN_PREFIX}/`) return '/';
  return path.startsWith(`${EN_PREFIX}/`) ? path.slice(EN_PREFIX.length) : path;
}

/** The path of a page in `lang`: "/areas/511102/" → "/en/areas/511102/" for English. Files and fragments-only links are left alone. */
export function localePath(lang: Lang, path: string): string {
  if (!path.startsWith('/') || isFile(path)) return path;
  const base = basePath(path);
  return lang === 'en' ? `${EN_PREFIX}${base}` : base;
}

/** The language a page path belongs to. */
export const langOfPath = (path: string): Lang => (path === EN_PREFIX || path.startsWith(`${EN_PREFIX}/`) ? 'en' : 'zh-CN');

/** The other language of the two. */
export const otherLang = (lang: Lang): Lang => (lang === 'en' ? 'zh-CN' : 'en');
