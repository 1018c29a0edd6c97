// Reading a configuration has bounds (a YAML alias bomb, a device given as the file), and what loads
// but deserves a look (`settle: 0s`) is said by `config check` and `diagnose`, exit 0.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { baseEnv, ORDO, ordo, site, type Site } from '../helpers/cli.js';

let s: Site | undefined;
afterEach(() => s?.cleanup());

/** bin/ordo with a small heap: a configuration that needs more than that is not bounded. */
function ordoSmallHeap(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, ['--max-old-space-size=64', ORDO, ...args], { cwd, env: baseEnv(), encoding: 'utf8', timeout: 60_000, maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

const BOMB = [
  'a0: &a0 ["lol"]',
  ...Array.from({ length: 9 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(', ')}]`),
  'lol: *a9',
  '',
].join('\n');

describe('configuration bounds', () => {
  it('a YAML "billion laughs" is refused with one short message, within a 64 MB heap', () => {
    s = site();
    writeFileSync(join(s.dir, 'bomb.yaml'), BOMB);
    const r = ordoSmallHeap(['config', 'check', '-c', 'bomb.yaml'], s.dir);
    expect([r.code, r.signal]).toEqual([3, null]);
    expect(r.stdout).toBe('');
    expect(r.stderr.length).toBeLessThan(2000);
    expect(r.stderr).toMatch(/^ {2}bomb\.yaml: The YAML aliases \(\*name\) of .*bomb\.yaml would expand to more than 100000 values\. — .*billion laughs/m);
  });

  it('a device given as the configuration is refused, not read', () => {
    s = site();
    const device = process.platform === 'win32' ? '\\\\.\\NUL' : '/dev/zero';
    const r = ordoSmallHeap(['config', 'check', '-c', device, '--json'], s.dir);
    expect(r.code).toBe(3);
    const problems = (JSON.parse(r.stdout) as { error: { problems: Array<{ message: string; fix: string }> } }).error.problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toMatch(/is a device, not a regular file/);
    expect(problems[0]?.fix).toMatch(/--config/);
  });
});

describe('settle: 0s', () => {
  it('config check accepts it with a warning naming the scenario and when it is safe; none with doneMarker', () => {
    s = site();
    const r = ordo(['config', 'check'], { cwd: s.dir });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('✔ Configuration valid: ordo.config.json (profiles: 1, scenarios: 1).');
    expect(lines[1]).toMatch(/^⚠ ordo\.config\.json:13:7 scenarios\.PES\.settle: Scenario PES: scenarios\.PES\.settle is 0, .* — This is safe only if the producer writes each file elsewhere .*doneMarker/);
    expect(ordo(['config', 'check', '-q'], { cwd: s.dir })).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const json = JSON.parse(ordo(['config', 'check', '--json'], { cwd: s.dir }).stdout) as { warnings: Array<{ key: string }> };
    expect(json.warnings.map((w) => w.key)).toEqual(['scenarios.PES.settle']);

    s.cleanup();
    s = site({ doneMarker: '.done' });
    const marked = ordo(['config', 'check', '--json'], { cwd: s.dir });
    expect(JSON.parse(marked.stdout)).toMatchObject({ valid: true, warnings: [] });
  });

  it('in automate.ini the warning gives the line, in French too', () => {
    s = site();
    writeFileSync(
      join(s.dir, 'automate.ini'),
      ['[general]', 'root=./data', '[profile:VILLE]', '[scenario:PES]', 'profile=VILLE', 'protocol=local', 'source=./export', 'settle=0', ''].join('\r\n'),
    );
    const r = ordo(['config', 'check', '-c', 'automate.ini', '--lang', 'fr'], { cwd: s.dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^⚠ automate\.ini:8 \[scenario:PES\] settle\u00a0: Scénario PES\u00a0: settle vaut 0/m);
  });

  it('diagnose shows it as ⚠ for that scenario, exit 0', () => {
    s = site();
    const r = ordo(['diagnose', '--json'], { cwd: s.dir });
    expect(r.code).toBe(0);
    const checks = (JSON.parse(r.stdout) as { checks: Array<{ id: string; status: string; scope?: string; fix?: string }> }).checks;
    expect(checks.filter((c) => c.id === 'config.settle')).toEqual([
      expect.objectContaining({ status: 'warn', scope: 'PES', fix: expect.stringMatching(/moves it into the source folder/) }),
    ]);
    expect(ordo(['diagnose'], { cwd: s.dir }).stdout).toMatch(/^⚠ \[PES\] Scenario PES: settle is 0/m);
  });
});
