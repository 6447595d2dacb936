import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** The built site the page tests read; SITE_DIST points them at another build (e.g. of a fixture dataset). */
export const DIST = path.resolve(process.env.SITE_DIST ?? 'dist');

/**
 * Build the site once if it is not there. `npm test` normally builds in a global setup, so this only runs
 * when a page test is run on its own in a fresh checkout.
 */
export function ensureBuilt(): string {
  if (!existsSync(path.join(DIST, 'index.html'))) {
    if (process.env.SITE_DIST) throw new Error(`${DIST}/index.html is missing (SITE_DIST is set, so it is not rebuilt here)`);
    execSync('npm run build', { stdio: 'inherit', env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' } });
  }
  return DIST;
}
