// Giving a complete file its final name in a folder, never over an existing file.
import { copyFile, link, lstat, open, readdir, unlink } from 'node:fs/promises';
import { renameRetrying } from '../shared/rename-retrying.js';
import { join } from 'node:path';
import { ExitCode, OrdoError } from '../shared/errors.js';
import { isRemovableLeftover, STALE_TEMP_MS, temporaryName } from '../shared/temp-names.js';
import { syncDirectory } from '../shared/durable-files.js';
import { linkUnsupported } from '../shared/fs-errors.js';
import { fitName, splitExtension } from './name-parts.js';
import { safeLocalName } from './safe-name.js';

export interface Placement {
  name: string;
  path: string;
  /** The desired name was taken: a `_<n>` suffix was added. */
  collided: boolean;
}

const MAX_SUFFIX = 9999;


/**
 * A hidden file in `dir` for a download in progress, named like every temporary file of ordo (telling
 * the host and the process writing it, see temp-names.ts). Safe names never start with a dot, so it can
 * never be mistaken for, or collide with, a received file.
 */
export function partialPathFor(dir: string, name = 'download'): string {
  return join(dir, temporaryName(safeLocalName(name)));
}

/** Partial files of versions before temporaryName: no owner in the name, removable once a day old. */
const LEGACY_PARTIAL = /^\.ordo-[0-9a-f]{16}\.partial$/;

export interface LeftoverSweep {
  removed: string[];
  /** Temporary files that may belong to a transfer in progress (another host, a live process): left alone. */
  kept: string[];
}

/**
 * Removes the partial files in `dir` that a crashed run left (see isRemovableLeftover), except those in
 * `keep` (a partial that a `placing` journal line still points to). Never throws.
 */
export async function removeLeftoverPartials(dir: string, keep: ReadonlySet<string>, nowMs: number): Promise<LeftoverSweep> {
  const sweep: LeftoverSweep = { removed: [], kept: [] };
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const legacy = LEGACY_PARTIAL.test(name);
    if (!legacy && !name.endsWith('.ordo-part')) continue;
    const path = join(dir, name);
    if (keep.has(path)) continue;
    const info = await lstat(path).catch(() => undefined);
    if (info === undefined || !info.isFile()) continue;
    const removable = legacy ? nowMs - info.mtimeMs > STALE_TEMP_MS : isRemovableLeftover(name, info.mtimeMs, nowMs);
    if (!removable) {
      sweep.kept.push(path);
      continue;
    }
    await unlink(path).then(
      () => sweep.removed.push(path),
      () => sweep.kept.push(path),
    );
  }
  return sweep;
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
    if (linkUnsupported(error)) return reserveThenMove(from, to);
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
    // An antivirus may hold the placeholder it has just seen created (Windows): tried again briefly.
    await renameRetrying(from, to);
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
