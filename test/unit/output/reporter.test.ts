// Where output goes (stdout/stderr, --quiet, --json), colour only where it belongs, secrets never shown.
import { CommanderError } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { setLang } from '../../../src/i18n/index.js';
import { ConfigError, LockHeldError } from '../../../src/shared/errors.js';
import { registerSecret } from '../../../src/shared/redact.js';
import type { CycleResult } from '../../../src/core/results.js';
import { jsonText } from '../../../src/output/json.js';
import { Reporter } from '../../../src/output/reporter.js';
import { colorEnabled } from '../../../src/output/terminal.js';

const SECRET = 'Tr3sS3cret!';
registerSecret(SECRET);
const ANSI = /\u001b\[/;

interface Captured {
  text: string;
  isTTY: boolean;
  write(chunk: string): boolean;
}

function stream(isTTY = false): Captured {
  return { text: '', isTTY, write(chunk: string) { this.text += chunk; return true; } };
}

function reporter(options: { json?: boolean; quiet?: boolean; verbose?: boolean; tty?: boolean; env?: NodeJS.ProcessEnv } = {}) {
  const stdout = stream(options.tty);
  const stderr = stream(options.tty);
  const out = new Reporter({
    json: options.json ?? false,
    quiet: options.quiet ?? false,
    verbose: options.verbose ?? false,
    stdout,
    stderr,
    env: options.env ?? {},
    cwd: '/site',
  });
  return { out, stdout, stderr };
}

function result(): CycleResult {
  return {
    command: 'run',
    dryRun: false,
    startedAt: '2024-12-03T09:00:00.000Z',
    endedAt: '2024-12-03T09:00:01.000Z',
    files: [
      { scenario: 'PES', direction: 'send', name: 'ok.xml', status: 'sent', size: 3, remoteId: `sftp://agent:${SECRET}@host/ok.xml` },
      { scenario: 'PES', direction: 'send', name: 'ko.xml', status: 'failed', reason: `login agent/${SECRET} refused` },
    ],
    problems: [{ scenario: 'PES', message: `https://agent:${SECRET}@gw.example/depot-xt unreachable`, fix: `check the password ${SECRET}`, connection: true }],
    interrupted: false,
    exitCode: 1,
  };
}

afterEach(() => setLang('en'));

describe('colour', () => {
  it('only on a TTY, never with NO_COLOR, always with FORCE_COLOR (unless 0)', () => {
    expect(colorEnabled({ isTTY: true }, {})).toBe(true);
    expect(colorEnabled({ isTTY: false }, {})).toBe(false);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(colorEnabled({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(colorEnabled({ isTTY: true }, { FORCE_COLOR: '0' })).toBe(false);
    expect(colorEnabled({ isTTY: false }, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(true);
  });

  it('no escape codes when the streams are not terminals, or with NO_COLOR', () => {
    for (const r of [reporter(), reporter({ tty: true, env: { NO_COLOR: '1' } })]) {
      r.out.cycle(result());
      expect(r.stdout.text + r.stderr.text).not.toMatch(ANSI);
      expect(r.stdout.text).toContain('✔ PES: ok.xml sent');
    }
  });

  it('colours the marks on a terminal', () => {
    const r = reporter({ tty: true });
    r.out.cycle(result());
    expect(r.stdout.text).toMatch(ANSI);
  });
});

describe('routing', () => {
  it('human: files transferred and the summary on stdout, what failed and the problems on stderr, each once', () => {
    const r = reporter();
    r.out.cycle(result());
    expect(r.stdout.text).toMatch(/^✔ [^\n]*ok\.xml sent[^\n]*\nDone:[^\n]*\n$/);
    expect(r.stdout.text).not.toMatch(/ko\.xml|unreachable/);
    expect(r.stderr.text).toMatch(/^✖ [^\n]*ko\.xml refused[^\n]*\n✖ PES: https:\/\/agent:XXXXXXXX@gw\.example\/depot-xt unreachable\n {2}→ check the password XXXXXXXX\n$/);
  });

  it('--quiet: nothing on stdout, only what failed on stderr', () => {
    const r = reporter({ quiet: true });
    r.out.cycle(result());
    expect(r.stdout.text).toBe('');
    expect(r.stderr.text).toMatch(/ko\.xml refused/);
    expect(r.stderr.text).not.toMatch(/ok\.xml|Done/);
  });

  it('--quiet keeps the data a command was asked for (scan paths)', () => {
    const r = reporter({ quiet: true });
    r.out.scan({
      scenarios: [{ scenario: 'PES', source: '/x', unreadable: [], files: [{ scenario: 'PES', path: '/x/a.xml', name: 'a.xml', size: 1, mtimeMs: 0, ready: true }] }],
      problems: [],
      exitCode: 0,
    });
    expect(r.stdout.text).toBe('/x/a.xml\n');
  });

  it('a long listing is written in parts as it is made, every line whole and in order, the problems after it', () => {
    const writes: string[] = [];
    const r = reporter();
    const write = r.stdout.write.bind(r.stdout);
    r.stdout.write = (chunk: string) => {
      writes.push(chunk);
      return write(chunk);
    };
    const files = Array.from({ length: 5000 }, (_, n) => {
      const name = `PES_${String(n).padStart(6, '0')}.xml`;
      return { scenario: 'PES', path: `/srv/export/${name}`, name, size: 1, mtimeMs: 0, ready: true };
    });
    r.out.scan({ scenarios: [{ scenario: 'PES', source: '/srv/export', unreadable: ['/srv/export/locked'], files }], problems: [], exitCode: 0 });
    expect(r.stdout.text).toBe(files.map((f) => `${f.path}\n`).join(''));
    expect(writes.length).toBeGreaterThan(1);
    for (const part of writes) {
      expect(part.endsWith('\n')).toBe(true);
      expect(part.length).toBeLessThan(64 * 1024 + 100);
    }
    expect(r.stderr.text).toContain('/srv/export/locked');
  });

  it('scan --json: each file with its date in ISO 8601 (`mtime`), as documented', () => {
    const r = reporter({ json: true });
    const mtimeMs = Date.parse('2024-12-03T09:00:00.000Z');
    r.out.scan({
      scenarios: [{ scenario: 'PES', source: '/x', unreadable: [], files: [{ scenario: 'PES', path: '/x/a.xml', name: 'a.xml', size: 1, mtimeMs, ready: false, why: 'still changing' }] }],
      problems: [],
      exitCode: 0,
    });
    const document = JSON.parse(r.stdout.text) as { scenarios: Array<{ files: unknown[] }> };
    expect(document.scenarios[0]!.files).toEqual([{ scenario: 'PES', path: '/x/a.xml', name: 'a.xml', size: 1, mtime: '2024-12-03T09:00:00.000Z', ready: false, why: 'still changing' }]);
  });

  it('--json masks secret-looking keys at any depth, known secrets and URL credentials in every string', () => {
    registerSecret('jeton-tres-secret');
    const text = jsonText({
      profiles: [{ sftp: { password: 'motdepasse', apiToken: 1234, passphrase: '', user: 'agent' } }],
      notes: ['appel avec jeton-tres-secret', 'https://agent:pw@gw.example/depot?token=abc&x=1'],
    });
    const document = JSON.parse(text) as unknown;
    expect(document).toEqual({
      profiles: [{ sftp: { password: 'XXXXXXXX', apiToken: 'XXXXXXXX', passphrase: '', user: 'agent' } }],
      notes: ['appel avec XXXXXXXX', 'https://agent:XXXXXXXX@gw.example/depot?token=XXXXXXXX&x=1'],
    });
  });

  it('--json: exactly one JSON document on stdout, nothing on stderr', () => {
    const r = reporter({ json: true });
    r.out.cycle(result());
    const doc = JSON.parse(r.stdout.text) as CycleResult;
    expect(doc.exitCode).toBe(1);
    expect(doc.files.map((f) => f.status)).toEqual(['sent', 'failed']);
    expect(r.stderr.text).toBe('');
  });

  it('watch cycles print nothing with --json (the one document comes at the end)', () => {
    const r = reporter({ json: true });
    r.out.watchCycle({ cycle: 1, result: result() });
    r.out.watchEnd(result(), 1);
    expect(JSON.parse(r.stdout.text)).toMatchObject({ command: 'run', cycles: 1 });
  });
});

describe('secrets are masked in every rendered string', () => {
  it.each([
    ['human', {}],
    ['quiet', { quiet: true }],
    ['verbose', { verbose: true }],
    ['json', { json: true }],
  ])('%s', (_mode, options) => {
    const r = reporter(options);
    r.out.cycle(result());
    r.out.configShow({ profiles: { VILLE: { xfb: { url: 'https://gw', password: 'any-password-value', token: 'tok-123456' } } } });
    r.out.failure(new Error(`cannot open sftp://agent:${SECRET}@host`));
    r.out.failure(new ConfigError([{ file: '/site/a.ini', key: 'x', message: `bad value ${SECRET}`, fix: SECRET }]));
    r.out.notice(`stopping ${SECRET}`);
    const all = r.stdout.text + r.stderr.text;
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain(encodeURIComponent(SECRET));
    expect(all).not.toContain('any-password-value');
    expect(all).not.toContain('tok-123456');
  });
});

describe('failures', () => {
  it('a configuration error lists every problem on its own line (human) and as problems (JSON), exit 3', () => {
    const error = new ConfigError([
      { file: '/site/automate.ini', line: 14, section: 'scenario:MANDATS', key: 'scenarios.MANDATS.backup.ifExists', message: 'not accepted', fix: 'overwrite | rename | keep | fail' },
      { file: '/site/automate.ini', line: 20, section: 'profile:VILLE', key: 'profiles.VILLE.label', message: 'empty' },
    ]);
    const human = reporter();
    expect(human.out.failure(error)).toBe(3);
    expect(human.stdout.text).toBe('');
    expect(human.stderr.text.split('\n')).toEqual([
      '✖ Invalid configuration automate.ini — problems found: 2',
      '  automate.ini:14 [scenario:MANDATS] backup.ifExists: not accepted — overwrite | rename | keep | fail',
      '  automate.ini:20 [profile:VILLE] label: empty',
      '',
    ]);
    const json = reporter({ json: true });
    expect(json.out.failure(error)).toBe(3);
    const doc = JSON.parse(json.stdout.text);
    expect(doc).toMatchObject({ ok: false, exitCode: 3, error: { code: 3, type: 'config' } });
    expect(doc.error.problems).toHaveLength(2);
    expect(doc.error.problems[0]).toMatchObject({ file: '/site/automate.ini', line: 14, section: 'scenario:MANDATS', key: 'scenarios.MANDATS.backup.ifExists' });
    expect(json.stderr.text).toBe('');
  });

  it('usage errors are translated, with the command’s help as the fix, exit 2', () => {
    setLang('fr');
    const r = reporter();
    const code = r.out.failure(new CommanderError(1, 'commander.unknownOption', "error: unknown option '--jsno'\n(Did you mean --json?)"), 'Voir `ordo scan --help`.');
    expect(code).toBe(2);
    expect(r.stderr.text).toBe('✖ Option inconnue\u00a0: --jsno. Vouliez-vous dire --json\u00a0?\n  → Voir `ordo scan --help`.\n');
  });

  it('an invalid choice says what is accepted', () => {
    const r = reporter({ json: true });
    r.out.failure(new CommanderError(1, 'commander.invalidArgument', "error: option '--lang <lang>' argument 'de' is invalid. Allowed choices are fr, en."));
    expect(JSON.parse(r.stdout.text).error.message).toBe('Invalid value “de” for --lang <lang>. Accepted values: fr, en.');
  });

  it('a held lock names the holder, exit 5, and JSON carries the owner', () => {
    const r = reporter({ json: true });
    expect(r.out.failure(new LockHeldError('/d/locks/scenario-PES.lock', { pid: 4242, host: 'srv-mairie', since: '2024-12-03T09:00:00Z' }))).toBe(5);
    const doc = JSON.parse(r.stdout.text);
    expect(doc.error.message).toContain('4242');
    expect(doc.error.lock).toMatchObject({ pid: 4242, host: 'srv-mairie' });
  });

  it('an unexpected error says "internal error", exit 1, the stack only with -v', () => {
    const plain = reporter();
    expect(plain.out.failure(new TypeError('x is not a function'))).toBe(1);
    expect(plain.stderr.text).toMatch(/^✖ Internal error: x is not a function\n {2}→ .*-v/);
    expect(plain.stderr.text).not.toMatch(/at /);
    const verbose = reporter({ verbose: true });
    verbose.out.failure(new TypeError('x is not a function'));
    expect(verbose.stderr.text).toMatch(/TypeError: x is not a function\n\s+at /);
  });
});
