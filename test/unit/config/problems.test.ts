// Every problem of a configuration is reported at once, with its file, key, INI section and line.
import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../../src/config/load.js';
import type { ConfigProblem } from '../../../src/shared/errors.js';
import { setLang, t } from '../../../src/i18n/index.js';
import { protocolNames } from '../../../src/protocols/registry.js';
import { configError, tempFolder, windows1252 } from './temp.js';

beforeAll(() => setLang('en'));

const available = protocolNames().join(', ');

const BROKEN_INI = `; automate.ini with many mistakes
[general]
root=data
lang=de
watch.interval=soon

[profile:VILLE]
label=Ville de Saint-Célestin
lable=typo
fax.number=0102030405

[scenario:MANDATS]
profile=VILE
protocol=local
backup.ifExists=renommer
retries.attempts=zero
enabled=peut-être
settle=2s
settle=3s
options.targt=out
retrieve.at=25:00
delays.send=\${MISSING_DELAY}
this line is garbage
bakup.dir=x

[scenari:OTHER]
protocol=local

[scenario:NEW]
protocol=minitel

[DIR:REC]
numrec=12a
`;

function byLine(problems: readonly ConfigProblem[]): Map<number | undefined, ConfigProblem> {
  return new Map(problems.map((p) => [p.line, p]));
}

describe('a broken automate.ini', () => {
  it('reports every problem at once, each at its INI section and line', async () => {
    const dir = await tempFolder({ 'automate.ini': windows1252(BROKEN_INI) });
    const file = join(dir, 'automate.ini');
    const error = await configError(loadConfigFile(file, {}));
    expect(error.exitCode).toBe(3);
    expect(error.message).toBe(t('config.invalid', { count: error.problems.length }, 'en'));
    const lines = byLine(error.problems);

    expect(lines.get(4)).toMatchObject({ file, section: 'general', key: 'lang' });
    expect(lines.get(4)?.message).toBe('The value "de" of lang is not accepted.');
    expect(lines.get(4)?.fix).toBe('Accepted values: fr | en.');
    expect(lines.get(5)).toMatchObject({ key: 'watch.interval', message: 'The value "soon" of watch.interval is not a duration.' });
    expect(lines.get(9)).toMatchObject({ section: 'profile:VILLE', key: 'profiles.VILLE.lable', message: 'Unknown key lable.' });
    expect(lines.get(9)?.fix).toMatch(/^Did you mean label\?/);
    expect(lines.get(10)).toMatchObject({
      key: 'profiles.VILLE.fax',
      message: `The protocol fax is not available in this version (available: ${available}).`,
    });
    expect(lines.get(13)).toMatchObject({ section: 'scenario:MANDATS', key: 'scenarios.MANDATS.profile' });
    expect(lines.get(13)?.message).toBe('The scenario MANDATS uses the profile VILE, which does not exist.');
    expect(lines.get(13)?.fix).toBe('Known profiles: VILLE.');
    expect(lines.get(15)).toMatchObject({ key: 'scenarios.MANDATS.backup.ifExists', message: 'The value "renommer" of backup.ifExists is not accepted.' });
    expect(lines.get(15)?.fix).toBe('Accepted values: overwrite | rename | keep | fail.');
    expect(lines.get(16)?.key).toBe('scenarios.MANDATS.retries.attempts');
    expect(lines.get(17)?.message).toBe('The value "peut-être" of enabled is not a yes/no value.');
    expect(lines.get(17)?.fix).toBe('Accepted values: 1/0, true/false, yes/no, oui/non.');
    expect(lines.get(19)).toMatchObject({ key: 'scenarios.MANDATS.settle', message: 'settle is already written in [scenario:MANDATS], at line 18.' });
    expect(lines.get(20)).toMatchObject({ key: 'scenarios.MANDATS.options.targt', message: 'Unknown key options.targt.' });
    expect(lines.get(20)?.fix).toMatch(/^Did you mean options\.target\?/);
    expect(lines.get(21)?.message).toBe('"25:00" in retrieve.at is not a time of day.');
    expect(lines.get(22)?.message).toBe('The environment variable MISSING_DELAY, used by delays.send, is not defined.');
    expect(lines.get(23)).toMatchObject({ section: 'scenario:MANDATS', key: '', message: 'Line 23 is not understood.' });
    expect(lines.get(24)).toMatchObject({ key: 'scenarios.MANDATS.bakup', message: 'Unknown key bakup.' });
    expect(lines.get(24)?.fix).toMatch(/^Did you mean backup\?/);
    expect(lines.get(26)).toMatchObject({ section: 'scenari:OTHER', key: '', message: 'Unknown section [scenari:OTHER].' });
    expect(lines.get(26)?.fix).toMatch(/^Did you mean \[scenario:OTHER\]\?/);
    // [scenario:NEW]: no profile, and a protocol this version does not have.
    const newer = error.problems.filter((p) => p.section === 'scenario:NEW');
    expect(newer.map((p) => [p.line, p.key])).toEqual([
      [29, 'scenarios.NEW.profile'],
      [30, 'scenarios.NEW.protocol'],
    ]);
    expect(newer[0]?.message).toBe('The key profile is missing.');
    expect(newer[1]?.message).toBe(`The protocol minitel is not available in this version (available: ${available}).`);
    expect(lines.get(33)).toMatchObject({ section: 'DIR:REC', key: 'numrec', message: 'The counter numrec = "12a" is not a number.' });

    expect(error.problems).toHaveLength(18);
    // Listed in file order.
    const order = error.problems.map((p) => p.line ?? 0);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    for (const problem of error.problems) expect(problem.fix ?? problem.message).not.toMatch(/\{\w+\}/);
  });

  it('speaks French to a French user', async () => {
    const dir = await tempFolder({ 'automate.ini': windows1252(BROKEN_INI) });
    setLang('fr');
    try {
      const error = await configError(loadConfigFile(join(dir, 'automate.ini'), {}));
      const lines = byLine(error.problems);
      expect(error.describe()).toBe('La configuration comporte 18 erreur(s) à corriger.');
      expect(lines.get(15)?.message).toBe("La valeur «\u00a0renommer\u00a0» du paramètre backup.ifExists n'est pas acceptée.");
      expect(lines.get(15)?.fix).toBe('Valeurs acceptées\u00a0: overwrite | rename | keep | fail.');
      expect(lines.get(9)?.fix).toMatch(/^Vouliez-vous dire label\u00a0\?/);
      expect(lines.get(22)?.message).toBe(
        "La variable d'environnement MISSING_DELAY, utilisée par le paramètre delays.send, n'est pas définie.",
      );
      for (const problem of error.problems) expect(`${problem.message} ${problem.fix ?? ''}`).not.toMatch(/\{\w+\}/);
    } finally {
      setLang('en');
    }
  });
});

describe('did you mean', () => {
  it.each([
    [{ lnag: 'fr' }, 'lnag', 'lang'],
    [{ Root: 'x' }, 'Root', 'root'],
    [{ watch: { intervall: '1m' } }, 'watch.intervall', 'watch.interval'],
    [{ profiles: { P: {} }, scenarios: { S: { profile: 'P', protocol: 'local', backup: { ifexists: 'keep' } } } }, 'scenarios.S.backup.ifexists', 'scenarios.S.backup.ifExists'],
    [{ profiles: { P: {} }, scenarios: { S: { profile: 'P', protocol: 'local', retries: { maxdelay: '1m' } } } }, 'scenarios.S.retries.maxdelay', 'scenarios.S.retries.maxDelay'],
    [{ profiles: { P: {} }, scenarios: { S: { profile: 'P', protocol: 'local', option: {} } } }, 'scenarios.S.option', 'scenarios.S.options'],
    [{ profiles: { P: {} }, scenarios: { S: { profile: 'P', protocol: 'local', options: { inbx: 'x' } } } }, 'scenarios.S.options.inbx', 'scenarios.S.options.inbox'],
    [{ profiles: { P: { insse: '40999' } } }, 'profiles.P.insse', 'profiles.P.insee'],
  ])('%j: %s → %s', async (config, key, suggestion) => {
    const dir = await tempFolder({ 'ordo.config.json': JSON.stringify(config) });
    // Some of these declare no scenario on purpose: loaded as `config show` would.
    const error = await configError(loadConfigFile(join(dir, 'ordo.config.json'), {}, { scenarios: 'optional' }));
    expect(error.problems).toEqual([expect.objectContaining({ key, message: `Unknown key ${key}.` })]);
    expect(error.problems[0]?.fix).toMatch(new RegExp(`^Did you mean ${suggestion.replace(/\./g, '\\.')}\\?`));
  });

  it('lists the accepted keys when nothing is close', async () => {
    const dir = await tempFolder({ 'ordo.config.json': JSON.stringify({ watch: { frequency: '1m' } }) });
    const error = await configError(loadConfigFile(join(dir, 'ordo.config.json'), {}));
    expect(error.problems[0]?.fix).toBe('Accepted keys here: interval.');
  });
});

describe('JSON and YAML problems', () => {
  it('gives the line and column of a JSON syntax error, without quoting the file', async () => {
    const dir = await tempFolder({ 'ordo.config.json': '{\n  "root": "x",\n  "lang": "fr"\n  "password": "hunter2-secret"\n}\n' });
    const error = await configError(loadConfigFile(join(dir, 'ordo.config.json'), {}));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatchObject({ file: join(dir, 'ordo.config.json'), line: 4, column: 3 });
    expect(error.problems[0]?.message).toBe('This file is not valid JSON (line 4, column 3): a comma is expected.');
    expect(JSON.stringify(error.problems)).not.toContain('hunter2');
  });

  it('gives the line and column of a YAML syntax error', async () => {
    const dir = await tempFolder({ 'ordo.config.yaml': 'root: x\nlang: fr\n  token: hunter2-secret\n' });
    const error = await configError(loadConfigFile(join(dir, 'ordo.config.yaml'), {}));
    // The value of line 2 is where keys cannot be nested.
    expect(error.problems[0]).toMatchObject({ line: 2, column: 7 });
    expect(error.problems[0]?.message).toBe('This file is not valid YAML (line 2, column 7): wrong indentation, or keys nested where a single value is expected.');
    expect(JSON.stringify(error.problems)).not.toContain('hunter2');
  });

  it('reports wrong types with the JSON key path and what is expected', async () => {
    const dir = await tempFolder({
      'ordo.config.yaml': [
        'lang: fr',
        'watch: 60s',
        'profiles:',
        '  P:',
        '    label: [a, b]',
        '    insee: 01001',
        'scenarios:',
        '  S:',
        '    profile: P',
        '    protocol: local',
        '    filter: 42',
        '    retries: { attempts: 0, maxTime: 0 }',
        '    hooks: { timeout: -1 }',
        '    naming: { format: "LA[anne][numrec].[extension]", search: 3 }',
      ].join('\n'),
    });
    const error = await configError(loadConfigFile(join(dir, 'ordo.config.yaml'), {}));
    const byKey = Object.fromEntries(error.problems.map((p) => [p.key, p]));
    expect(Object.keys(byKey).sort()).toEqual(
      [
        'watch',
        'profiles.P.label',
        'profiles.P.insee',
        'scenarios.S.filter',
        'scenarios.S.retries.attempts',
        'scenarios.S.retries.maxTime',
        'scenarios.S.hooks.timeout',
        'scenarios.S.naming.format',
        'scenarios.S.naming.search',
      ].sort(),
    );
    expect(byKey['profiles.P.insee']?.message).toBe('profiles.P.insee = 1001: a code written as a number loses its leading zeros.');
    expect(byKey.watch?.message).toBe('watch must be a group of keys, not a single value.');
    expect(byKey.watch?.fix).toBe('Keys accepted in it: interval. In INI, write them as watch.<key>=value.');
    expect(byKey['scenarios.S.retries.attempts']?.message).toBe('The value "0" of scenarios.S.retries.attempts is not a whole number of at least 1.');
    expect(byKey['scenarios.S.retries.maxTime']?.message).toBe('scenarios.S.retries.maxTime cannot be zero.');
    expect(byKey['scenarios.S.naming.format']?.message).toBe('scenarios.S.naming.format uses an unknown token: [anne], [extension].');
    expect(byKey['scenarios.S.naming.format']?.fix).toContain('[annee]');
    // Each at its key's line and column: `watch` at 2:1, `filter` at 11:5.
    expect([byKey.watch?.line, byKey.watch?.column]).toEqual([2, 1]);
    expect([byKey['scenarios.S.filter']?.line, byKey['scenarios.S.filter']?.column]).toEqual([11, 5]);
    expect([byKey['scenarios.S.retries.attempts']?.line, byKey['scenarios.S.retries.attempts']?.column]).toEqual([12, 16]);
  });

  it('says when the file is empty, unreadable or of an unknown kind', async () => {
    const dir = await tempFolder({ 'ordo.config.json': '  \n', 'site.conf': 'x=1', 'locked.json': '{}' });
    expect((await configError(loadConfigFile(join(dir, 'ordo.config.json'), {}))).problems[0]?.message).toBe(
      `${join(dir, 'ordo.config.json')} is empty.`,
    );
    expect((await configError(loadConfigFile(join(dir, 'site.conf'), {}))).problems[0]?.fix).toBe(
      'Give it the extension .json, .yaml, .yml or .ini.',
    );
    await mkdir(join(dir, 'folder.json'));
    const unreadable = await configError(loadConfigFile(join(dir, 'folder.json'), {}));
    expect(unreadable.problems[0]?.message).toBe(`${join(dir, 'folder.json')} is a folder, not a regular file: ordo reads its configuration from a file only.`);
    expect(unreadable.problems[0]?.fix).toMatch(/path of the configuration file itself/);
    if (process.platform !== 'win32' && process.getuid?.() !== 0) {
      await chmod(join(dir, 'locked.json'), 0o000);
      expect((await configError(loadConfigFile(join(dir, 'locked.json'), {}))).problems[0]?.message).toContain('EACCES');
    }
  });

  it('says so when the top level is not a group of keys', async () => {
    const dir = await tempFolder({ 'ordo.config.json': '["root"]' });
    const error = await configError(loadConfigFile(join(dir, 'ordo.config.json'), {}));
    expect(error.problems[0]?.message).toBe('The file must contain keys (root, profiles, scenarios…) at the top level.');
  });
});

describe('profiles, scenarios and protocols', () => {
  it('lists the known profiles, or says there are none', async () => {
    const known = await tempFolder({
      'ordo.config.json': JSON.stringify({ profiles: { VILLE: {}, CCAS: {} }, scenarios: { S: { profile: 'MAIRIE', protocol: 'local' } } }),
    });
    const error = await configError(loadConfigFile(join(known, 'ordo.config.json'), {}));
    expect(error.problems[0]?.fix).toBe('Known profiles: VILLE, CCAS.');
    const none = await tempFolder({ 'ordo.config.json': JSON.stringify({ scenarios: { S: { profile: 'MAIRIE', protocol: 'local' } } }) });
    expect((await configError(loadConfigFile(join(none, 'ordo.config.json'), {}))).problems[0]?.fix).toBe(
      'No profile is defined: add profiles.MAIRIE (in INI, a [profile:MAIRIE] section).',
    );
  });

  it('does not ask for a protocol block in the profile (local has no profile keys)', async () => {
    const dir = await tempFolder({ 'ordo.config.json': JSON.stringify({ profiles: { P: { label: 'x' } }, scenarios: { S: { profile: 'P', protocol: 'local' } } }) });
    await expect(loadConfigFile(join(dir, 'ordo.config.json'), {})).resolves.toBeDefined();
  });

  it('checks protocol block keys against the registry', async () => {
    const dir = await tempFolder({ 'ordo.config.json': JSON.stringify({ profiles: { P: { local: { host: 'x' } } } }) });
    const error = await configError(loadConfigFile(join(dir, 'ordo.config.json'), {}, { scenarios: 'optional' }));
    expect(error.problems).toEqual([
      expect.objectContaining({ key: 'profiles.P.local.host', message: 'Unknown key profiles.P.local.host.', fix: 'No key is accepted here: remove it.' }),
    ]);
  });

  it("adds the protocol's own checks (validate) for the protocols in use", async () => {
    const dir = await tempFolder({
      'ordo.config.json': JSON.stringify({ profiles: { P: {} }, scenarios: { S: { profile: 'P', protocol: 'local', options: { afterRetrieve: 'shred' } } } }),
    });
    const error = await configError(loadConfigFile(join(dir, 'ordo.config.json'), {}));
    expect(error.problems).toEqual([expect.objectContaining({ key: 'scenarios.S.options.afterRetrieve' })]);
  });

  it('refuses names that cannot be folder names', async () => {
    const dir = await tempFolder({
      'ordo.config.json': JSON.stringify({ profiles: { '../P': {} }, scenarios: { 'a/b': { profile: '../P', protocol: 'local' } } }),
    });
    const error = await configError(loadConfigFile(join(dir, 'ordo.config.json'), {}));
    expect(error.problems.map((p) => p.message)).toEqual([
      'The name "../P" cannot be used as a folder name.',
      'The name "a/b" cannot be used as a folder name.',
    ]);
  });

  it('wants a format when renaming is on', async () => {
    const dir = await tempFolder({
      'automate.ini': '[profile:P]\n[scenario:S]\nprofile=P\nprotocol=local\nnaming.rename=oui\n',
      'hconnect.ini': '[CONFIG]\nhorodatage=1\nrenommer=1\n',
    });
    const error = await configError(loadConfigFile(join(dir, 'automate.ini'), {}));
    expect(error.problems.map((p) => [p.file, p.section, p.line, p.message, p.fix])).toEqual([
      [
        join(dir, 'automate.ini'),
        'scenario:S',
        5,
        'naming.rename turns renaming on, but no renaming format is given.',
        'Add naming.format (e.g. LA[annee][numrec].020), or turn renaming off.',
      ],
      [
        join(dir, 'hconnect.ini'),
        'CONFIG',
        3,
        'renommer turns renaming on, but no renaming format is given.',
        'Add renommer_format (e.g. LA[annee][numrec].020), or turn renaming off.',
      ],
    ]);
  });

  it('reports unknown tokens of renommer_format at their hconnect.ini line, and near-miss keys', async () => {
    const dir = await tempFolder({
      'automate.ini': '[general]\nlang=fr\n',
      'hconnect.ini': '[CONFIG]\nhorodatge=1\nrenommer=1\nrenommer_format=LA[anne][numrec].020\n[RECHERCHE]\nRCT=mandats\n',
    });
    const error = await configError(loadConfigFile(join(dir, 'automate.ini'), {}, { scenarios: 'optional' }));
    expect(error.problems.map((p) => [p.section, p.line, p.message])).toEqual([
      ['CONFIG', 2, 'Unknown key horodatge.'],
      ['CONFIG', 4, 'renommer_format uses an unknown token: [anne].'],
    ]);
    expect(error.problems[0]?.fix).toMatch(/^Did you mean horodatage\?/);
  });

  it('reports INI keys written before any section and conflicting keys; accepts a commented counter', async () => {
    const dir = await tempFolder({
      'automate.ini': 'root=x\n[profile:P]\n[scenario:S]\nprofile=P\nprotocol=local\nbackup=x\nbackup.dir=y\n[DIR:REC]\nnumrec=0001 ; réservé\n',
    });
    const error = await configError(loadConfigFile(join(dir, 'automate.ini'), {}));
    expect(error.problems.map((p) => [p.line, p.message])).toEqual([
      [1, 'root is written before any [section].'],
      [6, 'backup must be a group of keys, not a single value.'],
      [7, 'backup.dir conflicts with line 6: a key cannot hold both a value and other keys.'],
    ]);
  });
});
