import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (every stage's tests, no site build, seconds) and `built` (suites that read
 * the built site; tests/global-setup.ts builds it once when CSO_BUILD=1, as `npm test` sets).
 */
export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 600_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/{core,ingest,model,publish,render,site,sample}/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'built',
          include: ['tests/built/**/*.test.ts'],
          globalSetup: ['tests/global-setup.ts'],
        },
      },
    ],
  },
});
