// The spool folders must already exist: the agent creates them, and creating them ourselves would
// hide a share that is not mounted or a mistyped spool path.
import { stat } from 'node:fs/promises';
import { fileSystemError, isMissing } from '../common/file-errors.js';
import { requireExistingFolder } from '../common/folders.js';

export type SpoolFolderRole = 'spool' | 'requests' | 'returns';

const MISSING_KEY: Record<SpoolFolderRole, string> = {
  spool: 'protocol.tedeco.spoolMissing',
  requests: 'protocol.tedeco.requestFolderMissing',
  returns: 'protocol.tedeco.returnFolderMissing',
};

/** Resolves when `folder` is a folder; nothing can be transferred otherwise (a connection-level error). */
export async function requireSpoolFolder(folder: string, role: SpoolFolderRole): Promise<void> {
  await requireExistingFolder(folder, { missing: MISSING_KEY[role], notFolder: 'protocol.tedeco.notFolder' });
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
