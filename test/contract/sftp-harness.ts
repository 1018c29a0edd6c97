// The `sftp` protocol's peers for the contract suite: a real OpenSSH sshd, ProFTPD mod_sftp and rclone
// serve sftp (key authentication, each behind a relay that can cut connections), and ssh2's in-process
// server (password authentication, its own faults). Each test gets its own folders under the server's
// file tree.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { startFaultProxy, type FaultProxy } from '../../fixtures/peers/sftp/fault-proxy.mjs';
import { startOpenSshServer, type OpenSshServer } from '../../fixtures/peers/sftp/openssh-server.mjs';
import { startProftpdServer, type ProftpdServer } from '../../fixtures/peers/sftp/proftpd-server.mjs';
import { startRcloneServer, type RcloneServer } from '../../fixtures/peers/sftp/rclone-server.mjs';
import { startSsh2SftpServer, type Ssh2SftpServer } from '../../fixtures/peers/sftp/ssh2-server.mjs';
import { openCounterStore } from '../../src/naming/index.js';
import type { ProtocolContext, ProtocolSession } from '../../src/protocols/contract.js';
import { sftpProtocol } from '../../src/protocols/sftp/protocol.js';
import { sha256OfFile, writeContent } from './files.js';
import { afterRetrieveKeeps, canHoldOnThisSystem, recordingLog, type LoggedLine } from './local-harness.js';
import type { ContractFaults, ContractHarness } from './suite.js';

/** What the contract cuts: half of its 8 MiB transfers. */
const HALF_OF_CUT_TRANSFER = 4 * 1024 * 1024;

/** One running server, shared by the tests of a file. */
export interface SftpPeer {
  /** The connection block of the profile (`profiles.<P>.sftp`). */
  profile: Record<string, unknown>;
  /** Local folder that the server shows. */
  files: string;
  /** How a folder under `files` is named on the server. */
  remotePath(relative: string): string;
  faults: ContractFaults;
  /** Whether the server shows this name as it is on its disk (default: whatever this system can hold). */
  canHoldName?(name: string, side: 'send' | 'retrieve'): boolean;
  /** Plants an entry of the inbox that must not be fetched (default: a symbolic link). */
  putUnfetchable?(inbox: string, scratch: string, name: string): Promise<void>;
  stop(): Promise<void>;
}

export interface SftpHarness extends ContractHarness {
  /** Local folders behind the remote ones. */
  target: string;
  inbox: string;
  /** The remote names of those folders. */
  remoteTarget: string;
  remoteInbox: string;
  /** ordo's spool root for this test (its known_hosts lives there). */
  root: string;
  /** A local folder for the test's own files (keys, files to send, downloads). */
  scratch: string;
  logged: LoggedLine[];
  openWith(options: Record<string, unknown>, profile?: Record<string, unknown>): Promise<ProtocolSession>;
  context(options: Record<string, unknown>, profile?: Record<string, unknown>): ProtocolContext;
}

export async function startOpenSshPeer(options: { hostKeyTypes?: string[] } = {}): Promise<SftpPeer & { server: OpenSshServer; proxy: FaultProxy }> {
  const server = await startOpenSshServer(options);
  return behindFaultProxy(server);
}

/** ProFTPD mod_sftp (RSA and ed25519 host keys), behind a relay that can cut connections. */
export async function startProftpdPeer(): Promise<SftpPeer & { server: ProftpdServer; proxy: FaultProxy }> {
  return behindFaultProxy(await startProftpdServer());
}

/**
 * rclone serve sftp with its defaults (no VFS cache) except the listing cache, off so that files the
 * tests drop in its folder are listed at once (docs/protocols/sftp.md, rclone). It does not list
 * symbolic links at all: the entry that must not be fetched is a folder. It shows the control
 * characters of names on its disk as visible symbols (a line feed as ␊): such a name dropped there is
 * another name over SFTP.
 */
export async function startRclonePeer(): Promise<SftpPeer & { server: RcloneServer; proxy: FaultProxy }> {
  const peer = await behindFaultProxy(await startRcloneServer({ dirCacheTime: '0s' }));
  return {
    ...peer,
    canHoldName: (name, side) => canHoldOnThisSystem(name) && !(side === 'retrieve' && /\p{Cc}/u.test(name)),
    async putUnfetchable(inbox, _scratch, name) {
      await mkdir(join(inbox, name));
    },
  };
}

async function behindFaultProxy<S extends { port: number; files: string; profile: Record<string, unknown>; stop(): Promise<void> }>(
  server: S,
): Promise<SftpPeer & { server: S; proxy: FaultProxy }> {
  const proxy = await startFaultProxy({ port: server.port });
  return {
    server,
    proxy,
    profile: { ...server.profile, port: proxy.port },
    files: server.files,
    remotePath: (relative) => relative,
    faults: {
      cutUploadHalfway: () => proxy.cutUploadAfter(HALF_OF_CUT_TRANSFER),
      cutDownloadHalfway: () => proxy.cutDownloadAfter(HALF_OF_CUT_TRANSFER),
    },
    async stop() {
      await proxy.stop();
      await server.stop();
    },
  };
}

export async function startSsh2Peer(
  files: string,
  options: { renameReplaces?: boolean; statBeforeWrites?: boolean } = {},
): Promise<SftpPeer & { server: Ssh2SftpServer }> {
  const server = await startSsh2SftpServer({ root: files, ...options });
  return {
    server,
    profile: {
      host: server.host,
      port: server.port,
      username: server.username,
      password: server.password,
      hostKey: server.hostKeyFingerprint,
    },
    files,
    remotePath: (relative) => `/${relative}`,
    faults: {
      cutUploadHalfway: () => server.faults.cutUploadAfter(HALF_OF_CUT_TRANSFER),
      cutDownloadHalfway: () => server.faults.cutDownloadAfter(HALF_OF_CUT_TRANSFER),
    },
    stop: () => server.stop(),
  };
}

export async function createSftpHarness(
  peer: SftpPeer,
  settings: { options?: Record<string, unknown>; profile?: Record<string, unknown> } = {},
): Promise<SftpHarness> {
  const name = `t-${randomBytes(6).toString('hex')}`;
  const base = join(peer.files, name);
  const target = join(base, 'target');
  const inbox = join(base, 'inbox');
  await mkdir(target, { recursive: true });
  await mkdir(inbox, { recursive: true });
  const root = join(base, 'ordo-data');
  const scratch = join(base, 'local');
  await mkdir(scratch);
  const remoteTarget = peer.remotePath(`${name}/target`);
  const remoteInbox = peer.remotePath(`${name}/inbox`);
  const logged: LoggedLine[] = [];

  const context = (options: Record<string, unknown>, profile: Record<string, unknown> = { ...peer.profile, ...settings.profile }): ProtocolContext => ({
    profileName: 'VILLE',
    profile,
    options,
    configDir: base,
    root,
    counters: openCounterStore({ root, counters: { kind: 'file', path: join(root, 'counters.json') } }),
    dryRun: false,
    log: recordingLog(logged),
  });
  const openWith = (options: Record<string, unknown>, profile?: Record<string, unknown>): Promise<ProtocolSession> =>
    sftpProtocol.open(context(options, profile));

  return {
    definition: sftpProtocol,
    target,
    inbox,
    remoteTarget,
    remoteInbox,
    root,
    scratch,
    logged,
    context,
    openWith,
    open: () => openWith({ remoteDir: remoteTarget, inbox: remoteInbox, ...settings.options }),
    openWithMissingTarget: () => openWith({ remoteDir: peer.remotePath(`${name}/missing/target`), inbox: remoteInbox, ...settings.options }),
    async putRemote(fileName, data) {
      const path = join(inbox, fileName);
      await writeContent(path, data);
    },
    async putUnfetchable(fileName) {
      if (peer.putUnfetchable) return peer.putUnfetchable(inbox, scratch, fileName);
      // A symbolic link to a file outside the inbox, as a partner's server may list one.
      await writeContent(join(scratch, 'secret.txt'), Buffer.from('not for the partner'));
      await symlink(join(scratch, 'secret.txt'), join(inbox, fileName));
    },
    readSent: (fileName) => readFile(join(target, fileName)).catch(() => undefined),
    sentSha256: (fileName) => sha256OfFile(join(target, fileName)).catch(() => undefined),
    listSentNames: () => readdir(target),
    async remoteCount() {
      return (await readdir(inbox, { withFileTypes: true })).filter((entry) => entry.isFile()).length;
    },
    canHoldName: peer.canHoldName ?? canHoldOnThisSystem,
    acknowledgedEntriesRemain: afterRetrieveKeeps(settings.options),
    faults: peer.faults,
    cleanup: () => rm(base, { recursive: true, force: true }),
  };
}
