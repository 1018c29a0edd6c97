// The connection settings `xfb` and `http` share (`profiles.<P>.<protocol>`): TLS files, `insecure`,
// `proxy` and `timeout`, checked without any I/O and resolved against the configuration folder.
// INI hands every value over as text, so booleans and durations are also accepted as written.
import { isAbsolute, resolve } from 'node:path';
import { parseDuration } from '../../shared/duration.js';
import { parseBoolean } from '../../shared/values.js';
import { redact } from '../../shared/redact.js';
import type { ProtocolSettingProblem } from '../contract.js';

/** Headers and body inactivity limit; a transfer that keeps moving is never cut by it. */
export const DEFAULT_TIMEOUT_MS = 120_000;
/** Opening a connection never waits longer than this (or `timeout`, when shorter). */
export const MAX_CONNECT_MS = 30_000;

export interface TlsSettings {
  /** Absolute path of a PEM file of extra authorities to trust. */
  caPath: string | undefined;
  /** Absolute paths of the client certificate and its key (PEM). */
  certPath: string | undefined;
  keyPath: string | undefined;
  passphrase: string | undefined;
  /** Certificates are not checked at all (a loud warning on every run). */
  insecure: boolean;
}

export interface WebSettings {
  tls: TlsSettings;
  /** An explicit proxy (`http://host:port`); otherwise HTTPS_PROXY / HTTP_PROXY / NO_PROXY apply. */
  proxy: string | undefined;
  timeoutMs: number;
}

type Problems = ProtocolSettingProblem[];

export function webSettingProblems(profile: Record<string, unknown>): Problems {
  const problems: Problems = [];
  const add = (key: string, messageKey: string, params: Record<string, string> = {}): void => {
    problems.push({ where: 'profile', key, messageKey, params: { key, ...params } });
  };
  for (const key of ['ca', 'cert', 'key'] as const) {
    if (profile[key] !== undefined && !isText(profile[key])) add(key, 'protocol.web.setting.path');
  }
  if (profile.passphrase !== undefined && typeof profile.passphrase !== 'string') add('passphrase', 'protocol.web.setting.text');
  if ((profile.cert === undefined) !== (profile.key === undefined)) add(profile.cert === undefined ? 'cert' : 'key', 'protocol.web.setting.certWithoutKey');
  if (profile.insecure !== undefined && parseBoolean(profile.insecure) === undefined) add('insecure', 'protocol.web.setting.boolean');
  if (profile.timeout !== undefined && !validTimeout(profile.timeout)) add('timeout', 'protocol.web.setting.timeout', { value: String(profile.timeout) });
  if (profile.proxy !== undefined && proxyUrl(profile.proxy) === undefined) add('proxy', 'protocol.web.setting.proxy', { value: redact(String(profile.proxy)) });
  return problems;
}

/** Call only once `webSettingProblems` found nothing. */
export function resolveWebSettings(profile: Record<string, unknown>, configDir: string): WebSettings {
  return {
    tls: {
      caPath: resolvePath(profile.ca, configDir),
      certPath: resolvePath(profile.cert, configDir),
      keyPath: resolvePath(profile.key, configDir),
      passphrase: typeof profile.passphrase === 'string' && profile.passphrase !== '' ? profile.passphrase : undefined,
      insecure: parseBoolean(profile.insecure) ?? false,
    },
    proxy: proxyUrl(profile.proxy),
    timeoutMs: profile.timeout === undefined ? DEFAULT_TIMEOUT_MS : (parseTimeout(profile.timeout) ?? DEFAULT_TIMEOUT_MS),
  };
}

/**
 * A partner address: http(s), no credentials, and — unless `allowQuery` — no query or fragment,
 * since ordo adds its own parameters. `{name}` (the file's name) may appear where `allowName` says.
 */
export function webUrlProblem(
  key: string,
  value: unknown,
  options: { allowQuery?: boolean; allowName?: boolean } = {},
): Omit<ProtocolSettingProblem, 'where'> | undefined {
  if (!isText(value)) return { key, messageKey: value === undefined ? 'protocol.web.setting.required' : 'protocol.web.url.invalid', params: { key, value: '' } };
  const text = options.allowName ? value.trim().replaceAll('{name}', 'name') : value.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { key, messageKey: 'protocol.web.url.invalid', params: { key, value: redact(value) } };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { key, messageKey: 'protocol.web.url.scheme', params: { key, value: redact(value) } };
  if (url.username !== '' || url.password !== '') return { key, messageKey: 'protocol.web.url.credentials', params: { key } };
  if (!options.allowQuery && (url.search !== '' || url.hash !== '')) return { key, messageKey: 'protocol.web.url.query', params: { key, value: redact(value) } };
  return undefined;
}

function proxyUrl(value: unknown): string | undefined {
  if (!isText(value)) return undefined;
  try {
    const url = new URL(value.trim());
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '' || (url.pathname !== '/' && url.pathname !== '')) return undefined;
    return url.href;
  } catch {
    return undefined;
  }
}

function parseTimeout(value: unknown): number | undefined {
  return typeof value === 'string' || typeof value === 'number' ? parseDuration(value) : undefined;
}

function validTimeout(value: unknown): boolean {
  const ms = parseTimeout(value);
  return ms !== undefined && ms > 0;
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function resolvePath(value: unknown, configDir: string): string | undefined {
  if (!isText(value)) return undefined;
  const path = value.trim();
  return isAbsolute(path) ? resolve(path) : resolve(configDir, path);
}
