// Real second filesystems for tests of cross-volume claims and full disks. /dev/shm is a tmpfs on Linux
// machines and CI runners, so a folder there and one under os.tmpdir() are on two volumes (EXDEV). A
// small full volume needs a tmpfs mount (root in CI): when that is impossible the test fails, loudly.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh folder on /dev/shm, checked to be on another volume than os.tmpdir(). */
export function otherVolumeDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync('/dev/shm/ordo-other-');
  if (statSync(dir).dev === statSync(tmpdir()).dev) throw new Error(`/dev/shm and ${tmpdir()} are on the same volume: this test needs two`);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Mounts a tmpfs of `size` (e.g. "1m"), read-only if asked, on a new folder under os.tmpdir(). */
export function smallVolume(size: string, options: { readOnly?: boolean } = {}): { dir: string; resize(size: string): void; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'ordo-small-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}${options.readOnly ? ',ro' : ''}`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`cannot mount a ${size} tmpfs on ${dir} (this test needs root, as in CI): ${String((error as Error).message)}`);
  }
  return {
    dir,
    resize: (next) => execFileSync('mount', ['-o', `remount,size=${next}`, dir], { stdio: 'pipe' }),
    cleanup: () => {
      spawnSync('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The pid of a process that has ended (a leftover "of a dead run"). */
export function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid!;
}
