// `diagnose` says how each scenario's backups are made: hard links on the queue's volume, clones or
// copies on another one — probed with the engine's own function once both folders exist.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ordo, site, type Site } from '../helpers/cli.js';
import { otherVolumeDir } from '../helpers/volumes.js';

let s: Site | undefined;
const cleanups: Array<() => void> = [];
afterEach(() => {
  s?.cleanup();
  s = undefined;
  for (const cleanup of cleanups.splice(0)) cleanup();
});

interface Check {
  id: string;
  status: string;
  scope?: string;
  message: string;
}

function backupCheck(dir: string, env: Record<string, string> = {}): Check | undefined {
  const checks = (JSON.parse(ordo(['diagnose', '--json'], { cwd: dir, env }).stdout) as { checks: Check[] }).checks;
  return checks.find((c) => c.id === 'folders.backup');
}

describe('diagnose: how backups are made', () => {
  it('on the queue volume: hard links, before the first run and after it (probed, nothing left behind)', () => {
    s = site();
    const backup = join(s.root, 'backup', 'PES');
    expect(backupCheck(s.dir)).toMatchObject({ status: 'ok', scope: 'PES', message: `Backups in ${backup}: hard links to the queued files (same volume as the queue: no byte written twice)` });
    writeFileSync(join(s.source, 'a.xml'), '<a/>');
    expect(ordo(['send'], { cwd: s.dir }).code).toBe(0);
    expect(backupCheck(s.dir)?.message).toContain('hard links');
    expect(readdirSync(backup)).toEqual(['a.xml']);
    expect(readdirSync(join(s.root, 'queue', 'PES'))).toEqual([]);
    expect(backupCheck(s.dir, { ORDO_LANG: 'fr' })?.message).toBe(`Sauvegardes dans ${backup}\u00a0: liens physiques vers les fichiers en file d’attente (même volume que la file d’attente\u00a0: aucun octet écrit deux fois)`);
  });

  it('on another volume: clones or copies before the first run, then what the probe finds (tmpfs: copies)', () => {
    const other = otherVolumeDir();
    cleanups.push(other.cleanup);
    const backup = join(other.dir, 'bk');
    s = site({ backup: { dir: backup } });
    expect(backupCheck(s.dir)?.message).toBe(`Backups in ${backup}: on another volume than the queue, clones where its file system can make them, else copies`);
    writeFileSync(join(s.source, 'a.xml'), '<a/>');
    expect(ordo(['send'], { cwd: s.dir }).code).toBe(0);
    expect(backupCheck(s.dir)?.message).toBe(`Backups in ${backup}: copies of the queued files (another volume, or no hard links there: every file is written twice)`);
    expect(readdirSync(backup)).toEqual(['a.xml']);
  });
});
