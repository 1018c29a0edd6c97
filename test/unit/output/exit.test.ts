// One mapping from thrown errors to the exit codes of docs/cli.md.
import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { ConfigError, ExitCode, InterruptedError, LockHeldError, OrdoError, UsageError } from '../../../src/shared/errors.js';
import { TransferError } from '../../../src/protocols/contract.js';
import { exitCodeFor } from '../../../src/output/exit.js';

describe('exitCodeFor', () => {
  const cases: Array<[string, unknown, number]> = [
    ['--help / --version (commander, code 0)', new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'), 0],
    ['unknown option', new CommanderError(1, 'commander.unknownOption', "error: unknown option '--x'"), 2],
    ['no command given (help shown as an error)', new CommanderError(1, 'commander.help', '(outputHelp)'), 2],
    ['UsageError', new UsageError('engine.sendNeedsScenario'), 2],
    ['ConfigError', new ConfigError([{ file: 'a.ini', key: 'root', message: 'm' }]), 3],
    ['connection failure', new TransferError('transient', 'protocol.x', {}, { connection: true }), 4],
    ['lock held', new LockHeldError('/l', { pid: 1, host: 'h', since: 's' }), 5],
    ['interrupted', new InterruptedError(), 130],
    ['an aborted operation', Object.assign(new Error('aborted'), { name: 'AbortError' }), 130],
    ['OrdoError keeps its own code', new OrdoError('logs.noLastLog', { dir: 'd' }, ExitCode.config), 3],
    ['transfer failure that is not a connection failure', new TransferError('permanent', 'protocol.x'), 1],
    ['system error nobody caught', Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }), 1],
    ['bug', new TypeError('undefined is not a function'), 1],
    ['something thrown that is not an Error', 'boom', 1],
  ];
  it.each(cases)('%s', (_name, error, code) => {
    expect(exitCodeFor(error)).toBe(code);
  });
});
