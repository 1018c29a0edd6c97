// The exit codes of docs/cli.md (public API: never renumber), and the one place where a failure or a
// run's outcome becomes one of them.
import { isAbort } from './abort.js';

export const ExitCode = {
  ok: 0,
  partial: 1,
  usage: 2,
  config: 3,
  connection: 4,
  locked: 5,
  diagnoseFailed: 6,
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

const CODES: ReadonlySet<number> = new Set(Object.values(ExitCode));

/** An error that chose its exit code when it was raised: every OrdoError. */
export interface StatesExitCode {
  readonly exitCode: ExitCodeValue;
}

/**
 * A protocol's failure (TransferError) as the exit code sees it: whether nothing at all could be reached.
 * Read by shape: shared/ knows no protocol.
 */
export interface ReportsConnection {
  readonly connection: boolean;
}

/**
 * A thrown error: the code it states, else 4 for a protocol failure that reached nothing, 130 for an
 * interruption, and 1 for anything else. Unexpected errors (bugs, system errors nobody caught) get 1:
 * scripts already treat 1 as "something went wrong, look at the log", and no code of the public table
 * is given a second meaning beyond "not everything was done".
 */
export function exitCodeForError(error: unknown): ExitCodeValue {
  if (statesExitCode(error)) return error.exitCode;
  if (reportsConnection(error)) return error.connection ? ExitCode.connection : ExitCode.partial;
  if (isAbort(error)) return ExitCode.interrupted;
  return ExitCode.partial;
}

/** What a command that moves files did, as far as its exit code is concerned. */
export interface RunTally {
  interrupted: boolean;
  /** Some work did not start because another ordo holds its lock. */
  locked: boolean;
  /** Files transferred: sent, pending at the partner, or received. */
  transferred: number;
  /** Files not transferred (failed, deferred, uncertain), plus the problems that kept work from starting. */
  failures: number;
  /** A file was refused for good: its own trouble, whatever the connection did. */
  permanentFailure: boolean;
  /** A problem says the partner could not be reached at all. */
  connectionProblem: boolean;
}

/**
 * 130 when interrupted, 5 when a lock kept work from starting, 0 when nothing failed, 4 when nothing
 * could be transferred only because the partner could not be reached, else 1.
 */
export function exitCodeForRun(run: RunTally): ExitCodeValue {
  if (run.interrupted) return ExitCode.interrupted;
  if (run.locked) return ExitCode.locked;
  if (run.failures === 0) return ExitCode.ok;
  if (run.transferred === 0 && !run.permanentFailure && run.connectionProblem) return ExitCode.connection;
  return ExitCode.partial;
}

function statesExitCode(error: unknown): error is StatesExitCode {
  return error instanceof Error && CODES.has((error as Partial<StatesExitCode>).exitCode as number);
}

function reportsConnection(error: unknown): error is ReportsConnection {
  return error instanceof Error && typeof (error as Partial<ReportsConnection>).connection === 'boolean';
}
