// The single executables of `npm run build:exe`, and ordo.exe run by Wine (Debian's wine64) in a Wine
// prefix of its own: Windows paths (C:\…), Windows environment, no Node.js installed in it.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { wineSession, type WineSession } from '../../scripts/exe/wine.mjs';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const exe = join(root, 'dist-exe', 'ordo.exe');
export const linuxExe = join(root, 'dist-exe', 'ordo-linux-x64');

/** Builds dist-exe/ (nothing to do when its inputs did not change: the second CI run reuses it). */
export function buildExecutables(): void {
  const result = spawnSync(process.execPath, [join(root, 'scripts', 'build-exe.mjs')], { cwd: root, encoding: 'utf8', timeout: 600_000 });
  if (result.status !== 0) throw new Error(`npm run build:exe failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
}

/** Debian's wine64 loader (package wine64: /usr/lib/wine/wine64), or `wine64`/`wine` on PATH. */
export function findWine(): string {
  for (const candidate of ['/usr/lib/wine/wine64', '/usr/bin/wine64', '/usr/bin/wine']) if (existsSync(candidate)) return candidate;
  throw new Error('Wine is not installed: the test of ordo.exe needs it. Install it with `apt-get install --no-install-recommends wine64` (.ci/run does).');
}

export interface WineResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export class Wine {
  private constructor(
    readonly loader: string,
    /** The Wine prefix: C:\ is `<prefix>/drive_c`. */
    readonly prefix: string,
    private readonly session: WineSession,
  ) {}

  /** A new prefix, reporting Windows 10 (Node 22 refuses older ones): its first start is the slow one. */
  static create(prefix: string): Wine {
    const loader = findWine();
    return new Wine(loader, prefix, wineSession(loader, prefix));
  }

  /** C:\ as seen from Linux. */
  get driveC(): string {
    return join(this.prefix, 'drive_c');
  }

  /**
   * Runs a Windows program to its end. Its output goes to files, read afterwards: Node.js under Wine
   * writes to a pipe unreliably (output lost or cut).
   */
  run(args: string[], cwd: string, env: Record<string, string> = {}, timeoutMs = 60_000): Promise<WineResult> {
    const outDir = join(this.prefix, 'output');
    mkdirSync(outDir, { recursive: true });
    const out = join(outDir, `${process.pid}-${Date.now()}.out`);
    const err = `${out.slice(0, -4)}.err`;
    const outFd = openSync(out, 'w');
    const errFd = openSync(err, 'w');
    return new Promise<WineResult>((resolve, reject) => {
      const child = spawn(this.loader, args, {
        cwd,
        stdio: ['ignore', outFd, errFd],
        env: { ...process.env, WINEPREFIX: this.prefix, WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree,mshtml=', NO_COLOR: '1', ...env },
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.once('error', reject);
      child.once('exit', (code) => {
        clearTimeout(timer);
        closeSync(outFd);
        closeSync(errFd);
        const result = { code, stdout: readFileSync(out, 'utf8'), stderr: readFileSync(err, 'utf8') };
        rmSync(out);
        rmSync(err);
        resolve(result);
      });
    });
  }

  /** `ordo.exe …` in `cwd` (a Linux path; Wine shows it as C:\… when it is under drive_c). */
  ordo(args: string[], cwd: string, env: Record<string, string> = {}): Promise<WineResult> {
    return this.run([exe, ...args], cwd, env);
  }

  /** Stops this prefix's Wine server (it lingers a few seconds after the last program) and removes its folder. */
  stop(): void {
    this.session.close();
  }
}
