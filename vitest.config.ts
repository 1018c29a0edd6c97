import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds dist/ (tsc, incremental) before any test: bin/ordo and the workers run the built code.
    globalSetup: ['test/setup/build.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The default output, then the skipped tests by name (each with its reason).
    reporters: ['default', './test/setup/skipped-reporter.ts'],
  },
});
