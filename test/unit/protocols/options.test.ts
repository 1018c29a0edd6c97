// Protocol options declared as data: one validator for every protocol (unknown keys with the closest
// known one, required keys, secrets never quoted), the values read with their defaults, the refusal a
// session open makes of invalid settings, and what the configuration loader and `config show` take from
// the declarations (secrets, what a protocol cannot do, rules over several keys).
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../../src/config/load.js';
import { effectiveConfig } from '../../../src/config/show.js';
import { setLang } from '../../../src/i18n/index.js';
import { TransferError } from '../../../src/protocols/contract.js';
import { defineProtocol, refuseInvalidSettings } from '../../../src/protocols/define.js';
import { declareProtocol, readSettings, say, settingProblems, textType, integerType, UNKNOWN_SETTING } from '../../../src/protocols/options.js';
import { isDeclaredSecret } from '../../../src/protocols/registry.js';
import { redact, SECRET_MASK } from '../../../src/shared/redact.js';
import { configError, tempFolder } from '../config/temp.js';

beforeAll(() => setLang('en'));

const standIn = declareProtocol({
  name: 'stand-in',
  capabilities: ['send'],
  features: { usesInbox: false },
  options: [
    { name: 'host', where: 'profile', type: textType(say('protocol.sftp.setting.text', 'key')), required: true, help: 'protocol.sftp.help.host' },
    { name: 'secretCode', where: 'profile', type: integerType(say('protocol.tedeco.option.year', 'key', 'value'), { min: 1 }), secret: true, help: 'protocol.sftp.help.password' },
    { name: 'retries', where: 'options', type: integerType(say('protocol.tedeco.option.recordLength', 'value'), { min: 1 }), default: 3, help: 'protocol.sftp.help.port' },
    { name: 'inbox', where: 'options', type: textType(say('protocol.sftp.setting.text', 'key')), help: 'protocol.sftp.help.inbox' },
  ],
  checks: [],
});

describe('the generic validator', () => {
  it('reports a missing required key, a wrong value, and unknown keys with the closest known one', () => {
    expect(settingProblems(standIn, { profile: { hots: 'h' }, options: { retries: 'x', inbx: 'in', zzz: 1 } })).toEqual([
      { where: 'profile', key: 'host', messageKey: 'protocol.setting.required', params: { key: 'host' } },
      { where: 'profile', key: 'hots', messageKey: UNKNOWN_SETTING, params: { key: 'hots', suggestion: 'host', accepted: 'host, secretCode' }, fixKey: 'protocol.setting.unknown.suggest' },
      { where: 'options', key: 'retries', messageKey: 'protocol.tedeco.option.recordLength', params: { value: 'x' } },
      { where: 'options', key: 'inbx', messageKey: UNKNOWN_SETTING, params: { key: 'inbx', suggestion: 'inbox', accepted: 'retries, inbox' }, fixKey: 'protocol.setting.unknown.suggest' },
      { where: 'options', key: 'zzz', messageKey: UNKNOWN_SETTING, params: { key: 'zzz', suggestion: '', accepted: 'retries, inbox' }, fixKey: 'protocol.setting.unknown.accepted' },
    ]);
    expect(settingProblems(registryFree(), { profile: { any: 1 }, options: {} })[0]?.fixKey).toBe('protocol.setting.unknown.none');
  });

  it('never quotes the value of a secret key', () => {
    const [problem] = settingProblems(standIn, { profile: { host: 'h', secretCode: 'Sesame-42' }, options: {} });
    expect(problem).toEqual({ where: 'profile', key: 'secretCode', messageKey: 'protocol.tedeco.option.year', params: { key: 'secretCode', value: SECRET_MASK } });
  });

  it('reads values with their defaults', () => {
    expect(readSettings(standIn.options, { profile: { host: ' h ' }, options: {} })).toEqual({
      profile: { host: ' h ', secretCode: undefined },
      options: { retries: 3, inbox: undefined },
    });
    expect(readSettings(standIn.options, { profile: { host: 'h', secretCode: '7' }, options: { retries: '5' } }).options.retries).toBe(5);
  });
});

describe('opening a session', () => {
  it('refuses invalid settings like a connection that cannot be made, with the key and its fix', async () => {
    let opened = 0;
    const definition = defineProtocol(standIn, {
      open: () => {
        opened += 1;
        return { send: () => Promise.reject(new Error('not called')), close: () => Promise.resolve() };
      },
    });
    const context = { profileName: 'P', profile: { host: 'h' }, options: { inbx: 'in' }, configDir: '/srv/ordo' };
    const error = await definition.open(context as never).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(TransferError);
    expect(error).toMatchObject({ kind: 'permanent', connection: true, key: UNKNOWN_SETTING, fixKey: 'protocol.setting.unknown.suggest', params: { key: 'options.inbx', suggestion: 'inbox' } });
    expect(opened).toBe(0);
    expect(() => refuseInvalidSettings(standIn, { ...context, options: {} })).not.toThrow();
    expect(definition.validate!({ host: 'h' }, { inbx: 'in' })).toEqual(settingProblems(standIn, { profile: { host: 'h' }, options: { inbx: 'in' } }));
  });
});

describe('the configuration loader and config show', () => {
  it('registers and masks what a protocol declares secret, parts of groups included, and shows the rest', async () => {
    const password = 'Basic-Pa55word-Of-The-Mairie';
    const dir = await tempFolder({
      'ordo.config.json': JSON.stringify({
        profiles: { P: { http: { urls: { etatCivil: 'https://insee.example/ec' }, auth: { type: 'basic', user: 'mairie', password: '${HTTP_PASSWORD}' } } } },
        scenarios: { S: { profile: 'P', protocol: 'http', source: 'out' } },
      }),
    });
    const config = await loadConfigFile(join(dir, 'ordo.config.json'), { HTTP_PASSWORD: password });
    expect(config.secrets).toContain(password);
    expect(redact(`sent with ${password}`)).toBe(`sent with ${SECRET_MASK}`);
    expect(effectiveConfig(config)).toMatchObject({ profiles: { P: { http: { auth: { type: 'basic', user: 'mairie', password: SECRET_MASK } } } } });
    expect(isDeclaredSecret('http', 'profile', ['auth', 'password'])).toBe(true);
    expect(isDeclaredSecret('http', 'profile', ['auth', 'user'])).toBe(false);
    expect(isDeclaredSecret('sftp', 'profile', ['passphrase'])).toBe(true);
    expect(isDeclaredSecret('sftp', 'profile', ['privateKey'])).toBe(false);
  });

  it('refuses retrieval settings on a protocol that cannot retrieve, saying why', async () => {
    const dir = await tempFolder({
      'ordo.config.json': JSON.stringify({
        profiles: { P: { http: { urls: { etatCivil: 'https://insee.example/ec' } } } },
        scenarios: { S: { profile: 'P', protocol: 'http', source: 'out', retrieve: { at: ['18:00'], enabled: false }, options: { inbox: 'in' } } },
      }),
    });
    const error = await configError(loadConfigFile(join(dir, 'ordo.config.json'), {}));
    expect(error.problems).toEqual([
      expect.objectContaining({
        key: 'scenarios.S.retrieve.at',
        message: 'The protocol http cannot retrieve files: scenarios.S.retrieve.at has no effect.',
        fix: 'Remove scenarios.S.retrieve.at: scenarios on http only send.',
      }),
      expect.objectContaining({ key: 'scenarios.S.options.inbox', message: 'The protocol http cannot retrieve files: scenarios.S.options.inbox has no effect.' }),
    ]);
  });

  it('checks the rules over several keys at load: a local move into the inbox itself', async () => {
    const dir = await tempFolder({
      'ordo.config.json': JSON.stringify({
        profiles: { P: {} },
        scenarios: { S: { profile: 'P', protocol: 'local', options: { inbox: 'retours', afterRetrieve: 'move:./retours/' } } },
      }),
    });
    const error = await configError(loadConfigFile(join(dir, 'ordo.config.json'), {}));
    expect(error.problems).toEqual([expect.objectContaining({ key: 'scenarios.S.options.afterRetrieve', message: expect.stringContaining(join(dir, 'retours')) })]);
  });
});

/** A protocol with no keys at all. */
function registryFree() {
  return declareProtocol({ name: 'bare', capabilities: ['send'], features: { usesInbox: false }, options: [], checks: [] });
}
