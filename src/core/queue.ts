// The work queue of a scenario: `queue/<scenario>/<item>/<name>`. A file is claimed by one atomic
// rename out of its source folder (two runs, or two hosts sharing the folder, cannot both win it),
// backed up, sent, and only then removed. Each item has its own folder so that two files with the same
// name (one deferred, one new) never collide.
import { copyFile, link, mkdir, open, readdir, rename, rm, rmdir, unlink, writeFile, constants } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import type { IfExists, ScenarioConfig } from '../config/model.js';
import { spoolPaths } from './paths.js';
import { exists } from './exists.js';
import { temporaryName } from '../protocols/temp-names.js';

export interface QueueItem {
  /** queue/<scenario>/<id> */
  dir: string;
  id: string;
  /** The file's original name. */
  name: string;
  /** queue/<scenario>/<id>/<name> */
  path: string;
}

export function newItemId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

/**
 * Move `sourcePath` into the queue. Returns undefined when another run took it first. When the queue is
 * on another filesystem than the source (EXDEV), the file is first claimed by a rename inside its own
 * folder (still atomic), then copied and flushed into the queue, then removed from the source.
 */
export async function claim(root: string, scenario: string, sourcePath: string, now: Date): Promise<QueueItem | undefined> {
  const name = basename(sourcePath);
  const id = newItemId(now);
  const dir = join(spoolPaths({ root }).queue(scenario), id);
  const path = join(dir, name);
  await mkdir(dir, { recursive: true });
  try {
    await rename(sourcePath, path);
    return { dir, id, name, path };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      await rm(dir, { recursive: true, force: true });
      return undefined;
    }
    if (code !== 'EXDEV') {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }
  const claimed = join(dirname(sourcePath), claimName(name));
  try {
    await rename(sourcePath, claimed);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  await copyFlushed(claimed, path);
  await unlink(claimed);
  return { dir, id, name, path };
}

/** `.ordo-claim.<host>.<pid>.<name>`: hidden, so no scan takes it; tells whose claim it is. */
export function claimName(name: string): string {
  return `.ordo-claim.${hostname()}.${process.pid}.${name}`;
}

/** Claims left in a source folder by a run of this host that died between rename and copy. */
export async function orphanClaims(source: string): Promise<Array<{ path: string; name: string }>> {
  let names: string[];
  try {
    names = await readdir(source);
  } catch {
    return [];
  }
  const prefix = `.ordo-claim.${hostname()}.`;
  const orphans: Array<{ path: string; name: string }> = [];
  for (const entry of names) {
    if (!entry.startsWith(prefix)) continue;
    const rest = entry.slice(prefix.length);
    const dot = rest.indexOf('.');
    const pid = Number(rest.slice(0, dot));
    if (Number.isInteger(pid) && !isAlive(pid)) orphans.push({ path: join(source, entry), name: rest.slice(dot + 1) });
  }
  return orphans;
}

/** The scenario's queued items, oldest first. */
export async function queuedItems(root: string, scenario: string): Promise<QueueItem[]> {
  const base = spoolPaths({ root }).queue(scenario);
  let ids: string[];
  try {
    ids = (await readdir(base)).sort();
  } catch {
    return [];
  }
  const items: QueueItem[] = [];
  for (const id of ids) {
    const dir = join(base, id);
    let names: string[];
    try {
      names = (await readdir(dir)).filter((n) => !n.startsWith('.'));
    } catch {
      continue;
    }
    if (names.length === 0) {
      await rm(dir, { recursive: true, force: true });
      continue;
    }
    const name = names[0]!;
    items.push({ dir, id, name, path: join(dir, name) });
  }
  return items;
}

/** Removes the item's folder: its one file and the folder itself, or whatever else it holds. */
export async function removeItem(item: QueueItem): Promise<void> {
  try {
    await unlink(item.path);
    await rmdir(item.dir);
  } catch {
    await rm(item.dir, { recursive: true, force: true });
  }
}

/** Move an item to failed/<scenario>/<id>/ with a reason file beside it. */
export async function moveToFailed(root: string, scenario: string, item: QueueItem, reason: string): Promise<string> {
  const dir = join(spoolPaths({ root }).failed(scenario), item.id);
  await mkdir(dirname(dir), { recursive: true });
  await rename(item.dir, dir);
  const path = join(dir, item.name);
  await writeFile(`${path}.reason.txt`, `${reason}\n`);
  return path;
}

export type BackupOutcome = { status: 'written' | 'kept-old'; path: string } | { status: 'exists'; path: string };

/**
 * A backup copied and flushed under a temporary name in the backup folder, not placed yet: it is
 * made while the file is being hashed, and only placed once the file is known to be sent.
 */
export type StagedBackup = { decided: BackupOutcome } | { temp: string; target: string; replace: boolean };

/** Copies the queued file into the scenario's backup folder, unless its ifExists policy says no copy is needed. */
export async function stageBackup(scenario: ScenarioConfig, filePath: string, name: string): Promise<StagedBackup> {
  const dir = scenario.backup.dir;
  const target = join(dir, name);
  const policy: IfExists = scenario.backup.ifExists;
  const existing = await exists(target);
  if (existing && policy === 'keep') return { decided: { status: 'kept-old', path: target } };
  if (existing && policy === 'fail') return { decided: { status: 'exists', path: target } };
  const temp = join(dir, temporaryName(name));
  try {
    await copyFlushed(filePath, temp);
  } catch (error) {
    // The backup folder is created on first use (checked only when the copy cannot be made).
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await mkdir(dir, { recursive: true });
    await copyFlushed(filePath, temp);
  }
  return { temp, target, replace: !existing || policy === 'overwrite' };
}

/** Gives a staged copy its name under the ifExists policy. */
export async function placeBackup(staged: StagedBackup, now: Date): Promise<BackupOutcome> {
  if ('decided' in staged) return staged.decided;
  const { temp, target } = staged;
  if (staged.replace) {
    await rename(temp, target);
    return { status: 'written', path: target };
  }
  // rename policy: keep both, the new copy gets a timestamp (and a number if that exists too).
  for (let n = 0; ; n++) {
    const candidate = join(dirname(target), stampedName(basename(target), now, n));
    try {
      await link(temp, candidate);
      await unlink(temp);
      return { status: 'written', path: candidate };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        await unlink(temp).catch(() => undefined);
        throw error;
      }
    }
  }
}

/** A staged copy that will not be needed (the file is a duplicate, or could not be read). Never throws. */
export async function discardBackup(staging: Promise<StagedBackup> | undefined): Promise<void> {
  const staged = await staging?.catch(() => undefined);
  if (staged !== undefined && !('decided' in staged)) await unlink(staged.temp).catch(() => undefined);
}

export async function copyFlushed(from: string, to: string): Promise<void> {
  await copyFile(from, to, constants.COPYFILE_EXCL);
  const handle = await open(to, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function stampedName(name: string, now: Date, n: number): string {
  const pad = (v: number) => String(v).padStart(2, '0');
  const stamp = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}_${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  const ext = extname(name);
  const base = ext === '' ? name : name.slice(0, -ext.length);
  return `${base}_${stamp}${n === 0 ? '' : `_${n}`}${ext}`;
}


function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
