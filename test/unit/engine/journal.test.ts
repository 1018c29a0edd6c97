// The journal writer keeps its month's file open for the run: lines stay whole with several writers,
// lines appended at once share one open file, each line lands in the file of its own month, and the
// writer can go on after close(). (Open files are counted in /proc: Linux, as CI.)
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Journal, readJournal } from '../../../src/core/journal.js';
import { removeItem } from '../../../src/core/queue.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'ordo-journal-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const line = (file: string) => ({ scenario: 'PES', direction: 'send' as const, state: 'sent' as const, file, reason: 'x'.repeat(3000) });

describe('journal writer', () => {
  it('two runs appending at once never mix their lines, and keep one open file each', async () => {
    const openFiles = () => readdirSync('/proc/self/fd').length;
    const before = openFiles();
    const first = new Journal(root, 'run-1');
    const second = new Journal(root, 'run-2');
    const now = new Date(2026, 10, 15, 12);
    await Promise.all(
      Array.from({ length: 100 }, (_, index) => [first.append(line(`a${index}.xml`), now), second.append(line(`b${index}.xml`), now)]).flat(),
    );
    await Promise.all([first.close(), second.close()]);
    expect(openFiles()).toBe(before);
    const text = readFileSync(join(root, 'journal', '202611.jsonl'), 'utf8');
    const lines = text.split('\n').filter((entry) => entry !== '');
    expect(lines).toHaveLength(200);
    const entries = lines.map((entry) => JSON.parse(entry) as { run: string; file: string });
    expect(entries.filter((entry) => entry.run === 'run-1').map((entry) => entry.file).sort()).toEqual(Array.from({ length: 100 }, (_, index) => `a${index}.xml`).sort());
    expect(entries.filter((entry) => entry.run === 'run-2')).toHaveLength(100);
  });

  it('a run across the end of a month writes each line in its own month’s file', async () => {
    const journal = new Journal(root, 'run');
    await journal.append(line('novembre.xml'), new Date(2026, 10, 30, 12));
    await journal.append(line('decembre.xml'), new Date(2026, 11, 1, 12));
    await journal.close();
    expect(readdirSync(join(root, 'journal')).sort()).toEqual(['202611.jsonl', '202612.jsonl']);
    expect((await readJournal(root)).map((entry) => entry.file)).toEqual(['novembre.xml', 'decembre.xml']);
  });

  it('goes on after close(), and close() can be called twice', async () => {
    const journal = new Journal(root, 'run');
    await journal.append(line('un.xml'));
    await journal.close();
    await journal.close();
    await journal.append(line('deux.xml'));
    await journal.close();
    expect((await readJournal(root)).map((entry) => entry.file)).toEqual(['un.xml', 'deux.xml']);
  });
});

describe('queue item removal', () => {
  it('removes the item folder, whatever else it holds', async () => {
    const dir = join(root, 'queue', 'PES', '20261123101010-abcdef');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'a.xml'), 'a');
    writeFileSync(join(dir, 'a.xml.reason.txt'), 'why');
    await removeItem({ dir, id: '20261123101010-abcdef', name: 'a.xml', path: join(dir, 'a.xml') });
    expect(readdirSync(join(root, 'queue', 'PES'))).toEqual([]);
  });
});
