// Giving a complete file its final name in a folder, never over an existing file.
import { randomBytes } from 'node:crypto';
import { copyFile, link, open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ExitCode, OrdoError } from '../core/errors.js';
import { syncDirectory } from './atomic-write.js';
import { fitName, splitExtension } from './name-parts.js';
import { safeLocalName } from './safe-name.js';

export interface Placement {
  name: string;
  path: string;
  /** The desired name was taken: a `_<n>` suffix was added. */
  collided: boolean;
}

const MAX_SUFFIX = 9999;

/** Hard links are refused by some file systems and shares (FAT, some SMB/NAS mounts). */
const LINK_UNSUPPORTED = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

/**
 * A hidden file in `dir` for a download in progress. Safe names never start with a dot, so it can
 * never be mistaken for, or collide with, a received file.
 */
export function partialPathFor(dir: string): string {
  return join(dir, `.ordo-${randomBytes(8).toString('hex')}.partial`);
}

/**
 * Move `tempPath` (a complete file, in `dir` or at least on its file system) to `dir/desiredName`;
 * when that name is taken, `name_1.ext`, `name_2.ext`… Existing files are never overwritten.
 */
export async function placeFile(tempPath: string, dir: string, desiredName: string): Promise<Placement> {
  const wanted = safeLocalName(desiredName);
  for (let n = 0; n <= MAX_SUFFIX; n++) {
    const name = withCollisionSuffix(wanted, n);
    const path = join(dir, name);
    if (await moveWithoutOverwrite(tempPath, path)) {
      await syncDirectory(dir);
      return { name, path, collided: n > 0 };
    }
  }
  throw new OrdoError('naming.place.exhausted', { name: wanted, dir, count: MAX_SUFFIX }, ExitCode.partial);
}

/** `n`-th candidate for `name`: itself, then `stem_1.ext`, `stem_2.ext`… (still a safe name). */
export function withCollisionSuffix(name: string, n: number): string {
  if (n === 0) return name;
  const { stem, ext } = splitExtension(name);
  return safeLocalName(fitName(stem, `_${n}`, ext));
}

/** false when `to` exists. A new hard link fails atomically on an existing name; then the temp name goes. */
async function moveWithoutOverwrite(from: string, to: string): Promise<boolean> {
  try {
    await link(from, to);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') return false;
    if (LINK_UNSUPPORTED.has(code)) return reserveThenMove(from, to);
    throw error;
  }
  await unlink(from);
  return true;
}

/**
 * Without hard links: claim the name with an exclusive create, then rename the complete file over
 * that (empty) claim. The final name never shows partial content, unlike copying into it would.
 */
async function reserveThenMove(from: string, to: string): Promise<boolean> {
  try {
    await (await open(to, 'wx')).close();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') {
      await unlink(to).catch(() => undefined);
      throw error;
    }
    await copyAcrossDevices(from, to);
  }
  return true;
}

async function copyAcrossDevices(from: string, to: string): Promise<void> {
  try {
    await copyFile(from, to);
  } catch (error) {
    await unlink(to).catch(() => undefined);
    throw error;
  }
  await unlink(from);
}
