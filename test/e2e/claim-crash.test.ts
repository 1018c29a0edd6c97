// kill -9 of a real `ordo run` while it claims a large file across two volumes (source on /dev/shm,
// spool on disk): the next run delivers it byte-identical, exactly once, and leaves nothing behind.
import { createHash } from 'node:crypto';
import { createReadStream, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ordo, ordoAsync, site, waitExit, type Site } from '../helpers/cli.js';
import { otherVolumeDir } from '../helpers/volumes.js';

const SIZE = 300 * 1024 * 1024;
let s: Site | undefined;
let other: ReturnType<typeof otherVolumeDir> | undefined;
afterEach(() => {
  s?.cleanup();
  other?.cleanup();
});

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Every file under `dir` with its size (recursive), hidden ones included. Polled while ordo runs: a folder
 * ordo removes during the walk ends this look empty-handed, and the next poll looks again.
 */
function filesUnder(dir: string): Array<{ path: string; size: number }> {
  let names: string[];
  try {
    names = readdirSync(dir, { recursive: true, encoding: 'utf8' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names
    .map((rel) => join(dir, rel))
    .flatMap((path) => {
      try {
        const st = statSync(path);
        return st.isFile() ? [{ path, size: st.size }] : [];
      } catch {
        return [];
      }
    });
}

describe('kill -9 during a cross-volume claim', () => {
  it('the next run delivers the file complete, exactly once', { timeout: 240_000 }, async () => {
    other = otherVolumeDir();
    s = site({ source: other.dir });
    const original = join(other.dir, 'gros-mandat.xml');
    const block = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < block.length; i++) block[i] = (i * 31 + 7) % 251;
    const parts: Buffer[] = [];
    for (let i = 0; i < SIZE / block.length; i++) parts.push(Buffer.concat([Buffer.from(String(i).padStart(8, '0')), block.subarray(8)]));
    writeFileSync(original, Buffer.concat(parts));
    const expected = await sha256(original);

    const child = ordoAsync(['run'], { cwd: s.dir });
    let exited = false as boolean; // set by the exit callback: not narrowable
    const exit = waitExit(child).finally(() => (exited = true));
    const queue = join(s.root, 'queue', 'PES');
    let killedMidClaim = false;
    while (!exited) {
      const partial = filesUnder(queue).find((f) => f.size > 0 && f.size < SIZE);
      if (partial !== undefined) {
        child.kill('SIGKILL');
        killedMidClaim = readdirSync(other.dir).some((n) => n.startsWith('.ordo-claim.'));
        break;
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    await exit;
    expect(killedMidClaim).toBe(true);

    const next = ordo(['run'], { cwd: s.dir });
    expect(next.code).toBe(0);
    const delivered = readdirSync(s.target).filter((n) => !n.startsWith('.'));
    expect(delivered).toEqual(['gros-mandat.xml']);
    expect(await sha256(join(s.target, 'gros-mandat.xml'))).toBe(expected);
    expect(readdirSync(other.dir)).toEqual([]);
    expect(filesUnder(queue)).toEqual([]);

    expect(ordo(['run'], { cwd: s.dir }).code).toBe(0);
    const journal = readdirSync(join(s.root, 'journal')).map((n) => readFileSync(join(s!.root, 'journal', n), 'utf8')).join('');
    const sent = journal.split('\n').filter((line) => line.includes('"state":"sent"'));
    expect(sent).toHaveLength(1);
  });
});
