// A thrown error's exit code, as the command line sees it: commander's own errors are usage errors
// (or success, for --help and --version); every other error goes through the one mapping of
// shared/exit-codes.ts.
import { CommanderError } from 'commander';
import { ExitCode, exitCodeForError, type ExitCodeValue } from '../shared/exit-codes.js';

export function exitCodeFor(error: unknown): ExitCodeValue {
  if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  return exitCodeForError(error);
}

/** A Node system error (EACCES, ENOSPC…): the machine's trouble, not a bug. */
export function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return error instanceof Error && typeof code === 'string' && /^E[A-Z]+$/.test(code);
}
