// The suite's own check: a protocol that only sends (a spool such as TEDECO's) runs the retrieve tests as
// assertions that those capabilities are absent or refused, never as skipped tests.
import { TransferError, type ProtocolDefinition } from '../../src/protocols/contract.js';
import { localProtocol } from '../../src/protocols/local/protocol.js';
import { createLocalHarness } from './local-harness.js';
import { defineContractSuite } from './suite.js';

const sendOnly: ProtocolDefinition = {
  name: 'send-only',
  capabilities: ['send', 'verify', 'check'],
  async open(context) {
    const { send, verify, check, close } = await localProtocol.open({ ...context, options: { target: context.options.target } });
    const refuse = async (): Promise<never> => {
      throw new TransferError('unsupported', 'protocol.common.unsupported', { protocol: 'send-only', capability: 'list' });
    };
    // list refuses, fetch and acknowledge are absent: both forms the contract allows.
    return { send: send!, verify: verify!, check: check!, close, list: refuse };
  },
};

defineContractSuite('send-only protocol', () => createLocalHarness({ definition: sendOnly }));
