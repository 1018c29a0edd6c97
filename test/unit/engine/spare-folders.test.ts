// The queue's spare folders: an item sent leaves its emptied folder for the run's next claim (a rename
// instead of a new folder), never a folder with anything in it; none is left when the run ends, and those
// of a killed run are removed by the next one, which sends every file once. (A run of several batches
// ending with an empty queue: send-batches.test.ts.)
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readJournal } from '../../../src/core/journal.js';
import { claim, removeItem, removeLeftovers, SpareFolders } from '../../../src/core/queue.js';
import { send } from '../../../src/core/send.js';
import { deadPid, ownTemporary } from '../../helpers/leftovers.js';
import { workspace, type Workspace } from '../../helpers/workspace.js';

let ws: Workspace | undefined;
afterEach(() => ws?.cleanup());

const NOW = new Date('2026-12-03T10:00:00Z');

function setUp(): { w: Workspace; base: string } {
  ws = workspace();
  const base = join(ws.root, 'queue', 'PES');
  mkdirSync(base, { recursive: true });
  return { w: ws, base };
}

/** Claims `name` (written into the source first) into the PES queue. */
async function claimNew(w: Workspace, name: string, spares?: SpareFolders) {
  w.write(w.source, name, `content of ${name}`);
  const item = await claim(w.root, 'PES', join(w.source, name), NOW, spares);
  if (item === undefined) throw new Error(`${name} was not claimed`);
  return item;
}

describe('spare folders of the queue', () => {
  it('an item removed with spares leaves its folder to the next claim, under the new item’s name', async () => {
    const { w, base } = setUp();
    const spares = new SpareFolders(base, 8);
    const first = await claimNew(w, 'a.xml', spares);
    const folder = statSync(first.dir).ino;
    await removeItem(first, spares);
    expect(existsSync(first.dir)).toBe(false);
    expect(readdirSync(base)).toHaveLength(1);
    expect(readdirSync(base)[0]).toMatch(/^\..*\.ordo-part$/);

    const second = await claimNew(w, 'b.xml', spares);
    expect(second.id).not.toBe(first.id);
    expect(statSync(second.dir).ino).toBe(folder);
    expect(readdirSync(second.dir)).toEqual(['b.xml']);
    expect(readdirSync(base)).toEqual([second.id]);
  });

  it('a folder with anything left in it is not kept: it is removed with what it holds', async () => {
    const { w, base } = setUp();
    const spares = new SpareFolders(base, 8);
    const item = await claimNew(w, 'a.xml', spares);
    writeFileSync(join(item.dir, '.being-deleted'), 'held by another program');
    await removeItem(item, spares);
    expect(readdirSync(base)).toEqual([]);
    // Nothing to take: the next claim makes its folder.
    const next = await claimNew(w, 'b.xml', spares);
    expect(readdirSync(next.dir)).toEqual(['b.xml']);
  });

  it('keeps at most its limit; release removes every spare', async () => {
    const { w, base } = setUp();
    const spares = new SpareFolders(base, 2);
    const items = [];
    for (const name of ['a.xml', 'b.xml', 'c.xml']) items.push(await claimNew(w, name));
    for (const item of items) await removeItem(item, spares);
    expect(readdirSync(base)).toHaveLength(2);
    spares.release();
    expect(readdirSync(base)).toEqual([]);
  });

  it('a spare removed by someone else is skipped: the claim makes a folder', async () => {
    const { w, base } = setUp();
    const spares = new SpareFolders(base, 8);
    await removeItem(await claimNew(w, 'a.xml'), spares);
    for (const name of readdirSync(base)) rmSync(join(base, name), { recursive: true });
    const item = await claimNew(w, 'b.xml', spares);
    expect(readdirSync(item.dir)).toEqual(['b.xml']);
    expect(readdirSync(base)).toEqual([item.id]);
  });

  it('the spare of a killed run is a leftover the next run removes; a live run’s is left alone', async () => {
    const { base } = setUp();
    const dead = join(base, ownTemporary('spare', deadPid()));
    const live = join(base, ownTemporary('spare', process.pid));
    mkdirSync(dead);
    mkdirSync(live);
    expect(await removeLeftovers(base)).toEqual([dead]);
    expect(readdirSync(base)).toEqual([live.slice(base.length + 1)]);
  });

  it('a run killed with a spare taken but no file in it yet, and a spare of its own: the next run removes both and sends the file once', async () => {
    const { w, base } = setUp();
    mkdirSync(join(base, '20261203100000-abcdef'));
    mkdirSync(join(base, ownTemporary('spare', deadPid())));
    w.write(w.source, 'a.xml', 'content of a.xml');
    const engine = w.engine();
    try {
      const result = await send(engine, { selection: { scenarios: [], profiles: [] }, retrieveAfter: false });
      expect(result.files.map((f) => `${f.name} ${f.status}`)).toEqual(['a.xml sent']);
    } finally {
      await engine.close();
    }
    expect(readdirSync(w.target)).toEqual(['a.xml']);
    expect((await readJournal(w.root)).filter((e) => e.state === 'sent')).toHaveLength(1);
    expect(readdirSync(base)).toEqual([]);
  });
});
