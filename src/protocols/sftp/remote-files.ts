// Metadata requests on the server (stat, list, rename, remove, mkdir). They go straight to ssh2's SFTP
// channel: its errors carry the SFTP status code, which ssh2-sftp-client's wrappers fold into text.
import type { FileEntryWithStats, SFTPWrapper, Stats } from 'ssh2';
import type { SftpLink } from './connect.js';
import { failureKind } from './errors.js';

export interface RemoteStat {
  size: number;
  mtime: Date;
  isFile: boolean;
  isDirectory: boolean;
  isSymbolicLink: boolean;
}

export interface RemoteListing {
  name: string;
  stat: RemoteStat;
}

/** One request on the SFTP channel; rejects when the connection goes away before the answer. */
export function sftpRequest<T>(run: (sftp: SFTPWrapper, done: (error: Error | null | undefined, value?: T) => void) => void, link: SftpLink): Promise<T> {
  return new Promise((resolve, reject) => {
    const stopListening = link.onLost(() => reject(connectionLostError()));
    try {
      run(link.sftp, (error, value) => {
        stopListening();
        if (error) reject(error);
        else resolve(value as T);
      });
    } catch (error) {
      // ssh2 throws at once when an extension is missing: thrown from the executor, it rejects the promise as is.
      stopListening();
      throw error;
    }
  });
}

export function connectionLostError(): Error {
  return Object.assign(new Error('connection lost'), { code: 'ECONNRESET' });
}

function toRemoteStat(stats: Stats): RemoteStat {
  return { size: stats.size, mtime: new Date(stats.mtime * 1000), isFile: stats.isFile(), isDirectory: stats.isDirectory(), isSymbolicLink: stats.isSymbolicLink() };
}

/** Follows symbolic links (a remote folder may be one); undefined when nothing has that name. */
export async function statOrUndefined(link: SftpLink, path: string): Promise<RemoteStat | undefined> {
  return missingAsUndefined(sftpRequest<Stats>((sftp, done) => sftp.stat(path, done), link).then(toRemoteStat));
}

/** The entry itself, links not followed; undefined when nothing has that name. */
export async function lstatOrUndefined(link: SftpLink, path: string): Promise<RemoteStat | undefined> {
  return missingAsUndefined(sftpRequest<Stats>((sftp, done) => sftp.lstat(path, done), link).then(toRemoteStat));
}

/** Entries with their attributes as the server lists them (links are not followed). */
export async function listFolder(link: SftpLink, path: string): Promise<RemoteListing[]> {
  const entries = await sftpRequest<FileEntryWithStats[]>((sftp, done) => sftp.readdir(path, done), link);
  return entries
    .filter((entry) => entry.filename !== '.' && entry.filename !== '..')
    .map((entry) => ({ name: entry.filename, stat: toRemoteStat(entry.attrs) }));
}

export function removeFile(link: SftpLink, path: string): Promise<void> {
  return sftpRequest<undefined>((sftp, done) => sftp.unlink(path, done), link);
}

/** Never throws: a leftover that cannot be removed is only untidy. Resolves whether it is gone. */
export async function removeQuietly(link: SftpLink, path: string): Promise<boolean> {
  if (link.lost) return false;
  try {
    await removeFile(link, path);
    return true;
  } catch (error) {
    return failureKind(error) === 'missing';
  }
}

/**
 * The standard SFTP rename: the protocol forbids it to replace a file. OpenSSH (with a hard link) and
 * ProFTPD refuse; some servers replace anyway (rclone), so callers check the name first as well.
 */
export function renameNoReplace(link: SftpLink, from: string, to: string): Promise<void> {
  return sftpRequest<undefined>((sftp, done) => sftp.rename(from, to, done), link);
}

/** Creates the folder and its missing parents, like `mkdir -p`. */
export async function makeFolders(link: SftpLink, path: string): Promise<void> {
  try {
    await link.client.mkdir(path, true);
  } catch (error) {
    // Created meanwhile by someone else: fine as long as it is a folder now.
    if ((await statOrUndefined(link, path))?.isDirectory !== true) throw error;
  }
}

async function missingAsUndefined<T>(promise: Promise<T>): Promise<T | undefined> {
  try {
    return await promise;
  } catch (error) {
    if (failureKind(error) === 'missing') return undefined;
    throw error;
  }
}
