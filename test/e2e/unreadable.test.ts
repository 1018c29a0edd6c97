// A file of the source folder that the account running ordo cannot read is left where it is, reported
// with the fix once per run, and never blocks the other files, run after run; diagnose names it.
// Root reads anything: as root, ordo runs without the capabilities that bypass file permissions.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { baseEnv, ORDO, site, withoutPermissionBypass, type CliResult, type Site } from '../helpers/cli.js';

let s: Site | undefined;
afterEach(() => s?.cleanup());

/** `ordo <args>` as an account that cannot read a mode-000 file. */
function ordoUnprivileged(site: Site, args: string[]): CliResult {
  const command = [...withoutPermissionBypass(), process.execPath, ORDO, ...args];
  const result = spawnSync(command[0]!, command.slice(1), {
    cwd: site.dir,
    env: baseEnv({ HOME: site.dir }),
    input: '',
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

function journalLines(site: Site): Array<Record<string, unknown>> {
  const dir = join(site.root, 'journal');
  return readdirSync(dir).flatMap((n) => readFileSync(join(dir, n), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>));
}

describe('an unreadable file in the source folder', () => {
  it('stays in place, is reported with the fix, and does not stop the others (run after run); diagnose names it', () => {
    s = site();
    for (const name of ['a.xml', 'b.xml', 'c.xml']) writeFileSync(join(s.source, name), `<${name}/>`);
    // Claimed by an earlier run, then made unreadable (the race after a claim): stays queued.
    const queued = join(s.root, 'queue', 'PES', '20261123101010-abcdef', 'd.xml');
    mkdirSync(dirname(queued), { recursive: true });
    writeFileSync(queued, '<d/>');
    chmodSync(join(s.source, 'b.xml'), 0o000);
    chmodSync(queued, 0o000);

    const first = ordoUnprivileged(s, ['run']);
    expect(first.code).toBe(1);
    expect(readdirSync(s.target).filter((n) => !n.startsWith('.')).sort()).toEqual(['a.xml', 'c.xml']);
    expect(readdirSync(s.source)).toEqual(['b.xml']);
    expect(readFileSync(join(s.root, 'logs', 'last.log'), 'utf8')).toContain(`Give the account running ordo read access to ${join(s.source, 'b.xml')}`);
    expect(readdirSync(dirname(queued))).toEqual(['d.xml']);
    expect(journalLines(s).filter((e) => e.file === 'd.xml').map((e) => [e.state, e.code, e.path])).toEqual([['deferred', 'EACCES', queued]]);

    const second = ordoUnprivileged(s, ['run']);
    expect(second.code).toBe(1);
    expect(readdirSync(s.source)).toEqual(['b.xml']);
    const deferred = journalLines(s).filter((e) => e.file === 'b.xml');
    expect(deferred.map((e) => [e.state, e.code])).toEqual([
      ['deferred', 'EACCES'],
      ['deferred', 'EACCES'],
    ]);
    expect(journalLines(s).filter((e) => e.state === 'sent')).toHaveLength(2);

    const report = ordoUnprivileged(s, ['diagnose', '--json']);
    const checks = (JSON.parse(report.stdout) as { checks: Array<{ id: string; status: string; message: string; fix?: string }> }).checks;
    const unreadable = checks.find((c) => c.id === 'folders.sourceFile');
    expect(unreadable?.status).toBe('fail');
    expect(unreadable?.message).toContain('b.xml');
    expect(unreadable?.fix).toContain('read access');
    // Said once, by the live check of the folder, not again from the journal.
    expect(checks.filter((c) => c.message.includes('b.xml'))).toHaveLength(1);
  });
});
