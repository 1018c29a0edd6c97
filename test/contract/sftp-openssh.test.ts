// The contract suite against a real OpenSSH sshd on 127.0.0.1 (key authentication, posix-rename,
// the server's own request limits). Fails, never skips, when sshd is missing: CI installs it.
import { afterAll, beforeAll } from 'vitest';
import { createSftpHarness, startOpenSshPeer, type SftpPeer } from './sftp-harness.js';
import { defineContractSuite } from './suite.js';

let peer: SftpPeer | undefined;

beforeAll(async () => {
  peer = await startOpenSshPeer();
});

afterAll(async () => {
  await peer?.stop();
});

function started(): SftpPeer {
  if (peer === undefined) throw new Error('the OpenSSH peer did not start (see the error of beforeAll)');
  return peer;
}

// Both peers can cut transfers half-way (through a relay in front of sshd): the fault tests run.
defineContractSuite('sftp (OpenSSH sshd)', () => createSftpHarness(started()), { faults: true, unfetchableEntries: true });
defineContractSuite('sftp (OpenSSH sshd, serial, afterRetrieve=keep)', () =>
  createSftpHarness(started(), { options: { afterRetrieve: 'keep' }, profile: { serial: true } }),
  { faults: true, unfetchableEntries: true },
);
