// The sftp protocol's keys: every documented form is accepted, every wrong value is reported with its
// key, and nothing reported ever contains a secret.
import { describe, expect, it } from 'vitest';
import { registryEntry } from '../../../src/protocols/registry.js';
import { sftpProtocol } from '../../../src/protocols/sftp/protocol.js';
import { resolveSftpSettings } from '../../../src/protocols/sftp/settings.js';

const FINGERPRINT = 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s';
const OTHER = 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU';
const profile = { host: 'sftp.dila.example', username: 'mairie', password: 'not-shown-anywhere', hostKey: FINGERPRINT };

describe('sftp settings', () => {
  it('declares its keys in the registry (the fixed ones of docs/configuration.md first)', () => {
    const entry = registryEntry('sftp')!;
    expect(entry.profileKeys.slice(0, 8)).toEqual(['host', 'port', 'username', 'password', 'privateKey', 'passphrase', 'hostKey', 'knownHosts']);
    expect(entry.profileKeys).toEqual(expect.arrayContaining(['timeout', 'keepalive', 'serial', 'ciphers']));
    expect(entry.optionKeys).toEqual(['remoteDir', 'inbox', 'filter', 'afterRetrieve', 'createRemoteDir']);
  });

  it('accepts every documented form, as JSON values or INI text', () => {
    const forms = [
      { ...profile },
      { ...profile, port: 2222, timeout: '30s', keepalive: 0, serial: true, ciphers: ['aes128-gcm@openssh.com'] },
      { ...profile, port: '2222', timeout: '45', keepalive: '10s', serial: 'oui', ciphers: 'aes128-gcm@openssh.com;aes256-ctr' },
      { host: 'h', username: 'u', privateKey: 'keys/id_ed25519', passphrase: 'x', knownHosts: 'known_hosts' },
      { ...profile, hostKey: `${FINGERPRINT}; ${OTHER}` },
      { ...profile, hostKey: [FINGERPRINT, `${OTHER}=`] },
    ];
    for (const form of forms) expect(sftpProtocol.validate!(form, {}), JSON.stringify(form)).toEqual([]);
    const options = [
      { remoteDir: 'retours', inbox: '/teledossiers', filter: '*.xml;*.pdf', afterRetrieve: 'move:traites', createRemoteDir: 'yes' },
      { inbox: 'in', afterRetrieve: 'keep', filter: ['ILE_*', 'RCO_*'] },
      { remoteDir: 'out', afterRetrieve: 'Delete', createRemoteDir: false },
    ];
    for (const option of options) expect(sftpProtocol.validate!(profile, option), JSON.stringify(option)).toEqual([]);
  });

  it('reports each wrong key with what is accepted', () => {
    const problems = sftpProtocol.validate!(
      { host: '', port: 70000, hostKey: 'MD5:16:27:ac', timeout: '0s', keepalive: 'often', serial: 'maybe', ciphers: 5 },
      { remoteDir: 3, afterRetrieve: 'archive', filter: 'sub/*.xml', createRemoteDir: 'perhaps' },
    );
    expect(problems.map((problem) => `${problem.where}.${problem.key}:${problem.messageKey}`)).toEqual([
      'profile.host:protocol.sftp.setting.text',
      'profile.username:protocol.sftp.setting.required',
      'profile.password:protocol.sftp.setting.noCredentials',
      'profile.port:protocol.sftp.setting.port',
      'profile.hostKey:protocol.sftp.setting.hostKey',
      'profile.timeout:protocol.sftp.setting.duration',
      'profile.keepalive:protocol.sftp.setting.duration',
      'profile.serial:protocol.sftp.setting.boolean',
      'profile.ciphers:protocol.sftp.setting.list',
      'options.remoteDir:protocol.sftp.setting.text',
      'options.filter:protocol.sftp.setting.filterPath',
      'options.afterRetrieve:protocol.sftp.setting.afterRetrieve',
      'options.createRemoteDir:protocol.sftp.setting.boolean',
    ]);
    expect(problems.find((problem) => problem.key === 'hostKey')?.params).toEqual({ key: 'hostKey', value: 'MD5:16:27:ac' });
    // Moved into the inbox itself, files would be fetched again on every run; a sub-folder is fine.
    expect(sftpProtocol.validate!(profile, { inbox: 'in/', afterRetrieve: 'move:in' })[0]?.messageKey).toBe('protocol.sftp.setting.moveIntoInbox');
    expect(sftpProtocol.validate!(profile, { inbox: 'in', afterRetrieve: 'move:in/traites' })).toEqual([]);
  });

  it('never puts a password or passphrase in a problem', () => {
    const problems = sftpProtocol.validate!({ host: 'h', username: 'u', password: 'secret-password', passphrase: 'secret-phrase', port: 'x' }, {});
    expect(JSON.stringify(problems)).not.toMatch(/secret/);
  });

  it('resolves defaults, local paths against the configuration folder, and keeps remote paths as written', () => {
    const settings = resolveSftpSettings(
      { host: ' h ', username: 'u', privateKey: 'keys/id', knownHosts: '/etc/ssh/ssh_known_hosts' },
      { remoteDir: 'retours/', inbox: '/in', afterRetrieve: 'move:traites/' },
      { configDir: '/srv/ordo', root: '/srv/ordo/data' },
    );
    expect(settings).toMatchObject({
      host: 'h',
      port: 22,
      privateKeyPath: '/srv/ordo/keys/id',
      knownHostsPath: '/etc/ssh/ssh_known_hosts',
      ownKnownHostsPath: '/srv/ordo/data/known_hosts',
      timeoutMs: 20_000,
      keepaliveMs: 15_000,
      serial: false,
      remoteDir: 'retours',
      inbox: '/in',
      filter: ['*'],
      afterRetrieve: { action: 'move', folder: 'traites' },
      createRemoteDir: false,
    });
  });
});
