// A Windows path in a configuration read on Linux (issue 14, item 5): accepted as a name with
// backslashes, it failed later with ENOENT. `config check` now warns, naming the key (and its line in
// an INI file) and the fix, and still exits 0; --json lists it in `warnings`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config/load.js';
import { looksLikeWindowsPath, windowsPaths } from '../../src/config/windows-paths.js';
import { ordo, site, type Site } from '../helpers/cli.js';

interface Warning { file: string; key: string; line?: number; message: string; fix?: string }

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

const INI = [
  '[general]',
  'root=./ordo-data',
  '',
  '[profile:VILLE]',
  'label=Ville de Saint-Exemple',
  '',
  '[scenario:PES]',
  'profile=VILLE',
  'protocol=local',
  'source=C:\\finances\\export',
  'options.target=./partner/in',
  '',
].join('\r\n');

function iniSite(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ordo-e2e-'));
  cleanup = () => rmSync(dir, { recursive: true, force: true });
  writeFileSync(join(dir, 'automate.ini'), INI);
  return dir;
}

function jsonSite(): Site {
  const s = site({ options: { target: '\\\\serveur\\partage', inbox: './partner/out' } });
  cleanup = () => s.cleanup();
  return s;
}

describe.skipIf(process.platform === 'win32')('Windows paths on a non-Windows system', () => {
  it('INI: source=C:\\finances\\export is valid, with a warning naming the key, its line and the fix', () => {
    const dir = iniSite();
    const r = ordo(['config', 'check', '--config', 'automate.ini'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Configuration valid');
    expect(r.stdout).toMatch(/automate\.ini:10 \[scenario:PES\] source: C:\\finances\\export looks like a Windows path/);
    expect(r.stdout).toContain('or run ordo on Windows');
  });

  it('INI in French: the same warning in French', () => {
    const dir = iniSite();
    const r = ordo(['--lang', 'fr', 'config', 'check', '--config', 'automate.ini'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ressemble à un chemin Windows');
    expect(r.stdout).toContain('sous Windows');
  });

  it('JSON: options.target = \\\\serveur\\partage is valid, with the warning; --json lists it', () => {
    const s = jsonSite();
    const r = ordo(['config', 'check'], { cwd: s.dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/scenarios\.PES\.options\.target: \\\\serveur\\partage looks like a Windows path/);

    const j = ordo(['--json', 'config', 'check'], { cwd: s.dir });
    expect(j.code).toBe(0);
    const doc = JSON.parse(j.stdout) as { warnings: Warning[] };
    const found = doc.warnings.filter((w) => w.message.includes('Windows'));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ key: 'scenarios.PES.options.target' });
    expect(found[0]?.message).toContain('\\\\serveur\\partage');
    expect(found[0]?.fix).toContain('Windows');
  });

  it('a configuration with POSIX paths only has no such warning', () => {
    const s = site();
    cleanup = () => s.cleanup();
    const j = ordo(['--json', 'config', 'check'], { cwd: s.dir });
    expect(j.code).toBe(0);
    const doc = JSON.parse(j.stdout) as { warnings: Warning[] };
    expect(doc.warnings.filter((w) => w.message.includes('Windows'))).toEqual([]);
  });
});

describe('what looks like a Windows path', () => {
  it('drive letters, UNC shares and backslashes; not POSIX paths', () => {
    for (const path of ['C:\\finances\\export', 'c:/finances', 'D:', '\\\\serveur\\partage', 'Trésorerie\\export', '..\\export']) {
      expect(looksLikeWindowsPath(path), path).toBe(true);
    }
    for (const path of ['/srv/ordo', './export', '../partner/in', '//serveur/partage', 'C', 'export:2026']) {
      expect(looksLikeWindowsPath(path), path).toBe(false);
    }
  });

  it('nothing to say on Windows itself', async () => {
    const dir = iniSite();
    const config = await loadConfigFile(join(dir, 'automate.ini'), {});
    expect(windowsPaths(config, 'linux').map((f) => f.path.join('.'))).toEqual(['scenarios.PES.source']);
    expect(windowsPaths(config, 'win32')).toEqual([]);
  });
});
