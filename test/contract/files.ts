// Test files for the contract suite: small ones in memory, large ones streamed (never held in memory).
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { SendItem } from '../../src/protocols/contract.js';

export const MiB = 1024 * 1024;

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** sha256 of `size` zero bytes, which is what `putRemote(name, { size })` stores. */
export function sha256OfZeros(size: number): string {
  const hash = createHash('sha256');
  const zeros = Buffer.alloc(MiB);
  for (let left = size; left > 0; left -= MiB) hash.update(left >= MiB ? zeros : zeros.subarray(0, left));
  return hash.digest('hex');
}

/** What `putRemote` stores: these bytes, or `size` zero bytes as a sparse file (large files cost no disk). */
export async function writeContent(path: string, data: Buffer | { size: number }): Promise<void> {
  if (Buffer.isBuffer(data)) return writeFile(path, data);
  const handle = await open(path, 'w');
  try {
    await handle.truncate(data.size);
  } finally {
    await handle.close();
  }
}

/** A local file to send, written in the scratch folder under a neutral name. */
export async function sendItem(dir: string, name: string, data: Buffer): Promise<SendItem> {
  const path = join(dir, `source-${randomBytes(4).toString('hex')}`);
  await writeFile(path, data);
  return { path, name, size: data.length, sha256: sha256(data) };
}

/** A large file whose every MiB differs (so misplaced chunks are caught), generated as a stream. */
export async function largeSendItem(dir: string, name: string, size: number): Promise<SendItem> {
  const path = join(dir, `large-${randomBytes(4).toString('hex')}`);
  const hash = createHash('sha256');
  const seed = randomBytes(MiB);
  function* chunks(): Generator<Buffer> {
    for (let offset = 0, index = 0; offset < size; offset += MiB, index += 1) {
      const chunk = Buffer.from(seed.subarray(0, Math.min(MiB, size - offset)));
      chunk.writeUInt32BE(index, 0);
      hash.update(chunk);
      yield chunk;
    }
  }
  await pipeline(Readable.from(chunks()), createWriteStream(path));
  return { path, name, size, sha256: hash.digest('hex') };
}

export interface MemoryReport<T> {
  result: T;
  /** Highest resident set size seen during the work, minus the one before it. */
  growth: number;
}

/** Samples the process's resident memory while `work` runs. */
export async function measureMemory<T>(work: () => Promise<T>): Promise<MemoryReport<T>> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, growth: peak - before };
  } finally {
    clearInterval(timer);
  }
}
