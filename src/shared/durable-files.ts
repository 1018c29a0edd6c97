// Writes that survive a crash: a small file replaced whole, a flushed copy, a folder's entries made durable.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { chmod, copyFile, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Writes `data` to `path` and flushes it before returning ('wx': refuses an existing file). */
export async function writeFileFlushed(path: string, data: Uint8Array | string, flag: 'w' | 'wx' = 'w', mode = 0o666): Promise<void> {
  const handle = await open(path, flag, mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Write a temporary file beside `path`, flush it, then rename it over `path` (its mode is kept). */
export async function replaceFileAtomically(path: string, data: Uint8Array | string): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.ordo-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
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
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Directories cannot be opened or flushed there: the rename is as durable as the system makes it.
  }
}

async function existingMode(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mode & 0o7777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** On Windows an antivirus or an editor may hold the target for a moment: try again briefly. */
async function renameRetrying(from: string, to: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await rename(from, to);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const busy = code === 'EPERM' || code === 'EACCES' || code === 'EBUSY';
      if (!busy || process.platform !== 'win32' || attempt >= 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, attempt * 50));
    }
  }
}

/** Copies and flushes `from` to a new file `to`; a copy that could not be flushed is removed (a failed copy is removed by copyFile itself). */
export async function copyFlushed(from: string, to: string): Promise<void> {
  await copyFile(from, to, constants.COPYFILE_EXCL);
  try {
    const handle = await open(to, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    await unlink(to).catch(() => undefined);
    throw error;
  }
}
