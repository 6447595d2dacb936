import { defineConfig } from 'vitest/config';

/**
 * Three projects, all run by `npm test`:
 * - `unit` (`npm run test:unit`): every stage's tests on fixtures and reference data, no build (seconds);
 * - `integration` (`*.integration.test.ts`): a whole stage on a whole dataset (the pipeline on the sample
 *   and the hand-worked fixtures, the sample generators, the boundary build), still without the site build;
 * - `built`: suites that read the built site; tests/global-setup.ts builds it once when CSO_BUILD=1.
 * tests/core/architecture.test.ts fails when a unit test runs a whole stage without the suffix.
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
          exclude: ['**/*.integration.test.ts'],
          // Threads, and one module cache per thread across files: most unit files import the same stage
          // modules and reference data, and none keeps global state between files. `npm run test:unit` also
          // asks for a thread per core (vitest leaves one free by default: half of a 2-core machine).
          pool: 'threads',
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/{core,ingest,model,publish,render,site,sample}/**/*.integration.test.ts'],
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
