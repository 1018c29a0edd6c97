// A batch of files shares its flushes: where the partner can be asked after a power cut (`verify`), the
// `sending` lines of a batch are flushed together before any of its files leaves, its `sent` lines with the
// next batch's (or when the scenario's work ends), and a queued copy is removed only once its `sent` line is
// on disk; the backups' folder is flushed once per batch, after every backup of it is placed. Journal
// flushes are observed on the journal's own file handle, folder flushes and removals of queued copies
// through the engine's fsync and unlinkSync.
import { open } from 'node:fs/promises';
import { existsSync, fstatSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, sep } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Journal, onJournalAppend, readJournal } from '../../../src/core/journal.js';
import { send } from '../../../src/core/send.js';
import { workspace, type Workspace } from '../../helpers/workspace.js';

const events = vi.hoisted(() => ({ list: [] as string[] }));

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  const unlinkSync: typeof actual.unlinkSync = (path) => {
    if (String(path).includes(`${sep}queue${sep}`)) events.list.push(`remove ${basename(String(path))}`);
    actual.unlinkSync(path);
  };
  // A folder flushed (the engine opens a folder and fsyncs it to make its new names durable).
  const fsync = (fd: number, callback: (error: NodeJS.ErrnoException | null) => void): void => {
    if (actual.fstatSync(fd).isDirectory()) events.list.push(`folder flush ${basename(actual.readlinkSync(`/proc/self/fd/${fd}`))}`);
    actual.fsync(fd, callback);
  };
  return { ...actual, unlinkSync, fsync, default: { ...actual, unlinkSync, fsync } };
});

/** Every flush of a file of the journal folder (FileHandle.sync), recorded in the event list. */
async function watchFlushes(root: string): Promise<void> {
  const probe = await open(join(root, 'probe'), 'w');
  const prototype = Object.getPrototypeOf(probe) as { sync: () => Promise<void> };
  await probe.close();
  const sync = prototype.sync;
  const journalFiles = (): Set<number> => {
    const folder = join(root, 'journal');
    return new Set(existsSync(folder) ? readdirSync(folder).map((name) => statSync(join(folder, name)).ino) : []);
  };
  vi.spyOn(prototype, 'sync').mockImplementation(async function (this: { fd: number }) {
    await sync.call(this);
    if (journalFiles().has(fstatSync(this.fd).ino)) events.list.push('flush');
  });
}

let root: string;
let ws: Workspace | undefined;
beforeEach(() => {
  events.list = [];
  root = mkdtempSync(join(tmpdir(), 'ordo-batch-'));
});
afterEach(() => {
  vi.restoreAllMocks();
  ws?.cleanup();
  ws = undefined;
  rmSync(root, { recursive: true, force: true });
});

const line = (file: string, state: 'sending' | 'sent' = 'sent') => ({ scenario: 'PES', direction: 'send' as const, state, file });

describe('journal lines flushed later', () => {
  it('are written at once, flushed by the next flushed line, by flush() or by close()', async () => {
    await watchFlushes(root);
    const journal = new Journal(root, 'run');
    const now = new Date(2026, 10, 15, 12);
    await journal.append(line('a.xml'), now, { flush: false });
    await journal.append(line('b.xml'), now, { flush: false });
    expect(journal.hasUnflushed()).toBe(true);
    expect(events.list).toEqual([]);
    expect((await readJournal(root)).map((entry) => entry.file)).toEqual(['a.xml', 'b.xml']);
    await journal.append(line('c.xml', 'sending'), now);
    expect(events.list).toEqual(['flush']);
    expect(journal.hasUnflushed()).toBe(false);
    await journal.flush();
    expect(events.list).toEqual(['flush']);
    await journal.append(line('c.xml'), now, { flush: false });
    await journal.close();
    expect(events.list).toEqual(['flush', 'flush']);
  });

  it('a new month flushes what the previous month’s file holds before it is closed', async () => {
    await watchFlushes(root);
    const journal = new Journal(root, 'run');
    await journal.append(line('a.xml'), new Date(2026, 10, 30, 23, 59), { flush: false });
    await journal.append(line('b.xml'), new Date(2026, 11, 1, 0, 1), { flush: false });
    expect(events.list).toEqual(['flush']);
    await journal.close();
    expect(events.list).toEqual(['flush', 'flush']);
  });
});

describe('a batch sent through a protocol that can verify (local)', () => {
  it('the sending lines in one flush before any file leaves, the backup folder once, each queued copy removed after its sent line is flushed', async () => {
    ws = workspace();
    const names = ['a.xml', 'b.xml', 'c.xml', 'd.xml'];
    for (const name of names) ws.write(ws.source, name, `content of ${name}`);
    await watchFlushes(ws.root);
    const stop = onJournalAppend(ws.root, (entry) => events.list.push(`${entry.state} ${entry.file}`));
    const engine = ws.engine();
    try {
      const result = await send(engine, { selection: { scenarios: [], profiles: [] }, retrieveAfter: false });
      expect(result.files.map((file) => file.status)).toEqual(['sent', 'sent', 'sent', 'sent']);
    } finally {
      stop();
      await engine.close();
    }
    for (const name of names) {
      const sent = events.list.indexOf(`sent ${name}`);
      const removed = events.list.indexOf(`remove ${name}`);
      expect(sent, name).toBeGreaterThanOrEqual(0);
      expect(removed, `${name} removed from the queue`).toBeGreaterThan(sent);
      expect(events.list.slice(sent, removed), `a flush between the sent line of ${name} and its removal`).toContain('flush');
    }
    // The backups' folder, once, before the lines that name its backups; those lines, once, before the first file leaves.
    const journalOrFolder = events.list.filter((event) => event === 'flush' || event.startsWith('folder flush') || event.startsWith('sending') || event.startsWith('sent'));
    expect(journalOrFolder).toEqual([
      'folder flush PES', 'sending a.xml', 'sending b.xml', 'sending c.xml', 'sending d.xml', 'flush',
      'sent a.xml', 'sent b.xml', 'sent c.xml', 'sent d.xml', 'flush',
    ]);
    for (const name of names) expect(readFileSync(join(ws.root, 'backup', 'PES', name), 'utf8')).toBe(`content of ${name}`);
  });
});
