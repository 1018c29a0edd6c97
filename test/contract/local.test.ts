import { readdirSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, rmdir, stat, symlink, utimes, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { t } from '../../src/i18n/index.js';
import { TEMP_FOLDER } from '../../src/protocols/common/temporaries.js';
import { temporaryName } from '../../src/shared/temp-names.js';
import { deadPid, ownTemporary } from '../helpers/leftovers.js';
import { catalogKeys } from '../../src/i18n/index.js';
// The protocols' messages join the catalog with the registry.
import '../../src/protocols/registry.js';
import type { ProtocolSession, RemoteEntry } from '../../src/protocols/contract.js';
import { localProtocol } from '../../src/protocols/local/protocol.js';
import { sendItem } from './files.js';
import { createLocalHarness, type LocalHarness } from './local-harness.js';
import { defineContractSuite, expectTransferError, unable } from './suite.js';

const NO_CUT = unable('the local peer is a folder of this machine: there is no transfer for it to cut half-way');
defineContractSuite('local', () => createLocalHarness(), { faults: NO_CUT, unfetchableEntries: true });
defineContractSuite('local (afterRetrieve=keep)', () => createLocalHarness({ options: { afterRetrieve: 'keep' } }), { faults: NO_CUT, unfetchableEntries: true });

const runsAsRoot = process.getuid?.() === 0;

describe('local protocol', () => {
  let h: LocalHarness;
  let scratch: string;
  const sessions: ProtocolSession[] = [];

  async function openWith(options: Record<string, unknown>): Promise<ProtocolSession> {
    const session = await h.openWith(options);
    sessions.push(session);
    return session;
  }

  async function listedNames(session: ProtocolSession): Promise<string[]> {
    return (await session.list!()).map((entry) => entry.name);
  }

  beforeEach(async () => {
    h = await createLocalHarness();
    scratch = await mkdtemp(join(tmpdir(), 'ordo-local-test-'));
  });

  afterEach(async () => {
    for (const session of sessions.splice(0)) await session.close();
    await h.cleanup();
    await rm(scratch, { recursive: true, force: true });
  });

  describe('options', () => {
    it('accepts every documented form', () => {
      for (const afterRetrieve of ['delete', 'keep', 'move:done', 'MOVE: C:\\archive', 'Delete']) {
        expect(localProtocol.validate!({}, { target: 'out', inbox: 'in', afterRetrieve, filter: '*.xml;*.pdf' })).toEqual([]);
      }
      expect(localProtocol.validate!({}, { filter: ['mandat*', '{a,b}*.xml'] })).toEqual([]);
      expect(localProtocol.validate!({}, {})).toEqual([]);
    });

    it('reports each wrong key with what is accepted', () => {
      const problems = localProtocol.validate!({}, { target: 5, inbox: '', afterRetrieve: 'archive', filter: 'sub/*.xml' });
      expect(problems).toEqual([
        { where: 'options', key: 'target', messageKey: 'protocol.local.option.notPath', params: { key: 'target' } },
        { where: 'options', key: 'inbox', messageKey: 'protocol.local.option.notPath', params: { key: 'inbox' } },
        { where: 'options', key: 'afterRetrieve', messageKey: 'protocol.local.option.afterRetrieve', params: { value: 'archive' } },
        { where: 'options', key: 'filter', messageKey: 'protocol.local.option.filterPath', params: { pattern: 'sub/*.xml' } },
      ]);
      expect(localProtocol.validate!({}, { afterRetrieve: 'move:' })[0]?.key).toBe('afterRetrieve');
      expect(localProtocol.validate!({}, { filter: 42 })[0]?.messageKey).toBe('protocol.local.option.filter');
    });

    it('refuses to open with invalid options', async () => {
      const error = await h.openWith({ afterRetrieve: 'archive' }).then(() => undefined, (reason: unknown) => reason);
      expectTransferError(error, 'permanent');
    });

    it('refuses to move received files into the inbox itself', async () => {
      const error = await h.openWith({ inbox: 'inbox', afterRetrieve: `move:${h.inbox}` }).catch((reason: unknown) => reason);
      expect(expectTransferError(error, 'permanent').key).toBe('protocol.local.option.moveIntoInbox');
    });

    it('resolves relative folders against the configuration folder', async () => {
      const session = await openWith({ target: 'target' });
      const receipt = await session.send!(await sendItem(scratch, 'a.xml', Buffer.from('a')));
      expect(receipt).toEqual({ remoteId: join(h.target, 'a.xml'), state: 'acknowledged' });
    });
  });

  describe('send', () => {
    it('says which folder is missing, as a permanent connection-level error', async () => {
      const session = await openWith({ target: 'nowhere' });
      const error = expectTransferError(
        await session.send!(await sendItem(scratch, 'a.xml', Buffer.from('a'))).catch((reason: unknown) => reason),
        'permanent',
      );
      expect(error.key).toBe('protocol.local.targetMissing');
      expect(error.params.path).toBe(join(h.root, 'nowhere'));
      expect(error.connection).toBe(true);
    });

    it('needs options.target', async () => {
      const session = await openWith({ inbox: 'inbox' });
      const error = await session.send!(await sendItem(scratch, 'a.xml', Buffer.from('a'))).catch((reason: unknown) => reason);
      expect(expectTransferError(error, 'permanent').key).toBe('protocol.local.noTarget');
    });

    it('refuses a target that is a file', async () => {
      await writeFile(join(h.root, 'plain-file'), 'x');
      const session = await openWith({ target: 'plain-file' });
      const error = await session.send!(await sendItem(scratch, 'a.xml', Buffer.from('a'))).catch((reason: unknown) => reason);
      expect(expectTransferError(error, 'permanent').key).toBe('protocol.local.notFolder');
    });

    it('does not overwrite a file that appears at the final name during the copy', async () => {
      const session = await openWith({ target: 'target', inbox: 'inbox' });
      const item = await sendItem(scratch, 'race.xml', Buffer.alloc(4 * 1024 * 1024, 1));
      let planted = false;
      const onProgress = (): void => {
        if (planted) return;
        planted = true;
        writeFileSync(join(h.target, 'race.xml'), 'the other writer');
      };
      const error = await session.send!(item, { onProgress }).catch((reason: unknown) => reason);
      expect(expectTransferError(error, 'permanent').key).toBe('protocol.local.exists');
      expect(await readFile(join(h.target, 'race.xml'), 'utf8')).toBe('the other writer');
      expect(await h.listSentNames()).toEqual(['race.xml']);
    });

    it('refuses a queued file that no longer matches what was recorded', async () => {
      const session = await openWith({ target: 'target', inbox: 'inbox' });
      const item = await sendItem(scratch, 'changed.xml', Buffer.from('recorded content'));
      await writeFile(item.path, 'edited content!!');
      const error = await session.send!(item).catch((reason: unknown) => reason);
      expect(expectTransferError(error, 'permanent').key).toBe('protocol.common.sourceChanged');
      expect(await h.listSentNames()).toEqual([]);
    });

    it('says so when the file to send has disappeared', async () => {
      const session = await openWith({ target: 'target', inbox: 'inbox' });
      const item = await sendItem(scratch, 'gone.xml', Buffer.from('x'));
      await rm(item.path);
      const error = await session.send!(item).catch((reason: unknown) => reason);
      expect(expectTransferError(error, 'permanent').key).toBe('protocol.local.sourceMissing');
      expect(await h.listSentNames()).toEqual([]);
    });

    it('writes the temporary file in the hidden .ordo-part sub-folder: no file of the target is ever a temporary', async () => {
      const session = await openWith({ target: 'target', inbox: 'inbox' });
      const item = await sendItem(scratch, 'PES_TEMP.xml', Buffer.alloc(4 * 1024 * 1024, 1));
      const seen: string[][] = [];
      await session.send!(item, {
        onProgress: () => {
          seen.push(readdirSync(h.target, { withFileTypes: true }).filter((entry) => !entry.isDirectory()).map((entry) => entry.name));
          seen.push(readdirSync(join(h.target, TEMP_FOLDER)).map((name) => `${TEMP_FOLDER}/${name}`));
        },
      });
      expect(seen.flat().filter((name) => name.startsWith(`${TEMP_FOLDER}/`))).not.toEqual([]);
      expect(seen.flat().filter((name) => !name.startsWith(`${TEMP_FOLDER}/`) && name !== 'PES_TEMP.xml')).toEqual([]);
      expect(await h.listSentNames()).toEqual(['PES_TEMP.xml']);
      // Once the session ends, nothing of ordo's stays in the partner's view, not even the empty sub-folder.
      await session.close();
      expect(await readdir(h.target)).toEqual(['PES_TEMP.xml']);
    });

    it('at close, leaves the sub-folder alone while it holds another run\'s file in progress', async () => {
      const session = await openWith({ target: 'target', inbox: 'inbox' });
      await session.send!(await sendItem(scratch, 'a.xml', Buffer.from('a')));
      const other = join(h.target, TEMP_FOLDER, temporaryName('b.xml'));
      await writeFile(other, 'being written by another run');
      await session.close();
      expect(await readdir(join(h.target, TEMP_FOLDER))).toEqual([basename(other)]);
    });

    it('a sub-folder another run removed between two sends (its end, the folder empty) is made again', async () => {
      const session = await openWith({ target: 'target', inbox: 'inbox' });
      await session.send!(await sendItem(scratch, 'a.xml', Buffer.from('a')));
      await rmdir(join(h.target, TEMP_FOLDER));
      await session.send!(await sendItem(scratch, 'b.xml', Buffer.from('b')));
      expect((await readdir(h.target)).sort()).toEqual([TEMP_FOLDER, 'a.xml', 'b.xml']);
      expect(await readdir(join(h.target, TEMP_FOLDER))).toEqual([]);
      await session.close();
      expect((await readdir(h.target)).sort()).toEqual(['a.xml', 'b.xml']);
    });

    it('a sub-folder replaced by a file between two sends: the next file is written in the target itself', async () => {
      const session = await openWith({ target: 'target', inbox: 'inbox' });
      await session.send!(await sendItem(scratch, 'a.xml', Buffer.from('a')));
      await rmdir(join(h.target, TEMP_FOLDER));
      await writeFile(join(h.target, TEMP_FOLDER), 'a file in the way');
      await session.send!(await sendItem(scratch, 'b.xml', Buffer.from('b')));
      expect((await readdir(h.target)).sort()).toEqual([TEMP_FOLDER, 'a.xml', 'b.xml']);
      expect(await readFile(join(h.target, 'b.xml'), 'utf8')).toBe('b');
      await session.close();
    });

    it('writes in the target itself when the sub-folder cannot be made, and says so at debug level', async () => {
      await writeFile(join(h.target, TEMP_FOLDER), 'a file in the way');
      const session = await openWith({ target: 'target', inbox: 'inbox' });
      await session.send!(await sendItem(scratch, 'a.xml', Buffer.from('a')));
      await session.send!(await sendItem(scratch, 'b.xml', Buffer.from('b')));
      expect((await readdir(h.target)).sort()).toEqual([TEMP_FOLDER, 'a.xml', 'b.xml']);
      expect(h.logged.filter((line) => line.key === 'protocol.local.tempInTarget').map((line) => line.level)).toEqual(['debug']);
    });

    it('the first send of a session removes the temporary files of this host’s dead runs, and only those', async () => {
      const pid = deadPid();
      await mkdir(join(h.target, TEMP_FOLDER));
      const dead = [join(h.target, ownTemporary('killed.xml', pid)), join(h.target, TEMP_FOLDER, ownTemporary('killed2.xml', pid))];
      const old = join(h.target, TEMP_FOLDER, '.old.xml.0123456789ab.ordo-part');
      const live = join(h.target, TEMP_FOLDER, temporaryName('live.xml'));
      const foreign = join(h.target, TEMP_FOLDER, '.foreign.xml.0123456789ab-4242-00000000.ordo-part');
      for (const path of [...dead, old, live, foreign]) await writeFile(path, 'x');
      const twoDaysAgo = Date.now() / 1000 - 2 * 24 * 3600;
      await utimes(old, twoDaysAgo, twoDaysAgo);
      const session = await openWith({ target: 'target', inbox: 'inbox' });
      await session.send!(await sendItem(scratch, 'a.xml', Buffer.from('a')));
      expect((await h.listSentNames()).sort()).toEqual(['a.xml', `${TEMP_FOLDER}/${basename(foreign)}`, `${TEMP_FOLDER}/${basename(live)}`].sort());
      expect(h.logged.find((line) => line.key === 'protocol.local.leftoversRemoved')?.params).toMatchObject({ count: 3 });
    });

    it('verify also removes the temporary files of this host’s dead runs: a crash after the final name, with no send to follow', async () => {
      // A run killed between the hard link to the final name and the removal of the temporary name.
      const delivered = await sendItem(scratch, 'livre.xml', Buffer.from('<livre/>'));
      const first = await openWith({ target: 'target', inbox: 'inbox' });
      await first.send!(delivered);
      await first.close();
      await mkdir(join(h.target, TEMP_FOLDER), { recursive: true });
      await writeFile(join(h.target, TEMP_FOLDER, ownTemporary('livre.xml', deadPid())), '<livre/>');
      const session = await openWith({ target: 'target', inbox: 'inbox' });
      expect(await session.verify!(delivered)).toBe('present');
      expect(await h.listSentNames()).toEqual(['livre.xml']);
    });

    it('sends a file whose name is as long as the filesystem allows', async () => {
      const session = await openWith({ target: 'target', inbox: 'inbox' });
      const name = `${'é'.repeat(120)}.xml`;
      await session.send!(await sendItem(scratch, name, Buffer.from('long')));
      expect(await h.listSentNames()).toEqual([name]);
    });

    it('verify tells a same-size file with other content from the one sent', async () => {
      const session = await openWith({ target: 'target', inbox: 'inbox' });
      const item = await sendItem(scratch, 'same-size.xml', Buffer.from('AAAA'));
      await session.send!(item);
      await writeFile(join(h.target, 'same-size.xml'), 'BBBB');
      expect(await session.verify!(item)).toBe('absent');
    });
  });

  describe('list', () => {
    it('ignores hidden, temporary and partial files, folders and symbolic links', async () => {
      for (const name of ['ok.xml', '.hidden.xml', '.x.1234.ordo-part', 'upload.part', 'dl.PARTIAL', 'w.filepart', 'x.tmp', 'backup~', '~$lock.docx']) {
        await writeFile(join(h.inbox, name), 'x');
      }
      await mkdir(join(h.inbox, 'folder.xml'));
      await writeFile(join(h.inbox, 'folder.xml', 'inside.xml'), 'x');
      await symlink(join(h.root, 'outside.xml'), join(h.inbox, 'link.xml'));
      await writeFile(join(h.root, 'outside.xml'), 'secret');
      const session = await openWith({ target: 'target', inbox: 'inbox' });
      expect(await listedNames(session)).toEqual(['ok.xml']);
    });

    it('reports the folders and links it leaves out; every plain file is listed, hostile names included', async () => {
      await writeFile(join(h.inbox, 'ok.xml'), 'x');
      await writeFile(join(h.inbox, 'back\\slash.xml'), 'x');
      await writeFile(join(h.inbox, 'new\nline.xml'), 'x');
      await writeFile(join(h.inbox, '.hidden.xml'), 'x');
      await writeFile(join(h.inbox, 'w.filepart'), 'x');
      await mkdir(join(h.inbox, 'folder.xml'));
      await writeFile(join(h.root, 'outside.xml'), 'secret');
      await symlink(join(h.root, 'outside.xml'), join(h.inbox, 'link.xml'));
      // The move: folder inside the inbox is ordo's own: not reported.
      await mkdir(join(h.inbox, 'done.xml'));
      const session = await openWith({ target: 'target', inbox: 'inbox', filter: '*.xml', afterRetrieve: 'move:inbox/done.xml' });
      const skipped: Array<{ name: string; key: string }> = [];
      const entries = await session.list!({ onSkipped: ({ name, key }) => skipped.push({ name, key }) });
      // Hostile names are offered as they are (the core names them safely); only what is no plain file is left out.
      expect(entries.map((entry) => entry.name).sort()).toEqual(['back\\slash.xml', 'new\nline.xml', 'ok.xml']);
      expect(skipped.sort((a, b) => (a.name < b.name ? -1 : 1))).toEqual([
        { name: 'folder.xml', key: 'protocol.common.skipped.folder' },
        { name: 'link.xml', key: 'protocol.common.skipped.link' },
      ]);
    });

    it('gives absolute ids, sizes and dates, oldest first then by name', async () => {
      const times: Array<[string, number]> = [['c.xml', 3000], ['b.xml', 1000], ['a.xml', 3000]];
      for (const [name, seconds] of times) {
        await writeFile(join(h.inbox, name), name);
        await utimes(join(h.inbox, name), seconds, seconds);
      }
      const session = await openWith({ target: 'target', inbox: 'inbox' });
      const entries = await session.list!();
      expect(entries.map((entry) => entry.name)).toEqual(['b.xml', 'a.xml', 'c.xml']);
      expect(entries[0]).toEqual({ id: join(h.inbox, 'b.xml'), name: 'b.xml', size: 5, mtime: new Date(1_000_000) });
    });

    it('applies the filter patterns', async () => {
      for (const name of ['mandat1.xml', 'titre.XML', 'notes.txt', 'PES_A.pdf']) await writeFile(join(h.inbox, name), 'x');
      expect((await listedNames(await openWith({ inbox: 'inbox', filter: '*.xml;PES_*' }))).sort()).toEqual(
        ['PES_A.pdf', 'mandat1.xml', ...(process.platform === 'win32' ? ['titre.XML'] : [])].sort(),
      );
      expect((await listedNames(await openWith({ inbox: 'inbox', filter: ['{mandat,titre}*'] }))).sort()).toEqual(['mandat1.xml', 'titre.XML']);
    });

    it('reports a missing inbox as a permanent connection-level error', async () => {
      const session = await openWith({ inbox: 'no-inbox' });
      const error = expectTransferError(await session.list!().catch((reason: unknown) => reason), 'permanent');
      expect(error.key).toBe('protocol.local.inboxMissing');
      expect(error.connection).toBe(true);
    });

    it('needs options.inbox', async () => {
      const session = await openWith({ target: 'target' });
      const error = await session.list!().catch((reason: unknown) => reason);
      expect(expectTransferError(error, 'permanent').key).toBe('protocol.local.noInbox');
    });
  });

  describe('fetch', () => {
    it('refuses an entry that is not directly in the inbox', async () => {
      const session = await openWith({ target: 'target', inbox: 'inbox' });
      await writeFile(join(h.root, 'outside.xml'), 'secret');
      for (const id of [join(h.root, 'outside.xml'), join(h.inbox, '..', 'outside.xml')]) {
        const entry: RemoteEntry = { id, name: 'outside.xml' };
        const fetched = await session.fetch!(entry, join(scratch, 'out')).catch((reason: unknown) => reason);
        expect(expectTransferError(fetched, 'permanent').key).toBe('protocol.local.outsideInbox');
        const acknowledged = await session.acknowledge!(entry).catch((reason: unknown) => reason);
        expect(expectTransferError(acknowledged, 'permanent').key).toBe('protocol.local.outsideInbox');
      }
      expect(await readFile(join(h.root, 'outside.xml'), 'utf8')).toBe('secret');
    });

    it('reports a file that changed size since it was listed as transient, and keeps nothing', async () => {
      await writeFile(join(h.inbox, 'growing.xml'), 'first part');
      const session = await openWith({ target: 'target', inbox: 'inbox' });
      const [entry] = await session.list!();
      await writeFile(join(h.inbox, 'growing.xml'), 'first part, then more');
      const dest = join(scratch, 'growing');
      const grew = await session.fetch!(entry!, dest).catch((reason: unknown) => reason);
      expect(expectTransferError(grew, 'transient').key).toBe('protocol.common.grew');
      await expect(stat(dest)).rejects.toThrow();
      await writeFile(join(h.inbox, 'growing.xml'), 'first');
      const truncated = await session.fetch!(entry!, dest).catch((reason: unknown) => reason);
      expect(expectTransferError(truncated, 'transient').key).toBe('protocol.common.truncated');
    });

    it.skipIf(process.platform === 'win32')('does not read through a link swapped in after the listing', async () => {
      await writeFile(join(h.inbox, 'swapped.xml'), 'x');
      await writeFile(join(h.root, 'secret.txt'), 'secret');
      const session = await openWith({ target: 'target', inbox: 'inbox' });
      const [entry] = await session.list!();
      await rm(join(h.inbox, 'swapped.xml'));
      await symlink(join(h.root, 'secret.txt'), join(h.inbox, 'swapped.xml'));
      const dest = join(scratch, 'swapped');
      const error = await session.fetch!(entry!, dest).catch((reason: unknown) => reason);
      expect(expectTransferError(error, 'permanent').key).toBe('protocol.local.notPlainFile');
      await expect(stat(dest)).rejects.toThrow();
    });

    it('says when the entry has gone', async () => {
      await writeFile(join(h.inbox, 'gone.xml'), 'x');
      const session = await openWith({ target: 'target', inbox: 'inbox' });
      const [entry] = await session.list!();
      await rm(join(h.inbox, 'gone.xml'));
      const error = await session.fetch!(entry!, join(scratch, 'gone')).catch((reason: unknown) => reason);
      expect(expectTransferError(error, 'permanent').key).toBe('protocol.local.entryGone');
    });
  });

  describe('afterRetrieve', () => {
    async function retrieveAll(session: ProtocolSession): Promise<void> {
      for (const entry of await session.list!()) {
        await session.fetch!(entry, join(scratch, `fetched-${entry.name}`));
        await session.acknowledge!(entry);
      }
    }

    it('delete (the default) removes the file from the inbox', async () => {
      await writeFile(join(h.inbox, 'a.xml'), 'a');
      await retrieveAll(await openWith({ inbox: 'inbox' }));
      expect(await readdir(h.inbox)).toEqual([]);
    });

    it('delete leaves a file that changed since it was listed', async () => {
      await writeFile(join(h.inbox, 'a.xml'), 'a');
      const session = await openWith({ inbox: 'inbox' });
      const [entry] = await session.list!();
      await writeFile(join(h.inbox, 'a.xml'), 'a new version');
      const error = await session.acknowledge!(entry!).catch((reason: unknown) => reason);
      expect(expectTransferError(error, 'transient').key).toBe('protocol.local.changed');
      expect(await readFile(join(h.inbox, 'a.xml'), 'utf8')).toBe('a new version');
    });

    it('keep leaves the file where it is', async () => {
      await writeFile(join(h.inbox, 'a.xml'), 'a');
      await retrieveAll(await openWith({ inbox: 'inbox', afterRetrieve: 'keep' }));
      expect(await readdir(h.inbox)).toEqual(['a.xml']);
    });

    it('move:<folder> creates the folder and never overwrites what is there', async () => {
      const session = await openWith({ inbox: 'inbox', afterRetrieve: 'move:archive/done' });
      const done = join(h.root, 'archive', 'done');
      for (const content of ['first', 'second', 'third']) {
        await writeFile(join(h.inbox, 'ACQUIT.xml'), content);
        await retrieveAll(session);
      }
      expect(await readdir(h.inbox)).toEqual([]);
      expect((await readdir(done)).sort()).toEqual(['ACQUIT-1.xml', 'ACQUIT-2.xml', 'ACQUIT.xml']);
      expect(await readFile(join(done, 'ACQUIT.xml'), 'utf8')).toBe('first');
      expect(await readFile(join(done, 'ACQUIT-2.xml'), 'utf8')).toBe('third');
    });

    it('move:<folder> inside the inbox does not make moved files listed again', async () => {
      const session = await openWith({ inbox: 'inbox', afterRetrieve: 'move:inbox/done' });
      await writeFile(join(h.inbox, 'a.xml'), 'a');
      await retrieveAll(session);
      expect(await listedNames(session)).toEqual([]);
      expect(await readdir(join(h.inbox, 'done'))).toEqual(['a.xml']);
    });
  });

  describe('check', () => {
    it('reports the target and the inbox', async () => {
      const results = await (await openWith({ target: 'target', inbox: 'inbox' })).check!({ writeProbe: true });
      expect(results.map(({ id, status, key }) => ({ id, status, key }))).toEqual([
        { id: 'local.target', status: 'ok', key: 'protocol.local.check.targetProbed' },
        { id: 'local.inbox', status: 'ok', key: 'protocol.local.check.inboxOk' },
      ]);
      expect(await readdir(h.target)).toEqual([]);
    });

    it('reports the temporary files that remain: dead runs of this host, old ones, other machines’; not a live transfer', async () => {
      const pid = deadPid();
      const stale = join(h.target, '.PES.xml.0123456789ab.ordo-part');
      await writeFile(stale, 'half');
      const twoDaysAgo = Date.now() / 1000 - 2 * 24 * 3600;
      await utimes(stale, twoDaysAgo, twoDaysAgo);
      await writeFile(join(h.target, '.fresh.xml.0123456789ab.ordo-part'), 'an older ordo, perhaps in progress');
      await mkdir(join(h.target, TEMP_FOLDER));
      await writeFile(join(h.target, TEMP_FOLDER, ownTemporary('dead.xml', pid)), 'killed run');
      await writeFile(join(h.target, TEMP_FOLDER, temporaryName('live.xml')), 'this process: in progress');
      const [target] = await (await openWith({ target: 'target' })).check!();
      expect(target).toMatchObject({ status: 'warn', key: 'protocol.local.check.staleTemp', params: { count: 3, removable: 2, unproven: 1 } });
      expect(t(target!.fixKey!, target!.params, 'fr')).toMatch(/prochain envoi supprime/);
    });

    it('gives the fix for a missing inbox', async () => {
      const results = await (await openWith({ inbox: 'no-inbox' })).check!();
      expect(results).toEqual([
        {
          id: 'local.inbox',
          status: 'fail',
          key: 'protocol.local.inboxMissing',
          params: { path: join(h.root, 'no-inbox') },
          fixKey: 'protocol.local.inboxMissing.fix',
        },
      ]);
    });

    it('warns when neither folder is set', async () => {
      const results = await (await openWith({})).check!();
      expect(results.map((result) => result.status)).toEqual(['warn']);
    });

    it('fails for a target that cannot be written to', async () => {
      await chmod(h.target, 0o555);
      // root writes anywhere: drop to an ordinary user for this test (the effective uid only, so it comes back).
      if (runsAsRoot) {
        await chmod(h.root, 0o755);
        process.seteuid!(65534);
      }
      try {
        const [target] = await (await openWith({ target: 'target' })).check!({ writeProbe: true });
        expect(target).toMatchObject({ id: 'local.target', status: 'fail', key: 'protocol.local.check.probeFailed' });
        // access(2) answers for the real uid, which stays root here: the plain check is asserted for ordinary users.
        if (!runsAsRoot) {
          const [plain] = await (await openWith({ target: 'target' })).check!();
          expect(plain).toMatchObject({ status: 'fail', key: 'protocol.local.check.targetNotWritable' });
        }
      } finally {
        if (runsAsRoot) process.seteuid!(0);
        await chmod(h.target, 0o755);
      }
    });
  });

  it('has every local and common message in both languages', () => {
    const { en, fr } = catalogKeys();
    const ours = (keys: string[]): string[] => keys.filter((key) => /^protocol\.(local|common)\./.test(key)).sort();
    expect(ours(fr)).toEqual(ours(en));
    expect(ours(en).length).toBeGreaterThan(20);
  });
});
