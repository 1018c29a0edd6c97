// The contract suite against `rclone serve sftp` 1.60 on 127.0.0.1 (Debian's rclone; its default
// `--vfs-cache-mode off`, where a file can only be written in order; key authentication, 32 KiB
// requests), then what every real server must do. Its rename replaces an existing file: the check just
// before it is what protects a name there. Fails, never skips, when rclone is missing: CI installs it.
import { afterAll, beforeAll } from 'vitest';
import type { RcloneServer } from '../../fixtures/peers/sftp/rclone-server.mjs';
import { createSftpHarness, startRclonePeer, type SftpPeer } from './sftp-harness.js';
import { defineRealServerTests } from './sftp-servers.js';
import { defineContractSuite } from './suite.js';

let peer: (SftpPeer & { server: RcloneServer }) | undefined;

beforeAll(async () => {
  peer = await startRclonePeer();
});

afterAll(async () => {
  await peer?.stop();
});

function started(): SftpPeer & { server: RcloneServer } {
  if (peer === undefined) throw new Error('the rclone peer did not start (see the error of beforeAll)');
  return peer;
}

defineContractSuite('sftp (rclone serve sftp)', () => createSftpHarness(started()), { faults: true, unfetchableEntries: true });
defineRealServerTests('sftp (rclone serve sftp)', { peer: started, server: () => started().server, renameRefuses: false });
