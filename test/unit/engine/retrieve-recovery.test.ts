// Retrieval after a run was killed between placing a file and journaling it, leftovers of killed runs,
// and listings with entries that are left out.
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Journal, readJournal, type JournalEntry } from '../../../src/core/journal.js';
import { retrieve } from '../../../src/core/retrieve.js';
import { sha256File } from '../../../src/shared/hash.js';
import { temporaryName } from '../../../src/shared/temp-names.js';
import { deadPid, ownTemporary } from '../../helpers/leftovers.js';
import { workspace, type Workspace } from '../../helpers/workspace.js';

let ws: Workspace | undefined;
afterEach(() => ws?.cleanup());

async function retrieveAll(w: Workspace) {
  const engine = w.engine();
  try {
    return await retrieve(engine, { selection: { scenarios: [], profiles: [] }, listOnly: false });
  } finally {
    await engine.close();
  }
}

async function journaled(w: Workspace, ...entries: Array<Omit<JournalEntry, 'time' | 'run'>>): Promise<void> {
  const journal = new Journal(w.root, 'killed');
  try {
    for (const entry of entries) await journal.append(entry);
  } finally {
    await journal.close();
  }
}

/** The key the engine gives the inbox file `name` (profile, protocol, id, size, mtime). */
function keyOf(w: Workspace, name: string): string {
  const path = join(w.inbox, name);
  const info = statSync(path);
  return ['VILLE', 'local', path, info.size, info.mtime.toISOString()].join('|');
}

/** The state a kill leaves after the `placing` line: `partial` written (and maybe placed already). */
async function killedWhilePlacing(w: Workspace, name: string, content: string, pid: number): Promise<{ recus: string; partial: string }> {
  const inboxPath = w.write(w.inbox, name, content);
  const recus = join(w.root, 'recus', 'VILLE');
  mkdirSync(recus, { recursive: true });
  const partial = join(recus, ownTemporary(name, pid));
  writeFileSync(partial, content);
  await journaled(w, {
    scenario: 'PES',
    direction: 'receive',
    state: 'placing',
    file: name,
    size: Buffer.byteLength(content),
    sha256: await sha256File(partial),
    path: partial,
    wanted: name,
    remoteId: inboxPath,
    key: keyOf(w, name),
  });
  return { recus, partial };
}

describe('a run killed between placing a received file and journaling it', () => {
  it('file already placed, partial gone: journaled received and acknowledged, never downloaded twice', async () => {
    ws = workspace();
    const { recus, partial } = await killedWhilePlacing(ws, 'ACQUIT.xml', '<acquit/>', deadPid());
    writeFileSync(join(recus, 'ACQUIT.xml'), 'someone else’s older file');
    // The kill came after placeFile: the file got the next free name and the partial went.
    linkSync(partial, join(recus, 'ACQUIT_1.xml'));
    unlinkSync(partial);
    const result = await retrieveAll(ws);
    expect(result.files.map((f) => [f.status, f.resumed, f.localPath])).toEqual([['received', true, join(recus, 'ACQUIT_1.xml')]]);
    expect(readdirSync(recus).sort()).toEqual(['ACQUIT.xml', 'ACQUIT_1.xml']);
    expect(readdirSync(ws.inbox)).toEqual([]);
    expect((await readJournal(ws.root)).map((e) => e.state)).toEqual(['placing', 'received', 'acknowledged']);
  });

  it('partial still there: placed now, from what was downloaded (not downloaded again)', async () => {
    ws = workspace();
    const { recus, partial } = await killedWhilePlacing(ws, 'ACQUIT.xml', 'AS DOWNLOADED', deadPid());
    // Same size and date as what the partner lists: only the content tells which copy was placed.
    const inboxPath = join(ws.inbox, 'ACQUIT.xml');
    const { mtime } = statSync(inboxPath);
    writeFileSync(inboxPath, 'as on server!');
    utimesSync(inboxPath, mtime, mtime);
    const result = await retrieveAll(ws);
    expect(result.files.map((f) => [f.status, f.resumed])).toEqual([['received', true]]);
    expect(readdirSync(recus)).toEqual(['ACQUIT.xml']);
    expect(readFileSync(join(recus, 'ACQUIT.xml'), 'utf8')).toBe('AS DOWNLOADED');
    expect(existsSync(partial)).toBe(false);
    expect(readdirSync(ws.inbox)).toEqual([]);
  });

  it('killed between the hard link and the removal of the partial: the partial goes, no second copy', async () => {
    ws = workspace();
    const { recus, partial } = await killedWhilePlacing(ws, 'ACQUIT.xml', '<acquit/>', deadPid());
    linkSync(partial, join(recus, 'ACQUIT.xml'));
    const result = await retrieveAll(ws);
    expect(result.files.map((f) => [f.status, f.localPath])).toEqual([['received', join(recus, 'ACQUIT.xml')]]);
    expect(readdirSync(recus)).toEqual(['ACQUIT.xml']);
    expect(readdirSync(ws.inbox)).toEqual([]);
  });
});

describe('leftovers of killed runs in recus/<profile>/', () => {
  it('are removed at the start of a retrieval when provably dead; a live run’s and a recent foreign one stay', async () => {
    ws = workspace();
    const recus = join(ws.root, 'recus', 'VILLE');
    mkdirSync(recus, { recursive: true });
    const dead = join(recus, ownTemporary('RETOUR.xml', deadPid()));
    const legacy = join(recus, '.ordo-0123456789abcdef.partial');
    const legacyFresh = join(recus, '.ordo-fedcba9876543210.partial');
    const live = join(recus, temporaryName('EN-COURS.xml'));
    const foreign = join(recus, '.AUTRE.xml.0123456789ab-4242-00000000.ordo-part');
    for (const path of [dead, legacy, legacyFresh, live, foreign]) writeFileSync(path, 'x');
    const twoDaysAgo = Date.now() / 1000 - 2 * 24 * 3600;
    utimesSync(legacy, twoDaysAgo, twoDaysAgo);
    await retrieveAll(ws);
    expect(readdirSync(recus).sort()).toEqual([basename(legacyFresh), basename(live), basename(foreign)].sort());
    expect(readFileSync(join(ws.root, 'logs', 'last.log'), 'utf8')).toMatch(/2 .*(removed|supprimé)/);
  });
});

describe('entries the protocol leaves out of its listing', () => {
  it('are logged as warnings, names escaped on one line; the others are retrieved', async () => {
    ws = workspace();
    ws.write(ws.inbox, 'BON.xml', 'ok');
    writeFileSync(join(ws.dir, 'secret.txt'), 'not for recus');
    symlinkSync(join(ws.dir, 'secret.txt'), join(ws.inbox, 'lien\npiege.xml'));
    const result = await retrieveAll(ws);
    expect(result.files.map((f) => [f.name, f.status])).toEqual([['BON.xml', 'received']]);
    const log = readFileSync(join(ws.root, 'logs', 'last.log'), 'utf8');
    const line = log.split('\n').find((text) => text.includes('lien'));
    expect(line).toMatch(/WARN/);
    expect(line).toContain('lien\\npiege.xml');
    expect(readdirSync(join(ws.root, 'recus', 'VILLE'))).toEqual(['BON.xml']);
  });
});
