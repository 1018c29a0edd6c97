// bin/ordo as integrators' scripts call it: help, options in any place, exit codes, --json, languages,
// configuration errors, secrets, and a start-up that loads only what the command needs.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ORDO, ordo, ordoAsync, site, waitExit, type Site } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';
import { modulesLoaded } from '../helpers/loaded-modules.js';

let s: Site | undefined;
afterEach(() => s?.cleanup());

const version = (JSON.parse(readFileSync(join(ORDO, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON.parse's own any: the tests read into the --json documents freely
function json(stdout: string): any {
  return JSON.parse(stdout);
}

describe('version and help', () => {
  it('--version prints the version of package.json', () => {
    s = site();
    const r = ordo(['--version'], { cwd: s.dir });
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(version);
  });

  const commands = [
    [], ['scan'], ['send'], ['retrieve'], ['run'], ['watch'], ['tedeco-request'], ['check-pes'], ['rename'],
    ['logs'], ['logs', 'show'], ['logs', 'purge'], ['diagnose'], ['config'], ['config', 'check'], ['config', 'show'],
  ];
  it.each(commands.map((c) => [c.join(' ') || '(program)', c]))('%s --help shows real examples, a .bat line and a cron line', (_name, command) => {
    s = site();
    const r = ordo([...command, '--help'], { cwd: s.dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: ordo/);
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toMatch(new RegExp(`^  ordo ${command.join(' ')}`, 'm'));
    expect(r.stdout).toMatch(/^ {2}call ordo\.cmd .*--config C:\\taskauto\\automate\.ini/m);
    expect(r.stdout).toMatch(/^ {2}(@reboot|[0-9*/,-]+ [0-9*/,-]+ [0-9*/,-]+ [0-9*/,-]+ [0-9*/,-]+) ordo /m);
    expect(r.stdout).toContain('--json');
  });

  it('the program help lists every command and the exit codes', () => {
    s = site();
    const r = ordo(['--help'], { cwd: s.dir });
    for (const command of ['scan', 'send', 'retrieve', 'run', 'watch', 'tedeco-request', 'check-pes', 'rename', 'logs', 'diagnose', 'config']) {
      expect(r.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    }
    expect(r.stdout).toMatch(/^ {2}130 {2}interrupted/m);
  });

  it('diagnose --help describes --accept-new-host-key, in either language', () => {
    s = site();
    for (const [args, text] of [
      [['diagnose', '--help'], 'trust the SFTP server of this scenario'],
      [['--lang', 'fr', 'help', 'diagnose'], 'approuver le serveur SFTP de ce scénario'],
    ] as const) {
      const r = ordo([...args], { cwd: s.dir });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^ {2}--accept-new-host-key <sc[eé]nario> /m);
      expect(r.stdout.replace(/\s+/g, ' ')).toContain(text);
      expect(r.stdout).not.toContain('protocol.sftp');
    }
  });

  it('help in French with --lang fr (also written after the command)', () => {
    s = site();
    const r = ordo(['run', '--help', '--lang', 'fr'], { cwd: s.dir });
    expect(r.stdout).toMatch(/^Utilisation\u00a0: ordo run/);
    expect(r.stdout).toContain('Exemples\u00a0:');
    expect(r.stdout).toContain('Options globales\u00a0:');
  });

  it('help in French from LANG', () => {
    s = site();
    expect(ordo(['--help'], { cwd: s.dir, env: { LANG: 'fr_FR.UTF-8' } }).stdout).toContain('Codes de sortie\u00a0:');
  });
});

describe('start-up loads only what the command needs', () => {
  // A module loader hook records every module the process loads: --version and --help must not load
  // the configuration, the engine, the protocols or any dependency but commander. --help reads the
  // configuration's `lang` only (src/config/peek-lang.ts: its discovery, one bounded read); --version not even that.
  const loaded = modulesLoaded;

  let version = false;
  const allowed = (url: string) =>
    url.startsWith('node:') ||
    /\/bin\/ordo\.js$/.test(url) ||
    /\/dist\/(cli|commands\/options|commands\/help|commands\/help-terms|commands\/language|shared\/build-info)\.js$/.test(url) ||
    /\/dist\/i18n\//.test(url) ||
    (!version && /\/dist\/(config\/(peek-lang|discovery|limits|text-encoding)|shared\/(errors|exit-codes|abort|local-time|windows-1252))\.js$/.test(url)) ||
    /\/node_modules\/commander\//.test(url) ||
    /\/(hooks|register)\.mjs$/.test(url);

  it.each([[['--version']], [['--help']], [['scan', '--help']], [['config', 'check', '--help']]])('%j', (args) => {
    s = site();
    version = args.includes('--version');
    const urls = loaded(args, s.dir);
    expect(urls.some((u) => u.endsWith('/dist/cli.js'))).toBe(true);
    expect(urls.filter((u) => !allowed(u))).toEqual([]);
  });

  it('a run with nothing to do does not load child_process (a hook loads it when it runs)', () => {
    s = site();
    const urls = loaded(['run'], s.dir);
    expect(urls.some((u) => u.endsWith('/dist/commands/run.js'))).toBe(true);
    expect(urls.some((u) => u.endsWith('/dist/core/hooks.js'))).toBe(true);
    expect(urls.filter((u) => /^node:child_process$/.test(u))).toEqual([]);
  });

  it('(the trace does see what a real command loads)', () => {
    s = site();
    const urls = loaded(['config', 'check'], s.dir);
    expect(urls.some((u) => u.endsWith('/dist/config/load.js'))).toBe(true);
    expect(urls.some((u) => u.endsWith('/dist/commands/config-check.js'))).toBe(true);
  });
});

describe('usage errors: exit 2', () => {
  it.each([
    ['unknown command', ['sned']],
    ['unknown option before the command', ['--bogus', 'scan']],
    ['unknown option after the command', ['scan', '--bogus']],
    ['bad --lang', ['--lang', 'de', 'scan']],
    ['missing value', ['scan', '--config']],
    ['missing required option', ['logs', 'purge']],
    ['bad duration', ['logs', 'purge', '--older-than', 'soon']],
    ['bad watch interval', ['watch', '--interval', '-3']],
    ['too many arguments', ['config', 'check', 'extra']],
    ['unknown scenario', ['scan', 'NOPE']],
    ['no command', []],
  ])('%s', (_name, args) => {
    s = site();
    const r = ordo(args, { cwd: s.dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toBe('');
  });

  it('says what is wrong and where to look, with a suggestion', () => {
    s = site();
    const r = ordo(['scan', '--jsno'], { cwd: s.dir });
    expect(r.stderr).toBe('✖ Unknown option --jsno. Did you mean --json?\n  → See `ordo scan --help` for the options and examples.\n');
  });

  it('with --json, the usage error is the one JSON document', () => {
    s = site();
    const r = ordo(['--json', 'scan', '--bogus'], { cwd: s.dir });
    expect(r.code).toBe(2);
    expect(json(r.stdout)).toMatchObject({ ok: false, exitCode: 2, error: { code: 2, type: 'usage' } });
    expect(r.stderr).toBe('');
  });

  it('in French', () => {
    s = site();
    const r = ordo(['--lang', 'fr', 'logs', 'purge'], { cwd: s.dir });
    expect(r.stderr).toContain('L’option --older-than <durée> est obligatoire.');
  });
});

describe('global options before or after the command', () => {
  it.each([
    [['--json', 'scan']],
    [['scan', '--json']],
    [['--scenario', 'PES', 'scan', '--json']],
    [['scan', '--scenario', 'PES', '--json']],
    [['scan', 'PES', '--json']],
    [['--config', 'ordo.config.json', '--lang', 'en', 'scan', '--json']],
    [['scan', '--json', '-c', 'ordo.config.json']],
  ])('%j', (args) => {
    s = site();
    writeFileSync(join(s.source, 'a.xml'), 'a');
    const r = ordo(args, { cwd: s.dir });
    expect(r.code).toBe(0);
    expect(json(r.stdout).scenarios[0].files[0].name).toBe('a.xml');
  });

  it('positional scenarios and --scenario are merged', () => {
    s = site({}, {});
    const config = JSON.parse(readFileSync(join(s.dir, 'ordo.config.json'), 'utf8'));
    config.scenarios.OTHER = { ...config.scenarios.PES, source: './other', enabled: false };
    mkdirSync(join(s.dir, 'other'));
    s.writeConfig(config);
    const r = ordo(['--scenario', 'OTHER', 'scan', 'PES', '--json'], { cwd: s.dir });
    expect(json(r.stdout).scenarios.map((x: { scenario: string }) => x.scenario).sort()).toEqual(['OTHER', 'PES']);
  });

  it('--quiet, before or after: nothing on stdout or stderr when all is well', () => {
    s = site();
    for (const args of [['-q', 'config', 'check'], ['config', 'check', '--quiet'], ['run', '-q']]) {
      const r = ordo(args, { cwd: s.dir });
      expect([r.code, r.stdout, r.stderr]).toEqual([0, '', '']);
    }
  });
});

describe('config check', () => {
  const brokenIni = [
    '[general]',
    'root=./data',
    '[profile:VILLE]',
    'label=Ville',
    '[scenario:MANDATS]',
    'enabled=peut-etre',
    'profile=NOPE',
    'protocol=local',
    'source=./export',
    'backup.ifExists=renommer',
    'delays.send=abc',
    '',
  ].join('\r\n');

  it('a valid configuration', () => {
    s = site();
    const r = ordo(['config', 'check'], { cwd: s.dir });
    expect(r.code).toBe(0);
    // The test site takes files with settle: 0s, which config check accepts with a warning.
    expect(r.stdout).toMatch(/^✔ Configuration valid: ordo\.config\.json \(profiles: 1, scenarios: 1\)\.\n⚠ ordo\.config\.json:13:7 scenarios\.PES\.settle: /);
    expect(json(ordo(['config', 'check', '--json'], { cwd: s.dir }).stdout)).toMatchObject({ valid: true, profiles: 1, scenarios: 1, exitCode: 0 });
  });

  it('every problem of a broken automate.ini, each on its own line with file:line [section] key, exit 3', () => {
    s = site();
    writeFileSync(join(s.dir, 'automate.ini'), brokenIni);
    const r = ordo(['config', 'check', '--config', 'automate.ini'], { cwd: s.dir });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toBe('✖ Invalid configuration automate.ini — problems found: 4');
    expect(lines.slice(1).map((l) => l.replace(/: .*/, ''))).toEqual([
      '  automate.ini:6 [scenario:MANDATS] enabled',
      '  automate.ini:7 [scenario:MANDATS] profile',
      '  automate.ini:10 [scenario:MANDATS] backup.ifExists',
      '  automate.ini:11 [scenario:MANDATS] delays.send',
    ]);
    expect(lines[3]).toMatch(/renommer.* — .*overwrite/);
  });

  it('the same problems as JSON', () => {
    s = site();
    writeFileSync(join(s.dir, 'automate.ini'), brokenIni);
    const r = ordo(['--json', 'config', 'check', '-c', 'automate.ini'], { cwd: s.dir });
    expect(r.code).toBe(3);
    const doc = json(r.stdout);
    expect(doc).toMatchObject({ ok: false, exitCode: 3, error: { code: 3, type: 'config' } });
    expect(doc.error.problems.map((p: { line: number; key: string }) => [p.line, p.key])).toEqual([
      [6, 'scenarios.MANDATS.enabled'],
      [7, 'scenarios.MANDATS.profile'],
      [10, 'scenarios.MANDATS.backup.ifExists'],
      [11, 'scenarios.MANDATS.delays.send'],
    ]);
    expect(r.stderr).toBe('');
  });

  it('a JSON file that does not parse, and no configuration at all', () => {
    s = site();
    writeFileSync(join(s.dir, 'ordo.config.json'), '{ "root": "./data",\n  "profiles": { }\n  "scenarios": {} }');
    const bad = ordo(['config', 'check'], { cwd: s.dir });
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/^ {2}ordo\.config\.json:3:\d+: /m);
    const none = ordo(['config', 'check', '--config', join(s.dir, 'missing.ini')], { cwd: s.dir });
    expect(none.code).toBe(3);
    expect(none.stderr).toContain('missing.ini');
  });

  it('every command stops with 3 on a broken configuration', () => {
    s = site();
    writeFileSync(join(s.dir, 'automate.ini'), brokenIni);
    for (const command of [['scan'], ['send'], ['retrieve'], ['run'], ['logs', 'show']]) {
      expect(ordo([...command, '-c', 'automate.ini'], { cwd: s.dir }).code).toBe(3);
    }
  });

  it('problems in French with --lang fr', () => {
    s = site();
    writeFileSync(join(s.dir, 'automate.ini'), brokenIni);
    const r = ordo(['config', 'check', '-c', 'automate.ini', '--lang', 'fr'], { cwd: s.dir });
    expect(r.stderr).toMatch(/^✖ Configuration invalide automate\.ini — problèmes trouvés\u00a0: 4/);
  });
});

describe('config show', () => {
  it('masks a password given through ${ENV} (a secret key), as text and as JSON', () => {
    s = site({}, { profiles: { VILLE: { label: 'Ville', sftp: { host: '127.0.0.1', username: 'mairie', password: '${SFTP_PASSWORD}' } } } });
    const env = { SFTP_PASSWORD: 'Zorglub-Mairie-42' };
    const text = ordo(['config', 'show'], { cwd: s.dir, env });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^ {6}password: XXXXXXXX$/m);
    const doc = ordo(['config', 'show', '--json'], { cwd: s.dir, env });
    expect(json(doc.stdout).profiles.VILLE.sftp.password).toBe('XXXXXXXX');
    expect(text.stdout + text.stderr + doc.stdout + doc.stderr).not.toContain('Zorglub-Mairie-42');
  });

  it('masks a password given through ${ENV} inside another value', () => {
    s = site({ hooks: { before: 'vpn-connect.bat --password ${VPN_PASSWORD}' } });
    const env = { VPN_PASSWORD: 'Ch4rlotte-Mairie' };
    const text = ordo(['config', 'show'], { cwd: s.dir, env });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^root: .*ordo-data$/m);
    expect(text.stdout).toContain('before: vpn-connect.bat --password XXXXXXXX');
    const doc = ordo(['config', 'show', '--json'], { cwd: s.dir, env });
    expect(json(doc.stdout).scenarios.PES.hooks.before).toBe('vpn-connect.bat --password XXXXXXXX');
    expect(text.stdout + text.stderr + doc.stdout + doc.stderr).not.toContain('Ch4rlotte-Mairie');
  });
});

describe('logs', () => {
  it('logs show with no log yet: a clear message and its fix, exit 1', () => {
    s = site();
    const r = ordo(['logs', 'show'], { cwd: s.dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^✖ No run has written a log yet \(no last\.log in .*\)\.\n {2}→ Run `ordo run` once/);
    expect(ordo(['logs', 'show', '--lang', 'fr'], { cwd: s.dir }).stderr).toMatch(/Aucun passage n’a encore écrit de journal/);
  });

  it('logs show after a run, and logs purge', () => {
    s = site();
    writeFileSync(join(s.source, 'a.xml'), 'a');
    expect(ordo(['run', '-q'], { cwd: s.dir }).code).toBe(0);
    const shown = ordo(['logs', 'show'], { cwd: s.dir });
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/a\.xml/);
    writeFileSync(join(s.root, 'logs', '20200101.log'), 'old\n');
    const dry = ordo(['logs', 'purge', '--older-than', '30d', '--dry-run', '--json'], { cwd: s.dir });
    expect(json(dry.stdout).removed.map((x: { date: string }) => x.date)).toEqual(['20200101']);
    expect(existsSync(join(s.root, 'logs', '20200101.log'))).toBe(true);
    expect(ordo(['logs', 'purge', '--older-than', '30d'], { cwd: s.dir }).code).toBe(0);
    expect(existsSync(join(s.root, 'logs', '20200101.log'))).toBe(false);
    expect(existsSync(join(s.root, 'logs', 'last.log'))).toBe(true);
  });
});

describe('diagnose', () => {
  it('a fresh site: exit 0, every check as JSON', () => {
    s = site();
    const r = ordo(['diagnose', '--json'], { cwd: s.dir });
    expect(r.code).toBe(0);
    const doc = json(r.stdout);
    expect(doc.exitCode).toBe(0);
    expect(doc.checks.filter((c: { status: string }) => c.status === 'fail')).toEqual([]);
    expect(doc.checks.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining(['config', 'folders.root', 'disk', 'locks', 'local.target', 'local.inbox']));
    expect(r.stderr).toBe('');
  });

  it('a missing partner folder: ✖ with a fix, exit 6, and a redacted report', () => {
    s = site({ options: { target: './nowhere', inbox: './partner/out' }, hooks: { before: 'vpn.bat --password ${VPN_PASSWORD}' } });
    const env = { VPN_PASSWORD: 'Ch4rlotte-Mairie' };
    const r = ordo(['diagnose', 'PES', '--report', 'diagnostic.txt'], { cwd: s.dir, env });
    expect(r.code).toBe(6);
    expect(r.stdout).toMatch(/^✖ \[PES\] .*nowhere/m);
    expect(r.stdout).toMatch(/^Checks: \d+ \(✔ \d+, ⚠ \d+, ✖ 1\)$/m);
    const report = readFileSync(join(s.dir, 'diagnostic.txt'), 'utf8');
    expect(report).toContain(`ordo version: ${version}`);
    expect(report).toContain('== Effective configuration (secrets masked) ==');
    expect(report).toMatch(/✖ \[PES\] .*nowhere/);
    expect(report).not.toContain('Ch4rlotte-Mairie');
  });

  it('a configuration that does not load is a failing check (exit 6), in French too', () => {
    s = site();
    writeFileSync(join(s.dir, 'ordo.config.json'), '{ "root": "./data", "scenarios": { "A": { "protocol": "nope" } } }');
    const r = ordo(['diagnose', '--lang', 'fr'], { cwd: s.dir });
    expect(r.code).toBe(6);
    expect(r.stdout).toMatch(/^✖ Configuration\u00a0: /m);
    expect(r.stdout).toMatch(/^Vérifications\u00a0: /m);
  });
});

describe('commands that are wired to the engine', () => {
  it('send - with nothing piped in sends nothing (not everything scan would find)', () => {
    s = site();
    writeFileSync(join(s.source, 'a.xml'), 'a');
    const r = ordo(['send', '--scenario', 'PES', '-', '--json'], { cwd: s.dir, input: '' });
    expect(r.code).toBe(0);
    expect(json(r.stdout).files).toEqual([]);
    expect(existsSync(join(s.source, 'a.xml'))).toBe(true);
  });

  it('run --dry-run says what would be sent and changes nothing', () => {
    s = site();
    writeFileSync(join(s.source, 'a.xml'), 'a');
    const r = ordo(['run', '--dry-run'], { cwd: s.dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^○ PES: a\.xml would be sent$/m);
    expect(existsSync(join(s.source, 'a.xml'))).toBe(true);
  });

  it('retrieve --list lists and downloads nothing', () => {
    s = site();
    writeFileSync(join(s.inbox, 'ACK.xml'), 'ack');
    const r = ordo(['retrieve', '--list', '--json'], { cwd: s.dir });
    expect(r.code).toBe(0);
    expect(json(r.stdout).files.map((f: { status: string }) => f.status)).toEqual(['waiting']);
    expect(existsSync(join(s.inbox, 'ACK.xml'))).toBe(true);
  });

  it('rename --dry-run prints old → new', () => {
    s = site();
    writeFileSync(join(s.dir, 'RCT290G.txt'), 'r');
    const r = ordo(['rename', '--dry-run', '--format', 'LA[annee].020', 'RCT290G.txt'], { cwd: s.dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^○ RCT290G\\.txt → LA${new Date().getFullYear()}\\.020$`, 'm'));
    expect(existsSync(join(s.dir, 'RCT290G.txt'))).toBe(true);
  });

  it('watch stops on SIGINT after the cycle in progress, exit 130', async () => {
    s = site();
    const child = ordoAsync(['watch', '--interval', '200ms', '--json'], { cwd: s.dir });
    let exited = false;
    const done = waitExit(child).finally(() => (exited = true));
    // --json prints nothing until the end: the run's log says when a first cycle is over (the signal
    // handlers are installed before the engine opens, so SIGINT is then ordo's to handle).
    const log = join(s.root, 'logs', 'last.log');
    await waitFor(() => existsSync(log) && /End of cycle/.test(readFileSync(log, 'utf8')), {
      what: 'the end of a first watch cycle in logs/last.log',
      gaveUp: () => (exited ? 'ordo watch exited on its own' : undefined),
    });
    child.kill('SIGINT');
    const r = await done;
    expect(r.signal, 'ended by its own handler, not by the signal').toBeNull();
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/Stopping after the file in progress/);
    const result = json(r.stdout);
    expect(result).toMatchObject({ command: 'watch', interrupted: true, exitCode: 130 });
    expect(result.cycles).toBeGreaterThanOrEqual(1);
  });
});

describe('tedeco-request', () => {
  it('is wired: without --scenario it is a usage error that says how to call it', () => {
    s = site();
    const r = ordo(['tedeco-request', 'EC202412.txt'], { cwd: s.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--scenario/);
    expect(json(ordo(['tedeco-request', 'EC202412.txt', '--json'], { cwd: s.dir }).stdout)).toMatchObject({ ok: false, exitCode: 2 });
  });
});

describe('language and colour', () => {
  it('the configuration’s lang applies when --lang is not given; --lang wins', () => {
    s = site({}, { lang: 'fr' });
    expect(ordo(['config', 'check'], { cwd: s.dir }).stdout).toMatch(/^✔ Configuration valide/);
    expect(ordo(['config', 'check', '--lang', 'en'], { cwd: s.dir }).stdout).toMatch(/^✔ Configuration valid/);
  });

  it('no colour when not a terminal; FORCE_COLOR forces it', () => {
    s = site();
    expect(ordo(['config', 'check'], { cwd: s.dir }).stdout).not.toMatch(/\u001b\[/);
    expect(ordo(['config', 'check'], { cwd: s.dir, env: { FORCE_COLOR: '1', NO_COLOR: '' } }).stdout).toMatch(/\u001b\[32m✔/);
  });
});
