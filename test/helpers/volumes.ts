// Real second filesystems for tests of cross-volume claims and full disks. /dev/shm is a tmpfs on Linux
// machines and CI runners, so a folder there and one under os.tmpdir() are on two volumes (EXDEV). A
// small full volume needs a tmpfs mount (root in CI): when that is impossible the test fails, loudly.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
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

/** Mounts a tmpfs of `bytes` at `dir` (created if needed); unmountAll() undoes every such mount. */
const mounted = new Set<string>();

export function mountTmpfs(dir: string, bytes: number): string {
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${Math.ceil(bytes / 1024)}k,mode=0755`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? String(error);
    throw new Error(`Cannot mount a ${bytes}-byte tmpfs at ${dir}: ${stderr.trim()}. These tests need root (CI runs them as root).`);
  }
  mounted.add(dir);
  return dir;
}

export async function unmountAll(): Promise<void> {
  for (const dir of [...mounted].sort((a, b) => b.length - a.length)) {
    for (let attempt = 0; ; attempt += 1) {
      try {
        execFileSync('umount', [dir], { stdio: 'pipe' });
        break;
      } catch (error) {
        if (attempt >= 40) {
          execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    mounted.delete(dir);
  }
}
