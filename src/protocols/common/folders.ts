// The folders and names the `local` protocol works with, checked before any byte moves.
import { lstat, opendir, stat } from 'node:fs/promises';
import { TransferError } from '../contract.js';
import { fileSystemError, isMissing } from './file-errors.js';

export type FolderRole = 'target' | 'inbox';

export function requireConfigured(folder: string | undefined, role: FolderRole): string {
  if (folder !== undefined) return folder;
  const key = role === 'target' ? 'protocol.local.noTarget' : 'protocol.local.noInbox';
  throw new TransferError('permanent', key, {}, { fixKey: `${key}.fix`, connection: true });
}

/** The folder exists and is one; anything else means nothing at all can be transferred. */
export async function requireFolder(folder: string, role: FolderRole): Promise<void> {
  const missing = role === 'target' ? 'protocol.local.targetMissing' : 'protocol.local.inboxMissing';
  await requireExistingFolder(folder, { missing, notFolder: 'protocol.local.notFolder' });
}

/**
 * `folder` exists and is a folder, else a connection-level error (nothing at all can be transferred)
 * with the protocol's own message keys; other file-system failures keep their own meaning.
 */
export async function requireExistingFolder(folder: string, keys: { missing: string; notFolder: string }): Promise<void> {
  let info;
  try {
    info = await stat(folder);
  } catch (error) {
    if (!isMissing(error)) throw fileSystemError(error, folder, { folderLevel: true });
    throw new TransferError('permanent', keys.missing, { path: folder }, { fixKey: `${keys.missing}.fix`, connection: true, cause: error });
  }
  if (!info.isDirectory()) throw new TransferError('permanent', keys.notFolder, { path: folder }, { fixKey: `${keys.notFolder}.fix`, connection: true });
}

/** Listing hides read failures: open the folder once so that a refusal is reported, not read as "empty". */
export async function requireReadableFolder(folder: string): Promise<void> {
  await requireFolder(folder, 'inbox');
  try {
    const dir = await opendir(folder);
    await dir.close();
  } catch (error) {
    throw fileSystemError(error, folder, { folderLevel: true });
  }
}

/**
 * The core hands over safe names; refusing anything else here keeps a slip elsewhere from writing
 * outside the target folder.
 */
export function requirePlainName(name: string): string {
  if (!isPlainName(name)) throw new TransferError('permanent', 'protocol.common.badName', { name });
  return name;
}

export function isPlainName(name: string): boolean {
  if (name === '' || name === '.' || name === '..') return false;
  if (/[/\\\u0000-\u001f]/.test(name)) return false;
  return !(process.platform === 'win32' && name.includes(':'));
}

/** Whether anything (a file, a folder, even a dangling link) holds the name `path`. */
export async function occupied(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
}
