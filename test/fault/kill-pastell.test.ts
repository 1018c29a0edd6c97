// kill -9 at random moments of `ordo run` while a PES Aller goes to the Pastell peer in several
// requests (each step journaled) and while its acquit is followed and placed (journal `placing`, then
// `acknowledged`). After clean runs: one document at the partner, its action triggered once, the send
// journaled `pending` once and `acknowledged` once, the acquit in recus/ exactly once, no partial file
// left, nothing queued. Seeded: ORDO_FAULT_SEED replays a campaign, ORDO_FAULT_KILLS shortens it.
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ordoAsync, waitExit } from '../helpers/cli.js';
import { ACK_NAME, actionsOf, cleanUp, PES, PES_NAME, pastellPeer, site, sleep, type Peer, type Site } from './harness/pastell-site.js';
import { killCount, prng, seedFor, type Prng } from './harness/prng.js';

const CAMPAIGNS = killCount(10);
/** How many kills came after each last journal line (shown at the end). */
const killedAfter = new Map<string, number>();

afterEach(cleanUp);

/**
 * One `ordo run`, killed once the journal has grown by `lines` lines (plus a few random milliseconds),
 * or left to finish when `lines` is undefined. True when it was killed.
 */
async function runKilled(s: Site, lines: number | undefined, random: Prng): Promise<boolean> {
  const before = s.journal().length;
  const child = ordoAsync(['run'], { cwd: s.dir });
  let exited = false as boolean; // set by the exit callback: not narrowable
  const exit = waitExit(child).finally(() => (exited = true));
  if (lines !== undefined) {
    while (!exited && s.journal().length < before + lines) await sleep(1);
    if (!exited) {
      await sleep(random.int(0, 4));
      child.kill('SIGKILL');
    }
  }
  const result = await exit;
  return result.signal === 'SIGKILL';
}

async function campaign(peer: Peer, random: Prng): Promise<{ kills: number; problems: string[] }> {
  const s = site(peer, { every: '100ms' }, { attempts: 3, backoff: '10ms' });
  copyFileSync(PES, join(s.source, PES_NAME));
  let kills = 0;
  for (let round = 0; round < 12; round++) {
    const journal = s.journal();
    if (journal.some((line) => line.state === 'acknowledged')) break;
    // The TdT answers once the send is pending.
    if (journal.some((line) => line.state === 'pending')) await peer.api.advance();
    await sleep(120);
    // Sending writes sending, five steps and pending; following writes placing and acknowledged.
    const pending = journal.some((line) => line.state === 'pending');
    const lines = random.next() < 0.85 ? random.int(1, pending ? 2 : 7) : undefined;
    if (await runKilled(s, lines, random)) {
      kills++;
      const last = s.journal().at(-1);
      const where = last?.state === 'step' ? `step ${String((last.step as Record<string, unknown>).step)}` : String(last?.state);
      killedAfter.set(where, (killedAfter.get(where) ?? 0) + 1);
    }
  }
  // Clean runs: whatever the kills left is finished.
  await peer.api.advance();
  await sleep(120);
  await runKilled(s, undefined, random);
  await sleep(120);
  await runKilled(s, undefined, random);

  const problems: string[] = [];
  const journal = s.journal();
  const count = (state: string) => journal.filter((line) => line.state === state && line.direction === 'send').length;
  if (peer.api.documents.size !== 1) problems.push(`${peer.api.documents.size} documents at the partner`);
  if (actionsOf(peer) !== 1) problems.push(`the action was triggered ${actionsOf(peer)} times`);
  if (count('pending') !== 1) problems.push(`${count('pending')} pending lines`);
  if (count('acknowledged') !== 1) problems.push(`${count('acknowledged')} acknowledged lines`);
  if (count('sent') !== 0) problems.push(`${count('sent')} sent lines (a pending send recorded as sent: its receipt would never be followed)`);
  const recus = readdirSync(s.recus);
  if (recus.join() !== ACK_NAME) problems.push(`recus/ holds ${JSON.stringify(recus)}`);
  const queued = readdirSync(join(s.root, 'queue', 'PES'));
  if (queued.length > 0) problems.push(`still queued: ${JSON.stringify(queued)}`);
  if (readdirSync(s.source).length > 0) problems.push(`source not empty: ${JSON.stringify(readdirSync(s.source))}`);
  return { kills, problems: problems.map((p) => `seed ${random.seed}: ${p}`) };
}

describe('kill -9 during ordo run, Pastell (steps, pending, follow, placing)', () => {
  it(`one document, one action, one acquit after ${CAMPAIGNS} campaigns of kills`, { timeout: 300_000 }, async () => {
    const seed = seedFor('pastell steps and receipts');
    let kills = 0;
    const problems: string[] = [];
    for (let n = 0; n < CAMPAIGNS; n++) {
      const peer = await pastellPeer();
      const outcome = await campaign(peer, prng(seed + n));
      kills += outcome.kills;
      problems.push(...outcome.problems);
      await cleanUp();
    }
    console.log(`[fault] pastell: ${kills} kills in ${CAMPAIGNS} campaigns, after: ${JSON.stringify(Object.fromEntries(killedAfter))}`);
    expect(problems, problems.join('\n')).toEqual([]);
    expect(kills).toBeGreaterThan(0);
  });
});
