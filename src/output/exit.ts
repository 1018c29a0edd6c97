// The one mapping from a thrown error to the exit codes of docs/cli.md (results carry their own code).
// Unexpected errors (bugs, system errors nobody caught) exit with 1: scripts already treat 1 as
// "something went wrong, look at the log", and no code of the public table is given a second meaning
// beyond "not everything was done".
import { CommanderError } from 'commander';
import { ExitCode, OrdoError, type ExitCodeValue } from '../shared/errors.js';
import { isTransferError } from '../protocols/contract.js';
import { isAbort } from '../shared/abort.js';

export function exitCodeFor(error: unknown): ExitCodeValue {
  if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  if (error instanceof OrdoError) return error.exitCode;
  if (isTransferError(error)) return error.connection ? ExitCode.connection : ExitCode.partial;
  if (isAbort(error)) return ExitCode.interrupted;
  return ExitCode.partial;
}

/** A Node system error (EACCES, ENOSPC…): the machine's trouble, not a bug. */
export function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return error instanceof Error && typeof code === 'string' && /^E[A-Z]+$/.test(code);
}
