// The temporary file of the file the engine will send next, opened in the same round trip as the
// current file's rename. A run of small files then costs two round trips per file (write-stat-close;
// rename with the next open), as OpenSSH's `put` (open; write-close), instead of three. What is opened
// for a file that does not come is closed and removed by the next send or when the session closes.
import type { SftpLink } from './connect.js';
import type { LinkKeeper } from './link-keeper.js';
import { removeQuietly } from './remote-files.js';
import { isPlainRemoteName, remoteJoin } from './remote-paths.js';
import { closeRemoteFile, openForWriting, type OpenRemoteFile } from './transfer.js';
import { temporaryName } from '../../shared/temp-names.js';

interface Prepared {
  link: SftpLink;
  dir: string;
  name: string;
  tempPath: string;
  /** undefined when the server refused to open it: the send then opens its file itself. */
  file: Promise<OpenRemoteFile | undefined>;
}

export class NextFile {
  private prepared: Prepared | undefined;

  constructor(private readonly keeper: LinkKeeper) {}

  /**
   * Sends the open of `name`'s temporary file in `dir` without waiting for the answer: called right
   * after the request it is to travel with. Tracked as a leftover until a send publishes it.
   */
  prepare(link: SftpLink, dir: string, name: string): void {
    // A send always takes or undoes what was prepared before it publishes; this only guards a slip.
    if (this.prepared !== undefined) void this.discard();
    if (!isPlainRemoteName(name)) return;
    const tempPath = remoteJoin(dir, temporaryName(name));
    this.keeper.track(tempPath);
    const file = openForWriting(link, tempPath).catch(() => undefined);
    this.prepared = { link, dir, name, tempPath, file };
  }

  /** The file opened for `name` in `dir` on this connection, if that is the one prepared; anything else prepared is undone. */
  async take(link: SftpLink, dir: string, name: string): Promise<OpenRemoteFile | undefined> {
    const prepared = this.prepared;
    this.prepared = undefined;
    if (prepared === undefined) return undefined;
    if (prepared.link === link && prepared.dir === dir && prepared.name === name) {
      const file = await prepared.file;
      if (file !== undefined) return file;
    }
    await this.undo(prepared);
    return undefined;
  }

  /** Closes and removes a prepared file that no send will use. Never throws. */
  async discard(): Promise<void> {
    const prepared = this.prepared;
    this.prepared = undefined;
    if (prepared !== undefined) await this.undo(prepared);
  }

  private async undo(prepared: Prepared): Promise<void> {
    const file = await prepared.file;
    // On a lost connection the handle is gone with it; the keeper removes the file once connected again.
    if (prepared.link.lost) return;
    // Closed first: some servers (Windows) refuse to remove an open file.
    if (file !== undefined) await closeRemoteFile(prepared.link, file).catch(() => undefined);
    if (await removeQuietly(prepared.link, prepared.tempPath)) this.keeper.untrack(prepared.tempPath);
  }
}
