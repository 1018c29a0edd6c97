import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds dist/ (tsc, incremental) before any test: bin/ordo and the workers run the built code.
    globalSetup: ['test/setup/build.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // ordo speaks French when nothing says otherwise; the tests read English unless they choose (test/helpers/cli.ts).
    env: { ORDO_LANG: 'en' },
    // The default output, then the skipped tests by name (each with its reason).
    reporters: ['default', './test/setup/skipped-reporter.ts'],
  },
});
