// The contract suite against a real OpenSSH sshd on 127.0.0.1 (key authentication, the server's own
// request limits; ed25519, ECDSA and RSA host keys), then what every real server must do. Fails,
// never skips, when sshd is missing: CI installs it.
import { afterAll, beforeAll } from 'vitest';
import type { OpenSshServer } from '../../fixtures/peers/sftp/openssh-server.mjs';
import { createSftpHarness, startOpenSshPeer, type SftpPeer } from './sftp-harness.js';
import { defineRealServerTests } from './sftp-servers.js';
import { defineContractSuite } from './suite.js';

let peer: (SftpPeer & { server: OpenSshServer }) | undefined;

beforeAll(async () => {
  peer = await startOpenSshPeer({ hostKeyTypes: ['ed25519', 'ecdsa', 'rsa'] });
});

afterAll(async () => {
  await peer?.stop();
});

function started(): SftpPeer & { server: OpenSshServer } {
  if (peer === undefined) throw new Error('the OpenSSH peer did not start (see the error of beforeAll)');
  return peer;
}

// Both peers can cut transfers half-way (through a relay in front of sshd): the fault tests run.
defineContractSuite('sftp (OpenSSH sshd)', () => createSftpHarness(started()), { faults: true, unfetchableEntries: true });
defineContractSuite('sftp (OpenSSH sshd, serial, afterRetrieve=keep)', () =>
  createSftpHarness(started(), { options: { afterRetrieve: 'keep' }, profile: { serial: true } }),
  { faults: true, unfetchableEntries: true },
);
defineRealServerTests('sftp (OpenSSH sshd)', { peer: started, server: () => started().server, renameRefuses: true });
