// `ordo send` of big files over `http` (8 MiB and more: each one's request starts while the file is
// hashed, and its last byte waits for the file's `sending` line) killed with SIGKILL — every other run
// the moment the partner has taken a file, else at a random moment — then one clean run, against the
// real upload peer of fixtures/peers. A request cut by the kill never completes, so the partner keeps
// nothing of it. What must hold: the partner never has a file that was not journaled before it got it —
// each file reaches it at most as many times as it was journaled `sending` or `resumed` (a kill after
// the `sending` line leaves the file uncertain, and `http`, which cannot ask the partner, sends it
// again, journaled `resumed`: docs/engine.md) and at least once; each is journaled sent once, backed
// up; nothing is left in the source or the queue.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHttpPeer } from '../../fixtures/peers/peers.mjs';
import { readJournal } from '../../src/core/journal.js';
import { ordoAsync, site, waitExit, type Site } from '../helpers/cli.js';
import { expectBackedUp, killedRun } from '../helpers/killed-run.js';

type Peer = Awaited<ReturnType<typeof startHttpPeer>>;

/**
 * `ordo send` killed the moment the peer has taken its `nth` file (the deposit recorded, its answer not
 * yet read): where a file sent before its `sending` line would show as a file the journal does not know.
 */
async function killedAtDeposit(peer: Peer, cwd: string, nth: number, hangGuardMs: number): Promise<boolean> {
  const child = ordoAsync(['send', '--no-retrieve'], { cwd });
  const { deposits } = peer.endpoint;
  const push = deposits.push.bind(deposits);
  let seen = 0;
  deposits.push = (...added) => {
    seen += added.length;
    if (seen >= nth) child.kill('SIGKILL');
    return push(...added);
  };
  const timer = setTimeout(() => child.kill('SIGKILL'), hangGuardMs);
  try {
    const result = await waitExit(child);
    return result.signal === 'SIGKILL';
  } finally {
    clearTimeout(timer);
    deposits.push = push;
  }
}

let peer: Peer;
let s: Site | undefined;

beforeAll(async () => {
  peer = await startHttpPeer({ body: 'raw', auth: { type: 'bearer', token: 'jeton-de-test-0123456789' } });
});
afterAll(async () => {
  await peer.close();
});
afterEach(() => {
  s?.cleanup();
  peer.endpoint.reset();
});

const MiB = 1024 * 1024;
const BIG_FILES = 8;
const ROUNDS = 12;
const HANG_GUARD_MS = 30_000;

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');
const listed = (folder: string): string[] => (existsSync(folder) ? readdirSync(folder) : []);

describe('send of big files over http killed at random moments (kill -9), then a clean run', () => {
  it('the partner gets each file at least once, never more often than it was journaled sent off; each is journaled sent once, backed up', async () => {
    s = site(
      { protocol: 'http', retrieve: { enabled: false }, options: { fileType: 'electionsFR' } },
      { profiles: { VILLE: { label: 'Ville de Saint-Exemple', http: { urls: peer.urls, body: 'raw', auth: { type: 'bearer', token: 'jeton-de-test-0123456789' } } } } },
    );
    const expected = new Map<string, string>();
    const add = (name: string, data: Buffer): void => {
      writeFileSync(join(s!.source, name), data);
      expected.set(name, sha256(data));
    };
    for (let index = 0; index < BIG_FILES; index += 1) add(`PES_GROS_${index}.bin`, randomBytes(8 * MiB + index * 100_003));

    let kills = 0;
    let rounds = 0;
    const workLeft = (): boolean => readdirSync(s!.source).length > 0 || listed(join(s!.root, 'queue', 'PES')).length > 0;
    for (; rounds < ROUNDS && (workLeft() || kills < 3); rounds += 1) {
      // Runs that ended before their kill may have sent everything: more files, so that the kills land.
      if (!workLeft()) for (let index = 0; index < 2; index += 1) add(`PES_GROS_${rounds}_${index}.bin`, randomBytes(8 * MiB + index * 100_003));
      const landed = rounds % 2 === 0
        ? await killedAtDeposit(peer, s.dir, 1 + Math.floor(Math.random() * 2), HANG_GUARD_MS)
        : await killedRun(['send', '--no-retrieve'], s.dir, s.target, { delayMs: 150 + Math.floor(Math.random() * 600) }, HANG_GUARD_MS);
      if (landed) kills += 1;
    }
    expect(kills, `${kills} kills landed in ${rounds} runs`).toBeGreaterThanOrEqual(3);

    const clean = await waitExit(ordoAsync(['send', '--no-retrieve'], { cwd: s.dir }));
    expect(clean.stderr).toBe('');
    expect(clean.code).toBe(0);

    const journal = await readJournal(s.root);
    const count = (name: string, state: string): number => journal.filter((entry) => entry.file === name && entry.state === state).length;
    for (const [name, hash] of expected) {
      const deposits = peer.endpoint.received(name);
      expect(deposits.length, `${name} at the partner`).toBeGreaterThanOrEqual(1);
      // `sending` for its first send, `resumed` for each send again after an interruption.
      const journaledSends = count(name, 'sending') + count(name, 'resumed');
      expect(deposits.length, `${name}: deliveries against its \`sending\` and \`resumed\` lines (after ${kills} kills)`).toBeLessThanOrEqual(journaledSends);
      for (const deposit of deposits) expect(sha256(readFileSync(deposit.path)), name).toBe(hash);
      expect(count(name, 'sent'), `${name} journaled sent`).toBe(1);
    }
    expect(peer.endpoint.deposits.filter((deposit) => !expected.has(deposit.name))).toEqual([]);
    expectBackedUp(s, expected);
    expect(readdirSync(s.source)).toEqual([]);
    expect(listed(join(s.root, 'queue', 'PES')).filter((name) => !name.startsWith('.'))).toEqual([]);
  }, 240_000);
});
