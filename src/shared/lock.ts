// Locks by atomic create (O_EXCL), which also works on network shares. The file holds its owner
// (pid, host, since); the owner refreshes its mtime while it holds it, so a lock left by a crash is
// recognised as stale: on this host when its pid is gone, from any host when its heartbeat is old.
// Every step but the flush of a new lock file is a direct system call (a few microseconds each) rather
// than a trip through libuv's thread pool: a run with nothing to do takes three locks.
import { linkSync, mkdirSync, readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { LockHeldError, type LockOwner } from './errors.js';
import { isAlreadyThere, linkUnsupported } from './fs-errors.js';
import { isProcessAlive } from './process.js';
import { isRemovableLeftover, isTemporaryName, temporaryName } from './temp-names.js';
import { writeFileFlushed } from './durable-files.js';

export interface LockOptions {
  /** What holds it (shown to whoever finds it held). */
  command?: string;
  /** A lock whose heartbeat is older than this is stale (default 2 minutes). */
  staleMs?: number;
  /** Keep trying for this long before giving up (default 0: fail at once). */
  waitMs?: number;
}

export interface Lock {
  path: string;
  owner: LockOwner;
  /** Set when a stale lock was taken over: its previous owner. */
  replaced: LockOwner | undefined;
  release(): void;
}

export interface LockState {
  owner: LockOwner;
  stale: boolean;
  ageMs: number;
}

const DEFAULT_STALE_MS = 120_000;

export async function acquireLock(path: string, options: LockOptions = {}): Promise<Lock> {
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  const deadline = Date.now() + (options.waitMs ?? 0);
  mkdirSync(dirname(path), { recursive: true });
  sweepTemporaries(dirname(path));
  const owner: LockOwner = {
    pid: process.pid,
    host: hostname(),
    since: new Date().toISOString(),
    ...(options.command === undefined ? {} : { command: options.command }),
  };
  let replaced: LockOwner | undefined;
  for (let attempt = 0; ; attempt++) {
    if (await tryCreate(path, owner)) return held(path, owner, replaced, staleMs);
    const state = readLock(path, staleMs);
    if (state === undefined) continue; // released between our attempt and our look
    if (state.stale) {
      if (await breakStale(path, staleMs)) replaced = state.owner;
      continue;
    }
    if (Date.now() >= deadline) throw new LockHeldError(path, state.owner);
    await sleep(Math.min(10 + attempt * 5, 100));
  }
}

export async function withLock<T>(path: string, options: LockOptions, fn: (lock: Lock) => Promise<T>): Promise<T> {
  const lock = await acquireLock(path, options);
  try {
    return await fn(lock);
  } finally {
    lock.release();
  }
}

/** Who holds the lock at `path`, and whether it looks stale; undefined when nobody does. */
export function readLock(path: string, staleMs = DEFAULT_STALE_MS): LockState | undefined {
  let text: string;
  let mtimeMs: number;
  try {
    text = readFileSync(path, 'utf8');
    mtimeMs = statSync(path).mtimeMs;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  const owner = parseOwner(text);
  const ageMs = Date.now() - mtimeMs;
  if (owner === undefined) {
    // Being written right now, or garbage left by a crash: stale only once old.
    return { owner: { pid: 0, host: '?', since: new Date(mtimeMs).toISOString() }, stale: ageMs > staleMs, ageMs };
  }
  const sameHost = owner.host === hostname();
  const stale = (sameHost && !isProcessAlive(owner.pid)) || ageMs > staleMs;
  return { owner, stale, ageMs };
}

/**
 * Creates the lock file with its owner already in it: written and flushed under a temporary name, then
 * hard-linked to the lock's name (atomic, refused when the name exists), so that a process killed at any
 * instant leaves either no lock or a lock naming it — never an empty one that would look held until
 * its heartbeat is old. Where hard links are refused (some shares), an exclusive create, then the write.
 */
async function tryCreate(path: string, owner: LockOwner): Promise<boolean> {
  const text = JSON.stringify(owner);
  const temp = join(dirname(path), temporaryName(basename(path)));
  try {
    await writeNew(temp, text);
    linkSync(temp, path);
    return true;
  } catch (error) {
    if (isAlreadyThere(error)) return false;
    if (!linkUnsupported(error)) throw error;
  } finally {
    unlinkQuietly(temp);
  }
  try {
    await writeNew(path, text);
    return true;
  } catch (error) {
    if (isAlreadyThere(error)) return false;
    throw error;
  }
}

async function writeNew(path: string, text: string): Promise<void> {
  await writeFileFlushed(path, text, 'wx');
}

/** Temporary lock files of killed runs of this host (see tryCreate), removed once per folder and process. */
const swept = new Set<string>();
function sweepTemporaries(dir: string): void {
  if (swept.has(dir)) return;
  swept.add(dir);
  const now = Date.now();
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!isTemporaryName(name)) continue;
    const path = join(dir, name);
    const mtime = statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? now;
    if (isRemovableLeftover(name, mtime, now)) unlinkQuietly(path);
  }
}

/**
 * Two runs may both find the same stale lock: only the one holding `<lock>.break` may remove it, and it
 * looks again under that guard, so it never removes a lock that another run has just created.
 */
async function breakStale(path: string, staleMs: number): Promise<boolean> {
  const guard = `${path}.break`;
  const guardOwner: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  if (!(await tryCreate(guard, guardOwner))) {
    const guardState = readLock(guard, 30_000);
    if (guardState?.stale) unlinkUnlessGone(guard);
    await sleep(20);
    return false;
  }
  try {
    const state = readLock(path, staleMs);
    if (state?.stale) {
      unlinkUnlessGone(path);
      return true;
    }
    return false;
  } finally {
    unlinkUnlessGone(guard);
  }
}

function held(path: string, owner: LockOwner, replaced: LockOwner | undefined, staleMs: number): Lock {
  const heartbeat = setInterval(() => {
    const now = new Date();
    utimes(path, now, now).catch(() => undefined);
  }, Math.max(1000, Math.floor(staleMs / 4)));
  heartbeat.unref();
  let released = false;
  return {
    path,
    owner,
    replaced,
    release() {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      // Remove it only if it is still ours (it may have been broken as stale and re-taken).
      try {
        const current = parseOwner(readFileSync(path, 'utf8'));
        if (current && current.pid === owner.pid && current.host === owner.host && current.since === owner.since) {
          unlinkSync(path);
        }
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    },
  };
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    if (typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.since === 'string') {
      return value as LockOwner;
    }
  } catch {
    // fall through
  }
  return undefined;
}

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

function unlinkUnlessGone(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone, or not ours to remove: nothing depends on it
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
