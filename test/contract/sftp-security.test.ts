// sftp against a real OpenSSH sshd: host key verification (pinned, known_hosts, explicit acceptance),
// key formats and passphrases, refused authentication, unreachable or silent servers, and one
// connection reused for a whole run.
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startOpenSshServer, type OpenSshServer } from '../../fixtures/peers/sftp/openssh-server.mjs';
import { t } from '../../src/i18n/index.js';
// The protocols' messages join the catalog with the registry.
import '../../src/protocols/registry.js';
import type { ProtocolSession } from '../../src/protocols/contract.js';
import { acceptNewHostKey } from '../../src/protocols/sftp/accept-host-key.js';
import { sshNativeCrypto } from '../../src/protocols/sftp/native-crypto.js';
import { sendItem } from './files.js';
import { createSftpHarness, type SftpHarness, type SftpPeer } from './sftp-harness.js';
import { expectTransferError, failure } from './suite.js';

let server: OpenSshServer;
let peer: SftpPeer;
let h: SftpHarness;
const sessions: ProtocolSession[] = [];

beforeAll(async () => {
  server = await startOpenSshServer();
  peer = {
    profile: { host: '127.0.0.1', port: server.port, username: server.username, privateKey: server.privateKeyPath, hostKey: server.hostKeys.map((key) => key.fingerprint).join(';') },
    files: server.files,
    remotePath: (relative) => relative,
    faults: {},
    stop: () => server.stop(),
  };
});

afterAll(async () => {
  await (server as OpenSshServer | undefined)?.stop(); // undefined when beforeAll failed
});

beforeEach(async () => {
  h = await createSftpHarness(peer);
});

afterEach(async () => {
  for (const session of sessions.splice(0)) await session.close();
  await h.cleanup();
});

async function session(profile: Record<string, unknown>, options: Record<string, unknown> = {}): Promise<ProtocolSession> {
  const opened = await h.openWith({ remoteDir: h.remoteTarget, inbox: h.remoteInbox, ...options }, profile);
  sessions.push(opened);
  return opened;
}

/** The connection block without any host key source. */
function unpinned(): Record<string, unknown> {
  const { hostKey: _hostKey, ...rest } = peer.profile;
  return rest;
}

describe('host keys', () => {
  it('refuses an unknown server, with its fingerprint and "none expected" in the message', async () => {
    const error = expectTransferError(await failure((await session(unpinned())).list!()), 'permanent');
    expect(error.key).toBe('protocol.sftp.hostKeyUnknown');
    expect(error.connection).toBe(true);
    expect(server.hostKeys.map((key) => key.fingerprint)).toContain(error.params.fingerprint);
    const message = t(error.key, error.params, 'en');
    expect(message).toContain(String(error.params.fingerprint));
    expect(message).toContain('none');
    expect(t(`${error.key}.fix`, error.params, 'en')).toContain('ordo diagnose --accept-new-host-key');
  });

  it('refuses a server whose key is not the pinned one, with both fingerprints', async () => {
    const expected = 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU';
    const error = expectTransferError(await failure((await session({ ...peer.profile, hostKey: expected })).list!()), 'permanent');
    expect(error.key).toBe('protocol.sftp.hostKeyChanged');
    const message = t(error.key, error.params, 'fr');
    expect(message).toContain(expected);
    expect(message).toContain(String(error.params.fingerprint));
    expect(await h.listSentNames()).toEqual([]);
  });

  it('trusts a known_hosts file, even when it records only the server’s second key type', async () => {
    const ecdsaOnly = server.knownHostsLines.filter((line) => line.includes('ecdsa'));
    const file = join(h.scratch, 'known_hosts_partner');
    await writeFile(file, `${ecdsaOnly.join('\n')}\n`);
    const opened = await session({ ...unpinned(), knownHosts: file });
    expect(await opened.list!()).toEqual([]);
    const results = await opened.check!();
    expect(results.find((result) => result.id === 'sftp.hostKey')?.params?.type).toBe('ecdsa-sha2-nistp256');
  });

  it('trusts a new server only through the explicit acceptance, which records it in <root>/known_hosts', async () => {
    const context = { profileName: 'VILLE', profile: unpinned(), configDir: h.root, root: h.root };
    const accepted = await acceptNewHostKey(context);
    expect(accepted).toMatchObject({ status: 'recorded', host: '127.0.0.1', port: server.port, file: join(h.root, 'known_hosts') });
    expect(server.hostKeys.map((key) => key.fingerprint)).toContain(accepted.fingerprint);
    // OpenSSH itself finds the recorded key.
    expect(execFileSync('ssh-keygen', ['-F', `[127.0.0.1]:${server.port}`, '-f', accepted.file], { encoding: 'utf8' })).toContain(accepted.type);

    const opened = await session(unpinned());
    await opened.send!(await sendItem(h.scratch, 'after-accept.xml', Buffer.from('<ok/>')));
    expect(await h.readSent('after-accept.xml')).toEqual(Buffer.from('<ok/>'));
    expect(await acceptNewHostKey(context)).toMatchObject({ status: 'alreadyTrusted', fingerprint: accepted.fingerprint });
  });

  it('never records a key that differs from a pinned one', async () => {
    const context = { profileName: 'VILLE', profile: { ...unpinned(), hostKey: 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU' }, configDir: h.root, root: h.root };
    await expect(acceptNewHostKey(context)).rejects.toMatchObject({ key: 'protocol.sftp.hostKeyChanged' });
    await expect(readFile(join(h.root, 'known_hosts'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('diagnose says which step failed and how to fix it', async () => {
    const results = await (await session(unpinned())).check!();
    expect(results.map((result) => `${result.id}:${result.status}`)).toEqual(['sftp.dns:ok', 'sftp.tcp:ok', 'sftp.handshake:ok', 'sftp.hostKey:fail']);
    expect(results.at(-1)?.fixKey).toBe('protocol.sftp.hostKeyUnknown.fix');
  });
});

describe('authentication', () => {
  it('logs in with keys in OpenSSH and PEM formats, with a passphrase', async () => {
    for (const key of [
      { type: 'ed25519', passphrase: 'phrase de passe' },
      { type: 'rsa', format: 'pem' as const, passphrase: 'mot-de-passe-pem' },
      { type: 'ecdsa', format: 'pem' as const },
    ]) {
      const path = await server.addUserKey(key);
      const opened = await session({ ...peer.profile, privateKey: path, passphrase: key.passphrase });
      expect(await opened.list!(), JSON.stringify(key)).toEqual([]);
    }
  });

  it('says plainly when the passphrase is missing or wrong, without connecting', async () => {
    const path = await server.addUserKey({ type: 'ed25519', passphrase: 'right', name: 'encrypted' });
    for (const passphrase of [undefined, 'wrong']) {
      const profile = { ...peer.profile, privateKey: path, ...(passphrase === undefined ? {} : { passphrase }) };
      const error = expectTransferError(await failure((await session(profile)).list!()), 'permanent');
      expect(error.key).toBe('protocol.sftp.keyPassphrase');
      expect(JSON.stringify(error.params)).not.toContain('wrong');
    }
  });

  it('says which key file cannot be read, or is not a private key', async () => {
    const missing = expectTransferError(await failure((await session({ ...peer.profile, privateKey: 'keys/none' })).list!()), 'permanent');
    expect(missing.key).toBe('protocol.sftp.keyUnreadable');
    expect(missing.params.path).toBe(join(h.root, '..', 'keys', 'none'));
    const publicHalf = expectTransferError(await failure((await session({ ...peer.profile, privateKey: `${server.privateKeyPath}.pub` })).list!()), 'permanent');
    expect(['protocol.sftp.keyNotPrivate', 'protocol.sftp.keyInvalid']).toContain(publicHalf.key);
  });

  it('a refused login is permanent and connection-level', async () => {
    const stranger = join(h.scratch, 'stranger');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', stranger]);
    for (const profile of [{ ...peer.profile, privateKey: stranger }, { ...peer.profile, privateKey: undefined, password: 'no-password-login-here' }]) {
      const error = expectTransferError(await failure((await session(profile)).list!()), 'permanent');
      expect(error.key).toBe('protocol.sftp.authRefused');
      expect(error.connection).toBe(true);
      expect(JSON.stringify(error.params)).not.toContain('no-password-login-here');
    }
  });
});

describe('unreachable servers', () => {
  let silent: Server | undefined;
  const accepted = new Set<Socket>();

  afterEach(async () => {
    for (const socket of accepted) socket.destroy();
    accepted.clear();
    await new Promise<void>((resolve) => (silent?.listening === true ? silent.close(() => resolve()) : resolve()));
  });

  it('a closed port is transient and connection-level', async () => {
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const error = expectTransferError(await failure((await session({ ...peer.profile, port: closed })).send!(await sendItem(h.scratch, 'a.xml', Buffer.from('a')))), 'transient');
    expect(error.key).toBe('protocol.sftp.unreachable');
    expect(error.params.code).toBe('ECONNREFUSED');
    expect(error.connection).toBe(true);
  });

  it('a server that never answers times out, transient, and ordo hangs up', async () => {
    // What the silent peer saw: each connection, what the client said on it, and whether the client
    // closed it. The test's own timeout is the only bound on time (a hang guard, not an assertion).
    const seen: Array<{ said: string; closed: Promise<void> }> = [];
    const listening = createServer((socket) => {
      accepted.add(socket);
      const connection = { said: '', closed: new Promise<void>((resolve) => socket.once('close', () => resolve())) };
      socket.on('data', (chunk: Buffer) => (connection.said += chunk.toString('latin1')));
      socket.on('error', () => undefined);
      seen.push(connection);
    });
    silent = listening;
    await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', () => resolve()));
    const port = (listening.address() as { port: number }).port;
    const error = expectTransferError(await failure((await session({ ...peer.profile, port, timeout: '1s' })).list!()), 'transient');
    // The SSH session's own timeout fired (the configured 1 s), while waiting for the server's greeting.
    expect(error.key).toBe('protocol.sftp.timeout');
    expect(error.connection).toBe(true);
    expect(error.params).toMatchObject({ port, stage: 'handshake', seconds: 1 });
    // One attempt, which really reached the SSH handshake (the client sent its identification), and
    // which ordo closed itself once it gave up: no connection left hanging at the silent server.
    expect(seen).toHaveLength(1);
    expect(seen[0]!.said).toMatch(/^SSH-2\.0-/);
    await seen[0]!.closed;
  });
});

describe('one connection per run', () => {
  it('sends, lists, fetches and acknowledges many files over a single login', async () => {
    const logins = (): number => (server.log().match(/Accepted publickey/g) ?? []).length;
    const before = logins();
    const opened = await session(peer.profile);
    for (let index = 0; index < 5; index += 1) await opened.send!(await sendItem(h.scratch, `RETOUR_${index}.xml`, Buffer.from(`<statut>${index}</statut>`)));
    for (let index = 0; index < 3; index += 1) await h.putRemote(`ILE_${index}.xml`, Buffer.from(`<teledossier>${index}</teledossier>`));
    for (const entry of await opened.list!()) {
      await opened.fetch!(entry, join(h.scratch, `fetched-${entry.name}`));
      await opened.acknowledge!(entry);
    }
    expect((await h.listSentNames()).sort()).toEqual(['RETOUR_0.xml', 'RETOUR_1.xml', 'RETOUR_2.xml', 'RETOUR_3.xml', 'RETOUR_4.xml']);
    expect(await h.remoteCount!()).toBe(0);
    await expect.poll(logins).toBe(before + 1);
  });
});

describe('the handshake in diagnose', () => {
  it('names the cipher the handshake chose and whether ssh2 runs it natively or in JavaScript', async () => {
    const nativeModule = sshNativeCrypto();
    for (const cipher of ['aes256-ctr', 'aes128-gcm@openssh.com']) {
      const results = await (await session({ ...peer.profile, ciphers: [cipher] })).check!();
      const handshake = results.find((result) => result.id === 'sftp.handshake');
      expect(handshake).toMatchObject({ status: 'ok', params: { host: '127.0.0.1', port: server.port, cipher } });
      expect(handshake?.key).toBe(nativeModule === true ? 'protocol.sftp.check.handshakeOkNative' : 'protocol.sftp.check.handshakeOkJavaScript');
      expect(t(handshake!.key, handshake!.params)).toContain(cipher);
    }
  });

  it('the native module is what ssh2 found: its file beside ssh2, built for this Node.js', () => {
    const moduleFile = join(dirname(createRequire(import.meta.url).resolve('ssh2')), 'protocol', 'crypto', 'build', 'Release', 'sshcrypto.node');
    let loads: boolean;
    try {
      createRequire(import.meta.url)(moduleFile);
      loads = true;
    } catch {
      loads = false;
    }
    expect(sshNativeCrypto()).toBe(loads);
  });
});
