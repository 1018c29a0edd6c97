// A scenario that sends from a source folder needs a protocol that can send: the configuration check
// knows it from the declaration, without loading code. No registered protocol is receive-only, so a
// stand-in joins the registry.
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfigFile } from '../../../src/config/load.js';
import { setLang } from '../../../src/i18n/index.js';
import { configError, tempFolder } from '../config/temp.js';

vi.mock('../../../src/protocols/registry.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../src/protocols/registry.js')>();
  const { declareProtocol, declaredKeys } = await import('../../../src/protocols/options.js');
  const declaration = declareProtocol({ name: 'inbound', capabilities: ['list', 'fetch', 'acknowledge'], features: { usesInbox: false }, options: [], checks: [] });
  const inbound = { declaration, profileKeys: declaredKeys(declaration, 'profile'), optionKeys: declaredKeys(declaration, 'options'), load: () => Promise.reject(new Error('not in tests')) };
  return {
    ...original,
    protocolNames: () => [...original.protocolNames(), 'inbound'],
    registryEntry: (name: string) => (name === 'inbound' ? inbound : original.registryEntry(name)),
  };
});

beforeAll(() => setLang('en'));

describe('what a protocol cannot do', () => {
  it('refuses a source folder on a protocol that cannot send', async () => {
    const dir = await tempFolder({
      'ordo.config.json': JSON.stringify({ profiles: { P: {} }, scenarios: { S: { profile: 'P', protocol: 'inbound', source: 'out' }, R: { profile: 'P', protocol: 'inbound' } } }),
    });
    const error = await configError(loadConfigFile(join(dir, 'ordo.config.json'), {}));
    expect(error.problems).toEqual([
      expect.objectContaining({
        key: 'scenarios.S.source',
        message: 'The protocol inbound cannot send files: scenarios.S.source has no use here.',
        fix: 'Remove scenarios.S.source, or choose a protocol that sends.',
      }),
    ]);
  });
});
