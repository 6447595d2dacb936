/**
 * The figure files: standalone SVG and CSV of every briefing figure in both languages, and the share
 * card SVGs (figureFiles, src/lib/site/views/figures.ts); the English ones under /en/figures/
 * (src/pages/en/figures/[...file].ts). scripts/figure-png.ts turns the share cards into PNG after the build.
 */
import type { APIRoute } from 'astro';
import { siteData } from '../../lib/site/data';
import { figureFiles } from '../../lib/site/views/figures';

const PREFIX = '/figures/';
let cache: Map<string, string> | undefined;
const files = () => (cache ??= figureFiles(siteData()));

export function getStaticPaths() {
  return [...files().keys()].filter((r) => r.startsWith(PREFIX)).map((route) => ({ params: { file: route.slice(PREFIX.length) } }));
}

const TYPES: Record<string, string> = { svg: 'image/svg+xml; charset=utf-8', csv: 'text/csv; charset=utf-8' };

export const GET: APIRoute = ({ params }) => {
  const route = `${PREFIX}${params.file}`;
  const body = files().get(route);
  if (body === undefined) return new Response(null, { status: 404 });
  return new Response(body, { headers: { 'Content-Type': TYPES[route.split('.').pop() ?? ''] ?? 'text/plain' } });
};
