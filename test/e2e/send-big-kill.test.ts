// `ordo send` of big files (8 MiB and more: each one's transfer starts while it is hashed, and waits for
// its `sending` line before it gets its final name) killed with SIGKILL at random moments — mostly right
// when a file gets its final name at the partner, else anywhere (while a file is written under its
// temporary name, hashed, backed up, journaled) — then one clean run: every file is at the partner
// exactly once, with its content, journaled sent once, backed up, and nothing is left in the source, the
// queue, failed/ or among the partner's temporary files.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { site, type Site } from '../helpers/cli.js';
import { expectEachSentOnce, killedRun } from '../helpers/killed-run.js';

let s: Site | undefined;
afterEach(() => s?.cleanup());

const MiB = 1024 * 1024;
const BIG_FILES = 10;
const ROUNDS = 14;
const HANG_GUARD_MS = 30_000;

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');
const listed = (folder: string): string[] => (existsSync(folder) ? readdirSync(folder) : []);

describe('send of big files killed at random moments (kill -9), then a clean run', () => {
  it('every file reaches the partner exactly once, journaled sent once, backed up; no temporary file left', async () => {
    s = site();
    const expected = new Map<string, string>();
    const add = (name: string, data: Buffer): void => {
      writeFileSync(join(s!.source, name), data);
      expected.set(name, sha256(data));
    };
    for (let index = 0; index < BIG_FILES; index += 1) add(`PES_GROS_${index}.bin`, randomBytes(8 * MiB + index * 100_003));
    for (let index = 0; index < 3; index += 1) add(`PES_${index}.xml`, Buffer.from(`<mandat n="${index}"/>`));

    let kills = 0;
    let rounds = 0;
    const workLeft = (): boolean => readdirSync(s!.source).length > 0 || listed(join(s!.root, 'queue', 'PES')).length > 0;
    for (; rounds < ROUNDS && (workLeft() || kills < 3); rounds += 1) {
      // Runs that ended before their kill (a busy machine is slow to see the partner's folder change)
      // may have sent everything: more big files, so that the kills this test is about still land.
      if (!workLeft()) for (let index = 0; index < 3; index += 1) add(`PES_GROS_${rounds}_${index}.bin`, randomBytes(8 * MiB + index * 100_003));
      const atRandom = rounds % 3 === 2;
      const kill = atRandom ? { delayMs: 150 + Math.floor(Math.random() * 500) } : { nth: 1 + Math.floor(Math.random() * 2) };
      if (await killedRun(['send', '--no-retrieve'], s.dir, s.target, kill, HANG_GUARD_MS)) kills += 1;
    }
    expect(kills, `${kills} kills landed in ${rounds} runs`).toBeGreaterThanOrEqual(3);

    await expectEachSentOnce(s, expected, kills);
  }, 180_000);
});
