// kill -9 at random moments of `ordo run` (local protocol), on one volume and across two volumes: after
// clean runs, every file sent and every file retrieved exactly once, complete, and no temporary file left
// where a partner or a user looks. Seeded: the seed is printed; ORDO_FAULT_SEED replays a campaign.
import { afterAll, describe, expect, it } from 'vitest';
import { killCampaign } from './harness/campaign.js';
import { printTable, record } from './harness/figures.js';
import { unmountAll } from '../helpers/volumes.js';
import { killCount, seedFor } from './harness/prng.js';

const KILLS = killCount(25);

afterAll(async () => {
  printTable('kill -9, local protocol');
  await unmountAll();
});

describe.concurrent('kill -9 during ordo run, local protocol', () => {
  for (const crossVolume of [false, true]) {
    const label = `local, ${crossVolume ? 'cross-volume (source on another volume than the spool)' : 'same volume'}`;
    it(`${label}: every file delivered and retrieved exactly once after ${KILLS} kills`, async () => {
      const outcome = await killCampaign({ label: `local ${crossVolume ? 'cross-volume' : 'same-volume'}`, protocol: 'local', crossVolume, kills: KILLS, seed: seedFor(label) });
      record(outcome.send);
      record(outcome.receive);
      expect(outcome.kills).toBe(KILLS);
      expect(outcome.problems, outcome.problems.join('\n')).toEqual([]);
    }, 300_000);
  }
});
