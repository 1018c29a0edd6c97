// Moving bytes: parallel requests sized to the server's own limits (ssh2's fastPut/fastGet), or one
// request at a time through streams for servers that mishandle parallel transfers (`serial`).
// Progress is reported as bytes go; an abort drops the connection (parallel transfers have no other
// way to stop) or destroys the streams (serial).
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { TransferOptions } from '../contract.js';
import type { SftpLink } from './connect.js';
import type { Stats } from 'ssh2';
import { connectionLostError, sftpRequest } from './remote-files.js';

/** Requests in flight for one file: at OpenSSH's maximum request size, about 8 MiB of buffers. */
const CONCURRENCY = 32;
const SERIAL_HIGH_WATER_MARK = 256 * 1024;
const FLUSH_EVERY = 64 * 1024 * 1024;

export interface TransferRequest {
  link: SftpLink;
  localPath: string;
  remotePath: string;
  serial: boolean;
  options: TransferOptions;
}

/** Writes the local file to `remotePath` (created or truncated). Resolves with the bytes written. */
export async function upload(request: TransferRequest): Promise<number> {
  const { link, localPath, remotePath, options } = request;
  const progress = progressReporter(options);
  if (request.serial) {
    const remote = link.client.createWriteStream(remotePath, { flags: 'w' });
    await untilLost(link, remote, pipeline(createReadStream(localPath, { highWaterMark: SERIAL_HIGH_WATER_MARK }), counting(progress), remote, signalOption(options)));
    return progress.done();
  }
  await whileAbortable(link, options.signal, () =>
    link.client.fastPut(localPath, remotePath, {
      chunkSize: link.writeChunk,
      concurrency: CONCURRENCY,
      step: (total) => progress.report(total),
    }),
  );
  return progress.done();
}

/** A remote file opened for writing (created or truncated), to be filled by `writeWholeAndClose`. */
export interface OpenRemoteFile {
  handle: Buffer;
  path: string;
}

export async function openForWriting(link: SftpLink, remotePath: string): Promise<OpenRemoteFile> {
  const handle = await sftpRequest<Buffer>((sftp, done) => sftp.open(remotePath, 'w', done), link);
  return { handle, path: remotePath };
}

export function closeRemoteFile(link: SftpLink, file: OpenRemoteFile): Promise<void> {
  return sftpRequest<undefined>((sftp, done) => sftp.close(file.handle, done), link);
}

/**
 * Content that fits in one write request: the write, a stat of the handle and the close are sent
 * together and answered in one round trip (a server handles the requests on one handle in order), as
 * OpenSSH's own `put` does. Resolves with the size the server reports after the write.
 */
export async function writeWholeAndClose(link: SftpLink, file: OpenRemoteFile, content: Buffer, options: TransferOptions): Promise<number> {
  const progress = progressReporter(options);
  const { handle } = file;
  const written =
    content.length === 0 ? Promise.resolve() : sftpRequest<undefined>((sftp, done) => sftp.write(handle, content, 0, content.length, 0, done), link);
  const stored = sftpRequest<Stats>((sftp, done) => sftp.fstat(handle, done), link);
  const closed = closeRemoteFile(link, file);
  const [write, stat, close] = await whileAbortable(link, options.signal, () => Promise.allSettled([written, stored, closed]));
  for (const outcome of [write, stat, close]) if (outcome.status === 'rejected') throw outcome.reason;
  progress.report(content.length);
  progress.done();
  return stat.status === 'fulfilled' ? stat.value.size : 0;
}

/** Writes `remotePath` into the local file `localPath` and flushes it to disk. */
export async function download(request: TransferRequest): Promise<number> {
  const { link, localPath, remotePath, options } = request;
  const flush = await BackgroundFlush.open(localPath);
  const progress = progressReporter(options, (bytes) => flush.progress(bytes));
  try {
    if (request.serial) {
      const remote = link.client.createReadStream(remotePath, { highWaterMark: SERIAL_HIGH_WATER_MARK });
      await untilLost(link, remote, pipeline(remote, counting(progress), createWriteStream(localPath), signalOption(options)));
    } else {
      await whileAbortable(link, options.signal, () => fastGet(link, remotePath, localPath, (total) => progress.report(total)));
    }
    await flush.finish();
  } finally {
    await flush.close();
  }
  return progress.done();
}

/**
 * ssh2's own parallel download, called on the channel directly: ssh2-sftp-client's wrapper turns every
 * failure into text, and a local write failure (a full disk here) must keep its code to be told from
 * the server's.
 */
function fastGet(link: SftpLink, remotePath: string, localPath: string, step: (total: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const stopListening = link.onLost(() => reject(connectionLostError()));
    link.sftp.fastGet(remotePath, localPath, { chunkSize: link.readChunk, concurrency: CONCURRENCY, step: (total) => step(total) }, (error) => {
      stopListening();
      if (error) reject(error);
      else resolve();
    });
  });
}

/**
 * Flushes a file being downloaded every FLUSH_EVERY bytes, while the transfer goes on: the disk works
 * during the transfer rather than after it, and the final flush has little left to do.
 */
class BackgroundFlush {
  private flushedAt = 0;
  private running: Promise<void> | undefined;

  private constructor(private readonly handle: FileHandle) {}

  /** The same file the transfer writes (it is created, or truncated, by both: one and the same inode). */
  static async open(path: string): Promise<BackgroundFlush> {
    return new BackgroundFlush(await open(path, 'w'));
  }

  progress(bytes: number): void {
    if (this.running !== undefined || bytes - this.flushedAt < FLUSH_EVERY) return;
    this.flushedAt = bytes;
    this.running = this.handle
      .datasync()
      .catch(() => undefined)
      .finally(() => {
        this.running = undefined;
      });
  }

  async finish(): Promise<void> {
    await this.running;
    await this.handle.sync();
  }

  async close(): Promise<void> {
    await this.running;
    await this.handle.close().catch(() => undefined);
  }
}

/** Reads a remote file through and hashes it (for verify: SFTP has no standard way to ask for a hash). */
export async function remoteSha256(link: SftpLink, remotePath: string): Promise<string> {
  const hash = createHash('sha256');
  const remote = link.client.createReadStream(remotePath, { highWaterMark: SERIAL_HIGH_WATER_MARK });
  await untilLost(link, remote, pipeline(remote, hash));
  return hash.digest('hex');
}

/** ssh2 never answers requests a stream sends after the connection closed: destroy the stream then. */
async function untilLost<T>(link: SftpLink, stream: { destroy(error?: Error): unknown }, work: Promise<T>): Promise<T> {
  const stopListening = link.onLost(() => stream.destroy(connectionLostError()));
  try {
    return await work;
  } finally {
    stopListening();
  }
}

/** The work runs until it ends or the signal fires; then the connection is dropped to stop it. */
async function whileAbortable<T>(link: SftpLink, signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
  if (signal === undefined) return work();
  signal.throwIfAborted();
  const onAbort = (): void => link.destroy();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await work();
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

interface ProgressReporter {
  report(total: number): void;
  add(bytes: number): void;
  /** Reports the final count (even 0) once and returns it. */
  done(): number;
}

function progressReporter(options: TransferOptions, onBytes?: (bytes: number) => void): ProgressReporter {
  let bytes = 0;
  let reported = -1;
  const emit = (): void => {
    if (bytes === reported) return;
    reported = bytes;
    onBytes?.(bytes);
    options.onProgress?.(bytes);
  };
  return {
    report(total) {
      // Parallel requests complete out of order; the count only ever grows.
      if (total <= bytes) return;
      bytes = total;
      emit();
    },
    add(chunk) {
      bytes += chunk;
      emit();
    },
    done() {
      emit();
      return bytes;
    },
  };
}

function counting(progress: ProgressReporter): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      progress.add(chunk.length);
      callback(null, chunk);
    },
  });
}

function signalOption(options: TransferOptions): { signal: AbortSignal } | Record<string, never> {
  return options.signal === undefined ? {} : { signal: options.signal };
}
