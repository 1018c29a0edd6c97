// OpenSSH known_hosts files (sshd(8), "SSH_KNOWN_HOSTS FILE FORMAT"): read the keys recorded for a
// host, including hashed names and `*`/`?` patterns, and record a newly trusted key.
import { createHmac } from 'node:crypto';
import { appendFile, mkdir, open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fingerprintOf, keyTypeOf, type PresentedKey } from './fingerprints.js';

export interface KnownKey {
  type: string;
  fingerprint: string;
  /** `@revoked`: this key must be refused even if trusted elsewhere. */
  revoked: boolean;
}

/** How OpenSSH writes a host in known_hosts: the bare name on port 22, `[name]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** The keys a known_hosts text records for `host:port` (certificate authorities are not supported: ignored). */
export function keysForHost(text: string, host: string, port: number): KnownKey[] {
  const name = knownHostsName(host, port).toLowerCase();
  const keys: KnownKey[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    const marker = fields[0]?.startsWith('@') === true ? fields.shift() : undefined;
    const [patterns, type, base64] = fields;
    if (patterns === undefined || type === undefined || base64 === undefined || marker === '@cert-authority') continue;
    if (!hostMatches(patterns, name)) continue;
    const blob = Buffer.from(base64, 'base64');
    if (blob.length === 0 || keyTypeOf(blob) !== type) continue;
    keys.push({ type, fingerprint: fingerprintOf(blob), revoked: marker === '@revoked' });
  }
  return keys;
}

export async function readKnownHosts(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Appends `host key` as one plain line, creating the file (and its folder) when needed, flushed. */
export async function recordKnownHost(path: string, host: string, port: number, key: PresentedKey): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const existing = await readKnownHosts(path);
  const separator = existing !== undefined && existing !== '' && !existing.endsWith('\n') ? '\n' : '';
  await appendFile(path, `${separator}${knownHostsName(host, port)} ${key.type} ${key.blob.toString('base64')}\n`, { mode: 0o644 });
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A comma-separated list of patterns; any negated pattern that matches excludes the line. */
function hostMatches(patterns: string, name: string): boolean {
  if (patterns.startsWith('|1|')) return hashedNameMatches(patterns, name);
  let matched = false;
  for (const pattern of patterns.toLowerCase().split(',')) {
    const negated = pattern.startsWith('!');
    if (!patternMatches(negated ? pattern.slice(1) : pattern, name)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

/** `|1|<salt>|<HMAC-SHA1(salt, name)>`, as written with HashKnownHosts. */
function hashedNameMatches(field: string, name: string): boolean {
  const [, , salt, hash] = field.split('|');
  if (salt === undefined || hash === undefined) return false;
  return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
}

/** OpenSSH's own pattern language: `*` and `?` only (brackets are literal, as in `[host]:2222`). */
function patternMatches(pattern: string, name: string): boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern === name;
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 's').test(name);
}
