// The exit code of a run that moves files, from what it did (docs/cli.md).
import { describe, expect, it } from 'vitest';
import { exitCodeForRun, type RunTally } from '../../../src/shared/exit-codes.js';

const clean: RunTally = { interrupted: false, locked: false, transferred: 0, failures: 0, permanentFailure: false, connectionProblem: false };

describe('exitCodeForRun', () => {
  const cases: Array<[string, Partial<RunTally>, number]> = [
    ['nothing to do', {}, 0],
    ['everything transferred', { transferred: 3 }, 0],
    ['interrupted, whatever else happened', { interrupted: true, locked: true, failures: 2 }, 130],
    ['a lock kept work from starting', { locked: true, failures: 1, transferred: 2 }, 5],
    ['nothing transferred because the partner could not be reached', { failures: 2, connectionProblem: true }, 4],
    ['the partner could not be reached for one scenario, others transferred', { failures: 1, transferred: 1, connectionProblem: true }, 1],
    ['a file refused for good beside a connection problem', { failures: 2, permanentFailure: true, connectionProblem: true }, 1],
    ['files failed, the partner was reached', { failures: 1 }, 1],
  ];
  it.each(cases)('%s', (_name, run, code) => {
    expect(exitCodeForRun({ ...clean, ...run })).toBe(code);
  });
});
