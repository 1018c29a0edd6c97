// The `s2low` protocol against the S²LOW peer: the shared contract suite (over HTTPS, with the client
// certificate S²LOW requires). What only S²LOW does — transactions followed to their acquit, doublons,
// refused certificates, PES Retour — is in test/unit/s2low/.
import { afterAll, beforeAll } from 'vitest';
import { startS2lowPeer } from '../../fixtures/peers/peers.mjs';
import { createS2lowHarness, type S2lowPeer } from './s2low-harness.js';
import { defineContractSuite } from './suite.js';

let peer: S2lowPeer;
beforeAll(async () => {
  peer = await startS2lowPeer();
});
afterAll(async () => {
  await peer.close();
});

defineContractSuite('s2low', () => Promise.resolve(createS2lowHarness(peer)), {
  faults: true,
  unfetchableEntries: true,
  // S²LOW's import refuses an empty file (KO); a PES Aller is never empty anyway.
  refusesEmptyFiles: true,
});
