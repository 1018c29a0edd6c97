// A download's partial file, written in order and hashed as it is written: the engine then has the
// file's sha256 without reading the whole file again (for 1 GiB, about a second of CPU), and the disk is
// flushed every 64 MiB while the transfer goes on (background-flush.ts).
import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { BackgroundFlush } from './background-flush.js';

export interface WrittenFile {
  bytes: number;
  /** sha256 of the bytes written, in hex. */
  sha256: string;
}

export class DownloadFile {
  private readonly hash = createHash('sha256');
  private readonly flush: BackgroundFlush;
  private written = 0;

  private constructor(private readonly handle: FileHandle) {
    this.flush = new BackgroundFlush(handle);
  }

  /** Creates `path` (or truncates it). */
  static async open(path: string): Promise<DownloadFile> {
    return new DownloadFile(await open(path, 'w'));
  }

  get bytes(): number {
    return this.written;
  }

  /** Appends `data`: hashed, then written after everything appended before. Never call it twice at once. */
  async append(data: Uint8Array): Promise<void> {
    this.hash.update(data);
    let done = 0;
    while (done < data.length) {
      const { bytesWritten } = await this.handle.write(data, done, data.length - done, this.written + done);
      done += bytesWritten;
    }
    this.written += data.length;
    this.flush.progress(this.written);
  }

  /** Everything appended is on disk; its size and sha256. */
  async finish(): Promise<WrittenFile> {
    await this.flush.finish();
    return { bytes: this.written, sha256: this.hash.digest('hex') };
  }

  /** Closes the file once no flush is running (after finish, or on failure). */
  async close(): Promise<void> {
    await this.flush.close();
  }
}
