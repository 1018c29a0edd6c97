// The work queue of a scenario: `queue/<scenario>/<item>/<name>`. A file is claimed by one atomic
// rename out of its source folder (two runs, or two hosts sharing the folder, cannot both win it),
// backed up, sent, and only then removed. Each item has its own folder so that two files with the same
// name (one deferred, one new) never collide.
import { link, lstat, mkdir, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { createReadStream, existsSync, mkdirSync, readdirSync, renameSync, rmdirSync, unlinkSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { basename, dirname, extname, join } from 'node:path';
import type { IfExists, ScenarioConfig } from '../config/model.js';
import { spoolPaths } from '../shared/paths.js';
import { exists } from '../shared/exists.js';
import { isRemovableLeftover, isTemporaryName, temporaryName } from '../shared/temp-names.js';
import { isProcessAlive, thisHost } from '../shared/process.js';
import { sha256File } from '../shared/hash.js';
import { copyFlushed, duplicateFlushed, syncDirectory, type DuplicateMethod } from '../shared/durable-files.js';
import { errorCode } from '../shared/fs-errors.js';
import { renameRetrying } from '../shared/rename-retrying.js';
import { randomHex } from '../shared/random-hex.js';

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
  return `${stamp}-${randomHex(3)}`;
}

/**
 * Move `sourcePath` into the queue. Returns undefined when another run took it first. When the queue is
 * on another filesystem than the source (EXDEV), the file is first claimed by a rename inside its own
 * folder (still atomic), then finished by finishClaim. A failure puts the file back where it was.
 */
export async function claim(root: string, scenario: string, sourcePath: string, now: Date, spares?: SpareFolders): Promise<QueueItem | undefined> {
  const name = basename(sourcePath);
  const id = newItemId(now);
  const base = spoolPaths({ root }).queue(scenario);
  const item = itemAt(base, id, name);
  try {
    if (spares?.takeAs(item.dir) !== true) makeItemFolder(item.dir);
    // The source file may be held for a moment by an antivirus or the program that wrote it (Windows).
    await renameRetrying(sourcePath, item.path);
    return item;
  } catch (error) {
    await removeFolder(item.dir, spares).catch(() => undefined);
    if (errorCode(error) === 'ENOENT') return undefined;
    if (errorCode(error) !== 'EXDEV') throw error;
  }
  const claimed = join(dirname(sourcePath), claimName(name, id));
  try {
    await renameRetrying(sourcePath, claimed);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return (await finishClaim(claimed, base, id, name, spares)).item;
  } catch (error) {
    await releaseClaim(claimed, sourcePath);
    throw error;
  }
}

/**
 * Completes a cross-volume claim, from any point a crash may have left it at: the copy is made in a
 * hidden temporary item folder, flushed, made visible by one rename, and only then is the claim file
 * removed. A visible item of the same id that matches the claim file means only the removal was
 * missing (`wasComplete`); one that does not match is an incomplete copy and is made again from the
 * claim file.
 */
export async function finishClaim(claimed: string, base: string, id: string, name: string, spares?: SpareFolders): Promise<{ item: QueueItem; wasComplete: boolean }> {
  const item = itemAt(base, id, name);
  if (await exists(item.path)) {
    if (await sameContent(item.path, claimed)) {
      await dropClaim(claimed);
      return { item, wasComplete: true };
    }
    await rm(item.dir, { recursive: true, force: true });
  }
  await removeLeftovers(base, `.${id}.`);
  await copyIntoItem(claimed, item, spares);
  await dropClaim(claimed);
  return { item, wasComplete: false };
}

/**
 * Copies `sourcePath` into a new queue item and leaves the original where it is (a file given to `send`
 * from outside the scenario's source folder). Durable: copied and flushed into a hidden item folder,
 * which one rename makes visible; a crash or a full disk leaves no item, only a hidden leftover that the
 * next run removes.
 */
export async function copyIntoQueue(root: string, scenario: string, sourcePath: string, now: Date, spares?: SpareFolders): Promise<QueueItem> {
  const item = itemAt(spoolPaths({ root }).queue(scenario), newItemId(now), basename(sourcePath));
  await mkdir(dirname(item.dir), { recursive: true });
  await copyIntoItem(sourcePath, item, spares);
  return item;
}

/** The queued item `item` (not there yet) made from a copy of `from`: hidden while it is filled, flushed, then renamed. */
async function copyIntoItem(from: string, item: QueueItem, spares?: SpareFolders): Promise<void> {
  const base = dirname(item.dir);
  const temp = join(base, temporaryName(item.id));
  try {
    if (spares?.takeAs(temp) !== true) await mkdir(temp, { recursive: true });
    await copyFlushed(from, join(temp, item.name));
    await rename(temp, item.dir);
  } catch (error) {
    await rm(temp, { recursive: true, force: true }).catch(() => undefined);
    throw error;
  }
  await syncDirectory(base);
}

/** A queued item of the scenario with the same name and content as `path`, if any. */
export async function queuedCopyOf(root: string, scenario: string, path: string): Promise<QueueItem | undefined> {
  for (const item of await queuedItems(root, scenario)) {
    if (item.name === basename(path) && (await sameContent(item.path, path).catch(() => false))) return item;
  }
  return undefined;
}

/**
 * An unjournaled item that an older version left from this claim file (no id in the claim's name):
 * identical → the claim only needs removing; a strict prefix of it → an interrupted copy. Undefined
 * when the item is unrelated.
 */
export async function matchOldClaim(claimed: string, item: QueueItem): Promise<'complete' | 'partial' | undefined> {
  const [mine, theirs] = await Promise.all([stat(item.path), stat(claimed)]);
  if (mine.size > theirs.size) return undefined;
  if ((await sha256File(item.path)) !== (await sha256Prefix(claimed, mine.size))) return undefined;
  return mine.size === theirs.size ? 'complete' : 'partial';
}

/** Removes a claim file whose content is safely in the queue. */
export async function dropClaim(claimed: string): Promise<void> {
  await unlink(claimed);
  await syncDirectory(dirname(claimed));
}

/** Gives a claimed file its name back (never over a file that has appeared since). Never throws. */
export async function releaseClaim(claimed: string, sourcePath: string): Promise<void> {
  try {
    await link(claimed, sourcePath);
  } catch (error) {
    // No hard links on this filesystem: a rename, unless the name was taken meanwhile.
    if (errorCode(error) !== 'EEXIST' && !(await exists(sourcePath))) await rename(claimed, sourcePath).catch(() => undefined);
    return;
  }
  // Never both names: the next run would finish the claim and also claim the file again.
  await unlink(claimed).catch(() => unlink(sourcePath).catch(() => undefined));
}

/** `.ordo-claim.<host>.<pid>.<id>.<name>`: hidden, so no scan takes it; tells whose claim it is and its queue item. */
export function claimName(name: string, id: string): string {
  return `.ordo-claim.${thisHost()}.${process.pid}.${id}.${name}`;
}

export interface OrphanClaim {
  path: string;
  name: string;
  /** The queue item it becomes; absent in the claims of older versions. */
  id?: string;
}

const CLAIM_REST = /^(\d+)\.(?:(\d{14}-[0-9a-f]{6})\.)?(.+)$/s;

/** Claims left in a source folder by a run of this host that died before finishing them. */
export async function orphanClaims(source: string): Promise<OrphanClaim[]> {
  let names: string[];
  try {
    names = await readdir(source);
  } catch {
    return [];
  }
  const prefix = `.ordo-claim.${thisHost()}.`;
  const orphans: OrphanClaim[] = [];
  for (const entry of names) {
    const match = entry.startsWith(prefix) ? CLAIM_REST.exec(entry.slice(prefix.length)) : null;
    if (match === null) continue;
    // `name` (.+) is there whenever the expression matches; `id` is optional.
    const [, pid, id, name] = match;
    if (name === undefined || isProcessAlive(Number(pid))) continue;
    orphans.push({ path: join(source, entry), name, ...(id === undefined ? {} : { id }) });
  }
  return orphans;
}

/**
 * Removes the temporaries of `dir` (hidden queue items being filled, backup copies being written)
 * that `isRemovableLeftover` proves abandoned; only names starting with `prefix` when given.
 */
export async function removeLeftovers(dir: string, prefix = '.'): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  const now = Date.now();
  for (const name of names) {
    if (!name.startsWith(prefix) || !isTemporaryName(name)) continue;
    const path = join(dir, name);
    try {
      if (!isRemovableLeftover(name, (await lstat(path)).mtimeMs, now)) continue;
      await rm(path, { recursive: true, force: true });
      removed.push(path);
    } catch {
      // Gone meanwhile, or not ours to remove: the next run looks again.
    }
  }
  return removed;
}

/** Whether the scenario has queued items (without touching anything: callable outside its lock). */
export async function hasQueuedItems(root: string, scenario: string): Promise<boolean> {
  const names = await readdir(spoolPaths({ root }).queue(scenario)).catch(() => [] as string[]);
  return names.some((id) => !id.startsWith('.'));
}

/** The scenario's queued items, oldest first. */
export async function queuedItems(root: string, scenario: string): Promise<QueueItem[]> {
  const base = spoolPaths({ root }).queue(scenario);
  let ids: string[];
  try {
    ids = (await readdir(base)).filter((id) => !id.startsWith('.')).sort();
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
    const name = names[0];
    if (name === undefined) {
      await rm(dir, { recursive: true, force: true });
      continue;
    }
    items.push({ dir, id, name, path: join(dir, name) });
  }
  return items;
}

/**
 * An item's folder, made in this thread: a metadata call of a few microseconds costs less than a trip
 * through libuv's pool. Its parent is made only when missing (a recursive mkdir costs five times more).
 */
function makeItemFolder(dir: string): void {
  try {
    mkdirSync(dir);
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return;
    if (errorCode(error) !== 'ENOENT') throw error;
    mkdirSync(dir, { recursive: true });
  }
}

/**
 * Removes a folder of the queue, emptied (in this thread), or with whatever it still holds; with `spares`,
 * an empty one is kept for a later claim of the run instead.
 */
async function removeFolder(dir: string, spares: SpareFolders | undefined): Promise<void> {
  try {
    if (spares?.keep(dir) === true) return;
    rmdirSync(dir);
  } catch {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Removes the item's folder: its one file and the folder itself, or whatever else it holds (see removeFolder). */
export async function removeItem(item: QueueItem, spares?: SpareFolders): Promise<void> {
  try {
    unlinkSync(item.path);
  } catch {
    // Removed with its folder below.
  }
  await removeFolder(item.dir, spares);
}

/**
 * The empty folders of the items a run has sent, kept for its next claims: renaming a folder into place
 * costs what renaming a file does, making one costs a new inode — twenty times more on the test machine's
 * ext4 (270 µs against 13), several times more on NTFS. A spare has a temporary name of this process
 * (hidden, `.ordo-part`), so nothing takes it for an item, and the next run removes any that a killed run
 * left (removeLeftovers). Only an empty folder is kept; those left at the end of the run are removed.
 */
export class SpareFolders {
  private readonly free: string[] = [];

  /** `base` is the scenario's queue folder; at most `limit` spares are kept at once. */
  constructor(
    private readonly base: string,
    private readonly limit: number,
  ) {}

  /** Makes `dir` from a spare folder; false when there is none (or it is gone), to make one instead. */
  takeAs(dir: string): boolean {
    for (let spare = this.free.pop(); spare !== undefined; spare = this.free.pop()) {
      try {
        renameSync(spare, dir);
        return true;
      } catch {
        // Removed meanwhile (by hand, or by another run's clean-up of a stale spare): the next one.
      }
    }
    return false;
  }

  /**
   * Keeps the emptied folder `dir` as a spare; false when it is not kept (limit reached, or something is
   * still listed in it — on Windows a file being deleted stays listed while another program holds it).
   */
  keep(dir: string): boolean {
    if (this.free.length >= this.limit || readdirSync(dir).length > 0) return false;
    const spare = join(this.base, temporaryName('spare'));
    renameSync(dir, spare);
    this.free.push(spare);
    return true;
  }

  /** Removes the spares left (at the end of the run). Never throws: the next run removes any left. */
  release(): void {
    for (let spare = this.free.pop(); spare !== undefined; spare = this.free.pop()) {
      try {
        rmdirSync(spare);
      } catch {
        // Left for the next run's removeLeftovers.
      }
    }
  }
}

export type BackupOutcome = { status: 'written'; path: string; method: DuplicateMethod } | { status: 'kept-old' | 'exists'; path: string };

/**
 * A backup made and flushed under a temporary name in the backup folder, not placed yet: it is made
 * while the file is being hashed, and only placed once the file is known to be sent. On the queue's
 * volume it is a hard link to the queued file (which nothing writes into: protocols only read it),
 * else a clone or a copy (see duplicateFlushed).
 */
export type StagedBackup = { decided: BackupOutcome } | { temp: string; target: string; replace: boolean; method: DuplicateMethod };

/** Backs the queued file up into the scenario's backup folder, unless its ifExists policy says no backup is needed. */
export async function stageBackup(scenario: ScenarioConfig, filePath: string, name: string): Promise<StagedBackup> {
  const dir = scenario.backup.dir;
  const target = join(dir, name);
  const policy: IfExists = scenario.backup.ifExists;
  const existing = existsSync(target);
  if (existing && policy === 'keep') return { decided: { status: 'kept-old', path: target } };
  if (existing && policy === 'fail') return { decided: { status: 'exists', path: target } };
  const temp = join(dir, temporaryName(name));
  let method: DuplicateMethod;
  try {
    method = await duplicateFlushed(filePath, temp);
  } catch (error) {
    // The backup folder is created on first use (checked only when the backup cannot be made).
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || !(await exists(filePath))) throw error;
    await mkdir(dir, { recursive: true });
    method = await duplicateFlushed(filePath, temp);
  }
  return { temp, target, replace: !existing || policy === 'overwrite', method };
}

/**
 * Gives a staged backup its name under the ifExists policy; the name is on disk when it resolves, unless
 * the caller syncs the backup folder itself (once for a batch of files: `syncFolder: false`).
 */
export async function placeBackup(staged: StagedBackup, now: Date, options: { syncFolder?: boolean } = {}): Promise<BackupOutcome> {
  if ('decided' in staged) return staged.decided;
  const placed = await nameBackup(staged, now);
  if (options.syncFolder !== false) await syncDirectory(dirname(placed.path));
  return placed;
}

async function nameBackup(staged: Exclude<StagedBackup, { decided: BackupOutcome }>, now: Date): Promise<BackupOutcome> {
  const { temp, target, method } = staged;
  if (staged.replace) {
    renameSync(temp, target);
    return { status: 'written', path: target, method };
  }
  // rename policy: keep both, the new copy gets a timestamp (and a number if that exists too).
  for (let n = 0; ; n++) {
    const candidate = join(dirname(target), stampedName(basename(target), now, n));
    try {
      await link(temp, candidate);
      await unlink(temp);
      return { status: 'written', path: candidate, method };
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

/**
 * Before a queued file leaves ordo's hands (set aside in failed/, where people may edit it to send it
 * again), its backup stops sharing its content: the backup named `backup` becomes a copy of its own when it
 * is a hard link to the queued file, so that an edit in place never changes what the backup says was sent.
 */
export async function unshareBackup(item: QueueItem, backup: string | undefined): Promise<void> {
  if (backup === undefined) return;
  const [mine, theirs] = await Promise.all([stat(item.path), stat(backup).catch(() => undefined)]);
  if (theirs === undefined || mine.ino !== theirs.ino || mine.dev !== theirs.dev) return;
  const temp = join(dirname(backup), temporaryName(basename(backup)));
  try {
    await copyFlushed(item.path, temp);
    await rename(temp, backup);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dirname(backup));
}

function stampedName(name: string, now: Date, n: number): string {
  const pad = (v: number) => String(v).padStart(2, '0');
  const stamp = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}_${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  const ext = extname(name);
  const base = ext === '' ? name : name.slice(0, -ext.length);
  return `${base}_${stamp}${n === 0 ? '' : `_${n}`}${ext}`;
}


function itemAt(base: string, id: string, name: string): QueueItem {
  const dir = join(base, id);
  return { dir, id, name, path: join(dir, name) };
}

async function sameContent(a: string, b: string): Promise<boolean> {
  const [sa, sb] = await Promise.all([stat(a), stat(b)]);
  return sa.size === sb.size && (await sha256File(a, sa.size)) === (await sha256File(b, sb.size));
}

async function sha256Prefix(path: string, bytes: number): Promise<string> {
  const hash = createHash('sha256');
  if (bytes > 0) for await (const chunk of createReadStream(path, { start: 0, end: bytes - 1 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

