// Counters behind [numrec] and TEDECO's numbers: incremented and saved before use, under a lock, so
// that no number is ever handed out twice — not by two processes at once, not after a crash.
import { mkdir, readFile, realpath } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { OrdoConfig } from '../config/model.js';
import { withLock, type LockOptions } from '../shared/lock.js';
import { spoolPaths } from '../shared/paths.js';
import { replaceFileAtomically } from '../shared/durable-files.js';
import { counterError } from './counter-errors.js';
import { nextCounterValue, type CounterValue } from './counter-value.js';
import { INI_COUNTER_KEY, readIniCounter } from './ini-counter.js';
import { readCounterTable, writeCounterTable } from './json-counters.js';

export interface CounterStore {
  /** Take the next number: it is on disk before this resolves. */
  next(counter: string): Promise<CounterValue>;
  /** What `next` would give now, without writing anything (for --dry-run). */
  peek(counter: string): Promise<CounterValue>;
}

/** The file that holds every counter except the automate.ini's `numrec`. */
export const COUNTERS_FILE = 'counters.json';

const COUNTER_LOCK = 'counters';
const LOCK_OPTIONS: LockOptions = { waitMs: 30_000, staleMs: 10_000, command: 'counters' };

interface LoadedCounter {
  lastUsed: string | undefined;
  save(digits: string): Promise<void>;
}

export function openCounterStore(config: Pick<OrdoConfig, 'counters' | 'root'>): CounterStore {
  const lockPath = spoolPaths(config).lock(COUNTER_LOCK);
  const tableFile = config.counters.kind === 'file' ? config.counters.path : join(config.root, COUNTERS_FILE);
  const load = (counter: string): Promise<LoadedCounter> =>
    config.counters.kind === 'ini' && counter === INI_COUNTER_KEY
      ? loadIniCounter(config.counters.path)
      : loadTableCounter(tableFile, counter);
  return {
    next: (counter) =>
      withLock(lockPath, LOCK_OPTIONS, async () => {
        const loaded = await load(counter);
        const value = nextCounterValue(loaded.lastUsed);
        await loaded.save(value.value);
        return value;
      }),
    peek: async (counter) => nextCounterValue((await load(counter)).lastUsed),
  };
}

/**
 * For --dry-run over several files: successive simulated numbers (the first one is what `next` would
 * give now), and nothing is ever written.
 */
export function dryRunCounters(store: CounterStore): CounterStore {
  const simulated = new Map<string, string>();
  const take = async (counter: string): Promise<CounterValue> => {
    const previous = simulated.get(counter);
    const value = previous === undefined ? await store.peek(counter) : nextCounterValue(previous);
    simulated.set(counter, value.value);
    return value;
  };
  return { next: take, peek: take };
}

async function loadIniCounter(path: string): Promise<LoadedCounter> {
  let file: string;
  let bytes: Buffer;
  try {
    // Write through a symbolic link, never over it.
    file = await realpath(path);
    bytes = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw counterError('naming.counter.missingFile', { file: path, counter: INI_COUNTER_KEY });
    }
    throw error;
  }
  const counter = readIniCounter(bytes, path);
  return {
    lastUsed: counter.lastUsed,
    save: (digits) => replaceFileAtomically(file, counter.withValue(digits)),
  };
}

async function loadTableCounter(file: string, counter: string): Promise<LoadedCounter> {
  const table = await readCounterTable(file);
  return {
    lastUsed: table[counter],
    save: async (digits) => {
      await mkdir(dirname(file), { recursive: true });
      await writeCounterTable(file, { ...table, [counter]: digits });
    },
  };
}
