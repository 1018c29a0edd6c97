import { createHash, type Hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';

/**
 * Up to this size a file is read in one synchronous read: a few system calls (~20 µs for the small
 * files of a batch) where an asynchronous read takes several trips through libuv's thread pool.
 */
const READ_WHOLE_MAX = 256 * 1024;
/** A bigger file is read in blocks of this size, into two buffers used in turn. */
const BLOCK = 1024 * 1024;

/**
 * sha256 of a file; `size` as just recorded, when known. A big file is read into two reused buffers,
 * the next block read while this one is hashed: memory does not grow with the file, and no new buffer is
 * made per block (a stream's chunks of a 1 GiB file cost as much garbage collection as the hashing).
 */
export async function sha256File(path: string, size?: number): Promise<string> {
  const hash = createHash('sha256');
  if (size !== undefined && size <= READ_WHOLE_MAX) return hash.update(readFileSync(path)).digest('hex');
  await hashBlocks(path, hash);
  return hash.digest('hex');
}

async function hashBlocks(path: string, hash: Hash): Promise<void> {
  const handle = await open(path, 'r');
  let block = Buffer.allocUnsafe(BLOCK);
  let next = Buffer.allocUnsafe(BLOCK);
  let reading: Promise<{ bytesRead: number }> = handle.read(block, 0, BLOCK, null);
  try {
    for (;;) {
      const { bytesRead } = await reading;
      if (bytesRead === 0) return;
      reading = handle.read(next, 0, BLOCK, null);
      hash.update(block.subarray(0, bytesRead));
      [block, next] = [next, block];
    }
  } finally {
    await reading.catch(() => undefined);
    await handle.close();
  }
}
