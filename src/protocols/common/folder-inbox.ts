// `local` retrieval: list the inbox, copy an entry out, then delete, move or keep it.
import { lstat, open, opendir, unlink } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { localWriteError, TransferError, type FetchResult, type RemoteEntry, type TransferOptions } from '../contract.js';
import { errorCode, fileSystemError, isMissing } from './file-errors.js';
import { requireConfigured, requireReadableFolder } from './folders.js';
import { TEMP_SUFFIX } from '../../shared/temp-names.js';
import { moveIntoFolder, removeQuietly } from './publish.js';
import { samePath, type LocalSettings } from './folder-settings.js';
import { copyFileInto } from './file-copy.js';
import { abortError, throwIfAborted } from '../../shared/abort.js';

/** Files somebody is still writing: ours, browsers', WinSCP's, rclone's, editors' and Office's. */
const UNFINISHED = [
  /\.ordo-part$/i,
  /\.(part|partial|filepart|crdownload|tmp|temp|lck|swp)$/i,
  /~$/,
  /^~\$/,
];

const STAT_BATCH = 64;

export async function listInbox(settings: LocalSettings, options: TransferOptions = {}): Promise<RemoteEntry[]> {
  const inbox = requireConfigured(settings.inbox, 'inbox');
  throwIfAborted(options.signal);
  await requireReadableFolder(inbox);
  if (await isEmptyFolder(inbox)) return [];
  // Loaded only when there is something to list: a cycle with nothing to do does without it.
  const { default: fg } = await import('fast-glob');
  // The inbox is the cwd rather than part of the pattern, so its own name needs no escaping. Folders and
  // links are matched too: they are not fetched, but reported.
  const names = await fg(settings.filter, {
    cwd: inbox,
    onlyFiles: false,
    deep: 1,
    dot: false,
    caseSensitiveMatch: process.platform !== 'win32',
    followSymbolicLinks: false,
    suppressErrors: true,
    unique: true,
  });
  // The `move:` folder may be inside the inbox: it is ours, not an entry to report.
  const doneFolder = settings.afterRetrieve.action === 'move' ? settings.afterRetrieve.folder : undefined;
  const candidates = names.filter(
    (name) => !UNFINISHED.some((pattern) => pattern.test(name)) && (doneFolder === undefined || !samePath(resolve(inbox, name), doneFolder)),
  );
  const entries: RemoteEntry[] = [];
  for (let start = 0; start < candidates.length; start += STAT_BATCH) {
    throwIfAborted(options.signal);
    const batch = candidates.slice(start, start + STAT_BATCH);
    const found = await Promise.all(batch.map(async (name) => ({ name, entry: await plainFileEntry(inbox, name) })));
    for (const { name, entry } of found) {
      if (entry === undefined) continue;
      if ('key' in entry) options.onSkipped?.({ name, key: entry.key });
      else entries.push(entry);
    }
  }
  return entries.sort(byMtimeThenName);
}

/** Whether the folder has no entry at all (a failure to tell is left to the listing). */
async function isEmptyFolder(folder: string): Promise<boolean> {
  try {
    const dir = await opendir(folder);
    try {
      return (await dir.read()) === null;
    } finally {
      await dir.close();
    }
  } catch {
    return false;
  }
}

/** Only plain files with plain names are offered: a symbolic link could point anywhere on this machine. */
async function plainFileEntry(inbox: string, name: string): Promise<RemoteEntry | { key: string } | undefined> {
  if (!isListableName(name)) return { key: 'protocol.common.skipped.badName' };
  const path = resolve(inbox, name);
  try {
    const info = await lstat(path);
    if (info.isSymbolicLink()) return { key: 'protocol.common.skipped.link' };
    if (info.isDirectory()) return { key: 'protocol.common.skipped.folder' };
    if (!info.isFile()) return { key: 'protocol.common.skipped.notFile' };
    return { id: path, name, size: info.size, mtime: info.mtime };
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw fileSystemError(error, path);
  }
}

/**
 * A name that designates one entry of the inbox and nothing else: not `.`/`..`, no separator of this
 * system. Any other name, however hostile (control characters, a `\\` on Linux, a reserved Windows
 * name), is offered as it is: the core gives it a safe local name, and nothing it holds is lost.
 */
export function isListableName(name: string): boolean {
  const separators = process.platform === 'win32' ? /[/\\\u0000]/ : /[/\u0000]/;
  return name !== '' && name !== '.' && name !== '..' && !separators.test(name);
}

function byMtimeThenName(a: RemoteEntry, b: RemoteEntry): number {
  const byTime = (a.mtime?.getTime() ?? 0) - (b.mtime?.getTime() ?? 0);
  if (byTime !== 0) return byTime;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Copies the entry to `destPath` and flushes it; the entry itself stays where it is. */
export async function fetchFromInbox(
  settings: LocalSettings,
  entry: RemoteEntry,
  destPath: string,
  options: TransferOptions = {},
): Promise<FetchResult> {
  const source = entryPath(settings, entry);
  throwIfAborted(options.signal);
  let handle;
  try {
    handle = await open(destPath, 'w');
  } catch (error) {
    throw localWriteError(error, destPath) ?? fileSystemError(error, destPath);
  }
  try {
    const { bytes } = await copyFileInto(source, handle, { ...options, noFollow: true, ...(entry.size === undefined ? {} : { size: entry.size }) });
    await handle.sync();
    await handle.close();
    checkSize(entry, bytes);
    return { bytes };
  } catch (error) {
    await handle.close().catch(() => undefined);
    await removeQuietly(destPath);
    if (options.signal?.aborted === true) throw abortError(options.signal);
    if (error instanceof TransferError) throw error;
    throw fetchError(error, entry, source, destPath);
  }
}

function fetchError(error: unknown, entry: RemoteEntry, source: string, destPath: string): TransferError {
  if ((error as { path?: unknown }).path !== source) return localWriteError(error, destPath) ?? fileSystemError(error, destPath);
  if (isMissing(error)) {
    return new TransferError('permanent', 'protocol.local.entryGone', { name: entry.name, path: source }, { cause: error });
  }
  if (errorCode(error) === 'ELOOP' || errorCode(error) === 'EISDIR') {
    return new TransferError('permanent', 'protocol.local.notPlainFile', { name: entry.name, path: source }, { cause: error });
  }
  return fileSystemError(error, source);
}

function checkSize(entry: RemoteEntry, bytes: number): void {
  if (entry.size === undefined || entry.size === bytes) return;
  const key = bytes < entry.size ? 'protocol.common.truncated' : 'protocol.common.grew';
  throw new TransferError('transient', key, { name: entry.name, expected: entry.size, actual: bytes });
}

/** Delete (the default), move into a folder, or leave the entry where it is. */
export async function acknowledgeEntry(settings: LocalSettings, entry: RemoteEntry): Promise<void> {
  const after = settings.afterRetrieve;
  if (after.action === 'keep') return;
  const source = entryPath(settings, entry);
  if (after.action === 'move') {
    try {
      await moveIntoFolder(source, after.folder, basename(source));
    } catch (error) {
      if (isMissing(error) && !(await exists(source))) return;
      throw fileSystemError(error, after.folder);
    }
    return;
  }
  await deleteIfUnchanged(source, entry);
}

/** Like rsync, never delete a source that changed since it was listed: it is a new version to fetch. */
async function deleteIfUnchanged(source: string, entry: RemoteEntry): Promise<void> {
  try {
    const info = await lstat(source);
    const sizeChanged = entry.size !== undefined && info.size !== entry.size;
    const timeChanged = entry.mtime !== undefined && info.mtime.getTime() !== entry.mtime.getTime();
    if (sizeChanged || timeChanged) {
      throw new TransferError('transient', 'protocol.local.changed', { name: entry.name, path: source });
    }
    await unlink(source);
  } catch (error) {
    // Already gone: acknowledging twice is harmless.
    if (isMissing(error)) return;
    throw fileSystemError(error, source);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    if (isMissing(error)) return false;
    throw fileSystemError(error, path);
  }
}

/** Entry ids come back from the core: only files directly inside the inbox are ours to touch. */
function entryPath(settings: LocalSettings, entry: RemoteEntry): string {
  const inbox = requireConfigured(settings.inbox, 'inbox');
  const path = resolve(entry.id);
  if (!samePath(dirname(path), inbox) || basename(path).endsWith(TEMP_SUFFIX)) {
    throw new TransferError('permanent', 'protocol.local.outsideInbox', { name: entry.name, path: entry.id });
  }
  return path;
}
