// `sftp` send and verify: upload under a hidden temporary name in the remote folder, check its size,
// then give it its final name — never over a file already there.
import { stat } from 'node:fs/promises';
import { TransferError, type Receipt, type SendItem, type TransferOptions, type VerifyResult } from '../contract.js';
import { abortError, throwIfAborted } from '../../shared/abort.js';
import type { SftpLink } from './connect.js';
import { operationError } from './errors.js';
import type { LinkKeeper } from './link-keeper.js';
import { temporaryName } from '../../shared/temp-names.js';
import { remoteJoin, requirePlainRemoteName } from './remote-paths.js';
import { makeFolders, removeQuietly, renameNoReplace, statOrUndefined } from './remote-files.js';
import type { NextFile } from './next-file.js';
import { sweepRemoteFolder } from './leftovers.js';
import { identityOf, READ_WHOLE_MAX, readWholeSource, type SourceIdentity } from '../common/whole-source.js';
import { openForWriting, remoteSha256, uploadInto, uploadSerially, writeWholeAndClose, type OpenRemoteFile } from './transfer.js';

export async function sendFile(keeper: LinkKeeper, next: NextFile, item: SendItem, options: TransferOptions): Promise<Receipt> {
  const name = requirePlainRemoteName(item.name);
  const dir = requireRemoteDir(keeper);
  throwIfAborted(options.signal);
  const whole = item.size <= READ_WHOLE_MAX ? readWholeSource(item, sourceMissing(item)) : undefined;
  const source = whole?.identity ?? (await sourceIdentity(item));
  const link = await keeper.get();
  await ensureRemoteDir(keeper, link, dir);
  await sweepRemoteFolder(keeper, link, dir);
  const finalPath = remoteJoin(dir, name);
  const serial = keeper.settings.serial;
  // `serial` servers mishandle requests in flight together: they keep the one-at-a-time path.
  const inOneRequest = whole !== undefined && item.size <= link.writeChunk && !serial;
  // Refusing early saves uploading a large file for nothing. A file sent in one request does not need
  // it: the check right before publishing is enough.
  if (!inOneRequest) await refuseIfTaken(keeper, link, finalPath, name);
  // What was opened ahead for this file is used whatever its size; `serial` servers get nothing ahead.
  const opened = serial ? (await next.discard(), undefined) : await next.take(link, dir, name);

  const tempPath = opened?.path ?? remoteJoin(dir, temporaryName(name));
  keeper.track(tempPath);
  try {
    if (serial) {
      const bytes = await uploadSerially({ link, localPath: item.path, remotePath: tempPath, serial, options });
      await requireUploaded({ keeper, link, item, source, bytes, tempPath, finalPath, name });
    } else {
      const file = opened ?? (await openForWriting(link, tempPath));
      if (inOneRequest) {
        await uploadInOneRequest({ keeper, link, item, file, content: whole.content, finalPath, name, options });
      } else {
        const bytes = await uploadInto({ link, localPath: item.path, size: item.size, file, options });
        await requireUploaded({ keeper, link, item, source, bytes, tempPath, finalPath, name });
      }
    }
  } catch (error) {
    if (options.signal?.aborted === true) {
      await keeper.cleanUp();
      throw abortError(options.signal);
    }
    if (await removeQuietly(link, tempPath)) keeper.untrack(tempPath);
    throw operationError(error, { path: tempPath, connectionLost: keeper.lost });
  }
  await awaitPublication(keeper, link, tempPath, options);
  // The next file's temporary file is opened together with this rename, unless the server is `serial`.
  const { nextName } = options;
  const prepareNext = nextName === undefined || serial ? undefined : () => next.prepare(link, dir, nextName);
  await publish({ keeper, link, tempPath, finalPath, name, prepareNext });
  return { remoteId: finalPath, state: 'acknowledged' };
}

/**
 * The engine's word before the file appears (TransferOptions.beforePublish). Refused: the temporary
 * file goes, and the engine gets its own error back.
 */
async function awaitPublication(keeper: LinkKeeper, link: SftpLink, tempPath: string, options: TransferOptions): Promise<void> {
  if (options.beforePublish === undefined) return;
  try {
    await options.beforePublish();
  } catch (error) {
    if (await removeQuietly(link, tempPath)) keeper.untrack(tempPath);
    throw error;
  }
}

interface OneRequestUpload {
  keeper: LinkKeeper;
  link: SftpLink;
  item: SendItem;
  /** Its temporary file, open. */
  file: OpenRemoteFile;
  content: Buffer;
  finalPath: string;
  name: string;
  options: TransferOptions;
}

/**
 * A file that fits in one write request: the write, the stored size, the close and the check that the
 * final name is still free, sent together and answered in one round trip.
 */
async function uploadInOneRequest(request: OneRequestUpload): Promise<void> {
  const { keeper, link, item, file, content, finalPath, name, options } = request;
  const [stored] = await Promise.all([writeWholeAndClose(link, file, content, options), refuseIfTaken(keeper, link, finalPath, name)]);
  // A server that answered the stat before carrying out the write (against the SFTP drafts, which
  // want one handle's requests in order) is asked again, the file now closed.
  requireStoredSize(stored === item.size ? stored : (await statOrUndefined(link, file.path))?.size, item, file.path);
}

interface UploadedFile {
  keeper: LinkKeeper;
  link: SftpLink;
  item: SendItem;
  source: SourceIdentity;
  bytes: number;
  tempPath: string;
  finalPath: string;
  name: string;
}

/** After an upload in several requests: the source unchanged, the stored size right, the final name still free. */
async function requireUploaded(uploaded: UploadedFile): Promise<void> {
  const { keeper, link, item, source, bytes, tempPath, finalPath, name } = uploaded;
  await requireUnchangedSource(item, source, bytes);
  // Two independent requests on two names: sent together, answered in one round trip.
  await Promise.all([requireRemoteSize(link, tempPath, item), refuseIfTaken(keeper, link, finalPath, name)]);
}

function requireRemoteDir(keeper: LinkKeeper): string {
  const dir = keeper.settings.remoteDir;
  if (dir === undefined) throw new TransferError('permanent', 'protocol.sftp.noRemoteDir', {}, { fixKey: 'protocol.sftp.noRemoteDir.fix', connection: true });
  return dir;
}

/** The remote folder must exist, unless the scenario allows creating it. Checked once per connection. */
export async function ensureRemoteDir(keeper: LinkKeeper, link: SftpLink, dir: string): Promise<void> {
  if (keeper.knownFolders.has(dir)) return;
  try {
    const found = await statOrUndefined(link, dir);
    if (found === undefined) {
      if (!keeper.settings.createRemoteDir) {
        throw new TransferError('permanent', 'protocol.sftp.remoteDirMissing', { path: dir }, { fixKey: 'protocol.sftp.remoteDirMissing.fix', connection: true });
      }
      await makeFolders(link, dir);
    } else if (!found.isDirectory) {
      throw new TransferError('permanent', 'protocol.sftp.notFolder', { path: dir }, { fixKey: 'protocol.sftp.notFolder.fix', connection: true });
    }
  } catch (error) {
    const mapped = operationError(error, { path: dir, connectionLost: keeper.lost });
    throw mapped.kind === 'permanent' ? new TransferError('permanent', mapped.key, mapped.params, { fixKey: mapped.fixKey, connection: true, cause: error }) : mapped;
  }
  keeper.knownFolders.add(dir);
}

async function refuseIfTaken(keeper: LinkKeeper, link: SftpLink, finalPath: string, name: string): Promise<void> {
  let existing;
  try {
    existing = await statOrUndefined(link, finalPath);
  } catch (error) {
    throw operationError(error, { path: finalPath, connectionLost: keeper.lost });
  }
  if (existing !== undefined) throw new TransferError('permanent', 'protocol.sftp.exists', { name, path: finalPath }, { fixKey: 'protocol.sftp.exists.fix' });
}

interface Publication {
  keeper: LinkKeeper;
  link: SftpLink;
  tempPath: string;
  finalPath: string;
  name: string;
  /** Sends requests to travel with the rename (the next file's open). */
  prepareNext: (() => void) | undefined;
}

/**
 * The standard SFTP rename, which the protocol forbids to replace a file: OpenSSH (with a hard link)
 * and ProFTPD refuse when the final name is taken, so a file that appeared since the check is never
 * replaced. `posix-rename@openssh.com` would replace it, and is never used. Where the server's rename
 * replaces anyway (rclone), the check made just before is what protects the name.
 */
async function publish(publication: Publication): Promise<void> {
  const { keeper, link, tempPath, finalPath, name } = publication;
  try {
    const renamed = renameNoReplace(link, tempPath, finalPath);
    publication.prepareNext?.();
    await renamed;
    keeper.untrack(tempPath);
  } catch (error) {
    // The request may have been carried out even though the answer was lost.
    if (keeper.lost) throw operationError(error, { path: finalPath, connectionLost: true, uncertain: true });
    const taken = await statOrUndefined(link, finalPath).catch(() => undefined);
    if (await removeQuietly(link, tempPath)) keeper.untrack(tempPath);
    if (taken !== undefined) throw new TransferError('permanent', 'protocol.sftp.exists', { name, path: finalPath }, { fixKey: 'protocol.sftp.exists.fix', cause: error });
    throw operationError(error, { path: finalPath, connectionLost: false });
  }
}

async function sourceIdentity(item: SendItem): Promise<SourceIdentity> {
  try {
    return identityOf(await stat(item.path));
  } catch (error) {
    throw sourceMissing(item)(error);
  }
}

function sourceMissing(item: SendItem): (error: unknown) => TransferError {
  return (error) => new TransferError('permanent', 'protocol.sftp.sourceMissing', { path: item.path }, { cause: error });
}

/** The queued file must be the one the core recorded, before and after the copy. */
async function requireUnchangedSource(item: SendItem, before: SourceIdentity, bytes: number): Promise<void> {
  const after = await sourceIdentity(item);
  if (bytes !== item.size || before.size !== item.size || after.size !== before.size || after.mtimeMs !== before.mtimeMs) {
    throw new TransferError('permanent', 'protocol.common.sourceChanged', { name: item.name, expected: item.size, actual: bytes });
  }
}

/** What the server stored must be as long as what was sent (a server that mishandles parallel writes, a full disk…). */
async function requireRemoteSize(link: SftpLink, tempPath: string, item: SendItem): Promise<void> {
  requireStoredSize((await statOrUndefined(link, tempPath))?.size, item, tempPath);
}

function requireStoredSize(stored: number | undefined, item: SendItem, tempPath: string): void {
  if (stored === item.size) return;
  throw new TransferError('transient', 'protocol.sftp.sizeMismatch', { name: item.name, path: tempPath, expected: item.size, actual: stored ?? 0 }, { fixKey: 'protocol.sftp.sizeMismatch.fix' });
}

/** Present only when the final file holds exactly the recorded bytes (size, then sha256 of its content). */
export async function verifySent(keeper: LinkKeeper, item: SendItem): Promise<VerifyResult> {
  const name = requirePlainRemoteName(item.name);
  const finalPath = remoteJoin(requireRemoteDir(keeper), name);
  const link = await keeper.get();
  try {
    const found = await statOrUndefined(link, finalPath);
    if (found === undefined || !found.isFile || found.size !== item.size) return 'absent';
    const expected = item.sha256.trim().toLowerCase();
    if (expected === '') return 'present';
    return (await remoteSha256(link, finalPath)) === expected ? 'present' : 'absent';
  } catch (error) {
    throw operationError(error, { path: finalPath, connectionLost: keeper.lost });
  }
}
