// A rename on Windows meets files another program holds for a moment — an antivirus scanning a new file,
// an editor, the search indexer: EBUSY, EPERM or EACCES. It is tried again a few times with a short,
// growing pause (2.25 s in all by default); then the last error is thrown as it was, and the caller
// reports it as a transient failure of that file (engine.local.busy: the next run tries again).
import { renameSync } from 'node:fs';

export interface RenameRetry {
  /** Retries only where other programs hold files that way: Windows (default: this system). */
  platform?: NodeJS.Platform;
  /** Attempts in all (default 10); the pause before attempt n+1 is n × pauseMs. */
  attempts?: number;
  pauseMs?: number;
  rename?: (from: string, to: string) => Promise<void>;
}

const HELD = new Set(['EBUSY', 'EPERM', 'EACCES']);

/** In this thread: a rename is a metadata call of a few microseconds, cheaper than a trip through libuv's pool. */
function renameNow(from: string, to: string): Promise<void> {
  renameSync(from, to);
  return Promise.resolve();
}

export async function renameRetrying(from: string, to: string, options: RenameRetry = {}): Promise<void> {
  const { platform = process.platform, attempts = 10, pauseMs = 50, rename = renameNow } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      await rename(from, to);
      return;
    } catch (error) {
      const held = HELD.has((error as NodeJS.ErrnoException).code ?? '');
      if (!held || platform !== 'win32' || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, attempt * pauseMs));
    }
  }
}
