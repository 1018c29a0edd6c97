// Opening one SFTP connection, step by step (DNS, TCP, SSH handshake, host key, authentication, SFTP
// subsystem), so that a failure says which step failed and whether trying later can help.
import { lookup } from 'node:dns/promises';
import { readFile } from 'node:fs/promises';
import { connect as tcpConnect, type Socket } from 'node:net';
import ssh2, { type Algorithms, type ConnectConfig, type NegotiatedAlgorithms, type ParsedKey, type SFTPWrapper } from 'ssh2';
import SftpClient from 'ssh2-sftp-client';
import { TransferError } from '../contract.js';
import { isDnsCode, isNetworkCode, errorCodeOf } from './errors.js';
import { describeKey, type PresentedKey } from './fingerprints.js';
import { hostKeyAlgorithmsExcept, hostKeyRefusal, judgeHostKey, preferredHostKeyAlgorithms, type HostKeyTrust, type HostKeyVerdict } from './host-keys.js';
import type { SftpSettings } from './settings.js';

// ssh2 is CommonJS: its named exports exist only on the default export under Node's ESM loader.
const { Client, utils } = ssh2;

export type ConnectStage = 'key' | 'dns' | 'tcp' | 'handshake' | 'auth' | 'sftp' | 'ready';

/** What an attempt got through, for diagnose and for the error message. */
export interface ConnectTrace {
  stage: ConnectStage;
  address?: string;
  presented?: PresentedKey;
  verdict?: HostKeyVerdict;
  /** Every key the server presented, when it was asked for each kind in turn. */
  seen?: PresentedKey[];
  /** The cipher of the data ordo sends, as the handshake chose it. */
  cipher?: string;
}

export interface SftpLink {
  client: SftpClient;
  sftp: SFTPWrapper;
  /** SFTP extensions the server announced (`posix-rename@openssh.com`…). */
  extensions: ReadonlySet<string>;
  /** Largest read and write requests the server accepts (its `limits@openssh.com` answer). */
  readChunk: number;
  writeChunk: number;
  /** The connection's close, end or error event was seen: nothing more can be done with it. */
  readonly lost: boolean;
  /**
   * Calls `listener` once when the connection goes away (at once if it already has); returns the
   * unsubscribe function. ssh2 never answers a request sent on a closed channel: waiters must hear it.
   */
  onLost(listener: () => void): () => void;
  /** Ends the connection politely (bounded in time). */
  close(): Promise<void>;
  /** Drops the connection at once: whatever is in flight fails. */
  destroy(): void;
}

/** ssh2's own conservative value for servers that announce no limits. */
const FALLBACK_CHUNK = 32 * 1024;
const KEEPALIVE_COUNT_MAX = 3;
const CLOSE_GRACE_MS = 2_000;

interface Ssh2Internals {
  _extensions?: Record<string, string>;
  _maxReadLen?: number;
  _maxWriteLen?: number;
}

export interface ConnectParams {
  settings: SftpSettings;
  trust: HostKeyTrust;
  profileName: string;
  trace?: ConnectTrace;
}

/**
 * Connects and logs in. A server that presents a key other than the trusted ones may have the trusted
 * one as well, of another type (a partner pinned its RSA key, the server prefers ed25519): as OpenSSH
 * does with the types in known_hosts, it is asked for its other kinds of key, without logging in, and
 * the connection is made again asking for the kind that matched. Only when none matches is it refused.
 */
export async function openLink(params: ConnectParams): Promise<SftpLink> {
  const trace = (params.trace ??= { stage: 'key' });
  try {
    return await connectOnce(params, trace);
  } catch (error) {
    if (trace.verdict?.status !== 'changed' || trace.presented === undefined) throw error;
    const where = { host: params.settings.host, port: params.settings.port, profile: params.profileName };
    const found = await searchHostKeys(params.settings, params.trust, [trace.presented]);
    trace.seen = found.seen;
    if (found.verdict.status !== 'trusted') throw hostKeyRefusal(found.verdict, found.key, where, found.seen);
    // Asked for first from now on, for this connection and the next ones of the session.
    params.trust.knownTypes.unshift(found.key.type);
    return connectOnce(params, trace);
  }
}

export interface HostKeySearch {
  /** The verdict on `key`: trusted, revoked, or the verdict on the first key when none is trusted. */
  verdict: HostKeyVerdict;
  key: PresentedKey;
  /** Every key the server presented, in order. */
  seen: PresentedKey[];
}

/**
 * Asks the server (without logging in) for each kind of host key not seen yet, until it presents a
 * trusted or revoked one, or has no other kind. Starts from the keys already seen.
 */
export async function searchHostKeys(settings: SftpSettings, trust: HostKeyTrust, seen: PresentedKey[]): Promise<HostKeySearch> {
  const shown = [...seen];
  for (;;) {
    const last = shown.at(-1);
    if (last !== undefined) {
      const verdict = judgeHostKey(trust, last);
      if (verdict.status === 'trusted' || verdict.status === 'revoked' || verdict.status === 'unknown') return { verdict, key: last, seen: shown };
    }
    const remaining = hostKeyAlgorithmsExcept(shown.map((key) => key.type));
    const next = remaining.length === 0 ? undefined : await scanHostKey(settings, trust, remaining).catch(noOtherKind);
    if (next === undefined || shown.some((key) => key.fingerprint === next.fingerprint)) {
      const first = shown[0];
      if (first === undefined) throw new Error('no host key to judge');
      return { verdict: judgeHostKey(trust, first), key: first, seen: shown };
    }
    shown.push(next);
  }
}

/** A handshake that fails for want of a common host key algorithm: the server has no other kind of key. */
function noOtherKind(error: unknown): undefined {
  if (error instanceof TransferError && error.key === 'protocol.sftp.handshakeFailed') return undefined;
  throw error;
}

async function connectOnce({ settings, trust, profileName }: ConnectParams, trace: ConnectTrace): Promise<SftpLink> {
  const where = { host: settings.host, port: settings.port, profile: profileName };
  trace.stage = 'key';
  const privateKey = await loadPrivateKey(settings);
  trace.stage = 'dns';
  trace.address = await resolveHost(settings.host);
  trace.stage = 'tcp';
  const socket = await openSocket(trace.address, settings);
  trace.stage = 'handshake';

  let lost = false;
  const lostListeners = new Set<() => void>();
  const markLost = (): void => {
    if (lost) return;
    lost = true;
    for (const listener of [...lostListeners]) listener();
    lostListeners.clear();
  };
  let lastError: (Error & { level?: string }) | undefined;
  // ssh2-sftp-client's own global listeners (without them it prints to the console).
  const client = new SftpClient('ordo', { error: markLost, end: markLost, close: markLost });
  // Its per-request listeners may swallow the events above: hear them directly as well.
  client.on('close', markLost);
  client.on('end', markLost);
  socket.once('close', markLost);
  // Prepended: runs before ssh2-sftp-client's own listener rewraps the error and drops its `level`.
  client.on('error', (error: Error & { level?: string }) => {
    lastError ??= error;
  });
  client.on('handshake', (negotiated: NegotiatedAlgorithms) => {
    if (trace.stage === 'handshake') trace.stage = 'auth';
    trace.cipher ??= negotiated.cs.cipher;
  });
  client.on('ready', () => {
    trace.stage = 'sftp';
  });
  if (settings.password !== undefined) {
    const password = settings.password;
    client.on('keyboard-interactive', (_name: string, _instructions: string, _lang: string, prompts: unknown[], finish: (answers: string[]) => void) => {
      finish(prompts.map(() => password));
    });
  }

  let sftp: SFTPWrapper;
  try {
    sftp = await client.connect(connectConfig(settings, trust, privateKey, socket, (key) => {
      trace.presented = describeKey(key);
      trace.verdict = judgeHostKey(trust, trace.presented);
      return trace.verdict.status === 'trusted';
    }));
  } catch (error) {
    socket.destroy();
    throw connectError(error, lastError, trace, settings, where);
  }
  trace.stage = 'ready';
  const internals = sftp as unknown as Ssh2Internals;
  return {
    client,
    sftp,
    extensions: new Set(Object.keys(internals._extensions ?? {})),
    readChunk: positiveOr(internals._maxReadLen, FALLBACK_CHUNK),
    writeChunk: positiveOr(internals._maxWriteLen, FALLBACK_CHUNK),
    get lost() {
      return lost || socket.destroyed;
    },
    onLost(listener) {
      if (lost || socket.destroyed) {
        listener();
        return () => undefined;
      }
      lostListeners.add(listener);
      return () => lostListeners.delete(listener);
    },
    close: () => closeWithin(client, socket, CLOSE_GRACE_MS),
    destroy: () => {
      socket.destroy();
      markLost();
    },
  };
}

function connectConfig(
  settings: SftpSettings,
  trust: HostKeyTrust,
  privateKey: Buffer | undefined,
  socket: Socket,
  hostVerifier: (key: Buffer) => boolean,
): ConnectConfig {
  const authHandler: Array<'publickey' | 'password' | 'keyboard-interactive'> = [];
  if (privateKey !== undefined) authHandler.push('publickey');
  if (settings.password !== undefined) authHandler.push('password', 'keyboard-interactive');
  const config: ConnectConfig = {
    sock: socket,
    host: settings.host,
    port: settings.port,
    username: settings.username,
    hostVerifier,
    authHandler,
    tryKeyboard: settings.password !== undefined,
    readyTimeout: settings.timeoutMs,
    keepaliveInterval: settings.keepaliveMs,
    keepaliveCountMax: KEEPALIVE_COUNT_MAX,
    algorithms: algorithms(settings, trust),
  };
  if (privateKey !== undefined) config.privateKey = privateKey;
  if (settings.passphrase !== undefined) config.passphrase = settings.passphrase;
  if (settings.password !== undefined) config.password = settings.password;
  return config;
}

/** `serverHostKey`: exactly these host key algorithms (to make the server present a given kind of key). */
function algorithms(settings: SftpSettings, trust: HostKeyTrust, serverHostKey?: string[]): Algorithms {
  const result: Algorithms = {};
  if (settings.ciphers !== undefined) result.cipher = settings.ciphers as NonNullable<Algorithms['cipher']>;
  if (serverHostKey !== undefined) {
    result.serverHostKey = serverHostKey as NonNullable<Algorithms['serverHostKey']>;
    return result;
  }
  const preferred = preferredHostKeyAlgorithms(trust.knownTypes);
  // Removed then prepended: ssh2 would not move an algorithm that its default list already has.
  if (preferred.length > 0) result.serverHostKey = { remove: preferred, prepend: preferred } as unknown as NonNullable<Algorithms['serverHostKey']>;
  return result;
}

/** Read and decrypted here, so that a wrong path or passphrase is said plainly before any connection. */
async function loadPrivateKey(settings: SftpSettings): Promise<Buffer | undefined> {
  const path = settings.privateKeyPath;
  if (path === undefined) return undefined;
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (error) {
    throw new TransferError('permanent', 'protocol.sftp.keyUnreadable', { path, code: String(errorCodeOf(error) ?? 'UNKNOWN') }, { fixKey: 'protocol.sftp.keyUnreadable.fix', connection: true, cause: error });
  }
  // @types/ssh2 promises one key or an Error, but an OpenSSH private key file parses to an array of keys.
  const parsed = utils.parseKey(data, settings.passphrase) as ParsedKey | Error | ParsedKey[];
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (key instanceof Error || key === undefined) {
    const reason = key instanceof Error ? key.message : 'no key';
    const messageKey = /passphrase|decrypt|bad decrypt|integrity/i.test(reason) ? 'protocol.sftp.keyPassphrase' : 'protocol.sftp.keyInvalid';
    throw new TransferError('permanent', messageKey, { path, reason }, { fixKey: `${messageKey}.fix`, connection: true });
  }
  if (!key.isPrivateKey()) throw new TransferError('permanent', 'protocol.sftp.keyNotPrivate', { path }, { fixKey: 'protocol.sftp.keyNotPrivate.fix', connection: true });
  return data;
}

async function resolveHost(host: string): Promise<string> {
  try {
    return (await lookup(host)).address;
  } catch (error) {
    const code = String(errorCodeOf(error) ?? 'UNKNOWN');
    throw new TransferError('transient', 'protocol.sftp.dnsFailed', { host, code }, { fixKey: 'protocol.sftp.dnsFailed.fix', connection: true, cause: error });
  }
}

/**
 * ssh2 writes every SSH packet to the socket on its own: one system call each, and the loopback or the
 * network carries each in its own segment. Packets written in the same tick (requests sent together,
 * such as a small file's write, stat and close) are corked and leave in one `writev` when the tick
 * ends, before any I/O: nothing waits longer, there are just fewer system calls.
 */
function coalesceWrites(socket: Socket): void {
  const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
  let corked = false;
  const uncork = (): void => {
    corked = false;
    socket.uncork();
  };
  socket.write = ((...args: unknown[]): boolean => {
    if (!corked) {
      corked = true;
      socket.cork();
      process.nextTick(uncork);
    }
    return write(...args);
  });
}

/** TCP_NODELAY right after connecting: ssh2 does not set it, and without it uploads crawl. */
function openSocket(address: string, settings: SftpSettings): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host: address, port: settings.port, noDelay: true });
    const fail = (code: string, cause?: unknown): void => {
      clearTimeout(timer);
      socket.destroy();
      const params = { host: settings.host, port: settings.port, code };
      reject(new TransferError('transient', 'protocol.sftp.unreachable', params, { fixKey: 'protocol.sftp.unreachable.fix', connection: true, cause }));
    };
    const timer = setTimeout(() => fail('ETIMEDOUT'), settings.timeoutMs);
    socket.once('error', (error) => fail(String(errorCodeOf(error) ?? 'UNKNOWN'), error));
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      socket.setNoDelay(true);
      coalesceWrites(socket);
      resolve(socket);
    });
  });
}

function connectError(
  error: unknown,
  sshError: (Error & { level?: string }) | undefined,
  trace: ConnectTrace,
  settings: SftpSettings,
  where: { host: string; port: number; profile: string },
): TransferError {
  if (error instanceof TransferError) return error;
  if (trace.presented !== undefined && trace.verdict !== undefined && trace.verdict.status !== 'trusted') {
    return hostKeyRefusal(trace.verdict, trace.presented, where, trace.seen);
  }
  const cause = sshError ?? error;
  const level = sshError?.level;
  const reason = cause instanceof Error ? cause.message : String(cause);
  const params = { host: settings.host, port: settings.port, username: settings.username, stage: trace.stage, reason };
  if (level === 'client-authentication') {
    return new TransferError('permanent', 'protocol.sftp.authRefused', params, { fixKey: 'protocol.sftp.authRefused.fix', connection: true, cause });
  }
  if (level === 'client-timeout') {
    return new TransferError('transient', 'protocol.sftp.timeout', { ...params, seconds: Math.round(settings.timeoutMs / 100) / 10 }, { fixKey: 'protocol.sftp.timeout.fix', connection: true, cause });
  }
  const code = errorCodeOf(cause);
  if (isNetworkCode(code) || isDnsCode(code) || level === 'client-socket' || /unexpected (end|close)/i.test(reason)) {
    return new TransferError('transient', 'protocol.sftp.closedWhileConnecting', params, { fixKey: 'protocol.sftp.closedWhileConnecting.fix', connection: true, cause });
  }
  if (trace.stage === 'sftp') {
    return new TransferError('permanent', 'protocol.sftp.noSubsystem', params, { fixKey: 'protocol.sftp.noSubsystem.fix', connection: true, cause });
  }
  return new TransferError('permanent', 'protocol.sftp.handshakeFailed', params, { fixKey: 'protocol.sftp.handshakeFailed.fix', connection: true, cause });
}

async function closeWithin(client: SftpClient, socket: Socket, ms: number): Promise<void> {
  if (socket.destroyed) return;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  await Promise.race([client.end().then(() => undefined, () => undefined), late]);
  clearTimeout(timer);
  socket.destroy();
}

function positiveOr(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

/**
 * The key the server presents, without logging in (like `ssh-keyscan`): the handshake is stopped as
 * soon as the key is known, so no credential is needed or sent.
 */
export async function scanHostKey(settings: SftpSettings, trust: HostKeyTrust, serverHostKey?: string[]): Promise<PresentedKey> {
  const address = await resolveHost(settings.host);
  const socket = await openSocket(address, settings);
  const client = new Client();
  return new Promise<PresentedKey>((resolve, reject) => {
    let presented: PresentedKey | undefined;
    const timer = setTimeout(() => finish(), settings.timeoutMs);
    const finish = (error?: Error & { level?: string }): void => {
      clearTimeout(timer);
      socket.destroy();
      if (presented !== undefined) {
        resolve(presented);
        return;
      }
      const params = { host: settings.host, port: settings.port, username: settings.username, stage: 'handshake', reason: error?.message ?? 'timeout' };
      if (error?.level === 'handshake') {
        reject(new TransferError('permanent', 'protocol.sftp.handshakeFailed', params, { fixKey: 'protocol.sftp.handshakeFailed.fix', connection: true, cause: error }));
        return;
      }
      reject(new TransferError('transient', 'protocol.sftp.closedWhileConnecting', params, { fixKey: 'protocol.sftp.closedWhileConnecting.fix', connection: true, cause: error }));
    };
    client.on('error', finish);
    client.on('close', () => finish());
    client.connect({
      sock: socket,
      username: settings.username,
      readyTimeout: settings.timeoutMs,
      algorithms: algorithms(settings, trust, serverHostKey),
      hostVerifier: (key: Buffer) => {
        presented = describeKey(key);
        return false;
      },
    });
  });
}
