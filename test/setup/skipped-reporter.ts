// Lists every skipped test by name at the end of a run: a contract case a peer cannot run carries its
// reason in its title, and the suite's output must show it (never silently absent).
import type { Reporter, TestModule } from 'vitest/node';

export default class SkippedReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const skipped: string[] = [];
    for (const module of testModules) {
      for (const test of module.children.allTests('skipped')) skipped.push(`  ↓ ${module.relativeModuleId} › ${test.fullName}`);
    }
    if (skipped.length > 0) process.stdout.write(`\nSkipped (${skipped.length}):\n${skipped.join('\n')}\n`);
  }
}
