// The contract suite against ssh2's in-process SFTP server: password authentication, no SFTP
// extensions (standard rename), small requests, and faults injected by the server itself.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createSftpHarness, startSsh2Peer, type SftpPeer } from './sftp-harness.js';
import { defineContractSuite } from './suite.js';

let files: string;
let peer: SftpPeer | undefined;

beforeAll(async () => {
  files = await mkdtemp(join(tmpdir(), 'ordo-ssh2-peer-'));
  peer = await startSsh2Peer(files);
});

afterAll(async () => {
  await peer?.stop();
  await rm(files, { recursive: true, force: true });
});

function started(): SftpPeer {
  if (peer === undefined) throw new Error('the ssh2 peer did not start (see the error of beforeAll)');
  return peer;
}

defineContractSuite('sftp (ssh2 server)', () => createSftpHarness(started()), { faults: true, unfetchableEntries: true });
