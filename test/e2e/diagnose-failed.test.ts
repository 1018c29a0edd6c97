// `diagnose` knows failed/: a file refused for good or set aside as a duplicate is listed with its
// reason, since when, and the command that sends it again — the same command the duplicate warning
// prints, and both work as printed (run here through a shell, as people paste them).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { baseEnv, ORDO, ordo, site, type CliResult, type Site } from '../helpers/cli.js';

let s: Site | undefined;
afterEach(() => {
  s?.cleanup();
  s = undefined;
});

/** Runs a printed `ordo …` command line through sh, `ordo` being this build's bin/ordo. */
function paste(command: string, cwd: string): CliResult {
  const script = `ordo() { "${process.execPath}" "${ORDO}" "$@"; }\n${command}`;
  const r = spawnSync('sh', ['-c', script], { cwd, env: baseEnv(), encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

interface FailedJson {
  scenario: string;
  file: string;
  path: string;
  reason?: string;
  since: string;
  status: string;
  resendCommand?: string;
}

function diagnoseJson(dir: string): { checks: Array<{ id: string; status: string; message: string; fix?: string }>; failed: FailedJson[] } {
  const r = ordo(['diagnose', '--json'], { cwd: dir });
  return JSON.parse(r.stdout) as ReturnType<typeof diagnoseJson>;
}

/** A file refused by the local protocol: a file of that name is already in the target folder. */
function refusedFile(): Site {
  s = site();
  writeFileSync(join(s.target, 'a.xml'), 'already there');
  writeFileSync(join(s.source, 'a.xml'), '<a>new</a>');
  ordo(['send'], { cwd: s.dir });
  expect(existsSync(join(s.source, 'a.xml'))).toBe(false);
  return s;
}

describe('diagnose and failed/', () => {
  it('lists a refused file with its reason, since when and the command that sends it again, which works as printed', () => {
    const { dir, root, target } = refusedFile();
    const r = ordo(['diagnose'], { cwd: dir });
    expect(r.stdout).not.toMatch(/no longer queued|put it back into the source folder/);
    expect(r.stdout).toMatch(/\[PES\] a\.xml was set aside in failed\/ on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(\d+ s ago\): a file named a\.xml is already in the target folder/);
    const { failed } = diagnoseJson(dir);
    expect(failed).toHaveLength(1);
    const item = failed[0]!;
    expect(item).toMatchObject({ scenario: 'PES', file: 'a.xml', status: 'failed' });
    expect(item.path.startsWith(join(root, 'failed', 'PES'))).toBe(true);
    expect(item.reason).toMatch(/already in the target folder/);
    expect(Date.now() - Date.parse(item.since)).toBeLessThan(120_000);
    expect(item.resendCommand).toBe(`ordo send --config ${join(dir, 'ordo.config.json')} --scenario PES --force ${item.path}`);
    expect(r.stdout).toContain(`send it again with: ${item.resendCommand}`);

    rmSync(join(target, 'a.xml'));
    const again = paste(item.resendCommand!, '/');
    expect(again.code).toBe(0);
    expect(readFileSync(join(target, 'a.xml'), 'utf8')).toBe('<a>new</a>');
    expect(readdirSync(join(root, 'failed', 'PES'))).toEqual([]);
    const after = ordo(['diagnose'], { cwd: dir });
    expect(after.stdout).toContain('No file waiting in failed/');
    expect(after.stdout).not.toMatch(/no longer queued/);
  });

  it('prints a duplicate warning whose command sends the file as printed', () => {
    s = site();
    const { dir, source, target } = s;
    writeFileSync(join(source, 'a.xml'), '<same/>');
    expect(ordo(['send'], { cwd: dir }).code).toBe(0);
    renameSync(join(target, 'a.xml'), join(dir, 'taken-by-partner.xml'));
    writeFileSync(join(source, 'b.xml'), '<same/>');
    const r = ordo(['send'], { cwd: dir });
    const output = r.stdout + r.stderr;
    const hint = /To send it anyway: (ordo [^\n]*)$/m.exec(output)?.[1];
    expect(hint, output).toBeDefined();
    expect(existsSync(join(target, 'b.xml'))).toBe(false);

    const forced = paste(hint!.trim(), dir);
    expect(forced.code, forced.stdout + forced.stderr).toBe(0);
    expect(forced.stdout).not.toMatch(/Nothing to do/i);
    expect(readFileSync(join(target, 'b.xml'), 'utf8')).toBe('<same/>');

    const d = diagnoseJson(dir);
    expect(d.failed).toEqual([]);
  });

  it('lists a duplicate with the same command as the warning', () => {
    s = site();
    const { dir, source, target } = s;
    writeFileSync(join(source, 'a.xml'), '<same/>');
    ordo(['send'], { cwd: dir });
    rmSync(join(target, 'a.xml'));
    writeFileSync(join(source, 'c.xml'), '<same/>');
    const r = ordo(['send'], { cwd: dir });
    const hint = /To send it anyway: (ordo [^\n]*)$/m.exec(r.stdout + r.stderr)?.[1]?.trim();
    const { failed, checks } = diagnoseJson(dir);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ file: 'c.xml', status: 'duplicate', resendCommand: hint });
    const listed = checks.find((c) => c.id === 'failed');
    expect(listed?.fix).toContain(hint);
    expect(listed?.message).toMatch(/^c\.xml was set aside in failed\/ .*: c\.xml has the same content as a file already sent on /);
    expect(listed?.message).not.toContain('To send it anyway');
  });

  it('after a crash between the move to failed/ and the journal line, neither loses the file nor says it is no longer queued', () => {
    const { dir, root } = refusedFile();
    const [id] = readdirSync(join(root, 'failed', 'PES'));
    const itemDir = join(root, 'failed', 'PES', id!);
    // What kill -9 right after the rename leaves: the file and its record moved, no reason file, no journal line.
    rmSync(join(itemDir, 'a.xml.reason.txt'));
    const journalDir = join(root, 'journal');
    for (const name of readdirSync(journalDir).filter((n) => n.endsWith('.jsonl'))) {
      const lines = readFileSync(join(journalDir, name), 'utf8').split('\n').filter((l) => !l.includes('"state":"failed"'));
      writeFileSync(join(journalDir, name), lines.join('\n'));
    }
    const r = ordo(['diagnose'], { cwd: dir });
    expect(r.stdout).not.toMatch(/no longer queued/);
    expect(r.stdout).toMatch(/a\.xml was set aside in failed\/ .*: a file named a\.xml is already in the target folder/);

    // An older version's crash: not even the record. Still listed, honestly.
    rmSync(join(itemDir, '.ordo-failed.json'));
    const older = ordo(['diagnose'], { cwd: dir });
    expect(older.stdout).not.toMatch(/no longer queued/);
    expect(older.stdout).toContain('a.xml was set aside in failed/');
    expect(older.stdout).toContain('no reason recorded');
  });
});
