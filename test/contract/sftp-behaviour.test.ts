// sftp behaviour beyond the shared contract, against ssh2's in-process server (which records every
// write and rename, and can fail on purpose): atomic publication, ambiguous failures, leftovers,
// remote folders, acknowledgement choices and filters.
import { randomBytes } from 'node:crypto';
import { existsSync, truncateSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Ssh2SftpServer } from '../../fixtures/peers/sftp/ssh2-server.mjs';
import { t } from '../../src/i18n/index.js';
// The protocols' messages join the catalog with the registry.
import '../../src/protocols/registry.js';
import type { ProtocolSession } from '../../src/protocols/contract.js';
import { MiB, sendItem, sha256 } from './files.js';
import { createSftpHarness, startSsh2Peer, type SftpHarness, type SftpPeer } from './sftp-harness.js';
import { expectTransferError, failure } from './suite.js';
import { temporaryName } from '../../src/shared/temp-names.js';
import { deadPid, ownTemporary } from '../helpers/leftovers.js';

let files: string;
let peer: SftpPeer & { server: Ssh2SftpServer };
let h: SftpHarness;
const sessions: ProtocolSession[] = [];

beforeAll(async () => {
  files = await mkdtemp(join(tmpdir(), 'ordo-ssh2-behaviour-'));
  peer = await startSsh2Peer(files);
});

afterAll(async () => {
  await (peer as typeof peer | undefined)?.stop(); // undefined when beforeAll failed
  await rm(files, { recursive: true, force: true });
});

beforeEach(async () => {
  h = await createSftpHarness(peer);
  peer.server.faults.refuseAuth(false);
  peer.server.faults.loseWrites(0);
  peer.server.faults.readAtMost(undefined);
  peer.server.faults.readsOutOfOrder(false);
});

afterEach(async () => {
  for (const session of sessions.splice(0)) await session.close();
  await h.cleanup();
});

async function session(options: Record<string, unknown> = {}, profile: Record<string, unknown> = peer.profile): Promise<ProtocolSession> {
  const opened = await h.openWith({ remoteDir: h.remoteTarget, inbox: h.remoteInbox, ...options }, profile);
  sessions.push(opened);
  return opened;
}

describe('send', () => {
  it('writes only under a hidden temporary name; the final name appears by a rename, complete', async () => {
    const opened = await session();
    const before = peer.server.events.length;
    await opened.send!(await sendItem(h.scratch, 'RETOUR_ILE_0001.xml', Buffer.alloc(2 * MiB, 1)));
    const events = peer.server.events.slice(before);
    const finalPath = `${h.remoteTarget}/RETOUR_ILE_0001.xml`;
    expect(events.filter((event) => event.type === 'open-write').map((event) => event.path)).not.toContain(finalPath);
    const rename = events.find((event) => event.type === 'rename');
    expect(rename?.to).toBe(finalPath);
    expect(rename?.from).toMatch(/\/\.RETOUR_ILE_0001\.xml\.[0-9a-f]{12}-\d+-[0-9a-f]{8}\.ordo-part$/);
  });

  it('creates the remote folder when allowed, and only then', async () => {
    const nested = `${h.remoteTarget}/2026/retours`;
    const refused = expectTransferError(await failure((await session({ remoteDir: nested })).send!(await sendItem(h.scratch, 'a.xml', Buffer.from('a')))), 'permanent');
    expect(refused.key).toBe('protocol.sftp.remoteDirMissing');
    expect(refused.connection).toBe(true);
    await (await session({ remoteDir: nested, createRemoteDir: true })).send!(await sendItem(h.scratch, 'a.xml', Buffer.from('a')));
    expect(await readFile(join(h.target, '2026', 'retours', 'a.xml'), 'utf8')).toBe('a');
  });

  it('a failure after the rename was asked for is uncertain, and verify then finds the file', async () => {
    const opened = await session();
    const item = await sendItem(h.scratch, 'ambigu.xml', Buffer.from('<statut>clos</statut>'));
    peer.server.faults.cutAfterNextRename();
    const error = expectTransferError(await failure(opened.send!(item)), 'transient');
    expect(error.uncertain).toBe(true);
    expect(await opened.verify!(item)).toBe('present');
    expect(await h.listSentNames()).toEqual(['ambigu.xml']);
  });

  it('verify tells a same-size file with other content from the one sent', async () => {
    const opened = await session();
    const item = await sendItem(h.scratch, 'same-size.xml', Buffer.from('AAAA'));
    await opened.send!(item);
    await writeFile(join(h.target, 'same-size.xml'), 'BBBB');
    expect(await opened.verify!(item)).toBe('absent');
  });

  it('a temporary file left by a cut upload is removed as soon as the server is reachable again', async () => {
    const opened = await session();
    peer.faults.cutUploadHalfway!();
    const item = await sendItem(h.scratch, 'coupe.bin', Buffer.alloc(8 * MiB, 2));
    expectTransferError(await failure(opened.send!(item)), 'transient');
    expect((await h.listSentNames()).some((name) => name.endsWith('.ordo-part'))).toBe(true);
    await opened.send!(item);
    expect(await h.listSentNames()).toEqual(['coupe.bin']);
  });

  it('a file the server stored short is not published, whether sent in one request or many', async () => {
    const opened = await session();
    for (const [name, size] of [['court.xml', 4096], ['long.bin', 2 * MiB]] as const) {
      // Every write of the file is acknowledged and none is stored: the stored size gives it away.
      peer.server.faults.loseWrites(1000);
      const error = expectTransferError(await failure(opened.send!(await sendItem(h.scratch, name, Buffer.alloc(size, 3)))), 'transient');
      expect(error.key).toBe('protocol.sftp.sizeMismatch');
      expect(error.params).toMatchObject({ name, expected: size, actual: 0 });
      expect(await h.listSentNames()).toEqual([]);
      peer.server.faults.loseWrites(0);
    }
    await opened.send!(await sendItem(h.scratch, 'court.xml', Buffer.alloc(4096, 3)));
    expect(await h.listSentNames()).toEqual(['court.xml']);
  });

  it('a small file takes three requests that wait for an answer, as with OpenSSH put: open, then write-stat-close, then rename', async () => {
    const opened = await session();
    await opened.send!(await sendItem(h.scratch, 'premier.xml', Buffer.from('1')));
    const before = peer.server.events.length;
    await opened.send!(await sendItem(h.scratch, 'petit.xml', Buffer.from('<petit/>')));
    const requests = peer.server.events.slice(before).filter((event) => event.type === 'request');
    const roundTrips = requests.filter((event) => event.roundTrip).map((event) => event.name);
    expect(roundTrips).toEqual(['OPEN', 'WRITE', 'RENAME']);
    expect(requests.map((event) => event.name)).toEqual(['OPEN', 'WRITE', 'FSTAT', 'CLOSE', 'STAT', 'RENAME']);
    expect(await h.readSent('petit.xml')).toEqual(Buffer.from('<petit/>'));
  });

  it('told the next file, opens its temporary file with the rename: two round trips a file, write-stat-close then rename', async () => {
    const opened = await session();
    await opened.send!(await sendItem(h.scratch, 'premier.xml', Buffer.from('1')));
    const names = ['a.xml', 'b.xml', 'c.xml'];
    const before = peer.server.events.length;
    for (const [index, name] of names.entries()) {
      const nextName = names[index + 1];
      await opened.send!(await sendItem(h.scratch, name, Buffer.from(`<${name}/>`)), nextName === undefined ? {} : { nextName });
    }
    const requests = peer.server.events.slice(before).filter((event) => event.type === 'request');
    expect(requests.filter((event) => event.roundTrip).map((event) => event.name)).toEqual(['OPEN', 'WRITE', 'RENAME', 'WRITE', 'RENAME', 'WRITE', 'RENAME']);
    expect(requests.map((event) => event.name)).toEqual([
      ...['OPEN', 'WRITE', 'FSTAT', 'CLOSE', 'STAT', 'RENAME', 'OPEN'],
      ...['WRITE', 'FSTAT', 'CLOSE', 'STAT', 'RENAME', 'OPEN'],
      ...['WRITE', 'FSTAT', 'CLOSE', 'STAT', 'RENAME'],
    ]);
    // Each file went through a temporary file of its own name, opened before its turn.
    const renames = peer.server.events.slice(before).filter((event) => event.type === 'rename');
    for (const [index, name] of names.entries()) expect(renames[index]?.from).toMatch(new RegExp(`/\\.${name.replace('.', '\\.')}\\.[0-9a-f]{12}-\\d+-[0-9a-f]{8}\\.ordo-part$`));
    expect((await h.listSentNames()).sort()).toEqual([...names, 'premier.xml']);
    for (const name of names) expect(await h.readSent(name)).toEqual(Buffer.from(`<${name}/>`));
  });

  it('a file announced as next that does not come leaves nothing on the server, whatever comes instead', async () => {
    const opened = await session();
    await opened.send!(await sendItem(h.scratch, 'un.xml', Buffer.from('1')), { nextName: 'jamais-envoye.xml' });
    expect((await h.listSentNames()).filter((name) => name.startsWith('.jamais-envoye.xml.'))).toHaveLength(1);
    // Another small file, then a large one, each after a wrong announcement.
    await opened.send!(await sendItem(h.scratch, 'deux.xml', Buffer.from('2')), { nextName: 'toujours-pas.xml' });
    await opened.send!(await sendItem(h.scratch, 'gros.bin', Buffer.alloc(2 * MiB, 5)), { nextName: 'ni-celui-ci.xml' });
    const left = await h.listSentNames();
    expect(left.filter((name) => !name.startsWith('.')).sort()).toEqual(['deux.xml', 'gros.bin', 'un.xml']);
    expect(left.filter((name) => name.startsWith('.'))).toEqual([expect.stringMatching(/^\.ni-celui-ci\.xml\.[0-9a-f]{12}-\d+-[0-9a-f]{8}\.ordo-part$/)]);
    await opened.close();
    expect((await h.listSentNames()).sort()).toEqual(['deux.xml', 'gros.bin', 'un.xml']);
  });

  it('uses the temporary file opened ahead whatever the size of the file that comes: nothing is opened for nothing', async () => {
    const opened = await session();
    await opened.send!(await sendItem(h.scratch, 'premier.xml', Buffer.from('1')));
    const before = peer.server.events.length;
    // The file announced after the small one needs several requests (this server takes 32 KiB each).
    const moyen = Buffer.alloc(100 * 1024, 6);
    await opened.send!(await sendItem(h.scratch, 'petit.xml', Buffer.from('<petit/>')), { nextName: 'moyen.bin' });
    await opened.send!(await sendItem(h.scratch, 'moyen.bin', moyen), { nextName: 'dernier.xml' });
    await opened.send!(await sendItem(h.scratch, 'dernier.xml', Buffer.from('<dernier/>')));
    const events = peer.server.events.slice(before);
    expect(events.filter((event) => event.type === 'open-write').map((event) => event.path?.replace(/\.[0-9a-f]{12}-\d+-[0-9a-f]{8}\.ordo-part$/, ''))).toEqual(
      ['petit.xml', 'moyen.bin', 'dernier.xml'].map((name) => `${h.remoteTarget}/.${name}`),
    );
    expect(events.filter((event) => event.type === 'request' && event.name === 'REMOVE')).toEqual([]);
    expect(sha256((await h.readSent('moyen.bin'))!)).toBe(sha256(moyen));
    expect((await h.listSentNames()).sort()).toEqual(['dernier.xml', 'moyen.bin', 'petit.xml', 'premier.xml']);
  });

  it('a server error during a write says what the server said, and a full disk only when the server says so', async () => {
    const opened = await session();
    peer.server.faults.failWrites({ code: 4, message: "can't seek in file" });
    for (const [name, size] of [['seek.xml', 100], ['seek.bin', 2 * MiB]] as const) {
      const error = expectTransferError(await failure(opened.send!(await sendItem(h.scratch, name, Buffer.alloc(size, 1)))), 'transient');
      expect(error.key, name).toBe('protocol.sftp.failure');
      expect(error.params).toMatchObject({ code: 'SFTP 4', reason: "can't seek in file" });
      for (const lang of ['en', 'fr'] as const) {
        const text = `${t(error.key, error.params, lang)} ${t(error.fixKey!, error.params, lang)}`;
        expect(text).toContain("can't seek in file");
        expect(text).not.toMatch(/full|quota|disque|plein|space|espace/i);
      }
    }
    peer.server.faults.failWrites({ code: 4, message: 'No space left on device' });
    const full = expectTransferError(await failure(opened.send!(await sendItem(h.scratch, 'plein.bin', Buffer.alloc(2 * MiB, 1)))), 'transient');
    expect(full.key).toBe('protocol.sftp.noSpace');
    expect(t(full.key, full.params, 'en')).toContain('No space left on device');
    peer.server.faults.failWrites(undefined);
    expect(await h.listSentNames()).toEqual([]);
  });

  it('a temporary file opened ahead is removed when the connection is lost, once connected again', async () => {
    const opened = await session();
    await opened.send!(await sendItem(h.scratch, 'avant.xml', Buffer.from('1')), { nextName: 'apres.xml' });
    expect((await h.listSentNames()).some((name) => name.startsWith('.apres.xml.'))).toBe(true);
    peer.server.faults.cutConnections();
    // As the engine would: a send that finds the connection gone is tried again.
    const item = await sendItem(h.scratch, 'apres.xml', Buffer.from('2'));
    await opened.send!(item).catch(() => opened.send!(item));
    expect((await h.listSentNames()).sort()).toEqual(['apres.xml', 'avant.xml']);
    expect(await h.readSent('apres.xml')).toEqual(Buffer.from('2'));
  });

  it('refuses a queued file that is no longer as long as recorded, and leaves nothing on the server', async () => {
    const opened = await session();
    for (const [name, size] of [['grandi.xml', 100], ['grandi.bin', 2 * MiB]] as const) {
      const item = await sendItem(h.scratch, name, Buffer.alloc(size, 4));
      await writeFile(item.path, Buffer.alloc(size + 10, 4));
      const error = expectTransferError(await failure(opened.send!(item)), 'permanent');
      expect(error.key).toBe('protocol.common.sourceChanged');
      expect(await h.listSentNames()).toEqual([]);
    }
  });

  it('a server that answers the stat of a handle before its write still gets the file', async () => {
    const hasty = await startSsh2Peer(files, { statBeforeWrites: true });
    try {
      const opened = await h.openWith({ remoteDir: h.remoteTarget }, hasty.profile);
      sessions.push(opened);
      hasty.server.faults.delayWrites(50);
      await opened.send!(await sendItem(h.scratch, 'lent.xml', Buffer.from('<lent/>')));
      expect(await h.readSent('lent.xml')).toEqual(Buffer.from('<lent/>'));
    } finally {
      await hasty.stop();
    }
  });

  it('never replaces a file, even on a server whose rename would', async () => {
    const replacing = await startSsh2Peer(files, { renameReplaces: true });
    try {
      const opened = await h.openWith({ remoteDir: h.remoteTarget }, replacing.profile);
      sessions.push(opened);
      await writeFile(join(h.target, 'deja-la.xml'), 'the partner’s copy');
      const error = expectTransferError(await failure(opened.send!(await sendItem(h.scratch, 'deja-la.xml', Buffer.from('ours')))), 'permanent');
      expect(error.key).toBe('protocol.sftp.exists');
      expect(await readFile(join(h.target, 'deja-la.xml'), 'utf8')).toBe('the partner’s copy');
      expect(await readdir(h.target)).toEqual(['deja-la.xml']);
    } finally {
      await replacing.stop();
    }
  });

  it('sends and fetches one request at a time with serial=true', async () => {
    const opened = await session({}, { ...peer.profile, serial: 'yes' });
    const data = Buffer.alloc(3 * MiB + 17, 9);
    await opened.send!(await sendItem(h.scratch, 'serie.bin', data));
    // Large buffers are compared by hash: deep equality on megabytes is very slow.
    expect(sha256((await h.readSent('serie.bin'))!)).toBe(sha256(data));
    await h.putRemote('retour.bin', data);
    const [entry] = await opened.list!();
    await opened.fetch!(entry!, join(h.scratch, 'retour.bin'));
    expect(sha256(await readFile(join(h.scratch, 'retour.bin')))).toBe(sha256(data));
  });
});

describe('fetch', () => {
  const data = randomBytes(5 * MiB + 4321);

  it('asked for it, hashes what it writes: the sha256 it reports is the file’s; not asked, hashes nothing', async () => {
    const opened = await session();
    await h.putRemote('retour.bin', data);
    const [entry] = await opened.list!();
    const result = await opened.fetch!(entry!, join(h.scratch, 'retour.bin'), { sha256: true });
    expect(result).toEqual({ bytes: data.length, sha256: sha256(data) });
    expect(sha256(await readFile(join(h.scratch, 'retour.bin')))).toBe(sha256(data));
    expect(await opened.fetch!(entry!, join(h.scratch, 'again.bin'))).toEqual({ bytes: data.length });
  });

  it('puts the bytes in order whatever the order the answers come in, and asks again for what a short answer left out', async () => {
    const opened = await session();
    await h.putRemote('retour.bin', data);
    const [entry] = await opened.list!();
    peer.server.faults.readsOutOfOrder();
    peer.server.faults.readAtMost(7001);
    const seen: number[] = [];
    const result = await opened.fetch!(entry!, join(h.scratch, 'retour.bin'), { sha256: true, onProgress: (bytes) => seen.push(bytes) });
    expect(result).toEqual({ bytes: data.length, sha256: sha256(data) });
    expect(sha256(await readFile(join(h.scratch, 'retour.bin')))).toBe(sha256(data));
    expect(seen.at(-1)).toBe(data.length);
    for (let i = 1; i < seen.length; i += 1) expect(seen[i]!).toBeGreaterThan(seen[i - 1]!);
  });

  it('a file cut short on the server while it is fetched is a transient failure, and nothing is kept', async () => {
    const opened = await session();
    await h.putRemote('retour.bin', data);
    const [entry] = await opened.list!();
    peer.server.faults.readsOutOfOrder();
    const dest = join(h.scratch, 'retour.bin');
    let cut = false;
    const error = await failure(
      opened.fetch!(entry!, dest, {
        onProgress: () => {
          if (!cut) truncateSync(join(h.inbox, 'retour.bin'), 2 * MiB + 5);
          cut = true;
        },
      }),
    );
    expectTransferError(error, 'transient');
    expect((error as { key?: string }).key).toBe('protocol.common.truncated');
    expect(existsSync(dest)).toBe(false);
  });
});

describe('authentication', () => {
  it('a refused password is permanent and connection-level, and never shown', async () => {
    for (const profile of [{ ...peer.profile, password: 'wrong-password' }, peer.profile]) {
      if (profile === peer.profile) peer.server.faults.refuseAuth(true);
      const error = expectTransferError(await failure((await session({}, profile)).list!()), 'permanent');
      expect(error.key).toBe('protocol.sftp.authRefused');
      expect(error.connection).toBe(true);
      expect(JSON.stringify(error.params)).not.toMatch(/password/);
    }
  });
});

describe('leftovers of killed runs in the remote folder', () => {
  it('the first send of a session removes those of this host’s dead runs (one listing), and only those', async () => {
    const pid = deadPid();
    const dead = [ownTemporary('tue.xml', pid), ownTemporary('tue2.xml', pid)];
    const old = '.vieux.xml.0123456789ab.ordo-part';
    const live = temporaryName('en-cours.xml');
    const foreign = '.autre.xml.0123456789ab-4242-00000000.ordo-part';
    for (const name of [...dead, old, live, foreign]) await writeFile(join(h.target, name), 'x');
    const twoDaysAgo = Date.now() / 1000 - 2 * 24 * 3600;
    await utimes(join(h.target, old), twoDaysAgo, twoDaysAgo);
    const opened = await session();
    const before = peer.server.events.length;
    await opened.send!(await sendItem(h.scratch, 'un.xml', Buffer.from('1')));
    await opened.send!(await sendItem(h.scratch, 'deux.xml', Buffer.from('2')));
    expect((await h.listSentNames()).sort()).toEqual(['deux.xml', 'un.xml', live, foreign].sort());
    const listings = peer.server.events.slice(before).filter((event) => event.type === 'request' && event.name === 'OPENDIR');
    expect(listings).toHaveLength(1);
    expect(h.logged.find((line) => line.key === 'protocol.sftp.leftoversRemoved')?.params).toMatchObject({ count: 3 });
  });

  it('diagnose reports what remains, with the fix', async () => {
    const pid = deadPid();
    await writeFile(join(h.target, ownTemporary('tue.xml', pid)), 'x');
    await writeFile(join(h.target, '.autre.xml.0123456789ab-4242-00000000.ordo-part'), 'x');
    await writeFile(join(h.target, temporaryName('en-cours.xml')), 'x');
    const write = (await (await session()).check!()).find((result) => result.id === 'sftp.write');
    expect(write).toMatchObject({ status: 'warn', key: 'protocol.sftp.check.staleTemp', params: { count: 2, removable: 1, unproven: 1 }, fixKey: 'protocol.sftp.check.staleTemp.fix' });
  });
});

describe('list and acknowledge', () => {
  it('lists plain files matching the filter, whatever their case; never hidden, unfinished, folders or links', async () => {
    for (const name of ['ILE_0001.xml', 'ile_0002.XML', 'RCO_0001.pdf', 'notes.txt', '.cache.xml', 'x.xml.filepart', 'y.xml.ordo-part']) {
      await h.putRemote(name, Buffer.from(name));
    }
    await mkdir(join(h.inbox, 'dossier.xml'));
    await symlink(join(h.scratch, 'ailleurs.xml'), join(h.inbox, 'lien.xml'));
    const names = (await (await session({ filter: '*.xml;RCO_*' })).list!()).map((entry) => entry.name).sort();
    expect(names).toEqual(['ILE_0001.xml', 'RCO_0001.pdf', 'ile_0002.XML']);
  });

  it('reports the folders and links it leaves out; every plain file is listed, hostile names included', async () => {
    for (const name of ['ILE_0001.xml', 'back\\slash.xml', 'new\nline.xml', 'notes.txt']) await h.putRemote(name, Buffer.from(name));
    await mkdir(join(h.inbox, 'dossier.xml'));
    await symlink(join(h.scratch, 'ailleurs.xml'), join(h.inbox, 'lien.xml'));
    // The move: folder inside the inbox is ordo's own: not reported.
    await mkdir(join(h.inbox, 'faits.xml'));
    const skipped: Array<{ name: string; key: string }> = [];
    const opened = await session({ filter: '*.xml', afterRetrieve: `move:${h.remoteInbox}/faits.xml/` });
    const entries = await opened.list!({ onSkipped: ({ name, key }) => skipped.push({ name, key }) });
    // Hostile names are offered as they are (the core names them safely); only what is no plain file is left out.
    expect(entries.map((entry) => entry.name).sort()).toEqual(['ILE_0001.xml', 'back\\slash.xml', 'new\nline.xml']);
    expect(skipped.sort((a, b) => (a.name < b.name ? -1 : 1))).toEqual([
      { name: 'dossier.xml', key: 'protocol.common.skipped.folder' },
      { name: 'lien.xml', key: 'protocol.common.skipped.link' },
    ]);
  });

  it('lists oldest first', async () => {
    for (const [name, seconds] of [['c.xml', 3000], ['b.xml', 1000], ['a.xml', 3000]] as const) {
      await h.putRemote(name, Buffer.from(name));
      await utimes(join(h.inbox, name), seconds, seconds);
    }
    expect((await (await session()).list!()).map((entry) => entry.name)).toEqual(['b.xml', 'a.xml', 'c.xml']);
  });

  it('moves acknowledged entries into a remote done folder, numbering when the name is taken', async () => {
    const opened = await session({ afterRetrieve: `move:${h.remoteInbox}/traites` });
    await h.putRemote('ILE_0001.xml', Buffer.from('one'));
    await opened.acknowledge!((await opened.list!())[0]!);
    await h.putRemote('ILE_0001.xml', Buffer.from('two'));
    await opened.acknowledge!((await opened.list!())[0]!);
    expect((await readdir(join(h.inbox, 'traites'))).sort()).toEqual(['ILE_0001-1.xml', 'ILE_0001.xml']);
    expect(await readFile(join(h.inbox, 'traites', 'ILE_0001-1.xml'), 'utf8')).toBe('two');
    expect(await opened.list!()).toEqual([]);
  });

  it('does not delete an entry that changed since it was listed', async () => {
    const opened = await session();
    await h.putRemote('ILE_0003.xml', Buffer.from('v1'));
    const [entry] = await opened.list!();
    await writeFile(join(h.inbox, 'ILE_0003.xml'), 'version 2, longer');
    const error = expectTransferError(await failure(opened.acknowledge!(entry!)), 'transient');
    expect(error.key).toBe('protocol.sftp.changed');
    expect(await readFile(join(h.inbox, 'ILE_0003.xml'), 'utf8')).toBe('version 2, longer');
  });

  it('refuses entries that are not directly in the inbox', async () => {
    const opened = await session();
    for (const id of [`${h.remoteTarget}/x.xml`, `${h.remoteInbox}/../x.xml`, `${h.remoteInbox}/sub/x.xml`]) {
      const error = expectTransferError(await failure(opened.fetch!({ id, name: 'x.xml' }, join(h.scratch, 'x'))), 'permanent');
      expect(error.key).toBe('protocol.sftp.outsideInbox');
    }
  });

  it('says when the inbox is missing, as a connection-level problem', async () => {
    const error = expectTransferError(await failure((await session({ inbox: `${h.remoteInbox}/nope` })).list!()), 'permanent');
    expect(error.key).toBe('protocol.sftp.inboxMissing');
    expect(error.connection).toBe(true);
  });
});
