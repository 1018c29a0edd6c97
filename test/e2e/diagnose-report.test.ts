// `ordo diagnose --report <file>` as cron and Task Scheduler call it on a fresh machine: the folders
// of the report's path are created; when the report still cannot be written, the message names the
// file and the folder that refuses, and why — never a bare "System error … ENOENT" whose fix says to
// run diagnose.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { baseEnv, ORDO, ordo, site, withoutPermissionBypass, type CliResult, type Site } from '../helpers/cli.js';

let s: Site | undefined;
afterEach(() => {
  if (s) chmodSync(join(s.dir, 'locked'), 0o755);
  s?.cleanup();
  s = undefined;
});

/** Runs ordo as root without the capabilities that ignore permission bits (as itself otherwise). */
function ordoWithoutBypass(args: string[], cwd: string, env: Record<string, string> = {}): CliResult {
  const command = [...withoutPermissionBypass(), process.execPath, ORDO, ...args];
  const r = spawnSync(command[0] ?? process.execPath, command.slice(1), { cwd, env: baseEnv(env), encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

function newSite(): Site {
  s = site();
  mkdirSync(join(s.dir, 'locked'));
  return s;
}

describe('diagnose --report', () => {
  it('creates the missing folders of the report path', () => {
    const { dir } = newSite();
    const report = join(dir, 'missing', 'sub', 'diag.txt');
    const r = ordo(['diagnose', '--report', report], { cwd: dir });
    expect(r.stderr).not.toMatch(/ENOENT|System error/);
    expect(r.code).toBe(0);
    expect(existsSync(report)).toBe(true);
    expect(readFileSync(report, 'utf8')).toContain('ordo diagnose');
    expect(r.stdout).toContain(report);
  });

  it('creates them for a relative path too, as in the README’s cron line', () => {
    const { dir } = newSite();
    const r = ordo(['diagnose', '--quiet', '--report', 'diagnostics/diagnostic-2026-12-02.txt'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'diagnostics', 'diagnostic-2026-12-02.txt'))).toBe(true);
  });

  it('names the folder it may not write in, and why, with exit 1', () => {
    const { dir } = newSite();
    const locked = join(dir, 'locked');
    chmodSync(locked, 0o555);
    for (const report of [join(locked, 'diag.txt'), join(locked, 'sub', 'diag.txt')]) {
      const r = ordoWithoutBypass(['diagnose', '--report', report], dir);
      expect(r.code).toBe(1);
      expect(existsSync(report)).toBe(false);
      expect(r.stderr).toContain(`Cannot write the report ${report}: this account may not write in ${locked} (EACCES)`);
      expect(r.stderr).not.toMatch(/System error|run `?ordo diagnose/i);
      expect(r.stderr.split('\n').filter((l) => l.includes('Cannot write the report'))).toHaveLength(1);
    }
  });

  it('says so in French, and names a file that stands where a folder is expected', () => {
    const { dir } = newSite();
    writeFileSync(join(dir, 'locked', 'sub'), 'not a folder');
    const report = join(dir, 'locked', 'sub', 'diag.txt');
    const r = ordo(['diagnose', '--lang', 'fr', '--report', report], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Impossible d’écrire le rapport ${report}\u00a0: ${join(dir, 'locked', 'sub')} est un fichier, pas un dossier`);
  });
});
