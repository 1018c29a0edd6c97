// Which language ordo speaks, French typography of every French message, sizes and dates for people.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { peekLang } from '../../../src/config/peek-lang.js';
import { catalogKeys, resolveLang, t } from '../../../src/i18n/index.js';
import { frenchTypography, typographyFaults } from '../../../src/i18n/typography.js';
import { formatSize } from '../../../src/i18n/units.js';
import { peopleStamp } from '../../../src/shared/local-time.js';
import '../../../src/protocols/registry.js';

describe('resolveLang: --lang > configuration > ORDO_LANG > system locale > French', () => {
  const linux = { platform: 'linux' as const };
  it.each([
    [{ flag: 'en', config: 'fr', env: { ORDO_LANG: 'fr', LANG: 'fr_FR.UTF-8' } }, 'en'],
    [{ config: 'en', env: { ORDO_LANG: 'fr', LANG: 'fr_FR.UTF-8' } }, 'en'],
    [{ env: { ORDO_LANG: 'en', LANG: 'fr_FR.UTF-8' } }, 'en'],
    [{ env: { ORDO_LANG: 'de', LANG: 'en_GB.UTF-8' } }, 'en'],
    [{ env: { LC_ALL: 'fr_FR.UTF-8', LANG: 'en_US.UTF-8' } }, 'fr'],
    [{ env: { LC_MESSAGES: 'en_US.UTF-8', LANG: 'fr_FR.UTF-8' } }, 'en'],
    [{ env: { LANG: 'de_DE.UTF-8' } }, 'en'],
    [{ env: { LANG: 'C.UTF-8' } }, 'fr'],
    [{ env: { LANG: 'POSIX' } }, 'fr'],
    [{ env: { LANG: '' } }, 'fr'],
    [{ env: {} }, 'fr'],
  ] as const)('%j → %s', (sources, expected) => {
    expect(resolveLang({ ...linux, ...sources, env: { ...sources.env } })).toBe(expected);
  });

  it('asks Intl on Windows only, and ignores what says nothing (und, en-US-u-va-posix)', () => {
    expect(resolveLang({ env: {}, platform: 'win32', intlLocale: 'fr-FR' })).toBe('fr');
    expect(resolveLang({ env: {}, platform: 'win32', intlLocale: 'en-GB' })).toBe('en');
    expect(resolveLang({ env: {}, platform: 'win32', intlLocale: 'und' })).toBe('fr');
    expect(resolveLang({ env: {}, platform: 'win32', intlLocale: 'en-US-u-va-posix' })).toBe('fr');
    // Elsewhere ICU reads LANG itself, and answers en-US when it says nothing.
    expect(resolveLang({ env: {}, platform: 'linux', intlLocale: 'en-US' })).toBe('fr');
  });
});

describe('peekLang: the configuration’s lang, even when the file does not load', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ordo-peek-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const peek = (name: string, text: string) => {
    const sub = mkdtempSync(join(dir, 'site-'));
    writeFileSync(join(sub, name), text);
    return peekLang({ cwd: sub, env: {} });
  };

  it.each([
    ['ordo.config.json', '{\n  "root": 12,\n  "lang": "fr",\n  oops\n}\n', 'fr'],
    ['ordo.config.yaml', 'root: [unclosed\nlang: "EN"  # comment\n', 'en'],
    ['.ordorc', 'scenarios:\n  A:\n    lang: en\nlang: fr\n', 'fr'],
    ['automate.ini', '[GENERAL]\nroot=x\nLang = FR ; la langue\n[scenario:A]\nbroken line\n', 'fr'],
    ['automate.ini', '[scenario:A]\nlang=en\n', undefined],
    ['ordo.config.yaml', 'lang: ${SITE_LANG}\n', undefined],
  ])('%s %j → %s', async (name, text, expected) => {
    expect(await peek(name, text)).toBe(expected);
  });

  it('says nothing when there is no configuration', async () => {
    expect(await peekLang({ cwd: dir, env: { ORDO_CONFIG: join(dir, 'nowhere.json') } })).toBeUndefined();
  });
});

describe('French typography', () => {
  it('every French message has a no-break space before : ; ? ! and inside « »', () => {
    const faults = catalogKeys().fr.flatMap((key) => typographyFaults(t(key, {}, 'fr')).map((at) => `${key}: …${at}…`));
    expect(faults).toEqual([]);
  });

  it('leaves code, addresses, times and paths alone', () => {
    expect(frenchTypography('Réglez enabled: false ; voir https://exemple.fr:8443 à 12:30 dans C:\\ordo : fait ! « oui »')).toBe(
      'Réglez enabled: false\u00a0; voir https://exemple.fr:8443 à 12:30 dans C:\\ordo\u00a0: fait\u00a0! «\u00a0oui\u00a0»',
    );
  });

  it('sizes: o, Kio, Mio, Gio with a decimal comma in French; KB, MB in English', () => {
    expect(formatSize(512, 'fr')).toBe('512\u00a0o');
    expect(formatSize(1536, 'fr')).toBe('1,5\u00a0Kio');
    expect(formatSize(5 * 1024 ** 3, 'fr')).toBe('5,0\u00a0Gio');
    expect(formatSize(1536, 'en')).toBe('1.5 KB');
    expect(formatSize(200 * 1024 ** 2, 'en')).toBe('200 MB');
  });

  it('dates for people: JJ/MM/AAAA HH:MM:SS in French, AAAA-MM-JJ HH:MM:SS in English (local time)', () => {
    const date = new Date(2026, 11, 2, 9, 5, 7);
    expect(peopleStamp(date, 'fr')).toBe('02/12/2026 09:05');
    expect(peopleStamp(date, 'en')).toBe('2026-12-02 09:05:07');
  });
});

describe('journal states', () => {
  it('each has a French name that is not the English one', () => {
    const states = ['sending', 'sent', 'pending', 'step', 'refused', 'failed', 'deferred', 'uncertain', 'resumed', 'forced', 'duplicate', 'placing', 'received', 'acknowledged', 'fetch-failed'];
    for (const state of states) {
      expect(t(`engine.state.${state}`, {}, 'en')).toBe(state);
      expect(t(`engine.state.${state}`, {}, 'fr')).not.toBe(state);
    }
  });
});
