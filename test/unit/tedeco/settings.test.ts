// The keys of the `tedeco` protocol: what the configuration check reports, and how values are read.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { declaredKeys, settingProblems } from '../../../src/protocols/options.js';
import { registryEntry } from '../../../src/protocols/registry.js';
import { tedecoDeclaration } from '../../../src/protocols/tedeco/options.js';
import { resolveTedecoSettings } from '../../../src/protocols/tedeco/settings.js';
import { tedecoProtocol } from '../../../src/protocols/tedeco/protocol.js';

const tedecoProblems = (profile: Record<string, unknown>, options: Record<string, unknown>) => settingProblems(tedecoDeclaration, { profile, options });

const profile = { spool: 'C:\\tedeco', alias: 'INSEE', ead: 'ECIVIL' };
const options = { type: 'etatcivil', recordLength: 120 };

describe('tedeco settings', () => {
  it('the registry declares the same keys as the protocol', () => {
    expect(registryEntry('tedeco')?.profileKeys).toEqual(declaredKeys(tedecoDeclaration, 'profile'));
    expect(registryEntry('tedeco')?.optionKeys).toEqual(declaredKeys(tedecoDeclaration, 'options'));
  });

  it('accepts the documented forms, INI text included', () => {
    expect(tedecoProtocol.validate!(profile, options)).toEqual([]);
    expect(
      tedecoProtocol.validate!(profile, { type: 'Elections', recordLength: '120', rfa: 'EL[annee][VAR4]', compression: 'LempelZiv', year: '2026', staleRequestAge: '12h', filter: 'la*.ECIVIL;LA*' }),
    ).toEqual([]);
    expect(tedecoProtocol.validate!({ ...profile, alias: 'Préfecture d’Île' }, { ...options, rfa: 'ÉTAT CIVIL [var2]' })).toEqual([]);
  });

  it('reports every wrong or missing key with what is accepted', () => {
    const problems = tedecoProtocol.validate!({ alias: ' ', ead: 'EC/IVIL' }, { type: 'naissances', recordLength: '0', rfa: 'EC[var9]', compression: 'zip lzw', year: 26, staleRequestAge: 'soon', filter: 'sub/*' });
    expect(problems.map((p) => [p.where, p.key, p.messageKey])).toEqual([
      ['profile', 'spool', 'protocol.tedeco.profile.spool'],
      ['profile', 'alias', 'protocol.tedeco.profile.alias'],
      ['profile', 'ead', 'protocol.tedeco.profile.ead'],
      ['options', 'type', 'protocol.tedeco.option.type'],
      ['options', 'recordLength', 'protocol.tedeco.option.recordLength'],
      ['options', 'rfa', 'protocol.tedeco.option.rfaToken'],
      ['options', 'compression', 'protocol.tedeco.option.compression'],
      ['options', 'year', 'protocol.tedeco.option.year'],
      ['options', 'staleRequestAge', 'protocol.tedeco.option.staleRequestAge'],
      ['options', 'filter', 'protocol.local.option.filterPath'],
    ]);
    expect(tedecoProblems({}, {}).map((p) => p.messageKey)).toEqual([
      'protocol.tedeco.profile.spool',
      'protocol.tedeco.profile.alias',
      'protocol.tedeco.profile.eadMissing',
      'protocol.tedeco.option.typeMissing',
      'protocol.tedeco.option.recordLengthMissing',
    ]);
  });

  it('refuses what cannot go into a Windows-1252 request line', () => {
    expect(tedecoProblems({ ...profile, alias: 'INSEE\r\nead=X' }, options)).toEqual([
      { where: 'profile', key: 'alias', messageKey: 'protocol.tedeco.controlChar', params: { key: 'alias' } },
    ]);
    expect(tedecoProblems(profile, { ...options, rfa: 'EC ✓' })).toEqual([
      { where: 'options', key: 'rfa', messageKey: 'protocol.tedeco.notEncodable', params: { key: 'rfa', char: '✓' } },
    ]);
    expect(tedecoProblems(profile, { type: 'elections', recordLength: 1, rfa: 'EL[var1]' })[0]).toMatchObject({ messageKey: 'protocol.tedeco.option.rfaTokenType', params: { token: '[var1]', type: 'elections' } });
  });

  it('resolves defaults and relative paths', () => {
    const settings = resolveTedecoSettings({ spool: 'agent/spool', alias: ' INSEE ', ead: 'ECIVIL' }, { type: 'ETATCIVIL', recordLength: '80' }, '/srv/ordo');
    expect(settings).toEqual({
      spool: resolve('/srv/ordo', 'agent', 'spool'),
      alias: 'INSEE',
      ead: 'ECIVIL',
      type: 'etatcivil',
      rfa: '',
      recordLength: 80,
      compression: 'LempelZiv',
      year: undefined,
      filter: undefined,
      staleRequestMs: 24 * 60 * 60 * 1000,
    });
  });
});
