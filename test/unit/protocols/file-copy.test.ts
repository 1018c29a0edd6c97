// copyFileInto (the `local` send and the folder inbox's fetch) reads into two buffers used in turn, the
// next read under way while a chunk is written: the copy must be the file byte for byte whatever its size
// against the chunk and against the size it was expected to have, progress must count up to the end, and
// an interruption must stop it with the source closed.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CHUNK_BYTES, copyFileInto } from '../../../src/protocols/common/file-copy.js';

const dir = mkdtempSync(join(tmpdir(), 'ordo-copy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function copy(source: string, options: Parameters<typeof copyFileInto>[2] = {}): Promise<{ copied: Buffer; result: Awaited<ReturnType<typeof copyFileInto>> }> {
  const target = join(dir, `copy-${randomBytes(4).toString('hex')}`);
  const handle = await open(target, 'w');
  try {
    const result = await copyFileInto(source, handle, options);
    return { copied: readFileSync(target), result };
  } finally {
    await handle.close();
  }
}

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** The descriptors this process has open (Linux): a source left open would show here. */
function openDescriptors(): number {
  return readdirSync('/proc/self/fd').length;
}

describe('copyFileInto', () => {
  const sizes = [0, 1, 4096, CHUNK_BYTES - 1, CHUNK_BYTES, CHUNK_BYTES + 1, 3 * CHUNK_BYTES + 12_345];
  it.each(sizes)('%d bytes: the same bytes and digest, with the size given, wrong or unknown', async (size) => {
    const source = join(dir, `f${size}`);
    const content = randomBytes(size);
    writeFileSync(source, content);
    for (const hint of [size, undefined, 0, Math.max(0, size - 1000), size + 1000]) {
      const { copied, result } = await copy(source, { hash: true, ...(hint === undefined ? {} : { size: hint }) });
      expect(copied.equals(content), `size hint ${hint}`).toBe(true);
      expect(result).toEqual({ bytes: size, sha256: sha256(content) });
    }
  });

  it('progress counts up to the whole file, the final count once; an empty file reports 0', async () => {
    const source = join(dir, 'progress');
    writeFileSync(source, randomBytes(2 * CHUNK_BYTES + 7));
    const counts: number[] = [];
    const { result } = await copy(source, { onProgress: (bytes) => counts.push(bytes) });
    expect(result.sha256).toBeUndefined();
    expect(counts).toEqual([CHUNK_BYTES, 2 * CHUNK_BYTES, 2 * CHUNK_BYTES + 7]);

    const empty = join(dir, 'empty');
    writeFileSync(empty, '');
    const emptyCounts: number[] = [];
    await copy(empty, { onProgress: (bytes) => emptyCounts.push(bytes) });
    expect(emptyCounts).toEqual([0]);
  });

  it('interrupted during the copy: an AbortError, and the source is closed', async () => {
    const source = join(dir, 'interrupted');
    writeFileSync(source, randomBytes(4 * CHUNK_BYTES));
    const before = openDescriptors();
    const controller = new AbortController();
    const counts: number[] = [];
    await expect(
      copy(source, {
        signal: controller.signal,
        onProgress: (bytes) => {
          counts.push(bytes);
          controller.abort();
        },
      }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(counts).toEqual([CHUNK_BYTES]);
    expect(openDescriptors()).toBe(before);
  });

  it('already interrupted: nothing is opened', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(copy(join(dir, 'absent'), { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('a missing source: the file system\'s error, naming the source', async () => {
    const source = join(dir, 'absent');
    await expect(copy(source)).rejects.toMatchObject({ code: 'ENOENT', path: source });
  });
});
