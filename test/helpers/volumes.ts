// Real second filesystems for tests of cross-volume claims and full disks. /dev/shm is a tmpfs on Linux
// machines and CI runners, so a folder there and one under os.tmpdir() are on two volumes (EXDEV). A
// small full volume needs a tmpfs mount (root in CI): when that is impossible the test fails, loudly.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
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
    throw new Error(`cannot mount a ${size} tmpfs on ${dir} (this test needs root, as in CI): ${(error as Error).message}`);
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

const mounted = new Set<string>();

export const MiB = 1024 * 1024;

/** Mounts a tmpfs of `bytes` at `dir` (created if needed). */
export function mountTmpfs(dir: string, bytes: number): string {
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${Math.ceil(bytes / 1024)}k,mode=0755`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? String(error);
    throw new Error(
      `Cannot mount a ${bytes}-byte tmpfs at ${dir}: ${stderr.trim()}\n` +
        'The fault suite needs root (or CAP_SYS_ADMIN) to mount small tmpfs volumes; CI runs it as root.',
    );
  }
  mounted.add(dir);
  return dir;
}

/** Unmounts `dir`; a busy volume (a server session still closing) is retried, then detached lazily. */
export async function unmount(dir: string): Promise<void> {
  if (!mounted.has(dir)) return;
  let lastError = '';
  for (let attempt = 0; attempt < 40; attempt++) {
    try {
      execFileSync('umount', [dir], { stdio: 'pipe' });
      mounted.delete(dir);
      return;
    } catch (error) {
      lastError = (error as { stderr?: Buffer }).stderr?.toString() ?? String(error);
      if (!isMountPoint(dir)) {
        mounted.delete(dir);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
  mounted.delete(dir);
  console.warn(`[fault] ${dir} was busy (${lastError.trim()}); detached lazily`);
}

export async function unmountAll(): Promise<void> {
  const errors: string[] = [];
  // Deepest first: a volume mounted inside another one goes before it.
  for (const dir of [...mounted].sort((a, b) => b.length - a.length)) {
    try {
      await unmount(dir);
    } catch (error) {
      errors.push(`${dir}: ${String(error)}`);
    }
  }
  if (errors.length > 0) throw new Error(`Could not unmount:\n${errors.join('\n')}`);
}

export function isMountPoint(dir: string): boolean {
  const table = readFileSync('/proc/self/mounts', 'utf8');
  return table.split('\n').some((line) => line.split(' ')[1] === dir.replace(/ /g, '\\040'));
}

export interface OtherVolume {
  /** A folder on another volume than os.tmpdir(). */
  dir: string;
  how: string;
  cleanup(): Promise<void>;
}

/**
 * A folder on another volume than os.tmpdir(): under /dev/shm when it is a separate tmpfs (Debian, CI),
 * else on a tmpfs mounted for the purpose. Throws when neither is possible.
 */
export function otherVolume(bytes: number): OtherVolume {
  const spoolDevice = statSync(tmpdir()).dev;
  try {
    const shm = statSync('/dev/shm');
    if (shm.isDirectory() && shm.dev !== spoolDevice) {
      const dir = mkdtempSync('/dev/shm/ordo-fault-');
      const cleanup = (): Promise<void> => {
        rmSync(dir, { recursive: true, force: true });
        return Promise.resolve();
      };
      return { dir, how: '/dev/shm (tmpfs)', cleanup };
    }
  } catch {
    // No /dev/shm: mount one.
  }
  const dir = mkdtempSync(join(tmpdir(), 'ordo-fault-xvol-'));
  mountTmpfs(dir, bytes);
  if (statSync(dir).dev === spoolDevice) throw new Error(`${dir} is still on the same volume as ${tmpdir()} after mounting a tmpfs`);
  return {
    dir,
    how: `tmpfs mounted at ${dir}`,
    async cleanup() {
      await unmount(dir);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
