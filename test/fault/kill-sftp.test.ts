// kill -9 at random moments of `ordo run` against a real OpenSSH sshd on 127.0.0.1 (SFTP): after clean
// runs, every file sent and every file retrieved exactly once, complete, and no temporary file left on
// the server or in recus/. Seeded: the seed is printed; ORDO_FAULT_SEED replays a campaign.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenSshServer, type OpenSshServer } from '../../fixtures/peers/sftp/openssh-server.mjs';
import { killCampaign } from './harness/campaign.js';
import { printTable, record } from './harness/figures.js';
import { unmountAll } from '../helpers/volumes.js';
import { killCount, seedFor } from './harness/prng.js';

const KILLS = killCount(25);
let server: OpenSshServer;

beforeAll(async () => {
  server = await startOpenSshServer();
});

afterAll(async () => {
  printTable('kill -9, sftp protocol (OpenSSH sshd)');
  try {
    await (server as OpenSshServer | undefined)?.stop(); // undefined when beforeAll failed
  } finally {
    await unmountAll();
  }
});

describe.concurrent('kill -9 during ordo run, SFTP (OpenSSH)', () => {
  for (const crossVolume of [false, true]) {
    const label = `sftp, ${crossVolume ? 'cross-volume (source on another volume than the spool)' : 'same volume'}`;
    it(`${label}: every file delivered and retrieved exactly once after ${KILLS} kills`, async () => {
      const outcome = await killCampaign({ label: `sftp ${crossVolume ? 'cross-volume' : 'same-volume'}`, protocol: 'sftp', crossVolume, kills: KILLS, seed: seedFor(label), server });
      record(outcome.send);
      record(outcome.receive);
      expect(outcome.kills).toBe(KILLS);
      expect(outcome.problems, outcome.problems.join('\n')).toEqual([]);
    }, 300_000);
  }
});
