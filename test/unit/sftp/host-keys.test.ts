// Host key fingerprints and known_hosts files as OpenSSH writes them, and the trust decision.
import { execFileSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeKey, fingerprintOf, normaliseFingerprint, parseFingerprintList } from '../../../src/protocols/sftp/fingerprints.js';
import { judgeHostKey, loadHostKeyTrust, preferredHostKeyAlgorithms } from '../../../src/protocols/sftp/host-keys.js';
import { keysForHost, knownHostsName, recordKnownHost } from '../../../src/protocols/sftp/known-hosts.js';
import { resolveSftpSettings } from '../../../src/protocols/sftp/settings.js';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ordo-hostkeys-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A public key from ssh-keygen, with the fingerprint ssh-keygen itself prints. */
function keygen(type: string): { line: string; blob: Buffer; fingerprint: string } {
  const path = join(dir, `key-${type}-${randomBytes(3).toString('hex')}`);
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', path]);
  const line = readFileSync(`${path}.pub`, 'utf8').trim();
  const fingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${path}.pub`], { encoding: 'utf8' }).split(' ')[1]!;
  return { line, blob: Buffer.from(line.split(' ')[1]!, 'base64'), fingerprint };
}

describe('fingerprints', () => {
  it('match what ssh-keygen prints, with the key type', () => {
    for (const type of ['ed25519', 'ecdsa', 'rsa']) {
      const key = keygen(type);
      expect(fingerprintOf(key.blob)).toBe(key.fingerprint);
      expect(describeKey(key.blob).type).toBe(key.line.split(' ')[0]);
    }
  });

  it('are read as pasted: several, with or without padding, prefix in any case', () => {
    const a = 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s';
    const b = 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU';
    expect(parseFingerprintList(` ${a} ;sha256:${b.slice(7)}=,${a}`)).toEqual({ fingerprints: [a, b], invalid: [] });
    expect(normaliseFingerprint('MD5:16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48')).toBeUndefined();
    expect(parseFingerprintList('SHA256:short').invalid).toEqual(['SHA256:short']);
  });
});

describe('known_hosts', () => {
  it('finds keys by name, [name]:port, hashed name, patterns and negations', () => {
    const ed = keygen('ed25519');
    const ec = keygen('ecdsa');
    const [edType, edBase64] = ed.line.split(' ');
    const [ecType, ecBase64] = ec.line.split(' ');
    const salt = randomBytes(20);
    const hashed = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update('[sftp.dila.example]:2222').digest('base64')}`;
    const text = [
      '# comment',
      '',
      `sftp.dila.example,10.0.0.1 ${edType} ${edBase64}`,
      `${hashed} ${ecType} ${ecBase64} comment`,
      `*.example,!bad.example ${ecType} ${ecBase64}`,
      `@cert-authority *.example ${edType} ${edBase64}`,
      `broken-line-without-key`,
    ].join('\r\n');
    expect(keysForHost(text, 'sftp.dila.example', 22).map((key) => key.fingerprint)).toEqual([ed.fingerprint, ec.fingerprint]);
    expect(keysForHost(text, 'SFTP.DILA.EXAMPLE', 2222).map((key) => key.fingerprint)).toEqual([ec.fingerprint]);
    expect(keysForHost(text, 'bad.example', 22)).toEqual([]);
    expect(keysForHost(text, 'other.host', 22)).toEqual([]);
  });

  it('records a key the way OpenSSH reads it back', async () => {
    const key = describeKey(keygen('ed25519').blob);
    const file = join(dir, 'data', 'known_hosts');
    writeFileSync(join(dir, 'seed'), '');
    await recordKnownHost(file, '127.0.0.1', 2222, key);
    await recordKnownHost(file, 'sftp.example', 22, key);
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n')[0]).toBe(`[127.0.0.1]:2222 ssh-ed25519 ${key.blob.toString('base64')}`);
    expect(keysForHost(text, 'sftp.example', 22).map((found) => found.fingerprint)).toEqual([key.fingerprint]);
    expect(knownHostsName('h', 22)).toBe('h');
    // OpenSSH's own tool finds the recorded entry.
    expect(execFileSync('ssh-keygen', ['-F', '[127.0.0.1]:2222', '-f', file], { encoding: 'utf8' })).toContain(key.blob.toString('base64'));
  });
});

describe('trust', () => {
  it('trusts pinned or recorded keys, and tells unknown, changed and revoked keys apart', async () => {
    const pinned = keygen('ed25519');
    const recorded = keygen('ecdsa');
    const revoked = keygen('ed25519');
    const stranger = keygen('ed25519');
    const known = join(dir, 'known_hosts');
    writeFileSync(known, `[h]:2222 ${recorded.line}\n@revoked [h]:2222 ${revoked.line}\n`);
    const settings = resolveSftpSettings({ host: 'h', port: 2222, username: 'u', password: 'p', hostKey: pinned.fingerprint, knownHosts: known }, {}, { configDir: dir, root: join(dir, 'data') });
    const trust = await loadHostKeyTrust(settings);
    expect(judgeHostKey(trust, describeKey(pinned.blob))).toEqual({ status: 'trusted' });
    expect(judgeHostKey(trust, describeKey(recorded.blob))).toEqual({ status: 'trusted' });
    expect(judgeHostKey(trust, describeKey(revoked.blob))).toEqual({ status: 'revoked' });
    // A fingerprint from known_hosts comes with its key type; a pinned one has none to show.
    expect(judgeHostKey(trust, describeKey(stranger.blob))).toEqual({ status: 'changed', expected: [pinned.fingerprint, `ecdsa-sha2-nistp256 ${recorded.fingerprint}`] });
    expect(preferredHostKeyAlgorithms(trust.knownTypes)).toEqual(['ecdsa-sha2-nistp256']);

    const fresh = resolveSftpSettings({ host: 'new', username: 'u', password: 'p' }, {}, { configDir: dir, root: join(dir, 'data') });
    expect(judgeHostKey(await loadHostKeyTrust(fresh), describeKey(stranger.blob))).toEqual({ status: 'unknown' });
  });

  it('refuses a knownHosts file that does not exist (a typo must not read as "unknown host")', async () => {
    const settings = resolveSftpSettings({ host: 'h', username: 'u', password: 'p', knownHosts: 'nope' }, {}, { configDir: dir, root: dir });
    await expect(loadHostKeyTrust(settings)).rejects.toMatchObject({ key: 'protocol.sftp.knownHostsMissing', kind: 'permanent', connection: true });
  });

  it('prefers, for an RSA key on record, the three RSA signature algorithms', () => {
    expect(preferredHostKeyAlgorithms(['ssh-rsa', 'ssh-ed25519', 'sk-ssh-ed25519@openssh.com'])).toEqual(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa', 'ssh-ed25519']);
  });
});
