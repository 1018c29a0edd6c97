// Collects what happened during a command and turns it into a result with its exit code (docs/cli.md).
import type { CycleResult, FileOutcome, ScenarioProblem } from './results.js';
import { exitCodeForRun, type ExitCodeValue } from '../shared/exit-codes.js';

const TRANSFERRED = new Set(['sent', 'pending', 'received', 'acknowledged']);
const FAILED = new Set(['failed', 'deferred', 'uncertain', 'refused']);

export class Outcomes {
  readonly files: FileOutcome[] = [];
  readonly problems: ScenarioProblem[] = [];
  interrupted = false;
  /** A file stayed queued because the partner could not be reached at all (no separate problem says it). */
  unreachable = false;

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
    return exitCodeForRun({
      interrupted: this.interrupted,
      locked: this.problems.some((p) => p.lockHeld),
      transferred: this.files.filter((f) => TRANSFERRED.has(f.status)).length,
      failures: this.files.filter((f) => FAILED.has(f.status)).length + this.problems.length,
      permanentFailure: this.files.some((f) => f.status === 'failed' || f.status === 'refused'),
      connectionProblem: this.unreachable || this.problems.some((p) => p.connection),
    });
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
