// An answer's body streamed into the partial file the engine chose (hashed as it arrives when asked), flushed before the promise resolves:
// what every HTTP protocol does to download a file (a retour, an acquit). Back-pressure comes from the
// pipeline; the file is flushed every 64 MiB while the body arrives (common/background-flush.ts), so that
// the last flush, before the promise resolves, has little left to write.
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { open, rm, stat, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { abortError } from '../../shared/abort.js';
import { BackgroundFlush } from '../common/background-flush.js';
import type { WrittenFile } from '../common/download-file.js';
import { fileSystemError } from '../common/file-errors.js';
import { localWriteError, TransferError, type TransferOptions } from '../contract.js';

/** Disk writes are batched up to this much, so that the network never waits for each one. */
const WRITE_BUFFER_BYTES = 4 * 1024 * 1024;

export interface BodyToFile {
  /** The transfer was cut after `kept` bytes (those in the file, or those that arrived when it is removed): the protocol's own transient error. */
  interrupted(error: unknown, kept: number): TransferError;
  /** Remove what arrived when the transfer fails (the source is untouched); default: keep it for the engine. */
  removeOnFailure?: boolean;
  /** A body larger than this is refused with this error (small answers such as acquits). */
  limit?: { bytes: number; error: () => TransferError };
}

/** The number of bytes written, and their sha256 (hashed as they arrived) when options.sha256. */
export async function writeBodyToFile(
  body: Readable,
  destPath: string,
  options: { signal?: AbortSignal | undefined; onProgress?: TransferOptions['onProgress']; sha256?: boolean | undefined },
  how: BodyToFile,
): Promise<WrittenFile> {
  let handle: FileHandle;
  try {
    handle = await open(destPath, 'w');
  } catch (error) {
    body.on('error', () => undefined);
    body.destroy();
    throw localWriteError(error, destPath) ?? fileSystemError(error, destPath);
  }
  // The stream owns the file: it flushes it once more and closes it at the end (after any flush still
  // running: a FileHandle closes when its operations are done), and closes it on failure.
  const output = handle.createWriteStream({ flush: true, highWaterMark: WRITE_BUFFER_BYTES });
  const flush = new BackgroundFlush(handle);
  const hash = options.sha256 === true ? createHash('sha256') : undefined;
  let bytes = 0;
  body.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    hash?.update(chunk);
    if (how.limit !== undefined && bytes > how.limit.bytes) body.destroy(how.limit.error());
    options.onProgress?.(bytes);
    flush.progress(output.bytesWritten);
  });
  try {
    await pipeline(body, output);
    if (bytes === 0) options.onProgress?.(0);
  } catch (error) {
    if (!output.closed) await once(output, 'close').catch(() => undefined);
    if (how.removeOnFailure === true) await rm(destPath, { force: true });
    if (options.signal?.aborted === true) throw abortError(options.signal);
    if (error instanceof TransferError) throw error;
    const local = localWriteError(error, destPath);
    if (local !== undefined) throw local;
    // Removed: how much had arrived; kept: how much the file holds.
    const kept = how.removeOnFailure === true ? bytes : await stat(destPath).then((info) => info.size, () => output.bytesWritten);
    throw how.interrupted(error, kept);
  }
  return hash === undefined ? { bytes } : { bytes, sha256: hash.digest('hex') };
}
