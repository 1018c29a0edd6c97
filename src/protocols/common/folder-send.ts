// `local` send and verify: write under a hidden temporary name, check, then publish without overwriting.
import { lstat, open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { TransferError, type ProtocolLog, type Receipt, type SendItem, type TransferOptions, type VerifyResult } from '../contract.js';
import { errorCode, fileSystemError, isAbort, isAlreadyThere, isMissing } from './file-errors.js';
import { occupied, requireConfigured, requireFolder, requirePlainName } from './folders.js';
import { temporaryName } from '../../shared/temp-names.js';
import type { TargetTemporaries } from './temporaries.js';
import { placeWithoutOverwrite, removeQuietly } from './publish.js';
import type { LocalSettings } from './folder-settings.js';
import { copyFileInto } from './file-copy.js';
import { abortError, throwIfAborted } from '../../shared/abort.js';
import { sha256File } from '../../shared/hash.js';

/**
 * `temporaries`: the session's (the `local` protocol's: a hidden sub-folder, swept once); without it the
 * temporary file is written in the target itself (a spool whose reader ignores hidden files).
 */
export async function sendToFolder(
  settings: LocalSettings,
  item: SendItem,
  options: TransferOptions,
  log: ProtocolLog,
  temporaries?: TargetTemporaries,
): Promise<Receipt> {
  const name = requirePlainName(item.name);
  const target = requireConfigured(settings.target, 'target');
  throwIfAborted(options.signal);
  await requireFolder(target, 'target');
  const finalPath = join(target, name);
  // Cheap early refusal before copying anything; publishing is what actually guarantees it.
  if (await occupiedOrFail(finalPath)) throw existsError(finalPath, name);

  await temporaries?.sweepOnce(target);
  const { path: tempPath, handle } = await createTemporary(target, name, temporaries);
  let copiedSha256;
  try {
    copiedSha256 = await writeAndCheck(handle, item, options);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await removeQuietly(tempPath);
    if (options.signal?.aborted === true) throw abortError(options.signal);
    throw sendError(error, item, tempPath);
  }
  if (options.beforePublish !== undefined) {
    // The engine's word before the file appears: refused, the temporary file goes and its error comes back as is.
    try {
      requireRecorded(item, copiedSha256, await options.beforePublish());
    } catch (error) {
      await removeQuietly(tempPath);
      throw error;
    }
  }

  try {
    throwIfAborted(options.signal);
    const tempRemoved = await placeWithoutOverwrite(tempPath, finalPath);
    if (!tempRemoved) log.warn('protocol.local.tempLeft', { path: tempPath });
  } catch (error) {
    await removeQuietly(tempPath);
    if (isAbort(error)) throw error;
    if (isAlreadyThere(error)) throw existsError(finalPath, name);
    // On a network share the request may have been carried out even though the answer was lost.
    throw fileSystemError(error, finalPath, { uncertain: true });
  }
  return { remoteId: finalPath, state: 'acknowledged' };
}

async function occupiedOrFail(path: string): Promise<boolean> {
  try {
    return await occupied(path);
  } catch (error) {
    throw fileSystemError(error, path);
  }
}

/** The file the copy is written into, under a temporary name nobody else uses. */
async function createTemporary(target: string, name: string, temporaries: TargetTemporaries | undefined): Promise<{ path: string; handle: FileHandle }> {
  try {
    if (temporaries !== undefined) return await temporaries.create(target, name);
    const path = join(target, temporaryName(name));
    return { path, handle: await open(path, 'wx') };
  } catch (error) {
    throw fileSystemError(error, target, { folderLevel: true });
  }
}

/**
 * Copies, flushes to disk, closes, and refuses content that is not the file the core recorded. Returns
 * the sha256 of what was copied, when hashed: the recorded one comes later with `beforePublish`.
 */
async function writeAndCheck(handle: FileHandle, item: SendItem, options: TransferOptions): Promise<string | undefined> {
  const expectedHash = item.sha256.trim().toLowerCase();
  const copied = await copyFileInto(item.path, handle, { ...options, size: item.size, hash: expectedHash !== '' || options.beforePublish !== undefined });
  await handle.sync();
  await handle.close();
  if (copied.bytes !== item.size || (expectedHash !== '' && copied.sha256 !== expectedHash)) throw sourceChanged(item, copied.bytes);
  return copied.sha256;
}

function requireRecorded(item: SendItem, copiedSha256: string | undefined, recorded: string): void {
  if (copiedSha256 !== recorded.trim().toLowerCase()) throw sourceChanged(item, item.size);
}

function sourceChanged(item: SendItem, copied: number): TransferError {
  return new TransferError('permanent', 'protocol.common.sourceChanged', { name: item.name, expected: item.size, actual: copied });
}

function sendError(error: unknown, item: SendItem, tempPath: string): TransferError {
  if (error instanceof TransferError) return error;
  const failedPath = (error as { path?: unknown }).path;
  if (failedPath === item.path) {
    if (isMissing(error)) return new TransferError('permanent', 'protocol.local.sourceMissing', { path: item.path }, { cause: error });
    return fileSystemError(error, item.path);
  }
  return fileSystemError(error, tempPath);
}

function existsError(finalPath: string, name: string): TransferError {
  return new TransferError('permanent', 'protocol.local.exists', { name, path: finalPath }, { fixKey: 'protocol.local.exists.fix' });
}

/** Present only when the final file holds exactly the recorded bytes (size, then sha256). */
export async function verifyInFolder(settings: LocalSettings, item: SendItem, temporaries?: TargetTemporaries): Promise<VerifyResult> {
  const name = requirePlainName(item.name);
  const target = requireConfigured(settings.target, 'target');
  const finalPath = join(target, name);
  // Asked after an interruption: a crash between the final name and the removal of the temporary name
  // leaves that temporary file, and no send may follow in this session to sweep it.
  await temporaries?.sweepOnce(target).catch(() => undefined);
  try {
    const info = await lstat(finalPath);
    if (!info.isFile() || info.size !== item.size) return 'absent';
    const expectedHash = item.sha256.trim().toLowerCase();
    if (expectedHash === '') return 'present';
    return (await sha256File(finalPath)) === expectedHash ? 'present' : 'absent';
  } catch (error) {
    if (isMissing(error)) return 'absent';
    throw fileSystemError(error, finalPath, { folderLevel: errorCode(error) === 'EACCES' });
  }
}
