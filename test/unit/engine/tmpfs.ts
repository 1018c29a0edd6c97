// A small tmpfs for the full-disk tests (they run as root, locally and in CI). A mount that cannot be
// made fails the test loudly: never a skip.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

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
