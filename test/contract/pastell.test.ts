// The `pastell` protocol against the Pastell API v2 peer: the shared contract suite (HTTPS, test CA,
// the generic document type), then what only this protocol does — see pastell-protocol.test.ts.
import { afterAll, beforeAll } from 'vitest';
import { startPastellPeer } from '../../fixtures/peers/peers.mjs';
import { createPastellHarness, type PastellPeer } from './pastell-harness.js';
import { defineContractSuite } from './suite.js';

let peer: PastellPeer;
beforeAll(async () => {
  peer = await startPastellPeer({ tls: true });
});
afterAll(async () => {
  await peer.close();
});

defineContractSuite('pastell', () => Promise.resolve(createPastellHarness(peer)), { faults: true, unfetchableEntries: true });
