// New files sent in batches (the local protocol can ask the partner, so its files go in batches): what a
// batch must not change — the same content twice in one run is still a duplicate, two files of the same
// name still get two backups — and what a run stopped in the middle of a batch leaves: the files prepared
// and not sent stay queued, and the next run sends each of them exactly once.
import { existsSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readJournal, type JournalEntry } from '../../../src/core/journal.js';
import { sendAll, onEvents } from '../../helpers/engine-send.js';
import { scenario, workspace, type Workspace } from '../../helpers/workspace.js';

let ws: Workspace | undefined;
afterEach(() => ws?.cleanup());


/** Sends `all` (each with its own content), the run stopped (Ctrl-C) once `last` is sent. */
async function sendStoppedAfter(w: Workspace, all: string[], last: string) {
  for (const name of all) w.write(w.source, name, `content of ${name}`);
  const stop = new AbortController();
  onEvents(w, (event) => {
    if (event.type === 'file-end' && event.name === last) stop.abort();
  });
  return sendAll(w, { signal: stop.signal });
}

const sentLines = async (w: Workspace) => (await readJournal(w.root)).filter((e) => e.state === 'sent').map((e) => e.file);
const queued = (w: Workspace) => (existsSync(join(w.root, 'queue', 'PES')) ? readdirSync(join(w.root, 'queue', 'PES')) : []);
const lastLines = (entries: JournalEntry[]) => new Map(entries.map((entry) => [entry.file, entry]));
const names = (count: number) => Array.from({ length: count }, (_, index) => `PES_${String(index).padStart(3, '0')}.xml`);

describe('files sent in batches', () => {
  it('the same content twice in one run: the second file is a duplicate, as when sent one after the other', async () => {
    ws = workspace();
    ws.write(ws.source, 'a.xml', 'same content');
    ws.write(ws.source, 'b.xml', 'same content');
    ws.write(ws.source, 'c.xml', 'other content');
    const result = await sendAll(ws);
    expect(result.files.map((f) => `${f.name} ${f.status}`)).toEqual(['a.xml sent', 'b.xml duplicate', 'c.xml sent']);
    expect(readdirSync(ws.target).sort()).toEqual(['a.xml', 'c.xml']);
    expect(readdirSync(join(ws.root, 'backup', 'PES')).sort()).toEqual(['a.xml', 'c.xml']);
  });

  it('two files of the same name in one run (two source sub-folders): two backups, none replaced by the other', async () => {
    ws = workspace((dir) => [scenario('PES', dir, { filter: ['**/*.xml'], options: { target: join(dir, 'partner', 'in'), inbox: join(dir, 'partner', 'out') } })]);
    ws.write(join(ws.source, 'nord'), 'mandat.xml', 'nord');
    ws.write(join(ws.source, 'sud'), 'mandat.xml', 'sud');
    // The second one is refused by the partner's folder (the name is taken): the point is its backup.
    await sendAll(ws);
    const backups = readdirSync(join(ws.root, 'backup', 'PES'));
    expect(backups).toHaveLength(2);
    expect(backups.map((name) => readFileSync(join(ws!.root, 'backup', 'PES', name), 'utf8')).sort()).toEqual(['nord', 'sud']);
  });

  it('more files than a batch holds: every file sent once, in order, the journal flushed per batch', async () => {
    ws = workspace();
    const all = names(150);
    for (const name of all) ws.write(ws.source, name, `content of ${name}`);
    const result = await sendAll(ws);
    expect(result.files.map((f) => f.status)).toEqual(all.map(() => 'sent'));
    expect(result.files.map((f) => f.name)).toEqual(all);
    expect(readdirSync(ws.target).sort()).toEqual(all);
    expect(await sentLines(ws)).toEqual(all);
    expect(queued(ws)).toEqual([]);
    // Each batch's `sending` lines come before its first `sent` line: three batches (64 + 64 + 22).
    const states = (await readJournal(ws.root)).map((e) => e.state);
    const runs = states.reduce<string[]>((out, state) => (out.at(-1) === state ? out : [...out, state]), []);
    expect(runs).toEqual(['sending', 'sent', 'sending', 'sent', 'sending', 'sent']);
  });

  it('interrupted in the middle of a batch: the files prepared and not sent stay queued; the next run sends each once', async () => {
    ws = workspace();
    const all = names(10);
    const first = await sendStoppedAfter(ws, all, all[2]!);
    expect(first.interrupted).toBe(true);
    expect(first.files.map((f) => f.name)).toEqual(all.slice(0, 3));
    expect(readdirSync(ws.target).sort()).toEqual(all.slice(0, 3));
    expect(readdirSync(ws.source)).toEqual([]);
    expect(queued(ws)).toHaveLength(7);
    // Journaled `deferred` with why: they never reached the protocol, so the next run sends them without asking the partner.
    const last = lastLines(await readJournal(ws.root));
    for (const name of all.slice(3)) expect(last.get(name), name).toMatchObject({ state: 'deferred', reason: 'not sent in this run: the scenario stopped before its turn' });

    const second = await sendAll(ws);
    expect((await readJournal(ws.root)).filter((e) => e.state === 'resumed')).toEqual([]);
    expect(second.files.map((f) => `${f.name} ${f.status}`).sort()).toEqual(all.slice(3).map((name) => `${name} sent`));
    expect(readdirSync(ws.target).sort()).toEqual(all);
    expect((await sentLines(ws)).sort()).toEqual(all);
    expect(queued(ws)).toEqual([]);
    // One backup per file: the files taken up again were backed up by the first run only.
    expect(readdirSync(join(ws.root, 'backup', 'PES')).sort()).toEqual(all);
  });

  it('the partner’s folder gone in the middle of a batch: the scenario stops, the rest stays queued and goes once it is back', async () => {
    ws = workspace();
    const all = names(6);
    for (const name of all) ws.write(ws.source, name, `content of ${name}`);
    const away = `${ws.target}-away`;
    onEvents(ws, (event) => {
      if (event.type === 'file-end' && event.name === all[1]) renameSync(ws!.target, away);
    });
    const first = await sendAll(ws);
    expect(first.files.slice(0, 2).map((f) => f.status)).toEqual(['sent', 'sent']);
    expect(first.files.map((f) => f.name)).toEqual(all.slice(0, 3));
    expect(first.files[2]?.status).not.toBe('sent');
    expect(queued(ws)).toHaveLength(4);
    expect(readFileSync(join(ws.root, 'logs', readdirSync(join(ws.root, 'logs'))[0]!), 'utf8')).toMatch(/3 file\(s\) prepared in the same batch were not sent/);

    const last = lastLines(await readJournal(ws.root));
    for (const name of all.slice(3)) expect(last.get(name)?.state, name).toBe('deferred');

    renameSync(away, ws.target);
    const second = await sendAll(ws);
    expect(second.files.map((f) => `${f.name} ${f.status}`).sort()).toEqual(all.slice(2).map((name) => `${name} sent`));
    expect(readdirSync(ws.target).sort()).toEqual(all);
    expect((await sentLines(ws)).sort()).toEqual(all);
    expect(queued(ws)).toEqual([]);
  });

  it('a duplicate of a file of the previous batch: set aside, never sent twice', async () => {
    ws = workspace();
    const all = names(70);
    for (const name of all) ws.write(ws.source, name, `content of ${name}`);
    // PES_065 (second batch) has the content of PES_010 (first batch).
    ws.write(ws.source, all[65]!, `content of ${all[10]!}`);
    const result = await sendAll(ws);
    expect(result.files.filter((f) => f.status !== 'sent').map((f) => `${f.name} ${f.status}`)).toEqual([`${all[65]!} duplicate`]);
    expect(readdirSync(ws.target)).toHaveLength(69);
    expect(readdirSync(ws.target)).not.toContain(all[65]);
    expect(queued(ws)).toEqual([]);
  });

  it('interrupted in the first of three batches: the later files keep no line and no backup of this run; the next run sends each file once', async () => {
    ws = workspace();
    const all = names(150);
    const first = await sendStoppedAfter(ws, all, all[40]!);
    expect(first.interrupted).toBe(true);
    expect(first.files.map((f) => f.name)).toEqual(all.slice(0, 41));
    expect(readdirSync(ws.target).sort()).toEqual(all.slice(0, 41));
    // The first batch's rest is queued (journaled `sending`, then `deferred`); the others wait in the queue or the source.
    expect(queued(ws).length + readdirSync(ws.source).length).toBe(109);
    const lines = lastLines(await readJournal(ws.root));
    for (const name of all.slice(64)) expect(lines.get(name), name).toBeUndefined();
    expect(readdirSync(join(ws.root, 'backup', 'PES')).sort()).toEqual(all.slice(0, 64));

    const second = await sendAll(ws);
    expect(second.files.map((f) => `${f.name} ${f.status}`).sort()).toEqual(all.slice(41).map((name) => `${name} sent`));
    expect(readdirSync(ws.target).sort()).toEqual(all);
    expect((await sentLines(ws)).sort()).toEqual(all);
    expect(queued(ws)).toEqual([]);
    expect(readdirSync(join(ws.root, 'backup', 'PES')).sort()).toEqual(all);
  });
});
