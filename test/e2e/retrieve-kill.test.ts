// `ordo retrieve` killed with SIGKILL at random moments over a batch — often right when a file appears
// under its final name, before the journal could say so — then one clean run: every remote file is in
// recus/ exactly once, nothing is left at the partner, and no partial file of the killed runs remains.
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ordo, site, type Site } from '../helpers/cli.js';
import { killedRun } from '../helpers/killed-run.js';

let s: Site | undefined;
afterEach(() => s?.cleanup());

const FILES = 40;
/** Killed runs at most (fewer when the partner is empty before). */
const ROUNDS = 12;
/** Hang guard of a run waiting for its n-th file: far beyond what a batch of 40 small files takes. */
const HANG_GUARD_MS = 20_000;

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

describe('retrieve killed at random moments (kill -9), then a clean run', () => {
  it('every remote file ends up in recus exactly once, none left at the partner, no leftover', async () => {
    s = site({ retries: { attempts: 1, backoff: '10ms' } });
    const recus = join(s.root, 'recus', 'VILLE');
    mkdirSync(recus, { recursive: true });
    const expected = new Map<string, string>();
    for (let index = 0; index < FILES; index += 1) {
      const data = Buffer.concat([Buffer.from(`retour ${index}\n`), randomBytes(index % 5 === 0 ? 512 * 1024 : 2048)]);
      const name = `RETOUR_${String(index).padStart(3, '0')}.xml`;
      writeFileSync(join(s.inbox, name), data);
      expected.set(sha256(data), name);
    }

    let kills = 0;
    let rounds = 0;
    for (; rounds < ROUNDS && readdirSync(s.inbox).length > 0; rounds += 1) {
      // Mostly right when a file gets its final name (the moment a crash used to duplicate it), else at
      // random; the first three rounds always the former, so that at least three kills land mid-batch.
      const atRandom = rounds >= 3 && rounds % 3 === 0;
      const kill = atRandom ? { delayMs: 200 + Math.floor(Math.random() * 1200) } : { nth: 1 + Math.floor(Math.random() * 3) };
      if (await killedRun(['retrieve'], s.dir, recus, kill, HANG_GUARD_MS)) kills += 1;
    }
    expect(kills, `${kills} kills landed in ${rounds} runs`).toBeGreaterThanOrEqual(3);

    const clean = ordo(['retrieve'], { cwd: s.dir });
    expect(clean.stderr).toBe('');
    expect(clean.code).toBe(0);

    const names = readdirSync(recus);
    expect(names.filter((name) => name.startsWith('.')), 'partial files left in recus').toEqual([]);
    const received = names.map((name) => sha256(readFileSync(join(recus, name))));
    const counts = new Map<string, number>();
    for (const hash of received) counts.set(hash, (counts.get(hash) ?? 0) + 1);
    const duplicated = [...counts].filter(([, count]) => count > 1).map(([hash]) => expected.get(hash));
    expect(duplicated, `received more than once (after ${kills} kills)`).toEqual([]);
    expect([...expected.keys()].filter((hash) => !counts.has(hash)).map((hash) => expected.get(hash)), 'missing').toEqual([]);
    expect(received).toHaveLength(FILES);
    expect(readdirSync(s.inbox)).toEqual([]);
  }, 60_000);
});
