// Secrets never show: not in `config show`, not in any problem message. A stand-in protocol declaring
// secret keys replaces the registry, since `local` has no profile keys.
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfigFile } from '../../../src/config/load.js';
import { effectiveConfig } from '../../../src/config/show.js';
import { redact, SECRET_MASK } from '../../../src/shared/redact.js';
import { setLang } from '../../../src/i18n/index.js';
import { configError, tempFolder } from './temp.js';

vi.mock('../../../src/protocols/registry.js', async () => {
  const { declareProtocol, declaredKeys, isSecretPart, say, textType } = await import('../../../src/protocols/options.js');
  const { localDeclaration } = await import('../../../src/protocols/local/options.js');
  const text = textType(say('protocol.setting.required', 'key'));
  const vault = declareProtocol({
    name: 'vault',
    capabilities: [],
    features: { usesInbox: false },
    options: [
      { name: 'url', where: 'profile', type: text, help: 'vault.url' },
      { name: 'user', where: 'profile', type: text, help: 'vault.user' },
      { name: 'password', where: 'profile', type: text, secret: true, help: 'vault.password' },
      { name: 'token', where: 'profile', type: text, secret: true, help: 'vault.token' },
      { name: 'remoteDir', where: 'options', type: text, help: 'vault.remoteDir' },
    ],
    // Complains about a short password, quoting it: the loader must mask it.
    checks: [
      ({ blocks }) =>
        typeof blocks.profile.password === 'string' && blocks.profile.password.length < 12
          ? [{ where: 'profile', key: 'password', messageKey: 'config.value.choice', params: { value: blocks.profile.password, accepted: 'longer' } }]
          : [],
    ],
  });
  const entries: Record<string, { declaration: typeof localDeclaration | typeof vault; profileKeys: string[]; optionKeys: string[]; load: () => Promise<unknown> }> = {};
  for (const declaration of [localDeclaration, vault]) {
    entries[declaration.name] = {
      declaration,
      profileKeys: declaredKeys(declaration, 'profile'),
      optionKeys: declaredKeys(declaration, 'options'),
      load: () => Promise.reject(new Error('not in tests')),
    };
  }
  return {
    protocolNames: () => Object.keys(entries),
    registryEntry: (name: string) => entries[name],
    loadProtocol: (name: string) => entries[name]?.load(),
    isDeclaredSecret: (protocol: string, where: string, path: readonly string[]) => {
      const option = entries[protocol]?.declaration.options.find((candidate) => candidate.where === where && candidate.name === path[0]);
      return option !== undefined && isSecretPart(option, path.slice(0, 2).join('.'));
    },
  };
});

beforeAll(() => setLang('en'));

const PASSWORD = 'Tr0ub4dor&3-long';
const TOKEN = 'tok-9f8e7d6c5b4a';
const SHARED = 'Shared-S3cret!';

describe('secrets', () => {
  it('collects every secret and masks them all in effectiveConfig', async () => {
    const dir = await tempFolder({
      'ordo.config.json': JSON.stringify({
        profiles: {
          VILLE: {
            label: 'Ville (${VILLE_PASSWORD})',
            vault: { url: `https://mairie:${SHARED}@gateway.example/depot`, user: 'mairie', password: PASSWORD, token: '${VAULT_TOKEN}' },
          },
        },
        scenarios: { S: { profile: 'VILLE', protocol: 'vault', settle: '2s', options: { remoteDir: '/in' } } },
      }),
    });
    const config = await loadConfigFile(join(dir, 'ordo.config.json'), { VAULT_TOKEN: TOKEN, VILLE_PASSWORD: SHARED });
    expect(config.secrets.sort()).toEqual([PASSWORD, SHARED, TOKEN].sort());
    expect(config.profiles.VILLE?.protocols.vault?.password).toBe(PASSWORD);
    expect(config.profiles.VILLE?.protocols.vault?.token).toBe(TOKEN);

    const shown = effectiveConfig(config);
    const text = JSON.stringify(shown);
    for (const secret of [PASSWORD, TOKEN, SHARED]) expect(text).not.toContain(secret);
    expect(shown).toMatchObject({
      profiles: {
        VILLE: {
          label: `Ville (${SECRET_MASK})`,
          vault: { user: 'mairie', password: SECRET_MASK, token: SECRET_MASK, url: `https://mairie:${SECRET_MASK}@gateway.example/depot` },
        },
      },
      scenarios: { S: { settle: '2s', retries: { backoff: '2s', maxDelay: '1m', maxTime: '10m' }, hooks: { timeout: '2m' } } },
      watch: { interval: '1m' },
    });
    expect(shown).not.toHaveProperty('secrets');
    // Registered for logs and errors too.
    expect(redact(`sent with ${TOKEN}`)).toBe(`sent with ${SECRET_MASK}`);
  });

  it('keeps secret values out of every problem message', async () => {
    const short = 'pw-short';
    const dir = await tempFolder({
      'automate.ini': [
        '[general]',
        `lang=${SHARED}`,
        '[profile:VILLE]',
        `vault.password=${short}`,
        'vault.token=%VAULT_TOKEN%',
        `vault.passwrd=${PASSWORD}`,
        '[scenario:S]',
        'profile=VILLE',
        'protocol=vault',
        'settle=%DB_PASSWORD%',
        `delays.send=${TOKEN}`,
        '',
      ].join('\r\n'),
    });
    const error = await configError(
      loadConfigFile(join(dir, 'automate.ini'), { VAULT_TOKEN: TOKEN, DB_PASSWORD: SHARED }),
    );
    const text = JSON.stringify(error.problems) + error.message;
    for (const secret of [short, TOKEN, SHARED]) expect(text).not.toContain(secret);
    expect(error.problems.map((p) => [p.line, p.key])).toEqual([
      [2, 'lang'],
      [4, 'profiles.VILLE.vault.password'],
      [6, 'profiles.VILLE.vault.passwrd'],
      [10, 'scenarios.S.settle'],
      [11, 'scenarios.S.delays.send'],
    ]);
    expect(error.problems[0]?.message).toBe(`The value "${SECRET_MASK}" of lang is not accepted.`);
    expect(error.problems[1]?.message).toBe(`The value "${SECRET_MASK}" of vault.password is not accepted.`);
    expect(error.problems[2]?.fix).toMatch(/^Did you mean vault\.password\?/);
    expect(error.problems[3]?.message).toBe(`The value "${SECRET_MASK}" of settle is not a duration.`);
  });

  it('names the missing variable of a secret key, never a value', async () => {
    const dir = await tempFolder({ 'ordo.config.yaml': 'profiles:\n  P:\n    vault:\n      password: ${VILLE_XFB_PASSWORD}\n' });
    const error = await configError(loadConfigFile(join(dir, 'ordo.config.yaml'), {}, { scenarios: 'optional' }));
    expect(error.problems).toEqual([
      expect.objectContaining({
        key: 'profiles.P.vault.password',
        message: 'The environment variable VILLE_XFB_PASSWORD, used by profiles.P.vault.password, is not defined.',
      }),
    ]);
  });
});
