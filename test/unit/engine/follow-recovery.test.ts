// A run killed while placing the receipt of a pending send (between its `placing` line and the line
// that closes the send): the next run finishes it from what the kill left — the partial file, the
// receipt already placed, or nothing — with the acquit in recus/ exactly once. Against the Pastell peer.
import { copyFileSync, linkSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startPastellPeer } from '../../../fixtures/peers/peers.mjs';
import { runCycle } from '../../../src/core/cycle.js';
import { Journal, readJournal } from '../../../src/core/journal.js';
import { sha256File } from '../../../src/shared/hash.js';
import { deadPid, ownTemporary } from '../../helpers/leftovers.js';
import { scenario, workspace, type Workspace } from '../../helpers/workspace.js';

const PES = fileURLToPath(new URL('../../../fixtures/pes/PESALR2_21400999900017_261123_0930.xml', import.meta.url));
const PES_NAME = 'PESALR2_21400999900017_261123_0930.xml';
const ACK_NAME = 'PESALR2_21400999900017_261123_0930_ACK.xml';

let peer: Awaited<ReturnType<typeof startPastellPeer>>;
let ws: Workspace | undefined;
beforeAll(async () => {
  peer = await startPastellPeer({ delayMs: 3_600_000 });
});
afterAll(async () => {
  await peer.close();
});
afterEach(() => ws?.cleanup());

async function cycle(w: Workspace) {
  const engine = w.engine();
  try {
    return await runCycle(engine, { scenarios: [], profiles: [] });
  } finally {
    await engine.close();
  }
}

function questions(id_d: string): number {
  return peer.api.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/document/${id_d}`)).length;
}

type Left = 'partial' | 'partial+placed' | 'placed' | 'nothing';

/** A PES sent (pending), the TdT's acquit ready, and the state a kill after the `placing` line leaves. */
async function killedWhilePlacing(left: Left): Promise<{ w: Workspace; id_d: string; recus: string }> {
  peer.api.reset();
  const w = workspace((dir) => [scenario('PES', dir, { protocol: 'pastell', options: { type: 'helios-generique' }, naming: { timestamp: false }, receipts: { everyMs: 1, warnAfterMs: 3_600_000 } })]);
  ws = w;
  w.config.profiles.VILLE!.protocols.pastell = { ...peer.profile };
  copyFileSync(PES, join(w.source, PES_NAME));
  const sent = await cycle(w);
  expect(sent.files.map((f) => f.status)).toEqual(['pending']);
  const [doc] = [...peer.documents.values()];
  await peer.api.advance();
  const acquit = (await peer.api.readFile(doc!, 'fichier_reponse'))!;
  const recus = join(w.root, 'recus', 'VILLE');
  mkdirSync(recus, { recursive: true });
  const partial = join(recus, ownTemporary(ACK_NAME, deadPid()));
  writeFileSync(partial, acquit);
  const sha = await sha256File(partial, acquit.length);
  if (left === 'partial+placed') linkSync(partial, join(recus, ACK_NAME));
  // Placed, and the partial's name removed: only the placed receipt is left (found by size and sha256).
  if (left === 'placed') writeFileSync(join(recus, ACK_NAME), acquit);
  if (left === 'placed' || left === 'nothing') rmSync(partial);
  const pending = (await readJournal(w.root)).find((line) => line.state === 'pending')!;
  const journal = new Journal(w.root, 'killed');
  await journal.append({
    scenario: 'PES',
    direction: 'send',
    state: 'placing',
    file: PES_NAME,
    path: pending.path!,
    size: pending.size!,
    sha256: pending.sha256!,
    remoteId: pending.remoteId!,
    partial,
    wanted: ACK_NAME,
    receiptSize: acquit.length,
    receiptSha256: sha,
    verdict: 'acknowledged',
  });
  await journal.close();
  return { w, id_d: doc!.id_d, recus };
}

describe('a run killed while placing a receipt', () => {
  for (const left of ['partial', 'partial+placed', 'placed'] as const) {
    it(`finishes from what it left (${left}) without asking the partner again, the acquit placed once`, async () => {
      const { w, id_d, recus } = await killedWhilePlacing(left);
      const asked = questions(id_d);
      const result = await cycle(w);
      expect(result.files).toMatchObject([{ name: PES_NAME, status: 'acknowledged', resumed: true, receipt: join(recus, ACK_NAME) }]);
      expect(readdirSync(recus)).toEqual([ACK_NAME]);
      expect(readFileSync(join(recus, ACK_NAME), 'utf8')).toContain('EtatAck');
      expect(questions(id_d)).toBe(asked);
      expect((await readJournal(w.root)).at(-1)).toMatchObject({ state: 'acknowledged', receipt: join(recus, ACK_NAME) });
      // Closed: nothing more.
      expect((await cycle(w)).files).toEqual([]);
      expect(readdirSync(recus)).toEqual([ACK_NAME]);
    });
  }

  it('asks the partner again when neither the partial nor the placed receipt is there', async () => {
    const { w, id_d, recus } = await killedWhilePlacing('nothing');
    const asked = questions(id_d);
    const result = await cycle(w);
    expect(result.files).toMatchObject([{ name: PES_NAME, status: 'acknowledged', receipt: join(recus, ACK_NAME) }]);
    expect(readdirSync(recus)).toEqual([ACK_NAME]);
    expect(questions(id_d)).toBe(asked + 1);
  });
});
