// Where the `local` protocol writes a file before it gets its final name, and how a session removes what
// a killed run left there. On a Windows share a leading dot hides nothing: a partner picking up `*` would
// see an in-folder temporary file, so temporaries go into a hidden sub-folder of the target (same volume:
// the final link or rename stays atomic), and into the target itself only when that folder cannot be made.
import { lstat, mkdir, open, readdir, rmdir, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProtocolLog } from '../contract.js';
import { errorCode } from './file-errors.js';
import { isTemporaryName, leftoverStatus, temporaryName } from '../../shared/temp-names.js';

/** The sub-folder of the target that holds files being written. */
export const TEMP_FOLDER = '.ordo-part';

export interface LeftoverCount {
  /** Left by a run of this host that ended, or older than a day: the next send removes them. */
  removable: number;
  /** Another machine's (or an older version's), less than a day old: perhaps in progress there. */
  unproven: number;
}

/** One session's temporary files in one target folder. */
export class TargetTemporaries {
  private swept = false;
  private fallbackLogged = false;
  /** Sub-folders this session wrote through: removed at close when empty, so that none stays in view. */
  private readonly used = new Set<string>();

  constructor(private readonly log: ProtocolLog) {}

  /**
   * A new temporary file for `name`, created exclusively: in the hidden sub-folder, made on demand, else
   * in the target. Once the sub-folder is known to exist, a file costs no `mkdir` (two trips through
   * libuv's thread pool, for an answer that is nearly always "exists"): the file is created in it
   * directly, and only if the folder has gone since (another run removed it, empty, at its end) is it
   * made again. A failure to create the file is thrown as is.
   */
  async create(target: string, name: string): Promise<{ path: string; handle: FileHandle }> {
    const folder = join(target, TEMP_FOLDER);
    if (this.used.has(folder)) {
      const path = join(folder, temporaryName(name));
      try {
        return { path, handle: await open(path, 'wx') };
      } catch (error) {
        const code = errorCode(error);
        if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
        this.used.delete(folder);
      }
    }
    const path = await this.pathFor(target, name);
    return { path, handle: await open(path, 'wx') };
  }

  /** A new temporary path for `name`: in the hidden sub-folder, created on demand, else in the target. */
  private async pathFor(target: string, name: string): Promise<string> {
    const folder = join(target, TEMP_FOLDER);
    const code = await makeFolder(folder);
    if (code === undefined) {
      this.used.add(folder);
      return join(folder, temporaryName(name));
    }
    if (!this.fallbackLogged) {
      this.fallbackLogged = true;
      this.log.debug('protocol.local.tempInTarget', { path: folder, code });
    }
    return join(target, temporaryName(name));
  }

  /**
   * At the end of the session: the sub-folders it used are removed when empty (one still holding
   * another run's file in progress stays; a run that finds it gone makes it again). Never throws.
   */
  async close(): Promise<void> {
    for (const folder of this.used) await rmdir(folder).catch(() => undefined);
    this.used.clear();
  }

  /** Once per session, before the first send: removes the leftovers this host can prove are dead. Never throws. */
  async sweepOnce(target: string): Promise<void> {
    if (this.swept) return;
    this.swept = true;
    let removed = 0;
    for (const folder of [target, join(target, TEMP_FOLDER)]) {
      for (const { path, status } of await temporariesIn(folder, Date.now())) {
        if (status !== 'removable') continue;
        if (await unlink(path).then(() => true, () => false)) removed += 1;
      }
    }
    if (removed > 0) this.log.info('protocol.local.leftoversRemoved', { path: target, count: removed });
  }
}

/** The temporary files in `target` and its sub-folder that no running transfer of this host owns. */
export async function countLeftovers(target: string, nowMs: number): Promise<LeftoverCount> {
  const count: LeftoverCount = { removable: 0, unproven: 0 };
  for (const folder of [target, join(target, TEMP_FOLDER)]) {
    for (const { status } of await temporariesIn(folder, nowMs)) {
      if (status === 'removable') count.removable += 1;
      else if (status === 'unproven') count.unproven += 1;
    }
  }
  return count;
}

async function temporariesIn(folder: string, nowMs: number): Promise<Array<{ path: string; status: 'removable' | 'live' | 'unproven' }>> {
  const names = await readdir(folder).catch(() => [] as string[]);
  const found: Array<{ path: string; status: 'removable' | 'live' | 'unproven' }> = [];
  for (const name of names.filter(isTemporaryName)) {
    const path = join(folder, name);
    const info = await lstat(path).catch(() => undefined);
    if (info === undefined || !info.isFile()) continue;
    const status = leftoverStatus(name, info.mtimeMs, nowMs);
    if (status !== undefined) found.push({ path, status });
  }
  return found;
}

/** undefined once `folder` exists as a folder; else why not. */
async function makeFolder(folder: string): Promise<string | undefined> {
  try {
    await mkdir(folder);
    return undefined;
  } catch (error) {
    const code = errorCode(error) ?? 'UNKNOWN';
    if (code !== 'EEXIST') return code;
    const info = await lstat(folder).catch(() => undefined);
    return info?.isDirectory() === true ? undefined : 'ENOTDIR';
  }
}
