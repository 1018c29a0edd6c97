// The contract suite on both sides of a TEDECO spool. The request side only sends (the agent consumes
// what we write: nothing to list), so its list/fetch/acknowledge tests assert that they are refused;
// the return side only retrieves, so its send/verify tests assert the same. The registered protocol
// is the two in one session (test/unit/tedeco/protocol.test.ts).
import { createTedecoHarness } from './tedeco-harness.js';
import { defineContractSuite } from './suite.js';

defineContractSuite('tedeco (request side)', () => createTedecoHarness({ side: 'request' }));
// filter=*: the suite drops names of every kind; a real scenario collects la*.<ead> by default.
defineContractSuite('tedeco (return side)', () => createTedecoHarness({ side: 'return', options: { filter: '*' } }));
