// The journal: append-only JSON lines, one per state change, flushed to disk before the engine goes on.
// It is what makes recovery and duplicate detection possible; any text tool can read it.
import { writeSync } from 'node:fs';
import { open, readdir, readFile, mkdir, type FileHandle } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { spoolPaths } from '../shared/paths.js';

export type JournalState =
  /** about to send: written (and flushed) before the first byte leaves */
  | 'sending'
  | 'sent'
  /** accepted by the partner, whose receipt comes later (followed by later runs: `follow`) */
  | 'pending'
  /** a step of a send made of several requests, done at the partner (`step`: what is needed to continue) */
  | 'step'
  /** send, after `pending`: the partner refused the file (its reason; `receipt`: its receipt placed in recus/) */
  | 'refused'
  | 'failed'
  | 'deferred'
  | 'uncertain'
  /** an interrupted send found at the start of a run and taken up again */
  | 'resumed'
  /** sent again on purpose with --force although the content was acknowledged */
  | 'forced'
  /** not sent: identical content already acknowledged for the scenario */
  | 'duplicate'
  /**
   * receive: a download complete and hashed, about to be placed under its final name (`path`: the partial;
   * `wanted`: the name). send, after `pending`: the partner's receipt, written to `partial`, about to be placed.
   */
  | 'placing'
  | 'received'
  /** receive: the partner was told the file was taken; send, after `pending`: the partner's receipt says accepted */
  | 'acknowledged'
  /** a remote entry whose download failed after the server may have marked it taken */
  | 'fetch-failed';

export interface JournalEntry {
  time: string;
  /** Identifies the run that wrote the line. */
  run: string;
  scenario: string;
  direction: 'send' | 'receive';
  state: JournalState;
  /** send: the file's name as found; receive: the name the partner announced. */
  file: string;
  size?: number;
  sha256?: string;
  /** send: the claimed copy's path in the queue; receive: the final local path. */
  path?: string;
  remoteId?: string;
  reason?: string;
  attempts?: number;
  /** receive: identity of the remote entry (profile, protocol, id, size, mtime), to skip it next time. */
  key?: string;
  /** Where the backup copy was written (on the first `sending` line). */
  backup?: string;
  /** `deferred` by a failure of this machine's filesystem (ENOSPC, EACCES…): its system code; the backup is still to be made. */
  code?: string;
  /** With `code`: the folder concerned (the full volume's folder, the unreadable file's folder). */
  folder?: string;
  /** receive, `placing`: the local name the file is being given; send, `placing`: the receipt's. */
  wanted?: string;
  /** send, `pending`: what the protocol needs to follow the send later (ids at the partner). */
  follow?: Record<string, string | number>;
  /** send, `step`: the step the protocol reported (ids, name of the step done). */
  step?: Record<string, string | number>;
  /** send, `placing` (a receipt): the hidden partial file in recus/<profile>/ being placed. */
  partial?: string;
  /** send, `placing`: the receipt's size and sha256 (`size`/`sha256` stay the sent file's). */
  receiptSize?: number;
  receiptSha256?: string;
  /** send, `placing`: what the partner answered (`acknowledged` or `refused`), finished as such after a crash. */
  verdict?: 'acknowledged' | 'refused';
  /** send, `acknowledged`/`refused`: where the partner's receipt was placed (recus/<profile>/…). */
  receipt?: string;
  /** send, `failed` after `pending`: what to do, when the protocol says. */
  fix?: string;
}

/**
 * One run's writer. The month's file stays open between lines (opened with O_APPEND, so several
 * processes appending at once never interleave inside a line): each line then costs a write and a
 * flush, not a folder check, an open and a close as well. close() when the run's work is done.
 */
export class Journal {
  private readonly root: string;
  private readonly run: string;
  /** The open month's file; a promise so that lines appended at once share one open. */
  private file: { path: string; handle: Promise<FileHandle> } | undefined;
  /** Lines written to the open file, and how many of them a flush has covered (the others were appended with `flush: false`). */
  private written = 0;
  private flushedThrough = 0;

  constructor(root: string, run: string) {
    this.root = root;
    this.run = run;
  }

  /**
   * Append one line and flush it to disk before resolving; with `flush: false`, the line is written and
   * flushed by the next line appended with a flush, or by flush() or close() (lines of a batch then share
   * one flush: see SendLedger).
   */
  async append(entry: Omit<JournalEntry, 'time' | 'run'>, now = new Date(), options: { flush?: boolean } = {}): Promise<JournalEntry> {
    const full: JournalEntry = { time: now.toISOString(), run: this.run, ...entry };
    const path = spoolPaths({ root: this.root }).journalFile(now);
    // A new month's file: the lines left unflushed in the previous one are flushed before it is closed.
    if (this.file?.path !== path) await this.flush();
    const handle = await this.handleFor(path);
    // A line is a few hundred bytes: written in this thread (a trip through libuv's thread pool costs
    // more than the write itself, docs/performance.md); only the flush, which may wait for the disk, goes there.
    writeWhole(handle.fd, Buffer.from(`${JSON.stringify(full)}\n`));
    this.written += 1;
    if (options.flush !== false) await this.syncOpenFile(handle);
    for (const listener of appendListeners.get(resolve(this.root)) ?? []) listener(full);
    return full;
  }

  /** Whether lines appended with `flush: false` wait for a flush. */
  hasUnflushed(): boolean {
    return this.flushedThrough !== this.written;
  }

  /** Flushes the lines appended with `flush: false` since the last flush, if any. */
  async flush(): Promise<void> {
    if (!this.hasUnflushed() || this.file === undefined) return;
    await this.syncOpenFile(await this.file.handle);
  }

  /** Flushes what is left unflushed, then closes the file; a flush that fails is thrown, after the close. */
  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      const file = this.file;
      this.file = undefined;
      await closeQuietly(file);
    }
  }

  /** Lines written before the flush starts are on disk when it ends (one written meanwhile waits for the next). */
  private async syncOpenFile(handle: FileHandle): Promise<void> {
    const covered = this.written;
    await handle.sync();
    this.flushedThrough = Math.max(this.flushedThrough, covered);
  }

  /** The open file for `path` (a new month closes the previous one). */
  private handleFor(path: string): Promise<FileHandle> {
    if (this.file?.path === path) return this.file.handle;
    const previous = this.file;
    const handle = (async () => {
      await closeQuietly(previous);
      await mkdir(dirname(path), { recursive: true });
      return open(path, 'a');
    })();
    const file = { path, handle };
    this.file = file;
    // A file that could not be opened is tried again by the next line.
    handle.catch(() => {
      if (this.file === file) this.file = undefined;
    });
    return handle;
  }
}

/** Called with each line this process appends under `root`, once it is on disk (the journal index's own lines). */
export type AppendListener = (entry: JournalEntry) => void;
const appendListeners = new Map<string, Set<AppendListener>>();

/** Listens to the lines this process appends under `root`; returns the function that stops listening. */
export function onJournalAppend(root: string, listener: AppendListener): () => void {
  const key = resolve(root);
  let set = appendListeners.get(key);
  if (set === undefined) appendListeners.set(key, (set = new Set()));
  set.add(listener);
  return () => {
    set.delete(listener);
    if (set.size === 0 && appendListeners.get(key) === set) appendListeners.delete(key);
  };
}

/**
 * Writes all of `bytes`. A single write may take only part of a line when the volume fills up (the
 * file's last block had room for its start): the rest is written, or its error (ENOSPC) is thrown, so
 * that a line never counts as journaled unless it is wholly on disk. A line cut so stays cut (readers
 * skip it, and the journal index finds a line written right after it).
 */
function writeWhole(fd: number, bytes: Buffer): void {
  for (let done = 0; done < bytes.length; ) {
    const bytesWritten = writeSync(fd, bytes, done, bytes.length - done);
    if (bytesWritten <= 0) throw Object.assign(new Error(`write: no byte of the journal line written (${done} of ${bytes.length})`), { code: 'EIO' });
    done += bytesWritten;
  }
}

async function closeQuietly(file: { handle: Promise<FileHandle> } | undefined): Promise<void> {
  await file?.handle.then((handle) => handle.close()).catch(() => undefined);
}

/** Journal lines of the most recent `months` monthly files (default: all), oldest first. */
export async function readJournal(root: string, options: { months?: number } = {}): Promise<JournalEntry[]> {
  const dir = spoolPaths({ root }).journal;
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => /^\d{6}\.jsonl$/.test(n)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  if (options.months !== undefined) names = names.slice(-options.months);
  const entries: JournalEntry[] = [];
  for (const name of names) {
    const text = await readFile(join(dir, name), 'utf8');
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      const entry = parsed(line) ?? parsed(line.slice(Math.max(0, line.lastIndexOf('{"time":'))));
      // A line cut by a crash or a full disk mid-write: the state before it stands (and the line written
      // right after it, glued to it, is read from its own start, as the journal index does).
      if (entry !== undefined) entries.push(entry);
    }
  }
  return entries;
}

function parsed(line: string): JournalEntry | undefined {
  try {
    const value = JSON.parse(line) as unknown;
    return typeof value === 'object' && value !== null ? (value as JournalEntry) : undefined;
  } catch {
    return undefined;
  }
}

/** The last state of each queued send, keyed by its queue path. */
export function lastSendStates(entries: JournalEntry[]): Map<string, JournalEntry> {
  const last = new Map<string, JournalEntry>();
  for (const entry of entries) {
    if (entry.direction === 'send' && entry.path !== undefined) last.set(entry.path, entry);
  }
  return last;
}
