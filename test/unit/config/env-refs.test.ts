import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { expandEnvRefs } from '../../../src/config/env-refs.js';
import { loadConfigFile } from '../../../src/config/load.js';
import { ExitCode } from '../../../src/shared/errors.js';
import { setLang } from '../../../src/i18n/index.js';
import { configError, tempFolder } from './temp.js';

beforeAll(() => setLang('en'));

describe('expandEnvRefs', () => {
  const env = { SHARE: '\\\\serveur\\partage', YEAR: '2024', EMPTY: '' };

  it.each([
    ['${SHARE}\\in', false, '\\\\serveur\\partage\\in'],
    ['%SHARE%\\in', true, '\\\\serveur\\partage\\in'],
    ['%SHARE%\\in', false, '%SHARE%\\in'],
    ['a${YEAR}b%YEAR%c', true, 'a2024b2024c'],
    ['100% sûr', true, '100% sûr'],
    ['10% et 20%', true, '10% et 20%'],
    ['%%', true, '%%'],
    ['${EMPTY}x', true, 'x'],
    ['$YEAR {YEAR}', true, '$YEAR {YEAR}'],
  ])('%j (percent: %s) → %j', (input, percent, expected) => {
    const result = expandEnvRefs(input, env, { percent });
    expect(result.value).toBe(expected);
    expect(result.missing).toEqual([]);
  });

  it('never expands a value again (one pass)', () => {
    expect(expandEnvRefs('${A}', { A: '%B% ${B}', B: 'no' }, { percent: true }).value).toBe('%B% ${B}');
  });

  it('reports missing variables and leaves them as written', () => {
    const result = expandEnvRefs('${NOPE}/%NADA%/${NOPE}', {}, { percent: true });
    expect(result.missing).toEqual(['NOPE', 'NADA']);
    expect(result.value).toBe('${NOPE}/%NADA%/${NOPE}');
  });
});

describe('environment references in configurations', () => {
  it('expands ${NAME} in JSON and both syntaxes in INI, everywhere', async () => {
    const env = { ORDO_ROOT: 'spool', DELAY: '45', LABEL: 'Célestin' };
    const json = await tempFolder({
      'ordo.config.json': JSON.stringify({
        root: '${ORDO_ROOT}',
        profiles: { P: { label: 'Mairie ${LABEL}' } },
        scenarios: { S: { profile: 'P', protocol: 'local', delays: { send: '${DELAY}' }, options: { target: '${ORDO_ROOT}/out' } } },
      }),
    });
    const fromJson = await loadConfigFile(join(json, 'ordo.config.json'), env);
    expect(fromJson.root).toBe(join(json, 'spool'));
    expect(fromJson.profiles.P?.label).toBe('Mairie Célestin');
    expect(fromJson.scenarios.S?.delays.sendMs).toBe(45_000);
    expect(fromJson.scenarios.S?.options.target).toBe('spool/out');

    const ini = await tempFolder({
      'automate.ini': '[general]\nroot=%ORDO_ROOT%\n[profile:P]\nlabel=Mairie ${LABEL} à 100%\n[scenario:S]\nprofile=P\nprotocol=local\ndelays.send=%DELAY%\n',
    });
    const fromIni = await loadConfigFile(join(ini, 'automate.ini'), env);
    expect(fromIni.root).toBe(join(ini, 'spool'));
    expect(fromIni.profiles.P?.label).toBe('Mairie Célestin à 100%');
    expect(fromIni.scenarios.S?.delays.sendMs).toBe(45_000);
  });

  it('keeps %NAME% literal in JSON/YAML (only INI uses the Windows syntax)', async () => {
    const dir = await tempFolder({ 'ordo.config.yaml': 'profiles:\n  P:\n    label: "%USERNAME%"\n' });
    expect((await loadConfigFile(join(dir, 'ordo.config.yaml'), { USERNAME: 'x' }, { scenarios: 'optional' })).profiles.P?.label).toBe('%USERNAME%');
  });

  it('a missing variable is a configuration error naming the variable and the key (exit code 3)', async () => {
    const dir = await tempFolder({
      'automate.ini': '[general]\nroot=%ORDO_ROOT%\n[profile:P]\n[scenario:S]\nprofile=P\nprotocol=local\nsource=${EXPORT_DIR}\\mandats\n',
    });
    const error = await configError(loadConfigFile(join(dir, 'automate.ini'), {}));
    expect(error.exitCode).toBe(ExitCode.config);
    expect(error.exitCode).toBe(3);
    expect(error.problems).toHaveLength(2);
    const [root, source] = error.problems;
    expect(root).toMatchObject({ file: join(dir, 'automate.ini'), key: 'root', section: 'general', line: 2 });
    expect(root?.message).toContain('ORDO_ROOT');
    expect(root?.message).toContain('root');
    expect(source).toMatchObject({ key: 'scenarios.S.source', section: 'scenario:S', line: 7 });
    expect(source?.message).toBe('The environment variable EXPORT_DIR, used by source, is not defined.');
    expect(source?.fix).toContain('EXPORT_DIR');
  });

  it('names the JSON key path for a missing variable', async () => {
    const dir = await tempFolder({
      'ordo.config.json': JSON.stringify({ profiles: { P: {} }, scenarios: { S: { profile: 'P', protocol: 'local', options: { target: '${A}/${B}' } } } }),
    });
    const error = await configError(loadConfigFile(join(dir, 'ordo.config.json'), {}));
    expect(error.problems).toEqual([
      expect.objectContaining({ key: 'scenarios.S.options.target', message: expect.stringMatching(/A, B.*scenarios\.S\.options\.target/) }),
    ]);
  });
});
