import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BASE,
  SITE_ORIGIN,
  absoluteUrl,
  absoluteUrlOf,
  joinBase,
  localePath,
  localeRoute,
  normalizeBase,
  routeOf,
  siteConfig,
  withBase,
} from '../../src/i18n/paths';
import { LANGS } from '../../src/i18n/strings';

// The URL helper of src/i18n/paths.ts: the pure functions with an explicit base, and the bound ones as
// vitest sees them (no SITE_URL: base "/", no origin).

describe('SITE_URL → site and base (astro.config.mjs, scripts/build-data.ts)', () => {
  it.each([
    [undefined, undefined, '/', null],
    ['', undefined, '/', null],
    ['  ', undefined, '/', null],
    ['https://example.org', 'https://example.org', '/', 'https://example.org/'],
    ['https://example.org/', 'https://example.org', '/', 'https://example.org/'],
    ['https://example.org/cso-monitor/', 'https://example.org', '/cso-monitor/', 'https://example.org/cso-monitor/'],
    ['https://example.org/cso-monitor', 'https://example.org', '/cso-monitor/', 'https://example.org/cso-monitor/'],
    ['https://mzj.example.gov.cn/a/b/', 'https://mzj.example.gov.cn', '/a/b/', 'https://mzj.example.gov.cn/a/b/'],
    ['http://localhost:4321/cso-monitor/', 'http://localhost:4321', '/cso-monitor/', 'http://localhost:4321/cso-monitor/'],
    ['HTTPS://Example.ORG/Cso/', 'https://example.org', '/Cso/', 'https://example.org/Cso/'],
  ])('siteConfig(%j)', (input, site, base, url) => {
    expect(siteConfig(input)).toEqual({ site, base, url });
  });

  it.each([
    ['example.org/cso-monitor/', /not an absolute URL/],
    ['/cso-monitor/', /not an absolute URL/],
    ['ftp://example.org/x/', /https:\/\/ or http:\/\//],
    ['https://example.org/x/?a=1', /query or fragment/],
    ['https://example.org/x/#top', /query or fragment/],
    ['https://user:secret@example.org/', /user name or password/],
  ])('rejects %j with a message that names it', (input, message) => {
    expect(() => siteConfig(input)).toThrow(message);
    expect(() => siteConfig(input)).toThrow(input);
  });
});

describe('base paths', () => {
  it.each([
    ['/', '/'],
    ['', '/'],
    ['cso-monitor', '/cso-monitor/'],
    ['/cso-monitor', '/cso-monitor/'],
    ['/cso-monitor/', '/cso-monitor/'],
    ['//a//b/', '/a/b/'],
  ])('normalizeBase(%j) = %j', (input, expected) => expect(normalizeBase(input)).toBe(expected));

  it.each([
    ['/', '/', '/'],
    ['/', '/cso-monitor/', '/cso-monitor/'],
    ['/areas/511102/', '/cso-monitor/', '/cso-monitor/areas/511102/'],
    ['/en/areas/511102/', '/cso-monitor', '/cso-monitor/en/areas/511102/'],
    ['/data/areas.csv', '/a/b/', '/a/b/data/areas.csv'],
    ['/targets/#T-1', '/cso-monitor/', '/cso-monitor/targets/#T-1'],
    ['#doc-x', '/cso-monitor/', '#doc-x'],
    ['https://example.org/x', '/cso-monitor/', 'https://example.org/x'],
    ['//cdn.example.org/x.js', '/cso-monitor/', '//cdn.example.org/x.js'],
  ])('joinBase(%j, %j) = %j', (route, base, expected) => expect(joinBase(route, base)).toBe(expected));

  it.each([
    ['/cso-monitor/', '/cso-monitor/', '/'],
    ['/cso-monitor', '/cso-monitor/', '/'],
    ['/cso-monitor/en/areas/511102/', '/cso-monitor/', '/en/areas/511102/'],
    ['/areas/511102/', '/', '/areas/511102/'],
  ])('routeOf(%j, %j) = %j', (pathname, base, expected) => expect(routeOf(pathname, base)).toBe(expected));

  it.each([
    ['/areas/511102/', '/cso-monitor/'],
    ['/cso-monitorx/', '/cso-monitor/'],
    ['/', '/cso-monitor/'],
  ])('routeOf(%j, %j) throws: the path escaped the base', (pathname, base) => {
    expect(() => routeOf(pathname, base)).toThrow(/outside the site's base/);
  });

  it.each([
    ['/data/', 'https://example.org', '/cso-monitor/', 'https://example.org/cso-monitor/data/'],
    ['/', 'https://example.org', '/', 'https://example.org/'],
    ['/en/areas/511102/', 'http://localhost:4321', '/x/', 'http://localhost:4321/x/en/areas/511102/'],
    ['/data/a b.csv', 'https://example.org', '/', 'https://example.org/data/a%20b.csv'],
  ])('absoluteUrlOf(%j, %j, %j) = %j', (route, origin, base, expected) => expect(absoluteUrlOf(route, origin, base)).toBe(expected));
});

describe('every real page route under a base', () => {
  // The areas of the site fixture, and the pages of each type, in both languages.
  const meta = JSON.parse(readFileSync(path.resolve('tests/fixtures/site/meta.json'), 'utf8')) as { area_codes: string[] };
  const zhRoutes = ['/', '/targets/', '/data/', '/data/dictionary/', '/methodology/', '/quality/', ...meta.area_codes.map((c) => `/areas/${c}/`)];
  const bases = ['/', '/cso-monitor/', '/a/b/'];

  it.each(bases)('round-trips through base %s in both languages, and English stays under /en/', (base) => {
    expect(zhRoutes.length).toBeGreaterThan(10);
    for (const lang of LANGS) {
      for (const zh of zhRoutes) {
        const route = localeRoute(lang, zh);
        const href = joinBase(route, base);
        expect(href.startsWith(base), href).toBe(true);
        expect(routeOf(href, base)).toBe(route);
        expect(route.startsWith('/en/') || route === '/en').toBe(lang === 'en');
        // Switching language and back is the same page.
        expect(localeRoute(lang, localeRoute(lang === 'en' ? 'zh-CN' : 'en', route))).toBe(route);
      }
    }
  });

  it('leaves downloads in one place for both languages', () => {
    for (const lang of LANGS) expect(joinBase(localeRoute(lang, '/data/areas/511102.csv'), '/cso-monitor/')).toBe('/cso-monitor/data/areas/511102.csv');
  });
});

describe('bound to this build (vitest: no SITE_URL)', () => {
  it('uses the root and no origin', () => {
    expect(BASE).toBe('/');
    expect(SITE_ORIGIN).toBeNull();
  });
  it.each([
    [withBase('/favicon.svg'), '/favicon.svg'],
    [localePath('en', '/areas/511102/'), '/en/areas/511102/'],
    [localePath('zh-CN', '/en/'), '/'],
    [localePath('en', '/data/areas.csv'), '/data/areas.csv'],
    [absoluteUrl('/data/'), '/data/'], // no origin: the base-relative href
  ])('%s = %s', (actual, expected) => expect(actual).toBe(expected));
});
