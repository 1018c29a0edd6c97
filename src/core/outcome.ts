// Collects what happened during a command and turns it into a result with its exit code (docs/cli.md).
import type { CycleResult, FileOutcome, ScenarioProblem } from './results.js';
import { ExitCode, type ExitCodeValue } from '../shared/errors.js';

const TRANSFERRED = new Set(['sent', 'pending', 'received']);
const FAILED = new Set(['failed', 'deferred', 'uncertain']);

export class Outcomes {
  readonly files: FileOutcome[] = [];
  readonly problems: ScenarioProblem[] = [];
  interrupted = false;

  add(outcome: FileOutcome): FileOutcome {
    this.files.push(outcome);
    return outcome;
  }

  problem(problem: ScenarioProblem): void {
    this.problems.push(problem);
  }

  transferredIn(scenario: string): number {
    return this.files.filter((f) => f.scenario === scenario && TRANSFERRED.has(f.status)).length;
  }

  exitCode(): ExitCodeValue {
    if (this.interrupted) return ExitCode.interrupted;
    if (this.problems.some((p) => p.lockHeld)) return ExitCode.locked;
    const failures = this.files.filter((f) => FAILED.has(f.status)).length + this.problems.length;
    if (failures === 0) return ExitCode.ok;
    const transferred = this.files.filter((f) => TRANSFERRED.has(f.status)).length;
    const permanent = this.files.some((f) => f.status === 'failed');
    if (transferred === 0 && !permanent && this.problems.some((p) => p.connection)) return ExitCode.connection;
    return ExitCode.partial;
  }

  result(command: CycleResult['command'], dryRun: boolean, startedAt: Date, endedAt: Date): CycleResult {
    return {
      command,
      dryRun,
      startedAt: startedAt.toISOString(),
      endedAt: endedAt.toISOString(),
      files: this.files,
      problems: this.problems,
      interrupted: this.interrupted,
      exitCode: this.exitCode(),
    };
  }
}
