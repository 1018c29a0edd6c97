// Giving a file its final name without ever replacing a file already there.
import { copyFile, link, lstat, mkdir, open, unlink } from 'node:fs/promises';
import { renameRetrying } from '../../shared/rename-retrying.js';
import { extname, join } from 'node:path';
import { errorCode, isAlreadyThere, isMissing, linkUnsupported } from './file-errors.js';

const MAX_SUFFIX = 999;

/**
 * Moves `from` to `to`; rejects with EEXIST when `to` exists. A hard link is atomic and refuses an
 * existing name, so the file appears complete or not at all. Where the filesystem has no hard links,
 * `to` is reserved by an exclusive create and then atomically replaced by `from`.
 * Resolves false when the content is in place but `from` could not be removed.
 */
export async function placeWithoutOverwrite(from: string, to: string): Promise<boolean> {
  try {
    await link(from, to);
  } catch (error) {
    if (!linkUnsupported(error)) throw error;
    await replaceOwnPlaceholder(from, to);
    return true;
  }
  return removeQuietly(from);
}

/** Moves `from` into `folder` under `name`, or `stem-1.ext`, `stem-2.ext`… when taken. Returns the new path. */
export async function moveIntoFolder(from: string, folder: string, name: string): Promise<string> {
  await mkdir(folder, { recursive: true });
  for (let attempt = 0; attempt <= MAX_SUFFIX; attempt += 1) {
    const to = join(folder, suffixed(name, attempt));
    try {
      await placeWithoutOverwrite(from, to);
      return to;
    } catch (error) {
      if (!isAlreadyThere(error)) throw error;
    }
  }
  const error = new Error(`no free name for ${name} in ${folder}`) as NodeJS.ErrnoException;
  error.code = 'EEXIST';
  throw error;
}

export function suffixed(name: string, attempt: number): string {
  if (attempt === 0) return name;
  const extension = extname(name);
  return `${name.slice(0, name.length - extension.length)}-${attempt}${extension}`;
}

export async function removeQuietly(path: string): Promise<boolean> {
  try {
    await unlink(path);
    return true;
  } catch (error) {
    return isMissing(error);
  }
}

async function replaceOwnPlaceholder(from: string, to: string): Promise<void> {
  const placeholder = await open(to, 'wx');
  const identity = await placeholder.stat({ bigint: true });
  await placeholder.close();
  try {
    // An antivirus may hold the placeholder it has just seen created (Windows): tried again briefly.
    await renameRetrying(from, to);
  } catch (error) {
    if (errorCode(error) !== 'EXDEV') {
      await removeIfStillPlaceholder(to, identity);
      throw error;
    }
    await copyOverPlaceholder(from, to, identity);
  }
}

/** Another volume (a move into a folder elsewhere): copy into the reserved name, then drop the source. */
async function copyOverPlaceholder(from: string, to: string, identity: FileIdentity): Promise<void> {
  try {
    await copyFile(from, to);
  } catch (error) {
    await removeIfStillPlaceholder(to, identity);
    throw error;
  }
  await unlink(from);
}

interface FileIdentity {
  dev: bigint;
  ino: bigint;
}

async function removeIfStillPlaceholder(path: string, identity: FileIdentity): Promise<void> {
  try {
    const now = await lstat(path, { bigint: true });
    if (now.dev === identity.dev && now.ino === identity.ino) await unlink(path);
  } catch {
    // Gone already, or not ours to remove.
  }
}
