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

/** From this size, a file hashed beside a transfer is hashed in a worker thread (see sha256Beside). */
const WORKER_MIN = 64 * 1024 * 1024;

/**
 * The worker's whole program: CommonJS, evaluated (no file of its own to find beside the bundle or
 * inside the single executable). Same reads as hashBlocks, synchronous: the worker has nothing else to do.
 */
const HASH_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { openSync, readSync, closeSync } = require('node:fs');
const { createHash } = require('node:crypto');
try {
  const fd = openSync(workerData.path, 'r');
  try {
    const block = Buffer.allocUnsafe(${BLOCK});
    const hash = createHash('sha256');
    for (;;) {
      const read = readSync(fd, block, 0, block.length, null);
      if (read === 0) break;
      hash.update(block.subarray(0, read));
    }
    parentPort.postMessage({ sha256: hash.digest('hex') });
  } finally {
    closeSync(fd);
  }
} catch (error) {
  parentPort.postMessage({ error: { message: error.message, code: error.code, errno: error.errno, syscall: error.syscall, path: error.path } });
}
`;

interface WorkerAnswer {
  sha256?: string;
  error?: { message: string; code?: string; errno?: number; syscall?: string; path?: string };
}

/**
 * sha256 of a file while the main thread does something else with it (a transfer): a big file is
 * hashed by a worker thread, on another processor — on the main thread its 1 s per GiB would slow the
 * transfer's own work (encryption) by as much. Starting a worker costs ~50 ms: smaller files are hashed
 * here. A failure is the file system's error, with its code and path.
 */
export async function sha256Beside(path: string, size: number): Promise<string> {
  if (size < WORKER_MIN) return sha256File(path, size);
  const { Worker } = await import('node:worker_threads');
  return new Promise((resolve, reject) => {
    const worker = new Worker(HASH_WORKER, { eval: true, workerData: { path } });
    worker.once('message', (answer: WorkerAnswer) => {
      if (answer.sha256 !== undefined) resolve(answer.sha256);
      else reject(Object.assign(new Error(answer.error?.message ?? 'hash failed'), answer.error));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the hashing thread stopped (exit code ${code})`)));
  });
}
