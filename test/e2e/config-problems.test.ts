// What a configuration must say when it is wrong, through bin/ordo as a cron job runs it: a file with
// no scenario is an error (never a quiet "nothing to do"), JSON and YAML problems name their line and
// column, a binary file is one line, and hconnect.ini lines Windows ignores are ignored with a warning.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cp1252 } from '../helpers/automate-ini.js';
import { ordo, site, type Site } from '../helpers/cli.js';
import { EXAMPLES } from '../../src/config/scenarios-declared.js';

let s: Site | undefined;
afterEach(() => s?.cleanup());

interface JsonProblem {
  file: string;
  key: string;
  line?: number;
  column?: number;
  message: string;
  fix?: string;
  example?: string[];
}

function problemsOf(stdout: string): JsonProblem[] {
  return (JSON.parse(stdout) as { error: { problems: JsonProblem[] } }).error.problems;
}

/** A site whose only configuration file is `name`, holding `content`. */
function siteWith(name: string, content: string | Buffer): Site {
  const created = site();
  writeFileSync(join(created.dir, name), content);
  return created;
}

describe('a configuration that declares no scenario', () => {
  it('{} stops every command that acts on scenarios with exit 3 and a JSON example; diagnose fails (exit 6); config show does not', () => {
    s = site();
    s.writeConfig({});
    for (const args of [['run'], ['send'], ['retrieve'], ['scan'], ['watch'], ['config', 'check']]) {
      const r = ordo([...args, '--json'], { cwd: s.dir });
      expect([args, r.code]).toEqual([args, 3]);
      const [problem, ...others] = problemsOf(r.stdout);
      expect(others).toEqual([]);
      expect(problem?.message).toBe('This file declares no scenario: ordo would have nothing to do.');
      expect(problem?.example?.join('\n')).toContain('"MANDATS": { "profile": "VILLE", "protocol": "local"');
    }
    const human = ordo(['run'], { cwd: s.dir });
    expect(human.code).toBe(3);
    expect(human.stdout).not.toMatch(/nothing to do/i);
    expect(human.stderr).toMatch(/^ {2}ordo\.config\.json: This file declares no scenario: .* — Declare at least one scenario under "scenarios" \(docs\/configuration\.md\), for example:\n {6}\{\n {8}"profiles": /m);

    const diagnose = ordo(['diagnose'], { cwd: s.dir });
    expect(diagnose.code).toBe(6);
    expect(diagnose.stdout).toMatch(/✖ .*declares no scenario/);

    // config show acts on no scenario: it still shows the file.
    const show = ordo(['config', 'show'], { cwd: s.dir });
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/^scenarios: \{\}$/m);

    // Declared but all disabled is not this mistake: run has nothing to do.
    s.cleanup();
    s = site({ enabled: false });
    expect(ordo(['run'], { cwd: s.dir }).code).toBe(0);
  });

  it('an INI of comments only, and a historical automate.ini with only [DIR:…] sections, show an INI example', () => {
    for (const content of ['; automate.ini\r\n; rien ici\r\n', '[DIR:REC]\r\nnumrec=0041\r\n[DIR:EMISSION]\r\nchemin=C:\\taskauto\\emis\r\n']) {
      s?.cleanup();
      s = site();
      writeFileSync(join(s.dir, 'automate.ini'), cp1252(content));
      const read = ordo(['run', '--config', 'automate.ini', '--json'], { cwd: s.dir });
      expect(read.code).toBe(3);
      const [problem, ...others] = problemsOf(read.stdout);
      expect(others).toEqual([]);
      expect(problem?.message).toMatch(/declares no scenario/);
      expect(problem?.fix).toContain('[scenario:NAME]');
      expect(problem?.example).toEqual(expect.arrayContaining(['[scenario:MANDATS]', 'profile=VILLE', 'protocol=local']));
    }
  });

  it('a YAML file of comments only shows a YAML example, in French too', () => {
    s = siteWith('ordo.config.yaml', '# à remplir\n');
    const r = ordo(['run', '--config', 'ordo.config.yaml', '--lang', 'fr'], { cwd: s.dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/ordo\.config\.yaml\s?: Ce fichier ne déclare aucun scénario\u00a0: .* — Déclarez au moins un scénario sous scenarios .*par exemple\u00a0:\n {6}profiles:\n {8}VILLE: \{ label: Ville de Saint-Exemple \}\n {6}scenarios:\n {8}MANDATS:\n/);
  });

  it('each example loads as written, in its own syntax', () => {
    for (const [name, format] of [['ordo.config.json', 'json'], ['ordo.config.yaml', 'yaml'], ['ordo.ini', 'ini']] as const) {
      s?.cleanup();
      s = siteWith(name, '');
      writeFileSync(join(s.dir, name), `${EXAMPLES[format].join('\n')}\n`);
      const r = ordo(['config', 'check', '--config', name], { cwd: s.dir });
      expect([name, r.code, r.stderr]).toEqual([name, 0, expect.any(String)]);
    }
  });
});

describe('JSON and YAML problems name line and column', () => {
  it('a JSON syntax error is placed at file:line:column, the same on every Node version', () => {
    s = siteWith('ordo.config.json', '{\n  "root": "./data",\n  "scenarios": {\n    "PES": { "profile": "VILLE", },\n  }\n}\n');
    const r = ordo(['config', 'check'], { cwd: s.dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^ {2}ordo\.config\.json:4:34: This file is not valid JSON \(line 4, column 34\): a key in double quotes is expected\. — /m);
  });

  it('JSON schema problems are placed at the key, line and column, in text and in --json', () => {
    s = site({ backup: { ifExists: 'renommer' }, sourc: './export' });
    // site() writes JSON.stringify(config, null, 2): a scenario's keys are indented by 6 spaces.
    const written = readFileSync(join(s.dir, 'ordo.config.json'), 'utf8').split('\n');
    const lineOf = (text: string) => written.findIndex((l) => l.includes(text)) + 1;
    const r = ordo(['config', 'check'], { cwd: s.dir });
    expect(r.code).toBe(3);
    expect(r.stderr.trimEnd().split('\n').slice(1)).toEqual([
      expect.stringMatching(new RegExp(`^ {2}ordo\\.config\\.json:${lineOf('"ifExists"')}:9 scenarios\\.PES\\.backup\\.ifExists: The value "renommer"`)),
      expect.stringMatching(new RegExp(`^ {2}ordo\\.config\\.json:${lineOf('"sourc"')}:7 scenarios\\.PES\\.sourc: Unknown key scenarios\\.PES\\.sourc\\. — Did you mean scenarios\\.PES\\.source\\?`)),
    ]);
    const problems = problemsOf(ordo(['config', 'check', '--json'], { cwd: s.dir }).stdout);
    expect(problems.map((p) => [p.key, p.line, p.column])).toEqual([
      ['scenarios.PES.backup.ifExists', lineOf('"ifExists"'), 9],
      ['scenarios.PES.sourc', lineOf('"sourc"'), 7],
    ]);
  });

  it('YAML syntax errors and schema problems are placed at line and column', () => {
    const yaml = ['profiles:', '  VILLE: {}', 'scenarios:', '  PES:', '    profile: VILLE', '    protocol: local', '    sourc: ./export', '    backup:', '      ifExists: renommer', ''].join('\n');
    s = siteWith('ordo.config.yaml', yaml);
    const r = ordo(['config', 'check', '--config', 'ordo.config.yaml'], { cwd: s.dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^ {2}ordo\.config\.yaml:7:5 scenarios\.PES\.sourc: Unknown key/m);
    expect(r.stderr).toMatch(/^ {2}ordo\.config\.yaml:9:7 scenarios\.PES\.backup\.ifExists: The value "renommer"/m);

    writeFileSync(join(s.dir, 'ordo.config.yaml'), 'scenarios:\n  PES:\n    profile: VILLE\n\tprotocol: local\n');
    const syntax = ordo(['config', 'check', '--config', 'ordo.config.yaml', '--json'], { cwd: s.dir });
    expect(syntax.code).toBe(3);
    const [problem] = problemsOf(syntax.stdout);
    expect([problem?.line, problem?.column]).toEqual([4, 1]);
    expect(problem?.message).toMatch(/^This file is not valid YAML \(line 4, column 1\): /);
  });
});

describe('a file that is not text', () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x1b, 0x5b, 0x32, 0x4a]);
  /** Bytes from a fixed seed: the same "random" file on every run. */
  function noise(length: number): Buffer {
    let seed = 20241202;
    return Buffer.from(Array.from({ length }, () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) >> 16) & 0xff));
  }

  it.each([
    ['an image named ordo.config.json', 'ordo.config.json', png, 'byte 0x1A at position 6'],
    ['a ZIP archive named ordo.config.yaml', 'ordo.config.yaml', Buffer.concat([Buffer.from('PK\x03\x04\x14\x00', 'latin1'), Buffer.from('word/document.xml')]), 'byte 0x03 at position 2'],
    ['random bytes named automate.ini', 'automate.ini', noise(4096), 'byte 0x'],
  ])('%s is reported in one line, never echoed', (_name, file, bytes, where) => {
    s = siteWith(file, bytes);
    const r = ordo(['config', 'check', '--config', file], { cwd: s.dir });
    expect(r.code).toBe(3);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`is not a text file (${where}`);
    // Nothing of the file reaches the terminal: no control byte, no "PNG", no "word/document".
    expect(r.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(r.stderr).not.toMatch(/IHDR|word\/document/);
  });
});

describe('hconnect.ini lines that are not key=value', () => {
  const AUTOMATE = ['[general]', 'lang=en', '[profile:VILLE]', 'label=Ville', '[scenario:PES]', 'profile=VILLE', 'protocol=local', 'source=./export', 'options.target=./partner/in', ''].join('\r\n');

  it('are ignored with a warning naming the line, as Windows ignores them; the rest of the file is read', () => {
    const hconnect = ['[CONFIG]', '; ce commentaire a été coupé', 'par le Bloc-notes', 'horodatage=0', '[RECHERCHE]', 'RCT=mandats', 'divers', ''].join('\r\n');
    s = siteWith('automate.ini', cp1252(AUTOMATE));
    writeFileSync(join(s.dir, 'hconnect.ini'), cp1252(hconnect));
    const r = ordo(['config', 'check', '--config', 'automate.ini'], { cwd: s.dir });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^✔ Configuration valid: automate\.ini/);
    expect(lines.slice(1)).toEqual([
      '⚠ hconnect.ini:3 [CONFIG]: Line 3 is not key=value: it is ignored, as Windows ignores it. — If it is a comment, start it with ; and if it is a setting, write it as key=value.',
      '⚠ hconnect.ini:7 [RECHERCHE]: Line 7 is not key=value: it is ignored, as Windows ignores it. — If it is a comment, start it with ; and if it is a setting, write it as key=value.',
    ]);
    const show = ordo(['config', 'show', '--config', 'automate.ini'], { cwd: s.dir });
    expect(show.stdout).toMatch(/^ {2}timestamp: false$/m);
    expect(show.stdout).toMatch(/key: RCT\n\s+value: mandats/);
    expect(ordo(['run', '--config', 'automate.ini'], { cwd: s.dir }).code).toBe(0);
  });

  it('still refuses what would change behaviour: a near-miss of ordo’s keys, a bad value', () => {
    s = siteWith('automate.ini', cp1252(AUTOMATE));
    for (const [hconnect, expected] of [
      ['[CONFIG]\r\nstray words\r\nhorodatge=1\r\n', /hconnect\.ini:3 \[CONFIG\] horodatge: Unknown key/],
      ['[CONFIG]\r\nstray words\r\nhorodatage=peut-etre\r\n', /hconnect\.ini:3 \[CONFIG\] \S+: The value "peut-etre"/],
    ] as const) {
      writeFileSync(join(s.dir, 'hconnect.ini'), hconnect);
      const r = ordo(['config', 'check', '--config', 'automate.ini'], { cwd: s.dir });
      expect([r.code, r.stderr]).toEqual([3, expect.stringMatching(expected)]);
      expect(r.stderr).not.toMatch(/Line 2/);
    }
  });
});
