// Writes that survive a crash: a small file replaced whole, a flushed copy, a folder's entries made durable.
import { randomHex } from './random-hex.js';
import { closeSync, constants, fsync, linkSync, openSync, writeFileSync } from 'node:fs';
import { chmod, copyFile, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { renameRetrying } from './rename-retrying.js';

/**
 * Writes `data` (a small file: a lock, a counter, a record) to `path` and flushes it before returning
 * ('wx': refuses an existing file). Only the flush goes through libuv's thread pool (see flushPath).
 */
export async function writeFileFlushed(path: string, data: Uint8Array | string, flag: 'w' | 'wx' = 'w', mode = 0o666): Promise<void> {
  const fd = openSync(path, flag, mode);
  try {
    writeFileSync(fd, data);
    await flushDescriptor(fd);
  } finally {
    closeSync(fd);
  }
}

/** Write a temporary file beside `path`, flush it, then rename it over `path` (its mode is kept). */
export async function replaceFileAtomically(path: string, data: Uint8Array | string): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.ordo-${process.pid}-${randomHex(4)}.tmp`);
  const mode = await existingMode(path);
  try {
    await writeFileFlushed(temp, data, 'wx', mode ?? 0o666);
    if (mode !== undefined) await chmod(temp, mode);
    await renameRetrying(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dir);
}

/** Make a rename or a link in `dir` durable; some systems (Windows) cannot, which is then not an error. */
export async function syncDirectory(dir: string): Promise<void> {
  try {
    await flushPath(dir, 'r');
  } catch {
    // Directories cannot be opened or flushed there: the rename is as durable as the system makes it.
  }
}

/**
 * Flushes what `path` names. Opening and closing are done in this thread: each is a few microseconds,
 * where a trip through libuv's thread pool costs far more (for a batch of small files, most of the
 * engine's time); only the flush, which waits for the disk, goes to the pool.
 */
async function flushPath(path: string, flags: 'r' | 'r+'): Promise<void> {
  const fd = openSync(path, flags);
  try {
    await flushDescriptor(fd);
  } finally {
    closeSync(fd);
  }
}

function flushDescriptor(fd: number): Promise<void> {
  return new Promise<void>((resolve, reject) => fsync(fd, (error) => (error ? reject(error) : resolve())));
}

async function existingMode(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mode & 0o7777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Copies and flushes `from` to a new file `to`; a copy that could not be flushed is removed (a failed copy is removed by copyFile itself). */
export async function copyFlushed(from: string, to: string): Promise<void> {
  await copyFile(from, to, constants.COPYFILE_EXCL);
  try {
    await flushPath(to, 'r+');
  } catch (error) {
    await unlink(to).catch(() => undefined);
    throw error;
  }
}

/** How a file was duplicated: a second name of the same file, a copy-on-write clone, or a copy of its bytes. */
export type DuplicateMethod = 'link' | 'clone' | 'copy';

/**
 * Gives `from` a second, flushed existence at the new path `to`, writing as little as the volumes allow:
 * a hard link on the same volume (no byte written; only for a file that nothing writes into again), else
 * a clone where the file system can (COPYFILE_FICLONE_FORCE), else a copy. The file's content and the
 * new name are both on disk when it resolves (the caller syncs the folder of the name it finally keeps).
 */
export async function duplicateFlushed(from: string, to: string): Promise<DuplicateMethod> {
  try {
    linkSync(from, to);
  } catch (error) {
    if (!NO_LINK.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
    return cloneOrCopyFlushed(from, to);
  }
  // The content reached the queue by a rename perhaps never flushed by the program that wrote it.
  await flushOrUndo(from, to);
  return 'link';
}

/** Flushes `file`; when that fails, removes the name `made` so that no unflushed duplicate stays. */
async function flushOrUndo(file: string, made: string): Promise<void> {
  try {
    await syncFile(file);
  } catch (error) {
    await unlink(made).catch(() => undefined);
    throw error;
  }
}

/** A clone where the file system can make one, else a copy; flushed (see copyFlushed). */
async function cloneOrCopyFlushed(from: string, to: string): Promise<DuplicateMethod> {
  try {
    await copyFile(from, to, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE_FORCE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw error;
    await copyFlushed(from, to);
    return 'copy';
  }
  await flushOrUndo(to, to);
  return 'clone';
}

/**
 * Why link() may refuse where a clone or a copy can still do: another volume (EXDEV), a file system
 * without hard links (FAT, some shares: EPERM, ENOTSUP, ENOSYS), too many links (EMLINK), or a file
 * another account owns (protected_hardlinks: EPERM).
 */
const NO_LINK = new Set(['EXDEV', 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK', 'EACCES']);

/** Flushes a file's content and metadata (Windows flushes only through a handle open for writing). */
async function syncFile(path: string): Promise<void> {
  await flushPath(path, process.platform === 'win32' ? 'r+' : 'r');
}
