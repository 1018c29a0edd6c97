// The `sftp` protocol's validated keys (sftp/options.ts) turned into the settings its sessions work with.
import { resolve } from 'node:path';
import type { AfterRetrieve } from '../common/retrieval-options.js';
import { readSettings, withoutTrailingSlashes } from '../options.js';
import { sftpDeclaration } from './options.js';

export interface SftpSettings {
  host: string;
  port: number;
  username: string;
  password: string | undefined;
  /** Absolute path of the private key file. */
  privateKeyPath: string | undefined;
  passphrase: string | undefined;
  /** Pinned `SHA256:…` fingerprints. */
  hostKeys: string[];
  /** Absolute path of an OpenSSH known_hosts file named by the profile. */
  knownHostsPath: string | undefined;
  /** ordo's own known_hosts (`<root>/known_hosts`), where accepted keys are recorded. */
  ownKnownHostsPath: string;
  /** Connect, handshake and authentication, each bounded by this. */
  timeoutMs: number;
  /** 0: no keepalive. */
  keepaliveMs: number;
  /** One request at a time instead of parallel reads and writes. */
  serial: boolean;
  ciphers: string[] | undefined;
  remoteDir: string | undefined;
  inbox: string | undefined;
  filter: string[];
  afterRetrieve: AfterRetrieve;
  createRemoteDir: boolean;
}

/** Call only on settings `settingProblems` found nothing wrong with. */
export function resolveSftpSettings(
  profile: Record<string, unknown>,
  options: Record<string, unknown>,
  dirs: { configDir: string; root: string },
): SftpSettings {
  const { profile: p, options: o } = readSettings(sftpDeclaration.options, { profile, options }, dirs.configDir);
  const after = o.afterRetrieve;
  return {
    host: p.host.trim(),
    port: p.port,
    username: p.username,
    password: p.password,
    privateKeyPath: p.privateKey,
    passphrase: p.passphrase,
    hostKeys: p.hostKey ?? [],
    knownHostsPath: p.knownHosts,
    ownKnownHostsPath: ownKnownHostsPath(dirs.root),
    timeoutMs: p.timeout,
    keepaliveMs: p.keepalive,
    serial: p.serial,
    ciphers: p.ciphers,
    remoteDir: o.remoteDir,
    inbox: o.inbox,
    filter: o.filter,
    // Remote folders are paths on the server: never resolved against anything local.
    afterRetrieve: after.action === 'move' ? { action: 'move', folder: withoutTrailingSlashes(after.folder) } : after,
    createRemoteDir: o.createRemoteDir,
  };
}

export function ownKnownHostsPath(root: string): string {
  return resolve(root, 'known_hosts');
}
