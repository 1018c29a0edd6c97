// `ordo retrieve` killed with SIGKILL at random moments over a batch — often right when a file appears
// under its final name, before the journal could say so — then one clean run: every remote file is in
// recus/ exactly once, nothing is left at the partner, and no partial file of the killed runs remains.
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, watch, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ordo, ordoAsync, site, type Site } from '../helpers/cli.js';

let s: Site;
afterEach(() => s?.cleanup());

const FILES = 40;
const KILLING_MS = 6_000;

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Starts a retrieval and kills it: after `delayMs`, or as soon as the `nth` final name shows in recus. */
async function killedRun(dir: string, recus: string, delayMs: number, nth: number | undefined): Promise<void> {
  const child = ordoAsync(['retrieve'], { cwd: dir });
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const kill = (): void => {
    child.kill('SIGKILL');
  };
  const timer = setTimeout(kill, delayMs);
  let seen = 0;
  const watcher =
    nth === undefined
      ? undefined
      : watch(recus, (_event, name) => {
          if (name !== null && !name.startsWith('.') && ++seen >= nth) kill();
        });
  await exited;
  clearTimeout(timer);
  watcher?.close();
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

    const started = Date.now();
    let kills = 0;
    while (Date.now() - started < KILLING_MS && readdirSync(s.inbox).length > 0) {
      // Mostly right when a file gets its final name (the moment a crash used to duplicate it), else at random.
      if (kills % 3 === 2) await killedRun(s.dir, recus, 200 + Math.floor(Math.random() * 1200), undefined);
      else await killedRun(s.dir, recus, 4_000, 1 + Math.floor(Math.random() * 3));
      kills += 1;
    }
    expect(kills).toBeGreaterThan(2);

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
