// Moving bytes: parallel requests sized to the server's own limits, or one request at a time through
// streams for servers that mishandle parallel transfers (`serial`). Uploads issue their writes in
// increasing offset order (as OpenSSH's `sftp` does): servers that can only append (rclone without its
// cache) wait for a late write, never for one that was sent after a later one. Progress is reported as
// bytes go; an abort drops the connection (parallel transfers have no other way to stop) or destroys
// the streams (serial).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { TransferOptions } from '../contract.js';
import type { SftpLink } from './connect.js';
import type { Stats } from 'ssh2';
import { DownloadFile, type WrittenFile } from '../common/download-file.js';
import { readInOrder } from './ordered-download.js';
import { connectionLostError, sftpRequest } from './remote-files.js';

/** Requests in flight for one file: at OpenSSH's maximum request size, about 8 MiB of buffers. */
const CONCURRENCY = 32;
/** With small requests (servers without `limits@openssh.com`: 32 KiB), at least this much in flight. */
const MIN_BYTES_IN_FLIGHT = 2 * 1024 * 1024;
const MAX_REQUESTS_IN_FLIGHT = 128;
/** Local reads for an upload: one at a time, in order, each cut into write requests. */
const READ_BLOCK = 1024 * 1024;
const SERIAL_HIGH_WATER_MARK = 256 * 1024;

export interface TransferRequest {
  link: SftpLink;
  localPath: string;
  remotePath: string;
  serial: boolean;
  options: TransferOptions;
}

/** A remote file opened for writing (created or truncated). */
export interface OpenRemoteFile {
  handle: Buffer;
  path: string;
}

export interface UploadRequest {
  link: SftpLink;
  localPath: string;
  /** The bytes to send: the local file is read up to there (a shorter file sends less). */
  size: number;
  /** The remote file, already open (parallel uploads). */
  file: OpenRemoteFile;
  options: TransferOptions;
}

/** Requests kept in flight for one file, for the server's request size. */
export function requestsInFlight(chunk: number): number {
  return Math.min(MAX_REQUESTS_IN_FLIGHT, Math.max(CONCURRENCY, Math.ceil(MIN_BYTES_IN_FLIGHT / chunk)));
}

/**
 * Writes the local file into the open remote file, then closes it. The local file is read in order,
 * and each write is sent in order of offset, up to `requestsInFlight` unanswered. The first failure
 * stops new writes; those in flight are waited for, the file is closed, and the failure is thrown
 * (the caller removes the file). Resolves with the bytes written.
 */
export async function uploadInto(request: UploadRequest): Promise<number> {
  const { link, file, options } = request;
  const progress = progressReporter(options);
  let written: number;
  try {
    written = await whileAbortable(link, options.signal, () => orderedWrites(request, (bytes) => progress.add(bytes)));
  } catch (error) {
    // Closed before the caller removes it: some servers (Windows) refuse to remove an open file.
    if (!link.lost) await closeRemoteFile(link, file).catch(() => undefined);
    throw error;
  }
  await closeRemoteFile(link, file);
  progress.done();
  return written;
}

async function orderedWrites(request: UploadRequest, onWritten: (bytes: number) => void): Promise<number> {
  const { link, localPath, size, file } = request;
  const chunk = link.writeChunk;
  const writes = new WritesInFlight(requestsInFlight(chunk));
  const local = await open(localPath, 'r');
  const stopListening = link.onLost(() => writes.lose(connectionLostError()));
  let offset = 0;
  // Two blocks: the next one is read while the writes of this one go out.
  const blocks = [Buffer.allocUnsafe(Math.max(READ_BLOCK, chunk)), Buffer.allocUnsafe(Math.max(READ_BLOCK, chunk))] as const;
  const blockOf = (index: number): Buffer => (index % 2 === 0 ? blocks[0] : blocks[1]);
  const readAt = (index: number, at: number): Promise<number> =>
    at >= size ? Promise.resolve(0) : local.read(blockOf(index), 0, Math.min(blocks[0].length, size - at), at).then(({ bytesRead }) => bytesRead);
  let reading = readAt(0, 0);
  try {
    for (let index = 0; offset < size && !writes.hasFailed(); index += 1) {
      const bytesRead = await reading;
      if (bytesRead === 0) break;
      const block = blockOf(index);
      reading = readAt(index + 1, offset + bytesRead);
      // ssh2 copies the data into its packet at once: the block can be read into again once sent.
      for (let start = 0; start < bytesRead; start += chunk) {
        await writes.room();
        if (writes.hasFailed()) break;
        const length = Math.min(chunk, bytesRead - start);
        writes.started();
        link.sftp.write(file.handle, block, start, length, offset + start, (error) => {
          if (!error) onWritten(length);
          writes.ended(error ?? undefined);
        });
      }
      offset += bytesRead;
    }
    await writes.drained();
  } finally {
    stopListening();
    await reading.catch(() => undefined);
    await local.close();
  }
  writes.throwIfFailed();
  return offset;
}

/** The write requests of one upload still unanswered, and the first failure among them. */
class WritesInFlight {
  private count = 0;
  private failure: { error: unknown } | undefined;
  /** The connection is gone: the requests in flight will never be answered. */
  private lost = false;
  private wake: (() => void) | undefined;

  constructor(private readonly limit: number) {}

  hasFailed(): boolean {
    return this.failure !== undefined;
  }

  /** The first failure is kept: no request is sent after it. */
  fail(error: unknown): void {
    this.failure ??= { error };
    this.notify();
  }

  lose(error: unknown): void {
    this.lost = true;
    this.fail(error);
  }

  started(): void {
    this.count += 1;
  }

  ended(error: Error | undefined): void {
    this.count -= 1;
    if (error !== undefined) this.fail(error);
    this.notify();
  }

  /** Until another request may be sent, or one failed. */
  async room(): Promise<void> {
    while (this.failure === undefined && this.count >= this.limit) await this.next();
  }

  /** Until every request is answered (after a failure too: the file is closed next), unless the connection is gone. */
  async drained(): Promise<void> {
    while (this.count > 0 && !this.lost) await this.next();
  }

  throwIfFailed(): void {
    if (this.failure === undefined) return;
    const { error } = this.failure;
    throw error instanceof Error ? error : new Error(String(error));
  }

  private next(): Promise<void> {
    return new Promise((resolve) => (this.wake = resolve));
  }

  private notify(): void {
    const waiting = this.wake;
    this.wake = undefined;
    waiting?.();
  }
}

/** Writes the local file to `remotePath` one request at a time (`serial`). Resolves with the bytes written. */
export async function uploadSerially(request: TransferRequest): Promise<number> {
  const { link, localPath, remotePath, options } = request;
  const progress = progressReporter(options);
  const remote = link.client.createWriteStream(remotePath, { flags: 'w' });
  await untilLost(link, remote, pipeline(createReadStream(localPath, { highWaterMark: SERIAL_HIGH_WATER_MARK }), counting(progress), remote, signalOption(options)));
  return progress.done();
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

/** Writes `remotePath` into the local file `localPath` (hashed as it is written when options.sha256), and flushes it to disk. */
export async function download(request: TransferRequest): Promise<WrittenFile> {
  const { link, localPath, remotePath, options } = request;
  const file = await DownloadFile.open(localPath, options.sha256 === true);
  const progress = progressReporter(options);
  try {
    if (request.serial) {
      const remote = link.client.createReadStream(remotePath, { highWaterMark: SERIAL_HIGH_WATER_MARK });
      await untilLost(link, remote, pipeline(remote, async (chunks: AsyncIterable<Buffer>) => {
        for await (const chunk of chunks) {
          await file.append(chunk);
          progress.add(chunk.length);
        }
      }, signalOption(options)));
    } else {
      await whileAbortable(link, options.signal, () => readInOrder(link, remotePath, file, requestsInFlight(link.readChunk), (total) => progress.report(total)));
    }
    const written = await file.finish();
    progress.done();
    return written;
  } finally {
    await file.close();
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
