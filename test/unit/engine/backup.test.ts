// The backup of a sent file costs no second write when it can: a hard link to the queued file on the
// same volume (the claimed file keeps its inode from the source folder to the backup folder), a clone
// or a copy on another volume. Once a file leaves ordo's hands for failed/, its backup stops sharing it.
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { send } from '../../../src/core/send.js';
import { readJournal } from '../../../src/core/journal.js';
import { scenario, workspace, type Workspace } from '../../helpers/workspace.js';
import { otherVolumeDir } from '../../helpers/volumes.js';

let ws: Workspace | undefined;
const cleanups: Array<() => void> = [];
afterEach(() => {
  ws?.cleanup();
  ws = undefined;
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function sendAll(w: Workspace) {
  const engine = w.engine();
  try {
    return await send(engine, { selection: { scenarios: [], profiles: [] }, retrieveAfter: false });
  } finally {
    await engine.close();
  }
}

describe('backups', () => {
  it('on the queue volume: the backup is the claimed file itself (a hard link), not a second copy', async () => {
    ws = workspace();
    const source = ws.write(ws.source, 'mandat.xml', '<mandat/>');
    const inode = statSync(source).ino;
    const result = await sendAll(ws);
    expect(result.files.map((f) => f.status)).toEqual(['sent']);
    const backup = join(ws.root, 'backup', 'PES', 'mandat.xml');
    expect(readFileSync(backup, 'utf8')).toBe('<mandat/>');
    expect(statSync(backup).ino).toBe(inode);
    // The queued item is gone (one name unlinked): the backup stays whole, and no temporary is left.
    expect(statSync(backup).nlink).toBe(1);
    expect(readdirSync(join(ws.root, 'backup', 'PES'))).toEqual(['mandat.xml']);
    expect(readdirSync(join(ws.root, 'queue', 'PES'))).toEqual([]);
    const sending = (await readJournal(ws.root)).find((e) => e.state === 'sending');
    expect(sending?.backup).toBe(backup);
  });

  it('ifExists rename links the new backup under a stamped name, the old one untouched', async () => {
    ws = workspace();
    const dir = join(ws.root, 'backup', 'PES');
    ws.write(dir, 'a.xml', 'old');
    const inode = statSync(ws.write(ws.source, 'a.xml', 'new')).ino;
    await sendAll(ws);
    const names = readdirSync(dir).sort();
    expect(names).toHaveLength(2);
    expect(readFileSync(join(dir, 'a.xml'), 'utf8')).toBe('old');
    const stamped = names.find((n) => n !== 'a.xml') ?? '';
    expect(stamped).toMatch(/^a_\d{8}_\d{6}\.xml$/);
    expect(statSync(join(dir, stamped)).ino).toBe(inode);
  });

  it('on another volume: a copy of its own, same content', async () => {
    const other = otherVolumeDir();
    cleanups.push(other.cleanup);
    ws = workspace((dir) => [scenario('PES', dir, { backup: { dir: join(other.dir, 'bk'), ifExists: 'rename' } })]);
    const inode = statSync(ws.write(ws.source, 'far.xml', '<far/>')).ino;
    const result = await sendAll(ws);
    expect(result.files.map((f) => f.status)).toEqual(['sent']);
    const backup = join(other.dir, 'bk', 'far.xml');
    expect(readFileSync(backup, 'utf8')).toBe('<far/>');
    expect(statSync(backup).ino).not.toBe(inode);
    expect(readdirSync(join(other.dir, 'bk'))).toEqual(['far.xml']);
  });

  it('a file set aside in failed/ after its backup was made no longer shares it: editing it leaves the backup as sent', async () => {
    ws = workspace();
    ws.write(ws.target, 'taken.xml', 'already at the partner');
    ws.write(ws.source, 'taken.xml', 'as sent');
    const result = await sendAll(ws);
    expect(result.files.map((f) => f.status)).toEqual(['failed']);
    const backup = join(ws.root, 'backup', 'PES', 'taken.xml');
    const failedDir = join(ws.root, 'failed', 'PES');
    const [id] = readdirSync(failedDir);
    const setAside = join(failedDir, id ?? '', 'taken.xml');
    expect(statSync(setAside).ino).not.toBe(statSync(backup).ino);
    // An editor writing in place (as many do for a file with several names).
    writeFileSync(setAside, 'fixed by hand');
    expect(readFileSync(backup, 'utf8')).toBe('as sent');
    expect(readdirSync(join(ws.root, 'backup', 'PES'))).toEqual(['taken.xml']);
  });

  it('the same when the file is set aside by a later run (its backup found on its journal line)', async () => {
    ws = workspace();
    rmSync(ws.target, { recursive: true });
    ws.write(ws.source, 'later.xml', 'as sent');
    const first = await sendAll(ws);
    expect(first.files.map((f) => f.status)).toEqual(['deferred']);
    ws.write(ws.target, 'later.xml', 'already at the partner');
    const second = await sendAll(ws);
    expect(second.files.map((f) => f.status)).toEqual(['failed']);
    const backup = join(ws.root, 'backup', 'PES', 'later.xml');
    const failedDir = join(ws.root, 'failed', 'PES');
    const setAside = join(failedDir, readdirSync(failedDir)[0] ?? '', 'later.xml');
    expect(statSync(setAside).ino).not.toBe(statSync(backup).ino);
    writeFileSync(setAside, 'fixed by hand');
    expect(readFileSync(backup, 'utf8')).toBe('as sent');
  });
});
