// The contract suite on the `tedeco` protocol exactly as the registry loads it: one session that writes
// request pairs into `<spool>/ead/<ead>/` and collects the agent's returns from `<spool>/eaa/a001` and
// `a020`. The spool is folders on this machine, with no connection to cut: the fault cases are listed as
// skipped, with that reason.
import { describe, expect, it } from 'vitest';
import { loadProtocol } from '../../src/protocols/registry.js';
import { createTedecoHarness } from './tedeco-harness.js';
import { defineContractSuite, unable } from './suite.js';

const tedeco = await loadProtocol('tedeco');
if (tedeco === undefined) throw new Error('the registry has no `tedeco` protocol');

describe('the registered tedeco protocol', () => {
  it('is what the suite below runs: its name, and both sides of the spool', () => {
    expect(tedeco.name).toBe('tedeco');
    expect([...tedeco.capabilities].sort()).toEqual(['acknowledge', 'check', 'fetch', 'list', 'send', 'verify']);
  });
});

// filter=*: the suite drops names of every kind; a real scenario collects la*.<ead> by default.
defineContractSuite('tedeco', () => createTedecoHarness({ side: 'both', definition: tedeco, options: { filter: '*' } }), {
  faults: unable('the TEDECO spool is a folder of this machine: there is no transfer for the peer to cut half-way'),
  unfetchableEntries: true,
});
