import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { partialPathFor, placeFile, safeLocalName, withCollisionSuffix } from '../../../src/naming/index.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ordo-place-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function partial(content: string): Promise<string> {
  const path = partialPathFor(dir);
  await writeFile(path, content);
  return path;
}

describe('partialPathFor', () => {
  it('is a hidden, unique temporary file in the folder telling whose it is, that no safe name can be', () => {
    const paths = new Set(Array.from({ length: 100 }, () => partialPathFor(dir)));
    expect(paths.size).toBe(100);
    for (const path of paths) {
      expect(dirname(path)).toBe(dir);
      expect(basename(path)).toMatch(new RegExp(`^\\.download\\.[0-9a-f]{12}-${process.pid}-[0-9a-f]{8}\\.ordo-part$`));
      expect(safeLocalName(basename(path))).not.toBe(basename(path));
    }
  });
});

describe('placeFile', () => {
  it('gives the complete file its name and removes the partial file', async () => {
    const temp = await partial('contenu');
    const placed = await placeFile(temp, dir, 'PES_ACQUIT.xml');
    expect(placed).toEqual({ name: 'PES_ACQUIT.xml', path: join(dir, 'PES_ACQUIT.xml'), collided: false });
    expect(await readFile(placed.path, 'utf8')).toBe('contenu');
    expect(await readdir(dir)).toEqual(['PES_ACQUIT.xml']);
  });

  it('never overwrites: numbered suffixes before the extension', async () => {
    await writeFile(join(dir, 'a.xml'), 'old');
    await writeFile(join(dir, 'a_1.xml'), 'old 1');
    const placed = await placeFile(await partial('new'), dir, 'a.xml');
    expect(placed).toEqual({ name: 'a_2.xml', path: join(dir, 'a_2.xml'), collided: true });
    expect(await readFile(join(dir, 'a.xml'), 'utf8')).toBe('old');
    expect(await readFile(join(dir, 'a_1.xml'), 'utf8')).toBe('old 1');
    expect(await readFile(join(dir, 'a_2.xml'), 'utf8')).toBe('new');
  });

  it('makes the desired name safe: nothing is written outside the folder', async () => {
    const placed = await placeFile(await partial('x'), dir, '../../evil/CON.txt');
    expect(placed.name).toBe('evil_CON.txt');
    expect(dirname(placed.path)).toBe(dir);
  });

  it('many files wanting the same name at once all land, none overwritten', async () => {
    const temps = await Promise.all(Array.from({ length: 25 }, (_, i) => partial(`file ${i}`)));
    const placed = await Promise.all(temps.map((temp) => placeFile(temp, dir, 'retour.020')));
    expect(new Set(placed.map((p) => p.name)).size).toBe(25);
    expect(placed.filter((p) => !p.collided)).toHaveLength(1);
    const contents = await Promise.all(placed.map((p) => readFile(p.path, 'utf8')));
    expect(new Set(contents).size).toBe(25);
    expect((await readdir(dir)).filter((name) => name.endsWith('.partial'))).toEqual([]);
  });
});

describe('withCollisionSuffix', () => {
  it.each([
    ['a.xml', 1, 'a_1.xml'],
    ['a.xml', 12, 'a_12.xml'],
    ['archive.tar.gz', 2, 'archive.tar_2.gz'],
    ['sans_extension', 3, 'sans_extension_3'],
    ['_CON.txt', 1, '_CON_1.txt'],
  ])('%s #%i → %s', (name, n, expected) => {
    expect(withCollisionSuffix(name, n)).toBe(expected);
  });

  it('keeps a long name within 255 bytes, suffix and extension included', () => {
    const long = safeLocalName(`${'x'.repeat(300)}.xml`);
    const result = withCollisionSuffix(long, 42);
    expect(Buffer.byteLength(result)).toBe(255);
    expect(result.endsWith('x_42.xml')).toBe(true);
  });
});
