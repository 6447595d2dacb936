// @ts-check
import { defineConfig } from 'astro/config';

// Static output only: every chart and map is SVG rendered at build time.
export default defineConfig({
  output: 'static',
  trailingSlash: 'always',
  build: { format: 'directory', inlineStylesheets: 'always' },
  compressHTML: true,
  devToolbar: { enabled: false },
});
