// An ordo command killed with SIGKILL: as soon as the `nth` visible name shows in a folder (an event), or
// at a random moment `delayMs` after the spawn. That delay is the thing under test — a kill that lands
// anywhere, start-up and recovery included — not a wait for something.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, watch } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { readJournal } from '../../src/core/journal.js';
import { ordo, ordoAsync, type Site } from './cli.js';

export type Kill = { nth: number } | { delayMs: number };

/** Runs `ordo args` in `cwd` and kills it as `kill` says; true when the kill landed (false when the run ended first). */
export async function killedRun(args: string[], cwd: string, watched: string, kill: Kill, hangGuardMs: number): Promise<boolean> {
  const child = ordoAsync(args, { cwd });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, signal) => resolve(signal)));
  const killNow = (): void => {
    child.kill('SIGKILL');
  };
  const timer = setTimeout(killNow, 'delayMs' in kill ? kill.delayMs : hangGuardMs);
  let seen = 0;
  const watcher =
    'nth' in kill
      ? watch(watched, (_event, name) => {
          if (name !== null && !name.startsWith('.') && ++seen >= kill.nth) killNow();
        })
      : undefined;
  const signal = await exited;
  clearTimeout(timer);
  watcher?.close();
  return signal === 'SIGKILL';
}

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');
const listed = (folder: string): string[] => (existsSync(folder) ? readdirSync(folder) : []);

/**
 * After a campaign of `kills` on `ordo send` to the local protocol (scenario PES), one clean run, then
 * the promises: every file (name → sha256) at the partner exactly once with its content, journaled sent
 * once, backed up; nothing left in the source, the queue, failed/ or among the partner's temporary files
 * (its hidden `.ordo-part` sub-folder). A kill between a backup's placing and its journal line may leave
 * a second, timestamped backup: never a missing one.
 */
export async function expectEachSentOnce(s: Site, expected: Map<string, string>, kills: number): Promise<void> {
  const clean = ordo(['send', '--no-retrieve'], { cwd: s.dir });
  expect(clean.stderr).toBe('');
  expect(clean.code).toBe(0);

  expect(listed(join(s.target, '.ordo-part')), 'temporary files at the partner').toEqual([]);
  const atPartner = listed(s.target).filter((name) => !name.startsWith('.'));
  expect(atPartner.sort()).toEqual([...expected.keys()].sort());
  for (const name of atPartner) expect(sha256(readFileSync(join(s.target, name))), name).toBe(expected.get(name));
  const sent = (await readJournal(s.root)).filter((entry) => entry.state === 'sent').map((entry) => entry.file);
  const twice = sent.filter((name, at) => sent.indexOf(name) !== at);
  expect(twice, `journaled sent more than once (after ${kills} kills)`).toEqual([]);
  expect(sent.sort()).toEqual([...expected.keys()].sort());
  expectBackedUp(s, expected);
  expect(readdirSync(s.source)).toEqual([]);
  expect(listed(join(s.root, 'queue', 'PES'))).toEqual([]);
  expect(listed(join(s.root, 'failed', 'PES'))).toEqual([]);
}

/** Every expected file (name → sha256) has a backup of its content in the scenario PES's backup folder. */
export function expectBackedUp(s: Site, expected: Map<string, string>): void {
  const backups = join(s.root, 'backup', 'PES');
  const backedUp = new Set(readdirSync(backups).map((name) => sha256(readFileSync(join(backups, name)))));
  expect([...expected].filter(([, hash]) => !backedUp.has(hash)).map(([name]) => name), 'without a backup').toEqual([]);
}
