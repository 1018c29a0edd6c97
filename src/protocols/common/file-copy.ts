// Streamed file copies with progress, hashing and cancellation: memory stays flat whatever the size.
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { TransferOptions } from '../contract.js';

export const CHUNK_BYTES = 256 * 1024;

export interface CopyResult {
  bytes: number;
  /** Hex sha256 of what was copied, when asked for. */
  sha256: string | undefined;
}

/**
 * Appends the whole of `sourcePath` to `destination` (left open: the caller flushes and closes it).
 * `onProgress` gets increasing byte counts and always the final count, even for an empty file.
 */
export async function copyFileInto(
  sourcePath: string,
  destination: FileHandle,
  options: TransferOptions & { hash?: boolean; noFollow?: boolean } = {},
): Promise<CopyResult> {
  const hash = options.hash === true ? createHash('sha256') : undefined;
  let bytes = 0;
  let reported = -1;
  const report = (): void => {
    if (bytes === reported) return;
    reported = bytes;
    options.onProgress?.(bytes);
  };
  // The read stream owns (and closes) the source handle.
  const source = (await open(sourcePath, readFlags(options.noFollow ?? false))).createReadStream({ highWaterMark: CHUNK_BYTES });
  const writeChunks = async (chunks: AsyncIterable<Buffer>): Promise<void> => {
    for await (const chunk of chunks) {
      await writeFully(destination, chunk);
      hash?.update(chunk);
      bytes += chunk.length;
      report();
    }
  };
  await (options.signal === undefined
    ? pipeline(source, writeChunks)
    : pipeline(source, writeChunks, { signal: options.signal }));
  report();
  return { bytes, sha256: hash?.digest('hex') };
}

/** Where the system can, refuse to read through a symbolic link swapped in after the listing. */
function readFlags(noFollow: boolean): string | number {
  // Typed as a number by @types/node, but absent (undefined) on Windows.
  const noFollowFlag = constants.O_NOFOLLOW as number | undefined;
  return noFollow && noFollowFlag !== undefined ? constants.O_RDONLY | noFollowFlag : 'r';
}

async function writeFully(destination: FileHandle, chunk: Buffer): Promise<void> {
  let offset = 0;
  while (offset < chunk.length) {
    const { bytesWritten } = await destination.write(chunk, offset, chunk.length - offset);
    offset += bytesWritten;
  }
}
