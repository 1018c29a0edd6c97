// The spool folders must already exist: the agent creates them, and creating them ourselves would
// hide a share that is not mounted or a mistyped spool path.
import { stat } from 'node:fs/promises';
import { TransferError } from '../contract.js';
import { fileSystemError, isMissing } from '../local-errors.js';

export type SpoolFolderRole = 'spool' | 'requests' | 'returns';

const MISSING_KEY: Record<SpoolFolderRole, string> = {
  spool: 'protocol.tedeco.spoolMissing',
  requests: 'protocol.tedeco.requestFolderMissing',
  returns: 'protocol.tedeco.returnFolderMissing',
};

/** Resolves when `folder` is a folder; nothing can be transferred otherwise (a connection-level error). */
export async function requireSpoolFolder(folder: string, role: SpoolFolderRole): Promise<void> {
  let info;
  try {
    info = await stat(folder);
  } catch (error) {
    if (!isMissing(error)) throw fileSystemError(error, folder, { folderLevel: true });
    throw new TransferError('permanent', MISSING_KEY[role], { path: folder }, { connection: true, cause: error });
  }
  if (!info.isDirectory()) throw new TransferError('permanent', 'protocol.tedeco.notFolder', { path: folder }, { connection: true });
}

/** Whether `folder` exists as a folder; other failures (access refused…) are reported, not hidden. */
export async function folderExists(folder: string): Promise<boolean> {
  try {
    return (await stat(folder)).isDirectory();
  } catch (error) {
    if (isMissing(error)) return false;
    throw fileSystemError(error, folder, { folderLevel: true });
  }
}
