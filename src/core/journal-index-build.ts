// Building the journal index: journal bytes past the high-water mark → records appended to buckets.
// Runs under the index lock (journal-index.ts); a rebuild writes a new generation folder.
import { randomHex } from '../shared/random-hex.js';
import { closeSync, constants, fstatSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { mkdir, open, readFile, rename, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { JournalEntry } from './journal.js';
import {
  COMPLETED,
  FOLLOW_CLOSED,
  INDEX_VERSION,
  RECEIVED,
  RECORD_SIZE,
  bucketName,
  bucketOf,
  entryKeys,
  isLater,
  keyHash,
  monthFileName,
  writeRecord,
  type LinePointer,
} from './journal-index-keys.js';

export interface IndexState {
  version: number;
  /** The folder of the buckets (journal-index/<generation>/). */
  generation: string;
  /** Per month file (AAAAMM), how many bytes are indexed: always the end of a whole line. */
  months: Record<string, number>;
  /** Per scenario, the latest completed transfer (one pointer each: no bucket gets them all). */
  last: Record<string, LinePointer>;
  /** Per retrieval key whose latest line is `placing` (a run died while placing it): that line. */
  placing: Record<string, LinePointer>;
  /**
   * Per scenario, its open pending sends: per queue path, the `pending` line, dropped when a line closes
   * it (acknowledged, refused, failed). What `follow` asks about, without reading the history.
   */
  pending: Record<string, Record<string, LinePointer>>;
}

export async function readState(indexDir: string): Promise<IndexState | undefined> {
  let text: string;
  try {
    text = await readFile(join(indexDir, 'state.json'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    // Read from disk: any field may be missing or of another type.
    const state = JSON.parse(text) as { [K in keyof IndexState]?: unknown };
    if (typeof state.generation !== 'string' || !/^g[\w-]+$/.test(state.generation)) return undefined;
    if (typeof state.months !== 'object' || state.months === null || typeof state.last !== 'object' || state.last === null) return undefined;
    const months = state.months as Record<string, number>;
    for (const size of Object.values(months)) if (!Number.isSafeInteger(size) || size < 0) return undefined;
    const placing = typeof state.placing === 'object' && state.placing !== null ? state.placing : {};
    // Indexes written before pending sends were followed have none: no protocol returned `pending` then.
    const pending = typeof state.pending === 'object' && state.pending !== null ? state.pending : {};
    return {
      version: Number(state.version),
      generation: state.generation,
      months,
      last: state.last as Record<string, LinePointer>,
      placing: placing as Record<string, LinePointer>,
      pending: pending as Record<string, Record<string, LinePointer>>,
    };
  } catch {
    return undefined;
  }
}

/** Replaced at once (temporary file, flushed, renamed): a crash leaves the old state or the new one. */
export async function writeState(indexDir: string, state: IndexState): Promise<void> {
  const temp = join(indexDir, `state.json.${process.pid}.tmp`);
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(`${JSON.stringify(state)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, join(indexDir, 'state.json'));
}

/** Records waiting to be appended, by bucket; flushed to the files when `limit` bytes wait. */
export class BucketWriter {
  /** Per bucket, a buffer of records and how many bytes of it are used. */
  private pending = new Map<number, { data: Buffer; used: number }>();
  private pendingBytes = 0;
  private readonly touched = new Set<number>();

  constructor(
    private readonly dir: string,
    private readonly limit = 16 * 1024 * 1024,
  ) {}

  add(key: string, pointer: LinePointer): void {
    const hash = keyHash(key);
    const bucket = bucketOf(hash);
    let slot = this.pending.get(bucket);
    if (slot === undefined) this.pending.set(bucket, (slot = { data: Buffer.allocUnsafe(RECORD_SIZE * 8), used: 0 }));
    if (slot.used + RECORD_SIZE > slot.data.length) {
      const larger = Buffer.allocUnsafe(slot.data.length * 2);
      slot.data.copy(larger, 0, 0, slot.used);
      slot.data = larger;
    }
    writeRecord(slot.data, slot.used, hash, pointer);
    slot.used += RECORD_SIZE;
    this.pendingBytes += RECORD_SIZE;
  }

  get full(): boolean {
    return this.pendingBytes >= this.limit;
  }

  /**
   * Appends what waits (only one run does, under the index lock). Written after the last whole record:
   * a torn record at a bucket's end (a crash mid-append) is written over, as it is at least a record
   * shorter than what comes. Synchronous calls: thousands of small files, where each asynchronous call
   * would be a trip through the thread pool (a first build's writes took 3× longer that way).
   */
  flush(durable = false): void {
    for (const [bucket, slot] of this.pending) {
      const fd = openSync(join(this.dir, bucketName(bucket)), constants.O_RDWR | constants.O_CREAT);
      try {
        const { size } = fstatSync(fd);
        writeSync(fd, slot.data, 0, slot.used, size - (size % RECORD_SIZE));
        if (durable) fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      if (durable) this.touched.delete(bucket);
      else this.touched.add(bucket);
    }
    this.pending = new Map();
    this.pendingBytes = 0;
  }

  /** Flushes, then makes every bucket written to durable, and the folder's entries with them. */
  commit(): void {
    const written = this.touched.size + this.pending.size;
    this.flush(true);
    for (const bucket of this.touched) {
      const fd = openSync(join(this.dir, bucketName(bucket)), 'r+');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
    this.touched.clear();
    if (written > 0) syncDir(this.dir);
  }
}

/**
 * Indexes month `month` from byte `from` to the end of its last whole line: every line's keys go to
 * `writer`, completed transfers to `last`. Returns the new mark. Lines that do not parse are skipped
 * (readJournal skips them too); a line glued after a torn one is still found.
 */
export async function indexMonth(
  journalDir: string,
  month: number,
  from: number,
  writer: BucketWriter,
  state: Pick<IndexState, 'last' | 'placing' | 'pending'>,
): Promise<number> {
  let handle: FileHandle;
  try {
    handle = await open(join(journalDir, monthFileName(month)), 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return from;
    throw error;
  }
  try {
    const chunkSize = 1024 * 1024;
    let carry: Buffer = Buffer.alloc(0);
    let carryStart = from;
    let position = from;
    for (;;) {
      const chunk = Buffer.allocUnsafe(chunkSize);
      const { bytesRead } = await handle.read(chunk, 0, chunkSize, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      const data = carry.length === 0 ? chunk.subarray(0, bytesRead) : Buffer.concat([carry, chunk.subarray(0, bytesRead)]);
      let start = 0;
      for (let end = data.indexOf(10, start); end !== -1; end = data.indexOf(10, start)) {
        indexLine(data.subarray(start, end), { month, offset: carryStart + start, length: end - start }, writer, state);
        start = end + 1;
      }
      carry = Buffer.from(data.subarray(start));
      carryStart += start;
      if (writer.full) writer.flush();
    }
    return carryStart;
  } finally {
    await handle.close();
  }
}

const LINE_START = Buffer.from('{"time":');

function indexLine(bytes: Buffer, pointer: LinePointer, writer: BucketWriter, state: Pick<IndexState, 'last' | 'placing' | 'pending'>): void {
  let entry = parseLine(bytes);
  let at = pointer;
  if (entry === undefined) {
    // A line torn by a crash, with the next run's line written right after it.
    const glued = bytes.lastIndexOf(LINE_START);
    if (glued <= 0) return;
    entry = parseLine(bytes.subarray(glued));
    if (entry === undefined) return;
    at = { month: pointer.month, offset: pointer.offset + glued, length: pointer.length - glued };
  }
  for (const key of entryKeys(entry)) writer.add(key, at);
  if (COMPLETED.has(entry.state) && typeof entry.scenario === 'string') {
    const previous = ownValue(state.last, entry.scenario);
    if (previous === undefined || isLater(at, previous)) setOwn(state.last, entry.scenario, at);
  }
  if (entry.direction === 'receive' && typeof entry.key === 'string' && RECEIVED.has(entry.state)) {
    if (entry.state === 'placing') setOwn(state.placing, entry.key, at);
    else Reflect.deleteProperty(state.placing, entry.key);
  }
  if (entry.direction === 'send' && typeof entry.path === 'string' && typeof entry.scenario === 'string') notePending(state.pending, entry, at);
}

/** An open pending send is remembered by its `pending` line until a line of the same queue path closes it. */
function notePending(pending: IndexState['pending'], entry: JournalEntry, at: LinePointer): void {
  const scenario = entry.scenario;
  const path = entry.path ?? '';
  if (entry.state === 'pending') {
    let open = ownValue(pending, scenario);
    if (open === undefined) setOwn(pending, scenario, (open = {}));
    setOwn(open, path, at);
  } else if (FOLLOW_CLOSED.has(entry.state)) {
    const open = ownValue(pending, scenario);
    if (open === undefined || ownValue(open, path) === undefined) return;
    Reflect.deleteProperty(open, path);
    if (Object.keys(open).length === 0) Reflect.deleteProperty(pending, scenario);
  }
}

/** A record's own value (names come from the journal: `constructor` is a name, not Object's). */
export function ownValue<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

export function parseLine(bytes: Buffer): JournalEntry | undefined {
  try {
    const value = JSON.parse(bytes.toString('utf8')) as unknown;
    return typeof value === 'object' && value !== null ? (value as JournalEntry) : undefined;
  } catch {
    return undefined;
  }
}

export async function newGenerationDir(indexDir: string): Promise<{ generation: string; dir: string }> {
  // Unique across runs and hosts sharing the spool.
  const generation = `g${Date.now().toString(36)}-${process.pid}-${randomHex(3)}`;
  const dir = join(indexDir, generation);
  await mkdir(dir, { recursive: true });
  return { generation, dir };
}

export function emptyState(generation: string): IndexState {
  return { version: INDEX_VERSION, generation, months: {}, last: {}, placing: {}, pending: {} };
}

function syncDir(dir: string): void {
  // Not possible on Windows (a folder cannot be opened for flushing), where NTFS logs its entries.
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // best effort
  }
}
