// Partners' secrets come from the environment (`password: ${VILLE_XFB_PASSWORD}`). The commands that
// connect to a partner refuse to start without them (exit 3, naming the variable and the key); the
// commands that never connect (logs show, logs purge, config show, rename) do not need them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ordo, site, type Site } from '../helpers/cli.js';

const VARIABLE = 'VILLE_XFB_PASSWORD';
const SECRET = 'Tr3s-s3cret!';

let s: Site | undefined;
afterEach(() => s?.cleanup());

/** The usual local scenario, with the profile's xfb account (used by another scenario) in the file too. */
function siteWithXfbAccount(): Site {
  return site(
    {},
    {
      profiles: {
        VILLE: {
          label: 'Ville de Saint-Exemple',
          xfb: { url: 'https://xfb.example.invalid/xfb', user: 'ville', password: `\${${VARIABLE}}`, partner: 'DGFIP', application: 'HELIOS' },
        },
      },
    },
  );
}

/** A day log and last.log, as a previous run would have left them. */
function writeLogs(root: string): void {
  const logs = join(root, 'logs');
  mkdirSync(logs, { recursive: true });
  writeFileSync(join(logs, 'last.log'), '2026-01-01 10:00:00 PES: nothing to do\n');
  writeFileSync(join(logs, '20200101.log'), '2020-01-01 10:00:00 PES: nothing to do\n');
}

describe('commands that do not connect do not need partners’ secrets', () => {
  it('with the variable unset: logs show, logs purge and config show work; run, send, retrieve, scan and config check stop with exit 3 naming it, diagnose fails its check', () => {
    s = siteWithXfbAccount();
    writeLogs(s.root);

    const show = ordo(['logs', 'show'], { cwd: s.dir });
    expect(show.stderr).toBe('');
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('PES: nothing to do');

    const purge = ordo(['logs', 'purge', '--older-than', '30d'], { cwd: s.dir });
    expect(purge.stderr).toBe('');
    expect(purge.code).toBe(0);
    expect(purge.stdout).toContain('20200101.log');

    const configShow = ordo(['config', 'show', '--json'], { cwd: s.dir });
    expect(configShow.code).toBe(0);
    expect(configShow.stdout).not.toContain(SECRET);

    for (const args of [['run'], ['send', '--scenario', 'PES'], ['retrieve'], ['scan'], ['config', 'check']]) {
      const r = ordo(args, { cwd: s.dir });
      expect(r.code, args.join(' ')).toBe(3);
      expect(r.stderr, args.join(' ')).toContain(`The environment variable ${VARIABLE}, used by profiles.VILLE.xfb.password, is not defined.`);
    }
    // diagnose reports it as a failing check of the configuration (its documented exit 6).
    const diagnose = ordo(['diagnose'], { cwd: s.dir });
    expect(diagnose.code).toBe(6);
    expect(`${diagnose.stdout}${diagnose.stderr}`).toContain(`The environment variable ${VARIABLE}, used by profiles.VILLE.xfb.password`);
  });

  it('only secrets are tolerated: a folder taken from an unset variable still stops logs show (exit 3)', () => {
    s = site({ source: '${VILLE_EXPORT_DIR}/export' });
    writeLogs(s.root);
    const r = ordo(['logs', 'show'], { cwd: s.dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('The environment variable VILLE_EXPORT_DIR, used by scenarios.PES.source, is not defined.');
  });

  it('config show masks the secret whose variable is unset, as it masks a set one', () => {
    s = siteWithXfbAccount();
    const r = ordo(['config', 'show', '--json'], { cwd: s.dir });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain(VARIABLE);
  });

  it('an automate.ini with %VARIABLE%: logs purge works without it, run and config check stop naming it', () => {
    s = site();
    writeFileSync(
      join(s.dir, 'automate.ini'),
      ['[general]', 'root=./ordo-data', '[profile:VILLE]', 'sftp.host=sftp.example.invalid', 'sftp.username=ville', 'sftp.password=%VILLE_SFTP_PASSWORD%',
        '[scenario:PES]', 'profile=VILLE', 'protocol=local', 'source=./export', 'options.target=./partner/in', ''].join('\r\n'),
    );
    const purge = ordo(['logs', 'purge', '--older-than', '30d', '-c', 'automate.ini'], { cwd: s.dir });
    expect([purge.code, purge.stderr]).toEqual([0, '']);
    for (const args of [['run'], ['config', 'check']]) {
      const r = ordo([...args, '-c', 'automate.ini'], { cwd: s.dir });
      expect(r.code, args.join(' ')).toBe(3);
      expect(r.stderr, args.join(' ')).toContain('automate.ini:6 [profile:VILLE] sftp.password: The environment variable VILLE_SFTP_PASSWORD');
    }
  });

  it('in French too, run names the variable and the key', () => {
    s = siteWithXfbAccount();
    const r = ordo(['run', '--lang', 'fr'], { cwd: s.dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`La variable d'environnement ${VARIABLE}`);
  });

  it('with the variable set, nothing changes: run works, logs show shows its log, the secret never appears', () => {
    s = siteWithXfbAccount();
    const env = { [VARIABLE]: SECRET };
    const run = ordo(['run'], { cwd: s.dir, env });
    expect(run.code).toBe(0);
    const show = ordo(['logs', 'show'], { cwd: s.dir, env });
    expect(show.code).toBe(0);
    const configShow = ordo(['config', 'show', '--json'], { cwd: s.dir, env });
    expect(configShow.code).toBe(0);
    const check = ordo(['config', 'check'], { cwd: s.dir, env });
    expect(check.code).toBe(0);
    for (const r of [run, show, configShow, check]) expect(`${r.stdout}${r.stderr}`).not.toContain(SECRET);
  });
});
