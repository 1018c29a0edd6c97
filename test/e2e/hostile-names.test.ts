// Names chosen by a partner (or by whoever drops files in a folder) must not drive the terminal, forge
// a line of the log or become an option of the next command: they are escaped wherever ordo prints or
// logs them, exact in --json, and made safe as local names.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ordo, site, type Site } from '../helpers/cli.js';

let s: Site | undefined;
afterEach(() => s?.cleanup());

const HOSTILE = [
  '\u001b]0;pwned\u0007title.xml',
  'clear\u001b[2J.xml',
  'line\nINFO  forged.xml',
  '-rf',
  'invoice\u202Efdp.exe',
];

/** Any character a terminal or a log reader acts on (C0, DEL, C1, line separators, bidi controls). */
const RAW_CONTROL = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/;
/** Every log line is ordo's: a time stamp, a level, a message. */
const LOG_LINE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d (DEBUG|INFO |WARN |ERROR) /;

function dropHostileFiles(folder: string): void {
  for (const name of HOSTILE) writeFileSync(join(folder, name), `content of ${JSON.stringify(name)}`);
}

function expectClean(text: string): void {
  expect(text).not.toMatch(RAW_CONTROL);
}

describe('hostile names from a partner (local protocol)', () => {
  it('retrieve --list: escaped in human text, exact in --json', () => {
    s = site();
    dropHostileFiles(s.inbox);
    const human = ordo(['retrieve', '--list'], { cwd: s.dir });
    expect(human.code).toBe(0);
    expectClean(human.stdout);
    expectClean(human.stderr);
    expect(human.stdout).toContain('invoice\\u202efdp.exe');
    expect(human.stdout).toMatch(/ -rf waiting/);

    const json = ordo(['retrieve', '--list', '--json'], { cwd: s.dir });
    expect(json.code).toBe(0);
    expectClean(json.stdout);
    const names = (JSON.parse(json.stdout) as { files: Array<{ name: string }> }).files.map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['invoice\u202Efdp.exe', '-rf']));
    for (const name of names) expect(HOSTILE).toContain(name);
  });

  it('retrieve: no raw control character on the terminal or in logs/last.log, no forged log line, safe local names', () => {
    s = site({ naming: { timestamp: false } });
    dropHostileFiles(s.inbox);
    const r = ordo(['retrieve', '-v'], { cwd: s.dir });
    expect(r.code).toBe(0);
    expectClean(r.stdout);
    expectClean(r.stderr);
    expectLog(readFileSync(join(s.root, 'logs', 'last.log'), 'utf8'));

    const received = readdirSync(join(s.root, 'recus', 'VILLE'));
    for (const name of received) {
      expect(name).not.toMatch(RAW_CONTROL);
      expect(name).not.toMatch(/^-/);
    }
    expect(received).toEqual(expect.arrayContaining(['_-rf', 'invoicefdp.exe']));
  });

  it('scan: piped, one absolute path per line (a relative source too), escaped; exact in --json', () => {
    s = site();
    dropHostileFiles(s.source);
    const piped = ordo(['scan'], { cwd: s.dir });
    expect(piped.code).toBe(0);
    expectClean(piped.stdout);
    const paths = piped.stdout.trimEnd().split('\n');
    expect(paths).toHaveLength(HOSTILE.length);
    for (const path of paths) expect(path.startsWith(join(s.source, '/'))).toBe(true);
    expect(paths).toContain(join(s.source, '-rf'));
    expect(paths).toContain(join(s.source, 'line\\nINFO  forged.xml'));

    const json = ordo(['scan', '--json'], { cwd: s.dir });
    const files = (JSON.parse(json.stdout) as { scenarios: Array<{ files: Array<{ name: string }> }> }).scenarios[0]?.files ?? [];
    expect(files.map((f) => f.name).sort()).toEqual([...HOSTILE].sort());
  });

  it('send: every name is reported and logged escaped, and no name forges a log line', () => {
    s = site();
    dropHostileFiles(s.source);
    const r = ordo(['send', '--no-retrieve'], { cwd: s.dir });
    expect([0, 1]).toContain(r.code);
    expectClean(r.stdout);
    expectClean(r.stderr);
    // Not sendable as it is named (a refused file is a problem: stderr, once).
    expect(r.stderr).toContain('line\\nINFO  forged.xml');
    expect(r.stdout).not.toContain('forged.xml');
    const log = readFileSync(join(s.root, 'logs', 'last.log'), 'utf8');
    expectLog(log);
    expect(log).toContain('line\\nINFO  forged.xml');
  });
});

/** Clean, and every line is one of ordo's: none starts with what a name brought in. */
function expectLog(log: string): void {
  expectClean(log);
  const lines = log.trimEnd().split('\n');
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) expect(line).toMatch(LOG_LINE);
  expect(lines.filter((line) => /^INFO {2}forged/.test(line))).toEqual([]);
}
