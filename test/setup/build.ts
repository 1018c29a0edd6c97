// Vitest global setup: build dist/ from src/ (and its bundle) before any test runs, so that no test (bin/ordo, the
// fault suite, the workers that import dist/) can run against a stale build. `tsc --build` on the
// project's own tsconfig.json (through test/setup/tsconfig.build.json, which only moves the
// incremental state to node_modules/.cache): a no-op in a fraction of a second when dist/ is up to
// date, and it rebuilds when a source changed or an output is missing. A build that fails (a type
// error) stops the run: better no tests than tests of yesterday's code.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

const repository = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const project = join(repository, 'test', 'setup', 'tsconfig.build.json');

export function build(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '--build', project], { cwd: repository, encoding: 'utf8' });
  if (result.error) throw new Error(`could not run the TypeScript compiler: ${result.error.message}`);
  if (result.status !== 0) {
    const output = `${result.stdout}${result.stderr}`.trim();
    throw new Error(`the build (tsc --build test/setup/tsconfig.build.json, i.e. tsconfig.json) failed: no test runs against a stale dist/\n${output}`);
  }
  // bin/ordo runs the bundle made from dist/ (scripts/bundle.mjs): made again every time, in about a second.
  const bundled = spawnSync(process.execPath, [join(repository, 'scripts', 'bundle.mjs')], { cwd: repository, encoding: 'utf8' });
  if (bundled.error) throw new Error(`could not run scripts/bundle.mjs: ${bundled.error.message}`);
  if (bundled.status !== 0) throw new Error(`the bundle (scripts/bundle.mjs) failed: no test runs against a stale dist/bundle\n${`${bundled.stdout}${bundled.stderr}`.trim()}`);
}

export default function setup(vitest: TestProject): void {
  build();
  // Watch mode: build again before each rerun (src/ may have changed since).
  vitest.onTestsRerun(() => build());
}
