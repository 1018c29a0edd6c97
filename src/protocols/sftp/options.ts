// The `sftp` protocol's keys: the connection (`profiles.<P>.sftp`) and the scenario's remote folders
// (`scenarios.<S>.options`). Described in docs/protocols/sftp.md; the fixed names of docs/configuration.md first.
import type { ProtocolSettingProblem } from '../contract.js';
import { afterRetrieveType, filterType, parseAfterRetrieve } from '../common/retrieval-options.js';
import {
  accepted,
  booleanType,
  customType,
  declareProtocol,
  durationType,
  isText,
  listType,
  localPathType,
  portType,
  refused,
  remotePathType,
  say,
  textType,
  withoutTrailingSlashes,
  written,
  type ReadContext,
} from '../options.js';
import { parseFingerprintList } from './fingerprints.js';

const required = say('protocol.sftp.setting.required', 'key');
const notText = say('protocol.sftp.setting.text', 'key');
const notDuration = say('protocol.sftp.setting.duration', 'key', 'value');
const notBoolean = say('protocol.sftp.setting.boolean', 'key', 'value');

/** Pinned `SHA256:…` fingerprints: one, several separated by `;`, or a list. */
const fingerprintsType = customType('fingerprints', (value, context) => {
  const parsed = parseFingerprintList(value);
  if (parsed.invalid.length === 0 && parsed.fingerprints.length > 0) return accepted(parsed.fingerprints);
  return refused({ messageKey: 'protocol.sftp.setting.hostKey', params: { key: context.key, value: parsed.invalid[0] ?? written(value) } });
});

/** Remote name patterns: a `/` could only reach outside the inbox. */
const remoteFilterType = filterType(
  {
    invalid: say('protocol.sftp.setting.filter', 'key'),
    folderIn: (key, pattern) => ({ messageKey: 'protocol.sftp.setting.filterPath', params: { key, pattern } }),
  },
  (pattern) => pattern.includes('/'),
);

export const sftpDeclaration = declareProtocol({
  name: 'sftp',
  capabilities: ['send', 'list', 'fetch', 'acknowledge', 'check', 'verify'],
  features: { usesInbox: true },
  options: [
    { name: 'host', where: 'profile', type: textType(notText), required: true, missing: required, help: 'protocol.sftp.help.host' },
    { name: 'port', where: 'profile', type: portType(say('protocol.sftp.setting.port', 'key', 'value')), default: 22, help: 'protocol.sftp.help.port' },
    { name: 'username', where: 'profile', type: textType(notText), required: true, missing: required, help: 'protocol.sftp.help.username' },
    { name: 'password', where: 'profile', type: textType(notText), secret: true, help: 'protocol.sftp.help.password' },
    { name: 'privateKey', where: 'profile', type: localPathType(notText), help: 'protocol.sftp.help.privateKey' },
    { name: 'passphrase', where: 'profile', type: textType(notText), secret: true, help: 'protocol.sftp.help.passphrase' },
    { name: 'hostKey', where: 'profile', type: fingerprintsType, help: 'protocol.sftp.help.hostKey' },
    { name: 'knownHosts', where: 'profile', type: localPathType(notText), help: 'protocol.sftp.help.knownHosts' },
    { name: 'timeout', where: 'profile', type: durationType(notDuration, 'refused'), default: '20s', help: 'protocol.sftp.help.timeout' },
    { name: 'keepalive', where: 'profile', type: durationType(notDuration, 'allowed'), default: '15s', help: 'protocol.sftp.help.keepalive' },
    { name: 'serial', where: 'profile', type: booleanType(notBoolean), default: false, help: 'protocol.sftp.help.serial' },
    { name: 'ciphers', where: 'profile', type: listType(say('protocol.sftp.setting.list', 'key')), help: 'protocol.sftp.help.ciphers' },
    { name: 'remoteDir', where: 'options', type: remotePathType(notText), help: 'protocol.sftp.help.remoteDir' },
    { name: 'inbox', where: 'options', type: remotePathType(notText), help: 'protocol.sftp.help.inbox' },
    { name: 'filter', where: 'options', type: remoteFilterType, default: '*', help: 'protocol.sftp.help.filter' },
    {
      name: 'afterRetrieve',
      where: 'options',
      type: afterRetrieveType(say('protocol.sftp.setting.afterRetrieve', 'key', 'value')),
      default: 'delete',
      help: 'protocol.sftp.help.afterRetrieve',
    },
    { name: 'createRemoteDir', where: 'options', type: booleanType(notBoolean), default: false, help: 'protocol.sftp.help.createRemoteDir' },
  ],
  checks: [someCredentials, moveIntoInbox],
});

function someCredentials({ blocks }: ReadContext): ProtocolSettingProblem[] {
  const { password, privateKey } = blocks.profile;
  if (password !== undefined || privateKey !== undefined) return [];
  return [{ where: 'profile', key: 'password', messageKey: 'protocol.sftp.setting.noCredentials', params: { key: 'password' } }];
}

/** Files moved into the inbox itself would be fetched again on every run (a sub-folder is fine). */
function moveIntoInbox({ blocks }: ReadContext): ProtocolSettingProblem[] {
  const { afterRetrieve, inbox } = blocks.options;
  const after = parseAfterRetrieve(afterRetrieve);
  if (after?.action !== 'move' || !isText(inbox)) return [];
  if (withoutTrailingSlashes(after.folder.trim()) !== withoutTrailingSlashes(inbox.trim())) return [];
  return [{ where: 'options', key: 'afterRetrieve', messageKey: 'protocol.sftp.setting.moveIntoInbox', params: { key: 'afterRetrieve', value: written(afterRetrieve) } }];
}
