// The `sftp` protocol's settings: the profile's connection block (`profiles.<P>.sftp`) and the
// scenario's remote folders (`scenarios.<S>.options`), checked and resolved. INI hands every value
// over as text, so numbers, booleans and lists are also accepted in their written forms.
import { isAbsolute, resolve } from 'node:path';
import { parseDuration } from '../../shared/duration.js';
import { parseBoolean } from '../../shared/values.js';
import type { ProtocolSettingProblem } from '../contract.js';
import { filterPatterns, parseAfterRetrieve, type AfterRetrieve } from '../common/retrieval-options.js';
import { parseFingerprintList } from './fingerprints.js';

export const DEFAULT_PORT = 22;
export const DEFAULT_TIMEOUT_MS = 20_000;
export const DEFAULT_KEEPALIVE_MS = 15_000;
const MATCH_ALL = ['*'];

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

type Problems = ProtocolSettingProblem[];

export function sftpSettingProblems(profile: Record<string, unknown>, options: Record<string, unknown>): Problems {
  return [...profileProblems(profile), ...optionProblems(options)];
}

function profileProblems(profile: Record<string, unknown>): Problems {
  const problems: Problems = [];
  const add = (key: string, messageKey: string, params: Record<string, string | number> = {}): void => {
    problems.push({ where: 'profile', key, messageKey, params: { key, ...params } });
  };
  for (const key of ['host', 'username'] as const) {
    if (profile[key] === undefined) add(key, 'protocol.sftp.setting.required');
    else if (!isNonEmptyString(profile[key])) add(key, 'protocol.sftp.setting.text');
  }
  for (const key of ['password', 'privateKey', 'passphrase', 'knownHosts'] as const) {
    if (profile[key] !== undefined && !isNonEmptyString(profile[key])) add(key, 'protocol.sftp.setting.text');
  }
  if (profile.password === undefined && profile.privateKey === undefined) add('password', 'protocol.sftp.setting.noCredentials');
  if (profile.port !== undefined && parsePort(profile.port) === undefined) add('port', 'protocol.sftp.setting.port', { value: shown(profile.port) });
  if (profile.hostKey !== undefined) {
    const parsed = parseFingerprintList(profile.hostKey);
    if (parsed.invalid.length > 0 || parsed.fingerprints.length === 0) {
      add('hostKey', 'protocol.sftp.setting.hostKey', { value: parsed.invalid[0] ?? shown(profile.hostKey) });
    }
  }
  if (profile.timeout !== undefined && !((parseDurationValue(profile.timeout) ?? 0) > 0)) {
    add('timeout', 'protocol.sftp.setting.duration', { value: shown(profile.timeout) });
  }
  if (profile.keepalive !== undefined && parseDurationValue(profile.keepalive) === undefined) {
    add('keepalive', 'protocol.sftp.setting.duration', { value: shown(profile.keepalive) });
  }
  if (profile.serial !== undefined && parseBoolean(profile.serial) === undefined) add('serial', 'protocol.sftp.setting.boolean', { value: shown(profile.serial) });
  if (profile.ciphers !== undefined && parseNameList(profile.ciphers) === undefined) add('ciphers', 'protocol.sftp.setting.list');
  return problems;
}

function optionProblems(options: Record<string, unknown>): Problems {
  const problems: Problems = [];
  const add = (key: string, messageKey: string, params: Record<string, string | number> = {}): void => {
    problems.push({ where: 'options', key, messageKey, params: { key, ...params } });
  };
  for (const key of ['remoteDir', 'inbox'] as const) {
    if (options[key] !== undefined && !isNonEmptyString(options[key])) add(key, 'protocol.sftp.setting.text');
  }
  const after = options.afterRetrieve;
  const parsedAfter = after === undefined ? undefined : parseAfterRetrieve(after);
  if (after !== undefined && parsedAfter === undefined) add('afterRetrieve', 'protocol.sftp.setting.afterRetrieve', { value: shown(after) });
  // Files moved into the inbox itself would be fetched again on every run.
  if (parsedAfter?.action === 'move' && isNonEmptyString(options.inbox) && remoteFolder(parsedAfter.folder) === remoteFolder(options.inbox)) {
    add('afterRetrieve', 'protocol.sftp.setting.moveIntoInbox', { value: shown(after) });
  }
  if (options.filter !== undefined) {
    const patterns = filterPatterns(options.filter);
    if (patterns === undefined) add('filter', 'protocol.sftp.setting.filter');
    for (const pattern of patterns?.filter((candidate) => candidate.includes('/')) ?? []) add('filter', 'protocol.sftp.setting.filterPath', { pattern });
  }
  if (options.createRemoteDir !== undefined && parseBoolean(options.createRemoteDir) === undefined) {
    add('createRemoteDir', 'protocol.sftp.setting.boolean', { value: shown(options.createRemoteDir) });
  }
  return problems;
}

/** Call only once `sftpSettingProblems` found nothing. */
export function resolveSftpSettings(
  profile: Record<string, unknown>,
  options: Record<string, unknown>,
  dirs: { configDir: string; root: string },
): SftpSettings {
  const text = (value: unknown): string | undefined => (isNonEmptyString(value) ? value : undefined);
  const after = parseAfterRetrieve(options.afterRetrieve ?? 'delete') ?? { action: 'delete' };
  return {
    host: String(profile.host).trim(),
    port: parsePort(profile.port ?? DEFAULT_PORT) ?? DEFAULT_PORT,
    username: String(profile.username),
    password: text(profile.password),
    privateKeyPath: localPath(profile.privateKey, dirs.configDir),
    passphrase: text(profile.passphrase),
    hostKeys: profile.hostKey === undefined ? [] : parseFingerprintList(profile.hostKey).fingerprints,
    knownHostsPath: localPath(profile.knownHosts, dirs.configDir),
    ownKnownHostsPath: ownKnownHostsPath(dirs.root),
    timeoutMs: parseDurationValue(profile.timeout ?? '') ?? DEFAULT_TIMEOUT_MS,
    keepaliveMs: parseDurationValue(profile.keepalive ?? '') ?? DEFAULT_KEEPALIVE_MS,
    serial: parseBoolean(profile.serial) ?? false,
    ciphers: profile.ciphers === undefined ? undefined : parseNameList(profile.ciphers),
    remoteDir: remoteFolder(options.remoteDir),
    inbox: remoteFolder(options.inbox),
    filter: filterPatterns(options.filter ?? MATCH_ALL) ?? MATCH_ALL,
    // Remote folders are paths on the server: never resolved against anything local.
    afterRetrieve: after.action === 'move' ? { action: 'move', folder: trimTrailingSlashes(after.folder) } : after,
    createRemoteDir: parseBoolean(options.createRemoteDir) ?? false,
  };
}

export function ownKnownHostsPath(root: string): string {
  return resolve(root, 'known_hosts');
}

export function parsePort(value: unknown): number | undefined {
  const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) && number >= 1 && number <= 65_535 ? number : undefined;
}

function parseDurationValue(value: unknown): number | undefined {
  return typeof value === 'string' || typeof value === 'number' ? parseDuration(value) : undefined;
}

function parseNameList(value: unknown): string[] | undefined {
  const items = typeof value === 'string' ? value.split(/[;,]/) : value;
  if (!Array.isArray(items) || !items.every((item): item is string => typeof item === 'string')) return undefined;
  const names = items.map((item) => item.trim()).filter((item) => item !== '');
  return names.length === 0 ? undefined : names;
}

function remoteFolder(value: unknown): string | undefined {
  return isNonEmptyString(value) ? trimTrailingSlashes(value.trim()) : undefined;
}

/** `out/` and `out` are the same folder; `/` stays the root. */
function trimTrailingSlashes(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

function localPath(value: unknown, configDir: string): string | undefined {
  if (!isNonEmptyString(value)) return undefined;
  const path = value.trim();
  return isAbsolute(path) ? resolve(path) : resolve(configDir, path);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function shown(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
}
