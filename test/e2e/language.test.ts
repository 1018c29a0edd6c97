// The language ordo speaks (docs/cli.md, "Language"): --lang, else the configuration's `lang` — read
// before any message, even from a file that does not load — else ORDO_LANG, else the system's locale,
// else French. French output follows French typography and leaves no English word behind.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ordo, site, type Site } from '../helpers/cli.js';

let s: Site | undefined;
afterEach(() => s?.cleanup());

/** No language chosen by the test: what a Windows service or the Task Scheduler gives ordo. */
const NO_LOCALE = { LANG: '' };

describe('which language', () => {
  it('French when nothing says otherwise (no LANG, or the C locale)', () => {
    s = site();
    expect(ordo(['config', 'check'], { cwd: s.dir, env: NO_LOCALE }).stdout).toMatch(/^✔ Configuration valide/);
    expect(ordo(['config', 'check'], { cwd: s.dir, env: { LANG: 'C.UTF-8' } }).stdout).toMatch(/^✔ Configuration valide/);
    expect(ordo(['config', 'check'], { cwd: s.dir, env: { LANG: 'en_GB.UTF-8' } }).stdout).toMatch(/^✔ Configuration valid:/);
  });

  it('ORDO_LANG comes before the locale; the configuration before ORDO_LANG; --lang before all', () => {
    s = site();
    expect(ordo(['config', 'check'], { cwd: s.dir, env: { ORDO_LANG: 'en', LANG: 'fr_FR.UTF-8' } }).stdout).toMatch(/^✔ Configuration valid:/);
    s.cleanup();
    s = site({}, { lang: 'fr' });
    expect(ordo(['config', 'check'], { cwd: s.dir, env: { ORDO_LANG: 'en' } }).stdout).toMatch(/^✔ Configuration valide/);
    expect(ordo(['config', 'check', '--lang', 'en'], { cwd: s.dir, env: { ORDO_LANG: 'fr' } }).stdout).toMatch(/^✔ Configuration valid:/);
  });

  it('a configuration that does not load still names its language (exit 3 in French)', () => {
    s = site();
    writeFileSync(join(s.dir, 'ordo.config.json'), '{\n  "lang": "fr",\n  "root": "./data",\n  "scenarios": { "A": { "protocol": "nope" } }\n}\n');
    const r = ordo(['run'], { cwd: s.dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^✖ Configuration invalide/);
    writeFileSync(join(s.dir, 'ordo.config.json'), '{\n  "lang": "fr",\n  "root": "./data",\n  oops\n}\n');
    expect(ordo(['run'], { cwd: s.dir }).stderr).toMatch(/^✖ Configuration invalide/);
  });

  it('automate.ini: [general] lang=fr governs its own errors, named with --config', () => {
    s = site();
    writeFileSync(join(s.dir, 'automate.ini'), '[general]\nroot=./data\nlang=fr\nlangue=oui\n');
    const r = ordo(['config', 'check', '-c', 'automate.ini'], { cwd: s.dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^✖ Configuration invalide/);
  });

  it('usage errors follow the configuration’s language: unknown option, tedeco-request without --scenario, missing argument', () => {
    s = site({}, { lang: 'fr' });
    const unknown = ordo(['scan', '--bogus'], { cwd: s.dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^✖ Option inconnue\u00a0: --bogus\./);
    expect(unknown.stderr).toContain('Voir `ordo scan --help`');
    const tedeco = ordo(['tedeco-request', 'EC202412.txt'], { cwd: s.dir });
    expect(tedeco.code).toBe(2);
    expect(tedeco.stderr).toMatch(/Indiquez le scénario/);
    const missing = ordo(['rename'], { cwd: s.dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^✖ Argument manquant\u00a0: fichier\./);
  });

  it('the help follows the configuration’s language; --version reads no configuration', () => {
    s = site({}, { lang: 'fr' });
    const help = ordo(['send', '--help'], { cwd: s.dir });
    expect(help.stdout).toMatch(/^Utilisation\u00a0: ordo send \[options\] \[fichier\.\.\.\]$/m);
    expect(help.stdout).toMatch(/--config <chemin>/);
    writeFileSync(join(s.dir, 'ordo.config.json'), '\u0000');
    expect(ordo(['--version'], { cwd: s.dir }).code).toBe(0);
  });
});

describe('French as French people write it (sizes and dates: also test/unit/i18n/language.test.ts)', () => {
  it('a stale lock taken over: its holder’s time in local time, JJ/MM/AAAA in French (not ISO UTC)', () => {
    s = site({}, { lang: 'fr' });
    const locks = join(s.root, 'locks');
    mkdirSync(locks, { recursive: true });
    // A process of this host that no longer runs: the lock is stale.
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    writeFileSync(join(locks, 'scenario-PES.lock'), JSON.stringify({ pid: gone, host: hostname(), since: '2026-12-02T10:40:05.000Z', command: 'run' }));
    writeFileSync(join(s.source, 'a.xml'), 'a');
    const r = ordo(['send', '--scenario', 'PES'], { cwd: s.dir, env: { TZ: 'Europe/Paris' } });
    expect(r.code).toBe(0);
    const log = readFileSync(join(s.root, 'logs', 'last.log'), 'utf8');
    expect(log).toContain('depuis 02/12/2026 11:40 +01:00');
    expect(log + r.stdout + r.stderr).not.toContain('2026-12-02T10:40:05');
  });

  it('a duplicate: the date of the first send in local time, in both languages', () => {
    s = site({}, { lang: 'fr' });
    writeFileSync(join(s.source, 'a.xml'), 'même contenu');
    expect(ordo(['send', '--scenario', 'PES'], { cwd: s.dir }).code).toBe(0);
    writeFileSync(join(s.source, 'b.xml'), 'même contenu');
    const fr = ordo(['send', '--scenario', 'PES'], { cwd: s.dir });
    expect(fr.stdout + fr.stderr).toMatch(/b\.xml .* le \d\d\/\d\d\/\d{4} \d\d:\d\d [+-]\d\d:\d\d/);
    expect(fr.stdout + fr.stderr).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
  });

  it('no English word left in French output: run, failure, diagnose of an interrupted send, logs, errors', () => {
    s = site({ options: { target: './nowhere', inbox: './partner/out' } }, { lang: 'fr' });
    writeFileSync(join(s.source, 'a.xml'), 'a');
    const outputs: string[] = [];
    const keep = (args: string[]) => {
      const r = ordo(args, { cwd: s!.dir });
      outputs.push(`$ ordo ${args.join(' ')}\n${r.stdout}${r.stderr}`);
      return r;
    };
    expect(keep(['run']).code).not.toBe(0);
    // A send left in state "sending" by a run that died, its file no longer queued.
    const journal = join(s.root, 'journal');
    mkdirSync(journal, { recursive: true });
    const now = new Date();
    const month = `${now.getFullYear()}${String(now.getMonth() + 1).padStart(2, '0')}`;
    const line = { time: now.toISOString(), run: 'r1', scenario: 'PES', direction: 'send', state: 'sending', file: 'b.xml', path: join(s.root, 'queue', 'PES', 'b.xml') };
    writeFileSync(join(journal, `${month}.jsonl`), `${JSON.stringify(line)}\n`, { flag: 'a' });
    keep(['diagnose']);
    keep(['logs', 'show']);
    keep(['scan']);
    keep(['send', '--scenario', 'NOPE', 'a.xml']);
    keep(['retrieve', '--list']);
    keep(['tedeco-request', 'x.txt']);
    keep(['rename']);
    keep(['logs', 'purge']);
    const all = outputs.join('\n');
    expect(all).toMatch(/état «\u00a0en cours d’envoi\u00a0»/);
    expect(all).toMatch(/Espace disque libre pour .*\d\u00a0(Gio|Mio|Tio)/);
    expect(all).toMatch(/a\.xml est en file d’attente après un échec le \d\d\/\d\d\/\d{4} \d\d:\d\d /);
    // What is not prose stays as written: paths and configuration keys (failed/PES, options.target), the
    // command lines and options quoted, file extensions, and the log files' documented line prefix (stamp, level).
    const prose = (l: string) =>
      l
        .replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d (DEBUG|INFO |WARN |ERROR) /, '')
        .replace(/\S*\/\S*/g, '')
        .replace(/\b(options|retries|settle|doneMarker)\.?\w*/g, '')
        .replace(/`[^`]*`|\$ ordo .*|--[\w-]+|\.\w+/g, '');
    const english = /\b(sending|queued|sent|failed|pending|deferred|uncertain|error|warning|files?(?! d’attente)|nothing|scenario|see|usage|done|checks|not found|would be|missing|unknown|the|of|and)\b/i;
    const leaks = all.split('\n').filter((l) => english.test(prose(l)));
    expect(leaks).toEqual([]);
  });
});
