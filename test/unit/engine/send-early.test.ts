// Big files (8 MiB and more) to a protocol that publishes last (here `local`; http and xfb in
// send-early-http.test.ts): the transfer starts while the engine hashes the file and makes its backup;
// the protocol writes it under a temporary name and waits before the final name until the duplicate
// check is done, the backup placed and the `sending` line flushed. What it must not change: the file appears only after its `sending` line, a duplicate
// never appears (and leaves no temporary file), a failure before publishing still journals the file
// with its backup so that the next run sends it exactly once.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readJournal } from '../../../src/core/journal.js';
import { onEvents, sendAll, sendContentTwice } from '../../helpers/engine-send.js';
import { workspace, type Workspace } from '../../helpers/workspace.js';

let ws: Workspace | undefined;
afterEach(() => ws?.cleanup());

const MiB = 1024 * 1024;
const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');


/** Every name under the partner's folder, hidden temporaries (and their sub-folder's) included. */
function everythingAtPartner(target: string): string[] {
  const hidden = join(target, '.ordo-part');
  return [...readdirSync(target).filter((name) => name !== '.ordo-part'), ...(existsSync(hidden) ? readdirSync(hidden).map((name) => `.ordo-part/${name}`) : [])];
}

/** The journal's files as they are on disk right now. */
function journalText(w: Workspace): string {
  const folder = join(w.root, 'journal');
  return existsSync(folder) ? readdirSync(folder).filter((name) => name.endsWith('.jsonl')).map((name) => readFileSync(join(folder, name), 'utf8')).join('') : '';
}

const queued = (w: Workspace) => (existsSync(join(w.root, 'queue', 'PES')) ? readdirSync(join(w.root, 'queue', 'PES')) : []);

describe('a big file starts its transfer while it is hashed', () => {
  it('is delivered byte for byte, journaled `sending` (hash, backup) then `sent`; its transfer started before its first line', async () => {
    ws = workspace();
    const data = randomBytes(9 * MiB + 3);
    ws.write(ws.source, 'GROS.bin', data);
    ws.write(ws.source, 'petit.xml', '<petit/>');
    // Whether the journal names the file when the protocol reports its first bytes written.
    let journaledAtFirstBytes: boolean | undefined;
    onEvents(ws, (event) => {
      if (event.type === 'progress' && event.name === 'GROS.bin' && journaledAtFirstBytes === undefined) journaledAtFirstBytes = journalText(ws!).includes('GROS.bin');
    });
    const result = await sendAll(ws);
    expect(result.files.map((f) => `${f.name} ${f.status}`).sort()).toEqual(['GROS.bin sent', 'petit.xml sent']);
    expect(readFileSync(join(ws.target, 'GROS.bin')).equals(data)).toBe(true);
    // The transfer was under way before the file was journaled.
    expect(journaledAtFirstBytes).toBe(false);
    const lines = (await readJournal(ws.root)).filter((entry) => entry.file === 'GROS.bin');
    expect(lines.map((entry) => entry.state)).toEqual(['sending', 'sent']);
    expect(lines[0]).toMatchObject({ sha256: sha256(data), size: data.length, backup: join(ws.root, 'backup', 'PES', 'GROS.bin') });
    expect(lines[1]).toMatchObject({ sha256: sha256(data) });
    expect(result.files.find((f) => f.name === 'GROS.bin')).toMatchObject({ sha256: sha256(data), size: data.length });
    expect(readFileSync(join(ws.root, 'backup', 'PES', 'GROS.bin')).equals(data)).toBe(true);
    expect(everythingAtPartner(ws.target).sort()).toEqual(['GROS.bin', 'petit.xml']);
    expect(queued(ws)).toEqual([]);
  });

  it('content sent before: the transfer started is never published, nothing is left at the partner, the file is set aside', async () => {
    ws = workspace();
    const { data, result, progressed } = await sendContentTwice(ws, 'PES_1.bin', 'PES_1_copie.bin', 8 * MiB);
    expect(result.files.map((f) => `${f.name} ${f.status}`)).toEqual(['PES_1_copie.bin duplicate']);
    // Its bytes did go to the partner's temporary name: the check came before the final name only.
    expect(progressed).toBe(data.length);
    expect(everythingAtPartner(ws.target)).toEqual(['PES_1.bin']);
    const failedDir = join(ws.root, 'failed', 'PES');
    const [item] = readdirSync(failedDir);
    expect(readFileSync(join(failedDir, item!, 'PES_1_copie.bin')).equals(data)).toBe(true);
    expect(readdirSync(join(ws.root, 'backup', 'PES'))).toEqual(['PES_1.bin']);
    const states = (await readJournal(ws.root)).filter((entry) => entry.file === 'PES_1_copie.bin').map((entry) => entry.state);
    expect(states).toEqual(['duplicate']);
    expect(queued(ws)).toEqual([]);
  });

  it('--force sends the same content again, journaled `forced` before its `sending` line', async () => {
    ws = workspace();
    const data = randomBytes(8 * MiB);
    ws.write(ws.source, 'A.bin', data);
    await sendAll(ws);
    ws.write(ws.source, 'B.bin', data);
    const result = await sendAll(ws, { force: true });
    expect(result.files.map((f) => `${f.name} ${f.status}`)).toEqual(['B.bin sent']);
    expect(readFileSync(join(ws.target, 'B.bin')).equals(data)).toBe(true);
    expect((await readJournal(ws.root)).filter((entry) => entry.file === 'B.bin').map((entry) => entry.state)).toEqual(['forced', 'sending', 'sent']);
  });

  it('the partner’s folder gone during the transfer: journaled with its backup, kept queued; the next run sends it once', async () => {
    ws = workspace();
    const data = randomBytes(10 * MiB);
    ws.write(ws.source, 'GROS.bin', data);
    const away = `${ws.target}-away`;
    let moved = false;
    onEvents(ws, (event) => {
      if (event.type === 'file-start' && event.name === 'GROS.bin' && !moved) {
        moved = true;
        renameSync(ws!.target, away);
      }
    });
    const first = await sendAll(ws);
    expect(first.files.map((f) => f.status)).not.toContain('sent');
    expect(queued(ws)).toHaveLength(1);
    const lines = (await readJournal(ws.root)).filter((entry) => entry.file === 'GROS.bin');
    // The failure's line comes after the `sending` line, which names the backup: the file is journaled as
    // any other file that was handed to the protocol.
    expect(lines[0]).toMatchObject({ state: 'sending', sha256: sha256(data), backup: join(ws.root, 'backup', 'PES', 'GROS.bin') });
    expect(lines.at(-1)?.state).toBe('deferred');

    renameSync(away, ws.target);
    const second = await sendAll(ws);
    expect(second.files.map((f) => `${f.name} ${f.status}`)).toEqual(['GROS.bin sent']);
    expect(readFileSync(join(ws.target, 'GROS.bin')).equals(data)).toBe(true);
    expect(everythingAtPartner(ws.target)).toEqual(['GROS.bin']);
    expect(readdirSync(join(ws.root, 'backup', 'PES'))).toEqual(['GROS.bin']);
    expect((await readJournal(ws.root)).filter((entry) => entry.state === 'sent').map((entry) => entry.file)).toEqual(['GROS.bin']);
    expect(queued(ws)).toEqual([]);
  });

  it('small files before and after a big one keep their batches; every file sent once, in order', async () => {
    ws = workspace();
    const names = ['a.xml', 'b.xml', 'c.bin', 'd.xml', 'e.xml'];
    for (const name of names) ws.write(ws.source, name, name === 'c.bin' ? randomBytes(8 * MiB + 1) : `<${name}/>`);
    const result = await sendAll(ws);
    expect(result.files.map((f) => `${f.name} ${f.status}`)).toEqual(names.map((name) => `${name} sent`));
    const states = (await readJournal(ws.root)).map((entry) => `${entry.file} ${entry.state}`);
    // a and b: one batch (both `sending` lines first); c alone; d and e: the next batch.
    expect(states).toEqual([
      'a.xml sending', 'b.xml sending', 'a.xml sent', 'b.xml sent',
      'c.bin sending', 'c.bin sent',
      'd.xml sending', 'e.xml sending', 'd.xml sent', 'e.xml sent',
    ]);
  });
});
