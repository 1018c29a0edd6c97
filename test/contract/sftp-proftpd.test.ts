// The contract suite against ProFTPD 1.3.8 mod_sftp on 127.0.0.1 (Debian's proftpd-core and
// proftpd-mod-crypto; key authentication, no `limits@openssh.com`: 32 KiB requests), then what every
// real server must do. Fails, never skips, when ProFTPD is missing: CI installs it.
import { afterAll, beforeAll } from 'vitest';
import type { ProftpdServer } from '../../fixtures/peers/sftp/proftpd-server.mjs';
import { createSftpHarness, startProftpdPeer, type SftpPeer } from './sftp-harness.js';
import { defineRealServerTests } from './sftp-servers.js';
import { defineContractSuite } from './suite.js';

let peer: (SftpPeer & { server: ProftpdServer }) | undefined;

beforeAll(async () => {
  peer = await startProftpdPeer();
});

afterAll(async () => {
  await peer?.stop();
});

function started(): SftpPeer & { server: ProftpdServer } {
  if (peer === undefined) throw new Error('the ProFTPD peer did not start (see the error of beforeAll)');
  return peer;
}

defineContractSuite('sftp (ProFTPD mod_sftp)', () => createSftpHarness(started()), { faults: true, unfetchableEntries: true });
defineRealServerTests('sftp (ProFTPD mod_sftp)', { peer: started, server: () => started().server, renameRefuses: true });
