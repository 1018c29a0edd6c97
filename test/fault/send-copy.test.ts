// `ordo send --scenario PES <file>` with a file outside the source folder: it is copied into the queue
// (the original stays). kill -9 while the copy is being written leaves no queue item that would be sent
// half; a full queue volume leaves the original and nothing in the queue. Afterwards one clean command
// sends the file exactly once, complete.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { filesUnder, sha256, sha256OfFile } from './harness/files.js';
import { ordoRun, start } from './harness/run.js';
import { faultSite, type FaultSite } from './harness/site.js';
import { MiB, mountTmpfs, unmountAll } from '../helpers/volumes.js';

afterAll(async () => {
  await unmountAll();
});

/** Visible queue items of PES: each `<id>/<name>` with its content's hash. */
function queueItems(site: FaultSite): Array<{ path: string; sha: string }> {
  const base = join(site.root, 'queue', 'PES');
  if (!existsSync(base)) return [];
  const items: Array<{ path: string; sha: string }> = [];
  for (const id of readdirSync(base).filter((n) => !n.startsWith('.'))) {
    for (const name of readdirSync(join(base, id)).filter((n) => !n.startsWith('.'))) items.push({ path: join(base, id, name), sha: sha256OfFile(join(base, id, name)) });
  }
  return items;
}

/** How many times the journal says the file was sent. */
function sentLines(site: FaultSite, name: string): number {
  const dir = join(site.root, 'journal');
  let count = 0;
  for (const file of existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.jsonl')) : []) {
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      if (line === '') continue;
      const entry = JSON.parse(line) as { state?: string; file?: string; direction?: string };
      if (entry.state === 'sent' && entry.file === name && entry.direction === 'send') count++;
    }
  }
  return count;
}

/**
 * Starts `send` and kills it -9 once the copy into a new queue item has begun.
 * True when the kill left a copy cut short there (a file smaller than the original, in any item).
 */
async function killDuringCopy(site: FaultSite, original: string, size: number): Promise<boolean> {
  const base = join(site.root, 'queue', 'PES');
  mkdirSync(base, { recursive: true });
  const before = new Set(readdirSync(base));
  const run = start(['send', '--scenario', 'PES', '--no-retrieve', original], { cwd: site.base });
  // Changed by the callbacks below (an object, so that the final read is not narrowed to its start value).
  const state = { killed: false, watching: false };
  // Once the item folder appears, the kill waits for the first bytes of the copy inside it.
  const poll = (folder: string): void => {
    if (state.killed || run.child.exitCode !== null) return;
    let started = false;
    try {
      started = readdirSync(folder).some((file) => statSync(join(folder, file)).size > 0);
    } catch {
      started = true; // renamed or removed meanwhile: the copy is over, kill now anyway
    }
    if (started) state.killed = run.child.kill('SIGKILL');
    else setImmediate(() => poll(folder));
  };
  const watcher = watch(base, (_event, name) => {
    if (state.watching || typeof name !== 'string' || before.has(name)) return;
    state.watching = true;
    poll(join(base, name));
  });
  await run.done;
  watcher.close();
  return state.killed && filesUnder(base).some((file) => !before.has(file.split('/')[0]!) && statSync(join(base, file)).size < size);
}

describe('send of a file outside the source folder, under faults', () => {
  it('kill -9 during the copy: no half item in the queue, the original untouched; then sent once, complete', async () => {
    const site = faultSite('send-copy-kill');
    try {
      const original = join(site.base, 'one-off.bin');
      const data = randomBytes(96 * MiB);
      writeFileSync(original, data);
      const hash = sha256(data);
      let caughtCopying = 0;
      for (let kill = 0; kill < 4; kill++) {
        if (await killDuringCopy(site, original, data.length)) caughtCopying++;
        // Whatever the moment: every visible item is the complete file, the original is unchanged, nothing reached the partner half.
        for (const item of queueItems(site)) expect(item.sha, item.path).toBe(hash);
        expect(sha256OfFile(original)).toBe(hash);
        for (const name of readdirSync(site.target)) expect(sha256OfFile(join(site.target, name))).toBe(hash);
      }
      // The test is about the copy: at least one kill must have cut it short.
      expect(caughtCopying).toBeGreaterThan(0);
      const clean = await ordoRun(['send', '--scenario', 'PES', '--no-retrieve', original], { cwd: site.base });
      expect([0, 1], `${clean.stdout}${clean.stderr}`).toContain(clean.code);
      expect(readdirSync(site.target)).toEqual(['one-off.bin']);
      expect(sha256OfFile(join(site.target, 'one-off.bin'))).toBe(hash);
      expect(sentLines(site, 'one-off.bin')).toBe(1);
      expect(sha256OfFile(original)).toBe(hash);
      // The leftovers of the killed copies are gone from the queue.
      expect(filesUnder(join(site.root, 'queue'))).toEqual([]);
    } finally {
      site.cleanup();
    }
  }, 120_000);

  it('a full queue volume: not sent, the original stays, nothing half-written in the queue; sent once space is freed', async () => {
    const site = faultSite('send-copy-full');
    try {
      const volume = mountTmpfs(join(site.root, 'queue'), 8 * MiB);
      writeFileSync(join(volume, 'filler.bin'), Buffer.alloc(5 * MiB, 1));
      const original = join(site.base, 'big.bin');
      const data = randomBytes(4 * MiB);
      writeFileSync(original, data);
      const first = await ordoRun(['send', '--scenario', 'PES', '--no-retrieve', original, '--lang', 'en'], { cwd: site.base });
      expect(first.code).toBe(1);
      expect(first.stdout).toMatch(/^Done: 1 not sent in .*\.\n$/);
      expect(first.stderr).toMatch(/^✖ PES: big\.bin not sent: could not be copied into the queue: no space left on the volume of .*; nothing was queued and the original stays in .*big\.bin$/m);
      expect(sha256OfFile(original)).toBe(sha256(data));
      expect(filesUnder(volume)).toEqual(['filler.bin']);
      expect(readdirSync(site.target)).toEqual([]);
      rmSync(join(volume, 'filler.bin'));
      const second = await ordoRun(['send', '--scenario', 'PES', '--no-retrieve', original], { cwd: site.base });
      expect(second.code, `${second.stdout}${second.stderr}`).toBe(0);
      expect(sha256OfFile(join(site.target, 'big.bin'))).toBe(sha256(data));
      expect(sha256OfFile(original)).toBe(sha256(data));
      expect(filesUnder(volume)).toEqual([]);
    } finally {
      await unmountAll();
      site.cleanup();
    }
  }, 120_000);
});
