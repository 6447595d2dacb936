import type { Lang } from './strings';

/**
 * Every URL the site writes, in one place.
 *
 * A page is named by its *route*: a root-relative path such as "/areas/511102/" or "/data/areas.csv",
 * the same whatever host or folder the site is served from. The *href* written into the HTML is the
 * route below the site's base path: "/cso-monitor/areas/511102/" when the site is built with
 * `SITE_URL=https://example.org/cso-monitor/` (README, "Deploy"). astro.config.mjs turns SITE_URL into
 * Astro's `site` and `base` with `siteConfig`, and hands both to this file as the compile-time constants
 * __CSO_BASE__ / __CSO_ORIGIN__ (Vite `define`). Not import.meta.env.BASE_URL: Astro lets a BASE_URL
 * variable in the environment (vitest sets one) override it, which silently dropped the base.
 *
 * zh-CN (the primary language) is at the root, English under /en/. Only pages move between languages:
 * downloads (/data/*.csv, *.json, *.zip) are the same files for both.
 *
 * The functions taking `base`/`origin` are pure (tests/site/urls.test.ts); the others bind them to the
 * build's configuration. Outside Astro and Vite (the pipeline under tsx) the base is "/".
 */
export const EN_PREFIX = '/en';

/** "/", "cso-monitor", "/a/b" → "/", "/cso-monitor/", "/a/b/": a base path with one leading and one trailing slash. */
export function normalizeBase(base: string): string {
  const inner = base.split('/').filter(Boolean).join('/');
  return inner ? `/${inner}/` : '/';
}

declare const __CSO_BASE__: string | undefined;
declare const __CSO_ORIGIN__: string | null | undefined;

/** The base path of this build ("/" or e.g. "/cso-monitor/"); "/" outside an Astro build. */
export const BASE = normalizeBase(typeof __CSO_BASE__ === 'string' ? __CSO_BASE__ : '/');

/** The origin of this build's public URL ("https://example.org"), or null when SITE_URL was not set. */
export const SITE_ORIGIN: string | null = typeof __CSO_ORIGIN__ === 'string' ? __CSO_ORIGIN__ : null;

/** Where the site lives, from SITE_URL: Astro's `site` (origin only) and `base` (the folder). */
export interface SiteLocation {
  /** "https://example.org", or undefined: served at the root of whatever host. */
  site: string | undefined;
  /** "/" or "/cso-monitor/". */
  base: string;
  /** The public URL of the home page with a trailing slash, or null. */
  url: string | null;
}

/**
 * Parses SITE_URL (empty or unset: the root of any host). Throws one clear message on anything but an
 * absolute http(s) URL without query or fragment. "https://example.org/cso-monitor" means the folder.
 */
export function siteConfig(siteUrl: string | undefined | null): SiteLocation {
  const raw = (siteUrl ?? '').trim();
  if (!raw) return { site: undefined, base: '/', url: null };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`SITE_URL "${raw}" is not an absolute URL; write it like https://example.org/cso-monitor/`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`SITE_URL "${raw}" must start with https:// or http://`);
  if (url.search || url.hash || raw.includes('#') || raw.includes('?')) throw new Error(`SITE_URL "${raw}" must not carry a query or fragment`);
  if (url.username || url.password) throw new Error(`SITE_URL "${raw}" must not carry a user name or password`);
  const base = normalizeBase(url.pathname);
  return { site: url.origin, base, url: `${url.origin}${base}` };
}

/** A download or other non-page file: has an extension in its last segment. */
const isFile = (path: string) => /\.[a-z0-9]+$/i.test(path.split(/[?#]/)[0]);

/** The zh-CN route of a page, whichever language `route` is in ("/en/areas/511102/" → "/areas/511102/"). */
export function basePath(route: string): string {
  if (route === EN_PREFIX || route === `${EN_PREFIX}/`) return '/';
  return route.startsWith(`${EN_PREFIX}/`) ? route.slice(EN_PREFIX.length) : route;
}

/** The route of a page in `lang`: "/areas/511102/" → "/en/areas/511102/" for English. Files and non-route links are left alone. */
export function localeRoute(lang: Lang, route: string): string {
  if (!route.startsWith('/') || isFile(route)) return route;
  const zh = basePath(route);
  return lang === 'en' ? `${EN_PREFIX}${zh}` : zh;
}

/** A route below `base`: ("/data/areas.csv", "/cso-monitor/") → "/cso-monitor/data/areas.csv". Fragments ("#x") and absolute URLs are left alone. */
export function joinBase(route: string, base: string): string {
  if (!route.startsWith('/') || route.startsWith('//')) return route;
  return normalizeBase(base) + route.slice(1);
}

/**
 * The route of a served path: ("/cso-monitor/en/", "/cso-monitor/") → "/en/". Throws when the path lies
 * outside the base, which would mean a link escaped the site's folder.
 */
export function routeOf(pathname: string, base: string): string {
  const b = normalizeBase(base);
  if (pathname === b.slice(0, -1)) return '/';
  if (!pathname.startsWith(b)) throw new Error(`path "${pathname}" is outside the site's base "${b}"`);
  return '/' + pathname.slice(b.length);
}

/** The absolute URL of a route: ("/data/", "https://example.org", "/cso-monitor/") → "https://example.org/cso-monitor/data/". */
export function absoluteUrlOf(route: string, origin: string, base: string): string {
  return new URL(joinBase(route, base), origin).href;
}

/** The href of a route in this build: "/data/areas.csv" → "/cso-monitor/data/areas.csv". */
export const withBase = (route: string): string => joinBase(route, BASE);

/** The href of a page in `lang` in this build: ("en", "/areas/511102/") → "/cso-monitor/en/areas/511102/". */
export const localePath = (lang: Lang, route: string): string => joinBase(localeRoute(lang, route), BASE);

/** The route of the page being rendered, from `Astro.url.pathname` (which carries the base). */
export const routeOfPathname = (pathname: string): string => routeOf(pathname, BASE);

/** The public absolute URL of a route, or the base-relative href when SITE_URL was not set. */
export const absoluteUrl = (route: string): string => (SITE_ORIGIN ? absoluteUrlOf(route, SITE_ORIGIN, BASE) : withBase(route));

/** The language a route belongs to. */
export const langOfPath = (route: string): Lang => (route === EN_PREFIX || route.startsWith(`${EN_PREFIX}/`) ? 'en' : 'zh-CN');

/** The other language of the two. */
export const otherLang = (lang: Lang): Lang => (lang === 'en' ? 'zh-CN' : 'en');
