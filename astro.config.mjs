// @ts-check
import { defineConfig } from 'astro/config';
import { siteConfig } from './src/i18n/paths.ts';
import { siteFiles } from './scripts/site-files.ts';

// Where the site lives: SITE_URL=https://example.org/cso-monitor/ (README, "Deploy"); unset, the root
// of any host. Every link is written through src/i18n/paths.ts, which gets `base` and `site` as constants.
const { site, base } = siteConfig(process.env.SITE_URL);

// Static output only: every chart and map is SVG rendered at build time.
export default defineConfig({
  output: 'static',
  site,
  base,
  trailingSlash: 'always',
  // Stylesheets as shared files: inlined, they were 10 KB in each of a national build's 6,700 pages.
  build: { format: 'directory', inlineStylesheets: 'never' },
  compressHTML: true,
  devToolbar: { enabled: false },
  vite: { define: { __CSO_BASE__: JSON.stringify(base), __CSO_ORIGIN__: JSON.stringify(site ?? null) } },
  // sitemap.xml, robots.txt, en/404.html and .gz/.br twins, after the pages (scripts/site-files.ts).
  integrations: [siteFiles({ precompress: process.env.PRECOMPRESS !== '0' })],
});
