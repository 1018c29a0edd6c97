// The suite's own check: a protocol that only sends (a spool such as TEDECO's) runs the retrieve tests as
// assertions that its sessions lack those methods, never as skipped tests (only the fault cases are
// listed as skipped: the local peer underneath cannot cut a transfer).
import type { ProtocolDefinition } from '../../src/protocols/contract.js';
import { localProtocol } from '../../src/protocols/local/protocol.js';
import { createLocalHarness } from './local-harness.js';
import { defineContractSuite, unable } from './suite.js';

const sendOnly: ProtocolDefinition = {
  name: 'send-only',
  capabilities: ['send', 'verify', 'check'],
  async open(context) {
    const { send, verify, check, close } = await localProtocol.open({ ...context, options: { target: context.options.target } });
    return { send: send!, verify: verify!, check: check!, close };
  },
};

defineContractSuite('send-only protocol', () => createLocalHarness({ definition: sendOnly }), {
  faults: unable('the local peer is a folder of this machine: there is no transfer for it to cut half-way'),
  unfetchableEntries: true,
});
