// A full disk between two steps of a send of several requests: the journal's volume (a tmpfs mounted
// at <root>/journal) fills up while the Pastell peer holds its answer to the PATCH (the `fields`
// step), so the `step` line of that request cannot be written. Expected: the send stops there (no
// upload, no action reaches the partner), the PES stays queued (not in failed/, not lost), the run
// names the full folder and exits 1; once space is freed, the next run continues the SAME document
// (one document, one action at the partner) and ends `pending`, journaled once, nothing left queued.
// Two cases: not one byte of the line fits, and the line is cut after a few bytes (a disk fills up
// block by block: the journal's last block may hold the start of a line).
import { closeSync, copyFileSync, existsSync, openSync, readdirSync, readFileSync, rmSync, statfsSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ordoAsync, waitExit } from '../helpers/cli.js';
import { MiB, mountTmpfs, unmountAll } from '../helpers/volumes.js';
import { actionsOf, cleanUp, json, PES, PES_NAME, pastellPeer, site, type Peer } from './harness/pastell-site.js';

afterEach(async () => {
  try {
    await unmountAll();
  } finally {
    await cleanUp();
  }
});

/** The journal's lines as ordo reads them: a line cut by the full disk is skipped, a line glued to it read. */
function journalLines(root: string): Array<Record<string, unknown>> {
  const folder = join(root, 'journal');
  if (!existsSync(folder)) return [];
  const lines: Array<Record<string, unknown>> = [];
  for (const name of readdirSync(folder).filter((n) => n.endsWith('.jsonl'))) {
    for (const text of readFileSync(join(folder, name), 'utf8').split('\n')) {
      if (text.trim() === '') continue;
      try {
        lines.push(JSON.parse(text) as Record<string, unknown>);
      } catch {
        // Cut; the next run's first line is glued to it: read from its own start.
        const glued = text.lastIndexOf('{"time":');
        if (glued > 0) lines.push(JSON.parse(text.slice(glued)) as Record<string, unknown>);
      }
    }
  }
  return lines;
}

const stepsOf = (lines: Array<Record<string, unknown>>): unknown[] => lines.filter((l) => l.state === 'step').map((l) => (l.step as Record<string, unknown>).step);

/**
 * Fills the volume of `journalDir` to its last byte, leaving `room` bytes (0: none) at the end of the
 * journal file's last block: blank lines (skipped by every reader) bring the file to that point, then a
 * filler takes every free block.
 */
function fillLeaving(journalDir: string, room: number): void {
  const [month] = readdirSync(journalDir).filter((n) => n.endsWith('.jsonl'));
  const file = join(journalDir, month!);
  const block = statfsSync(journalDir).bsize;
  const size = statSync(file).size;
  const pad = (((block - room - (size % block)) % block) + block) % block;
  if (pad > 0) writeFileSync(file, '\n'.repeat(pad), { flag: 'a' });
  const fd = openSync(join(journalDir, 'filler.bin'), 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
  expect(statfsSync(journalDir).bavail, 'the journal volume is full').toBe(0);
}

/** The files of queue/PES (each queue item is a folder holding the claimed file). */
function queuedFiles(root: string): string[] {
  const queue = join(root, 'queue', 'PES');
  return readdirSync(queue, { recursive: true, encoding: 'utf8' }).filter((path) => statSync(join(queue, path)).isFile());
}

function requestsAfterPatch(peer: Peer): string[] {
  const at = peer.api.requests.findIndex((r) => r.method === 'PATCH');
  return peer.api.requests.slice(at + 1).map((r) => `${r.method} ${r.path}`);
}

const CASES = [
  { title: 'not one byte of the step line fits', room: 0 },
  { title: 'the step line is cut after 40 bytes', room: 40 },
];

describe('a full journal disk between two steps of a Pastell send', () => {
  for (const { title, room } of CASES) {
    it(`${title}: the send stops before the next request, the PES stays queued; after freeing space, the same document goes on`, { timeout: 60_000 }, async () => {
      const peer = await pastellPeer();
      const s = site(peer, { every: '1h' });
      const journalDir = mountTmpfs(join(s.root, 'journal'), 1 * MiB);
      copyFileSync(PES, join(s.source, PES_NAME));

      // The PATCH (fields) is held: `sending`, `creating` and `created` are on disk; the disk fills up.
      peer.gate.hold = (request) => request.method === 'PATCH';
      const child = ordoAsync(['run', '--json'], { cwd: s.dir });
      const exit = waitExit(child);
      await peer.gate.held;
      expect(stepsOf(journalLines(s.root))).toEqual(['creating', 'created']);
      fillLeaving(journalDir, room);
      peer.gate.release?.();
      const first = await exit;
      const result = json(first);

      const problems: string[] = [];
      const said = `${first.stdout}\n${first.stderr}\n${readFileSync(join(s.root, 'logs', 'last.log'), 'utf8')}`;
      if (first.code !== 1) problems.push(`first run: exit code ${first.code}, expected 1:\n${first.stdout}${first.stderr}`);
      if (!said.includes(journalDir)) problems.push(`first run: no message names the full folder ${journalDir}:\n${said}`);
      if (!/ENOSPC|no space|full|espace|plein/i.test(said)) problems.push('first run: no message says that the disk is full');
      const statuses = result.files.map((f) => `${String(f.name)} ${String(f.status)}`);
      if (statuses.join() !== `${PES_NAME} deferred`) problems.push(`first run: files ${JSON.stringify(statuses)}, expected the PES deferred`);
      const after = requestsAfterPatch(peer);
      if (after.length > 0) problems.push(`first run: requests reached the partner after the step that could not be journaled: ${after.join(', ')}`);
      if (actionsOf(peer) !== 0) problems.push(`first run: the action was triggered ${actionsOf(peer)} times`);
      if (peer.api.documents.size !== 1) problems.push(`first run: ${peer.api.documents.size} documents at the partner`);
      const queued = queuedFiles(s.root);
      if (queued.length !== 1 || !queued[0]!.endsWith(`/${PES_NAME}`)) problems.push(`first run: queue/PES holds ${JSON.stringify(queued)}, expected the PES`);
      else if (!readFileSync(join(s.root, 'queue', 'PES', queued[0]!)).equals(readFileSync(PES))) problems.push('first run: the queued copy differs from the PES');
      if (existsSync(join(s.root, 'failed'))) problems.push(`first run: something set aside in failed/: ${JSON.stringify(readdirSync(join(s.root, 'failed'), { recursive: true }))}`);
      if (readdirSync(s.source).length > 0) problems.push(`first run: source holds ${JSON.stringify(readdirSync(s.source))}`);
      expect(problems, problems.join('\n')).toEqual([]);

      // Space freed: the next run takes the same document up again and ends pending.
      rmSync(join(journalDir, 'filler.bin'));
      const second = await s.run(['run', '--json']);
      const next = json(second);
      const journal = journalLines(s.root);
      const count = (state: string) => journal.filter((line) => line.state === state && line.direction === 'send').length;
      if (second.code !== 0) problems.push(`after freeing space: exit code ${second.code}, expected 0:\n${second.stdout}${second.stderr}`);
      const ended = next.files.map((f) => `${String(f.status)}${f.resumed === true ? ' resumed' : ''}`);
      if (ended.join() !== 'pending resumed') problems.push(`after freeing space: files ${JSON.stringify(ended)}, expected one pending, resumed`);
      if (peer.api.documents.size !== 1) problems.push(`after freeing space: ${peer.api.documents.size} documents at the partner`);
      if (actionsOf(peer) !== 1) problems.push(`after freeing space: the action was triggered ${actionsOf(peer)} times`);
      const creates = peer.api.requests.filter((r) => r.method === 'POST' && /\/document$/.test(r.path) && r.status >= 200 && r.status < 300).length;
      if (creates !== 1) problems.push(`${creates} documents created`);
      const [doc] = [...peer.api.documents.values()];
      const pending = journal.filter((line) => line.state === 'pending');
      if (count('pending') !== 1 || pending[0]?.remoteId !== doc?.id_d) problems.push(`after freeing space: pending lines ${JSON.stringify(pending)}, expected one for ${String(doc?.id_d)}`);
      const resumed = journal.filter((line) => line.state === 'resumed');
      if (resumed.length !== 1 || resumed[0]?.file !== PES_NAME) problems.push(`after freeing space: resumed lines ${JSON.stringify(resumed)}, expected one for the PES`);
      if (JSON.stringify(stepsOf(journal)) !== JSON.stringify(['creating', 'created', 'fields', 'file', 'action'])) problems.push(`steps journaled: ${JSON.stringify(stepsOf(journal))}`);
      if (count('sent') !== 0) problems.push(`${count('sent')} sent lines`);
      const left = queuedFiles(s.root);
      if (left.length > 0) problems.push(`after freeing space: still queued: ${JSON.stringify(left)}`);
      if (existsSync(join(s.root, 'failed'))) problems.push(`after freeing space: something in failed/: ${JSON.stringify(readdirSync(join(s.root, 'failed'), { recursive: true }))}`);
      // A third run has nothing to do.
      const third = json(await s.run(['run', '--json']));
      if (third.exitCode !== 0 || third.files.length !== 0) problems.push(`a third run still had work: ${JSON.stringify(third)}`);
      expect(problems, problems.join('\n')).toEqual([]);
    });
  }
});
