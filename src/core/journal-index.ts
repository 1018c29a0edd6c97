// The journal index (docs/engine.md, "Journal index"): the engine's questions to the journal answered
// by reading one small bucket file and the journal lines it points at, whatever the journal's length.
// The journal stays the record: the index is rebuilt from it whenever it does not fit it.
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { t } from '../i18n/index.js';
import { onJournalAppend, type JournalEntry } from './journal.js';
import { BucketWriter, emptyState, indexMonth, newGenerationDir, ownValue, parseLine, readState, writeState, type IndexState } from './journal-index-build.js';
import {
  COMPLETED,
  FOLLOW_OPEN,
  INDEX_VERSION,
  ackKey,
  bucketName,
  bucketOf,
  entryKeys,
  isLater,
  keyHash,
  matchingPointers,
  monthFileName,
  monthOfName,
  pathKey,
  recvKey,
  type LinePointer,
} from './journal-index-keys.js';
import { acquireLock } from '../shared/lock.js';
import { spoolPaths } from '../shared/paths.js';

/** Longer journal lines do not exist (a reason text is a few KB): a longer pointer is damage. */
const MAX_LINE = 64 * 1024 * 1024;

export type RebuildReason = 'unreadable' | 'version' | 'generation' | 'month-missing' | 'month-shorter' | 'month-changed';

export interface CatchUpReport {
  /** Why the index was built again from the whole journal (undefined: it was only caught up). */
  rebuilt?: RebuildReason | 'first';
  /** Journal bytes read. */
  bytes: number;
  seconds: number;
}

export interface JournalIndexOptions {
  /** Told when the index is built from the whole journal (a message key of the engine catalog and its params). */
  log?: (key: string, params: Record<string, string | number>) => void;
  /** How long to wait for another run's catch-up (default 5 minutes: a first build of a large journal). */
  lockWaitMs?: number;
}

interface Noted {
  seq: number;
  entry: JournalEntry;
}

export class JournalIndex {
  private readonly journalDir: string;
  private readonly indexDir: string;
  private state: IndexState | undefined;
  /** Lines this process appended since its last catch-up, by key: visible to its own lookups at once. */
  private overlay = new Map<string, Noted[]>();
  private overlayLast = new Map<string, Noted>();
  private seq = 0;
  private readOnly = false;
  private readonly stopListening: () => void;

  constructor(
    private readonly root: string,
    private readonly options: JournalIndexOptions = {},
  ) {
    this.journalDir = spoolPaths({ root }).journal;
    // Beside the journal, not in it: journal/ holds only month files, as tools and scripts expect.
    this.indexDir = join(root, 'journal-index');
    // Held weakly: an index its user forgot to close() stops listening once it is collected.
    const self = new WeakRef(this);
    const stop = onJournalAppend(root, (entry) => {
      const index = self.deref();
      if (index === undefined) stop();
      else index.note(entry);
    });
    this.stopListening = stop;
  }

  /** Stops following this process's appends. */
  close(): void {
    this.stopListening();
    this.overlay.clear();
    this.overlayLast.clear();
  }

  /**
   * Brings the index up to the journal's end (under the index lock). Call it once the scenario's lock
   * is held, so that all the previous holder wrote is indexed.
   */
  async catchUp(): Promise<CatchUpReport> {
    const before = this.seq;
    // process.hrtime, not performance.now(): the latter loads Node's performance modules (~1 ms) at every start.
    const started = process.hrtime.bigint();
    const lock = await acquireLock(spoolPaths({ root: this.root }).lock('journal-index'), { command: 'journal-index', waitMs: this.options.lockWaitMs ?? 300_000 });
    let result: { state: IndexState; bytes: number; rebuilt?: RebuildReason | 'first' };
    try {
      result = await this.catchUpLocked();
    } finally {
      lock.release();
    }
    this.state = result.state;
    // What this process appended before the catch-up began is in the index now.
    for (const [key, list] of this.overlay) {
      const kept = list.filter((noted) => noted.seq > before);
      if (kept.length === 0) this.overlay.delete(key);
      else this.overlay.set(key, kept);
    }
    for (const [scenario, noted] of this.overlayLast) if (noted.seq <= before) this.overlayLast.delete(scenario);
    const report: CatchUpReport = { bytes: result.bytes, seconds: Number(process.hrtime.bigint() - started) / 1e9, ...(result.rebuilt ? { rebuilt: result.rebuilt } : {}) };
    if (report.rebuilt !== undefined && (report.rebuilt !== 'first' || report.bytes > 0)) {
      const seconds = Math.round(report.seconds * 10) / 10;
      const mib = Math.round((report.bytes / 1024 / 1024) * 10) / 10;
      if (report.rebuilt === 'first') this.options.log?.('engine.journalIndexBuilt', { mib, seconds });
      else this.options.log?.('engine.journalIndexRebuilt', { reason: t(`engine.journalIndexReason.${report.rebuilt}`), mib, seconds });
    }
    return report;
  }

  /** The last state of the queued send at `queuePath`. */
  lastSend(queuePath: string): Promise<JournalEntry | undefined> {
    return this.lookup(pathKey(queuePath));
  }

  /** The latest `sent`/`pending` line of this content for the scenario (the caller checks how old it is). */
  acknowledged(scenario: string, sha256: string): Promise<JournalEntry | undefined> {
    return this.lookup(ackKey(scenario, sha256));
  }

  /** The latest `received`/`acknowledged`/`placing` line of a remote entry (its retrieval key). */
  received(key: string): Promise<JournalEntry | undefined> {
    return this.lookup(recvKey(key));
  }

  /** The scenario's latest completed transfer (sent, pending or received). */
  async lastTransfer(scenario: string): Promise<JournalEntry | undefined> {
    const own = this.overlayLast.get(scenario);
    if (own !== undefined) return own.entry;
    const state = await this.current();
    const pointer = ownValue(state.last, scenario);
    if (pointer === undefined) return undefined;
    const entry = this.readLine(pointer);
    return entry !== undefined && entry.scenario === scenario && COMPLETED.has(entry.state) ? entry : undefined;
  }

  /**
   * The partial files of downloads whose latest line is `placing` (a run died while placing them): not
   * leftovers, the next retrieval finishes them.
   */
  async unfinishedPlacingPaths(): Promise<Set<string>> {
    const state = await this.current();
    // Retrieval keys placed at the last catch-up, and those this process has written since.
    const keys = new Set(Object.keys(state.placing));
    for (const list of this.overlay.values()) {
      const entry = list.at(-1)?.entry;
      if (entry?.direction === 'receive' && entry.state === 'placing' && entry.key !== undefined) keys.add(entry.key);
    }
    const paths = new Set<string>();
    for (const key of keys) {
      const latest = await this.received(key);
      if (latest?.state === 'placing' && latest.path !== undefined) paths.add(latest.path);
    }
    return paths;
  }

  /**
   * The scenario's open pending sends (a `pending` line not closed yet by `acknowledged`, `refused` or
   * `failed`): each its `pending` line and the latest line of its queue path (`pending`, or `placing` when a
   * run died while placing the partner's receipt). A lookup per open send, whatever the journal's length.
   */
  async openPendings(scenario: string): Promise<Array<{ pending: JournalEntry; latest: JournalEntry }>> {
    const state = await this.current();
    const found = new Map<string, JournalEntry>();
    for (const pointer of Object.values(ownValue(state.pending, scenario) ?? {})) {
      const entry = this.readLine(pointer);
      if (entry?.state === 'pending' && entry.scenario === scenario && entry.direction === 'send' && typeof entry.path === 'string') found.set(entry.path, entry);
    }
    // Pending sends this process journaled since its last catch-up.
    for (const list of this.overlay.values()) {
      for (const { entry } of list) {
        if (entry.state === 'pending' && entry.scenario === scenario && entry.direction === 'send' && typeof entry.path === 'string') found.set(entry.path, entry);
      }
    }
    const open: Array<{ pending: JournalEntry; latest: JournalEntry }> = [];
    for (const [path, pending] of found) {
      const latest = await this.lookup(pathKey(path));
      if (latest !== undefined && FOLLOW_OPEN.has(latest.state)) open.push({ pending, latest });
    }
    return open.sort((a, b) => a.pending.time.localeCompare(b.pending.time));
  }

  /** The latest journal line with `key` (see journal-index-keys.ts). */
  async lookup(key: string): Promise<JournalEntry | undefined> {
    const own = this.overlay.get(key)?.at(-1);
    // Keys belong to a scenario or a retrieval, whose lock this process holds while it writes them.
    if (own !== undefined) return own.entry;
    const pointers = await this.pointers(key);
    for (const pointer of pointers.toReversed()) {
      const entry = this.readLine(pointer);
      if (entry !== undefined && entryKeys(entry).includes(key)) return entry;
    }
    return undefined;
  }

  /** Every journal line with `key`, oldest first. */
  async lookupAll(key: string): Promise<JournalEntry[]> {
    const found: JournalEntry[] = [];
    const seen = new Set<string>();
    for (const pointer of await this.pointers(key)) {
      const entry = this.readLine(pointer);
      if (entry === undefined || !entryKeys(entry).includes(key)) continue;
      found.push(entry);
      seen.add(JSON.stringify(entry));
    }
    for (const noted of this.overlay.get(key) ?? []) if (!seen.has(JSON.stringify(noted.entry))) found.push(noted.entry);
    return found;
  }

  private note(entry: JournalEntry): void {
    const noted = { seq: ++this.seq, entry };
    for (const key of entryKeys(entry)) {
      const list = this.overlay.get(key);
      if (list === undefined) this.overlay.set(key, [noted]);
      else list.push(noted);
    }
    if (COMPLETED.has(entry.state)) this.overlayLast.set(entry.scenario, noted);
  }

  private async current(): Promise<IndexState> {
    if (this.state === undefined) await this.refresh();
    // refresh() sets it or throws.
    if (this.state === undefined) throw new Error('journal index unavailable');
    return this.state;
  }

  private async refresh(): Promise<void> {
    if (this.readOnly) {
      if ((await this.peek()) === undefined) throw new Error('journal index unavailable');
    } else {
      await this.catchUp();
    }
  }

  /** For work that writes nothing (a dry run, a listing): the index as it is when there is one, else built. */
  async view(): Promise<void> {
    if ((await this.peek()) !== undefined) return;
    this.readOnly = false;
    await this.catchUp();
  }

  /**
   * Read-only use (diagnose, which changes nothing on disk): the index as it is, without its lock, and
   * the journal lines past its marks (written since the last catch-up, at most a run's work) read into
   * this process's own map. Returns those lines, or undefined when there is no usable index.
   */
  async peek(): Promise<JournalEntry[] | undefined> {
    this.readOnly = true;
    const state = await readState(this.indexDir);
    if (state === undefined || state.version !== INDEX_VERSION || !(await exists(join(this.indexDir, state.generation)))) return undefined;
    const months = await monthSizes(this.journalDir);
    for (const [name, mark] of Object.entries(state.months)) {
      const size = months.get(Number(name));
      if (mark > 0 && (size === undefined || size < mark)) return undefined;
    }
    const tail: JournalEntry[] = [];
    for (const [month, size] of months) {
      const from = state.months[month] ?? 0;
      if (size > from) tail.push(...(await readLines(join(this.journalDir, monthFileName(month)), from)));
    }
    this.state = state;
    this.overlay.clear();
    this.overlayLast.clear();
    for (const entry of tail) this.note(entry);
    return tail;
  }

  /** The pointers of `key`'s bucket records, in journal order, each once. */
  private async pointers(key: string): Promise<LinePointer[]> {
    const hash = keyHash(key);
    let bucket: Buffer | undefined;
    for (let attempt = 0; bucket === undefined; attempt++) {
      const state = await this.current();
      const dir = join(this.indexDir, state.generation);
      const path = join(dir, bucketName(bucketOf(hash)));
      bucket = readBucket(path);
      if (bucket !== undefined) break;
      // No bucket for this hash (the usual answer while the journal is young), unless the whole
      // generation is gone: another run rebuilt the index and removed it, and the new one is taken up.
      if (existsSync(dir)) return [];
      if (attempt > 0) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT', path });
      await this.refresh();
    }
    const byPosition = new Map<string, LinePointer>();
    for (const pointer of matchingPointers(bucket, hash)) byPosition.set(`${pointer.month}:${pointer.offset}`, pointer);
    return [...byPosition.values()].sort((a, b) => (isLater(a, b) ? 1 : isLater(b, a) ? -1 : 0));
  }

  private readLine(pointer: LinePointer): JournalEntry | undefined {
    // A pointer from a damaged file may be anything: it can only fail to be an answer.
    if (![pointer.month, pointer.offset, pointer.length].every(Number.isSafeInteger) || pointer.offset < 0 || pointer.length <= 0 || pointer.length > MAX_LINE) return undefined;
    // One line, read in this thread like the bucket that pointed to it.
    let fd;
    try {
      fd = openSync(join(this.journalDir, monthFileName(pointer.month)), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      const bytes = Buffer.alloc(pointer.length);
      const bytesRead = readSync(fd, bytes, 0, pointer.length, pointer.offset);
      return bytesRead === pointer.length ? parseLine(bytes) : undefined;
    } finally {
      closeSync(fd);
    }
  }

  private async catchUpLocked(): Promise<{ state: IndexState; bytes: number; rebuilt?: RebuildReason | 'first' }> {
    await mkdir(this.indexDir, { recursive: true });
    const months = await monthSizes(this.journalDir);
    const state = await readState(this.indexDir);
    if (state === undefined) {
      const present = await exists(join(this.indexDir, 'state.json'));
      return this.rebuild(months, present ? 'unreadable' : 'first');
    }
    const problem = await this.mismatch(state, months);
    if (problem !== undefined) return this.rebuild(months, problem);
    const writer = new BucketWriter(join(this.indexDir, state.generation));
    let bytes = 0;
    for (const [month, size] of months) {
      const from = state.months[month] ?? 0;
      if (size <= from) continue;
      const mark = await indexMonth(this.journalDir, month, from, writer, state);
      bytes += mark - from;
      state.months[month] = mark;
    }
    if (bytes > 0) {
      // Records first, then the mark: a crash in between only repeats records (harmless).
      writer.commit();
      await writeState(this.indexDir, state);
    }
    await this.removeOtherGenerations(state.generation);
    return { state, bytes };
  }

  /** Why `state` does not fit the journal as it is, if it does not. */
  private async mismatch(state: IndexState, months: Map<number, number>): Promise<RebuildReason | undefined> {
    if (state.version !== INDEX_VERSION) return 'version';
    if (!(await exists(join(this.indexDir, state.generation)))) return 'generation';
    for (const [name, mark] of Object.entries(state.months)) {
      if (mark === 0) continue;
      const size = months.get(Number(name));
      if (size === undefined) return 'month-missing';
      if (size < mark) return 'month-shorter';
      // A mark is always at the end of a line: another file in its place would rarely have one there.
      if (size > mark && (await byteAt(join(this.journalDir, monthFileName(Number(name))), mark - 1)) !== 10) return 'month-changed';
    }
    return undefined;
  }

  private async rebuild(months: Map<number, number>, reason: RebuildReason | 'first'): Promise<{ state: IndexState; bytes: number; rebuilt: RebuildReason | 'first' }> {
    const { generation, dir } = await newGenerationDir(this.indexDir);
    const state = emptyState(generation);
    const writer = new BucketWriter(dir);
    let bytes = 0;
    for (const month of months.keys()) {
      const mark = await indexMonth(this.journalDir, month, 0, writer, state);
      state.months[month] = mark;
      bytes += mark;
    }
    writer.commit();
    await writeState(this.indexDir, state);
    await this.removeOtherGenerations(generation);
    return { state, bytes, rebuilt: reason };
  }

  /**
   * Generations left by a rebuild (or a crash during one). Each is first renamed away at once, so that a
   * run reading it finds either all of it or no folder at all (and then takes up the new generation),
   * never a folder half removed whose missing buckets would look empty.
   */
  private async removeOtherGenerations(keep: string): Promise<void> {
    for (const name of await readdir(this.indexDir)) {
      if (name === keep || !/^[gx]g?[\w-]+$/.test(name)) continue;
      let gone = join(this.indexDir, name);
      if (name.startsWith('g')) {
        const retired = join(this.indexDir, `x${name}`);
        // Windows refuses while another run has a bucket open: tried again at the next catch-up.
        if (!(await rename(gone, retired).then(() => true, () => false))) continue;
        gone = retired;
      }
      await rm(gone, { recursive: true, force: true }).catch(() => undefined);
    }
  }
}

/** The month files of the journal and their sizes, oldest month first. */
async function monthSizes(journalDir: string): Promise<Map<number, number>> {
  let names: string[];
  try {
    names = await readdir(journalDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
  const months = names.map(monthOfName).filter((month): month is number => month !== undefined).sort((a, b) => a - b);
  const sizes = new Map<number, number>();
  for (const month of months) {
    try {
      sizes.set(month, (await stat(join(journalDir, monthFileName(month)))).size);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return sizes;
}

/** The whole lines of a journal file from byte `from` (lines that do not parse are skipped, as readJournal does). */
async function readLines(path: string, from: number): Promise<JournalEntry[]> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const bytes = Buffer.alloc(Math.max(0, size - from));
    const { bytesRead } = await handle.read(bytes, 0, bytes.length, from);
    const text = bytes.subarray(0, bytesRead).toString('utf8');
    const lines = text.slice(0, text.lastIndexOf('\n') + 1).split('\n');
    return lines.map((line) => parseLine(Buffer.from(line))).filter((entry): entry is JournalEntry => entry !== undefined);
  } finally {
    await handle.close();
  }
}

async function byteAt(path: string, position: number): Promise<number | undefined> {
  const handle = await open(path, 'r');
  try {
    const one = Buffer.alloc(1);
    const { bytesRead } = await handle.read(one, 0, 1, position);
    return bytesRead === 1 ? one[0] : undefined;
  } finally {
    await handle.close();
  }
}

/**
 * A bucket's bytes, undefined when there is none. Small: read in this thread (a trip through libuv's pool
 * costs more, once per file sent); a missing one is seen by a look that throws nothing (an exception costs
 * ten times the look).
 */
function readBucket(path: string): Buffer | undefined {
  if (statSync(path, { throwIfNoEntry: false }) === undefined) return undefined;
  try {
    return readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
