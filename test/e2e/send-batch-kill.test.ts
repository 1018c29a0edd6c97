// `ordo send` of many small files killed with SIGKILL at random moments — mostly right when a file of a
// batch reaches the partner, while the rest of the batch is claimed, backed up and journaled `sending` but
// not sent — then one clean run: every file is at the partner exactly once, with its content, journaled
// sent once, backed up, and nothing is left in the source, the queue or failed/.
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { site, type Site } from '../helpers/cli.js';
import { expectEachSentOnce, killedRun } from '../helpers/killed-run.js';

let s: Site | undefined;
afterEach(() => s?.cleanup());

/** Two batches and some: a kill lands in the first, the second or between them. */
const FILES = 150;
const ROUNDS = 8;
const HANG_GUARD_MS = 20_000;

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

describe('send of many small files killed at random moments (kill -9), then a clean run', () => {
  it('every file reaches the partner exactly once, journaled sent once, backed up; nothing left behind', async () => {
    s = site();
    const expected = new Map<string, string>();
    for (let index = 0; index < FILES; index += 1) {
      const data = Buffer.concat([Buffer.from(`mandat ${index}\n`), randomBytes(1024 + (index % 7) * 512)]);
      const name = `PES_${String(index).padStart(3, '0')}.xml`;
      writeFileSync(join(s.source, name), data);
      expected.set(name, sha256(data));
    }

    let kills = 0;
    let rounds = 0;
    for (; rounds < ROUNDS && readdirSync(s.source).length > 0; rounds += 1) {
      const atRandom = rounds >= 3 && rounds % 3 === 0;
      const kill = atRandom ? { delayMs: 150 + Math.floor(Math.random() * 900) } : { nth: 1 + Math.floor(Math.random() * 40) };
      if (await killedRun(['send', '--no-retrieve'], s.dir, s.target, kill, HANG_GUARD_MS)) kills += 1;
    }
    expect(kills, `${kills} kills landed in ${rounds} runs`).toBeGreaterThanOrEqual(3);

    await expectEachSentOnce(s, expected, kills);
  }, 90_000);
});
