import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds dist/ (tsc, incremental) before any test: bin/ordo and the workers run the built code.
    globalSetup: ['test/setup/build.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two test files at once, whatever the machine (vitest's default is one fewer than the cores: one
    // worker on CI's two): most tests wait for a server, a process or a disk, not for the CPU.
    maxWorkers: 2,
    // ordo speaks French when nothing says otherwise; the tests read English unless they choose (test/helpers/cli.ts).
    env: { ORDO_LANG: 'en' },
    // The default output, then the skipped tests by name (each with its reason).
    reporters: ['default', './test/setup/skipped-reporter.ts'],
  },
});
