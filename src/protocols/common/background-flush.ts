// A file being downloaded is flushed every FLUSH_EVERY bytes while the transfer goes on: the disk works
// during the transfer rather than after it, and the final flush, before the file is reported received,
// has little left to do. Used by the SFTP download (common/download-file.ts) and by every HTTP protocol's
// (web/body-to-file.ts).
import type { FileHandle } from 'node:fs/promises';

const FLUSH_EVERY = 64 * 1024 * 1024;

export class BackgroundFlush {
  private flushedAt = 0;
  private running: Promise<void> | undefined;

  /** Flushes `handle`, the file the transfer writes (through this handle or another one of the same file). */
  constructor(private readonly handle: FileHandle) {}

  /** `bytes` of the file have been written so far. */
  progress(bytes: number): void {
    if (this.running !== undefined || bytes - this.flushedAt < FLUSH_EVERY) return;
    this.flushedAt = bytes;
    // A failure here is not the transfer's: the final flush reports it.
    this.running = this.handle
      .datasync()
      .catch(() => undefined)
      .finally(() => {
        this.running = undefined;
      });
  }

  /** Everything written is on disk. */
  async finish(): Promise<void> {
    await this.running;
    await this.handle.sync();
  }

  /** Closes the file once no flush is running (after finish, or on failure). */
  async close(): Promise<void> {
    await this.running;
    await this.handle.close().catch(() => undefined);
  }
}
