// `sftp` retrieval: list the remote inbox, download an entry into the core's partial file, then
// delete it, move it to a remote done folder, or leave it (options.afterRetrieve).
import { rm } from 'node:fs/promises';
import picomatch from 'picomatch';
import { localWriteError, TransferError, type FetchResult, type RemoteEntry, type TransferOptions } from '../contract.js';
import { abortError, throwIfAborted } from '../../shared/abort.js';
import type { SftpLink } from './connect.js';
import { operationError } from './errors.js';
import type { LinkKeeper } from './link-keeper.js';
import { isOneRemoteEntry, numberedName, remoteJoin } from './remote-paths.js';
import { listFolder, lstatOrUndefined, makeFolders, removeFile, renameNoReplace, statOrUndefined, type RemoteListing } from './remote-files.js';
import type { SftpSettings } from './settings.js';
import { download } from './transfer.js';
import type { WrittenFile } from '../common/download-file.js';

/** Files somebody is still writing: ours, WinSCP's, rclone's, browsers', editors' and Office's. */
const UNFINISHED = [/\.ordo-part$/i, /\.(part|partial|filepart|crdownload|tmp|temp|lck|swp)$/i, /~$/, /^~\$/];
const MAX_NUMBERED = 999;

export function nameFilter(settings: SftpSettings): (name: string) => boolean {
  // The server's case rules are unknown and partners mix `.xml` and `.XML`: match regardless of case.
  const matches = picomatch(settings.filter, { nocase: true, dot: false, windows: false } as picomatch.PicomatchOptions);
  return (name) => !name.startsWith('.') && !UNFINISHED.some((pattern) => pattern.test(name)) && matches(name);
}

export async function listInbox(keeper: LinkKeeper, options: TransferOptions = {}): Promise<RemoteEntry[]> {
  const inbox = requireInbox(keeper.settings);
  throwIfAborted(options.signal);
  const link = await keeper.get();
  let listing: RemoteListing[];
  try {
    listing = await listFolder(link, inbox);
  } catch (error) {
    throw inboxError(error, keeper, inbox);
  }
  const wanted = nameFilter(keeper.settings);
  const after = keeper.settings.afterRetrieve;
  // The `move:` folder may be inside the inbox: it is ours, not an entry to report.
  const doneFolder = after.action === 'move' ? after.folder : undefined;
  const entries: RemoteEntry[] = [];
  for (const { name, stat } of listing) {
    if (!wanted(name) || remoteJoin(inbox, name) === doneFolder) continue;
    // Symbolic links, folders and names that are no plain names are left alone, and reported.
    const skipped = skipReason(name, stat);
    if (skipped !== undefined) options.onSkipped?.({ name, key: skipped });
    else entries.push({ id: remoteJoin(inbox, name), name, size: stat.size, mtime: stat.mtime });
  }
  return entries.sort(byMtimeThenName);
}

function skipReason(name: string, stat: RemoteListing['stat']): string | undefined {
  if (!isOneRemoteEntry(name)) return 'protocol.common.skipped.badName';
  if (stat.isFile) return undefined;
  if (stat.isDirectory) return 'protocol.common.skipped.folder';
  return stat.isSymbolicLink ? 'protocol.common.skipped.link' : 'protocol.common.skipped.notFile';
}

function inboxError(error: unknown, keeper: LinkKeeper, inbox: string): TransferError {
  const mapped = operationError(error, { path: inbox, connectionLost: keeper.lost });
  if (mapped.key === 'protocol.sftp.notFound') {
    return new TransferError('permanent', 'protocol.sftp.inboxMissing', { path: inbox }, { fixKey: 'protocol.sftp.inboxMissing.fix', connection: true, cause: error });
  }
  return mapped.kind === 'permanent' ? new TransferError('permanent', mapped.key, mapped.params, { fixKey: mapped.fixKey, connection: true, cause: error }) : mapped;
}

function byMtimeThenName(a: RemoteEntry, b: RemoteEntry): number {
  const byTime = (a.mtime?.getTime() ?? 0) - (b.mtime?.getTime() ?? 0);
  if (byTime !== 0) return byTime;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Downloads the entry into `destPath` and flushes it; the entry stays on the server. */
export async function fetchEntry(keeper: LinkKeeper, entry: RemoteEntry, destPath: string, options: TransferOptions = {}): Promise<FetchResult> {
  const path = entryPath(keeper.settings, entry);
  throwIfAborted(options.signal);
  const link = await keeper.get();
  let written: WrittenFile;
  try {
    written = await download({ link, localPath: destPath, remotePath: path, serial: keeper.settings.serial, options });
  } catch (error) {
    await rm(destPath, { force: true });
    if (options.signal?.aborted === true) throw abortError(options.signal);
    throw localWriteError(error, destPath) ?? (await fetchError(error, keeper, link, entry, path));
  }
  const { bytes } = written;
  if (entry.size !== undefined && entry.size !== bytes) {
    await rm(destPath, { force: true });
    const key = bytes < entry.size ? 'protocol.common.truncated' : 'protocol.common.grew';
    throw new TransferError('transient', key, { name: entry.name, expected: entry.size, actual: bytes });
  }
  return written;
}

/** Says why: the entry went away or became something else, or the connection or the server failed. */
async function fetchError(error: unknown, keeper: LinkKeeper, link: SftpLink, entry: RemoteEntry, path: string): Promise<TransferError> {
  if (error instanceof TransferError || keeper.lost) return operationError(error, { path, connectionLost: keeper.lost });
  const now = await lstatOrUndefined(link, path).catch(() => 'unknown' as const);
  if (now === undefined) return new TransferError('permanent', 'protocol.sftp.entryGone', { name: entry.name, path }, { cause: error });
  if (now !== 'unknown' && !now.isFile) return new TransferError('permanent', 'protocol.sftp.notPlainFile', { name: entry.name, path }, { cause: error });
  return operationError(error, { path, connectionLost: false });
}

/** Delete (the default), move into a remote folder, or leave the entry where it is. */
export async function acknowledgeEntry(keeper: LinkKeeper, entry: RemoteEntry): Promise<void> {
  const after = keeper.settings.afterRetrieve;
  if (after.action === 'keep') return;
  const path = entryPath(keeper.settings, entry);
  const link = await keeper.get();
  try {
    if (after.action === 'move') await moveIntoFolder(keeper, link, path, after.folder, entry.name);
    else await deleteIfUnchanged(link, path, entry);
  } catch (error) {
    throw operationError(error, { path, connectionLost: keeper.lost });
  }
}

/** Like rsync, never delete a file that changed since it was listed: it is a new version to fetch. */
async function deleteIfUnchanged(link: SftpLink, path: string, entry: RemoteEntry): Promise<void> {
  const now = await lstatOrUndefined(link, path);
  // Already gone: acknowledging twice is harmless.
  if (now === undefined) return;
  const sizeChanged = entry.size !== undefined && now.size !== entry.size;
  const timeChanged = entry.mtime !== undefined && now.mtime.getTime() !== entry.mtime.getTime();
  if (sizeChanged || timeChanged) throw new TransferError('transient', 'protocol.sftp.changed', { name: entry.name, path });
  try {
    await removeFile(link, path);
  } catch (error) {
    if ((await lstatOrUndefined(link, path)) !== undefined) throw error;
  }
}

/** Into the done folder under the same name, or `name-1.ext`, `name-2.ext`… when taken: never over a file. */
async function moveIntoFolder(keeper: LinkKeeper, link: SftpLink, path: string, folder: string, name: string): Promise<void> {
  if (!keeper.knownFolders.has(folder)) {
    if ((await statOrUndefined(link, folder))?.isDirectory !== true) await makeFolders(link, folder);
    keeper.knownFolders.add(folder);
  }
  for (let attempt = 0; attempt <= MAX_NUMBERED; attempt += 1) {
    if ((await lstatOrUndefined(link, path)) === undefined) return;
    const target = remoteJoin(folder, numberedName(name, attempt));
    if ((await lstatOrUndefined(link, target)) !== undefined) continue;
    try {
      await renameNoReplace(link, path, target);
      return;
    } catch (error) {
      // Taken meanwhile (the standard rename refuses to replace): try the next number.
      if ((await lstatOrUndefined(link, target)) === undefined) throw error;
    }
  }
  throw new TransferError('transient', 'protocol.sftp.noFreeName', { name, path: folder });
}

/** Entry ids come back from the core: only files directly inside the inbox are ours to touch. */
function entryPath(settings: SftpSettings, entry: RemoteEntry): string {
  const inbox = requireInbox(settings);
  const prefix = inbox === '.' ? '' : inbox.endsWith('/') ? inbox : `${inbox}/`;
  const name = entry.id.startsWith(prefix) ? entry.id.slice(prefix.length) : undefined;
  if (name === undefined || name.includes('/') || name === '' || name === '.' || name === '..' || name.endsWith('.ordo-part')) {
    throw new TransferError('permanent', 'protocol.sftp.outsideInbox', { name: entry.name, path: entry.id });
  }
  return entry.id;
}

function requireInbox(settings: SftpSettings): string {
  if (settings.inbox === undefined) throw new TransferError('permanent', 'protocol.sftp.noInbox', {}, { fixKey: 'protocol.sftp.noInbox.fix', connection: true });
  return settings.inbox;
}

