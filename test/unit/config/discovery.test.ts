// Which file is loaded: --config (file or folder), else ORDO_CONFIG, else the nearest folder upward.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_FILE_NAMES, findConfigFile } from '../../../src/config/discovery.js';
import { loadConfig } from '../../../src/config/load.js';
import { setLang } from '../../../src/i18n/index.js';
import { configError, tempFolder } from './temp.js';

beforeAll(() => setLang('en'));

const json = (lang: string) => JSON.stringify({ lang });
/** These files declare no scenario: which one is loaded is the point, loaded as `config show` would. */
const loadAny = (options: Parameters<typeof loadConfig>[0]) => loadConfig({ ...options, scenarios: 'optional' });
const ini = (lang: string) => `[general]\nlang=${lang}\n`;

describe('discovery', () => {
  it('--config names a file, whatever else is around', async () => {
    const dir = await tempFolder({ 'site/custom.yaml': 'lang: en\n', 'ordo.config.json': json('fr') });
    const config = await loadAny({ config: 'site/custom.yaml', cwd: dir, env: { ORDO_CONFIG: join(dir, 'ordo.config.json') } });
    expect(config.file).toBe(join(dir, 'site', 'custom.yaml'));
    expect(config.lang).toBe('en');
  });

  it('--config names a folder: JSON/YAML names first, then automate.ini', async () => {
    const dir = await tempFolder({ 'a/automate.ini': ini('en'), 'a/.ordorc.yaml': 'lang: fr\n', 'b/automate.ini': ini('en') });
    expect((await loadAny({ config: join(dir, 'a'), cwd: '/', env: {} })).file).toBe(join(dir, 'a', '.ordorc.yaml'));
    expect((await loadAny({ config: join(dir, 'b'), cwd: '/', env: {} })).file).toBe(join(dir, 'b', 'automate.ini'));
  });

  it('ORDO_CONFIG is used without --config (file or folder)', async () => {
    const dir = await tempFolder({ 'etc/ordo.config.yml': 'lang: en\n', 'cwd/ordo.config.json': json('fr') });
    const cwd = join(dir, 'cwd');
    expect((await loadAny({ cwd, env: { ORDO_CONFIG: join(dir, 'etc', 'ordo.config.yml') } })).lang).toBe('en');
    expect((await loadAny({ cwd, env: { ORDO_CONFIG: join(dir, 'etc') } })).lang).toBe('en');
    expect((await loadAny({ cwd, env: { ORDO_CONFIG: '' } })).lang).toBe('fr');
  });

  it('searches upward from the current folder; the nearest folder wins', async () => {
    const dir = await tempFolder({
      'ordo.config.json': json('fr'),
      'site/automate.ini': ini('en'),
      'site/in/deep/.keep': '',
      'other/deep/.keep': '',
    });
    expect(await findConfigFile({ cwd: join(dir, 'site', 'in', 'deep'), env: {} })).toBe(join(dir, 'site', 'automate.ini'));
    expect(await findConfigFile({ cwd: join(dir, 'other', 'deep'), env: {} })).toBe(join(dir, 'ordo.config.json'));
  });

  it('follows the documented order within one folder', async () => {
    const files = Object.fromEntries(CONFIG_FILE_NAMES.map((name) => [name, name.endsWith('.ini') ? ini('fr') : json('fr')]));
    const dir = await tempFolder(files);
    for (const name of CONFIG_FILE_NAMES) {
      const found = await findConfigFile({ cwd: dir, env: {} });
      expect(found).toBe(join(dir, name));
      await rm(found);
    }
  });

  it('finds a file copied from Windows in upper case (AUTOMATE.INI)', async () => {
    const dir = await tempFolder({ 'AUTOMATE.INI': ini('fr') });
    expect(await findConfigFile({ cwd: dir, env: {} })).toBe(join(dir, 'AUTOMATE.INI'));
  });

  it('ignores folders named like a configuration file', async () => {
    const dir = await tempFolder({ 'ordo.config.json/.keep': '', 'automate.ini': ini('fr') });
    expect(await findConfigFile({ cwd: dir, env: {} })).toBe(join(dir, 'automate.ini'));
  });

  it('says where it searched and how to fix it when nothing is found', async () => {
    const dir = await tempFolder({ 'empty/.keep': '' });
    const error = await configError(findConfigFile({ cwd: join(dir, 'empty'), env: {} }));
    expect(error.exitCode).toBe(3);
    expect(error.problems).toHaveLength(1);
    const [problem] = error.problems;
    expect(problem?.message).toContain(join(dir, 'empty'));
    expect(problem?.message).toContain('parent folders');
    expect(problem?.fix).toContain('--config');
    expect(problem?.fix).toContain('ORDO_CONFIG');
    expect(problem?.fix).toContain('ordo.config.json');
  });

  it('says which option gave a path that does not exist, or a folder without configuration', async () => {
    const dir = await tempFolder({ 'empty/.keep': '' });
    const missing = await configError(loadConfig({ cwd: dir, env: { ORDO_CONFIG: 'nope.json' } }));
    expect(missing.problems[0]?.message).toBe(`The configuration ${join(dir, 'nope.json')} given by ORDO_CONFIG does not exist.`);
    const empty = await configError(loadConfig({ config: 'empty', cwd: dir, env: {} }));
    expect(empty.problems[0]?.message).toContain(`folder ${join(dir, 'empty')} given by --config`);
    expect(empty.problems[0]?.fix).toContain('--config');
  });
});
