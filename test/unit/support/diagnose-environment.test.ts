import { describe, expect, it } from 'vitest';
import { startedBy, type ProcessFacts } from '../../../src/core/diagnose-environment.js';

/** A process tree given as pid → [name, parent pid]. */
function facts(tree: Record<number, [string, number]>, extra: Partial<ProcessFacts> = {}): ProcessFacts {
  return {
    platform: 'linux',
    env: {},
    stdinIsTty: false,
    ppid: 100,
    parentOf: (pid) => Promise.resolve(tree[pid] === undefined ? undefined : { name: tree[pid][0], ppid: tree[pid][1] }),
    ...extra,
  };
}

describe('started by hand or by a scheduler', () => {
  it('sees cron through the shell it runs the command with', async () => {
    expect(await startedBy(facts({ 100: ['sh', 50], 50: ['cron', 1] }))).toEqual({ how: 'scheduler', name: 'cron' });
  });

  it('trusts systemd’s INVOCATION_ID', async () => {
    expect(await startedBy(facts({}, { env: { INVOCATION_ID: 'abc' } }))).toEqual({ how: 'scheduler', name: 'systemd' });
  });

  it('says by hand when stdin is a terminal', async () => {
    expect(await startedBy(facts({ 100: ['bash', 50], 50: ['sshd', 1] }, { stdinIsTty: true }))).toEqual({ how: 'byHand' });
  });

  it('says it cannot tell otherwise', async () => {
    expect(await startedBy(facts({ 100: ['bash', 50], 50: ['sshd', 1] }))).toEqual({ how: 'unknown' });
    expect(await startedBy(facts({}, { platform: 'win32' }))).toEqual({ how: 'unknown' });
  });
});
