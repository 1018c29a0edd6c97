// A download's partial file, written in order and, when the caller wants its sha256, hashed as it is
// written: the engine then has it without reading the whole file again (where the file no longer fits in
// memory, from the disk); the disk is flushed every 64 MiB while the transfer goes on (background-flush.ts).
import { createHash, type Hash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { BackgroundFlush } from './background-flush.js';

export interface WrittenFile {
  bytes: number;
  /** sha256 of the bytes written, in hex, when asked for. */
  sha256?: string;
}

export class DownloadFile {
  private readonly hash: Hash | undefined;
  private readonly flush: BackgroundFlush;
  private written = 0;

  private constructor(private readonly handle: FileHandle, hashed: boolean) {
    this.flush = new BackgroundFlush(handle);
    this.hash = hashed ? createHash('sha256') : undefined;
  }

  /** Creates `path` (or truncates it); `hashed`: what is appended is hashed too. */
  static async open(path: string, hashed: boolean): Promise<DownloadFile> {
    return new DownloadFile(await open(path, 'w'), hashed);
  }

  get bytes(): number {
    return this.written;
  }

  /** Appends `data`: hashed, then written after everything appended before. Never call it twice at once. */
  async append(data: Uint8Array): Promise<void> {
    this.hash?.update(data);
    let done = 0;
    while (done < data.length) {
      const { bytesWritten } = await this.handle.write(data, done, data.length - done, this.written + done);
      done += bytesWritten;
    }
    this.written += data.length;
    this.flush.progress(this.written);
  }

  /** Everything appended is on disk; its size, and its sha256 when hashed. */
  async finish(): Promise<WrittenFile> {
    await this.flush.finish();
    return this.hash === undefined ? { bytes: this.written } : { bytes: this.written, sha256: this.hash.digest('hex') };
  }

  /** Closes the file once no flush is running (after finish, or on failure). */
  async close(): Promise<void> {
    await this.flush.close();
  }
}
