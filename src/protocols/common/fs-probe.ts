// Write-access checks shared by diagnose and the folder-based protocols. access(2) is a hint; creating
// and deleting a file is the only sure test (network shares and Windows ACLs above all).
import { constants } from 'node:fs';
import { access, open } from 'node:fs/promises';
import { join } from 'node:path';
import { errorCode } from './file-errors.js';
import { temporaryName } from '../../shared/temp-names.js';
import { removeQuietly } from './publish.js';

/** The error code access(2) gives for `mode` (default: writable and enterable), or undefined when allowed. */
export async function accessCode(path: string, mode = constants.W_OK | constants.X_OK): Promise<string | undefined> {
  try {
    await access(path, mode);
    return undefined;
  } catch (error) {
    return errorCode(error) ?? 'UNKNOWN';
  }
}

/** Creates, flushes and deletes a hidden temporary file; the error code when any step fails. */
export async function probeWrite(folder: string): Promise<string | undefined> {
  const path = join(folder, temporaryName('ordo-probe'));
  try {
    const handle = await open(path, 'wx');
    try {
      await handle.writeFile('ordo write probe\r\n');
      await handle.sync();
    } finally {
      await handle.close();
    }
    return (await removeQuietly(path)) ? undefined : 'EPERM';
  } catch (error) {
    await removeQuietly(path);
    return errorCode(error) ?? 'UNKNOWN';
  }
}
