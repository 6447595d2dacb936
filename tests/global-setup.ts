import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * Builds the site once before the suites that read dist/ and public/data/.
 * `npm test` sets CSO_BUILD=1; a bare `npx vitest run tests/x.test.ts` reuses whatever build exists.
 */
export default function setup() {
  if (process.env.CSO_BUILD !== '1') {
    if (!existsSync('dist/index.html')) console.warn('dist/ is missing: run `npm run build` (or `npm test`) before tests that read the built site.');
    return;
  }
  execFileSync('npm', ['run', 'build', '--silent'], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
  });
}
