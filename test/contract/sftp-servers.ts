// What every real SFTP server of the tests must also do with ordo (OpenSSH, ProFTPD mod_sftp, rclone
// serve sftp), beyond the shared contract: a 20 MiB file of random bytes up and down exactly, a
// connection pinned on the server's RSA key while it prefers ed25519, and a final name taken by someone
// else between ordo's check and its rename never replaced (where the server's rename refuses).
import { randomBytes } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFaultProxy } from '../../fixtures/peers/sftp/fault-proxy.mjs';
import { t } from '../../src/i18n/index.js';
import type { ProtocolSession } from '../../src/protocols/contract.js';
import { acceptNewHostKey } from '../../src/protocols/sftp/accept-host-key.js';
import { MiB, sendItem, sha256, sha256OfFile } from './files.js';
import { createSftpHarness, type SftpHarness, type SftpPeer } from './sftp-harness.js';
import { expectTransferError, failure } from './suite.js';

export interface RealServer {
  /** The peer in front of the server (through the fault relay), started by the test file. */
  peer: () => SftpPeer;
  /** The server's own port (the relay's is in the peer's profile) and its host keys. */
  server: () => { port: number; hostKeys: Array<{ type: string; fingerprint: string; publicLine: string }> };
  /** The server's standard rename refuses an existing name (SFTP v3); rclone's replaces it. */
  renameRefuses: boolean;
}

const LARGE = 20 * MiB;
/** One-way delay of the relay in the race test: the rename arrives 2 × this after the check. */
const ONE_WAY_MS = 150;

export function defineRealServerTests(name: string, real: RealServer): void {
  describe(`${name}: real server`, () => {
    let h: SftpHarness;
    const sessions: ProtocolSession[] = [];
    const watchers: FSWatcher[] = [];

    beforeEach(async () => {
      h = await createSftpHarness(real.peer());
    });

    afterEach(async () => {
      for (const watcher of watchers.splice(0)) watcher.close();
      for (const session of sessions.splice(0)) await session.close();
      await h.cleanup();
    });

    async function session(profile: Record<string, unknown>): Promise<ProtocolSession> {
      const opened = await h.openWith({ remoteDir: h.remoteTarget, inbox: h.remoteInbox }, profile);
      sessions.push(opened);
      return opened;
    }

    it(`sends and fetches ${LARGE / MiB} MiB of random bytes exactly, in parallel requests`, async () => {
      const data = randomBytes(LARGE);
      const opened = await session(real.peer().profile);
      await opened.send!(await sendItem(h.scratch, 'GROS.bin', data));
      expect(await h.sentSha256!('GROS.bin')).toBe(sha256(data));
      expect(await h.listSentNames()).toEqual(['GROS.bin']);
      await h.putRemote('RETOUR.bin', data);
      const entry = (await opened.list!()).find((listed) => listed.name === 'RETOUR.bin');
      expect(entry).toBeDefined();
      const dest = join(h.scratch, 'retour');
      expect((await opened.fetch!(entry!, dest)).bytes).toBe(LARGE);
      expect(await sha256OfFile(dest)).toBe(sha256(data));
    });

    it('connects with only the RSA fingerprint pinned, though the server prefers ed25519', async () => {
      const keys = real.server().hostKeys;
      const rsa = keys.find((key) => key.type === 'rsa');
      expect(keys.map((key) => key.type)).toContain('ed25519');
      const opened = await session({ ...real.peer().profile, hostKey: rsa!.fingerprint });
      await opened.send!(await sendItem(h.scratch, 'RSA.xml', Buffer.from('<rsa/>')));
      expect(await h.readSent('RSA.xml')).toEqual(Buffer.from('<rsa/>'));
      const results = await opened.check!();
      expect(results.find((result) => result.id === 'sftp.hostKey')).toMatchObject({ status: 'ok', params: { type: 'ssh-rsa', fingerprint: rsa!.fingerprint } });
      // The explicit acceptance finds it as well: already trusted, nothing recorded.
      const context = { profileName: 'VILLE', profile: { ...real.peer().profile, hostKey: rsa!.fingerprint }, configDir: h.root, root: h.root };
      expect(await acceptNewHostKey(context)).toMatchObject({ status: 'alreadyTrusted', type: 'ssh-rsa', fingerprint: rsa!.fingerprint });
    });

    it('refuses a server none of whose keys is pinned, naming the type of each key it has', async () => {
      const pinned = 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU';
      const error = expectTransferError(await failure((await session({ ...real.peer().profile, hostKey: pinned })).list!()), 'permanent');
      expect(error.key).toBe('protocol.sftp.hostKeyChanged');
      const message = t(error.key, error.params, 'en');
      for (const key of real.server().hostKeys) expect(message).toContain(`${key.publicLine.split(' ')[0]} ${key.fingerprint}`);
      expect(message).toContain(pinned);
    });

    if (real.renameRefuses) {
      it('never replaces a file that takes the final name between the check and the rename', async () => {
        // A distant server: the rename reaches it 2 × ONE_WAY_MS after the check. The partner's file is
        // written in the middle of that, once the server got the write of ordo's temporary file.
        const relay = await startFaultProxy({ port: real.server().port, delayMs: ONE_WAY_MS });
        try {
          const opened = await session({ ...real.peer().profile, port: relay.port });
          const partner = 'the partner’s own file';
          let planted: Promise<void> | undefined;
          watchers.push(
            watch(h.target, (event, file) => {
              if (planted !== undefined || event !== 'change' || !String(file).endsWith('.ordo-part')) return;
              planted = new Promise((resolve) => setTimeout(resolve, ONE_WAY_MS)).then(() => writeFile(join(h.target, 'COURSE.xml'), partner));
            }),
          );
          const error = expectTransferError(await failure(opened.send!(await sendItem(h.scratch, 'COURSE.xml', Buffer.from('<ordo/>')))), 'permanent');
          expect(planted, 'the partner’s file was written during the send').toBeDefined();
          await planted;
          expect(error.key).toBe('protocol.sftp.exists');
          expect(await readFile(join(h.target, 'COURSE.xml'), 'utf8')).toBe(partner);
          expect(await h.listSentNames()).toEqual(['COURSE.xml']);
        } finally {
          await relay.stop();
        }
      });
    }
  });
}
