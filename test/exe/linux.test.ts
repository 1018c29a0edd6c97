// dist-exe/ordo-linux-x64, copied alone into an empty folder (no node_modules, no package.json near it):
// its version facts, an SFTP send to OpenSSH on 127.0.0.1 through ssh2's JavaScript paths, and commands whose
// code the executable loads only when they run (each is a chunk stored inside it).
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenSshServer, type OpenSshServer } from '../../fixtures/peers/sftp/openssh-server.mjs';
import { buildExecutables, linuxExe, root } from './harness.js';

let work: string;
let exe: string;
let sshd: OpenSshServer;

beforeAll(async () => {
  buildExecutables();
  work = mkdtempSync(join(tmpdir(), 'ordo-exe-linux-'));
  exe = join(work, 'ordo');
  copyFileSync(linuxExe, exe);
  spawnSync('chmod', ['+x', exe]);
  sshd = await startOpenSshServer();
}, 600_000);

afterAll(async () => {
  await (sshd as OpenSshServer | undefined)?.stop();
  if ((work as string | undefined) !== undefined) rmSync(work, { recursive: true, force: true });
});

function ordo(args: string[], cwd: string) {
  // No PATH to a node, no NODE_OPTIONS: the executable needs nothing from its environment.
  return spawnSync(exe, args, { cwd, encoding: 'utf8', env: { HOME: work, ORDO_LANG: 'en', NO_COLOR: '1' } });
}

describe('ordo-linux-x64', () => {
  it('shows its version, the Node.js inside, the commit and that it is the executable', () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    const result = ordo(['--version', '--verbose'], work);
    expect(result.status, result.stderr).toBe(0);
    const [shown, node, commit, kind] = result.stdout.trim().split('\n');
    expect(shown).toBe(version);
    expect(node).toMatch(/^Node\.js 22\.\d+\.\d+$/);
    expect(commit).toMatch(/^commit [0-9a-f]{7,}/);
    expect(kind).toContain('single executable');
    expect(result.stderr).toBe('');
  });

  it('sends over SFTP with ssh2 in JavaScript (its native binding is not in the file)', () => {
    const site = join(work, 'site');
    mkdirSync(join(site, 'export'), { recursive: true });
    mkdirSync(join(sshd.files, 'depot'), { recursive: true });
    writeFileSync(join(site, 'ordo.config.json'), JSON.stringify({
      root: './data',
      profiles: { TRESORERIE: { sftp: sshd.profile } },
      scenarios: { PES: { profile: 'TRESORERIE', protocol: 'sftp', source: './export', settle: '0s', retrieve: { enabled: false }, options: { remoteDir: 'depot' } } },
    }));
    writeFileSync(join(site, 'export', 'PES_mandats.xml'), '<PES_Aller/>'.repeat(10_000));
    const result = ordo(['run'], site);
    expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
    expect(readFileSync(join(sshd.files, 'depot', 'PES_mandats.xml'), 'utf8')).toBe('<PES_Aller/>'.repeat(10_000));

    // What support reads in diagnose's report: this is the executable, its Node.js and commit.
    const diagnose = ordo(['diagnose', '--json'], site);
    const report = JSON.parse(diagnose.stdout) as { environment: { executable: boolean; commit?: string; node: string }; checks: Array<{ id: string; message: string }> };
    expect(report.environment).toMatchObject({ executable: true, node: expect.stringMatching(/^22\./) as string });
    expect(report.environment.commit).toMatch(/^[0-9a-f]{7,}/);
    const text = ordo(['diagnose'], site);
    expect(text.stdout).toContain(`single executable, commit ${report.environment.commit}`);
  });

  it('runs the commands whose code it loads on demand: a YAML configuration, run, logs show, report, an unknown command', () => {
    const site = join(work, 'yaml-site');
    for (const folder of ['export', 'partner/in', 'partner/out']) mkdirSync(join(site, folder), { recursive: true });
    writeFileSync(join(site, 'ordo.config.yaml'), [
      'root: ./data',
      'profiles:',
      '  VILLE: { label: Ville }',
      'scenarios:',
      '  PES:',
      '    { profile: VILLE, protocol: local, source: ./export, settle: 0s, options: { target: ./partner/in, inbox: ./partner/out } }',
      '',
    ].join('\n'));
    writeFileSync(join(site, 'export', 'PES_1.xml'), '<PES_Aller/>');
    const run = ordo(['run', '--json'], site);
    expect(run.status, `${run.stdout}${run.stderr}`).toBe(0);
    expect(readFileSync(join(site, 'partner', 'in', 'PES_1.xml'), 'utf8')).toBe('<PES_Aller/>');
    const logs = ordo(['logs', 'show'], site);
    expect(logs.status, logs.stderr).toBe(0);
    expect(logs.stdout).toContain('PES_1.xml');
    const report = ordo(['report', '--output', 'report.html'], site);
    expect(report.status, report.stderr).toBe(0);
    expect(readFileSync(join(site, 'report.html'), 'utf8')).toContain('PES_1.xml');
    const unknown = ordo(['sned'], site);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('sned');
  });
});
