// sha256File reads a big file in blocks into two buffers used in turn: the digest must be the file's,
// whatever the size is against the block (empty, under, at and across block boundaries, and small files
// read whole). sha256Beside hashes a big file in a worker thread: the same digest, and the file
// system's own error (code, path) when it cannot read.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256Beside, sha256File } from '../../../src/shared/hash.js';

const dir = mkdtempSync(join(tmpdir(), 'ordo-hash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sha256File', () => {
  const MiB = 1024 * 1024;
  it.each([0, 1, 256 * 1024, 256 * 1024 + 1, MiB, MiB + 1, 2 * MiB, 3 * MiB + 12_345])('%d bytes, size given or not', async (size) => {
    const path = join(dir, `f${size}`);
    writeFileSync(path, randomBytes(size));
    const expected = createHash('sha256').update(readFileSync(path)).digest('hex');
    expect(await sha256File(path, size)).toBe(expected);
    expect(await sha256File(path)).toBe(expected);
  });

  it('a missing file is an error, not a digest', async () => {
    await expect(sha256File(join(dir, 'absent'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('sha256Beside', () => {
  const MiB = 1024 * 1024;
  it.each([8 * MiB + 3, 64 * MiB, 64 * MiB + 5])('%d bytes (a worker thread from 64 MiB on)', async (size) => {
    const path = join(dir, `beside${size}`);
    writeFileSync(path, randomBytes(size));
    const expected = createHash('sha256').update(readFileSync(path)).digest('hex');
    expect(await sha256Beside(path, size)).toBe(expected);
    rmSync(path);
  });

  it('a file the worker cannot read: the file system\'s error, with its code and path', async () => {
    await expect(sha256Beside(join(dir, 'absent'), 100 * MiB)).rejects.toMatchObject({ code: 'ENOENT', syscall: 'open', path: join(dir, 'absent') });
    await expect(sha256Beside(dir, 100 * MiB)).rejects.toMatchObject({ code: 'EISDIR' });
  });
});
