// Host key verification: a server is trusted only when the key it presents is pinned in the profile
// (`hostKey`), recorded in the profile's `knownHosts` file, or recorded in ordo's own
// `<root>/known_hosts` by an explicit `ordo diagnose --accept-new-host-key`. Nothing else is accepted,
// and nothing is ever accepted silently.
import { TransferError } from '../contract.js';
import type { PresentedKey } from './fingerprints.js';
import { keysForHost, readKnownHosts } from './known-hosts.js';
import type { SftpSettings } from './settings.js';

export interface HostKeyTrust {
  /** Fingerprints trusted for this host:port. */
  trusted: string[];
  /** Fingerprints marked `@revoked`. */
  revoked: string[];
  /**
   * Key types asked for first during the handshake: those recorded in known_hosts for this host, and
   * that of a pinned fingerprint once the server has shown which of its keys it is.
   */
  knownTypes: string[];
  /** The key type of each trusted fingerprint recorded in known_hosts (a pinned one carries none). */
  typeOf: Map<string, string>;
}

export type HostKeyVerdict =
  | { status: 'trusted' }
  /** Nothing is recorded for this host: it can be trusted explicitly. */
  | { status: 'unknown' }
  /** Other keys are recorded: the server changed its key, or this is not the partner's server. */
  | { status: 'changed'; expected: string[] }
  | { status: 'revoked' };

export async function loadHostKeyTrust(settings: SftpSettings): Promise<HostKeyTrust> {
  const trust: HostKeyTrust = { trusted: [...settings.hostKeys], revoked: [], knownTypes: [], typeOf: new Map() };
  const files = [settings.knownHostsPath, settings.ownKnownHostsPath].filter((path): path is string => path !== undefined);
  for (const path of files) {
    const text = await readTrustFile(path, path === settings.knownHostsPath);
    for (const key of keysForHost(text ?? '', settings.host, settings.port)) {
      if (key.revoked) {
        trust.revoked.push(key.fingerprint);
        continue;
      }
      if (!trust.trusted.includes(key.fingerprint)) trust.trusted.push(key.fingerprint);
      trust.typeOf.set(key.fingerprint, key.type);
      if (!trust.knownTypes.includes(key.type)) trust.knownTypes.push(key.type);
    }
  }
  return trust;
}

/** The profile's own file must exist (a typo must not turn into "unknown host"); ordo's may not exist yet. */
async function readTrustFile(path: string, required: boolean): Promise<string | undefined> {
  try {
    const text = await readKnownHosts(path);
    if (text === undefined && required) {
      throw new TransferError('permanent', 'protocol.sftp.knownHostsMissing', { path }, { fixKey: 'protocol.sftp.knownHostsMissing.fix', connection: true });
    }
    return text;
  } catch (error) {
    if (error instanceof TransferError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'UNKNOWN';
    throw new TransferError('permanent', 'protocol.sftp.knownHostsUnreadable', { path, code }, { fixKey: 'protocol.sftp.knownHostsUnreadable.fix', connection: true, cause: error });
  }
}

export function judgeHostKey(trust: HostKeyTrust, key: PresentedKey): HostKeyVerdict {
  if (trust.revoked.includes(key.fingerprint)) return { status: 'revoked' };
  if (trust.trusted.includes(key.fingerprint)) return { status: 'trusted' };
  if (trust.trusted.length === 0) return { status: 'unknown' };
  // Each expected fingerprint with its key type when known_hosts gives it.
  const expected = trust.trusted.map((fingerprint) => {
    const type = trust.typeOf.get(fingerprint);
    return type === undefined ? fingerprint : `${type} ${fingerprint}`;
  });
  return { status: 'changed', expected };
}

/**
 * The refusal, with the presented key and the expected ones in the message. `seen`: every key the
 * server showed when asked for each kind in turn (a "changed" server names them all, each with its type).
 */
export function hostKeyRefusal(
  verdict: Exclude<HostKeyVerdict, { status: 'trusted' }>,
  key: PresentedKey,
  where: { host: string; port: number; profile: string },
  seen: PresentedKey[] = [key],
): TransferError {
  const presented = (seen.length > 0 ? seen : [key]).map((shown) => `${shown.type} ${shown.fingerprint}`).join(', ');
  const params = { host: where.host, port: where.port, profile: where.profile, type: key.type, fingerprint: key.fingerprint, presented };
  switch (verdict.status) {
    case 'unknown':
      return new TransferError('permanent', 'protocol.sftp.hostKeyUnknown', params, { fixKey: 'protocol.sftp.hostKeyUnknown.fix', connection: true });
    case 'changed':
      return new TransferError('permanent', 'protocol.sftp.hostKeyChanged', { ...params, expected: verdict.expected.join(', ') }, { fixKey: 'protocol.sftp.hostKeyChanged.fix', connection: true });
    case 'revoked':
      return new TransferError('permanent', 'protocol.sftp.hostKeyRevoked', params, { fixKey: 'protocol.sftp.hostKeyRevoked.fix', connection: true });
  }
}

/** known_hosts key types → the handshake algorithms that produce such a key (RSA keys sign three ways). */
const ALGORITHMS_OF_KEY_TYPE: Record<string, string[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};

/**
 * Like OpenSSH, ask first for the kind of key already recorded: a server with several host keys would
 * otherwise present another one, which could not be matched.
 */
export function preferredHostKeyAlgorithms(knownTypes: string[]): string[] {
  return knownTypes.flatMap((type) => ALGORITHMS_OF_KEY_TYPE[type] ?? []);
}

/**
 * The handshake algorithms of every key type ssh2 verifies, in its order of preference, except those
 * of the key types already seen: asking with these makes the server present another of its keys, or
 * fail the handshake when it has no other.
 */
export function hostKeyAlgorithmsExcept(seenTypes: string[]): string[] {
  return Object.entries(ALGORITHMS_OF_KEY_TYPE)
    .filter(([type]) => !seenTypes.includes(type))
    .flatMap(([, algorithms]) => algorithms);
}
