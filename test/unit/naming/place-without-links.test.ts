// Shares and file systems without hard links (FAT, some SMB/NAS mounts): the fallback keeps both promises.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { partialPathFor, placeFile } from '../../../src/naming/index.js';

const linkCalls = vi.hoisted(() => ({ count: 0 }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...actual,
    link: () => {
      linkCalls.count++;
      return Promise.reject(Object.assign(new Error('operation not permitted'), { code: 'EPERM' }));
    },
  };
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ordo-nolink-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('placeFile where hard links are refused', () => {
  it('still places the file and never overwrites', async () => {
    await writeFile(join(dir, 'a.xml'), 'old');
    const temp = partialPathFor(dir);
    await writeFile(temp, 'new');
    const placed = await placeFile(temp, dir, 'a.xml');
    expect(linkCalls.count).toBeGreaterThan(0);
    expect(placed).toEqual({ name: 'a_1.xml', path: join(dir, 'a_1.xml'), collided: true });
    expect(await readFile(join(dir, 'a.xml'), 'utf8')).toBe('old');
    expect(await readFile(join(dir, 'a_1.xml'), 'utf8')).toBe('new');
    expect((await readdir(dir)).sort()).toEqual(['a.xml', 'a_1.xml']);
  });

  it('gives distinct names to concurrent placements', async () => {
    const temps = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const temp = partialPathFor(dir);
        await writeFile(temp, String(i));
        return temp;
      }),
    );
    const placed = await Promise.all(temps.map((temp) => placeFile(temp, dir, 'r.020')));
    expect(new Set(placed.map((p) => p.name)).size).toBe(10);
    const contents = await Promise.all(placed.map((p) => readFile(p.path, 'utf8')));
    expect(contents.sort()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });
});
