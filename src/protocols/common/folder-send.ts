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
import { copyFileInto } from './streams.js';
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
  const tempPath = temporaries === undefined ? join(target, temporaryName(name)) : await temporaries.pathFor(target, name);
  const handle = await createExclusive(tempPath, target);
  try {
    await writeAndCheck(handle, item, options);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await removeQuietly(tempPath);
    if (options.signal?.aborted === true) throw abortError(options.signal);
    throw sendError(error, item, tempPath);
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

async function createExclusive(path: string, folder: string): Promise<FileHandle> {
  try {
    return await open(path, 'wx');
  } catch (error) {
    throw fileSystemError(error, folder, { folderLevel: true });
  }
}

/** Copies, flushes to disk, closes, and refuses content that is not the file the core recorded. */
async function writeAndCheck(handle: FileHandle, item: SendItem, options: TransferOptions): Promise<void> {
  const expectedHash = item.sha256.trim().toLowerCase();
  const copied = await copyFileInto(item.path, handle, { ...options, hash: expectedHash !== '' });
  await handle.sync();
  await handle.close();
  if (copied.bytes !== item.size || (expectedHash !== '' && copied.sha256 !== expectedHash)) {
    throw new TransferError('permanent', 'protocol.common.sourceChanged', {
      name: item.name,
      expected: item.size,
      actual: copied.bytes,
    });
  }
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
export async function verifyInFolder(settings: LocalSettings, item: SendItem): Promise<VerifyResult> {
  const name = requirePlainName(item.name);
  const finalPath = join(requireConfigured(settings.target, 'target'), name);
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
