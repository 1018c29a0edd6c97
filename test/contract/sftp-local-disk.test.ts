// sftp retrieval onto a full local disk (recus/ on a small tmpfs) against a real OpenSSH sshd: the
// failure is this machine's, never reported as the server's, and the file stays on the server.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startOpenSshServer, type OpenSshServer } from '../../fixtures/peers/sftp/openssh-server.mjs';
import { retrieve } from '../../src/core/retrieve.js';
import { t } from '../../src/i18n/index.js';
import { isTransferError } from '../../src/protocols/contract.js';
import { scenario, workspace, type Workspace } from '../helpers/workspace.js';
import { mountTmpfs, unmountAll } from '../helpers/volumes.js';

const MiB = 1024 * 1024;
let server: OpenSshServer;
let ws: Workspace | undefined;
let remoteBase: string | undefined;

beforeAll(async () => {
  server = await startOpenSshServer();
});
afterEach(async () => {
  await unmountAll();
  ws?.cleanup();
  if (remoteBase !== undefined) rmSync(remoteBase, { recursive: true, force: true });
});
afterAll(async () => {
  await unmountAll();
  await (server as OpenSshServer | undefined)?.stop(); // undefined when beforeAll failed
});

describe('sftp: a full local disk while downloading', () => {
  it('is a local failure: the file is deferred, named with the local folder, left on the server; the others come', async () => {
    const name = `full-${randomBytes(4).toString('hex')}`;
    remoteBase = join(server.files, name);
    const inbox = join(remoteBase, 'inbox');
    mkdirSync(inbox, { recursive: true });
    writeFileSync(join(inbox, 'GROS.bin'), Buffer.alloc(3 * MiB, 7));
    writeFileSync(join(inbox, 'PETIT.xml'), '<petit/>');
    utimesSync(join(inbox, 'GROS.bin'), 1000, 1000);
    const w = (ws = workspace((dir) => {
      const { source: _sendsNothing, ...retrieveOnly } = scenario('RETOURS', dir, { protocol: 'sftp', options: { inbox: `${name}/inbox` } });
      return [retrieveOnly];
    }));
    w.config.profiles.VILLE!.protocols = {
      sftp: server.profile,
    };
    const recus = mountTmpfs(join(w.root, 'recus', 'VILLE'), 2 * MiB);
    const engine = w.engine();
    const result = await retrieve(engine, { selection: { scenarios: [], profiles: [] }, listOnly: false }).finally(() => engine.close());

    expect(result.problems).toEqual([]);
    expect(result.files.map((f) => [f.name, f.status])).toEqual([
      ['GROS.bin', 'deferred'],
      ['PETIT.xml', 'received'],
    ]);
    const reason = result.files[0]!.reason ?? '';
    expect(reason).toContain(recus);
    expect(reason).toContain(String(3 * MiB));
    expect(reason).toMatch(/ENOSPC/);
    expect(reason).not.toMatch(/server|serveur/i);
    expect(readdirSync(inbox)).toEqual(['GROS.bin']);
    expect(readdirSync(recus)).toEqual(['PETIT.xml']);
  });

  it('the protocol says so itself: a TransferError marked local, about the local path', async () => {
    const name = `full-${randomBytes(4).toString('hex')}`;
    remoteBase = join(server.files, name);
    mkdirSync(join(remoteBase, 'inbox'), { recursive: true });
    writeFileSync(join(remoteBase, 'inbox', 'GROS.bin'), Buffer.alloc(3 * MiB, 7));
    const local = mountTmpfs(join(remoteBase, 'local'), 1 * MiB);
    const { sftpProtocol } = await import('../../src/protocols/sftp/protocol.js');
    const { openCounterStore } = await import('../../src/naming/index.js');
    const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined };
    const session = await sftpProtocol.open({
      profileName: 'VILLE',
      profile: server.profile,
      options: { inbox: `${name}/inbox` },
      configDir: remoteBase,
      root: join(remoteBase, 'data'),
      counters: openCounterStore({ root: join(remoteBase, 'data'), counters: { kind: 'file', path: join(remoteBase, 'data', 'c.json') } }),
      dryRun: false,
      log: quiet,
    });
    try {
      const [entry] = await session.list!();
      const dest = join(local, '.partial');
      const error = await session.fetch!(entry!, dest).then(() => undefined, (reason: unknown) => reason);
      expect(isTransferError(error) && error.local).toBe(true);
      expect(isTransferError(error) && error.key).toBe('protocol.common.localWrite');
      expect(isTransferError(error) && t(error.key, error.params, 'en')).toMatch(new RegExp(`${dest}.*ENOSPC`));
      expect(readdirSync(local)).toEqual([]);
    } finally {
      await session.close();
    }
  });
});
